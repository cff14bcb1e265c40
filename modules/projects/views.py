"""Project pages of a center host (namespace "projects"): the list, a project with its targets, funding,
partners and participants, a participant, the recorded achievements, and the forms that change them.

Every read and write goes through ``ostoja.modules.projects.services`` (the same calls as
``graphql/staff/projects``); the pages check the project roles first (the auditor reads, never writes), the
services check again. Rows of participants shown are audited as reads of their persons."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ostoja.modules.cases import selectors as case_selectors
from ostoja.modules.cases import services as case_services
from ostoja.modules.cases.models import Person
from ostoja.modules.projects import services
from ostoja.modules.projects.forms import (
    STATUS_LABELS,
    AchievementFilterForm,
    AchievementForm,
    EnrolForm,
    ExitForm,
    FundingSourceForm,
    NewProjectForm,
    ParticipantFilterForm,
    ParticipantForm,
    PartnerForm,
    PersonSearchForm,
    ProjectFilterForm,
    ProjectForm,
    StatusForm,
    TargetForm,
)
from ostoja.modules.projects.models import Characteristic, Project, ProjectStatus, TargetMeasure
from ostoja.platform.errors import NotFound, ServiceError, ValidationFailed
from ostoja.platform.staff.access import require_role
from ostoja.platform.web.access import staff_page
from ostoja.platform.web.forms import add_service_error, submit

ROLES = services.PROJECT_ROLES
ENROLLABLE_SESSION_KEY = "projects.enrollable"  # persons this session found by their full PESEL
PAGE_SIZE = 25
STATUS_BADGES = {
    ProjectStatus.PLANNED: "muted",
    ProjectStatus.RUNNING: "ok",
    ProjectStatus.FINISHED: "warn",
    ProjectStatus.SETTLED: "ok",
    ProjectStatus.CANCELLED: "bad",
}


# --- helpers --------------------------------------------------------------------------------------


def _may_write(request) -> bool:
    return request.staff.has_role(*ROLES)


def _require_write(request) -> None:
    """PermissionDenied (a 403 page) for the auditor and anybody else who may only read."""
    require_role(request.user, *ROLES, write=True)


def _attr(value: Decimal) -> str:
    """A number for an HTML attribute: plain digits with a dot, no exponent, no trailing zeros."""
    text = format(Decimal(value).normalize(), "f")
    return text


def _number(value) -> Decimal:
    """A Decimal without trailing zeros (2.50 → 2.5, 40.00 → 40), for display (localised by the template)."""
    return Decimal(_attr(value))


def _with_display(achievements) -> list:
    achievements = list(achievements)
    for achievement in achievements:
        achievement.value_display = _number(achievement.value)
    return achievements


def _progress(target) -> dict:
    """What a target's progress bar shows: ``achieved`` and ``planned`` as the service computed them; the
    ``value`` attribute stays within ``max`` (HTML requires it), the label tells the real figures."""
    achieved = Decimal(target.achieved or 0)
    planned = target.target_value
    return {
        "target": target,
        "achieved": _number(achieved),
        "planned": _number(planned),
        "percent": target.progress_percent if target.achieved is not None else Decimal(0),
        "value_attr": _attr(min(achieved, planned)),
        "max_attr": _attr(planned),
        "reached": achieved >= planned,
    }


def _overall(rows: list[dict]) -> Decimal | None:
    """A project's overall progress: the mean of its targets' percentages, each counted up to 100."""
    if not rows:
        return None
    total = sum((min(row["percent"], Decimal(100)) for row in rows), Decimal(0))
    return (total / len(rows)).quantize(Decimal("0.1"))


def _badge(project) -> str:
    return STATUS_BADGES.get(project.status, "muted")


def _status_label(project) -> str:
    return str(STATUS_LABELS[ProjectStatus(project.status)])


def _project_url(project, anchor: str = "") -> str:
    url = reverse("projects:project", args=[project.pk])
    return f"{url}#{anchor}" if anchor else url


def _paginate(request, queryset, size=PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def _in_project(obj_project_id, project) -> None:
    """NotFound unless an object named in a form belongs to the project of the page."""
    if obj_project_id != project.pk:
        raise NotFound(_("There is no such item in this project."), code="not_found")


# --- list and create ------------------------------------------------------------------------------


@staff_page(*ROLES)
def index(request):
    filters = ProjectFilterForm(request.GET or None)
    projects = Project.objects.none()
    if not filters.is_bound or filters.is_valid():
        data = filters.cleaned_data if filters.is_bound else {}
        try:
            projects = services.projects_queryset(
                request.user,
                status=data.get("status") or None,
                funding_kind=data.get("funding_kind") or None,
                active_from=data.get("active_from"),
                active_to=data.get("active_to"),
                search=data.get("search") or "",
            ).order_by(*filters.ordering())
        except ValidationFailed as exc:
            add_service_error(filters, exc)
    page = _paginate(request, projects)
    rows = []
    for project in page.object_list:
        targets = [_progress(t) for t in services.related_of(project, "targets")]
        rows.append(
            {
                "project": project,
                "badge": _badge(project),
                "status_label": _status_label(project),
                "funding": services.related_of(project, "funding_sources"),
                "targets": targets,
                "reached": sum(1 for t in targets if t["reached"]),
                "overall": _overall(targets),
            }
        )
    filtered = filters.is_bound and any(v not in ("", None) for k, v in filters.data.items() if k != "page")
    return render(
        request,
        "projects/index.html",
        {"filters": filters, "page_obj": page, "rows": rows, "may_write": _may_write(request), "filtered": filtered},
    )


@staff_page(*ROLES, write=True)
def create(request):
    form = NewProjectForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        ok, project = submit(
            form, lambda: services.create_project(request.user, **form.service_data()), fields=form.SERVICE_FIELDS
        )
        if ok:
            messages.success(request, _("The project %(code)s has been registered.") % {"code": project.code})
            return redirect(_project_url(project))
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@staff_page(*ROLES, write=True)
def edit(request, project_id):
    project = services.access_project(request.user, project_id, write=True)
    closed = project.status in services.CLOSED_STATUSES
    form = ProjectForm(request.POST or None, actor=request.user, initial=ProjectForm.initial_for(project))
    if request.method == "POST" and not closed and form.is_valid():
        ok, _result = submit(
            form,
            lambda: services.update_project(request.user, project.pk, **form.service_data()),
            fields=form.SERVICE_FIELDS,
        )
        if ok:
            messages.success(request, _("The project's data has been saved."))
            return redirect(_project_url(project))
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "closed": closed, "status_label": _status_label(project)},
    )


# --- the project page -----------------------------------------------------------------------------


@staff_page(*ROLES)
def project(request, project_id):
    project = services.get_project(request.user, project_id)
    bound: dict = {}
    if request.method == "POST":
        _require_write(request)
        handler = ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            return HttpResponseBadRequest(_("Unknown action."))
        result = handler(request, project)
        if not isinstance(result, dict):
            return result
        bound = result
    return _project_page(request, project, bound)


def _project_page(request, project, bound: dict):
    user = request.user
    targets = services.related_of(project, "targets")
    rows = [_progress(t) for t in targets]
    open_project = project.status not in services.CLOSED_STATUSES
    may_change = _may_write(request) and open_project

    participant_filters = ParticipantFilterForm(request.GET)
    participant_filters.is_valid()
    criteria = participant_filters.cleaned_data
    participants = services.participants_queryset(
        user,
        project_id=project.pk,
        status=criteria.get("participants") or None,
        search=criteria.get("q") or "",
    ).order_by("person__last_name", "person__first_name", "id")
    page = _paginate(request, participants)
    services.record_participant_reads(user, page.object_list)

    context = {
        "project": project,
        "badge": _badge(project),
        "status_label": _status_label(project),
        "targets": rows,
        "overall": _overall(rows),
        "reached": sum(1 for row in rows if row["reached"]),
        "has_recorded_targets": any(t.measure == TargetMeasure.RECORDED for t in targets),
        "funding": services.related_of(project, "funding_sources"),
        "partners": services.related_of(project, "partners"),
        "participant_filters": participant_filters,
        "page_obj": page,
        "recent_achievements": _with_display(
            services.achievements_queryset(user, project_id=project.pk).order_by("-achieved_on", "-id")[:5]
        ),
        "may_write": _may_write(request),
        "may_change": may_change,
        "open_project": open_project,
        "next_statuses": bool(services.STATUS_TRANSITIONS[ProjectStatus(project.status)]),
    }
    if _may_write(request):
        # The status can still move on for a finished project; the other forms only while it is open.
        context["status_form"] = bound.get("status") or StatusForm(prefix="status", project=project)
    if may_change:
        context.update(_change_forms(request, project, targets, bound))
    return render(request, "projects/project.html", context)


def _change_forms(request, project, targets, bound: dict) -> dict:
    search = PersonSearchForm(request.GET)
    found = None
    if search.is_valid() and search.cleaned_data["find"]:
        found = _find_persons(request, search.cleaned_data["find"])
    chosen = None
    initial = {}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
        chosen = _visible_person(request, initial["person"])
    today = datetime.date.today()
    if project.contains(today):
        initial["enrolled_on"] = today
    target_id = request.GET.get("target", "")
    return {
        "person_search": search,
        "found_persons": found,
        "chosen_person": chosen,
        "searches_register": request.staff.has_role(*case_services.READ_ROLES),
        "enrol_form": bound.get("enrol") or EnrolForm(prefix="enrol", initial=initial),
        "achievement_form": bound.get("achievement")
        or AchievementForm(
            prefix="achievement",
            targets=targets,
            initial={"target": int(target_id) if target_id.isdigit() else None, "achieved_on": today},
        ),
        "target_form": bound.get("target") or TargetForm(prefix="target"),
        "funding_form": bound.get("funding") or FundingSourceForm(prefix="funding"),
        "partner_form": bound.get("partner") or PartnerForm(prefix="partner"),
    }


def _find_persons(request, term: str) -> list:
    """Persons to enrol: from the register for staff who may read it (social workers within their districts),
    otherwise among the participants of the center's projects (what the projects service lets its roles
    see). Every person shown is audited as read."""
    if request.staff.has_role(*case_services.READ_ROLES):
        persons = list(case_selectors.persons(request.user, search=term).order_by("last_name", "first_name", "id")[:10])
        case_selectors.record_person_reads(request.user, persons, message="project enrolment search")
        return persons
    by_pesel = _person_by_full_pesel(request, term)
    if by_pesel is not None:
        return [by_pesel]
    first: dict = {}
    rows = services.participants_queryset(request.user, search=term).order_by(
        "person__last_name", "person__first_name", "person_id", "id"
    )
    for row in rows[:100]:
        first.setdefault(row.person_id, row)
    chosen = list(first.values())[:10]
    services.record_participant_reads(request.user, chosen)
    return [row.person for row in chosen]


def _person_by_full_pesel(request, term: str):
    """A project coordinator without access to the register finds a new participant only by the full PESEL (from
    the person's own documents): never by browsing names or record numbers. Audited."""
    person = case_selectors.person_by_pesel(term)
    if person is not None:
        case_selectors.record_person_reads(request.user, [person], message="project enrolment by PESEL")
        request.session[ENROLLABLE_SESSION_KEY] = [*request.session.get(ENROLLABLE_SESSION_KEY, [])[-19:], person.pk]
    return person


def _visible_person(request, person_id: int):
    """The person chosen for enrolment, if the caller may see them (as in ``_find_persons``)."""
    if person_id in request.session.get(ENROLLABLE_SESSION_KEY, []):
        return Person.objects.filter(pk=person_id).first()
    if request.staff.has_role(*case_services.READ_ROLES):
        person = case_selectors.persons(request.user).filter(pk=person_id).first()
        if person is not None:
            case_selectors.record_person_reads(request.user, [person], message="project enrolment search")
        return person
    row = services.participants_queryset(request.user, person_id=person_id).first()
    if row is None:
        return None
    services.record_participant_reads(request.user, [row])
    return row.person


# Each action: a bound form with its errors (re-rendered on the page), or a redirect after success.


def _enrol(request, project):
    form = EnrolForm(request.POST, prefix="enrol")
    found = _visible_person(request, form.cleaned_data["person"]) if form.is_valid() else None
    if form.is_valid() and found is None:
        # Only a person the caller could find on this page (no browsing by record number).
        form.add_error("person", _("Find the person first: there is no such person among those you may enrol."))
    if form.is_valid():
        data = {**form.service_data(), "pesel": found.pesel or ""}
        ok, participant = submit(form, lambda: services.enrol_participant(request.user, project.pk, **data))
        if ok:
            messages.success(request, _("%(person)s has been enrolled.") % {"person": participant.person})
            return redirect(_project_url(project, "participants"))
    return {"enrol": form}


def _record_achievement(request, project):
    targets = services.related_of(project, "targets")
    form = AchievementForm(request.POST, prefix="achievement", targets=targets)
    if form.is_valid():
        data = form.cleaned_data
        ok, achievement = submit(
            form,
            lambda: services.record_achievement(
                request.user, data["target"], value=data["value"], achieved_on=data["achieved_on"], note=data["note"]
            ),
        )
        if ok:
            messages.success(
                request, _("The achievement has been recorded for “%(target)s”.") % {"target": achievement.target.name}
            )
            return redirect(_project_url(project, "targets"))
    return {"achievement": form}


def _add_target(request, project):
    form = TargetForm(request.POST, prefix="target")
    if form.is_valid():
        ok, target = submit(form, lambda: services.add_target(request.user, project.pk, **form.cleaned_data))
        if ok:
            messages.success(request, _("The target “%(target)s” has been added.") % {"target": target.name})
            return redirect(_project_url(project, "targets"))
    return {"target": form}


def _change_status(request, project):
    form = StatusForm(request.POST, prefix="status", project=project)
    if form.is_valid():
        ok, changed = submit(
            form, lambda: services.change_project_status(request.user, project.pk, form.cleaned_data["status"])
        )
        if ok:
            messages.success(request, _("The project is now %(status)s.") % {"status": _status_label(changed)})
            return redirect(_project_url(project))
    return {"status": form}


def _add_funding(request, project):
    form = FundingSourceForm(request.POST, prefix="funding")
    if form.is_valid():
        ok, _source = submit(form, lambda: services.add_funding_source(request.user, project.pk, **form.cleaned_data))
        if ok:
            messages.success(request, _("The funding source has been added."))
            return redirect(_project_url(project, "funding"))
    return {"funding": form}


def _add_partner(request, project):
    form = PartnerForm(request.POST, prefix="partner")
    if form.is_valid():
        ok, partner = submit(form, lambda: services.add_partner(request.user, project.pk, **form.cleaned_data))
        if ok:
            messages.success(request, _("%(name)s has been added as a partner.") % {"name": partner.name})
            return redirect(_project_url(project, "partners"))
    return {"partner": form}


def _remove(request, project, access, remove, project_of, message: str, back: str):
    """Remove a funding source, partner or achievement of this project (after the browser's confirmation),
    then go ``back``."""
    object_id = request.POST.get("id", "")
    obj = access(request.user, object_id if object_id.isdigit() else None)
    _in_project(project_of(obj), project)
    try:
        remove(request.user, obj.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(back)


def _remove_funding(request, project):
    return _remove(
        request,
        project,
        services.access_funding_source,
        services.remove_funding_source,
        lambda source: source.project_id,
        _("The funding source has been removed."),
        _project_url(project, "funding"),
    )


def _remove_partner(request, project):
    return _remove(
        request,
        project,
        services.access_partner,
        services.remove_partner,
        lambda partner: partner.project_id,
        _("The partner has been removed."),
        _project_url(project, "partners"),
    )


ACTIONS = {
    "enrol": _enrol,
    "achievement": _record_achievement,
    "target": _add_target,
    "status": _change_status,
    "funding": _add_funding,
    "remove_funding": _remove_funding,
    "partner": _add_partner,
    "remove_partner": _remove_partner,
}


# --- a participant --------------------------------------------------------------------------------


@staff_page(*ROLES)
def participant(request, project_id, participant_id):
    project = services.access_project(request.user, project_id)
    participant = (
        services.participants_queryset(request.user, project_id=project.pk)
        .filter(pk=participant_id if str(participant_id).isdigit() else None)
        .first()
    )
    if participant is None:
        raise NotFound(_("There is no such participant."), code="participant_not_found")
    services.record_participant_reads(request.user, [participant])
    may_change = _may_write(request) and project.status not in services.CLOSED_STATUSES
    exit_form = ExitForm(prefix="exit", initial={"exited_on": datetime.date.today()})
    edit_form = ParticipantForm(
        prefix="edit",
        initial={
            "labour_market_status": participant.labour_market_status,
            "education_level": participant.education_level,
            "characteristics": participant.characteristics,
            "notes": participant.notes,
        },
    )
    if request.method == "POST":
        _require_write(request)
        action = request.POST.get("action")
        if action == "exit":
            exit_form = ExitForm(request.POST, prefix="exit")
            if exit_form.is_valid():
                ok, _result = submit(
                    exit_form,
                    lambda: services.end_participation(request.user, participant.pk, **exit_form.cleaned_data),
                )
                if ok:
                    messages.success(
                        request, _("The exit of %(person)s has been recorded.") % {"person": participant.person}
                    )
                    return redirect("projects:participant", project.pk, participant.pk)
        elif action == "edit":
            edit_form = ParticipantForm(request.POST, prefix="edit")
            if edit_form.is_valid():
                ok, _result = submit(
                    edit_form,
                    lambda: services.update_participant(request.user, participant.pk, **edit_form.cleaned_data),
                )
                if ok:
                    messages.success(request, _("The participant's data has been saved."))
                    return redirect("projects:participant", project.pk, participant.pk)
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    others = list(
        services.participants_queryset(request.user, person_id=participant.person_id)
        .exclude(pk=participant.pk)
        .order_by("-enrolled_on", "-id")
    )
    return render(
        request,
        "projects/participant.html",
        {
            "project": project,
            "participant": participant,
            "person": participant.person,
            "others": others,
            "characteristics": [Characteristic(code).label for code in participant.characteristics],
            "may_change": may_change,
            "exit_form": exit_form if participant.exited_on is None else None,
            "edit_form": edit_form,
        },
    )


# --- recorded achievements ------------------------------------------------------------------------


@staff_page(*ROLES)
def achievements(request, project_id):
    project = services.access_project(request.user, project_id)
    if request.method == "POST":
        _require_write(request)
        if request.POST.get("action") != "remove":
            return HttpResponseBadRequest(_("Unknown action."))
        query = request.POST.get("next", "")
        return _remove(
            request,
            project,
            services.access_achievement,
            services.remove_achievement,
            lambda achievement: achievement.target.project_id,
            _("The achievement has been removed."),
            reverse("projects:achievements", args=[project.pk]) + (query if query.startswith("?") else ""),
        )
    targets = [t for t in services.project_progress(request.user, project.pk) if t.measure == TargetMeasure.RECORDED]
    filters = AchievementFilterForm(request.GET or None, targets=targets)
    rows = services.achievements_queryset(request.user, project_id=project.pk).none()
    if not filters.is_bound or filters.is_valid():
        data = filters.cleaned_data if filters.is_bound else {}
        try:
            rows = services.achievements_queryset(
                request.user,
                project_id=project.pk,
                target_id=data.get("target"),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            ).order_by("-achieved_on", "-id")
        except ValidationFailed as exc:
            add_service_error(filters, exc)
    page = _paginate(request, rows)
    page.object_list = _with_display(page.object_list)
    return render(
        request,
        "projects/achievements.html",
        {
            "project": project,
            "filters": filters,
            "page_obj": page,
            "targets": [_progress(t) for t in targets],
            "may_change": _may_write(request) and project.status not in services.CLOSED_STATUSES,
        },
    )
