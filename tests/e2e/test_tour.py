"""The main pages of each kind of user open without errors in the browser, in Polish by default and in English
after the switch; a screenshot of each is saved (var/screenshots/)."""

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from e2e.browser import log_in, screenshot
from ostoja.modules.cases.models import Case
from ostoja.modules.projects.models import Project

STAFF_PAGES = [
    ("dyrektor", "/cases/", "staff-cases"),
    ("dyrektor", "/foster-care/children/", "foster-care-children"),
    ("dyrektor", "/foster-care/meetings/", "foster-care-meetings"),
    ("dyrektor", "/foster-care/reports/", "foster-care-reports"),
    ("dyrektor", "/projects/", "projects"),
    ("dyrektor", "/exports/", "exports"),
    ("admin", "/settings/", "settings"),
    ("admin", "/settings/districts/lookup/", "settings-street-lookup"),
]


@pytest.mark.parametrize(("username", "path", "name"), STAFF_PAGES, ids=[p[2] for p in STAFF_PAGES])
def test_staff_pages(page, site, username, path, name):
    log_in(page, site, "slupsk", username)
    response = page.goto(site.url("slupsk", path))
    assert response.status == 200
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    screenshot(page, name)


def test_case_and_project_pages(page, site):
    with schema_context("torun"):
        case = Case.objects.order_by("id").first()
        project = Project.objects.filter(targets__isnull=False).order_by("id").first()
        assert project is not None, "the Toruń demo has a project with targets"
    log_in(page, site, "torun", "dyrektor")
    page.goto(site.url("torun", f"/cases/{case.pk}/"))
    expect(page.locator("main h1")).to_be_visible()
    screenshot(page, "staff-case-page")
    page.goto(site.url("torun", f"/projects/{project.pk}/"))
    expect(page.locator("main progress").first).to_be_visible()
    screenshot(page, "project-page")


def test_language_switch_to_english_and_back(page, site):
    log_in(page, site, "gdansk", "dyrektor")
    expect(page.locator("main h1")).to_have_text("Pulpit")
    page.get_by_label("Język").select_option("en")
    page.get_by_role("button", name="Zmień język").click()
    expect(page.locator("main h1")).to_have_text("Dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "staff-dashboard-english")
    page.get_by_label("Language").select_option("pl")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("main h1")).to_have_text("Pulpit")


def test_public_directory_of_centers(page, site):
    page.goto(site.url())
    expect(page.locator("main h1")).to_have_text("Katalog ośrodków")
    for name in ("Toruniu", "Słupsku", "Gdańsku"):
        expect(page.locator("main")).to_contain_text(re.compile(name))
    screenshot(page, "public-directory")


def test_keyboard_reaches_the_main_content_first(page, site):
    page.goto(site.url("torun"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Przejdź do treści")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


TABLET_PAGES = [
    ("torun", "dyrektor", "/dashboard/"),
    ("torun", "dyrektor", "/cases/"),
    ("torun", "dyrektor", "/foster-care/"),
    ("torun", "dyrektor", "/foster-care/meetings/"),
    ("torun", "dyrektor", "/projects/"),
    (None, "partner", "/partner/"),
    (None, "operator", "/operator/"),
]


def test_pages_fit_a_tablet_without_sideways_scrolling(browser, site):
    """On a 768 px wide tablet the page itself never scrolls sideways (wide tables scroll inside their box)."""
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="pl-PL")
    page = context.new_page()
    try:
        logged_in_as = {}
        for slug, username, path in TABLET_PAGES:
            if logged_in_as.get(slug) != username:
                context.clear_cookies()
                log_in(page, site, slug, username)
                logged_in_as = {slug: username}
            page.goto(site.url(slug, path))
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} is {overflow} px wider than a 768 px tablet"
        screenshot(page, "tablet-operator-centers")
    finally:
        context.close()
