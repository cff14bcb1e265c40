"""The projects service layer: every rule about funded projects lives here (DESIGN.md §3).

Who may do what: project coordinators, directors and deputy directors read and change projects;
the auditor reads everything and changes nothing; everybody else is refused with
``PermissionDenied(code="role_required")``. Every write is audited with its field changes, and
every read of a participant's personal data writes a ``read`` entry for that person.

Public functions take the acting user first and fetch-and-check in one step (``access_project``).
The ``_create_*``/``_add_*`` helpers hold the validation and the write without the role check; the
demo seeder uses them with ``actor=None`` (recorded as a system action).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import slug_re
from django.db import IntegrityError, models, transaction
from django.db.models import Count, DecimalField, Exists, F, Func, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, JSONObject
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext_lazy as _
from stdnum.pl import pesel as pesel_lib

from ostoja.modules.cases import services as case_services
from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.projects.models import (
    Achievement,
    CenterRole,
    Characteristic,
    EducationLevel,
    ExitReason,
    FundingKind,
    FundingSource,
    IndicatorType,
    LabourMarketStatus,
    Participant,
    Partner,
    PeriodPrecision,
    Project,
    ProjectStatus,
    Target,
    TargetMeasure,
    TargetUnit,
)
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import diff, record, record_many, snapshot
from ostoja.platform.errors import Conflict, NotFound, ServiceError, ValidationFailed
from ostoja.platform.money import TOO_LARGE, TOO_MANY_PLACES, AmountInvalid, amount_too_large, parse_amount
from ostoja.platform.staff.access import require_role
from ostoja.platform.staff.models import Role, StaffProfile

PROJECT_ROLES = (Role.PROJECT_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)

# Which status may follow which. A finished project may be reopened (an annex extends it);
# settled and cancelled projects are closed for good.
STATUS_TRANSITIONS = {
    ProjectStatus.PLANNED: {ProjectStatus.RUNNING, ProjectStatus.CANCELLED},
    ProjectStatus.RUNNING: {ProjectStatus.FINISHED, ProjectStatus.CANCELLED},
    ProjectStatus.FINISHED: {ProjectStatus.SETTLED, ProjectStatus.RUNNING},
    ProjectStatus.SETTLED: set(),
    ProjectStatus.CANCELLED: set(),
}
CLOSED_STATUSES = {ProjectStatus.SETTLED, ProjectStatus.CANCELLED}

PROJECT_FIELDS = (
    "code",
    "title_pl",
    "title_en",
    "description_pl",
    "description_en",
    "programme",
    "umbrella_project",
    "center_role",
    "action",
    "center_tasks",
    "lead_organisation",
    "start_date",
    "end_date",
    "period_precision",
    "total_budget",
    "center_share",
    "coordinator_id",
)
TARGET_FIELDS = (
    "code",
    "name_pl",
    "name_en",
    "indicator_type",
    "unit",
    "target_value",
    "measure",
    "criterion_sex",
    "criterion_min_age",
    "criterion_max_age",
    "criterion_labour_statuses",
    "criterion_characteristic",
    "criterion_exit_statuses",
)
PARTICIPANT_EDITABLE_FIELDS = ("labour_market_status", "education_level", "characteristics", "notes")


# --- access -------------------------------------------------------------------------------------


def require_project_role(actor, *, write: bool):
    return require_role(actor, *PROJECT_ROLES, write=write)


def access_project(actor, project_id, *, write: bool = False) -> Project:
    """The project, after checking that ``actor`` may read it (or change it, with ``write=True``)."""
    require_project_role(actor, write=write)
    try:
        return Project.objects.get(pk=project_id)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("There is no such project."), code="project_not_found") from None


def access_participant(actor, participant_id, *, write: bool = False) -> Participant:
    require_project_role(actor, write=write)
    try:
        return Participant.objects.select_related("project", "person").get(pk=participant_id)
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("There is no such participant."), code="participant_not_found") from None


def access_target(actor, target_id, *, write: bool = False) -> Target:
    require_project_role(actor, write=write)
    try:
        return Target.objects.select_related("project").get(pk=target_id)
    except (Target.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("There is no such target."), code="target_not_found") from None


def _ensure_open(project: Project) -> None:
    if project.status in CLOSED_STATUSES:
        raise Conflict(
            _("The project is %(status)s and can no longer be changed."),
            code="project_closed",
            params={"status": project.get_status_display()},
        )


# --- validation helpers ---------------------------------------------------------------------------


def _money(value, field: str, errors: list, model_field) -> Decimal | None:
    """An amount in złoty stored in ``model_field``: at most two decimal places (not rounded), not negative,
    within the field's limits; ``None`` when empty."""
    if value is None or value == "":
        return None
    try:
        amount = parse_amount(value, model_field, rounding=None)
    except AmountInvalid as exc:
        if exc.reason == TOO_LARGE:
            errors.append(amount_too_large(field, model_field))
        elif exc.reason == TOO_MANY_PLACES:
            errors.append(
                ServiceError(_("An amount has at most two decimal places."), code="invalid_amount", field=field)
            )
        else:
            errors.append(ServiceError(_("Enter an amount in złoty."), code="invalid_amount", field=field))
        return None
    if amount < 0:
        errors.append(ServiceError(_("An amount cannot be negative."), code="negative_amount", field=field))
        return None
    return amount


def _positive_value(value, field: str, errors: list, model_field, error: ServiceError) -> Decimal | None:
    """A target value or achievement: above zero after rounding half-up to the field's decimal places, within
    the field's limits; ``error`` otherwise (``amount_too_large`` when too large)."""
    try:
        amount = parse_amount(value, model_field)
    except AmountInvalid as exc:
        if exc.reason == TOO_LARGE:
            errors.append(amount_too_large(field, model_field, _("The value must not exceed %(max)s.")))
            return None
        amount = None
    if amount is None or amount <= 0:
        errors.append(error)
        return None
    return amount


def _date(value, field: str, errors: list, *, required: bool = False) -> datetime.date | None:
    if value is None or value == "":
        if required:
            errors.append(ServiceError(_("This date is required."), code="required", field=field))
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.append(ServiceError(_("Enter a date as YYYY-MM-DD."), code="invalid_date", field=field))
        return None


def _choice(value, choices, field: str, errors: list, *, required: bool = True) -> str:
    if value in (None, ""):
        if required:
            errors.append(ServiceError(_("This field is required."), code="required", field=field))
        return ""
    if value not in choices.values:
        errors.append(ServiceError(_("This is not one of the allowed values."), code="invalid_choice", field=field))
        return ""
    return str(value)


def _choices_list(values, choices, field: str, errors: list) -> list[str]:
    values = list(values or [])
    bad = [v for v in values if v not in choices.values]
    if bad:
        errors.append(
            ServiceError(
                _("Not allowed: %(values)s."), code="invalid_choice", field=field, params={"values": ", ".join(bad)}
            )
        )
        return []
    return sorted(set(values))


def _text(value, field: str, errors: list, *, max_length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.append(ServiceError(_("This field is required."), code="required", field=field))
    elif len(text) > max_length:
        errors.append(
            ServiceError(_("At most %(max)d characters."), code="too_long", field=field, params={"max": max_length})
        )
    return text


def _raise(errors: list) -> None:
    if errors:
        first = errors[0]
        raise ValidationFailed(first._message, code=first.code, field=first.field, params=first.params, errors=errors)


def _validate_project(data: dict) -> dict:
    """Clean the project fields in ``data`` (a complete set) and check the rules between them."""
    errors: list[ServiceError] = []
    clean = {
        "code": _text(data.get("code"), "code", errors, max_length=60, required=True),
        "title_pl": _text(data.get("title_pl"), "title_pl", errors, max_length=300, required=True),
        "title_en": _text(data.get("title_en"), "title_en", errors, max_length=300),
        "description_pl": (data.get("description_pl") or "").strip(),
        "description_en": (data.get("description_en") or "").strip(),
        "programme": _text(data.get("programme"), "programme", errors, max_length=300),
        "umbrella_project": _text(data.get("umbrella_project"), "umbrella_project", errors, max_length=300),
        "center_role": _choice(data.get("center_role"), CenterRole, "center_role", errors),
        "action": _text(data.get("action"), "action", errors, max_length=200),
        "center_tasks": (data.get("center_tasks") or "").strip(),
        "lead_organisation": _text(data.get("lead_organisation"), "lead_organisation", errors, max_length=300),
        "start_date": _date(data.get("start_date"), "start_date", errors),
        "end_date": _date(data.get("end_date"), "end_date", errors),
        "period_precision": _choice(
            data.get("period_precision") or PeriodPrecision.DAY, PeriodPrecision, "period_precision", errors
        ),
        "total_budget": _money(data.get("total_budget"), "total_budget", errors, Project.total_budget.field),
        "center_share": _money(data.get("center_share"), "center_share", errors, Project.center_share.field),
        "coordinator_id": data.get("coordinator_id"),
    }
    if clean["code"] and not slug_re.fullmatch(clean["code"]):
        errors.append(ServiceError(_("Use letters, digits and hyphens only."), code="invalid_code", field="code"))
    coordinator_id = clean["coordinator_id"]
    if coordinator_id not in (None, "") and not (
        str(coordinator_id).isdigit()
        and StaffProfile.objects.filter(user_id=int(coordinator_id), roles__overlap=list(PROJECT_ROLES)).exists()
    ):
        errors.append(
            ServiceError(
                _("The coordinator must be a staff member who may run projects."),
                code="invalid_coordinator",
                field="coordinator_id",
            )
        )
    clean["coordinator_id"] = int(coordinator_id) if coordinator_id not in (None, "") and not errors else None
    start, end = clean["start_date"], clean["end_date"]
    if start and end and start > end:
        errors.append(
            ServiceError(_("The project cannot end before it starts."), code="period_reversed", field="end_date")
        )
    if clean["period_precision"] == PeriodPrecision.YEAR and (
        (start and (start.month, start.day) != (1, 1)) or (end and (end.month, end.day) != (12, 31))
    ):
        errors.append(
            ServiceError(
                _("A period given in years runs from 1 January to 31 December."),
                code="year_period_bounds",
                field="period_precision",
            )
        )
    total, share = clean["total_budget"], clean["center_share"]
    if total is not None and share is not None and share > total:
        errors.append(
            ServiceError(
                _("The center's share (%(share)s zł) cannot exceed the total budget (%(total)s zł)."),
                code="share_exceeds_total",
                field="center_share",
                params={"share": share, "total": total},
            )
        )
    _raise(errors)
    return clean


def _check_funding_within_total(project: Project, sources) -> None:
    known = sum((s.amount for s in sources if s.amount is not None), Decimal(0))
    if project.total_budget is not None and known > project.total_budget:
        raise ValidationFailed(
            _("The funding sources (%(sum)s zł) exceed the total budget (%(total)s zł)."),
            code="funding_exceeds_total",
            field="amount",
            params={"sum": known, "total": project.total_budget},
        )


def _check_code_free(model, code: str, exclude_pk=None, **scope) -> None:
    qs = model.objects.filter(code=code, **scope)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise Conflict(
            _("The code %(code)s is already used."), code="duplicate_code", field="code", params={"code": code}
        )


# --- projects -------------------------------------------------------------------------------------


def _create_project(actor, *, status=ProjectStatus.PLANNED, funding_sources=(), partners=(), **data) -> Project:
    unknown = set(data) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s."), code="unknown_field", params={"fields": ", ".join(sorted(unknown))}
        )
    clean = _validate_project(data)
    if status not in ProjectStatus.values:
        raise ValidationFailed(_("This is not one of the allowed values."), code="invalid_choice", field="status")
    _check_code_free(Project, clean["code"])
    with transaction.atomic():
        project = Project.objects.create(status=status, created_by=_user(actor), **clean)
        record(actor, AuditAction.CREATE, project, changes=diff({}, snapshot(project, [*PROJECT_FIELDS, "status"])))
        for source in funding_sources:
            _add_funding_source(actor, project, **source)
        for partner in partners:
            _add_partner(actor, project, **partner)
    return project


def create_project(actor, **data) -> Project:
    """Create a project. ``data``: the fields in PROJECT_FIELDS, optionally ``status`` (default planned:
    a project already under way may be registered as running or finished), ``funding_sources`` (dicts for
    ``add_funding_source``) and ``partners`` (dicts for ``add_partner``). The coordinator may be given as
    ``coordinator_id`` (a user) or ``coordinator_staff_id`` (a staff member)."""
    require_project_role(actor, write=True)
    return _create_project(actor, **_coordinator_from_staff(data))


def _coordinator_from_staff(data: dict) -> dict:
    """``coordinator_staff_id`` (a staff member, as the API names them) becomes ``coordinator_id`` (their user);
    an unknown staff member fails the coordinator validation (``invalid_coordinator``)."""
    if "coordinator_staff_id" not in data:
        return data
    data = dict(data)
    staff_id = data.pop("coordinator_staff_id")
    if staff_id is None:
        data["coordinator_id"] = None
    else:
        user_id = StaffProfile.objects.filter(pk=staff_id).values_list("user_id", flat=True).first()
        data["coordinator_id"] = user_id if user_id is not None else "unknown"
    return data


def update_project(actor, project_id, **changes) -> Project:
    """Change project fields (PROJECT_FIELDS). The period may not shrink past recorded enrolments or
    achievements, and the total budget not below the share or the known funding."""
    project = access_project(actor, project_id, write=True)
    _ensure_open(project)
    changes = _coordinator_from_staff(changes)
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s."), code="unknown_field", params={"fields": ", ".join(sorted(unknown))}
        )
    before = snapshot(project, list(PROJECT_FIELDS))
    clean = _validate_project({**before, **changes})
    if clean["code"] != project.code:
        _check_code_free(Project, clean["code"], exclude_pk=project.pk)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        for name, value in clean.items():
            setattr(project, name, value)
        outside = _enrolments_outside(project)
        if outside:
            raise Conflict(
                _("%(count)d enrolments would fall outside the new period."),
                code="enrolments_outside_period",
                field="start_date",
                params={"count": outside},
            )
        _check_funding_within_total(project, project.funding_sources.all())
        changed = diff(before, snapshot(project, list(PROJECT_FIELDS)))
        if changed:
            project.save()
            record(actor, AuditAction.UPDATE, project, changes=changed)
    return project


def _enrolments_outside(project: Project) -> int:
    q = Q()
    if project.start_date:
        q |= Q(enrolled_on__lt=project.start_date)
    if project.end_date:
        q |= Q(enrolled_on__gt=project.end_date) | Q(exited_on__gt=project.end_date)
    return project.participants.filter(q).count() if q else 0


def change_project_status(actor, project_id, status: str) -> Project:
    """Move a project along planned → running → finished → settled (or cancelled; a finished
    project may be reopened). A project cannot finish while participants are still enrolled."""
    project = access_project(actor, project_id, write=True)
    if status not in ProjectStatus.values:
        raise ValidationFailed(_("This is not one of the allowed values."), code="invalid_choice", field="status")
    if status not in STATUS_TRANSITIONS[ProjectStatus(project.status)]:
        raise Conflict(
            _("A %(old)s project cannot become %(new)s."),
            code="invalid_transition",
            field="status",
            params={"old": project.get_status_display(), "new": ProjectStatus(status).label},
        )
    if status in (ProjectStatus.FINISHED, ProjectStatus.SETTLED):
        active = project.participants.filter(exited_on__isnull=True).count()
        if active:
            raise Conflict(
                _("%(count)d participants are still enrolled: record their exit first."),
                code="participants_still_enrolled",
                field="status",
                params={"count": active},
            )
    old = project.status
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    record(actor, AuditAction.UPDATE, project, changes={"status": [old, status]})
    return project


def _project_queryset():
    return (
        Project.objects.annotate(
            participants_total=Count("participants__person", distinct=True),
            participants_active=Count(
                "participants__person", distinct=True, filter=Q(participants__exited_on__isnull=True)
            ),
        )
        .select_related("coordinator")
        .prefetch_related(
            Prefetch("targets", queryset=targets_with_progress(), to_attr="target_list"),
            "funding_sources",
            "partners",
        )
    )


def list_projects(actor, *, status: str | None = None) -> list[Project]:
    """All projects of the center, each with ``target_list`` (targets annotated with ``achieved``),
    funding sources, partners and participant counts, in a constant number of queries."""
    require_project_role(actor, write=False)
    qs = _project_queryset()
    if status:
        qs = qs.filter(status=status)
    return list(qs)


def get_project(actor, project_id) -> Project:
    """One project with the same annotations as ``list_projects``."""
    require_project_role(actor, write=False)
    try:
        return _project_queryset().get(pk=project_id)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("There is no such project."), code="project_not_found") from None


# --- funding and partners --------------------------------------------------------------------------


def _add_funding_source(actor, project: Project, *, kind, amount=None, description="") -> FundingSource:
    errors: list[ServiceError] = []
    kind = _choice(kind, FundingKind, "kind", errors)
    amount = _money(amount, "amount", errors, FundingSource.amount.field)
    description = _text(description, "description", errors, max_length=300)
    if kind == FundingKind.OTHER and not description:
        errors.append(ServiceError(_("Describe the other source."), code="required", field="description"))
    _raise(errors)
    existing = list(project.funding_sources.all())
    if any(s.kind == kind and s.description == description for s in existing):
        raise Conflict(_("This funding source is already listed."), code="duplicate_funding_source", field="kind")
    candidate = FundingSource(project=project, kind=kind, amount=amount, description=description)
    _check_funding_within_total(project, [*existing, candidate])
    candidate.save()
    record(
        actor,
        AuditAction.CREATE,
        candidate,
        changes=diff({}, snapshot(candidate, ["project_id", "kind", "amount", "description"])),
    )
    return candidate


def add_funding_source(actor, project_id, *, kind, amount=None, description="") -> FundingSource:
    """Add a source (EFS, state budget, commune budget, other + description) with its amount in złoty
    (``None`` when not known). The known amounts together may not exceed the total budget."""
    project = access_project(actor, project_id, write=True)
    _ensure_open(project)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        return _add_funding_source(actor, project, kind=kind, amount=amount, description=description)


def remove_funding_source(actor, funding_source_id) -> None:
    require_project_role(actor, write=True)
    source = FundingSource.objects.select_related("project").filter(pk=funding_source_id).first()
    if source is None:
        raise NotFound(_("There is no such funding source."), code="funding_source_not_found")
    _ensure_open(source.project)
    before = snapshot(source, ["project_id", "kind", "amount", "description"])
    record(actor, AuditAction.DELETE, source, changes=diff(before, {}))
    source.delete()


def _add_partner(actor, project: Project, *, name, role_description="") -> Partner:
    errors: list[ServiceError] = []
    name = _text(name, "name", errors, max_length=300, required=True)
    role_description = _text(role_description, "role_description", errors, max_length=300)
    _raise(errors)
    if project.partners.filter(name__iexact=name).exists():
        raise Conflict(
            _("%(name)s is already a partner."), code="duplicate_partner", field="name", params={"name": name}
        )
    partner = Partner.objects.create(project=project, name=name, role_description=role_description)
    record(
        actor,
        AuditAction.CREATE,
        partner,
        changes=diff({}, snapshot(partner, ["project_id", "name", "role_description"])),
    )
    return partner


def add_partner(actor, project_id, *, name, role_description="") -> Partner:
    project = access_project(actor, project_id, write=True)
    _ensure_open(project)
    return _add_partner(actor, project, name=name, role_description=role_description)


def remove_partner(actor, partner_id) -> None:
    require_project_role(actor, write=True)
    partner = Partner.objects.select_related("project").filter(pk=partner_id).first()
    if partner is None:
        raise NotFound(_("There is no such partner."), code="partner_not_found")
    _ensure_open(partner.project)
    record(actor, AuditAction.DELETE, partner, changes=diff(snapshot(partner, ["project_id", "name"]), {}))
    partner.delete()


# --- targets and progress ---------------------------------------------------------------------------


class AnyOf(Func):
    """``value = ANY(array)`` – true when the array column contains the value."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


class Cardinality(Func):
    function = "cardinality"
    output_field = models.IntegerField()


def _participants_matching_target():
    """Participants of the outer target's project that meet all of its criteria (empty = any)."""
    t = OuterRef
    return Participant.objects.filter(
        Q(project_id=t("project_id")),
        Q(Exact(t("criterion_sex"), Value(""))) | Q(sex=t("criterion_sex")),
        Q(IsNull(t("criterion_min_age"), True)) | Q(age_at_enrolment__gte=t("criterion_min_age")),
        Q(IsNull(t("criterion_max_age"), True)) | Q(age_at_enrolment__lte=t("criterion_max_age")),
        Q(Exact(Cardinality(t("criterion_labour_statuses")), 0))
        | Q(AnyOf(F("labour_market_status"), t("criterion_labour_statuses"))),
        Q(Exact(t("criterion_characteristic"), Value("")))
        | Q(AnyOf(t("criterion_characteristic"), F("characteristics"))),
        Q(Exact(Cardinality(t("criterion_exit_statuses")), 0))
        | Q(AnyOf(F("labour_market_status_at_exit"), t("criterion_exit_statuses"))),
    )


def targets_with_progress():
    """Targets annotated with ``achieved`` (Decimal): distinct matching persons for targets counted from
    participants, the sum of recorded achievements otherwise. One query for any number of targets."""
    money = DecimalField(max_digits=14, decimal_places=2)
    counted = Subquery(
        _participants_matching_target()
        .order_by()
        .values("project_id")
        .annotate(n=Count("person_id", distinct=True))
        .values("n")[:1],
        output_field=models.IntegerField(),
    )
    recorded = Subquery(
        Achievement.objects.filter(target_id=OuterRef("pk"))
        .order_by()
        .values("target_id")
        .annotate(s=Sum("value"))
        .values("s")[:1],
        output_field=money,
    )
    return Target.objects.annotate(
        achieved=models.Case(
            models.When(measure=TargetMeasure.PARTICIPANTS, then=Coalesce(counted, 0, output_field=money)),
            default=Coalesce(recorded, Value(Decimal(0)), output_field=money),
            output_field=money,
        )
    ).order_by("id")


def project_progress(actor, project_id) -> list[Target]:
    """The project's targets with ``achieved`` and ``progress_percent``."""
    project = access_project(actor, project_id, write=False)
    return list(targets_with_progress().filter(project=project))


def _validate_target(data: dict) -> dict:
    errors: list[ServiceError] = []
    clean = {
        "code": _text(data.get("code"), "code", errors, max_length=60, required=True),
        "name_pl": _text(data.get("name_pl"), "name_pl", errors, max_length=300, required=True),
        "name_en": _text(data.get("name_en"), "name_en", errors, max_length=300),
        "indicator_type": _choice(
            data.get("indicator_type") or IndicatorType.OUTPUT, IndicatorType, "indicator_type", errors
        ),
        "unit": _choice(data.get("unit"), TargetUnit, "unit", errors),
        "measure": _choice(data.get("measure"), TargetMeasure, "measure", errors),
        "criterion_sex": _choice(data.get("criterion_sex"), Sex, "criterion_sex", errors, required=False),
        "criterion_min_age": data.get("criterion_min_age"),
        "criterion_max_age": data.get("criterion_max_age"),
        "criterion_labour_statuses": _choices_list(
            data.get("criterion_labour_statuses"), LabourMarketStatus, "criterion_labour_statuses", errors
        ),
        "criterion_characteristic": _choice(
            data.get("criterion_characteristic"), Characteristic, "criterion_characteristic", errors, required=False
        ),
        "criterion_exit_statuses": _choices_list(
            data.get("criterion_exit_statuses"), LabourMarketStatus, "criterion_exit_statuses", errors
        ),
    }
    if clean["code"] and not slug_re.fullmatch(clean["code"]):
        errors.append(ServiceError(_("Use letters, digits and hyphens only."), code="invalid_code", field="code"))
    clean["target_value"] = _positive_value(
        data.get("target_value"),
        "target_value",
        errors,
        Target.target_value.field,
        ServiceError(_("The target value must be above zero."), code="invalid_target_value", field="target_value"),
    )
    for field in ("criterion_min_age", "criterion_max_age"):
        age = clean[field]
        if age is not None and (not isinstance(age, int) or age < 0 or age > 150):
            errors.append(ServiceError(_("Enter an age in years."), code="invalid_age", field=field))
    lo, hi = clean["criterion_min_age"], clean["criterion_max_age"]
    if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        errors.append(
            ServiceError(
                _("The minimum age is above the maximum age."), code="age_range_reversed", field="criterion_max_age"
            )
        )
    has_criteria = any(clean[f] not in ("", None, []) for f in TARGET_FIELDS if f.startswith("criterion_"))
    if clean["measure"] == TargetMeasure.PARTICIPANTS and clean["unit"] and clean["unit"] != TargetUnit.PERSONS:
        errors.append(
            ServiceError(
                _("A target counted from participants is measured in persons."), code="unit_not_persons", field="unit"
            )
        )
    if clean["measure"] == TargetMeasure.RECORDED and has_criteria:
        errors.append(
            ServiceError(
                _("Participant criteria apply only to targets counted from participants."),
                code="criteria_need_participants",
                field="measure",
            )
        )
    _raise(errors)
    return clean


def _add_target(actor, project: Project, **data) -> Target:
    unknown = set(data) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s."), code="unknown_field", params={"fields": ", ".join(sorted(unknown))}
        )
    clean = _validate_target(data)
    _check_code_free(Target, clean["code"], project=project)
    target = Target.objects.create(project=project, **clean)
    record(actor, AuditAction.CREATE, target, changes=diff({}, snapshot(target, ["project_id", *TARGET_FIELDS])))
    return target


def add_target(actor, project_id, **data) -> Target:
    """Add an indicator: ``code``, ``name_pl``, ``name_en``, ``indicator_type``, ``unit``, ``target_value``,
    ``measure`` and, for targets counted from participants, the ``criterion_*`` fields."""
    project = access_project(actor, project_id, write=True)
    _ensure_open(project)
    return _add_target(actor, project, **data)


def update_target(actor, target_id, **changes) -> Target:
    target = access_target(actor, target_id, write=True)
    _ensure_open(target.project)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s."), code="unknown_field", params={"fields": ", ".join(sorted(unknown))}
        )
    before = snapshot(target, list(TARGET_FIELDS))
    clean = _validate_target({**before, **changes})
    if clean["code"] != target.code:
        _check_code_free(Target, clean["code"], exclude_pk=target.pk, project=target.project)
    if clean["measure"] == TargetMeasure.PARTICIPANTS and target.achievements.exists():
        raise Conflict(
            _("Remove the recorded achievements before counting this target from participants."),
            code="target_has_achievements",
            field="measure",
        )
    for name, value in clean.items():
        setattr(target, name, value)
    changed = diff(before, snapshot(target, list(TARGET_FIELDS)))
    if changed:
        target.save()
        record(actor, AuditAction.UPDATE, target, changes=changed)
    return target


def _record_achievement(actor, target: Target, *, value, achieved_on, note="") -> Achievement:
    if target.measure != TargetMeasure.RECORDED:
        raise Conflict(
            _("This target is counted from participants; achievements cannot be recorded for it."),
            code="target_counted_from_participants",
        )
    errors: list[ServiceError] = []
    amount = _positive_value(
        value,
        "value",
        errors,
        Achievement.value.field,
        ServiceError(_("The value must be above zero."), code="invalid_value", field="value"),
    )
    day = _date(achieved_on, "achieved_on", errors, required=True)
    note = _text(note, "note", errors, max_length=300)
    if day and not target.project.contains(day):
        errors.append(
            ServiceError(
                _("The date is outside the project period (%(period)s)."),
                code="outside_project_period",
                field="achieved_on",
                params={"period": target.project.period_label},
            )
        )
    _raise(errors)
    achievement = Achievement.objects.create(
        target=target, value=amount, achieved_on=day, note=note, created_by=_user(actor)
    )
    record(
        actor,
        AuditAction.CREATE,
        achievement,
        changes=diff({}, snapshot(achievement, ["target_id", "value", "achieved_on", "note"])),
    )
    return achievement


def record_achievement(actor, target_id, *, value, achieved_on, note="") -> Achievement:
    """Record a contribution to a target measured by recorded achievements."""
    target = access_target(actor, target_id, write=True)
    _ensure_open(target.project)
    return _record_achievement(actor, target, value=value, achieved_on=achieved_on, note=note)


def remove_achievement(actor, achievement_id) -> None:
    require_project_role(actor, write=True)
    achievement = Achievement.objects.select_related("target__project").filter(pk=achievement_id).first()
    if achievement is None:
        raise NotFound(_("There is no such achievement."), code="achievement_not_found")
    _ensure_open(achievement.target.project)
    before = snapshot(achievement, ["target_id", "value", "achieved_on", "note"])
    record(actor, AuditAction.DELETE, achievement, changes=diff(before, {}))
    achievement.delete()


# --- participants -----------------------------------------------------------------------------------


def birth_date_of(person: Person) -> datetime.date | None:
    """The person's date of birth, or the one encoded in the PESEL."""
    if person.date_of_birth:
        return person.date_of_birth
    if person.pesel and pesel_lib.is_valid(person.pesel):
        return pesel_lib.get_birth_date(person.pesel)
    return None


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _enrol(
    actor,
    project: Project,
    person: Person,
    *,
    enrolled_on,
    labour_market_status,
    characteristics=(),
    education_level="",
    notes="",
) -> Participant:
    _ensure_open(project)
    errors: list[ServiceError] = []
    day = _date(enrolled_on, "enrolled_on", errors, required=True)
    status = _choice(labour_market_status, LabourMarketStatus, "labour_market_status", errors)
    characteristics = _choices_list(characteristics, Characteristic, "characteristics", errors)
    education_level = _choice(education_level, EducationLevel, "education_level", errors, required=False)
    if day and not project.contains(day):
        errors.append(
            ServiceError(
                _("The enrolment date is outside the project period (%(period)s)."),
                code="enrolment_outside_period",
                field="enrolled_on",
                params={"period": project.period_label},
            )
        )
    birth = birth_date_of(person)
    if birth is None:
        errors.append(
            ServiceError(_("The person's date of birth is not known."), code="birth_date_unknown", field="person")
        )
    elif day and birth > day:
        errors.append(
            ServiceError(
                _("The person was not born yet on that date."), code="born_after_enrolment", field="enrolled_on"
            )
        )
    _raise(errors)
    previous = project.participants.filter(person=person)
    if previous.filter(exited_on__isnull=True).exists():
        raise Conflict(
            _("%(person)s is already enrolled in this project."),
            code="duplicate_enrolment",
            field="person",
            params={"person": str(person)},
        )
    if previous.filter(exited_on__gte=day).exists():
        raise Conflict(
            _("This enrolment overlaps an earlier enrolment of the same person."),
            code="overlapping_enrolment",
            field="enrolled_on",
        )
    participant = Participant(
        project=project,
        person=person,
        enrolled_on=day,
        sex=person.sex,
        age_at_enrolment=age_on(birth, day),
        labour_market_status=status,
        characteristics=characteristics,
        education_level=education_level,
        notes=(notes or "").strip(),
        created_by=_user(actor),
    )
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise Conflict(
            _("%(person)s is already enrolled in this project."),
            code="duplicate_enrolment",
            field="person",
            params={"person": str(person)},
        ) from None
    record(
        actor,
        AuditAction.CREATE,
        participant,
        changes=diff(
            {},
            snapshot(
                participant,
                [
                    "project_id",
                    "person_id",
                    "enrolled_on",
                    "sex",
                    "age_at_enrolment",
                    "labour_market_status",
                    "characteristics",
                    "education_level",
                ],
            ),
        ),
    )
    return participant


def _enrollable_person(actor, person_id, pesel: str = "") -> Person:
    """The person to enrol, if the caller may name them: staff who read the register, within their districts;
    others (project coordinators) only someone already taking part in one of the center's projects, or a new
    participant whose PESEL they give (from the person's documents). Anything else is "no such person": a record
    number alone must never open a record the caller may not read."""
    not_found = NotFound(_("There is no such person."), code="person_not_found", field="person")
    try:
        person = Person.objects.select_related("district").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise not_found from None
    if actor is case_services.SYSTEM:
        return person
    profile = require_project_role(actor, write=True)
    if set(profile.roles) & set(case_services.READ_ROLES):
        try:
            return case_services.access_person(actor, person.pk)
        except ServiceError:
            raise not_found from None
    if (pesel and person.pesel == pesel.strip()) or Participant.objects.filter(person=person).exists():
        return person
    raise not_found


def enrol_participant(
    actor,
    project_id,
    *,
    person_id,
    enrolled_on,
    labour_market_status,
    characteristics=(),
    education_level="",
    notes="",
    pesel: str = "",
) -> Participant:
    """Enrol a person. The enrolment date must fall within the project period; a person has at most one
    active enrolment per project. Sex and age at enrolment are taken from the person's record. Who may be
    enrolled: see ``_enrollable_person`` (a new participant of a coordinator without the register: by PESEL)."""
    project = access_project(actor, project_id, write=True)
    person = _enrollable_person(actor, person_id, pesel)
    return _enrol(
        actor,
        project,
        person,
        enrolled_on=enrolled_on,
        labour_market_status=labour_market_status,
        characteristics=characteristics,
        education_level=education_level,
        notes=notes,
    )


def _end_participation(actor, participant: Participant, *, exited_on, exit_reason, labour_market_status_at_exit=""):
    project = participant.project
    _ensure_open(project)
    if participant.exited_on is not None:
        raise Conflict(_("This participant has already left the project."), code="already_exited")
    errors: list[ServiceError] = []
    day = _date(exited_on, "exited_on", errors, required=True)
    reason = _choice(exit_reason, ExitReason, "exit_reason", errors)
    status = _choice(
        labour_market_status_at_exit, LabourMarketStatus, "labour_market_status_at_exit", errors, required=False
    )
    if day and day < participant.enrolled_on:
        errors.append(
            ServiceError(
                _("A participant cannot leave before enrolling."), code="exit_before_enrolment", field="exited_on"
            )
        )
    elif day and not project.contains(day):
        errors.append(
            ServiceError(
                _("The exit date is outside the project period (%(period)s)."),
                code="exit_outside_period",
                field="exited_on",
                params={"period": project.period_label},
            )
        )
    _raise(errors)
    fields = ["exited_on", "exit_reason", "labour_market_status_at_exit"]
    before = snapshot(participant, fields)
    participant.exited_on, participant.exit_reason, participant.labour_market_status_at_exit = day, reason, status
    participant.save(update_fields=[*fields, "updated_at"])
    record(actor, AuditAction.UPDATE, participant, changes=diff(before, snapshot(participant, fields)))
    return participant


def end_participation(actor, participant_id, *, exited_on, exit_reason, labour_market_status_at_exit="") -> Participant:
    """Record that a participant left (the exit date within the project period), with the reason and
    the labour-market status at exit (for result indicators)."""
    participant = access_participant(actor, participant_id, write=True)
    return _end_participation(
        actor,
        participant,
        exited_on=exited_on,
        exit_reason=exit_reason,
        labour_market_status_at_exit=labour_market_status_at_exit,
    )


def update_participant(actor, participant_id, **changes) -> Participant:
    """Correct the monitoring data a participant declared (labour-market status at enrolment,
    education, characteristics, notes). Sex and age come from the person and are not edited here."""
    participant = access_participant(actor, participant_id, write=True)
    _ensure_open(participant.project)
    unknown = set(changes) - set(PARTICIPANT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s."), code="unknown_field", params={"fields": ", ".join(sorted(unknown))}
        )
    errors: list[ServiceError] = []
    clean = {}
    if "labour_market_status" in changes:
        clean["labour_market_status"] = _choice(
            changes["labour_market_status"], LabourMarketStatus, "labour_market_status", errors
        )
    if "education_level" in changes:
        clean["education_level"] = _choice(
            changes["education_level"], EducationLevel, "education_level", errors, required=False
        )
    if "characteristics" in changes:
        clean["characteristics"] = _choices_list(changes["characteristics"], Characteristic, "characteristics", errors)
    if "notes" in changes:
        clean["notes"] = (changes["notes"] or "").strip()
    _raise(errors)
    before = snapshot(participant, list(clean))
    for name, value in clean.items():
        setattr(participant, name, value)
    changed = diff(before, snapshot(participant, list(clean)))
    if changed:
        participant.save(update_fields=[*clean, "updated_at"])
        record(actor, AuditAction.UPDATE, participant, changes=changed)
    return participant


def get_participant(actor, participant_id) -> Participant:
    """One participant with the person's data; the read is audited on the person."""
    participant = access_participant(actor, participant_id, write=False)
    _record_person_reads(actor, [participant])
    return participant


def list_participants(actor, project_id, *, active_only: bool = False) -> list[Participant]:
    """The project's participants with their persons (two queries plus one audit insert); every
    person whose data is returned gets a ``read`` audit entry."""
    project = access_project(actor, project_id, write=False)
    qs = project.participants.select_related("person").order_by("person__last_name", "person__first_name", "id")
    if active_only:
        qs = qs.filter(exited_on__isnull=True)
    participants = list(qs)
    _record_person_reads(actor, participants)
    return participants


def _record_person_reads(actor, participants) -> None:
    """One audit row per person read, written in a single insert per project (``record`` writes one row per call)."""
    by_project: dict[str, list[Person]] = {}
    for p in participants:
        by_project.setdefault(p.project.code, []).append(p.person)
    for code, persons in by_project.items():
        record_many(actor, AuditAction.READ, persons, message=f"project participant: {code}")


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- scoped reads for lists (the GraphQL API) ---------------------------------------------------------

PARTICIPANT_STATUSES = ("active", "exited")


def _words(search: str) -> list[str]:
    return [w for w in (search or "").split() if w]


def _check_range(start, end, field: str) -> None:
    if start and end and start > end:
        raise ValidationFailed(_("The period must not end before it starts."), code="period_reversed", field=field)


def _count_persons(condition: Q | None = None):
    persons = (
        Participant.objects.filter(condition or Q(), project_id=OuterRef("pk"))
        .order_by()
        .values("project_id")
        .annotate(n=Count("person_id", distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(persons, output_field=models.IntegerField()), 0)


def _json_rows(queryset, **fields):
    """The rows of ``queryset`` (correlated to the outer project) as one array of JSON objects."""
    return ArraySubquery(queryset.order_by("id").values(row=JSONObject(**fields)))


def _as_text(name):
    return Cast(name, models.TextField())


def _project_page_queryset():
    """Projects with everything a list shows folded into the page's own statement: participant counts, the
    coordinator, and JSON arrays of targets (with ``achieved``), funding sources and partners that
    ``related_of`` turns back into model instances. A page then costs one statement (plus the count) whatever
    its size or what it asks for."""
    return Project.objects.select_related("coordinator__staff_profile").annotate(
        participants_total=_count_persons(),
        participants_active=_count_persons(Q(exited_on__isnull=True)),
        targets_json=_json_rows(
            targets_with_progress().filter(project_id=OuterRef("pk")),
            **{name: name for name in ("id", "project_id", *TARGET_FIELDS) if name != "target_value"},
            target_value=_as_text("target_value"),
            achieved=_as_text("achieved"),
        ),
        funding_json=_json_rows(
            FundingSource.objects.filter(project_id=OuterRef("pk")),
            id="id",
            project_id="project_id",
            kind="kind",
            description="description",
            amount=_as_text("amount"),
        ),
        partners_json=_json_rows(
            Partner.objects.filter(project_id=OuterRef("pk")),
            id="id",
            project_id="project_id",
            name="name",
            role_description="role_description",
        ),
    )


def _decimal(value):
    return None if value is None else Decimal(value)


def related_of(project: Project, name: str) -> list:
    """``targets`` (with ``achieved``), ``funding_sources`` or ``partners`` of a project: from the JSON a
    list page carries (``projects_queryset``), from ``target_list`` or the database otherwise."""
    rows = getattr(
        project, {"targets": "targets_json", "funding_sources": "funding_json", "partners": "partners_json"}[name], None
    )
    if rows is not None:
        if name == "targets":
            targets = []
            for row in rows:
                values = {**row, "target_value": Decimal(row["target_value"])}
                achieved = _decimal(values.pop("achieved"))
                targets.append(_with(Target(**values), achieved=achieved, project=project))
            return targets
        if name == "funding_sources":
            return [_with(FundingSource(**{**row, "amount": _decimal(row["amount"])}), project=project) for row in rows]
        return [_with(Partner(**row), project=project) for row in rows]
    if name == "targets":
        cached = getattr(project, "target_list", None)
        return cached if cached is not None else list(targets_with_progress().filter(project=project))
    return list(getattr(project, name).all())


def _with(obj, **attributes):
    for key, value in attributes.items():
        setattr(obj, key, value)
    return obj


def projects_queryset(
    actor,
    *,
    status: str | None = None,
    programme: str = "",
    funding_kind: str | None = None,
    active_from: datetime.date | None = None,
    active_to: datetime.date | None = None,
    search: str = "",
):
    """The center's projects for a list: each with ``target_list`` (targets with progress), funding sources,
    partners, the coordinator and participant counts, in a constant number of queries for any page size.

    ``active_from``/``active_to``: projects whose period (its known ends) overlaps that range. ``search``:
    every word must occur in the code, a title or the programme."""
    require_project_role(actor, write=False)
    _check_range(active_from, active_to, "active_to")
    qs = _project_page_queryset()
    if status:
        qs = qs.filter(status=status)
    if programme:
        qs = qs.filter(programme__icontains=programme.strip())
    if funding_kind:
        qs = qs.filter(Exists(FundingSource.objects.filter(project=OuterRef("pk"), kind=funding_kind)))
    if active_from:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=active_from))
    if active_to:
        qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=active_to))
    for word in _words(search):
        qs = qs.filter(
            Q(code__icontains=word)
            | Q(title_pl__icontains=word)
            | Q(title_en__icontains=word)
            | Q(programme__icontains=word)
        )
    return qs


def targets_queryset(actor, project_id, *, measure: str | None = None):
    """A project's targets annotated with ``achieved`` (see ``targets_with_progress``)."""
    project = access_project(actor, project_id, write=False)
    qs = targets_with_progress().filter(project=project).select_related("project")
    if measure:
        qs = qs.filter(measure=measure)
    return qs


def get_target(actor, target_id) -> Target:
    """One target with its progress (``achieved``)."""
    require_project_role(actor, write=False)
    try:
        return targets_with_progress().select_related("project").get(pk=target_id)
    except (Target.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("There is no such target."), code="target_not_found") from None


def participants_queryset(actor, *, project_id=None, person_id=None, status: str | None = None, search: str = ""):
    """Participants (all projects, or one; of one person) with project and person. ``status``: ``active`` (not
    exited) or ``exited``. ``search``: every word must occur in the person's first or last name or PESEL.

    The rows are not audited here: whoever returns them calls ``record_participant_reads`` with the rows it
    actually shows (one page), so that every person whose data is read gets a ``read`` entry."""
    if project_id is not None:
        project = access_project(actor, project_id, write=False)
        qs = Participant.objects.filter(project=project)
    else:
        require_project_role(actor, write=False)
        qs = Participant.objects.all()
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if status == "active":
        qs = qs.filter(exited_on__isnull=True)
    elif status == "exited":
        qs = qs.filter(exited_on__isnull=False)
    elif status:
        raise ValidationFailed(_("This is not one of the allowed values."), code="invalid_choice", field="status")
    for word in _words(search):
        qs = qs.filter(
            Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word) | Q(person__pesel=word)
        )
    return qs.select_related("project", "person", "person__district")


def record_participant_reads(actor, participants) -> None:
    """Audit the read of the persons behind ``participants`` (one ``read`` entry each, one insert)."""
    participants = list(participants)
    if participants:
        codes = sorted({p.project.code for p in participants})
        persons = [p.person for p in participants]
        record_many(actor, AuditAction.READ, persons, message=f"project participant: {', '.join(codes)}")


def achievements_queryset(
    actor,
    *,
    project_id=None,
    target_id=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Recorded achievements with their targets and projects, of one project or target, or of all."""
    require_project_role(actor, write=False)
    _check_range(date_from, date_to, "date_to")
    qs = Achievement.objects.select_related("target__project")
    if project_id is not None:
        qs = qs.filter(target__project=access_project(actor, project_id, write=False))
    if target_id is not None:
        qs = qs.filter(target=access_target(actor, target_id, write=False))
    if date_from:
        qs = qs.filter(achieved_on__gte=date_from)
    if date_to:
        qs = qs.filter(achieved_on__lte=date_to)
    return qs


def access_achievement(actor, achievement_id) -> Achievement:
    require_project_role(actor, write=False)
    achievement = Achievement.objects.select_related("target__project").filter(pk=achievement_id).first()
    if achievement is None:
        raise NotFound(_("There is no such achievement."), code="achievement_not_found")
    return achievement


def access_funding_source(actor, funding_source_id) -> FundingSource:
    require_project_role(actor, write=False)
    source = FundingSource.objects.select_related("project").filter(pk=funding_source_id).first()
    if source is None:
        raise NotFound(_("There is no such funding source."), code="funding_source_not_found")
    return source


def access_partner(actor, partner_id) -> Partner:
    require_project_role(actor, write=False)
    partner = Partner.objects.select_related("project").filter(pk=partner_id).first()
    if partner is None:
        raise NotFound(_("There is no such partner."), code="partner_not_found")
    return partner


def with_progress(target: Target) -> Target:
    """``target`` with its ``achieved`` annotation (for a target fetched or written without it)."""
    if getattr(target, "achieved", None) is None:
        target.achieved = targets_with_progress().filter(pk=target.pk).values_list("achieved", flat=True).first()
    return target
