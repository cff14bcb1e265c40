"""The base of every Ostoja task, and a diagnostic task family.

Write a task family as ``<app>/tasks.py`` (discovered by platform/celery_app.py)::

    from ostoja.platform.tasks import task

    @task(name="cases.send_reminders", schedule=crontab(hour=6, minute=0))   # once per active center, daily
    def send_reminders(days_ahead: int = 3):
        return reminders_services.send_due(days_ahead=days_ahead)          # the rules live in the service

- The schema the task runs in is the one active when it was sent (``with schema_context("torun"): t.delay()``),
  or each active center's for a periodic task (``scope="platform"``: the public schema once).
- Arguments are JSON: ids and plain values, never model instances.
- Every task is ``acks_late`` (a message is acknowledged after the task ends, so a worker that dies mid-task leaves
  it to be delivered again) and retried with exponential backoff on transient errors (TRANSIENT_ERRORS). Therefore
  a task may run twice for one request: its effect must be idempotent — keyed by what it does (a unique
  constraint, ``get_or_create``, or a check under ``exclusively(key)``), never by the task id.
- Send from inside a transaction with ``t.delay_on_commit(...)``: the worker sees only committed rows.
"""

from __future__ import annotations

import functools
import hashlib
from contextlib import contextmanager

from django.db import InterfaceError, OperationalError, connection, transaction
from tenant_schemas_celery.task import headers_with_schema

from ostoja.platform.celery_app import app, register_periodic

# Errors worth another attempt: the database restarted, a connection dropped, a lock or serialization timeout.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


class OstojaTask(app.Task):
    """Tenant-aware (the schema travels in the message), acknowledged late, retried with backoff."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    max_retries = 5
    retry_backoff = True  # 1 s, 2 s, 4 s … (with full jitter), at most retry_backoff_max
    retry_backoff_max = 300
    retry_jitter = True

    def apply_async_on_commit(self, args=None, kwargs=None, **options):
        """Send when the current transaction commits, in the schema active NOW (not the one active at commit)."""
        options["headers"] = headers_with_schema(options.get("headers") or {})
        transaction.on_commit(functools.partial(self.apply_async, args, kwargs, **options))

    def delay_on_commit(self, *args, **kwargs):
        self.apply_async_on_commit(args, kwargs)


def task(*args, schedule=None, scope: str = "centers", **options):
    """``@task`` or ``@task(name=…, schedule=…, scope=…, **celery_options)``: a task of the Ostoja app.

    With ``schedule`` (seconds, a timedelta or a ``crontab``) beat sends it periodically: once per active center
    (``scope="centers"``) or once in the public schema (``scope="platform"``)."""
    if scope not in ("centers", "platform"):
        raise ValueError(f"scope must be 'centers' or 'platform', not {scope!r}")

    def decorate(func):
        created = app.task(base=OstojaTask, **options)(func)
        if schedule is not None:
            register_periodic(created.name, schedule, scope=scope)
        return created

    if len(args) == 1 and callable(args[0]) and not options and schedule is None:
        return decorate(args[0])
    if args:
        raise TypeError("task() takes keyword arguments only")
    return decorate


@contextmanager
def exclusively(key: str):
    """A transaction holding a PostgreSQL advisory lock on ``key`` in the current schema: two deliveries of the
    same work (a retry, a duplicate message, two workers) run their check-then-write one after the other, so the
    second one sees the first one's effect and skips it::

        with exclusively(f"reminder:{interview.pk}:{due}"):
            if not Notification.objects.filter(key=...).exists():
                Notification.objects.create(...)
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [advisory_lock_id(key)])
        yield


def advisory_lock_id(key: str, schema_name: str | None = None) -> int:
    """The 64-bit PostgreSQL advisory lock number of ``key`` in a schema (the current one by default)."""
    digest = hashlib.blake2b(f"{schema_name or connection.schema_name}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# --- Diagnostics: is a worker running, in which schema, and do retries stay idempotent? --------------------------

PING_OBJECT_TYPE = "platform.ping"
PING_DONE_OBJECT_TYPE = "platform.ping.done"


@task(name="platform.ping")
def ping() -> str:
    """The schema the worker ran the task in (useful with a result backend or in eager mode)."""
    return connection.schema_name


@task(name="platform.ping_audit", bind=True)
def ping_audit(self, key: str, fail_times: int = 0) -> str:
    """Write one audit entry ``platform.ping``/``key`` (its message: the schema the task ran in), once however
    often the task is delivered; then fail with a transient error on the first ``fail_times`` attempts, which
    retries the task (its effect is already there: a retry must not write it again). The attempt that succeeds
    writes ``platform.ping.done``/``key`` with the number of retries it took."""
    from ostoja.platform.audit.models import AuditEntry
    from ostoja.platform.audit.services import record

    with exclusively(f"{PING_OBJECT_TYPE}:{key}"):
        if not AuditEntry.objects.filter(object_type=PING_OBJECT_TYPE, object_id=key).exists():
            record(
                None,
                "action",
                object_type=PING_OBJECT_TYPE,
                object_id=key,
                message=f"schema={connection.schema_name} attempt={self.request.retries}",
            )
    if self.request.retries < fail_times:
        raise OperationalError(f"diagnostic transient failure {self.request.retries + 1} of {fail_times}")
    with exclusively(f"{PING_DONE_OBJECT_TYPE}:{key}"):
        if not AuditEntry.objects.filter(object_type=PING_DONE_OBJECT_TYPE, object_id=key).exists():
            record(
                None,
                "action",
                object_type=PING_DONE_OBJECT_TYPE,
                object_id=key,
                message=f"retries={self.request.retries}",
            )
    return connection.schema_name
