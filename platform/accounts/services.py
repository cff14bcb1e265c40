"""Platform accounts (operators and regional partners) and partnerships. They live in the public schema
only; every function refuses to run anywhere else. ``actor=None`` is a system action (the demo seeder,
a command run by whoever has shell access); any other actor must be a platform operator."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from ostoja.platform.accounts.validation import Errors, check_password, clean_email, clean_username, require_text
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import diff, record
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ostoja.tenants.models import Center, Partnership, PlatformAccount, PlatformRole


def require_public_schema() -> None:
    if connection.schema_name != get_public_schema_name():
        raise Conflict(
            _("Platform accounts and partnerships exist only on the platform, not inside a center."),
            code="wrong_schema",
        )


def platform_role(user) -> str | None:
    """``"operator"``, ``"partner"`` or None for a user of the public schema."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.platform_account.role
    except PlatformAccount.DoesNotExist:
        return None


def is_operator(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or platform_role(user) == PlatformRole.OPERATOR


def _check_operator(actor) -> None:
    if actor is None:
        return
    if not is_operator(actor):
        raise PermissionDenied(_("Only platform operators may do this."), code="operator_required")


def _resolve_centers(centers, errors: Errors) -> list[Center]:
    found: list[Center] = []
    for item in centers or ():
        if isinstance(item, Center):
            center = Center.objects.filter(pk=item.pk).first()
        elif isinstance(item, int):
            center = Center.objects.filter(pk=item).first()
        else:
            center = Center.objects.filter(schema_name=str(item).strip().lower()).first()
        if center is None:
            errors.add("centers", "unknown_center", _("There is no center “%(center)s”."), {"center": item})
        elif center not in found:
            found.append(center)
    return found


def _resolve_partnership(value) -> Partnership | None:
    if value in (None, ""):
        return None
    if isinstance(value, Partnership):
        return Partnership.objects.filter(pk=value.pk).first()
    if isinstance(value, int):
        return Partnership.objects.filter(pk=value).first()
    return Partnership.objects.filter(name=str(value).strip()).first()


def _partnership_state(partnership: Partnership) -> dict:
    return {
        "name": partnership.name,
        "description": partnership.description,
        "centers": ",".join(sorted(c.schema_name for c in partnership.centers.all())),
    }


def create_partnership(actor, *, name: str, centers=(), description: str = "") -> Partnership:
    """A named group of centers (``centers``: Center objects, ids or slugs) whose partners compare figures."""
    require_public_schema()
    _check_operator(actor)
    errors = Errors()
    name = require_text(name, "name", errors, _("The partnership needs a name."))
    center_objs = _resolve_centers(centers, errors)
    errors.raise_if_any()
    if Partnership.objects.filter(name__iexact=name).exists():
        raise Conflict(
            _("A partnership named “%(name)s” already exists."), code="name_taken", field="name", params={"name": name}
        )
    with transaction.atomic():
        partnership = Partnership.objects.create(name=name, description=(description or "").strip())
        partnership.centers.set(center_objs)
        record(actor, AuditAction.CREATE, partnership, changes=diff({}, _partnership_state(partnership)))
    return partnership


def update_partnership(
    actor, partnership: Partnership | int, *, name=None, description=None, centers=None
) -> Partnership:
    """Rename a partnership, change its description or replace its list of centers (None: unchanged)."""
    require_public_schema()
    _check_operator(actor)
    partnership = Partnership.objects.filter(pk=getattr(partnership, "pk", partnership)).first()
    if partnership is None:
        raise NotFound(_("There is no such partnership."), code="partnership_not_found", field="partnership")
    before = _partnership_state(partnership)
    errors = Errors()
    if name is not None:
        name = require_text(name, "name", errors, _("The partnership needs a name."))
    center_objs = _resolve_centers(centers, errors) if centers is not None else None
    errors.raise_if_any()
    if name is not None and Partnership.objects.filter(name__iexact=name).exclude(pk=partnership.pk).exists():
        raise Conflict(
            _("A partnership named “%(name)s” already exists."), code="name_taken", field="name", params={"name": name}
        )
    with transaction.atomic():
        if name is not None:
            partnership.name = name
        if description is not None:
            partnership.description = description.strip()
        partnership.save()
        if center_objs is not None:
            partnership.centers.set(center_objs)
        changed = diff(before, _partnership_state(partnership))
        if changed:
            record(actor, AuditAction.UPDATE, partnership, changes=changed)
    return partnership


def _check_role_and_partnership(role, partnership, errors: Errors):
    role = getattr(role, "value", role)
    if role not in PlatformRole.values:
        errors.add("role", "unknown_role", _("“%(role)s” is not a platform role."), {"role": role})
        return role, None
    partnership_obj = _resolve_partnership(partnership)
    if partnership not in (None, "") and partnership_obj is None:
        errors.add(
            "partnership", "unknown_partnership", _("There is no partnership “%(value)s”."), {"value": partnership}
        )
    elif role == PlatformRole.PARTNER and partnership_obj is None:
        errors.add("partnership", "partnership_required", _("A regional partner must belong to a partnership."))
    elif role == PlatformRole.OPERATOR and partnership_obj is not None:
        errors.add("partnership", "partnership_not_allowed", _("An operator does not belong to a partnership."))
    return role, partnership_obj


def _account_state(user) -> dict:
    account = getattr(user, "platform_account", None)
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "preferred_language": user.preferred_language,
        "role": account.role if account else None,
        "partnership": account.partnership.name if account and account.partnership_id else None,
    }


def _prepare_new_account(
    *,
    username,
    email,
    role,
    partnership=None,
    password=None,
    first_name="",
    last_name="",
    preferred_language="pl",
):
    errors = Errors()
    username = clean_username(username, errors)
    email = require_text(email, "email", errors, _("A platform account needs an e-mail address."))
    if email:
        email = clean_email(email, errors)
    role, partnership_obj = _check_role_and_partnership(role, partnership, errors)
    if preferred_language not in ("pl", "en"):
        errors.add("preferred_language", "invalid_language", _("The language must be Polish or English."))
    user = get_user_model()(
        username=username,
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        preferred_language=preferred_language,
        is_staff=role == PlatformRole.OPERATOR,
    )
    if password is not None:
        try:
            check_password(password, user)
        except ValidationFailed as exc:
            if not errors.items:
                raise
            errors.items.extend(exc.errors)
    errors.raise_if_any()
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    return user, PlatformAccount(role=role, partnership=partnership_obj)


def validate_new_platform_account(**fields) -> None:
    """ValidationFailed with every problem of ``create_platform_account(**fields)``, writing nothing."""
    require_public_schema()
    _prepare_new_account(**fields)


def create_platform_account(
    actor,
    *,
    username: str,
    email: str,
    role: str,
    partnership=None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "pl",
):
    """An operator (who also gets the platform admin) or a regional partner of one partnership.
    ``password=None`` leaves the password unusable; send a set-password link instead."""
    require_public_schema()
    _check_operator(actor)
    user, account = _prepare_new_account(
        username=username,
        email=email,
        role=role,
        partnership=partnership,
        password=password,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    with transaction.atomic():
        user.save()
        account.user = user
        account.save()
        user.platform_account = account
        record(actor, AuditAction.CREATE, user, changes=diff({}, _account_state(user)), message="platform account")
    return user


def _prepare_account_update(actor, user, changes: dict):
    allowed = {"first_name", "last_name", "email", "preferred_language", "is_active", "role", "partnership"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s."),
            code="unknown_field",
            field=unknown[0],
            params={"fields": ", ".join(unknown)},
        )
    user = get_user_model().objects.select_related("platform_account__partnership").get(pk=user.pk)
    account = getattr(user, "platform_account", None)
    if account is None:
        raise Conflict(_("This user has no platform account."), code="not_platform_account")
    before = _account_state(user)
    errors = Errors()
    for field in ("first_name", "last_name"):
        if field in changes:
            setattr(user, field, (changes[field] or "").strip())
    if "email" in changes:
        user.email = require_text(changes["email"], "email", errors, _("A platform account needs an e-mail address."))
        if user.email:
            user.email = clean_email(user.email, errors)
    if "preferred_language" in changes:
        if changes["preferred_language"] not in ("pl", "en"):
            errors.add("preferred_language", "invalid_language", _("The language must be Polish or English."))
        user.preferred_language = changes["preferred_language"]
    role = changes.get("role", account.role)
    partnership = changes.get("partnership", account.partnership)
    if "role" in changes and changes["role"] == PlatformRole.OPERATOR and "partnership" not in changes:
        partnership = None  # becoming an operator leaves the partnership
    role, partnership_obj = _check_role_and_partnership(role, partnership, errors)
    errors.raise_if_any()
    if "is_active" in changes:
        if actor is not None and actor.pk == user.pk and not changes["is_active"]:
            raise Conflict(_("You cannot deactivate your own account."), code="self_deactivation")
        user.is_active = bool(changes["is_active"])
    if actor is not None and actor.pk == user.pk and role != PlatformRole.OPERATOR and not user.is_superuser:
        raise Conflict(_("You cannot take away your own operator role."), code="self_demotion")
    account.role = role
    account.partnership = partnership_obj
    user.is_staff = role == PlatformRole.OPERATOR or user.is_superuser
    return user, account, before


def validate_platform_account_changes(actor, user, **changes) -> None:
    """ValidationFailed/Conflict with every problem of ``update_platform_account``, writing nothing."""
    require_public_schema()
    _prepare_account_update(actor, user, changes)


def update_platform_account(actor, user, **changes):
    """Change any of first_name, last_name, email, preferred_language, is_active, role, partnership."""
    require_public_schema()
    _check_operator(actor)
    user, account, before = _prepare_account_update(actor, user, changes)
    with transaction.atomic():
        user.save()
        account.save()
        changed = diff(before, _account_state(user))
        if changed:
            record(actor, AuditAction.UPDATE, user, changes=changed, message="platform account changed")
    return user


# --- Reading (operators) ---------------------------------------------------------------------------------


def _partners_prefetch() -> Prefetch:
    """A partnership's partner accounts with their users (``partnership.partners.all()``), by username."""
    return Prefetch(
        "partners",
        queryset=PlatformAccount.objects.select_related("user", "partnership").order_by("user__username"),
    )


def list_partnerships(actor, *, search: str | None = None):
    """Partnerships with their centers (prefetched), by name; operators only."""
    require_public_schema()
    _check_operator(actor)
    queryset = Partnership.objects.prefetch_related("centers", _partners_prefetch()).order_by("name", "id")
    text = (search or "").strip()
    if text:
        queryset = queryset.filter(name__icontains=text)
    return queryset


def get_partnership(actor, pk: int) -> Partnership:
    require_public_schema()
    _check_operator(actor)
    partnership = Partnership.objects.prefetch_related("centers", _partners_prefetch()).filter(pk=pk).first()
    if partnership is None:
        raise NotFound(_("There is no such partnership."), code="partnership_not_found", field="partnership")
    return partnership


def list_platform_accounts(actor, *, role=None, partnership=None, search: str | None = None, is_active=None):
    """Users with a platform role (operators, partners), by username; ``partnership``: a Partnership or its id."""
    require_public_schema()
    _check_operator(actor)
    queryset = (
        get_user_model()
        .objects.filter(platform_account__isnull=False)
        .select_related("platform_account__partnership")
        .order_by("username", "id")
    )
    role = getattr(role, "value", role)
    if role not in (None, ""):
        if role not in PlatformRole.values:
            raise ValidationFailed(
                _("“%(role)s” is not a platform role."), code="unknown_role", field="role", params={"role": role}
            )
        queryset = queryset.filter(platform_account__role=role)
    if partnership is not None:
        queryset = queryset.filter(platform_account__partnership=getattr(partnership, "pk", partnership))
    if is_active is not None:
        queryset = queryset.filter(is_active=is_active)
    text = (search or "").strip()
    if text:
        queryset = queryset.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    return queryset


def get_platform_account(actor, pk: int):
    require_public_schema()
    _check_operator(actor)
    user = (
        get_user_model()
        .objects.filter(pk=pk, platform_account__isnull=False)
        .select_related("platform_account__partnership")
        .first()
    )
    if user is None:
        raise NotFound(_("There is no such platform account."), code="account_not_found", field="account")
    return user
