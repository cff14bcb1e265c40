"""Staff GraphQL, social assistance: every type is fetched by ``node(id:)`` through its service's access check
(district scope, roles), an ID of another center finds nothing, and the other lists cost constant SQL."""

from datetime import date, timedelta

import pytest
from django_tenants.utils import schema_context
from test_graphql_cases import application, person, staff, torun_id, world

from ostoja.modules.cases import services
from ostoja.modules.cases.models import HelpReason, HouseholdMember
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(torun):
    return world()


@pytest.fixture
def objects(w):
    """One of each type in district I of Toruń."""
    head = person(w.director, "Kowalski", "7")
    app = application(w.director, head, date.today() - timedelta(days=3), ("ubostwo",))
    with schema_context("torun"):
        household = services.create_household(w.director, head.pk, head_income=900)
        member = HouseholdMember.objects.get(person=head)
        note = services.add_case_note(w.director, app.case_id, text="Telefon.", kind="call")
        reason = HelpReason.objects.get(code="ubostwo")
    return {
        "Person": (head.pk, "... on Person { lastName }", {"lastName": "Kowalski"}),
        "Case": (app.case_id, "... on Case { status }", {"status": "OPEN"}),
        "Application": (app.pk, "... on Application { submittedBy }", {"submittedBy": "PERSON"}),
        "Interview": (app.interview.pk, "... on Interview { status }", {"status": "PLANNED"}),
        "Household": (household.pk, "... on Household { size }", {"size": 1}),
        "HouseholdMember": (member.pk, "... on HouseholdMember { relation }", {"relation": "HEAD"}),
        "CaseNote": (note.pk, "... on CaseNote { kind }", {"kind": "CALL"}),
        "HelpReason": (reason.pk, "... on HelpReason { code }", {"code": "ubostwo"}),
    }


TYPES = ["Person", "Case", "Application", "Interview", "Household", "HouseholdMember", "CaseNote", "HelpReason"]


@pytest.mark.parametrize("type_name", TYPES)
def test_node_is_read_through_the_access_check(gql, w, objects, codes, type_name, slupsk):
    pk, fragment, expected = objects[type_name]
    query = f"query($id: ID!) {{ node(id: $id) {{ id {fragment} }} }}"
    node_id = torun_id(type_name, pk)
    node = gql("torun", user=w.worker1).data(query, {"id": node_id})["node"]
    assert node == {"id": node_id, **expected}

    other = gql("torun", user=w.worker2)(query, {"id": node_id})
    if type_name == "HelpReason":  # reference data: every staff member reads it
        assert not other.get("errors")
    else:
        assert codes(other) == ["other_district"] and other["data"]["node"] is None
    assert codes(gql("torun")(query, {"id": node_id})) == ["not_authenticated"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    foreign = gql("slupsk", user=stranger)(query, {"id": node_id})
    assert codes(foreign) == ["not_found"] and foreign["data"]["node"] is None


def test_a_missing_object_is_not_found(gql, w, codes):
    body = gql("torun", user=w.director)("query($id: ID!) { node(id: $id) { id } }", {"id": torun_id("Case", 999999)})
    assert codes(body) == ["case_not_found"]


LISTS = {
    "persons": "persons(first: $first) { totalCount edges { node { id fullName sex district { name } } } }",
    "households": """households(first: $first) { totalCount edges { node { id size incomePerPerson
        head { lastName district { name } } members { relation person { lastName } } } } }""",
    "applications": """applications(first: $first) { totalCount edges { node { id receivedOn overdue notified
        case { status person { lastName district { name } } } } } }""",
    "interviews": """interviews(first: $first) { totalCount edges { node { id dueOn overdue status
        assignedTo { username } application { receivedOn } case { person { lastName district { name } } } } } }""",
}


def test_the_other_lists_cost_the_same_few_statements_for_5_and_50_rows(gql, w, count_sql):
    with schema_context("torun"):
        worker = StaffProfile.objects.get(user=w.worker1)
    for n in range(50):
        someone = person(w.director, f"Osoba{n:02d}", "7")
        app = application(w.director, someone, date.today() - timedelta(days=30))
        with schema_context("torun"):
            services.create_household(w.director, someone.pk, head_income=100 * n)
            services.assign_interview(w.director, app.interview.pk, worker.pk)
    client = gql("torun", user=w.worker1)
    with count_sql() as baseline:  # what every request costs: host → center, session, user
        client.data("{ __typename }")
    for name, selection in LISTS.items():
        query = f"query($first: Int) {{ {selection} }}"
        client.data(query, {"first": 1})
        statements = {}
        for first in (5, 50):
            with count_sql() as sql:
                data = client.data(query, {"first": first})
            assert len(data[name]["edges"]) == first
            statements[first] = sql.n - baseline.n
        assert statements[5] == statements[50] <= 6, (
            f"{name}: a page must cost a constant number of statements (joins and prefetches in the selector), not "
            f"some per row, or a page of 50 costs 50+ queries; got {statements} beyond the {baseline.n} of a request"
        )
