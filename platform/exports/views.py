"""Exports pages (namespace "exports"): ask for a file (the kinds the caller may export, with their filters and a
format), follow its status while it is built in the background (the list and the detail refresh themselves through
``data-poll`` fragments while an export is waiting; a plain reload works too), and download it through the exports
service's expiring link, issued after the permission and the district scope are checked again."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from ostoja.platform.errors import Conflict, ServiceError
from ostoja.platform.exports import services
from ostoja.platform.exports.forms import DESCRIPTIONS, FORMS, submit
from ostoja.platform.exports.models import ExportKind, ExportStatus
from ostoja.platform.staff.access import staff_profile
from ostoja.platform.web.access import staff_page

PAGE_SIZE = 25
POLL_INTERVAL_MS = 2000
STATUS_BADGES = {
    ExportStatus.PENDING: "warn",
    ExportStatus.READY: "ok",
    ExportStatus.FAILED: "bad",
    ExportStatus.EXPIRED: "muted",
}


def available_kinds(actor) -> list[dict]:
    """The kinds ``actor`` may export (the service's own check, with no filters yet)."""
    kinds = []
    for value, label in ExportKind.choices:
        try:
            services.check_kind(actor, value, {})
        except ServiceError:
            continue
        kinds.append({"value": value, "label": label, "description": DESCRIPTIONS[value]})
    return kinds


def _row(actor, export) -> dict:
    return {
        "export": export,
        "file_name": services.file_name(export),
        "badge": STATUS_BADGES.get(export.status, "muted"),
        "mine": export.requested_by_id == actor.pk,
        "requested_by": (export.requested_by.get_full_name() or export.requested_by.get_username())
        if export.requested_by
        else "",
    }


def _list_context(request) -> dict:
    actor = request.user
    status = request.GET.get("status") or ""
    queryset = services.exports_for(actor)
    if status in ExportStatus.values:
        queryset = queryset.filter(status=status)
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(actor, export) for export in page_obj]
    waiting = any(row["export"].status == ExportStatus.PENDING for row in rows)
    return {
        "page_obj": page_obj,
        "rows": rows,
        "waiting": waiting,
        "status": status,
        "statuses": ExportStatus.choices,
        "sees_all": staff_profile(actor).has_role(*services.DIRECTOR_ROLES),
        "poll_interval": POLL_INTERVAL_MS,
    }


@never_cache
@staff_page()
def index(request):
    context = {"kinds": available_kinds(request.user), **_list_context(request)}
    return render(request, "exports/index.html", context)


@never_cache
@staff_page()
def list_fragment(request):
    """The list section alone (for ``data-poll``): it keeps ``data-poll`` while an export on the page is waiting."""
    return render(request, "exports/_list.html", _list_context(request))


@staff_page()
def new(request, kind):
    actor = request.user
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404
    services.check_kind(actor, kind, {})  # a role that may not export this kind gets the refusal page
    form = form_class(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        ok, export = submit(
            form, lambda: services.request_export(actor, kind, form.cleaned_data["format"], form.filters())
        )
        if ok:
            messages.success(
                request,
                _("Your export was requested: it is built in the background and appears below when it is ready."),
            )
            return redirect("exports:index")
    context = {"form": form, "kind": kind, "label": ExportKind(kind).label, "description": DESCRIPTIONS[kind]}
    return render(request, "exports/new.html", context)


def _detail_context(request, pk) -> dict:
    actor = request.user
    export = services.access_export(actor, pk)
    return {
        "row": _row(actor, export),
        "export": export,
        "filters": describe_filters(actor, export),
        "poll_interval": POLL_INTERVAL_MS,
    }


@never_cache
@staff_page()
def detail(request, pk):
    return render(request, "exports/detail.html", _detail_context(request, pk))


@never_cache
@staff_page()
def status_fragment(request, pk):
    """The status section of one export alone (for ``data-poll``), polling while it is waiting."""
    return render(request, "exports/_status.html", _detail_context(request, pk))


@never_cache
@staff_page()
def download(request, pk):
    """A redirect to a fresh expiring link; the service checks again that the caller asked for this export and may
    still see what it holds (a refusal is a 403 page, another user's export a 404)."""
    try:
        link = services.download_link(request.user, pk)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("exports:detail", pk=pk)
    return redirect(link.url)


# --- the filters an export was asked with, for people -----------------------------------------------------------


FILTER_LABELS = {
    "district_id": _("District"),
    "worker_id": _("Social worker"),
    "coordinator_id": _("Coordinator"),
    "project_id": _("Project"),
    "status": _("Status"),
    "reason": _("Reason for help"),
    "overdue": _("Only overdue cases"),
    "opened_from": _("Opened from"),
    "opened_to": _("Opened until"),
    "search": _("Search"),
    "include_sensitive": _("Include special-category reasons"),
    "year": _("Year"),
    "half": _("Half-year"),
}


def describe_filters(actor, export) -> list[tuple[str, str]]:
    """(label, value) of each filter of ``export``, ids shown as names where the caller may see them."""
    described = []
    for key, value in (export.filters or {}).items():
        described.append((str(FILTER_LABELS.get(key, key)), _filter_value(actor, export.kind, key, value)))
    return described


def _filter_value(actor, kind, key, value) -> str:
    if value is True:
        return str(_("yes"))
    try:
        if key == "district_id":
            from ostoja.tenants.configuration import services as configuration_services
            from ostoja.tenants.configuration.models import District

            return str(configuration_services.access(actor, District, value))
        if key in ("worker_id", "coordinator_id"):
            from ostoja.platform.staff import services as staff_services

            return str(staff_services.access_staff_member(actor, value))
        if key == "project_id":
            from ostoja.modules.projects import services as project_services

            return str(project_services.access_project(actor, value))
        if key == "status":
            return _status_label(kind, value)
        if key == "reason":
            from ostoja.modules.cases.models import HelpReason

            return str(HelpReason.objects.filter(code=value).first() or value)
    except ServiceError:
        pass
    return str(value)


def _status_label(kind, value) -> str:
    if kind == ExportKind.CASES:
        from ostoja.modules.cases.models import CaseStatus

        choices = dict(CaseStatus.choices)
    elif kind == ExportKind.FOSTER_CARE:
        from ostoja.modules.foster_care.models import FosterChild

        choices = dict(FosterChild.Status.choices)
    else:
        choices = {"active": _("Still taking part"), "exited": _("Have left")}
    return str(choices.get(value, value))
