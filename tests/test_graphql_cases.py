"""Staff GraphQL, social assistance: the lists (persons, households, cases, applications, interviews, case notes,
reasons for help) are scoped like the services (a social worker: their districts and the intake pool), audited
where the services audit, cost a constant number of SQL statements, and IDs of another center find nothing."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from ostoja.graphql.core.ids import to_global_id
from ostoja.modules.cases import services
from ostoja.modules.cases.models import Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import District, DistrictStreet

pytestmark = pytest.mark.django_db

_serial = count(500)


def torun_id(type_name, pk):
    with schema_context("torun"):
        return to_global_id(type_name, pk)


def staff(slug, username, *roles, districts=()):
    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Test")
        profile = StaffProfile.objects.create(user=user, roles=list(roles))
        profile.districts.set(districts)
    return user


def person(actor, last_name="Kowalska", number="7", first_name="Zofia", **extra):
    with schema_context("torun"):
        values = dict(
            first_name=first_name,
            last_name=last_name,
            pesel=make_pesel(date(1980, 5, 17), next(_serial), Sex.FEMALE),
            street="ul. Testowa",
            building=number,
            city="Toruń",
        )
        values.update(extra)
        return services.create_person(actor, **values).person


def application(actor, who, received_on=date(2026, 11, 2), reasons=("ubostwo",), **extra):
    with schema_context("torun"):
        return services.register_application(actor, who.pk, received_on=received_on, reasons=reasons, **extra)


@pytest.fixture
def w(torun):
    return world()


def world():
    """Two districts of Toruń (odd numbers of Testowa in I, even in II) and the staff of the tests."""
    with schema_context("torun"):
        one = District.objects.create(code="gql-rejon-1", name="Rejon I (gql)")
        two = District.objects.create(code="gql-rejon-2", name="Rejon II (gql)")
        DistrictStreet.objects.create(district=one, street="Testowa", numbers="odd")
        DistrictStreet.objects.create(district=two, street="Testowa", numbers="even")

    class World:
        pass

    world = World()
    world.one, world.two = one, two
    world.director = staff("torun", "dyrektorka", Role.DIRECTOR)
    world.worker1 = staff("torun", "pracownik1", Role.SOCIAL_WORKER, districts=[one])
    world.worker2 = staff("torun", "pracownik2", Role.SOCIAL_WORKER, districts=[two])
    world.auditor = staff("torun", "audytor", Role.AUDITOR)
    world.coordinator = staff("torun", "koordynator", Role.PROJECT_COORDINATOR)
    return world


PERSONS = """query($search: String, $districtId: ID, $withoutDistrict: Boolean, $orderBy: PersonOrder) {
  persons(first: 20, search: $search, districtId: $districtId, withoutDistrict: $withoutDistrict, orderBy: $orderBy) {
    totalCount edges { node { id lastName fullName pesel sex districtStatus district { name } } }
  }
}"""


def names(connection):
    return [edge["node"]["lastName"] for edge in connection["edges"]]


def test_persons_are_scoped_to_the_social_workers_districts_plus_the_intake_pool(gql, w):
    person(w.director, "Nieparzysta", "7")
    person(w.director, "Parzysta", "8")
    person(w.director, "Bezdomna", street="", building="", date_of_birth=None)
    assert names(gql("torun", user=w.worker1).data(PERSONS)["persons"]) == ["Bezdomna", "Nieparzysta"]
    assert names(gql("torun", user=w.worker2).data(PERSONS)["persons"]) == ["Bezdomna", "Parzysta"]
    everyone = gql("torun", user=w.auditor).data(PERSONS)["persons"]
    assert everyone["totalCount"] == 3 and names(everyone) == ["Bezdomna", "Nieparzysta", "Parzysta"]
    pool = gql("torun", user=w.auditor).data(PERSONS, {"withoutDistrict": True})["persons"]
    assert names(pool) == ["Bezdomna"] and pool["edges"][0]["node"]["districtStatus"] is None
    node = everyone["edges"][1]["node"]
    assert node["district"] == {"name": "Rejon I (gql)"} and node["districtStatus"] == "ASSIGNED"
    assert node["sex"] == "FEMALE" and node["fullName"] == "Zofia Nieparzysta"


def test_persons_search_by_name_and_pesel_and_filter_by_district(gql, w):
    kowalska = person(w.director, "Kowalska", "7")
    person(w.director, "Nowak", "9", first_name="Anna")
    client = gql("torun", user=w.director)
    assert names(client.data(PERSONS, {"search": "kowal"})["persons"]) == ["Kowalska"]
    assert names(client.data(PERSONS, {"search": "anna now"})["persons"]) == ["Nowak"]
    assert names(client.data(PERSONS, {"search": kowalska.pesel[:9]})["persons"]) == ["Kowalska"]
    by_district = client.data(PERSONS, {"districtId": torun_id("District", w.two.pk)})["persons"]
    assert by_district["totalCount"] == 0
    newest = client.data(PERSONS, {"orderBy": "NEWEST"})["persons"]
    assert names(newest) == ["Nowak", "Kowalska"]


def test_persons_refused_for_another_district_wrong_role_and_anonymous(gql, w, codes):
    body = gql("torun", user=w.worker1)(PERSONS, {"districtId": torun_id("District", w.two.pk)})
    assert codes(body) == ["other_district"] and body["data"]["persons"] is None
    assert codes(gql("torun", user=w.coordinator)(PERSONS)) == ["role_required"]
    assert codes(gql("torun")(PERSONS)) == ["not_authenticated"]


def test_page_size_is_capped(gql, w, codes):
    body = gql("torun", user=w.director)("{ persons(first: 101) { totalCount } }")
    assert codes(body) == ["page_size"]


NODE = "query($id: ID!) { node(id: $id) { id ... on Person { lastName } ... on Case { status } } }"


def test_person_by_id_is_audited_scoped_and_not_found_in_another_center(gql, w, slupsk, codes):
    someone = person(w.director, "Odczytana", "7")
    person_id = torun_id("Person", someone.pk)
    assert gql("torun", user=w.worker1).data(NODE, {"id": person_id})["node"]["lastName"] == "Odczytana"
    with schema_context("torun"):
        assert AuditEntry.objects.filter(
            action=AuditAction.READ, object_type="cases.person", object_id=str(someone.pk), actor=w.worker1
        ).exists()
    assert codes(gql("torun", user=w.worker2)(NODE, {"id": person_id})) == ["other_district"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    body = gql("slupsk", user=stranger)(NODE, {"id": person_id})
    assert codes(body) == ["not_found"] and body["data"]["node"] is None


CASES = """query($first: Int, $status: CaseStatus, $reason: String, $overdue: Boolean, $sensitive: Boolean,
               $workerId: ID, $districtId: ID, $from: Date, $to: Date, $search: String, $orderBy: CaseOrder) {
  cases(first: $first, status: $status, reason: $reason, overdue: $overdue, includeSensitive: $sensitive,
        workerId: $workerId, districtId: $districtId, openedFrom: $from, openedTo: $to, search: $search,
        orderBy: $orderBy) {
    totalCount
    edges { node { id status openedOn restrictedReasons person { lastName district { name } } reasons { code } } }
  }
}"""


def case_names(body):
    return [edge["node"]["person"]["lastName"] for edge in body["cases"]["edges"]]


def test_cases_filters(gql, w):
    today = date.today()
    first = application(w.director, person(w.director, "Pierwsza", "7"), today - timedelta(days=90), ("bezrobocie",))
    application(w.director, person(w.director, "Druga", "8"), today - timedelta(days=45), ("ubostwo",))
    with schema_context("torun"):
        services.assign_case_worker(w.director, first.case_id, StaffProfile.objects.get(user=w.worker1).pk)
        worker1_id = to_global_id("StaffMember", StaffProfile.objects.get(user=w.worker1).pk)
    client = gql("torun", user=w.director)
    assert case_names(client.data(CASES)) == ["Druga", "Pierwsza"]
    assert case_names(client.data(CASES, {"orderBy": "OPENED_OLDEST"})) == ["Pierwsza", "Druga"]
    assert case_names(client.data(CASES, {"orderBy": "PERSON_LAST_NAME"})) == ["Druga", "Pierwsza"]
    assert case_names(client.data(CASES, {"reason": "bezrobocie"})) == ["Pierwsza"]
    assert case_names(client.data(CASES, {"workerId": worker1_id})) == ["Pierwsza"]
    assert case_names(client.data(CASES, {"districtId": torun_id("District", w.two.pk)})) == ["Druga"]
    window = {"from": (today - timedelta(days=60)).isoformat(), "to": today.isoformat()}
    assert case_names(client.data(CASES, window)) == ["Druga"]
    assert case_names(client.data(CASES, {"search": "pierw"})) == ["Pierwsza"]
    assert case_names(client.data(CASES, {"status": "OPEN"})) == ["Druga", "Pierwsza"]
    assert case_names(client.data(CASES, {"status": "CLOSED"})) == []
    # Both interviews are past due (14 working days after the application) and neither is decided.
    assert case_names(client.data(CASES, {"overdue": True})) == ["Druga", "Pierwsza"]
    with schema_context("torun"):
        services.close_case(w.director, first.case_id, reason="withdrawn")
    assert case_names(client.data(CASES, {"overdue": True})) == ["Druga"]
    assert case_names(client.data(CASES, {"overdue": False})) == ["Pierwsza"]
    assert case_names(client.data(CASES, {"status": "CLOSED"})) == ["Pierwsza"]


def test_cases_date_range_reversed_is_a_validation_error(gql, w, codes):
    body = gql("torun", user=w.director)(CASES, {"from": "2026-10-15", "to": "2026-10-01"})
    assert codes(body) == ["period_reversed"]


def test_cases_scoped_by_district_and_refused_for_other_roles(gql, w, codes):
    application(w.director, person(w.director, "Nieparzysta", "7"))
    application(w.director, person(w.director, "Parzysta", "8"))
    assert case_names(gql("torun", user=w.worker1).data(CASES)) == ["Nieparzysta"]
    assert case_names(gql("torun", user=w.auditor).data(CASES)) == ["Parzysta", "Nieparzysta"]
    body = gql("torun", user=w.worker1)(CASES, {"districtId": torun_id("District", w.two.pk)})
    assert codes(body) == ["other_district"]
    assert codes(gql("torun", user=w.coordinator)(CASES)) == ["role_required"]
    assert codes(gql("torun")(CASES)) == ["not_authenticated"]


def test_cases_hide_special_category_reasons_unless_asked_and_audit_the_reading(gql, w):
    app = application(w.director, person(w.director, "Wrazliwa", "7"), reasons=("bezrobocie", "uzaleznienia"))
    client = gql("torun", user=w.worker1)
    [edge] = client.data(CASES)["cases"]["edges"]
    assert edge["node"]["reasons"] == [{"code": "bezrobocie"}] and edge["node"]["restrictedReasons"] == 1
    with schema_context("torun"):
        assert not AuditEntry.objects.filter(action=AuditAction.READ_SENSITIVE).exists()
    [edge] = client.data(CASES, {"sensitive": True})["cases"]["edges"]
    assert [r["code"] for r in edge["node"]["reasons"]] == ["bezrobocie", "uzaleznienia"]
    assert edge["node"]["restrictedReasons"] == 0
    with schema_context("torun"):
        entry = AuditEntry.objects.get(action=AuditAction.READ_SENSITIVE)
        assert entry.object_id == str(app.case_id) and entry.actor == w.worker1


def test_case_by_id_is_audited_and_not_found_in_another_center(gql, w, slupsk, codes):
    app = application(w.director, person(w.director, "Sprawa", "7"), reasons=("przemoc-domowa",))
    case_id = torun_id("Case", app.case_id)
    query = "query($id: ID!) { node(id: $id) { ... on Case { status reasons { code } applications { id } } } }"
    node = gql("torun", user=w.worker1).data(query, {"id": case_id})["node"]
    assert node["status"] == "OPEN" and node["reasons"] == [{"code": "przemoc-domowa"}]
    with schema_context("torun"):
        assert AuditEntry.objects.filter(action=AuditAction.READ_SENSITIVE, actor=w.worker1).count() == 1
    assert codes(gql("torun", user=w.worker2)(query, {"id": case_id})) == ["other_district"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger)(query, {"id": case_id})) == ["not_found"]


def test_case_list_costs_the_same_few_statements_for_5_and_50_cases(gql, w, count_sql):
    for n in range(50):
        application(w.director, person(w.director, f"Osoba{n:02d}", "7"), reasons=("ubostwo", "bezrobocie"))
    client = gql("torun", user=w.worker1)
    query = """query($first: Int) { cases(first: $first) { totalCount edges { node {
        id status person { lastName district { name } } reasons { code name } } } } }"""
    client.data(query, {"first": 1})  # warm up the host cache
    statements = {}
    for first in (5, 50):
        with count_sql() as sql:
            data = client.data(query, {"first": first})
        assert len(data["cases"]["edges"]) == first
        statements[first] = sql.n
    # session, user, staff profile with its districts, COUNT, the page with person and district, the reasons
    assert statements[5] == statements[50] <= 6, (
        "a social worker's case list must cost at most 6 statements per request whatever the page size (issue #4): "
        "persons and districts joined, reasons in one prefetch, the profile with its districts in one statement — "
        "never one query per row (a page of 50 would cost 100+, and an audited read per person if Person had a "
        f"get_queryset); got {statements}"
    )


APPLICATIONS = """query($pending: Boolean, $overdue: Boolean, $caseId: ID, $from: Date, $to: Date) {
  applications(first: 10, pending: $pending, overdue: $overdue, caseId: $caseId, receivedFrom: $from,
               receivedTo: $to) {
    totalCount edges { node { id receivedOn submittedBy overdue notified decisionDueOn case { person { lastName } } } }
  }
}"""


def test_applications_filters_scope_and_notice(gql, w, codes, slupsk):
    old = application(w.director, person(w.director, "Stara", "7"), date(2026, 1, 5))
    application(w.director, person(w.director, "Inna", "8"), date(2026, 11, 2))
    client = gql("torun", user=w.director)
    data = client.data(APPLICATIONS, {"from": "2026-01-01", "to": "2026-01-31"})["applications"]
    [node] = [edge["node"] for edge in data["edges"]]
    assert node["case"]["person"]["lastName"] == "Stara" and node["overdue"] and not node["notified"]
    assert node["submittedBy"] == "PERSON"
    with schema_context("torun"):
        services.record_delay_notice(
            w.director, old.pk, reason="Brak dokumentów.", new_due_on=old.decision_due_on + timedelta(days=30)
        )
    data = client.data(APPLICATIONS, {"caseId": torun_id("Case", old.case_id)})["applications"]
    assert data["totalCount"] == 1 and data["edges"][0]["node"]["notified"] is True
    assert client.data(APPLICATIONS, {"pending": False})["applications"]["totalCount"] == 0
    assert gql("torun", user=w.worker1).data(APPLICATIONS)["applications"]["totalCount"] == 1
    assert codes(gql("torun", user=w.coordinator)(APPLICATIONS)) == ["role_required"]
    body = client(APPLICATIONS, {"from": "2026-02-01", "to": "2026-01-01"})
    assert codes(body) == ["period_reversed"]
    with schema_context("slupsk"):
        foreign_case = to_global_id("Case", old.case_id)
    assert codes(client(APPLICATIONS, {"caseId": foreign_case})) == ["not_found"]


INTERVIEWS = """query($overdue: Boolean, $status: InterviewStatus, $workerId: ID, $from: Date, $to: Date) {
  interviews(first: 10, overdue: $overdue, status: $status, workerId: $workerId, dueFrom: $from, dueTo: $to) {
    totalCount edges { node { id status dueOn overdue assignedTo { username } case { person { lastName } } } }
  }
}"""


def test_interviews_planned_overdue_by_worker_and_due_date(gql, w, codes):
    today = date.today()
    late = application(w.director, person(w.director, "Spozniona", "7"), today - timedelta(days=60))
    application(w.director, person(w.director, "Terminowa", "9"), today)
    with schema_context("torun"):
        worker1 = StaffProfile.objects.get(user=w.worker1)
        services.assign_interview(w.director, late.interview.pk, worker1.pk)
    client = gql("torun", user=w.worker1)
    everything = client.data(INTERVIEWS)["interviews"]
    assert [e["node"]["case"]["person"]["lastName"] for e in everything["edges"]] == ["Spozniona", "Terminowa"]
    overdue = client.data(INTERVIEWS, {"overdue": True})["interviews"]["edges"]
    assert [e["node"]["case"]["person"]["lastName"] for e in overdue] == ["Spozniona"]
    assert overdue[0]["node"]["overdue"] and overdue[0]["node"]["assignedTo"] == {"username": "pracownik1"}
    mine = client.data(INTERVIEWS, {"workerId": torun_id("StaffMember", worker1.pk)})["interviews"]
    assert mine["totalCount"] == 1
    soon = client.data(INTERVIEWS, {"from": today.isoformat(), "to": (today + timedelta(days=60)).isoformat()})
    assert [e["node"]["case"]["person"]["lastName"] for e in soon["interviews"]["edges"]] == ["Terminowa"]
    assert client.data(INTERVIEWS, {"status": "CONDUCTED"})["interviews"]["totalCount"] == 0
    assert gql("torun", user=w.worker2).data(INTERVIEWS)["interviews"]["totalCount"] == 0
    assert codes(gql("torun")(INTERVIEWS)) == ["not_authenticated"]
    assert codes(client(INTERVIEWS, {"from": "2026-02-01", "to": "2026-01-01"})) == ["period_reversed"]


NOTES = """query($caseId: ID!, $kind: CaseNoteKind) {
  caseNotes(caseId: $caseId, first: 10, kind: $kind) { totalCount edges { node { id kind text authorName } } }
}"""


def test_case_notes_are_audited_scoped_and_foreign_ids_not_found(gql, w, codes, slupsk):
    app = application(w.director, person(w.director, "Notowana", "7"))
    with schema_context("torun"):
        services.add_case_note(w.director, app.case_id, text="Wizyta w domu.", kind="visit")
        services.add_case_note(w.director, app.case_id, text="Telefon.", kind="call")
    case_id = torun_id("Case", app.case_id)
    data = gql("torun", user=w.worker1).data(NOTES, {"caseId": case_id})["caseNotes"]
    assert data["totalCount"] == 2 and {e["node"]["kind"] for e in data["edges"]} == {"VISIT", "CALL"}
    assert data["edges"][0]["node"]["authorName"] == "Dyrektorka Test"
    calls = gql("torun", user=w.worker1).data(NOTES, {"caseId": case_id, "kind": "CALL"})["caseNotes"]
    assert [e["node"]["text"] for e in calls["edges"]] == ["Telefon."]
    with schema_context("torun"):
        assert (
            AuditEntry.objects.filter(
                action=AuditAction.READ, actor=w.worker1, object_type="cases.case", object_id=str(app.case_id)
            ).count()
            == 2
        )  # one per reading of the notes
    assert codes(gql("torun", user=w.worker2)(NOTES, {"caseId": case_id})) == ["other_district"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger)(NOTES, {"caseId": case_id})) == ["not_found"]


HOUSEHOLDS = """query($search: String) { households(first: 10, search: $search) { totalCount edges { node {
  id size totalIncome incomePerPerson head { lastName }
  members { relation monthlyIncome person { lastName } } } } } }"""


def test_households_with_income_scoped_by_the_heads_district(gql, w, codes):
    head = person(w.director, "Glowa", "7")
    child = person(w.director, "Dziecko", "7")
    with schema_context("torun"):
        services.create_household(
            w.director,
            head.pk,
            head_income=1000,
            members=[{"person_id": child.pk, "relation": "child", "monthly_income": 0}],
        )
    data = gql("torun", user=w.worker1).data(HOUSEHOLDS)["households"]
    [node] = [edge["node"] for edge in data["edges"]]
    assert node["head"]["lastName"] == "Glowa" and node["size"] == 2
    assert node["totalIncome"] == "1000.00" and node["incomePerPerson"] == "500.00"
    assert [m["relation"] for m in node["members"]] == ["HEAD", "CHILD"]
    assert gql("torun", user=w.worker1).data(HOUSEHOLDS, {"search": "dziecko"})["households"]["totalCount"] == 1
    assert gql("torun", user=w.worker2).data(HOUSEHOLDS)["households"]["totalCount"] == 0
    assert codes(gql("torun", user=w.coordinator)(HOUSEHOLDS)) == ["role_required"]


def test_help_reasons_list_in_statutory_order(gql, w, codes):
    query = "query($s: Boolean) { helpReasons(first: 100, specialCategory: $s) { totalCount edges { node { code "
    query += "name specialCategory } } } }"
    data = gql("torun", user=w.coordinator).data(query)["helpReasons"]
    codes_ = [edge["node"]["code"] for edge in data["edges"]]
    assert "ubostwo" in codes_ and "przemoc-domowa" in codes_
    special = gql("torun", user=w.auditor).data(query, {"s": True})["helpReasons"]["edges"]
    assert special and all(edge["node"]["specialCategory"] for edge in special)
    assert codes(gql("torun")(query)) == ["not_authenticated"]
