"""Background jobs: start one (idempotently, per kind and key), run it in a task with progress, see it.

A job lives in the schema of whoever started it: operators' jobs (onboarding) in the public schema, a center's jobs
(programme grants) in its schema. Operators see the platform's jobs; a center's directors and administrators see
all of its jobs, other staff members the jobs they started.

Progress is written on a connection of its own (autocommit) while the work runs inside its transaction, so it can
be read before the work commits; the final state ``succeeded`` is written in the work's transaction (both commit
together); a failure is written after the work's transaction rolled back."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, quote_schema_name, schema_context

from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ServiceError
from ostoja.platform.jobs.models import FailedTask, Job, JobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
Work = Callable[[Job, Progress], dict]

# Staff roles that see every job of their center (others see the jobs they started).
JOB_MANAGER_ROLES = ("director", "deputy_director", "administrator")

INTERNAL_ERROR_MESSAGE = _("An unexpected error stopped the job; operators can see it among the failed tasks.")
TASK_FAILED_MESSAGE = _("The job failed after several attempts; operators can see it among the failed tasks.")
# What a failed task shows operators for an exception that is not one of our service errors: its text may carry
# personal data (a PESEL in a database error, a name in a file writer's complaint), so only its class is kept.
UNEXPECTED_EXCEPTION_MESSAGE = "unexpected error (details in the worker's log)"
# A work's result may name keys only whoever started the job sees (a set-password link): listed under this key.
PRIVATE_KEYS = "_private"


def _jsonable(params: dict) -> dict:
    return json.loads(json.dumps(params, default=str))


def _is_public() -> bool:
    return connection.schema_name == get_public_schema_name()


def _require_viewer(actor):
    """Operators in the public schema, staff members in a center's schema. Returns the staff profile (or None)."""
    if _is_public():
        from ostoja.platform.accounts.services import is_operator

        if actor is None or not getattr(actor, "is_authenticated", False):
            raise PermissionDenied(_("Log in to a platform account first."), code="not_authenticated")
        if not is_operator(actor):
            raise PermissionDenied(_("Only platform operators see background jobs."), code="operator_required")
        return None
    from ostoja.platform.staff.access import staff_profile

    return staff_profile(actor)


# --- Starting -------------------------------------------------------------------------------------------------


def start_job(actor, *, kind: str, key: str, params: dict, task, rerun_finished: bool = False) -> tuple[Job, bool]:
    """The job of ``kind`` for ``key``, created and its task sent when the transaction commits; ``(job, True)``.

    The same work asked for again (a double click, a retried request) while the job is queued or running gives
    the existing job, ``(job, False)``, and sends nothing; other parameters for the same key are a Conflict. A
    failed job is started again with the new parameters; a succeeded one only with ``rerun_finished`` (work that
    may find more to do later, like a programme grant), otherwise it is returned as it is."""
    from ostoja.platform.audit.services import record
    from ostoja.platform.tasks import exclusively

    params = _jsonable(params)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with exclusively(f"jobs.start:{kind}:{key}"):
        job = Job.objects.filter(kind=kind, key=key).first()
        if job is not None and job.status != JobStatus.FAILED:
            if job.params != params:
                raise Conflict(
                    _("A job for “%(key)s” exists with other parameters."),
                    code="job_exists_different",
                    params={"key": key},
                )
            if job.status != JobStatus.SUCCEEDED or not rerun_finished:
                return job, False
        if job is None:
            job = Job.objects.create(kind=kind, key=key, params=params, created_by=user)
        else:
            job.status = JobStatus.QUEUED
            job.params = params
            job.created_by = user
            job.steps_done = job.steps_total = 0
            job.step_label = job.error_code = job.error_message = ""
            job.result = {}
            job.started_at = job.finished_at = None
            job.save()
        record(user, "action", job, message=f"job {kind} started ({key})"[:300])
        task.delay_on_commit(job.pk)
    return job, True


# --- Running --------------------------------------------------------------------------------------------------


class _Reporter:
    """Writes a job's progress where it can be read while the work runs (see the module docstring)."""

    def __init__(self, job: Job):
        self.job = job
        self.schema = connection.schema_name
        # Outside a transaction (a worker): a connection of our own. Inside one (eager tasks in a test, a caller's
        # transaction), the same connection: a second one would not see the uncommitted job row anyway.
        self.side = None if connection.in_atomic_block else connections.create_connection(DEFAULT_DB_ALIAS)

    def update(self, **fields) -> None:
        fields["updated_at"] = timezone.now()
        for name, value in fields.items():
            setattr(self.job, name, value)
        if self.side is None:
            Job.objects.filter(pk=self.job.pk).update(**fields)
            return
        columns = ", ".join(f"{Job._meta.get_field(name).column} = %s" for name in fields)
        table = f"{quote_schema_name(self.schema)}.{Job._meta.db_table}"
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*fields.values(), self.job.pk])  # noqa: S608

    def progress(self, label: str, done: int, total: int) -> None:
        self.update(step_label=str(label)[:200], steps_done=max(0, done), steps_total=max(0, total))

    def fail(self, code: str, message) -> None:
        self.update(
            status=JobStatus.FAILED,
            error_code=str(code)[:60],
            error_message=str(message)[:500],
            finished_at=timezone.now(),
        )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def run_job(job_id: int, work: Work) -> dict | None:
    """Run ``work(job, progress)`` for a queued or running job of the current schema and store what it returns
    (JSON) as the job's result. Idempotent: a job that already finished (a duplicate delivery) is not run again.

    A service error (bad input, a conflict, a refused permission) fails the job with its code and message, and
    the task ends normally (trying again would fail the same way). A transient database error is raised for the
    task to be retried (the job stays running). Any other error fails the job with a generic message and is
    raised: the task fails and is recorded among the failed tasks."""
    from ostoja.platform.tasks import TRANSIENT_ERRORS, exclusively

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Job %s does not exist in %s; nothing to run.", job_id, connection.schema_name)
        return None
    reporter = _Reporter(job)
    try:
        with exclusively(f"jobs.run:{job.pk}"):
            job.refresh_from_db()
            if job.finished:
                return job.result if job.status == JobStatus.SUCCEEDED else None
            reporter.update(
                status=JobStatus.RUNNING,
                started_at=timezone.now(),
                attempts=job.attempts + 1,
                error_code="",
                error_message="",
            )
            result = _jsonable(work(job, reporter.progress) or {})
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.SUCCEEDED,
                result=result,
                steps_done=max(job.steps_done, job.steps_total),
                step_label="",
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            return result
    except ServiceError as exc:
        reporter.fail(exc.code, exc.message)
        return None
    except TRANSIENT_ERRORS:
        raise
    except Exception:
        reporter.fail("internal_error", INTERNAL_ERROR_MESSAGE)
        raise
    finally:
        reporter.close()


def fail_job_of_dead_task(schema: str, job_id) -> None:
    """A job's task failed for good (its retries used up): the job says so, unless it already finished."""
    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        return
    with schema_context(schema):
        Job.objects.filter(pk=pk).exclude(status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED)).update(
            status=JobStatus.FAILED,
            error_code="task_failed",
            error_message=str(TASK_FAILED_MESSAGE)[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


# --- Seeing ---------------------------------------------------------------------------------------------------


def list_jobs(actor, *, kind: str | None = None, status: str | None = None) -> QuerySet[Job]:
    """The jobs ``actor`` may see in the current schema, newest first."""
    profile = _require_viewer(actor)
    jobs = Job.objects.select_related("created_by")
    if profile is not None and not any(role in JOB_MANAGER_ROLES for role in profile.roles):
        jobs = jobs.filter(created_by=actor)
    if kind:
        jobs = jobs.filter(kind=kind)
    if status:
        jobs = jobs.filter(status=status)
    return jobs.order_by("-created_at", "-id")


def access_job(actor, pk: int) -> Job:
    """One job ``actor`` may see; NotFound for the others (also another center's: IDs are per schema). Its
    ``result`` is the one ``actor`` may see (``visible_result``): the object is for reading, never save it."""
    job = list_jobs(actor).filter(pk=pk).first()
    if job is None:
        raise NotFound(_("There is no such job."), code="job_not_found")
    job.result = visible_result(actor, job)
    return job


def visible_result(actor, job: Job) -> dict | None:
    """The job's result as ``actor`` sees it: None until it succeeded; the keys the work marked private (listed
    under ``PRIVATE_KEYS``, such as an administrator's set-password link) only for whoever started the job."""
    if job.status != JobStatus.SUCCEEDED:
        return None
    result = dict(job.result or {})
    private = result.pop(PRIVATE_KEYS, None) or ()
    starter = job.created_by_id is not None and job.created_by_id == getattr(actor, "pk", None)
    if not starter:
        for key in private:
            result.pop(key, None)
    return result


# --- Dead tasks -----------------------------------------------------------------------------------------------


def summarize_arguments(args, kwargs) -> str:
    """The arguments of a task without personal data: numbers, booleans and None as they are, text by its length,
    collections by their size; keyword names kept."""

    def one(value) -> str:
        if value is None or isinstance(value, bool | int | float):
            return repr(value)
        if isinstance(value, str):
            return f"<text:{len(value)}>"
        if isinstance(value, list | tuple | set):
            return f"<{len(value)} items>"
        if isinstance(value, dict):
            return f"<{len(value)} keys>"
        return f"<{type(value).__name__}>"

    parts = [one(value) for value in args or ()]
    parts += [f"{name}={one(value)}" for name, value in sorted((kwargs or {}).items())]
    return ", ".join(parts)[:300]


def safe_exception_message(exception) -> str:
    """What may be shown about an exception without personal data: for our own service errors their code and
    (translated, written by us) message; for anything else a fixed text (the class is recorded separately)."""
    if isinstance(exception, ServiceError):
        return f"{exception.code}: {exception.message}"
    return UNEXPECTED_EXCEPTION_MESSAGE


def record_failed_task(*, task_name: str, task_id: str, schema: str, args, kwargs, exception, retries: int = 0):
    """Store a task's final failure in the public schema, for operators."""
    with schema_context(get_public_schema_name()):
        return FailedTask.objects.create(
            task_name=(task_name or "?")[:200],
            task_id=(task_id or "")[:64],
            schema_name=(schema or "")[:63],
            args_summary=summarize_arguments(args, kwargs),
            exception_class=f"{type(exception).__module__}.{type(exception).__qualname__}"[:200],
            exception_message=safe_exception_message(exception)[:500],
            retries=retries or 0,
        )


def list_failed_tasks(actor, *, task_name: str | None = None, schema: str | None = None) -> QuerySet[FailedTask]:
    """Tasks that died, newest first (operators only, on the platform)."""
    from ostoja.platform.accounts.services import is_operator

    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to a platform account first."), code="not_authenticated")
    if not _is_public() or not is_operator(actor):
        raise PermissionDenied(_("Only platform operators see failed tasks."), code="operator_required")
    tasks = FailedTask.objects.all()
    if task_name:
        tasks = tasks.filter(task_name=task_name)
    if schema:
        tasks = tasks.filter(schema_name=schema)
    return tasks.order_by("-failed_at", "-id")


def access_failed_task(actor, pk: int) -> FailedTask:
    found = list_failed_tasks(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(code="not_found")
    return found
