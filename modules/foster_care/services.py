"""Foster care (piecza zastępcza): every rule of the module. Plain functions called by GraphQL, admin, CLI
and the demo seeder; each checks the caller's role, validates, writes and audits.

Statutory rules implemented here (Act of 9 June 2011 on supporting the family and the foster-care system):
- a related foster family (spokrewniona) consists only of the child's ascendants or siblings;
- a coordinator of family foster care looks after at most 15 families (art. 77);
- a non-professional or professional foster family (including an emergency family and a specialist one)
  has at most 3 children placed at once; more only to place siblings together, with the family's consent
  (art. 54). No numeric limit is enforced for a related family: the Act sets none for it;
- a family children's home (rodzinny dom dziecka) has at most 8 children at once (art. 58);
- help to continue education after leaving care is paid at most until the person turns 25.
Assessment intervals are the center's settings (``FosterCareSettings``), the Act's ones by default.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, FilteredRelation, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from stdnum.pl import pesel as pesel_number

from ostoja.modules.cases.models import Person
from ostoja.modules.cases.services import SYSTEM
from ostoja.modules.foster_care.models import (
    RELATED_FAMILY_RELATIONS,
    Assessment,
    Candidate,
    CandidatePerson,
    ChildNeedsExpense,
    ContinuingEducationSupport,
    FamilyKind,
    FamilyMember,
    FosterCareSettings,
    FosterChild,
    FosterFamily,
    IrregularityReport,
    LeavingCare,
    MaintenanceAllowance,
    Notification,
    ParentMeeting,
    Placement,
    ReintegrationGoal,
    Relation,
)
from ostoja.platform.audit.services import diff, record, snapshot
from ostoja.platform.errors import Conflict, NotFound, ValidationFailed
from ostoja.platform.money import TOO_LARGE, AmountInvalid, amount_too_large, parse_amount
from ostoja.platform.staff.access import require_role
from ostoja.platform.staff.models import Role, StaffProfile

# Who may see and change foster-care data; the auditor reads it too (require_role(write=False)).
FOSTER_CARE_ROLES = (Role.FOSTER_CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.LEGAL_ADVISOR)
# Who may change the center's assessment intervals.
SETTINGS_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR)

MAX_FAMILIES_PER_COORDINATOR = 15  # art. 77: "nie więcej niż 15 rodzin"
FOSTER_FAMILY_CHILD_LIMIT = 3  # art. 54: niezawodowa and zawodowa (incl. pogotowie rodzinne, specjalistyczna)
FAMILY_HOME_CHILD_LIMIT = 8  # art. 58: rodzinny dom dziecka
LIMITED_KINDS = {FamilyKind.NON_PROFESSIONAL, FamilyKind.PROFESSIONAL, FamilyKind.EMERGENCY, FamilyKind.SPECIALIST}
EDUCATION_SUPPORT_MAX_AGE = 25
MAX_PER_PAGE = 200


def _check(actor, *, write: bool = True, roles=FOSTER_CARE_ROLES) -> StaffProfile | None:
    if actor is SYSTEM:
        return None
    return require_role(actor, *roles, write=write)


def _user(actor):
    return None if actor is SYSTEM else actor


# --- dates ---------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def birth_date(person: Person) -> date:
    if person.date_of_birth:
        return person.date_of_birth
    return pesel_number.get_birth_date(person.pesel)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: date, years: int) -> date:
    """The day a person born on ``born`` turns ``years`` (29 February → 1 March in common years)."""
    year = born.year + years
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return born.replace(year=year)


def _today() -> date:
    return timezone.localdate()


# --- pages ---------------------------------------------------------------------------------------


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _paginate(queryset, page: int, per_page: int) -> Page:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationFailed(
            _("Pages are numbered from 1 and hold 1 to %(max)s rows."),
            code="invalid_page",
            field="page",
            params={"max": MAX_PER_PAGE},
        )
    total = queryset.count()
    start = (page - 1) * per_page
    return Page(list(queryset[start : start + per_page]), total, page, per_page)


# --- access helpers: fetch and check together -----------------------------------------------------


def _get(model, pk, code, message, *, lock=False, queryset=None):
    qs = queryset if queryset is not None else model.objects.all()
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(message, code=code) from None


def access_family(actor, family_id, *, write: bool = False, lock: bool = False) -> FosterFamily:
    _check(actor, write=write)
    return _get(FosterFamily, family_id, "family_not_found", _("No such foster family."), lock=lock)


def access_child(actor, child_id, *, write: bool = False, lock: bool = False) -> FosterChild:
    _check(actor, write=write)
    return _get(
        FosterChild,
        child_id,
        "child_not_found",
        _("No such child in foster care."),
        lock=lock,
        queryset=FosterChild.objects.select_related("person"),
    )


def access_candidate(actor, candidate_id, *, write: bool = False, lock: bool = False) -> Candidate:
    _check(actor, write=write)
    return _get(Candidate, candidate_id, "candidate_not_found", _("No such candidate."), lock=lock)


def access_placement(actor, placement_id, *, write: bool = False, lock: bool = False) -> Placement:
    _check(actor, write=write)
    return _get(
        Placement,
        placement_id,
        "placement_not_found",
        _("No such placement."),
        lock=lock,
        queryset=Placement.objects.select_related("child__person", "family"),
    )


def access_report(actor, report_id, *, write: bool = False, lock: bool = False) -> IrregularityReport:
    _check(actor, write=write)
    return _get(IrregularityReport, report_id, "report_not_found", _("No such irregularity report."), lock=lock)


def _person(person_id) -> Person:
    return _get(Person, person_id, "person_not_found", _("No such person."))


def _created(actor, obj, message: str = ""):
    record(_user(actor), "create", obj, changes=diff({}, snapshot(obj)), message=message)


def _changed(actor, obj, before: dict, message: str = ""):
    changes = diff(before, snapshot(obj, list(before)))
    record(_user(actor), "update", obj, changes=changes, message=message)


def _amount(value, field: str, model_field) -> Decimal:
    """An amount in złoty above zero (after rounding half-up to grosze) that fits ``model_field``."""
    try:
        amount = parse_amount(value, model_field)
    except AmountInvalid as exc:
        if exc.reason == TOO_LARGE:
            raise amount_too_large(field, model_field) from None
        amount = None
    if amount is None or amount <= 0:
        raise ValidationFailed(_("The amount must be greater than zero."), code="invalid_amount", field=field)
    return amount


def _period(period_from: date, period_to: date):
    if period_to < period_from:
        raise ValidationFailed(
            _("The period must not end before it starts."), code="period_reversed", field="period_to"
        )


# --- settings and assessment due dates ------------------------------------------------------------


def get_settings(actor) -> FosterCareSettings:
    _check(actor, write=False, roles=FOSTER_CARE_ROLES + SETTINGS_ROLES)
    return FosterCareSettings.load()


def child_assessment_due(settings_row: FosterCareSettings, born: date, counted_from: date) -> date:
    """Under 3 years of age on the day the interval starts: the short interval; otherwise the long one."""
    under_3 = age_on(born, counted_from) < 3
    months = settings_row.child_under_3_interval_months if under_3 else settings_row.child_interval_months
    return add_months(counted_from, months)


def family_assessment_due(settings_row: FosterCareSettings, sequence: int, counted_from: date) -> date:
    """The first assessment counts from the first placement, the second from the first, then periodic."""
    if sequence == 1:
        months = settings_row.family_first_assessment_months
    elif sequence == 2:
        months = settings_row.family_second_assessment_months
    else:
        months = settings_row.family_interval_months
    return add_months(counted_from, months)


def update_settings(actor, **intervals) -> FosterCareSettings:
    """Change assessment intervals; every planned assessment's due date is recomputed from them."""
    _check(actor, roles=SETTINGS_ROLES)
    names = [
        "child_under_3_interval_months",
        "child_interval_months",
        "family_first_assessment_months",
        "family_second_assessment_months",
        "family_interval_months",
    ]
    unknown = set(intervals) - set(names)
    if unknown:
        raise ValidationFailed(
            _("Unknown setting: %(name)s."), code="unknown_setting", params={"name": ", ".join(sorted(unknown))}
        )
    errors = []
    for name, value in intervals.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 120:
            errors.append(
                ValidationFailed(
                    _("An interval is a whole number of months from 1 to 120."), code="invalid_interval", field=name
                )
            )
    if errors:
        raise ValidationFailed(errors[0]._message, code=errors[0].code, field=errors[0].field, errors=errors)
    with transaction.atomic():
        row = FosterCareSettings.objects.select_for_update().get(pk=FosterCareSettings.load().pk)
        before = snapshot(row, names)
        for name, value in intervals.items():
            setattr(row, name, value)
        row.save()
        _changed(actor, row, before)
        _recompute_planned(row)
    return row


def _recompute_planned(settings_row: FosterCareSettings) -> int:
    changed = []
    planned = Assessment.objects.filter(status=Assessment.Status.PLANNED).select_related("child__person")
    for assessment in planned:
        if assessment.subject == Assessment.Subject.CHILD:
            due = child_assessment_due(settings_row, birth_date(assessment.child.person), assessment.counted_from)
        else:
            due = family_assessment_due(settings_row, assessment.sequence, assessment.counted_from)
        if due != assessment.due_on:
            assessment.due_on = due
            changed.append(assessment)
    Assessment.objects.bulk_update(changed, ["due_on"], batch_size=500)
    return len(changed)


def _plan_child_assessment(child: FosterChild, counted_from: date, sequence: int, settings_row=None) -> Assessment:
    settings_row = settings_row or FosterCareSettings.load()
    return Assessment.objects.create(
        subject=Assessment.Subject.CHILD,
        child=child,
        sequence=sequence,
        counted_from=counted_from,
        due_on=child_assessment_due(settings_row, birth_date(child.person), counted_from),
    )


def _plan_family_assessment(family: FosterFamily, counted_from: date, sequence: int, settings_row=None):
    settings_row = settings_row or FosterCareSettings.load()
    return Assessment.objects.create(
        subject=Assessment.Subject.FAMILY,
        family=family,
        sequence=sequence,
        counted_from=counted_from,
        due_on=family_assessment_due(settings_row, sequence, counted_from),
    )


def record_assessment(
    actor, assessment_id, *, performed_on: date, result: str, conclusions: str = ""
) -> tuple[Assessment, Assessment | None]:
    """Record a planned assessment as done and plan the next one. Returns (done, next or None)."""
    _check(actor)
    if result not in Assessment.Result.values:
        raise ValidationFailed(_("Choose a valid result."), code="invalid_result", field="result")
    if performed_on > _today():
        raise ValidationFailed(
            _("An assessment cannot be recorded in the future."), code="date_in_future", field="performed_on"
        )
    with transaction.atomic():
        assessment = _get(
            Assessment,
            assessment_id,
            "assessment_not_found",
            _("No such assessment."),
            lock=True,
            queryset=Assessment.objects.select_related("child__person", "family"),
        )
        if assessment.status != Assessment.Status.PLANNED:
            raise Conflict(_("This assessment has already been recorded."), code="assessment_not_planned")
        if performed_on < assessment.counted_from:
            raise ValidationFailed(
                _("The assessment cannot precede the start of its period."),
                code="before_period",
                field="performed_on",
            )
        before = snapshot(assessment, ["status", "performed_on", "result", "conclusions"])
        assessment.status = Assessment.Status.DONE
        assessment.performed_on = performed_on
        assessment.result = result
        assessment.conclusions = conclusions
        assessment.performed_by = _user(actor)
        assessment.save()
        _changed(actor, assessment, before)
        following = None
        if assessment.subject == Assessment.Subject.CHILD:
            if assessment.child.status == FosterChild.Status.IN_CARE:
                following = _plan_child_assessment(assessment.child, performed_on, assessment.sequence + 1)
        elif assessment.family.status != FosterFamily.Status.DISSOLVED:
            following = _plan_family_assessment(assessment.family, performed_on, assessment.sequence + 1)
        if following is not None:
            _created(actor, following)
    return assessment, following


def list_overdue_assessments(actor, *, today: date | None = None, page: int = 1, per_page: int = 50) -> Page:
    """Planned assessments past their due date, the most overdue first. Two queries whatever the page."""
    _check(actor, write=False)
    today = today or _today()
    queryset = (
        Assessment.objects.filter(status=Assessment.Status.PLANNED, due_on__lt=today)
        .select_related("child__person", "family__coordinator__user")
        .order_by("due_on", "id")
    )
    return _paginate(queryset, page, per_page)


# --- candidates --------------------------------------------------------------------------------


def _validate_relations(kind: str, relations: list[str]):
    if kind not in FamilyKind.values:
        raise ValidationFailed(_("Choose a valid kind of foster family."), code="invalid_kind", field="kind")
    for relation in relations:
        if relation not in Relation.values:
            raise ValidationFailed(_("Choose a valid relation."), code="invalid_relation", field="relation")
        if kind == FamilyKind.RELATED and relation not in RELATED_FAMILY_RELATIONS:
            raise ValidationFailed(
                _(
                    "A related foster family may consist only of the child's ascendants or siblings; "
                    "%(relation)s is neither."
                ),
                code="related_family_relation",
                field="relation",
                params={"relation": Relation(relation).label},
            )


def register_candidate(
    actor,
    *,
    name: str,
    desired_kind: str,
    applied_on: date,
    persons: list[tuple[int, str]],
    recruitment_source: str = "",
    **address,
) -> Candidate:
    """``persons`` is a list of (person id, relation to the child)."""
    _check(actor)
    if not name.strip():
        raise ValidationFailed(_("Give the candidates' name."), code="required", field="name")
    if not persons:
        raise ValidationFailed(_("A candidate needs at least one person."), code="no_persons", field="persons")
    _validate_relations(desired_kind, [relation for _pid, relation in persons])
    with transaction.atomic():
        candidate = Candidate.objects.create(
            name=name.strip(),
            desired_kind=desired_kind,
            applied_on=applied_on,
            recruitment_source=recruitment_source,
            **_address(address),
        )
        for person_id, relation in persons:
            CandidatePerson.objects.create(candidate=candidate, person=_person(person_id), relation=relation)
        _created(actor, candidate)
    return candidate


def _address(fields: dict) -> dict:
    allowed = {"street", "building", "flat", "postcode", "city", "phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(
            _("Unknown field: %(name)s."), code="unknown_field", params={"name": ", ".join(sorted(unknown))}
        )
    return {key: (value or "").strip() for key, value in fields.items()}


def _candidate_step(actor, candidate_id, allowed: set, updates: dict, message: str) -> Candidate:
    with transaction.atomic():
        candidate = access_candidate(actor, candidate_id, write=True, lock=True)
        if candidate.status not in allowed:
            raise Conflict(
                _("The candidate is %(status)s; this step is not possible now."),
                code="candidate_wrong_status",
                params={"status": Candidate.Status(candidate.status).label},
            )
        before = snapshot(candidate, list(updates))
        for key, value in updates.items():
            setattr(candidate, key, value)
        candidate.save()
        _changed(actor, candidate, before, message)
    return candidate


def refer_candidate_to_training(actor, candidate_id, *, referred_on: date, training_name: str) -> Candidate:
    if not training_name.strip():
        raise ValidationFailed(_("Name the training."), code="required", field="training_name")
    return _candidate_step(
        actor,
        candidate_id,
        {Candidate.Status.APPLIED},
        {"status": Candidate.Status.REFERRED, "training_referred_on": referred_on, "training_name": training_name},
        "referred to training",
    )


def record_training_completed(actor, candidate_id, *, completed_on: date) -> Candidate:
    candidate = access_candidate(actor, candidate_id, write=True)
    if candidate.training_referred_on and completed_on < candidate.training_referred_on:
        raise ValidationFailed(
            _("The training cannot end before the referral."), code="before_referral", field="completed_on"
        )
    return _candidate_step(
        actor,
        candidate_id,
        {Candidate.Status.REFERRED},
        {"status": Candidate.Status.TRAINED, "training_completed_on": completed_on},
        "training completed",
    )


def reject_candidate(actor, candidate_id, *, reason: str, withdrawn: bool = False) -> Candidate:
    if not reason.strip():
        raise ValidationFailed(_("Give the reason."), code="required", field="reason")
    status = Candidate.Status.WITHDRAWN if withdrawn else Candidate.Status.REJECTED
    return _candidate_step(
        actor,
        candidate_id,
        {Candidate.Status.APPLIED, Candidate.Status.REFERRED, Candidate.Status.TRAINED},
        {"status": status, "rejection_reason": reason},
        "candidacy ended",
    )


def qualify_candidate(
    actor, candidate_id, *, qualified_on: date, qualification_reference: str, kind: str | None = None
) -> FosterFamily:
    """The candidate becomes a foster family with the candidate's persons as members. Candidates for a
    non-related family must have completed the training first; for a related family training is optional."""
    with transaction.atomic():
        candidate = access_candidate(actor, candidate_id, write=True, lock=True)
        kind = kind or candidate.desired_kind
        if candidate.status not in {Candidate.Status.APPLIED, Candidate.Status.REFERRED, Candidate.Status.TRAINED}:
            raise Conflict(
                _("The candidate is %(status)s and cannot be qualified."),
                code="candidate_wrong_status",
                params={"status": Candidate.Status(candidate.status).label},
            )
        if kind != FamilyKind.RELATED and candidate.status != Candidate.Status.TRAINED:
            raise Conflict(
                _("The candidate must complete the training before qualification."), code="training_not_completed"
            )
        if not qualification_reference.strip():
            raise ValidationFailed(
                _("Give the qualification certificate number."), code="required", field="qualification_reference"
            )
        links = list(candidate.candidate_persons.all())
        _validate_relations(kind, [link.relation for link in links])
        family = FosterFamily.objects.create(
            name=candidate.name,
            kind=kind,
            qualified_on=qualified_on,
            street=candidate.street,
            building=candidate.building,
            flat=candidate.flat,
            postcode=candidate.postcode,
            city=candidate.city,
        )
        FamilyMember.objects.bulk_create(
            FamilyMember(family=family, person_id=link.person_id, relation=link.relation, joined_on=qualified_on)
            for link in links
        )
        before = snapshot(candidate, ["status", "qualified_on", "qualification_reference", "family_id"])
        candidate.status = Candidate.Status.QUALIFIED
        candidate.qualified_on = qualified_on
        candidate.qualification_reference = qualification_reference
        candidate.family = family
        candidate.save()
        _changed(actor, candidate, before, "qualified")
        _created(actor, family, f"from candidate {candidate.pk}")
    return family


# --- families ------------------------------------------------------------------------------------


def create_family(
    actor,
    *,
    name: str,
    kind: str,
    members: list[tuple[int, str]],
    qualified_on: date | None = None,
    **address,
) -> FosterFamily:
    """A family constituted directly (a related family appointed by the court). ``members``: (person id,
    relation to the child)."""
    _check(actor)
    if not name.strip():
        raise ValidationFailed(_("Give the family's name."), code="required", field="name")
    if not members:
        raise ValidationFailed(_("A foster family needs at least one member."), code="no_members", field="members")
    _validate_relations(kind, [relation for _pid, relation in members])
    with transaction.atomic():
        family = FosterFamily.objects.create(
            name=name.strip(), kind=kind, qualified_on=qualified_on, **_address(address)
        )
        for person_id, relation in members:
            FamilyMember.objects.create(family=family, person=_person(person_id), relation=relation)
        _created(actor, family)
    return family


def add_family_member(actor, family_id, person_id, relation: str, joined_on: date | None = None) -> FamilyMember:
    with transaction.atomic():
        family = access_family(actor, family_id, write=True, lock=True)
        _validate_relations(family.kind, [relation])
        person = _person(person_id)
        if FamilyMember.objects.filter(family=family, person=person).exists():
            raise Conflict(_("%(person)s is already a member."), code="already_member", params={"person": person})
        member = FamilyMember.objects.create(family=family, person=person, relation=relation, joined_on=joined_on)
        _created(actor, member)
    return member


def change_family_status(actor, family_id, status: str) -> FosterFamily:
    if status not in FosterFamily.Status.values:
        raise ValidationFailed(_("Choose a valid status."), code="invalid_status", field="status")
    with transaction.atomic():
        family = access_family(actor, family_id, write=True, lock=True)
        if family.status == FosterFamily.Status.DISSOLVED and status != family.status:
            raise Conflict(_("A dissolved foster family cannot be reactivated."), code="family_dissolved")
        if status == FosterFamily.Status.DISSOLVED:
            if family.placements.filter(end_on__isnull=True).exists():
                raise Conflict(
                    _("End the current placements before dissolving the family."), code="family_has_children"
                )
            family.assessments.filter(status=Assessment.Status.PLANNED).update(status=Assessment.Status.CANCELLED)
        before = snapshot(family, ["status"])
        family.status = status
        family.save()
        _changed(actor, family, before)
    return family


def assign_coordinator(actor, family_id, coordinator_id, *, since: date | None = None) -> FosterFamily:
    """Make a coordinator responsible for a family. The coordinator's row is locked while counting, so two
    concurrent assignments cannot both take the 15th place."""
    _check(actor)
    with transaction.atomic():
        coordinator = _get(
            StaffProfile,
            coordinator_id,
            "coordinator_not_found",
            _("No such staff member."),
            lock=True,
            queryset=StaffProfile.objects.select_related("user"),
        )
        if Role.FOSTER_CARE_COORDINATOR not in coordinator.roles:
            raise ValidationFailed(
                _("%(name)s is not a foster-care coordinator."),
                code="not_coordinator",
                field="coordinator",
                params={"name": coordinator},
            )
        family = access_family(actor, family_id, write=True, lock=True)
        if family.status == FosterFamily.Status.DISSOLVED:
            raise Conflict(_("A dissolved foster family cannot be reassigned."), code="family_dissolved")
        if family.coordinator_id == coordinator.pk:
            return family
        count = (
            FosterFamily.objects.filter(coordinator=coordinator).exclude(status=FosterFamily.Status.DISSOLVED).count()
        )
        if count >= MAX_FAMILIES_PER_COORDINATOR:
            raise Conflict(
                _("%(name)s already looks after %(count)s foster families; a coordinator may have at most %(limit)s."),
                code="coordinator_limit",
                field="coordinator",
                params={"name": coordinator, "count": count, "limit": MAX_FAMILIES_PER_COORDINATOR},
            )
        before = snapshot(family, ["coordinator_id", "coordinator_since"])
        family.coordinator = coordinator
        family.coordinator_since = since or _today()
        family.save()
        _changed(actor, family, before)
    return family


def list_families(actor, *, page: int = 1, per_page: int = 50, coordinator_id=None, kind: str | None = None) -> Page:
    _check(actor, write=False)
    queryset = FosterFamily.objects.select_related("coordinator__user").order_by("name", "id")
    if coordinator_id is not None:
        queryset = queryset.filter(coordinator_id=coordinator_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    return _paginate(queryset, page, per_page)


# --- children and placements ------------------------------------------------------------------------


def register_child(
    actor,
    person_id,
    *,
    reintegration_goal: str = ReintegrationGoal.UNDECIDED,
    reintegration_plan: str = "",
    sibling_of=None,
) -> FosterChild:
    _check(actor)
    if reintegration_goal not in ReintegrationGoal.values:
        raise ValidationFailed(_("Choose a valid goal."), code="invalid_goal", field="reintegration_goal")
    with transaction.atomic():
        person = _person(person_id)
        if FosterChild.objects.filter(person=person).exists():
            raise Conflict(
                _("%(person)s is already registered in foster care."), code="child_exists", params={"person": person}
            )
        child = FosterChild.objects.create(
            person=person, reintegration_goal=reintegration_goal, reintegration_plan=reintegration_plan
        )
        _created(actor, child)
    if sibling_of is not None:
        mark_siblings(actor, [sibling_of, child.pk])
        child.refresh_from_db()
    return child


def mark_siblings(actor, child_ids: list) -> list[FosterChild]:
    """Put children in one sibling group (merging groups) and flag their placements in the same family."""
    _check(actor)
    with transaction.atomic():
        children = list(FosterChild.objects.select_for_update().filter(pk__in=child_ids).order_by("pk"))
        if len(children) != len(set(child_ids)) or len(children) < 2:
            raise ValidationFailed(
                _("Choose at least two existing children."), code="invalid_siblings", field="child_ids"
            )
        groups = {c.sibling_group for c in children if c.sibling_group is not None}
        group = min(groups) if groups else children[0].pk
        if groups:
            children += list(
                FosterChild.objects.select_for_update()
                .filter(sibling_group__in=groups)
                .exclude(pk__in=[c.pk for c in children])
            )
        for child in children:
            if child.sibling_group != group:
                before = snapshot(child, ["sibling_group"])
                child.sibling_group = group
                child.save(update_fields=["sibling_group", "updated_at"])
                _changed(actor, child, before)
        _flag_siblings_together(group)
    return children


def _flag_siblings_together(group: int) -> None:
    current = Placement.objects.filter(child__sibling_group=group, end_on__isnull=True)
    families = {}
    for placement in current:
        families.setdefault(placement.family_id, []).append(placement.pk)
    together = [pk for pks in families.values() if len(pks) > 1 for pk in pks]
    Placement.objects.filter(pk__in=together, siblings_together=False).update(siblings_together=True)


def set_reintegration_goal(actor, child_id, *, goal: str, plan: str = "") -> FosterChild:
    if goal not in ReintegrationGoal.values:
        raise ValidationFailed(_("Choose a valid goal."), code="invalid_goal", field="goal")
    with transaction.atomic():
        child = access_child(actor, child_id, write=True, lock=True)
        before = snapshot(child, ["reintegration_goal", "reintegration_plan"])
        child.reintegration_goal = goal
        child.reintegration_plan = plan
        child.save()
        _changed(actor, child, before)
    return child


def place_child(
    actor,
    child_id,
    family_id,
    *,
    start_on: date,
    court_order_reference: str,
    reason: str,
    court: str = "",
    family_consents_to_siblings_over_limit: bool = False,
) -> Placement:
    """Place a child in a foster family, enforcing the family kind's limit on children placed at once.
    The family row is locked while counting, so concurrent placements cannot overfill it."""
    _check(actor)
    errors = []
    if not court_order_reference.strip():
        errors.append(
            ValidationFailed(_("Give the court order reference."), code="required", field="court_order_reference")
        )
    if not reason.strip():
        errors.append(ValidationFailed(_("Give the reason for the placement."), code="required", field="reason"))
    if errors:
        raise ValidationFailed(errors[0]._message, code="required", field=errors[0].field, errors=errors)
    with transaction.atomic():
        child = access_child(actor, child_id, write=True, lock=True)
        family = access_family(actor, family_id, write=True, lock=True)
        if family.status != FosterFamily.Status.ACTIVE:
            raise Conflict(
                _("The family is %(status)s and cannot take children."),
                code="family_not_active",
                params={"status": FosterFamily.Status(family.status).label},
            )
        if child.placements.filter(end_on__isnull=True).exists():
            raise Conflict(_("The child is already placed; end that placement first."), code="already_placed")
        last = child.placements.order_by("-end_on").first()
        if last is not None and start_on < last.end_on:
            raise ValidationFailed(
                _("The placement cannot start before the previous one ended."),
                code="overlaps_previous",
                field="start_on",
            )
        current = list(Placement.objects.filter(family=family, end_on__isnull=True).select_related("child"))
        siblings = [
            p for p in current if child.sibling_group is not None and p.child.sibling_group == child.sibling_group
        ]
        over_limit = False
        if family.kind == FamilyKind.FAMILY_HOME and len(current) >= FAMILY_HOME_CHILD_LIMIT:
            raise Conflict(
                _("A family children's home may have at most %(limit)s children at once; %(family)s has %(count)s."),
                code="family_home_full",
                params={"limit": FAMILY_HOME_CHILD_LIMIT, "family": family, "count": len(current)},
            )
        if family.kind in LIMITED_KINDS and len(current) >= FOSTER_FAMILY_CHILD_LIMIT:
            if not (siblings and family_consents_to_siblings_over_limit):
                raise Conflict(
                    _(
                        "A foster family may have at most %(limit)s children at once; %(family)s has %(count)s. "
                        "More are allowed only to place siblings together, with the family's consent."
                    ),
                    code="family_full",
                    params={"limit": FOSTER_FAMILY_CHILD_LIMIT, "family": family, "count": len(current)},
                )
            over_limit = True
        placement = Placement.objects.create(
            child=child,
            family=family,
            start_on=start_on,
            court_order_reference=court_order_reference.strip(),
            court=court,
            reason=reason.strip(),
            siblings_together=bool(siblings),
            over_limit_with_consent=over_limit,
        )
        if siblings:
            Placement.objects.filter(pk__in=[p.pk for p in siblings]).update(siblings_together=True)
        _created(actor, placement)
        if child.status != FosterChild.Status.IN_CARE:
            before = snapshot(child, ["status"])
            child.status = FosterChild.Status.IN_CARE
            child.save()
            _changed(actor, child, before)
        settings_row = FosterCareSettings.load()
        if not child.assessments.filter(status=Assessment.Status.PLANNED).exists():
            _created(actor, _plan_child_assessment(child, start_on, _next_sequence(child.assessments), settings_row))
        if family.first_placement_on is None or start_on < family.first_placement_on:
            family.first_placement_on = start_on
            family.save(update_fields=["first_placement_on", "updated_at"])
            first = family.assessments.filter(status=Assessment.Status.PLANNED).first()
            if first is None and not family.assessments.exists():
                _created(actor, _plan_family_assessment(family, start_on, 1, settings_row))
            elif first is not None and first.sequence == 1:
                # A placement recorded late and earlier than the first known one moves the first assessment.
                first.counted_from = start_on
                first.due_on = family_assessment_due(settings_row, 1, start_on)
                first.save(update_fields=["counted_from", "due_on"])
    return placement


def _next_sequence(assessments) -> int:
    last = assessments.exclude(status=Assessment.Status.CANCELLED).order_by("-sequence").first()
    return last.sequence + 1 if last else 1


def end_placement(actor, placement_id, *, end_on: date, reason: str) -> Placement:
    """End a placement. Unless the child moves to another foster family, the child leaves foster care and
    the planned assessment of the child's situation is cancelled."""
    if reason not in Placement.EndReason.values:
        raise ValidationFailed(_("Choose a valid reason."), code="invalid_reason", field="reason")
    with transaction.atomic():
        placement = access_placement(actor, placement_id, write=True, lock=True)
        if placement.end_on is not None:
            raise Conflict(_("This placement has already ended."), code="placement_ended")
        if end_on < placement.start_on:
            raise ValidationFailed(
                _("The placement cannot end before it started."), code="period_reversed", field="end_on"
            )
        before = snapshot(placement, ["end_on", "end_reason"])
        placement.end_on = end_on
        placement.end_reason = reason
        placement.save()
        _changed(actor, placement, before)
        if reason != Placement.EndReason.OTHER_FAMILY:
            child = placement.child
            before = snapshot(child, ["status"])
            child.status = FosterChild.Status.LEFT_CARE
            child.save()
            _changed(actor, child, before)
            child.assessments.filter(status=Assessment.Status.PLANNED).update(status=Assessment.Status.CANCELLED)
    return placement


def get_child(actor, child_id) -> FosterChild:
    """A child's record with the current placement and the next assessment; the read is audited."""
    child = access_child(actor, child_id)
    child.current_placement = child.placements.filter(end_on__isnull=True).select_related("family").first()
    child.next_assessment = child.assessments.filter(status=Assessment.Status.PLANNED).first()
    record(_user(actor), "read", child)
    return child


def children_in_care_queryset():
    """Children with their current placement (and family) and their next planned assessment prefetched:
    one query for the page of children, one for placements, one for assessments."""
    return (
        FosterChild.objects.select_related("person")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(end_on__isnull=True).select_related("family"),
                to_attr="current_placements",
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(status=Assessment.Status.PLANNED),
                to_attr="planned_assessments",
            ),
        )
        .order_by("person__last_name", "person__first_name", "id")
    )


def list_children(
    actor, *, page: int = 1, per_page: int = 50, status: str | None = FosterChild.Status.IN_CARE, family_id=None
) -> Page:
    """A page of children with ``current_placement`` and ``next_assessment`` set on each. Constant number
    of queries (count, children, placements, assessments, one audit entry)."""
    _check(actor, write=False)
    queryset = children_in_care_queryset()
    if status:
        queryset = queryset.filter(status=status)
    if family_id is not None:
        queryset = queryset.filter(placements__family_id=family_id, placements__end_on__isnull=True)
    result = _paginate(queryset, page, per_page)
    for child in result.items:
        child.current_placement = child.current_placements[0] if child.current_placements else None
        child.next_assessment = child.planned_assessments[0] if child.planned_assessments else None
    ids = ",".join(str(child.pk) for child in result.items)
    record(
        _user(actor),
        "read",
        object_type=FosterChild._meta.label_lower,
        message=f"list page {page}: {ids}",
    )
    return result


# --- meetings with biological parents ---------------------------------------------------------------


def plan_meeting(actor, child_id, *, planned_at, participants: str, place: str = "") -> ParentMeeting:
    if not participants.strip():
        raise ValidationFailed(_("Name who takes part."), code="required", field="participants")
    if timezone.is_naive(planned_at):
        planned_at = timezone.make_aware(planned_at)
    with transaction.atomic():
        child = access_child(actor, child_id, write=True)
        if child.status != FosterChild.Status.IN_CARE:
            raise Conflict(_("The child is no longer in foster care."), code="child_left_care")
        meeting = ParentMeeting.objects.create(
            child=child, planned_at=planned_at, participants=participants.strip(), place=place
        )
        _created(actor, meeting)
    return meeting


def _meeting_step(actor, meeting_id, updates: dict) -> ParentMeeting:
    _check(actor)
    with transaction.atomic():
        meeting = _get(ParentMeeting, meeting_id, "meeting_not_found", _("No such meeting."), lock=True)
        if meeting.status != ParentMeeting.Status.PLANNED:
            raise Conflict(
                _("The meeting is already %(status)s."),
                code="meeting_not_planned",
                params={"status": ParentMeeting.Status(meeting.status).label},
            )
        if updates.get("status") == ParentMeeting.Status.HELD and meeting.planned_at > timezone.now():
            raise Conflict(_("A meeting cannot be recorded as held before it starts."), code="meeting_in_future")
        before = snapshot(meeting, list(updates))
        for key, value in updates.items():
            setattr(meeting, key, value)
        meeting.save()
        _changed(actor, meeting, before)
    return meeting


def record_meeting_held(actor, meeting_id, *, notes: str = "") -> ParentMeeting:
    return _meeting_step(actor, meeting_id, {"status": ParentMeeting.Status.HELD, "notes": notes})


def cancel_meeting(actor, meeting_id, *, reason: str) -> ParentMeeting:
    if not reason.strip():
        raise ValidationFailed(_("Give the reason."), code="required", field="reason")
    return _meeting_step(
        actor, meeting_id, {"status": ParentMeeting.Status.CANCELLED, "cancellation_reason": reason.strip()}
    )


# --- money -------------------------------------------------------------------------------------


def add_expense(
    actor,
    child_id,
    *,
    kind: str,
    amount,
    granted_on: date,
    description: str = "",
    decision_reference: str = "",
) -> ChildNeedsExpense:
    if kind not in ChildNeedsExpense.Kind.values:
        raise ValidationFailed(_("Choose a valid kind."), code="invalid_kind", field="kind")
    amount = _amount(amount, "amount", ChildNeedsExpense.amount.field)
    with transaction.atomic():
        child = access_child(actor, child_id, write=True)
        expense = ChildNeedsExpense.objects.create(
            child=child,
            kind=kind,
            amount=amount,
            granted_on=granted_on,
            description=description,
            decision_reference=decision_reference,
        )
        _created(actor, expense)
    return expense


def grant_allowance(
    actor, child_id, *, monthly_amount, period_from: date, period_to: date, decision_reference: str = ""
) -> MaintenanceAllowance:
    """A maintenance allowance for a period within one placement; periods of one child do not overlap."""
    amount = _amount(monthly_amount, "monthly_amount", MaintenanceAllowance.monthly_amount.field)
    _period(period_from, period_to)
    with transaction.atomic():
        child = access_child(actor, child_id, write=True, lock=True)
        placement = (
            child.placements.filter(start_on__lte=period_from)
            .exclude(end_on__lt=period_to)
            .order_by("-start_on")
            .first()
        )
        if placement is None:
            raise Conflict(
                _("The child is not placed in a foster family for the whole period."), code="no_placement_for_period"
            )
        if child.allowances.filter(period_from__lte=period_to, period_to__gte=period_from).exists():
            raise Conflict(
                _("An allowance for this child already covers part of the period."), code="allowance_overlap"
            )
        allowance = MaintenanceAllowance.objects.create(
            child=child,
            placement=placement,
            monthly_amount=amount,
            period_from=period_from,
            period_to=period_to,
            decision_reference=decision_reference,
        )
        _created(actor, allowance)
    return allowance


# --- leaving care ---------------------------------------------------------------------------------


def start_leaving_care(
    actor,
    child_id,
    *,
    mentor_name: str,
    programme: str,
    programme_approved_on: date,
    started_on: date,
    mentor_contact: str = "",
) -> LeavingCare:
    errors = [
        ValidationFailed(message, code="required", field=field)
        for field, value, message in (
            ("mentor_name", mentor_name, _("Name the mentor.")),
            ("programme", programme, _("Describe the individual programme.")),
        )
        if not value.strip()
    ]
    if errors:
        raise ValidationFailed(errors[0]._message, code="required", field=errors[0].field, errors=errors)
    with transaction.atomic():
        child = access_child(actor, child_id, write=True, lock=True)
        if LeavingCare.objects.filter(child=child).exists():
            raise Conflict(_("Leaving care has already started for this person."), code="leaving_care_exists")
        leaving = LeavingCare.objects.create(
            child=child,
            mentor_name=mentor_name.strip(),
            mentor_contact=mentor_contact,
            programme=programme.strip(),
            programme_approved_on=programme_approved_on,
            started_on=started_on,
        )
        _created(actor, leaving)
    return leaving


def grant_education_support(
    actor, child_id, *, school: str, monthly_amount, period_from: date, period_to: date
) -> ContinuingEducationSupport:
    """Help to continue education: from the age of 18, and never beyond the day before the 25th birthday."""
    amount = _amount(monthly_amount, "monthly_amount", ContinuingEducationSupport.monthly_amount.field)
    _period(period_from, period_to)
    if not school.strip():
        raise ValidationFailed(_("Name the school."), code="required", field="school")
    with transaction.atomic():
        child = access_child(actor, child_id, write=True, lock=True)
        leaving = LeavingCare.objects.filter(child=child).first()
        if leaving is None:
            raise Conflict(_("Start leaving care (mentor and programme) first."), code="no_leaving_care")
        born = birth_date(child.person)
        if period_from < birthday(born, 18):
            raise ValidationFailed(
                _("Continuing-education support starts at the age of 18."), code="too_young", field="period_from"
            )
        limit = birthday(born, EDUCATION_SUPPORT_MAX_AGE)
        if period_to >= limit:
            raise ValidationFailed(
                _("Continuing-education support ends before the 25th birthday (%(date)s)."),
                code="over_age_limit",
                field="period_to",
                params={"date": limit.isoformat()},
            )
        if leaving.education_support.filter(period_from__lte=period_to, period_to__gte=period_from).exists():
            raise Conflict(_("Support already covers part of this period."), code="support_overlap")
        support = ContinuingEducationSupport.objects.create(
            leaving_care=leaving,
            school=school.strip(),
            monthly_amount=amount,
            period_from=period_from,
            period_to=period_to,
        )
        _created(actor, support)
    return support


# --- irregularity reports ---------------------------------------------------------------------------


def report_irregularity(
    actor, placement_id, *, reported_on: date, description: str, source: str = ""
) -> IrregularityReport:
    """Record a suspected irregularity in a placement and create the notifications of the voivode and of
    the prosecutor, both pending until sent (seed 004: the center always notifies both at once)."""
    if not description.strip():
        raise ValidationFailed(_("Describe the irregularity."), code="required", field="description")
    with transaction.atomic():
        placement = access_placement(actor, placement_id, write=True)
        report = IrregularityReport.objects.create(
            placement=placement,
            reported_on=reported_on,
            description=description.strip(),
            source=source,
            reported_by=_user(actor),
        )
        _created(actor, report)
        for recipient in (Notification.Recipient.VOIVODE, Notification.Recipient.PROSECUTOR):
            _created(actor, Notification.objects.create(report=report, recipient=recipient))
    return report


def mark_notification_sent(actor, notification_id, *, sent_on: date, reference: str) -> Notification:
    _check(actor)
    if not reference.strip():
        raise ValidationFailed(_("Give the letter reference."), code="required", field="reference")
    with transaction.atomic():
        notification = _get(
            Notification,
            notification_id,
            "notification_not_found",
            _("No such notification."),
            lock=True,
            queryset=Notification.objects.select_related("report"),
        )
        if notification.status == Notification.Status.SENT:
            raise Conflict(_("This notification has already been sent."), code="notification_sent")
        if sent_on < notification.report.reported_on:
            raise ValidationFailed(
                _("A notification cannot be sent before the report."), code="before_report", field="sent_on"
            )
        before = snapshot(notification, ["status", "sent_on", "reference"])
        notification.status = Notification.Status.SENT
        notification.sent_on = sent_on
        notification.reference = reference.strip()
        notification.save()
        _changed(actor, notification, before)
    return notification


def close_irregularity_report(actor, report_id, *, closed_on: date, outcome: str) -> IrregularityReport:
    if not outcome.strip():
        raise ValidationFailed(_("Describe the outcome."), code="required", field="outcome")
    with transaction.atomic():
        report = access_report(actor, report_id, write=True, lock=True)
        if report.status == IrregularityReport.Status.CLOSED:
            raise Conflict(_("This report is already closed."), code="report_closed")
        # Labels stay lazy: the message is rendered in the language active when it is shown.
        pending = [
            Notification.Recipient(recipient).label
            for recipient in report.notifications.filter(status=Notification.Status.PENDING)
            .order_by("recipient")
            .values_list("recipient", flat=True)
        ]
        if pending:
            raise Conflict(
                _("The report cannot be closed while a notification is pending: %(recipients)s."),
                code="notification_pending",
                params={"recipients": format_lazy(", ".join(["{}"] * len(pending)), *pending)},
            )
        if closed_on < report.reported_on:
            raise ValidationFailed(
                _("A report cannot be closed before it was made."), code="before_report", field="closed_on"
            )
        before = snapshot(report, ["status", "closed_on", "outcome"])
        report.status = IrregularityReport.Status.CLOSED
        report.closed_on = closed_on
        report.outcome = outcome.strip()
        report.save()
        _changed(actor, report, before)
    return report


# --- scoped read functions (GraphQL lists and node access) -------------------------------------------
# Foster care is not split by district: every caller with a foster-care role (or the auditor) sees the whole
# center's foster care; everyone else is refused. The querysets below carry the select/prefetch that the staff
# GraphQL types read, so a page costs a constant number of statements.


def access_member(actor, member_id) -> FamilyMember:
    _check(actor, write=False)
    return _get(
        FamilyMember,
        member_id,
        "member_not_found",
        _("No such foster-family member."),
        queryset=FamilyMember.objects.select_related("person", "family"),
    )


def access_assessment(actor, assessment_id) -> Assessment:
    _check(actor, write=False)
    return _get(
        Assessment,
        assessment_id,
        "assessment_not_found",
        _("No such assessment."),
        queryset=Assessment.objects.select_related("child__person", "family"),
    )


def access_meeting(actor, meeting_id) -> ParentMeeting:
    _check(actor, write=False)
    return _get(
        ParentMeeting,
        meeting_id,
        "meeting_not_found",
        _("No such meeting."),
        queryset=ParentMeeting.objects.select_related("child__person"),
    )


def access_notification(actor, notification_id) -> Notification:
    _check(actor, write=False)
    return _get(Notification, notification_id, "notification_not_found", _("No such notification."))


def access_expense(actor, expense_id) -> ChildNeedsExpense:
    _check(actor, write=False)
    return _get(ChildNeedsExpense, expense_id, "expense_not_found", _("No such expense."))


def access_allowance(actor, allowance_id) -> MaintenanceAllowance:
    _check(actor, write=False)
    return _get(MaintenanceAllowance, allowance_id, "allowance_not_found", _("No such allowance."))


def access_leaving_care(actor, leaving_care_id) -> LeavingCare:
    _check(actor, write=False)
    return _get(LeavingCare, leaving_care_id, "leaving_care_not_found", _("No such leaving-care record."))


def access_education_support(actor, support_id) -> ContinuingEducationSupport:
    _check(actor, write=False)
    return _get(ContinuingEducationSupport, support_id, "education_support_not_found", _("No such education support."))


def get_family(actor, family_id) -> FosterFamily:
    """A family with its coordinator's load; the read is audited."""
    _check(actor, write=False)
    family = _get(
        FosterFamily,
        family_id,
        "family_not_found",
        _("No such foster family."),
        queryset=families_queryset(actor),
    )
    record(_user(actor), "read", family)
    return family


def coordinator_load(coordinator_id) -> int:
    """Families (not dissolved) a coordinator looks after; at most MAX_FAMILIES_PER_COORDINATOR."""
    if coordinator_id is None:
        return 0
    families = FosterFamily.objects.filter(coordinator_id=coordinator_id)
    return families.exclude(status=FosterFamily.Status.DISSOLVED).count()


def _name_filter(queryset, search: str, *prefixes: str):
    condition = Q()
    for word in search.split():
        word_condition = Q()
        for prefix in prefixes:
            word_condition |= Q(**{f"{prefix}__icontains": word})
        condition &= word_condition
    return queryset.filter(condition)


def families_queryset(
    actor,
    *,
    coordinator_id=None,
    kind: str | None = None,
    status: str | None = None,
    search: str = "",
    with_members: bool = True,
):
    """Foster families with the coordinator (and the coordinator's load, annotated) and the members."""
    _check(actor, write=False)
    load = (
        FosterFamily.objects.filter(coordinator_id=OuterRef("coordinator_id"))
        .exclude(status=FosterFamily.Status.DISSOLVED)
        .order_by()
        .values("coordinator_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset = FosterFamily.objects.select_related("coordinator__user").annotate(
        coordinator_load=Coalesce(Subquery(load, output_field=IntegerField()), Value(0))
    )
    if with_members:
        members = FamilyMember.objects.select_related("person__district").order_by("id")
        queryset = queryset.prefetch_related(Prefetch("members", queryset=members))
    if coordinator_id is not None:
        queryset = queryset.filter(coordinator_id=coordinator_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if search.strip():
        queryset = _name_filter(queryset, search, "name", "members__person__last_name", "members__person__pesel")
        queryset = queryset.distinct()
    return queryset


def candidates_queryset(actor, *, status: str | None = None, search: str = "", with_persons: bool = True):
    _check(actor, write=False)
    queryset = Candidate.objects.select_related("family")
    if with_persons:
        persons = CandidatePerson.objects.select_related("person__district").order_by("id")
        queryset = queryset.prefetch_related(Prefetch("candidate_persons", queryset=persons))
    if status:
        queryset = queryset.filter(status=status)
    if search.strip():
        queryset = _name_filter(queryset, search, "name", "candidate_persons__person__pesel").distinct()
    return queryset


def children_joined_queryset():
    """Children with ``current_placement`` (and its family) and ``next_assessment`` joined in: one statement
    for a page. The current placement and the planned assessment are unique per child (database constraints),
    so the joins cannot repeat a child."""
    return (
        FosterChild.objects.annotate(
            current_placement=FilteredRelation("placements", condition=Q(placements__end_on__isnull=True)),
            next_assessment=FilteredRelation("assessments", condition=Q(assessments__status=Assessment.Status.PLANNED)),
        )
        .select_related("person__district", "current_placement__family", "next_assessment")
        .order_by("person__last_name", "person__first_name", "id")
    )


def children_queryset(
    actor,
    *,
    status: str | None = None,
    family_id=None,
    overdue_assessment: bool | None = None,
    search: str = "",
    today: date | None = None,
):
    """Children with ``current_placement`` (and its family) and ``next_assessment`` joined in."""
    _check(actor, write=False)
    queryset = children_joined_queryset()
    if status:
        queryset = queryset.filter(status=status)
    if family_id is not None:
        queryset = queryset.filter(
            Exists(Placement.objects.filter(child=OuterRef("pk"), family_id=family_id, end_on__isnull=True))
        )
    if overdue_assessment is not None:
        overdue = Exists(
            Assessment.objects.filter(
                child=OuterRef("pk"), status=Assessment.Status.PLANNED, due_on__lt=today or _today()
            )
        )
        queryset = queryset.filter(overdue if overdue_assessment else ~overdue)
    if search.strip():
        queryset = _name_filter(queryset, search, "person__first_name", "person__last_name", "person__pesel")
    return queryset


def placements_queryset(actor, *, child_id=None, family_id=None, current: bool | None = None):
    _check(actor, write=False)
    queryset = Placement.objects.select_related("child__person", "family")
    if child_id is not None:
        queryset = queryset.filter(child_id=child_id)
    if family_id is not None:
        queryset = queryset.filter(family_id=family_id)
    if current is not None:
        queryset = queryset.filter(end_on__isnull=current)
    return queryset


def assessments_queryset(
    actor,
    *,
    subject: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    child_id=None,
    family_id=None,
    today: date | None = None,
):
    """Overdue means planned and past its due date."""
    _check(actor, write=False)
    queryset = Assessment.objects.select_related("child__person", "family__coordinator__user")
    if subject:
        queryset = queryset.filter(subject=subject)
    if status:
        queryset = queryset.filter(status=status)
    if overdue is not None:
        condition = Q(status=Assessment.Status.PLANNED, due_on__lt=today or _today())
        queryset = queryset.filter(condition if overdue else ~condition)
    if due_from is not None:
        queryset = queryset.filter(due_on__gte=due_from)
    if due_to is not None:
        queryset = queryset.filter(due_on__lte=due_to)
    if child_id is not None:
        queryset = queryset.filter(child_id=child_id)
    if family_id is not None:
        queryset = queryset.filter(family_id=family_id)
    return queryset


def meetings_queryset(
    actor, *, date_from: date | None = None, date_to: date | None = None, status: str | None = None, child_id=None
):
    """Meetings with biological parents, a calendar: ``date_from``/``date_to`` are days (inclusive) in the
    center's time zone."""
    _check(actor, write=False)
    queryset = ParentMeeting.objects.select_related("child__person")
    if date_from is not None:
        queryset = queryset.filter(planned_at__date__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(planned_at__date__lte=date_to)
    if status:
        queryset = queryset.filter(status=status)
    if child_id is not None:
        queryset = queryset.filter(child_id=child_id)
    return queryset


def reports_queryset(
    actor, *, status: str | None = None, notification_status: str | None = None, with_notifications: bool = True
):
    """Irregularity reports with their placement (child, family) and notifications; ``notification_status``
    ``pending`` keeps reports with at least one notification not yet sent, ``sent`` those with all sent."""
    _check(actor, write=False)
    queryset = IrregularityReport.objects.select_related("placement__child__person", "placement__family")
    queryset = queryset.prefetch_related(Prefetch("notifications", queryset=Notification.objects.order_by("recipient")))
    if status:
        queryset = queryset.filter(status=status)
    if notification_status:
        pending = Exists(Notification.objects.filter(report=OuterRef("pk"), status=Notification.Status.PENDING))
        queryset = queryset.filter(pending if notification_status == Notification.Status.PENDING else ~pending)
    return queryset
