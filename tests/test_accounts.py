"""Platform accounts and partnerships; login, logout and set-password pages on center and platform hosts."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from ostoja.platform.accounts import services as accounts
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.errors import Conflict, PermissionDenied, ValidationFailed
from ostoja.platform.staff import services as staff
from ostoja.platform.staff.models import Role
from ostoja.tenants.models import Partnership, PlatformRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PASSWORD = "Kasztanowa-aleja-17"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # login failure counters
    yield
    cache.clear()


def _staff(in_schema, slug, username="akowalska", roles=(Role.BENEFITS_CLERK,), password=PASSWORD):
    with in_schema(slug):
        return staff.create_staff_member(
            None, username=username, first_name="Anna", last_name="Kowalska", roles=list(roles), password=password
        )


def _login(client, username, password=PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def _logged_in_user(client):
    response = client.get("/login/")
    assert response.status_code == 200
    return response.context["user"]


# --- platform accounts and partnerships --------------------------------------------------------------


def test_partnership_with_centers_is_created_and_audited(torun, slupsk, gdansk):
    partnership = accounts.create_partnership(
        None, name="Partnerzy pomorscy", centers=["slupsk", gdansk], description="seed 002"
    )
    assert set(partnership.centers.values_list("schema_name", flat=True)) == {"slupsk", "gdansk"}
    entry = AuditEntry.objects.get(object_type="tenants.partnership", object_id=str(partnership.pk))
    assert entry.action == AuditAction.CREATE
    assert entry.changes["centers"] == [None, "gdansk,slupsk"]
    with pytest.raises(Conflict) as exc:
        accounts.create_partnership(None, name="partnerzy POMORSCY")
    assert exc.value.code == "name_taken"
    with pytest.raises(ValidationFailed) as exc:
        accounts.create_partnership(None, name="Inne", centers=["nowhere"])
    assert exc.value.code == "unknown_center"


def test_operator_gets_the_platform_admin_flag(db):
    user = accounts.create_platform_account(
        None, username="operator", email="op@ostoja.example", role=PlatformRole.OPERATOR, password=PASSWORD
    )
    assert user.is_staff
    assert user.platform_account.role == "operator"
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="create", object_type="accounts.user").exists()


def test_partner_needs_a_partnership(db):
    with pytest.raises(ValidationFailed) as exc:
        accounts.create_platform_account(None, username="partner", email="p@example.org", role=PlatformRole.PARTNER)
    assert exc.value.code == "partnership_required"
    assert exc.value.field == "partnership"
    assert not get_user_model().objects.filter(username="partner").exists()
    partnership = Partnership.objects.create(name="Partnerzy pomorscy")
    user = accounts.create_platform_account(
        None, username="partner", email="p@example.org", role=PlatformRole.PARTNER, partnership=partnership
    )
    assert not user.is_staff
    assert user.platform_account.partnership == partnership
    assert not user.has_usable_password()


def test_operator_cannot_belong_to_a_partnership(db):
    partnership = Partnership.objects.create(name="Partnerzy pomorscy")
    with pytest.raises(ValidationFailed) as exc:
        accounts.create_platform_account(
            None, username="op", email="o@example.org", role=PlatformRole.OPERATOR, partnership=partnership
        )
    assert exc.value.code == "partnership_not_allowed"


def test_platform_accounts_are_refused_inside_a_center(torun, in_schema):
    with in_schema("torun"), pytest.raises(Conflict) as exc:
        accounts.create_platform_account(None, username="operator", email="o@example.org", role="operator")
    assert exc.value.code == "wrong_schema"
    with in_schema("torun"), pytest.raises(Conflict):
        accounts.create_partnership(None, name="X")


def test_only_operators_manage_platform_accounts(db):
    partnership = Partnership.objects.create(name="Partnerzy pomorscy")
    partner = accounts.create_platform_account(
        None, username="partner", email="p@example.org", role=PlatformRole.PARTNER, partnership=partnership
    )
    with pytest.raises(PermissionDenied) as exc:
        accounts.create_platform_account(partner, username="x", email="x@example.org", role="operator")
    assert exc.value.code == "operator_required"
    operator = accounts.create_platform_account(None, username="op", email="o@example.org", role="operator")
    accounts.update_platform_account(operator, partner, role="operator")
    partner.refresh_from_db()
    assert partner.platform_account.role == "operator"
    assert partner.platform_account.partnership is None
    assert partner.is_staff
    with pytest.raises(Conflict) as exc:
        accounts.update_platform_account(operator, operator, is_active=False)
    assert exc.value.code == "self_deactivation"


# --- login and logout ----------------------------------------------------------------------------------


def test_login_page_shows_the_center_in_polish_by_default(torun, client_for):
    response = client_for("torun").get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Miejski Ośrodek Pomocy Rodzinie w Toruniu" in html
    assert "Zaloguj" in html
    assert 'lang="pl"' in html


def test_login_page_in_english_when_chosen(torun, client_for):
    client = client_for("torun")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    html = client.get("/login/").content.decode()
    assert "Log in" in html
    assert "Staff login of Miejski Ośrodek Pomocy Rodzinie w Toruniu" in html


def test_platform_login_page_names_the_platform(client_for):
    html = client_for().get("/login/").content.decode()
    assert "Ostoja" in html
    assert "Toruniu" not in html


def test_login_works_on_the_own_center_host(torun, in_schema, client_for):
    user = _staff(in_schema, "torun")
    client = client_for("torun")
    response = _login(client, "akowalska")
    assert response.status_code == 302
    assert response["Location"] == "/start/"  # which sends staff on to their dashboard
    assert client.get("/start/")["Location"] == "/dashboard/"
    current = _logged_in_user(client)
    assert current.is_authenticated
    assert current.pk == user.pk


def test_login_redirects_to_next(torun, in_schema, client_for):
    _staff(in_schema, "torun")
    response = _login(client_for("torun"), "akowalska", next="/admin/")
    assert response["Location"] == "/admin/"


def test_login_and_failed_login_are_audited_in_the_center_schema(torun, in_schema, client_for):
    user = _staff(in_schema, "torun")
    client = client_for("torun")
    response = _login(client, "akowalska", "wrong-password")
    assert response.status_code == 200
    assert "Nieprawidłowa nazwa użytkownika lub hasło" in response.content.decode()
    _login(client, "nobody", "wrong-password")
    _login(client, "akowalska")
    with in_schema("torun"):
        failed = list(AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id"))
        assert len(failed) == 2
        assert failed[0].object_id == str(user.pk)
        assert "'akowalska'" in failed[0].message
        assert failed[1].object_id == ""
        assert "'nobody'" in failed[1].message
        login = AuditEntry.objects.get(action=AuditAction.LOGIN)
        assert login.actor == user
        assert login.object_id == str(user.pk)
    with in_schema("public"):
        assert not AuditEntry.objects.filter(action__in=["login", "login_failed"]).exists()


def test_platform_login_is_audited_in_the_public_schema(client_for):
    operator = accounts.create_platform_account(
        None, username="operator", email="o@example.org", role="operator", password=PASSWORD
    )
    assert _login(client_for(), "operator").status_code == 302
    assert AuditEntry.objects.get(action=AuditAction.LOGIN).actor == operator


def test_platform_account_cannot_log_in_on_a_center_host(torun, client_for):
    accounts.create_platform_account(
        None, username="operator", email="o@example.org", role="operator", password=PASSWORD
    )
    client = client_for("torun")
    response = _login(client, "operator")
    assert response.status_code == 200
    assert not _logged_in_user(client).is_authenticated


def test_staff_account_cannot_log_in_on_the_platform_host(torun, in_schema, client_for):
    _staff(in_schema, "torun")
    client = client_for()
    response = _login(client, "akowalska")
    assert response.status_code == 200
    assert not _logged_in_user(client).is_authenticated


def test_public_user_without_platform_account_is_refused_on_the_platform(client_for):
    get_user_model().objects.create_user("someone", password=PASSWORD)
    client = client_for()
    response = _login(client, "someone")
    assert response.status_code == 200
    assert response.context["form"].failure_reason == "wrong_host"
    assert not _logged_in_user(client).is_authenticated


def test_deactivated_staff_cannot_log_in(torun, in_schema, client_for):
    user = _staff(in_schema, "torun")
    with in_schema("torun"):
        staff.deactivate_staff_member(None, user)
    client = client_for("torun")
    response = _login(client, "akowalska")
    assert response.status_code == 200
    assert not _logged_in_user(client).is_authenticated


def test_deactivation_ends_an_open_session(torun, in_schema, client_for):
    user = _staff(in_schema, "torun")
    client = client_for("torun")
    _login(client, "akowalska")
    assert _logged_in_user(client).is_authenticated
    with in_schema("torun"):
        staff.deactivate_staff_member(None, user)
    assert not _logged_in_user(client).is_authenticated


def test_repeated_failures_lock_the_username_on_that_host(torun, in_schema, client_for):
    _staff(in_schema, "torun")
    client = client_for("torun")
    for _ in range(5):
        _login(client, "akowalska", "wrong-password")
    response = _login(client, "akowalska")  # right password, but locked
    assert response.status_code == 200
    assert response.context["form"].failure_reason == "locked"
    assert "zablokowane" in response.content.decode()
    assert not _logged_in_user(client).is_authenticated
    # Another username on the same host is not affected.
    _staff(in_schema, "torun", username="jnowak")
    assert _login(client, "jnowak").status_code == 302


def test_logout_is_post_only_and_audited(torun, in_schema, client_for):
    user = _staff(in_schema, "torun")
    client = client_for("torun")
    _login(client, "akowalska")
    assert client.get("/logout/").status_code == 405
    assert _logged_in_user(client).is_authenticated
    response = client.post("/logout/")
    assert response.status_code == 302
    assert not _logged_in_user(client).is_authenticated
    with in_schema("torun"):
        assert AuditEntry.objects.get(action=AuditAction.LOGOUT).actor == user


# --- set-password links ----------------------------------------------------------------------------------


def _path(link):
    return re.sub(r"^https?://[^/]+", "", link)


def test_set_password_link_works_once(torun, in_schema, client_for):
    user = _staff(in_schema, "torun", password=None)
    with in_schema("torun"):
        link = staff.set_password_link(user, host="torun.localhost")
    client = client_for("torun")
    response = client.get(_path(link))
    assert response.status_code == 302  # the token moves into the session
    form_url = response["Location"]
    response = client.get(form_url)
    assert response.status_code == 200
    assert response.context["validlink"]
    response = client.post(form_url, {"new_password1": "Nowe-haslo-2024!", "new_password2": "Nowe-haslo-2024!"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert _login(client, "akowalska", "Nowe-haslo-2024!").status_code == 302
    with in_schema("torun"):
        assert AuditEntry.objects.filter(object_id=str(user.pk), action="update", changes__has_key="password").exists()
    # The same link a second time: refused.
    other = client_for("torun")
    response = other.get(_path(link), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_set_password_link_refuses_a_weak_password(torun, in_schema, client_for):
    user = _staff(in_schema, "torun", password=None)
    with in_schema("torun"):
        link = staff.set_password_link(user, host="torun.localhost")
    client = client_for("torun")
    form_url = client.get(_path(link))["Location"]
    response = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors
    with in_schema("torun"):
        user.refresh_from_db()
        assert not user.has_usable_password()


def test_set_password_link_of_torun_is_worthless_on_slupsk(torun, slupsk, in_schema, client_for):
    user = _staff(in_schema, "torun", password=None)
    _staff(in_schema, "slupsk", password=None)  # a user with the same id may exist there
    with in_schema("torun"):
        link = staff.set_password_link(user, host="torun.localhost")
    response = client_for("slupsk").get(_path(link), follow=True)
    assert response.context["validlink"] is False


def test_set_password_link_for_a_platform_account(client_for):
    user = accounts.create_platform_account(None, username="operator", email="o@example.org", role="operator")
    link = staff.set_password_link(user, host="localhost")
    client = client_for()
    form_url = client.get(_path(link))["Location"]
    client.post(form_url, {"new_password1": "Nowe-haslo-2024!", "new_password2": "Nowe-haslo-2024!"})
    assert _login(client, "operator", "Nowe-haslo-2024!").status_code == 302


def test_password_change_for_a_logged_in_user(torun, in_schema, client_for):
    user = _staff(in_schema, "torun")
    client = client_for("torun")
    assert client.get("/account/password/")["Location"].startswith("/login/")
    _login(client, "akowalska")
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Inne-haslo-2025!", "new_password2": "Inne-haslo-2025!"},
    )
    assert response.status_code == 302
    with in_schema("torun"):
        user.refresh_from_db()
        assert user.check_password("Inne-haslo-2025!")
