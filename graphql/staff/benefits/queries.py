"""Lists of benefits: every resolver returns a scoped queryset of modules/cases/benefits.py (district scoping and
roles applied there), filtered and ordered; the connection paginates it."""

import graphene

from ostoja.graphql.core.ids import decode_optional_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.selection import selects
from ostoja.graphql.core.types import ConnectionField, enum_value
from ostoja.graphql.staff.benefits.types import (
    BenefitProgramme,
    Decision,
    DecisionKind,
    DecisionStatus,
    FormCategory,
    FormOfHelp,
    IncomeCriterionRate,
    Payment,
    PaymentSchedule,
    PaymentStatus,
    ProgrammeGrant,
    SocialContract,
    SocialContractStatus,
)
from ostoja.graphql.staff.cases.queries import prepare_case_rows
from ostoja.modules.cases import benefits


class DecisionOrder(graphene.Enum):
    ISSUED_DESC = "issued_desc"
    ISSUED_ASC = "issued_asc"
    PERIOD_START_DESC = "period_start_desc"
    PERIOD_START_ASC = "period_start_asc"
    PERSON_NAME = "person_name"


class PaymentOrder(graphene.Enum):
    MONTH_ASC = "month_asc"
    MONTH_DESC = "month_desc"
    DUE_ON_ASC = "due_on_asc"
    PERSON_NAME = "person_name"


class SocialContractOrder(graphene.Enum):
    CONCLUDED_DESC = "concluded_desc"
    VALID_UNTIL_ASC = "valid_until_asc"


class BenefitsQueries(graphene.ObjectType):
    # after_page: households reached through a row's case are scoped and their persons audited once per page
    decisions = ConnectionField(
        Decision,
        case_id=graphene.ID(),
        person_id=graphene.ID(),
        district_id=graphene.ID(),
        kind=graphene.List(graphene.NonNull(DecisionKind), description="Any of these kinds."),
        form_id=graphene.ID(),
        status=DecisionStatus(),
        issued_from=graphene.Date(),
        issued_to=graphene.Date(),
        late=graphene.Boolean(description="Issued after the due date (true) or on time (false)."),
        programme_id=graphene.ID(),
        search=graphene.String(description="Words of the person's name, or the start of their PESEL."),
        order_by=DecisionOrder(default_value=DecisionOrder.ISSUED_DESC.value),
        description="Decisions of the persons you may see, newest first.",
        after_page=prepare_case_rows("case"),
    )
    payments = ConnectionField(
        Payment,
        decision_id=graphene.ID(),
        case_id=graphene.ID(),
        person_id=graphene.ID(),
        district_id=graphene.ID(),
        form_id=graphene.ID(),
        status=PaymentStatus(),
        month_from=graphene.Date(description="From this month on (any day of it)."),
        month_to=graphene.Date(description="Up to this month (any day of it)."),
        due_before=graphene.Date(),
        search=graphene.String(description="Words of the person's name, or the start of their PESEL."),
        order_by=PaymentOrder(default_value=PaymentOrder.MONTH_ASC.value),
        description="Payments of the persons you may see, by month.",
        after_page=prepare_case_rows("decision", "case"),
    )
    forms_of_help = ConnectionField(
        FormOfHelp,
        category=FormCategory(),
        schedule=PaymentSchedule(),
        search=graphene.String(description="Part of the code or of the name."),
        description="The forms of help decisions grant, in the statutory order.",
    )
    income_criterion_rates = ConnectionField(
        IncomeCriterionRate,
        valid_on=graphene.Date(description="Only the rate in force on this day."),
        description="Income criterion rates (art. 8), newest first.",
    )
    benefit_programmes = ConnectionField(
        BenefitProgramme,
        active_on=graphene.Date(description="Only programmes paying for this day's month."),
        search=graphene.String(description="Part of the code or of the name."),
        description="Benefit programmes, the latest first.",
    )
    programme_grants = ConnectionField(
        ProgrammeGrant,
        programme_id=graphene.ID(),
        person_id=graphene.ID(),
        district_id=graphene.ID(),
        search=graphene.String(description="Words of the person's name, or the start of their PESEL."),
        description="Programme grants to the persons you may see, by name.",
    )
    social_contracts = ConnectionField(
        SocialContract,
        case_id=graphene.ID(),
        person_id=graphene.ID(),
        district_id=graphene.ID(),
        status=SocialContractStatus(),
        concluded_from=graphene.Date(),
        concluded_to=graphene.Date(),
        valid_until_before=graphene.Date(description="Ending (or ended) before this day."),
        search=graphene.String(description="Words of the person's name, or the start of their PESEL."),
        order_by=SocialContractOrder(default_value=SocialContractOrder.CONCLUDED_DESC.value),
        description="Social contracts of the persons you may see, newest first.",
        after_page=prepare_case_rows("case"),
    )

    def resolve_decisions(self, info, **args):
        return benefits.decisions(
            actor(info),
            case_id=decode_optional_id(args.get("case_id"), "Case", "caseId"),
            person_id=decode_optional_id(args.get("person_id"), "Person", "personId"),
            district_id=decode_optional_id(args.get("district_id"), "District", "districtId"),
            kinds=[enum_value(k) for k in args.get("kind") or ()],
            form_id=decode_optional_id(args.get("form_id"), "FormOfHelp", "formId"),
            status=enum_value(args.get("status")),
            issued_from=args.get("issued_from"),
            issued_to=args.get("issued_to"),
            late=args.get("late"),
            programme_id=decode_optional_id(args.get("programme_id"), "BenefitProgramme", "programmeId"),
            search=args.get("search") or "",
            order_by=enum_value(args.get("order_by")),
            with_payments=selects(info, "edges", "node", "payments"),
        )

    def resolve_payments(self, info, **args):
        return benefits.payments(
            actor(info),
            decision_id=decode_optional_id(args.get("decision_id"), "Decision", "decisionId"),
            case_id=decode_optional_id(args.get("case_id"), "Case", "caseId"),
            person_id=decode_optional_id(args.get("person_id"), "Person", "personId"),
            district_id=decode_optional_id(args.get("district_id"), "District", "districtId"),
            form_id=decode_optional_id(args.get("form_id"), "FormOfHelp", "formId"),
            status=enum_value(args.get("status")),
            month_from=args.get("month_from"),
            month_to=args.get("month_to"),
            due_before=args.get("due_before"),
            search=args.get("search") or "",
            order_by=enum_value(args.get("order_by")),
        )

    def resolve_forms_of_help(self, info, **args):
        return benefits.forms_of_help(
            actor(info),
            category=enum_value(args.get("category")),
            schedule=enum_value(args.get("schedule")),
            search=args.get("search") or "",
        )

    def resolve_income_criterion_rates(self, info, **args):
        return benefits.income_criterion_rates(actor(info), valid_on=args.get("valid_on"))

    def resolve_benefit_programmes(self, info, **args):
        return benefits.programmes(actor(info), active_on=args.get("active_on"), search=args.get("search") or "")

    def resolve_programme_grants(self, info, **args):
        return benefits.programme_grants(
            actor(info),
            programme_id=decode_optional_id(args.get("programme_id"), "BenefitProgramme", "programmeId"),
            person_id=decode_optional_id(args.get("person_id"), "Person", "personId"),
            district_id=decode_optional_id(args.get("district_id"), "District", "districtId"),
            search=args.get("search") or "",
        )

    def resolve_social_contracts(self, info, **args):
        return benefits.social_contracts(
            actor(info),
            case_id=decode_optional_id(args.get("case_id"), "Case", "caseId"),
            person_id=decode_optional_id(args.get("person_id"), "Person", "personId"),
            district_id=decode_optional_id(args.get("district_id"), "District", "districtId"),
            status=enum_value(args.get("status")),
            concluded_from=args.get("concluded_from"),
            concluded_to=args.get("concluded_to"),
            valid_until_before=args.get("valid_until_before"),
            search=args.get("search") or "",
            order_by=enum_value(args.get("order_by")),
        )
