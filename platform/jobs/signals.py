"""Dead tasks made visible: Celery's ``task_failure`` (sent once a task failed for good — a retried attempt sends
``task_retry`` instead) is recorded in the public ``FailedTask`` table, and a job whose task died says so.
Connected when the jobs app is ready (JobsConfig.ready), so in every worker and web process."""

from __future__ import annotations

import logging

from celery.signals import task_failure
from django.db import connection

logger = logging.getLogger(__name__)


def _schema_of(sender) -> str:
    request = getattr(sender, "request", None)
    headers = getattr(request, "headers", None) or {}
    schema = headers.get("_schema_name") if isinstance(headers, dict) else None
    if not schema and request is not None:
        schema = getattr(request, "_schema_name", None)
    return schema or connection.schema_name


@task_failure.connect(dispatch_uid="ostoja.jobs.record_failed_task")
def on_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **_extra):
    from ostoja.platform.jobs.services import fail_job_of_dead_task, record_failed_task

    schema = _schema_of(sender)
    name = getattr(sender, "name", None) or str(sender)
    retries = getattr(getattr(sender, "request", None), "retries", 0) or 0
    try:
        record_failed_task(
            task_name=name,
            task_id=task_id,
            schema=schema,
            args=args,
            kwargs=kwargs,
            exception=exception,
            retries=retries,
        )
        if getattr(sender, "job_task", False):
            job_id = (kwargs or {}).get("job_id", (args or [None])[0])
            fail_job_of_dead_task(schema, job_id)
    except Exception:  # recording must never take the worker down
        logger.exception("Could not record the failure of task %s (%s)", name, task_id)
