"""`ostoja demo` adopts the session centers (same parameters), loads their configuration, creates demo staff in
every role, an operator and a partner, runs the module seeders inside each center's schema, and is idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django_tenants.utils import schema_context

from ostoja.platform.staff.models import Role
from ostoja.tenants.management.commands.demo import DEMO_PASSWORD
from ostoja.tenants.models import Center, Partnership

pytestmark = pytest.mark.django_db

SEEN = []


def recording_seed(center):
    """A module seeder for the test: records the schema it runs in."""
    SEEN.append((center.schema_name, connection.schema_name))
    return {"things": 0}


SEEDERS = ["ostoja.modules.nosuchmodule.demo.seed", "test_demo.recording_seed"]


def run_demo() -> str:
    out = io.StringIO()
    with override_settings(OSTOJA_DEMO_SEEDERS=SEEDERS):
        call_command("demo", stdout=out)
    connection.set_schema_to_public()
    return out.getvalue()


def test_demo_seeds_staff_platform_accounts_and_is_idempotent(torun, slupsk, gdansk):
    SEEN.clear()
    first = run_demo()
    assert "Demo data seeded" in first
    assert "seeder ostoja.modules.nosuchmodule.demo.seed is not installed; skipped" in first
    assert sorted(SEEN) == [("gdansk", "gdansk"), ("slupsk", "slupsk"), ("torun", "torun")]
    for url in ("http://torun.localhost:8000/", "http://slupsk.localhost:8000/", "http://gdansk.localhost:8000/"):
        assert url in first
    assert "http://localhost:8000/" in first and DEMO_PASSWORD in first
    assert Center.objects.filter(schema_name__in=["torun", "slupsk", "gdansk"]).count() == 3

    User = get_user_model()
    for slug in ("torun", "slupsk", "gdansk"):
        with schema_context(slug):
            admin = User.objects.get(username="admin")
            assert admin.check_password(DEMO_PASSWORD)
            roles = {r for profile_roles in _roles() for r in profile_roles}
            expected = set(Role.values)
            from ostoja.tenants.configuration.models import District

            if not District.objects.exists():
                expected.discard(Role.SOCIAL_WORKER)
            assert expected <= roles, slug
    with schema_context("slupsk"):
        from ostoja.tenants.configuration.models import District

        districts = list(District.objects.order_by("code"))
        assert len(districts) == 5
        for number, district in enumerate(districts, start=1):
            worker = User.objects.get(username=f"pracownik{number}")
            assert list(worker.staff_profile.districts.all()) == [district]

    operator = User.objects.get(username="operator")
    partner = User.objects.get(username="partner")
    assert operator.platform_account.role == "operator" and operator.check_password(DEMO_PASSWORD)
    partnership = Partnership.objects.get(name="Partnerstwo pomorskie")
    assert partner.platform_account.partnership == partnership
    assert set(partnership.centers.values_list("schema_name", flat=True)) == {"slupsk", "gdansk"}

    second = run_demo()
    assert "nothing changed" in second
    assert "Demo data seeded" not in second
    assert User.objects.filter(username__in=["operator", "partner"]).count() == 2


def _roles():
    from ostoja.platform.staff.models import StaffProfile

    return StaffProfile.objects.values_list("roles", flat=True)
