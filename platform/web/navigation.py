"""The main menu: which sections a user sees on this host. A section a user may not open is not shown
(the page itself still checks: the menu is a convenience, not the permission)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from ostoja.platform.accounts.services import is_operator, platform_role
from ostoja.platform.errors import PermissionDenied
from ostoja.platform.staff.access import READ_ONLY_ROLES, staff_profile
from ostoja.platform.staff.models import Role


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str
    roles: tuple[str, ...] | None = None  # None: every staff member / every account of the kind


_CASE_READERS = (
    Role.SOCIAL_WORKER,
    Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR,
    Role.BENEFITS_CLERK,
    Role.LEGAL_ADVISOR,
    *READ_ONLY_ROLES,
)
_FOSTER = (Role.FOSTER_CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.LEGAL_ADVISOR, *READ_ONLY_ROLES)
_PROJECTS = (Role.PROJECT_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, *READ_ONLY_ROLES)
_SETTINGS = (Role.ADMINISTRATOR, Role.DIRECTOR)

STAFF_SECTIONS = [
    Section("web:dashboard", pgettext_lazy("menu", "Dashboard")),
    Section("cases:persons", pgettext_lazy("menu", "Persons"), _CASE_READERS),
    Section("cases:cases", pgettext_lazy("menu", "Cases"), _CASE_READERS),
    Section("foster_care:index", pgettext_lazy("menu", "Foster care"), _FOSTER),
    Section("projects:index", pgettext_lazy("menu", "Projects"), _PROJECTS),
    Section("exports:index", pgettext_lazy("menu", "Exports")),
    Section("center_settings:index", pgettext_lazy("menu", "Center settings"), _SETTINGS),
]
PARTNER_SECTIONS = [Section("partners:dashboard", pgettext_lazy("menu", "Partner dashboard"))]
OPERATOR_SECTIONS = [
    Section("operators:centers", pgettext_lazy("menu", "Centers")),
    Section("partners:dashboard", pgettext_lazy("menu", "Partner dashboard")),
]
PUBLIC_SECTIONS = [Section("home", pgettext_lazy("menu", "Centers directory"))]


def _items(request, sections, roles=None) -> list[dict]:
    current = request.resolver_match
    items = []
    for section in sections:
        if section.roles is not None and roles is not None and not set(section.roles) & set(roles):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:  # a section not installed on this host
            continue
        active = bool(current) and _is_active(current, section.url_name)
        items.append({"url": url, "label": section.label, "active": active})
    return items


def _is_active(current, url_name: str) -> bool:
    """The section of the page shown: its namespace. Persons and cases share one namespace ("cases"):
    person pages (url names starting with "person") light up "Persons", the others "Cases"."""
    namespace = url_name.split(":")[0]
    if current.view_name == url_name:
        return True
    if current.namespace != namespace:
        return False
    if namespace != "cases":
        return True
    is_person_page = (current.url_name or "").startswith("person")
    return is_person_page == (url_name == "cases:persons")


def navigation(request) -> dict:
    """Context processor: ``nav`` (menu items) and ``staff`` (the caller's profile on a center host)."""
    user = getattr(request, "user", None)
    center = getattr(request, "center", None)
    if user is None or not user.is_authenticated:
        return {"nav": [] if center is not None else _items(request, PUBLIC_SECTIONS)}
    if center is not None:
        try:
            profile = getattr(request, "staff", None) or staff_profile(user)
        except PermissionDenied:
            return {"nav": []}
        return {"nav": _items(request, STAFF_SECTIONS, profile.roles), "staff": profile}
    if is_operator(user):
        return {"nav": _items(request, PUBLIC_SECTIONS + OPERATOR_SECTIONS)}
    if platform_role(user) == "partner":
        return {"nav": _items(request, PUBLIC_SECTIONS + PARTNER_SECTIONS)}
    return {"nav": _items(request, PUBLIC_SECTIONS)}
