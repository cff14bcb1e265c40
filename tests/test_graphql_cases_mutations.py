"""Staff GraphQL, social assistance: the mutations call the case services, report their typed errors, change
nothing when refused, and refuse anonymous callers, the read-only auditor and IDs issued by another center."""

from datetime import date, timedelta

import pytest
from django_tenants.utils import schema_context
from test_graphql_cases import application, person, staff, torun_id, world

from ostoja.graphql.core.ids import to_global_id
from ostoja.modules.cases.models import (
    Case,
    CaseNote,
    CaseStatus,
    DelayNotice,
    Household,
    HouseholdMember,
    Interview,
    Person,
    Sex,
)
from ostoja.modules.cases.pesel import make_pesel
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

ERR = "errors { field code message }"
CREATE_PERSON = f"""mutation($input: PersonInput!) {{
  createPerson(input: $input) {{
    person {{ id lastName sex pesel phone district {{ name }} }} districtStatus warnings {ERR} }}
}}"""
UPDATE_PERSON = f"""mutation($id: ID!, $input: PersonInput!) {{
  updatePerson(id: $id, input: $input) {{ person {{ lastName phone postcode district {{ name }} }} {ERR} }}
}}"""
OVERRIDE = f"""mutation($personId: ID!, $districtId: ID!, $reason: String!) {{
  overridePersonDistrict(personId: $personId, districtId: $districtId, reason: $reason) {{
    person {{ district {{ name }} districtOverridden districtOverrideReason }} districtStatus {ERR} }}
}}"""
CLEAR = f"""mutation($personId: ID!) {{
  clearPersonDistrictOverride(personId: $personId) {{ person {{ district {{ name }} districtOverridden }} {ERR} }}
}}"""
CREATE_HOUSEHOLD = f"""mutation($input: CreateHouseholdInput!) {{
  createHousehold(input: $input) {{ household {{ id size totalIncome members {{ id relation person {{ lastName }} }} }}
  {ERR} }}
}}"""
ADD_MEMBER = f"""mutation($householdId: ID!, $personId: ID!, $relation: Relation!, $income: Decimal) {{
  addHouseholdMember(householdId: $householdId, personId: $personId, relation: $relation, monthlyIncome: $income) {{
    member {{ id relation monthlyIncome household {{ size }} }} {ERR} }}
}}"""
SET_INCOME = f"""mutation($memberId: ID!, $income: Decimal!, $sources: String) {{
  setHouseholdMemberIncome(memberId: $memberId, monthlyIncome: $income, incomeSources: $sources) {{
    member {{ monthlyIncome incomeSources }} {ERR} }}
}}"""
REMOVE_MEMBER = (
    f"""mutation($memberId: ID!) {{ removeHouseholdMember(memberId: $memberId) {{ removedMemberId {ERR} }} }}"""
)
REGISTER = f"""mutation($input: RegisterApplicationInput!) {{
  registerApplication(input: $input) {{
    application {{ id receivedOn decisionDueOn urgent }} case {{ id status reasons {{ code }} }}
    interview {{ id dueOn status }} {ERR} }}
}}"""
ASSIGN_WORKER = f"""mutation($caseId: ID!, $workerId: ID!) {{
  assignCaseWorker(caseId: $caseId, workerId: $workerId) {{ case {{ worker {{ username }} }} {ERR} }}
}}"""
ASSIGN_INTERVIEW = f"""mutation($interviewId: ID!, $workerId: ID!) {{
  assignInterview(interviewId: $interviewId, workerId: $workerId) {{
    interview {{ assignedTo {{ username }} case {{ status worker {{ username }} }} }} {ERR} }}
}}"""
RECORD_INTERVIEW = f"""mutation($interviewId: ID!, $on: Date!, $findings: String!) {{
  recordInterview(interviewId: $interviewId, conductedOn: $on, findings: $findings, place: "dom") {{
    interview {{ status conductedOn findings case {{ status }} }} {ERR} }}
}}"""
SET_REASONS = f"""mutation($caseId: ID!, $reasons: [String!]!) {{
  setCaseReasons(caseId: $caseId, reasons: $reasons) {{ case {{ reasons {{ code }} restrictedReasons }} {ERR} }}
}}"""
CLOSE = f"""mutation($caseId: ID!, $reason: ClosureReason!) {{
  closeCase(caseId: $caseId, reason: $reason, note: "Wniosek wycofany.") {{
    case {{ status closedOn closureReason }} {ERR} }}
}}"""
REOPEN = f"""mutation($caseId: ID!, $note: String!) {{
  reopenCase(caseId: $caseId, note: $note) {{ case {{ status closedOn }} {ERR} }}
}}"""
DELAY = f"""mutation($applicationId: ID!, $reason: String!, $newDueOn: Date!) {{
  recordDelayNotice(applicationId: $applicationId, reason: $reason, newDueOn: $newDueOn) {{
    application {{ notified delayNotices {{ kind newDueOn }} }} delayNotice {{ reason }} {ERR} }}
}}"""
NOTE = f"""mutation($caseId: ID!, $text: String!, $kind: CaseNoteKind) {{
  addCaseNote(caseId: $caseId, text: $text, kind: $kind) {{ caseNote {{ id kind text authorName }} {ERR} }}
}}"""


def new_pesel(serial, born=date(1985, 3, 9), sex=Sex.MALE):
    return make_pesel(born, serial, sex)


@pytest.fixture
def w(torun):
    return world()


@pytest.fixture
def o(w):
    """Objects of Toruń to act on: a person of district I with an open case and a household."""
    w.person = person(w.director, "Kowalski", "7", first_name="Jan", pesel=new_pesel(901))
    w.other = person(w.director, "Nowak", "9", pesel=new_pesel(902))
    w.application = application(w.director, w.person, date.today() - timedelta(days=3))
    with schema_context("torun"):
        from ostoja.modules.cases import services

        w.household = services.create_household(w.director, w.person.pk, head_income=1200)
        w.head_member = HouseholdMember.objects.get(person=w.person)
        w.worker1_profile = StaffProfile.objects.get(user=w.worker1)
        w.worker2_profile = StaffProfile.objects.get(user=w.worker2)
    w.case_id = w.application.case_id
    w.interview = w.application.interview
    return w


def ids(o):
    return {
        "person": torun_id("Person", o.person.pk),
        "other": torun_id("Person", o.other.pk),
        "case": torun_id("Case", o.case_id),
        "application": torun_id("Application", o.application.pk),
        "interview": torun_id("Interview", o.interview.pk),
        "household": torun_id("Household", o.household.pk),
        "member": torun_id("HouseholdMember", o.head_member.pk),
        "district1": torun_id("District", o.one.pk),
        "worker1": torun_id("StaffMember", o.worker1_profile.pk),
    }


def count_in_torun(model, **filters):
    with schema_context("torun"):
        return model.objects.filter(**filters).count()


# --- persons ---------------------------------------------------------------------------------------


def test_create_person_finds_the_district_and_is_audited(gql, w, codes):
    pesel = new_pesel(911)
    payload = gql("torun", user=w.worker1).mutate(
        CREATE_PERSON,
        {
            "input": {
                "firstName": "Adam",
                "lastName": "Zieliński",
                "pesel": pesel,
                "street": "ul. Testowa",
                "building": "5",
                "city": "Toruń",
                "phone": "600 100 200",
            }
        },
    )
    assert payload["errors"] == []
    assert payload["person"]["sex"] == "MALE" and payload["person"]["phone"] == "+48600100200"
    assert payload["person"]["district"] == {"name": "Rejon I (gql)"} and payload["districtStatus"] == "ASSIGNED"
    with schema_context("torun"):
        created = Person.objects.get(pesel=pesel)
        assert AuditEntry.objects.filter(
            action=AuditAction.CREATE, object_type="cases.person", object_id=str(created.pk), actor=w.worker1
        ).exists()


def test_create_person_reports_every_invalid_field_and_creates_nothing(gql, w, codes):
    good = new_pesel(912)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    variables = {"input": {"firstName": "", "lastName": "Zły", "pesel": bad, "postcode": "87100"}}
    payload = gql("torun", user=w.director).mutate(CREATE_PERSON, variables)
    assert payload["person"] is None
    assert set(codes(payload)) == {"REQUIRED", "INVALID_PESEL", "INVALID_POSTCODE"}  # sex: not known without a PESEL
    assert {e["field"] for e in payload["errors"]} == {"firstName", "pesel", "postcode", "sex"}
    assert count_in_torun(Person, last_name="Zły") == 0


def test_create_person_duplicate_pesel_is_a_conflict(gql, o, codes):
    variables = {"input": {"firstName": "Jan", "lastName": "Dubel", "pesel": o.person.pesel}}
    assert codes(gql("torun", user=o.director).mutate(CREATE_PERSON, variables)) == ["PESEL_TAKEN"]


def test_create_person_refused_in_another_district_and_for_other_roles(gql, w, codes):
    variables = {
        "input": {"firstName": "Ewa", "lastName": "Obca", "pesel": new_pesel(913), "street": "ul. Testowa"}
        | {"building": "8"}
    }
    assert codes(gql("torun", user=w.worker1).mutate(CREATE_PERSON, variables)) == ["OTHER_DISTRICT"]
    assert codes(gql("torun", user=w.auditor).mutate(CREATE_PERSON, variables)) == ["ROLE_REQUIRED"]
    assert codes(gql("torun", user=w.coordinator).mutate(CREATE_PERSON, variables)) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(CREATE_PERSON, variables)) == ["NOT_AUTHENTICATED"]
    assert count_in_torun(Person, last_name="Obca") == 0


def test_update_person_changes_only_the_given_fields(gql, o, codes):
    client = gql("torun", user=o.worker1)
    payload = client.mutate(UPDATE_PERSON, {"id": ids(o)["person"], "input": {"phone": "600 200 300"}})
    assert payload["errors"] == [] and payload["person"]["lastName"] == "Kowalski"
    assert payload["person"]["phone"] == "+48600200300"
    payload = client.mutate(UPDATE_PERSON, {"id": ids(o)["person"], "input": {"postcode": "zły"}})
    assert codes(payload) == ["INVALID_POSTCODE"] and payload["errors"][0]["field"] == "postcode"
    with schema_context("torun"):
        assert Person.objects.get(pk=o.person.pk).postcode == ""
    moved = client.mutate(UPDATE_PERSON, {"id": ids(o)["person"], "input": {"building": "8"}})
    assert moved["errors"] == [] and moved["person"]["district"] == {"name": "Rejon II (gql)"}


def test_update_person_refused_for_another_district_and_foreign_ids(gql, o, codes, slupsk):
    variables = {"id": ids(o)["person"], "input": {"lastName": "Zmieniony"}}
    assert codes(gql("torun", user=o.worker2).mutate(UPDATE_PERSON, variables)) == ["OTHER_DISTRICT"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    payload = gql("slupsk", user=stranger).mutate(UPDATE_PERSON, variables)
    assert codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "id"
    with schema_context("slupsk"):
        local_id = to_global_id("Person", o.person.pk)  # the same primary key, issued in Słupsk
    assert codes(gql("torun", user=o.director).mutate(UPDATE_PERSON, variables | {"id": local_id})) == ["NOT_FOUND"]
    with schema_context("torun"):
        assert Person.objects.get(pk=o.person.pk).last_name == "Kowalski"


def test_override_and_clear_the_district(gql, o, codes):
    client = gql("torun", user=o.director)
    variables = {"personId": ids(o)["person"], "districtId": torun_id("District", o.two.pk), "reason": "Mieszka u"}
    payload = client.mutate(OVERRIDE, variables)
    assert payload["errors"] == [] and payload["districtStatus"] == "MANUAL"
    assert payload["person"] == {
        "district": {"name": "Rejon II (gql)"},
        "districtOverridden": True,
        "districtOverrideReason": "Mieszka u",
    }
    cleared = client.mutate(CLEAR, {"personId": ids(o)["person"]})
    assert cleared["errors"] == [] and cleared["person"] == {
        "district": {"name": "Rejon I (gql)"},
        "districtOverridden": False,
    }


def test_override_district_needs_a_reason_a_role_and_a_district_of_this_center(gql, o, codes, slupsk):
    variables = {"personId": ids(o)["person"], "districtId": ids(o)["district1"], "reason": " "}
    assert codes(gql("torun", user=o.director).mutate(OVERRIDE, variables)) == ["REASON_REQUIRED"]
    variables["reason"] = "Bezdomny"
    assert codes(gql("torun", user=o.auditor).mutate(OVERRIDE, variables)) == ["ROLE_REQUIRED"]
    two = variables | {"districtId": torun_id("District", o.two.pk)}
    assert codes(gql("torun", user=o.worker1).mutate(OVERRIDE, two)) == ["OTHER_DISTRICT"]
    with schema_context("slupsk"):
        foreign_district = to_global_id("District", o.one.pk)
    payload = gql("torun", user=o.director).mutate(OVERRIDE, variables | {"districtId": foreign_district})
    assert codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "districtId"
    assert codes(gql("torun", user=o.auditor).mutate(CLEAR, {"personId": ids(o)["person"]})) == ["ROLE_REQUIRED"]
    with schema_context("torun"):
        assert not Person.objects.get(pk=o.person.pk).district_overridden


# --- households ------------------------------------------------------------------------------------


def test_create_household_with_members_and_income(gql, o, codes):
    head = person(o.director, "Glowa", "7")
    child = person(o.director, "Dziecko", "7")
    variables = {
        "input": {
            "headId": torun_id("Person", head.pk),
            "headIncome": "1500.00",
            "members": [{"personId": torun_id("Person", child.pk), "relation": "CHILD", "monthlyIncome": "0"}],
        }
    }
    payload = gql("torun", user=o.worker1).mutate(CREATE_HOUSEHOLD, variables)
    assert payload["errors"] == []
    assert payload["household"]["size"] == 2 and payload["household"]["totalIncome"] == "1500.00"
    assert [m["relation"] for m in payload["household"]["members"]] == ["HEAD", "CHILD"]


def test_create_household_errors_change_nothing(gql, o, codes, slupsk):
    child = person(o.director, "Dziecko", "7")
    member = {"personId": torun_id("Person", child.pk), "relation": "HEAD"}
    head = person(o.director, "Glowa", "7")
    variables = {"input": {"headId": torun_id("Person", head.pk), "members": [member]}}
    assert codes(gql("torun", user=o.director).mutate(CREATE_HOUSEHOLD, variables)) == ["INVALID_RELATION"]
    already = {"input": {"headId": ids(o)["person"]}}
    assert codes(gql("torun", user=o.director).mutate(CREATE_HOUSEHOLD, already)) == ["ALREADY_IN_HOUSEHOLD"]
    assert codes(gql("torun", user=o.worker2).mutate(CREATE_HOUSEHOLD, variables)) == ["OTHER_DISTRICT"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger).mutate(CREATE_HOUSEHOLD, variables)) == ["NOT_FOUND"]
    assert count_in_torun(Household) == 1 and count_in_torun(HouseholdMember) == 1


def test_household_members_added_paid_and_removed(gql, o, codes):
    client = gql("torun", user=o.worker1)
    variables = {"householdId": ids(o)["household"], "personId": ids(o)["other"], "relation": "SPOUSE"}
    payload = client.mutate(ADD_MEMBER, variables | {"income": "800"})
    assert payload["errors"] == [] and payload["member"]["household"] == {"size": 2}
    member_id = payload["member"]["id"]
    assert codes(client.mutate(ADD_MEMBER, variables)) == ["ALREADY_IN_HOUSEHOLD"]

    paid = client.mutate(SET_INCOME, {"memberId": member_id, "income": "950.5", "sources": "umowa o pracę"})
    assert paid["errors"] == [] and paid["member"] == {"monthlyIncome": "950.50", "incomeSources": "umowa o pracę"}
    negative = client.mutate(SET_INCOME, {"memberId": member_id, "income": "-1"})
    assert codes(negative) == ["INVALID_AMOUNT"]
    with schema_context("torun"):
        assert str(HouseholdMember.objects.get(person=o.other).monthly_income) == "950.50"

    assert codes(client.mutate(REMOVE_MEMBER, {"memberId": ids(o)["member"]})) == ["HEAD_REQUIRED"]
    assert client.mutate(REMOVE_MEMBER, {"memberId": member_id}) == {"removedMemberId": member_id, "errors": []}
    assert count_in_torun(HouseholdMember, person=o.other) == 0


def test_household_member_mutations_refused_for_other_district_auditor_and_foreign_ids(gql, o, codes, slupsk):
    member = ids(o)["member"]
    add = {"householdId": ids(o)["household"], "personId": ids(o)["other"], "relation": "SPOUSE"}
    assert codes(gql("torun", user=o.worker2).mutate(ADD_MEMBER, add)) == ["OTHER_DISTRICT"]
    assert codes(gql("torun", user=o.auditor).mutate(SET_INCOME, {"memberId": member, "income": "1"})) == [
        "ROLE_REQUIRED"
    ]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger).mutate(REMOVE_MEMBER, {"memberId": member})) == ["NOT_FOUND"]
    assert codes(gql("slupsk", user=stranger).mutate(ADD_MEMBER, add)) == ["NOT_FOUND"]
    assert count_in_torun(HouseholdMember) == 1


# --- applications and cases ------------------------------------------------------------------------


def test_register_application_opens_a_case_and_schedules_the_interview(gql, o, codes):
    today = date.today()
    variables = {
        "input": {
            "personId": ids(o)["other"],
            "receivedOn": today.isoformat(),
            "urgent": True,
            "reasons": ["ubostwo", "bezdomnosc"],
        }
    }
    payload = gql("torun", user=o.worker1).mutate(REGISTER, variables)
    assert payload["errors"] == []
    assert payload["case"]["status"] == "OPEN" and payload["application"]["urgent"] is True
    assert {r["code"] for r in payload["case"]["reasons"]} == {"ubostwo", "bezdomnosc"}
    assert payload["interview"]["status"] == "PLANNED" and payload["interview"]["dueOn"] > today.isoformat()
    assert payload["application"]["decisionDueOn"] > today.isoformat()


def test_register_application_validation_and_permissions(gql, o, codes, slupsk):
    future = (date.today() + timedelta(days=2)).isoformat()
    base = {"personId": ids(o)["other"], "receivedOn": date.today().isoformat()}
    client = gql("torun", user=o.director)
    payload = client.mutate(REGISTER, {"input": base | {"receivedOn": future}})
    assert codes(payload) == ["FUTURE_DATE"] and payload["errors"][0]["field"] == "receivedOn"
    assert codes(client.mutate(REGISTER, {"input": base | {"reasons": ["nie-ma"]}})) == ["UNKNOWN_REASON"]
    wrong_case = base | {"caseId": ids(o)["case"]}
    assert codes(client.mutate(REGISTER, {"input": wrong_case})) == ["CASE_OF_ANOTHER_PERSON"]
    assert codes(gql("torun", user=o.auditor).mutate(REGISTER, {"input": base})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun", user=o.worker2).mutate(REGISTER, {"input": base})) == ["OTHER_DISTRICT"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger).mutate(REGISTER, {"input": base})) == ["NOT_FOUND"]
    assert count_in_torun(Case) == 1


def test_assign_case_worker_checks_the_district(gql, o, codes):
    client = gql("torun", user=o.director)
    payload = client.mutate(ASSIGN_WORKER, {"caseId": ids(o)["case"], "workerId": ids(o)["worker1"]})
    assert payload == {"case": {"worker": {"username": "pracownik1"}}, "errors": []}
    other = {"caseId": ids(o)["case"], "workerId": torun_id("StaffMember", o.worker2_profile.pk)}
    payload = client.mutate(ASSIGN_WORKER, other)
    assert codes(payload) == ["WORKER_OTHER_DISTRICT"] and payload["errors"][0]["field"] == "worker"
    with schema_context("torun"):
        auditor = StaffProfile.objects.get(user=o.auditor)
    not_worker = {"caseId": ids(o)["case"], "workerId": torun_id("StaffMember", auditor.pk)}
    assert codes(client.mutate(ASSIGN_WORKER, not_worker)) == ["NOT_SOCIAL_WORKER"]
    assert codes(gql("torun", user=o.worker2).mutate(ASSIGN_WORKER, other)) == ["OTHER_DISTRICT"]
    with schema_context("torun"):
        assert Case.objects.get(pk=o.case_id).worker == o.worker1_profile


def test_interview_assigned_then_recorded_moves_the_case(gql, o, codes):
    client = gql("torun", user=o.worker1)
    interview = ids(o)["interview"]
    early = (o.application.received_on - timedelta(days=1)).isoformat()
    unassigned = client.mutate(RECORD_INTERVIEW, {"interviewId": interview, "on": early, "findings": "x"})
    assert codes(unassigned) == ["INTERVIEW_UNASSIGNED"]
    payload = client.mutate(ASSIGN_INTERVIEW, {"interviewId": interview, "workerId": ids(o)["worker1"]})
    assert payload["errors"] == []
    assert payload["interview"] == {
        "assignedTo": {"username": "pracownik1"},
        "case": {"status": "INTERVIEW", "worker": {"username": "pracownik1"}},
    }
    before = client.mutate(RECORD_INTERVIEW, {"interviewId": interview, "on": early, "findings": "Trudno."})
    assert codes(before) == ["BEFORE_APPLICATION"]
    blank = client.mutate(RECORD_INTERVIEW, {"interviewId": interview, "on": date.today().isoformat(), "findings": ""})
    assert codes(blank) == ["REQUIRED"]
    with schema_context("torun"):
        assert Interview.objects.get(pk=o.interview.pk).status == Interview.Status.PLANNED
    done = client.mutate(
        RECORD_INTERVIEW, {"interviewId": interview, "on": date.today().isoformat(), "findings": "Trudna sytuacja."}
    )
    assert done["errors"] == [] and done["interview"]["status"] == "CONDUCTED"
    assert done["interview"]["case"] == {"status": "DECISION"}
    again = client.mutate(ASSIGN_INTERVIEW, {"interviewId": interview, "workerId": ids(o)["worker1"]})
    assert codes(again) == ["INTERVIEW_NOT_PLANNED"]


def test_interview_mutations_refused_for_auditor_other_district_and_foreign_ids(gql, o, codes, slupsk):
    variables = {"interviewId": ids(o)["interview"], "workerId": ids(o)["worker1"]}
    assert codes(gql("torun", user=o.auditor).mutate(ASSIGN_INTERVIEW, variables)) == ["ROLE_REQUIRED"]
    assert codes(gql("torun", user=o.worker2).mutate(ASSIGN_INTERVIEW, variables)) == ["OTHER_DISTRICT"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger).mutate(ASSIGN_INTERVIEW, variables)) == ["NOT_FOUND"]
    record = {"interviewId": ids(o)["interview"], "on": date.today().isoformat(), "findings": "x"}
    assert codes(gql("slupsk", user=stranger).mutate(RECORD_INTERVIEW, record)) == ["NOT_FOUND"]
    with schema_context("torun"):
        assert Interview.objects.get(pk=o.interview.pk).assigned_to is None


def test_set_case_reasons_hides_special_category_ones_in_the_payload(gql, o, codes):
    client = gql("torun", user=o.worker1)
    payload = client.mutate(SET_REASONS, {"caseId": ids(o)["case"], "reasons": ["bezrobocie", "uzaleznienia"]})
    assert payload == {"case": {"reasons": [{"code": "bezrobocie"}], "restrictedReasons": 1}, "errors": []}
    assert codes(client.mutate(SET_REASONS, {"caseId": ids(o)["case"], "reasons": []})) == ["REQUIRED"]
    assert codes(client.mutate(SET_REASONS, {"caseId": ids(o)["case"], "reasons": ["nie-ma"]})) == ["UNKNOWN_REASON"]
    denied = gql("torun", user=o.auditor).mutate(SET_REASONS, {"caseId": ids(o)["case"], "reasons": ["ubostwo"]})
    assert codes(denied) == ["ROLE_REQUIRED"]
    with schema_context("torun"):
        codes_now = set(Case.objects.get(pk=o.case_id).reasons.values_list("code", flat=True))
    assert codes_now == {"bezrobocie", "uzaleznienia"}


def test_close_and_reopen_a_case(gql, o, codes):
    client = gql("torun", user=o.worker1)
    closed = client.mutate(CLOSE, {"caseId": ids(o)["case"], "reason": "WITHDRAWN"})
    assert closed["errors"] == [] and closed["case"]["status"] == "CLOSED"
    assert closed["case"]["closureReason"] == "WITHDRAWN" and closed["case"]["closedOn"] == date.today().isoformat()
    with schema_context("torun"):
        assert Interview.objects.get(pk=o.interview.pk).status == Interview.Status.CANCELLED
    assert codes(client.mutate(CLOSE, {"caseId": ids(o)["case"], "reason": "OTHER"})) == ["ILLEGAL_TRANSITION"]
    assert codes(client.mutate(NOTE, {"caseId": ids(o)["case"], "text": " "})) == ["REQUIRED"]
    no_note = client.mutate(REOPEN, {"caseId": ids(o)["case"], "note": " "})
    assert codes(no_note) == ["REASON_REQUIRED"] and no_note["errors"][0]["field"] == "note"
    reopened = client.mutate(REOPEN, {"caseId": ids(o)["case"], "note": "Nowy wniosek."})
    assert reopened == {"case": {"status": "OPEN", "closedOn": None}, "errors": []}


def test_close_and_reopen_refused_for_auditor_other_district_and_foreign_ids(gql, o, codes, slupsk):
    variables = {"caseId": ids(o)["case"], "reason": "WITHDRAWN"}
    assert codes(gql("torun", user=o.auditor).mutate(CLOSE, variables)) == ["ROLE_REQUIRED"]
    assert codes(gql("torun", user=o.worker2).mutate(CLOSE, variables)) == ["OTHER_DISTRICT"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger).mutate(CLOSE, variables)) == ["NOT_FOUND"]
    assert codes(gql("slupsk", user=stranger).mutate(REOPEN, {"caseId": ids(o)["case"], "note": "x"})) == ["NOT_FOUND"]
    with schema_context("torun"):
        assert Case.objects.get(pk=o.case_id).status == CaseStatus.OPEN


def test_record_delay_notice(gql, o, codes, slupsk):
    due = o.application.decision_due_on
    client = gql("torun", user=o.worker1)
    variables = {"applicationId": ids(o)["application"], "reason": "Czekamy na zaświadczenie."}
    early = client.mutate(DELAY, variables | {"newDueOn": due.isoformat()})
    assert codes(early) == ["NEW_DATE_TOO_EARLY"] and early["errors"][0]["field"] == "newDueOn"
    later = (due + timedelta(days=14)).isoformat()
    payload = client.mutate(DELAY, variables | {"newDueOn": later})
    assert payload["errors"] == [] and payload["application"]["notified"] is True
    assert payload["application"]["delayNotices"] == [{"kind": "NOTICE", "newDueOn": later}]
    assert codes(gql("torun", user=o.auditor).mutate(DELAY, variables | {"newDueOn": later})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun", user=o.worker2).mutate(DELAY, variables | {"newDueOn": later})) == ["OTHER_DISTRICT"]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger).mutate(DELAY, variables | {"newDueOn": later})) == ["NOT_FOUND"]
    assert count_in_torun(DelayNotice) == 1


def test_add_case_note(gql, o, codes, slupsk):
    client = gql("torun", user=o.worker1)
    payload = client.mutate(NOTE, {"caseId": ids(o)["case"], "text": "Wizyta w domu.", "kind": "VISIT"})
    assert payload["errors"] == []
    assert payload["caseNote"]["kind"] == "VISIT" and payload["caseNote"]["authorName"] == "Pracownik1 Test"
    assert codes(client.mutate(NOTE, {"caseId": ids(o)["case"], "text": ""})) == ["REQUIRED"]
    assert codes(gql("torun", user=o.auditor).mutate(NOTE, {"caseId": ids(o)["case"], "text": "x"})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("torun", user=o.worker2).mutate(NOTE, {"caseId": ids(o)["case"], "text": "x"})) == [
        "OTHER_DISTRICT"
    ]
    stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    assert codes(gql("slupsk", user=stranger).mutate(NOTE, {"caseId": ids(o)["case"], "text": "x"})) == ["NOT_FOUND"]
    wrong_kind = client.mutate(NOTE, {"caseId": ids(o)["person"], "text": "x"})
    assert codes(wrong_kind) == ["INVALID_ID"]
    assert count_in_torun(CaseNote) == 1


@pytest.mark.parametrize(
    "document, variables",
    [
        (CREATE_PERSON, lambda i: {"input": {"firstName": "A", "lastName": "B"}}),
        (UPDATE_PERSON, lambda i: {"id": i["person"], "input": {}}),
        (OVERRIDE, lambda i: {"personId": i["person"], "districtId": i["district1"], "reason": "x"}),
        (CLEAR, lambda i: {"personId": i["person"]}),
        (CREATE_HOUSEHOLD, lambda i: {"input": {"headId": i["other"]}}),
        (ADD_MEMBER, lambda i: {"householdId": i["household"], "personId": i["other"], "relation": "CHILD"}),
        (SET_INCOME, lambda i: {"memberId": i["member"], "income": "1"}),
        (REMOVE_MEMBER, lambda i: {"memberId": i["member"]}),
        (REGISTER, lambda i: {"input": {"personId": i["other"], "receivedOn": date.today().isoformat()}}),
        (ASSIGN_WORKER, lambda i: {"caseId": i["case"], "workerId": i["worker1"]}),
        (ASSIGN_INTERVIEW, lambda i: {"interviewId": i["interview"], "workerId": i["worker1"]}),
        (RECORD_INTERVIEW, lambda i: {"interviewId": i["interview"], "on": "2026-01-01", "findings": "x"}),
        (SET_REASONS, lambda i: {"caseId": i["case"], "reasons": ["ubostwo"]}),
        (CLOSE, lambda i: {"caseId": i["case"], "reason": "OTHER"}),
        (REOPEN, lambda i: {"caseId": i["case"], "note": "x"}),
        (DELAY, lambda i: {"applicationId": i["application"], "reason": "x", "newDueOn": "2030-01-01"}),
        (NOTE, lambda i: {"caseId": i["case"], "text": "x"}),
    ],
)
def test_every_mutation_refuses_anonymous_callers(gql, o, codes, document, variables):
    audit_before = count_in_torun(AuditEntry)
    payload = gql("torun").mutate(document, variables(ids(o)))
    assert codes(payload) == ["NOT_AUTHENTICATED"]
    assert count_in_torun(AuditEntry) == audit_before
