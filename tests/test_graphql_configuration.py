"""The center's set-up in the staff GraphQL schema: the center, districts with ``districtFor``, schedules,
closures and opening hours (any staff member reads), and the configuration mutations (administrator or director
only). IDs from another center are not found; failed mutations change nothing."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ostoja.graphql.core.ids import to_global_id
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.models import (
    Address,
    CenterSettings,
    Closure,
    Contact,
    Department,
    District,
    DistrictStreet,
    Schedule,
    ScheduleRule,
    Team,
)

pytestmark = pytest.mark.django_db


def make_staff(slug, username, *roles):
    from django_tenants.utils import schema_context

    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name="Jan", last_name=username.title())
        StaffProfile.objects.create(user=user, roles=list(roles))
    return user


@pytest.fixture
def admin(torun):
    return make_staff("torun", "admin", Role.ADMINISTRATOR)


@pytest.fixture
def worker(torun):
    return make_staff("torun", "worker", Role.SOCIAL_WORKER)


@pytest.fixture
def slupsk_admin(slupsk):
    return make_staff("slupsk", "sadmin", Role.DIRECTOR)


@pytest.fixture
def slupsk_worker(slupsk):
    return make_staff("slupsk", "sworker", Role.SOCIAL_WORKER)


def gid(in_schema, slug, type_name, obj):
    with in_schema(slug):
        return to_global_id(type_name, obj.pk)


def audit_count(in_schema, slug):
    with in_schema(slug):
        return AuditEntry.objects.count()


def refused(client, query, variables=None) -> list[str]:
    """Codes of a document refused before it runs (400: an unknown enum value, a missing argument)."""
    response = client.post(query, variables)
    assert response.status_code == 400, response.content.decode()
    return [e["extensions"]["code"] for e in response.json()["errors"]]


@pytest.fixture
def fixed_now(monkeypatch):
    """Tuesday 24 November 2026, 9:00 in Toruń and Słupsk."""
    moment = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


# --- the center ------------------------------------------------------------------------------------

CENTER = """{ center {
  name shortName kind city
  settings { timezone observePublicHolidays email descriptionDisplay }
  addresses { id kind city streetLine text }
  contacts { kind value displayValue href }
  departments { code displayName contacts { value } }
  teams { name department { code } districts { code } }
} }"""


def test_any_staff_member_reads_the_center_with_its_set_up(gql, worker):
    center = gql("torun", user=worker).data(CENTER)["center"]
    assert (center["name"], center["city"], center["kind"]) == (
        "Miejski Ośrodek Pomocy Rodzinie w Toruniu",
        "Toruń",
        "MOPR",
    )
    assert center["settings"]["timezone"] == "Europe/Warsaw"
    assert center["settings"]["email"] == "sekretariat@mopr.torun.pl"
    assert center["addresses"][0]["kind"] == "SEAT"
    assert center["addresses"][0]["streetLine"] == "ul. Konstytucji 3 Maja 40"
    assert {"kind": "PHONE", "value": "+48566508565", "displayValue": "56 650 85 65", "href": "tel:+48566508565"} in (
        center["contacts"]
    )
    assert "pomoc-srodowiskowa" in [d["code"] for d in center["departments"]]


def test_the_center_costs_the_same_statements_however_big_its_set_up(gql, worker, in_schema, count_sql):
    def grow(numbers):
        with in_schema("torun"):
            for n in numbers:
                department = services.create_department(None, code=f"d{n}", name=f"Dział {n}")
                services.create_contact(None, kind="email", value=f"d{n}@mopr.torun.pl", department=department)
                district = services.create_district(None, code=f"r{n}", name=f"Rejon {n}")
                services.create_team(None, name=f"Zespół {n}", department=department, districts=[district])

    client = gql("torun", user=worker)
    grow([0])
    client.data(CENTER)
    with count_sql() as small:
        client.data(CENTER)
    grow(range(1, 21))
    with count_sql() as big:
        center = client.data(CENTER)["center"]
    assert len(center["teams"]) == 21
    assert big.n == small.n, (
        "the center's departments, contacts and teams must come from select_related and prefetches, not one query "
        f"per department or team: {small.n} statements with one of each, {big.n} with 21\n" + "\n".join(big.queries)
    )


def test_the_center_is_refused_to_anonymous_and_non_staff_users(gql, torun, in_schema, codes):
    assert codes(gql("torun")(CENTER)) == ["not_authenticated"]
    with in_schema("torun"):
        outsider = get_user_model().objects.create_user(username="outsider")
    body = gql("torun", user=outsider)(CENTER)
    assert codes(body) == ["not_staff"] and body["data"] is None


def test_each_center_sees_its_own_set_up(gql, worker, slupsk_worker):
    assert gql("slupsk", user=slupsk_worker).data("{ center { city } }") == {"center": {"city": "Słupsk"}}
    assert gql("torun", user=worker).data("{ center { city } }") == {"center": {"city": "Toruń"}}


def test_a_center_object_id_from_torun_is_not_found_on_slupsk(gql, in_schema, slupsk_worker, codes):
    with in_schema("torun"):
        department = Department.objects.first()
        department_id = to_global_id("Department", department.pk)
    body = gql("slupsk", user=slupsk_worker)("query($id: ID!) { node(id: $id) { id } }", {"id": department_id})
    assert codes(body) == ["not_found"]
    assert body["data"] == {"node": None}


def test_node_fetches_configuration_objects_for_staff_only(gql, in_schema, worker, codes):
    with in_schema("torun"):
        department = Department.objects.get(code="pomoc-srodowiskowa")
        department_id = to_global_id("Department", department.pk)
    query = "query($id: ID!) { node(id: $id) { ... on Department { code } } }"
    assert gql("torun", user=worker).data(query, {"id": department_id}) == {"node": {"code": "pomoc-srodowiskowa"}}
    assert codes(gql("torun")(query, {"id": department_id})) == ["not_authenticated"]


# --- districts -------------------------------------------------------------------------------------

DISTRICTS = """query($first: Int, $search: String) {
  districts(first: $first, search: $search) {
    totalCount edges { node { id code name isIllustrative streets { street numbers numberFrom numberTo text } } }
  }
}"""


def test_districts_list_with_streets(gql, slupsk_worker):
    result = gql("slupsk", user=slupsk_worker).data(DISTRICTS, {"first": 10})["districts"]
    assert result["totalCount"] == 5
    first = result["edges"][0]["node"]
    assert first["code"] == "rejon-1" and first["isIllustrative"] is True
    assert {"street": "Wojska Polskiego", "numbers": "ODD", "numberFrom": None, "numberTo": None} in [
        {k: s[k] for k in ("street", "numbers", "numberFrom", "numberTo")} for s in first["streets"]
    ]
    third = result["edges"][2]["node"]
    assert "Szczecińska 1–60" in [s["text"] for s in third["streets"]]
    searched = gql("slupsk", user=slupsk_worker).data(DISTRICTS, {"search": "rejon-4"})["districts"]
    assert [e["node"]["code"] for e in searched["edges"]] == ["rejon-4"]


def test_districts_refuse_anonymous_and_oversized_pages(gql, slupsk_worker, codes):
    assert codes(gql("slupsk")(DISTRICTS, {"first": 5})) == ["not_authenticated"]
    assert codes(gql("slupsk", user=slupsk_worker)(DISTRICTS, {"first": 101})) == ["page_size"]


def list_statements(client, count_sql, query, field, variables=None) -> dict:
    """Statements of a whole list request (session, user, staff profile, then the list), for pages of 5 and 50."""
    client.data(query, {**(variables or {}), "first": 1})  # warm up the host cache
    statements = {}
    for first in (5, 50):
        with count_sql() as sql:
            data = client.data(query, {**(variables or {}), "first": first})
        assert len(data[field]["edges"]) == first
        statements[first] = sql.n
    return statements


def test_districts_list_runs_a_constant_number_of_statements(gql, slupsk_worker, in_schema, count_sql):
    with in_schema("slupsk"):
        for n in range(60):
            district = services.create_district(None, code=f"extra-{n}", name=f"Extra {n}", order=100 + n)
            services.add_district_street(None, district, street=f"Ulica {n}")
    statements = list_statements(gql("slupsk", user=slupsk_worker), count_sql, DISTRICTS, "districts")
    # session, user, staff profile, COUNT, the page, the streets of the page
    assert statements[5] == statements[50] <= 6, (
        "the districts list must cost at most 6 statements per request whatever the page size (issue #4): the "
        f"streets of a page in one prefetch, never one query per district (50 more for a page of 50); got {statements}"
    )


DISTRICT_FOR = """query($street: String!, $building: String) {
  districtFor(street: $street, building: $building) { status district { code } candidates { code } message }
}"""


def test_district_for_finds_the_district_of_an_address(gql, slupsk_worker, codes):
    client = gql("slupsk", user=slupsk_worker)
    found = client.data(DISTRICT_FOR, {"street": "ul. Wojska Polskiego", "building": "15A"})["districtFor"]
    assert found["status"] == "ASSIGNED" and found["district"] == {"code": "rejon-1"}
    even = client.data(DISTRICT_FOR, {"street": "wojska polskiego", "building": "16"})["districtFor"]
    assert even["district"] == {"code": "rejon-2"}
    unsure = client.data(DISTRICT_FOR, {"street": "Wojska Polskiego"})["districtFor"]
    assert unsure["status"] == "AMBIGUOUS" and {c["code"] for c in unsure["candidates"]} == {"rejon-1", "rejon-2"}
    nowhere = client.data(DISTRICT_FOR, {"street": "Nieistniejąca", "building": "1"})["districtFor"]
    assert nowhere["status"] == "UNASSIGNED" and nowhere["district"] is None and nowhere["message"]


def test_district_for_needs_a_street_and_a_staff_member(gql, slupsk_worker, codes):
    body = gql("slupsk", user=slupsk_worker)(DISTRICT_FOR, {"street": "  "})
    assert codes(body) == ["required"]
    assert body["errors"][0]["extensions"]["field"] == "street"
    assert codes(gql("slupsk")(DISTRICT_FOR, {"street": "Jaracza"})) == ["not_authenticated"]


def test_district_for_on_torun_knows_nothing_of_slupsk_streets(gql, worker):
    result = gql("torun", user=worker).data(DISTRICT_FOR, {"street": "Jaracza", "building": "5"})["districtFor"]
    assert result["status"] == "UNASSIGNED"


# --- schedules, closures and hours ---------------------------------------------------------------

SCHEDULES = """query($kind: HoursKind, $district: ID) {
  schedules(kind: $kind, districtId: $district) {
    id kind labelDisplay district { code } rules { weekday opens closes }
  }
}"""


def test_schedules_by_kind_with_their_rules(gql, worker):
    (office,) = gql("torun", user=worker).data(SCHEDULES, {"kind": "OFFICE"})["schedules"]
    assert office["kind"] == "OFFICE" and office["district"] is None
    assert {"weekday": "TUESDAY", "opens": "07:30:00", "closes": "16:00:00"} in office["rules"]
    assert len(office["rules"]) == 5
    assert gql("torun", user=worker).data(SCHEDULES, {"kind": "RECEPTION"}) == {"schedules": []}


def test_schedules_of_a_district_and_a_foreign_district_id(gql, in_schema, slupsk_worker, worker, codes):
    with in_schema("slupsk"):
        rejon = District.objects.get(code="rejon-3")
        rejon_id = to_global_id("District", rejon.pk)
    own = gql("slupsk", user=slupsk_worker).data(SCHEDULES, {"district": rejon_id})["schedules"]
    assert [(s["kind"], s["district"]["code"]) for s in own] == [("RECEPTION", "rejon-3")]
    body = gql("torun", user=worker)(SCHEDULES, {"district": rejon_id})
    assert codes(body) == ["not_found"]
    assert refused(gql("torun", user=worker), SCHEDULES, {"kind": "LUNCH"}) == ["graphql_validation_failed"]
    assert codes(gql("torun")(SCHEDULES, {})) == ["not_authenticated"]


CLOSURES = """query($from: Date, $to: Date, $kind: HoursKind, $first: Int) {
  closures(from: $from, to: $to, kind: $kind, first: $first) {
    totalCount edges { node { id date kind reasonDisplay closesEarlyAt } }
  }
}"""


def test_closures_by_period_and_kind(gql, in_schema, worker, codes):
    with in_schema("torun"):
        services.create_closure(None, date=date(2026, 12, 24), reason="Wigilia", closes_early_at=time(12))
        services.create_closure(None, date=date(2026, 12, 31), reason="Sylwester", kind="reception")
        services.create_closure(None, date=date(2027, 1, 2), reason="Inwentaryzacja", kind="office")
    client = gql("torun", user=worker)
    december = client.data(CLOSURES, {"from": "2026-12-01", "to": "2026-12-31"})["closures"]
    assert [e["node"]["date"] for e in december["edges"]] == ["2026-12-24", "2026-12-31"]
    assert december["edges"][0]["node"]["kind"] is None
    assert december["edges"][0]["node"]["closesEarlyAt"] == "12:00:00"
    office = client.data(CLOSURES, {"kind": "OFFICE"})["closures"]
    assert [e["node"]["reasonDisplay"] for e in office["edges"]] == ["Wigilia", "Inwentaryzacja"]
    body = client(CLOSURES, {"from": "2026-12-31", "to": "2026-12-01"})
    assert codes(body) == ["period_reversed"]
    assert codes(gql("torun")(CLOSURES, {})) == ["not_authenticated"]


def test_closures_list_runs_a_constant_number_of_statements(gql, in_schema, worker, count_sql):
    with in_schema("torun"):
        Closure.objects.bulk_create(
            Closure(date=date(2030, 1, 1) + timedelta(days=n), reason=f"R{n}") for n in range(60)
        )
    statements = list_statements(gql("torun", user=worker), count_sql, CLOSURES, "closures", {"from": "2030-01-01"})
    assert statements[5] == statements[50] <= 6, (
        "the closures list must cost at most 6 statements per request whatever the page size (issue #4), never one "
        f"query per closure; got {statements}"
    )


HOURS = """query($date: Date!, $district: ID) {
  openNow(kind: OFFICE)
  nextOpening(kind: OFFICE)
  hoursOn(date: $date, kind: OFFICE) { opens closes }
  reception: hoursOn(date: $date, kind: RECEPTION, districtId: $district) { opens closes }
}"""


def test_hours_open_now_next_opening_and_a_day(gql, worker, fixed_now):
    client = gql("torun", user=worker)
    tuesday = client.data(HOURS, {"date": "2026-11-24"})
    assert tuesday["openNow"] is True
    assert tuesday["nextOpening"] == "2026-11-25T07:30:00+01:00"
    assert tuesday["hoursOn"] == [{"opens": "07:30:00", "closes": "16:00:00"}]
    assert tuesday["reception"] == []
    holiday = client.data(HOURS, {"date": "2026-11-11"})
    assert holiday["hoursOn"] == []


def test_hours_of_a_district_and_a_foreign_district(gql, in_schema, slupsk_worker, worker, fixed_now, codes):
    with in_schema("slupsk"):
        rejon_id = to_global_id("District", District.objects.get(code="rejon-2").pk)
    result = gql("slupsk", user=slupsk_worker).data(HOURS, {"date": "2026-11-24", "district": rejon_id})
    assert result["reception"] == [{"opens": "08:00:00", "closes": "10:00:00"}]
    assert result["openNow"] is False  # Słupsk has no office schedule
    body = gql("torun", user=worker)(HOURS, {"date": "2026-11-24", "district": rejon_id})
    assert "not_found" in codes(body)
    refused = gql("torun", user=worker).post("{ openNow(kind: NAP) }")  # not a kind: refused before it runs
    assert refused.status_code == 400 and codes(refused.json()) == ["graphql_validation_failed"]
    assert "not_authenticated" in codes(gql("torun")(HOURS, {"date": "2026-11-24"}))


TODAY = """{ hoursToday {
  kind kindLabel label openNow closesAt nextOpening closedTodayBecause district { code }
  today { opens closes } week { days hours { opens closes } } schedule { id }
} }"""


def test_hours_today_summarises_every_schedule(gql, worker, slupsk_worker, fixed_now, codes):
    (office,) = gql("torun", user=worker).data(TODAY)["hoursToday"]
    assert office["kind"] == "OFFICE" and office["openNow"] is True and office["closesAt"] == "16:00:00"
    assert office["today"] == [{"opens": "07:30:00", "closes": "16:00:00"}]
    assert len(office["week"]) == 4  # Mon / Tue / Wed–Thu / Fri
    summaries = gql("slupsk", user=slupsk_worker).data(TODAY)["hoursToday"]
    assert [s["district"]["code"] for s in summaries if s["kind"] == "RECEPTION"] == [f"rejon-{n}" for n in range(1, 6)]
    assert codes(gql("torun")(TODAY)) == ["not_authenticated"]


# --- mutations: settings and addresses -----------------------------------------------------------

SETTINGS = """mutation($input: CenterSettingsInput!) {
  updateCenterSettings(input: $input) { settings { timezone email website } errors { field code message } }
}"""


def test_administrator_updates_the_settings_and_it_is_audited(gql, admin, in_schema):
    before = audit_count(in_schema, "torun")
    payload = gql("torun", user=admin).mutate(SETTINGS, {"input": {"email": " Biuro@MOPR.torun.pl "}})
    assert payload["errors"] == []
    assert payload["settings"]["email"] == "biuro@mopr.torun.pl"
    assert payload["settings"]["website"] == "http://www.mopr.torun.pl"  # not sent, not changed
    assert audit_count(in_schema, "torun") == before + 1


def test_settings_validation_and_permission(gql, admin, worker, in_schema, codes):
    payload = gql("torun", user=admin).mutate(SETTINGS, {"input": {"timezone": "Mars/Olympus", "email": "x@y.pl"}})
    assert codes(payload) == ["INVALID_TIMEZONE"] and payload["errors"][0]["field"] == "timezone"
    assert payload["settings"] is None
    denied = gql("torun", user=worker).mutate(SETTINGS, {"input": {"email": "x@y.pl"}})
    assert codes(denied) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(SETTINGS, {"input": {"email": "x@y.pl"}})) == ["NOT_AUTHENTICATED"]
    with in_schema("torun"):
        settings_row = CenterSettings.load()
        assert (settings_row.timezone, settings_row.email) == ("Europe/Warsaw", "sekretariat@mopr.torun.pl")


def test_slupsk_settings_are_changed_on_slupsk_only(gql, slupsk_admin, in_schema):
    payload = gql("slupsk", user=slupsk_admin).mutate(SETTINGS, {"input": {"website": "https://mopr.slupsk.pl"}})
    assert payload["errors"] == []
    with in_schema("torun"):
        assert CenterSettings.load().website == "http://www.mopr.torun.pl"


CREATE_ADDRESS = """mutation($input: AddressInput!) {
  createAddress(input: $input) { address { id kind streetLine city } errors { field code message } }
}"""
UPDATE_ADDRESS = """mutation($id: ID!, $input: AddressInput!) {
  updateAddress(id: $id, input: $input) { address { id note postcode } errors { field code } }
}"""
DELETE_ADDRESS = "mutation($id: ID!) { deleteAddress(id: $id) { deletedId errors { field code } } }"
BRANCH = {"kind": "BRANCH", "street": "Dziewulskiego", "building": "41", "postcode": "87-100", "city": "Toruń"}


def test_address_create_update_delete(gql, admin, in_schema):
    client = gql("torun", user=admin)
    payload = client.mutate(CREATE_ADDRESS, {"input": BRANCH})
    assert payload["errors"] == []
    assert payload["address"]["streetLine"] == "ul. Dziewulskiego 41"
    address_id = payload["address"]["id"]
    updated = client.mutate(UPDATE_ADDRESS, {"id": address_id, "input": {"note": "Wejście od podwórza"}})
    assert updated == {"address": {"id": address_id, "note": "Wejście od podwórza", "postcode": "87-100"}, "errors": []}
    assert client.mutate(DELETE_ADDRESS, {"id": address_id}) == {"deletedId": address_id, "errors": []}
    with in_schema("torun"):
        assert not Address.objects.filter(street="Dziewulskiego").exists()


def test_address_validation_errors_change_nothing(gql, admin, in_schema, codes):
    client = gql("torun", user=admin)
    before = audit_count(in_schema, "torun")
    payload = client.mutate(CREATE_ADDRESS, {"input": {**BRANCH, "postcode": "87100"}})
    assert codes(payload) == ["INVALID_POSTCODE"] and payload["errors"][0]["field"] == "postcode"
    missing = client.mutate(CREATE_ADDRESS, {"input": {"kind": "BRANCH", "city": "Toruń"}})
    assert {e["field"] for e in missing["errors"]} == {"street", "building", "postcode"}
    assert set(codes(missing)) == {"BLANK"}
    second_seat = client.mutate(CREATE_ADDRESS, {"input": {**BRANCH, "kind": "SEAT"}})
    assert codes(second_seat) == ["INVALID"]
    with in_schema("torun"):
        assert Address.objects.count() == 1
    assert audit_count(in_schema, "torun") == before


# --- every mutation: permission and a Toruń ID on Słupsk -------------------------------------------


@pytest.fixture
def torun_objects(in_schema, torun):
    """One object of each configuration model in Toruń, with its global ID."""
    with in_schema("torun"):
        district = services.create_district(None, code="rejon-t", name="Rejon T")
        street = services.add_district_street(None, district, street="Szeroka")
        department = Department.objects.get(code="pomoc-srodowiskowa")
        team = services.create_team(None, name="Zespół T", department=department)
        schedule = services.create_schedule(None, kind="reception", label="Przyjęcia")
        rule = services.add_schedule_rule(None, schedule, weekday=0, opens=time(8), closes=time(10))
        closure = services.create_closure(None, date=date(2026, 12, 24), reason="Wigilia")
        objects = {
            "Address": Address.objects.get(kind="seat"),
            "Contact": Contact.objects.first(),
            "Department": department,
            "Team": team,
            "District": district,
            "DistrictStreet": street,
            "Schedule": schedule,
            "ScheduleRule": rule,
            "Closure": closure,
        }
        return {name: (obj, to_global_id(name, obj.pk)) for name, obj in objects.items()}


# Every one changes something in Toruń when it succeeds.
UPDATES = {
    "Address": 'updateAddress(id: $id, input: {note: "x"})',
    "Contact": 'updateContact(id: $id, input: {label: "x"})',
    "Department": 'updateDepartment(id: $id, input: {description: "x"})',
    "Team": 'updateTeam(id: $id, input: {name: "Zespół X"})',
    "District": 'updateDistrict(id: $id, input: {description: "x"})',
    "DistrictStreet": 'updateDistrictStreet(id: $id, street: "Wąska")',
    "Schedule": 'updateSchedule(id: $id, input: {note: "x"})',
    "ScheduleRule": 'updateScheduleRule(id: $id, closes: "11:00:00")',
    "Closure": 'updateClosure(id: $id, reason: "x")',
}
DELETES = {
    "Address": "deleteAddress",
    "Contact": "deleteContact",
    "Department": "deleteDepartment",
    "Team": "deleteTeam",
    "District": "deleteDistrict",
    "DistrictStreet": "deleteDistrictStreet",
    "Schedule": "deleteSchedule",
    "ScheduleRule": "deleteScheduleRule",
    "Closure": "deleteClosure",
}


def _update_doc(name):
    return "mutation($id: ID!) { " + UPDATES[name] + " { errors { field code } } }"


def _delete_doc(name):
    return "mutation($id: ID!) { " + DELETES[name] + "(id: $id) { deletedId errors { field code } } }"


def _snapshot(in_schema, objects):
    with in_schema("torun"):
        return {name: type(obj).objects.filter(pk=obj.pk).values().first() for name, (obj, _id) in objects.items()}


@pytest.mark.parametrize("name", list(UPDATES))
def test_every_update_and_delete_is_refused_to_a_social_worker(gql, worker, torun_objects, in_schema, codes, name):
    before = _snapshot(in_schema, torun_objects)
    _obj, object_id = torun_objects[name]
    client = gql("torun", user=worker)
    assert codes(client.mutate(_update_doc(name), {"id": object_id})) == ["ROLE_REQUIRED"]
    assert codes(client.mutate(_delete_doc(name), {"id": object_id})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(_delete_doc(name), {"id": object_id})) == ["NOT_AUTHENTICATED"]
    assert _snapshot(in_schema, torun_objects) == before


@pytest.mark.parametrize("name", list(UPDATES))
def test_every_update_and_delete_with_a_torun_id_is_not_found_on_slupsk(
    gql, slupsk_admin, torun_objects, in_schema, codes, name
):
    before = _snapshot(in_schema, torun_objects)
    _obj, object_id = torun_objects[name]
    client = gql("slupsk", user=slupsk_admin)
    for document in (_update_doc(name), _delete_doc(name)):
        payload = client.mutate(document, {"id": object_id})
        assert payload["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert _snapshot(in_schema, torun_objects) == before


@pytest.mark.parametrize("name", list(UPDATES))
def test_every_update_and_delete_works_for_the_administrator(gql, admin, torun_objects, in_schema, name):
    obj, object_id = torun_objects[name]
    before = _snapshot(in_schema, torun_objects)[name]
    client = gql("torun", user=admin)
    assert client.mutate(_update_doc(name), {"id": object_id}) == {"errors": []}
    assert _snapshot(in_schema, torun_objects)[name] != before
    assert client.mutate(_delete_doc(name), {"id": object_id}) == {"deletedId": object_id, "errors": []}
    with in_schema("torun"):
        assert not type(obj).objects.filter(pk=obj.pk).exists()


CREATES = {
    "createAddress": (
        'createAddress(input: {street: "Szeroka", building: "1", postcode: "87-100", city: "Toruń"})',
        Address,
    ),
    "createContact": ('createContact(input: {kind: EMAIL, value: "a@b.pl"})', Contact),
    "createDepartment": ('createDepartment(input: {code: "nowy", name: "Nowy"})', Department),
    "createTeam": ('createTeam(input: {name: "Nowy zespół"})', Team),
    "createDistrict": ('createDistrict(input: {code: "nowy", name: "Nowy"})', District),
    "createSchedule": ("createSchedule(input: {kind: COMPLAINTS})", Schedule),
    "createClosure": ('createClosure(date: "2027-05-02", reason: "Most")', Closure),
}


@pytest.mark.parametrize("name", list(CREATES))
def test_every_create_needs_an_administrator_or_the_director(gql, worker, admin, in_schema, codes, name):
    document = "mutation { " + CREATES[name][0] + " { errors { field code } } }"
    model = CREATES[name][1]
    with in_schema("torun"):
        count = model.objects.count()
    assert codes(gql("torun", user=worker).mutate(document)) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(document)) == ["NOT_AUTHENTICATED"]
    with in_schema("torun"):
        assert model.objects.count() == count
    assert gql("torun", user=admin).mutate(document) == {"errors": []}
    with in_schema("torun"):
        assert model.objects.count() == count + 1


# --- contacts, departments, teams ------------------------------------------------------------------

CREATE_CONTACT = """mutation($input: ContactInput!) {
  createContact(input: $input) { contact { id kind value department { code } } errors { field code } }
}"""


def test_contact_phones_are_normalised_and_checked(gql, admin, in_schema, codes):
    with in_schema("torun"):
        department_id = to_global_id("Department", Department.objects.get(code="pomoc-srodowiskowa").pk)
    client = gql("torun", user=admin)
    payload = client.mutate(
        CREATE_CONTACT, {"input": {"kind": "PHONE", "value": "(56) 611 18 00", "department": department_id}}
    )
    assert payload["errors"] == []
    assert payload["contact"]["value"] == "+48566111800"
    assert payload["contact"]["department"] == {"code": "pomoc-srodowiskowa"}
    bad = client.mutate(CREATE_CONTACT, {"input": {"kind": "PHONE", "value": "123"}})
    assert bad["errors"] == [{"field": "value", "code": "INVALID_PHONE"}]


def test_contact_with_a_department_of_another_center_is_not_found(gql, slupsk_admin, in_schema):
    with in_schema("torun"):
        department_id = to_global_id("Department", Department.objects.first().pk)
    with in_schema("slupsk"):
        count = Contact.objects.count()
    payload = gql("slupsk", user=slupsk_admin).mutate(
        CREATE_CONTACT, {"input": {"kind": "EMAIL", "value": "a@b.pl", "department": department_id}}
    )
    assert payload["errors"] == [{"field": "department", "code": "NOT_FOUND"}]
    with in_schema("slupsk"):
        assert Contact.objects.count() == count


CREATE_DEPARTMENT = """mutation($input: DepartmentInput!) {
  createDepartment(input: $input) { department { code displayName } errors { field code } }
}"""


def test_department_codes_are_unique_slugs(gql, admin, codes):
    client = gql("torun", user=admin)
    taken = client.mutate(CREATE_DEPARTMENT, {"input": {"code": "pomoc-srodowiskowa", "name": "Drugi"}})
    assert taken["errors"] == [{"field": "code", "code": "UNIQUE"}]
    not_slug = client.mutate(CREATE_DEPARTMENT, {"input": {"code": "zły kod", "name": "Zły"}})
    assert not_slug["errors"] == [{"field": "code", "code": "INVALID"}]
    ok = client.mutate(CREATE_DEPARTMENT, {"input": {"code": "kadry", "name": "Kadry", "nameEn": "HR"}})
    assert ok == {"department": {"code": "kadry", "displayName": "Kadry"}, "errors": []}


TEAM = """mutation($input: TeamInput!) {
  createTeam(input: $input) { team { id name districts { code } } errors { field code } }
}"""
UPDATE_TEAM = """mutation($id: ID!, $input: TeamInput!) {
  updateTeam(id: $id, input: $input) { team { name districts { code } } errors { field code } }
}"""


def test_team_with_districts(gql, slupsk_admin, in_schema, torun_objects, codes):
    with in_schema("slupsk"):
        ids = {d.code: to_global_id("District", d.pk) for d in District.objects.all()}
    client = gql("slupsk", user=slupsk_admin)
    payload = client.mutate(TEAM, {"input": {"name": "Zespół Północ", "districts": [ids["rejon-1"], ids["rejon-2"]]}})
    assert payload["errors"] == []
    assert [d["code"] for d in payload["team"]["districts"]] == ["rejon-1", "rejon-2"]
    team_id = payload["team"]["id"]
    moved = client.mutate(UPDATE_TEAM, {"id": team_id, "input": {"districts": [ids["rejon-5"]]}})
    assert moved == {"team": {"name": "Zespół Północ", "districts": [{"code": "rejon-5"}]}, "errors": []}
    foreign = client.mutate(UPDATE_TEAM, {"id": team_id, "input": {"districts": [torun_objects["District"][1]]}})
    assert foreign["errors"] == [{"field": "districts", "code": "NOT_FOUND"}]
    duplicate = client.mutate(TEAM, {"input": {"name": "Zespół Północ"}})
    assert duplicate["errors"] == [{"field": "name", "code": "UNIQUE"}]
    with in_schema("slupsk"):
        assert list(Team.objects.get(name="Zespół Północ").districts.values_list("code", flat=True)) == ["rejon-5"]


# --- districts and streets -----------------------------------------------------------------------

CREATE_DISTRICT = """mutation($input: DistrictInput!) {
  createDistrict(input: $input) { district { id code } errors { field code } }
}"""
ADD_STREET = """mutation($district: ID!, $street: String!, $numbers: StreetNumbers, $from: Int, $to: Int) {
  createDistrictStreet(district: $district, street: $street, numbers: $numbers, numberFrom: $from, numberTo: $to) {
    districtStreet { street numbers numberFrom numberTo district { code } } errors { field code }
  }
}"""


def test_district_with_streets_and_the_overlap_rule(gql, slupsk_admin, in_schema, slupsk_worker, codes):
    client = gql("slupsk", user=slupsk_admin)
    created = client.mutate(CREATE_DISTRICT, {"input": {"code": "rejon-6", "name": "Rejon VI"}})
    assert created["errors"] == []
    district_id = created["district"]["id"]
    added = client.mutate(
        ADD_STREET, {"district": district_id, "street": "Szczecińska", "numbers": "RANGE", "from": 201, "to": 300}
    )
    assert added["errors"] == []
    assert added["districtStreet"] == {
        "street": "Szczecińska",
        "numbers": "RANGE",
        "numberFrom": 201,
        "numberTo": 300,
        "district": {"code": "rejon-6"},
    }
    found = gql("slupsk", user=slupsk_worker).data(DISTRICT_FOR, {"street": "Szczecińska", "building": "250"})
    assert found["districtFor"]["district"] == {"code": "rejon-6"}

    overlap = client.mutate(ADD_STREET, {"district": district_id, "street": "ul. Jaracza"})
    assert codes(overlap) == ["DISTRICT_OVERLAP"]
    incomplete = client.mutate(ADD_STREET, {"district": district_id, "street": "Nowa", "numbers": "RANGE", "from": 1})
    assert codes(incomplete) == ["RANGE_INCOMPLETE"]  # not also the database constraint's generic INVALID
    reversed_ = client.mutate(
        ADD_STREET, {"district": district_id, "street": "Nowa", "numbers": "RANGE", "from": 9, "to": 1}
    )
    assert codes(reversed_) == ["RANGE_REVERSED"]
    bad_code = client.mutate(CREATE_DISTRICT, {"input": {"code": "rejon 7", "name": "Rejon VII"}})
    assert bad_code["errors"] == [{"field": "code", "code": "INVALID"}]
    with in_schema("slupsk"):
        assert DistrictStreet.objects.filter(district__code="rejon-6").count() == 1


def test_a_street_for_a_torun_district_is_not_added_on_slupsk(gql, slupsk_admin, torun_objects, in_schema):
    payload = gql("slupsk", user=slupsk_admin).mutate(
        ADD_STREET, {"district": torun_objects["District"][1], "street": "Wąska"}
    )
    assert payload["errors"] == [{"field": "district", "code": "NOT_FOUND"}]
    with in_schema("torun"):
        assert DistrictStreet.objects.filter(street="Wąska").count() == 0


# --- schedules, rules, closures --------------------------------------------------------------------

CREATE_SCHEDULE = """mutation($input: ScheduleInput!) {
  createSchedule(input: $input) { schedule { id kind district { code } } errors { field code } }
}"""
ADD_RULE = """mutation($schedule: ID!, $weekday: Weekday!, $opens: Time!, $closes: Time!) {
  createScheduleRule(schedule: $schedule, weekday: $weekday, opens: $opens, closes: $closes) {
    scheduleRule { weekday opens closes } errors { field code }
  }
}"""


def test_schedule_with_rules_changes_the_hours(gql, admin, worker, in_schema, fixed_now, codes):
    client = gql("torun", user=admin)
    created = client.mutate(CREATE_SCHEDULE, {"input": {"kind": "RECEPTION"}})
    assert created["errors"] == []
    schedule_id = created["schedule"]["id"]
    rule = {"schedule": schedule_id, "weekday": "TUESDAY", "opens": "08:00:00", "closes": "10:00:00"}
    assert client.mutate(ADD_RULE, rule)["errors"] == []
    hours = gql("torun", user=worker).data(HOURS, {"date": "2026-11-24"})
    assert hours["reception"] == [{"opens": "08:00:00", "closes": "10:00:00"}]

    overlap = client.mutate(ADD_RULE, {**rule, "opens": "09:00:00", "closes": "11:00:00"})
    assert codes(overlap) == ["HOURS_OVERLAP"]
    reversed_ = client.mutate(ADD_RULE, {**rule, "opens": "12:00:00", "closes": "11:00:00"})
    assert codes(reversed_) == ["HOURS_REVERSED"]
    second = client.mutate(CREATE_SCHEDULE, {"input": {"kind": "RECEPTION"}})
    assert codes(second) == ["INVALID"]
    without_kind = client.mutate(CREATE_SCHEDULE, {"input": {"label": "?"}})
    assert without_kind["errors"] == [{"field": "kind", "code": "BLANK"}]
    with in_schema("torun"):
        assert ScheduleRule.objects.filter(schedule__kind="reception").count() == 1
        assert Schedule.objects.filter(kind="reception").count() == 1


def test_a_rule_for_a_torun_schedule_is_not_added_on_slupsk(gql, slupsk_admin, torun_objects, in_schema):
    rule = {"schedule": torun_objects["Schedule"][1], "weekday": "FRIDAY", "opens": "08:00:00", "closes": "09:00:00"}
    payload = gql("slupsk", user=slupsk_admin).mutate(ADD_RULE, rule)
    assert payload["errors"] == [{"field": "schedule", "code": "NOT_FOUND"}]
    with in_schema("torun"):
        assert ScheduleRule.objects.filter(weekday=4, schedule__kind="reception").count() == 0


CREATE_CLOSURE = """mutation($date: Date!, $reason: String!, $kind: HoursKind, $early: Time) {
  createClosure(date: $date, reason: $reason, kind: $kind, closesEarlyAt: $early) {
    closure { date kind closesEarlyAt } errors { field code }
  }
}"""


def test_closures_close_the_office(gql, admin, worker, in_schema, codes):
    client = gql("torun", user=admin)
    payload = client.mutate(CREATE_CLOSURE, {"date": "2026-11-24", "reason": "Szkolenie", "kind": "OFFICE"})
    assert payload == {"closure": {"date": "2026-11-24", "kind": "OFFICE", "closesEarlyAt": None}, "errors": []}
    hours = gql("torun", user=worker).data(HOURS, {"date": "2026-11-24"})
    assert hours["hoursOn"] == []
    again = client.mutate(CREATE_CLOSURE, {"date": "2026-11-24", "reason": "Znowu", "kind": "OFFICE"})
    assert codes(again) == ["UNIQUE_TOGETHER"]
    blank = client.mutate(CREATE_CLOSURE, {"date": "2026-11-25", "reason": ""})
    assert blank["errors"] == [{"field": "reason", "code": "BLANK"}]
    with in_schema("torun"):
        assert Closure.objects.count() == 1


def test_a_district_schedule_and_a_foreign_district(gql, slupsk_admin, torun_objects, in_schema):
    with in_schema("slupsk"):
        rejon = District.objects.get(code="rejon-1")
        services.delete_schedule(None, Schedule.objects.get(kind="reception", district=rejon))
        rejon_id = to_global_id("District", rejon.pk)
    client = gql("slupsk", user=slupsk_admin)
    created = client.mutate(CREATE_SCHEDULE, {"input": {"kind": "RECEPTION", "district": rejon_id}})
    assert created["errors"] == [] and created["schedule"]["district"] == {"code": "rejon-1"}
    foreign = client.mutate(
        CREATE_SCHEDULE, {"input": {"kind": "COMPLAINTS", "district": torun_objects["District"][1]}}
    )
    assert foreign == {"schedule": None, "errors": [{"field": "district", "code": "NOT_FOUND"}]}
    with in_schema("slupsk"):
        assert not Schedule.objects.filter(kind="complaints").exists()
