from django.db import migrations


class Migration(migrations.Migration):
    """Extensions are per database and live in one schema: install them in public, which is on every
    center's search_path, so that indexes in center schemas (trigram name search) can use them."""

    dependencies = [("tenants", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
