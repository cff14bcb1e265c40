"""Lists of the social-assistance module: Relay connections over the scoped querysets of
``ostoja.modules.cases.selectors`` (a social worker sees their districts and the intake pool; the auditor, the
benefits clerk, the legal advisor and the directors see every district)."""

import graphene

from ostoja.graphql.core.ids import decode_id, decode_optional_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.selection import selects
from ostoja.graphql.core.types import ConnectionField, enum_value
from ostoja.graphql.staff.cases import types
from ostoja.modules.cases import selectors, services


def _ordered(queryset, order_by, default):
    return queryset.order_by(*(enum_value(order_by) or default).split(","))


class PersonOrder(graphene.Enum):
    LAST_NAME = "last_name,first_name,id"
    NEWEST = "-created_at,-id"
    OLDEST = "created_at,id"


class HouseholdOrder(graphene.Enum):
    HEAD_LAST_NAME = "head__last_name,head__first_name,id"
    NEWEST = "-created_at,-id"


class CaseOrder(graphene.Enum):
    OPENED_NEWEST = "-opened_on,-id"
    OPENED_OLDEST = "opened_on,id"
    PERSON_LAST_NAME = "person__last_name,person__first_name,id"
    STATUS = "status,-opened_on,-id"


class ApplicationOrder(graphene.Enum):
    RECEIVED_NEWEST = "-received_on,-id"
    RECEIVED_OLDEST = "received_on,id"
    DECISION_DUE = "decision_due_on,id"


class InterviewOrder(graphene.Enum):
    DUE_SOONEST = "due_on,id"
    DUE_LATEST = "-due_on,-id"


class CaseNoteOrder(graphene.Enum):
    NEWEST = "-happened_on,-id"
    OLDEST = "happened_on,id"


def prepare_case_page(info, nodes, args):
    """After the cases page is cut: special-category reasons shown only with ``includeSensitive`` and then
    audited (``services.reveal_reasons``); the households asked for scoped, their persons audited."""
    services.reveal_reasons(actor(info), nodes, include_sensitive=bool(args.get("include_sensitive")))
    types.prepare_cases(info, nodes)


def prepare_case_rows(*case_path: str):
    """For a connection of rows leading to a case (``row.<case_path>``): the households of those cases asked for
    are scoped and their persons audited for the whole page at once."""

    def prepare(info, nodes, args):
        cases = []
        for node in nodes:
            for name in case_path:
                node = getattr(node, name)
            cases.append(node)
        types.prepare_cases(info, cases, ("edges", "node", *case_path))

    return prepare


def prepare_household_page(info, nodes, args):
    """The heads and members asked for are scoped and audited for the page at once."""
    types.prepare_households(info, nodes)


def _with_households(info, queryset, case_path=""):
    """Join the cases' households and heads when the query shows them (no extra statement for the page)."""
    if selects(info, "edges", "node", *(["case"] if case_path else []), "household"):
        return queryset.select_related(f"{case_path}household__head__district")
    return queryset


class CasesQueries(graphene.ObjectType):
    persons = ConnectionField(
        types.Person,
        district_id=graphene.ID(description="Only this district (a social worker: one of theirs)."),
        without_district=graphene.Boolean(description="True: the intake pool only; false: persons with a district."),
        search=graphene.String(description="Words of the first or last name, or the start of a PESEL."),
        order_by=PersonOrder(default_value=PersonOrder.LAST_NAME.value),
        description="Persons you may read.",
    )
    households = ConnectionField(
        types.Household,
        district_id=graphene.ID(description="The head's district."),
        search=graphene.String(description="A member's name or the start of their PESEL."),
        order_by=HouseholdOrder(default_value=HouseholdOrder.HEAD_LAST_NAME.value),
        description="Households whose head you may read.",
        after_page=prepare_household_page,
    )
    cases = ConnectionField(
        types.Case,
        district_id=graphene.ID(),
        worker_id=graphene.ID(description="A StaffMember ID: the social worker in charge."),
        status=types.CaseStatusEnum(),
        reason=graphene.String(
            description="The code of a reason for help (art. 7). A special-category reason needs includeSensitive "
            "(refused with sensitive_filter otherwise) and the lookup is audited."
        ),
        overdue=graphene.Boolean(description="True: an interview or a decision is past its due date."),
        opened_from=graphene.Date(),
        opened_to=graphene.Date(),
        search=graphene.String(description="Words of the person's name, or the start of their PESEL."),
        include_sensitive=graphene.Boolean(
            default_value=False, description="Show special-category reasons too (the reading is audited)."
        ),
        order_by=CaseOrder(default_value=CaseOrder.OPENED_NEWEST.value),
        description="Cases you may read.",
        after_page=prepare_case_page,
    )
    applications = ConnectionField(
        types.Application,
        district_id=graphene.ID(),
        worker_id=graphene.ID(description="The case's social worker."),
        case_id=graphene.ID(),
        pending=graphene.Boolean(description="True: not decided yet."),
        overdue=graphene.Boolean(description="True: undecided past the decision's due date."),
        received_from=graphene.Date(),
        received_to=graphene.Date(),
        search=graphene.String(),
        order_by=ApplicationOrder(default_value=ApplicationOrder.RECEIVED_NEWEST.value),
        description="Applications you may read.",
        after_page=prepare_case_rows("case"),
    )
    interviews = ConnectionField(
        types.Interview,
        district_id=graphene.ID(),
        worker_id=graphene.ID(description="The social worker the interview is assigned to."),
        case_id=graphene.ID(),
        status=types.InterviewStatusEnum(),
        overdue=graphene.Boolean(description="True: planned and past the due date."),
        due_from=graphene.Date(),
        due_to=graphene.Date(),
        search=graphene.String(),
        order_by=InterviewOrder(default_value=InterviewOrder.DUE_SOONEST.value),
        description="Community interviews you may read.",
        after_page=prepare_case_rows("case"),
    )
    case_notes = ConnectionField(
        types.CaseNote,
        case_id=graphene.ID(required=True),
        kind=types.CaseNoteKindEnum(),
        order_by=CaseNoteOrder(default_value=CaseNoteOrder.NEWEST.value),
        description="The notes of a case (the reading is audited).",
        after_page=prepare_case_rows("case"),
    )
    help_reasons = ConnectionField(
        types.HelpReason,
        special_category=graphene.Boolean(),
        description="Reasons for help (art. 7 of the Social Assistance Act), in statutory order.",
    )

    def resolve_persons(self, info, district_id=None, without_district=None, search="", order_by=None, **_):
        queryset = selectors.persons(
            actor(info),
            district_id=decode_optional_id(district_id, "District", "districtId"),
            without_district=without_district,
            search=search or "",
        )
        return _ordered(queryset, order_by, PersonOrder.LAST_NAME.value)

    def resolve_households(self, info, district_id=None, search="", order_by=None, **_):
        queryset = selectors.households(
            actor(info), district_id=decode_optional_id(district_id, "District", "districtId"), search=search or ""
        )
        return _ordered(queryset, order_by, HouseholdOrder.HEAD_LAST_NAME.value)

    def resolve_cases(self, info, district_id=None, worker_id=None, status=None, order_by=None, search="", **args):
        queryset = selectors.cases(
            actor(info),
            district_id=decode_optional_id(district_id, "District", "districtId"),
            worker_id=decode_optional_id(worker_id, "StaffMember", "workerId"),
            status=enum_value(status),
            reason=args.get("reason"),
            overdue=args.get("overdue"),
            opened_from=args.get("opened_from"),
            opened_to=args.get("opened_to"),
            search=search or "",
            include_sensitive=bool(args.get("include_sensitive")),
        )
        return _ordered(_with_households(info, queryset), order_by, CaseOrder.OPENED_NEWEST.value)

    def resolve_applications(self, info, district_id=None, worker_id=None, case_id=None, order_by=None, **args):
        queryset = selectors.applications(
            actor(info),
            district_id=decode_optional_id(district_id, "District", "districtId"),
            worker_id=decode_optional_id(worker_id, "StaffMember", "workerId"),
            case_id=decode_optional_id(case_id, "Case", "caseId"),
            pending=args.get("pending"),
            overdue=args.get("overdue"),
            received_from=args.get("received_from"),
            received_to=args.get("received_to"),
            search=args.get("search") or "",
        )
        return _ordered(_with_households(info, queryset, "case__"), order_by, ApplicationOrder.RECEIVED_NEWEST.value)

    def resolve_interviews(
        self, info, district_id=None, worker_id=None, case_id=None, status=None, order_by=None, **args
    ):
        queryset = selectors.interviews(
            actor(info),
            district_id=decode_optional_id(district_id, "District", "districtId"),
            worker_id=decode_optional_id(worker_id, "StaffMember", "workerId"),
            case_id=decode_optional_id(case_id, "Case", "caseId"),
            status=enum_value(status),
            overdue=args.get("overdue"),
            due_from=args.get("due_from"),
            due_to=args.get("due_to"),
            search=args.get("search") or "",
        )
        return _ordered(_with_households(info, queryset, "case__"), order_by, InterviewOrder.DUE_SOONEST.value)

    def resolve_case_notes(self, info, case_id, kind=None, order_by=None, **_):
        queryset = selectors.case_notes(actor(info), decode_id(case_id, "Case", field="caseId"), kind=enum_value(kind))
        return _ordered(_with_households(info, queryset, "case__"), order_by, CaseNoteOrder.NEWEST.value)

    def resolve_help_reasons(self, info, special_category=None, **_):
        return selectors.help_reasons(actor(info), special_category=special_category).order_by("order", "id")
