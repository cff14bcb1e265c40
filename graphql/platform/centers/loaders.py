"""Usage figures for many centers at once: a per-request loader that counts the requested figures for every center
it has seen (a page of the ``centers`` connection, the centers of a page of partnerships) in one SQL statement."""

from __future__ import annotations

from graphql.language import FieldNode

from ostoja.graphql.core.mutations import actor
from ostoja.tenants import registry


class UsageLoader:
    def __init__(self, user):
        self.user = user
        self.centers: dict[str, object] = {}
        self.values: dict[tuple[str, str], int] = {}

    def prime(self, centers) -> None:
        for center in centers:
            self.centers.setdefault(center.schema_name, center)

    def load(self, center, figure: str, figures) -> int:
        """``figure`` of ``center``; when it is missing, every figure of ``figures`` is counted for every center
        seen so far that lacks it, in one statement."""
        key = (center.schema_name, figure)
        if key not in self.values:
            self.prime([center])
            figures = tuple(dict.fromkeys((figure, *figures)))
            missing = [c for slug, c in self.centers.items() if (slug, figure) not in self.values]
            counted = registry.center_usage(self.user, missing, figures=figures)
            for slug, values in counted.items():
                for name, value in values.items():
                    self.values[(slug, name)] = value
        return self.values.get(key, 0)


def usage_loader(info) -> UsageLoader:
    context = info.context
    loader = getattr(context, "_ostoja_usage_loader", None)
    if loader is None:
        loader = UsageLoader(actor(info))
        context._ostoja_usage_loader = loader
    return loader


def selected_figures(info, known) -> tuple[str, ...]:
    """The figures asked for under the ``usage`` field being resolved (every one when fragments make it unclear)."""
    from ostoja.graphql.core.errors import camel

    by_name = {camel(name): name for name in known}
    wanted = []
    for node in info.field_nodes:
        for selection in node.selection_set.selections if node.selection_set else ():
            if not isinstance(selection, FieldNode):
                return tuple(known)
            name = by_name.get(selection.name.value)
            if name:
                wanted.append(name)
    return tuple(dict.fromkeys(wanted)) or tuple(known)
