"""Operators' view of the platform's background jobs and of the tasks that died."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import ConnectionField, enum_value
from ostoja.graphql.platform.access import require_platform_account
from ostoja.graphql.platform.jobs.types import FailedTask, Job, JobStatus
from ostoja.platform.jobs import services


class JobsQueries(graphene.ObjectType):
    jobs = ConnectionField(
        Job,
        kind=graphene.String(description="For example “tenants.onboard_center”."),
        status=JobStatus(),
        description="The platform's background jobs, newest first (operators only).",
    )
    job = graphene.Field(Job, id=graphene.ID(required=True), description="One job and its progress (operators only).")
    failed_tasks = ConnectionField(
        FailedTask,
        task_name=graphene.String(),
        schema_name=graphene.String(description="The center's schema (“public” for the platform)."),
        description="Tasks that failed for good, newest first (operators only).",
    )

    def resolve_jobs(self, info, kind=None, status=None, **_page):
        require_platform_account(info)
        return services.list_jobs(actor(info), kind=kind, status=enum_value(status))

    def resolve_job(self, info, id):
        require_platform_account(info)
        return services.access_job(actor(info), decode_id(id, "Job"))

    def resolve_failed_tasks(self, info, task_name=None, schema_name=None, **_page):
        require_platform_account(info)
        return services.list_failed_tasks(actor(info), task_name=task_name, schema=schema_name)
