"""Mutations of the social-assistance module: one per service action of ``ostoja.modules.cases.services``.
Each declares every error code its service can raise; the rules, permissions and audit stay in the service."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.core.types import enum_value
from ostoja.graphql.staff.cases import types
from ostoja.modules.cases import services

ACCESS = ("other_district",)
PERSON_CODES = (
    "unknown_field",
    "required",
    "invalid_choice",
    "future_date",
    "invalid_pesel",
    "pesel_birth_date_mismatch",
    "pesel_sex_mismatch",
    "document_required",
    "invalid_postcode",
    "invalid_phone",
    "invalid_email",
    "pesel_taken",
    *ACCESS,
)
WORKER_CODES = ("worker_not_found", "not_social_worker", "person_without_district", "worker_other_district")
CASE_CODES = ("case_not_found", "case_closed", *ACCESS)
MEMBER_CODES = (
    "already_in_household",
    "invalid_relation",
    "invalid_amount",
    "amount_too_large",
    "person_not_found",
    *ACCESS,
)


# --- persons ---------------------------------------------------------------------------------------


class PersonInput(graphene.InputObjectType):
    """A person's data. On update only the fields given change; without a PESEL the date of birth and an
    identity document are required."""

    first_name = graphene.String()
    last_name = graphene.String()
    pesel = graphene.String(description="Validated; the date of birth and sex must agree with it.")
    date_of_birth = graphene.Date()
    sex = types.SexEnum(description="Taken from the PESEL when not given.")
    citizenship = graphene.String(description="ISO 3166 code, PL by default.")
    document_type = graphene.String()
    document_number = graphene.String()
    street = graphene.String(description="The district follows from the street and the building number.")
    building = graphene.String()
    flat = graphene.String()
    postcode = graphene.String()
    city = graphene.String()
    phone = graphene.String(description="Stored in E.164.")
    email = graphene.String()


_NULLABLE = {"pesel", "date_of_birth"}


def _person_values(data) -> dict:
    values = {}
    for name, value in dict(data).items():
        value = enum_value(value)
        values[name] = "" if value is None and name not in _NULLABLE else value
    return values


class PersonPayloadMixin:
    person = graphene.Field(types.Person)
    district_status = graphene.Field(types.DistrictStatusEnum, description="How the district was found.")
    warnings = graphene.List(
        graphene.NonNull(graphene.String), description="To show the user (no district found, …); null on errors."
    )

    @staticmethod
    def payload(result) -> dict:
        return {"person": result.person, "district_status": result.district_status or None, "warnings": result.warnings}


class CreatePerson(PersonPayloadMixin, ServiceMutation):
    """Register a person; the district is looked up from the address."""

    class Meta:
        error_codes = PERSON_CODES

    class Arguments:
        input = PersonInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return cls.payload(services.create_person(actor(info), **_person_values(input)))


class UpdatePerson(PersonPayloadMixin, ServiceMutation):
    """Change a person's data (only the fields given); a new address looks the district up again."""

    class Meta:
        error_codes = (*PERSON_CODES, "person_not_found")

    class Arguments:
        id = graphene.ID(required=True)
        input = PersonInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        person_id = decode_id(id, "Person")
        return cls.payload(services.update_person(actor(info), person_id, **_person_values(input)))


class OverridePersonDistrict(PersonPayloadMixin, ServiceMutation):
    """Set a person's district by hand (an ambiguous address, a homeless person); the reason is audited."""

    class Meta:
        error_codes = ("reason_required", "person_not_found", "district_not_found", *ACCESS)

    class Arguments:
        person_id = graphene.ID(required=True)
        district_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, person_id, district_id, reason):
        person_pk = decode_id(person_id, "Person", field="personId")
        district_pk = decode_id(district_id, "District", field="districtId")
        return cls.payload(services.override_district(actor(info), person_pk, district_pk, reason=reason))


class ClearPersonDistrictOverride(PersonPayloadMixin, ServiceMutation):
    """Go back to the district the address gives."""

    class Meta:
        error_codes = ("person_not_found", *ACCESS)

    class Arguments:
        person_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, person_id):
        person_pk = decode_id(person_id, "Person", field="personId")
        return cls.payload(services.clear_district_override(actor(info), person_pk))


# --- households ------------------------------------------------------------------------------------


class HouseholdMemberInput(graphene.InputObjectType):
    person_id = graphene.ID(required=True)
    relation = types.RelationEnum(required=True, description="Not HEAD: the head is given apart.")
    monthly_income = graphene.Decimal(description="0 when not given.")
    income_sources = graphene.String(default_value="")


class CreateHouseholdInput(graphene.InputObjectType):
    head_id = graphene.ID(required=True)
    head_income = graphene.Decimal(description="0 when not given.")
    head_income_sources = graphene.String(default_value="")
    members = graphene.List(graphene.NonNull(HouseholdMemberInput), default_value=[])


class CreateHousehold(ServiceMutation):
    """A household headed by a person, with its other members and their monthly income."""

    class Meta:
        error_codes = MEMBER_CODES

    class Arguments:
        input = CreateHouseholdInput(required=True)

    household = graphene.Field(types.Household)

    @classmethod
    def perform(cls, info, input):
        members = [
            {
                "person_id": decode_id(member.person_id, "Person", field="members"),
                "relation": enum_value(member.relation),
                "monthly_income": member.monthly_income if member.monthly_income is not None else 0,
                "income_sources": member.income_sources or "",
            }
            for member in input.members or ()
        ]
        household = services.create_household(
            actor(info),
            decode_id(input.head_id, "Person", field="headId"),
            head_income=input.head_income if input.head_income is not None else 0,
            head_income_sources=input.head_income_sources or "",
            members=members,
        )
        return {"household": household}


class AddHouseholdMember(ServiceMutation):
    class Meta:
        error_codes = (*MEMBER_CODES, "household_not_found")

    class Arguments:
        household_id = graphene.ID(required=True)
        person_id = graphene.ID(required=True)
        relation = types.RelationEnum(required=True)
        monthly_income = graphene.Decimal(description="0 when not given.")
        income_sources = graphene.String(default_value="")

    member = graphene.Field(types.HouseholdMember)

    @classmethod
    def perform(cls, info, household_id, person_id, relation, monthly_income=0, income_sources=""):
        member = services.add_household_member(
            actor(info),
            decode_id(household_id, "Household", field="householdId"),
            decode_id(person_id, "Person", field="personId"),
            relation=enum_value(relation),
            monthly_income=monthly_income if monthly_income is not None else 0,
            income_sources=income_sources or "",
        )
        return {"member": member}


class SetHouseholdMemberIncome(ServiceMutation):
    """A member's declared monthly net income (and its sources)."""

    class Meta:
        error_codes = ("member_not_found", "household_not_found", "invalid_amount", "amount_too_large", *ACCESS)

    class Arguments:
        member_id = graphene.ID(required=True)
        monthly_income = graphene.Decimal(required=True)
        income_sources = graphene.String(description="Unchanged when not given.")

    member = graphene.Field(types.HouseholdMember)

    @classmethod
    def perform(cls, info, member_id, monthly_income, income_sources=None):
        member = services.set_member_income(
            actor(info),
            decode_id(member_id, "HouseholdMember", field="memberId"),
            monthly_income=monthly_income,
            income_sources=income_sources,
        )
        return {"member": member}


class RemoveHouseholdMember(ServiceMutation):
    """Remove a member (not the head) from a household."""

    class Meta:
        error_codes = ("member_not_found", "household_not_found", "head_required", *ACCESS)

    class Arguments:
        member_id = graphene.ID(required=True)

    removed_member_id = graphene.ID()

    @classmethod
    def perform(cls, info, member_id):
        services.remove_household_member(actor(info), decode_id(member_id, "HouseholdMember", field="memberId"))
        return {"removed_member_id": member_id}


# --- applications, cases, interviews ---------------------------------------------------------------


class RegisterApplicationInput(graphene.InputObjectType):
    person_id = graphene.ID(required=True)
    received_on = graphene.Date(required=True)
    urgent = graphene.Boolean(default_value=False, description="The interview is then due in 2 working days.")
    submitted_by = types.SubmittedByEnum(default_value=types.SubmittedByEnum.PERSON.value)
    description = graphene.String(default_value="")
    reasons = graphene.List(graphene.NonNull(graphene.String), default_value=[], description="Reason codes.")
    case_id = graphene.ID(description="The person's open case; a new case is opened when not given.")


class RegisterApplication(ServiceMutation):
    """Register an application: opens a case (or adds to the given one), schedules the community interview and
    computes the decision's due date."""

    class Meta:
        error_codes = (
            "invalid_choice",
            "future_date",
            "unknown_reason",
            "person_not_found",
            "case_of_another_person",
            *CASE_CODES,
        )

    class Arguments:
        input = RegisterApplicationInput(required=True)

    application = graphene.Field(types.Application)
    case = graphene.Field(types.Case)
    interview = graphene.Field(types.Interview)

    @classmethod
    def perform(cls, info, input):
        application = services.register_application(
            actor(info),
            decode_id(input.person_id, "Person", field="personId"),
            received_on=input.received_on,
            urgent=bool(input.urgent),
            submitted_by=enum_value(input.submitted_by) or "person",
            description=input.description or "",
            reasons=input.reasons or (),
            case_id=decode_id(input.case_id, "Case", field="caseId") if input.case_id else None,
        )
        return {"application": application, "case": application.case, "interview": application.interview}


class AssignCaseWorker(ServiceMutation):
    """Put a social worker of the person's district in charge of the case."""

    class Meta:
        error_codes = (*CASE_CODES, *WORKER_CODES)

    class Arguments:
        case_id = graphene.ID(required=True)
        worker_id = graphene.ID(required=True, description="A StaffMember ID.")

    case = graphene.Field(types.Case)

    @classmethod
    def perform(cls, info, case_id, worker_id):
        case = services.assign_case_worker(
            actor(info),
            decode_id(case_id, "Case", field="caseId"),
            decode_id(worker_id, "StaffMember", field="workerId"),
        )
        return {"case": case}


class AssignInterview(ServiceMutation):
    """Give a community interview to a social worker of the person's district; the case moves to "interview"."""

    class Meta:
        error_codes = ("interview_not_found", "interview_not_planned", "illegal_transition", *CASE_CODES, *WORKER_CODES)

    class Arguments:
        interview_id = graphene.ID(required=True)
        worker_id = graphene.ID(required=True, description="A StaffMember ID.")
        assigned_on = graphene.Date(description="Today when not given.")

    interview = graphene.Field(types.Interview)

    @classmethod
    def perform(cls, info, interview_id, worker_id, assigned_on=None):
        interview = services.assign_interview(
            actor(info),
            decode_id(interview_id, "Interview", field="interviewId"),
            decode_id(worker_id, "StaffMember", field="workerId"),
            assigned_on=assigned_on,
        )
        return {"interview": interview}


class RecordInterview(ServiceMutation):
    """The results of a community interview; the case then awaits a decision."""

    class Meta:
        error_codes = (
            "required",
            "future_date",
            "interview_not_found",
            "interview_not_planned",
            "interview_unassigned",
            "before_application",
            "illegal_transition",
            *CASE_CODES,
        )

    class Arguments:
        interview_id = graphene.ID(required=True)
        conducted_on = graphene.Date(required=True)
        findings = graphene.String(required=True)
        recommendations = graphene.String(default_value="")
        place = graphene.String(default_value="")

    interview = graphene.Field(types.Interview)

    @classmethod
    def perform(cls, info, interview_id, conducted_on, findings, recommendations="", place=""):
        interview = services.record_interview(
            actor(info),
            decode_id(interview_id, "Interview", field="interviewId"),
            conducted_on=conducted_on,
            findings=findings,
            recommendations=recommendations or "",
            place=place or "",
        )
        return {"interview": interview}


class SetCaseReasons(ServiceMutation):
    """Replace the case's reasons for help (art. 7 codes, at least one)."""

    class Meta:
        error_codes = ("unknown_reason", "required", *CASE_CODES)

    class Arguments:
        case_id = graphene.ID(required=True)
        reasons = graphene.List(graphene.NonNull(graphene.String), required=True)

    case = graphene.Field(types.Case)

    @classmethod
    def perform(cls, info, case_id, reasons):
        return {"case": services.set_case_reasons(actor(info), decode_id(case_id, "Case", field="caseId"), reasons)}


STATUS_CODES = ("invalid_choice", "case_not_found", "illegal_transition", *ACCESS)


class CloseCase(ServiceMutation):
    """Close a case; planned interviews are cancelled. Refused while payments are still planned."""

    class Meta:
        error_codes = (*STATUS_CODES, "closure_reason_required", "planned_payments")

    class Arguments:
        case_id = graphene.ID(required=True)
        reason = types.ClosureReasonEnum(required=True)
        note = graphene.String(default_value="")
        closed_on = graphene.Date(description="Today when not given.")

    case = graphene.Field(types.Case)

    @classmethod
    def perform(cls, info, case_id, reason, note="", closed_on=None):
        case = services.close_case(
            actor(info),
            decode_id(case_id, "Case", field="caseId"),
            reason=enum_value(reason),
            note=note or "",
            on=closed_on,
        )
        return {"case": case}


class ReopenCase(ServiceMutation):
    """Reopen a closed case; say why."""

    class Meta:
        error_codes = (*STATUS_CODES, "reason_required")

    class Arguments:
        case_id = graphene.ID(required=True)
        note = graphene.String(required=True)

    case = graphene.Field(types.Case)

    @classmethod
    def perform(cls, info, case_id, note):
        return {"case": services.reopen_case(actor(info), decode_id(case_id, "Case", field="caseId"), note=note)}


class RecordDelayNotice(ServiceMutation):
    """The notice to the party that the matter will be settled late (KPA art. 36), with the new date."""

    class Meta:
        error_codes = ("required", "application_not_found", "already_decided", "new_date_too_early", *CASE_CODES)

    class Arguments:
        application_id = graphene.ID(required=True)
        reason = graphene.String(required=True)
        new_due_on = graphene.Date(required=True)
        notified_on = graphene.Date(description="Today when not given.")

    application = graphene.Field(types.Application)
    delay_notice = graphene.Field(types.DelayNotice)

    @classmethod
    def perform(cls, info, application_id, reason, new_due_on, notified_on=None):
        notice = services.record_delay_notice(
            actor(info),
            decode_id(application_id, "Application", field="applicationId"),
            reason=reason,
            new_due_on=new_due_on,
            notified_on=notified_on,
        )
        return {"application": notice.application, "delay_notice": notice}


class AddCaseNote(ServiceMutation):
    """A note of social work in a case."""

    class Meta:
        error_codes = ("required", "invalid_choice", "future_date", "case_not_found", *ACCESS)

    class Arguments:
        case_id = graphene.ID(required=True)
        text = graphene.String(required=True)
        kind = types.CaseNoteKindEnum(default_value=types.CaseNoteKindEnum.NOTE.value)
        happened_on = graphene.Date(description="Today when not given.")

    case_note = graphene.Field(types.CaseNote)

    @classmethod
    def perform(cls, info, case_id, text, kind=None, happened_on=None):
        note = services.add_case_note(
            actor(info),
            decode_id(case_id, "Case", field="caseId"),
            text=text,
            kind=enum_value(kind) or "note",
            happened_on=happened_on,
        )
        return {"case_note": note}


class CasesMutations(graphene.ObjectType):
    create_person = CreatePerson.Field()
    update_person = UpdatePerson.Field()
    override_person_district = OverridePersonDistrict.Field()
    clear_person_district_override = ClearPersonDistrictOverride.Field()
    create_household = CreateHousehold.Field()
    add_household_member = AddHouseholdMember.Field()
    set_household_member_income = SetHouseholdMemberIncome.Field()
    remove_household_member = RemoveHouseholdMember.Field()
    register_application = RegisterApplication.Field()
    assign_case_worker = AssignCaseWorker.Field()
    assign_interview = AssignInterview.Field()
    record_interview = RecordInterview.Field()
    set_case_reasons = SetCaseReasons.Field()
    close_case = CloseCase.Field()
    reopen_case = ReopenCase.Field()
    record_delay_notice = RecordDelayNotice.Field()
    add_case_note = AddCaseNote.Field()
