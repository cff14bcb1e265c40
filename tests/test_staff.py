"""Staff accounts of a center: the rules of the staff services."""

import pytest
from django.contrib.auth import get_user_model

from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.errors import Conflict, PermissionDenied, ValidationFailed
from ostoja.platform.staff import services
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import Department, District

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PASSWORD = "Kasztanowa-aleja-17"


@pytest.fixture
def torun_schema(torun, in_schema):
    with in_schema("torun"):
        yield torun


@pytest.fixture
def district(torun_schema):
    return District.objects.create(code="rejon-1", name="Rejon 1")


def _member(username="akowalska", roles=(Role.SOCIAL_WORKER,), **kwargs):
    kwargs.setdefault("districts", [District.objects.get_or_create(code="rejon-1", defaults={"name": "Rejon 1"})[0]])
    return services.create_staff_member(
        None, username=username, first_name="Anna", last_name="Kowalska", roles=list(roles), **kwargs
    )


def test_social_worker_is_created_with_profile_and_audit_entry(torun_schema, district):
    department = Department.objects.create(code="dps", name="Dział Pomocy Środowiskowej")
    user = services.create_staff_member(
        None,
        username="akowalska",
        first_name="Anna",
        last_name="Kowalska",
        email="a.kowalska@example.org",
        roles=[Role.SOCIAL_WORKER],
        districts=[district],
        department=department,
        job_title="starszy pracownik socjalny",
        password=PASSWORD,
    )
    user.refresh_from_db()
    profile = StaffProfile.objects.get(user=user)
    assert profile.roles == ["social_worker"]
    assert list(profile.districts.all()) == [district]
    assert profile.department == department
    assert user.check_password(PASSWORD)
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.action == AuditAction.CREATE
    assert entry.actor is None
    assert entry.changes["roles"] == [None, "social_worker"]
    assert entry.changes["districts"] == [None, "rejon-1"]


def test_districts_and_departments_may_be_given_by_code(torun_schema, district):
    Department.objects.create(code="dps", name="Dział Pomocy Środowiskowej")
    user = _member(districts=["rejon-1"], department="dps")
    assert user.staff_profile.department.code == "dps"
    assert [d.code for d in user.staff_profile.districts.all()] == ["rejon-1"]


def test_unknown_role_is_refused(torun_schema):
    with pytest.raises(ValidationFailed) as exc:
        _member(roles=["janitor"])
    assert exc.value.code == "unknown_role"
    assert exc.value.field == "roles"
    assert not get_user_model().objects.filter(username="akowalska").exists()


def test_at_least_one_role_is_required(torun_schema):
    with pytest.raises(ValidationFailed) as exc:
        _member(roles=[])
    assert exc.value.code == "role_required"


def test_social_worker_needs_a_district(torun_schema):
    with pytest.raises(ValidationFailed) as exc:
        _member(districts=[])
    assert exc.value.code == "district_required"
    assert exc.value.field == "districts"
    # Another role needs none.
    user = _member(username="jnowak", roles=[Role.BENEFITS_CLERK], districts=[])
    assert user.staff_profile.roles == ["benefits_clerk"]


def test_unknown_district_is_refused(torun_schema):
    with pytest.raises(ValidationFailed) as exc:
        _member(districts=["rejon-99"])
    assert exc.value.code == "unknown_district"


def test_duplicate_username_is_refused_case_insensitively(torun_schema, district):
    _member()
    with pytest.raises(ValidationFailed) as exc:
        _member(username="AKowalska")
    assert exc.value.code == "username_taken"
    assert exc.value.field == "username"
    assert "AKowalska" in exc.value.message
    assert get_user_model().objects.filter(username__iexact="akowalska").count() == 1


def test_the_same_username_may_exist_in_another_center(torun_schema, district, in_schema, slupsk):
    _member()
    with in_schema("slupsk"):
        other = _member()
        assert other.username == "akowalska"


def test_weak_password_is_refused_and_nothing_is_written(torun_schema, district):
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        _member(password="12345")
    assert exc.value.code == "weak_password"
    assert exc.value.field == "password"
    codes = {e.code for e in exc.value.errors}
    assert "password_too_short" in codes
    assert not get_user_model().objects.filter(username="akowalska").exists()
    assert AuditEntry.objects.count() == audit_before


def test_several_problems_are_reported_at_once(torun_schema):
    with pytest.raises(ValidationFailed) as exc:
        services.create_staff_member(None, username="", first_name="", last_name="X", roles=["x"])
    fields = {e.field for e in exc.value.errors}
    assert {"username", "first_name", "roles"} <= fields


def test_no_password_means_an_unusable_password(torun_schema, district):
    user = _member(password=None)
    assert not user.has_usable_password()


def test_administrator_and_director_may_create_staff(torun_schema, district):
    admin = _member(username="admin", roles=[Role.ADMINISTRATOR], districts=[])
    director = _member(username="dyrektor", roles=[Role.DIRECTOR], districts=[])
    by_admin = services.create_staff_member(
        admin, username="p1", first_name="Piotr", last_name="Lis", roles=[Role.LEGAL_ADVISOR]
    )
    by_director = services.create_staff_member(
        director, username="p2", first_name="Paweł", last_name="Lis", roles=[Role.AUDITOR]
    )
    assert AuditEntry.objects.get(object_id=str(by_admin.pk), action="create").actor == admin
    assert AuditEntry.objects.get(object_id=str(by_director.pk), action="create").actor_label == "dyrektor"


def test_non_administrator_actor_is_refused(torun_schema, district):
    worker = _member()
    with pytest.raises(PermissionDenied) as exc:
        services.create_staff_member(
            worker, username="p1", first_name="Piotr", last_name="Lis", roles=[Role.ADMINISTRATOR]
        )
    assert exc.value.code == "role_required"
    assert not get_user_model().objects.filter(username="p1").exists()


def test_staff_cannot_be_created_in_the_public_schema(db):
    with pytest.raises(Conflict) as exc:
        services.create_staff_member(None, username="x", first_name="X", last_name="Y", roles=[Role.AUDITOR])
    assert exc.value.code == "wrong_schema"


def test_update_changes_roles_and_is_audited(torun_schema, district):
    admin = _member(username="admin", roles=[Role.ADMINISTRATOR], districts=[])
    user = _member()
    services.update_staff_member(admin, user, roles=[Role.SOCIAL_WORKER, Role.PROJECT_COORDINATOR], job_title="koord.")
    user.staff_profile.refresh_from_db()
    assert user.staff_profile.roles == ["social_worker", "project_coordinator"]
    entry = AuditEntry.objects.get(object_id=str(user.pk), action=AuditAction.UPDATE)
    assert entry.changes["roles"] == ["social_worker", "social_worker,project_coordinator"]
    assert entry.actor == admin


def test_update_keeps_the_district_rule(torun_schema, district):
    user = _member()
    with pytest.raises(ValidationFailed) as exc:
        services.update_staff_member(None, user, districts=[])
    assert exc.value.code == "district_required"
    with pytest.raises(ValidationFailed) as exc:
        services.update_staff_member(None, user, is_superuser=True)
    assert exc.value.code == "unknown_field"


def test_last_administrator_cannot_lose_the_role_or_be_deactivated(torun_schema):
    admin = _member(username="admin", roles=[Role.ADMINISTRATOR], districts=[])
    with pytest.raises(Conflict) as exc:
        services.update_staff_member(None, admin, roles=[Role.DIRECTOR])
    assert exc.value.code == "last_administrator"
    with pytest.raises(Conflict):
        services.deactivate_staff_member(None, admin)
    second = _member(username="admin2", roles=[Role.ADMINISTRATOR], districts=[])
    services.deactivate_staff_member(second, admin)
    admin.refresh_from_db()
    assert not admin.is_active
    with pytest.raises(Conflict) as exc:
        services.deactivate_staff_member(second, second)
    assert exc.value.code == "self_deactivation"


def test_deactivate_and_reactivate_are_audited(torun_schema, district):
    user = _member()
    services.deactivate_staff_member(None, user)
    services.deactivate_staff_member(None, user)  # twice changes nothing
    services.reactivate_staff_member(None, user)
    user.refresh_from_db()
    assert user.is_active
    changes = list(
        AuditEntry.objects.filter(object_id=str(user.pk), action="update")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_set_password_link_is_absolute_on_the_given_host(torun_schema, district):
    user = _member(password=None)
    link = services.set_password_link(user, host="torun.localhost:8000")
    assert link.startswith("http://torun.localhost:8000/account/set-password/")
    assert link.endswith("/")
    assert services.set_password_link(user, host="https://torun.example.pl").startswith("https://torun.example.pl/")


def test_social_worker_needs_no_district_in_a_center_without_districts(in_schema, gdansk):
    from ostoja.tenants.configuration.models import District

    with in_schema("gdansk"):
        assert not District.objects.exists()
        user = services.create_staff_member(
            None, username="pracownik9", first_name="Ewa", last_name="Nowak", roles=["social_worker"]
        )
        assert list(user.staff_profile.districts.all()) == []
