"""Field middleware shared by both schemas."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ostoja.platform.errors import ValidationFailed


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class RefuseNulCharacters:
    """PostgreSQL text cannot hold NUL: refuse such arguments with a typed error instead of a database error."""

    def resolve(self, next_, root, info, **args):
        if args and _has_nul(args):
            raise ValidationFailed(_("Text cannot contain the NUL character."), code="invalid_characters")
        return next_(root, info, **args)
