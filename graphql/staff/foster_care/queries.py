"""Foster-care lists: every resolver returns a foster_care service's scoped queryset (role check inside),
filtered and ordered; the querysets prefetch what the types read."""

import graphene

from ostoja.graphql.core.ids import decode_optional_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.selection import selects
from ostoja.graphql.core.types import ConnectionField
from ostoja.graphql.staff.foster_care import types
from ostoja.modules.foster_care import services


def _order(queryset, order_by, orderings):
    key = getattr(order_by, "value", order_by) or next(iter(orderings))
    return queryset.order_by(*orderings[key])


FAMILY_ORDER = {"name": ("name", "id"), "qualified_on": ("-qualified_on", "id"), "created_at": ("-created_at", "-id")}
CANDIDATE_ORDER = {"applied_on": ("-applied_on", "id"), "name": ("name", "id")}
CHILD_ORDER = {"name": ("person__last_name", "person__first_name", "id"), "created_at": ("-created_at", "-id")}
PLACEMENT_ORDER = {"start_on": ("-start_on", "-id"), "end_on": ("-end_on", "-id")}
ASSESSMENT_ORDER = {"due_on": ("due_on", "id"), "due_on_desc": ("-due_on", "-id")}
MEETING_ORDER = {"planned_at": ("planned_at", "id"), "planned_at_desc": ("-planned_at", "-id")}
REPORT_ORDER = {"reported_on_desc": ("-reported_on", "-id"), "reported_on": ("reported_on", "id")}


def _order_enum(name, orderings, doc):
    return graphene.Enum(name, [(key.upper(), key) for key in orderings], description=doc)


FosterFamilyOrder = _order_enum("FosterFamilyOrder", FAMILY_ORDER, "Name (default), newest qualification, newest.")
CandidateOrder = _order_enum("CandidateOrder", CANDIDATE_ORDER, "Latest application first (default), or by name.")
FosterChildOrder = _order_enum("FosterChildOrder", CHILD_ORDER, "By last name (default), or newest first.")
PlacementOrder = _order_enum("PlacementOrder", PLACEMENT_ORDER, "Latest start first (default), or latest end.")
AssessmentOrder = _order_enum("AssessmentOrder", ASSESSMENT_ORDER, "Earliest due first (default), or latest.")
ParentMeetingOrder = _order_enum("ParentMeetingOrder", MEETING_ORDER, "Earliest first (default), or latest.")
IrregularityReportOrder = _order_enum("IrregularityReportOrder", REPORT_ORDER, "Latest first (default), or oldest.")


class FosterCareQueries(graphene.ObjectType):
    foster_families = ConnectionField(
        types.FosterFamily,
        coordinator_id=graphene.ID(description="Families of this coordinator (a StaffMember ID)."),
        kind=types.FosterFamilyKind(),
        status=types.FosterFamilyStatus(),
        search=graphene.String(description="Words matched against the name and the members' last names and PESEL."),
        order_by=FosterFamilyOrder(),
        description="Foster families and family children's homes of this center.",
    )
    foster_family_candidates = ConnectionField(
        types.Candidate,
        status=types.CandidateStatus(),
        search=graphene.String(),
        order_by=CandidateOrder(),
        description="Candidates for foster families.",
    )
    foster_children = ConnectionField(
        types.FosterChild,
        status=types.FosterChildStatus(description="Default: all."),
        family_id=graphene.ID(description="Children currently placed in this family."),
        overdue_assessment=graphene.Boolean(description="Whose planned assessment is (true) or is not overdue."),
        search=graphene.String(description="Words matched against first and last names and PESEL."),
        order_by=FosterChildOrder(),
        description="Children in foster care with their current placement and next assessment.",
    )
    placements = ConnectionField(
        types.Placement,
        child_id=graphene.ID(),
        family_id=graphene.ID(),
        current=graphene.Boolean(description="Only placements in force (true) or only ended ones (false)."),
        order_by=PlacementOrder(),
    )
    assessments = ConnectionField(
        types.Assessment,
        subject=types.AssessmentSubject(),
        status=types.AssessmentStatus(),
        overdue=graphene.Boolean(description="Planned and past the due date (true), or not (false)."),
        due_from=graphene.Date(),
        due_to=graphene.Date(),
        child_id=graphene.ID(),
        family_id=graphene.ID(),
        order_by=AssessmentOrder(),
    )
    parent_meetings = ConnectionField(
        types.ParentMeeting,
        date_from=graphene.Date(description="From this day (inclusive)."),
        date_to=graphene.Date(description="To this day (inclusive)."),
        status=types.ParentMeetingStatus(),
        child_id=graphene.ID(),
        order_by=ParentMeetingOrder(),
        description="Meetings of children with their biological parents: a calendar.",
    )
    irregularity_reports = ConnectionField(
        types.IrregularityReport,
        status=types.IrregularityReportStatus(description="Open or closed."),
        notification_status=types.NotificationStatus(
            description="PENDING: a notification is still to be sent; SENT: all have been sent."
        ),
        order_by=IrregularityReportOrder(),
    )
    foster_care_settings = graphene.Field(types.FosterCareSettings, required=True)

    def resolve_foster_families(self, info, coordinator_id=None, kind=None, status=None, search="", order_by=None, **_):
        queryset = services.families_queryset(
            actor(info),
            coordinator_id=decode_optional_id(coordinator_id, "StaffMember", "coordinatorId"),
            kind=kind,
            status=status,
            search=search or "",
            with_members=selects(info, "edges", "node", "members"),
        )
        return _order(queryset, order_by, FAMILY_ORDER)

    def resolve_foster_family_candidates(self, info, status=None, search="", order_by=None, **_):
        queryset = services.candidates_queryset(
            actor(info), status=status, search=search or "", with_persons=selects(info, "edges", "node", "persons")
        )
        return _order(queryset, order_by, CANDIDATE_ORDER)

    def resolve_foster_children(
        self, info, status=None, family_id=None, overdue_assessment=None, search="", order_by=None, **_
    ):
        queryset = services.children_queryset(
            actor(info),
            status=status,
            family_id=decode_optional_id(family_id, "FosterFamily", "familyId"),
            overdue_assessment=overdue_assessment,
            search=search or "",
        )
        return _order(queryset, order_by, CHILD_ORDER)

    def resolve_placements(self, info, child_id=None, family_id=None, current=None, order_by=None, **_):
        queryset = services.placements_queryset(
            actor(info),
            child_id=decode_optional_id(child_id, "FosterChild", "childId"),
            family_id=decode_optional_id(family_id, "FosterFamily", "familyId"),
            current=current,
        )
        return _order(queryset, order_by, PLACEMENT_ORDER)

    def resolve_assessments(
        self,
        info,
        subject=None,
        status=None,
        overdue=None,
        due_from=None,
        due_to=None,
        child_id=None,
        family_id=None,
        order_by=None,
        **_,
    ):
        queryset = services.assessments_queryset(
            actor(info),
            subject=subject,
            status=status,
            overdue=overdue,
            due_from=due_from,
            due_to=due_to,
            child_id=decode_optional_id(child_id, "FosterChild", "childId"),
            family_id=decode_optional_id(family_id, "FosterFamily", "familyId"),
        )
        return _order(queryset, order_by, ASSESSMENT_ORDER)

    def resolve_parent_meetings(
        self, info, date_from=None, date_to=None, status=None, child_id=None, order_by=None, **_
    ):
        queryset = services.meetings_queryset(
            actor(info),
            date_from=date_from,
            date_to=date_to,
            status=status,
            child_id=decode_optional_id(child_id, "FosterChild", "childId"),
        )
        return _order(queryset, order_by, MEETING_ORDER)

    def resolve_irregularity_reports(self, info, status=None, notification_status=None, order_by=None, **_):
        queryset = services.reports_queryset(
            actor(info),
            status=status,
            notification_status=notification_status,
            with_notifications=selects(info, "edges", "node", "notifications"),
        )
        return _order(queryset, order_by, REPORT_ORDER)

    def resolve_foster_care_settings(self, info):
        return services.get_settings(actor(info))
