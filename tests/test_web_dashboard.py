"""The staff dashboard: my overdue and upcoming interviews and decisions, foster-care assessments, unread
reminders and the center's hours today; the menu shows only the sections a role may open; the language is
Polish unless switched."""

from datetime import date, timedelta

import pytest
from django_tenants.utils import schema_context
from test_graphql_cases import application, person, staff, world

from ostoja.modules.cases import services
from ostoja.platform.notifications.models import Notification
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(torun):
    return world()


def logged_in(client_for, user, slug="torun", **headers):
    client = client_for(slug, **headers)
    with schema_context(slug):  # the session and last_login live in the center's schema
        client.force_login(user)
    return client


def dashboard(client_for, user, **headers):
    client = logged_in(client_for, user, **headers)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_my_interviews_and_decisions_overdue_first(client_for, w):
    today = date.today()
    late = person(w.director, "Spóźniona", "7")
    fresh = person(w.director, "Świeża", "7")
    other = person(w.director, "Cudza", "8")
    old = application(w.director, late, today - timedelta(days=40))
    new = application(w.director, fresh, today)
    application(w.director, other, today)  # district II: worker 2's
    with schema_context("torun"):
        me = StaffProfile.objects.get(user=w.worker1)
        services.assign_case_worker(w.director, old.case_id, me.pk)
        services.assign_case_worker(w.director, new.case_id, me.pk)

    html = dashboard(client_for, w.worker1)
    interviews = html.split('id="interviews-heading"')[1].split("</section>")[0]
    assert interviews.index("Spóźniona") < interviews.index("Świeża")
    assert interviews.count('class="overdue"') == 1 and "zaległe" in interviews
    decisions = html.split('id="decisions-heading"')[1].split("</section>")[0]
    assert decisions.index("Spóźniona") < decisions.index("Świeża")  # overdue first
    assert "zaplanowane" in decisions  # due in a month: listed, not yet "due soon"
    assert "Cudza" not in html


def test_another_workers_cases_are_not_mine(client_for, w):
    someone = person(w.director, "Nieswoja", "7")
    application(w.director, someone, date.today())  # no case worker: nobody's yet
    assert "Nieswoja" not in dashboard(client_for, w.worker1)


def test_reminders_listed_and_marked_read(client_for, w):
    with schema_context("torun"):
        Notification.objects.create(
            recipient=w.worker1,
            kind=Notification.Kind.OVERDUE,
            subject=Notification.Subject.INTERVIEW,
            object_type="cases.interview",
            object_id=1,
            due_on=date.today(),
            message="Wywiad u Pani Testowej jest zaległy.",
        )
    html = dashboard(client_for, w.worker1)
    assert "Wywiad u Pani Testowej jest zaległy." in html
    client = logged_in(client_for, w.worker1)
    response = client.post("/dashboard/reminders/read/")
    assert response.status_code == 302
    with schema_context("torun"):
        assert not Notification.objects.filter(recipient=w.worker1, read_at__isnull=True).exists()
    assert "Wywiad u Pani Testowej" not in dashboard(client_for, w.worker1)


def test_hours_today_and_polish_by_default(client_for, w):
    html = dashboard(client_for, w.worker1, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="pl">' in html
    assert "Godziny ośrodka dziś" in html


def test_menu_shows_only_what_the_role_may_open(client_for, w):
    coordinator = staff("torun", "koordynatorka", Role.FOSTER_CARE_COORDINATOR)
    worker_menu = dashboard(client_for, w.worker1).split('class="main-nav"')[1].split("</nav>")[0]
    assert "/cases/" in worker_menu and "/foster-care/" not in worker_menu and "/settings/" not in worker_menu
    coordinator_html = dashboard(client_for, coordinator)
    coordinator_menu = coordinator_html.split('class="main-nav"')[1].split("</nav>")[0]
    assert "/foster-care/" in coordinator_menu and "/cases/" not in coordinator_menu
    assert 'id="interviews-heading"' not in coordinator_html and 'id="assessments-heading"' in coordinator_html


def test_dashboard_needs_a_staff_login_of_this_center(client_for, w, slupsk):
    response = client_for("torun").get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client = client_for("slupsk")
    client.cookies = logged_in(client_for, w.worker1).cookies  # a Toruń session sent to Słupsk's host
    response = client.get("/dashboard/")
    assert response.status_code == 302  # no such session in Słupsk's schema: log in there
    assert client_for().get("/dashboard/").status_code == 404  # no dashboard on the platform host


def test_directors_see_the_centers_overdue_work_per_district_and_worker(client_for, w):
    late = person(w.director, "Zaległa", "8")
    application(w.director, late, date.today() - timedelta(days=40))
    html = dashboard(client_for, w.director)
    summary = html.split('id="center-overdue-heading"')[1].split("</section>")[0]
    assert "Rejon II (gql)" in summary and "nieprzydzielone" in summary
    assert 'id="center-overdue-heading"' not in dashboard(client_for, w.worker2)
