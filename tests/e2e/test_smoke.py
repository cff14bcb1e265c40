"""The browser reaches both kinds of host: a center's public page and its staff dashboard after a login."""

import re

from playwright.sync_api import expect

from e2e.browser import log_in, screenshot


def test_public_page_and_staff_login(page, site):
    page.goto(site.url("torun"))
    expect(page.locator("h1")).to_have_text("Miejski Ośrodek Pomocy Rodzinie w Toruniu")
    screenshot(page, "center-public-page")
    log_in(page, site, "torun", "dyrektor")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("h1")).to_have_text("Pulpit")
    screenshot(page, "staff-dashboard")
