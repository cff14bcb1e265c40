"""A center's data stays in its schema: records, logins and sessions of Toruń do not exist in Słupsk or Gdańsk."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.audit.services import record
from ostoja.platform.staff import services as staff
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

PASSWORD = "Kasztanowa-aleja-17"


@pytest.fixture(autouse=True)
def _fast_hasher_and_fresh_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def _torun_worker(in_schema, roles=(Role.ADMINISTRATOR,)):
    with in_schema("torun"):
        return staff.create_staff_member(
            None, username="tkowalski", first_name="Tomasz", last_name="Kowalski", roles=list(roles), password=PASSWORD
        )


def test_staff_user_of_torun_is_invisible_in_the_slupsk_schema(torun, slupsk, in_schema):
    user = _torun_worker(in_schema)
    with in_schema("torun"):
        assert get_user_model().objects.filter(username="tkowalski").exists()
    with in_schema("slupsk"):
        assert not get_user_model().objects.filter(username="tkowalski").exists()
        assert not StaffProfile.objects.filter(user_id=user.pk).exists()
    with in_schema("public"):
        assert not get_user_model().objects.filter(username="tkowalski").exists()


def test_audit_entry_of_torun_is_invisible_in_the_slupsk_schema(torun, slupsk, in_schema):
    with in_schema("torun"):
        entry = record(None, AuditAction.ACTION, message="isolation probe 7f3a")
        assert AuditEntry.objects.filter(message="isolation probe 7f3a").exists()
    with in_schema("slupsk"):
        assert not AuditEntry.objects.filter(message="isolation probe 7f3a").exists()
        assert not AuditEntry.objects.filter(pk=entry.pk, message=entry.message).exists()
    with in_schema("public"):
        assert not AuditEntry.objects.filter(message="isolation probe 7f3a").exists()


def test_torun_records_are_invisible_from_the_slupsk_host(torun, slupsk, in_schema, client_for):
    """A Słupsk administrator, in Słupsk's admin, sees neither Toruń's staff nor Toruń's audit log."""
    _torun_worker(in_schema)
    with in_schema("torun"):
        record(None, AuditAction.ACTION, message="isolation probe 7f3a")
    with in_schema("slupsk"):
        admin = staff.create_staff_member(
            None, username="sadmin", first_name="Sara", last_name="Nowak", roles=[Role.ADMINISTRATOR]
        )
    client = client_for("slupsk")
    with in_schema("slupsk"):
        client.force_login(admin)
    users = client.get("/admin/accounts/user/")
    assert users.status_code == 200
    assert "sadmin" in users.content.decode()
    assert "tkowalski" not in users.content.decode()
    log = client.get("/admin/audit/auditentry/")
    assert log.status_code == 200
    assert "isolation probe 7f3a" not in log.content.decode()
    # The same pages on Toruń's host, as Toruń's administrator, show them.
    torun_client = client_for("torun")
    assert torun_client.post("/login/", {"username": "tkowalski", "password": PASSWORD}).status_code == 302
    assert "tkowalski" in torun_client.get("/admin/accounts/user/").content.decode()
    assert "isolation probe 7f3a" in torun_client.get("/admin/audit/auditentry/").content.decode()


def test_torun_login_fails_on_gdansk(torun, gdansk, in_schema, client_for):
    _torun_worker(in_schema)
    client = client_for("gdansk")
    response = client.post("/login/", {"username": "tkowalski", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not client.get("/login/").context["user"].is_authenticated
    with in_schema("gdansk"):
        assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, message__contains="tkowalski").exists()
    with in_schema("torun"):
        assert not AuditEntry.objects.filter(action__in=[AuditAction.LOGIN, AuditAction.LOGIN_FAILED]).exists()


def test_torun_session_cookie_is_anonymous_on_slupsk(torun, slupsk, in_schema, client_for):
    user = _torun_worker(in_schema)
    torun_client = client_for("torun")
    assert torun_client.post("/login/", {"username": "tkowalski", "password": PASSWORD}).status_code == 302
    cookie = torun_client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["domain"] == ""  # host-only: a browser never sends it to another subdomain
    assert torun_client.get("/login/").context["user"].pk == user.pk

    slupsk_client = client_for("slupsk")
    slupsk_client.cookies[settings.SESSION_COOKIE_NAME] = cookie.value
    response = slupsk_client.get("/login/")
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert slupsk_client.get("/admin/").status_code == 302
    # Nor does it open the platform.
    platform_client = client_for()
    platform_client.cookies[settings.SESSION_COOKIE_NAME] = cookie.value
    assert not platform_client.get("/login/").context["user"].is_authenticated
