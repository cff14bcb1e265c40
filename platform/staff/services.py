"""Staff accounts of a center. Every function runs inside the center's schema: the user table of that
schema holds the center's staff, so a username is unique per center and a login exists in one center only.

``actor=None`` is a system action (onboarding, the demo seeder) and needs no permission; any other actor
must be a center administrator or the director."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from ostoja.platform.accounts.validation import Errors, check_password, clean_email, clean_username, require_text
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import diff, record
from ostoja.platform.errors import Conflict, NotFound, ValidationFailed
from ostoja.platform.staff.access import require_role, staff_profile
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import Department, District, Team
from ostoja.tenants.configuration.phones import normalize_phone

# Who may manage staff accounts.
MANAGER_ROLES = (Role.ADMINISTRATOR, Role.DIRECTOR)

USER_FIELDS = ("username", "first_name", "last_name", "email", "preferred_language")
PROFILE_FIELDS = ("roles", "districts", "department", "team", "job_title", "phone")
LANGUAGES = ("pl", "en")


# --- helpers -----------------------------------------------------------------------------------


def require_center_schema() -> None:
    if connection.schema_name in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA):
        raise Conflict(
            _("Staff accounts exist only inside a center; this runs outside any center."), code="wrong_schema"
        )


def _check_manager(actor) -> None:
    if actor is None or (getattr(actor, "is_superuser", False) and actor.is_active):
        return
    require_role(actor, *MANAGER_ROLES)


def _lookup(model, value, *, by: str):
    """An object of ``model`` in this schema from an instance, a primary key or its ``by`` field."""
    if isinstance(value, models.Model):
        value = value.pk
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return model.objects.filter(pk=int(value)).first()
    if isinstance(value, str) and value.strip():
        return model.objects.filter(**{by: value.strip()}).first()
    return None


def _clean_roles(roles, errors: Errors) -> list[str]:
    if isinstance(roles, str):
        roles = [roles]
    cleaned: list[str] = []
    for role in roles or ():
        value = getattr(role, "value", role)
        if value not in Role.values:
            errors.add("roles", "unknown_role", _("“%(role)s” is not a staff role."), {"role": value})
        elif value not in cleaned:
            cleaned.append(value)
    if not cleaned and not errors.items:
        errors.add("roles", "role_required", _("A staff member needs at least one role."))
    return cleaned


def _clean_districts(districts, errors: Errors) -> list[District]:
    if isinstance(districts, District | str | int):
        districts = [districts]
    found = []
    for item in districts or ():
        district = _lookup(District, item, by="code")
        if district is None:
            errors.add("districts", "unknown_district", _("There is no district “%(district)s”."), {"district": item})
        elif district not in found:
            found.append(district)
    return found


def _clean_fk(model, value, field, by, errors: Errors, message):
    if value in (None, ""):
        return None
    obj = _lookup(model, value, by=by)
    if obj is None:
        errors.add(field, f"unknown_{field}", message, {"value": value})
    return obj


def _clean_phone(phone, errors: Errors) -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return normalize_phone(phone)
    except ValidationError as exc:
        errors.add("phone", "invalid_phone", exc.messages[0])
        return phone


def _state(user) -> dict:
    profile = getattr(user, "staff_profile", None)
    state = {name: getattr(user, name) for name in USER_FIELDS}
    state["is_active"] = user.is_active
    if profile is not None:
        state.update(
            roles=",".join(profile.roles),
            districts=",".join(sorted(d.code for d in profile.districts.all())),
            department=profile.department.code if profile.department_id else None,
            team=profile.team.name if profile.team_id else None,
            job_title=profile.job_title,
            phone=profile.phone,
        )
    return state


def _active_administrators(exclude_pk=None):
    return StaffProfile.objects.filter(roles__contains=[Role.ADMINISTRATOR], user__is_active=True).exclude(
        user_id=exclude_pk
    )


def _guard_last_administrator(user, *, loses_admin: bool) -> None:
    profile = getattr(user, "staff_profile", None)
    if not loses_admin or profile is None or Role.ADMINISTRATOR not in profile.roles or not user.is_active:
        return
    if not _active_administrators(exclude_pk=user.pk).exists():
        raise Conflict(
            _("This is the center's last active administrator; appoint another administrator first."),
            code="last_administrator",
        )


# --- services ----------------------------------------------------------------------------------


def _prepare_new(
    *,
    username,
    first_name,
    last_name,
    email="",
    roles,
    districts=(),
    department=None,
    team=None,
    job_title="",
    password=None,
    phone="",
    preferred_language="pl",
):
    """Check everything about a new staff member; returns the unsaved user, its profile and districts."""
    errors = Errors()
    username = clean_username(username, errors)
    first_name = require_text(first_name, "first_name", errors, _("The first name is required."))
    last_name = require_text(last_name, "last_name", errors, _("The last name is required."))
    email = clean_email(email, errors)
    roles = _clean_roles(roles, errors)
    district_objs = _clean_districts(districts, errors)
    department_obj = _clean_fk(
        Department, department, "department", "code", errors, _("There is no department “%(value)s”.")
    )
    team_obj = _clean_fk(Team, team, "team", "name", errors, _("There is no team “%(value)s”."))
    phone = _clean_phone(phone, errors)
    if preferred_language not in LANGUAGES:
        errors.add("preferred_language", "invalid_language", _("The language must be Polish or English."))
    if (
        Role.SOCIAL_WORKER in roles
        and not district_objs
        and not any(e.field == "districts" for e in errors.items)
        and _center_has_districts()
    ):
        errors.add(
            "districts",
            "district_required",
            _("A social worker must be assigned to at least one of the center's districts."),
        )
    user = get_user_model()(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        preferred_language=preferred_language,
        is_active=True,
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
    profile = StaffProfile(
        user=user,
        roles=roles,
        department=department_obj,
        team=team_obj,
        job_title=(job_title or "").strip(),
        phone=phone,
    )
    return user, profile, district_objs


def validate_new_staff_member(**fields) -> None:
    """ValidationFailed with every problem of ``create_staff_member(**fields)``, without writing anything
    (forms call it to show the errors next to their fields)."""
    require_center_schema()
    _prepare_new(**fields)


def create_staff_member(
    actor,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    roles: list[str],
    districts=(),
    department=None,
    team=None,
    job_title: str = "",
    password: str | None = None,
    phone: str = "",
    preferred_language: str = "pl",
):
    """Create a staff account of this center with its profile. ``password=None`` leaves the password
    unusable: send a set-password link (``set_password_link``) instead."""
    require_center_schema()
    _check_manager(actor)
    user, profile, district_objs = _prepare_new(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        roles=roles,
        districts=districts,
        department=department,
        team=team,
        job_title=job_title,
        password=password,
        phone=phone,
        preferred_language=preferred_language,
    )
    with transaction.atomic():
        user.save()
        profile.user = user
        profile.save()
        profile.districts.set(district_objs)
        user.staff_profile = profile
        record(
            actor,
            AuditAction.CREATE,
            user,
            changes=diff({}, _state(user)),
            message="staff member created" + ("" if password else " (no password yet)"),
        )
    return user


def _prepare_update(user, changes: dict):
    """Apply ``changes`` to fresh copies of the user and profile without saving; ValidationFailed or
    Conflict when the result breaks a rule. Returns (user, profile, districts, state before)."""
    allowed = set(USER_FIELDS) | set(PROFILE_FIELDS)
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed here: %(fields)s."),
            code="unknown_field",
            field=unknown[0],
            params={"fields": ", ".join(unknown)},
        )
    user = get_user_model().objects.select_related("staff_profile").get(pk=user.pk)
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        profile = StaffProfile(user=user, roles=[])
    before = _state(user)

    errors = Errors()
    if "username" in changes:
        user.username = clean_username(changes["username"], errors, exclude_pk=user.pk)
    if "first_name" in changes:
        user.first_name = require_text(changes["first_name"], "first_name", errors, _("The first name is required."))
    if "last_name" in changes:
        user.last_name = require_text(changes["last_name"], "last_name", errors, _("The last name is required."))
    if "email" in changes:
        user.email = clean_email(changes["email"], errors)
    if "preferred_language" in changes:
        if changes["preferred_language"] not in LANGUAGES:
            errors.add("preferred_language", "invalid_language", _("The language must be Polish or English."))
        user.preferred_language = changes["preferred_language"]
    new_roles = _clean_roles(changes["roles"], errors) if "roles" in changes else list(profile.roles)
    if "districts" in changes:
        new_districts = _clean_districts(changes["districts"], errors)
    else:
        new_districts = list(profile.districts.all()) if profile.pk else []
    if "department" in changes:
        profile.department = _clean_fk(
            Department, changes["department"], "department", "code", errors, _("There is no department “%(value)s”.")
        )
    if "team" in changes:
        profile.team = _clean_fk(Team, changes["team"], "team", "name", errors, _("There is no team “%(value)s”."))
    if "job_title" in changes:
        profile.job_title = (changes["job_title"] or "").strip()
    if "phone" in changes:
        profile.phone = _clean_phone(changes["phone"], errors)
    if (
        Role.SOCIAL_WORKER in new_roles
        and not new_districts
        and not any(e.field == "districts" for e in errors.items)
        and _center_has_districts()
    ):
        errors.add(
            "districts",
            "district_required",
            _("A social worker must be assigned to at least one of the center's districts."),
        )
    errors.raise_if_any()

    _guard_last_administrator(user, loses_admin=Role.ADMINISTRATOR not in new_roles)
    profile.roles = new_roles
    return user, profile, new_districts, before


def validate_staff_changes(user, **changes) -> None:
    """ValidationFailed/Conflict with every problem of ``update_staff_member(actor, user, **changes)``,
    without writing anything."""
    require_center_schema()
    _prepare_update(user, changes)


def update_staff_member(actor, user, **changes):
    """Change a staff member: any of username, first_name, last_name, email, preferred_language, roles,
    districts, department, team, job_title, phone. The rules of ``create_staff_member`` apply to the result."""
    require_center_schema()
    _check_manager(actor)
    user, profile, new_districts, before = _prepare_update(user, changes)
    with transaction.atomic():
        user.save()
        profile.save()
        profile.districts.set(new_districts)
        user.staff_profile = profile
        changed = diff(before, _state(user))
        if changed:
            record(actor, AuditAction.UPDATE, user, changes=changed, message="staff member changed")
    return user


def validate_deactivation(actor, user) -> None:
    """Conflict when ``actor`` may not deactivate ``user``: nobody deactivates themselves, and a center
    keeps at least one active administrator."""
    if actor is not None and actor.pk == user.pk:
        raise Conflict(_("You cannot deactivate your own account."), code="self_deactivation")
    _guard_last_administrator(user, loses_admin=True)


def deactivate_staff_member(actor, user):
    """Block the account: it can no longer log in and its open sessions stop working. Nothing is deleted;
    the records the person worked on keep their author. Deactivating twice changes nothing."""
    require_center_schema()
    _check_manager(actor)
    user = get_user_model().objects.select_related("staff_profile").get(pk=user.pk)
    if not user.is_active:
        return user
    validate_deactivation(actor, user)
    user.is_active = False
    with transaction.atomic():
        user.save(update_fields=["is_active"])
        record(
            actor, AuditAction.UPDATE, user, changes={"is_active": [True, False]}, message="staff member deactivated"
        )
    return user


def reactivate_staff_member(actor, user):
    """Undo ``deactivate_staff_member``."""
    require_center_schema()
    _check_manager(actor)
    user = get_user_model().objects.get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    with transaction.atomic():
        user.save(update_fields=["is_active"])
        record(
            actor, AuditAction.UPDATE, user, changes={"is_active": [False, True]}, message="staff member reactivated"
        )
    return user


def set_password_link(user, *, host: str) -> str:
    """An absolute one-time URL on ``host`` (``torun.localhost:8000``, or the platform host) where ``user``
    sets a password. It stops working once the password is set (Django's default_token_generator), after
    a successful login, and after PASSWORD_RESET_TIMEOUT. Works for platform accounts too; the user must
    belong to the schema that ``host`` serves."""
    if not user.is_active:
        raise Conflict(_("This account is deactivated."), code="inactive")
    host = (host or "").strip()
    if "://" in host:
        parts = urlsplit(host)
        scheme, host = parts.scheme, parts.netloc
    else:
        scheme = settings.OSTOJA_LINK_SCHEME
    if not host:
        raise ValidationFailed(_("A host name is required for the link."), code="host_required", field="host")
    path = reverse(
        "set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
        urlconf=settings.ROOT_URLCONF,
    )
    return f"{scheme}://{host}{path}"


def staff_members():
    """The center's staff, with their profiles, for lists."""
    require_center_schema()
    return (
        get_user_model()
        .objects.filter(staff_profile__isnull=False)
        .select_related("staff_profile", "staff_profile__department", "staff_profile__team")
        .prefetch_related("staff_profile__districts")
        .order_by("last_name", "first_name", "username")
    )


def _center_has_districts() -> bool:
    """A center without districts (Toruń, Gdańsk in the demo) has social workers for the whole city."""
    return District.objects.exists()


# --- reading (any staff member of the center) --------------------------------------------------


def _check_reader(actor) -> None:
    if actor is None or (getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False)):
        return
    staff_profile(actor)


def staff_profiles(actor, *, role=None, district=None, active: bool | None = None, search: str = ""):
    """The center's staff profiles for any staff member of the center, with their user, department, team and
    districts. ``role`` (a Role value), ``district`` (a District or its id), ``active`` and ``search`` (every
    word in the username, first or last name or e-mail) narrow the list."""
    require_center_schema()
    _check_reader(actor)
    queryset = StaffProfile.objects.select_related("user", "department", "team").prefetch_related("districts")
    if role:
        value = getattr(role, "value", role)
        if value not in Role.values:
            raise ValidationFailed(
                _("“%(role)s” is not a staff role."), code="unknown_role", field="role", params={"role": value}
            )
        queryset = queryset.filter(roles__contains=[value])
    if district is not None:
        district_obj = _lookup(District, district, by="code")
        if district_obj is None:
            raise NotFound(code="not_found", field="district")
        queryset = queryset.filter(districts=district_obj)
    if active is not None:
        queryset = queryset.filter(user__is_active=active)
    for word in (search or "").split():
        queryset = queryset.filter(
            models.Q(user__username__icontains=word)
            | models.Q(user__first_name__icontains=word)
            | models.Q(user__last_name__icontains=word)
            | models.Q(user__email__icontains=word)
        )
    return queryset.order_by("user__last_name", "user__first_name", "user__username", "pk")


def access_staff_member(actor, pk) -> StaffProfile:
    """One staff profile of this center by its primary key, for any staff member; NotFound otherwise."""
    require_center_schema()
    _check_reader(actor)
    profile = (
        StaffProfile.objects.select_related("user", "department", "team").prefetch_related("districts").filter(pk=pk)
    ).first()
    if profile is None:
        raise NotFound(code="not_found")
    return profile
