"""Social assistance: every rule of the cases module. Plain functions called by GraphQL, admin, CLI, Celery
tasks and the demo seeder; each checks the caller's role and district, validates, writes and audits.

Rules implemented here:
- PESEL validated with python-stdnum; date of birth and sex must agree with it; without a PESEL (a foreigner)
  the date of birth and an identity document are required. Phones are stored in E.164.
- The district comes from the address (``district_for``); an unassigned or ambiguous address leaves the person
  without a district and says so in the result; a manual override needs a reason and is audited.
- Community interview (Rozp. MRiPS 2021 poz. 893 § 3): due 14 working days after the application, 2 when
  urgent, on the center's working-days calendar; carried out by a social worker of the person's district.
- Decision due within one month of the application (KPA art. 35 § 3, the end moved off Saturdays and public
  holidays as in art. 57 § 4); a late decision records a notice of delay (KPA art. 36) and needs its reason.
- Income criterion (art. 8) from dated rates; a grant of an income-tested form needs the criterion met.
- Case status machine: open → interview → decision → active help → closed, reopen; other moves refused.
- Payments are scheduled from grants and cancelled by suspensions and repeals; a programme grants a benefit ex
  officio to every recipient of another one, idempotently.
- Social workers see and change only persons and cases of their districts (a person without a district is in
  the intake pool, open to every social worker); directors see all; the benefits clerk and the legal advisor
  read all; the auditor reads all and writes nothing. Reading special-category reasons is audited apart.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import pesel as pesel_number

from ostoja.modules.cases.models import (
    Application,
    BenefitProgramme,
    Case,
    CaseNote,
    CaseReason,
    CaseStatus,
    ClosureReason,
    Decision,
    DecisionKind,
    DelayNotice,
    DistrictStatus,
    FormCategory,
    FormOfHelp,
    HelpReason,
    Household,
    HouseholdMember,
    IncomeCriterionRate,
    Interview,
    Payment,
    PaymentSchedule,
    Person,
    ProgrammeGrant,
    Relation,
    Sex,
    SocialContract,
    SubmittedBy,
)
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import diff, record, record_many, snapshot
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed
from ostoja.platform.money import TOO_LARGE, AmountInvalid, amount_too_large, parse_amount
from ostoja.platform.staff.access import require_role
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.calendar import WorkingDays, is_public_holiday
from ostoja.tenants.configuration.districts import district_for
from ostoja.tenants.configuration.models import District
from ostoja.tenants.configuration.phones import normalize_phone

INTERVIEW_WORKING_DAYS = 14  # Rozp. MRiPS z 2021 r. poz. 893 § 3 ust. 1
URGENT_INTERVIEW_WORKING_DAYS = 2  # § 3 ust. 2: sprawy niecierpiące zwłoki
DECISION_MONTHS = 1  # KPA art. 35 § 3
MAX_LIST = 500

# Who may change persons and cases (social workers only in their districts).
CASE_ROLES = (Role.SOCIAL_WORKER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# Who may register and change persons: also the benefits clerk (nursing-benefit recipients and the like).
PERSON_ROLES = (*CASE_ROLES, Role.BENEFITS_CLERK)
# Who may read them (the auditor too, through require_role(write=False)).
READ_ROLES = (*CASE_ROLES, Role.BENEFITS_CLERK, Role.LEGAL_ADVISOR)
# Who handles payments and programme grants.
PAYMENT_ROLES = (Role.BENEFITS_CLERK, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# Who sets the income criterion rates.
RATE_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR)

ALLOWED_TRANSITIONS = {
    # Straight to a decision only for benefits that need no community interview (family benefits).
    CaseStatus.OPEN: {CaseStatus.INTERVIEW, CaseStatus.DECISION, CaseStatus.CLOSED},
    CaseStatus.INTERVIEW: {CaseStatus.DECISION, CaseStatus.CLOSED},
    CaseStatus.DECISION: {CaseStatus.ACTIVE_HELP, CaseStatus.INTERVIEW, CaseStatus.CLOSED},
    CaseStatus.ACTIVE_HELP: {CaseStatus.DECISION, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.OPEN},
}

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "pesel",
    "date_of_birth",
    "sex",
    "citizenship",
    "document_type",
    "document_number",
    "street",
    "building",
    "flat",
    "postcode",
    "city",
    "phone",
    "email",
]
ADDRESS_FIELDS = {"street", "building"}
AUDITED_PERSON_FIELDS = [*PERSON_FIELDS, "district_id", "district_status", "district_overridden"]


class _SystemActor:
    """The actor of the demo seeders, scheduled tasks and maintenance commands (foster care uses it too):
    passes role checks, audited without a user. Never reachable from a request: only code that imports it can
    act as it."""

    is_authenticated = False
    is_active = True
    pk = None

    def get_username(self):
        return "system"

    def __str__(self):
        return "system"


SYSTEM = _SystemActor()


def _user(actor):
    return None if actor is SYSTEM else actor


SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# --- access ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the caller may touch: ``districts`` is None for every district, else the caller's districts
    (a social worker). Persons without a district (the intake pool) are open to every scope."""

    profile: StaffProfile | None
    districts: frozenset | None

    def allows(self, district_id) -> bool:
        return self.districts is None or district_id is None or district_id in self.districts

    def check(self, district_id, district_name="") -> None:
        if not self.allows(district_id):
            raise PermissionDenied(
                _("This belongs to district %(district)s, which is not one of yours."),
                code="other_district",
                params={"district": district_name or district_id},
            )


def scope_for(actor, roles=CASE_ROLES, *, write: bool) -> Scope:
    """The caller's scope for ``roles``. Any allowed role other than social worker reaches every district."""
    if actor is SYSTEM:
        return Scope(None, None)
    profile = require_role(actor, *roles, write=write)
    allowed = set(roles) | (set() if write else {Role.AUDITOR})
    if any(role in allowed and role != Role.SOCIAL_WORKER for role in profile.roles):
        return Scope(profile, None)
    cached = getattr(profile, "_ostoja_district_ids", None)
    if cached is None:
        cached = frozenset(profile.districts.values_list("id", flat=True))
        profile._ostoja_district_ids = cached
    return Scope(profile, cached)


def _get(queryset, pk, code: str, message, *, lock: bool = False):
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound(message, code=code) from None


def access_person(actor, person_id, *, write: bool = False, lock: bool = False) -> Person:
    """The person, if the caller may read it (or change it, ``write=True``); else NotFound/PermissionDenied."""
    scope = scope_for(actor, PERSON_ROLES if write else READ_ROLES, write=write)
    person = _get(
        Person.objects.select_related("district"), person_id, "person_not_found", _("No such person."), lock=lock
    )
    scope.check(person.district_id, person.district)
    return person


def access_case(actor, case_id, *, write: bool = False, lock: bool = False) -> Case:
    scope = scope_for(actor, CASE_ROLES if write else READ_ROLES, write=write)
    case = _get(
        Case.objects.select_related("person__district", "worker__user"),
        case_id,
        "case_not_found",
        _("No such case."),
        lock=lock,
    )
    scope.check(case.person.district_id, case.person.district)
    return case


def _open_case(actor, case_id, *, lock: bool = True) -> Case:
    case = access_case(actor, case_id, write=True, lock=lock)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("The case is closed; reopen it first."), code="case_closed")
    return case


def _created(actor, obj, message: str = ""):
    record(_user(actor), AuditAction.CREATE, obj, changes=diff({}, snapshot(obj)), message=message)


def _changed(actor, obj, before: dict, message: str = "") -> dict:
    changes = diff(before, snapshot(obj, list(before)))
    record(_user(actor), AuditAction.UPDATE, obj, changes=changes, message=message)
    return changes


# --- dates and money -------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; a day the shorter month lacks becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s to ``last``'s, inclusive."""
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def interview_due_date(received_on: date, urgent: bool, working_days: WorkingDays | None = None) -> date:
    days = URGENT_INTERVIEW_WORKING_DAYS if urgent else INTERVIEW_WORKING_DAYS
    return (working_days or WorkingDays.for_current_center()).add(received_on, days)


def decision_due_date(received_on: date) -> date:
    """One month after the application (KPA art. 57 § 3: the same day number, or the month's last day);
    a Saturday, Sunday or public holiday moves it to the next working day (art. 57 § 4)."""
    due = add_months(received_on, DECISION_MONTHS)
    while due.weekday() >= 5 or is_public_holiday(due):
        due += timedelta(days=1)
    return due


def _today() -> date:
    return timezone.localdate()


# Where each amount ``_money`` parses is stored: its limits (max_digits, decimal_places) come from there.
_MONEY_FIELDS = {
    "monthly_income": (HouseholdMember, "monthly_income"),
    "single_person": (IncomeCriterionRate, "single_person"),
    "per_person_in_family": (IncomeCriterionRate, "per_person_in_family"),
    "amount": (Decision, "amount"),
    "monthly_amount": (BenefitProgramme, "monthly_amount"),
}


def _money(value, field: str, *, allow_zero: bool = False) -> Decimal:
    """An amount in złoty rounded half-up to grosze; refused when not a number, negative, zero (unless
    ``allow_zero``; checked after rounding) or too large for the field it is stored in."""
    model, name = _MONEY_FIELDS[field]
    model_field = model._meta.get_field(name)
    try:
        amount = parse_amount(value, model_field)
    except AmountInvalid as exc:
        if exc.reason == TOO_LARGE:
            raise amount_too_large(field, model_field) from None
        amount = None
    if amount is None or amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationFailed(
            _("Give an amount of zero or more.") if allow_zero else _("The amount must be greater than zero."),
            code="invalid_amount",
            field=field,
        )
    return amount


def _not_future(day: date, field: str) -> date:
    if day > _today():
        raise ValidationFailed(_("The date must not be in the future."), code="future_date", field=field)
    return day


# --- persons ---------------------------------------------------------------------------------------


@dataclass
class PersonResult:
    """A created or changed person with how the district was found, and warnings for the caller to show."""

    person: Person
    district_status: str
    warnings: list[str] = field(default_factory=list)


_POSTCODE = re.compile(r"^\d{2}-\d{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _clean_person(values: dict) -> dict:
    """Validate the full set of a person's fields (after changes were applied); collect every error."""
    errors: list[ServiceError] = []
    data = dict(values)
    for name in ("first_name", "last_name"):
        data[name] = (data.get(name) or "").strip()
        if not data[name]:
            errors.append(ServiceError(_("This field is required."), code="required", field=name))
    for name in ("document_type", "document_number", "street", "building", "flat", "city", "email"):
        data[name] = (data.get(name) or "").strip()
    data["citizenship"] = (data.get("citizenship") or "PL").strip().upper()
    if not _COUNTRY.match(data["citizenship"]):
        errors.append(
            ServiceError(_("Give the citizenship as a two-letter ISO 3166 code."), code="invalid", field="citizenship")
        )
    sex = data.get("sex") or ""
    if sex and sex not in Sex.values:
        errors.append(ServiceError(_("Choose F or M."), code="invalid_choice", field="sex"))
        sex = ""
    born = data.get("date_of_birth")
    if born is not None and born > _today():
        errors.append(ServiceError(_("The date of birth is in the future."), code="future_date", field="date_of_birth"))

    pesel = re.sub(r"\s", "", data.get("pesel") or "") or None
    data["pesel"] = pesel
    if pesel:
        try:
            pesel_number.validate(pesel)
        except StdnumError:
            errors.append(ServiceError(_("This is not a valid PESEL number."), code="invalid_pesel", field="pesel"))
        else:
            pesel_born = pesel_number.get_birth_date(pesel)
            pesel_sex = pesel_number.get_gender(pesel)
            if born is not None and born != pesel_born:
                errors.append(
                    ServiceError(
                        _("The date of birth does not agree with the PESEL (%(date)s)."),
                        code="pesel_birth_date_mismatch",
                        field="date_of_birth",
                        params={"date": pesel_born.isoformat()},
                    )
                )
            if sex and sex != pesel_sex:
                errors.append(
                    ServiceError(_("The sex does not agree with the PESEL."), code="pesel_sex_mismatch", field="sex")
                )
            data["date_of_birth"] = born or pesel_born
            sex = sex or pesel_sex
    else:
        if born is None:
            errors.append(
                ServiceError(
                    _("Without a PESEL the date of birth is required."), code="required", field="date_of_birth"
                )
            )
        if not (data["document_type"] and data["document_number"]):
            errors.append(
                ServiceError(
                    _("Without a PESEL an identity document (type and number) is required."),
                    code="document_required",
                    field="document_number",
                )
            )
    if not sex:
        errors.append(ServiceError(_("This field is required."), code="required", field="sex"))
    data["sex"] = sex

    postcode = (data.get("postcode") or "").strip()
    if postcode and not _POSTCODE.match(postcode):
        errors.append(ServiceError(_("Write the postcode as 00-000."), code="invalid_postcode", field="postcode"))
    data["postcode"] = postcode
    phone = (data.get("phone") or "").strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors.append(ServiceError(exc.messages[0], code="invalid_phone", field="phone"))
    data["phone"] = phone
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors.append(ServiceError(_("Enter a valid e-mail address."), code="invalid_email", field="email"))
    if errors:
        first = errors[0]
        raise ValidationFailed(first._message, code=first.code, field=first.field, params=first.params, errors=errors)
    return data


def _locate(person: Person) -> list[str]:
    """Set the district from the address (unless overridden); return warnings."""
    if person.district_overridden:
        return [
            str(
                _("The district was set manually and is kept: %(reason)s") % {"reason": person.district_override_reason}
            )
        ]
    if not person.street:
        person.district, person.district_status = None, DistrictStatus.NONE
        return [str(_("No address given, so no district was assigned."))]
    lookup = district_for(person.street, person.building)
    person.district = lookup.district if lookup.status == "assigned" else None
    person.district_status = lookup.status
    if lookup.status == "assigned":
        return []
    return [lookup.message + " " + str(_("The person has no district until it is set manually."))]


def _save_person(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        if "pesel" in str(exc):
            raise Conflict(
                _("A person with this PESEL is already registered."), code="pesel_taken", field="pesel"
            ) from None
        raise


def create_person(actor, **values) -> PersonResult:
    """Register a person. ``values``: the fields of PERSON_FIELDS. The district follows from the address."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown field: %(field)s."), code="unknown_field", params={"field": sorted(unknown)[0]}
        )
    scope = scope_for(actor, PERSON_ROLES, write=True)
    data = _clean_person(values)
    with transaction.atomic():
        person = Person(**data, created_by=_user(actor))
        warnings = _locate(person)
        scope.check(person.district_id, person.district)
        _save_person(person)
        _created(actor, person)
    return PersonResult(person, person.district_status, warnings)


def update_person(actor, person_id, **changes) -> PersonResult:
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown field: %(field)s."), code="unknown_field", params={"field": sorted(unknown)[0]}
        )
    with transaction.atomic():
        person = access_person(actor, person_id, write=True, lock=True)
        before = snapshot(person, AUDITED_PERSON_FIELDS)
        current = {name: getattr(person, name) for name in PERSON_FIELDS}
        current.update(changes)
        data = _clean_person(current)
        for name, value in data.items():
            setattr(person, name, value)
        warnings = _locate(person) if ADDRESS_FIELDS & set(changes) or not person.district_status else []
        _save_person(person)
        _changed(actor, person, before)
    return PersonResult(person, person.district_status, warnings)


def override_district(actor, person_id, district_id, *, reason: str) -> PersonResult:
    """Set the district by hand (an ambiguous address, a homeless person): the reason is required and audited.
    A social worker may only move a person of their districts into one of their districts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason for setting the district by hand."), code="reason_required", field="reason"
        )
    scope = scope_for(actor, CASE_ROLES, write=True)
    with transaction.atomic():
        person = access_person(actor, person_id, write=True, lock=True)
        district = _get(District.objects.all(), district_id, "district_not_found", _("No such district."))
        scope.check(district.pk, district)
        before = snapshot(person, [*AUDITED_PERSON_FIELDS, "district_override_reason"])
        person.district = district
        person.district_status = DistrictStatus.MANUAL
        person.district_overridden = True
        person.district_override_reason = reason[:300]
        person.save()
        _changed(actor, person, before, message=str(_("District set manually: %(reason)s") % {"reason": reason}))
    return PersonResult(person, person.district_status, [])


def clear_district_override(actor, person_id) -> PersonResult:
    """Go back to the district the address gives."""
    with transaction.atomic():
        person = access_person(actor, person_id, write=True, lock=True)
        scope_for(actor, CASE_ROLES, write=True)
        before = snapshot(person, [*AUDITED_PERSON_FIELDS, "district_override_reason"])
        person.district_overridden = False
        person.district_override_reason = ""
        warnings = _locate(person)
        person.save()
        _changed(actor, person, before, message=str(_("Manual district removed.")))
    return PersonResult(person, person.district_status, warnings)


def get_person(actor, person_id) -> Person:
    """Read a person's record: audited."""
    person = access_person(actor, person_id)
    record(_user(actor), AuditAction.READ, person)
    return person


def list_persons(actor, *, district_id=None, search: str = "", limit: int = 100) -> list[Person]:
    """Persons the caller may see, by last name; a social worker asking for another district is refused."""
    scope = scope_for(actor, READ_ROLES, write=False)
    queryset = Person.objects.select_related("district")
    if district_id is not None:
        scope.check(int(district_id), District.objects.filter(pk=district_id).values_list("name", flat=True).first())
        queryset = queryset.filter(district_id=district_id)
    elif scope.districts is not None:
        queryset = queryset.filter(Q(district_id__in=scope.districts) | Q(district__isnull=True))
    if search.strip():
        term = search.strip()
        queryset = queryset.filter(Q(last_name__icontains=term) | Q(pesel__startswith=term))
    return list(queryset[: min(limit, MAX_LIST)])


# --- households and income -------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeSummary:
    size: int
    total: Decimal
    per_person: Decimal


@dataclass(frozen=True)
class IncomeCheck:
    """The income criterion check of a household on a date (art. 8 ust. 1)."""

    size: int
    total: Decimal
    per_person: Decimal
    rate: IncomeCriterionRate
    criterion: Decimal
    met: bool


def _relation(value) -> str:
    if value not in Relation.values or value == Relation.HEAD:
        raise ValidationFailed(
            _("Choose the member's relation to the head of the household."), code="invalid_relation", field="relation"
        )
    return value


def _add_member(household, person, relation, income, sources="") -> HouseholdMember:
    if HouseholdMember.objects.filter(person=person).exists():
        raise Conflict(
            _("%(person)s already belongs to a household."), code="already_in_household", params={"person": person}
        )
    return HouseholdMember.objects.create(
        household=household,
        person=person,
        relation=relation,
        monthly_income=_money(income, "monthly_income", allow_zero=True),
        income_sources=(sources or "")[:300],
    )


def create_household(actor, head_id, *, head_income=0, head_income_sources: str = "", members=()) -> Household:
    """A household headed by ``head_id``; ``members``: dicts with person_id, relation, monthly_income and
    optionally income_sources."""
    with transaction.atomic():
        head = access_person(actor, head_id, write=True)
        household = Household.objects.create(head=head)
        _add_member(household, head, Relation.HEAD, head_income, head_income_sources)
        for member in members:
            person = access_person(actor, member["person_id"], write=True)
            _add_member(
                household,
                person,
                _relation(member.get("relation")),
                member.get("monthly_income", 0),
                member.get("income_sources", ""),
            )
        Case.objects.filter(person=head, household__isnull=True).update(household=household)
        summary = household_income(household)
        record(
            _user(actor),
            AuditAction.CREATE,
            household,
            changes={"members": [None, summary.size], "income": [None, str(summary.total)]},
        )
    return household


def access_household(actor, household_id, *, write: bool = False) -> Household:
    household = _get(
        Household.objects.select_related("head__district"), household_id, "household_not_found", _("No such household.")
    )
    scope = scope_for(actor, PERSON_ROLES if write else READ_ROLES, write=write)
    scope.check(household.head.district_id, household.head.district)
    return household


def add_household_member(
    actor, household_id, person_id, *, relation, monthly_income=0, income_sources: str = ""
) -> HouseholdMember:
    with transaction.atomic():
        household = access_household(actor, household_id, write=True)
        person = access_person(actor, person_id, write=True)
        member = _add_member(household, person, _relation(relation), monthly_income, income_sources)
        _created(actor, member)
    return member


def set_member_income(actor, member_id, *, monthly_income, income_sources: str | None = None) -> HouseholdMember:
    with transaction.atomic():
        member = _get(
            HouseholdMember.objects.select_related("household"),
            member_id,
            "member_not_found",
            _("No such household member."),
            lock=True,
        )
        access_household(actor, member.household_id, write=True)
        before = snapshot(member, ["monthly_income", "income_sources"])
        member.monthly_income = _money(monthly_income, "monthly_income", allow_zero=True)
        if income_sources is not None:
            member.income_sources = income_sources[:300]
        member.save()
        _changed(actor, member, before)
    return member


def remove_household_member(actor, member_id) -> None:
    with transaction.atomic():
        member = _get(HouseholdMember.objects.all(), member_id, "member_not_found", _("No such household member."))
        access_household(actor, member.household_id, write=True)
        if member.relation == Relation.HEAD:
            raise Conflict(_("The head of the household cannot be removed."), code="head_required")
        record(_user(actor), AuditAction.DELETE, member, changes=diff(snapshot(member), {}))
        member.delete()


def household_income(household) -> IncomeSummary:
    """The household's monthly income and the income per person (rounded to grosze)."""
    members = list(HouseholdMember.objects.filter(household=household).values_list("monthly_income", flat=True))
    total = sum(members, Decimal(0))
    size = len(members)
    per_person = (total / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if size else Decimal(0)
    return IncomeSummary(size, total, per_person)


def rate_on(day: date) -> IncomeCriterionRate:
    rate = IncomeCriterionRate.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rate is None:
        raise NotFound(
            _("No income criterion is recorded for %(date)s."), code="no_income_criterion", params={"date": day}
        )
    return rate


def income_check(household, on: date) -> IncomeCheck:
    """Is the household within the income criterion in force on ``on``? A person living alone is compared with
    the rate for a person alone, a family's income per person with the rate per person in a family."""
    summary = household_income(household)
    rate = rate_on(on)
    criterion = rate.single_person if summary.size == 1 else rate.per_person_in_family
    return IncomeCheck(
        summary.size, summary.total, summary.per_person, rate, criterion, summary.per_person <= criterion
    )


def add_income_criterion_rate(
    actor, *, valid_from: date, single_person, per_person_in_family, legal_basis: str = ""
) -> IncomeCriterionRate:
    scope_for(actor, RATE_ROLES, write=True)
    if IncomeCriterionRate.objects.filter(valid_from=valid_from).exists():
        raise Conflict(_("A rate from %(date)s is already recorded."), code="rate_exists", params={"date": valid_from})
    rate = IncomeCriterionRate.objects.create(
        valid_from=valid_from,
        single_person=_money(single_person, "single_person"),
        per_person_in_family=_money(per_person_in_family, "per_person_in_family"),
        legal_basis=legal_basis[:200],
    )
    _created(actor, rate)
    return rate


# --- cases, applications, interviews ---------------------------------------------------------------


def _reasons(codes) -> list[HelpReason]:
    codes = list(dict.fromkeys(codes or ()))
    found = {r.code: r for r in HelpReason.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(
            _("Unknown reason for help: %(code)s."), code="unknown_reason", field="reasons", params={"code": missing[0]}
        )
    return [found[c] for c in codes]


def _transition(case: Case, new_status: str) -> None:
    if new_status not in ALLOWED_TRANSITIONS.get(case.status, set()):
        raise Conflict(
            _("A case cannot go from “%(old)s” to “%(new)s”."),
            code="illegal_transition",
            params={"old": CaseStatus(case.status).label, "new": CaseStatus(new_status).label},
        )
    case.status = new_status


def register_application(
    actor,
    person_id,
    *,
    received_on: date,
    urgent: bool = False,
    submitted_by: str = SubmittedBy.PERSON,
    description: str = "",
    reasons=(),
    case_id=None,
) -> Application:
    """Register an application (or proceedings started ex officio). Opens a case unless ``case_id`` names the
    person's open case; schedules the community interview (14 working days, 2 when urgent) and computes the
    decision's due date (one month)."""
    if submitted_by not in SubmittedBy.values:
        raise ValidationFailed(_("Say who submitted the application."), code="invalid_choice", field="submitted_by")
    _not_future(received_on, "received_on")
    help_reasons = _reasons(reasons)
    with transaction.atomic():
        person = access_person(actor, person_id, write=True)
        scope_for(actor, CASE_ROLES, write=True)
        if case_id is not None:
            case = _open_case(actor, case_id)
            if case.person_id != person.pk:
                raise ValidationFailed(
                    _("The case belongs to another person."), code="case_of_another_person", field="case_id"
                )
        else:
            household_id = HouseholdMember.objects.filter(person=person).values_list("household_id", flat=True).first()
            case = Case.objects.create(
                person=person,
                household_id=household_id,
                opened_on=received_on,
                created_by=_user(actor),
            )
            _created(actor, case)
        application = Application.objects.create(
            case=case,
            submitted_by=submitted_by,
            received_on=received_on,
            urgent=urgent,
            description=description,
            decision_due_on=decision_due_date(received_on),
            created_by=_user(actor),
        )
        _created(actor, application)
        interview = Interview.objects.create(
            case=case, application=application, urgent=urgent, due_on=interview_due_date(received_on, urgent)
        )
        _created(actor, interview)
        existing = set(CaseReason.objects.filter(case=case).values_list("reason_id", flat=True))
        new = [r for r in help_reasons if r.pk not in existing]
        CaseReason.objects.bulk_create([CaseReason(case=case, reason=r, noted_on=received_on) for r in new])
        if new:
            record(_user(actor), AuditAction.UPDATE, case, changes={"reasons": [None, ", ".join(r.code for r in new)]})
    return application


def _social_worker_for(person: Person, worker_id) -> StaffProfile:
    worker = _get(
        StaffProfile.objects.select_related("user"), worker_id, "worker_not_found", _("No such staff member.")
    )
    if Role.SOCIAL_WORKER not in worker.roles:
        raise ValidationFailed(
            _("%(name)s is not a social worker."), code="not_social_worker", field="worker", params={"name": worker}
        )
    if person.district_id is None:
        if not District.objects.exists():
            return worker  # a center without districts: any of its social workers
        raise ValidationFailed(
            _("%(person)s has no district: set it first, then assign a social worker of that district."),
            code="person_without_district",
            field="worker",
            params={"person": person},
        )
    if not worker.districts.filter(pk=person.district_id).exists():
        raise ValidationFailed(
            _("%(name)s does not work in district %(district)s."),
            code="worker_other_district",
            field="worker",
            params={"name": worker, "district": person.district},
        )
    return worker


def assign_case_worker(actor, case_id, worker_id) -> Case:
    with transaction.atomic():
        case = _open_case(actor, case_id)
        worker = _social_worker_for(case.person, worker_id)
        before = snapshot(case, ["worker_id"])
        case.worker = worker
        case.save(update_fields=["worker"])
        _changed(actor, case, before)
    return case


def access_interview(actor, interview_id, *, write: bool = False) -> Interview:
    interview = _get(Interview.objects.all(), interview_id, "interview_not_found", _("No such interview."))
    interview.case = access_case(actor, interview.case_id, write=write, lock=write)
    return interview


def assign_interview(actor, interview_id, worker_id, *, assigned_on: date | None = None) -> Interview:
    """Give the interview to a social worker of the person's district; the case moves to "interview"."""
    with transaction.atomic():
        interview = access_interview(actor, interview_id, write=True)
        case = interview.case
        if case.status == CaseStatus.CLOSED:
            raise Conflict(_("The case is closed; reopen it first."), code="case_closed")
        if interview.status != Interview.Status.PLANNED:
            raise Conflict(_("The interview was already carried out or cancelled."), code="interview_not_planned")
        worker = _social_worker_for(case.person, worker_id)
        before = snapshot(interview, ["assigned_to_id", "assigned_on"])
        interview.assigned_to = worker
        interview.assigned_on = assigned_on or _today()
        interview.save(update_fields=["assigned_to", "assigned_on"])
        _changed(actor, interview, before)
        case_before = snapshot(case, ["status", "worker_id"])
        if case.status == CaseStatus.OPEN:
            _transition(case, CaseStatus.INTERVIEW)
        if case.worker_id is None:
            case.worker = worker
        if snapshot(case, list(case_before)) != case_before:
            case.save(update_fields=["status", "worker"])
            _changed(actor, case, case_before)
    return interview


def record_interview(
    actor, interview_id, *, conducted_on: date, findings: str, recommendations: str = "", place: str = ""
) -> Interview:
    """The interview's results; the case then awaits a decision."""
    if not (findings or "").strip():
        raise ValidationFailed(_("Record what the interview found."), code="required", field="findings")
    _not_future(conducted_on, "conducted_on")
    with transaction.atomic():
        interview = access_interview(actor, interview_id, write=True)
        case = interview.case
        if interview.status != Interview.Status.PLANNED:
            raise Conflict(_("The interview was already carried out or cancelled."), code="interview_not_planned")
        if interview.assigned_to_id is None:
            raise Conflict(_("Assign the interview to a social worker first."), code="interview_unassigned")
        if conducted_on < interview.application.received_on:
            raise ValidationFailed(
                _("The interview cannot precede the application."), code="before_application", field="conducted_on"
            )
        before = snapshot(interview, ["status", "conducted_on", "findings", "recommendations", "place"])
        interview.status = Interview.Status.CONDUCTED
        interview.conducted_on = conducted_on
        interview.findings = findings
        interview.recommendations = recommendations
        interview.place = place[:200]
        interview.save()
        _changed(actor, interview, before)
        if case.status == CaseStatus.INTERVIEW:
            case_before = snapshot(case, ["status"])
            _transition(case, CaseStatus.DECISION)
            case.save(update_fields=["status"])
            _changed(actor, case, case_before)
    return interview


def set_case_reasons(actor, case_id, codes) -> Case:
    """Replace the case's reasons for help (several allowed, at least one)."""
    reasons = _reasons(codes)
    if not reasons:
        raise ValidationFailed(_("Give at least one reason for help."), code="required", field="reasons")
    with transaction.atomic():
        case = _open_case(actor, case_id)
        old = list(
            CaseReason.objects.filter(case=case).order_by("reason__order").values_list("reason__code", flat=True)
        )
        keep = {r.pk for r in reasons}
        CaseReason.objects.filter(case=case).exclude(reason_id__in=keep).delete()
        existing = set(CaseReason.objects.filter(case=case).values_list("reason_id", flat=True))
        CaseReason.objects.bulk_create(
            [CaseReason(case=case, reason=r, noted_on=_today()) for r in reasons if r.pk not in existing]
        )
        new = sorted((r.code for r in reasons), key=[r.code for r in HelpReason.objects.all()].index)
        if old != new:
            record(_user(actor), AuditAction.UPDATE, case, changes={"reasons": [", ".join(old), ", ".join(new)]})
    return case


def change_case_status(
    actor, case_id, new_status: str, *, on: date | None = None, closure_reason: str = "", note: str = ""
) -> Case:
    """Move a case along its status machine; a move the machine does not allow is refused (Conflict).
    Closing needs a closure reason; reopening a note saying why."""
    if new_status not in CaseStatus.values:
        raise ValidationFailed(_("Unknown case status."), code="invalid_choice", field="status")
    with transaction.atomic():
        case = access_case(actor, case_id, write=True, lock=True)
        before = snapshot(case, ["status", "closed_on", "closure_reason", "closure_note"])
        reopening = case.status == CaseStatus.CLOSED
        _transition(case, new_status)
        if new_status == CaseStatus.CLOSED:
            if closure_reason not in ClosureReason.values:
                raise ValidationFailed(
                    _("Give the reason for closing the case."), code="closure_reason_required", field="closure_reason"
                )
            if Payment.objects.filter(decision__case=case, status=Payment.Status.PLANNED).exists():
                raise Conflict(
                    _("Payments are still planned in this case: repeal or change the decision first."),
                    code="planned_payments",
                )
            case.closed_on = on or _today()
            case.closure_reason = closure_reason
            case.closure_note = note[:500]
            Interview.objects.filter(case=case, status=Interview.Status.PLANNED).update(
                status=Interview.Status.CANCELLED
            )
        elif reopening:
            if not note.strip():
                raise ValidationFailed(_("Say why the case is reopened."), code="reason_required", field="note")
            case.closed_on = None
            case.closure_reason = ""
            case.closure_note = ""
        case.save()
        _changed(actor, case, before, message=note)
    return case


def close_case(actor, case_id, *, reason: str, note: str = "", on: date | None = None) -> Case:
    return change_case_status(actor, case_id, CaseStatus.CLOSED, on=on, closure_reason=reason, note=note)


def reopen_case(actor, case_id, *, note: str) -> Case:
    return change_case_status(actor, case_id, CaseStatus.OPEN, note=note)


def _sensitive_codes(case: Case) -> list[str]:
    return [cr.reason.code for cr in case.case_reasons.all() if cr.reason.special_category]


def get_case(actor, case_id) -> Case:
    """A case with its person, reasons, applications, interviews and decisions. The read is audited; when the
    case has special-category reasons (violence, addiction …) the reading of those is audited apart."""
    case = access_case(actor, case_id)
    case = (
        Case.objects.select_related("person__district", "worker__user", "household")
        .prefetch_related(
            Prefetch("case_reasons", queryset=CaseReason.objects.select_related("reason").order_by("reason__order")),
            "applications__delay_notices",
            Prefetch("interviews", queryset=Interview.objects.select_related("assigned_to__user")),
            Prefetch("decisions", queryset=Decision.objects.select_related("form")),
        )
        .get(pk=case.pk)
    )
    user = _user(actor)
    record(user, AuditAction.READ, case)
    record(user, AuditAction.READ, case.person, message=str(_("read with case %(id)s") % {"id": case.pk}))
    sensitive = _sensitive_codes(case)
    if sensitive:
        record(
            user,
            AuditAction.READ_SENSITIVE,
            case,
            changes={"reasons": [None, ", ".join(sensitive)]},
            message=str(_("special-category reasons read")),
        )
    return case


def list_cases(
    actor,
    *,
    district_id=None,
    status: str | None = None,
    worker_id=None,
    include_sensitive: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[Case]:
    """Cases the caller may see, newest first, with person, district, worker and reasons, in a constant number
    of queries. Special-category reasons are left out (``restricted_reasons`` says how many) unless
    ``include_sensitive``, and then each case shown with them gets a READ_SENSITIVE audit entry."""
    scope = scope_for(actor, READ_ROLES, write=False)
    queryset = Case.objects.select_related("person__district", "worker__user")
    if district_id is not None:
        scope.check(int(district_id), District.objects.filter(pk=district_id).values_list("name", flat=True).first())
        queryset = queryset.filter(person__district_id=district_id)
    elif scope.districts is not None:
        queryset = queryset.filter(Q(person__district_id__in=scope.districts) | Q(person__district__isnull=True))
    if status:
        queryset = queryset.filter(status=status)
    if worker_id is not None:
        queryset = queryset.filter(worker_id=worker_id)
    queryset = queryset.prefetch_related(
        Prefetch("case_reasons", queryset=CaseReason.objects.select_related("reason").order_by("reason__order"))
    )
    cases = list(queryset[offset : offset + min(limit, MAX_LIST)])
    reveal_reasons(actor, cases, include_sensitive=include_sensitive)
    return cases


def reveal_reasons(actor, cases, *, include_sensitive: bool) -> None:
    """Set ``visible_reasons`` and ``restricted_reasons`` on each case of a page (``case_reasons`` prefetched
    with their reason). Special-category reasons are left out unless ``include_sensitive``; then each case shown
    with them gets a READ_SENSITIVE audit entry (one bulk insert for the page)."""
    sensitive_cases = []
    for case in cases:
        reasons = [cr.reason for cr in case.case_reasons.all()]
        case.visible_reasons = reasons if include_sensitive else [r for r in reasons if not r.special_category]
        case.restricted_reasons = 0 if include_sensitive else len(reasons) - len(case.visible_reasons)
        if include_sensitive and any(r.special_category for r in reasons):
            sensitive_cases.append(case)
    if sensitive_cases:
        record_many(
            _user(actor),
            AuditAction.READ_SENSITIVE,
            sensitive_cases,
            message=str(_("special-category reasons read in a list")),
            changes=lambda c: {"reasons": [None, ", ".join(r.code for r in c.visible_reasons if r.special_category)]},
        )


# --- decisions -------------------------------------------------------------------------------------


def _form(code_or_id) -> FormOfHelp:
    if isinstance(code_or_id, FormOfHelp):
        return code_or_id
    lookup = {"pk": code_or_id} if isinstance(code_or_id, int) else {"code": code_or_id}
    try:
        return FormOfHelp.objects.get(**lookup)
    except FormOfHelp.DoesNotExist:
        raise ValidationFailed(
            _("Unknown form of help: %(form)s."), code="unknown_form", field="form", params={"form": code_or_id}
        ) from None


def _case_household(case: Case) -> Household | None:
    if case.household_id:
        return case.household
    member = HouseholdMember.objects.filter(person_id=case.person_id).select_related("household").first()
    return member.household if member else None


def _schedule(decision: Decision, months: list[date] | None = None) -> list[Payment]:
    form = decision.form
    if decision.amount is None or form.schedule == PaymentSchedule.NONE:
        return []
    if form.schedule == PaymentSchedule.ONCE:
        months = [month_start(decision.period_start)]
    elif months is None:
        months = months_between(decision.period_start, decision.period_end)
    return [
        Payment(
            decision=decision,
            person_id=decision.case.person_id,
            form=form,
            month=month,
            amount=decision.amount,
            due_on=max(month, decision.period_start),
        )
        for month in months
    ]


def _cancel_planned(decision: Decision, first: date, last: date | None, reason: str) -> int:
    payments = Payment.objects.filter(decision=decision, status=Payment.Status.PLANNED, month__gte=month_start(first))
    if last is not None:
        payments = payments.filter(month__lte=last)
    return payments.update(status=Payment.Status.CANCELLED, cancelled_reason=reason[:300])


def issue_decision(
    actor,
    case_id,
    *,
    kind: str,
    period_start: date,
    form=None,
    amount=None,
    period_end: date | None = None,
    application_id=None,
    amends_id=None,
    issued_on: date | None = None,
    justification: str = "",
    delay_reason: str = "",
) -> Decision:
    """Issue a decision in a case.

    - grant / refuse: after the community interview (case status "decision" or "active help"); they settle an
      application (the given one, or the case's oldest undecided one). A grant schedules payments.
    - change / suspend / repeal: amend an earlier grant (``amends_id``); a change replaces the planned payments
      from ``period_start``, a suspension cancels those from ``period_start`` to ``period_end``, a repeal all
      from ``period_start`` on.
    The income criterion check in force on ``issued_on`` is stored on the decision; a grant of an income-tested
    form needs it met. Issued after the due date: ``late``, with a notice of delay (its reason required unless
    one was recorded before)."""
    if kind not in DecisionKind.values:
        raise ValidationFailed(_("Unknown kind of decision."), code="invalid_choice", field="kind")
    issued_on = _not_future(issued_on or _today(), "issued_on")
    with transaction.atomic():
        case = _open_case(actor, case_id)
        amended = None
        application = None
        if kind in (DecisionKind.GRANT, DecisionKind.REFUSE):
            form = _form(form)
            if case.status not in (CaseStatus.DECISION, CaseStatus.ACTIVE_HELP):
                if form.category == FormCategory.SOCIAL_ASSISTANCE:
                    # Art. 106 ust. 4: social assistance is decided after the community interview.
                    raise Conflict(
                        _("A decision comes after the community interview (the case is “%(status)s”)."),
                        code="interview_first",
                        params={"status": CaseStatus(case.status).label},
                    )
                # A family benefit needs no interview: the planned ones are cancelled as not required.
                case_before = snapshot(case, ["status"])
                Interview.objects.filter(case=case, status=Interview.Status.PLANNED).update(
                    status=Interview.Status.CANCELLED
                )
                _transition(case, CaseStatus.DECISION)
                case.save(update_fields=["status"])
                _changed(actor, case, case_before, message=str(_("no community interview required")))
            pending = Application.objects.filter(case=case, decided_on__isnull=True).order_by("received_on", "id")
            if application_id is not None:
                application = _get(
                    Application.objects.filter(case=case),
                    application_id,
                    "application_not_found",
                    _("No such application."),
                )
                if application.decided_on is not None:
                    raise Conflict(_("This application was already decided."), code="already_decided")
            else:
                application = pending.first()
        else:
            if amends_id is None:
                raise ValidationFailed(
                    _("Say which decision this one changes, suspends or repeals."), code="required", field="amends_id"
                )
            amended = _get(
                Decision.objects.select_related("form").select_for_update(of=("self",)).filter(case=case),
                amends_id,
                "decision_not_found",
                _("No such decision in this case."),
            )
            allowed = {Decision.Status.IN_FORCE} | (
                {Decision.Status.SUSPENDED} if kind != DecisionKind.SUSPEND else set()
            )
            if amended.kind not in (DecisionKind.GRANT, DecisionKind.CHANGE) or amended.status not in allowed:
                raise Conflict(
                    _("Only a grant in force can be changed, suspended or repealed."), code="decision_not_in_force"
                )
            form = amended.form

        cash = form.schedule != PaymentSchedule.NONE
        if kind in (DecisionKind.GRANT, DecisionKind.CHANGE) and cash:
            amount = _money(amount, "amount")
        elif amount not in (None, ""):
            if not cash:
                raise ValidationFailed(
                    _("%(form)s is not paid in money: give no amount."),
                    code="no_amount",
                    field="amount",
                    params={"form": form},
                )
            amount = None
        else:
            amount = None
        if kind == DecisionKind.SUSPEND and period_end is None:
            raise ValidationFailed(_("Say until when the benefit is suspended."), code="required", field="period_end")
        monthly_grant = kind in (DecisionKind.GRANT, DecisionKind.CHANGE) and form.schedule == PaymentSchedule.MONTHLY
        if monthly_grant and period_end is None:
            raise ValidationFailed(_("A monthly benefit needs an end date."), code="required", field="period_end")
        if period_end is not None and period_end < period_start:
            raise ValidationFailed(
                _("The period must not end before it starts."), code="period_reversed", field="period_end"
            )
        if amended is not None and period_start < amended.period_start:
            raise ValidationFailed(
                _("The amended decision starts on %(date)s."),
                code="outside_period",
                field="period_start",
                params={"date": amended.period_start},
            )
        if amended is not None and amended.period_end and period_start > amended.period_end:
            raise ValidationFailed(
                _("The amended decision ends on %(date)s."),
                code="outside_period",
                field="period_start",
                params={"date": amended.period_end},
            )
        if application is not None and issued_on < application.received_on:
            raise ValidationFailed(
                _("A decision cannot precede the application."), code="before_application", field="issued_on"
            )

        decision = Decision(
            case=case,
            application=application,
            kind=kind,
            form=form,
            amends=amended,
            amount=amount,
            period_start=period_start,
            period_end=period_end,
            justification=justification,
            issued_on=issued_on,
            issued_by=_user(actor),
            ex_officio=bool(application and application.submitted_by == SubmittedBy.EX_OFFICIO),
        )
        if kind in (DecisionKind.GRANT, DecisionKind.REFUSE, DecisionKind.CHANGE):
            household = _case_household(case)
            if household is not None:
                check = income_check(household, issued_on)
                decision.household_size = check.size
                decision.household_income = check.total
                decision.income_per_person = check.per_person
                decision.criterion_rate = check.rate
                decision.criterion_amount = check.criterion
                decision.criterion_met = check.met
            if form.income_tested and kind != DecisionKind.REFUSE:
                if household is None:
                    raise ValidationFailed(
                        _("%(form)s depends on income: record the household and its income first."),
                        code="income_unknown",
                        params={"form": form},
                    )
                if not decision.criterion_met:
                    raise ValidationFailed(
                        _(
                            "The income per person (%(income)s zł) exceeds the income criterion of %(criterion)s zł "
                            "in force on %(date)s."
                        ),
                        code="income_criterion_not_met",
                        params={
                            "income": decision.income_per_person,
                            "criterion": decision.criterion_amount,
                            "date": issued_on,
                        },
                    )

        notice = None
        if application is not None:
            decision.due_on = application.decision_due_on
            decision.late = issued_on > application.decision_due_on
            if decision.late:
                earlier = application.delay_notices.filter(kind=DelayNotice.Kind.NOTICE).order_by("-id").first()
                reason = (delay_reason or "").strip() or (earlier.reason if earlier else "")
                if not reason:
                    raise ValidationFailed(
                        _("The decision is late (due %(date)s): give the reason for the delay."),
                        code="delay_reason_required",
                        field="delay_reason",
                        params={"date": application.decision_due_on},
                    )
                notice = DelayNotice(
                    application=application,
                    kind=DelayNotice.Kind.ISSUED_LATE,
                    reason=reason[:500],
                    recorded_on=issued_on,
                    recorded_by=_user(actor),
                )
        decision.save()
        _created(actor, decision)
        if notice is not None:
            notice.save()
            _created(actor, notice)
        if application is not None:
            Application.objects.filter(pk=application.pk).update(decided_on=issued_on)

        cancelled = 0
        if amended is not None:
            amended_before = snapshot(amended, ["status"])
            label = str(_("%(kind)s of %(date)s") % {"kind": decision.get_kind_display(), "date": issued_on})
            if kind == DecisionKind.CHANGE:
                cancelled = _cancel_planned(amended, period_start, None, label)
                amended.status = Decision.Status.CHANGED
            elif kind == DecisionKind.SUSPEND:
                cancelled = _cancel_planned(amended, period_start, period_end, label)
                amended.status = Decision.Status.SUSPENDED
            else:
                cancelled = _cancel_planned(amended, period_start, None, label)
                amended.status = Decision.Status.REPEALED
            amended.save(update_fields=["status"])
            _changed(actor, amended, amended_before, message=label)
        payments = (
            Payment.objects.bulk_create(_schedule(decision))
            if kind
            in (
                DecisionKind.GRANT,
                DecisionKind.CHANGE,
            )
            else []
        )
        if payments or cancelled:
            record(
                _user(actor),
                AuditAction.ACTION,
                decision,
                changes={"payments_planned": [None, len(payments)], "payments_cancelled": [None, cancelled]},
            )
        if kind == DecisionKind.GRANT and case.status == CaseStatus.DECISION:
            case_before = snapshot(case, ["status"])
            _transition(case, CaseStatus.ACTIVE_HELP)
            case.save(update_fields=["status"])
            _changed(actor, case, case_before)
    return decision


def record_delay_notice(actor, application_id, *, reason: str, new_due_on: date, notified_on: date | None = None):
    """The notice to the party that the matter will be settled late (KPA art. 36), with the new date."""
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for the delay."), code="required", field="reason")
    with transaction.atomic():
        application = _get(
            Application.objects.all(), application_id, "application_not_found", _("No such application.")
        )
        _open_case(actor, application.case_id)
        if application.decided_on is not None:
            raise Conflict(_("This application was already decided."), code="already_decided")
        if new_due_on <= application.decision_due_on:
            raise ValidationFailed(
                _("The new date must be after the due date (%(date)s)."),
                code="new_date_too_early",
                field="new_due_on",
                params={"date": application.decision_due_on},
            )
        notice = DelayNotice.objects.create(
            application=application,
            kind=DelayNotice.Kind.NOTICE,
            reason=reason[:500],
            new_due_on=new_due_on,
            recorded_on=notified_on or _today(),
            recorded_by=_user(actor),
        )
        _created(actor, notice)
    return notice


def flag_overdue_decisions(actor=SYSTEM, *, today: date | None = None) -> int:
    """Record, once per application, that its due date passed without a decision (for a daily task). Returns how
    many applications were flagged now; running it again the same day flags none."""
    scope = scope_for(actor, CASE_ROLES, write=True)
    today = today or _today()
    pending = Application.objects.filter(decided_on__isnull=True, decision_due_on__lt=today).exclude(
        case__status=CaseStatus.CLOSED
    )
    if scope.districts is not None:
        pending = pending.filter(
            Q(case__person__district_id__in=scope.districts) | Q(case__person__district__isnull=True)
        )
    pending = pending.exclude(delay_notices__kind=DelayNotice.Kind.DUE_DATE_PASSED)
    with transaction.atomic():
        ids = list(pending.values_list("id", flat=True))
        DelayNotice.objects.bulk_create(
            [
                DelayNotice(
                    application_id=application_id,
                    kind=DelayNotice.Kind.DUE_DATE_PASSED,
                    recorded_on=today,
                    recorded_by=_user(actor),
                )
                for application_id in ids
            ],
            ignore_conflicts=True,
        )
        if ids:
            record(
                _user(actor),
                AuditAction.CREATE,
                object_type=DelayNotice._meta.label_lower,
                changes={"applications": [None, ", ".join(map(str, ids))]},
                message=str(_("due date passed without a decision")),
            )
    return len(ids)


# --- payments and programmes -----------------------------------------------------------------------


def access_payment(actor, payment_id, *, write: bool = False) -> Payment:
    scope = scope_for(actor, PAYMENT_ROLES if write else READ_ROLES, write=write)
    payment = _get(
        Payment.objects.select_related("person__district"),
        payment_id,
        "payment_not_found",
        _("No such payment."),
        lock=write,
    )
    scope.check(payment.person.district_id, payment.person.district)
    return payment


def mark_payment_paid(actor, payment_id, *, paid_on: date | None = None) -> Payment:
    with transaction.atomic():
        payment = access_payment(actor, payment_id, write=True)
        if payment.status != Payment.Status.PLANNED:
            raise Conflict(_("Only a planned payment can be paid."), code="payment_not_planned")
        before = snapshot(payment, ["status", "paid_on"])
        payment.status = Payment.Status.PAID
        payment.paid_on = _not_future(paid_on or _today(), "paid_on")
        payment.save(update_fields=["status", "paid_on"])
        _changed(actor, payment, before)
    return payment


def cancel_payment(actor, payment_id, *, reason: str) -> Payment:
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for cancelling."), code="required", field="reason")
    with transaction.atomic():
        payment = access_payment(actor, payment_id, write=True)
        if payment.status != Payment.Status.PLANNED:
            raise Conflict(_("Only a planned payment can be cancelled."), code="payment_not_planned")
        before = snapshot(payment, ["status", "cancelled_reason"])
        payment.status = Payment.Status.CANCELLED
        payment.cancelled_reason = reason[:300]
        payment.save(update_fields=["status", "cancelled_reason"])
        _changed(actor, payment, before)
    return payment


@dataclass
class ProgrammeResult:
    programme: BenefitProgramme
    granted: int = 0
    already_granted: int = 0
    skipped: int = 0


def _check_programme_texts(*, code: str, name_pl: str, name_en: str, legal_basis: str) -> None:
    errors = []
    if not code or len(code) > 60 or not SLUG_RE.fullmatch(code):
        errors.append(
            ValidationFailed(
                _("The code is 1–60 lowercase letters, digits and hyphens (e.g. bon-cieplowniczy-2026)."),
                code="invalid_code",
                field="code",
            )
        )
    for name, value, required in (
        ("name_pl", name_pl, True),
        ("name_en", name_en, True),
        ("legal_basis", legal_basis, False),
    ):
        if required and not value:
            errors.append(ValidationFailed(_("This field is required."), code="required", field=name))
        elif len(value) > 300:
            errors.append(ValidationFailed(_("At most 300 characters."), code="too_long", field=name))
    if errors:
        raise ValidationFailed(errors[0]._message, code=errors[0].code, field=errors[0].field, errors=errors)


def grant_programme(
    actor,
    *,
    code: str,
    name_pl: str,
    name_en: str,
    source_form,
    form,
    monthly_amount,
    first_month: date,
    last_month: date,
    legal_basis: str = "",
    issued_on: date | None = None,
) -> ProgrammeResult:
    """Grant ``form`` ex officio, ``monthly_amount`` a month, to every recipient of ``source_form`` for each of
    the months from ``first_month`` to ``last_month`` in which they receive it (a planned or paid payment).

    Idempotent: a recipient who already has the programme's benefit is counted as ``already_granted`` and
    nothing new is created. A person with a grant of the source benefit in the period but no payment in any of
    the months (suspended, repealed), or whose case is closed, is ``skipped``. A constant number of queries."""
    scope_for(actor, PAYMENT_ROLES, write=True)
    code, name_pl, name_en, legal_basis = (str(v or "").strip() for v in (code, name_pl, name_en, legal_basis))
    _check_programme_texts(code=code, name_pl=name_pl, name_en=name_en, legal_basis=legal_basis)
    source, target = _form(source_form), _form(form)
    amount = _money(monthly_amount, "monthly_amount")
    first, last = month_start(first_month), month_start(last_month)
    if last < first:
        raise ValidationFailed(
            _("The period must not end before it starts."), code="period_reversed", field="last_month"
        )
    if target.schedule != PaymentSchedule.MONTHLY:
        raise ValidationFailed(_("A programme grants a monthly benefit."), code="not_monthly", field="form")
    months = months_between(first, last)
    issued_on = issued_on or _today()
    with transaction.atomic():
        programme, created = BenefitProgramme.objects.get_or_create(
            code=code,
            defaults={
                "name_pl": name_pl,
                "name_en": name_en,
                "legal_basis": legal_basis,
                "source_form": source,
                "form": target,
                "monthly_amount": amount,
                "first_month": first,
                "last_month": last,
            },
        )
        if created:
            _created(actor, programme)
        elif (
            programme.source_form_id,
            programme.form_id,
            programme.monthly_amount,
            programme.first_month,
            programme.last_month,
        ) != (source.pk, target.pk, amount, first, last):
            raise Conflict(
                _("Programme %(code)s exists with other terms."), code="programme_mismatch", params={"code": code}
            )
        BenefitProgramme.objects.select_for_update().filter(pk=programme.pk).first()

        entitled: dict[int, set[date]] = {}
        case_of: dict[int, int] = {}
        for person_id, month, case_id in (
            Payment.objects.filter(form=source, month__in=months)
            .exclude(status=Payment.Status.CANCELLED)
            .exclude(decision__case__status=CaseStatus.CLOSED)
            .order_by("month", "decision__issued_on")
            .values_list("person_id", "month", "decision__case_id")
        ):
            entitled.setdefault(person_id, set()).add(month)
            case_of[person_id] = case_id
        candidates = set(
            Decision.objects.filter(form=source, kind__in=(DecisionKind.GRANT, DecisionKind.CHANGE))
            .filter(period_start__lte=month_end(last))
            .filter(Q(period_end__isnull=True) | Q(period_end__gte=first))
            .values_list("case__person_id", flat=True)
        ) | set(entitled)
        done = set(ProgrammeGrant.objects.filter(programme=programme).values_list("person_id", flat=True))
        result = ProgrammeResult(programme)
        result.already_granted = len(candidates & done)
        new = sorted(p for p in entitled if p not in done)
        result.skipped = len(candidates - done - set(new))

        decisions = Decision.objects.bulk_create(
            [
                Decision(
                    case_id=case_of[person_id],
                    kind=DecisionKind.GRANT,
                    form=target,
                    programme=programme,
                    ex_officio=True,
                    amount=amount,
                    period_start=min(entitled[person_id]),
                    period_end=month_end(max(entitled[person_id])),
                    justification=f"{programme.name_pl}. {programme.legal_basis}".strip(),
                    issued_on=issued_on,
                    issued_by=_user(actor),
                )
                for person_id in new
            ]
        )
        payments = []
        for person_id, decision in zip(new, decisions, strict=True):
            for month in sorted(entitled[person_id]):
                payments.append(
                    Payment(
                        decision=decision, person_id=person_id, form=target, month=month, amount=amount, due_on=month
                    )
                )
        Payment.objects.bulk_create(payments)
        ProgrammeGrant.objects.bulk_create(
            [ProgrammeGrant(programme=programme, person_id=p, decision=d) for p, d in zip(new, decisions, strict=True)]
        )
        result.granted = len(new)
        if decisions:
            record_many(
                _user(actor),
                AuditAction.CREATE,
                decisions,
                message=f"programme {programme.code}",
                changes=lambda d: diff({}, snapshot(d)),
            )
        record(
            _user(actor),
            AuditAction.ACTION,
            programme,
            changes={
                "granted": [None, result.granted],
                "already_granted": [None, result.already_granted],
                "skipped": [None, result.skipped],
            },
            message=str(_("programme grant run")),
        )
    return result


# --- social work -----------------------------------------------------------------------------------


def conclude_social_contract(
    actor,
    case_id,
    *,
    concluded_on: date,
    valid_until: date,
    goals: str,
    client_obligations: str,
    center_obligations: str,
) -> SocialContract:
    """A social contract (art. 108); one in force per case at a time."""
    errors = [
        ServiceError(_("This field is required."), code="required", field=name)
        for name, value in (
            ("goals", goals),
            ("client_obligations", client_obligations),
            ("center_obligations", center_obligations),
        )
        if not (value or "").strip()
    ]
    if errors:
        raise ValidationFailed(errors[0]._message, code="required", field=errors[0].field, errors=errors)
    if valid_until < concluded_on:
        raise ValidationFailed(
            _("The contract must not end before it is concluded."), code="period_reversed", field="valid_until"
        )
    with transaction.atomic():
        case = _open_case(actor, case_id)
        if SocialContract.objects.filter(case=case, status=SocialContract.Status.ACTIVE).exists():
            raise Conflict(_("A social contract is already in force in this case."), code="contract_in_force")
        contract = SocialContract.objects.create(
            case=case,
            concluded_on=concluded_on,
            valid_until=valid_until,
            goals=goals,
            client_obligations=client_obligations,
            center_obligations=center_obligations,
            concluded_by=_user(actor),
        )
        _created(actor, contract)
    return contract


def evaluate_social_contract(
    actor, contract_id, *, status: str, evaluation: str, evaluated_on: date | None = None
) -> SocialContract:
    if status not in (SocialContract.Status.COMPLETED, SocialContract.Status.BROKEN, SocialContract.Status.TERMINATED):
        raise ValidationFailed(_("Say how the contract ended."), code="invalid_choice", field="status")
    if not (evaluation or "").strip():
        raise ValidationFailed(_("Write the evaluation."), code="required", field="evaluation")
    with transaction.atomic():
        contract = _get(SocialContract.objects.all(), contract_id, "contract_not_found", _("No such contract."))
        access_case(actor, contract.case_id, write=True)
        if contract.status != SocialContract.Status.ACTIVE:
            raise Conflict(_("The contract was already evaluated."), code="contract_closed")
        before = snapshot(contract, ["status", "evaluation", "evaluated_on"])
        contract.status = status
        contract.evaluation = evaluation
        contract.evaluated_on = evaluated_on or _today()
        contract.save()
        _changed(actor, contract, before)
    return contract


def add_case_note(actor, case_id, *, text: str, kind: str = CaseNote.Kind.NOTE, happened_on: date | None = None):
    if not (text or "").strip():
        raise ValidationFailed(_("Write the note."), code="required", field="text")
    if kind not in CaseNote.Kind.values:
        raise ValidationFailed(_("Unknown kind of note."), code="invalid_choice", field="kind")
    with transaction.atomic():
        case = access_case(actor, case_id, write=True)
        note = CaseNote.objects.create(
            case=case,
            kind=kind,
            text=text,
            happened_on=_not_future(happened_on or _today(), "happened_on"),
            author=_user(actor),
        )
        _created(actor, note)
    return note


def list_case_notes(actor, case_id) -> list[CaseNote]:
    case = access_case(actor, case_id)
    notes = list(CaseNote.objects.filter(case=case).select_related("author"))
    record(_user(actor), AuditAction.READ, case, message=str(_("case notes read")))
    return notes


# --- overdue ---------------------------------------------------------------------------------------


def _scoped(queryset, scope: Scope, person_path: str, district_id):
    if district_id is not None:
        scope.check(int(district_id), District.objects.filter(pk=district_id).values_list("name", flat=True).first())
        return queryset.filter(**{f"{person_path}__district_id": district_id})
    if scope.districts is not None:
        return queryset.filter(
            Q(**{f"{person_path}__district_id__in": scope.districts}) | Q(**{f"{person_path}__district__isnull": True})
        )
    return queryset


def _overdue_interviews(today: date):
    return Interview.objects.filter(status=Interview.Status.PLANNED, due_on__lt=today).exclude(
        case__status=CaseStatus.CLOSED
    )


def _overdue_decisions(today: date):
    return Application.objects.filter(decided_on__isnull=True, decision_due_on__lt=today).exclude(
        case__status=CaseStatus.CLOSED
    )


def overdue_interviews(actor, *, today: date | None = None, district_id=None, worker_id=None) -> list[Interview]:
    """Planned interviews past their due date, oldest first, with case, person, district and worker."""
    scope = scope_for(actor, READ_ROLES, write=False)
    queryset = _scoped(_overdue_interviews(today or _today()), scope, "case__person", district_id)
    if worker_id is not None:
        queryset = queryset.filter(assigned_to_id=worker_id)
    return list(
        queryset.select_related("case__person__district", "assigned_to__user", "application").order_by("due_on", "id")[
            :MAX_LIST
        ]
    )


def overdue_decisions(actor, *, today: date | None = None, district_id=None, worker_id=None) -> list[Application]:
    """Applications without a decision past their due date; ``notified`` says whether a notice of delay was
    recorded."""
    scope = scope_for(actor, READ_ROLES, write=False)
    queryset = _scoped(_overdue_decisions(today or _today()), scope, "case__person", district_id)
    if worker_id is not None:
        queryset = queryset.filter(case__worker_id=worker_id)
    queryset = queryset.annotate(
        notified=Exists(DelayNotice.objects.filter(application=OuterRef("pk"), kind=DelayNotice.Kind.NOTICE))
    )
    return list(
        queryset.select_related("case__person__district", "case__worker__user").order_by("decision_due_on", "id")[
            :MAX_LIST
        ]
    )


@dataclass
class OverdueSummary:
    """Counts of overdue interviews and decisions per district and per worker (None: unassigned)."""

    by_district: list[dict]
    by_worker: list[dict]


def overdue_summary(actor, *, today: date | None = None) -> OverdueSummary:
    """Overdue interviews and decisions per district and per social worker: four GROUP BY queries."""
    scope = scope_for(actor, READ_ROLES, write=False)
    today = today or _today()
    interviews = _scoped(_overdue_interviews(today), scope, "case__person", None)
    decisions = _scoped(_overdue_decisions(today), scope, "case__person", None)

    districts: dict = {}
    for key, rows in (
        ("interviews", interviews.values("case__person__district_id", "case__person__district__name")),
        ("decisions", decisions.values("case__person__district_id", "case__person__district__name")),
    ):
        for row in rows.annotate(n=Count("id")).order_by():
            entry = districts.setdefault(
                row["case__person__district_id"],
                {
                    "district_id": row["case__person__district_id"],
                    "district": row["case__person__district__name"] or "",
                    "interviews": 0,
                    "decisions": 0,
                },
            )
            entry[key] = row["n"]
    workers: dict = {}
    for key, prefix, rows in (
        ("interviews", "assigned_to", interviews),
        ("decisions", "case__worker", decisions),
    ):
        grouped = rows.values(f"{prefix}_id", f"{prefix}__user__first_name", f"{prefix}__user__last_name")
        for row in grouped.annotate(n=Count("id")).order_by():
            worker_id = row[f"{prefix}_id"]
            name = f"{row[f'{prefix}__user__first_name'] or ''} {row[f'{prefix}__user__last_name'] or ''}".strip()
            entry = workers.setdefault(
                worker_id, {"worker_id": worker_id, "worker": name, "interviews": 0, "decisions": 0}
            )
            entry[key] = row["n"]

    def order(entry, label):
        return (entry[label] == "", entry[label])

    return OverdueSummary(
        by_district=sorted(districts.values(), key=lambda e: order(e, "district")),
        by_worker=sorted(workers.values(), key=lambda e: order(e, "worker")),
    )
