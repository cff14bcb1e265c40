"""Types of family foster care (piecza zastępcza). Every object is fetched through a foster_care service
(``access_*``/``get_*``: role check and fetch in one step); lists come from the service's scoped querysets,
which prefetch what these types read."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType, choices_enum
from ostoja.modules.foster_care import models, services

PERSON = "ostoja.graphql.staff.cases.types.Person"
STAFF_MEMBER = "ostoja.graphql.staff.accounts.types.StaffMember"


def _enum(name, choices, doc):
    return choices_enum(choices, name, doc, labelled=True)


FosterFamilyKind = _enum("FosterFamilyKind", models.FamilyKind, "A kind of foster family under the Act.")
FosterFamilyStatus = _enum("FosterFamilyStatus", models.FosterFamily.Status, "Whether a family takes children.")
FosterRelation = _enum("FosterRelation", models.Relation, "A foster-family member's relation to the children.")
CandidateStatus = _enum("CandidateStatus", models.Candidate.Status, "Where a candidate is in qualification.")
FosterChildStatus = _enum("FosterChildStatus", models.FosterChild.Status, "Whether a child is in foster care.")
ReintegrationGoal = _enum("ReintegrationGoal", models.ReintegrationGoal, "The goal of the family reintegration plan.")
PlacementEndReason = _enum("PlacementEndReason", models.Placement.EndReason, "Why a placement ended.")
ParentMeetingStatus = _enum("ParentMeetingStatus", models.ParentMeeting.Status, "A meeting's state.")
AssessmentSubject = _enum("AssessmentSubject", models.Assessment.Subject, "What is assessed.")
AssessmentStatus = _enum("AssessmentStatus", models.Assessment.Status, "An assessment's state.")
AssessmentResult = _enum("AssessmentResult", models.Assessment.Result, "The result of an assessment.")
ChildNeedsExpenseKind = _enum("ChildNeedsExpenseKind", models.ChildNeedsExpense.Kind, "What an expense covers.")
IrregularityReportStatus = _enum("IrregularityReportStatus", models.IrregularityReport.Status, "Open or closed.")
NotificationRecipient = _enum("NotificationRecipient", models.Notification.Recipient, "Who is notified.")
NotificationStatus = _enum("NotificationStatus", models.Notification.Status, "Whether a letter was sent.")

ADDRESS_FIELDS = ("street", "building", "flat", "postcode", "city")


class FamilyMember(ModelType):
    """A person who forms a foster family."""

    class Meta:
        model = models.FamilyMember
        fields = ("joined_on",)
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    person = graphene.Field(PERSON, required=True)
    relation = graphene.Field(FosterRelation, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_member(actor(info), pk)


class FosterFamily(ModelType):
    """A foster family (rodzina zastępcza) or a family children's home, with its coordinator."""

    class Meta:
        model = models.FosterFamily
        fields = (
            "name",
            *ADDRESS_FIELDS,
            "phone",
            "notes",
            "qualified_on",
            "first_placement_on",
            "coordinator",
            "coordinator_since",
            "created_at",
            "updated_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    kind = graphene.Field(FosterFamilyKind, required=True)
    status = graphene.Field(FosterFamilyStatus, required=True)
    address = graphene.String(required=True)
    coordinator = graphene.Field(STAFF_MEMBER)
    coordinator_load = graphene.Int(
        required=True, description="Families (not dissolved) the coordinator looks after; 0 without a coordinator."
    )
    coordinator_limit = graphene.Int(required=True, description="The most families one coordinator may have (15).")
    members = graphene.List(graphene.NonNull(FamilyMember), required=True)

    @classmethod
    def access(cls, info, pk):
        return services.get_family(actor(info), pk)

    def resolve_coordinator_load(self, info):
        load = getattr(self, "coordinator_load", None)
        return load if load is not None else services.coordinator_load(self.coordinator_id)

    def resolve_coordinator_limit(self, info):
        return services.MAX_FAMILIES_PER_COORDINATOR

    def resolve_members(self, info):
        return self.members.all()


class CandidatePerson(graphene.ObjectType):
    person = graphene.Field(PERSON, required=True)
    relation = graphene.Field(FosterRelation, required=True)


class Candidate(ModelType):
    """Persons applying to become a foster family."""

    class Meta:
        model = models.Candidate
        fields = (
            "name",
            *ADDRESS_FIELDS,
            "applied_on",
            "recruitment_source",
            "training_referred_on",
            "training_name",
            "training_completed_on",
            "qualified_on",
            "qualification_reference",
            "rejection_reason",
            "family",
            "created_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    desired_kind = graphene.Field(FosterFamilyKind, required=True)
    status = graphene.Field(CandidateStatus, required=True)
    persons = graphene.List(graphene.NonNull(CandidatePerson), required=True)
    family = graphene.Field(FosterFamily, description="The family the candidate became, once qualified.")

    @classmethod
    def access(cls, info, pk):
        return services.access_candidate(actor(info), pk)

    def resolve_persons(self, info):
        return self.candidate_persons.all()


class Placement(ModelType):
    """A child's placement in a foster family under a court order."""

    class Meta:
        model = models.Placement
        fields = (
            "start_on",
            "end_on",
            "court_order_reference",
            "court",
            "reason",
            "siblings_together",
            "over_limit_with_consent",
            "created_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    child = graphene.Field(lambda: FosterChild, required=True)
    family = graphene.Field(FosterFamily, required=True)
    end_reason = graphene.Field(PlacementEndReason)
    is_current = graphene.Boolean(required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_placement(actor(info), pk)

    def resolve_end_reason(self, info):
        return self.end_reason or None


class Assessment(ModelType):
    """A periodic assessment of a child's situation or of a foster family; planned ones carry the due date."""

    class Meta:
        model = models.Assessment
        fields = ("sequence", "counted_from", "due_on", "performed_on", "conclusions")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    subject = graphene.Field(AssessmentSubject, required=True)
    status = graphene.Field(AssessmentStatus, required=True)
    result = graphene.Field(AssessmentResult)
    child = graphene.Field(lambda: FosterChild)
    family = graphene.Field(FosterFamily)
    is_overdue = graphene.Boolean(required=True, description="Planned and past its due date.")

    @classmethod
    def access(cls, info, pk):
        return services.access_assessment(actor(info), pk)

    def resolve_result(self, info):
        return self.result or None

    def resolve_is_overdue(self, info):
        return self.status == models.Assessment.Status.PLANNED and self.due_on < services._today()


class ParentMeeting(ModelType):
    """A meeting of a child with the biological parents."""

    class Meta:
        model = models.ParentMeeting
        fields = ("planned_at", "place", "participants", "notes", "cancellation_reason", "created_at")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    status = graphene.Field(ParentMeetingStatus, required=True)
    child = graphene.Field(lambda: FosterChild, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_meeting(actor(info), pk)


class ChildNeedsExpense(ModelType):
    """Money granted for a child's needs (admission, school, health, …)."""

    class Meta:
        model = models.ChildNeedsExpense
        fields = ("amount", "granted_on", "description", "decision_reference")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    kind = graphene.Field(ChildNeedsExpenseKind, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_expense(actor(info), pk)


class MaintenanceAllowance(ModelType):
    """The monthly allowance towards a child's maintenance for a period of one placement."""

    class Meta:
        model = models.MaintenanceAllowance
        fields = ("monthly_amount", "period_from", "period_to", "decision_reference", "placement")
        interfaces = (Node,)
        connection_class = CountableConnection

    placement = graphene.Field(Placement, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_allowance(actor(info), pk)


class ContinuingEducationSupport(ModelType):
    """Help to continue education after leaving care (until the 25th birthday at the latest)."""

    class Meta:
        model = models.ContinuingEducationSupport
        fields = ("school", "monthly_amount", "period_from", "period_to")
        interfaces = (Node,)
        connection_class = CountableConnection

    @classmethod
    def access(cls, info, pk):
        return services.access_education_support(actor(info), pk)


class LeavingCare(ModelType):
    """Usamodzielnienie: the mentor and the individual programme of a young person leaving care."""

    class Meta:
        model = models.LeavingCare
        fields = ("mentor_name", "mentor_contact", "programme", "programme_approved_on", "started_on")
        interfaces = (Node,)
        connection_class = CountableConnection

    education_support = graphene.List(graphene.NonNull(ContinuingEducationSupport), required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_leaving_care(actor(info), pk)

    def resolve_education_support(self, info):
        return self.education_support.all()


class FosterChild(ModelType):
    """A child (or a young adult staying on) in the center's foster care."""

    class Meta:
        model = models.FosterChild
        fields = ("sibling_group", "reintegration_plan", "created_at", "updated_at")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    person = graphene.Field(PERSON, required=True)
    status = graphene.Field(FosterChildStatus, required=True)
    reintegration_goal = graphene.Field(ReintegrationGoal, required=True)
    current_placement = graphene.Field(Placement, description="The placement in force, if the child is placed.")
    next_assessment = graphene.Field(Assessment, description="The planned assessment of the child's situation.")
    placements = graphene.List(graphene.NonNull(Placement), required=True, description="All, the latest first.")
    parent_meetings = graphene.List(graphene.NonNull(ParentMeeting), required=True)
    expenses = graphene.List(graphene.NonNull(ChildNeedsExpense), required=True)
    allowances = graphene.List(graphene.NonNull(MaintenanceAllowance), required=True)
    leaving_care = graphene.Field(LeavingCare)

    @classmethod
    def access(cls, info, pk):
        return services.get_child(actor(info), pk)

    def resolve_current_placement(self, info):
        # Joined in by services.children_queryset, or set by services.get_child; queried only otherwise.
        if hasattr(self, "current_placement"):
            return self.current_placement
        return self.placements.filter(end_on__isnull=True).select_related("family").first()

    def resolve_next_assessment(self, info):
        if hasattr(self, "next_assessment"):
            return self.next_assessment
        return self.assessments.filter(status=models.Assessment.Status.PLANNED).first()

    def resolve_placements(self, info):
        return self.placements.select_related("family")

    def resolve_parent_meetings(self, info):
        return self.parent_meetings.all()

    def resolve_expenses(self, info):
        return self.expenses.all()

    def resolve_allowances(self, info):
        return self.allowances.select_related("placement")

    def resolve_leaving_care(self, info):
        return models.LeavingCare.objects.filter(child=self).first()


class Notification(ModelType):
    """A letter about an irregularity report to the voivode or the prosecutor's office."""

    class Meta:
        model = models.Notification
        fields = ("sent_on", "reference")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    recipient = graphene.Field(NotificationRecipient, required=True)
    status = graphene.Field(NotificationStatus, required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_notification(actor(info), pk)


class IrregularityReport(ModelType):
    """A suspected irregularity in a placement; the voivode and the prosecutor are notified of each."""

    class Meta:
        model = models.IrregularityReport
        fields = ("reported_on", "source", "description", "closed_on", "outcome", "created_at")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    status = graphene.Field(IrregularityReportStatus, required=True)
    placement = graphene.Field(Placement, required=True)
    notifications = graphene.List(graphene.NonNull(Notification), required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_report(actor(info), pk)

    def resolve_notifications(self, info):
        return self.notifications.all()


class FosterCareSettings(graphene.ObjectType):
    """The center's assessment intervals (months)."""

    child_under_3_interval_months = graphene.Int(required=True)
    child_interval_months = graphene.Int(required=True)
    family_first_assessment_months = graphene.Int(required=True)
    family_second_assessment_months = graphene.Int(required=True)
    family_interval_months = graphene.Int(required=True)
