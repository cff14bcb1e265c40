"""The daily reminders: once per active center (beat), in that center's schema."""

from celery.schedules import crontab

from ostoja.platform.notifications import services
from ostoja.platform.tasks import task


@task(name="notifications.reminders", schedule=crontab(hour=6, minute=0))
def reminders(today: str | None = None) -> int:
    """Reminders of what falls due in the current center; ``today`` (ISO date) for tests and catching up."""
    from datetime import date

    return services.send_reminders(today=date.fromisoformat(today) if today else None)
