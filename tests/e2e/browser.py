"""Helpers of the end-to-end tests (fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as var/screenshots/<name>.png."""
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, site, slug: str | None, username: str, password: str | None = None) -> None:
    from ostoja.tenants.management.commands.demo import DEMO_PASSWORD

    page.goto(site.url(slug, "/login/"))
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password or DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Zaloguj").click()
    page.wait_for_load_state()
