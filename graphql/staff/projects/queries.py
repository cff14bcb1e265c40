"""Project lists: every resolver returns a projects service's scoped queryset (role check inside), filtered and
ordered; the querysets prefetch what the types read. Participant pages are audited on their persons."""

import graphene

from ostoja.graphql.core.ids import decode_id, decode_optional_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import ConnectionField
from ostoja.graphql.staff.projects import types
from ostoja.modules.projects import services


def _v(value):
    return getattr(value, "value", value)


def _order(queryset, order_by, orderings):
    key = _v(order_by) or next(iter(orderings))
    return queryset.order_by(*orderings[key])


PROJECT_ORDER = {
    "start_date_desc": ("-start_date", "title_pl", "id"),
    "start_date": ("start_date", "title_pl", "id"),
    "title": ("title_pl", "id"),
    "code": ("code",),
    "created_at": ("-created_at", "-id"),
}
TARGET_ORDER = {"created": ("id",), "code": ("code", "id")}
PARTICIPANT_ORDER = {
    "name": ("person__last_name", "person__first_name", "id"),
    "enrolled_on": ("enrolled_on", "id"),
    "enrolled_on_desc": ("-enrolled_on", "-id"),
}
ACHIEVEMENT_ORDER = {"achieved_on": ("achieved_on", "id"), "achieved_on_desc": ("-achieved_on", "-id")}


def _order_enum(name, orderings, doc):
    return graphene.Enum(name, [(key.upper(), key) for key in orderings], description=doc)


ProjectOrder = _order_enum("ProjectOrder", PROJECT_ORDER, "Latest start first (default), earliest, title, code.")
TargetOrder = _order_enum("TargetOrder", TARGET_ORDER, "As entered (default), or by code.")
ParticipantOrder = _order_enum("ParticipantOrder", PARTICIPANT_ORDER, "By last name (default), or enrolment date.")
AchievementOrder = _order_enum("AchievementOrder", ACHIEVEMENT_ORDER, "Earliest first (default), or latest.")
ParticipantStatus = graphene.Enum(
    "ParticipantStatus",
    [("ACTIVE", "active"), ("EXITED", "exited")],
    description="ACTIVE: enrolled and not exited; EXITED: has left.",
)


class AuditedConnectionField(ConnectionField):
    """A connection whose rows are personal data: the rows of the page returned are audited as read."""

    @classmethod
    def connection_resolver(cls, resolver, connection, default_manager, queryset_resolver, max_limit,
                            enforce_first_or_last, root, info, **args):  # fmt: skip
        result = super().connection_resolver(
            resolver, connection, default_manager, queryset_resolver, max_limit, enforce_first_or_last, root, info,
            **args,
        )  # fmt: skip
        services.record_participant_reads(actor(info), [edge.node for edge in result.edges])
        return result


class ProjectsQueries(graphene.ObjectType):
    projects = ConnectionField(
        types.Project,
        status=types.ProjectStatus(),
        programme=graphene.String(description="Part of the programme's name."),
        funding_kind=types.FundingKind(description="Projects with a funding source of this kind."),
        active_from=graphene.Date(description="Projects whose period reaches this day or later."),
        active_to=graphene.Date(description="Projects whose period starts on this day or earlier."),
        search=graphene.String(description="Words matched against the code, titles and programme."),
        order_by=ProjectOrder(),
        description="The center's funded projects, with their targets and progress.",
    )
    project_targets = ConnectionField(
        types.Target,
        project_id=graphene.ID(required=True),
        measure=types.TargetMeasure(),
        order_by=TargetOrder(),
        description="A project's targets (indicators) with their progress.",
    )
    project_participants = AuditedConnectionField(
        types.Participant,
        project_id=graphene.ID(description="Of this project only (default: all projects)."),
        person_id=graphene.ID(description="Enrolments of this person (in all projects)."),
        status=ParticipantStatus(),
        search=graphene.String(description="Words matched against first and last names and PESEL."),
        order_by=ParticipantOrder(),
        description="Project participants; every person returned is audited as read.",
    )
    project_achievements = ConnectionField(
        types.Achievement,
        project_id=graphene.ID(),
        target_id=graphene.ID(),
        date_from=graphene.Date(description="Achieved on this day or later."),
        date_to=graphene.Date(description="Achieved on this day or earlier."),
        order_by=AchievementOrder(),
        description="Recorded achievements (for targets measured by them).",
    )

    def resolve_projects(
        self,
        info,
        status=None,
        programme="",
        funding_kind=None,
        active_from=None,
        active_to=None,
        search="",
        order_by=None,
        **_,
    ):
        queryset = services.projects_queryset(
            actor(info),
            status=_v(status),
            programme=programme or "",
            funding_kind=_v(funding_kind),
            active_from=active_from,
            active_to=active_to,
            search=search or "",
        )
        return _order(queryset, order_by, PROJECT_ORDER)

    def resolve_project_targets(self, info, project_id, measure=None, order_by=None, **_):
        queryset = services.targets_queryset(
            actor(info), decode_id(project_id, "Project", field="projectId"), measure=_v(measure)
        )
        return _order(queryset, order_by, TARGET_ORDER)

    def resolve_project_participants(
        self, info, project_id=None, person_id=None, status=None, search="", order_by=None, **_
    ):
        queryset = services.participants_queryset(
            actor(info),
            project_id=decode_optional_id(project_id, "Project", "projectId"),
            person_id=decode_optional_id(person_id, "Person", "personId"),
            status=_v(status),
            search=search or "",
        )
        return _order(queryset, order_by, PARTICIPANT_ORDER)

    def resolve_project_achievements(
        self, info, project_id=None, target_id=None, date_from=None, date_to=None, order_by=None, **_
    ):
        queryset = services.achievements_queryset(
            actor(info),
            project_id=decode_optional_id(project_id, "Project", "projectId"),
            target_id=decode_optional_id(target_id, "Target", "targetId"),
            date_from=date_from,
            date_to=date_to,
        )
        return _order(queryset, order_by, ACHIEVEMENT_ORDER)
