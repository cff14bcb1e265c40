"""A center created by cloning the template has exactly the structure and migration records of a center
created by running every migration: tables, columns (name, type, nullability, default, identity), indexes,
constraints, sequences, django_migrations rows, content types and permissions."""

import pytest
from django.db import connection
from django.test.utils import override_settings
from django_tenants.utils import schema_context

from ostoja.tenants.models import Center

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _rows(sql, schema):
    with connection.cursor() as cursor:
        cursor.execute(sql, [schema])
        return sorted(
            tuple(str(v).replace(f'"{schema}".', "").replace(f"{schema}.", "") for v in row) for row in cursor
        )


def structure(schema: str) -> dict:
    return {
        "tables": _rows("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = %s", schema),
        "columns": _rows(
            """SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,
                      is_nullable, column_default, is_identity, identity_generation
               FROM information_schema.columns WHERE table_schema = %s""",
            schema,
        ),
        "indexes": _rows("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s", schema),
        "constraints": _rows(
            """SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)
               FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
               JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = %s""",
            schema,
        ),
        "sequences": _rows(
            """SELECT sequence_name, data_type, start_value, increment, maximum_value
               FROM information_schema.sequences WHERE sequence_schema = %s""",
            schema,
        ),
        "triggers": _rows(
            "SELECT event_object_table, trigger_name, action_statement FROM information_schema.triggers "
            "WHERE trigger_schema = %s",
            schema,
        ),
    }


def records(schema: str) -> dict:
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted(cursor.fetchall())
        cursor.execute("SELECT app_label, model FROM django_content_type")
        content_types = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT ct.app_label, p.codename FROM auth_permission p "
            "JOIN django_content_type ct ON ct.id = p.content_type_id"
        )
        permissions = sorted(cursor.fetchall())
    return {"migrations": migrations, "content_types": content_types, "permissions": permissions}


def _center(slug):
    center = Center(schema_name=slug, name=slug, short_name=slug, city="Test", voivodeship="pomorskie")
    center.save(verbosity=0)
    connection.set_schema_to_public()
    return center


def test_a_cloned_center_equals_a_migrated_one():
    _center("cloned")
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        _center("migrated")

    cloned, migrated = structure("cloned"), structure("migrated")
    assert cloned["tables"], "the clone has no tables"
    for part in cloned:
        assert cloned[part] == migrated[part], f"{part} differ between the clone and the migrated schema"

    cloned_records, migrated_records = records("cloned"), records("migrated")
    assert len(cloned_records["migrations"]) > 5
    assert cloned_records == migrated_records


def test_a_clone_keeps_the_names_of_named_unique_constraints():
    """clone_schema() would rename them to <table>_<cols>_key; a later RemoveConstraint by name needs them."""
    _center("cloned")
    names = {row[1] for row in structure("cloned")["constraints"]}
    assert "one_closure_per_date_and_kind" in names
    from django.conf import settings

    assert names == {row[1] for row in structure(settings.TENANT_BASE_SCHEMA)["constraints"]}
