"""Scoped read querysets of the cases module for paginated lists (the GraphQL connections).

Each function checks the caller's role like the services do (``scope_for`` with READ_ROLES: the auditor reads
everything, a social worker only their districts plus the intake pool) and returns a lazy queryset with the
relations a list needs already joined or prefetched, so a page costs a constant number of statements. Reading a
single object (and its audit) stays in ``services``: ``get_person``, ``get_case``, ``access_*``."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from stdnum.pl import pesel as pesel_number

from ostoja.modules.cases import services
from ostoja.modules.cases.models import (
    Application,
    Case,
    CaseNote,
    CaseReason,
    CaseStatus,
    DelayNotice,
    HelpReason,
    Household,
    HouseholdMember,
    Interview,
    Person,
)
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record, record_many
from ostoja.platform.errors import PermissionDenied, ValidationFailed
from ostoja.platform.staff.access import staff_profile
from ostoja.tenants.configuration.models import District

_PESEL_PREFIX = re.compile(r"^\d{2,11}$")

# Who may see special-category reasons (violence, addiction, health, a criminal past) in lists, or filter cases by
# one: for now everyone who may read a case (``services.get_case`` shows them on a case read by its ID to the same
# roles; narrowing this constant alone would leave that path open).
SENSITIVE_READ_ROLES = services.READ_ROLES


def _district_scope(queryset: QuerySet, scope: services.Scope, person_path: str, district_id) -> QuerySet:
    """Only what the scope reaches; a social worker asking for another district is refused (other_district)."""
    if district_id is not None:
        name = District.objects.filter(pk=district_id).values_list("name", flat=True).first()
        scope.check(int(district_id), name)
        return queryset.filter(**{f"{person_path}district_id": district_id})
    if scope.districts is not None:
        return queryset.filter(
            Q(**{f"{person_path}district_id__in": scope.districts}) | Q(**{f"{person_path}district__isnull": True})
        )
    return queryset


def _person_search(search: str, person_path: str = "") -> Q | None:
    """Words match the first or last name (every word must match); digits match the start of the PESEL."""
    term = (search or "").strip()
    if not term:
        return None
    if _PESEL_PREFIX.match(term):
        return Q(**{f"{person_path}pesel__startswith": term})
    condition = Q()
    for word in term.split():
        condition &= Q(**{f"{person_path}last_name__icontains": word}) | Q(
            **{f"{person_path}first_name__icontains": word}
        )
    return condition


def _date_range(start: date | None, end: date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationFailed(_("The period must not end before it starts."), code="period_reversed", field=field)


def persons(actor, *, district_id=None, search: str = "", without_district: bool | None = None) -> QuerySet:
    """Persons the caller may read, by last name."""
    scope = services.scope_for(actor, services.READ_ROLES, write=False)
    queryset = _district_scope(Person.objects.select_related("district"), scope, "", district_id)
    if without_district is not None:
        queryset = queryset.filter(district__isnull=without_district)
    condition = _person_search(search)
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset


def households(actor, *, district_id=None, search: str = "") -> QuerySet:
    """Households whose head the caller may read, with their members."""
    scope = services.scope_for(actor, services.READ_ROLES, write=False)
    queryset = _district_scope(Household.objects.select_related("head__district"), scope, "head__", district_id)
    condition = _person_search(search, "members__person__")
    if condition is not None:
        queryset = queryset.filter(pk__in=Household.objects.filter(condition).values("pk"))
    return queryset.prefetch_related(
        Prefetch("members", queryset=HouseholdMember.objects.select_related("person__district").order_by("id"))
    )


def household_members(household: Household) -> list[HouseholdMember]:
    """The members of a household the caller was allowed to read (prefetched when it came from a list)."""
    return list(household.members.all())


# --- persons reached through other objects (case.household, household.head, household.members) -------------------


def read_scope(actor) -> services.Scope:
    """The caller's read scope for persons reached through another object (a case's household, its head and
    members): one role check, the districts come with the (cached) profile."""
    return services.scope_for(actor, services.READ_ROLES, write=False)


def household_visible(scope: services.Scope, household: Household | None) -> bool:
    """A household is the caller's if its head is (like ``services.access_household``)."""
    return household is not None and scope.allows(household.head.district_id)


def visible_members(scope: services.Scope, household: Household) -> list[HouseholdMember]:
    """The members of a household whose person the caller may read: members living in a district the caller
    does not cover are left out (their PESEL, documents, phone and address are not the caller's to see)."""
    return [member for member in household_members(household) if scope.allows(member.person.district_id)]


def load_members(households) -> None:
    """Prefetch the members (with person and district) of households that came without them: one statement."""
    prefetch_related_objects(
        [h for h in households if h is not None],
        Prefetch("members", queryset=HouseholdMember.objects.select_related("person__district").order_by("id")),
    )


def record_person_reads(actor, persons, *, already: set | None = None, message: str = "") -> list[Person]:
    """Audit the reading of ``persons`` (READ, one INSERT for all of them), leaving out those in ``already`` (the
    ids audited earlier in the same request, updated here). Returns the persons audited now."""
    seen = already if already is not None else set()
    fresh = []
    for person in persons:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            fresh.append(person)
    if fresh:
        record_many(services._user(actor), AuditAction.READ, fresh, message=message or str(_("read in a list")))
    return fresh


def person_by_pesel(pesel: str) -> Person | None:
    """The person with exactly this (valid) PESEL, for modules whose staff identify a person from their own
    documents without reading the register (foster-care members, project participants). The caller checks its
    role and audits what it shows."""
    number = (pesel or "").strip()
    if not pesel_number.is_valid(number):
        return None
    return Person.objects.filter(pesel=number).first()


def household_income(household: Household) -> services.IncomeSummary:
    """``services.household_income`` from the (prefetched) members: no extra query for a page of households."""
    members = household_members(household)
    total = sum((member.monthly_income for member in members), Decimal(0))
    size = len(members)
    per_person = (total / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if size else Decimal(0)
    return services.IncomeSummary(size, total, per_person)


def cases(
    actor,
    *,
    district_id=None,
    worker_id=None,
    status: str | None = None,
    reason: str | None = None,
    overdue: bool | None = None,
    opened_from: date | None = None,
    opened_to: date | None = None,
    search: str = "",
    include_sensitive: bool = False,
    today: date | None = None,
) -> QuerySet:
    """Cases the caller may read, with person, district, worker and reasons joined or prefetched. ``overdue``:
    a planned interview or an undecided application past its due date (closed cases are never overdue).

    Filtering by a special-category reason is a lookup of special-category data: it needs ``include_sensitive``
    (and a role of SENSITIVE_READ_ROLES), and the lookup itself is audited as a sensitive read (the count of a
    filtered list tells who has that reason even when no row is shown); the cases shown are audited by
    ``services.reveal_reasons`` like any list asked with ``include_sensitive``."""
    scope = services.scope_for(actor, services.READ_ROLES, write=False)
    if include_sensitive:
        require_sensitive_read(actor)
    _date_range(opened_from, opened_to, "opened_to")
    if status and status not in CaseStatus.values:
        raise ValidationFailed(_("Unknown case status."), code="invalid_choice", field="status")
    queryset = _district_scope(
        Case.objects.select_related("person__district", "worker__user"), scope, "person__", district_id
    )
    if worker_id is not None:
        queryset = queryset.filter(worker_id=worker_id)
    if status:
        queryset = queryset.filter(status=status)
    if reason:
        sensitive_filter(actor, reason, include_sensitive=include_sensitive, search=search, district_id=district_id)
        queryset = queryset.filter(Exists(CaseReason.objects.filter(case=OuterRef("pk"), reason__code=reason)))
    if opened_from is not None:
        queryset = queryset.filter(opened_on__gte=opened_from)
    if opened_to is not None:
        queryset = queryset.filter(opened_on__lte=opened_to)
    if overdue is not None:
        day = today or services._today()
        late = Exists(Interview.objects.filter(case=OuterRef("pk"), status=Interview.Status.PLANNED, due_on__lt=day))
        late |= Exists(
            Application.objects.filter(case=OuterRef("pk"), decided_on__isnull=True, decision_due_on__lt=day)
        )
        condition = late & ~Q(status=CaseStatus.CLOSED)
        queryset = queryset.filter(condition if overdue else ~condition)
    condition = _person_search(search, "person__")
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.prefetch_related(
        Prefetch("case_reasons", queryset=CaseReason.objects.select_related("reason").order_by("reason__order"))
    )


def require_sensitive_read(actor) -> None:
    """PermissionDenied unless the caller may read special-category reasons."""
    services.scope_for(actor, SENSITIVE_READ_ROLES, write=False)


def sensitive_filter(actor, reason_code: str, *, include_sensitive: bool, **criteria) -> bool:
    """Check a list filter by the reason ``reason_code``; True if it is a special-category one. Such a filter is
    refused (``sensitive_filter``) unless the caller asked for special-category data (``include_sensitive``) and
    may read it; the lookup is audited (READ_SENSITIVE, with the reason and the other criteria)."""
    special = HelpReason.objects.filter(code=reason_code).values_list("special_category", flat=True).first()
    if not special:
        return False
    if not include_sensitive:
        raise PermissionDenied(
            _("Filtering by a special-category reason needs includeSensitive: true (the lookup is audited)."),
            code="sensitive_filter",
            field="reason",
        )
    require_sensitive_read(actor)
    shown = {k: v for k, v in criteria.items() if v not in (None, "")}
    record(
        services._user(actor),
        AuditAction.READ_SENSITIVE,
        object_type=Case._meta.label_lower,
        changes={"reason": [None, reason_code], **{k: [None, v] for k, v in shown.items()}},
        message=str(_("cases looked up by a special-category reason")),
    )
    return True


def applications(
    actor,
    *,
    district_id=None,
    worker_id=None,
    case_id=None,
    pending: bool | None = None,
    overdue: bool | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    search: str = "",
    today: date | None = None,
) -> QuerySet:
    """Applications the caller may read; ``pending``: not decided yet; ``overdue``: undecided past the due date
    in a case that is not closed. ``notified`` says whether a notice of delay (KPA art. 36) was recorded."""
    scope = services.scope_for(actor, services.READ_ROLES, write=False)
    _date_range(received_from, received_to, "received_to")
    queryset = _district_scope(
        Application.objects.select_related("case__person__district", "case__worker__user"),
        scope,
        "case__person__",
        district_id,
    )
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    if worker_id is not None:
        queryset = queryset.filter(case__worker_id=worker_id)
    if pending is not None:
        queryset = queryset.filter(decided_on__isnull=pending)
    if overdue is not None:
        condition = Q(decided_on__isnull=True, decision_due_on__lt=today or services._today()) & ~Q(
            case__status=CaseStatus.CLOSED
        )
        queryset = queryset.filter(condition if overdue else ~condition)
    if received_from is not None:
        queryset = queryset.filter(received_on__gte=received_from)
    if received_to is not None:
        queryset = queryset.filter(received_on__lte=received_to)
    condition = _person_search(search, "case__person__")
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.annotate(
        notified=Exists(DelayNotice.objects.filter(application=OuterRef("pk"), kind=DelayNotice.Kind.NOTICE))
    )


def access_application(actor, application_id) -> Application:
    """One application, if the caller may read its case."""
    application = services._get(
        Application.objects.all(), application_id, "application_not_found", _("No such application.")
    )
    application.case = services.access_case(actor, application.case_id)
    return application


def interviews(
    actor,
    *,
    district_id=None,
    worker_id=None,
    case_id=None,
    status: str | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    search: str = "",
    today: date | None = None,
) -> QuerySet:
    """Community interviews the caller may read; ``overdue``: planned and past the due date in an open case."""
    scope = services.scope_for(actor, services.READ_ROLES, write=False)
    _date_range(due_from, due_to, "due_to")
    if status and status not in Interview.Status.values:
        raise ValidationFailed(_("Unknown interview status."), code="invalid_choice", field="status")
    queryset = _district_scope(
        Interview.objects.select_related("case__person__district", "assigned_to__user", "application"),
        scope,
        "case__person__",
        district_id,
    )
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    if worker_id is not None:
        queryset = queryset.filter(assigned_to_id=worker_id)
    if status:
        queryset = queryset.filter(status=status)
    if overdue is not None:
        condition = Q(status=Interview.Status.PLANNED, due_on__lt=today or services._today()) & ~Q(
            case__status=CaseStatus.CLOSED
        )
        queryset = queryset.filter(condition if overdue else ~condition)
    if due_from is not None:
        queryset = queryset.filter(due_on__gte=due_from)
    if due_to is not None:
        queryset = queryset.filter(due_on__lte=due_to)
    condition = _person_search(search, "case__person__")
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset


def case_notes(actor, case_id, *, kind: str | None = None) -> QuerySet:
    """The notes of one case, newest first; reading them is audited (like ``services.list_case_notes``)."""
    case = services.access_case(actor, case_id)
    if kind and kind not in CaseNote.Kind.values:
        raise ValidationFailed(_("Unknown kind of note."), code="invalid_choice", field="kind")
    queryset = CaseNote.objects.filter(case=case).select_related("author", "case__person__district")
    if kind:
        queryset = queryset.filter(kind=kind)
    record(services._user(actor), AuditAction.READ, case, message=str(_("case notes read")))
    return queryset


def access_case_note(actor, note_id) -> CaseNote:
    note = services._get(CaseNote.objects.select_related("author"), note_id, "note_not_found", _("No such note."))
    note.case = services.access_case(actor, note.case_id)
    return note


def access_household_member(actor, member_id) -> HouseholdMember:
    member = services._get(
        HouseholdMember.objects.select_related("person__district"),
        member_id,
        "member_not_found",
        _("No such household member."),
    )
    member.household = services.access_household(actor, member.household_id)
    return member


def help_reasons(actor, *, special_category: bool | None = None) -> QuerySet:
    """The art. 7 reasons for help (reference data: any staff member may read the list)."""
    if actor is not services.SYSTEM:
        staff_profile(actor)
    queryset = HelpReason.objects.all()
    if special_category is not None:
        queryset = queryset.filter(special_category=special_category)
    return queryset


def access_help_reason(actor, reason_id) -> HelpReason:
    return services._get(help_reasons(actor), reason_id, "reason_not_found", _("No such reason for help."))
