"""Periodic tasks of the tenants app: the partner figures' snapshots (tenants/snapshots.py)."""

from __future__ import annotations

import datetime

from celery.schedules import crontab
from django.db import connection
from django.utils import timezone

from ostoja.platform.tasks import exclusively, task
from ostoja.tenants.snapshots import compute_snapshots, prepare_published_tables
from ostoja.tenants.statistics import Window, last_completed_windows


@task(name="tenants.partner_snapshots", schedule=crontab(hour=2, minute=30), scope="platform")
def partner_snapshots(today: str | None = None) -> list[str]:
    """Compute (again) the snapshots of the last completed month, quarter, half-year and year for every active
    center, once in the public schema. Idempotent: each window's rows are replaced under an advisory lock, so a
    retry or a duplicate delivery stores the same rows once. ``today`` (ISO date) is for tests and backfills."""
    connection.set_schema_to_public()
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    done = []
    for window in last_completed_windows(day):
        done.append(snapshot_window(window))
    return done


def snapshot_window(window: Window) -> str:
    with exclusively(f"tenants.partner_snapshots:{window.key}"):
        compute_snapshots(window)
    prepare_published_tables(window)
    return window.key


@task(name="tenants.onboard_center", job_task=True)
def onboard_center_task(job_id: int):
    """Run the onboarding job ``job_id`` (tenants/tasks_onboarding.py), in the public schema."""
    from ostoja.platform.jobs.services import run_job
    from ostoja.tenants.tasks_onboarding import run_center_onboarding

    connection.set_schema_to_public()
    return run_job(job_id, run_center_onboarding)
