"""The staff dashboard: what is waiting for me (overdue first, then due soon), my unread reminders, and the
center's hours today. Each block appears only for roles that may read it; every list comes from the same
selectors as GraphQL (district scoping included) and is capped."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.modules.cases import selectors as case_selectors
from ostoja.modules.cases import services as case_services
from ostoja.modules.cases.models import CaseStatus, Interview
from ostoja.modules.foster_care import services as foster_services
from ostoja.modules.foster_care.models import Assessment
from ostoja.platform.notifications import services as notifications
from ostoja.platform.staff.access import READ_ONLY_ROLES
from ostoja.platform.staff.models import Role
from ostoja.platform.web.access import staff_page
from ostoja.tenants.configuration.hours import today_summary

HORIZON_DAYS = 14  # marked "due soon" within two weeks; later ones are listed as planned
LIMIT = 20  # rows per block; the module's own list has the rest
MANAGER_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)  # see the center's overdue work per district and worker


def _split(rows, due, today):
    """Overdue rows, and the others each marked ``soon`` when due within the horizon."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    upcoming = [row for row in rows if due(row) >= today]
    for row in upcoming:
        row.soon = due(row) <= horizon
    return [row for row in rows if due(row) < today], upcoming


def case_work(user, profile, today):
    """My planned interviews (assigned to me, or unassigned in my cases) and my cases' undecided applications:
    a new application shows up at once, overdue ones come first."""
    interviews = list(
        case_selectors.interviews(user, status=Interview.Status.PLANNED)
        .filter(Q(assigned_to=profile) | Q(assigned_to__isnull=True, case__worker=profile))
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("due_on", "id")[:LIMIT]
    )
    decisions = list(
        case_selectors.applications(user, pending=True, worker_id=profile.pk)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("decision_due_on", "id")[:LIMIT]
    )
    overdue_interviews, upcoming_interviews = _split(interviews, lambda i: i.due_on, today)
    overdue_decisions, upcoming_decisions = _split(decisions, lambda a: a.decision_due_on, today)
    return {
        "overdue_interviews": overdue_interviews,
        "upcoming_interviews": upcoming_interviews,
        "overdue_decisions": overdue_decisions,
        "upcoming_decisions": upcoming_decisions,
    }


def assessment_work(user, profile, today):
    """Planned assessments of the families I coordinate (everyone's for directors), overdue or due soon."""
    queryset = foster_services.assessments_queryset(
        user, status=Assessment.Status.PLANNED, due_to=today + timedelta(days=HORIZON_DAYS)
    )
    if "foster_care_coordinator" in profile.roles:
        current = Q(child__placements__family__coordinator=profile, child__placements__end_on__isnull=True)
        queryset = queryset.filter(Q(family__coordinator=profile) | current)
    rows = list(queryset.distinct().order_by("due_on", "id")[:LIMIT])
    overdue, upcoming = _split(rows, lambda a: a.due_on, today)
    return {"overdue_assessments": overdue, "upcoming_assessments": upcoming}


@staff_page()
def dashboard(request):
    user, profile = request.user, request.staff
    today = timezone.localdate()
    context = {"today": today, "horizon": HORIZON_DAYS, "shows_cases": False, "shows_assessments": False}
    if profile.has_role(*case_services.READ_ROLES, *READ_ONLY_ROLES):
        context.update(case_work(user, profile, today), shows_cases=True)
    if profile.has_role(*MANAGER_ROLES):
        context["overdue_summary"] = case_services.overdue_summary(user, today=today)
    if profile.has_role(*foster_services.FOSTER_CARE_ROLES, *READ_ONLY_ROLES):
        context.update(assessment_work(user, profile, today), shows_assessments=True)
    reminders = notifications.my_notifications(user, unread=True)
    context["reminders"] = list(reminders[:LIMIT])
    context["reminders_count"] = reminders.count() if len(context["reminders"]) == LIMIT else len(context["reminders"])
    context["hours"] = today_summary()
    return render(request, "web/dashboard.html", context)


@require_POST
@staff_page()
def mark_reminders_read(request):
    count = notifications.mark_all_read(request.user)
    messages.success(request, _("Reminders marked as read: %(count)s.") % {"count": count})
    return redirect("web:dashboard")
