"""Input checks shared by the account services of centers (staff) and of the platform."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ostoja.platform.errors import ServiceError, ValidationFailed


class Errors:
    """Collects field errors so one call reports everything that is wrong at once."""

    def __init__(self):
        self.items: list[ServiceError] = []

    def add(self, field, code, message, params=None):
        self.items.append(ServiceError(message, code=code, field=field, params=params))

    def raise_if_any(self):
        if self.items:
            first = self.items[0]
            raise ValidationFailed(
                first._message, code=first.code, field=first.field, params=first.params, errors=self.items
            )


def clean_username(username, errors: Errors, *, exclude_pk=None) -> str:
    User = get_user_model()
    username = User.normalize_username((username or "").strip())
    if not username:
        errors.add("username", "required", _("A username is required."))
        return username
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        errors.add("username", "invalid_username", exc.messages[0])
        return username
    taken = User.objects.filter(username__iexact=username).exclude(pk=exclude_pk)
    if taken.exists():
        errors.add(
            "username",
            "username_taken",
            _("The username “%(username)s” is already used by another account of this center."),
            {"username": username},
        )
    return username


def clean_email(email, errors: Errors) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", "invalid_email", _("“%(email)s” is not a valid e-mail address."), {"email": email})
    return get_user_model().objects.normalize_email(email)


def require_text(value, field, errors: Errors, message) -> str:
    value = (value or "").strip()
    if not value:
        errors.add(field, "required", message)
    return value


def check_password(password: str, user) -> None:
    """Django's password validators; ValidationFailed on the field ``password`` with every reason."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        items = [
            ServiceError(e.message, code=e.code or "invalid", field="password", params=e.params) for e in exc.error_list
        ]
        raise ValidationFailed(
            _("The password is too weak: %(reasons)s"),
            code="weak_password",
            field="password",
            params={"reasons": " ".join(exc.messages)},
            errors=items,
        ) from None
