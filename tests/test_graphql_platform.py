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
