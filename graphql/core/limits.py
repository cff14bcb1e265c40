"""Validation rules that refuse expensive documents before anything runs: depth, cost, aliases, introspection.

Cost: every field costs 1, times the number of times it is resolved — a connection multiplies the cost of what
is selected inside it by its ``first``/``last`` (the page size cap when the argument is missing or a variable)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from graphene.validation import DisableIntrospection, depth_limit_validator
from graphql import GraphQLError, get_named_type, specified_rules
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, IntValueNode, OperationType
from graphql.validation import ValidationRule


def _error(message: str, node, code: str) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": code})


class CostLimitRule(ValidationRule):
    def enter_operation_definition(self, node, *_args):
        schema = self.context.schema
        root = {
            OperationType.QUERY: schema.query_type,
            OperationType.MUTATION: schema.mutation_type,
            OperationType.SUBSCRIPTION: schema.subscription_type,
        }[node.operation]
        if root is None:
            return
        cost = self._cost(node.selection_set, root, set())
        limit = settings.OSTOJA_GRAPHQL_MAX_COST
        if cost > limit:
            self.report_error(
                _error(
                    _("The query is too expensive (cost %(cost)s, limit %(limit)s): ask for smaller pages.")
                    % {"cost": cost, "limit": limit},
                    node,
                    "query_too_expensive",
                )
            )

    def _cost(self, selection_set, parent_type, fragments: set) -> int:
        if selection_set is None or parent_type is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                field = getattr(parent_type, "fields", {}).get(name)
                if field is None:
                    continue  # unknown fields are reported by the standard rules
                multiplier = self._page_size(selection, field)
                total += 1 + multiplier * self._cost(selection.selection_set, get_named_type(field.type), fragments)
            elif isinstance(selection, InlineFragmentNode):
                type_ = (
                    self.context.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent_type
                )
                total += self._cost(selection.selection_set, type_, fragments)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in fragments:
                    continue  # unknown or cyclic fragments are reported by the standard rules
                type_ = self.context.schema.get_type(fragment.type_condition.name.value)
                total += self._cost(fragment.selection_set, type_, fragments | {name})
        return total

    @staticmethod
    def _page_size(node: FieldNode, field) -> int:
        if "first" not in field.args and "last" not in field.args:
            return 1
        cap = settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"]
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                if isinstance(argument.value, IntValueNode):
                    return max(0, min(int(argument.value.value), cap))
                return cap
        return cap


class AliasLimitRule(ValidationRule):
    def enter_document(self, node, *_args):
        aliases = 0

        def count(selection_set):
            nonlocal aliases
            for selection in selection_set.selections if selection_set else ():
                if isinstance(selection, FieldNode) and selection.alias is not None:
                    aliases += 1
                count(getattr(selection, "selection_set", None))

        for definition in node.definitions:
            count(getattr(definition, "selection_set", None))
        limit = settings.OSTOJA_GRAPHQL_MAX_ALIASES
        if aliases > limit:
            self.report_error(
                _error(
                    _("Too many aliases (%(count)s, limit %(limit)s).") % {"count": aliases, "limit": limit},
                    None,
                    "too_many_aliases",
                )
            )


def validation_rules() -> list:
    # graphene-django passes these rules instead of graphql-core's, so the standard ones come first.
    rules = [
        *specified_rules,
        depth_limit_validator(max_depth=settings.OSTOJA_GRAPHQL_MAX_DEPTH),
        CostLimitRule,
        AliasLimitRule,
    ]
    if not settings.OSTOJA_GRAPHQL_INTROSPECTION:
        rules.append(DisableIntrospection)
    return rules
