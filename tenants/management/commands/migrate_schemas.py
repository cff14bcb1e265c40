"""django-tenants' migrate_schemas, plus the template schema that new centers are cloned from.

The template is no tenant row, so the stock command would skip it and clones would go stale
(DESIGN.md §6). Here every run that migrates all tenants migrates the template too, creating it
on first use. Migrating the public schema also creates the tables of the database caches.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.utils import schema_exists


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        if self.sync_public:
            connection.set_schema_to_public()
            call_command("createcachetable", verbosity=0)  # the database caches (settings.CACHES), in public
        if self.sync_tenant and not options.get("schema_name"):
            migrate_template(self.executor, self.args, self.options)


def migrate_template(executor_codename, args, options) -> None:
    from django_tenants.migration_executors import get_executor

    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{template}"')
    executor = get_executor(codename=executor_codename)(args, options)
    executor.run_migrations(tenants=[template])
    connection.set_schema_to_public()
