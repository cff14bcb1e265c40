"""Role checks for the service layer: fetch the caller's staff profile and check it in one step."""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ostoja.platform.errors import PermissionDenied
from ostoja.platform.staff.models import Role, StaffProfile

# Roles that may read everything in a module but never change it.
READ_ONLY_ROLES = {Role.AUDITOR}


def staff_profile(user) -> StaffProfile:
    """The caller's profile in the current center's schema, or PermissionDenied."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Log in to a center account first."), code="not_authenticated")
    cached = getattr(user, "_ostoja_staff_profile", None)
    if cached is not None:
        return cached
    # The district ids come with the profile (one statement): district scoping needs them on most requests.
    profile = (
        StaffProfile.objects.filter(user=user)
        .annotate(_district_ids=ArrayAgg("districts__id", filter=Q(districts__isnull=False)))
        .first()
    )
    if profile is None:
        raise PermissionDenied(_("This account is not a staff member of this center."), code="not_staff")
    profile._ostoja_district_ids = frozenset(profile._district_ids or ())
    user._ostoja_staff_profile = profile
    return profile


def require_role(user, *roles: str, write: bool = True) -> StaffProfile:
    """PermissionDenied unless the user has one of ``roles``. With ``write=False`` the auditor passes too."""
    profile = staff_profile(user)
    allowed = set(roles) | (READ_ONLY_ROLES if not write else set())
    if not any(role in allowed for role in profile.roles):
        names = _role_names(tuple(roles))  # lazy: rendered in the language of whoever reads the message
        raise PermissionDenied(
            _("This requires one of the roles: %(roles)s."), code="role_required", params={"roles": names}
        )
    return profile


def _join_role_labels(roles: tuple[str, ...]) -> str:
    return ", ".join(str(Role(r).label) for r in roles)


_role_names = lazy(_join_role_labels, str)


def district_ids(profile: StaffProfile) -> set[int]:
    cached = getattr(profile, "_ostoja_district_ids", None)
    if cached is not None:
        return set(cached)
    return set(profile.districts.values_list("id", flat=True))
