"""Types of funded (EU and other) projects. Every object is fetched through a projects service (``access_*``/
``get_*``: role check and fetch in one step); lists come from the service's scoped querysets, which prefetch what
these types read (targets with their progress included)."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType, choices_enum
from ostoja.graphql.staff.cases.types import SexEnum
from ostoja.modules.projects import models, services

PERSON = "ostoja.graphql.staff.cases.types.Person"
STAFF_MEMBER = "ostoja.graphql.staff.accounts.types.StaffMember"


def _enum(name, choices, doc):
    return choices_enum(choices, name, doc, labelled=True)


ProjectStatus = _enum("ProjectStatus", models.ProjectStatus, "planned → running → finished → settled, or cancelled.")
ProjectCenterRole = _enum("ProjectCenterRole", models.CenterRole, "Whether the center leads the project or partners.")
PeriodPrecision = _enum("PeriodPrecision", models.PeriodPrecision, "Whether the period is exact or in whole years.")
FundingKind = _enum("FundingKind", models.FundingKind, "Where a project's money comes from.")
LabourMarketStatus = _enum("LabourMarketStatus", models.LabourMarketStatus, "Labour-market status (EFS monitoring).")
ParticipantCharacteristic = _enum(
    "ParticipantCharacteristic", models.Characteristic, "A characteristic targets may be defined by."
)
EducationLevel = _enum("EducationLevel", models.EducationLevel, "Education level (ISCED).")
AgeGroup = _enum("AgeGroup", models.AgeGroup, "Age band at enrolment.")
IndicatorType = _enum("IndicatorType", models.IndicatorType, "Output or result indicator.")
TargetUnit = _enum("TargetUnit", models.TargetUnit, "What a target counts.")
TargetMeasure = _enum("TargetMeasure", models.TargetMeasure, "How progress is measured.")
ExitReason = _enum("ExitReason", models.ExitReason, "Why a participant left.")


class FundingSource(ModelType):
    """A source of a project's money with its amount in złoty (null: not known)."""

    class Meta:
        model = models.FundingSource
        fields = ("description", "amount")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    kind = graphene.Field(FundingKind, required=True)
    label = graphene.String(required=True, description="The description, or the name of the kind.")

    @classmethod
    def access(cls, info, pk):
        return services.access_funding_source(actor(info), pk)

    def resolve_kind(self, info):
        return self.kind

    def resolve_label(self, info):
        return self.description or str(self.get_kind_display())


class ProjectPartner(ModelType):
    """An organisation taking part in a project."""

    class Meta:
        model = models.Partner
        fields = ("name", "role_description")
        interfaces = (Node,)
        connection_class = CountableConnection

    @classmethod
    def access(cls, info, pk):
        return services.access_partner(actor(info), pk)


class Target(ModelType):
    """An indicator with its target value and progress: counted from participants that meet its criteria, or
    summed from recorded achievements."""

    class Meta:
        model = models.Target
        fields = ("code", "name_pl", "name_en", "target_value", "criterion_min_age", "criterion_max_age")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    name = graphene.String(required=True, description="In the user's language when given in it.")
    indicator_type = graphene.Field(IndicatorType, required=True)
    unit = graphene.Field(TargetUnit, required=True)
    measure = graphene.Field(TargetMeasure, required=True)
    criterion_sex = graphene.Field(SexEnum, description="Null: any.")
    criterion_labour_statuses = graphene.List(
        graphene.NonNull(LabourMarketStatus), required=True, description="At enrolment; empty: any."
    )
    criterion_characteristic = graphene.Field(ParticipantCharacteristic, description="Null: any.")
    criterion_exit_statuses = graphene.List(
        graphene.NonNull(LabourMarketStatus), required=True, description="At exit; empty: any."
    )
    achieved = graphene.Decimal(required=True, description="Matching persons, or the sum of recorded achievements.")
    progress_percent = graphene.Decimal(required=True, description="Achieved share of the target value, in percent.")
    project = graphene.Field(lambda: Project, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.get_target(actor(info), pk)

    def resolve_criterion_sex(self, info):
        return self.criterion_sex or None

    def resolve_criterion_characteristic(self, info):
        return self.criterion_characteristic or None

    def resolve_achieved(self, info):
        return services.with_progress(self).achieved

    def resolve_progress_percent(self, info):
        return services.with_progress(self).progress_percent


class Project(ModelType):
    """A funded project (EU or other) the center leads or takes part in."""

    class Meta:
        model = models.Project
        fields = (
            "code",
            "title_pl",
            "title_en",
            "description_pl",
            "description_en",
            "programme",
            "umbrella_project",
            "action",
            "center_tasks",
            "lead_organisation",
            "start_date",
            "end_date",
            "total_budget",
            "center_share",
            "created_at",
            "updated_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    title = graphene.String(required=True, description="In the user's language when given in it.")
    period_label = graphene.String(required=True, description='e.g. "2014–2020" or "01.01.2017–30.06.2018".')
    status = graphene.Field(ProjectStatus, required=True)
    center_role = graphene.Field(ProjectCenterRole, required=True)
    period_precision = graphene.Field(PeriodPrecision, required=True)
    coordinator = graphene.Field(STAFF_MEMBER)
    funding_sources = graphene.List(graphene.NonNull(FundingSource), required=True)
    partners = graphene.List(graphene.NonNull(ProjectPartner), required=True)
    targets = graphene.List(graphene.NonNull(Target), required=True, description="With their progress.")
    participants_total = graphene.Int(required=True, description="Distinct persons ever enrolled.")
    participants_active = graphene.Int(required=True, description="Distinct persons enrolled and not exited.")

    @classmethod
    def access(cls, info, pk):
        return services.get_project(actor(info), pk)

    def resolve_title(self, info):
        return self.title

    def resolve_period_label(self, info):
        return self.period_label

    def resolve_coordinator(self, info):
        return getattr(self.coordinator, "staff_profile", None) if self.coordinator_id else None

    def resolve_funding_sources(self, info):
        return services.related_of(self, "funding_sources")

    def resolve_partners(self, info):
        return services.related_of(self, "partners")

    def resolve_targets(self, info):
        return services.related_of(self, "targets")

    def resolve_participants_total(self, info):
        total = getattr(self, "participants_total", None)
        return total if total is not None else self.participants.values("person").distinct().count()

    def resolve_participants_active(self, info):
        active = getattr(self, "participants_active", None)
        if active is not None:
            return active
        return self.participants.filter(exited_on__isnull=True).values("person").distinct().count()


class Participant(ModelType):
    """One enrolment of a person in a project, with the EU monitoring data at enrolment and at exit. Reading
    participants is audited on their persons."""

    class Meta:
        model = models.Participant
        fields = ("enrolled_on", "exited_on", "age_at_enrolment", "notes", "created_at", "updated_at")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    project = graphene.Field(Project, required=True)
    person = graphene.Field(PERSON, required=True)
    is_active = graphene.Boolean(required=True, description="Enrolled and not exited.")
    sex = graphene.Field(SexEnum, required=True, description="From the person's record at enrolment.")
    age_group = graphene.Field(AgeGroup, required=True)
    labour_market_status = graphene.Field(LabourMarketStatus, required=True, description="At enrolment.")
    labour_market_status_at_exit = graphene.Field(LabourMarketStatus)
    education_level = graphene.Field(EducationLevel)
    characteristics = graphene.List(graphene.NonNull(ParticipantCharacteristic), required=True)
    exit_reason = graphene.Field(ExitReason)

    @classmethod
    def access(cls, info, pk):
        return services.get_participant(actor(info), pk)

    def resolve_is_active(self, info):
        return self.is_active

    def resolve_age_group(self, info):
        return self.age_group

    def resolve_labour_market_status_at_exit(self, info):
        return self.labour_market_status_at_exit or None

    def resolve_education_level(self, info):
        return self.education_level or None

    def resolve_exit_reason(self, info):
        return self.exit_reason or None


class Achievement(ModelType):
    """A recorded contribution to a target measured by achievements."""

    class Meta:
        model = models.Achievement
        fields = ("value", "achieved_on", "note", "created_at")
        interfaces = (Node,)
        connection_class = CountableConnection

    target = graphene.Field(Target, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_achievement(actor(info), pk)
