"""Personal API tokens: created by a logged-in user for scripts and integrations, shown once, stored as a
SHA-256 digest, revocable, and bound to the schema they were made in (a center, or the platform).

The token reads ``ostoja.<schema>.<secret>``: the schema part lets a host refuse a token made elsewhere with a
clear message before any lookup; the lookup itself only ever searches the current schema's table."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.platform.accounts.models import ApiToken
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

PREFIX = "ostoja"
MAX_ACTIVE_TOKENS = 20
MAX_LIFETIME_DAYS = 366
# last_used_at is written at most this often, so a busy script does not write on every request
TOUCH_INTERVAL = timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_user(actor):
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Log in first."), code="not_authenticated")
    return actor


def create_api_token(actor, *, name: str, expires_in_days: int | None = 90) -> tuple[ApiToken, str]:
    """A new token for ``actor`` and its plain text, which is never shown again."""
    _require_user(actor)
    name = (name or "").strip()
    errors = []
    if not name:
        errors.append(ValidationFailed(_("Give the token a name."), code="name_required", field="name"))
    elif len(name) > 100:
        errors.append(
            ValidationFailed(_("The name is too long (100 characters at most)."), code="name_too_long", field="name")
        )
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_LIFETIME_DAYS:
        errors.append(
            ValidationFailed(
                _("A token lives from 1 to %(max)s days."),
                code="invalid_lifetime",
                field="expires_in_days",
                params={"max": MAX_LIFETIME_DAYS},
            )
        )
    if errors:
        raise ValidationFailed(errors[0]._message, code=errors[0].code, field=errors[0].field, errors=errors)
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
        if sum(1 for t in active if not _expired(t)) >= MAX_ACTIVE_TOKENS:
            raise Conflict(
                _("You already have %(max)s active tokens: revoke one first."),
                code="too_many_tokens",
                params={"max": MAX_ACTIVE_TOKENS},
            )
        secret = secrets.token_urlsafe(32)
        raw = f"{PREFIX}.{connection.schema_name}.{secret}"
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[:8],
            digest=_digest(raw),
            expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
        )
        record(actor, AuditAction.CREATE, token, message=str(_("API token created")))
    return token, raw


def _expired(token: ApiToken) -> bool:
    return token.expires_at is not None and token.expires_at <= timezone.now()


def list_api_tokens(actor) -> list[ApiToken]:
    _require_user(actor)
    return list(ApiToken.objects.filter(user=actor))


def revoke_api_token(actor, token_id) -> ApiToken:
    """Revoke one of the caller's own tokens (another user's token id is simply not found)."""
    _require_user(actor)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise NotFound(_("No such API token."), code="token_not_found")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor, AuditAction.UPDATE, token, changes={"revoked_at": [None, token.revoked_at]})
    return token


def authenticate_token(raw: str):
    """The active user a token belongs to, in the current schema, or PermissionDenied saying why."""
    parts = (raw or "").strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2]:
        raise PermissionDenied(_("The API token is malformed."), code="invalid_token")
    if parts[1] != connection.schema_name:
        raise PermissionDenied(_("This API token was not issued on this host."), code="invalid_token")
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw.strip())).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        raise PermissionDenied(_("The API token is not valid or has been revoked."), code="invalid_token")
    if _expired(token):
        raise PermissionDenied(_("The API token has expired."), code="token_expired")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
