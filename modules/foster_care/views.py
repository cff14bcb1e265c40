"""Foster-care pages of a center host (namespace "foster_care"): families and their coordinators, children
in care, the calendar of meetings with biological parents and irregularity reports. Every read and write goes
through modules/foster_care/services.py (the GraphQL layer's functions); the pages add no rule of their own.
Readers: the foster-care roles and the read-only auditor (who sees no forms); writes need a foster-care role."""

from __future__ import annotations

import calendar as pycalendar
import re
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ostoja.modules.foster_care import services, web_selectors
from ostoja.modules.foster_care.forms import (
    AssessmentForm,
    ChildFilterForm,
    CloseReportForm,
    CoordinatorForm,
    FamilyFilterForm,
    FamilyForm,
    FamilyStatusForm,
    MeetingCancelForm,
    MeetingFilterForm,
    MeetingForm,
    MeetingHeldForm,
    MemberForm,
    NotificationSentForm,
    ReportFilterForm,
    ReportForm,
)
from ostoja.modules.foster_care.models import (
    RELATED_FAMILY_RELATIONS,
    Assessment,
    FamilyKind,
    FosterChild,
    IrregularityReport,
    Notification,
    ParentMeeting,
    Relation,
)
from ostoja.platform.errors import NotFound, ValidationFailed
from ostoja.platform.staff.access import require_role
from ostoja.platform.web.access import staff_page
from ostoja.platform.web.forms import submit

ROLES = services.FOSTER_CARE_ROLES
PER_PAGE = 25
LIMIT = services.MAX_FAMILIES_PER_COORDINATOR


def reader(view):
    return staff_page(*ROLES)(view)


def writer(view):
    return staff_page(*ROLES, write=True)(view)


def _can_write(request) -> bool:
    return request.staff.has_role(*ROLES)


def _require_write(request) -> None:
    """A POST on a page the auditor may read: PermissionDenied (a 403 page) unless the caller may write."""
    require_role(request.user, *ROLES)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _filters(form) -> dict:
    """A bound filter form's values (nothing when it is unbound or invalid: the page then shows everything and
    the form its errors)."""
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _today() -> date:
    return timezone.localdate()


# --- families ---------------------------------------------------------------------------------------------


@reader
def index(request):
    actor = request.user
    form = FamilyFilterForm(request.GET or None, coordinators=web_selectors.coordinators(actor, active=None))
    filters = _filters(form)
    coordinator = filters.get("coordinator")
    queryset = services.families_queryset(
        actor,
        coordinator_id=coordinator.pk if coordinator else None,
        kind=filters.get("kind") or None,
        status=filters.get("status") or None,
        search=filters.get("search") or "",
        with_members=False,
    )
    queryset = queryset.annotate(
        children_placed=Count("placements", filter=Q(placements__end_on__isnull=True), distinct=True)
    ).order_by("name", "id")
    return render(
        request,
        "foster_care/index.html",
        {"form": form, "page_obj": _page(request, queryset), "limit": LIMIT, "can_write": _can_write(request)},
    )


def _lookup_member(actor, pesel: str, field: str) -> int:
    person = web_selectors.person_by_pesel(actor, pesel)
    if person is None:
        raise ValidationFailed(
            _("No person with this PESEL is registered in the center. Register the person first."),
            code="person_not_found",
            field=field,
        )
    return person.pk


def _relation_field(data: dict) -> str:
    """The member whose relation a related family's rule refuses (the service names no member)."""
    if data.get("kind") == FamilyKind.RELATED:
        for number in (1, 2):
            if (
                data.get(f"member{number}_pesel")
                and data.get(f"member{number}_relation") not in RELATED_FAMILY_RELATIONS
            ):
                return f"member{number}_relation"
    return "member1_relation"


@writer
def family_new(request):
    actor = request.user
    form = FamilyForm(request.POST or None, coordinators=web_selectors.coordinators(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            members = [(_lookup_member(actor, data["member1_pesel"], "member1_pesel"), data["member1_relation"])]
            if data.get("member2_pesel"):
                members.append(
                    (
                        _lookup_member(actor, data["member2_pesel"], "member2_pesel"),
                        data["member2_relation"] or Relation.NOT_RELATED,
                    )
                )
            address = {key: data[key] for key in ("street", "building", "flat", "postcode", "city", "phone")}
            family = services.create_family(
                actor,
                name=data["name"],
                kind=data["kind"],
                members=members,
                qualified_on=data.get("qualified_on"),
                **address,
            )
            if data.get("coordinator"):
                family = services.assign_coordinator(actor, family.pk, data["coordinator"].pk)
            return family

        fields = {"members": "member1_pesel", "relation": _relation_field(data), "coordinator": "coordinator"}
        ok, family = submit(form, create, fields=fields)
        if ok:
            messages.success(request, _("The foster family %(name)s has been created.") % {"name": family.name})
            return redirect("foster_care:family", pk=family.pk)
    context = {"form": form, "coordinators": web_selectors.coordinators(actor), "limit": LIMIT}
    return render(request, "foster_care/family_form.html", context)


def _family_page(request, pk, *, status=200, **bound):
    actor = request.user
    family = services.get_family(actor, pk)
    placements = services.placements_queryset(actor, family_id=family.pk).order_by(
        F("end_on").desc(nulls_first=True), "-start_on", "-id"
    )
    assessments = services.assessments_queryset(actor, family_id=family.pk).order_by("-due_on", "-id")
    context = {
        "family": family,
        "members": family.members.all(),
        "placements": placements,
        "assessments": assessments,
        "limit": LIMIT,
        "load_full": family.coordinator_id is not None and family.coordinator_load >= LIMIT,
        "today": _today(),
        "can_write": _can_write(request),
    }
    if context["can_write"]:
        coordinators = web_selectors.coordinators(actor)
        planned = next((a for a in assessments if a.status == Assessment.Status.PLANNED), None)
        context.update(
            coordinators=coordinators,
            coordinator_form=bound.get("coordinator_form")
            or CoordinatorForm(coordinators=coordinators, initial={"coordinator": family.coordinator_id}),
            status_form=bound.get("status_form") or FamilyStatusForm(initial={"status": family.status}),
            member_form=bound.get("member_form") or MemberForm(),
            planned_assessment=planned,
            assessment_form=bound.get("assessment_form") or AssessmentForm(initial={"performed_on": _today()}),
        )
    return render(request, "foster_care/family.html", context, status=status)


@reader
def family(request, pk):
    return _family_page(request, pk)


@writer
def family_coordinator(request, pk):
    if request.method != "POST":
        return redirect("foster_care:family", pk=pk)
    actor = request.user
    form = CoordinatorForm(request.POST, coordinators=web_selectors.coordinators(actor))
    if form.is_valid():
        coordinator = form.cleaned_data["coordinator"]
        ok, family = submit(
            form,
            lambda: services.assign_coordinator(actor, pk, coordinator.pk, since=form.cleaned_data["since"]),
            fields={"coordinator": "coordinator", "coordinator_id": "coordinator", "since": "since"},
        )
        if ok:
            messages.success(
                request,
                _("%(name)s is now the coordinator of %(family)s.") % {"name": coordinator, "family": family.name},
            )
            return redirect("foster_care:family", pk=pk)
    return _family_page(request, pk, coordinator_form=form)


@writer
def family_status(request, pk):
    if request.method != "POST":
        return redirect("foster_care:family", pk=pk)
    form = FamilyStatusForm(request.POST)
    if form.is_valid():
        ok, family = submit(form, lambda: services.change_family_status(request.user, pk, form.cleaned_data["status"]))
        if ok:
            messages.success(
                request,
                _("The status of %(family)s is now: %(status)s.")
                % {"family": family.name, "status": family.get_status_display()},
            )
            return redirect("foster_care:family", pk=pk)
    return _family_page(request, pk, status_form=form)


@writer
def family_member(request, pk):
    if request.method != "POST":
        return redirect("foster_care:family", pk=pk)
    actor = request.user
    form = MemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def add():
            person_id = _lookup_member(actor, data["pesel"], "pesel")
            return services.add_family_member(actor, pk, person_id, data["relation"], data.get("joined_on"))

        ok, member = submit(form, add)
        if ok:
            messages.success(request, _("%(person)s has joined the family.") % {"person": member.person})
            return redirect("foster_care:family", pk=pk)
    return _family_page(request, pk, member_form=form)


# --- children ---------------------------------------------------------------------------------------------


def _family_choices(actor):
    return services.families_queryset(actor, with_members=False).select_related(None).only("id", "name")


@reader
def children(request):
    actor = request.user
    form = ChildFilterForm(request.GET or None, families=_family_choices(actor))
    filters = _filters(form)
    status = filters.get("status") or FosterChild.Status.IN_CARE
    overdue = {"yes": True, "no": False}.get(filters.get("overdue") or "")
    family = filters.get("family")
    today = _today()
    queryset = services.children_queryset(
        actor,
        status=None if status == "all" else status,
        family_id=family.pk if family else None,
        overdue_assessment=overdue,
        search=filters.get("search") or "",
        today=today,
    )
    page_obj = _page(request, queryset)
    for child in page_obj:
        child.age = services.age_on(services.birth_date(child.person), today)
        child.overdue = child.next_assessment is not None and child.next_assessment.due_on < today
    return render(request, "foster_care/children.html", {"form": form, "page_obj": page_obj, "today": today})


def _child_page(request, pk, *, meeting_bound=None, **bound):
    actor = request.user
    child = services.get_child(actor, pk)
    today = _today()
    placements = services.placements_queryset(actor, child_id=child.pk).order_by(
        F("end_on").desc(nulls_first=True), "-start_on", "-id"
    )
    assessments = services.assessments_queryset(actor, child_id=child.pk).order_by("-due_on", "-id")
    meetings = list(services.meetings_queryset(actor, child_id=child.pk).order_by("-planned_at", "-id"))
    can_write = _can_write(request)
    now = timezone.now()
    if can_write:
        for meeting in meetings:
            if meeting.status != ParentMeeting.Status.PLANNED:
                continue
            kind, form = (
                (meeting_bound[1], meeting_bound[2])
                if meeting_bound and meeting_bound[0] == meeting.pk
                else (None, None)
            )
            meeting.held_form = form if kind == "held" else MeetingHeldForm(prefix=f"held-{meeting.pk}")
            meeting.cancel_form = form if kind == "cancel" else MeetingCancelForm(prefix=f"cancel-{meeting.pk}")
            meeting.can_record = meeting.planned_at <= now
            meeting.open_form = kind
    context = {
        "child": child,
        "born": services.birth_date(child.person),
        "age": services.age_on(services.birth_date(child.person), today),
        "placements": placements,
        "assessments": assessments,
        "meetings": meetings,
        "today": today,
        "can_write": can_write,
    }
    if can_write:
        context.update(
            meeting_form=bound.get("meeting_form") or MeetingForm(),
            planned_assessment=child.next_assessment,
            assessment_form=bound.get("assessment_form") or AssessmentForm(initial={"performed_on": today}),
        )
    return render(request, "foster_care/child.html", context)


@reader
def child(request, pk):
    return _child_page(request, pk)


@writer
def child_meeting(request, pk):
    if request.method != "POST":
        return redirect("foster_care:child", pk=pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, meeting = submit(
            form,
            lambda: services.plan_meeting(
                request.user, pk, planned_at=form.planned_at(), participants=data["participants"], place=data["place"]
            ),
        )
        if ok:
            messages.success(request, _("The meeting has been planned."))
            return redirect("foster_care:child", pk=pk)
    return _child_page(request, pk, meeting_form=form)


def _meeting_action(request, pk, kind):
    actor = request.user
    meeting = services.access_meeting(actor, pk)
    if request.method != "POST":
        return redirect("foster_care:child", pk=meeting.child_id)
    if kind == "held":
        form = MeetingHeldForm(request.POST, prefix=f"held-{pk}")
        action = lambda: services.record_meeting_held(actor, pk, notes=form.cleaned_data["notes"])  # noqa: E731
        done = _("The meeting has been recorded as held.")
    else:
        form = MeetingCancelForm(request.POST, prefix=f"cancel-{pk}")
        action = lambda: services.cancel_meeting(actor, pk, reason=form.cleaned_data["reason"])  # noqa: E731
        done = _("The meeting has been cancelled.")
    if form.is_valid():
        ok, _meeting = submit(form, action)
        if ok:
            messages.success(request, done)
            return redirect("foster_care:child", pk=meeting.child_id)
    return _child_page(request, meeting.child_id, meeting_bound=(pk, kind, form))


@writer
def meeting_held(request, pk):
    return _meeting_action(request, pk, "held")


@writer
def meeting_cancel(request, pk):
    return _meeting_action(request, pk, "cancel")


@writer
def assessment_record(request, pk):
    actor = request.user
    assessment = services.access_assessment(actor, pk)
    is_child = assessment.subject == Assessment.Subject.CHILD
    owner = assessment.child_id if is_child else assessment.family_id
    target = "foster_care:child" if is_child else "foster_care:family"
    if request.method != "POST":
        return redirect(target, pk=owner)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, result = submit(
            form,
            lambda: services.record_assessment(
                actor, pk, performed_on=data["performed_on"], result=data["result"], conclusions=data["conclusions"]
            ),
        )
        if ok:
            _done, following = result
            if following is not None:
                messages.success(
                    request,
                    _("The assessment has been recorded. The next one is due on %(date)s.")
                    % {"date": date_format(following.due_on, "j E Y")},
                )
            else:
                messages.success(request, _("The assessment has been recorded."))
            return redirect(target, pk=owner)
    if is_child:
        return _child_page(request, owner, assessment_form=form)
    return _family_page(request, owner, assessment_form=form)


# --- meetings calendar --------------------------------------------------------------------------------------

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: str | None) -> date:
    match = MONTH_RE.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return date(year, month, 1)
    return _today().replace(day=1)


def _shift(first: date, months: int) -> date:
    return services.add_months(first, months)


@reader
def meetings(request):
    actor = request.user
    can_write = _can_write(request)
    form = None
    if request.method == "POST":
        _require_write(request)
        form = MeetingForm(request.POST, children=services.children_queryset(actor, status=FosterChild.Status.IN_CARE))
        if form.is_valid():
            data = form.cleaned_data
            ok, meeting = submit(
                form,
                lambda: services.plan_meeting(
                    actor,
                    data["child"].pk,
                    planned_at=form.planned_at(),
                    participants=data["participants"],
                    place=data["place"],
                ),
                fields={"child_id": "child"},
            )
            if ok:
                messages.success(
                    request,
                    _("The meeting of %(child)s has been planned for %(when)s.")
                    % {
                        "child": data["child"],
                        "when": date_format(timezone.localtime(meeting.planned_at), "j E Y, H:i"),
                    },
                )
                return redirect(reverse("foster_care:meetings") + f"?month={data['day']:%Y-%m}")
    # After a refused plan the calendar shows the month of the day entered.
    first = _month(request.GET.get("month") or (request.POST.get("day", "")[:7] if form is not None else None))
    filter_form = MeetingFilterForm(request.GET or None)
    status = _filters(filter_form).get("status") or None
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    found = services.meetings_queryset(actor, date_from=weeks[0][0], date_to=weeks[-1][-1], status=status)
    by_day: dict[date, list[ParentMeeting]] = {}
    for meeting in found.order_by("planned_at", "id"):
        meeting.local = timezone.localtime(meeting.planned_at)
        by_day.setdefault(meeting.local.date(), []).append(meeting)
    today = _today()
    grid = [
        [
            {"day": day, "in_month": day.month == first.month, "today": day == today, "meetings": by_day.get(day, [])}
            for day in week
        ]
        for week in weeks
    ]
    in_month = sum(len(items) for day, items in by_day.items() if day.month == first.month and day.year == first.year)
    context = {
        "month": first,
        "previous": _shift(first, -1),
        "next": _shift(first, 1),
        "current": today.replace(day=1),
        "weeks": grid,
        "weekdays": [(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
        "count": in_month,
        "filter_form": filter_form,
        "status": status or "",
        "can_write": can_write,
    }
    if can_write:
        context["form"] = form or MeetingForm(
            children=services.children_queryset(actor, status=FosterChild.Status.IN_CARE),
            initial={"day": today if first == today.replace(day=1) else first},
        )
    return render(request, "foster_care/meetings.html", context)


# --- irregularity reports -------------------------------------------------------------------------------------


def _report_forms(reports, today, bound=None):
    """Give each open report its close form and each pending notification its mark-sent form (the bound one
    that failed, if any: ``bound`` is (kind, id, form))."""
    kind, bound_id, bound_form = bound or (None, None, None)
    for report in reports:
        report.open_form = None
        if report.status == IrregularityReport.Status.OPEN:
            if kind == "close" and bound_id == report.pk:
                report.close_form, report.open_form = bound_form, "close"
            else:
                report.close_form = CloseReportForm(prefix=f"close-{report.pk}", initial={"closed_on": today})
        report.pending = False
        for notification in report.notifications.all():
            if notification.status == Notification.Status.PENDING:
                report.pending = True
                if kind == "sent" and bound_id == notification.pk:
                    notification.sent_form, notification.open_form = bound_form, True
                else:
                    notification.sent_form = NotificationSentForm(
                        prefix=f"sent-{notification.pk}", initial={"sent_on": today}
                    )


def _current_placements(actor):
    return services.placements_queryset(actor, current=True).order_by(
        "child__person__last_name", "child__person__first_name", "id"
    )


@reader
def reports(request):
    return _reports_page(request)


def _reports_page(request, report_form=None):
    actor = request.user
    filter_form = ReportFilterForm(request.GET or None)
    filters = _filters(filter_form)
    queryset = services.reports_queryset(
        actor, status=filters.get("status") or None, notification_status=filters.get("notifications") or None
    ).order_by("-reported_on", "-id")
    page_obj = _page(request, queryset)
    can_write = _can_write(request)
    today = _today()
    context = {"filter_form": filter_form, "page_obj": page_obj, "can_write": can_write}
    if can_write:
        _report_forms(page_obj, today)
        context["form"] = report_form or ReportForm(
            placements=_current_placements(actor), initial={"reported_on": today}
        )
    return render(request, "foster_care/reports.html", context)


@writer
def report_new(request):
    if request.method != "POST":
        return redirect("foster_care:reports")
    actor = request.user
    form = ReportForm(request.POST, placements=_current_placements(actor))
    if form.is_valid():
        data = form.cleaned_data
        ok, report = submit(
            form,
            lambda: services.report_irregularity(
                actor,
                data["placement"].pk,
                reported_on=data["reported_on"],
                description=data["description"],
                source=data["source"],
            ),
            fields={"placement_id": "placement"},
        )
        if ok:
            messages.success(
                request,
                _("The irregularity has been reported. Send the notifications to the voivode and the prosecutor."),
            )
            return redirect("foster_care:report", pk=report.pk)
    return _reports_page(request, report_form=form)


def _report_page(request, pk, bound=None):
    actor = request.user
    services.access_report(actor, pk)
    report = services.reports_queryset(actor).get(pk=pk)
    can_write = _can_write(request)
    if can_write:
        _report_forms([report], _today(), bound)
    return render(request, "foster_care/report.html", {"report": report, "can_write": can_write})


@reader
def report(request, pk):
    return _report_page(request, pk)


@writer
def report_close(request, pk):
    if request.method != "POST":
        return redirect("foster_care:report", pk=pk)
    form = CloseReportForm(request.POST, prefix=f"close-{pk}")
    if form.is_valid():
        data = form.cleaned_data
        ok, _report = submit(
            form,
            lambda: services.close_irregularity_report(
                request.user, pk, closed_on=data["closed_on"], outcome=data["outcome"]
            ),
        )
        if ok:
            messages.success(request, _("The report has been closed."))
            return redirect("foster_care:report", pk=pk)
    return _report_page(request, pk, bound=("close", pk, form))


@writer
def notification_sent(request, report_pk, pk):
    actor = request.user
    notification = services.access_notification(actor, pk)
    if notification.report_id != report_pk:
        raise NotFound(_("No such notification."), code="notification_not_found")
    if request.method != "POST":
        return redirect("foster_care:report", pk=report_pk)
    form = NotificationSentForm(request.POST, prefix=f"sent-{pk}")
    if form.is_valid():
        data = form.cleaned_data
        ok, sent = submit(
            form,
            lambda: services.mark_notification_sent(actor, pk, sent_on=data["sent_on"], reference=data["reference"]),
        )
        if ok:
            messages.success(
                request,
                _("The notification of the %(recipient)s has been recorded as sent.")
                % {"recipient": sent.get_recipient_display()},
            )
            return redirect("foster_care:report", pk=report_pk)
    return _report_page(request, report_pk, bound=("sent", pk, form))
