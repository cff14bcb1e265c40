"""onboard_center: creates schema + domain + configuration + administrator by cloning, is idempotent, refuses
bad input with specific codes before writing anything, and leaves nothing behind when a late step fails."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.errors import Conflict, PermissionDenied, ValidationFailed
from ostoja.tenants import onboarding
from ostoja.tenants.models import Center, Domain

pytestmark = pytest.mark.django_db

CONFIG = {
    "departments": [{"code": "administracja", "name": "Dział Administracyjny", "name_en": "Administration"}],
    "districts": [{"code": "r1", "name": "Rejon 1", "streets": [{"street": "Długa", "numbers": "all"}]}],
}
ELBLAG = {
    "slug": "elblag",
    "name": "Miejski Ośrodek Pomocy Społecznej w Elblągu",
    "kind": "MOPS",
    "city": "Elbląg",
    "voivodeship": "warminsko-mazurskie",
}


def assert_nothing_left(slug="elblag", domain="elblag.localhost"):
    connection.set_schema_to_public()
    assert not Center.objects.filter(schema_name=slug).exists()
    assert not Domain.objects.filter(domain=domain).exists()
    assert not schema_exists(slug)


def test_onboarding_creates_schema_domain_config_and_admin(client_for):
    steps = []
    result = onboarding.onboard_center(
        **ELBLAG,
        config=CONFIG,
        admin={"username": "admin", "email": "it@mops.elblag.pl"},
        progress=lambda step, done, total: steps.append((step, done, total)),
    )
    assert result.created and result.changed
    center = Center.objects.get(schema_name="elblag")
    assert (center.short_name, center.kind, center.city, center.is_active) == ("MOPS Elbląg", "MOPS", "Elbląg", True)
    assert schema_exists("elblag")
    assert result.domains == ["elblag.localhost"]
    assert Domain.objects.get(domain="elblag.localhost").tenant == center
    assert [done for _, done, _ in steps] == list(range(1, len(steps) + 1)) and steps[-1][1] == steps[-1][2]

    with schema_context("elblag"):
        from ostoja.tenants.configuration.models import Department, District

        assert list(Department.objects.values_list("code", flat=True)) == ["administracja"]
        assert District.objects.get().code == "r1"
        admin = get_user_model().objects.get(username="admin")
        assert admin.staff_profile.roles == ["administrator"]
        assert admin.email == "it@mops.elblag.pl"
        assert not admin.has_usable_password()
    assert result.set_password_url.startswith("http://elblag.localhost/")
    assert AuditEntry.objects.filter(object_type="tenants.center", object_id=str(center.pk), action="create").exists()

    # The center serves its own host at once; the set-password link opens there.
    path = result.set_password_url.split("elblag.localhost", 1)[1]
    assert client_for("elblag").get(path, follow=True).status_code == 200


def test_onboarding_twice_changes_nothing_and_says_so():
    onboarding.onboard_center(**ELBLAG, config=CONFIG, admin={"username": "admin", "password": "Nie-Zgadniesz-42"})
    audit_count = AuditEntry.objects.count()
    again = onboarding.onboard_center(
        **ELBLAG, config=CONFIG, admin={"username": "admin", "password": "Nie-Zgadniesz-42"}
    )
    assert not again.created and not again.changed
    assert again.steps == ["center: unchanged", "configuration: unchanged", "administrator admin: unchanged"]
    assert AuditEntry.objects.count() == audit_count
    assert Center.objects.filter(schema_name="elblag").count() == 1


def test_existing_session_center_is_adopted_with_the_same_parameters(torun):
    result = onboarding.onboard_center(
        slug="torun", name=torun.name, short_name=torun.short_name, city="Toruń", voivodeship="kujawsko-pomorskie"
    )
    assert not result.created and result.center == torun


def test_slug_is_transliterated_from_the_city_when_not_given():
    result = onboarding.onboard_center(name="MOPS w Zielonej Górze", city="Zielona Góra", voivodeship="lubuskie")
    assert result.center.schema_name == "zielonagora"
    assert result.domains == ["zielonagora.localhost"]


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        ({"slug": "Bad_Slug"}, ValidationFailed, "invalid_slug"),
        ({"slug": "admin"}, ValidationFailed, "reserved_slug"),
        ({"slug": "pgtools"}, ValidationFailed, "reserved_slug"),
        ({"voivodeship": "bawaria"}, ValidationFailed, "invalid_voivodeship"),
        ({"kind": "XYZ"}, ValidationFailed, "invalid_kind"),
        ({"domain": "not a host"}, ValidationFailed, "invalid_domain"),
        ({"domain": "localhost"}, ValidationFailed, "reserved_domain"),
        ({"domain": "torun.localhost"}, Conflict, "domain_taken"),
        ({"name": ""}, ValidationFailed, "required"),
        ({"admin": {"username": "bad name!"}}, ValidationFailed, "invalid_admin_username"),
        ({"admin": {"username": "admin", "email": "nope"}}, ValidationFailed, "invalid_admin_email"),
        ({"admin": {"username": "admin", "password": "short"}}, ValidationFailed, "weak_password"),
    ],
)
def test_bad_input_is_refused_with_a_specific_code_and_nothing_written(changes, error, code):
    with pytest.raises(error) as info:
        onboarding.onboard_center(**{**ELBLAG, **changes})
    assert info.value.code == code
    assert_nothing_left(slug=changes.get("slug", "elblag"))


def test_invalid_configuration_is_refused_before_anything_is_written():
    bad = {"districts": [{"code": "r1", "name": "Rejon 1", "streets": [{"street": "Długa", "numbers": "sometimes"}]}]}
    with pytest.raises(ValidationFailed) as info:
        onboarding.onboard_center(**ELBLAG, config=bad)
    assert "districts[0]" in (info.value.field or "")
    assert_nothing_left()


def test_same_slug_with_other_parameters_is_refused(torun):
    with pytest.raises(Conflict) as info:
        onboarding.onboard_center(slug="torun", name="Inny ośrodek", city="Toruń", voivodeship="kujawsko-pomorskie")
    assert info.value.code == "center_exists_different"
    assert "name" in info.value.message
    torun.refresh_from_db()
    assert torun.name == "Miejski Ośrodek Pomocy Rodzinie w Toruniu"


def test_an_orphan_schema_is_not_adopted():
    connection.cursor().execute('CREATE SCHEMA "elblag"')
    with pytest.raises(Conflict) as info:
        onboarding.onboard_center(**ELBLAG)
    assert info.value.code == "orphan_schema"
    assert not Center.objects.filter(schema_name="elblag").exists()


@pytest.mark.parametrize("failing", ["config", "admin"])
def test_a_failure_halfway_leaves_nothing_behind(monkeypatch, failing):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    if failing == "config":
        monkeypatch.setattr("ostoja.tenants.config_loader.load_center_config", boom)
    else:
        monkeypatch.setattr("ostoja.platform.staff.services.create_staff_member", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        onboarding.onboard_center(**ELBLAG, config=CONFIG, admin={"username": "admin"})
    assert_nothing_left()
    assert not AuditEntry.objects.filter(object_type="tenants.center", message__contains="elblag").exists()


def test_only_operators_onboard(in_schema):
    user = get_user_model().objects.create_user("someone", password="x")
    with pytest.raises(PermissionDenied) as info:
        onboarding.onboard_center(**ELBLAG, actor=user)
    assert info.value.code == "operator_required"
    assert_nothing_left()


def test_clone_of_a_current_template_skips_the_fake_migrate(monkeypatch):
    assert onboarding.template_is_current()

    def no_migrate(*args, **kwargs):
        raise AssertionError("migrate_schemas ran although the template is current")

    monkeypatch.setattr("django_tenants.models.call_command", no_migrate)
    onboarding.onboard_center(**ELBLAG)
    assert schema_exists("elblag")


def test_a_stale_template_is_not_cloned_but_the_schema_migrated(monkeypatch):
    from django.conf import settings
    from django.core.management import call_command

    template = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        table = f'"{template}".django_migrations'
        cursor.execute(f"DELETE FROM {table} WHERE id = (SELECT max(id) FROM {table})")  # noqa: S608
    assert not onboarding.template_is_current()
    calls = []

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return call_command(*args, **kwargs)

    monkeypatch.setattr("django.core.management.call_command", spy)
    onboarding.onboard_center(**ELBLAG)
    assert calls and calls[0][0] == ("migrate_schemas",) and not calls[0][1].get("fake")
    with schema_context("elblag"), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 5
