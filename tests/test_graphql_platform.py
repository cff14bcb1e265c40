"""The platform schema for operators: centers with hosts and usage (counted across schemas in one SQL statement per
figure), onboarding, domains, (de)activation, partnerships and platform accounts. Only operators may use it; a
partner or an anonymous user is refused, and a center's session, token or IDs are not accepted on the platform."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_exists

from ostoja.graphql.core.ids import to_global_id
from ostoja.platform.accounts import services as accounts
from ostoja.platform.accounts.tokens import create_api_token
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ostoja.platform.staff import services as staff
from ostoja.platform.staff.models import Role
from ostoja.tenants.models import Center, Domain, Partnership, PlatformRole

pytestmark = pytest.mark.django_db

PASSWORD = "Kasztanowa-aleja-17"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def operator(db):
    return accounts.create_platform_account(
        None, username="operator", email="op@ostoja.example", role=PlatformRole.OPERATOR
    )


@pytest.fixture
def pomorze(slupsk, gdansk):
    return accounts.create_partnership(None, name="Partnerzy pomorscy", centers=["slupsk", "gdansk"])


@pytest.fixture
def partner(pomorze):
    return accounts.create_platform_account(
        None, username="partner", email="p@pomorze.example", role=PlatformRole.PARTNER, partnership=pomorze
    )


def no_data(body) -> bool:
    """A refused query: no data at all, or only nulls."""
    return not any((body.get("data") or {}).values())


def gid(type_name, pk):
    connection.set_schema_to_public()
    return to_global_id(type_name, pk)


def staff_member(in_schema, slug, username, *roles):
    with in_schema(slug):
        return staff.create_staff_member(
            None, username=username, first_name="Anna", last_name="Kowalska", roles=list(roles), password=PASSWORD
        )


# --- centers ---------------------------------------------------------------------------------------

CENTERS = """query($status: CenterStatus, $kind: CenterKind, $voivodeship: Voivodeship, $search: String, $first: Int) {
  centers(status: $status, kind: $kind, voivodeship: $voivodeship, search: $search, first: $first) {
    totalCount
    edges { node { id slug shortName kind voivodeship status primaryDomain domains { domain isPrimary }
      usage { staffAccounts persons openCases childrenInCare projects } } }
  }
}"""


def seed_usage(in_schema, slug, persons=3, open_cases=2, closed_cases=1, children=1):
    from datetime import date

    from ostoja.modules.cases.models import Case, Person
    from ostoja.modules.foster_care.models import FosterChild

    with in_schema(slug):
        people = [
            Person.objects.create(
                first_name=f"Osoba{i}", last_name="Testowa", sex="K", date_of_birth=date(2010, 1, 1 + i)
            )
            for i in range(persons)
        ]
        for i in range(open_cases + closed_cases):
            closed = i >= open_cases
            Case.objects.create(
                person=people[i % persons],
                opened_on=date(2026, 1, 1),
                status="closed" if closed else "open",
                closed_on=date(2026, 2, 1) if closed else None,
            )
        for person in people[:children]:
            FosterChild.objects.create(person=person)


def test_operator_lists_centers_with_hosts_and_usage(gql, operator, torun, slupsk, gdansk, in_schema):
    staff_member(in_schema, "torun", "akowalska", Role.SOCIAL_WORKER)
    staff_member(in_schema, "torun", "bnowak", Role.DIRECTOR)
    seed_usage(in_schema, "torun")
    data = gql(None, user=operator).data(CENTERS)["centers"]
    assert data["totalCount"] == 3
    nodes = {edge["node"]["slug"]: edge["node"] for edge in data["edges"]}
    assert nodes["torun"]["shortName"] == "MOPR Toruń"
    assert nodes["torun"]["kind"] == "MOPR" and nodes["torun"]["voivodeship"] == "KUJAWSKO_POMORSKIE"
    assert nodes["torun"]["status"] == "ACTIVE"
    assert nodes["torun"]["domains"] == [{"domain": "torun.localhost", "isPrimary": True}]
    assert nodes["torun"]["primaryDomain"] == "torun.localhost"
    assert nodes["torun"]["usage"] == {
        "staffAccounts": 2,
        "persons": 3,
        "openCases": 2,
        "childrenInCare": 1,
        "projects": 0,
    }
    assert nodes["slupsk"]["usage"] == dict.fromkeys(nodes["torun"]["usage"], 0)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"voivodeship": "POMORSKIE"}, {"gdansk", "slupsk"}),
        ({"kind": "MOPR"}, {"gdansk", "slupsk", "torun"}),
        ({"kind": "GOPS"}, set()),
        ({"search": "Słups"}, {"slupsk"}),
        ({"search": "gdansk.localhost"}, {"gdansk"}),
        ({"status": "INACTIVE"}, {"torun"}),
        ({"status": "ACTIVE"}, {"gdansk", "slupsk"}),
    ],
)
def test_centers_are_filtered(gql, operator, torun, slupsk, gdansk, variables, expected):
    Center.objects.filter(pk=torun.pk).update(is_active=False)
    data = gql(None, user=operator).data(CENTERS, variables)["centers"]
    assert {edge["node"]["slug"] for edge in data["edges"]} == expected
    assert data["totalCount"] == len(expected)


def test_center_list_validates_page_size_and_enum_values(gql, operator, torun, codes):
    assert codes(gql(None, user=operator)(CENTERS, {"first": 500})) == ["page_size"]
    response = gql(None, user=operator).post(CENTERS, {"kind": "SPA"})
    assert response.status_code == 400 and codes(response.json()) == ["graphql_validation_failed"]


def test_usage_is_counted_in_one_statement_whatever_the_page_size(gql, operator, torun, slupsk, gdansk, count_sql):
    client = gql(None, user=operator)
    counts = {}
    for first in (1, 3):
        with count_sql() as sql:
            data = client.data(CENTERS, {"first": first})
        assert len(data["centers"]["edges"]) == first
        counts[first] = sql.n
        usage = [q for q in sql.queries if "UNION ALL" in q or "staff_staffprofile" in q]
        assert len(usage) == 1, "all usage figures of a page must come from ONE cross-schema statement"
        for edge in data["centers"]["edges"]:
            slug = edge["node"]["slug"]
            assert f'"{slug}"."cases_person"' in usage[0], "schema names are quoted identifiers"
    assert counts[1] == counts[3], (
        "the number of SQL statements must not grow with the page size: operators list all centers, and a "
        f"per-center query would multiply with their number ({counts})"
    )
    assert counts[3] <= 6, f"session + user + role, count, page, domains, usage: {counts[3]}"


def test_centers_refuse_partners_anonymous_users_and_center_staff(gql, partner, torun, in_schema, codes, client_for):
    body = gql(None, user=partner)(CENTERS)
    assert codes(body) == ["operator_required"] and no_data(body)
    body = gql(None)(CENTERS)
    assert codes(body) == ["not_authenticated"] and no_data(body)

    # A Toruń staff member's token is refused on the platform host, and so is their session.
    torun_staff = staff_member(in_schema, "torun", "akowalska", Role.DIRECTOR)
    with in_schema("torun"):
        _token, raw = create_api_token(torun_staff, name="skrypt")
    response = gql(None, token=raw).post(CENTERS)
    assert response.status_code == 401 and "data" not in response.json()

    torun_client = client_for("torun")
    with in_schema("torun"):
        torun_client.force_login(torun_staff)
    connection.set_schema_to_public()
    session = torun_client.cookies["ostoja_session"].value
    platform = client_for()
    platform.cookies["ostoja_session"] = session
    response = platform.post("/graphql/", {"query": CENTERS}, content_type="application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "not_authenticated"
    assert no_data(response.json())


CENTER = "query($id: ID!) { center(id: $id) { slug name usage { persons } } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Center { slug } } }"


def test_center_by_id_and_node(gql, operator, torun, in_schema, codes):
    client = gql(None, user=operator)
    center_id = gid("Center", torun.pk)
    assert client.data(CENTER, {"id": center_id})["center"] == {
        "slug": "torun",
        "name": torun.name,
        "usage": {"persons": 0},
    }
    assert client.data(NODE, {"id": center_id})["node"]["slug"] == "torun"
    assert codes(client(CENTER, {"id": gid("Center", 999_999)})) == ["not_found"]
    assert codes(client(CENTER, {"id": gid("Partnership", torun.pk)})) == ["invalid_id"]


def test_center_by_id_refuses_partners_and_ids_issued_inside_a_center(gql, operator, partner, torun, in_schema, codes):
    assert codes(gql(None, user=partner)(CENTER, {"id": gid("Center", torun.pk)})) == ["operator_required"]
    with in_schema("torun"):
        foreign = to_global_id("Center", torun.pk)  # the same type and key, issued on a center host
    body = gql(None, user=operator)(CENTER, {"id": foreign})
    assert codes(body) == ["not_found"] and no_data(body)


# --- onboarding ----------------------------------------------------------------------------------------

ONBOARD = """mutation($input: OnboardCenterInput!) {
  onboardCenter(input: $input) {
    created setPasswordUrl progress { step done total }
    center { id slug shortName kind voivodeship status primaryDomain usage { staffAccounts } }
    errors { field code message }
  }
}"""
ELBLAG = {
    "slug": "elblag",
    "name": "Miejski Ośrodek Pomocy Społecznej w Elblągu",
    "kind": "MOPS",
    "city": "Elbląg",
    "voivodeship": "WARMINSKO_MAZURSKIE",
    "administrator": {"username": "admin", "email": "it@mops.elblag.pl"},
}


def test_operator_onboards_a_center_and_sees_its_progress(gql, operator):
    client = gql(None, user=operator)
    payload = client.mutate(ONBOARD, {"input": ELBLAG})
    assert payload["errors"] == []
    assert payload["created"] is True
    assert payload["center"]["slug"] == "elblag" and payload["center"]["shortName"] == "MOPS Elbląg"
    assert payload["center"]["voivodeship"] == "WARMINSKO_MAZURSKIE" and payload["center"]["status"] == "ACTIVE"
    assert payload["center"]["primaryDomain"] == "elblag.localhost"
    assert payload["center"]["usage"] == {"staffAccounts": 1}  # the administrator
    progress = payload["progress"]
    assert [p["done"] for p in progress] == list(range(1, len(progress) + 1))
    assert progress[0]["step"] == "validated" and progress[-1]["done"] == progress[-1]["total"]
    assert payload["setPasswordUrl"].startswith("http://elblag.localhost/")
    connection.set_schema_to_public()
    center = Center.objects.get(schema_name="elblag")
    assert schema_exists("elblag")
    entry = AuditEntry.objects.get(object_type="tenants.center", object_id=str(center.pk), action="create")
    assert entry.actor_label == "operator"

    again = client.mutate(ONBOARD, {"input": ELBLAG})
    assert again["errors"] == [] and again["created"] is False
    different = client.mutate(ONBOARD, {"input": {**ELBLAG, "city": "Elblag"}})
    assert [(e["field"], e["code"]) for e in different["errors"]] == [("slug", "CENTER_EXISTS_DIFFERENT")]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"slug": "admin"}, "slug", "RESERVED_SLUG"),
        ({"domain": "not a host"}, "domain", "INVALID_DOMAIN"),
        ({"domain": "torun.localhost"}, "domain", "DOMAIN_TAKEN"),
        ({"name": " "}, "name", "REQUIRED"),
        ({"administrator": {"username": "admin", "password": "short"}}, "admin.password", "WEAK_PASSWORD"),
    ],
)
def test_onboarding_refuses_bad_input_and_writes_nothing(gql, operator, changes, field, code):
    payload = gql(None, user=operator).mutate(ONBOARD, {"input": {**ELBLAG, **changes}})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["center"] is None and payload["progress"] is None
    connection.set_schema_to_public()
    assert not Center.objects.filter(schema_name=changes.get("slug", "elblag")).exists()
    assert not schema_exists("elblag")


def test_onboarding_is_refused_to_partners_and_anonymous_users(gql, partner, torun, in_schema, codes):
    assert codes(gql(None, user=partner).mutate(ONBOARD, {"input": ELBLAG})) == ["OPERATOR_REQUIRED"]
    assert codes(gql(None).mutate(ONBOARD, {"input": ELBLAG})) == ["NOT_AUTHENTICATED"]
    director = staff_member(in_schema, "torun", "dyrektor", Role.DIRECTOR)
    with in_schema("torun"):
        _token, raw = create_api_token(director, name="skrypt")
    assert gql(None, token=raw).post(ONBOARD, {"input": ELBLAG}).status_code == 401
    connection.set_schema_to_public()
    assert not Center.objects.filter(schema_name="elblag").exists()


# --- domains --------------------------------------------------------------------------------------------

ADD_DOMAIN = """mutation($center: ID!, $domain: String!, $primary: Boolean) {
  addDomain(centerId: $center, domain: $domain, primary: $primary) {
    domain { id domain isPrimary } center { primaryDomain domains { domain isPrimary } } errors { field code }
  }
}"""
REMOVE_DOMAIN = "mutation($id: ID!) { removeDomain(id: $id) { center { domains { domain } } errors { field code } } }"
SET_PRIMARY = """mutation($id: ID!) {
  setPrimaryDomain(id: $id) { domain { domain isPrimary } center { primaryDomain } errors { field code } }
}"""


def test_operator_adds_a_host_makes_it_primary_and_removes_the_old_one(gql, operator, torun):
    client = gql(None, user=operator)
    payload = client.mutate(ADD_DOMAIN, {"center": gid("Center", torun.pk), "domain": " MOPR.Torun.PL. "})
    assert payload["errors"] == []
    assert payload["domain"]["domain"] == "mopr.torun.pl" and payload["domain"]["isPrimary"] is False
    assert payload["center"]["primaryDomain"] == "torun.localhost"
    new_id = payload["domain"]["id"]

    payload = client.mutate(SET_PRIMARY, {"id": new_id})
    assert payload == {
        "domain": {"domain": "mopr.torun.pl", "isPrimary": True},
        "center": {"primaryDomain": "mopr.torun.pl"},
        "errors": [],
    }
    connection.set_schema_to_public()
    old = Domain.objects.get(domain="torun.localhost")
    assert old.is_primary is False

    payload = client.mutate(REMOVE_DOMAIN, {"id": gid("CenterDomain", old.pk)})
    assert payload == {"center": {"domains": [{"domain": "mopr.torun.pl"}]}, "errors": []}
    connection.set_schema_to_public()
    messages = list(
        AuditEntry.objects.filter(object_type="tenants.center", object_id=str(torun.pk)).values_list(
            "message", flat=True
        )
    )
    assert {"Domain added", "Primary domain changed", "Domain removed"} <= set(messages)


def test_domains_refuse_duplicates_bad_hosts_and_removing_the_primary(gql, operator, torun, slupsk):
    client = gql(None, user=operator)
    torun_id = gid("Center", torun.pk)
    for domain, code in [
        ("torun.localhost", "DOMAIN_EXISTS"),
        ("slupsk.localhost", "DOMAIN_TAKEN"),
        ("localhost", "RESERVED_DOMAIN"),
        ("nie ma takiego", "INVALID_DOMAIN"),
    ]:
        payload = client.mutate(ADD_DOMAIN, {"center": torun_id, "domain": domain})
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("domain", code)], domain
    primary = Domain.objects.get(domain="torun.localhost")
    payload = client.mutate(REMOVE_DOMAIN, {"id": gid("CenterDomain", primary.pk)})
    assert [e["code"] for e in payload["errors"]] == ["LAST_DOMAIN"]
    client.mutate(ADD_DOMAIN, {"center": torun_id, "domain": "mopr.torun.pl"})
    payload = client.mutate(REMOVE_DOMAIN, {"id": gid("CenterDomain", primary.pk)})
    assert [e["code"] for e in payload["errors"]] == ["PRIMARY_DOMAIN"]
    connection.set_schema_to_public()
    assert sorted(Domain.objects.filter(tenant=torun).values_list("domain", "is_primary")) == [
        ("mopr.torun.pl", False),
        ("torun.localhost", True),
    ]


def test_domains_are_refused_to_partners_and_foreign_ids(gql, operator, partner, torun, in_schema, codes):
    torun_id = gid("Center", torun.pk)
    payload = gql(None, user=partner).mutate(ADD_DOMAIN, {"center": torun_id, "domain": "mopr.torun.pl"})
    assert codes(payload) == ["OPERATOR_REQUIRED"]
    primary = Domain.objects.get(domain="torun.localhost")
    assert codes(gql(None).mutate(SET_PRIMARY, {"id": gid("CenterDomain", primary.pk)})) == ["NOT_AUTHENTICATED"]
    with in_schema("torun"):
        foreign = to_global_id("Center", torun.pk)
    payload = gql(None, user=operator).mutate(ADD_DOMAIN, {"center": foreign, "domain": "mopr.torun.pl"})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("centerId", "NOT_FOUND")]
    assert codes(gql(None, user=operator).mutate(SET_PRIMARY, {"id": gid("CenterDomain", 999_999)})) == [
        "DOMAIN_NOT_FOUND"
    ]
    connection.set_schema_to_public()
    assert list(Domain.objects.filter(tenant=torun).values_list("domain", flat=True)) == ["torun.localhost"]


# --- deactivation ----------------------------------------------------------------------------------------

DEACTIVATE = "mutation($id: ID!) { deactivateCenter(id: $id) { changed center { status } errors { code } } }"
REACTIVATE = "mutation($id: ID!) { reactivateCenter(id: $id) { changed center { status } errors { code } } }"


def test_operator_deactivates_and_reactivates_a_center(gql, operator, torun, client_for):
    client = gql(None, user=operator)
    torun_id = gid("Center", torun.pk)
    assert client.mutate(DEACTIVATE, {"id": torun_id}) == {
        "changed": True,
        "center": {"status": "INACTIVE"},
        "errors": [],
    }
    assert client_for("torun").get("/").status_code == 503
    assert client.mutate(DEACTIVATE, {"id": torun_id})["changed"] is False
    assert client.mutate(REACTIVATE, {"id": torun_id}) == {
        "changed": True,
        "center": {"status": "ACTIVE"},
        "errors": [],
    }
    assert client_for("torun").get("/").status_code == 200


def test_deactivation_is_refused_to_partners_unknown_and_foreign_ids(gql, operator, partner, torun, in_schema, codes):
    torun_id = gid("Center", torun.pk)
    assert codes(gql(None, user=partner).mutate(DEACTIVATE, {"id": torun_id})) == ["OPERATOR_REQUIRED"]
    assert codes(gql(None).mutate(DEACTIVATE, {"id": torun_id})) == ["NOT_AUTHENTICATED"]
    assert codes(gql(None, user=operator).mutate(DEACTIVATE, {"id": gid("Center", 999_999)})) == ["CENTER_NOT_FOUND"]
    assert codes(gql(None, user=operator).mutate(DEACTIVATE, {"id": "nonsense"})) == ["INVALID_ID"]
    with in_schema("torun"):
        foreign = to_global_id("Center", torun.pk)
    assert codes(gql(None, user=operator).mutate(DEACTIVATE, {"id": foreign})) == ["NOT_FOUND"]
    connection.set_schema_to_public()
    assert Center.objects.get(pk=torun.pk).is_active


# --- partnerships ------------------------------------------------------------------------------------------

PARTNERSHIPS = """query($search: String) {
  partnerships(search: $search, first: 10) {
    totalCount edges { node { id name centers { slug primaryDomain usage { persons openCases } }
      partners { username role partnership { name } } } }
  }
}"""
CREATE_PARTNERSHIP = """mutation($input: CreatePartnershipInput!) {
  createPartnership(input: $input) { partnership { id name description centers { slug } } errors { field code } }
}"""
SET_CENTERS = """mutation($id: ID!, $centers: [ID!]!) {
  setPartnershipCenters(id: $id, centerIds: $centers) { partnership { name centers { slug } } errors { field code } }
}"""


def test_operator_lists_partnerships_with_centers_in_constant_sql(
    gql, operator, partner, pomorze, torun, count_sql, in_schema
):
    seed_usage(in_schema, "gdansk", persons=2, open_cases=1, closed_cases=0, children=0)
    accounts.create_partnership(None, name="Kujawy", centers=["torun"])
    client = gql(None, user=operator)
    with count_sql() as sql:
        data = client.data(PARTNERSHIPS)["partnerships"]
    assert data["totalCount"] == 2
    by_name = {edge["node"]["name"]: edge["node"]["centers"] for edge in data["edges"]}
    assert by_name["Kujawy"] == [
        {"slug": "torun", "primaryDomain": "torun.localhost", "usage": {"persons": 0, "openCases": 0}}
    ]
    assert {c["slug"]: c["usage"] for c in by_name["Partnerzy pomorscy"]} == {
        "gdansk": {"persons": 2, "openCases": 1},
        "slupsk": {"persons": 0, "openCases": 0},
    }
    partners = {edge["node"]["name"]: edge["node"]["partners"] for edge in data["edges"]}
    assert partners == {
        "Kujawy": [],
        "Partnerzy pomorscy": [
            {"username": "partner", "role": "PARTNER", "partnership": {"name": "Partnerzy pomorscy"}}
        ],
    }
    usage = [q for q in sql.queries if "UNION ALL" in q]
    assert len(usage) == 1, "the usage of every center of every partnership on the page comes from one statement"
    assert sql.n <= 9, f"auth (3), count, page, centers, their domains, partners, usage — constant: {sql.n}"
    accounts.create_partnership(None, name="Wszyscy", centers=["torun", "slupsk", "gdansk"])
    accounts.create_platform_account(None, username="p2", email="p2@x.example", role="partner", partnership="Kujawy")
    with count_sql() as more:
        assert client.data(PARTNERSHIPS)["partnerships"]["totalCount"] == 3
    assert more.n == sql.n, "more partnerships, centers and partners must not mean more SQL statements"
    assert client.data(PARTNERSHIPS, {"search": "kuj"})["partnerships"]["totalCount"] == 1


def test_partnerships_are_refused_to_partners_and_anonymous_users(gql, partner, codes):
    assert codes(gql(None, user=partner)(PARTNERSHIPS)) == ["operator_required"]
    assert codes(gql(None)(PARTNERSHIPS)) == ["not_authenticated"]


def test_operator_creates_a_partnership_and_sets_its_centers(gql, operator, torun, slupsk, gdansk):
    client = gql(None, user=operator)
    payload = client.mutate(
        CREATE_PARTNERSHIP,
        {"input": {"name": " Kujawy i Pomorze ", "description": "seed", "centerIds": [gid("Center", torun.pk)]}},
    )
    assert payload["errors"] == []
    assert payload["partnership"]["name"] == "Kujawy i Pomorze"
    assert payload["partnership"]["centers"] == [{"slug": "torun"}]
    partnership_id = payload["partnership"]["id"]

    payload = client.mutate(
        SET_CENTERS, {"id": partnership_id, "centers": [gid("Center", slupsk.pk), gid("Center", gdansk.pk)]}
    )
    assert payload == {
        "partnership": {"name": "Kujawy i Pomorze", "centers": [{"slug": "gdansk"}, {"slug": "slupsk"}]},
        "errors": [],
    }
    connection.set_schema_to_public()
    partnership = Partnership.objects.get(name="Kujawy i Pomorze")
    entry = AuditEntry.objects.filter(
        object_type="tenants.partnership", object_id=str(partnership.pk), action="update"
    ).get()
    assert entry.changes["centers"] == ["torun", "gdansk,slupsk"]


def test_partnership_mutations_validate_and_change_nothing(gql, operator, pomorze, torun, in_schema):
    client = gql(None, user=operator)
    payload = client.mutate(CREATE_PARTNERSHIP, {"input": {"name": "partnerzy POMORSCY"}})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("name", "NAME_TAKEN")]
    payload = client.mutate(CREATE_PARTNERSHIP, {"input": {"name": "  "}})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("name", "REQUIRED")]
    payload = client.mutate(CREATE_PARTNERSHIP, {"input": {"name": "Nowa", "centerIds": [gid("Center", 999_999)]}})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("centers", "UNKNOWN_CENTER")]
    with in_schema("torun"):
        foreign = to_global_id("Center", torun.pk)
    payload = client.mutate(SET_CENTERS, {"id": gid("Partnership", pomorze.pk), "centers": [foreign]})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("centerIds", "NOT_FOUND")]
    payload = client.mutate(SET_CENTERS, {"id": gid("Partnership", 999_999), "centers": []})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("partnership", "PARTNERSHIP_NOT_FOUND")]
    connection.set_schema_to_public()
    assert list(Partnership.objects.values_list("name", flat=True)) == ["Partnerzy pomorscy"]
    assert sorted(pomorze.centers.values_list("schema_name", flat=True)) == ["gdansk", "slupsk"]


def test_partnership_mutations_are_refused_to_partners_and_anonymous_users(gql, partner, pomorze, torun, codes):
    variables = {"id": gid("Partnership", pomorze.pk), "centers": [gid("Center", torun.pk)]}
    assert codes(gql(None, user=partner).mutate(SET_CENTERS, variables)) == ["OPERATOR_REQUIRED"]
    assert codes(gql(None).mutate(CREATE_PARTNERSHIP, {"input": {"name": "X"}})) == ["NOT_AUTHENTICATED"]
    connection.set_schema_to_public()
    assert sorted(pomorze.centers.values_list("schema_name", flat=True)) == ["gdansk", "slupsk"]


# --- platform accounts ---------------------------------------------------------------------------------------

ACCOUNTS = """query($role: PlatformRole, $partnership: ID, $search: String) {
  platformAccounts(role: $role, partnershipId: $partnership, search: $search, first: 50) {
    totalCount edges { node { id username email role isActive partnership { name } } }
  }
}"""
CREATE_PARTNER = """mutation($input: CreatePartnerAccountInput!) {
  createPartnerAccount(input: $input) { account { id username role partnership { name } } errors { field code } }
}"""
CREATE_OPERATOR = """mutation($input: PlatformAccountInput!) {
  createOperatorAccount(input: $input) { account { username role partnership { name } } errors { field code } }
}"""
UPDATE_ACCOUNT = """mutation($id: ID!, $input: UpdatePlatformAccountInput!) {
  updatePlatformAccount(id: $id, input: $input) { account { username isActive role } errors { field code } }
}"""


def test_operator_lists_platform_accounts(gql, operator, partner, pomorze, count_sql):
    client = gql(None, user=operator)
    with count_sql() as sql:
        data = client.data(ACCOUNTS)["platformAccounts"]
    assert sql.n <= 6, f"auth, count, page with accounts and partnerships joined: {sql.n}"
    nodes = {edge["node"]["username"]: edge["node"] for edge in data["edges"]}
    assert nodes["partner"]["role"] == "PARTNER" and nodes["partner"]["partnership"] == {"name": "Partnerzy pomorscy"}
    assert nodes["operator"]["role"] == "OPERATOR" and nodes["operator"]["partnership"] is None
    partners = client.data(ACCOUNTS, {"role": "PARTNER", "partnership": gid("Partnership", pomorze.pk)})
    assert [e["node"]["username"] for e in partners["platformAccounts"]["edges"]] == ["partner"]
    assert client.data(ACCOUNTS, {"search": "op@"})["platformAccounts"]["totalCount"] == 1


def test_platform_accounts_are_refused_to_partners_and_anonymous_users(gql, partner, codes):
    assert codes(gql(None, user=partner)(ACCOUNTS)) == ["operator_required"]
    assert codes(gql(None)(ACCOUNTS)) == ["not_authenticated"]


def test_operator_creates_partner_and_operator_accounts(gql, operator, pomorze):
    client = gql(None, user=operator)
    payload = client.mutate(
        CREATE_PARTNER,
        {
            "input": {
                "username": "jkowal",
                "email": "j@pomorze.example",
                "partnershipId": gid("Partnership", pomorze.pk),
            }
        },
    )
    assert payload == {
        "account": {
            "id": payload["account"]["id"],
            "username": "jkowal",
            "role": "PARTNER",
            "partnership": {"name": "Partnerzy pomorscy"},
        },
        "errors": [],
    }
    payload = client.mutate(CREATE_OPERATOR, {"input": {"username": "op2", "email": "op2@ostoja.example"}})
    assert payload["errors"] == [] and payload["account"] == {
        "username": "op2",
        "role": "OPERATOR",
        "partnership": None,
    }
    connection.set_schema_to_public()
    created = get_user_model().objects.get(username="jkowal")
    assert not created.has_usable_password() and not created.is_staff
    assert AuditEntry.objects.filter(object_type="accounts.user", object_id=str(created.pk), actor=operator).exists()


def test_account_creation_validates_and_changes_nothing(gql, operator, partner, pomorze, torun, in_schema):
    client = gql(None, user=operator)
    payload = client.mutate(
        CREATE_PARTNER,
        {
            "input": {
                "username": "partner",
                "email": "nie-email",
                "password": "short",
                "partnershipId": gid("Partnership", pomorze.pk),
            }
        },
    )
    assert {(e["field"], e["code"]) for e in payload["errors"]} >= {
        ("username", "USERNAME_TAKEN"),
        ("email", "INVALID_EMAIL"),
    }
    payload = client.mutate(
        CREATE_PARTNER,
        {"input": {"username": "nowy", "email": "n@x.example", "partnershipId": gid("Partnership", 999_999)}},
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("partnership", "UNKNOWN_PARTNERSHIP")]
    with in_schema("torun"):
        foreign = to_global_id("Partnership", pomorze.pk)
    payload = client.mutate(
        CREATE_PARTNER, {"input": {"username": "nowy", "email": "n@x.example", "partnershipId": foreign}}
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("partnershipId", "NOT_FOUND")]
    connection.set_schema_to_public()
    assert set(get_user_model().objects.values_list("username", flat=True)) == {"operator", "partner"}


def test_account_creation_is_refused_to_partners_and_anonymous_users(gql, partner, pomorze, codes):
    variables = {"input": {"username": "nowy", "email": "n@x.example", "partnershipId": gid("Partnership", pomorze.pk)}}
    assert codes(gql(None, user=partner).mutate(CREATE_PARTNER, variables)) == ["OPERATOR_REQUIRED"]
    assert codes(gql(None).mutate(CREATE_OPERATOR, {"input": {"username": "x", "email": "x@x.example"}})) == [
        "NOT_AUTHENTICATED"
    ]
    connection.set_schema_to_public()
    assert not get_user_model().objects.filter(username__in=["nowy", "x"]).exists()


def test_operator_deactivates_a_partner_but_not_itself(gql, operator, partner, codes):
    client = gql(None, user=operator)
    payload = client.mutate(UPDATE_ACCOUNT, {"id": gid("PlatformAccount", partner.pk), "input": {"isActive": False}})
    assert payload == {"account": {"username": "partner", "isActive": False, "role": "PARTNER"}, "errors": []}
    payload = client.mutate(UPDATE_ACCOUNT, {"id": gid("PlatformAccount", operator.pk), "input": {"isActive": False}})
    assert codes(payload) == ["SELF_DEACTIVATION"]
    payload = client.mutate(
        UPDATE_ACCOUNT, {"id": gid("PlatformAccount", partner.pk), "input": {"role": "OPERATOR", "partnershipId": None}}
    )
    assert payload["errors"] == [] and payload["account"]["role"] == "OPERATOR"
    connection.set_schema_to_public()
    assert get_user_model().objects.get(pk=operator.pk).is_active
    assert get_user_model().objects.get(pk=partner.pk).is_staff


def test_account_updates_are_refused_to_partners(gql, operator, partner, codes):
    payload = gql(None, user=partner).mutate(
        UPDATE_ACCOUNT, {"id": gid("PlatformAccount", operator.pk), "input": {"isActive": False}}
    )
    assert codes(payload) == ["OPERATOR_REQUIRED"]
    connection.set_schema_to_public()
    assert get_user_model().objects.get(pk=operator.pk).is_active


# --- node, me, and the services behind the schema -----------------------------------------------------------------

NODE_ANY = """query($id: ID!) { node(id: $id) {
  id ... on CenterDomain { domain } ... on Partnership { name } ... on PlatformAccount { username } } }"""


def test_node_fetches_every_platform_type_for_operators_only(gql, operator, partner, pomorze, torun, codes):
    client = gql(None, user=operator)
    domain = Domain.objects.get(domain="torun.localhost")
    assert client.data(NODE_ANY, {"id": gid("CenterDomain", domain.pk)})["node"]["domain"] == "torun.localhost"
    assert client.data(NODE_ANY, {"id": gid("Partnership", pomorze.pk)})["node"]["name"] == "Partnerzy pomorscy"
    assert client.data(NODE_ANY, {"id": gid("PlatformAccount", partner.pk)})["node"]["username"] == "partner"
    for type_name, pk in [("CenterDomain", domain.pk), ("Partnership", pomorze.pk), ("PlatformAccount", operator.pk)]:
        body = gql(None, user=partner)(NODE_ANY, {"id": gid(type_name, pk)})
        assert codes(body) == ["operator_required"] and no_data(body), type_name


def test_me_still_answers_operators_and_partners(gql, operator, partner):
    assert gql(None, user=operator).data("{ me { username role } }")["me"] == {
        "username": "operator",
        "role": "operator",
    }
    assert gql(None, user=partner).data("{ me { role partnership } }")["me"] == {
        "role": "partner",
        "partnership": "Partnerzy pomorscy",
    }


def test_center_usage_service_counts_any_centers_in_one_statement(torun, slupsk, in_schema, count_sql):
    from ostoja.tenants import registry

    seed_usage(in_schema, "slupsk", persons=4, open_cases=1, closed_cases=2, children=2)
    connection.set_schema_to_public()
    with count_sql() as sql:
        usage = registry.center_usage(None, [torun, slupsk], figures=("persons", "open_cases", "children_in_care"))
    assert sql.n == 1
    assert usage == {
        "slupsk": {"persons": 4, "open_cases": 1, "children_in_care": 2},
        "torun": {"persons": 0, "open_cases": 0, "children_in_care": 0},
    }
    # Slugs are checked against the registry: an unknown name never reaches the SQL.
    assert registry.center_usage(None, ["slupsk", 'x"; DROP SCHEMA torun; --'], figures=("persons",)) == {
        "slupsk": {"persons": 4}
    }
    with pytest.raises(ValidationFailed) as info:
        registry.center_usage(None, [torun], figures=("salaries",))
    assert info.value.code == "invalid_figure"
    with pytest.raises(PermissionDenied):
        registry.center_usage(get_user_model()(username="anon"), [torun])


def test_list_centers_service_validates_its_filters(operator, torun):
    from ostoja.tenants import registry

    with pytest.raises(ValidationFailed) as info:
        registry.list_centers(operator, status="sleeping")
    assert info.value.code == "invalid_status"
    with pytest.raises(ValidationFailed) as info:
        registry.list_centers(operator, voivodeship="bawaria")
    assert info.value.code == "invalid_voivodeship"
    assert [c.schema_name for c in registry.list_centers(operator, voivodeship="kujawsko-pomorskie")] == ["torun"]


def test_domain_services_audit_and_keep_one_primary(operator, torun):
    from ostoja.tenants import onboarding

    added = onboarding.add_domain(operator, "torun", "Pomoc.Torun.pl", primary=True)
    assert (added.domain, added.is_primary) == ("pomoc.torun.pl", True)
    assert list(Domain.objects.filter(tenant=torun, is_primary=True).values_list("domain", flat=True)) == [
        "pomoc.torun.pl"
    ]
    assert onboarding.set_primary_domain(operator, "pomoc.torun.pl").is_primary  # already: nothing changes
    onboarding.remove_domain(operator, "torun.localhost")
    with pytest.raises(Conflict) as info:
        onboarding.remove_domain(operator, "pomoc.torun.pl")
    assert info.value.code == "last_domain"
    with pytest.raises(NotFound) as info:
        onboarding.remove_domain(operator, "nigdzie.example.org")
    assert info.value.code == "domain_not_found"
    entry = AuditEntry.objects.filter(object_type="tenants.center", message="Domain added").get()
    assert entry.changes["primary_domain"] == ["torun.localhost", "pomoc.torun.pl"]
    assert entry.actor_label == "operator"


def test_centers_are_ordered(gql, operator, torun, slupsk, gdansk):
    query = "query($order: CenterOrderBy) { centers(orderBy: $order) { edges { node { slug } } } }"
    client = gql(None, user=operator)
    for order, expected in [
        ("SHORT_NAME", ["gdansk", "slupsk", "torun"]),
        ("SHORT_NAME_DESC", ["torun", "slupsk", "gdansk"]),
        ("CREATED_AT_DESC", ["gdansk", "slupsk", "torun"]),
    ]:
        edges = client.data(query, {"order": order})["centers"]["edges"]
        assert [edge["node"]["slug"] for edge in edges] == expected, order
