"""Background jobs and dead tasks. ``Job`` is also used by the staff schema (a center's jobs, fetched with
``node(id:)`` there): its access check is the jobs service's, which knows operators from staff members."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.platform.jobs import services
from ostoja.platform.jobs.models import FailedTask as FailedTaskModel
from ostoja.platform.jobs.models import Job as JobModel
from ostoja.platform.jobs.models import JobStatus as JobStatusChoices

JobStatus = graphene.Enum.from_enum(
    JobStatusChoices, description=lambda value: value.label if value else "Where a background job is."
)


class Job(ModelType):
    """Background work and how far it got. ``result`` holds what the work returned (JSON) once it succeeded;
    a failed job has an error code and a message that can be shown to whoever started it."""

    class Meta:
        model = JobModel
        fields = (
            "kind",
            "key",
            "steps_done",
            "steps_total",
            "step_label",
            "error_code",
            "error_message",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection

    status = graphene.Field(JobStatus, required=True)
    percent = graphene.Int(required=True, description="0–100; 100 once it succeeded.")
    result = graphene.JSONString(description="What the work returned (JSON), once it succeeded.")
    created_by = graphene.String(description="The username of whoever started it.")

    @classmethod
    def access(cls, info, pk):
        return services.access_job(actor(info), pk)

    def resolve_status(self, info):
        return self.status

    def resolve_percent(self, info):
        return self.percent

    def resolve_result(self, info):
        # private parts (an administrator's set-password link) only for whoever started the job
        return services.visible_result(actor(info), self) if self.status == JobStatusChoices.SUCCEEDED else None

    def resolve_created_by(self, info):
        return self.created_by.username if self.created_by_id else None


class FailedTask(ModelType):
    """A task that failed for good (after its retries): what it was, where, and why (no personal data)."""

    class Meta:
        model = FailedTaskModel
        fields = (
            "task_name",
            "task_id",
            "schema_name",
            "args_summary",
            "exception_class",
            "exception_message",
            "retries",
            "failed_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection

    @classmethod
    def access(cls, info, pk):
        return services.access_failed_task(actor(info), pk)
