"""Offboarding: deactivate (the host answers 503) and reactivate (200 again); delete only a deactivated
center with confirmation, which drops its schema, domains, row and files."""

import pytest
from django.db import connection
from django_tenants.utils import schema_exists

from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.errors import Conflict, NotFound, ValidationFailed
from ostoja.tenants import onboarding
from ostoja.tenants.models import Center, Domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def elblag():
    return onboarding.onboard_center(
        slug="elblag", name="MOPS w Elblągu", kind="MOPS", city="Elbląg", voivodeship="warminsko-mazurskie"
    ).center


def test_deactivate_suspends_the_host_and_reactivate_restores_it(elblag, client_for):
    assert client_for("elblag").get("/").status_code == 200
    assert onboarding.deactivate_center(None, elblag) is True
    response = client_for("elblag").get("/")
    assert response.status_code == 503
    elblag.refresh_from_db()
    assert not elblag.is_active and elblag.deactivated_at is not None
    assert onboarding.deactivate_center(None, elblag) is False  # already: nothing changes

    assert onboarding.reactivate_center(None, "elblag") is True
    assert client_for("elblag").get("/").status_code == 200
    elblag.refresh_from_db()
    assert elblag.is_active and elblag.deactivated_at is None
    connection.set_schema_to_public()  # the test client leaves the connection on the center's schema
    messages = set(AuditEntry.objects.filter(object_id=str(elblag.pk)).values_list("message", flat=True))
    assert {"Center deactivated", "Center reactivated"} <= messages


def test_delete_refuses_an_active_center_and_an_unconfirmed_delete(elblag):
    with pytest.raises(Conflict) as info:
        onboarding.delete_center(None, elblag, confirm=True)
    assert info.value.code == "center_active"
    onboarding.deactivate_center(None, elblag)
    with pytest.raises(ValidationFailed) as info:
        onboarding.delete_center(None, elblag, confirm=False)
    assert info.value.code == "confirmation_required"
    assert schema_exists("elblag") and Center.objects.filter(schema_name="elblag").exists()


def test_delete_drops_schema_domains_and_row(elblag):
    pk = elblag.pk
    onboarding.deactivate_center(None, elblag)
    onboarding.delete_center(None, elblag, confirm=True)
    assert not schema_exists("elblag")
    assert not Center.objects.filter(pk=pk).exists()
    assert not Domain.objects.filter(domain="elblag.localhost").exists()
    assert AuditEntry.objects.filter(object_type="tenants.center", object_id=str(pk), action="delete").exists()


def test_unknown_center_and_the_template_are_not_found():
    with pytest.raises(NotFound):
        onboarding.deactivate_center(None, "nosuchcenter")
    with pytest.raises(NotFound):
        onboarding.delete_center(None, "center_template", confirm=True)


def test_delete_removes_the_centers_files_and_only_its_own(
    elblag, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    own = tmp_path / "centers" / "elblag" / "documents" / "decyzja.pdf"
    other = tmp_path / "centers" / "torun" / "documents" / "decyzja.pdf"
    for path in (own, other):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"%PDF-1.4")
    onboarding.deactivate_center(None, elblag)
    with django_capture_on_commit_callbacks(execute=True):
        onboarding.delete_center(None, elblag, confirm=True)
    assert not own.exists() and not (tmp_path / "centers" / "elblag").exists()
    assert other.exists()
