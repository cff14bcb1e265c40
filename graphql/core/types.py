"""Base types: Django object types that are fetched only through an access check, and connections with a total."""

from __future__ import annotations

import graphene
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from graphene import relay
from graphene_django import DjangoObjectType
from graphene_django.fields import DjangoConnectionField

from ostoja.platform.errors import NotFound, ValidationFailed


def enum_value(value):
    """The Python value of a graphene enum argument (graphene 3 passes the enum member; None stays None)."""
    return getattr(value, "value", value)


def choices_enum(choices, name: str, description: str, *, labelled: bool = False):
    """A GraphQL enum of a Django ``TextChoices``; ``labelled`` describes each value with its (translated) label."""
    if labelled:
        return graphene.Enum.from_enum(
            choices, name=name, description=lambda value: value.label if value else description
        )
    return graphene.Enum.from_enum(choices, name=name, description=description)


class CountableConnection(relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="Number of items matching the filters, on all pages.")

    def resolve_total_count(self, info):
        return self.length


class ModelType(DjangoObjectType):
    """A Django model exposed as a Node. ``node(id:)`` goes through ``access(info, pk)``, which each type
    implements with its module's ``access_*`` service (permission check and fetch in one step); without it a
    type cannot be fetched by ID at all."""

    class Meta:
        abstract = True

    @classmethod
    def access(cls, info, pk):
        raise NotFound(code="not_found")

    @classmethod
    def get_node(cls, info, id):
        return cls.access(info, int(id))


class ConnectionField(DjangoConnectionField):
    """A Relay connection whose rows always come from its resolver (a service's scoped queryset): a resolver
    that returns None gives an empty page, never the whole table. Page size errors are typed.

    ``after_page(info, nodes, args)``, if given, is called with the objects of the page once it is cut (to
    audit what was shown, or to reveal per page what the list query left out)."""

    def __init__(self, *args, after_page=None, **kwargs):
        self.after_page = after_page
        super().__init__(*args, **kwargs)

    def wrap_resolve(self, parent_resolver):
        resolve = super().wrap_resolve(parent_resolver)
        if self.after_page is None:
            return resolve

        def resolve_then_hook(root, info, **args):
            result = resolve(root, info, **args)
            self.after_page(info, [edge.node for edge in result.edges], args)
            return result

        return resolve_then_hook

    @classmethod
    def connection_resolver(
        cls,
        resolver,
        connection,
        default_manager,
        queryset_resolver,
        max_limit,
        enforce_first_or_last,
        root,
        info,
        **args,
    ):
        max_limit = max_limit or settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"]
        for name in ("first", "last"):
            value = args.get(name)
            if value is not None and not 0 <= value <= max_limit:
                raise ValidationFailed(
                    _("Ask for 0 to %(max)s items per page."), code="page_size", field=name, params={"max": max_limit}
                )
        if args.get("offset") is not None and args.get("offset") < 0:
            raise ValidationFailed(_("The offset cannot be negative."), code="invalid_offset", field="offset")

        def scoped(root, info, **kwargs):
            result = resolver(root, info, **kwargs)
            return default_manager.none() if result is None else result

        return super().connection_resolver(
            scoped, connection, default_manager, queryset_resolver, max_limit, enforce_first_or_last, root, info, **args
        )
