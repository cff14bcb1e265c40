"""The login form of every host. Which accounts it accepts depends on the host: on a center host the
center's staff (its own user table), on the platform host the platform accounts. Repeated failures for
one username lock that username on that host for a while (cache counters; the cache keys carry the schema)."""

from __future__ import annotations

import math
import time

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from ostoja.platform.errors import ServiceError

MAX_FAILURES = settings.OSTOJA_LOGIN_MAX_FAILURES
LOCKOUT_SECONDS = settings.OSTOJA_LOGIN_LOCKOUT_SECONDS


def _key(request, username: str) -> str:
    return f"login-failures:{request.get_host().lower()}:{username.strip().lower()}"


def locked_for(request, username: str) -> int:
    """Seconds left of a lockout of ``username`` on this host, 0 when it may try."""
    entry = cache.get(_key(request, username))
    if not entry or entry["count"] < MAX_FAILURES:
        return 0
    return max(0, math.ceil(entry["first"] + LOCKOUT_SECONDS - time.time()))


def register_failure(request, username: str) -> int:
    """Count a failed attempt; returns the number of failures in the current window."""
    key = _key(request, username)
    entry = cache.get(key) or {"count": 0, "first": time.time()}
    entry["count"] += 1
    remaining = max(1, math.ceil(entry["first"] + LOCKOUT_SECONDS - time.time()))
    cache.set(key, entry, remaining)
    return entry["count"]


def clear_failures(request, username: str) -> None:
    cache.delete(_key(request, username))


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Both fields are case-sensitive."),
        "inactive": _("This account is deactivated."),
        "wrong_host": _("This account has no access here. Log in on the address of your own center or the platform."),
        "locked": _("Too many failed attempts. This account is locked here for %(minutes)s more minutes."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.failure_reason = ""
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            seconds = locked_for(self.request, username)
            if seconds:
                self.failure_reason = "locked"
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": math.ceil(seconds / 60)}
                )
        try:
            return super().clean()
        except forms.ValidationError:
            if not self.failure_reason:
                self.failure_reason = "invalid_login"
            if username and self.request is not None:
                register_failure(self.request, username)
            raise

    def confirm_login_allowed(self, user):
        if not user.is_active:
            self.failure_reason = "inactive"
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        if user.is_superuser:
            return
        center = getattr(self.request, "center", None)
        # On a center host: a staff member of that center; on the platform host: a platform account.
        allowed = hasattr(user, "staff_profile") if center is not None else hasattr(user, "platform_account")
        if not allowed:
            self.failure_reason = "wrong_host"
            raise forms.ValidationError(self.error_messages["wrong_host"], code="wrong_host")


class NewPasswordForm(SetPasswordForm):
    """Set a password from a one-time link (Django's validators apply)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].widget.attrs.update(autocomplete="new-password")
        self.fields["new_password2"].widget.attrs.update(autocomplete="new-password")


class FirstPasswordForm(forms.Form):
    """Mixed into an admin's form that creates an account: an optional first password, typed twice. When
    the two agree, ``validate_new_account`` (the services' check of the whole new account) runs."""

    password1 = forms.CharField(
        label=_("password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to give the person a one-time set-password link instead."),
    )
    password2 = forms.CharField(
        label=_("password again"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def validate_new_account(self, password: str | None) -> None:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
            return cleaned
        try:
            self.validate_new_account(cleaned.get("password1") or None)
        except ServiceError as exc:
            add_service_errors(self, exc)
        return cleaned


def add_service_errors(form, exc: ServiceError) -> None:
    """Show a service error next to its form field, or above the form."""
    for error in getattr(exc, "errors", [exc]):
        field = error.field if error.field in form.fields else None
        if field == "password" or (field is None and error.field == "password"):
            field = "password1" if "password1" in form.fields else None
        form.add_error(field, error.message)
