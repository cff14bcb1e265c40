"""Read side of benefits: decisions, payments, forms of help, programmes and their grants, social contracts and
income criterion rates, as scoped querysets for lists (the GraphQL connections paginate them) and ``access_*``
functions that check the caller and fetch one object in a single step.

The rules are those of ``services.py``: the roles in ``READ_ROLES`` (and the auditor) read decisions, payments,
programme grants and contracts; a social worker only those of persons in their districts or in the intake pool
(persons without a district). Reference data (forms of help, income criterion rates, programmes) is open to every
staff member. Nothing here writes; the writes are the services'."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ostoja.modules.cases.models import (
    BenefitProgramme,
    Decision,
    FormOfHelp,
    IncomeCriterionRate,
    Payment,
    ProgrammeGrant,
    SocialContract,
)
from ostoja.modules.cases.selectors import _date_range, _district_scope, _person_search
from ostoja.modules.cases.services import READ_ROLES, _get, scope_for
from ostoja.platform.staff.access import staff_profile

DECISION_ORDER = {
    "issued_desc": ("-issued_on", "-id"),
    "issued_asc": ("issued_on", "id"),
    "period_start_desc": ("-period_start", "-id"),
    "period_start_asc": ("period_start", "id"),
    "person_name": ("case__person__last_name", "case__person__first_name", "-issued_on", "-id"),
}
PAYMENT_ORDER = {
    "month_asc": ("month", "id"),
    "month_desc": ("-month", "-id"),
    "due_on_asc": ("due_on", "id"),
    "person_name": ("person__last_name", "person__first_name", "month", "id"),
}
CONTRACT_ORDER = {
    "concluded_desc": ("-concluded_on", "-id"),
    "valid_until_asc": ("valid_until", "id"),
}

DECISION_RELATED = ("case__person__district", "form", "programme", "criterion_rate", "amends__form")
PAYMENT_RELATED = ("person__district", "form", "decision__form", "decision__case__person__district")


def _search(queryset: QuerySet, search: str, person_path: str) -> QuerySet:
    """Words of the person's first or last name, or the start of their PESEL (as in the cases lists)."""
    condition = _person_search(search, person_path)
    return queryset if condition is None else queryset.filter(condition)


def _order(queryset: QuerySet, orders: dict, order_by: str | None, default: str) -> QuerySet:
    return queryset.order_by(*orders.get(order_by or default, orders[default]))


# --- decisions -------------------------------------------------------------------------------------


def access_decision(actor, decision_id) -> Decision:
    scope = scope_for(actor, READ_ROLES, write=False)
    decision = _get(
        Decision.objects.select_related(*DECISION_RELATED), decision_id, "decision_not_found", _("No such decision.")
    )
    scope.check(decision.case.person.district_id, decision.case.person.district)
    return decision


def decisions(
    actor,
    *,
    case_id=None,
    person_id=None,
    district_id=None,
    kinds=None,
    form_id=None,
    status: str | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    late: bool | None = None,
    programme_id=None,
    search: str = "",
    order_by: str | None = None,
    with_payments: bool = False,
) -> QuerySet:
    """Decisions the caller may read, newest first unless ``order_by`` says otherwise; ``with_payments``
    prefetches each decision's payments (one statement for the page)."""
    scope = scope_for(actor, READ_ROLES, write=False)
    _date_range(issued_from, issued_to, "issued_to")
    queryset = _district_scope(Decision.objects.select_related(*DECISION_RELATED), scope, "case__person__", district_id)
    filters = {
        "case_id": case_id,
        "case__person_id": person_id,
        "form_id": form_id,
        "status": status,
        "issued_on__gte": issued_from,
        "issued_on__lte": issued_to,
        "late": late,
        "programme_id": programme_id,
    }
    queryset = queryset.filter(**{k: v for k, v in filters.items() if v is not None})
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    queryset = _search(queryset, search, "case__person__")
    if with_payments:
        payments_of = Payment.objects.select_related("person__district", "form").order_by("month", "id")
        queryset = queryset.prefetch_related(Prefetch("payments", queryset=payments_of))
    return _order(queryset, DECISION_ORDER, order_by, "issued_desc")


# --- payments --------------------------------------------------------------------------------------


def payments(
    actor,
    *,
    decision_id=None,
    case_id=None,
    person_id=None,
    district_id=None,
    form_id=None,
    status: str | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
    due_before: date | None = None,
    search: str = "",
    order_by: str | None = None,
) -> QuerySet:
    """Payments the caller may read, by month. ``month_from``/``month_to`` are compared with the month the
    payment is for (any day of a month stands for that month)."""
    scope = scope_for(actor, READ_ROLES, write=False)
    _date_range(month_from and month_from.replace(day=1), month_to and month_to.replace(day=1), "month_to")
    queryset = _district_scope(Payment.objects.select_related(*PAYMENT_RELATED), scope, "person__", district_id)
    filters = {
        "decision_id": decision_id,
        "decision__case_id": case_id,
        "person_id": person_id,
        "form_id": form_id,
        "status": status,
        "month__gte": month_from.replace(day=1) if month_from else None,
        "month__lte": month_to.replace(day=1) if month_to else None,
        "due_on__lt": due_before,
    }
    queryset = _search(queryset.filter(**{k: v for k, v in filters.items() if v is not None}), search, "person__")
    return _order(queryset, PAYMENT_ORDER, order_by, "month_asc")


# --- reference data: forms of help, income criterion rates -----------------------------------------


def access_form(actor, form_id) -> FormOfHelp:
    staff_profile(actor)
    return _get(FormOfHelp.objects.all(), form_id, "form_not_found", _("No such form of help."))


def forms_of_help(actor, *, category: str | None = None, schedule: str | None = None, search: str = "") -> QuerySet:
    staff_profile(actor)
    queryset = FormOfHelp.objects.all()
    if category:
        queryset = queryset.filter(category=category)
    if schedule:
        queryset = queryset.filter(schedule=schedule)
    if (search or "").strip():
        text = search.strip()
        queryset = queryset.filter(Q(code__icontains=text) | Q(name_pl__icontains=text) | Q(name_en__icontains=text))
    return queryset.order_by("order", "id")


def access_rate(actor, rate_id) -> IncomeCriterionRate:
    staff_profile(actor)
    return _get(IncomeCriterionRate.objects.all(), rate_id, "rate_not_found", _("No such income criterion rate."))


def income_criterion_rates(actor, *, valid_on: date | None = None) -> QuerySet:
    """The rates, newest first; with ``valid_on`` only the one in force on that day (none before the first)."""
    staff_profile(actor)
    queryset = IncomeCriterionRate.objects.order_by("-valid_from")
    if valid_on is not None:
        in_force = queryset.filter(valid_from__lte=valid_on).values("pk")[:1]
        queryset = queryset.filter(pk__in=in_force)
    return queryset


# --- programmes ------------------------------------------------------------------------------------


def access_programme(actor, programme_id) -> BenefitProgramme:
    staff_profile(actor)
    return _get(
        BenefitProgramme.objects.select_related("source_form", "form"),
        programme_id,
        "programme_not_found",
        _("No such programme."),
    )


def programmes(actor, *, active_on: date | None = None, search: str = "") -> QuerySet:
    """Benefit programmes, the latest first; ``active_on`` keeps those paying in that day's month."""
    staff_profile(actor)
    queryset = BenefitProgramme.objects.select_related("source_form", "form")
    if active_on is not None:
        month = active_on.replace(day=1)
        queryset = queryset.filter(first_month__lte=month, last_month__gte=month)
    if (search or "").strip():
        text = search.strip()
        queryset = queryset.filter(Q(code__icontains=text) | Q(name_pl__icontains=text) | Q(name_en__icontains=text))
    return queryset.order_by("-first_month", "-id")


def access_programme_grant(actor, grant_id) -> ProgrammeGrant:
    scope = scope_for(actor, READ_ROLES, write=False)
    grant = _get(
        ProgrammeGrant.objects.select_related("programme", "person__district", "decision__form"),
        grant_id,
        "grant_not_found",
        _("No such programme grant."),
    )
    scope.check(grant.person.district_id, grant.person.district)
    return grant


def programme_grants(actor, *, programme_id=None, person_id=None, district_id=None, search: str = "") -> QuerySet:
    """Grants of programmes to the persons the caller may read, by person."""
    scope = scope_for(actor, READ_ROLES, write=False)
    queryset = _district_scope(
        ProgrammeGrant.objects.select_related("programme", "person__district", "decision__form"),
        scope,
        "person__",
        district_id,
    )
    filters = {"programme_id": programme_id, "person_id": person_id}
    queryset = _search(queryset.filter(**{k: v for k, v in filters.items() if v is not None}), search, "person__")
    return queryset.order_by("person__last_name", "person__first_name", "id")


# --- social contracts ------------------------------------------------------------------------------


def access_social_contract(actor, contract_id) -> SocialContract:
    scope = scope_for(actor, READ_ROLES, write=False)
    contract = _get(
        SocialContract.objects.select_related("case__person__district"),
        contract_id,
        "contract_not_found",
        _("No such contract."),
    )
    scope.check(contract.case.person.district_id, contract.case.person.district)
    return contract


def social_contracts(
    actor,
    *,
    case_id=None,
    person_id=None,
    district_id=None,
    status: str | None = None,
    concluded_from: date | None = None,
    concluded_to: date | None = None,
    valid_until_before: date | None = None,
    search: str = "",
    order_by: str | None = None,
) -> QuerySet:
    """Social contracts the caller may read; ``valid_until_before`` finds those about to end (or ended)."""
    scope = scope_for(actor, READ_ROLES, write=False)
    _date_range(concluded_from, concluded_to, "concluded_to")
    queryset = _district_scope(
        SocialContract.objects.select_related("case__person__district"), scope, "case__person__", district_id
    )
    filters = {
        "case_id": case_id,
        "case__person_id": person_id,
        "status": status,
        "concluded_on__gte": concluded_from,
        "concluded_on__lte": concluded_to,
        "valid_until__lt": valid_until_before,
    }
    queryset = _search(queryset.filter(**{k: v for k, v in filters.items() if v is not None}), search, "case__person__")
    return _order(queryset, CONTRACT_ORDER, order_by, "concluded_desc")
