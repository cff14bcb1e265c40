"""End-to-end tests in headless Chromium (Debian's package, driven by Playwright) against a live server.

They run in a pytest session of their own (``pytest -m e2e``; the default run deselects them, see pyproject.toml):
the demo is seeded once and committed (no test transaction, no flush), so the pages show the real demo centers,
and nothing they commit can leak into the other tests' database. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from django.test.testcases import LiveServerThread

from e2e.browser import SCREENSHOTS

# Playwright's sync API runs an event loop in this thread; ORM calls from the test are still synchronous
# (DESIGN.md §6).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("OSTOJA_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, refused on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def db(django_db_blocker):
    """Replaces pytest-django's ``db`` here: no test transaction (the live server thread must see what a test
    commits, and no flush follows), just access. Its name also tells pytest-django to create the test database."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker):
    """The demo centers, staff, operator, partner and module data, committed once for the whole session."""
    from django.test.utils import override_settings

    from ostoja.tenants.management.commands.demo import seed_demo

    # A fast hasher for the demo accounts (PBKDF2 costs seconds per center); logins still check the password.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    with django_db_blocker.unblock():
        seed_demo()
        connection.set_schema_to_public()


class Site:
    def __init__(self, port: int):
        self.port = port

    def url(self, slug: str | None = None, path: str = "/") -> str:
        host = f"{slug}.{settings.BASE_DOMAIN}" if slug else settings.BASE_DOMAIN
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="session")
def site(demo, django_db_blocker):
    """A live server on a free port of localhost, answering every host (Chromium resolves *.localhost itself)."""
    with django_db_blocker.unblock():
        server = LiveServerThread("localhost", StaticFilesHandler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield Site(server.port)
        server.terminate()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it), or set OSTOJA_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) with a laptop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()
