"""The one way to write the audit log. Services call ``record`` after every write, and after
every read of a person's record."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from ostoja.platform.audit.models import AuditAction, AuditEntry


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: getattr(obj, name) for name in names}


def _entry(actor, action: str, obj, *, changes, message: str, object_type: str = "", object_id: str = "") -> AuditEntry:
    """An unsaved entry: the actor (anonymous and system actors are stored as no user), the object, the changes."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "",
        action=AuditAction(action),
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        changes={k: [_jsonable(v) for v in pair] for k, pair in (changes or {}).items()},
        message=message[:300],
    )


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict | None = None,
    message: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    entry = _entry(actor, action, obj, changes=changes, message=message, object_type=object_type, object_id=object_id)
    entry.save(force_insert=True)
    return entry


def record_many(
    actor, action: str, objs, *, message: str = "", changes: Callable[[models.Model], dict] | None = None
) -> list[AuditEntry]:
    """One entry per object, written in a single INSERT (list screens, bulk grants); ``changes``, if
    given, is called with each object and returns that object's changes."""
    return AuditEntry.objects.bulk_create(
        [_entry(actor, action, obj, changes=changes(obj) if changes else None, message=message) for obj in objs]
    )
