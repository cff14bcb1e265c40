"""The center's staff in the staff GraphQL schema: ``me`` (session and API token), the staff list with its filters,
and staff management (administrators and the director). IDs, sessions and tokens of another center are refused."""

import pytest
from django.contrib.auth import get_user_model

from ostoja.graphql.core.ids import to_global_id
from ostoja.platform.accounts.tokens import create_api_token
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.staff import services
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import Department, District

pytestmark = pytest.mark.django_db

PASSWORD = "Kasztanowa-aleja-17"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_staff(slug, username, *roles, districts=(), **user_fields):
    from django_tenants.utils import schema_context

    with schema_context(slug):
        user_fields.setdefault("first_name", "Jan")
        user = get_user_model().objects.create_user(username=username, last_name=username.title(), **user_fields)
        profile = StaffProfile.objects.create(user=user, roles=list(roles))
        profile.districts.set(District.objects.filter(code__in=districts))
    return user


@pytest.fixture
def admin(torun):
    return make_staff("torun", "admin", Role.ADMINISTRATOR)


@pytest.fixture
def worker(torun):
    return make_staff("torun", "worker", Role.SOCIAL_WORKER, email="worker@mopr.torun.pl")


@pytest.fixture
def director(slupsk):
    return make_staff("slupsk", "dyrektor", Role.DIRECTOR)


@pytest.fixture
def slupsk_worker(slupsk):
    return make_staff("slupsk", "kowalska", Role.SOCIAL_WORKER, districts=("rejon-2",), preferred_language="en")


def member_id(in_schema, slug, user):
    with in_schema(slug):
        return to_global_id("StaffMember", StaffProfile.objects.get(user=user).pk)


def district_id(in_schema, slug, code):
    with in_schema(slug):
        return to_global_id("District", District.objects.get(code=code).pk)


# --- me --------------------------------------------------------------------------------------------

ME = """{ me {
  id username fullName email preferredLanguage isActive roles jobTitle
  districts { code } department { code } team { name }
} }"""


def test_me_shows_roles_districts_and_language(gql, slupsk_worker, in_schema):
    me = gql("slupsk", user=slupsk_worker).data(ME)["me"]
    assert me["username"] == "kowalska" and me["fullName"] == "Jan Kowalska"
    assert me["roles"] == ["SOCIAL_WORKER"] and me["districts"] == [{"code": "rejon-2"}]
    assert me["preferredLanguage"] == "en" and me["isActive"] is True
    assert me["id"] == member_id(in_schema, "slupsk", slupsk_worker)


def test_me_shows_department_and_team(gql, worker, in_schema):
    with in_schema("torun"):
        department = Department.objects.get(code="pomoc-srodowiskowa")
        StaffProfile.objects.filter(user=worker).update(department=department, job_title="Starszy pracownik")
    me = gql("torun", user=worker).data(ME)["me"]
    assert me["department"] == {"code": "pomoc-srodowiskowa"} and me["team"] is None
    assert me["jobTitle"] == "Starszy pracownik" and me["email"] == "worker@mopr.torun.pl"


def test_me_works_with_an_api_token_of_this_center_only(gql, worker, in_schema, slupsk):
    with in_schema("torun"):
        _token, raw = create_api_token(worker, name="skrypt")
    assert gql("torun", token=raw).data(ME)["me"]["username"] == "worker"
    response = gql("slupsk", token=raw).post(ME)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_token"
    assert "data" not in response.json()


def test_me_is_refused_to_anonymous_and_to_accounts_without_a_profile(gql, torun, in_schema, codes):
    assert codes(gql("torun")(ME)) == ["not_authenticated"]
    with in_schema("torun"):
        outsider = get_user_model().objects.create_user(username="outsider")
    assert codes(gql("torun", user=outsider)(ME)) == ["not_staff"]


def test_a_torun_session_means_nothing_on_slupsk(gql, worker, slupsk, codes):
    client = gql("torun", user=worker)
    client.client.defaults["HTTP_HOST"] = "slupsk.localhost"
    assert codes(client(ME)) == ["not_authenticated"]


# --- the staff list --------------------------------------------------------------------------------

STAFF = """query($role: Role, $district: ID, $active: Boolean, $search: String, $first: Int) {
  staffMembers(role: $role, districtId: $district, active: $active, search: $search, first: $first) {
    totalCount edges { node { username isActive roles districts { code } department { code } team { name } } }
  }
}"""


def usernames(result):
    return [edge["node"]["username"] for edge in result["staffMembers"]["edges"]]


def test_staff_list_with_filters(gql, director, slupsk_worker, in_schema):
    make_staff("slupsk", "nowak", Role.SOCIAL_WORKER, districts=("rejon-1",), first_name="Piotr")
    gone = make_staff("slupsk", "odszedl", Role.BENEFITS_CLERK)
    with in_schema("slupsk"):
        get_user_model().objects.filter(pk=gone.pk).update(is_active=False)
    client = gql("slupsk", user=slupsk_worker)
    everyone = client.data(STAFF, {})
    assert everyone["staffMembers"]["totalCount"] == 4
    assert usernames(everyone) == ["dyrektor", "kowalska", "nowak", "odszedl"]  # by last name
    assert usernames(client.data(STAFF, {"role": "SOCIAL_WORKER"})) == ["kowalska", "nowak"]
    rejon_1 = district_id(in_schema, "slupsk", "rejon-1")
    assert usernames(client.data(STAFF, {"district": rejon_1})) == ["nowak"]
    assert usernames(client.data(STAFF, {"active": False})) == ["odszedl"]
    assert usernames(client.data(STAFF, {"search": "piotr NOW"})) == ["nowak"]
    assert usernames(client.data(STAFF, {"search": "nikt"})) == []


def test_staff_list_refuses_anonymous_foreign_districts_and_big_pages(gql, worker, in_schema, slupsk, codes):
    assert codes(gql("torun")(STAFF, {})) == ["not_authenticated"]
    foreign = district_id(in_schema, "slupsk", "rejon-1")
    body = gql("torun", user=worker)(STAFF, {"district": foreign})
    assert codes(body) == ["not_found"] and body["data"] == {"staffMembers": None}
    assert codes(gql("torun", user=worker)(STAFF, {"first": 101})) == ["page_size"]


def test_staff_list_shows_only_this_centers_staff(gql, worker, director, admin):
    assert usernames(gql("torun", user=worker).data(STAFF, {})) == ["admin", "worker"]


def test_staff_list_runs_a_constant_number_of_statements(gql, director, in_schema, count_sql):
    with in_schema("slupsk"):
        department = Department.objects.create(code="dzial", name="Dział")
        districts = list(District.objects.all())
        for n in range(60):
            user = get_user_model().objects.create_user(username=f"p{n:02d}", last_name=f"P{n:02d}")
            profile = StaffProfile.objects.create(user=user, roles=[Role.SOCIAL_WORKER], department=department)
            profile.districts.set(districts[:2])
    client = gql("slupsk", user=director)
    client.data(STAFF, {"first": 1})  # warm up the host cache
    statements = {}
    for first in (5, 50):
        with count_sql() as sql:
            result = client.data(STAFF, {"first": first})
        assert len(result["staffMembers"]["edges"]) == first
        statements[first] = sql.n
    # session, user, the caller's profile, COUNT, the page with user, department and team, the page's districts
    assert statements[5] == statements[50] <= 6, (
        "the staff list must cost at most 6 statements per request whatever the page size (issue #4): users, "
        f"departments and teams joined, districts in one prefetch, never one query per staff member; got {statements}"
    )


NODE = "query($id: ID!) { node(id: $id) { ... on StaffMember { username } } }"


def test_a_staff_member_by_id_here_and_on_another_center(gql, worker, admin, director, in_schema, codes):
    admin_id = member_id(in_schema, "torun", admin)
    assert gql("torun", user=worker).data(NODE, {"id": admin_id}) == {"node": {"username": "admin"}}
    body = gql("slupsk", user=director)(NODE, {"id": admin_id})
    assert codes(body) == ["not_found"] and body["data"] == {"node": None}
    assert codes(gql("torun")(NODE, {"id": admin_id})) == ["not_authenticated"]


# --- creating staff members ------------------------------------------------------------------------

CREATE = """mutation($input: StaffMemberInput!, $password: String) {
  createStaffMember(input: $input, password: $password) {
    staffMember { id username fullName roles districts { code } department { code } preferredLanguage }
    errors { field code message }
  }
}"""


def new_worker(in_schema, **extra):
    return {
        "username": "zielinska",
        "firstName": "Ewa",
        "lastName": "Zielińska",
        "roles": ["SOCIAL_WORKER"],
        "districts": [district_id(in_schema, "slupsk", "rejon-3")],
        **extra,
    }


def test_director_creates_a_social_worker_and_it_is_audited(gql, director, in_schema):
    with in_schema("slupsk"):
        department_id = to_global_id("Department", Department.objects.create(code="dzial", name="Dział").pk)
        audited = AuditEntry.objects.count()
    payload = gql("slupsk", user=director).mutate(
        CREATE, {"input": new_worker(in_schema, department=department_id, preferredLanguage="en")}
    )
    assert payload["errors"] == []
    assert payload["staffMember"]["fullName"] == "Ewa Zielińska"
    assert payload["staffMember"]["districts"] == [{"code": "rejon-3"}]
    assert payload["staffMember"]["department"] == {"code": "dzial"}
    assert payload["staffMember"]["preferredLanguage"] == "en"
    with in_schema("slupsk"):
        user = get_user_model().objects.get(username="zielinska")
        assert not user.has_usable_password()
        assert AuditEntry.objects.count() == audited + 1


def test_create_with_a_password(gql, director, in_schema):
    payload = gql("slupsk", user=director).mutate(CREATE, {"input": new_worker(in_schema), "password": PASSWORD})
    assert payload["errors"] == []
    with in_schema("slupsk"):
        assert get_user_model().objects.get(username="zielinska").check_password(PASSWORD)


def test_create_reports_every_problem_and_writes_nothing(gql, director, in_schema, codes):
    client = gql("slupsk", user=director)
    payload = client.mutate(
        CREATE,
        {"input": new_worker(in_schema, districts=[], email="nie-mail", username="dyrektor", preferredLanguage="de")},
    )
    assert payload["staffMember"] is None
    assert {(e["field"], e["code"]) for e in payload["errors"]} == {
        ("username", "USERNAME_TAKEN"),
        ("email", "INVALID_EMAIL"),
        ("preferredLanguage", "INVALID_LANGUAGE"),
        ("districts", "DISTRICT_REQUIRED"),
    }
    no_roles = client.mutate(CREATE, {"input": new_worker(in_schema, roles=[])})
    assert no_roles["errors"][0]["code"] == "ROLE_REQUIRED" and no_roles["errors"][0]["field"] == "roles"
    weak = client.mutate(CREATE, {"input": new_worker(in_schema), "password": "1234"})
    assert {e["field"] for e in weak["errors"]} == {"password"}
    assert "PASSWORD_TOO_SHORT" in codes(weak)
    with in_schema("slupsk"):
        assert not get_user_model().objects.filter(username="zielinska").exists()


def test_create_is_refused_to_a_social_worker_and_anonymous(gql, slupsk_worker, in_schema, codes):
    assert codes(gql("slupsk", user=slupsk_worker).mutate(CREATE, {"input": new_worker(in_schema)})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("slupsk").mutate(CREATE, {"input": new_worker(in_schema)})) == ["NOT_AUTHENTICATED"]
    with in_schema("slupsk"):
        assert not get_user_model().objects.filter(username="zielinska").exists()


def test_create_with_a_torun_district_on_slupsk_is_not_found(gql, director, in_schema, torun, codes):
    with in_schema("torun"):
        torun_district = to_global_id("District", District.objects.create(code="t-1", name="T1").pk)
    payload = gql("slupsk", user=director).mutate(CREATE, {"input": new_worker(in_schema, districts=[torun_district])})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("districts", "NOT_FOUND")]
    with in_schema("slupsk"):
        assert not get_user_model().objects.filter(username="zielinska").exists()


# --- updating, deactivating, reactivating ----------------------------------------------------------

UPDATE = """mutation($id: ID!, $input: StaffMemberInput!) {
  updateStaffMember(id: $id, input: $input) {
    staffMember { username lastName roles districts { code } } errors { field code }
  }
}"""
DEACTIVATE = "mutation($id: ID!) { deactivateStaffMember(id: $id) { staffMember { isActive } errors { field code } } }"
REACTIVATE = "mutation($id: ID!) { reactivateStaffMember(id: $id) { staffMember { isActive } errors { field code } } }"


def test_director_updates_a_staff_member(gql, director, slupsk_worker, in_schema):
    target = member_id(in_schema, "slupsk", slupsk_worker)
    rejon_5 = district_id(in_schema, "slupsk", "rejon-5")
    payload = gql("slupsk", user=director).mutate(
        UPDATE, {"id": target, "input": {"lastName": "Kowalska-Nowak", "districts": [rejon_5]}}
    )
    assert payload == {
        "staffMember": {
            "username": "kowalska",
            "lastName": "Kowalska-Nowak",
            "roles": ["SOCIAL_WORKER"],
            "districts": [{"code": "rejon-5"}],
        },
        "errors": [],
    }


def test_update_keeps_the_rules_and_changes_nothing_when_refused(gql, admin, worker, in_schema, codes):
    client = gql("torun", user=admin)
    last_admin = client.mutate(UPDATE, {"id": member_id(in_schema, "torun", admin), "input": {"roles": ["DIRECTOR"]}})
    assert last_admin["errors"] == [{"field": None, "code": "LAST_ADMINISTRATOR"}]
    blank = client.mutate(UPDATE, {"id": member_id(in_schema, "torun", worker), "input": {"firstName": " "}})
    assert blank["errors"] == [{"field": "firstName", "code": "REQUIRED"}]
    denied = gql("torun", user=worker).mutate(
        UPDATE, {"id": member_id(in_schema, "torun", worker), "input": {"roles": ["ADMINISTRATOR"]}}
    )
    assert codes(denied) == ["ROLE_REQUIRED"]
    with in_schema("torun"):
        assert StaffProfile.objects.get(user=admin).roles == [Role.ADMINISTRATOR]
        assert StaffProfile.objects.get(user=worker).roles == [Role.SOCIAL_WORKER]
        assert get_user_model().objects.get(pk=worker.pk).first_name == "Jan"


def test_torun_staff_cannot_be_changed_from_slupsk(gql, director, worker, in_schema):
    target = member_id(in_schema, "torun", worker)
    client = gql("slupsk", user=director)
    for document, variables in (
        (UPDATE, {"id": target, "input": {"lastName": "X"}}),
        (DEACTIVATE, {"id": target}),
        (REACTIVATE, {"id": target}),
    ):
        payload = client.mutate(document, variables)
        assert payload["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    with in_schema("torun"):
        user = get_user_model().objects.get(pk=worker.pk)
        assert (user.last_name, user.is_active) == ("Worker", True)


def test_deactivate_blocks_sessions_and_tokens_and_reactivate_restores(gql, admin, worker, in_schema):
    with in_schema("torun"):
        _token, raw = create_api_token(worker, name="skrypt")
    target = member_id(in_schema, "torun", worker)
    client = gql("torun", user=admin)
    assert client.mutate(DEACTIVATE, {"id": target}) == {"staffMember": {"isActive": False}, "errors": []}
    assert gql("torun", token=raw).post(ME).status_code == 401
    listed = client.data(STAFF, {"active": False})
    assert usernames(listed) == ["worker"]
    assert client.mutate(REACTIVATE, {"id": target}) == {"staffMember": {"isActive": True}, "errors": []}
    assert gql("torun", token=raw).data(ME)["me"]["username"] == "worker"


def test_deactivation_rules_and_permissions(gql, admin, worker, in_schema, codes):
    admin_id, worker_id = member_id(in_schema, "torun", admin), member_id(in_schema, "torun", worker)
    assert gql("torun", user=admin).mutate(DEACTIVATE, {"id": admin_id})["errors"] == [
        {"field": None, "code": "SELF_DEACTIVATION"}
    ]
    assert codes(gql("torun", user=worker).mutate(DEACTIVATE, {"id": admin_id})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(DEACTIVATE, {"id": worker_id})) == ["NOT_AUTHENTICATED"]
    assert codes(gql("torun", user=worker).mutate(REACTIVATE, {"id": worker_id})) == ["ROLE_REQUIRED"]
    bad = gql("torun", user=admin).mutate(DEACTIVATE, {"id": "nie-id"})
    assert bad["errors"] == [{"field": "id", "code": "INVALID_ID"}]
    with in_schema("torun"):
        assert get_user_model().objects.filter(pk__in=[admin.pk, worker.pk], is_active=True).count() == 2


def test_staff_services_list_and_access(in_schema, worker, director):
    with in_schema("torun"):
        assert [p.user.username for p in services.staff_profiles(worker)] == ["worker"]
        assert services.access_staff_member(worker, StaffProfile.objects.get(user=worker).pk).user == worker
