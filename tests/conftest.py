"""Test set-up: one real PostgreSQL (embedded unless DATABASE_URL is set), the template schema
migrated with the test database, and the three demo centers cloned once per session."""

import unittest
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

DEMO_CENTERS = [
    # slug, official name, short name, city, voivodeship
    ("torun", "Miejski Ośrodek Pomocy Rodzinie w Toruniu", "MOPR Toruń", "Toruń", "kujawsko-pomorskie"),
    ("slupsk", "Miejski Ośrodek Pomocy Rodzinie w Słupsku", "MOPR Słupsk", "Słupsk", "pomorskie"),
    ("gdansk", "Miejski Ośrodek Pomocy Rodzinie w Gdańsku", "MOPR Gdańsk", "Gdańsk", "pomorskie"),
]


def host(slug: str | None = None) -> str:
    """The host name of a center, or of the platform when no slug is given."""
    return f"{slug}.{settings.BASE_DOMAIN}" if slug else settings.BASE_DOMAIN


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from ostoja.tenants.config_loader import demo_config, load_center_config
    from ostoja.tenants.models import Center, Domain

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for slug, name, short, city, voivodeship in DEMO_CENTERS:
            center = Center(
                schema_name=slug, name=name, short_name=short, city=city, voivodeship=voivodeship, kind="MOPR"
            )
            center.save(verbosity=0)
            Domain.objects.create(domain=host(slug), tenant=center, is_primary=True)
            with schema_context(slug):
                load_center_config(demo_config(slug), actor=None)
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _back_to_public(request):
    """Leave every pytest-style test on the public schema (not unittest classes: DESIGN.md §6)."""
    yield
    if not isinstance(getattr(request, "instance", None), unittest.TestCase):
        connection.set_schema_to_public()


def _center(slug):
    from ostoja.tenants.models import Center

    return Center.objects.get(schema_name=slug)


@pytest.fixture
def torun(db):
    return _center("torun")


@pytest.fixture
def slupsk(db):
    return _center("slupsk")


@pytest.fixture
def gdansk(db):
    return _center("gdansk")


@pytest.fixture
def in_schema():
    """``with in_schema("torun"): ...`` runs ORM code inside a center's schema."""

    @contextmanager
    def _in(slug):
        with schema_context(slug):
            yield

    return _in


@pytest.fixture
def client_for():
    """``client_for("torun")`` is a test client that talks to the Toruń host; ``client_for()`` to the platform."""

    def _make(slug=None, **kwargs):
        return Client(HTTP_HOST=host(slug), **kwargs)

    return _make
