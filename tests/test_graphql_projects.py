"""Staff GraphQL, funded projects: lists (projects with target progress, targets, participants, achievements) come
from the projects service (coordinators, directors; the auditor reads), participant pages are audited on their
persons, every service action has a mutation whose failure changes nothing, lists cost a constant number of SQL
statements, and IDs of another center find nothing."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from ostoja.graphql.core.ids import to_global_id
from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.projects import services
from ostoja.modules.projects.models import (
    Achievement,
    CenterRole,
    FundingSource,
    Participant,
    Partner,
    Project,
    ProjectStatus,
    Target,
)
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

D = date
_serial = count(700)


def gid(type_name, pk, slug="torun"):
    with schema_context(slug):
        return to_global_id(type_name, pk)


def staff(slug, username, *roles):
    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Test")
        StaffProfile.objects.create(user=user, roles=list(roles))
    return user


def staff_id(user, slug="torun"):
    with schema_context(slug):
        return to_global_id("StaffMember", user.staff_profile.pk)


def make_person(last_name="Przykładowa", first_name="Anna", sex=Sex.FEMALE, birth=None, slug="torun"):
    birth = birth or D(1990, 5, 20)
    with schema_context(slug):
        return Person.objects.create(
            first_name=first_name,
            last_name=last_name,
            sex=sex,
            pesel=make_pesel(birth, next(_serial), sex),
            date_of_birth=birth,
        )


def make_project(actor, code="p1", slug="torun", **extra):
    data = {
        "code": code,
        "title_pl": "Wspieramy mamy",
        "title_en": "We support mothers",
        "center_role": CenterRole.LEAD,
        "start_date": D(2017, 1, 1),
        "end_date": D(2018, 6, 30),
        "status": ProjectStatus.RUNNING,
    }
    data.update(extra)
    with schema_context(slug):
        return services.create_project(actor, **data)


def in_torun(fn, *args, **kwargs):
    with schema_context("torun"):
        return fn(*args, **kwargs)


@pytest.fixture
def w(torun, slupsk):
    class World:
        pass

    world = World()
    world.coordinator = staff("torun", "koordynatorka", Role.PROJECT_COORDINATOR)
    world.director = staff("torun", "dyrektor", Role.DIRECTOR)
    world.auditor = staff("torun", "audytor", Role.AUDITOR)
    world.worker = staff("torun", "pracownik", Role.SOCIAL_WORKER)
    world.stranger = staff("slupsk", "slupska", Role.DIRECTOR)
    return world


def count_in_torun(model, **filters):
    with schema_context("torun"):
        return model.objects.filter(**filters).count()


# --- projects: create, list, fetch ---------------------------------------------------------------------------

CREATE = """mutation($input: CreateProjectInput!) { createProject(input: $input) {
  project { id code title status centerRole periodLabel totalBudget centerShare coordinator { username }
            fundingSources { kind amount label } partners { name roleDescription } }
  errors { field code message } } }"""


def create_input(**extra):
    data = {
        "code": "rodzina-w-centrum",
        "titlePl": "Rodzina w centrum",
        "titleEn": "Family in the centre",
        "centerRole": "PARTNER",
        "leadOrganisation": "ROPS Toruń",
        "programme": "RPO WK-P 2014–2020",
        "startDate": "2017-01-01",
        "endDate": "2019-12-31",
        "totalBudget": "1600000.00",
        "centerShare": "400000.00",
        "status": "RUNNING",
        "fundingSources": [
            {"kind": "EFS", "amount": "1360000.00"},
            {"kind": "STATE_BUDGET", "amount": "240000.00"},
        ],
        "partners": [{"name": "Fundacja Pomocy", "roleDescription": "szkolenia"}],
    }
    data.update(extra)
    return data


def test_create_project_with_funding_partners_and_coordinator(gql, w, codes):
    payload = gql("torun", user=w.director).mutate(
        CREATE, {"input": create_input(coordinatorId=staff_id(w.coordinator))}
    )
    assert codes(payload) == []
    project = payload["project"]
    assert project["status"] == "RUNNING" and project["centerRole"] == "PARTNER"
    assert project["periodLabel"] == "01.01.2017–31.12.2019"
    assert Decimal(project["centerShare"]) == Decimal("400000")
    assert project["coordinator"] == {"username": "koordynatorka"}
    assert [(s["kind"], Decimal(s["amount"])) for s in project["fundingSources"]] == [
        ("EFS", Decimal("1360000")),
        ("STATE_BUDGET", Decimal("240000")),
    ]
    assert project["partners"] == [{"name": "Fundacja Pomocy", "roleDescription": "szkolenia"}]
    assert count_in_torun(AuditEntry, action=AuditAction.CREATE) >= 4  # project, two sources, partner


def test_create_project_validation_changes_nothing(gql, w, codes):
    client = gql("torun", user=w.coordinator)
    payload = client.mutate(CREATE, {"input": create_input(centerShare="1600000.01")})
    assert codes(payload) == ["SHARE_EXCEEDS_TOTAL"] and payload["project"] is None
    assert payload["errors"][0]["field"] == "centerShare"
    # the funding sources (1 700 000) exceed the budget: the project created before them is rolled back too
    sources = [{"kind": "EFS", "amount": "1460000"}, {"kind": "STATE_BUDGET", "amount": "240000"}]
    assert codes(client.mutate(CREATE, {"input": create_input(fundingSources=sources)})) == ["FUNDING_EXCEEDS_TOTAL"]
    assert codes(client.mutate(CREATE, {"input": create_input(code="zły kod")})) == ["INVALID_CODE"]
    assert codes(client.mutate(CREATE, {"input": create_input(coordinatorId=staff_id(w.worker))})) == [
        "INVALID_COORDINATOR"
    ]
    assert count_in_torun(Project) == count_in_torun(FundingSource) == count_in_torun(Partner) == 0


def test_create_project_refused_by_role_anonymous_and_foreign_ids(gql, w, codes):
    assert codes(gql("torun", user=w.worker).mutate(CREATE, {"input": create_input()})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun", user=w.auditor).mutate(CREATE, {"input": create_input()})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(CREATE, {"input": create_input()})) == ["NOT_AUTHENTICATED"]
    foreign_coordinator = staff_id(w.stranger, "slupsk")
    payload = gql("torun", user=w.director).mutate(CREATE, {"input": create_input(coordinatorId=foreign_coordinator)})
    assert codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "coordinatorId"
    # a Słupsk director creates in Słupsk only
    assert codes(gql("slupsk", user=w.stranger).mutate(CREATE, {"input": create_input()})) == []
    assert count_in_torun(Project) == 0


PROJECTS = """query($status: ProjectStatus, $programme: String, $fundingKind: FundingKind, $from: Date, $to: Date,
                    $search: String, $orderBy: ProjectOrder) {
  projects(first: 20, status: $status, programme: $programme, fundingKind: $fundingKind, activeFrom: $from,
           activeTo: $to, search: $search, orderBy: $orderBy) {
    totalCount edges { node { id code status participantsTotal participantsActive
      targets { code targetValue achieved progressPercent } } }
  } }"""


@pytest.fixture
def projects(w):
    """Three projects of Toruń: a running one with a participant and two targets, a planned one funded by the
    commune, a finished one from 2014–2015."""
    mamy = make_project(w.coordinator, "mamy", programme="RPO WK-P 2014–2020", total_budget="1000")
    in_torun(services.add_funding_source, w.coordinator, mamy.pk, kind="efs", amount="800")
    women = in_torun(
        services.add_target,
        w.coordinator,
        mamy.pk,
        code="kobiety",
        name_pl="Kobiety",
        unit="persons",
        target_value="4",
        measure="participants",
        criterion_sex="F",
    )
    centers = in_torun(
        services.add_target,
        w.coordinator,
        mamy.pk,
        code="punkty",
        name_pl="Punkty opieki",
        unit="facilities",
        target_value="2",
        measure="recorded",
    )
    anna = make_person()
    participant = in_torun(
        services.enrol_participant,
        w.coordinator,
        mamy.pk,
        person_id=anna.pk,
        pesel=anna.pesel,
        enrolled_on=D(2017, 3, 1),
        labour_market_status="inactive",
    )
    in_torun(services.record_achievement, w.coordinator, centers.pk, value="1", achieved_on=D(2017, 6, 1))
    senior = make_project(
        w.coordinator,
        "seniorzy",
        title_pl="Aktywni seniorzy",
        status=ProjectStatus.PLANNED,
        start_date=D(2021, 1, 1),
        end_date=D(2022, 12, 31),
        programme="Program gminny",
    )
    in_torun(services.add_funding_source, w.coordinator, senior.pk, kind="commune_budget", amount=None)
    old = make_project(
        w.coordinator,
        "dawny",
        title_pl="Dawny projekt",
        status=ProjectStatus.FINISHED,
        start_date=D(2014, 1, 1),
        end_date=D(2015, 12, 31),
        period_precision="year",
    )

    class Projects:
        pass

    p = Projects()
    p.mamy, p.senior, p.old, p.women, p.centers, p.anna, p.participant = (
        mamy,
        senior,
        old,
        women,
        centers,
        anna,
        participant,
    )
    return p


def _codes_of(data):
    return [edge["node"]["code"] for edge in data["projects"]["edges"]]


def test_projects_list_with_progress_filters_and_order(gql, w, projects):
    client = gql("torun", user=w.auditor)  # the auditor reads
    data = client.data(PROJECTS)
    assert _codes_of(data) == ["seniorzy", "mamy", "dawny"] and data["projects"]["totalCount"] == 3
    mamy = data["projects"]["edges"][1]["node"]
    assert mamy["participantsTotal"] == mamy["participantsActive"] == 1
    assert [(t["code"], Decimal(t["achieved"]), Decimal(t["progressPercent"])) for t in mamy["targets"]] == [
        ("kobiety", Decimal(1), Decimal("25.0")),
        ("punkty", Decimal(1), Decimal("50.0")),
    ]
    assert _codes_of(client.data(PROJECTS, {"status": "PLANNED"})) == ["seniorzy"]
    assert _codes_of(client.data(PROJECTS, {"programme": "rpo"})) == ["mamy"]
    assert _codes_of(client.data(PROJECTS, {"fundingKind": "COMMUNE_BUDGET"})) == ["seniorzy"]
    assert _codes_of(client.data(PROJECTS, {"from": "2016-01-01", "to": "2018-01-01"})) == ["mamy"]
    assert _codes_of(client.data(PROJECTS, {"to": "2016-01-01"})) == ["dawny"]
    assert _codes_of(client.data(PROJECTS, {"search": "aktywni SENIOR"})) == ["seniorzy"]
    assert _codes_of(client.data(PROJECTS, {"orderBy": "CODE"})) == ["dawny", "mamy", "seniorzy"]


def test_projects_list_refused_and_not_shared_between_centers(gql, w, projects, codes):
    assert codes(gql("torun", user=w.worker)(PROJECTS)) == ["role_required"]
    assert codes(gql("torun")(PROJECTS)) == ["not_authenticated"]
    assert gql("slupsk", user=w.stranger).data(PROJECTS)["projects"]["totalCount"] == 0
    assert codes(gql("torun", user=w.coordinator)("{ projects(first: 101) { totalCount } }")) == ["page_size"]
    body = gql("torun", user=w.coordinator)(PROJECTS, {"from": "2018-01-01", "to": "2017-01-01"})
    assert codes(body) == ["period_reversed"] and body["errors"][0]["extensions"]["field"] == "activeTo"


NODE = """query($id: ID!) { node(id: $id) { id
  ... on Project { code targets { code achieved } }
  ... on Target { code achieved progressPercent project { code } }
  ... on Participant { sex ageGroup person { lastName } }
  ... on FundingSource { kind } ... on ProjectPartner { name } ... on Achievement { value target { code } } } }"""


def test_node_fetches_through_the_service_and_not_from_another_center(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    assert client.data(NODE, {"id": gid("Project", projects.mamy.pk)})["node"]["code"] == "mamy"
    target = client.data(NODE, {"id": gid("Target", projects.women.pk)})["node"]
    assert target["project"] == {"code": "mamy"} and Decimal(target["progressPercent"]) == Decimal("25.0")
    reads = count_in_torun(AuditEntry, action=AuditAction.READ)
    node = client.data(NODE, {"id": gid("Participant", projects.participant.pk)})["node"]
    assert node == {
        "id": node["id"],
        "sex": "FEMALE",
        "ageGroup": "FROM_25_TO_29",
        "person": {"lastName": "Przykładowa"},
    }
    assert count_in_torun(AuditEntry, action=AuditAction.READ) == reads + 1
    achievement = in_torun(lambda: Achievement.objects.get())
    assert client.data(NODE, {"id": gid("Achievement", achievement.pk)})["node"]["target"] == {"code": "punkty"}
    assert codes(gql("torun", user=w.worker)(NODE, {"id": gid("Project", projects.mamy.pk)})) == ["role_required"]
    for type_name, pk in (("Project", projects.mamy.pk), ("Participant", projects.participant.pk)):
        body = gql("slupsk", user=w.stranger)(NODE, {"id": gid(type_name, pk)})
        assert codes(body) == ["not_found"] and body["data"]["node"] is None
    # the same primary key in Słupsk is another project: a Toruń ID never reaches it
    make_project(w.stranger, "slupski", slug="slupsk")
    body = gql("slupsk", user=w.stranger)(NODE, {"id": gid("Project", projects.mamy.pk)})
    assert codes(body) == ["not_found"]


# --- projects: update and status ---------------------------------------------------------------------------

UPDATE = """mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) {
  project { code titleEn endDate coordinator { username } } errors { field code } } }"""


def test_update_project_changes_only_the_given_fields(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    project_id = gid("Project", projects.mamy.pk)
    payload = client.mutate(
        UPDATE, {"id": project_id, "input": {"titleEn": "Supporting mums", "coordinatorId": staff_id(w.director)}}
    )
    assert codes(payload) == []
    assert payload["project"] == {
        "code": "mamy",
        "titleEn": "Supporting mums",
        "endDate": "2018-06-30",
        "coordinator": {"username": "dyrektor"},
    }
    payload = client.mutate(UPDATE, {"id": project_id, "input": {"coordinatorId": None}})
    assert payload["project"]["coordinator"] is None


def test_update_project_refusals_change_nothing(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    project_id = gid("Project", projects.mamy.pk)
    payload = client.mutate(UPDATE, {"id": project_id, "input": {"endDate": "2016-12-31", "titleEn": "X"}})
    assert codes(payload) == ["PERIOD_REVERSED"] and payload["errors"][0]["field"] == "endDate"
    payload = client.mutate(UPDATE, {"id": project_id, "input": {"startDate": "2017-06-01"}})
    assert codes(payload) == ["ENROLMENTS_OUTSIDE_PERIOD"]
    assert codes(client.mutate(UPDATE, {"id": project_id, "input": {"code": "seniorzy"}})) == ["DUPLICATE_CODE"]
    assert codes(gql("torun", user=w.auditor).mutate(UPDATE, {"id": project_id, "input": {"titleEn": "X"}})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("slupsk", user=w.stranger).mutate(UPDATE, {"id": project_id, "input": {"titleEn": "X"}})) == [
        "NOT_FOUND"
    ]
    assert codes(client.mutate(UPDATE, {"id": gid("Target", projects.women.pk), "input": {}})) == ["INVALID_ID"]
    with schema_context("torun"):
        project = Project.objects.get(pk=projects.mamy.pk)
        assert (project.title_en, project.start_date, project.code) == ("We support mothers", D(2017, 1, 1), "mamy")


STATUS = """mutation($id: ID!, $status: ProjectStatus!) { changeProjectStatus(id: $id, status: $status) {
  project { status } errors { field code } } }"""


def test_change_project_status(gql, w, projects, codes):
    client = gql("torun", user=w.director)
    senior_id, mamy_id = gid("Project", projects.senior.pk), gid("Project", projects.mamy.pk)
    assert codes(client.mutate(STATUS, {"id": senior_id, "status": "SETTLED"})) == ["INVALID_TRANSITION"]
    assert client.mutate(STATUS, {"id": senior_id, "status": "RUNNING"})["project"] == {"status": "RUNNING"}
    assert codes(client.mutate(STATUS, {"id": mamy_id, "status": "FINISHED"})) == ["PARTICIPANTS_STILL_ENROLLED"]
    assert codes(gql("torun", user=w.worker).mutate(STATUS, {"id": mamy_id, "status": "CANCELLED"})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("slupsk", user=w.stranger).mutate(STATUS, {"id": mamy_id, "status": "CANCELLED"})) == ["NOT_FOUND"]
    assert in_torun(lambda: Project.objects.get(pk=projects.mamy.pk).status) == ProjectStatus.RUNNING


# --- funding sources and partners ----------------------------------------------------------------------------

ADD_SOURCE = """mutation($projectId: ID!, $input: FundingSourceInput!) {
  addFundingSource(projectId: $projectId, input: $input) {
    fundingSource { id kind amount } project { fundingSources { kind } } errors { field code } } }"""
REMOVE_SOURCE = """mutation($id: ID!) { removeFundingSource(id: $id) { removedId errors { code } } }"""
ADD_PARTNER = """mutation($projectId: ID!, $input: ProjectPartnerInput!) {
  addProjectPartner(projectId: $projectId, input: $input) { partner { id name } errors { field code } } }"""
REMOVE_PARTNER = """mutation($id: ID!) { removeProjectPartner(id: $id) { removedId errors { code } } }"""


def test_funding_sources(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    mamy_id = gid("Project", projects.mamy.pk)
    payload = client.mutate(ADD_SOURCE, {"projectId": mamy_id, "input": {"kind": "STATE_BUDGET", "amount": "200"}})
    assert codes(payload) == [] and payload["project"]["fundingSources"] == [{"kind": "EFS"}, {"kind": "STATE_BUDGET"}]
    source_id = payload["fundingSource"]["id"]
    payload = client.mutate(ADD_SOURCE, {"projectId": mamy_id, "input": {"kind": "COMMUNE_BUDGET", "amount": "0.01"}})
    assert codes(payload) == ["FUNDING_EXCEEDS_TOTAL"]
    assert codes(client.mutate(ADD_SOURCE, {"projectId": mamy_id, "input": {"kind": "OTHER"}})) == ["REQUIRED"]
    auditor = gql("torun", user=w.auditor)
    assert codes(auditor.mutate(ADD_SOURCE, {"projectId": mamy_id, "input": {"kind": "OTHER"}})) == ["ROLE_REQUIRED"]
    assert codes(auditor.mutate(REMOVE_SOURCE, {"id": source_id})) == ["ROLE_REQUIRED"]
    assert codes(gql("slupsk", user=w.stranger).mutate(REMOVE_SOURCE, {"id": source_id})) == ["NOT_FOUND"]
    assert count_in_torun(FundingSource, project=projects.mamy) == 2
    assert client.mutate(REMOVE_SOURCE, {"id": source_id}) == {"removedId": source_id, "errors": []}
    assert codes(client.mutate(REMOVE_SOURCE, {"id": source_id})) == ["FUNDING_SOURCE_NOT_FOUND"]
    assert count_in_torun(FundingSource, project=projects.mamy) == 1


def test_partners(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    mamy_id = gid("Project", projects.mamy.pk)
    payload = client.mutate(ADD_PARTNER, {"projectId": mamy_id, "input": {"name": "Caritas"}})
    assert codes(payload) == [] and payload["partner"]["name"] == "Caritas"
    partner_id = payload["partner"]["id"]
    assert codes(client.mutate(ADD_PARTNER, {"projectId": mamy_id, "input": {"name": "caritas"}})) == [
        "DUPLICATE_PARTNER"
    ]
    assert codes(client.mutate(ADD_PARTNER, {"projectId": mamy_id, "input": {"name": "  "}})) == ["REQUIRED"]
    assert codes(gql("torun", user=w.worker).mutate(ADD_PARTNER, {"projectId": mamy_id, "input": {"name": "X"}})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("slupsk", user=w.stranger).mutate(REMOVE_PARTNER, {"id": partner_id})) == ["NOT_FOUND"]
    # closed projects cannot change
    old_id = gid("Project", projects.old.pk)
    in_torun(services.change_project_status, w.director, projects.old.pk, ProjectStatus.SETTLED)
    assert codes(client.mutate(ADD_PARTNER, {"projectId": old_id, "input": {"name": "Caritas"}})) == ["PROJECT_CLOSED"]
    assert count_in_torun(Partner) == 1
    assert codes(client.mutate(REMOVE_PARTNER, {"id": partner_id})) == []
    assert count_in_torun(Partner) == 0


# --- targets and achievements -----------------------------------------------------------------------------------

ADD_TARGET = """mutation($projectId: ID!, $input: AddProjectTargetInput!) {
  addProjectTarget(projectId: $projectId, input: $input) {
    target { id code unit measure criterionSex criterionLabourStatuses achieved progressPercent }
    errors { field code } } }"""
UPDATE_TARGET = """mutation($id: ID!, $input: UpdateProjectTargetInput!) {
  updateProjectTarget(id: $id, input: $input) { target { code targetValue achieved progressPercent }
  errors { field code } } }"""
TARGETS = """query($projectId: ID!, $measure: TargetMeasure, $orderBy: TargetOrder) {
  projectTargets(projectId: $projectId, first: 10, measure: $measure, orderBy: $orderBy) {
    totalCount edges { node { code achieved } } } }"""


def test_add_and_update_targets_with_progress(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    mamy_id = gid("Project", projects.mamy.pk)
    target_input = {
        "code": "bierni",
        "namePl": "Osoby bierne zawodowo",
        "unit": "PERSONS",
        "targetValue": "10",
        "measure": "PARTICIPANTS",
        "criterionLabourStatuses": ["INACTIVE", "INACTIVE_IN_EDUCATION"],
    }
    payload = client.mutate(ADD_TARGET, {"projectId": mamy_id, "input": target_input})
    assert codes(payload) == []
    target = payload["target"]
    assert target["criterionLabourStatuses"] == ["INACTIVE", "INACTIVE_IN_EDUCATION"] and target["criterionSex"] is None
    assert Decimal(target["achieved"]) == 1 and Decimal(target["progressPercent"]) == Decimal("10.0")
    payload = client.mutate(UPDATE_TARGET, {"id": target["id"], "input": {"targetValue": "4"}})
    assert Decimal(payload["target"]["progressPercent"]) == Decimal("25.0")
    bad = {**target_input, "code": "inne", "unit": "HOURS"}
    assert codes(client.mutate(ADD_TARGET, {"projectId": mamy_id, "input": bad})) == ["UNIT_NOT_PERSONS"]
    assert codes(client.mutate(ADD_TARGET, {"projectId": mamy_id, "input": target_input})) == ["DUPLICATE_CODE"]
    payload = client.mutate(
        UPDATE_TARGET,
        {"id": gid("Target", projects.centers.pk), "input": {"measure": "PARTICIPANTS", "unit": "PERSONS"}},
    )
    assert codes(payload) == ["TARGET_HAS_ACHIEVEMENTS"]
    assert codes(gql("torun", user=w.auditor).mutate(ADD_TARGET, {"projectId": mamy_id, "input": target_input})) == [
        "ROLE_REQUIRED"
    ]
    foreign = gql("slupsk", user=w.stranger)
    assert codes(foreign.mutate(UPDATE_TARGET, {"id": target["id"], "input": {"targetValue": "1"}})) == ["NOT_FOUND"]
    assert count_in_torun(Target, project=projects.mamy) == 3
    assert in_torun(lambda: Target.objects.get(code="bierni").target_value) == Decimal(4)

    data = client.data(TARGETS, {"projectId": mamy_id, "orderBy": "CODE"})["projectTargets"]
    assert [(e["node"]["code"], Decimal(e["node"]["achieved"])) for e in data["edges"]] == [
        ("bierni", 1),
        ("kobiety", 1),
        ("punkty", 1),
    ]
    data = client.data(TARGETS, {"projectId": mamy_id, "measure": "RECORDED"})["projectTargets"]
    assert data["totalCount"] == 1
    assert codes(gql("torun", user=w.worker)(TARGETS, {"projectId": mamy_id})) == ["role_required"]
    assert codes(foreign(TARGETS, {"projectId": mamy_id})) == ["not_found"]


RECORD = """mutation($targetId: ID!, $value: Decimal!, $on: Date!, $note: String) {
  recordProjectAchievement(targetId: $targetId, value: $value, achievedOn: $on, note: $note) {
    achievement { id value } target { achieved progressPercent } errors { field code } } }"""
REMOVE_ACHIEVEMENT = """mutation($id: ID!) { removeProjectAchievement(id: $id) { removedId errors { code } } }"""
ACHIEVEMENTS = """query($projectId: ID, $targetId: ID, $from: Date, $to: Date, $orderBy: AchievementOrder) {
  projectAchievements(first: 10, projectId: $projectId, targetId: $targetId, dateFrom: $from, dateTo: $to,
                      orderBy: $orderBy) { totalCount edges { node { value achievedOn note target { code } } } } }"""


def test_record_list_and_remove_achievements(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    centers_id = gid("Target", projects.centers.pk)
    payload = client.mutate(RECORD, {"targetId": centers_id, "value": "1", "on": "2018-01-15", "note": "Chełmża"})
    assert codes(payload) == [] and Decimal(payload["target"]["progressPercent"]) == Decimal("100.0")
    achievement_id = payload["achievement"]["id"]
    payload = client.mutate(RECORD, {"targetId": centers_id, "value": "1", "on": "2019-01-15"})
    assert codes(payload) == ["OUTSIDE_PROJECT_PERIOD"] and payload["errors"][0]["field"] == "achievedOn"
    assert codes(client.mutate(RECORD, {"targetId": centers_id, "value": "0", "on": "2018-01-15"})) == ["INVALID_VALUE"]
    women_id = gid("Target", projects.women.pk)
    assert codes(client.mutate(RECORD, {"targetId": women_id, "value": "1", "on": "2018-01-15"})) == [
        "TARGET_COUNTED_FROM_PARTICIPANTS"
    ]
    assert codes(
        gql("torun", user=w.auditor).mutate(RECORD, {"targetId": centers_id, "value": "1", "on": "2018-01-15"})
    ) == ["ROLE_REQUIRED"]
    assert codes(
        gql("slupsk", user=w.stranger).mutate(RECORD, {"targetId": centers_id, "value": "1", "on": "2018-01-15"})
    ) == ["NOT_FOUND"]
    assert count_in_torun(Achievement) == 2

    auditor = gql("torun", user=w.auditor)
    data = auditor.data(ACHIEVEMENTS, {"projectId": gid("Project", projects.mamy.pk), "orderBy": "ACHIEVED_ON_DESC"})
    assert [e["node"]["note"] for e in data["projectAchievements"]["edges"]] == ["Chełmża", ""]
    data = auditor.data(ACHIEVEMENTS, {"targetId": centers_id, "from": "2018-01-01", "to": "2018-12-31"})
    assert data["projectAchievements"]["totalCount"] == 1
    assert codes(gql("torun", user=w.worker)(ACHIEVEMENTS)) == ["role_required"]
    assert codes(auditor(ACHIEVEMENTS, {"from": "2018-12-31", "to": "2018-01-01"})) == ["period_reversed"]
    assert codes(gql("slupsk", user=w.stranger)(ACHIEVEMENTS, {"targetId": centers_id})) == ["not_found"]

    assert codes(gql("slupsk", user=w.stranger).mutate(REMOVE_ACHIEVEMENT, {"id": achievement_id})) == ["NOT_FOUND"]
    assert codes(auditor.mutate(REMOVE_ACHIEVEMENT, {"id": achievement_id})) == ["ROLE_REQUIRED"]
    assert client.mutate(REMOVE_ACHIEVEMENT, {"id": achievement_id})["errors"] == []
    assert count_in_torun(Achievement) == 1


# --- participants ------------------------------------------------------------------------------------------------

ENROL = """mutation($projectId: ID!, $input: EnrolProjectParticipantInput!) {
  enrolProjectParticipant(projectId: $projectId, input: $input) {
    participant { id sex ageAtEnrolment ageGroup labourMarketStatus characteristics educationLevel isActive
                  person { lastName } project { code } }
    errors { field code } } }"""
EXIT = """mutation($id: ID!, $on: Date!, $reason: ExitReason!, $status: LabourMarketStatus) {
  exitProjectParticipant(id: $id, exitedOn: $on, exitReason: $reason, labourMarketStatusAtExit: $status) {
    participant { isActive exitedOn exitReason labourMarketStatusAtExit } errors { field code } } }"""
UPDATE_PARTICIPANT = """mutation($id: ID!, $input: UpdateProjectParticipantInput!) {
  updateProjectParticipant(id: $id, input: $input) { participant { characteristics notes educationLevel }
  errors { field code } } }"""
PARTICIPANTS = """query($projectId: ID, $personId: ID, $status: ParticipantStatus, $search: String,
                        $orderBy: ParticipantOrder) {
  projectParticipants(first: 10, projectId: $projectId, personId: $personId, status: $status, search: $search,
                      orderBy: $orderBy) {
    totalCount edges { node { isActive person { lastName } project { code } } } } }"""


def test_enrol_participant(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    mamy_id = gid("Project", projects.mamy.pk)
    jan = make_person("Nowak", "Jan", Sex.MALE, D(2000, 1, 10))
    enrolment = {
        "personId": gid("Person", jan.pk),
        "enrolledOn": "2017-04-01",
        "labourMarketStatus": "UNEMPLOYED_REGISTERED",
    }
    # a coordinator without access to the register cannot open a record by its number alone …
    payload = client.mutate(ENROL, {"projectId": mamy_id, "input": enrolment})
    assert codes(payload) == ["PERSON_NOT_FOUND"] and payload["participant"] is None
    payload = client.mutate(ENROL, {"projectId": mamy_id, "input": {**enrolment, "pesel": "00000000000"}})
    assert codes(payload) == ["PERSON_NOT_FOUND"]
    # … but enrols a new participant whose PESEL she has from the person's documents
    enrolment = {
        "personId": gid("Person", jan.pk),
        "pesel": jan.pesel,
        "enrolledOn": "2017-04-01",
        "labourMarketStatus": "UNEMPLOYED_REGISTERED",
        "characteristics": ["DISABILITY"],
        "educationLevel": "ISCED_3_4",
    }
    payload = client.mutate(ENROL, {"projectId": mamy_id, "input": enrolment})
    assert codes(payload) == []
    assert payload["participant"] == {
        "id": payload["participant"]["id"],
        "sex": "MALE",
        "ageAtEnrolment": 17,
        "ageGroup": "UNDER_18",
        "labourMarketStatus": "UNEMPLOYED_REGISTERED",
        "characteristics": ["DISABILITY"],
        "educationLevel": "ISCED_3_4",
        "isActive": True,
        "person": {"lastName": "Nowak"},
        "project": {"code": "mamy"},
    }
    assert codes(client.mutate(ENROL, {"projectId": mamy_id, "input": enrolment})) == ["DUPLICATE_ENROLMENT"]
    late_person = make_person("Późna")
    late = {
        **enrolment,
        "personId": gid("Person", late_person.pk),
        "pesel": late_person.pesel,
        "enrolledOn": "2018-07-01",
    }
    payload = client.mutate(ENROL, {"projectId": mamy_id, "input": late})
    assert codes(payload) == ["ENROLMENT_OUTSIDE_PERIOD"] and payload["errors"][0]["field"] == "enrolledOn"
    assert codes(gql("torun", user=w.auditor).mutate(ENROL, {"projectId": mamy_id, "input": enrolment})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("torun").mutate(ENROL, {"projectId": mamy_id, "input": enrolment})) == ["NOT_AUTHENTICATED"]
    # a person of another center: its ID is not found here
    foreign_person = make_person("Obca", slug="slupsk")
    payload = client.mutate(
        ENROL, {"projectId": mamy_id, "input": {**enrolment, "personId": gid("Person", foreign_person.pk, "slupsk")}}
    )
    assert codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "personId"
    assert count_in_torun(Participant, project=projects.mamy) == 2


def test_exit_and_update_participant(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    participant_id = gid("Participant", projects.participant.pk)
    payload = client.mutate(EXIT, {"id": participant_id, "on": "2017-02-01", "reason": "COMPLETED"})
    assert codes(payload) == ["EXIT_BEFORE_ENROLMENT"]
    assert codes(
        gql("torun", user=w.auditor).mutate(EXIT, {"id": participant_id, "on": "2018-01-31", "reason": "COMPLETED"})
    ) == ["ROLE_REQUIRED"]
    assert codes(
        gql("slupsk", user=w.stranger).mutate(EXIT, {"id": participant_id, "on": "2018-01-31", "reason": "COMPLETED"})
    ) == ["NOT_FOUND"]
    assert in_torun(lambda: Participant.objects.get(pk=projects.participant.pk).exited_on) is None
    payload = client.mutate(
        EXIT, {"id": participant_id, "on": "2018-01-31", "reason": "COMPLETED", "status": "EMPLOYED"}
    )
    assert payload == {
        "participant": {
            "isActive": False,
            "exitedOn": "2018-01-31",
            "exitReason": "COMPLETED",
            "labourMarketStatusAtExit": "EMPLOYED",
        },
        "errors": [],
    }
    assert codes(client.mutate(EXIT, {"id": participant_id, "on": "2018-01-31", "reason": "COMPLETED"})) == [
        "ALREADY_EXITED"
    ]

    payload = client.mutate(
        UPDATE_PARTICIPANT,
        {"id": participant_id, "input": {"characteristics": ["CARES_FOR_CHILD_UNDER_3"], "notes": " ok "}},
    )
    assert payload == {
        "participant": {"characteristics": ["CARES_FOR_CHILD_UNDER_3"], "notes": "ok", "educationLevel": None},
        "errors": [],
    }
    assert codes(
        gql("torun", user=w.worker).mutate(UPDATE_PARTICIPANT, {"id": participant_id, "input": {"notes": "x"}})
    ) == ["ROLE_REQUIRED"]
    assert codes(
        gql("slupsk", user=w.stranger).mutate(UPDATE_PARTICIPANT, {"id": participant_id, "input": {"notes": "x"}})
    ) == ["NOT_FOUND"]
    in_torun(services.change_project_status, w.director, projects.mamy.pk, ProjectStatus.CANCELLED)
    assert codes(client.mutate(UPDATE_PARTICIPANT, {"id": participant_id, "input": {"notes": "x"}})) == [
        "PROJECT_CLOSED"
    ]
    assert in_torun(lambda: Participant.objects.get(pk=projects.participant.pk).notes) == "ok"


def test_participants_list_filters_and_audits_the_persons_read(gql, w, projects, codes):
    client = gql("torun", user=w.coordinator)
    jan = make_person("Nowak", "Jan", Sex.MALE, D(2000, 1, 10))
    with schema_context("torun"):
        services.enrol_participant(
            w.coordinator,
            projects.mamy.pk,
            person_id=jan.pk,
            pesel=jan.pesel,
            enrolled_on=D(2017, 4, 1),
            labour_market_status="employed",
        )
        services.end_participation(
            w.coordinator, projects.participant.pk, exited_on=D(2017, 12, 31), exit_reason="completed"
        )
    reads = count_in_torun(AuditEntry, action=AuditAction.READ)
    data = client.data(PARTICIPANTS, {"projectId": gid("Project", projects.mamy.pk)})["projectParticipants"]
    assert [e["node"]["person"]["lastName"] for e in data["edges"]] == ["Nowak", "Przykładowa"]
    assert count_in_torun(AuditEntry, action=AuditAction.READ) == reads + 2, "every person shown is audited as read"
    with schema_context("torun"):
        assert AuditEntry.objects.filter(action=AuditAction.READ, object_id=str(jan.pk)).exists()
    assert client.data(PARTICIPANTS, {"status": "ACTIVE"})["projectParticipants"]["edges"][0]["node"]["person"] == {
        "lastName": "Nowak"
    }
    data = client.data(PARTICIPANTS, {"status": "EXITED", "search": "przykład"})["projectParticipants"]
    assert data["totalCount"] == 1
    assert client.data(PARTICIPANTS, {"search": "Kowalski"})["projectParticipants"]["totalCount"] == 0
    data = client.data(PARTICIPANTS, {"personId": gid("Person", jan.pk)})["projectParticipants"]
    assert [e["node"]["person"]["lastName"] for e in data["edges"]] == ["Nowak"]
    foreign_person = gid("Person", make_person("Obca", slug="slupsk").pk, "slupsk")
    assert codes(client(PARTICIPANTS, {"personId": foreign_person})) == ["not_found"]
    assert codes(gql("torun", user=w.worker)(PARTICIPANTS)) == ["role_required"]
    assert codes(gql("torun")(PARTICIPANTS)) == ["not_authenticated"]
    foreign = gql("slupsk", user=w.stranger)
    assert codes(foreign(PARTICIPANTS, {"projectId": gid("Project", projects.mamy.pk)})) == ["not_found"]
    assert foreign.data(PARTICIPANTS)["projectParticipants"]["totalCount"] == 0


# --- cost ------------------------------------------------------------------------------------------------------------


def test_projects_with_targets_cost_the_same_few_statements_for_5_and_50(gql, w, count_sql):
    with schema_context("torun"):
        for n in range(50):
            project = services.create_project(
                w.coordinator, code=f"p{n:02d}", title_pl=f"Projekt {n}", center_role="lead", status="running"
            )
            services.add_target(
                w.coordinator, project.pk, code="osoby", name_pl="Osoby", unit="persons", target_value="5",
                measure="participants",
            )  # fmt: skip
            services.add_target(
                w.coordinator, project.pk, code="punkty", name_pl="Punkty", unit="facilities", target_value="2",
                measure="recorded",
            )  # fmt: skip
            services.add_funding_source(w.coordinator, project.pk, kind="efs", amount="100")
    client = gql("torun", user=w.coordinator)
    query = """query($first: Int) { projects(first: $first) { totalCount edges { node {
        id code status participantsActive coordinator { username } fundingSources { kind amount }
        targets { code targetValue achieved progressPercent project { code } } } } } }"""
    client.data(query, {"first": 1})  # warm up anything cached per process
    statements = {}
    for first in (5, 50):
        with count_sql() as sql:
            data = client.data(query, {"first": first})
        assert len(data["projects"]["edges"]) == first
        assert all(len(edge["node"]["targets"]) == 2 for edge in data["projects"]["edges"])
        statements[first] = sql.n
    assert statements[5] == statements[50] <= 6, (
        "the projects list must load targets with their progress (counted participants, summed achievements) and "
        "funding in a constant number of statements (prefetch with subqueries), not per project or per target: a "
        f"page of 50 would otherwise cost 100+ queries; got {statements}"
    )


def test_participants_and_achievements_cost_the_same_statements_for_5_and_50(gql, w, count_sql):
    project = make_project(w.coordinator, "duzy", end_date=D(2030, 12, 31))
    with schema_context("torun"):
        target = services.add_target(
            w.coordinator, project.pk, code="godziny", name_pl="Godziny", unit="hours", target_value="500",
            measure="recorded",
        )  # fmt: skip
        for n in range(50):
            services.record_achievement(w.coordinator, target.pk, value="2", achieved_on=D(2017, 1, 1 + n % 28))
    for n in range(50):
        person = make_person(f"Osoba{n:02d}")
        in_torun(
            services.enrol_participant,
            w.coordinator,
            project.pk,
            person_id=person.pk,
            pesel=person.pesel,
            enrolled_on=D(2017, 2, 1),
            labour_market_status="inactive",
        )
    client = gql("torun", user=w.coordinator)
    participants = """query($first: Int, $projectId: ID) { projectParticipants(first: $first, projectId: $projectId) {
        totalCount edges { node { id sex ageGroup project { code } person { lastName district { name } } } } } }"""
    achievements = """query($first: Int) { projectAchievements(first: $first) {
        totalCount edges { node { id value target { code project { code } } } } } }"""
    project_id = gid("Project", project.pk)
    for query, variables, expected in (
        # at most: domain, session, user, staff profile, count, page, and the audit insert of the persons read
        (participants, {}, 7),
        # ... and the project's access check
        (participants, {"projectId": project_id}, 8),
        (achievements, {}, 6),
    ):
        client.data(query, {"first": 1, **variables})
        statements = {}
        for first in (5, 50):
            with count_sql() as sql:
                data = client.data(query, {"first": first, **variables})
            (connection,) = data.values()
            assert len(connection["edges"]) == first
            statements[first] = sql.n
        assert statements[5] == statements[50] <= expected, (
            "a page of participants or achievements must cost the same few statements whatever its size (projects, "
            "persons, districts and targets joined, one audit insert for all persons read), not one per row; "
            f"got {statements} for {query.split('(')[0]}"
        )
