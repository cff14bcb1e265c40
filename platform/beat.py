"""The beat scheduler of Ostoja (``app.conf.beat_scheduler``): tenant-schemas-celery's persistent scheduler, which
sends a periodic task once per center with that center's schema in the message, limited to active centers, and
able to send a platform task (``tenant_schemas: ["public"]``) once in the public schema — the public schema has no
Center row, so the library alone would never send it.

Imported by ``celery beat`` after Django is set up (it reads the Center model when imported)."""

from __future__ import annotations

import logging

from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.scheduler import TenantAwarePersistentScheduler

logger = logging.getLogger(__name__)


class CenterScheduler(TenantAwarePersistentScheduler):
    def install_default_entries(self, data):
        """Celery's only default entry cleans a result backend; Ostoja configures none (it would run per center)."""
        if self.app.conf.result_backend:
            super().install_default_entries(data)

    @classmethod
    def get_queryset(cls):
        from ostoja.tenants.models import Center

        return Center.objects.filter(is_active=True)

    def apply_entry(self, entry, producer=None):
        headers = entry.options.setdefault("headers", {})
        if headers.get("_schema_name") == get_public_schema_name():
            with schema_context(get_public_schema_name()):
                try:
                    result = self.apply_async(entry, producer=producer, advance=False)
                except Exception:
                    logger.exception("Sending the platform task %s (%s) failed", entry.name, entry.task)
                else:
                    logger.debug("%s sent in the public schema. id->%s", entry.task, result.id)
            return
        super().apply_entry(entry, producer=producer)
