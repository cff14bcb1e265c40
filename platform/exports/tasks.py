"""Export tasks: build one export (sent by ``services.request_export`` after the commit) and the daily purge of
expired files. The rules are in platform/exports/services.py."""

from celery.schedules import crontab

from ostoja.platform.exports import services
from ostoja.platform.tasks import TRANSIENT_ERRORS, task


@task(name="exports.build")
def build_export(export_id: int) -> str:
    """Idempotent: a second delivery for a built (or failed, or expired) export does nothing."""
    try:
        return services.build(export_id)
    except TRANSIENT_ERRORS:
        raise  # retried with backoff
    except Exception as exc:
        services.fail(export_id, exc)  # a code and a fixed message: the exception's text may quote the data
        raise


@task(name="exports.purge", schedule=crontab(hour=3, minute=0))
def purge_expired_exports() -> int:
    return services.purge_expired()
