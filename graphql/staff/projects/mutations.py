"""Project mutations: one class per service action of modules/projects/services.py. Each declares every error
code its service can raise; rules, permissions and audit stay in the service."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.staff.cases.types import SexEnum
from ostoja.graphql.staff.projects import types
from ostoja.modules.projects import services

CLOSED = ("project_closed",)
PROJECT_VALIDATION = (
    "unknown_field",
    "required",
    "too_long",
    "invalid_choice",
    "invalid_date",
    "invalid_amount",
    "negative_amount",
    "amount_too_large",
    "invalid_code",
    "invalid_coordinator",
    "period_reversed",
    "year_period_bounds",
    "share_exceeds_total",
    "duplicate_code",
)
FUNDING_VALIDATION = (
    "required",
    "invalid_choice",
    "invalid_amount",
    "negative_amount",
    "amount_too_large",
    "too_long",
    "duplicate_funding_source",
    "funding_exceeds_total",
)
PARTNER_VALIDATION = ("required", "too_long", "duplicate_partner")
TARGET_VALIDATION = (
    "unknown_field",
    "required",
    "too_long",
    "invalid_choice",
    "invalid_code",
    "invalid_target_value",
    "amount_too_large",
    "invalid_age",
    "age_range_reversed",
    "unit_not_persons",
    "criteria_need_participants",
    "duplicate_code",
)


def _v(value):
    """The plain value of an enum input (graphene 3 passes enum members)."""
    return getattr(value, "value", value)


def _project_id(value, field="projectId"):
    return decode_id(value, "Project", field=field)


def _clean(data: dict) -> dict:
    """Plain values of the fields given (enum members to their values, lists of them too)."""
    return {key: [_v(item) for item in value] if isinstance(value, list) else _v(value) for key, value in data.items()}


# --- projects ------------------------------------------------------------------------------------------


class FundingSourceInput(graphene.InputObjectType):
    kind = types.FundingKind(required=True)
    amount = graphene.Decimal(description="In złoty; null when not known.")
    description = graphene.String(description="Required for OTHER.")


class ProjectPartnerInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    role_description = graphene.String()


class ProjectFields:
    title_en = graphene.String()
    description_pl = graphene.String()
    description_en = graphene.String()
    programme = graphene.String()
    umbrella_project = graphene.String(description="The larger project this one belongs to.")
    action = graphene.String(description='The action or task, e.g. "Działanie 3".')
    center_tasks = graphene.String()
    lead_organisation = graphene.String(description="Empty when the center itself leads.")
    start_date = graphene.Date()
    end_date = graphene.Date()
    period_precision = types.PeriodPrecision(description="YEAR: 1 January of the first to 31 December of the last.")
    total_budget = graphene.Decimal()
    center_share = graphene.Decimal()
    coordinator_id = graphene.ID(description="A StaffMember who may run projects.")


def _project_data(input) -> dict:
    data = _clean(dict(input))
    if "coordinator_id" in data:
        staff_id = data.pop("coordinator_id")
        data["coordinator_staff_id"] = (
            None if staff_id is None else decode_id(staff_id, "StaffMember", field="coordinatorId")
        )
    return data


class CreateProjectInput(ProjectFields, graphene.InputObjectType):
    code = graphene.String(required=True, description="A stable short identifier: letters, digits, hyphens.")
    title_pl = graphene.String(required=True)
    center_role = types.ProjectCenterRole(required=True)
    status = types.ProjectStatus(description="Default PLANNED; a project under way may be registered as running.")
    funding_sources = graphene.List(graphene.NonNull(FundingSourceInput))
    partners = graphene.List(graphene.NonNull(ProjectPartnerInput))


class CreateProject(ServiceMutation):
    """Register a project, optionally with its funding sources and partners."""

    class Meta:
        error_codes = tuple(sorted({*PROJECT_VALIDATION, *FUNDING_VALIDATION, *PARTNER_VALIDATION}))

    class Arguments:
        input = CreateProjectInput(required=True)

    project = graphene.Field(types.Project)

    @classmethod
    def perform(cls, info, input):
        data = _project_data({k: v for k, v in input.items() if k not in ("funding_sources", "partners")})
        data["funding_sources"] = [_clean(dict(source)) for source in input.get("funding_sources") or ()]
        data["partners"] = [_clean(dict(partner)) for partner in input.get("partners") or ()]
        return {"project": services.create_project(actor(info), **data)}


class UpdateProjectInput(ProjectFields, graphene.InputObjectType):
    code = graphene.String()
    title_pl = graphene.String()
    center_role = types.ProjectCenterRole()


class UpdateProject(ServiceMutation):
    """Change a project's fields (only those given). Not for settled or cancelled projects."""

    class Meta:
        error_codes = (
            "project_not_found",
            *CLOSED,
            *PROJECT_VALIDATION,
            "enrolments_outside_period",
            "funding_exceeds_total",
        )

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateProjectInput(required=True)

    project = graphene.Field(types.Project)

    @classmethod
    def perform(cls, info, id, input):
        project = services.update_project(actor(info), _project_id(id, "id"), **_project_data(input))
        return {"project": project}


class ChangeProjectStatus(ServiceMutation):
    """planned → running → finished → settled, or cancelled; a finished project may be reopened. A project
    cannot finish while participants are still enrolled."""

    class Meta:
        error_codes = ("project_not_found", "invalid_choice", "invalid_transition", "participants_still_enrolled")

    class Arguments:
        id = graphene.ID(required=True)
        status = types.ProjectStatus(required=True)

    project = graphene.Field(types.Project)

    @classmethod
    def perform(cls, info, id, status):
        return {"project": services.change_project_status(actor(info), _project_id(id, "id"), _v(status))}


# --- funding and partners ------------------------------------------------------------------------------


class AddFundingSource(ServiceMutation):
    """Add a source with its amount; the known amounts together may not exceed the total budget."""

    class Meta:
        error_codes = ("project_not_found", *CLOSED, *FUNDING_VALIDATION)

    class Arguments:
        project_id = graphene.ID(required=True)
        input = FundingSourceInput(required=True)

    funding_source = graphene.Field(types.FundingSource)
    project = graphene.Field(types.Project)

    @classmethod
    def perform(cls, info, project_id, input):
        source = services.add_funding_source(actor(info), _project_id(project_id), **_clean(dict(input)))
        return {"funding_source": source, "project": source.project}


class RemoveFundingSource(ServiceMutation):
    class Meta:
        error_codes = ("funding_source_not_found", *CLOSED)

    class Arguments:
        id = graphene.ID(required=True)

    removed_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.remove_funding_source(actor(info), decode_id(id, "FundingSource"))
        return {"removed_id": id}


class AddProjectPartner(ServiceMutation):
    class Meta:
        error_codes = ("project_not_found", *CLOSED, *PARTNER_VALIDATION)

    class Arguments:
        project_id = graphene.ID(required=True)
        input = ProjectPartnerInput(required=True)

    partner = graphene.Field(types.ProjectPartner)

    @classmethod
    def perform(cls, info, project_id, input):
        return {"partner": services.add_partner(actor(info), _project_id(project_id), **_clean(dict(input)))}


class RemoveProjectPartner(ServiceMutation):
    class Meta:
        error_codes = ("partner_not_found", *CLOSED)

    class Arguments:
        id = graphene.ID(required=True)

    removed_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.remove_partner(actor(info), decode_id(id, "ProjectPartner"))
        return {"removed_id": id}


# --- targets and achievements --------------------------------------------------------------------------


class TargetFields:
    name_en = graphene.String()
    indicator_type = types.IndicatorType(description="Default OUTPUT.")
    criterion_sex = graphene.Field(SexEnum, description="Null: any.")
    criterion_min_age = graphene.Int(description="Age at enrolment, inclusive.")
    criterion_max_age = graphene.Int(description="Age at enrolment, inclusive.")
    criterion_labour_statuses = graphene.List(graphene.NonNull(types.LabourMarketStatus))
    criterion_characteristic = types.ParticipantCharacteristic()
    criterion_exit_statuses = graphene.List(graphene.NonNull(types.LabourMarketStatus))


class AddProjectTargetInput(TargetFields, graphene.InputObjectType):
    code = graphene.String(required=True)
    name_pl = graphene.String(required=True)
    unit = types.TargetUnit(required=True, description="PERSONS for targets counted from participants.")
    target_value = graphene.Decimal(required=True)
    measure = types.TargetMeasure(required=True)


class AddProjectTarget(ServiceMutation):
    """Add an indicator to a project; criteria only for targets counted from participants."""

    class Meta:
        error_codes = ("project_not_found", *CLOSED, *TARGET_VALIDATION)

    class Arguments:
        project_id = graphene.ID(required=True)
        input = AddProjectTargetInput(required=True)

    target = graphene.Field(types.Target)

    @classmethod
    def perform(cls, info, project_id, input):
        return {"target": services.add_target(actor(info), _project_id(project_id), **_target_data(input))}


def _target_data(input) -> dict:
    data = _clean(dict(input))
    for key in ("criterion_sex", "criterion_characteristic", "name_en"):
        if key in data and data[key] is None:
            data[key] = ""
    for key in ("criterion_labour_statuses", "criterion_exit_statuses"):
        if key in data and data[key] is None:
            data[key] = []
    return data


class UpdateProjectTargetInput(TargetFields, graphene.InputObjectType):
    code = graphene.String()
    name_pl = graphene.String()
    unit = types.TargetUnit()
    target_value = graphene.Decimal()
    measure = types.TargetMeasure()


class UpdateProjectTarget(ServiceMutation):
    """Change a target's fields (only those given)."""

    class Meta:
        error_codes = ("target_not_found", *CLOSED, *TARGET_VALIDATION, "target_has_achievements")

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateProjectTargetInput(required=True)

    target = graphene.Field(types.Target)

    @classmethod
    def perform(cls, info, id, input):
        return {"target": services.update_target(actor(info), decode_id(id, "Target"), **_target_data(input))}


class RecordProjectAchievement(ServiceMutation):
    """Record a contribution (within the project period) to a target measured by recorded achievements."""

    class Meta:
        error_codes = (
            "target_not_found",
            *CLOSED,
            "target_counted_from_participants",
            "invalid_value",
            "amount_too_large",
            "required",
            "invalid_date",
            "too_long",
            "outside_project_period",
        )

    class Arguments:
        target_id = graphene.ID(required=True)
        value = graphene.Decimal(required=True)
        achieved_on = graphene.Date(required=True)
        note = graphene.String()

    achievement = graphene.Field(types.Achievement)
    target = graphene.Field(types.Target)

    @classmethod
    def perform(cls, info, target_id, value, achieved_on, note=""):
        achievement = services.record_achievement(
            actor(info),
            decode_id(target_id, "Target", field="targetId"),
            value=value,
            achieved_on=achieved_on,
            note=note or "",
        )
        return {"achievement": achievement, "target": achievement.target}


class RemoveProjectAchievement(ServiceMutation):
    class Meta:
        error_codes = ("achievement_not_found", *CLOSED)

    class Arguments:
        id = graphene.ID(required=True)

    removed_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.remove_achievement(actor(info), decode_id(id, "Achievement"))
        return {"removed_id": id}


# --- participants --------------------------------------------------------------------------------------


class EnrolProjectParticipantInput(graphene.InputObjectType):
    person_id = graphene.ID(required=True)
    pesel = graphene.String(
        description="The person's PESEL, from their documents: how a coordinator without access to the register "
        "enrols a new participant (others may name anyone they can read)."
    )
    enrolled_on = graphene.Date(required=True, description="Within the project period.")
    labour_market_status = types.LabourMarketStatus(required=True)
    characteristics = graphene.List(graphene.NonNull(types.ParticipantCharacteristic))
    education_level = types.EducationLevel()
    notes = graphene.String()


class EnrolProjectParticipant(ServiceMutation):
    """Enrol a person (one active enrolment per person and project); sex and age come from the person."""

    class Meta:
        error_codes = (
            "project_not_found",
            "person_not_found",
            *CLOSED,
            "required",
            "invalid_choice",
            "invalid_date",
            "enrolment_outside_period",
            "birth_date_unknown",
            "born_after_enrolment",
            "duplicate_enrolment",
            "overlapping_enrolment",
        )

    class Arguments:
        project_id = graphene.ID(required=True)
        input = EnrolProjectParticipantInput(required=True)

    participant = graphene.Field(types.Participant)

    @classmethod
    def perform(cls, info, project_id, input):
        data = _clean(dict(input))
        data["person_id"] = decode_id(data["person_id"], "Person", field="personId")
        data["characteristics"] = data.get("characteristics") or ()
        data["education_level"] = data.get("education_level") or ""
        data["notes"] = data.get("notes") or ""
        data["pesel"] = data.get("pesel") or ""
        return {"participant": services.enrol_participant(actor(info), _project_id(project_id), **data)}


class ExitProjectParticipant(ServiceMutation):
    """Record that a participant left, with the reason and the labour-market status at exit."""

    class Meta:
        error_codes = (
            "participant_not_found",
            *CLOSED,
            "already_exited",
            "required",
            "invalid_choice",
            "invalid_date",
            "exit_before_enrolment",
            "exit_outside_period",
        )

    class Arguments:
        id = graphene.ID(required=True)
        exited_on = graphene.Date(required=True)
        exit_reason = types.ExitReason(required=True)
        labour_market_status_at_exit = types.LabourMarketStatus()

    participant = graphene.Field(types.Participant)

    @classmethod
    def perform(cls, info, id, exited_on, exit_reason, labour_market_status_at_exit=None):
        participant = services.end_participation(
            actor(info),
            decode_id(id, "Participant"),
            exited_on=exited_on,
            exit_reason=_v(exit_reason),
            labour_market_status_at_exit=_v(labour_market_status_at_exit) or "",
        )
        return {"participant": participant}


class UpdateProjectParticipantInput(graphene.InputObjectType):
    labour_market_status = types.LabourMarketStatus(description="At enrolment.")
    characteristics = graphene.List(graphene.NonNull(types.ParticipantCharacteristic))
    education_level = types.EducationLevel()
    notes = graphene.String()


class UpdateProjectParticipant(ServiceMutation):
    """Correct the monitoring data a participant declared (only the fields given)."""

    class Meta:
        error_codes = ("participant_not_found", *CLOSED, "unknown_field", "invalid_choice", "required")

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateProjectParticipantInput(required=True)

    participant = graphene.Field(types.Participant)

    @classmethod
    def perform(cls, info, id, input):
        data = _clean(dict(input))
        if "education_level" in data and data["education_level"] is None:
            data["education_level"] = ""
        participant = services.update_participant(actor(info), decode_id(id, "Participant"), **data)
        return {"participant": participant}


class ProjectsMutations(graphene.ObjectType):
    create_project = CreateProject.Field()
    update_project = UpdateProject.Field()
    change_project_status = ChangeProjectStatus.Field()
    add_funding_source = AddFundingSource.Field()
    remove_funding_source = RemoveFundingSource.Field()
    add_project_partner = AddProjectPartner.Field()
    remove_project_partner = RemoveProjectPartner.Field()
    add_project_target = AddProjectTarget.Field()
    update_project_target = UpdateProjectTarget.Field()
    record_project_achievement = RecordProjectAchievement.Field()
    remove_project_achievement = RemoveProjectAchievement.Field()
    enrol_project_participant = EnrolProjectParticipant.Field()
    update_project_participant = UpdateProjectParticipant.Field()
    exit_project_participant = ExitProjectParticipant.Field()
