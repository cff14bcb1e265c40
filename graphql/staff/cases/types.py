"""Types of the social-assistance module. Person is referenced by other modules (foster care, projects); Case,
Application, Household … by the benefits package (by dotted path)."""

import graphene
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.selection import selects
from ostoja.graphql.core.types import CountableConnection, ModelType, choices_enum
from ostoja.modules.cases import models as m
from ostoja.modules.cases import selectors, services

STAFF_MEMBER = "ostoja.graphql.staff.accounts.types.StaffMember"
DISTRICT = "ostoja.graphql.staff.configuration.types.District"


SexEnum = choices_enum(m.Sex, "Sex", "Sex as in the PESEL.")
DistrictStatusEnum = choices_enum(m.DistrictStatus, "DistrictStatus", "How the person's district was found.")
RelationEnum = choices_enum(m.Relation, "Relation", "Relation of a household member to the head of the household.")
CaseStatusEnum = choices_enum(
    m.CaseStatus, "CaseStatus", "Where a case stands: open → interview → decision → active help."
)
ClosureReasonEnum = choices_enum(m.ClosureReason, "ClosureReason", "Why a case was closed.")
SubmittedByEnum = choices_enum(m.SubmittedBy, "SubmittedBy", "Who started the proceedings.")
InterviewStatusEnum = choices_enum(m.Interview.Status, "InterviewStatus", "Status of a community interview.")
CaseNoteKindEnum = choices_enum(m.CaseNote.Kind, "CaseNoteKind", "Kind of a case note.")
DelayNoticeKindEnum = choices_enum(m.DelayNotice.Kind, "DelayNoticeKind", "Kind of a notice of delay (KPA art. 36).")


# --- persons reached through other objects -----------------------------------------------------------------------
#
# Person and Household have no get_queryset (see Person), so every field typed Person, Household or
# HouseholdMember that does not come from the caller's own scoped list or access_* read goes through the helpers
# below: the caller's read scope (selectors.read_scope) is applied — a household whose head lives in another
# district is null, members living in another district are left out of lists, a single person out of scope is
# null — and the persons returned are audited (READ). A list prepares its page first (prepare_cases,
# prepare_households: one statement for the members, one INSERT for the audit, whatever the page size); a field
# reached without that preparation (a single object by ID, another package's list) checks and audits itself,
# and each person is audited once per request.


class _Reads:
    def __init__(self, info):
        self.actor = actor(info)
        self.scope = selectors.read_scope(self.actor)
        self.audited = set()


def reads(info) -> _Reads:
    """The caller's read scope and the persons already audited, kept for the whole request."""
    state = getattr(info.context, "_ostoja_person_reads", None)
    if state is None or state.actor is not actor(info):
        state = _Reads(info)
        info.context._ostoja_person_reads = state
    return state


def audit_persons(info, persons, message=""):
    state = reads(info)
    selectors.record_person_reads(state.actor, persons, already=state.audited, message=message)


def prepare_households(info, households, path=("edges", "node")):
    """Before a page of households (at ``path`` under the field being resolved) is shown: load the members if
    asked for and audit, in one INSERT, the heads and member persons the query selects and the caller may see."""
    if not households or not selects(info, *path):
        return
    state = reads(info)
    visible = [h for h in households if selectors.household_visible(state.scope, h)]
    persons = [h.head for h in visible] if selects(info, *path, "head") else []
    if selects(info, *path, "members"):
        selectors.load_members(visible)
        if selects(info, *path, "members", "person"):
            persons += [x.person for h in visible for x in selectors.visible_members(state.scope, h)]
    audit_persons(info, persons, str(_("read with a household in a list")))


def prepare_cases(info, cases, path=("edges", "node")):
    """Before a page of cases (at ``path`` under the field being resolved) is shown: their households (joined
    by the list's queryset, or loaded here in one statement), scoped and audited by prepare_households."""
    household_path = (*path, "household")
    if not cases or not selects(info, *household_path):
        return
    missing = [c for c in cases if c.household_id and not m.Case.household.is_cached(c)]
    if missing:
        prefetch_related_objects(
            missing, Prefetch("household", queryset=m.Household.objects.select_related("head__district"))
        )
    prepare_households(info, [c.household for c in cases if c.household_id], household_path)


class Person(ModelType):
    """A client of the center (or a household member, a foster child, a project participant)."""

    # No get_queryset here: graphene-django would then resolve every foreign key to a person (case.person, …)
    # through get_node, that is one audited read per row. The lists select_related the district instead.

    class Meta:
        model = m.Person
        fields = (
            "first_name",
            "last_name",
            "pesel",
            "date_of_birth",
            "citizenship",
            "document_type",
            "document_number",
            "street",
            "building",
            "flat",
            "postcode",
            "city",
            "district_overridden",
            "district_override_reason",
            "phone",
            "email",
            "created_at",
            "updated_at",
        )
        convert_choices_to_enum = False
        interfaces = (Node,)
        connection_class = CountableConnection

    full_name = graphene.String(required=True)
    sex = graphene.Field(SexEnum, required=True)
    district = graphene.Field(DISTRICT, description="Null: the intake pool (no district found or set yet).")
    district_status = graphene.Field(
        DistrictStatusEnum, description="How the district was found (null: no address given)."
    )

    @classmethod
    def access(cls, info, pk):
        return services.get_person(actor(info), pk)

    def resolve_full_name(self, info):
        return f"{self.first_name} {self.last_name}"

    def resolve_district_status(self, info):
        return self.district_status or None


class HelpReason(ModelType):
    """A reason for granting social assistance (art. 7). Special-category reasons (violence, addiction, health,
    a criminal past) are shown in cases only when asked for, and that reading is audited."""

    class Meta:
        model = m.HelpReason
        fields = ("code", "name_pl", "name_en", "former_name_pl", "legal_basis", "special_category", "order")
        interfaces = (Node,)
        connection_class = CountableConnection

    name = graphene.String(required=True, description="In the user's language.")

    @classmethod
    def access(cls, info, pk):
        return selectors.access_help_reason(actor(info), pk)

    def resolve_name(self, info):
        return self.name


class Household(ModelType):
    """A family (art. 6 pkt 14): people living and keeping house together, with their declared income."""

    class Meta:
        model = m.Household
        fields = ("created_at", "updated_at")
        interfaces = (Node,)
        connection_class = CountableConnection

    head = graphene.Field(
        Person, description="The head of the household (null if they live in a district you do not cover)."
    )
    members = graphene.List(
        graphene.NonNull(lambda: HouseholdMember),
        required=True,
        description="The members you may read (those living in a district you do not cover are left out; size and "
        "income count everyone). Reading their persons is audited.",
    )
    size = graphene.Int(required=True)
    total_income = graphene.Decimal(required=True, description="Monthly net income of all members.")
    income_per_person = graphene.Decimal(required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_household(actor(info), pk)

    def resolve_head(self, info):
        state = reads(info)
        if not state.scope.allows(self.head.district_id):
            return None
        audit_persons(info, [self.head], str(_("read as the head of a household")))
        return self.head

    def resolve_members(self, info):
        members = selectors.visible_members(reads(info).scope, self)
        if selects(info, "person"):
            audit_persons(info, [member.person for member in members], str(_("read as a household member")))
        return members

    def resolve_size(self, info):
        return len(selectors.household_members(self))

    def resolve_total_income(self, info):
        return selectors.household_income(self).total

    def resolve_income_per_person(self, info):
        return selectors.household_income(self).per_person


class HouseholdMember(ModelType):
    class Meta:
        model = m.HouseholdMember
        fields = ("monthly_income", "income_sources")
        convert_choices_to_enum = False
        interfaces = (Node,)
        connection_class = CountableConnection

    household = graphene.Field(Household, description="Null if its head lives in a district you do not cover.")
    person = graphene.Field(Person, description="Null if they live in a district you do not cover.")
    relation = graphene.Field(RelationEnum, required=True)

    @classmethod
    def access(cls, info, pk):
        return selectors.access_household_member(actor(info), pk)

    def resolve_household(self, info):
        return self.household if selectors.household_visible(reads(info).scope, self.household) else None

    def resolve_person(self, info):
        if not reads(info).scope.allows(self.person.district_id):
            return None
        audit_persons(info, [self.person], str(_("read as a household member")))
        return self.person


class Case(ModelType):
    """The center's file on a person asking for help."""

    class Meta:
        model = m.Case
        fields = ("person", "opened_on", "closed_on", "closure_note", "created_at")
        convert_choices_to_enum = False
        interfaces = (Node,)
        connection_class = CountableConnection

    household = graphene.Field(
        Household, description="The person's household (null if its head lives in a district you do not cover)."
    )

    status = graphene.Field(CaseStatusEnum, required=True)
    closure_reason = graphene.Field(ClosureReasonEnum)
    worker = graphene.Field(STAFF_MEMBER, description="The social worker in charge.")
    reasons = graphene.List(
        graphene.NonNull(HelpReason),
        required=True,
        description="Reasons for help; special-category ones only when the list was asked with includeSensitive "
        "(or the case was read by its ID), and that reading is audited.",
    )
    restricted_reasons = graphene.Int(required=True, description="How many special-category reasons are left out.")
    applications = graphene.List(graphene.NonNull(lambda: Application), required=True)
    interviews = graphene.List(graphene.NonNull(lambda: Interview), required=True)

    @classmethod
    def access(cls, info, pk):
        case = services.get_case(actor(info), pk)  # audits the read, and the special-category reasons apart
        case.visible_reasons = [cr.reason for cr in case.case_reasons.all()]
        case.restricted_reasons = 0
        return case

    def resolve_household(self, info):
        if not self.household_id:
            return None
        return self.household if selectors.household_visible(reads(info).scope, self.household) else None

    def resolve_reasons(self, info):
        if not hasattr(self, "visible_reasons"):
            return [cr.reason for cr in self.case_reasons.all() if not cr.reason.special_category]
        return self.visible_reasons

    def resolve_restricted_reasons(self, info):
        if not hasattr(self, "restricted_reasons"):
            return sum(1 for cr in self.case_reasons.all() if cr.reason.special_category)
        return self.restricted_reasons

    def resolve_applications(self, info):
        return self.applications.all()

    def resolve_interviews(self, info):
        return self.interviews.all()


class DelayNotice(graphene.ObjectType):
    """A notice of delay (KPA art. 36)."""

    kind = graphene.Field(DelayNoticeKindEnum, required=True)
    reason = graphene.String(required=True)
    new_due_on = graphene.Date()
    recorded_on = graphene.Date(required=True)


class Application(ModelType):
    """A request for help, or proceedings started ex officio; the decision is due within a month."""

    class Meta:
        model = m.Application
        fields = ("case", "received_on", "urgent", "description", "decision_due_on", "decided_on", "created_at")
        convert_choices_to_enum = False
        interfaces = (Node,)
        connection_class = CountableConnection

    submitted_by = graphene.Field(SubmittedByEnum, required=True)
    overdue = graphene.Boolean(required=True, description="Undecided past the due date.")
    notified = graphene.Boolean(required=True, description="A notice of delay was sent.")
    delay_notices = graphene.List(graphene.NonNull(DelayNotice), required=True)

    @classmethod
    def access(cls, info, pk):
        return selectors.access_application(actor(info), pk)

    def resolve_overdue(self, info):
        return (
            self.decided_on is None
            and self.case.status != m.CaseStatus.CLOSED
            and self.decision_due_on < services._today()
        )

    def resolve_notified(self, info):
        if hasattr(self, "notified"):
            return self.notified
        return any(n.kind == m.DelayNotice.Kind.NOTICE for n in self.delay_notices.all())

    def resolve_delay_notices(self, info):
        return self.delay_notices.all()


class Interview(ModelType):
    """A community interview: due 14 working days after the application (2 when urgent)."""

    class Meta:
        model = m.Interview
        fields = (
            "case",
            "application",
            "urgent",
            "due_on",
            "assigned_on",
            "conducted_on",
            "place",
            "findings",
            "recommendations",
        )
        convert_choices_to_enum = False
        interfaces = (Node,)
        connection_class = CountableConnection

    status = graphene.Field(InterviewStatusEnum, required=True)
    assigned_to = graphene.Field(STAFF_MEMBER)
    overdue = graphene.Boolean(required=True, description="Planned and past the due date.")

    @classmethod
    def access(cls, info, pk):
        return services.access_interview(actor(info), pk)

    def resolve_overdue(self, info):
        return (
            self.status == m.Interview.Status.PLANNED
            and self.case.status != m.CaseStatus.CLOSED
            and self.due_on < services._today()
        )


class CaseNote(ModelType):
    """A note of social work in a case: a visit, a call, a meeting, a step taken."""

    class Meta:
        model = m.CaseNote
        fields = ("case", "happened_on", "text", "created_at")
        convert_choices_to_enum = False
        interfaces = (Node,)
        connection_class = CountableConnection

    kind = graphene.Field(CaseNoteKindEnum, required=True)
    author_name = graphene.String(description="Who wrote it (empty when written by the system).")

    @classmethod
    def access(cls, info, pk):
        return selectors.access_case_note(actor(info), pk)

    def resolve_author_name(self, info):
        if self.author is None:
            return None
        return self.author.get_full_name() or self.author.get_username()
