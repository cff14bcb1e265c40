"""The tenant-aware Celery foundation (platform/celery_app.py, platform/tasks.py), with a real worker process and the
default broker (kombu's filesystem transport in a folder of this test run), and in eager mode.

The worker fixture, ``celery_worker``, starts ``celery -A ostoja.platform.celery_app worker --pool=solo`` against
the TEST database; tests that use it must commit what the worker reads, so they are ``transaction=True`` and use
``committed_centers`` (see its docstring: such tests flush the public schema, DESIGN.md §6)."""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from urllib.parse import quote

import kombu.pools
import pytest
from celery.schedules import crontab
from django.db import connection
from django_tenants.utils import schema_context

from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.celery_app import app, broker_folders, ensure_broker_folders
from ostoja.platform.tasks import (
    PING_DONE_OBJECT_TYPE,
    PING_OBJECT_TYPE,
    OstojaTask,
    advisory_lock_id,
    exclusively,
    ping,
    ping_audit,
    task,
)

DEMO_SLUGS = ("torun", "slupsk", "gdansk")
WORKER_START_SECONDS = 60
TASK_SECONDS = 30


def wait_for(predicate, *, timeout: float = TASK_SECONDS, what: str = "the condition", log=None):
    """Poll ``predicate`` every 50 ms until it returns something truthy (returned), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = "\n".join((log or [])[-40:])
            pytest.fail(f"{what} did not happen within {timeout:g} s.\nWorker log:\n{tail}")
        time.sleep(0.05)


def ping_rows(slug: str, key: str, object_type: str = PING_OBJECT_TYPE) -> list[str]:
    with schema_context(slug):
        return list(AuditEntry.objects.filter(object_type=object_type, object_id=key).values_list("message", flat=True))


# --- Database state for tests whose data the worker must see ----------------------------------------------------


def ensure_demo_centers() -> None:
    """Recreate the Center and Domain rows of the demo centers after a flush; their schemas (with the session's
    configuration) survive it, so nothing is cloned: ``create_schema`` skips an existing schema."""
    from conftest import DEMO_CENTERS, host

    from ostoja.tenants.models import Center, Domain

    connection.set_schema_to_public()
    for slug, name, short, city, voivodeship in DEMO_CENTERS:
        center = Center.objects.filter(schema_name=slug).first()
        if center is None:
            center = Center(
                schema_name=slug, name=name, short_name=short, city=city, voivodeship=voivodeship, kind="MOPR"
            )
            center.save(verbosity=0)
        Domain.objects.get_or_create(domain=host(slug), defaults={"tenant": center, "is_primary": True})


def delete_ping_rows() -> None:
    for slug in DEMO_SLUGS:
        with schema_context(slug):
            AuditEntry.objects.filter(object_type__in=[PING_OBJECT_TYPE, PING_DONE_OBJECT_TYPE]).delete()
    connection.set_schema_to_public()


@pytest.fixture(scope="module", autouse=True)
def _demo_centers_after_this_module(django_db_setup, django_db_blocker):
    """Module scope: torn down after the last test's flush, it leaves the demo centers as later tests expect."""
    yield
    with django_db_blocker.unblock():
        ensure_demo_centers()
        delete_ping_rows()


@pytest.fixture
def committed_centers(transactional_db):
    """For ``transaction=True`` tests: the demo centers exist (an earlier transactional test's flush removed their
    public rows) and the tenant rows the worker commits are removed again (the flush empties only the public
    schema)."""
    ensure_demo_centers()
    yield
    delete_ping_rows()


# --- The worker ------------------------------------------------------------------------------------------------


def database_url() -> str:
    """The TEST database (pytest-django renamed it in settings_dict) as a URL; a socket folder as host is quoted
    (platform/settings.py unquotes it)."""
    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    host = quote(s["HOST"] or "localhost", safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(s['NAME'], safe='')}"


def use_broker(url: str, transport_options: dict) -> None:
    """Point this process's app (the one sending) at a broker; cached connections to the old one are dropped.
    (Celery reads CELERY_BROKER_URL from the environment before its configuration: the fixture removes it.)"""
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)
    kombu.pools.reset()
    ensure_broker_folders()


class Worker:
    def __init__(self, var_dir):
        self.var_dir = var_dir
        self.log: list[str] = []
        self.ready = threading.Event()
        self.process: subprocess.Popen | None = None

    def start(self):
        env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_NAME", "CELERY_BROKER_URL")}
        env.update(
            DATABASE_URL=database_url(),
            OSTOJA_VAR_DIR=str(self.var_dir),  # the broker folders: var/celery/…
            CELERY_TASK_ALWAYS_EAGER="false",
            PYTHONUNBUFFERED="1",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ostoja.platform.celery_app", "worker", "--pool=solo"]
            + ["--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not self.ready.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = "\n".join(self.log[-60:])
                pytest.fail(f"The Celery worker did not become ready (exit code {self.process.returncode}):\n{tail}")

    def _read(self):
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            if " ready." in line:
                self.ready.set()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # warm shutdown: the current task ends first
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, tmp_path_factory):
    """A real worker process (solo pool: one process, one task at a time) on the test database, reading a broker
    folder of its own; this process sends to the same folder. Stopped, and the sending app pointed back at the
    configured broker, at the end of the module."""
    var_dir = tmp_path_factory.mktemp("celery-var")
    queue = var_dir / "celery"
    saved = (app.conf.broker_url, dict(app.conf.broker_transport_options or {}))
    saved_env = os.environ.pop("CELERY_BROKER_URL", None)
    use_broker(
        "filesystem://",
        {
            "data_folder_in": str(queue / "queue"),
            "data_folder_out": str(queue / "queue"),
            "processed_folder": str(queue / "processed"),
            "control_folder": str(queue / "control"),
            "store_processed": False,
            "polling_interval": 0.05,
        },
    )
    worker = Worker(var_dir)
    worker.start()
    yield worker
    worker.stop()
    if saved_env is not None:
        os.environ["CELERY_BROKER_URL"] = saved_env
    use_broker(*saved)


# --- Eager mode (unit tests of task families) -----------------------------------------------------------------


@pytest.fixture
def eager():
    """Tasks run in the calling process; for unit tests of a task family's code. ``.get()`` of the result raises
    the task's error. (``task_eager_propagates`` stays off: with it Celery raises a retry instead of retrying.)"""
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def test_eager_task_runs_in_the_schema_it_was_sent_from(eager, torun, slupsk):
    with schema_context("torun"):
        assert ping.delay().get() == "torun"
        assert connection.schema_name == "torun"  # the schema active before the task, restored after it
    with schema_context("slupsk"):
        assert ping.apply_async().get() == "slupsk"
    assert ping.delay().get() == "public"


def test_eager_retry_does_not_duplicate_the_effect(eager, torun):
    key = uuid.uuid4().hex
    with schema_context("torun"):
        assert ping_audit.delay(key, fail_times=2).get() == "torun"
    assert ping_rows("torun", key) == ["schema=torun attempt=0"]
    assert ping_rows("torun", key, PING_DONE_OBJECT_TYPE) == ["retries=2"]
    assert ping_rows("slupsk", key) == []


def test_delay_on_commit_sends_in_the_schema_active_when_called(eager, torun, django_capture_on_commit_callbacks):
    key = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=False) as callbacks, schema_context("torun"):
        ping_audit.delay_on_commit(key)
    assert ping_rows("torun", key) == []  # nothing before the commit
    for callback in callbacks:  # "commits" in the public schema; the message still says Toruń
        callback()
    assert ping_rows("torun", key) == ["schema=torun attempt=0"]


def test_every_task_is_acknowledged_late_and_retried_with_backoff():
    from django.db import OperationalError

    assert isinstance(ping_audit, OstojaTask)
    assert ping_audit.acks_late and ping_audit.reject_on_worker_lost
    assert OperationalError in ping_audit.autoretry_for
    assert ping_audit.retry_backoff and ping_audit.retry_jitter and ping_audit.max_retries == 5


def test_a_scheduled_task_is_registered_for_beat_per_center_or_for_the_platform():
    @task(name="tests.every_center", schedule=crontab(hour=6, minute=0))
    def every_center():
        return connection.schema_name

    @task(name="tests.platform_once", schedule=timedelta(hours=1), scope="platform")
    def platform_once():
        return connection.schema_name

    try:
        assert app.conf.beat_schedule["tests.every_center"]["tenant_schemas"] is None  # every active center
        assert app.conf.beat_schedule["tests.platform_once"]["tenant_schemas"] == ["public"]
        assert every_center.acks_late
    finally:
        app.conf.beat_schedule.pop("tests.every_center", None)
        app.conf.beat_schedule.pop("tests.platform_once", None)
    with pytest.raises(ValueError, match="scope"):
        task(name="tests.bad", schedule=60, scope="everywhere")


def test_exclusively_serialises_the_same_key_only(committed_centers):
    """While one transaction holds ``exclusively(key)``, another connection cannot take the same key (in the same
    schema); another key, or the same key of another center, is free; the lock ends with the transaction."""
    import psycopg

    s = connection.settings_dict
    other = psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], dbname=s["NAME"], autocommit=True)
    try:
        other.execute("SET lock_timeout = '200ms'")
        with schema_context("torun"), exclusively("same"):
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("SELECT pg_advisory_lock(%s)", [advisory_lock_id("same", "torun")])
            for free in (advisory_lock_id("another", "torun"), advisory_lock_id("same", "slupsk")):
                other.execute("SELECT pg_advisory_lock(%s)", [free])
                other.execute("SELECT pg_advisory_unlock(%s)", [free])
        other.execute("SELECT pg_advisory_lock(%s)", [advisory_lock_id("same", "torun")])  # released at commit
    finally:
        other.close()


def test_filesystem_broker_folders_come_from_the_settings(tmp_path):
    from types import SimpleNamespace

    conf = SimpleNamespace(
        broker_url="filesystem://",
        broker_transport_options={
            "data_folder_in": str(tmp_path / "q"),
            "processed_folder": str(tmp_path / "p"),
            "control_folder": str(tmp_path / "c"),
        },
    )
    ensure_broker_folders(conf)
    assert (tmp_path / "q").is_dir() and (tmp_path / "p").is_dir() and (tmp_path / "c").is_dir()
    assert broker_folders(SimpleNamespace(broker_url="redis://localhost:6379/0", broker_transport_options={})) == []


# --- A real worker ---------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_runs_each_task_in_the_schema_it_was_sent_from(committed_centers, celery_worker):
    torun_key, slupsk_key = uuid.uuid4().hex, uuid.uuid4().hex
    with schema_context("torun"):
        ping_audit.delay(torun_key)
    with schema_context("slupsk"):
        ping_audit.delay(slupsk_key)

    log = celery_worker.log
    wait_for(lambda: ping_rows("torun", torun_key, PING_DONE_OBJECT_TYPE), what="the Toruń task", log=log)
    wait_for(lambda: ping_rows("slupsk", slupsk_key, PING_DONE_OBJECT_TYPE), what="the Słupsk task", log=log)
    assert ping_rows("torun", torun_key) == ["schema=torun attempt=0"]
    assert ping_rows("slupsk", slupsk_key) == ["schema=slupsk attempt=0"]
    # each in its own schema only, and nothing in a third center
    assert ping_rows("slupsk", torun_key) == [] and ping_rows("torun", slupsk_key) == []
    assert ping_rows("gdansk", torun_key) == [] and ping_rows("gdansk", slupsk_key) == []
    assert celery_worker.process.poll() is None  # one worker process ran both


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_retries_and_duplicates_do_not_duplicate_the_effect(committed_centers, celery_worker):
    key = uuid.uuid4().hex
    with schema_context("gdansk"):
        first = ping_audit.delay(key, fail_times=2)  # effect written, then two transient failures, retried
        second = ping_audit.delay(key, fail_times=2)  # the same work delivered again, as after a lost acknowledgement

    log = celery_worker.log
    for message in (first, second):
        wait_for(lambda m=message: any(f"[{m.id}] succeeded" in line for line in log), what="a success", log=log)
    for message in (first, second):
        retries = [line for line in log if f"[{message.id}] retry" in line]
        assert len(retries) == 2, "\n".join(log[-40:])
    assert ping_rows("gdansk", key) == ["schema=gdansk attempt=0"]
    assert ping_rows("gdansk", key, PING_DONE_OBJECT_TYPE) == ["retries=2"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_beat_sends_a_periodic_task_to_every_active_center_or_once_to_the_platform(
    committed_centers, celery_worker, tmp_path
):
    from ostoja.platform.beat import CenterScheduler
    from ostoja.tenants.models import Center

    Center.objects.filter(schema_name="gdansk").update(is_active=False)
    centers_key, platform_key = uuid.uuid4().hex, uuid.uuid4().hex
    scheduler = CenterScheduler(app=app, schedule_filename=str(tmp_path / "beat"), lazy=True)
    schedule = scheduler._tenant_aware_beat_schedule_to_dict(
        {
            "centers": {"task": "platform.ping_audit", "schedule": 60, "args": (centers_key,), "tenant_schemas": None},
            "platform": {
                "task": "platform.ping_audit",
                "schedule": 60,
                "args": (platform_key,),
                "tenant_schemas": ["public"],
            },
        }
    )
    for name, fields in schedule.items():
        scheduler.apply_entry(scheduler.Entry(name=name, app=app, **fields))

    log = celery_worker.log
    for slug in ("torun", "slupsk"):
        wait_for(lambda s=slug: ping_rows(s, centers_key, PING_DONE_OBJECT_TYPE), what=f"the {slug} run", log=log)
        assert ping_rows(slug, centers_key) == [f"schema={slug} attempt=0"]
    wait_for(lambda: ping_rows("public", platform_key, PING_DONE_OBJECT_TYPE), what="the platform run", log=log)
    assert ping_rows("public", platform_key) == ["schema=public attempt=0"]
    # the folder broker delivers in the order sent, and the solo worker runs one task at a time: had Gdańsk been
    # sent a message (before the platform's), it would have run by now
    assert ping_rows("gdansk", centers_key) == []  # inactive
    assert ping_rows("torun", platform_key) == []


def test_the_filesystem_broker_writes_messages_atomically(tmp_path, monkeypatch):
    """kombu's own transport creates a message file before writing it, and a polling worker may take it empty (the
    message is lost). Ours renames a complete file into place: a file with a message name is never empty."""
    import kombu

    from ostoja.platform import broker

    folder = tmp_path / "queue"
    folder.mkdir()
    seen = []
    real_replace = os.replace

    def replace(source, target):
        seen.append((os.path.getsize(source) > 0, os.path.exists(target), os.listdir(folder)))
        return real_replace(source, target)

    monkeypatch.setattr(broker.os, "replace", replace)
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "processed_folder": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
    }
    with kombu.Connection("filesystem://", transport_options=options) as connection:
        assert isinstance(connection.transport, broker.Transport)
        queue = connection.SimpleQueue("atomic")
        queue.put({"n": 1})
        (complete, existed, listing), *_ = seen
        assert complete and not existed
        assert not any(name.endswith(".atomic.msg") for name in listing), "no message file before it is complete"
        assert queue.get(timeout=2).payload == {"n": 1}
        queue.close()
