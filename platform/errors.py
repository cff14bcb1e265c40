"""Errors raised by the service layer. Each carries a stable ``code`` (for GraphQL's
``errors { field code message }`` and for tests), a translatable message and optionally a field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    default_code = "error"
    default_message = _("The operation failed.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None, params=None):
        self.code = code or self.default_code
        self.field = field
        self.params = params or {}
        self._message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        text = str(self._message)
        return text % self.params if self.params else text

    def as_dicts(self) -> list[dict]:
        return [{"field": self.field, "code": self.code, "message": self.message}]


class ValidationFailed(ServiceError):
    """Bad input. May carry several field errors at once."""

    default_code = "invalid"
    default_message = _("The data is not valid.")

    def __init__(self, message=None, *, code=None, field=None, params=None, errors: list[ServiceError] | None = None):
        super().__init__(message, code=code, field=field, params=params)
        self.errors = errors or [self]

    def as_dicts(self) -> list[dict]:
        return [{"field": e.field, "code": e.code, "message": e.message} for e in self.errors]

    @classmethod
    def from_django(cls, exc) -> ValidationFailed:
        """Wrap a django.core.exceptions.ValidationError, keeping its fields and codes."""
        errors = []
        if hasattr(exc, "error_dict"):
            for field, items in exc.error_dict.items():
                for item in items:
                    errors.append(
                        ServiceError(item.message, code=item.code or "invalid", field=field, params=item.params)
                    )
        else:
            for item in exc.error_list:
                errors.append(ServiceError(item.message, code=item.code or "invalid", params=item.params))
        first = errors[0]
        return cls(first._message, code=first.code, field=first.field, params=first.params, errors=errors)


class PermissionDenied(ServiceError):
    default_code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class NotFound(ServiceError):
    """Also what a foreign center's id resolves to: never a hint that the object exists elsewhere."""

    default_code = "not_found"
    default_message = _("Not found.")


class Conflict(ServiceError):
    """The request is valid but clashes with the current state (limits, duplicates, wrong status)."""

    default_code = "conflict"
    default_message = _("The operation conflicts with the current state.")
