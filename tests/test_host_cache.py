"""The host → center lookup is cached (one statement less per request) and forgotten when a center or a domain
changes, so a suspended center or a removed host stops being served at once."""

import pytest

from ostoja.tenants.models import Center, Domain
from ostoja.tenants.onboarding import deactivate_center

pytestmark = pytest.mark.django_db


def _domain_lookups(count_sql, client):
    with count_sql() as sql:
        client.get("/")
    return [q for q in sql.queries if "tenants_domain" in q]


def test_a_known_host_is_looked_up_once(client_for, count_sql, torun):
    client = client_for("torun")
    assert len(_domain_lookups(count_sql, client)) == 1
    assert _domain_lookups(count_sql, client) == [], "the second request must take the center from the cache"


def test_deactivation_and_domain_changes_are_seen_at_once(client_for, torun):
    client = client_for("torun")
    assert client.get("/").status_code == 200
    deactivate_center(None, "torun")
    assert client.get("/").status_code == 503

    Center.objects.filter(pk=torun.pk).update(is_active=True)  # bypasses signals: the cache still says suspended
    assert client.get("/").status_code == 503
    Domain.objects.filter(tenant=torun).first().save()  # any save of a Domain forgets every cached host
    assert client.get("/").status_code == 200

    Domain.objects.filter(tenant=torun).delete()
    assert client.get("/").status_code == 404


def test_cache_can_be_turned_off(client_for, count_sql, torun, settings):
    settings.OSTOJA_HOST_CACHE_SECONDS = 0
    client = client_for("torun")
    _domain_lookups(count_sql, client)
    assert len(_domain_lookups(count_sql, client)) == 1
