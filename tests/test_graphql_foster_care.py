"""Foster care in the staff GraphQL schema: lists (filters, ordering, constant SQL), node access, and every
mutation's happy path, validation, permission and foreign-center behaviour."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from ostoja.graphql.core.ids import to_global_id
from ostoja.graphql.staff.foster_care.mutations import FosterCareMutations
from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.foster_care import services
from ostoja.modules.foster_care.models import (
    Assessment,
    Candidate,
    FamilyKind,
    FosterFamily,
    IrregularityReport,
    Notification,
    ParentMeeting,
    Placement,
    Relation,
)
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

TODAY = date.today()
_serial = count(300)


def gid(slug, type_name, pk):
    with schema_context(slug):
        return to_global_id(type_name, pk)


def make_staff(slug, username, *roles):
    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Test")
        StaffProfile.objects.create(user=user, roles=list(roles))
    return user


def person(born=None, first_name="Zofia", last_name="Kowalska", sex=Sex.FEMALE) -> Person:
    born = born or TODAY.replace(year=TODAY.year - 8) - timedelta(days=3)
    return Person.objects.create(
        first_name=first_name, last_name=last_name, pesel=make_pesel(born, next(_serial), sex), sex=sex
    )


def new_family(actor, name="Rodzina Nowaków", kind=FamilyKind.PROFESSIONAL):
    adult = person(date(1980, 3, 3), first_name="Ewa", last_name="Nowak")
    return services.create_family(actor, name=name, kind=kind, members=[(adult.pk, Relation.NOT_RELATED)])


def new_child(actor, **kwargs):
    return services.register_child(actor, person(**kwargs).pk)


def place(actor, kid, fam, start_on=None):
    return services.place_child(
        actor,
        kid.pk,
        fam.pk,
        start_on=start_on or TODAY - timedelta(days=10),
        court_order_reference="III Nsm 1/25",
        reason="Bezradność opiekuńczo-wychowawcza.",
    )


@pytest.fixture
def coordinator(torun):
    return make_staff("torun", "koordynatorka", Role.FOSTER_CARE_COORDINATOR)


@pytest.fixture
def director(torun):
    return make_staff("torun", "dyrektor", Role.DIRECTOR)


@pytest.fixture
def worker(torun):
    return make_staff("torun", "pracownik", Role.SOCIAL_WORKER)


@pytest.fixture
def world(coordinator):
    """In Toruń: a professional family with one child placed (planned assessments), and a second family."""
    with schema_context("torun"):
        fam = new_family(coordinator)
        other = new_family(coordinator, name="Rodzina Wiśniewskich", kind=FamilyKind.NON_PROFESSIONAL)
        kid = new_child(coordinator, first_name="Ala", last_name="Zielińska")
        placement = place(coordinator, kid, fam)
    return {"family": fam, "other": other, "child": kid, "placement": placement}


# --- lists --------------------------------------------------------------------------------------------

FAMILIES = """query($kind: FosterFamilyKind, $coordinatorId: ID, $status: FosterFamilyStatus, $search: String) {
  fosterFamilies(first: 10, kind: $kind, coordinatorId: $coordinatorId, status: $status, search: $search) {
    totalCount
    edges { node { id name kind status coordinator { username } coordinatorLoad coordinatorLimit
                   members { relation person { lastName } } } }
  }
}"""


def test_families_are_listed_with_coordinator_load_and_filtered(gql, coordinator, world, in_schema):
    with in_schema("torun"):
        profile = StaffProfile.objects.get(user=coordinator)
        services.assign_coordinator(coordinator, world["family"].pk, profile.pk)
    client = gql("torun", user=coordinator)
    rows = client.data(FAMILIES)["fosterFamilies"]
    assert rows["totalCount"] == 2
    by_name = {edge["node"]["name"]: edge["node"] for edge in rows["edges"]}
    assert by_name["Rodzina Nowaków"]["coordinator"] == {"username": "koordynatorka"}
    assert (by_name["Rodzina Nowaków"]["coordinatorLoad"], by_name["Rodzina Nowaków"]["coordinatorLimit"]) == (1, 15)
    assert by_name["Rodzina Wiśniewskich"]["coordinatorLoad"] == 0
    assert by_name["Rodzina Nowaków"]["members"] == [{"relation": "NOT_RELATED", "person": {"lastName": "Nowak"}}]

    coordinator_id = gid("torun", "StaffMember", profile.pk)
    only = client.data(FAMILIES, {"coordinatorId": coordinator_id})["fosterFamilies"]
    assert [e["node"]["name"] for e in only["edges"]] == ["Rodzina Nowaków"]
    assert client.data(FAMILIES, {"kind": "NON_PROFESSIONAL"})["fosterFamilies"]["totalCount"] == 1
    assert client.data(FAMILIES, {"status": "SUSPENDED"})["fosterFamilies"]["totalCount"] == 0
    assert client.data(FAMILIES, {"search": "wiśniew"})["fosterFamilies"]["totalCount"] == 1


def test_lists_refuse_anonymous_and_other_roles(gql, worker, world, codes):
    for client, code in ((gql("torun"), "not_authenticated"), (gql("torun", user=worker), "role_required")):
        for query in (FAMILIES, CHILDREN, "{ assessments(first: 5) { totalCount } }"):
            body = client(query)
            assert codes(body) == [code]
            assert not (body.get("data") or {}).get("fosterFamilies")


def test_an_auditor_reads_but_cannot_change(gql, world, codes, torun):
    auditor = make_staff("torun", "audytor", Role.AUDITOR)
    client = gql("torun", user=auditor)
    assert client.data(FAMILIES)["fosterFamilies"]["totalCount"] == 2
    payload = client.mutate(CHANGE_STATUS, {"id": gid("torun", "FosterFamily", world["family"].pk), "s": "SUSPENDED"})
    assert codes(payload) == ["ROLE_REQUIRED"]


CHILDREN = """query($first: Int, $overdue: Boolean, $familyId: ID, $search: String) {
  fosterChildren(first: $first, overdueAssessment: $overdue, familyId: $familyId, search: $search) {
    totalCount
    edges { node { id status person { fullName }
      currentPlacement { startOn family { name } }
      nextAssessment { dueOn isOverdue } } }
  }
}"""


def test_children_with_placement_and_next_assessment_cost_the_same_sql_for_5_and_50(
    gql, coordinator, torun, in_schema, count_sql
):
    with in_schema("torun"):
        families = [new_family(coordinator, name=f"Rodzina {i}") for i in range(20)]
        for index in range(60):
            place(coordinator, new_child(coordinator, last_name=f"Dziecko{index:02}"), families[index // 3])
    client = gql("torun", user=coordinator)
    client.data(CHILDREN, {"first": 1})  # the session is warm: what follows is what a page costs
    counts = {}
    for first in (5, 50):
        with count_sql() as sql:
            rows = client.data(CHILDREN, {"first": first})["fosterChildren"]
        assert len(rows["edges"]) == first and rows["totalCount"] == 60
        assert all(e["node"]["currentPlacement"]["family"]["name"] for e in rows["edges"])
        assert all(e["node"]["nextAssessment"]["dueOn"] for e in rows["edges"])
        counts[first] = sql.n
    assert counts[5] == counts[50] <= 6, (
        "A page of children must cost a constant, small number of SQL statements whatever its size: a statement "
        f"per child (N+1) would make the coordinators' main list slow for large centers. Got {counts}."
    )


def test_children_filtered_by_family_overdue_assessment_and_name(gql, coordinator, world, in_schema):
    with in_schema("torun"):
        late = new_child(coordinator, first_name="Bartek", last_name="Spóźniony")
        place(coordinator, late, world["other"], start_on=TODAY - timedelta(days=400))
    client = gql("torun", user=coordinator)
    overdue = client.data(CHILDREN, {"overdue": True})["fosterChildren"]
    assert [e["node"]["person"]["fullName"] for e in overdue["edges"]] == ["Bartek Spóźniony"]
    assert overdue["edges"][0]["node"]["nextAssessment"]["isOverdue"] is True
    on_time = client.data(CHILDREN, {"overdue": False})["fosterChildren"]
    assert [e["node"]["person"]["fullName"] for e in on_time["edges"]] == ["Ala Zielińska"]
    in_family = client.data(CHILDREN, {"familyId": gid("torun", "FosterFamily", world["family"].pk)})
    assert in_family["fosterChildren"]["totalCount"] == 1
    assert client.data(CHILDREN, {"search": "spóźn"})["fosterChildren"]["totalCount"] == 1


def test_a_foreign_center_id_is_not_found_in_filters_and_node(gql, world, slupsk, codes):
    stranger = make_staff("slupsk", "koordynator", Role.FOSTER_CARE_COORDINATOR)
    client = gql("slupsk", user=stranger)
    family_id = gid("torun", "FosterFamily", world["family"].pk)
    assert codes(client(CHILDREN, {"familyId": family_id})) == ["not_found"]
    child_id = gid("torun", "FosterChild", world["child"].pk)
    body = client("query($id: ID!) { node(id: $id) { ... on FosterChild { status } } }", {"id": child_id})
    assert codes(body) == ["not_found"] and not (body["data"] or {}).get("node")


NODE_CHILD = """query($id: ID!) { node(id: $id) { ... on FosterChild {
  status reintegrationGoal person { lastName }
  currentPlacement { id family { name } } nextAssessment { subject status dueOn }
  placements { startOn } parentMeetings { participants } expenses { amount } allowances { monthlyAmount }
  leavingCare { mentorName }
} } }"""


def test_a_child_is_read_by_id_with_its_record(gql, coordinator, world, worker, codes):
    child_id = gid("torun", "FosterChild", world["child"].pk)
    node = gql("torun", user=coordinator).data(NODE_CHILD, {"id": child_id})["node"]
    assert node["status"] == "IN_CARE" and node["reintegrationGoal"] == "UNDECIDED"
    assert node["currentPlacement"]["family"]["name"] == "Rodzina Nowaków"
    assert node["nextAssessment"]["subject"] == "CHILD" and node["nextAssessment"]["status"] == "PLANNED"
    assert node["leavingCare"] is None and len(node["placements"]) == 1
    assert codes(gql("torun", user=worker)(NODE_CHILD, {"id": child_id})) == ["role_required"]


ASSESSMENTS = """query($overdue: Boolean, $from: Date, $to: Date, $subject: AssessmentSubject) {
  assessments(first: 20, overdue: $overdue, dueFrom: $from, dueTo: $to, subject: $subject) {
    totalCount edges { node { id subject dueOn isOverdue child { id } family { name } } }
  }
}"""


def test_assessments_filtered_by_overdue_and_due_range(gql, coordinator, world, in_schema):
    with in_schema("torun"):
        place(coordinator, new_child(coordinator), world["other"], start_on=TODAY - timedelta(days=800))
    client = gql("torun", user=coordinator)
    overdue = client.data(ASSESSMENTS, {"overdue": True})["assessments"]
    assert overdue["totalCount"] == 2  # the child's and the family's, both past due
    assert {e["node"]["subject"] for e in overdue["edges"]} == {"CHILD", "FAMILY"}
    assert all(e["node"]["isOverdue"] for e in overdue["edges"])
    soon = client.data(ASSESSMENTS, {"from": str(TODAY), "to": str(TODAY + timedelta(days=200)), "subject": "CHILD"})
    assert soon["assessments"]["totalCount"] == 1


MEETINGS = """query($from: Date, $to: Date) {
  parentMeetings(first: 20, dateFrom: $from, dateTo: $to) {
    totalCount edges { node { participants status plannedAt child { person { lastName } } } }
  }
}"""


def test_meetings_calendar_by_date_range(gql, coordinator, world, in_schema):
    with in_schema("torun"):
        for days in (-5, 2, 30):
            services.plan_meeting(
                coordinator,
                world["child"].pk,
                planned_at=timezone.now() + timedelta(days=days),
                participants=f"matka {days}",
            )
    client = gql("torun", user=coordinator)
    week = client.data(MEETINGS, {"from": str(TODAY), "to": str(TODAY + timedelta(days=7))})["parentMeetings"]
    assert [e["node"]["participants"] for e in week["edges"]] == ["matka 2"]
    assert client.data(MEETINGS, {"from": str(TODAY - timedelta(days=10))})["parentMeetings"]["totalCount"] == 3


REPORTS = """query($status: IrregularityReportStatus, $n: NotificationStatus) {
  irregularityReports(first: 10, status: $status, notificationStatus: $n) {
    totalCount edges { node { id status description placement { family { name } }
      notifications { id recipient status } } }
  }
}"""


# --- mutations: candidates ------------------------------------------------------------------------------

REGISTER_CANDIDATE = """mutation($input: RegisterCandidateInput!) {
  registerCandidate(input: $input) { candidate { id name status desiredKind persons { relation } }
    errors { field code message } }
}"""
REFER = """mutation($id: ID!) { referCandidateToTraining(candidateId: $id, referredOn: "2026-01-10",
  trainingName: "PRIDE") { candidate { status trainingName } errors { field code } } }"""
TRAINED = """mutation($id: ID!, $on: Date!) { recordTrainingCompleted(candidateId: $id, completedOn: $on) {
  candidate { status } errors { field code } } }"""
QUALIFY = """mutation($id: ID!) { qualifyCandidate(candidateId: $id, qualifiedOn: "2026-03-01",
  qualificationReference: "Z/1/26") { family { id name kind members { relation } } candidate { status }
  errors { field code } } }"""
REJECT = """mutation($id: ID!, $reason: String!) { rejectCandidate(candidateId: $id, reason: $reason, withdrawn: true) {
  candidate { status rejectionReason } errors { field code } } }"""


def candidate_input(person_id, **extra):
    return {
        "name": "Joanna i Piotr Lis",
        "desiredKind": "PROFESSIONAL",
        "appliedOn": "2026-01-02",
        "persons": [{"personId": person_id, "relation": "NOT_RELATED"}],
        "city": "Toruń",
        **extra,
    }


def test_candidate_is_registered_trained_and_qualified(gql, coordinator, in_schema, codes):
    with in_schema("torun"):
        applicant = person(date(1990, 1, 1), first_name="Joanna", last_name="Lis")
    client = gql("torun", user=coordinator)
    payload = client.mutate(REGISTER_CANDIDATE, {"input": candidate_input(gid("torun", "Person", applicant.pk))})
    assert payload["errors"] == []
    assert payload["candidate"]["status"] == "APPLIED" and payload["candidate"]["persons"] == [
        {"relation": "NOT_RELATED"}
    ]
    candidate_id = payload["candidate"]["id"]
    assert codes(client.mutate(QUALIFY, {"id": candidate_id})) == ["TRAINING_NOT_COMPLETED"]
    assert client.mutate(REFER, {"id": candidate_id})["candidate"]["status"] == "REFERRED"
    early = client.mutate(TRAINED, {"id": candidate_id, "on": "2026-01-01"})
    assert codes(early) == ["BEFORE_REFERRAL"] and early["errors"][0]["field"] == "completedOn"
    assert client.mutate(TRAINED, {"id": candidate_id, "on": "2026-02-20"})["candidate"]["status"] == "TRAINED"
    qualified = client.mutate(QUALIFY, {"id": candidate_id})
    assert qualified["errors"] == [] and qualified["candidate"]["status"] == "QUALIFIED"
    assert qualified["family"]["name"] == "Joanna i Piotr Lis" and qualified["family"]["kind"] == "PROFESSIONAL"
    assert codes(client.mutate(REJECT, {"id": candidate_id, "reason": "x"})) == ["CANDIDATE_WRONG_STATUS"]
    list_query = "{ fosterFamilyCandidates(first: 5, status: QUALIFIED) { totalCount } }"
    assert client.data(list_query)["fosterFamilyCandidates"]["totalCount"] == 1


def test_candidate_validation_and_permission_and_foreign_person(gql, coordinator, worker, in_schema, codes, slupsk):
    with in_schema("torun"):
        applicant = person(date(1990, 1, 1))
    person_id = gid("torun", "Person", applicant.pk)
    client = gql("torun", user=coordinator)
    payload = client.mutate(REGISTER_CANDIDATE, {"input": candidate_input(person_id, name="  ")})
    assert codes(payload) == ["REQUIRED"] and payload["errors"][0]["field"] == "name"
    related = candidate_input(person_id, desiredKind="RELATED")
    assert codes(client.mutate(REGISTER_CANDIDATE, {"input": related})) == ["RELATED_FAMILY_RELATION"]
    assert codes(gql("torun", user=worker).mutate(REGISTER_CANDIDATE, {"input": candidate_input(person_id)})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("torun").mutate(REGISTER_CANDIDATE, {"input": candidate_input(person_id)})) == [
        "NOT_AUTHENTICATED"
    ]
    stranger = make_staff("slupsk", "koordynator", Role.FOSTER_CARE_COORDINATOR)
    foreign = gql("slupsk", user=stranger).mutate(REGISTER_CANDIDATE, {"input": candidate_input(person_id)})
    assert codes(foreign) == ["NOT_FOUND"] and foreign["errors"][0]["field"] == "persons"
    for slug in ("torun", "slupsk"):
        with in_schema(slug):
            assert not Candidate.objects.exists()


def test_candidate_is_rejected_with_a_reason(gql, coordinator, in_schema, codes):
    with in_schema("torun"):
        candidate = services.register_candidate(
            coordinator,
            name="Lis",
            desired_kind="professional",
            applied_on=TODAY,
            persons=[(person(date(1990, 1, 1)).pk, "not_related")],
        )
    client = gql("torun", user=coordinator)
    candidate_id = gid("torun", "Candidate", candidate.pk)
    assert codes(client.mutate(REJECT, {"id": candidate_id, "reason": " "})) == ["REQUIRED"]
    payload = client.mutate(REJECT, {"id": candidate_id, "reason": "Rezygnacja"})
    assert payload["candidate"] == {"status": "WITHDRAWN", "rejectionReason": "Rezygnacja"}


# --- mutations: families ----------------------------------------------------------------------------------

CREATE_FAMILY = """mutation($input: CreateFosterFamilyInput!) {
  createFamily(input: $input) { family { id name kind status address members { relation } }
  errors { field code message } } }"""
ADD_MEMBER = """mutation($f: ID!, $p: ID!, $r: FosterRelation!) { addFamilyMember(familyId: $f, personId: $p,
  relation: $r) { member { relation person { lastName } } family { members { id } } errors { field code } } }"""
CHANGE_STATUS = """mutation($id: ID!, $s: FosterFamilyStatus!) { changeFamilyStatus(familyId: $id, status: $s) {
  family { status } errors { field code } } }"""
ASSIGN = """mutation($f: ID!, $c: ID!) { assignCoordinator(familyId: $f, coordinatorId: $c) {
  family { coordinator { username } coordinatorLoad } errors { field code message } } }"""


def test_family_is_created_and_members_added(gql, coordinator, in_schema, codes):
    with in_schema("torun"):
        grandmother = person(date(1960, 1, 1), first_name="Halina", last_name="Babka")
        aunt = person(date(1985, 1, 1), first_name="Beata", last_name="Ciocia")
    client = gql("torun", user=coordinator)
    data = {
        "name": "Rodzina Babków",
        "kind": "RELATED",
        "members": [{"personId": gid("torun", "Person", grandmother.pk), "relation": "GRANDPARENT"}],
        "street": "Szeroka",
        "building": "1",
        "postcode": "87-100",
        "city": "Toruń",
    }
    payload = client.mutate(CREATE_FAMILY, {"input": data})
    assert payload["errors"] == [] and payload["family"]["kind"] == "RELATED"
    assert payload["family"]["address"] == "ul. Szeroka 1, 87-100 Toruń"
    family_id = payload["family"]["id"]
    refused = client.mutate(ADD_MEMBER, {"f": family_id, "p": gid("torun", "Person", aunt.pk), "r": "OTHER_RELATIVE"})
    assert codes(refused) == ["RELATED_FAMILY_RELATION"] and refused["errors"][0]["field"] == "relation"
    added = client.mutate(ADD_MEMBER, {"f": family_id, "p": gid("torun", "Person", aunt.pk), "r": "SIBLING"})
    assert added["errors"] == [] and len(added["family"]["members"]) == 2
    again = client.mutate(ADD_MEMBER, {"f": family_id, "p": gid("torun", "Person", aunt.pk), "r": "SIBLING"})
    assert codes(again) == ["ALREADY_MEMBER"]
    empty = client.mutate(CREATE_FAMILY, {"input": {**data, "members": []}})
    assert codes(empty) == ["NO_MEMBERS"]
    with in_schema("torun"):
        assert FosterFamily.objects.count() == 1


def test_family_status_changes_and_dissolving_needs_no_children(gql, coordinator, world, codes, in_schema):
    client = gql("torun", user=coordinator)
    family_id = gid("torun", "FosterFamily", world["family"].pk)
    assert codes(client.mutate(CHANGE_STATUS, {"id": family_id, "s": "DISSOLVED"})) == ["FAMILY_HAS_CHILDREN"]
    payload = client.mutate(CHANGE_STATUS, {"id": family_id, "s": "SUSPENDED"})
    assert payload == {"family": {"status": "SUSPENDED"}, "errors": []}
    assert codes(gql("torun").mutate(CHANGE_STATUS, {"id": family_id, "s": "ACTIVE"})) == ["NOT_AUTHENTICATED"]
    with in_schema("torun"):
        assert FosterFamily.objects.get(pk=world["family"].pk).status == "suspended"


def test_the_16th_family_of_a_coordinator_comes_back_as_a_typed_error(gql, coordinator, director, in_schema, codes):
    with in_schema("torun"):
        profile = StaffProfile.objects.get(user=coordinator)
        families = [new_family(director, name=f"Rodzina {i:02}") for i in range(16)]
        for fam in families[:15]:
            services.assign_coordinator(director, fam.pk, profile.pk)
    client = gql("torun", user=director)
    coordinator_id = gid("torun", "StaffMember", profile.pk)
    payload = client.mutate(ASSIGN, {"f": gid("torun", "FosterFamily", families[15].pk), "c": coordinator_id})
    assert codes(payload) == ["COORDINATOR_LIMIT"] and payload["family"] is None
    error = payload["errors"][0]
    assert error["field"] == "coordinator" and "15" in error["message"]
    with in_schema("torun"):
        assert FosterFamily.objects.get(pk=families[15].pk).coordinator is None
    listed = client.data(FAMILIES, {"coordinatorId": coordinator_id})["fosterFamilies"]
    assert listed["totalCount"] == 15 and {e["node"]["coordinatorLoad"] for e in listed["edges"]} == {15}


def test_assign_coordinator_happy_wrong_role_and_foreign(gql, coordinator, director, worker, world, codes, slupsk):
    with schema_context("torun"):
        profile_id = StaffProfile.objects.get(user=coordinator).pk
        worker_id = StaffProfile.objects.get(user=worker).pk
    family_id = gid("torun", "FosterFamily", world["family"].pk)
    client = gql("torun", user=director)
    not_coordinator = client.mutate(ASSIGN, {"f": family_id, "c": gid("torun", "StaffMember", worker_id)})
    assert codes(not_coordinator) == ["NOT_COORDINATOR"]
    assert codes(
        gql("torun", user=worker).mutate(ASSIGN, {"f": family_id, "c": gid("torun", "StaffMember", profile_id)})
    ) == ["ROLE_REQUIRED"]
    payload = client.mutate(ASSIGN, {"f": family_id, "c": gid("torun", "StaffMember", profile_id)})
    assert payload["errors"] == [] and payload["family"]["coordinator"] == {"username": "koordynatorka"}
    assert payload["family"]["coordinatorLoad"] == 1
    stranger = make_staff("slupsk", "dyrektorka", Role.DIRECTOR)
    foreign = gql("slupsk", user=stranger).mutate(ASSIGN, {"f": family_id, "c": gid("slupsk", "StaffMember", 1)})
    assert codes(foreign) == ["NOT_FOUND"] and foreign["errors"][0]["field"] == "familyId"


# --- mutations: children and placements ---------------------------------------------------------------------

REGISTER_CHILD = """mutation($p: ID!, $sib: ID) { registerChild(personId: $p, reintegrationGoal: RETURN_HOME,
  siblingOfId: $sib) { child { id status reintegrationGoal siblingGroup } errors { field code } } }"""
MARK_SIBLINGS = """mutation($ids: [ID!]!) { markSiblings(childIds: $ids) { children { siblingGroup }
  errors { field code } } }"""
SET_GOAL = """mutation($id: ID!) { setReintegrationGoal(childId: $id, goal: ADOPTION, plan: "Adopcja") {
  child { reintegrationGoal reintegrationPlan } errors { code } } }"""
PLACE = """mutation($input: PlaceChildInput!) { placeChild(input: $input) {
  placement { id isCurrent siblingsTogether child { status } family { name firstPlacementOn } }
  errors { field code message } } }"""
END = """mutation($id: ID!, $on: Date!, $r: PlacementEndReason!) { endPlacement(placementId: $id, endOn: $on,
  reason: $r) { placement { endOn endReason isCurrent child { status } } errors { field code } } }"""


def test_child_is_registered_marked_sibling_and_given_a_goal(gql, coordinator, world, in_schema, codes):
    with in_schema("torun"):
        sister, twin = person(first_name="Ola"), person(first_name="Ela")
    client = gql("torun", user=coordinator)
    first_child = gid("torun", "FosterChild", world["child"].pk)
    payload = client.mutate(REGISTER_CHILD, {"p": gid("torun", "Person", sister.pk), "sib": first_child})
    assert payload["errors"] == [] and payload["child"]["reintegrationGoal"] == "RETURN_HOME"
    assert payload["child"]["siblingGroup"] is not None
    again = client.mutate(REGISTER_CHILD, {"p": gid("torun", "Person", sister.pk)})
    assert codes(again) == ["CHILD_EXISTS"]
    twin_child = client.mutate(REGISTER_CHILD, {"p": gid("torun", "Person", twin.pk)})["child"]
    assert codes(client.mutate(MARK_SIBLINGS, {"ids": [twin_child["id"]]})) == ["INVALID_SIBLINGS"]
    marked = client.mutate(MARK_SIBLINGS, {"ids": [twin_child["id"], first_child]})
    assert len({c["siblingGroup"] for c in marked["children"]}) == 1 and len(marked["children"]) == 3
    goal = client.mutate(SET_GOAL, {"id": first_child})
    assert goal["child"] == {"reintegrationGoal": "ADOPTION", "reintegrationPlan": "Adopcja"}
    assert codes(gql("torun").mutate(SET_GOAL, {"id": first_child})) == ["NOT_AUTHENTICATED"]


def place_input(child_pk, family_pk, **extra):
    return {
        "childId": gid("torun", "FosterChild", child_pk),
        "familyId": gid("torun", "FosterFamily", family_pk),
        "startOn": str(TODAY - timedelta(days=3)),
        "courtOrderReference": "III Nsm 5/26",
        "reason": "Zaniedbanie.",
        **extra,
    }


def test_placing_children_enforces_the_limit_and_ends(gql, coordinator, world, in_schema, codes, worker):
    with in_schema("torun"):
        kids = [new_child(coordinator) for _ in range(4)]
    client = gql("torun", user=coordinator)
    blank = client.mutate(PLACE, {"input": place_input(kids[0].pk, world["other"].pk, courtOrderReference="")})
    assert codes(blank) == ["REQUIRED"] and blank["errors"][0]["field"] == "courtOrderReference"
    denied = gql("torun", user=worker).mutate(PLACE, {"input": place_input(kids[0].pk, world["other"].pk)})
    assert codes(denied) == ["ROLE_REQUIRED"]
    for kid in kids[:3]:
        payload = client.mutate(PLACE, {"input": place_input(kid.pk, world["other"].pk)})
        assert payload["errors"] == [] and payload["placement"]["isCurrent"] is True
    full = client.mutate(PLACE, {"input": place_input(kids[3].pk, world["other"].pk)})
    assert codes(full) == ["FAMILY_FULL"] and "3" in full["errors"][0]["message"]
    with in_schema("torun"):
        assert not Placement.objects.filter(child=kids[3]).exists()
        assert not Assessment.objects.filter(child=kids[3]).exists()

    placement_id = gid("torun", "Placement", world["placement"].pk)
    reversed_end = client.mutate(END, {"id": placement_id, "on": str(TODAY - timedelta(days=30)), "r": "ADOPTION"})
    assert codes(reversed_end) == ["PERIOD_REVERSED"]
    ended = client.mutate(END, {"id": placement_id, "on": str(TODAY), "r": "RETURN_HOME"})
    assert ended["placement"]["endReason"] == "RETURN_HOME" and ended["placement"]["child"]["status"] == "LEFT_CARE"
    assert codes(client.mutate(END, {"id": placement_id, "on": str(TODAY), "r": "RETURN_HOME"})) == ["PLACEMENT_ENDED"]
    current = "{ placements(first: 10, current: true) { totalCount } }"
    assert client.data(current)["placements"]["totalCount"] == 3


def test_placing_with_ids_from_another_center_is_not_found(gql, world, codes, slupsk, in_schema):
    stranger = make_staff("slupsk", "koordynator", Role.FOSTER_CARE_COORDINATOR)
    with in_schema("torun"):
        kid = new_child(services.SYSTEM)
    payload = gql("slupsk", user=stranger).mutate(PLACE, {"input": place_input(kid.pk, world["other"].pk)})
    assert codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "childId"
    with in_schema("torun"):
        assert not Placement.objects.filter(child=kid).exists()


# --- assessments, meetings, money, leaving care ---------------------------------------------------------------

RECORD_ASSESSMENT = """mutation($id: ID!, $on: Date!) { recordAssessment(assessmentId: $id, performedOn: $on,
  result: POSITIVE, conclusions: "Dobrze") { assessment { status result } nextAssessment { sequence dueOn }
  errors { field code } } }"""


def test_assessment_is_recorded_and_the_next_planned(gql, coordinator, world, in_schema, codes, worker):
    with in_schema("torun"):
        planned = Assessment.objects.get(child=world["child"], status="planned")
    client = gql("torun", user=coordinator)
    assessment_id = gid("torun", "Assessment", planned.pk)
    future = client.mutate(RECORD_ASSESSMENT, {"id": assessment_id, "on": str(TODAY + timedelta(days=1))})
    assert codes(future) == ["DATE_IN_FUTURE"]
    assert codes(gql("torun", user=worker).mutate(RECORD_ASSESSMENT, {"id": assessment_id, "on": str(TODAY)})) == [
        "ROLE_REQUIRED"
    ]
    payload = client.mutate(RECORD_ASSESSMENT, {"id": assessment_id, "on": str(TODAY)})
    assert payload["assessment"] == {"status": "DONE", "result": "POSITIVE"}
    assert payload["nextAssessment"]["sequence"] == 2
    again = client.mutate(RECORD_ASSESSMENT, {"id": assessment_id, "on": str(TODAY)})
    assert codes(again) == ["ASSESSMENT_NOT_PLANNED"]


PLAN_MEETING = """mutation($id: ID!, $at: DateTime!, $who: String!) { planMeeting(childId: $id, plannedAt: $at,
  participants: $who, place: "MOPR") { meeting { id status } errors { field code } } }"""
HELD = """mutation($id: ID!) { recordMeetingHeld(meetingId: $id, notes: "OK") { meeting { status notes }
  errors { code } } }"""
CANCEL = """mutation($id: ID!, $r: String!) { cancelMeeting(meetingId: $id, reason: $r) {
  meeting { status cancellationReason } errors { field code } } }"""


def test_meetings_are_planned_held_and_cancelled(gql, coordinator, world, codes, in_schema):
    client = gql("torun", user=coordinator)
    child_id = gid("torun", "FosterChild", world["child"].pk)
    past = (timezone.now() - timedelta(hours=2)).isoformat()
    future = (timezone.now() + timedelta(days=2)).isoformat()
    assert codes(client.mutate(PLAN_MEETING, {"id": child_id, "at": past, "who": " "})) == ["REQUIRED"]
    held_id = client.mutate(PLAN_MEETING, {"id": child_id, "at": past, "who": "matka"})["meeting"]["id"]
    future_id = client.mutate(PLAN_MEETING, {"id": child_id, "at": future, "who": "ojciec"})["meeting"]["id"]
    assert codes(client.mutate(HELD, {"id": future_id})) == ["MEETING_IN_FUTURE"]
    assert client.mutate(HELD, {"id": held_id})["meeting"] == {"status": "HELD", "notes": "OK"}
    assert codes(client.mutate(CANCEL, {"id": held_id, "r": "x"})) == ["MEETING_NOT_PLANNED"]
    assert codes(client.mutate(CANCEL, {"id": future_id, "r": ""})) == ["REQUIRED"]
    assert client.mutate(CANCEL, {"id": future_id, "r": "Choroba"})["meeting"]["status"] == "CANCELLED"
    assert codes(gql("torun").mutate(HELD, {"id": future_id})) == ["NOT_AUTHENTICATED"]
    with in_schema("torun"):
        assert dict(ParentMeeting.objects.values_list("participants", "status")) == {
            "matka": "held",
            "ojciec": "cancelled",
        }


ADD_EXPENSE = """mutation($id: ID!, $amount: Decimal!) { addExpense(childId: $id, kind: SCHOOL, amount: $amount,
  grantedOn: "2026-09-01") { expense { kind amount } errors { field code } } }"""
GRANT_ALLOWANCE = """mutation($id: ID!, $from: Date!, $to: Date!) { grantAllowance(childId: $id,
  monthlyAmount: "1352.00", periodFrom: $from, periodTo: $to) { allowance { monthlyAmount placement { id } }
  errors { field code } } }"""


def test_expenses_and_allowances(gql, coordinator, world, codes, worker):
    client = gql("torun", user=coordinator)
    child_id = gid("torun", "FosterChild", world["child"].pk)
    negative = client.mutate(ADD_EXPENSE, {"id": child_id, "amount": "-5"})
    assert codes(negative) == ["INVALID_AMOUNT"] and negative["errors"][0]["field"] == "amount"
    assert client.mutate(ADD_EXPENSE, {"id": child_id, "amount": "250.50"})["expense"] == {
        "kind": "SCHOOL",
        "amount": "250.50",
    }
    assert codes(gql("torun", user=worker).mutate(ADD_EXPENSE, {"id": child_id, "amount": "1"})) == ["ROLE_REQUIRED"]
    period = {"id": child_id, "from": str(TODAY - timedelta(days=5)), "to": str(TODAY)}
    granted = client.mutate(GRANT_ALLOWANCE, period)
    assert granted["errors"] == [] and granted["allowance"]["placement"]["id"] == gid(
        "torun", "Placement", world["placement"].pk
    )
    assert codes(client.mutate(GRANT_ALLOWANCE, period)) == ["ALLOWANCE_OVERLAP"]
    reversed_period = {**period, "from": str(TODAY), "to": str(TODAY - timedelta(days=1))}
    assert codes(client.mutate(GRANT_ALLOWANCE, reversed_period)) == ["PERIOD_REVERSED"]
    record = client.data(NODE_CHILD, {"id": child_id})["node"]
    assert [e["amount"] for e in record["expenses"]] == ["250.50"]
    assert [a["monthlyAmount"] for a in record["allowances"]] == ["1352.00"]


START_LEAVING = """mutation($id: ID!, $mentor: String!) { startLeavingCare(childId: $id, mentorName: $mentor,
  programme: "Studia", programmeApprovedOn: "2022-04-01", startedOn: "2022-05-20") {
  leavingCare { mentorName } errors { field code } } }"""
EDUCATION = """mutation($id: ID!, $to: Date!) { grantEducationSupport(childId: $id, school: "UMK",
  monthlyAmount: "597", periodFrom: "2024-10-01", periodTo: $to) { educationSupport { school monthlyAmount }
  errors { field code message } } }"""


def test_leaving_care_and_education_support_until_25(gql, coordinator, in_schema, codes):
    with in_schema("torun"):
        young = new_child(coordinator, born=date(2004, 5, 20))
    client = gql("torun", user=coordinator)
    child_id = gid("torun", "FosterChild", young.pk)
    assert codes(client.mutate(EDUCATION, {"id": child_id, "to": "2025-06-30"})) == ["NO_LEAVING_CARE"]
    assert codes(client.mutate(START_LEAVING, {"id": child_id, "mentor": " "})) == ["REQUIRED"]
    started = client.mutate(START_LEAVING, {"id": child_id, "mentor": "Ewa Nowak"})
    assert started == {"leavingCare": {"mentorName": "Ewa Nowak"}, "errors": []}
    assert codes(client.mutate(START_LEAVING, {"id": child_id, "mentor": "X"})) == ["LEAVING_CARE_EXISTS"]
    too_long = client.mutate(EDUCATION, {"id": child_id, "to": "2029-05-20"})
    assert codes(too_long) == ["OVER_AGE_LIMIT"] and too_long["errors"][0]["field"] == "periodTo"
    granted = client.mutate(EDUCATION, {"id": child_id, "to": "2029-05-19"})
    assert granted["educationSupport"] == {"school": "UMK", "monthlyAmount": "597.00"}
    assert codes(gql("torun").mutate(EDUCATION, {"id": child_id, "to": "2029-05-19"})) == ["NOT_AUTHENTICATED"]


# --- irregularity reports ------------------------------------------------------------------------------------

REPORT = """mutation($id: ID!, $d: String!) { reportIrregularity(placementId: $id, reportedOn: "2026-01-05",
  description: $d, source: "szkoła") { report { id status notifications { id recipient status } }
  errors { field code } } }"""
SENT = """mutation($id: ID!, $on: Date!) { markNotificationSent(notificationId: $id, sentOn: $on,
  reference: "PZ.1.2026") { notification { status sentOn reference } errors { field code } } }"""
CLOSE = """mutation($id: ID!) { closeIrregularityReport(reportId: $id, closedOn: "2026-02-01",
  outcome: "Niepotwierdzone") { report { status closedOn } errors { field code message } } }"""


def test_irregularity_report_notifications_and_closing(gql, coordinator, world, codes, in_schema, worker):
    client = gql("torun", user=coordinator)
    placement_id = gid("torun", "Placement", world["placement"].pk)
    assert codes(client.mutate(REPORT, {"id": placement_id, "d": "  "})) == ["REQUIRED"]
    assert codes(gql("torun", user=worker).mutate(REPORT, {"id": placement_id, "d": "Siniaki"})) == ["ROLE_REQUIRED"]
    report = client.mutate(REPORT, {"id": placement_id, "d": "Siniaki"})["report"]
    assert {(n["recipient"], n["status"]) for n in report["notifications"]} == {
        ("VOIVODE", "PENDING"),
        ("PROSECUTOR", "PENDING"),
    }
    assert client.data(REPORTS, {"n": "PENDING"})["irregularityReports"]["totalCount"] == 1
    pending = client.mutate(CLOSE, {"id": report["id"]})
    assert codes(pending) == ["NOTIFICATION_PENDING"]
    first, second = (n["id"] for n in report["notifications"])
    assert codes(client.mutate(SENT, {"id": first, "on": "2026-01-01"})) == ["BEFORE_REPORT"]
    for notification_id in (first, second):
        sent = client.mutate(SENT, {"id": notification_id, "on": "2026-01-06"})
        assert sent["notification"]["status"] == "SENT"
    assert codes(client.mutate(SENT, {"id": first, "on": "2026-01-06"})) == ["NOTIFICATION_SENT"]
    assert client.data(REPORTS, {"n": "PENDING"})["irregularityReports"]["totalCount"] == 0
    assert client.data(REPORTS, {"n": "SENT", "status": "OPEN"})["irregularityReports"]["totalCount"] == 1
    closed = client.mutate(CLOSE, {"id": report["id"]})
    assert closed["report"] == {"status": "CLOSED", "closedOn": "2026-02-01"}
    assert client.data(REPORTS, {"status": "CLOSED"})["irregularityReports"]["totalCount"] == 1
    assert codes(client.mutate(CLOSE, {"id": report["id"]})) == ["REPORT_CLOSED"]
    with in_schema("torun"):
        assert IrregularityReport.objects.get().status == "closed"
        assert Notification.objects.filter(status="sent").count() == 2


def test_irregularity_report_from_another_center_is_not_found(gql, world, codes, slupsk, in_schema):
    stranger = make_staff("slupsk", "koordynator", Role.FOSTER_CARE_COORDINATOR)
    placement_id = gid("torun", "Placement", world["placement"].pk)
    payload = gql("slupsk", user=stranger).mutate(REPORT, {"id": placement_id, "d": "Siniaki"})
    assert codes(payload) == ["NOT_FOUND"]
    with in_schema("torun"):
        assert not IrregularityReport.objects.exists()


# --- settings ----------------------------------------------------------------------------------------------

SETTINGS = """mutation($input: UpdateFosterCareSettingsInput!) { updateFosterCareSettings(input: $input) {
  settings { childIntervalMonths familyFirstAssessmentMonths } errors { field code } } }"""


def test_settings_are_changed_by_the_director_only(gql, coordinator, director, world, codes, in_schema):
    payload = gql("torun", user=coordinator).mutate(SETTINGS, {"input": {"childIntervalMonths": 4}})
    assert codes(payload) == ["ROLE_REQUIRED"]
    client = gql("torun", user=director)
    invalid = client.mutate(SETTINGS, {"input": {"childIntervalMonths": 0}})
    assert codes(invalid) == ["INVALID_INTERVAL"] and invalid["errors"][0]["field"] == "childIntervalMonths"
    changed = client.mutate(SETTINGS, {"input": {"childIntervalMonths": 4}})
    assert changed["settings"] == {"childIntervalMonths": 4, "familyFirstAssessmentMonths": 12}
    read = gql("torun", user=coordinator).data("{ fosterCareSettings { childIntervalMonths } }")
    assert read["fosterCareSettings"]["childIntervalMonths"] == 4
    with in_schema("torun"):
        planned = Assessment.objects.get(child=world["child"], status="planned")
        assert planned.due_on == services.add_months(planned.counted_from, 4)


# --- constant SQL for every list ------------------------------------------------------------------------------

LISTS = {
    "fosterFamilies": "{ id name kind coordinator { fullName } coordinatorLoad members { relation person { pesel } } }",
    "fosterFamilyCandidates": "{ id name status family { name } persons { relation person { lastName } } }",
    "placements": "{ id startOn child { person { lastName } } family { name } }",
    "assessments": "{ id dueOn isOverdue child { person { lastName } } family { name coordinator { fullName } } }",
    "parentMeetings": "{ id plannedAt participants child { person { lastName } } }",
    "irregularityReports": "{ id placement { child { person { pesel } } family { name } } notifications { status } }",
}


PREFETCHING = {"fosterFamilies", "fosterFamilyCandidates", "irregularityReports"}


@pytest.fixture
def busy_center(coordinator, in_schema):
    """Toruń with more than 5 of everything the lists show."""
    with in_schema("torun"):
        profile = StaffProfile.objects.get(user=coordinator)
        families = [new_family(coordinator, name=f"Rodzina {i:02}") for i in range(12)]
        for index, fam in enumerate(families):
            services.assign_coordinator(coordinator, fam.pk, profile.pk)
            kid = new_child(coordinator, last_name=f"Dziecko{index:02}")
            placement = place(coordinator, kid, fam)
            services.plan_meeting(coordinator, kid.pk, planned_at=timezone.now(), participants="matka")
            services.report_irregularity(coordinator, placement.pk, reported_on=TODAY, description="Opis")
            candidate = services.register_candidate(
                coordinator,
                name=f"Kandydaci {index}",
                desired_kind="professional",
                applied_on=TODAY,
                persons=[(person(date(1990, 1, 1)).pk, "not_related")],
            )
            if index % 2:
                services.refer_candidate_to_training(coordinator, candidate.pk, referred_on=TODAY, training_name="X")


@pytest.mark.parametrize("field", sorted(LISTS))
def test_every_list_costs_the_same_sql_for_5_and_50(gql, coordinator, busy_center, count_sql, field):
    client = gql("torun", user=coordinator)
    query = f"query($first: Int) {{ {field}(first: $first) {{ totalCount edges {{ node {LISTS[field]} }} }} }}"
    client.data(query, {"first": 1})
    counts = {}
    for first in (5, 50):
        with count_sql() as sql:
            rows = client.data(query, {"first": first})[field]
        assert len(rows["edges"]) == min(first, rows["totalCount"]) and rows["totalCount"] > 5
        counts[first] = sql.n
    # Session, user, staff profile, count, page: 5 (the host → center lookup is cached); a nested list (members,
    # persons, notifications) is one prefetch more, whatever the page size.
    expected = 5 + (field in PREFETCHING)
    assert counts[5] == counts[50] == expected, (
        f"{field}: a page must cost the same few SQL statements whatever its size; a statement per row (N+1) "
        f"would make the list slow for large centers. Expected {expected}, got {counts}."
    )


def test_a_page_without_related_lists_costs_no_prefetch(gql, coordinator, busy_center, count_sql):
    client = gql("torun", user=coordinator)
    client.data("{ fosterFamilies(first: 1) { totalCount } }")
    with count_sql() as sql:
        client.data("{ fosterFamilies(first: 50) { edges { node { name coordinatorLoad } } } }")
    assert sql.n <= 6, f"families without members: no members prefetch expected. Got {sql.queries}"


def test_a_child_not_placed_has_no_current_placement_in_the_list(gql, coordinator, world, in_schema):
    with in_schema("torun"):
        new_child(coordinator, first_name="Nowe", last_name="Aaa")
    rows = gql("torun", user=coordinator).data(CHILDREN, {"first": 10})["fosterChildren"]["edges"]
    first = rows[0]["node"]
    assert first["person"]["fullName"] == "Nowe Aaa"
    assert first["currentPlacement"] is None and first["nextAssessment"] is None


NODE_FAMILY = """query($id: ID!) { node(id: $id) { ... on FosterFamily { name coordinatorLoad members { id } } } }"""


def test_family_node_is_read_audited_and_not_found_elsewhere(gql, coordinator, world, codes, slupsk, in_schema):
    from ostoja.platform.audit.models import AuditEntry

    family_id = gid("torun", "FosterFamily", world["family"].pk)
    node = gql("torun", user=coordinator).data(NODE_FAMILY, {"id": family_id})["node"]
    assert node["name"] == "Rodzina Nowaków" and len(node["members"]) == 1
    with in_schema("torun"):
        assert AuditEntry.objects.filter(action="read", object_type="foster_care.fosterfamily").exists()
    stranger = make_staff("slupsk", "koordynator", Role.FOSTER_CARE_COORDINATOR)
    body = gql("slupsk", user=stranger)(NODE_FAMILY, {"id": family_id})
    assert codes(body) == ["not_found"] and not (body["data"] or {}).get("node")
    assert codes(gql("torun")(NODE_FAMILY, {"id": family_id})) == ["not_authenticated"]


# --- every mutation: anonymous, wrong role, another center's IDs ------------------------------------------------


def every_mutation(world):
    """(document, variables) for each mutation, with valid input that names Toruń objects."""
    with schema_context("torun"):
        kid, fam, placement = world["child"], world["family"], world["placement"]
        adult = person(date(1980, 1, 1))
        candidate = services.register_candidate(
            services.SYSTEM, name="K", desired_kind="related", applied_on=TODAY, persons=[(adult.pk, "grandparent")]
        )
        assessment = Assessment.objects.get(child=kid, status="planned")
        meeting = services.plan_meeting(services.SYSTEM, kid.pk, planned_at=timezone.now(), participants="matka")
        report = services.report_irregularity(services.SYSTEM, placement.pk, reported_on=TODAY, description="Opis")
        notification = report.notifications.first()
        coordinator_profile = StaffProfile.objects.get(user__username="koordynatorka")
        other_kid = new_child(services.SYSTEM)
        ids = {
            "child": to_global_id("FosterChild", kid.pk),
            "other_child": to_global_id("FosterChild", other_kid.pk),
            "family": to_global_id("FosterFamily", fam.pk),
            "other_family": to_global_id("FosterFamily", world["other"].pk),
            "placement": to_global_id("Placement", placement.pk),
            "person": to_global_id("Person", adult.pk),
            "candidate": to_global_id("Candidate", candidate.pk),
            "assessment": to_global_id("Assessment", assessment.pk),
            "meeting": to_global_id("ParentMeeting", meeting.pk),
            "report": to_global_id("IrregularityReport", report.pk),
            "notification": to_global_id("Notification", notification.pk),
            "coordinator": to_global_id("StaffMember", coordinator_profile.pk),
        }
    today = str(TODAY)
    return [
        (REGISTER_CANDIDATE, {"input": candidate_input(ids["person"])}),
        (REFER, {"id": ids["candidate"]}),
        (TRAINED, {"id": ids["candidate"], "on": today}),
        (REJECT, {"id": ids["candidate"], "reason": "Rezygnacja"}),
        (QUALIFY, {"id": ids["candidate"]}),
        (
            CREATE_FAMILY,
            {
                "input": {
                    "name": "R",
                    "kind": "PROFESSIONAL",
                    "members": [{"personId": ids["person"], "relation": "NOT_RELATED"}],
                }
            },
        ),
        (ADD_MEMBER, {"f": ids["family"], "p": ids["person"], "r": "NOT_RELATED"}),
        (CHANGE_STATUS, {"id": ids["family"], "s": "SUSPENDED"}),
        (ASSIGN, {"f": ids["family"], "c": ids["coordinator"]}),
        (REGISTER_CHILD, {"p": ids["person"]}),
        (MARK_SIBLINGS, {"ids": [ids["child"], ids["other_child"]]}),
        (SET_GOAL, {"id": ids["child"]}),
        (
            PLACE,
            {
                "input": {
                    "childId": ids["other_child"],
                    "familyId": ids["other_family"],
                    "startOn": today,
                    "courtOrderReference": "III Nsm 9/26",
                    "reason": "Powód",
                }
            },
        ),
        (END, {"id": ids["placement"], "on": today, "r": "RETURN_HOME"}),
        (RECORD_ASSESSMENT, {"id": ids["assessment"], "on": today}),
        (PLAN_MEETING, {"id": ids["child"], "at": timezone.now().isoformat(), "who": "ojciec"}),
        (HELD, {"id": ids["meeting"]}),
        (CANCEL, {"id": ids["meeting"], "r": "Choroba"}),
        (ADD_EXPENSE, {"id": ids["child"], "amount": "10"}),
        (GRANT_ALLOWANCE, {"id": ids["child"], "from": today, "to": today}),
        (START_LEAVING, {"id": ids["child"], "mentor": "Ewa"}),
        (EDUCATION, {"id": ids["child"], "to": "2029-05-19"}),
        (REPORT, {"id": ids["placement"], "d": "Opis"}),
        (SENT, {"id": ids["notification"], "on": today}),
        (CLOSE, {"id": ids["report"]}),
        (SETTINGS, {"input": {"childIntervalMonths": 4}}),
    ]


def audit_count(slug):
    from ostoja.platform.audit.models import AuditEntry

    with schema_context(slug):
        return AuditEntry.objects.exclude(action="read").count()


def test_every_mutation_refuses_anonymous_and_other_roles_and_changes_nothing(gql, world, worker, codes):
    mutations = every_mutation(world)
    assert len(mutations) == len(FosterCareMutations._meta.fields)
    before = audit_count("torun")
    for client, code in ((gql("torun"), "NOT_AUTHENTICATED"), (gql("torun", user=worker), "ROLE_REQUIRED")):
        for document, variables in mutations:
            payload = client.mutate(document, variables)
            assert codes(payload) == [code], (document, payload)
    assert audit_count("torun") == before, "a refused mutation must not write anything"


def test_every_mutation_with_ids_of_another_center_is_not_found(gql, world, codes, slupsk):
    stranger = make_staff("slupsk", "szefowa", Role.FOSTER_CARE_COORDINATOR, Role.DIRECTOR)
    client = gql("slupsk", user=stranger)
    mutations = [(document, variables) for document, variables in every_mutation(world) if document != SETTINGS]
    before = audit_count("torun"), audit_count("slupsk")
    for document, variables in mutations:  # every one but the settings takes an ID
        payload = client.mutate(document, variables)
        assert codes(payload) == ["NOT_FOUND"], (document, payload)
    assert (audit_count("torun"), audit_count("slupsk")) == before


def test_every_foster_care_type_is_fetched_by_id_for_its_roles_only(gql, coordinator, worker, world, codes):
    with schema_context("torun"):
        kid = new_child(coordinator, born=date(2004, 5, 20))
        placement = place(coordinator, kid, world["other"], start_on=date(2022, 1, 1))
        leaving = services.start_leaving_care(
            coordinator,
            kid.pk,
            mentor_name="Ewa",
            programme="Plan",
            programme_approved_on=date(2022, 4, 1),
            started_on=date(2022, 5, 20),
        )
        report = services.report_irregularity(coordinator, placement.pk, reported_on=TODAY, description="Opis")
        objects = {
            "FamilyMember": world["family"].members.get().pk,
            "Candidate": services.register_candidate(
                coordinator, name="K", desired_kind="related", applied_on=TODAY, persons=[(person().pk, "sibling")]
            ).pk,
            "FosterFamily": world["family"].pk,
            "FosterChild": kid.pk,
            "Placement": placement.pk,
            "Assessment": Assessment.objects.filter(child=kid).get().pk,
            "ParentMeeting": services.plan_meeting(coordinator, kid.pk, planned_at=timezone.now(), participants="m").pk,
            "ChildNeedsExpense": services.add_expense(
                coordinator, kid.pk, kind="school", amount="10", granted_on=TODAY
            ).pk,
            "MaintenanceAllowance": services.grant_allowance(
                coordinator, kid.pk, monthly_amount="1000", period_from=date(2022, 2, 1), period_to=date(2022, 2, 28)
            ).pk,
            "LeavingCare": leaving.pk,
            "ContinuingEducationSupport": services.grant_education_support(
                coordinator,
                kid.pk,
                school="UMK",
                monthly_amount="500",
                period_from=date(2024, 10, 1),
                period_to=date(2025, 6, 30),
            ).pk,
            "IrregularityReport": report.pk,
            "Notification": report.notifications.first().pk,
        }
    query = "query($id: ID!) { node(id: $id) { __typename id } }"
    allowed, refused = gql("torun", user=coordinator), gql("torun", user=worker)
    for type_name, pk in objects.items():
        node_id = gid("torun", type_name, pk)
        assert allowed.data(query, {"id": node_id})["node"] == {"__typename": type_name, "id": node_id}
        assert codes(refused(query, {"id": node_id})) == ["role_required"], type_name
        missing = gid("torun", type_name, 999999)
        body = allowed(query, {"id": missing})
        assert codes(body)[0].endswith("not_found") and body["data"]["node"] is None, type_name
