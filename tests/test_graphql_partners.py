"""GraphQL on the platform host: ``partnerStatistics`` for regional partners and operators — aggregate figures of
the partnership's centers, suppressed cells, period filters, refusals (anonymous, staff tokens, foreign centers),
and a constant number of SQL statements whatever the number of centers."""

from datetime import date
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from ostoja.modules.cases.models import Case, CaseReason, HelpReason, Person
from ostoja.platform.accounts import services as accounts
from ostoja.platform.accounts.tokens import create_api_token
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.models import PlatformRole

pytestmark = pytest.mark.django_db

_serial = count(1)

QUERY = """
query($period: PeriodInput, $centers: [String!]) {
  partnerStatistics(period: $period, centers: $centers) {
    from to threshold source computedAt tableSize
    period { kind year number key }
    centers { slug shortName }
    byReason {
      families {
        columns { key label }
        rows { center { name shortName } cells { value suppressed reason } total { value suppressed reason } }
        totals { value suppressed reason }
        grandTotal { value suppressed reason }
      }
    }
  }
}
"""

ALL_FIGURES = """
query($period: PeriodInput, $centers: [String!]) {
  partnerStatistics(period: $period, centers: $centers) {
    source
    byReason { families { grandTotal { value } } persons { grandTotal { value } } }
    byFormOfHelp { families { grandTotal { value } } persons { rows { cells { value } } } }
    decisionsByMonth { decisions { totals { value } } amounts { rows { total { value suppressed } } } }
    childrenByFamilyKind { columns { key } grandTotal { value } }
    projectTargets { targets { grandTotal { value } } achieved { grandTotal { value suppressed } } }
  }
}
"""

PERIOD = {"period": {"kind": "HALF", "year": 2024, "number": 1}}  # long ended, whenever the tests run


def families(slug, reason_code, n, *, opened_on=date(2024, 2, 1)):
    with schema_context(slug):
        reason = HelpReason.objects.get(code=reason_code)
        for _ in range(n):
            person = Person.objects.create(
                first_name="Osoba", last_name=f"Testowa{next(_serial)}", date_of_birth=date(1980, 1, 1), sex="M"
            )
            case = Case.objects.create(person=person, opened_on=opened_on, status="active_help")
            CaseReason.objects.create(case=case, reason=reason, noted_on=opened_on)


def make_partner(name, *slugs):
    partnership = accounts.create_partnership(None, name=name, centers=list(slugs))
    return accounts.create_platform_account(
        None,
        username=f"partner{next(_serial)}",
        email="p@example.org",
        role=PlatformRole.PARTNER,
        partnership=partnership,
    )


@pytest.fixture
def pomorze(torun, slupsk, gdansk):
    return make_partner("Partnerzy pomorscy", "slupsk", "gdansk")


@pytest.fixture
def operator(torun, slupsk, gdansk):
    return accounts.create_platform_account(None, username="operator", email="o@example.org", role="operator")


@pytest.fixture
def crafted(torun, slupsk, gdansk):
    families("slupsk", "ubostwo", 3)  # hidden (primary)
    families("slupsk", "bezrobocie", 12)
    families("gdansk", "ubostwo", 20)
    families("gdansk", "bezrobocie", 7)
    families("torun", "ubostwo", 50)  # not in the partnership


def cells_of(table, slug_short, key):
    col = [c["key"] for c in table["columns"]].index(key)
    row = next(r for r in table["rows"] if r["center"]["shortName"] == slug_short)
    return row["cells"][col]


def test_partner_sees_the_partnerships_figures_with_suppressed_cells(gql, pomorze, crafted):
    data = gql(None, user=pomorze).data(QUERY, PERIOD)["partnerStatistics"]
    assert data["from"] == "2024-01-01" and data["to"] == "2024-06-30" and data["threshold"] == 5
    assert data["period"] == {"kind": "HALF", "year": 2024, "number": 1, "key": "2024-H1"}
    assert data["source"] == "LIVE" and data["computedAt"] is None and data["tableSize"] == 2
    assert [c["slug"] for c in data["centers"]] == ["gdansk", "slupsk"]
    table = data["byReason"]["families"]
    assert [r["center"]["shortName"] for r in table["rows"]] == ["MOPR Gdańsk", "MOPR Słupsk"]
    assert cells_of(table, "MOPR Słupsk", "ubostwo") == {"value": None, "suppressed": True, "reason": "PRIMARY"}
    # Secondary suppression: neither Słupsk's row nor the poverty column may give the 3 back.
    slupsk_row = next(r for r in table["rows"] if r["center"]["shortName"] == "MOPR Słupsk")
    assert sum(c["reason"] == "SECONDARY" for c in slupsk_row["cells"] + [slupsk_row["total"]]) >= 1
    col = [c["key"] for c in table["columns"]].index("ubostwo")
    poverty_column = [r["cells"][col] for r in table["rows"]] + [table["totals"][col]]
    assert sum(c["suppressed"] for c in poverty_column) >= 2
    # Zero is shown; Toruń's 50 are nowhere.
    assert cells_of(table, "MOPR Gdańsk", "bezdomnosc") == {"value": 0, "suppressed": False, "reason": None}
    assert table["grandTotal"] == {"value": 42, "suppressed": False, "reason": None}
    assert "MOPR Toruń" not in str(data)


def test_every_figure_can_be_asked_for(gql, pomorze, crafted):
    data = gql(None, user=pomorze).data(ALL_FIGURES, PERIOD)["partnerStatistics"]
    assert data["byReason"]["families"]["grandTotal"]["value"] == 42
    assert len(data["decisionsByMonth"]["decisions"]["totals"]) == 6
    assert [c["key"] for c in data["childrenByFamilyKind"]["columns"]][:2] == ["related", "non_professional"]
    assert data["projectTargets"]["achieved"]["grandTotal"] == {"value": 0.0, "suppressed": False}


def test_partner_asking_for_a_center_outside_the_partnership_gets_no_figures(gql, codes, pomorze, crafted):
    body = gql(None, user=pomorze)(QUERY, {**PERIOD, "centers": ["slupsk", "torun"]})
    assert body["data"]["partnerStatistics"] is None
    assert codes(body) == ["outside_partnership"]
    assert "50" not in str(body)


def test_partner_of_another_partnership_sees_nothing_of_it(gql, codes, torun, crafted):
    kujawy = make_partner("Partnerzy kujawscy", "torun")
    data = gql(None, user=kujawy).data(QUERY, PERIOD)["partnerStatistics"]
    assert [c["slug"] for c in data["centers"]] == ["torun"]
    body = gql(None, user=kujawy)(QUERY, {**PERIOD, "centers": ["gdansk"]})
    assert body["data"]["partnerStatistics"] is None and codes(body) == ["outside_partnership"]


def test_operator_may_query_any_set_of_centers(gql, operator, crafted):
    data = gql(None, user=operator).data(QUERY, {**PERIOD, "centers": ["torun", "gdansk"]})["partnerStatistics"]
    assert [c["slug"] for c in data["centers"]] == ["gdansk", "torun"]
    table = data["byReason"]["families"]
    assert cells_of(table, "MOPR Toruń", "ubostwo")["value"] == 50


def test_invalid_period_is_a_validation_error(gql, codes, pomorze):
    body = gql(None, user=pomorze)(QUERY, {"period": {"kind": "QUARTER", "year": 2024, "number": 5}})
    assert body["data"]["partnerStatistics"] is None
    assert codes(body) == ["invalid_period"]
    assert body["errors"][0]["extensions"]["field"] == "period"
    body = gql(None, user=pomorze)(QUERY, {})
    assert codes(body) == ["period_required"]


DAYS = """
query($from: Date, $to: Date, $period: PeriodInput) {
  partnerStatistics(from: $from, to: $to, period: $period) { byReason { families { grandTotal { value } } } }
}
"""


def test_day_level_periods_are_refused(gql, codes, pomorze, crafted):
    """2026-01-01…03-16 against …03-17 told what happened on one day: days are refused with a typed error."""
    for variables in (
        {"from": "2024-01-01", "to": "2024-03-16"},
        {"from": "2024-01-01", "to": "2024-03-17", **PERIOD},
    ):
        body = gql(None, user=pomorze)(DAYS, variables)
        assert body["data"]["partnerStatistics"] is None
        assert codes(body) == ["day_period_refused"]
        assert body["errors"][0]["extensions"]["field"] == "period"
        assert "42" not in str(body)


def test_a_period_still_running_is_refused(gql, codes, pomorze, crafted):
    today = date.today()
    body = gql(None, user=pomorze)(QUERY, {"period": {"kind": "YEAR", "year": today.year}})
    assert body["data"]["partnerStatistics"] is None
    assert codes(body) == ["period_not_ended"]


def test_narrowing_to_one_center_shows_its_row_of_the_whole_table(gql, pomorze, crafted):
    """Security review: with the poverty total 23 and Słupsk's 3 hidden, a table suppressed anew for Gdańsk alone
    showed its 20. The narrowed answer now is a row of the whole (suppressed) table, with the whole table's totals."""
    client = gql(None, user=pomorze)
    whole = client.data(QUERY, PERIOD)["partnerStatistics"]["byReason"]["families"]
    narrowed = client.data(QUERY, {**PERIOD, "centers": ["gdansk"]})["partnerStatistics"]
    assert [c["slug"] for c in narrowed["centers"]] == ["gdansk"] and narrowed["tableSize"] == 2
    table = narrowed["byReason"]["families"]
    assert [r["center"]["shortName"] for r in table["rows"]] == ["MOPR Gdańsk"]
    assert table["rows"][0] == next(r for r in whole["rows"] if r["center"]["shortName"] == "MOPR Gdańsk")
    assert table["totals"] == whole["totals"] and table["grandTotal"] == whole["grandTotal"]
    assert cells_of(table, "MOPR Gdańsk", "ubostwo") == {"value": None, "suppressed": True, "reason": "SECONDARY"}
    assert "20" not in str(table)


def test_anonymous_is_refused(gql, codes, crafted):
    body = gql(None)(QUERY, PERIOD)
    assert body["data"]["partnerStatistics"] is None
    assert codes(body) == ["not_authenticated"]


def test_public_account_without_a_platform_role_is_refused(gql, codes, crafted):
    nobody = get_user_model().objects.create_user(username="nobody")
    body = gql(None, user=nobody)(QUERY, PERIOD)
    assert body["data"]["partnerStatistics"] is None
    assert codes(body) == ["permission_denied"]


def test_center_staff_token_is_refused_on_the_platform_and_center_hosts_have_no_figures(
    gql, codes, torun, in_schema, crafted
):
    with in_schema("torun"):
        director = get_user_model().objects.create_user(username="dyrektorka")
        StaffProfile.objects.create(user=director, roles=[Role.DIRECTOR])
        _token, raw = create_api_token(director, name="raporty")
    response = gql(None, token=raw).post(QUERY, PERIOD)
    assert response.status_code == 401
    assert "partnerStatistics" not in response.content.decode() or response.json().get("data") is None
    # On the center's own host the staff schema has no partner figures at all.
    response = gql("torun", token=raw).post(QUERY, PERIOD)
    assert response.status_code == 400  # the staff schema knows neither the field nor its types
    body = response.json()
    assert not body.get("data")
    assert any("partnerStatistics" in e["message"] for e in body["errors"])


def test_partner_token_works_like_the_session(gql, pomorze, crafted):
    _token, raw = create_api_token(pomorze, name="raporty")
    data = gql(None, token=raw).data(QUERY, PERIOD)["partnerStatistics"]
    assert data["byReason"]["families"]["grandTotal"]["value"] == 42


@pytest.mark.parametrize("centers", [["torun"], ["torun", "slupsk", "gdansk"]])
def test_sql_statements_per_request_do_not_grow_with_the_centers(gql, operator, crafted, count_sql, centers):
    client = gql(None, user=operator)
    client.data(ALL_FIGURES, {**PERIOD, "centers": centers})  # warm up sessions and caches
    with count_sql() as sql:
        client.data(ALL_FIGURES, {**PERIOD, "centers": centers})
    figures = [q for q in sql.queries if "UNION ALL" in q or '"torun"."' in q]
    assert len(figures) == 5, "one UNION ALL statement per figure (five figures), never one query per center"
    # The rest is the session, the user, the center list and the snapshot lookup: the same for 1 or 3 centers.
    assert sql.n <= 5 + 5, f"{sql.n} statements for {len(centers)} centers: the count must not grow with centers"


def test_a_past_period_with_a_snapshot_is_read_from_it(gql, pomorze, operator, crafted, count_sql):
    from ostoja.tenants.snapshots import compute_snapshots
    from ostoja.tenants.statistics import published_window

    client = gql(None, user=pomorze)
    live = client.data(ALL_FIGURES, PERIOD)["partnerStatistics"]
    assert live["source"] == "LIVE"
    compute_snapshots(published_window("half", 2024, 1))
    families("gdansk", "bezrobocie", 9)  # a late entry: the published snapshot does not move
    stored = client.data(QUERY, PERIOD)["partnerStatistics"]
    assert stored["source"] == "SNAPSHOT" and stored["computedAt"]
    assert stored["byReason"]["families"]["grandTotal"]["value"] == 42
    assert cells_of(stored["byReason"]["families"], "MOPR Słupsk", "ubostwo")["reason"] == "PRIMARY"
    assert client.data(ALL_FIGURES, PERIOD)["partnerStatistics"] == {**live, "source": "SNAPSHOT"}
    with count_sql() as sql:
        client.data(ALL_FIGURES, PERIOD)
    assert not [q for q in sql.queries if "UNION ALL" in q or '"gdansk"."' in q], "a snapshot reads no center schema"
    # Another period has no snapshot: live.
    month = client.data(QUERY, {"period": {"kind": "MONTH", "year": 2024, "number": 2}})["partnerStatistics"]
    assert month["source"] == "LIVE"
