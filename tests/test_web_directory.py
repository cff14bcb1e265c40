"""The public directory of centers on the platform host (platform/views.py, tenants/directory.py): every active
center with its host, contacts, addresses and hours, in Polish by default, without a login; a suspended center is
hidden; the page costs a fixed number of SQL statements whatever the number of centers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from ostoja.tenants import directory, onboarding

pytestmark = pytest.mark.django_db
WAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def at(monkeypatch):
    def _at(*args):
        moment = datetime(*args, tzinfo=WAW)
        monkeypatch.setattr(directory, "current_time", lambda: moment)

    return _at


def page(client, path="/", **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def test_directory_lists_the_demo_centers_with_hours_and_contacts(client_for, torun, slupsk, gdansk, at):
    at(2026, 11, 26, 10, 0)  # Thursday, 10:00
    html = page(client_for())  # anonymous: no login needed
    assert '<html lang="pl">' in html and "<h1>Katalog ośrodków</h1>" in html
    for name in (torun.name, slupsk.name, gdansk.name):
        assert name in html
    # links to each center's host
    assert 'href="http://torun.localhost/"' in html and 'href="http://gdansk.localhost/"' in html
    # Toruń: its phone numbers, e-mail, website, seat and office hours (Tuesday until 16:00)
    assert 'href="tel:+48566508565"' in html and "56 650 85 65" in html and "56 648 64 47" in html
    assert 'href="mailto:sekretariat@mopr.torun.pl"' in html and "http://www.mopr.torun.pl" in html
    assert "ul. Konstytucji 3 Maja 40" in html and "87-100 Toruń" in html
    assert "07:30–16:00" in html
    # Gdańsk: its phones and the complaints hours, Thursday 9:00–11:00, open right now
    assert "58 342 31 36" in html
    assert "Skargi i interwencje" in html or "skargi i interwencje" in html.lower()
    assert "09:00–11:00" in html and "otwarte teraz, do 11:00" in html
    # per kind: Słupsk's reception per district
    assert "Rejon I" in html


def test_the_port_of_the_request_is_kept_in_links(client_for, torun):
    html = page(Client(HTTP_HOST="localhost:8000"))
    assert 'href="http://torun.localhost:8000/"' in html


def test_a_deactivated_center_is_hidden(client_for, torun, gdansk):
    onboarding.deactivate_center(None, gdansk)
    html = page(client_for())
    assert torun.name in html and gdansk.name not in html and "gdansk.localhost" not in html


def test_filters(client_for, torun, slupsk, gdansk):
    html = page(client_for(), q="Słups")
    assert slupsk.name in html and torun.name not in html
    html = page(client_for(), voivodeship="pomorskie")
    assert slupsk.name in html and gdansk.name in html and torun.name not in html
    html = page(client_for(), q="Kraków")
    assert "Żaden ośrodek nie pasuje do wyszukiwania." in html


def test_english_after_the_switch(client_for, torun, at):
    at(2026, 11, 24, 12, 0)
    client = client_for()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client)
    assert '<html lang="en">' in html and "<h1>Directory of centers</h1>" in html
    assert "Office hours" in html and "Secretariat" in html


def test_the_directory_costs_a_fixed_number_of_queries(client_for, torun, slupsk, gdansk, count_sql):
    """The directory reads every center's configuration: a query per center (or per table per center) would make the
    public start page slower with every center onboarded. Three centers and one must cost the same."""
    client = client_for()
    page(client)  # warm the host cache and the holiday tables
    with count_sql() as all_three:
        page(client)
    with count_sql() as only_one:
        page(client, q="Toruń")
    assert all_three.n == only_one.n, "the directory must not run queries per center:\n" + "\n".join(all_three.queries)
    assert all_three.n <= 4, "centers + count + schemas + one configuration statement:\n" + "\n".join(all_three.queries)
