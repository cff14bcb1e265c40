"""What a query selects below the field being resolved: a connection prepares (loads, scope-checks and audits in
one go) only the nested objects the query asks for, so a page that does not show them costs nothing extra."""

from __future__ import annotations

from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode


def _fields(info, selection_sets):
    for selection_set in selection_sets:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection.name.value, selection.selection_set
            elif isinstance(selection, InlineFragmentNode):
                yield from _fields(info, [selection.selection_set])
            elif isinstance(selection, FragmentSpreadNode):
                yield from _fields(info, [info.fragments[selection.name.value].selection_set])


def selects(info, *path: str) -> bool:
    """Whether the field being resolved selects ``path`` (schema names, e.g. ``"edges", "node", "household"``),
    through aliases and fragments. Type conditions are not told apart: a fragment on another type counts too,
    which at worst prepares (and audits) a nested object the response then leaves out."""
    level = [node.selection_set for node in info.field_nodes]
    for step in path:
        level = [sub for name, sub in _fields(info, level) if name == step]
        if not level:
            return False
    return True
