"""Periodic tasks of the documents app."""

from celery.schedules import crontab

from ostoja.platform.documents import services
from ostoja.platform.tasks import task


@task(name="documents.purge_abandoned_uploads", schedule=crontab(hour=3, minute=30))
def purge_abandoned_uploads() -> int:
    """Once a day in every center: uploads that were requested but never confirmed, and their objects, go."""
    return services.purge_abandoned_uploads()
