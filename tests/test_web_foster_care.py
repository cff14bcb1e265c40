"""Foster-care web pages (/foster-care/ on a center host): families with the coordinator's load and the
15-family limit next to the field, children with placement and next assessment, the meetings calendar,
irregularity reports and their notifications; who may read, who may write, and another center's ids."""

import re
from datetime import date, datetime, time, timedelta
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tenants.utils import schema_context

from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.foster_care import services
from ostoja.modules.foster_care.models import (
    FamilyKind,
    FosterFamily,
    IrregularityReport,
    Notification,
    ParentMeeting,
    Relation,
)
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

TODAY = date.today()
_serial = count(500)


def make_staff(slug, username, *roles, first_name=None, last_name="Test"):
    with schema_context(slug):
        user = get_user_model().objects.create_user(
            username=username, first_name=first_name or username.title(), last_name=last_name
        )
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


def new_child(actor, first_name="Ala", last_name="Zielińska", born=None):
    return services.register_child(actor, person(born, first_name=first_name, last_name=last_name).pk)


def place(actor, kid, fam, start_on=None):
    return services.place_child(
        actor,
        kid.pk,
        fam.pk,
        start_on=start_on or TODAY - timedelta(days=10),
        court_order_reference="III Nsm 1/25",
        reason="Bezradność opiekuńczo-wychowawcza.",
    )


def profile(user):
    return StaffProfile.objects.get(user=user)


def shown(day) -> str:
    """A date as the pages show it (in Polish by default)."""
    with translation.override("pl"):
        return date_format(day, "j E Y")


def text(response) -> str:
    return response.content.decode()


def field_block(html: str, field_id: str) -> str:
    """The <div class="field …"> that holds the input with this id (label, widget and its errors)."""
    match = re.search(
        r'<div class="field[^"]*">(?:(?!<div class="field).)*?id="' + field_id + r'".*?</div>', html, re.S
    )
    assert match, f"no field {field_id}"
    return match.group(0)


@pytest.fixture
def coordinator(torun):
    return make_staff("torun", "koordynator", Role.FOSTER_CARE_COORDINATOR, first_name="Karolina")


@pytest.fixture
def client(client_for, coordinator):
    client = client_for("torun")
    with schema_context("torun"):
        client.force_login(coordinator)
    return client


def client_as(client_for, slug, user):
    client = client_for(slug)
    with schema_context(slug):
        client.force_login(user)
    return client


@pytest.fixture
def world(coordinator):
    """In Toruń: a professional family of the coordinator with one child placed and a related family."""
    with schema_context("torun"):
        fam = new_family(coordinator)
        services.assign_coordinator(coordinator, fam.pk, profile(coordinator).pk)
        other = new_family(coordinator, name="Rodzina Wiśniewskich", kind=FamilyKind.NON_PROFESSIONAL)
        kid = new_child(coordinator)
        placement = place(coordinator, kid, fam)
    return {"family": fam, "other": other, "child": kid, "placement": placement}


# --- families ----------------------------------------------------------------------------------------


def test_families_list_shows_kind_coordinator_and_load(client, world):
    response = client.get("/foster-care/")
    assert response.status_code == 200
    html = text(response)
    assert "Rodzina Nowaków" in html and "Rodzina Wiśniewskich" in html
    assert "Karolina Test" in html
    assert '<span class="load">1 / 15</span>' in html
    assert "zawodowa" in html  # the kind, in Polish by default
    assert 'href="/foster-care/families/new/"' in html

    filtered = text(client.get("/foster-care/", {"kind": FamilyKind.NON_PROFESSIONAL}))
    assert "Rodzina Wiśniewskich" in filtered and "Rodzina Nowaków" not in filtered
    by_coordinator = text(client.get("/foster-care/", {"coordinator": profile_pk("torun", "koordynator")}))
    assert "Rodzina Nowaków" in by_coordinator and "Rodzina Wiśniewskich" not in by_coordinator
    searched = text(client.get("/foster-care/", {"search": "wiśniewskich"}))
    assert "Rodzina Wiśniewskich" in searched and "Rodzina Nowaków" not in searched


def calendar_table(html: str) -> str:
    return re.search(r'<table class="calendar">.*?</table>', html, re.S).group(0)


def profile_pk(slug, username):
    with schema_context(slug):
        return StaffProfile.objects.get(user__username=username).pk


def test_families_list_paginates(client, coordinator):
    with schema_context("torun"):
        for number in range(27):
            new_family(coordinator, name=f"Rodzina {number:02d}")
    first = text(client.get("/foster-care/"))
    assert "Rodzina 00" in first and "Rodzina 26" not in first and "Strona 1 z 2" in first
    second = text(client.get("/foster-care/", {"page": 2}))
    assert "Rodzina 26" in second and "Rodzina 00" not in second


def test_assigning_a_coordinator_with_15_families_shows_the_limit_next_to_the_field(client, world, coordinator):
    full = make_staff("torun", "pelna", Role.FOSTER_CARE_COORDINATOR, first_name="Paulina", last_name="Pełna")
    with schema_context("torun"):
        for number in range(15):
            fam = new_family(coordinator, name=f"Rodzina Pełnej {number}")
            services.assign_coordinator(coordinator, fam.pk, profile(full).pk)
        full_pk = profile(full).pk

    listing = text(client.get("/foster-care/", {"coordinator": full_pk}))
    assert '<span class="load full">15 / 15</span>' in listing

    family = world["family"]
    page = text(client.get(f"/foster-care/families/{family.pk}/"))
    assert '<label for="id_coordinator"' in page and f'<option value="{full_pk}">Paulina Pełna</option>' in page

    response = client.post(f"/foster-care/families/{family.pk}/coordinator/", {"coordinator": full_pk})
    assert response.status_code == 200
    block = field_block(text(response), "id_coordinator")
    assert "Paulina Pełna ma już pod opieką 15 rodzin zastępczych" in block
    assert 'aria-invalid="true"' in block
    with schema_context("torun"):
        assert FosterFamily.objects.get(pk=family.pk).coordinator_id == profile(coordinator).pk
        assert FosterFamily.objects.filter(coordinator=full_pk).count() == 15

    # Another coordinator with room takes the family: success message and redirect.
    free = make_staff("torun", "wolna", Role.FOSTER_CARE_COORDINATOR, first_name="Wanda", last_name="Wolna")
    free_pk = profile_pk("torun", "wolna")
    response = client.post(f"/foster-care/families/{family.pk}/coordinator/", {"coordinator": free_pk}, follow=True)
    assert response.redirect_chain == [(f"/foster-care/families/{family.pk}/", 302)]
    assert "Wanda Wolna" in text(response) and 'class="message success"' in text(response)
    with schema_context("torun"):
        assert FosterFamily.objects.get(pk=family.pk).coordinator.user == free


def test_family_page_shows_members_children_and_assessments(client, world):
    family = world["family"]
    html = text(client.get(f"/foster-care/families/{family.pk}/"))
    assert "<h1>Rodzina Nowaków</h1>" in html
    assert "Ewa Nowak" in html  # member
    assert "Ala Zielińska" in html and f'href="/foster-care/children/{world["child"].pk}/"' in html
    with schema_context("torun"):
        due = FosterFamily.objects.get(pk=family.pk).assessments.get(status="planned").due_on
    assert shown(due) in html


def test_create_family_with_a_member_by_pesel_and_a_coordinator(client, coordinator):
    with schema_context("torun"):
        adult = person(date(1970, 5, 5), first_name="Halina", last_name="Babcia")
    data = {
        "name": "Rodzina Babci",
        "kind": FamilyKind.RELATED,
        "member1_pesel": adult.pesel,
        "member1_relation": Relation.NOT_RELATED,
        "member2_relation": Relation.NOT_RELATED,
        "coordinator": profile_pk("torun", "koordynator"),
        "city": "Toruń",
    }
    refused = client.post("/foster-care/families/new/", data)
    assert refused.status_code == 200
    assert "wstępni" in field_block(text(refused), "id_member1_relation")
    unknown = client.post("/foster-care/families/new/", {**data, "member1_pesel": make_pesel(date(1960, 1, 1), 7, "F")})
    assert "Nie ma osoby z tym numerem PESEL" in field_block(text(unknown), "id_member1_pesel")
    with schema_context("torun"):
        assert not FosterFamily.objects.filter(name="Rodzina Babci").exists()

    response = client.post("/foster-care/families/new/", {**data, "member1_relation": Relation.GRANDPARENT})
    with schema_context("torun"):
        family = FosterFamily.objects.get(name="Rodzina Babci")
        assert family.coordinator_id == profile(coordinator).pk
        assert list(family.members.values_list("person__last_name", flat=True)) == ["Babcia"]
    assert response.status_code == 302 and response["Location"] == f"/foster-care/families/{family.pk}/"


# --- children ----------------------------------------------------------------------------------------


def test_children_list_shows_placement_and_next_assessment(client, world, coordinator):
    with schema_context("torun"):
        late = new_child(coordinator, first_name="Bartek", last_name="Spóźniony")
        place(coordinator, late, world["other"], start_on=TODAY - timedelta(days=400))
        due = {c.person.first_name: c.next_assessment.due_on for c in services.children_queryset(coordinator)}
    html = text(client.get("/foster-care/children/"))
    assert "Ala Zielińska" in html and "Rodzina Nowaków" in html
    assert shown(TODAY - timedelta(days=10)) in html  # placed since
    assert shown(due["Ala"]) in html and shown(due["Bartek"]) in html
    row = re.search(r'<tr class="overdue">.*?</tr>', html, re.S).group(0)
    assert "Bartek Spóźniony" in row and "Ala" not in row

    overdue = text(client.get("/foster-care/children/", {"overdue": "yes"}))
    assert "Bartek Spóźniony" in overdue and "Ala Zielińska" not in overdue
    by_family = text(client.get("/foster-care/children/", {"family": world["family"].pk}))
    assert "Ala Zielińska" in by_family and "Bartek Spóźniony" not in by_family


def test_child_page_plans_a_meeting(client, world):
    kid = world["child"]
    html = text(client.get(f"/foster-care/children/{kid.pk}/"))
    assert "<h1>Ala Zielińska</h1>" in html and "Rodzina Nowaków" in html
    day = TODAY + timedelta(days=3)
    refused = client.post(f"/foster-care/children/{kid.pk}/meetings/", {"day": day.isoformat(), "time": "15:00"})
    assert "To pole jest wymagane" in field_block(text(refused), "id_participants")
    response = client.post(
        f"/foster-care/children/{kid.pk}/meetings/",
        {"day": day.isoformat(), "time": "15:00", "participants": "matka", "place": "MOPR"},
    )
    assert response.status_code == 302
    with schema_context("torun"):
        meeting = ParentMeeting.objects.get(child=kid)
        assert timezone.localtime(meeting.planned_at) == timezone.make_aware(datetime.combine(day, time(15)))


# --- meetings calendar -----------------------------------------------------------------------------------


def test_calendar_shows_a_meeting_on_its_day_and_navigates_months(client, world, coordinator):
    next_month = services.add_months(TODAY.replace(day=1), 1)
    day = next_month.replace(day=12)
    with schema_context("torun"):
        services.plan_meeting(
            coordinator,
            world["child"].pk,
            planned_at=timezone.make_aware(datetime.combine(day, time(10, 30))),
            participants="matka i ojciec",
            place="siedziba MOPR",
        )
    this_month = text(client.get("/foster-care/meetings/"))
    assert "Ala Zielińska" not in calendar_table(this_month)
    assert f'href="?month={next_month:%Y-%m}"' in this_month
    assert '<table class="calendar">' in this_month and "<caption>" in this_month

    html = text(client.get("/foster-care/meetings/", {"month": f"{next_month:%Y-%m}"}))
    cell = re.search(
        r'<td[^>]*>\s*<div class="day-number"><time datetime="' + day.isoformat() + r'">.*?</td>', html, re.S
    )
    assert cell and "Ala Zielińska" in cell.group(0) and "10:30" in cell.group(0) and "matka i ojciec" in cell.group(0)
    previous = services.add_months(next_month, -1)
    assert f'href="?month={previous:%Y-%m}"' in html
    assert f'href="?month={services.add_months(next_month, 1):%Y-%m}"' in html

    # Planned from the calendar page: back on the month of the meeting.
    response = client.post(
        "/foster-care/meetings/",
        {"child": world["child"].pk, "day": day.isoformat(), "time": "16:00", "participants": "babcia"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?month={next_month:%Y-%m}")
    assert "babcia" in text(client.get(response["Location"]))
    refused = client.post("/foster-care/meetings/", {"child": world["child"].pk, "day": day.isoformat()})
    assert "To pole jest wymagane" in field_block(text(refused), "id_time")


# --- irregularity reports --------------------------------------------------------------------------------


def test_reports_show_notification_status_and_the_forms_work(client, world, coordinator):
    with schema_context("torun"):
        report = services.report_irregularity(
            coordinator, world["placement"].pk, reported_on=TODAY - timedelta(days=5), description="Ślady zaniedbania."
        )
        voivode = report.notifications.get(recipient=Notification.Recipient.VOIVODE)
        prosecutor = report.notifications.get(recipient=Notification.Recipient.PROSECUTOR)
        services.mark_notification_sent(coordinator, voivode.pk, sent_on=TODAY - timedelta(days=4), reference="DPR.1")
    html = text(client.get("/foster-care/reports/"))
    assert "Ślady zaniedbania." in html and "Ala Zielińska" in html
    assert "wojewoda" in html.lower() and "DPR.1" in html and ">wysłane<" in html
    assert ">niewysłane<" in html  # the prosecutor's letter
    assert "Zgłoś nieprawidłowość" in html

    # Closing while a notification is pending is refused: nothing changes.
    close = {f"close-{report.pk}-closed_on": TODAY.isoformat(), f"close-{report.pk}-outcome": "Wyjaśniono."}
    refused = client.post(f"/foster-care/reports/{report.pk}/close/", close)
    assert refused.status_code == 200 and "prokuratura" in text(refused).split('class="form-errors"')[1][:300]
    with schema_context("torun"):
        assert IrregularityReport.objects.get(pk=report.pk).status == "open"

    # Mark the prosecutor's letter sent: a field error first (no reference), then success.
    url = f"/foster-care/reports/{report.pk}/notifications/{prosecutor.pk}/sent/"
    missing = client.post(url, {f"sent-{prosecutor.pk}-sent_on": TODAY.isoformat()})
    assert "To pole jest wymagane" in field_block(text(missing), f"id_sent-{prosecutor.pk}-reference")
    sent = client.post(
        url, {f"sent-{prosecutor.pk}-sent_on": TODAY.isoformat(), f"sent-{prosecutor.pk}-reference": "PR.7"}
    )
    assert sent.status_code == 302
    with schema_context("torun"):
        prosecutor.refresh_from_db()
        assert prosecutor.status == "sent" and prosecutor.reference == "PR.7"

    closed = client.post(f"/foster-care/reports/{report.pk}/close/", close, follow=True)
    assert 'class="message success"' in text(closed) and "Wyjaśniono." in text(closed)
    with schema_context("torun"):
        assert IrregularityReport.objects.get(pk=report.pk).status == "closed"

    # A new report from the form: the voivode and the prosecutor are to be notified.
    response = client.post(
        "/foster-care/reports/new/",
        {"placement": world["placement"].pk, "reported_on": TODAY.isoformat(), "description": "Nowy sygnał."},
    )
    assert response.status_code == 302
    with schema_context("torun"):
        new = IrregularityReport.objects.get(description="Nowy sygnał.")
        assert sorted(new.notifications.values_list("recipient", "status")) == [
            ("prosecutor", "pending"),
            ("voivode", "pending"),
        ]
    pending = text(client.get("/foster-care/reports/", {"notifications": "pending"}))
    assert "Nowy sygnał." in pending and "Ślady zaniedbania." not in pending


# --- access --------------------------------------------------------------------------------------------


def test_a_social_worker_is_refused(client_for, world):
    worker = make_staff("torun", "pracownik", Role.SOCIAL_WORKER)
    client = client_as(client_for, "torun", worker)
    for url in (
        "/foster-care/",
        f"/foster-care/families/{world['family'].pk}/",
        "/foster-care/children/",
        f"/foster-care/children/{world['child'].pk}/",
        "/foster-care/meetings/",
        "/foster-care/reports/",
        "/foster-care/families/new/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/foster-care/families/{world['family'].pk}/status/", {"status": "suspended"})
    assert response.status_code == 403
    with schema_context("torun"):
        assert FosterFamily.objects.get(pk=world["family"].pk).status == "active"


def test_anonymous_is_sent_to_log_in(client_for):
    response = client_for("torun").get("/foster-care/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_centers_family_is_not_found(client, world, slupsk):
    stranger = make_staff("slupsk", "koordynator", Role.FOSTER_CARE_COORDINATOR)
    with schema_context("torun"):
        torun_ids = set(FosterFamily.objects.values_list("pk", flat=True))
    with schema_context("slupsk"):
        family = new_family(stranger, name="Rodzina Słupska")
        while family.pk in torun_ids:
            family = new_family(stranger, name="Rodzina Słupska")
    response = client.get(f"/foster-care/families/{family.pk}/")
    assert response.status_code == 404 and "Rodzina Słupska" not in text(response)
    response = client.post(
        f"/foster-care/families/{family.pk}/coordinator/", {"coordinator": profile_pk("torun", "koordynator")}
    )
    assert response.status_code == 404


def test_the_auditor_reads_without_forms(client_for, world, coordinator):
    with schema_context("torun"):
        report = services.report_irregularity(
            coordinator, world["placement"].pk, reported_on=TODAY, description="Sygnał ze szkoły."
        )
    auditor = make_staff("torun", "audytor", Role.AUDITOR)
    client = client_as(client_for, "torun", auditor)
    pages = {
        "/foster-care/": "Rodzina Nowaków",
        f"/foster-care/families/{world['family'].pk}/": "Ewa Nowak",
        "/foster-care/children/": "Ala Zielińska",
        f"/foster-care/children/{world['child'].pk}/": "Ala Zielińska",
        "/foster-care/meetings/": '<table class="calendar">',
        "/foster-care/reports/": "Sygnał ze szkoły.",
        f"/foster-care/reports/{report.pk}/": "Sygnał ze szkoły.",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        main = text(response).split('<main id="main"', 1)[1]
        assert expected in main, url
        assert 'method="post"' not in main, url
        assert "/families/new/" not in main, url
    assert client.get("/foster-care/families/new/").status_code == 403
    with schema_context("torun"):
        child_id = world["child"].pk
    refused = client.post(
        "/foster-care/meetings/", {"child": child_id, "day": TODAY.isoformat(), "time": "10:00", "participants": "x"}
    )
    assert refused.status_code == 403
    with schema_context("torun"):
        assert not ParentMeeting.objects.exists()


def test_child_page_records_meetings_and_the_assessment(client, world, coordinator):
    kid = world["child"]
    with schema_context("torun"):
        past = services.plan_meeting(
            coordinator, kid.pk, planned_at=timezone.now() - timedelta(days=1), participants="matka"
        )
        future = services.plan_meeting(
            coordinator, kid.pk, planned_at=timezone.now() + timedelta(days=5), participants="ojciec"
        )
        planned = kid.assessments.get(status="planned")
    html = text(client.get(f"/foster-care/children/{kid.pk}/"))
    assert f'action="/foster-care/meetings/{past.pk}/held/"' in html
    assert f'action="/foster-care/meetings/{future.pk}/held/"' not in html  # not before it starts
    assert 'data-confirm="Odwołać to spotkanie?"' in html

    held = client.post(f"/foster-care/meetings/{past.pk}/held/", {f"held-{past.pk}-notes": "Spokojnie."})
    assert held.status_code == 302
    refused = client.post(f"/foster-care/meetings/{future.pk}/cancel/", {f"cancel-{future.pk}-reason": ""})
    assert "To pole jest wymagane" in field_block(text(refused), f"id_cancel-{future.pk}-reason")
    cancelled = client.post(f"/foster-care/meetings/{future.pk}/cancel/", {f"cancel-{future.pk}-reason": "Choroba."})
    assert cancelled.status_code == 302
    with schema_context("torun"):
        assert ParentMeeting.objects.get(pk=past.pk).status == "held"
        assert ParentMeeting.objects.get(pk=future.pk).cancellation_reason == "Choroba."

    url = f"/foster-care/assessments/{planned.pk}/record/"
    future_day = client.post(url, {"performed_on": (TODAY + timedelta(days=1)).isoformat(), "result": "positive"})
    assert "datą przyszłą" in field_block(text(future_day), "id_performed_on")
    response = client.post(url, {"performed_on": TODAY.isoformat(), "result": "positive"}, follow=True)
    assert response.redirect_chain == [(f"/foster-care/children/{kid.pk}/", 302)]
    assert 'class="message success"' in text(response)
    with schema_context("torun"):
        planned.refresh_from_db()
        assert planned.status == "done" and kid.assessments.filter(status="planned").count() == 1
