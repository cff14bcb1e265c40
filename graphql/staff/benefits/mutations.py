"""Benefit mutations: each calls one service of modules/cases/services.py (rules, permissions and audit stay
there) and declares every error code that service can report."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.core.types import enum_value
from ostoja.graphql.staff.benefits.types import (
    BenefitProgramme,
    Decision,
    DecisionKind,
    IncomeCriterionRate,
    Payment,
    SocialContract,
    SocialContractStatus,
)
from ostoja.modules.cases import services

# What every write in a case can answer: the caller's roles and districts, a missing or closed case.
CASE_WRITE_CODES = ("other_district", "case_not_found", "case_closed")


def _optional_id(value, type_name, field):
    return decode_id(value, type_name, field=field) if value else None


class IssueDecisionInput(graphene.InputObjectType):
    case_id = graphene.ID(required=True, description="The case the decision is issued in.")
    kind = DecisionKind(
        required=True,
        description="GRANT or REFUSE settle an application; CHANGE, SUSPEND and REPEAL amend an earlier grant.",
    )
    form_id = graphene.ID(description="The form of help (GRANT, REFUSE); an amendment keeps the amended one's.")
    amends_id = graphene.ID(description="The decision changed, suspended or repealed (CHANGE, SUSPEND, REPEAL).")
    application_id = graphene.ID(description="The application settled (default: the case's oldest undecided one).")
    amount = graphene.Decimal(description="The amount of a benefit paid in money (a month's, for a monthly one).")
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(description="Required for a monthly benefit and for a suspension.")
    issued_on = graphene.Date(description="Default: today; never in the future.")
    justification = graphene.String()
    delay_reason = graphene.String(description="Required when the decision is issued after its due date.")


class IssueDecision(ServiceMutation):
    """Issue a decision: a grant schedules the payments, an amendment cancels or replaces the planned ones."""

    class Meta:
        error_codes = (
            *CASE_WRITE_CODES,
            "invalid_choice",
            "future_date",
            "unknown_form",
            "interview_first",
            "illegal_transition",
            "application_not_found",
            "already_decided",
            "required",
            "decision_not_found",
            "decision_not_in_force",
            "invalid_amount",
            "amount_too_large",
            "no_amount",
            "period_reversed",
            "outside_period",
            "before_application",
            "income_unknown",
            "income_criterion_not_met",
            "no_income_criterion",
            "delay_reason_required",
        )

    class Arguments:
        input = IssueDecisionInput(required=True)

    decision = graphene.Field(Decision)

    @classmethod
    def perform(cls, info, input):
        form = _optional_id(input.get("form_id"), "FormOfHelp", "formId")
        decision = services.issue_decision(
            actor(info),
            decode_id(input["case_id"], "Case", field="caseId"),
            kind=enum_value(input["kind"]),
            form=form,
            amends_id=_optional_id(input.get("amends_id"), "Decision", "amendsId"),
            application_id=_optional_id(input.get("application_id"), "Application", "applicationId"),
            amount=input.get("amount"),
            period_start=input["period_start"],
            period_end=input.get("period_end"),
            issued_on=input.get("issued_on"),
            justification=input.get("justification") or "",
            delay_reason=input.get("delay_reason") or "",
        )
        return {"decision": decision}


class MarkPaymentPaid(ServiceMutation):
    """Record that a planned payment was paid."""

    class Meta:
        error_codes = ("other_district", "payment_not_found", "payment_not_planned", "future_date")

    class Arguments:
        id = graphene.ID(required=True)
        paid_on = graphene.Date(description="Default: today; never in the future.")

    payment = graphene.Field(Payment)

    @classmethod
    def perform(cls, info, id, paid_on=None):
        payment = services.mark_payment_paid(actor(info), decode_id(id, "Payment"), paid_on=paid_on)
        return {"payment": payment}


class CancelPayment(ServiceMutation):
    """Cancel a planned payment, giving the reason."""

    class Meta:
        error_codes = ("other_district", "payment_not_found", "payment_not_planned", "required")

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    payment = graphene.Field(Payment)

    @classmethod
    def perform(cls, info, id, reason):
        return {"payment": services.cancel_payment(actor(info), decode_id(id, "Payment"), reason=reason)}


class RunProgrammeGrantInput(graphene.InputObjectType):
    code = graphene.String(required=True, description="The programme's code; running it again grants nothing twice.")
    name_pl = graphene.String(required=True)
    name_en = graphene.String(required=True)
    legal_basis = graphene.String()
    source_form_id = graphene.ID(required=True, description="Granted to every recipient of this form of help …")
    form_id = graphene.ID(required=True, description="… this monthly form of help.")
    monthly_amount = graphene.Decimal(required=True)
    first_month = graphene.Date(required=True)
    last_month = graphene.Date(required=True)
    issued_on = graphene.Date(description="The date of the decisions (default: today).")


class RunProgrammeGrant(ServiceMutation):
    """Grant a programme's benefit ex officio to every recipient of another benefit, for the months they receive
    it. Idempotent: a person who already has it is counted, not granted again."""

    class Meta:
        error_codes = (
            "unknown_form",
            "invalid_amount",
            "amount_too_large",
            "period_reversed",
            "not_monthly",
            "programme_mismatch",
            "invalid_code",
            "required",
            "too_long",
        )

    class Arguments:
        input = RunProgrammeGrantInput(required=True)

    programme = graphene.Field(BenefitProgramme)
    granted = graphene.Int(description="Persons granted the benefit now.")
    already_granted = graphene.Int(description="Persons who had it from an earlier run.")
    skipped = graphene.Int(description="Recipients in the period without a payment in any of its months.")

    @classmethod
    def perform(cls, info, input):
        result = services.grant_programme(
            actor(info),
            code=input["code"],
            name_pl=input["name_pl"],
            name_en=input["name_en"],
            legal_basis=input.get("legal_basis") or "",
            source_form=decode_id(input["source_form_id"], "FormOfHelp", field="sourceFormId"),
            form=decode_id(input["form_id"], "FormOfHelp", field="formId"),
            monthly_amount=input["monthly_amount"],
            first_month=input["first_month"],
            last_month=input["last_month"],
            issued_on=input.get("issued_on"),
        )
        return {
            "programme": result.programme,
            "granted": result.granted,
            "already_granted": result.already_granted,
            "skipped": result.skipped,
        }


class StartProgrammeGrant(ServiceMutation):
    """Grant a programme in the background (large centers): the same input as ``runProgrammeGrant``; the job (in
    this center, fetched with ``node(id:)``) shows when it ran and, once it succeeded, the counts in its result.
    Asking again while the programme's job is queued or running returns that job (``started`` is false)."""

    class Meta:
        error_codes = (*RunProgrammeGrant._meta.error_codes, "job_exists_different")

    class Arguments:
        input = RunProgrammeGrantInput(required=True)

    job = graphene.Field(lambda: _job_type())
    started = graphene.Boolean(description="False when the same grant was already queued or running.")

    @classmethod
    def perform(cls, info, input):
        from ostoja.modules.cases.tasks import start_programme_grant

        job, started = start_programme_grant(
            actor(info),
            code=input["code"],
            name_pl=input["name_pl"],
            name_en=input["name_en"],
            legal_basis=input.get("legal_basis") or "",
            source_form=decode_id(input["source_form_id"], "FormOfHelp", field="sourceFormId"),
            form=decode_id(input["form_id"], "FormOfHelp", field="formId"),
            monthly_amount=input["monthly_amount"],
            first_month=input["first_month"],
            last_month=input["last_month"],
            issued_on=input.get("issued_on"),
        )
        return {"job": job, "started": started}


def _job_type():
    from ostoja.graphql.platform.jobs.types import Job

    return Job


class ConcludeSocialContractInput(graphene.InputObjectType):
    case_id = graphene.ID(required=True)
    concluded_on = graphene.Date(required=True)
    valid_until = graphene.Date(required=True)
    goals = graphene.String(required=True)
    client_obligations = graphene.String(required=True)
    center_obligations = graphene.String(required=True)


class ConcludeSocialContract(ServiceMutation):
    """Conclude a social contract (art. 108) in a case; one may be in force at a time."""

    class Meta:
        error_codes = (*CASE_WRITE_CODES, "required", "period_reversed", "contract_in_force")

    class Arguments:
        input = ConcludeSocialContractInput(required=True)

    social_contract = graphene.Field(SocialContract)

    @classmethod
    def perform(cls, info, input):
        contract = services.conclude_social_contract(
            actor(info),
            decode_id(input["case_id"], "Case", field="caseId"),
            concluded_on=input["concluded_on"],
            valid_until=input["valid_until"],
            goals=input["goals"],
            client_obligations=input["client_obligations"],
            center_obligations=input["center_obligations"],
        )
        return {"social_contract": contract}


class EvaluateSocialContract(ServiceMutation):
    """Evaluate a social contract in force: completed, not kept by the person, or terminated."""

    class Meta:
        error_codes = (
            "other_district",
            "case_not_found",
            "contract_not_found",
            "contract_closed",
            "invalid_choice",
            "required",
        )

    class Arguments:
        id = graphene.ID(required=True)
        status = SocialContractStatus(required=True, description="COMPLETED, BROKEN or TERMINATED.")
        evaluation = graphene.String(required=True)
        evaluated_on = graphene.Date(description="Default: today.")

    social_contract = graphene.Field(SocialContract)

    @classmethod
    def perform(cls, info, id, status, evaluation, evaluated_on=None):
        contract = services.evaluate_social_contract(
            actor(info),
            decode_id(id, "SocialContract"),
            status=enum_value(status),
            evaluation=evaluation,
            evaluated_on=evaluated_on,
        )
        return {"social_contract": contract}


class AddIncomeCriterionRateInput(graphene.InputObjectType):
    valid_from = graphene.Date(required=True)
    single_person = graphene.Decimal(required=True, description="The criterion for a person living alone.")
    per_person_in_family = graphene.Decimal(required=True, description="The criterion per person in a family.")
    legal_basis = graphene.String()


class AddIncomeCriterionRate(ServiceMutation):
    """Record the income criterion in force from a date (a new regulation)."""

    class Meta:
        error_codes = ("rate_exists", "invalid_amount", "amount_too_large")

    class Arguments:
        input = AddIncomeCriterionRateInput(required=True)

    income_criterion_rate = graphene.Field(IncomeCriterionRate)

    @classmethod
    def perform(cls, info, input):
        rate = services.add_income_criterion_rate(
            actor(info),
            valid_from=input["valid_from"],
            single_person=input["single_person"],
            per_person_in_family=input["per_person_in_family"],
            legal_basis=input.get("legal_basis") or "",
        )
        return {"income_criterion_rate": rate}


class BenefitsMutations(graphene.ObjectType):
    issue_decision = IssueDecision.Field()
    mark_payment_paid = MarkPaymentPaid.Field()
    cancel_payment = CancelPayment.Field()
    run_programme_grant = RunProgrammeGrant.Field()
    start_programme_grant = StartProgrammeGrant.Field()
    conclude_social_contract = ConcludeSocialContract.Field()
    evaluate_social_contract = EvaluateSocialContract.Field()
    add_income_criterion_rate = AddIncomeCriterionRate.Field()
