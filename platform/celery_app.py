"""The one Celery app of Ostoja (DESIGN.md §3), tenant-aware through tenant-schemas-celery: a task sent while a
center's schema is active carries that schema in its message headers (``_schema_name``), and the worker switches to
it before the task runs (and back after it). A task sent from the public schema runs in the public schema.

Configuration comes from Django settings, namespace ``CELERY`` (platform/settings.py): the broker is
``CELERY_BROKER_URL`` (Redis or SQS in production), or by default kombu's ``filesystem://`` transport under
``var/celery`` — its folders are created here, the first time the configuration is read. ``tasks.py`` of every
installed app is discovered.

Run a worker and the beat scheduler (``ostoja up`` starts both next to the web server)::

    celery -A ostoja.platform.celery_app worker --pool=threads --loglevel=INFO
    celery -A ostoja.platform.celery_app beat --loglevel=INFO

Write tasks with ``ostoja.platform.tasks.task`` (not ``celery.shared_task``: without this module imported a shared
task binds to Celery's default app, which knows neither the broker nor the tenants).
"""

from __future__ import annotations

import os
from pathlib import Path

from kombu.transport import TRANSPORT_ALIASES
from tenant_schemas_celery.app import CeleryApp

# filesystem:// with atomic writes (platform/broker.py): kombu's own can lose a message to a polling worker.
TRANSPORT_ALIASES["filesystem"] = "ostoja.platform.broker:Transport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")

app = CeleryApp("ostoja")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Periodic tasks are sent once per active center, or once in the public schema (platform/beat.py).
app.conf.beat_scheduler = "ostoja.platform.beat:CenterScheduler"
app.autodiscover_tasks()  # tasks.py of every installed app
app.autodiscover_tasks(["ostoja.platform"])  # platform/ is no app of its own: its base and diagnostic tasks


def broker_folders(conf) -> list[Path]:
    """The folders the filesystem transport reads and writes (none for any other broker)."""
    if not str(conf.broker_url or "").startswith("filesystem"):
        return []
    options = conf.broker_transport_options or {}
    names = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    return [Path(options[name]) for name in names if options.get(name)]


def ensure_broker_folders(conf=None) -> None:
    """kombu's filesystem transport does not create its folders; a missing one fails the first send or poll."""
    for folder in broker_folders(conf if conf is not None else app.conf):
        folder.mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _create_broker_folders(sender, source, **kwargs):
    ensure_broker_folders(source)


def register_periodic(task_name: str, schedule, *, scope: str = "centers") -> None:
    """Add a task to the beat schedule: sent once per active center (``scope="centers"``) or once in the public
    schema (``scope="platform"``). ``ostoja.platform.tasks.task(schedule=…)`` calls this."""
    app.conf.beat_schedule[task_name] = {
        "task": task_name,
        "schedule": schedule,
        "tenant_schemas": ["public"] if scope == "platform" else None,
    }
