"""A social worker of Toruń logs in, finds a person of their district by name, registers an application for
them, and sees it on their dashboard."""

import re
from datetime import date
from itertools import count

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from e2e.browser import log_in, screenshot
from ostoja.modules.cases.models import Application, DistrictStatus, Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.platform.staff.models import StaffProfile

_serial = count(800)


def a_new_person(username: str, last_name: str) -> Person:
    """A person registered earlier by someone else, with no case yet: in the worker's district, or without one
    where the center has no districts (Toruń: every social worker sees the whole intake pool)."""
    with schema_context("torun"):
        district = StaffProfile.objects.get(user__username=username).districts.order_by("id").first()
        return Person.objects.create(
            first_name="Halina",
            last_name=last_name,
            pesel=make_pesel(date(1961, 2, 3), next(_serial), Sex.FEMALE),
            sex=Sex.FEMALE,
            district=district,
            district_status=DistrictStatus.ASSIGNED if district else DistrictStatus.NONE,
        )


def test_social_worker_registers_an_application_and_sees_it_on_the_dashboard(page, site):
    person = a_new_person("pracownik1", "Wyszukiwalna")
    log_in(page, site, "torun", "pracownik1")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Osoby").click()
    page.get_by_label("Imię i nazwisko lub PESEL").fill(person.last_name)
    page.get_by_role("button", name="Szukaj").click()
    screenshot(page, "staff-persons-search")
    page.get_by_role(
        "link", name=re.compile(f"{person.first_name}.*{person.last_name}|{person.last_name}.*{person.first_name}")
    ).first.click()
    expect(page.locator("h1")).to_have_text(f"{person.first_name} {person.last_name}")
    screenshot(page, "staff-person")

    page.get_by_role("link", name="Zarejestruj wniosek").click()
    page.get_by_label("Czego dotyczy wniosek").fill("Pomoc w opłaceniu czynszu (test e2e).")
    page.get_by_role("checkbox", name=re.compile("ubóstwo", re.IGNORECASE)).check()
    screenshot(page, "staff-register-application")
    page.locator("main form").get_by_role("button").last.click()

    expect(page.locator(".message.success")).to_be_visible()
    screenshot(page, "staff-case")
    with schema_context("torun"):
        application = Application.objects.filter(case__person=person).get()
        assert application.description == "Pomoc w opłaceniu czynszu (test e2e)."
        assert application.case.worker.user.username == "pracownik1"  # the form's default: the worker themself

    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Pulpit").click()
    interviews = page.locator("section", has=page.locator("#interviews-heading"))
    expect(interviews.get_by_role("link", name=str(person))).to_be_visible()
    decisions = page.locator("section", has=page.locator("#decisions-heading"))
    expect(decisions.get_by_role("link", name=str(person))).to_be_visible()
    screenshot(page, "staff-dashboard-with-application")


def test_field_errors_appear_next_to_the_fields(page, site):
    person = a_new_person("pracownik1", "Błędowska")
    log_in(page, site, "torun", "pracownik1")
    with schema_context("torun"):
        pk = person.pk
    page.goto(site.url("torun", f"/persons/{pk}/apply/"))
    page.get_by_label("Data wpływu").fill("2099-01-01")
    page.locator("main form").get_by_role("button").last.click()
    field = page.locator(".field", has=page.get_by_label("Data wpływu"))
    expect(field.locator(".errorlist")).to_be_visible()
    expect(page.get_by_label("Data wpływu")).to_have_attribute("aria-invalid", "true")
    with schema_context("torun"):
        assert not Application.objects.filter(case__person_id=pk).exists()
