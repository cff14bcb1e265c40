"""Web pages of funded projects (/projects/ on a center host): the list with its filters, a project's page with
each target's progress bar as the service computes it, the forms (enrol, end a participation, record an
achievement, add a target, change the status, funding and partners) calling the projects service, errors next
to their fields with nothing changed, the auditor reading without forms, other roles refused, another center's
ids not found."""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from itertools import count

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.projects import services
from ostoja.modules.projects.models import (
    Achievement,
    CenterRole,
    FundingSource,
    Participant,
    Project,
    ProjectStatus,
    Target,
)
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

D = date
_serial = count(820)


# --- helpers ------------------------------------------------------------------------------------------


def staff(slug, username, *roles):
    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Web")
        StaffProfile.objects.create(user=user, roles=list(roles))
    return user


def make_person(last_name, first_name="Anna", sex=Sex.FEMALE, birth=None, slug="torun"):
    birth = birth or D(1990, 5, 20)
    with schema_context(slug):
        return Person.objects.create(
            first_name=first_name,
            last_name=last_name,
            sex=sex,
            pesel=make_pesel(birth, next(_serial), sex),
            date_of_birth=birth,
        )


def make_project(actor, code, slug="torun", **extra):
    data = {
        "code": code,
        "title_pl": f"Projekt {code}",
        "title_en": f"Project {code}",
        "center_role": CenterRole.LEAD,
        "start_date": D(2017, 1, 1),
        "end_date": D(2030, 12, 31),
        "status": ProjectStatus.RUNNING,
    }
    data.update(extra)
    with schema_context(slug):
        return services.create_project(actor, **data)


def in_torun(fn, *args, **kwargs):
    with schema_context("torun"):
        return fn(*args, **kwargs)


def count_in_torun(model, **filters):
    with schema_context("torun"):
        return model.objects.filter(**filters).count()


class _Fields(HTMLParser):
    """The text of every ``<div class="field …">`` (label, help, widget, errors) by the ids inside it."""

    def __init__(self):
        super().__init__()
        self.stack = []  # open divs: (is_field, record or None)
        self.current = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            is_field = "field" in (attrs.get("class") or "").split()
            if is_field:
                self.current = {"text": "", "ids": [], "attrs": {}}
            self.stack.append(is_field)
        if self.current is not None and attrs.get("id"):
            self.current["ids"].append(attrs["id"])
            self.current["attrs"][attrs["id"]] = attrs

    def handle_endtag(self, tag):
        if tag == "div" and self.stack and self.stack.pop() and self.current is not None:
            for element_id in self.current["ids"]:
                self.fields[element_id] = self.current
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data


def field(html: str, element_id: str) -> dict:
    """The field group of the widget ``element_id``: its ``text`` and the ``attrs`` of elements in it."""
    parser = _Fields()
    parser.feed(html)
    return parser.fields[element_id]


PROGRESS = re.compile(r'<progress id="progress-(\d+)" value="([^"]*)" max="([^"]*)"')


def progress_bars(html: str) -> dict[int, tuple[Decimal, Decimal]]:
    return {int(pk): (Decimal(value), Decimal(top)) for pk, value, top in PROGRESS.findall(html)}


@pytest.fixture
def w(torun, slupsk, client_for):
    class World:
        def client(self, user, slug="torun"):
            client = client_for(slug)
            with schema_context(slug):
                client.force_login(user)
            return client

    world = World()
    world.coordinator = staff("torun", "h6-koordynatorka", Role.PROJECT_COORDINATOR)
    world.director = staff("torun", "h6-dyrektor", Role.DIRECTOR)
    world.auditor = staff("torun", "h6-audytor", Role.AUDITOR)
    world.worker = staff("torun", "h6-pracownik", Role.SOCIAL_WORKER)
    world.stranger = staff("slupsk", "h6-slupska", Role.DIRECTOR)
    return world


@pytest.fixture
def mamy(w):
    """A running project with a counted target (women), a recorded target (hours), EFS funding and a partner."""
    project = make_project(w.coordinator, "mamy", programme="RPO WK-P 2014–2020", total_budget="1000")
    in_torun(services.add_funding_source, w.coordinator, project.pk, kind="efs", amount="800")
    in_torun(services.add_partner, w.coordinator, project.pk, name="Fundacja Pomocy", role_description="szkolenia")
    project.women = in_torun(
        services.add_target,
        w.coordinator,
        project.pk,
        code="kobiety",
        name_pl="Kobiety objęte wsparciem",
        name_en="Women supported",
        unit="persons",
        target_value="4",
        measure="participants",
        criterion_sex="F",
    )
    project.hours = in_torun(
        services.add_target,
        w.coordinator,
        project.pk,
        code="godziny",
        name_pl="Godziny poradnictwa",
        name_en="Counselling hours",
        unit="hours",
        target_value="10",
        measure="recorded",
    )
    project.anna = make_person("Przykładowa")
    in_torun(
        services.enrol_participant,
        w.coordinator,
        project.pk,
        person_id=project.anna.pk,
        pesel=project.anna.pesel,
        enrolled_on=D(2020, 3, 1),
        labour_market_status="inactive",
    )
    in_torun(services.record_achievement, w.coordinator, project.hours.pk, value="2.5", achieved_on=D(2020, 4, 1))
    return project


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


# --- the list -------------------------------------------------------------------------------------------


def test_list_shows_projects_and_filters_by_status_search_and_period(w, mamy):
    make_project(w.coordinator, "sila", title_pl="Siła w rodzinie", status=ProjectStatus.PLANNED, programme="POWER")
    make_project(
        w.coordinator, "dawny", start_date=D(2014, 1, 1), end_date=D(2015, 12, 31), status=ProjectStatus.FINISHED
    )
    client = w.client(w.coordinator)
    html = page(client, "/projects/")
    assert all(code in html for code in ("mamy", "sila", "dawny"))
    assert "RPO WK-P 2014–2020" in html and "Register a project" in html or "Zarejestruj projekt" in html
    # overall progress of "mamy": women 1/4 = 25 %, hours 2.5/10 = 25 % → 25 %
    assert 'value="25.0" max="100"' in html

    html = page(client, "/projects/", status="planned")
    assert "sila" in html and "mamy" not in html and "dawny" not in html
    html = page(client, "/projects/", search="rodzinie")
    assert "sila" in html and "mamy" not in html
    html = page(client, "/projects/", active_from="2014-06-01", active_to="2016-01-01")
    assert "dawny" in html and "mamy" not in html and "sila" not in html
    html = page(client, "/projects/", funding_kind="efs")
    assert "mamy" in html and "sila" not in html

    # a reversed period: the error next to the "until" field, no rows
    html = page(client, "/projects/", active_from="2020-01-01", active_to="2019-01-01")
    group = field(html, "id_active_to")
    assert group["attrs"]["id_active_to"].get("aria-invalid") == "true"
    assert "mamy" not in html.split("</form>", 2)[-1]


def test_list_paginates(w):
    for number in range(27):
        make_project(w.coordinator, f"p{number:02d}", start_date=D(2017, 1, 1), end_date=D(2030, 12, 31))
    client = w.client(w.director)
    first = page(client, "/projects/", order="code")
    second = page(client, "/projects/", order="code", page=2)
    assert "p00" in first and "p26" not in first
    assert "p26" in second and 'rel="prev"' in second


# --- the project page ---------------------------------------------------------------------------------------


def test_project_page_shows_each_target_with_the_services_progress(w, mamy):
    html = page(w.client(w.coordinator), f"/projects/{mamy.pk}/")
    bars = progress_bars(html)
    progress = {t.pk: t for t in in_torun(services.project_progress, w.coordinator, mamy.pk)}
    assert set(bars) == set(progress) == {mamy.women.pk, mamy.hours.pk}
    for pk, target in progress.items():
        assert bars[pk] == (min(target.achieved, target.target_value), target.target_value)
    assert bars[mamy.women.pk] == (Decimal(1), Decimal(4)) and bars[mamy.hours.pk] == (Decimal("2.5"), Decimal(10))
    # the visible label (Polish by default) and the accessible name of the bar
    assert "1 / 4 (25,0%)" in html and "2,5 / 10 (25,0%)" in html
    assert f'aria-labelledby="target-name-{mamy.women.pk} progress-label-{mamy.women.pk}"' in html
    # facts, funding, partners, participants
    assert "RPO WK-P 2014–2020" in html and "800,00 zł" in html and "Fundacja Pomocy" in html
    assert "Przykładowa Anna" in html


def test_participants_are_filtered_paginated_and_audited(w, mamy):
    from ostoja.platform.audit.models import AuditAction, AuditEntry

    ewa = make_person("Zmyślona", "Ewa")
    participant = in_torun(
        services.enrol_participant,
        w.coordinator,
        mamy.pk,
        person_id=ewa.pk,
        pesel=ewa.pesel,
        enrolled_on=D(2020, 5, 1),
        labour_market_status="employed",
    )
    in_torun(
        services.end_participation, w.coordinator, participant.pk, exited_on=D(2020, 6, 1), exit_reason="completed"
    )
    client = w.client(w.coordinator)
    reads = count_in_torun(AuditEntry, action=AuditAction.READ, object_id=str(ewa.pk))
    html = page(client, f"/projects/{mamy.pk}/", participants="active")
    assert "Przykładowa" in html and "Zmyślona" not in html
    html = page(client, f"/projects/{mamy.pk}/", participants="exited")
    assert "Zmyślona" in html and "Przykładowa Anna" not in html
    assert count_in_torun(AuditEntry, action=AuditAction.READ, object_id=str(ewa.pk)) == reads + 1
    html = page(client, f"/projects/{mamy.pk}/", q="zmyśl")
    assert "Zmyślona" in html and "Przykładowa Anna" not in html


def test_enrol_participant(w, mamy):
    kasia = make_person("Testowa", "Katarzyna", birth=D(1995, 2, 3))
    client = w.client(w.coordinator)
    # a coordinator without access to the register may not enrol a record number found nowhere …
    refused = client.post(
        f"/projects/{mamy.pk}/",
        {
            "action": "enrol",
            "enrol-person": kasia.pk,
            "enrol-enrolled_on": "2021-09-01",
            "enrol-labour_market_status": "unemployed_registered",
        },
    )
    assert "Najpierw znajdź osobę" in field(refused.content.decode(), "id_enrol-person")["text"]
    assert not count_in_torun(Participant, person=kasia)
    # … but finds a new participant by the full PESEL from her documents
    assert f'href="?person={kasia.pk}#enrol"' in page(client, f"/projects/{mamy.pk}/", find=kasia.pesel)
    response = client.post(
        f"/projects/{mamy.pk}/",
        {
            "action": "enrol",
            "enrol-person": kasia.pk,
            "enrol-enrolled_on": "2021-09-01",
            "enrol-labour_market_status": "unemployed_registered",
            "enrol-characteristics": ["cares_for_child_under_3"],
            "enrol-education_level": "isced_3_4",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/projects/{mamy.pk}/#participants"
    html = response.content.decode()
    assert "Katarzyna Testowa" in html  # the success message
    with schema_context("torun"):
        enrolment = Participant.objects.get(project=mamy, person=kasia)
        assert enrolment.age_at_enrolment == 26 and enrolment.characteristics == ["cares_for_child_under_3"]
    # the women's target counts her now: 2 of 4
    assert progress_bars(html)[mamy.women.pk] == (Decimal(2), Decimal(4))


def test_invalid_enrolment_shows_the_error_next_to_the_field_and_changes_nothing(w, mamy):
    kasia = make_person("Testowa", "Katarzyna")
    client = w.client(w.coordinator)
    page(client, f"/projects/{mamy.pk}/", find=kasia.pesel)  # found by PESEL: she may be enrolled
    before = count_in_torun(Participant)
    data = {
        "action": "enrol",
        "enrol-person": kasia.pk,
        "enrol-enrolled_on": "2031-02-01",  # after the project ends
        "enrol-labour_market_status": "employed",
    }
    response = client.post(f"/projects/{mamy.pk}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    group = field(html, "id_enrol-enrolled_on")
    assert "poza okres projektu" in group["text"]  # the service's message, in Polish
    assert group["attrs"]["id_enrol-enrolled_on"]["aria-invalid"] == "true"
    assert 'value="2031-02-01"' in html  # the form keeps what was typed
    # a person already enrolled: the error is next to the person
    response = client.post(
        f"/projects/{mamy.pk}/", {**data, "enrol-person": mamy.anna.pk, "enrol-enrolled_on": "2021-01-01"}
    )
    assert "Przykładowa" in field(response.content.decode(), "id_enrol-person")["text"]
    # nobody with that number
    response = client.post(f"/projects/{mamy.pk}/", {**data, "enrol-person": 987654, "enrol-enrolled_on": "2021-01-01"})
    group = field(response.content.decode(), "id_enrol-person")
    assert group["attrs"]["id_enrol-person"]["aria-invalid"] == "true"
    assert count_in_torun(Participant) == before


def test_person_search_for_enrolment(w, mamy):
    make_person("Wyszukiwana", "Zofia")
    # a director reads the register: every person
    html = page(w.client(w.director), f"/projects/{mamy.pk}/", find="Wyszukiw")
    assert "Wyszukiwana Zofia" in html
    # a project coordinator finds participants of the center's projects only
    client = w.client(w.coordinator)
    assert "Wyszukiwana Zofia" not in page(client, f"/projects/{mamy.pk}/", find="Wyszukiw")
    html = page(client, f"/projects/{mamy.pk}/", find="Przykładowa")
    assert f'href="?person={mamy.anna.pk}#enrol"' in html
    html = page(client, f"/projects/{mamy.pk}/", person=mamy.anna.pk)
    assert field(html, "id_enrol-person")["attrs"]["id_enrol-person"]["value"] == str(mamy.anna.pk)


def test_record_achievement_updates_the_bar(w, mamy):
    client = w.client(w.coordinator)
    response = client.post(
        f"/projects/{mamy.pk}/",
        {
            "action": "achievement",
            "achievement-target": mamy.hours.pk,
            "achievement-value": "5",
            "achievement-achieved_on": "2021-01-15",
            "achievement-note": "warsztaty",
        },
        follow=True,
    )
    html = response.content.decode()
    assert progress_bars(html)[mamy.hours.pk] == (Decimal("7.5"), Decimal(10))
    assert "7,5 / 10 (75,0%)" in html
    # a value of zero: the error next to the value, nothing recorded
    before = count_in_torun(Achievement)
    response = client.post(
        f"/projects/{mamy.pk}/",
        {
            "action": "achievement",
            "achievement-target": mamy.hours.pk,
            "achievement-value": "0",
            "achievement-achieved_on": "2021-01-15",
        },
    )
    group = field(response.content.decode(), "id_achievement-value")
    assert group["attrs"]["id_achievement-value"]["aria-invalid"] == "true"
    assert count_in_torun(Achievement) == before
    # the achievements page lists them and removes one
    html = page(client, f"/projects/{mamy.pk}/achievements/")
    assert "warsztaty" in html and "data-confirm" in html
    with schema_context("torun"):
        achievement = Achievement.objects.get(note="warsztaty")
    response = client.post(f"/projects/{mamy.pk}/achievements/", {"action": "remove", "id": achievement.pk})
    assert response.status_code == 302 and count_in_torun(Achievement) == before - 1


def test_add_target_and_change_status(w, mamy):
    client = w.client(w.director)
    response = client.post(
        f"/projects/{mamy.pk}/",
        {
            "action": "target",
            "target-code": "mlodzi",
            "target-name_pl": "Młodzi do 29 lat",
            "target-indicator_type": "output",
            "target-measure": "participants",
            "target-unit": "persons",
            "target-target_value": "3",
            "target-criterion_max_age": "25",
        },
        follow=True,
    )
    with schema_context("torun"):
        target = Target.objects.get(project=mamy, code="mlodzi")
    assert progress_bars(response.content.decode())[target.pk] == (Decimal(0), Decimal(3))
    # the service's rule: a counted target is measured in persons (error next to the unit)
    response = client.post(
        f"/projects/{mamy.pk}/",
        {
            "action": "target",
            "target-code": "inne",
            "target-name_pl": "Inne",
            "target-indicator_type": "output",
            "target-measure": "participants",
            "target-unit": "hours",
            "target-target_value": "3",
        },
    )
    assert field(response.content.decode(), "id_target-unit")["attrs"]["id_target-unit"]["aria-invalid"] == "true"
    assert not count_in_torun(Target, code="inne")

    # finishing while Anna is still enrolled is refused next to the status field
    html = page(client, f"/projects/{mamy.pk}/")
    assert "data-confirm" in html
    response = client.post(f"/projects/{mamy.pk}/", {"action": "status", "status-status": "finished"})
    assert "id_status-status" in field(response.content.decode(), "id_status-status")["ids"]
    assert field(response.content.decode(), "id_status-status")["attrs"]["id_status-status"]["aria-invalid"] == "true"
    assert in_torun(Project.objects.get, pk=mamy.pk).status == ProjectStatus.RUNNING
    response = client.post(f"/projects/{mamy.pk}/", {"action": "status", "status-status": "cancelled"}, follow=True)
    assert in_torun(Project.objects.get, pk=mamy.pk).status == ProjectStatus.CANCELLED
    html = response.content.decode()
    assert 'name="action" value="enrol"' not in html  # closed: no more forms


def test_funding_and_partners(w, mamy):
    client = w.client(w.coordinator)
    # more than the total budget (1000; EFS 800 already): refused next to the amount
    response = client.post(
        f"/projects/{mamy.pk}/", {"action": "funding", "funding-kind": "state_budget", "funding-amount": "300"}
    )
    assert field(response.content.decode(), "id_funding-amount")["attrs"]["id_funding-amount"]["aria-invalid"] == "true"
    response = client.post(
        f"/projects/{mamy.pk}/", {"action": "funding", "funding-kind": "state_budget", "funding-amount": "200"}
    )
    assert response.status_code == 302 and count_in_torun(FundingSource, project=mamy) == 2
    source = in_torun(FundingSource.objects.get, project=mamy, kind="state_budget")
    client.post(f"/projects/{mamy.pk}/", {"action": "remove_funding", "id": source.pk})
    assert count_in_torun(FundingSource, project=mamy) == 1
    # a funding source of another project is not this page's to remove
    other = make_project(w.coordinator, "inny")
    other_source = in_torun(services.add_funding_source, w.coordinator, other.pk, kind="efs", amount="1")
    response = client.post(f"/projects/{mamy.pk}/", {"action": "remove_funding", "id": other_source.pk})
    assert response.status_code == 404 and count_in_torun(FundingSource, project=other) == 1

    response = client.post(f"/projects/{mamy.pk}/", {"action": "partner", "partner-name": "fundacja pomocy"})
    assert "fundacja pomocy jest już partnerem" in field(response.content.decode(), "id_partner-name")["text"]
    client.post(f"/projects/{mamy.pk}/", {"action": "partner", "partner-name": "Stowarzyszenie"})
    assert "Stowarzyszenie" in page(client, f"/projects/{mamy.pk}/")


def test_create_and_edit_project(w):
    client = w.client(w.coordinator)
    html = page(client, "/projects/new/")
    assert 'name="code"' in html and 'name="coordinator"' in html
    data = {
        "code": "nowy-projekt",
        "title_pl": "Nowy projekt",
        "center_role": "lead",
        "period_precision": "day",
        "start_date": "2024-01-01",
        "end_date": "2023-01-01",
        "status": "planned",
    }
    response = client.post("/projects/new/", data)
    assert field(response.content.decode(), "id_end_date")["attrs"]["id_end_date"]["aria-invalid"] == "true"
    assert not count_in_torun(Project, code="nowy-projekt")
    coordinator = in_torun(StaffProfile.objects.get, user__username="h6-koordynatorka")
    response = client.post("/projects/new/", {**data, "end_date": "2025-12-31", "coordinator": coordinator.pk})
    project = in_torun(Project.objects.get, code="nowy-projekt")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.coordinator_id == w.coordinator.pk

    html = page(client, f"/projects/{project.pk}/edit/")
    assert 'value="nowy-projekt"' in html
    response = client.post(
        f"/projects/{project.pk}/edit/", {**data, "end_date": "2026-06-30", "programme": "FERS", "coordinator": ""}
    )
    assert response.status_code == 302
    project = in_torun(Project.objects.get, pk=project.pk)
    assert project.end_date == D(2026, 6, 30) and project.programme == "FERS" and project.coordinator_id is None


def test_participant_page_ends_the_participation(w, mamy):
    client = w.client(w.coordinator)
    participant = in_torun(Participant.objects.get, project=mamy, person=mamy.anna)
    url = f"/projects/{mamy.pk}/participants/{participant.pk}/"
    html = page(client, url)
    assert "Przykładowa" in html and "data-confirm" in html
    response = client.post(url, {"action": "exit", "exit-exited_on": "2020-01-01", "exit-exit_reason": "completed"})
    assert field(response.content.decode(), "id_exit-exited_on")["attrs"]["id_exit-exited_on"]["aria-invalid"] == "true"
    assert in_torun(Participant.objects.get, pk=participant.pk).exited_on is None
    response = client.post(
        url,
        {
            "action": "exit",
            "exit-exited_on": "2021-02-01",
            "exit-exit_reason": "completed",
            "exit-labour_market_status_at_exit": "employed",
        },
    )
    assert response.status_code == 302
    assert in_torun(Participant.objects.get, pk=participant.pk).exited_on == D(2021, 2, 1)
    # a participant of another project is not found under this one
    other = make_project(w.coordinator, "inny")
    assert client.get(f"/projects/{other.pk}/participants/{participant.pk}/").status_code == 404


# --- who may see and change what ---------------------------------------------------------------------------


def test_social_worker_without_project_roles_is_refused(w, mamy):
    client = w.client(w.worker)
    for url in ("/projects/", f"/projects/{mamy.pk}/", "/projects/new/", f"/projects/{mamy.pk}/achievements/"):
        assert client.get(url).status_code == 403, url
    before = count_in_torun(Participant)
    response = client.post(
        f"/projects/{mamy.pk}/",
        {"action": "enrol", "enrol-person": mamy.anna.pk, "enrol-enrolled_on": "2021-01-01"},
    )
    assert response.status_code == 403 and count_in_torun(Participant) == before
    # not logged in: to the login page
    anonymous = w.client(w.worker)
    anonymous.logout()
    assert anonymous.get("/projects/").status_code == 302


def test_another_centers_project_is_not_found(w, mamy):
    # a Słupsk project whose id no Toruń project has
    foreign = make_project(w.stranger, "slupski", slug="slupsk", title_pl="Streetworking w Słupsku")
    while in_torun(Project.objects.filter(pk=foreign.pk).exists):
        foreign = make_project(w.stranger, f"slupski-{foreign.pk}", slug="slupsk", title_pl="Streetworking w Słupsku")
    client = w.client(w.coordinator)
    for url in (f"/projects/{foreign.pk}/", f"/projects/{foreign.pk}/achievements/", f"/projects/{foreign.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Streetworking" not in response.content.decode()
    assert "Streetworking" not in page(client, "/projects/")


def test_auditor_reads_without_forms(w, mamy):
    client = w.client(w.auditor)
    html = page(client, f"/projects/{mamy.pk}/")
    assert progress_bars(html)[mamy.women.pk] == (Decimal(1), Decimal(4))
    assert 'method="post"' not in html.split("<main", 1)[1]
    assert "/projects/new/" not in page(client, "/projects/")
    participant = in_torun(Participant.objects.get, project=mamy, person=mamy.anna)
    html = page(client, f"/projects/{mamy.pk}/participants/{participant.pk}/")
    assert 'method="post"' not in html.split("<main", 1)[1]
    assert 'method="post"' not in page(client, f"/projects/{mamy.pk}/achievements/").split("<main", 1)[1]
    # and writes are refused
    assert client.get("/projects/new/").status_code == 403
    response = client.post(
        f"/projects/{mamy.pk}/",
        {
            "action": "achievement",
            "achievement-target": mamy.hours.pk,
            "achievement-value": "1",
            "achievement-achieved_on": "2021-01-15",
        },
    )
    assert response.status_code == 403 and count_in_torun(Achievement) == 1


def test_pages_in_english(w, mamy):
    client = w.client(w.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, f"/projects/{mamy.pk}/")
    assert "Women supported" in html and "1 / 4 (25.0%)" in html and "Enrol a participant" in html
