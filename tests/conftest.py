"""Test set-up: one real PostgreSQL (embedded unless DATABASE_URL is set), the template schema
migrated with the test database, and the three demo centers cloned once per session."""

import json
import unittest
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
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
    """Leave every pytest-style test on the public schema (not unittest classes: DESIGN.md §6), with an empty
    cache: entries written inside a test (host lookups, lockout counters) describe data its rollback undid."""
    yield
    cache.clear()
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


# --- GraphQL -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _strict_graphql_error_codes():
    """A mutation that reports an error code it does not declare fails the test (graphql/core/mutations.py)."""
    settings.OSTOJA_GRAPHQL_STRICT_ERROR_CODES = True


class GraphQLClient:
    """Posts GraphQL documents to ``/graphql/`` of a center host (or the platform host when ``slug`` is None),
    logged in as ``user`` (session) or with an API ``token``."""

    def __init__(self, slug=None, *, user=None, token=None, enforce_csrf_checks=False):
        self.slug = slug
        self.client = Client(HTTP_HOST=host(slug), enforce_csrf_checks=enforce_csrf_checks)
        if user is not None:
            with schema_context(slug or "public"):
                self.client.force_login(user)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def post(self, query, variables=None, *, path="/graphql/", **extra):
        body = json.dumps({"query": query, "variables": variables or {}})
        return self.client.post(path, data=body, content_type="application/json", **self.headers, **extra)

    def __call__(self, query, variables=None, **extra) -> dict:
        """The JSON response of a request that must have been answered 200."""
        response = self.post(query, variables, **extra)
        assert response.status_code == 200, response.content.decode()
        return response.json()

    def data(self, query, variables=None) -> dict:
        """``data`` of a response that must carry no top-level errors."""
        body = self(query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def mutate(self, query, variables=None) -> dict:
        """The payload of a one-field mutation document (whatever its ``errors`` say)."""
        (payload,) = self.data(query, variables).values()
        return payload


@pytest.fixture
def gql():
    """``gql("torun", user=u)("{ me { username } }")``; see GraphQLClient."""
    return GraphQLClient


def error_codes(body_or_payload) -> list[str]:
    """Codes of a GraphQL response's top-level errors, or of a mutation payload's ``errors``."""
    if "errors" not in body_or_payload or body_or_payload["errors"] is None:
        return []
    return [e.get("code") or e.get("extensions", {}).get("code") for e in body_or_payload["errors"]]


@pytest.fixture
def codes():
    return error_codes


@pytest.fixture
def count_sql():
    """``with count_sql() as sql: ...`` then ``sql.n`` real statements (django-tenants' SET search_path left out,
    DESIGN.md §6) and ``sql.queries`` their text."""

    @contextmanager
    def _count():
        result = SimpleNamespace(n=0, queries=[])
        with CaptureQueriesContext(connection) as captured:
            yield result
        result.queries = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]
        result.n = len(result.queries)

    return _count
