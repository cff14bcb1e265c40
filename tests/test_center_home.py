"""The public home page of a center, in Polish by default and in English after the language switch."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ostoja.tenants.configuration import views

pytestmark = pytest.mark.django_db
WAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def at(monkeypatch):
    def _at(*args):
        moment = datetime(*args, tzinfo=WAW)
        monkeypatch.setattr(views, "current_time", lambda: moment)

    return _at


def page(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_polish_by_default(client_for, torun, at):
    at(2026, 11, 24, 15, 45)  # Tuesday
    html = page(client_for("torun", HTTP_ACCEPT_LANGUAGE="en"))  # the browser's language does not switch it
    assert '<html lang="pl">' in html
    assert "<h1>Miejski Ośrodek Pomocy Rodzinie w Toruniu</h1>" in html
    assert "ul. Konstytucji 3 Maja 40" in html and "87-100 Toruń" in html
    assert "56 650 85 65" in html and "56 648 64 47" in html
    assert "sekretariat@mopr.torun.pl" in html and "http://www.mopr.torun.pl" in html
    assert "Dział Pomocy Dziecku i Rodzinie" in html
    assert "Godziny pracy" in html
    assert "07:30–16:00" in html
    assert "Otwarte teraz, do 16:00" in html
    assert 'action="/i18n/setlang/"' in html and '<label for="language-select">' in html


def test_english_after_the_switch(client_for, torun, at):
    at(2026, 11, 27, 15, 15)  # Friday, after 15:00
    client = client_for("torun")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = page(client)
    assert '<html lang="en">' in html
    assert "Organizational and Administrative Department" in html
    assert "Dział Organizacyjno-Administracyjny" not in html
    assert "Office hours" in html
    assert "Today:" in html and "07:30–15:00" in html
    assert "Closed now" in html
    assert "Next opening: Monday, 30 November 2026, 07:30" in html
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    html = page(client)
    assert "Zamknięte" in html
    assert "Najbliższe otwarcie: Poniedziałek, 30 listopada 2026, 07:30" in html


def test_holiday_is_named(client_for, torun, at):
    at(2026, 11, 11, 10)
    html = page(client_for("torun"))
    assert "Narodowe Święto Niepodległości" in html
    assert "Zamknięte" in html


def test_slupsk_shows_both_addresses_and_each_district(client_for, slupsk, at):
    at(2026, 11, 23, 9)
    html = page(client_for("slupsk"))
    assert "ul. Sienkiewicza 19" in html and "ul. Jaracza 5" in html
    assert "59 842 81 26" in html
    for district in ("Rejon I", "Rejon II", "Rejon III", "Rejon IV", "Rejon V"):
        assert f"– {district}</h3>" in html
    assert html.count("Otwarte teraz, do 10:00") == 6  # five districts and the homeless duty


def test_gdansk_complaints_and_directors(client_for, gdansk, at):
    at(2026, 11, 26, 10)  # Thursday
    html = page(client_for("gdansk"))
    assert "Skargi i interwencje" in html
    assert "Otwarte teraz, do 11:00" in html
    for number, label in [
        ("58 342 31 36", "p.o. Dyrektora MOPR"),
        ("58 342 31 34", "Z-ca Dyrektora ds. Rodziny i Dziecka"),
        ("58 342 31 30", "Z-ca Dyrektora ds. Usług Społecznych"),
    ]:
        assert number in html and label in html
    assert '<h2 id="addresses-heading">' not in html  # no address is published
    at(2026, 11, 27, 10)
    html = page(client_for("gdansk"))
    assert "Zamknięte" in html
    assert "Najbliższe otwarcie: Czwartek, 3 grudnia 2026, 09:00" in html
