"""Center settings pages (namespace "center_settings"): the center's general settings, districts with their streets
and a street lookup tester, hours by kind with closures, departments, addresses, contacts, teams, and staff accounts
with their roles. For the center's administrators and the director; every change goes through the configuration and
staff services (the same calls as the GraphQL mutations), which check the role again, validate and audit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record
from ostoja.platform.errors import ServiceError
from ostoja.platform.staff import services as staff_services
from ostoja.platform.staff.models import Role
from ostoja.platform.web.access import staff_page
from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.calendar import holiday_name, is_public_holiday
from ostoja.tenants.configuration.models import (
    Address,
    Closure,
    Contact,
    Department,
    District,
    DistrictStreet,
    HoursKind,
    Schedule,
    ScheduleRule,
    Team,
    Weekday,
)
from ostoja.tenants.configuration.settings_forms import (
    AddressForm,
    ClosureFilterForm,
    ClosureForm,
    ContactForm,
    DepartmentForm,
    DistrictForm,
    GeneralSettingsForm,
    HoursCheckForm,
    LookupForm,
    RuleEditForm,
    RuleForm,
    ScheduleEditForm,
    ScheduleForm,
    StaffFilterForm,
    StaffForm,
    StreetForm,
    StreetMoveForm,
    TeamForm,
    submit,
)

settings_page = staff_page(*services.WRITE_ROLES, write=True)
PAGE_SIZE = 30
LINK_SESSION_KEY = "center_settings.set_password_link"


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _show(request, template: str, section: str, context: dict, status: int = 200):
    return render(request, f"center_settings/{template}", {"section": section, **context}, status=status)


# --- overview and the general settings -----------------------------------------------------------------------


@settings_page
def index(request):
    actor = request.user
    today = timezone.localdate()
    context = {
        "settings_row": services.read_settings(actor),
        "counts": {
            "districts": services.districts(actor).count(),
            "streets": DistrictStreet.objects.count(),
            "schedules": services.schedules(actor).count(),
            "departments": services.departments(actor).count(),
            "addresses": services.addresses(actor).count(),
            "contacts": services.contacts(actor).count(),
            "teams": services.teams(actor).count(),
            "staff": staff_services.staff_profiles(actor, active=True).count(),
        },
        "closures": list(services.closures(actor, date_from=today)[:5]),
    }
    return _show(request, "index.html", "index", context)


@settings_page
def general(request):
    actor = request.user
    row = services.read_settings(actor)
    form = GeneralSettingsForm(request.POST or None, initial=GeneralSettingsForm.initial_from(row))
    if request.method == "POST" and form.is_valid():
        ok, _result = submit(form, lambda: services.update_settings(actor, **form.values()))
        if ok:
            messages.success(request, _("The center settings were saved."))
            return redirect("center_settings:index")
    return _show(request, "general.html", "general", {"form": form})


# --- generic create / edit / delete of a configuration object ---------------------------------------------------


@dataclass(frozen=True)
class Editable:
    """How the generic pages create, change and delete one kind of configuration object."""

    model: type[models.Model]
    form: type
    section: str
    back: Callable  # (obj or None, parent or None) -> URL of the page to return to
    create: Callable | None = None  # (actor, data) -> obj
    update: Callable | None = None  # (actor, obj, data) -> obj
    delete: Callable | None = None  # (actor, obj) -> None
    fields: tuple[str, ...] = ()
    edit_form: type | None = None
    delete_warning: str = ""
    new_title: str = ""
    initial: Callable | None = None  # (request) -> dict of a new object's form

    def initial_from(self, obj) -> dict:
        """The form's initial values from ``obj``: related objects by primary key, many-to-many as lists."""
        form_class = self.edit_form or self.form
        model_fields = {field.name: field for field in obj._meta.get_fields()}
        values = {}
        for name in form_class.base_fields:
            field = model_fields.get(name)
            if field is None:
                continue
            if field.many_to_many:
                values[name] = list(getattr(obj, name).all())
            elif field.is_relation:
                values[name] = getattr(obj, field.attname)
            else:
                values[name] = getattr(obj, name)
        return values


def _label(obj) -> str:
    return str(obj)


@settings_page
def object_create(request, spec: Editable):
    actor = request.user
    initial = spec.initial(request) if spec.initial else None
    form = spec.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, obj = submit(form, lambda: spec.create(actor, form.values()))
        if ok:
            messages.success(
                request,
                _("%(what)s “%(object)s” was added.")
                % {"what": str(spec.model._meta.verbose_name).capitalize(), "object": _label(obj)},
            )
            return redirect(spec.back(obj, None))
    title = spec.new_title
    context = {"form": form, "title": title, "back_url": spec.back(None, None)}
    return _show(request, "object_form.html", spec.section, context)


@settings_page
def object_edit(request, spec: Editable, pk):
    actor = request.user
    obj = services.access(actor, spec.model, pk)
    form_class = spec.edit_form or spec.form
    form = form_class(request.POST or None, initial=spec.initial_from(obj))
    if request.method == "POST" and form.is_valid():
        ok, obj = submit(form, lambda: spec.update(actor, obj, form.values()))
        if ok:
            messages.success(request, _("“%(object)s” was saved.") % {"object": _label(obj)})
            return redirect(spec.back(obj, None))
    title = gettext("Change %(what)s “%(object)s”") % {"what": spec.model._meta.verbose_name, "object": _label(obj)}
    context = {"form": form, "title": title, "back_url": spec.back(obj, None), "object": obj}
    return _show(request, "object_form.html", spec.section, context)


@settings_page
def object_delete(request, spec: Editable, pk):
    actor = request.user
    obj = services.access(actor, spec.model, pk)
    back = spec.back(obj, None)
    if request.method == "POST":
        label = _label(obj)
        after = spec.back(None, _parent_of(obj))
        try:
            spec.delete(actor, obj)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, _("“%(object)s” was deleted.") % {"object": label})
        return redirect(after)
    context = {
        "object": obj,
        "what": spec.model._meta.verbose_name,
        "warning": spec.delete_warning,
        "back_url": back,
    }
    return _show(request, "confirm_delete.html", spec.section, context)


def _parent_of(obj):
    if isinstance(obj, DistrictStreet):
        return obj.district
    if isinstance(obj, ScheduleRule):
        return obj.schedule
    return None


def _url(name, *args):
    return reverse(f"center_settings:{name}", args=args)


def _district_back(obj, parent):
    district = parent or getattr(obj, "district", None)
    if isinstance(obj, District):
        return _url("district", obj.pk)
    return _url("district", district.pk) if district is not None else _url("districts")


def _schedule_back(obj, parent):
    if isinstance(obj, Schedule):
        return _url("schedule", obj.pk)
    schedule = parent or getattr(obj, "schedule", None)
    return _url("schedule", schedule.pk) if schedule is not None else _url("hours")


def _team_data(data):
    data = dict(data)
    data["districts"] = list(data.get("districts") or [])
    return data


def _schedule_initial(request):
    initial = {}
    if request.GET.get("kind") in HoursKind.values:
        initial["kind"] = request.GET["kind"]
    if (request.GET.get("district") or "").isdigit():
        initial["district"] = int(request.GET["district"])
    return initial


ADDRESS = Editable(
    Address,
    AddressForm,
    "addresses",
    back=lambda obj, parent: _url("addresses"),
    create=lambda actor, data: services.create_address(actor, **data),
    update=lambda actor, obj, data: services.update_address(actor, obj, **data),
    delete=services.delete_address,
    delete_warning=_("Its contacts are deleted with it; its departments keep no address."),
    new_title=_("New address"),
)
CONTACT = Editable(
    Contact,
    ContactForm,
    "contacts",
    back=lambda obj, parent: _url("contacts"),
    create=lambda actor, data: services.create_contact(actor, **data),
    update=lambda actor, obj, data: services.update_contact(actor, obj, **data),
    delete=services.delete_contact,
    new_title=_("New contact"),
)
DEPARTMENT = Editable(
    Department,
    DepartmentForm,
    "departments",
    back=lambda obj, parent: _url("departments"),
    create=lambda actor, data: services.create_department(actor, **data),
    update=lambda actor, obj, data: services.update_department(actor, obj, **data),
    delete=services.delete_department,
    delete_warning=_("Its contacts are deleted with it; its teams and staff keep no department."),
    new_title=_("New department"),
)
TEAM = Editable(
    Team,
    TeamForm,
    "teams",
    back=lambda obj, parent: _url("teams"),
    create=lambda actor, data: services.create_team(actor, **_team_data(data)),
    update=lambda actor, obj, data: services.update_team(actor, obj, **_team_data(data)),
    delete=services.delete_team,
    delete_warning=_("Its staff members keep no team."),
    new_title=_("New social-work team"),
)
DISTRICT = Editable(
    District,
    DistrictForm,
    "districts",
    back=lambda obj, parent: _url("district", obj.pk) if obj is not None else _url("districts"),
    create=lambda actor, data: services.create_district(actor, **data),
    update=lambda actor, obj, data: services.update_district(actor, obj, **data),
    delete=services.delete_district,
    delete_warning=_(
        "Its streets and its own schedules are deleted with it. Persons and staff of the district keep no district."
    ),
    new_title=_("New district"),
)
STREET = Editable(
    DistrictStreet,
    StreetMoveForm,
    "districts",
    back=_district_back,
    update=lambda actor, obj, data: services.update_district_street(actor, obj, **data),
    delete=services.delete_district_street,
)
SCHEDULE = Editable(
    Schedule,
    ScheduleForm,
    "hours",
    back=lambda obj, parent: _url("schedule", obj.pk) if obj is not None else _url("hours"),
    create=lambda actor, data: services.create_schedule(actor, **data),
    update=lambda actor, obj, data: services.update_schedule(actor, obj, **data),
    delete=services.delete_schedule,
    edit_form=ScheduleEditForm,
    delete_warning=_("Its weekly hours are deleted with it."),
    new_title=_("New schedule"),
    initial=_schedule_initial,
)
RULE = Editable(
    ScheduleRule,
    RuleEditForm,
    "hours",
    back=_schedule_back,
    update=lambda actor, obj, data: services.update_schedule_rule(actor, obj, **data),
    delete=services.delete_schedule_rule,
)
CLOSURE = Editable(
    Closure,
    ClosureForm,
    "closures",
    back=lambda obj, parent: _url("closures"),
    create=lambda actor, data: services.create_closure(actor, **data),
    update=lambda actor, obj, data: services.update_closure(actor, obj, **data),
    delete=services.delete_closure,
    new_title=_("New closure or shortened day"),
)


# --- lists ------------------------------------------------------------------------------------------------------


@settings_page
def addresses(request):
    items = services.addresses(request.user).prefetch_related("departments", "contacts")
    return _show(request, "addresses.html", "addresses", {"addresses": items})


@settings_page
def contacts(request):
    items = services.contacts(request.user)
    return _show(request, "contacts.html", "contacts", {"contacts": items})


@settings_page
def departments(request):
    items = services.departments(request.user)
    return _show(request, "departments.html", "departments", {"departments": items})


@settings_page
def teams(request):
    items = services.teams(request.user)
    return _show(request, "teams.html", "teams", {"teams": items})


# --- districts ---------------------------------------------------------------------------------------------------


def _workers_by_district(actor) -> dict[int, list]:
    """Active social workers of each district (one query)."""
    workers: dict[int, list] = {}
    for profile in staff_services.staff_profiles(actor, role=Role.SOCIAL_WORKER, active=True):
        for district in profile.districts.all():
            workers.setdefault(district.pk, []).append(profile)
    return workers


@settings_page
def districts(request):
    actor = request.user
    search = (request.GET.get("search") or "").strip()
    items = list(services.districts(actor, search=search))
    workers = _workers_by_district(actor)
    rows = [{"district": d, "streets": len(d.streets.all()), "workers": workers.get(d.pk, [])} for d in items]
    context = {"rows": rows, "search": search, "lookup_form": LookupForm()}
    return _show(request, "districts.html", "districts", context)


@settings_page
def district(request, pk):
    actor = request.user
    obj = services.access(actor, District, pk)
    form = StreetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, street = submit(form, lambda: services.add_district_street(actor, obj, **form.values()))
        if ok:
            messages.success(
                request, _("“%(street)s” was added to %(district)s.") % {"street": street, "district": obj}
            )
            return redirect("center_settings:district", pk=obj.pk)
    context = {
        "district": obj,
        "streets": obj.streets.all(),
        "workers": staff_services.staff_profiles(actor, district=obj.pk, active=True),
        "schedules": services.schedules(actor, district=obj.pk),
        "teams": obj.teams.all(),
        "form": form,
    }
    return _show(request, "district.html", "districts", context)


@settings_page
def lookup(request):
    """Which district (and which social workers) serve an address, by the lookup the case services use."""
    actor = request.user
    form = LookupForm(request.GET if "street" in request.GET else None)
    result, entries = None, []
    if form.is_bound and form.is_valid():
        ok, result = submit(
            form,
            lambda: services.find_district(actor, form.cleaned_data["street"], form.cleaned_data["number"] or None),
        )
        if ok:
            workers = _workers_by_district(actor)
            entries = [{"district": d, "workers": workers.get(d.pk, [])} for d in result.candidates]
    return _show(request, "lookup.html", "districts", {"form": form, "result": result, "entries": entries})


# --- hours ------------------------------------------------------------------------------------------------------


def _week(schedule) -> list[tuple[str, list]]:
    days: dict[int, list] = {}
    for rule in schedule.rules.all():
        days.setdefault(rule.weekday, []).append(rule)
    return [(Weekday(day).label, days[day]) for day in sorted(days)]


@settings_page
def hours(request):
    actor = request.user
    schedules = list(services.schedules(actor))
    kinds = []
    for value, label in HoursKind.choices:
        of_kind = [s for s in schedules if s.kind == value]
        kinds.append(
            {
                "value": value,
                "label": label,
                "schedules": [{"schedule": s, "week": _week(s)} for s in of_kind],
                "has_general": any(s.district_id is None for s in of_kind),
            }
        )
    today = timezone.localdate()
    check_form = HoursCheckForm(request.GET if "day" in request.GET else None, initial={"day": today})
    check = None
    if check_form.is_bound and check_form.is_valid():
        data = check_form.cleaned_data
        ok, intervals = submit(
            check_form, lambda: services.hours_on(actor, data["kind"], data["day"], district=data["district"])
        )
        if ok:
            check = _explain(actor, data, intervals)
    context = {
        "kinds": kinds,
        "closures": list(services.closures(actor, date_from=today, date_to=today + timedelta(days=90))[:10]),
        "check_form": check_form,
        "check": check,
        "has_districts": District.objects.exists(),
    }
    return _show(request, "hours.html", "hours", context)


def _explain(actor, data, intervals) -> dict:
    """The hours of a day, and why it is closed when it is: a public holiday, a closure, or no weekly hours."""
    day, kind = data["day"], data["kind"]
    row = services.read_settings(actor)
    reason = ""
    closure = services.closures(actor, date_from=day, date_to=day, kind=kind).first()
    if row.observe_public_holidays and is_public_holiday(day):
        reason = gettext("public holiday: %(name)s") % {"name": holiday_name(day)}
    elif closure is not None:
        if closure.closes_early_at is None:
            reason = gettext("closed: %(reason)s") % {"reason": closure.reason_display}
        else:
            reason = gettext("closes early at %(time)s: %(reason)s") % {
                "time": f"{closure.closes_early_at:%H:%M}",
                "reason": closure.reason_display,
            }
    return {
        "day": day,
        "kind": HoursKind(kind).label,
        "district": data["district"],
        "intervals": intervals,
        "reason": reason,
    }


@settings_page
def schedule(request, pk):
    actor = request.user
    obj = services.access(actor, Schedule, pk)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add_rules():
            return [
                services.add_schedule_rule(actor, obj, weekday=day, opens=data["opens"], closes=data["closes"])
                for day in data["weekdays"]
            ]

        ok, rules = submit(form, add_rules, fields={"weekday": "weekdays"})
        if ok:
            messages.success(request, _("The opening hours were added."))
            return redirect("center_settings:schedule", pk=obj.pk)
    obj = services.schedules(actor).get(pk=obj.pk)
    today = timezone.localdate()
    context = {
        "schedule": obj,
        "rules": obj.rules.all(),
        "form": form,
        "closures": list(services.closures(actor, date_from=today, kind=obj.kind)[:10]),
    }
    return _show(request, "schedule.html", "hours", context)


@settings_page
def closures(request):
    actor = request.user
    today = timezone.localdate()
    bound = any(name in request.GET for name in ClosureFilterForm.base_fields)
    form = ClosureFilterForm(request.GET if bound else None, initial={"date_from": today})
    default = {"date_from": today, "date_to": None, "kind": ""}
    data = form.cleaned_data if form.is_bound and form.is_valid() else default
    ok, queryset = submit(
        form,
        lambda: services.closures(actor, date_from=data["date_from"], date_to=data["date_to"], kind=data["kind"]),
        fields={"to": "date_to"},
    )
    page_obj = _page(request, queryset if ok else Closure.objects.none())
    return _show(request, "closures.html", "closures", {"form": form, "page_obj": page_obj})


# --- staff ------------------------------------------------------------------------------------------------------


@settings_page
def staff(request):
    actor = request.user
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    active = {"yes": True, "no": False}.get(filters.get("active") or "")
    district = filters.get("district")
    queryset = staff_services.staff_profiles(
        actor,
        role=filters.get("role") or None,
        district=district.pk if district else None,
        active=active,
        search=filters.get("search") or "",
    )
    page_obj = _page(request, queryset)
    for profile in page_obj:
        _label_roles(profile)
    return _show(request, "staff.html", "staff", {"form": form, "page_obj": page_obj})


def _label_roles(profile):
    profile.role_labels = [Role(role).label for role in profile.roles if role in Role.values]
    return profile


def _keep_link(request, profile, link: str) -> None:
    """The one-time set-password link, shown once on the staff member's page (kept in the server-side session).
    Issuing it is audited on the account: whoever uses it can act as that person."""
    request.session[LINK_SESSION_KEY] = {"profile": profile.pk, "link": link}
    record(request.user, AuditAction.UPDATE, profile.user, message="one-time set-password link issued")


@settings_page
def staff_create(request):
    actor = request.user
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, user = submit(form, lambda: staff_services.create_staff_member(actor, **form.data_for_service()))
        if ok:
            link = staff_services.set_password_link(user, host=f"{request.scheme}://{request.get_host()}")
            _keep_link(request, user.staff_profile, link)
            messages.success(request, _("The account “%(username)s” was created.") % {"username": user.username})
            return redirect("center_settings:staff_member", pk=user.staff_profile.pk)
    context = {"form": form, "title": _("New staff member"), "back_url": _url("staff")}
    return _show(request, "staff_form.html", "staff", context)


@never_cache
@settings_page
def staff_member(request, pk):
    profile = staff_services.access_staff_member(request.user, pk)
    kept = request.session.get(LINK_SESSION_KEY)
    link = None
    if kept and kept.get("profile") == profile.pk:
        link = kept["link"]
        del request.session[LINK_SESSION_KEY]
    _label_roles(profile)
    context = {"profile": profile, "member": profile.user, "link": link, "is_me": profile.user_id == request.user.pk}
    return _show(request, "staff_member.html", "staff", context)


@settings_page
def staff_edit(request, pk):
    actor = request.user
    profile = staff_services.access_staff_member(actor, pk)
    form = StaffForm(request.POST or None, initial=StaffForm.initial_from(profile))
    if request.method == "POST" and form.is_valid():
        ok, user = submit(
            form, lambda: staff_services.update_staff_member(actor, profile.user, **form.data_for_service())
        )
        if ok:
            messages.success(request, _("The account “%(username)s” was saved.") % {"username": user.username})
            return redirect("center_settings:staff_member", pk=profile.pk)
    title = gettext("Change %(name)s") % {"name": profile}
    context = {"form": form, "title": title, "back_url": _url("staff_member", profile.pk), "profile": profile}
    return _show(request, "staff_form.html", "staff", context)


@settings_page
def staff_deactivate(request, pk):
    actor = request.user
    profile = staff_services.access_staff_member(actor, pk)
    if request.method == "POST":
        try:
            staff_services.deactivate_staff_member(actor, profile.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The account “%(username)s” was deactivated.") % {"username": profile.user})
        return redirect("center_settings:staff_member", pk=profile.pk)
    context = {"profile": profile, "back_url": _url("staff_member", profile.pk)}
    return _show(request, "staff_deactivate.html", "staff", context)


@require_POST
@settings_page
def staff_reactivate(request, pk):
    actor = request.user
    profile = staff_services.access_staff_member(actor, pk)
    staff_services.reactivate_staff_member(actor, profile.user)
    messages.success(request, _("The account “%(username)s” was reactivated.") % {"username": profile.user})
    return redirect("center_settings:staff_member", pk=profile.pk)


@require_POST
@settings_page
def staff_link(request, pk):
    actor = request.user
    profile = staff_services.access_staff_member(actor, pk)
    try:
        link = staff_services.set_password_link(profile.user, host=f"{request.scheme}://{request.get_host()}")
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        _keep_link(request, profile, link)
    return redirect("center_settings:staff_member", pk=profile.pk)
