"""Center settings pages (/settings/ on a center host): districts with their streets and the lookup tester, hours with
closures (seen on the public page), departments, addresses, contacts, teams, staff accounts and roles; the
administrator's and the director's only; another center's ids are 404."""

import re
from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration import views as public_views
from ostoja.tenants.configuration.models import (
    Address,
    Closure,
    Contact,
    Department,
    District,
    DistrictStreet,
    Schedule,
    Team,
)

pytestmark = pytest.mark.django_db
WAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_staff(slug, username, *roles, districts=()):
    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Web")
        profile = StaffProfile.objects.create(user=user, roles=list(roles))
        profile.districts.set(districts)
    return user


def login(client_for, slug, user):
    client = client_for(slug)
    with schema_context(slug):
        client.force_login(user)
    return client


@pytest.fixture
def admin(torun, client_for):
    """A Toruń client logged in as the center's administrator."""
    user = make_staff("torun", "admin-web", Role.ADMINISTRATOR)
    return login(client_for, "torun", user)


def html(response, status=200) -> str:
    assert response.status_code == status, response.content.decode()[:3000]
    return response.content.decode()


def errors_of(page: str, field: str) -> str:
    """The text of the error list rendered next to a form field (web/field.html ties it to the widget by id)."""
    match = re.search(rf'<ul class="errorlist[^"]*" id="id_{field}_error">([\s\S]*?)</ul>', page)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


# --- access -------------------------------------------------------------------------------------------------------


def test_every_settings_page_renders_for_the_administrator(admin):
    for url in (
        "/settings/",
        "/settings/general/",
        "/settings/districts/",
        "/settings/districts/lookup/",
        "/settings/districts/new/",
        "/settings/hours/",
        "/settings/hours/schedules/new/?kind=complaints",
        "/settings/closures/",
        "/settings/closures/new/",
        "/settings/departments/",
        "/settings/departments/new/",
        "/settings/addresses/",
        "/settings/addresses/new/",
        "/settings/contacts/",
        "/settings/contacts/new/",
        "/settings/teams/",
        "/settings/teams/new/",
        "/settings/staff/",
        "/settings/staff/new/",
    ):
        page = html(admin.get(url))
        assert page.count("<h1") == 1, url
    page = html(admin.get("/settings/departments/"))
    assert "Dział Pomocy Środowiskowej" in page  # Toruń's demo configuration
    assert 'aria-current="page">Ustawienia ośrodka' in page or "Ustawienia" in page


def test_a_social_worker_and_the_auditor_get_403(torun, client_for):
    worker = login(client_for, "torun", make_staff("torun", "pracownik-web", Role.SOCIAL_WORKER))
    auditor = login(client_for, "torun", make_staff("torun", "audytor-web", Role.AUDITOR))
    for client in (worker, auditor):
        assert client.get("/settings/").status_code == 403
        assert client.get("/settings/districts/").status_code == 403
        response = client.post("/settings/districts/new/", {"code": "x", "name": "X"})
        assert response.status_code == 403
    with schema_context("torun"):
        assert not District.objects.filter(code="x").exists()
    assert client_for("torun").get("/settings/").status_code == 302  # anonymous: to the login page


def test_the_director_may_manage_settings(torun, client_for):
    director = login(client_for, "torun", make_staff("torun", "dyrektor-web", Role.DIRECTOR))
    assert director.get("/settings/staff/").status_code == 200


# --- districts -------------------------------------------------------------------------------------------------


def test_district_crud_with_streets(admin):
    response = admin.post(
        "/settings/districts/new/", {"code": "rejon-web", "name": "Rejon Web", "description": "", "order": "1"}
    )
    with schema_context("torun"):
        district = District.objects.get(code="rejon-web")
    assert response.status_code == 302 and response["Location"] == f"/settings/districts/{district.pk}/"
    page = html(admin.get(f"/settings/districts/{district.pk}/"))
    assert "<h1>Rejon Web</h1>" in page

    # streets: all numbers, an odd/even split, a range
    url = f"/settings/districts/{district.pk}/"
    assert admin.post(url, {"street": "ul. Szeroka", "numbers": "all"}).status_code == 302
    assert admin.post(url, {"street": "Długa", "numbers": "odd"}).status_code == 302
    assert (
        admin.post(url, {"street": "Wola", "numbers": "range", "number_from": "1", "number_to": "20"}).status_code
        == 302
    )
    with schema_context("torun"):
        assert {str(s) for s in district.streets.all()} == {"Wola 1–20", "Długa (numery nieparzyste)", "ul. Szeroka"}

    # an overlapping street: the service's error next to the street field, nothing saved
    page = html(admin.post(url, {"street": "Szeroka", "numbers": "even"}))
    assert "nakłada się na „ul. Szeroka”" in errors_of(page, "street")
    # a reversed range: next to "to number"
    page = html(admin.post(url, {"street": "Wola", "numbers": "range", "number_from": "40", "number_to": "30"}))
    assert errors_of(page, "number_to")
    with schema_context("torun"):
        assert district.streets.count() == 3

    # edit the district, then a street
    response = admin.post(
        f"/settings/districts/{district.pk}/edit/", {"code": "rejon-web", "name": "Rejon Webowy", "order": "2"}
    )
    assert response.status_code == 302
    with schema_context("torun"):
        district.refresh_from_db()
        street = district.streets.get(street="Wola")
    assert district.name == "Rejon Webowy" and district.order == 2
    page = html(admin.get(f"/settings/streets/{street.pk}/edit/"))
    assert 'value="Wola"' in page
    response = admin.post(
        f"/settings/streets/{street.pk}/edit/",
        {"district": district.pk, "street": "Wola", "numbers": "range", "number_from": "1", "number_to": "30"},
    )
    assert response.status_code == 302
    with schema_context("torun"):
        street.refresh_from_db()
    assert street.number_to == 30

    # delete a street (a confirmation page first), then the district
    assert "Wola 1–30" in html(admin.get(f"/settings/streets/{street.pk}/delete/"))
    assert admin.post(f"/settings/streets/{street.pk}/delete/").status_code == 302
    page = html(admin.get(f"/settings/districts/{district.pk}/delete/"))
    assert "Rejon Webowy" in page and '<form method="post">' in page
    response = admin.post(f"/settings/districts/{district.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/settings/districts/"
    with schema_context("torun"):
        assert not District.objects.filter(pk=district.pk).exists()
        assert not DistrictStreet.objects.filter(district_id=district.pk).exists()


def test_invalid_district_shows_field_errors_and_changes_nothing(admin):
    page = html(admin.post("/settings/districts/new/", {"code": "ma spacje", "name": ""}))
    assert errors_of(page, "code") and errors_of(page, "name")
    with schema_context("torun"):
        District.objects.create(code="zajety", name="Zajęty")
    page = html(admin.post("/settings/districts/new/", {"code": "zajety", "name": "Drugi"}))
    assert errors_of(page, "code")
    with schema_context("torun"):
        assert list(District.objects.values_list("name", flat=True)) == ["Zajęty"]


def test_the_lookup_tester_names_the_district_and_its_social_workers(slupsk, client_for):
    admin = login(client_for, "slupsk", make_staff("slupsk", "admin-web", Role.ADMINISTRATOR))
    with schema_context("slupsk"):
        rejon_3 = District.objects.get(code="rejon-3")
    make_staff("slupsk", "pracownica3", Role.SOCIAL_WORKER, districts=[rejon_3])

    page = html(admin.get("/settings/districts/lookup/", {"street": "ul. Szczecińska", "number": "12A"}))
    result = page[page.index('id="result-heading"') :]
    assert "Rejon III" in result and "Pracownica3 Web" in result and "Rejon IV" not in result
    page = html(admin.get("/settings/districts/lookup/", {"street": "Szczecinska", "number": "99"}))
    assert "Rejon IV" in page[page.index('id="result-heading"') :]
    page = html(admin.get("/settings/districts/lookup/", {"street": "Szczecińska"}))
    result = page[page.index('id="result-heading"') :]
    assert "Rejon III" in result and "Rejon IV" in result  # ambiguous without the number
    page = html(admin.get("/settings/districts/lookup/", {"street": "Nieistniejąca", "number": "1"}))
    assert "lookup-unassigned" in page
    # the districts list shows who works where
    page = html(admin.get("/settings/districts/"))
    assert "Pracownica3 Web" in page and "Rejon V" in page


# --- hours -----------------------------------------------------------------------------------------------------


@pytest.fixture
def at(monkeypatch):
    def _at(*args):
        moment = datetime(*args, tzinfo=WAW)
        monkeypatch.setattr(public_views, "current_time", lambda: moment)

    return _at


def test_hours_with_a_closure_and_a_shortened_day_appear_on_the_public_page(admin, client_for, at):
    response = admin.post(
        "/settings/hours/schedules/new/",
        {"kind": "complaints", "district": "", "label": "Skargi i wnioski", "label_en": "Complaints", "note": ""},
    )
    with schema_context("torun"):
        schedule = Schedule.objects.get(kind="complaints")
    assert response.status_code == 302 and response["Location"] == f"/settings/hours/schedules/{schedule.pk}/"
    # Monday to Friday at once
    response = admin.post(
        f"/settings/hours/schedules/{schedule.pk}/",
        {"weekdays": ["0", "1", "2", "3", "4"], "opens": "09:00", "closes": "12:30"},
    )
    assert response.status_code == 302
    with schema_context("torun"):
        assert schedule.rules.count() == 5

    # a closure (all day) and an exception (a shortened day)
    response = admin.post(
        "/settings/closures/new/",
        {"date": "2026-11-17", "kind": "", "reason": "Szkolenie kadry", "reason_en": "Training", "closes_early_at": ""},
    )
    assert response.status_code == 302
    response = admin.post(
        "/settings/closures/new/",
        {
            "date": "2026-11-18",
            "kind": "complaints",
            "reason": "Zebranie",
            "reason_en": "",
            "closes_early_at": "11:00",
        },
    )
    assert response.status_code == 302
    with schema_context("torun"):
        assert Closure.objects.filter(date=date(2026, 11, 18), closes_early_at=time(11)).exists()

    public = client_for("torun")
    at(2026, 11, 16, 10, 0)  # a Monday: the weekly hours
    page = html(public.get("/"))
    assert "Skargi i wnioski" in page and "09:00–12:30" in page
    at(2026, 11, 17, 10, 0)  # Tuesday, closed all day
    page = html(public.get("/"))
    section = page[page.index("hours-complaints") :]
    assert "nieczynne (Szkolenie kadry)" in section
    assert "Najbliższe otwarcie: Środa, 18 listopada 2026, 09:00" in section
    at(2026, 11, 18, 10, 0)  # Wednesday, closing early
    page = html(public.get("/"))
    section = page[page.index("hours-complaints") :]
    assert "09:00–11:00" in section and "Otwarte teraz, do 11:00" in section

    # the settings pages show them, and the day check explains the closed day
    page = html(admin.get("/settings/hours/", {"day": "2026-11-17", "kind": "complaints"}))
    assert "Szkolenie kadry" in page and "09:00–12:30" in page
    page = html(admin.get("/settings/closures/", {"date_from": "2026-11-01", "date_to": "2026-11-30"}))
    assert "Szkolenie kadry" in page and "Zebranie" in page


def test_invalid_hours_show_field_errors_and_change_nothing(admin):
    with schema_context("torun"):
        schedule = Schedule.objects.get(kind="office", district=None)
        before = list(schedule.rules.values_list("weekday", "opens", "closes"))
    url = f"/settings/hours/schedules/{schedule.pk}/"
    # closing before opening
    page = html(admin.post(url, {"weekdays": ["5"], "opens": "12:00", "closes": "09:00"}))
    assert "12:00" in errors_of(page, "closes") and "09:00" in errors_of(page, "closes")
    # overlapping Monday's hours (07:30–15:30); Saturday is free but the whole submission is refused
    page = html(admin.post(url, {"weekdays": ["5", "0"], "opens": "10:00", "closes": "11:00"}))
    assert errors_of(page, "opens")
    # no weekday, no time
    page = html(admin.post(url, {"opens": "", "closes": "10:00"}))
    assert errors_of(page, "weekdays") and errors_of(page, "opens")
    # a rule edited to close before it opens
    with schema_context("torun"):
        rule = schedule.rules.get(weekday=0)
    page = html(
        admin.post(f"/settings/hours/rules/{rule.pk}/edit/", {"weekday": "0", "opens": "16:00", "closes": "08:00"})
    )
    assert errors_of(page, "closes")
    # a closure that closes early without a date
    page = html(admin.post("/settings/closures/new/", {"date": "", "reason": "", "closes_early_at": "25:00"}))
    assert errors_of(page, "date") and errors_of(page, "reason") and errors_of(page, "closes_early_at")
    with schema_context("torun"):
        assert list(schedule.rules.values_list("weekday", "opens", "closes")) == before
        assert not Closure.objects.exists()


# --- departments, addresses, contacts, teams ---------------------------------------------------------------------


def test_departments_addresses_contacts_and_teams(admin):
    response = admin.post(
        "/settings/addresses/new/",
        {"kind": "branch", "street": "Rynek Staromiejski", "building": "1", "postcode": "87-100", "city": "Toruń"},
    )
    assert response.status_code == 302
    page = html(
        admin.post(
            "/settings/addresses/new/",
            {"kind": "branch", "street": "X", "building": "1", "postcode": "87100", "city": "Toruń"},
        )
    )
    assert "87-100" in errors_of(page, "postcode")
    with schema_context("torun"):
        address = Address.objects.get(street="Rynek Staromiejski")
    response = admin.post(
        "/settings/departments/new/",
        {"code": "dzial-web", "name": "Dział Webowy", "name_en": "Web Department", "address": address.pk},
    )
    assert response.status_code == 302
    with schema_context("torun"):
        department = Department.objects.get(code="dzial-web")
    assert department.address == address
    response = admin.post(
        "/settings/contacts/new/", {"kind": "phone", "value": "(56) 611 22 33", "department": department.pk}
    )
    assert response.status_code == 302
    page = html(admin.post("/settings/contacts/new/", {"kind": "phone", "value": "123"}))
    assert errors_of(page, "value")
    with schema_context("torun"):
        assert Contact.objects.get(department=department).value == "+48566112233"
    page = html(admin.get("/settings/departments/"))
    assert "Dział Webowy" in page and "56 611 22 33" in page
    response = admin.post("/settings/teams/new/", {"name": "Zespół Web", "department": department.pk})
    assert response.status_code == 302
    with schema_context("torun"):
        team = Team.objects.get(name="Zespół Web")
    page = html(admin.get(f"/settings/teams/{team.pk}/edit/"))
    assert 'value="Zespół Web"' in page
    response = admin.post(
        f"/settings/departments/{department.pk}/edit/", {"code": "dzial-web", "name": "Dział Sieciowy"}
    )
    assert response.status_code == 302
    assert admin.post(f"/settings/departments/{department.pk}/delete/").status_code == 302
    with schema_context("torun"):
        assert not Department.objects.filter(pk=department.pk).exists()
        assert not Contact.objects.filter(value="+48566112233").exists()  # its contacts go with it


# --- staff -------------------------------------------------------------------------------------------------------


def test_staff_creation_with_a_set_password_link_role_change_and_deactivation(admin):
    with schema_context("torun"):
        department = Department.objects.get(code="pomoc-srodowiskowa")
    page = html(admin.post("/settings/staff/new/", {"username": "", "first_name": "Ewa", "last_name": "", "roles": []}))
    assert errors_of(page, "username") and errors_of(page, "last_name") and errors_of(page, "roles")
    response = admin.post(
        "/settings/staff/new/",
        {
            "username": "ewa.nowak",
            "first_name": "Ewa",
            "last_name": "Nowak",
            "email": "ewa@example.org",
            "preferred_language": "pl",
            "roles": ["benefits_clerk"],
            "department": department.pk,
            "job_title": "inspektor",
            "phone": "",
        },
    )
    assert response.status_code == 302
    with schema_context("torun"):
        user = get_user_model().objects.get(username="ewa.nowak")
        profile = user.staff_profile
    assert profile.roles == ["benefits_clerk"] and profile.department == department and not user.has_usable_password()
    assert response["Location"] == f"/settings/staff/{profile.pk}/"
    page = html(admin.get(response["Location"]))
    link = re.search(r'id="set-password-link" value="([^"]+)"', page).group(1)
    assert link.startswith("http://torun.") and "/account/set-password/" in link
    assert 'id="set-password-link"' not in html(admin.get(response["Location"]))  # shown once
    with schema_context("torun"):  # whoever holds the link can act as her: issuing it is on her account's record
        issued = AuditEntry.objects.filter(object_id=str(user.pk), message="one-time set-password link issued")
        assert issued.count() == 1 and issued.get().actor.username == "admin-web"
    # the link works: the person sets a password with it
    assert admin.get(urlsplit(link).path).status_code in (200, 302)

    # the username is taken now
    page = html(
        admin.post(
            "/settings/staff/new/",
            {
                "username": "ewa.nowak",
                "first_name": "E",
                "last_name": "N",
                "roles": ["auditor"],
                "preferred_language": "pl",
            },
        )
    )
    assert errors_of(page, "username")

    # a role change
    response = admin.post(
        f"/settings/staff/{profile.pk}/edit/",
        {
            "username": "ewa.nowak",
            "first_name": "Ewa",
            "last_name": "Nowak-Kowalska",
            "preferred_language": "en",
            "roles": ["benefits_clerk", "legal_advisor"],
            "department": "",
        },
    )
    assert response.status_code == 302
    with schema_context("torun"):
        profile.refresh_from_db()
        user.refresh_from_db()
    assert profile.roles == ["benefits_clerk", "legal_advisor"] and profile.department is None
    assert user.last_name == "Nowak-Kowalska" and user.preferred_language == "en"
    page = html(admin.get("/settings/staff/", {"role": "legal_advisor"}))
    assert "Nowak-Kowalska" in page
    page = html(admin.get("/settings/staff/", {"role": "auditor"}))
    assert "Nowak-Kowalska" not in page

    # deactivation (a confirmation first), then reactivation
    assert "Nowak-Kowalska" in html(admin.get(f"/settings/staff/{profile.pk}/deactivate/"))
    assert admin.post(f"/settings/staff/{profile.pk}/deactivate/").status_code == 302
    with schema_context("torun"):
        user.refresh_from_db()
    assert not user.is_active
    assert "Nowak-Kowalska" in html(admin.get("/settings/staff/", {"active": "no"}))
    assert admin.post(f"/settings/staff/{profile.pk}/reactivate/").status_code == 302
    with schema_context("torun"):
        user.refresh_from_db()
    assert user.is_active


def test_the_last_administrator_keeps_the_role(admin):
    with schema_context("torun"):
        profile = StaffProfile.objects.get(user__username="admin-web")
    response = admin.post(
        f"/settings/staff/{profile.pk}/edit/",
        {
            "username": "admin-web",
            "first_name": "Admin",
            "last_name": "Web",
            "preferred_language": "pl",
            "roles": ["auditor"],
        },
    )
    page = html(response)
    assert "form-errors" in page
    with schema_context("torun"):
        profile.refresh_from_db()
    assert profile.roles == ["administrator"]
    # nobody deactivates themselves
    response = admin.post(f"/settings/staff/{profile.pk}/deactivate/", follow=True)
    assert "notice error" in html(response) or "message error" in html(response)
    with schema_context("torun"):
        assert get_user_model().objects.get(username="admin-web").is_active


# --- another center's ids --------------------------------------------------------------------------------------


def foreign(make, model):
    """An object made in Gdańsk whose primary key no Toruń object of ``model`` has (sequences are per schema)."""
    for _attempt in range(20):
        with schema_context("gdansk"):
            obj = make()
        with schema_context("torun"):
            if not model.objects.filter(pk=obj.pk).exists():
                return obj
    raise AssertionError("no free primary key")


def test_another_centers_ids_are_404(admin):
    serial = iter(range(100))
    district = foreign(
        lambda: District.objects.create(code=f"gdansk-web-{next(serial)}", name="Rejon Gdański"), District
    )
    schedule = foreign(
        lambda: Schedule.objects.create(
            kind="complaints", district=District.objects.create(code=f"g-{next(serial)}", name="Gdańsk")
        ),
        Schedule,
    )
    closure = foreign(lambda: Closure.objects.create(date=date(2027, 1, 1 + next(serial)), reason="Gdańsk"), Closure)

    def gdansk_member():
        user = get_user_model().objects.create_user(
            username=f"gdanszczanka{next(serial)}", first_name="G", last_name="Gdańska"
        )
        return StaffProfile.objects.create(user=user, roles=[Role.SOCIAL_WORKER])

    profile = foreign(gdansk_member, StaffProfile)
    user = profile.user
    for url in (
        f"/settings/districts/{district.pk}/",
        f"/settings/districts/{district.pk}/edit/",
        f"/settings/districts/{district.pk}/delete/",
        f"/settings/hours/schedules/{schedule.pk}/",
        f"/settings/closures/{closure.pk}/edit/",
        f"/settings/staff/{profile.pk}/",
        f"/settings/staff/{profile.pk}/edit/",
    ):
        page = html(admin.get(url), status=404)
        assert "Gdań" not in page and "gdanszczanka" not in page
    assert admin.post(f"/settings/districts/{district.pk}/delete/").status_code == 404
    assert admin.post(f"/settings/staff/{profile.pk}/deactivate/").status_code == 404
    with schema_context("gdansk"):
        assert District.objects.filter(pk=district.pk).exists()
        assert get_user_model().objects.get(pk=user.pk).is_active
