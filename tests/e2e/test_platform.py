"""On the platform host: a regional partner sees the comparison chart with a suppressed cell marked; an operator
onboards a center (a real Celery worker does the work while the page shows progress) and opens its host."""

import re

from django_tenants.utils import schema_context
from playwright.sync_api import expect
from test_celery import celery_worker  # noqa: F401  (a real worker process for the onboarding job)

from e2e.browser import log_in, screenshot
from ostoja.tenants.models import Center

ONBOARDING_SECONDS = 120


def test_partner_sees_a_chart_with_a_suppressed_cell(page, site):
    log_in(page, site, None, "partner")
    expect(page).to_have_url(re.compile(r"/partner/"))
    chart = page.locator("figure.chart svg, .chart svg").first
    expect(chart).to_be_visible()
    suppressed_bar = page.locator(".chart svg rect.suppressed").first
    expect(suppressed_bar).to_be_attached()
    expect(page.locator("td.suppressed").first).to_be_visible()
    for center in ("Słupsk", "Gdańsk"):
        expect(page.locator("table").first).to_contain_text(center)
    expect(page.locator("table").first).not_to_contain_text("Toruń")  # not in this partnership
    screenshot(page, "partner-dashboard")


def test_operator_onboards_a_center_and_opens_its_host(page, site, celery_worker):  # noqa: F811
    log_in(page, site, None, "operator")
    expect(page).to_have_url(re.compile(r"/operator/"))
    screenshot(page, "operator-centers")
    page.goto(site.url(None, "/operator/centers/new/"))
    page.get_by_label("Identyfikator (slug)").fill("elblag")
    page.get_by_label(re.compile("^Nazwa urzędowa|^Pełna nazwa|^Nazwa$")).first.fill(
        "Miejski Ośrodek Pomocy Społecznej w Elblągu"
    )
    page.get_by_label("Rodzaj ośrodka").select_option("MOPS")
    page.get_by_label(re.compile("^Miasto|^Miejscowość")).fill("Elbląg")
    page.get_by_label("Województwo").select_option("warminsko-mazurskie")
    page.get_by_label("Nazwa użytkownika administratora").fill("admin")
    page.get_by_label("E-mail administratora").fill("it@mops.elblag.example.org")
    screenshot(page, "operator-onboarding-form")
    page.get_by_role("button", name="Rozpocznij zakładanie").click()

    link = page.get_by_role("link", name="Otwórz stronę ośrodka")
    expect(link).to_be_visible(timeout=ONBOARDING_SECONDS * 1000)
    screenshot(page, "operator-onboarding-done")
    link.click()
    expect(page).to_have_url(re.compile(r"^http://elblag\.localhost:\d+/$"))
    expect(page.locator("h1")).to_have_text("Miejski Ośrodek Pomocy Społecznej w Elblągu")
    screenshot(page, "new-center-public-page")
    with schema_context("public"):
        assert Center.objects.get(schema_name="elblag").is_active  # (the e2e database is dropped at the end)
