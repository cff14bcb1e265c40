"""Who may open which admin: a center's administrators on their own host, operators on the platform host."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from ostoja.platform.accounts import services as accounts
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.audit.services import record
from ostoja.platform.staff import services as staff
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import District
from ostoja.tenants.models import Center, Partnership, PlatformRole

pytestmark = pytest.mark.django_db

PASSWORD = "Kasztanowa-aleja-17"


@pytest.fixture(autouse=True)
def _fast_hasher_and_fresh_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def _member(in_schema, slug, username, roles, **kwargs):
    with in_schema(slug):
        if Role.SOCIAL_WORKER in roles:
            kwargs.setdefault("districts", [District.objects.get_or_create(code="r1", defaults={"name": "Rejon 1"})[0]])
        return staff.create_staff_member(
            None, username=username, first_name="Jan", last_name="Nowak", roles=roles, password=PASSWORD, **kwargs
        )


@pytest.fixture
def torun_admin_client(torun, in_schema, client_for):
    _member(in_schema, "torun", "tadmin", [Role.ADMINISTRATOR])
    client = client_for("torun")
    assert client.post("/login/", {"username": "tadmin", "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def operator_client(client_for):
    accounts.create_platform_account(
        None, username="operator", email="o@example.org", role="operator", password=PASSWORD
    )
    client = client_for()
    assert client.post("/login/", {"username": "operator", "password": PASSWORD}).status_code == 302
    return client


# --- the center admin ------------------------------------------------------------------------------------


def test_center_administrator_opens_the_admin_of_its_own_host(torun_admin_client):
    response = torun_admin_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "MOPR Toruń" in html
    assert "/admin/accounts/user/" in html
    assert "/admin/audit/auditentry/" in html
    assert "/admin/tenants/" not in html  # the platform's models are not on a center's admin


def test_social_worker_cannot_open_the_center_admin(torun, in_schema, client_for):
    _member(in_schema, "torun", "worker", [Role.SOCIAL_WORKER])
    client = client_for("torun")
    assert client.post("/login/", {"username": "worker", "password": PASSWORD}).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == "/login/"
    assert client.get("/admin/accounts/user/").status_code == 302


def test_anonymous_visitor_is_sent_to_the_login_page(torun, client_for):
    response = client_for("torun").get("/admin/accounts/user/", follow=True)
    assert response.request["PATH_INFO"] == "/login/"
    assert response.context["next"] == "/admin/accounts/user/"


def test_torun_administrator_cannot_open_slupsk_admin(torun_admin_client, slupsk, in_schema, client_for):
    assert torun_admin_client.get("/admin/").status_code == 200
    slupsk_client = client_for("slupsk")
    slupsk_client.cookies = torun_admin_client.cookies
    assert slupsk_client.get("/admin/").status_code == 302
    response = slupsk_client.post("/login/", {"username": "tadmin", "password": PASSWORD})
    assert response.status_code == 200
    assert slupsk_client.get("/admin/").status_code == 302


def test_staff_is_created_in_the_admin_through_the_service(torun_admin_client, in_schema):
    with in_schema("torun"):
        district = District.objects.create(code="r2", name="Rejon 2")
    data = {
        "username": "mwisniewska",
        "first_name": "Maria",
        "last_name": "Wiśniewska",
        "email": "m.wisniewska@example.org",
        "preferred_language": "pl",
        "roles": [Role.SOCIAL_WORKER],
        "districts": [district.pk],
        "job_title": "pracownik socjalny",
        "phone": "",
        "password1": "",
        "password2": "",
    }
    # A social worker without a district: the form shows the service's error and nothing is written.
    response = torun_admin_client.post("/admin/accounts/user/add/", {**data, "districts": []})
    assert response.status_code == 200
    assert "districts" in response.context["adminform"].form.errors
    with in_schema("torun"):
        assert not get_user_model().objects.filter(username="mwisniewska").exists()

    response = torun_admin_client.post("/admin/accounts/user/add/", data, follow=True)
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "http://torun.localhost/account/set-password/" in shown
    with in_schema("torun"):
        user = get_user_model().objects.get(username="mwisniewska")
        assert StaffProfile.objects.get(user=user).roles == ["social_worker"]
        entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk), action=AuditAction.CREATE)
        assert entry.actor_label == "tadmin"


def test_staff_change_in_the_admin_is_audited(torun_admin_client, in_schema):
    user = _member(in_schema, "torun", "clerk", [Role.BENEFITS_CLERK])
    response = torun_admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": "clerk",
            "first_name": "Jan",
            "last_name": "Nowak",
            "email": "",
            "preferred_language": "pl",
            "roles": [Role.BENEFITS_CLERK, Role.AUDITOR],
            "job_title": "",
            "phone": "",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    with in_schema("torun"):
        user.refresh_from_db()
        assert not user.is_active
        assert user.staff_profile.roles == ["benefits_clerk", "auditor"]
        changes = [
            e.changes
            for e in AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk), action="update")
        ]
        assert {"roles": ["benefits_clerk", "benefits_clerk,auditor"]} in changes
        assert {"is_active": [True, False]} in changes


def test_staff_accounts_cannot_be_deleted_in_the_admin(torun_admin_client, in_schema):
    user = _member(in_schema, "torun", "clerk", [Role.BENEFITS_CLERK])
    assert torun_admin_client.get(f"/admin/accounts/user/{user.pk}/delete/").status_code == 403


def test_audit_log_is_read_only_in_the_center_admin(torun_admin_client, in_schema):
    with in_schema("torun"):
        entry = record(None, AuditAction.ACTION, message="probe")
    assert torun_admin_client.get("/admin/audit/auditentry/").status_code == 200
    assert torun_admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200  # view only
    assert torun_admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert torun_admin_client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    response = torun_admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"message": "forged"})
    assert response.status_code == 403
    with in_schema("torun"):
        entry.refresh_from_db()
        assert entry.message == "probe"


# --- the platform admin ----------------------------------------------------------------------------------


def test_operator_opens_the_platform_admin(operator_client, torun):
    response = operator_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in ("/admin/tenants/center/", "/admin/tenants/domain/", "/admin/tenants/partnership/"):
        assert path in html
    centers = operator_client.get("/admin/tenants/center/")
    assert centers.status_code == 200
    assert "torun" in centers.content.decode()


def test_partner_cannot_open_the_platform_admin(client_for):
    partnership = Partnership.objects.create(name="Partnerzy pomorscy")
    accounts.create_platform_account(
        None, username="partner", email="p@example.org", role="partner", partnership=partnership, password=PASSWORD
    )
    client = client_for()
    assert client.post("/login/", {"username": "partner", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/tenants/center/").status_code == 302


def test_center_administrator_cannot_open_the_platform_admin(torun_admin_client, client_for):
    platform_client = client_for()
    platform_client.cookies = torun_admin_client.cookies
    assert platform_client.get("/admin/").status_code == 302


def test_centers_are_neither_added_nor_deleted_in_the_admin_but_edited_with_audit(operator_client, torun):
    assert operator_client.get("/admin/tenants/center/add/").status_code == 403
    assert operator_client.get(f"/admin/tenants/center/{torun.pk}/delete/").status_code == 403
    page = operator_client.get(f"/admin/tenants/center/{torun.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in ("name", "short_name", "kind", "city", "voivodeship")}
    data["short_name"] = "MOPR w Toruniu"
    inline = page.context["inline_admin_formsets"][0].formset
    data.update({f"{inline.prefix}-TOTAL_FORMS": "0", f"{inline.prefix}-INITIAL_FORMS": "0"})
    for i, domain_form in enumerate(inline.forms):
        data[f"{inline.prefix}-TOTAL_FORMS"] = str(i + 1)
        data[f"{inline.prefix}-INITIAL_FORMS"] = str(i + 1)
        data[f"{inline.prefix}-{i}-id"] = domain_form.instance.pk
        data[f"{inline.prefix}-{i}-domain"] = domain_form.instance.domain
        data[f"{inline.prefix}-{i}-is_primary"] = "on" if domain_form.instance.is_primary else ""
        data[f"{inline.prefix}-{i}-tenant"] = torun.pk
    response = operator_client.post(f"/admin/tenants/center/{torun.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    torun = Center.objects.get(pk=torun.pk)
    assert torun.short_name == "MOPR w Toruniu"
    assert torun.schema_name == "torun"
    entry = AuditEntry.objects.get(object_type="tenants.center", action=AuditAction.UPDATE)
    assert entry.changes == {"short_name": ["MOPR Toruń", "MOPR w Toruniu"]}
    assert entry.actor_label == "operator"


def test_partner_account_is_created_in_the_platform_admin(operator_client, torun):
    partnership = Partnership.objects.create(name="Partnerzy pomorscy")
    data = {
        "username": "pomorze",
        "first_name": "Ewa",
        "last_name": "Zielińska",
        "email": "e.zielinska@example.org",
        "preferred_language": "pl",
        "role": PlatformRole.PARTNER,
        "partnership": "",
        "password1": "",
        "password2": "",
    }
    response = operator_client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 200  # a partner needs a partnership
    assert not get_user_model().objects.filter(username="pomorze").exists()
    response = operator_client.post("/admin/accounts/user/add/", {**data, "partnership": partnership.pk}, follow=True)
    assert response.status_code == 200
    user = get_user_model().objects.get(username="pomorze")
    assert user.platform_account.partnership == partnership
    assert not user.is_staff
    assert AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), action="create", actor_label="operator"
    ).exists()


def test_partnership_is_created_in_the_platform_admin(operator_client, slupsk, gdansk):
    response = operator_client.post(
        "/admin/tenants/partnership/add/",
        {"name": "Partnerzy pomorscy", "description": "", "centers": [slupsk.pk, gdansk.pk]},
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(name="Partnerzy pomorscy")
    assert set(partnership.centers.values_list("schema_name", flat=True)) == {"slupsk", "gdansk"}
    assert AuditEntry.objects.filter(object_type="tenants.partnership", action="create").count() == 1


def test_every_center_admin_page_opens(torun_admin_client, in_schema):
    user = _member(in_schema, "torun", "worker", [Role.SOCIAL_WORKER])
    with in_schema("torun"):
        entry = record(None, AuditAction.ACTION, message="probe")
    for url in (
        "/admin/accounts/user/",
        f"/admin/accounts/user/?role={Role.SOCIAL_WORKER}&is_active__exact=1",
        "/admin/accounts/user/?q=worker",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{user.pk}/change/",
        f"/admin/accounts/user/{user.pk}/history/",
        "/admin/audit/auditentry/?action__exact=create",
        f"/admin/audit/auditentry/{entry.pk}/change/",
    ):
        assert torun_admin_client.get(url).status_code == 200, url
    listing = torun_admin_client.get(f"/admin/accounts/user/?role={Role.SOCIAL_WORKER}").content.decode()
    assert "worker" in listing
    assert "tadmin" not in listing


def test_set_password_links_action_in_the_center_admin(torun_admin_client, in_schema):
    user = _member(in_schema, "torun", "clerk", [Role.BENEFITS_CLERK])
    response = torun_admin_client.post(
        "/admin/accounts/user/",
        {"action": "make_set_password_links", "_selected_action": [user.pk]},
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "/account/set-password/" in shown
    assert "clerk" in shown


def test_every_platform_admin_page_opens(operator_client, torun):
    partnership = accounts.create_partnership(None, name="Partnerzy pomorscy", centers=["torun"])
    partner = accounts.create_platform_account(
        None, username="partner", email="p@example.org", role="partner", partnership=partnership
    )
    domain = torun.domains.first()
    for url in (
        "/admin/tenants/center/",
        f"/admin/tenants/center/{torun.pk}/change/",
        "/admin/tenants/domain/",
        "/admin/tenants/domain/add/",
        f"/admin/tenants/domain/{domain.pk}/change/",
        "/admin/tenants/partnership/",
        "/admin/tenants/partnership/add/",
        f"/admin/tenants/partnership/{partnership.pk}/change/",
        "/admin/tenants/platformaccount/",
        f"/admin/tenants/platformaccount/{partner.platform_account.pk}/change/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{partner.pk}/change/",
        "/admin/audit/auditentry/",
    ):
        assert operator_client.get(url).status_code == 200, url
    # The primary domain of a center cannot be deleted; the partnership with partners neither.
    assert operator_client.get(f"/admin/tenants/domain/{domain.pk}/delete/").status_code == 403
    assert operator_client.get(f"/admin/tenants/partnership/{partnership.pk}/delete/").status_code == 403


def test_platform_account_role_change_in_the_admin_goes_through_the_service(operator_client):
    partnership = accounts.create_partnership(None, name="Partnerzy pomorscy")
    partner = accounts.create_platform_account(
        None, username="partner", email="p@example.org", role="partner", partnership=partnership
    )
    url = f"/admin/tenants/platformaccount/{partner.platform_account.pk}/change/"
    response = operator_client.post(url, {"role": "operator", "partnership": partnership.pk})
    assert response.status_code == 200  # an operator belongs to no partnership
    assert "partnership" in response.context["adminform"].form.errors
    response = operator_client.post(url, {"role": "operator", "partnership": ""})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.is_staff
    assert partner.platform_account.role == "operator"
    assert AuditEntry.objects.filter(object_id=str(partner.pk), action="update", actor_label="operator").exists()
