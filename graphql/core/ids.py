"""Global IDs bound to the schema they were issued in.

An ID reads (base64) ``<Type>:<schema>:<pk>``. On another center's host the schema part does not match, and the
ID resolves to "not found" — never to the object with the same primary key in that other center."""

from __future__ import annotations

import binascii
from base64 import b64decode, b64encode

from django.db import connection
from django.utils.translation import gettext_lazy as _
from graphene import relay
from graphene.relay.id_type import BaseGlobalIDType
from graphene.types import ID

from ostoja.platform.errors import NotFound, ValidationFailed


def to_global_id(type_name: str, pk) -> str:
    return b64encode(f"{type_name}:{connection.schema_name}:{pk}".encode()).decode()


def parse_global_id(value, *, field: str = "id") -> tuple[str, str, int]:
    """``(type name, schema, pk)`` or ValidationFailed for anything that is not one of our IDs."""
    try:
        type_name, schema, pk = b64decode(str(value), validate=True).decode().split(":")
        return type_name, schema, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationFailed(_("This is not a valid ID."), code="invalid_id", field=field) from None


def decode_id(value, *type_names: str, field: str = "id") -> int:
    """The primary key behind a global ID of one of ``type_names`` issued in the current schema."""
    type_name, schema, pk = parse_global_id(value, field=field)
    if type_names and type_name not in type_names:
        raise ValidationFailed(
            _("Expected the ID of: %(types)s."), code="invalid_id", field=field, params={"types": ", ".join(type_names)}
        )
    if schema != connection.schema_name:
        raise NotFound(code="not_found", field=field)
    return pk


def decode_optional_id(value, type_name: str, field: str = "id") -> int | None:
    """``decode_id`` for an optional argument: a missing ID (None) stays None."""
    return None if value is None else decode_id(value, type_name, field=field)


def decode_ids(values, *type_names: str, field: str) -> list[int]:
    return [decode_id(v, *type_names, field=field) for v in values or ()]


class CenterGlobalIDType(BaseGlobalIDType):
    graphene_type = ID

    @classmethod
    def resolve_global_id(cls, info, global_id):
        type_name, schema, pk = parse_global_id(global_id)
        if schema != connection.schema_name:
            raise NotFound(code="not_found")
        return type_name, pk

    @classmethod
    def to_global_id(cls, _type, _id):
        return to_global_id(_type, _id)


class Node(relay.Node):
    """An object with an ID valid on this host only."""

    class Meta:
        name = "Node"
        global_id_type = CenterGlobalIDType

    @classmethod
    def get_node_from_global_id(cls, info, global_id, only_type=None):
        type_name, pk = cls.resolve_global_id(info, global_id)
        graphene_type = info.schema.get_type(type_name)
        graphene_type = getattr(graphene_type, "graphene_type", None)
        if graphene_type is None or cls not in graphene_type._meta.interfaces:
            raise NotFound(code="not_found")
        if only_type and graphene_type is not only_type:
            raise ValidationFailed(_("This ID belongs to another kind of object."), code="invalid_id", field="id")
        return graphene_type.get_node(info, pk)
