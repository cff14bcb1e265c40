"""Exports: the rules. A staff member asks for a file (``request_export``): the kind's permission and the filters
are checked at once, an ``Export`` row is written and the build task sent after the commit. The task
(``build_export``) builds the rows as the requester may see them — the same scoped selectors as the GraphQL lists,
so a social worker's case list has only their districts — writes CSV, XLSX or PDF and stores it privately under
``centers/<schema>/exports/<uuid>.<ext>``. Only the requester downloads it, through an expiring link issued after
the permission is checked again (``download_link``, audited); after RETENTION a daily task removes the file and
marks the export expired (``purge_expired``).

Idempotent: a build is keyed by the export (an advisory lock and its status), so a second delivery of the task
for a finished export does nothing; a purge of an expired export does nothing either."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ostoja.modules.cases import selectors as case_selectors
from ostoja.modules.cases import services as case_services
from ostoja.modules.foster_care import services as foster_services
from ostoja.modules.foster_care.models import FosterChild, Placement
from ostoja.modules.projects import services as project_services
from ostoja.platform import storage
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed
from ostoja.platform.exports import formats
from ostoja.platform.exports.models import Export, ExportFormat, ExportKind, ExportStatus
from ostoja.platform.staff.access import require_role, staff_profile
from ostoja.platform.staff.models import Role
from ostoja.platform.tasks import exclusively

# How long a built file stays downloadable (then the daily purge removes it).
RETENTION = timedelta(days=settings.OSTOJA_EXPORT_RETENTION_DAYS)
# Who sees every export of the center in the list (everyone else: their own).
DIRECTOR_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# Who may export the MRPiPS-03-like table of the whole center (the auditor too: read-only roles pass).
STATISTICS_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# A PDF of more rows than this is refused (a PDF of tens of thousands of rows helps nobody): CSV or XLSX then.
MAX_PDF_ROWS = 5000
ITERATOR_CHUNK = 2000


def retention() -> timedelta:
    return timedelta(days=settings.OSTOJA_EXPORT_RETENTION_DAYS)


# --- filters: cleaned at the request, stored as JSON, read back at the build ----------------------------------


def _date(value, field: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationFailed(_("Enter a valid date."), code="invalid_date", field=field) from None


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), code="invalid", field=field) from None


def _clean_filters(kind: str, filters: dict) -> dict:
    filters = dict(filters or {})
    if kind == ExportKind.CASES:
        clean = {
            "district_id": _int(filters.get("district_id"), "district_id"),
            "worker_id": _int(filters.get("worker_id"), "worker_id"),
            "status": filters.get("status") or None,
            "reason": filters.get("reason") or None,
            "overdue": filters.get("overdue"),
            "opened_from": _date(filters.get("opened_from"), "opened_from"),
            "opened_to": _date(filters.get("opened_to"), "opened_to"),
            "search": str(filters.get("search") or ""),
            "include_sensitive": bool(filters.get("include_sensitive")),
        }
    elif kind == ExportKind.MRPIPS:
        year, half = _int(filters.get("year"), "year"), _int(filters.get("half"), "half")
        if year is None or not 2000 <= year <= 9999:
            raise ValidationFailed(_("Give the year of the half-year."), code="invalid_period", field="year")
        if half not in (1, 2):
            raise ValidationFailed(_("A half-year is 1 or 2."), code="invalid_period", field="half")
        clean = {"year": year, "half": half}
    elif kind == ExportKind.FOSTER_CARE:
        status = filters.get("status") or None
        if status and status not in FosterChild.Status.values:
            raise ValidationFailed(_("This is not one of the allowed values."), code="invalid_choice", field="status")
        clean = {"status": status, "coordinator_id": _int(filters.get("coordinator_id"), "coordinator_id")}
    elif kind == ExportKind.PARTICIPANTS:
        clean = {
            "project_id": _int(filters.get("project_id"), "project_id"),
            "status": filters.get("status") or None,
            "search": str(filters.get("search") or ""),
        }
    else:
        raise ValidationFailed(_("Unknown kind of export."), code="invalid_choice", field="kind")
    return {k: v for k, v in clean.items() if v not in (None, "", False)}


def _dates(filters: dict, *names) -> dict:
    return {name: datetime.date.fromisoformat(filters[name]) if filters.get(name) else None for name in names}


# --- the rows of each kind, as the requester sees them --------------------------------------------------------


@dataclass
class Source:
    """What a build writes: a table whose rows are produced lazily, and what to audit once they were read."""

    table: formats.Table
    audit: callable = None  # called with the rows read (objects), after writing


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _cases_queryset(actor, filters: dict) -> QuerySet:
    values = {k: v for k, v in filters.items() if k not in ("opened_from", "opened_to")}
    values.update(_dates(filters, "opened_from", "opened_to"))
    return case_selectors.cases(actor, **values).order_by("person__last_name", "person__first_name", "id")


def _cases_source(actor, filters: dict) -> Source:
    queryset = _cases_queryset(actor, filters)
    include_sensitive = bool(filters.get("include_sensitive"))
    headers = [
        _("Last name"),
        _("First name"),
        _("PESEL"),
        _("District"),
        _("Status"),
        _("Opened on"),
        _("Closed on"),
        _("Social worker"),
        _("Reasons for help"),
    ]

    def rows():
        page = []
        for case in queryset.iterator(chunk_size=ITERATOR_CHUNK):
            page.append(case)
            if len(page) == ITERATOR_CHUNK:
                yield from _case_rows(actor, page, include_sensitive)
                page = []
        yield from _case_rows(actor, page, include_sensitive)

    return Source(formats.Table(str(_("Cases")), [str(h) for h in headers], rows()))


def _case_rows(actor, cases, include_sensitive: bool):
    if not cases:
        return
    case_services.reveal_reasons(actor, cases, include_sensitive=include_sensitive)  # audits what is sensitive
    for case in cases:
        person = case.person
        reasons = ", ".join(str(r) for r in case.visible_reasons)
        if case.restricted_reasons:
            restricted = str(_("(%(n)s restricted)") % {"n": case.restricted_reasons})
            reasons = f"{reasons}, {restricted}" if reasons else restricted
        yield [
            person.last_name,
            person.first_name,
            person.pesel,
            person.district.name if person.district else "",
            case.get_status_display(),
            case.opened_on,
            case.closed_on,
            _name(case.worker.user) if case.worker else "",
            reasons,
        ]


def _center():
    from ostoja.tenants.models import Center

    return Center.objects.get(schema_name=connection.schema_name)


def _mrpips_source(actor, filters: dict) -> Source:
    from ostoja.tenants import statistics

    require_role(actor, *STATISTICS_ROLES, write=False)
    window = statistics.published_window("half", filters["year"], filters["half"])
    center = _center()
    english = (translation.get_language() or "pl").startswith("en")
    headers = [_("Section"), _("Code"), _("Name"), _("Families"), _("Persons in families")]
    sections = (("reason", _("Reason for help (art. 7)")), ("form", _("Form of help")))

    def rows():
        for figure, label in sections:
            found = statistics.raw_rows([center], figure, window.date_from, window.date_to)
            for _center_name, code, name_pl, name_en, _order, families, persons in sorted(found, key=lambda r: r[4]):
                yield [str(label), code, (name_en or name_pl) if english else name_pl, families, persons]

    title = str(_("MRPiPS-03: families and persons helped, %(period)s") % {"period": window.key})
    subtitle = f"{center.name}: {window.date_from.isoformat()} – {window.date_to.isoformat()}"
    return Source(formats.Table(title, [str(h) for h in headers], rows(), subtitle=subtitle))


def _foster_queryset(actor, filters: dict) -> QuerySet:
    foster_services._check(actor, write=False)
    queryset = FosterChild.objects.select_related("person").prefetch_related(
        Prefetch(
            "placements",
            queryset=Placement.objects.filter(end_on__isnull=True).select_related("family__coordinator__user"),
            to_attr="current_placements",
        )
    )
    status = filters.get("status", FosterChild.Status.IN_CARE)
    if status:
        queryset = queryset.filter(status=status)
    if filters.get("coordinator_id"):
        queryset = queryset.filter(
            placements__end_on__isnull=True, placements__family__coordinator_id=filters["coordinator_id"]
        )
    return queryset.order_by("person__last_name", "person__first_name", "id")


def _foster_source(actor, filters: dict) -> Source:
    queryset = _foster_queryset(actor, filters)
    headers = [
        _("Last name"),
        _("First name"),
        _("Date of birth"),
        _("Status"),
        _("Placed on"),
        _("Court order reference"),
        _("Foster family"),
        _("Kind of family"),
        _("Coordinator"),
        _("Family reintegration goal"),
    ]

    def rows():
        for child in queryset.iterator(chunk_size=ITERATOR_CHUNK):
            placement = child.current_placements[0] if child.current_placements else None
            family = placement.family if placement else None
            coordinator = family.coordinator if family else None
            yield [
                child.person.last_name,
                child.person.first_name,
                child.person.date_of_birth,
                child.get_status_display(),
                placement.start_on if placement else None,
                placement.court_order_reference if placement else "",
                family.name if family else "",
                family.get_kind_display() if family else "",
                _name(coordinator.user) if coordinator else "",
                child.get_reintegration_goal_display(),
            ]

    return Source(formats.Table(str(_("Foster-care register")), [str(h) for h in headers], rows()))


def _participants_queryset(actor, filters: dict) -> QuerySet:
    return project_services.participants_queryset(
        actor, project_id=filters.get("project_id"), status=filters.get("status"), search=filters.get("search", "")
    ).order_by("project__code", "person__last_name", "person__first_name", "id")


def _participants_source(actor, filters: dict) -> Source:
    queryset = _participants_queryset(actor, filters)
    headers = [
        _("Project"),
        _("Last name"),
        _("First name"),
        _("PESEL"),
        _("Sex"),
        _("Age at enrolment"),
        _("Enrolled on"),
        _("Left on"),
        _("Reason for leaving"),
        _("Labour-market status"),
    ]

    def rows():
        page = []
        for participant in queryset.iterator(chunk_size=ITERATOR_CHUNK):
            page.append(participant)
            yield [
                participant.project.code,
                participant.person.last_name,
                participant.person.first_name,
                participant.person.pesel,
                participant.get_sex_display(),
                participant.age_at_enrolment,
                participant.enrolled_on,
                participant.exited_on,
                participant.get_exit_reason_display(),
                participant.get_labour_market_status_display(),
            ]
            if len(page) == ITERATOR_CHUNK:
                project_services.record_participant_reads(actor, page)  # every person read is audited
                page = []
        project_services.record_participant_reads(actor, page)

    return Source(formats.Table(str(_("Project participants")), [str(h) for h in headers], rows()))


SOURCES = {
    ExportKind.CASES: _cases_source,
    ExportKind.MRPIPS: _mrpips_source,
    ExportKind.FOSTER_CARE: _foster_source,
    ExportKind.PARTICIPANTS: _participants_source,
}


def check_kind(actor, kind: str, filters: dict) -> None:
    """The requester may export this kind with these filters (role, district scope, project access, filter values);
    nothing is read yet."""
    if kind == ExportKind.CASES:
        _cases_queryset(actor, filters)
    elif kind == ExportKind.MRPIPS:
        require_role(actor, *STATISTICS_ROLES, write=False)
    elif kind == ExportKind.FOSTER_CARE:
        _foster_queryset(actor, filters)
    elif kind == ExportKind.PARTICIPANTS:
        _participants_queryset(actor, filters)


ALL_DISTRICTS = "all"


def scope_of(actor, kind: str):
    """The district scope ``actor`` builds ``kind`` with: ``"all"``, or their district ids (sorted) for a social
    worker's case list (the only kind split by district). Stored on the export when its file is built."""
    if kind != ExportKind.CASES:
        return ALL_DISTRICTS
    districts = case_services.scope_for(actor, case_services.READ_ROLES, write=False).districts
    return ALL_DISTRICTS if districts is None else sorted(districts)


def scope_covers(current, built_with) -> bool:
    """The current scope reaches everything the file was built with (an unknown scope is covered by "all" only)."""
    if current == ALL_DISTRICTS:
        return True
    if built_with is None or built_with == ALL_DISTRICTS:
        return False
    return set(built_with) <= set(current)


# --- request, list, download --------------------------------------------------------------------------------


def _file_extension(fmt: str) -> str:
    return {ExportFormat.CSV: "csv", ExportFormat.XLSX: "xlsx", ExportFormat.PDF: "pdf"}[fmt]


def request_export(actor, kind: str, fmt: str, filters: dict | None = None) -> Export:
    """A PENDING export, its build task sent when the transaction commits."""
    staff_profile(actor)
    if kind not in ExportKind.values:
        raise ValidationFailed(_("Unknown kind of export."), code="invalid_choice", field="kind")
    if fmt not in ExportFormat.values:
        raise ValidationFailed(_("Choose CSV, XLSX or PDF."), code="invalid_choice", field="format")
    clean = _clean_filters(kind, filters or {})
    check_kind(actor, kind, clean)
    export = Export(kind=kind, format=fmt, filters=clean, requested_by=actor, language=translation.get_language() or "")
    export.key = storage.center_key("exports", f"{export.uuid.hex}.{_file_extension(fmt)}")
    export.save()
    record(actor, AuditAction.CREATE, export, changes={"filters": [None, clean]}, message=f"{kind} as {fmt}")
    from ostoja.platform.exports.tasks import build_export

    build_export.delay_on_commit(export.pk)
    return export


def exports_for(actor) -> QuerySet:
    """The caller's exports, newest first; a director's or deputy's: every export of the center."""
    profile = staff_profile(actor)
    queryset = Export.objects.select_related("requested_by")
    if not profile.has_role(*DIRECTOR_ROLES):
        queryset = queryset.filter(requested_by=actor)
    return queryset


def access_export(actor, export_id) -> Export:
    try:
        return exports_for(actor).get(pk=export_id)
    except (Export.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such export."), code="export_not_found") from None


def file_name(export: Export) -> str:
    day = (export.finished_at or export.created_at or timezone.now()).date().isoformat()
    names = {
        ExportKind.CASES: "cases",
        ExportKind.MRPIPS: "mrpips-03",
        ExportKind.FOSTER_CARE: "foster-care",
        ExportKind.PARTICIPANTS: "project-participants",
    }
    period = f"-{export.filters['year']}-H{export.filters['half']}" if export.kind == ExportKind.MRPIPS else ""
    return f"{names[export.kind]}{period}-{day}.{_file_extension(export.format)}"


def download_link(actor, export_id) -> storage.Link:
    """An expiring link to the file, for the requester only, if they may still export this (their role and scope
    are checked again: a social worker moved out of a district loses the file too); audited."""
    export = access_export(actor, export_id)
    if export.requested_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person who asked for an export may download it."), code="not_requester")
    if export.status == ExportStatus.EXPIRED:
        raise Conflict(_("This export has expired; ask for a new one."), code="export_expired")
    if export.status != ExportStatus.READY:
        raise Conflict(_("This export is not ready."), code="export_not_ready")
    check_kind(actor, export.kind, export.filters)
    if not scope_covers(scope_of(actor, export.kind), export.scope):
        raise PermissionDenied(
            _("This export holds data of districts that are no longer yours; ask for a new one."),
            code="scope_changed",
        )
    link = storage.download_link(export.key, file_name(export), formats.CONTENT_TYPES[export.format])
    record(actor, AuditAction.READ, export, message=f"download link for {export.kind} export")
    return link


# --- the build (the task's work) ------------------------------------------------------------------------------


def build(export_id) -> str:
    """Build and store the file of a PENDING export as its requester sees the data; a READY, FAILED or EXPIRED
    export (another delivery of the same task) is left alone. The export's status afterwards."""
    with exclusively(f"exports.build:{export_id}"):
        export = Export.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != ExportStatus.PENDING:
            return export.status if export else "missing"
        actor = export.requested_by
        try:
            with translation.override(export.language or settings.LANGUAGE_CODE):
                if actor is None or not actor.is_active:
                    raise PermissionDenied(_("The account that asked for this export is gone."), code="no_requester")
                scope = scope_of(actor, export.kind)
                source = SOURCES[export.kind](actor, export.filters)
                table = source.table
                if export.format == ExportFormat.PDF:
                    table.rows = _limited(table.rows, MAX_PDF_ROWS)
                written = formats.write(table, export.format)
        except ServiceError as exc:
            export.status = ExportStatus.FAILED
            export.error_code = exc.code[:60]
            with translation.override(export.language or settings.LANGUAGE_CODE):
                export.error = exc.message  # our own message (no personal data of the rows)
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error_code", "error", "finished_at"])
            record(actor, AuditAction.ACTION, export, message=f"export failed: {exc.code}")
            return export.status
        storage.save(export.key, written.data, formats.CONTENT_TYPES[export.format])
        now = timezone.now()
        export.status = ExportStatus.READY
        export.size = len(written.data)
        export.row_count = written.row_count
        export.finished_at = now
        export.expires_at = now + retention()
        export.scope = scope
        export.save(update_fields=["status", "size", "row_count", "finished_at", "expires_at", "scope"])
        record(
            actor,
            AuditAction.READ,
            export,
            message=f"{export.kind} exported as {export.format}: {written.row_count} rows",
        )
        return export.status


def _limited(rows, limit: int):
    for index, row in enumerate(rows):
        if index >= limit:
            raise ValidationFailed(
                _("A PDF holds at most %(max)s rows: choose CSV or XLSX, or narrow the filters."),
                code="too_many_rows",
                params={"max": limit},
            )
        yield row


UNEXPECTED_ERROR = _("The export could not be built because of an unexpected error; ask for it again later.")


def fail(export_id, exception: BaseException | None = None) -> None:
    """Mark a PENDING export failed after an unexpected error of its build (the task's last resort). Only a code and
    a fixed message are stored, never the exception's text (it may quote the data being written)."""
    export = Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).first()
    if export is None:
        return
    if isinstance(exception, ServiceError):
        code, message = exception.code, exception.message
    else:
        code, message = "internal_error", UNEXPECTED_ERROR
    with translation.override(export.language or settings.LANGUAGE_CODE):
        message = str(message)
    Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.FAILED, error_code=code[:60], error=message[:2000], finished_at=timezone.now()
    )


# --- retention ------------------------------------------------------------------------------------------------


def purge_expired(now=None) -> int:
    """Remove the files of READY exports past their expiry and mark them EXPIRED (the daily task's work); also
    close PENDING exports older than the retention that never got built. The number of exports expired."""
    now = now or timezone.now()
    expired = 0
    due = Export.objects.filter(
        Q(status=ExportStatus.READY, expires_at__lt=now)
        | Q(status__in=[ExportStatus.PENDING, ExportStatus.FAILED], created_at__lt=now - retention())
    ).values_list("pk", flat=True)
    for pk in list(due):
        with exclusively(f"exports.build:{pk}"):
            export = Export.objects.select_for_update().filter(pk=pk).first()
            if export is None or export.status == ExportStatus.EXPIRED:
                continue
            if export.key:
                storage.delete(export.key)
            export.status = ExportStatus.EXPIRED
            export.save(update_fields=["status"])
            record(None, AuditAction.DELETE, export, message="export file removed after the retention period")
            expired += 1
    return expired
