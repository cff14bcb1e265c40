"""Types of benefits: decisions and the payments they schedule, forms of help, programmes and their grants,
social contracts and income criterion rates. Each is fetched through modules/cases/benefits.py (scoped reads)."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.graphql.staff.cases import types as cases_types  # noqa: F401  (registers Person for the FKs below)
from ostoja.modules.cases import benefits, services
from ostoja.modules.cases.models import BenefitProgramme as BenefitProgrammeModel
from ostoja.modules.cases.models import Decision as DecisionModel
from ostoja.modules.cases.models import DecisionKind as DecisionKindChoices
from ostoja.modules.cases.models import FormCategory as FormCategoryChoices
from ostoja.modules.cases.models import FormOfHelp as FormOfHelpModel
from ostoja.modules.cases.models import IncomeCriterionRate as IncomeCriterionRateModel
from ostoja.modules.cases.models import Payment as PaymentModel
from ostoja.modules.cases.models import PaymentSchedule as PaymentScheduleChoices
from ostoja.modules.cases.models import ProgrammeGrant as ProgrammeGrantModel
from ostoja.modules.cases.models import SocialContract as SocialContractModel

PERSON = "ostoja.graphql.staff.cases.types.Person"


def _described(value, what: str):
    return value.label if value else what


DecisionKind = graphene.Enum.from_enum(
    DecisionKindChoices, name="DecisionKind", description=lambda v: _described(v, "The kind of a decision.")
)
DecisionStatus = graphene.Enum.from_enum(
    DecisionModel.Status, name="DecisionStatus", description=lambda v: _described(v, "Is the decision in force?")
)
PaymentStatus = graphene.Enum.from_enum(
    PaymentModel.Status, name="PaymentStatus", description=lambda v: _described(v, "Where a payment stands.")
)
FormCategory = graphene.Enum.from_enum(
    FormCategoryChoices, name="FormCategory", description=lambda v: _described(v, "The law a form of help comes from.")
)
PaymentSchedule = graphene.Enum.from_enum(
    PaymentScheduleChoices, name="PaymentSchedule", description=lambda v: _described(v, "How a form of help is paid.")
)
SocialContractStatus = graphene.Enum.from_enum(
    SocialContractModel.Status,
    name="SocialContractStatus",
    description=lambda v: _described(v, "Is the contract in force, or how it ended."),
)


class FormOfHelp(ModelType):
    """A form of help a decision grants (art. 36 of the Social Assistance Act, family benefits, programmes)."""

    class Meta:
        model = FormOfHelpModel
        fields = ("code", "name_pl", "name_en", "legal_basis", "income_tested", "order")
        interfaces = (Node,)
        connection_class = CountableConnection

    name = graphene.String(required=True, description="In the user's language.")
    category = graphene.Field(FormCategory, required=True)
    schedule = graphene.Field(PaymentSchedule, required=True)
    is_cash = graphene.Boolean(required=True, description="Paid in money (a decision gives an amount).")

    @classmethod
    def access(cls, info, pk):
        return benefits.access_form(actor(info), pk)

    def resolve_name(self, info):
        return self.name

    def resolve_category(self, info):
        return FormCategoryChoices(self.category)

    def resolve_schedule(self, info):
        return PaymentScheduleChoices(self.schedule)

    def resolve_is_cash(self, info):
        return self.is_cash


class IncomeCriterionRate(ModelType):
    """The income criterion (art. 8) in force from a date: for a person alone and per person in a family."""

    class Meta:
        model = IncomeCriterionRateModel
        fields = ("valid_from", "single_person", "per_person_in_family", "legal_basis")
        interfaces = (Node,)
        connection_class = CountableConnection

    @classmethod
    def access(cls, info, pk):
        return benefits.access_rate(actor(info), pk)


class BenefitProgramme(ModelType):
    """A programme granting a monthly benefit ex officio to every recipient of another benefit."""

    class Meta:
        model = BenefitProgrammeModel
        fields = (
            "code",
            "name_pl",
            "name_en",
            "legal_basis",
            "source_form",
            "form",
            "monthly_amount",
            "first_month",
            "last_month",
            "created_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection

    name = graphene.String(required=True, description="In the user's language.")

    @classmethod
    def access(cls, info, pk):
        return benefits.access_programme(actor(info), pk)

    def resolve_name(self, info):
        return str(self)


class Decision(ModelType):
    """An administrative decision in a case, with the income criterion check as it stood when it was issued."""

    class Meta:
        model = DecisionModel
        fields = (
            "case",
            "application",
            "form",
            "amends",
            "programme",
            "ex_officio",
            "amount",
            "period_start",
            "period_end",
            "justification",
            "issued_on",
            "due_on",
            "late",
            "household_size",
            "household_income",
            "income_per_person",
            "criterion_rate",
            "criterion_amount",
            "criterion_met",
            "created_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection

    kind = graphene.Field(DecisionKind, required=True)
    status = graphene.Field(DecisionStatus, required=True)
    person = graphene.Field(PERSON, required=True, description="The person the case is about.")
    payments = graphene.List(
        graphene.NonNull(lambda: Payment), required=True, description="The payments it scheduled, by month."
    )

    @classmethod
    def access(cls, info, pk):
        return benefits.access_decision(actor(info), pk)

    def resolve_payments(self, info):
        return self.payments.all()

    def resolve_kind(self, info):
        return DecisionKindChoices(self.kind)

    def resolve_status(self, info):
        return DecisionModel.Status(self.status)

    def resolve_person(self, info):
        return self.case.person


class Payment(ModelType):
    """One payment of a benefit granted by a decision (one a month for a monthly benefit)."""

    class Meta:
        model = PaymentModel
        fields = ("decision", "person", "form", "month", "amount", "due_on", "paid_on", "cancelled_reason")
        interfaces = (Node,)
        connection_class = CountableConnection

    status = graphene.Field(PaymentStatus, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_payment(actor(info), pk)

    def resolve_status(self, info):
        return PaymentModel.Status(self.status)


class ProgrammeGrant(ModelType):
    """A programme's benefit granted to one person (once per programme and person), with its decision."""

    class Meta:
        model = ProgrammeGrantModel
        fields = ("programme", "person", "decision")
        interfaces = (Node,)
        connection_class = CountableConnection

    @classmethod
    def access(cls, info, pk):
        return benefits.access_programme_grant(actor(info), pk)


class SocialContract(ModelType):
    """A social contract (art. 108): goals, obligations of both sides, and the evaluation once it ends."""

    class Meta:
        model = SocialContractModel
        fields = (
            "case",
            "concluded_on",
            "valid_until",
            "goals",
            "client_obligations",
            "center_obligations",
            "evaluated_on",
            "evaluation",
        )
        interfaces = (Node,)
        connection_class = CountableConnection

    status = graphene.Field(SocialContractStatus, required=True)
    person = graphene.Field(PERSON, required=True, description="The person the case is about.")

    @classmethod
    def access(cls, info, pk):
        return benefits.access_social_contract(actor(info), pk)

    def resolve_status(self, info):
        return SocialContractModel.Status(self.status)

    def resolve_person(self, info):
        return self.case.person
