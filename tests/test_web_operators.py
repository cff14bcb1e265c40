"""The operator console on the platform host (tenants/operator_views.py): centers with status, hosts and usage;
onboarding as a background job with live progress; a center's hosts, suspension and removal; partnerships and
partner accounts. Only operators get in (partners 403, anonymous users to the login page); every change goes
through the services; invalid input is shown next to its field and changes nothing."""

import re

import pytest
from conftest import host
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists
from test_celery import eager  # noqa: F401 (fixture)

from ostoja.platform.accounts import services as accounts
from ostoja.platform.jobs.models import Job, JobStatus
from ostoja.tenants.models import Center, Domain, Partnership, PlatformRole
from ostoja.tenants.tasks_onboarding import ONBOARDING_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def operator(db):
    return accounts.create_platform_account(None, username="operator", email="op@ostoja.example", role="operator")


@pytest.fixture
def pomorze(slupsk, gdansk):
    return accounts.create_partnership(None, name="Pomorze", centers=["slupsk", "gdansk"])


@pytest.fixture
def partner(pomorze):
    return accounts.create_platform_account(
        None, username="partner", email="p@pomorze.example", role=PlatformRole.PARTNER, partnership=pomorze
    )


def logged_in(user) -> Client:
    client = Client(HTTP_HOST=host())
    client.force_login(user)
    return client


@pytest.fixture
def console(operator):
    return logged_in(operator)


def html_of(response, status=200) -> str:
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def field_error(html: str, field: str) -> str:
    """The error list rendered next to the form field ``field`` (web/field.html: widget, then its errors)."""
    match = re.search(
        rf'<div class="field has-errors[^"]*">\s*<label for="id_{field}".*?<ul class="errorlist"[^>]*>(.*?)</ul>',
        html,
        re.S,
    )
    assert match, f"no error next to {field}"
    assert "<label" not in match.group(1), f"no error next to {field}"
    return match.group(1)


def messages_of(html: str) -> str:
    match = re.search(r'<ul class="messages".*?</ul>', html, re.S)
    return match.group(0) if match else ""


# --- access -----------------------------------------------------------------------------------------------------


def operator_urls(torun, pomorze, partner):
    job = Job.objects.create(kind=ONBOARDING_KIND, key="x", params={"slug": "x", "name": "X"})
    domain = Domain.objects.get(tenant=torun)
    return {
        "get": [
            "/operator/",
            "/operator/centers/new/",
            f"/operator/centers/{torun.pk}/",
            "/operator/jobs/",
            f"/operator/jobs/{job.pk}/",
            f"/operator/jobs/{job.pk}/progress/",
            "/operator/partners/",
            "/operator/partnerships/new/",
            f"/operator/partnerships/{pomorze.pk}/",
            "/operator/accounts/new/",
            f"/operator/accounts/{partner.pk}/",
        ],
        "post": [
            f"/operator/centers/{torun.pk}/deactivate/",
            f"/operator/centers/{torun.pk}/domains/",
            f"/operator/domains/{domain.pk}/remove/",
            f"/operator/accounts/{partner.pk}/deactivate/",
        ],
    }


def test_partners_are_refused_and_anonymous_users_sent_to_log_in(client_for, torun, pomorze, partner):
    urls = operator_urls(torun, pomorze, partner)
    anonymous, as_partner = client_for(), logged_in(partner)
    for url in urls["get"]:
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url
        assert as_partner.get(url).status_code == 403, url
    for url in urls["post"]:
        assert anonymous.post(url).status_code == 302, url
        assert as_partner.post(url).status_code == 403, url
    torun.refresh_from_db()
    partner.refresh_from_db()
    assert torun.is_active and partner.is_active and Domain.objects.filter(tenant=torun).exists()


def test_the_console_is_not_served_on_a_center_host(client_for, operator, torun):
    client = client_for("torun")
    with schema_context("torun"):
        assert client.get("/operator/").status_code == 404


# --- centers ----------------------------------------------------------------------------------------------------


def test_centers_list_shows_status_hosts_usage_and_filters(console, torun, slupsk, gdansk, count_sql):
    from ostoja.tenants import onboarding

    onboarding.deactivate_center(None, gdansk)
    html = html_of(console.get("/operator/"))
    assert "<h1>" in html and html.count("<h1>") == 1
    for center in (torun, slupsk, gdansk):
        assert f'href="/operator/centers/{center.pk}/"' in html
    assert 'href="http://torun.localhost/">torun.localhost</a>' in html
    assert 'class="badge bad"' in html  # Gdańsk is suspended
    assert html.count('<td class="num">') == 3 * 5  # five usage figures per center

    html = html_of(console.get("/operator/", {"status": "inactive"}))
    assert "gdansk.localhost" in html and "torun.localhost" not in html
    html = html_of(console.get("/operator/", {"q": "słups"}))
    assert "slupsk.localhost" in html and "torun.localhost" not in html

    console.get("/operator/")
    with count_sql() as sql:
        console.get("/operator/")
    assert sql.n <= 8, "usage is counted for the whole page in one statement:\n" + "\n".join(sql.queries)


def test_center_page_deactivate_and_reactivate(console, torun, client_for):
    html = html_of(console.get(f"/operator/centers/{torun.pk}/"))
    assert torun.name in html and "torun.localhost" in html
    assert 'data-confirm="' in html and f'action="/operator/centers/{torun.pk}/deactivate/"' in html

    response = console.post(f"/operator/centers/{torun.pk}/deactivate/")
    assert response.status_code == 302 and response["Location"] == f"/operator/centers/{torun.pk}/"
    torun.refresh_from_db()
    assert not torun.is_active
    assert client_for("torun").get("/").status_code == 503
    html = html_of(console.get(response["Location"]))
    assert "zawieszony" in messages_of(html) or "suspended" in messages_of(html)
    assert f'action="/operator/centers/{torun.pk}/reactivate/"' in html

    console.post(f"/operator/centers/{torun.pk}/reactivate/")
    torun.refresh_from_db()
    assert torun.is_active and torun.deactivated_at is None


def test_add_make_primary_and_remove_a_host(console, torun, slupsk):
    url = f"/operator/centers/{torun.pk}/domains/"
    response = console.post(url, {"domain-domain": "mopr.torun.example", "domain-primary": ""})
    assert response.status_code == 302
    added = Domain.objects.get(domain="mopr.torun.example")
    assert added.tenant_id == torun.pk and not added.is_primary

    # errors next to the field, nothing added: an invalid host, a host of another center
    for value, needle in (("not a host", "not a host"), ("slupsk.localhost", "slupsk")):
        html = html_of(console.post(url, {"domain-domain": value}))
        assert needle in field_error(html, "domain-domain")
    assert Domain.objects.filter(tenant=torun).count() == 2

    # the primary host cannot be removed: a message, nothing removed
    primary = Domain.objects.get(tenant=torun, is_primary=True)
    html = html_of(console.post(f"/operator/domains/{primary.pk}/remove/"), 302) and html_of(
        console.get(f"/operator/centers/{torun.pk}/")
    )
    assert Domain.objects.filter(pk=primary.pk).exists()

    console.post(f"/operator/domains/{added.pk}/primary/")
    added.refresh_from_db()
    primary.refresh_from_db()
    assert added.is_primary and not primary.is_primary
    console.post(f"/operator/domains/{primary.pk}/remove/")
    assert list(Domain.objects.filter(tenant=torun).values_list("domain", flat=True)) == ["mopr.torun.example"]


def test_unknown_center_and_domain_are_404(console, torun):
    assert console.get("/operator/centers/999999/").status_code == 404
    assert console.post("/operator/domains/999999/remove/").status_code == 404
    assert console.get("/operator/jobs/999999/").status_code == 404


# --- onboarding -------------------------------------------------------------------------------------------------


def onboarding_form(**changes):
    data = {
        "name": "Miejski Ośrodek Pomocy Społecznej w Malborku",
        "short_name": "",
        "kind": "MOPS",
        "city": "Malbork",
        "voivodeship": "pomorskie",
        "slug": "malbork",
        "domain": "",
        "admin_username": "admin",
        "admin_email": "admin@malbork.example",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes, field, needle",
    [
        ({"slug": "Mal-bork!"}, "slug", "mal-bork!"),
        ({"slug": "torun"}, "slug", "torun"),  # taken
        ({"slug": "", "city": "Toruń"}, "slug", "torun"),  # the slug made of the city is taken
        ({"domain": "torun.localhost"}, "domain", "torun"),  # serves another center
        ({"domain": "bad host"}, "domain", "bad host"),
        ({"name": ""}, "name", ""),
        ({"voivodeship": "bawaria"}, "voivodeship", "bawaria"),
        ({"admin_username": "bad name!"}, "admin_username", ""),
    ],
)
def test_onboarding_form_shows_errors_next_to_fields_and_starts_nothing(console, torun, changes, field, needle):
    html = html_of(console.post("/operator/centers/new/", onboarding_form(**changes)))
    assert needle in field_error(html, field)
    assert 'aria-invalid="true"' in html
    assert not Job.objects.exists()


def test_onboarding_form_labels(console):
    html = html_of(console.get("/operator/centers/new/"))
    for field in ("name", "short_name", "kind", "city", "voivodeship", "slug", "domain", "admin_username"):
        assert f'<label for="id_{field}"' in html
    assert html.count("<h1>") == 1 and 'name="csrfmiddlewaretoken"' in html


def test_starting_onboarding_creates_a_job_whose_page_polls_its_progress(console, operator):
    response = console.post("/operator/centers/new/", onboarding_form())
    job = Job.objects.get(kind=ONBOARDING_KIND, key="malbork")
    assert response.status_code == 302 and response["Location"] == f"/operator/jobs/{job.pk}/"
    assert job.created_by == operator and job.status == JobStatus.QUEUED  # the task is sent on commit
    assert job.params["admin"] == {"username": "admin", "email": "admin@malbork.example"}

    html = html_of(console.get(response["Location"]))
    assert f'data-poll="/operator/jobs/{job.pk}/progress/"' in html
    assert '<progress id="job-meter" max="100" value="0">' in html
    assert '<noscript><meta http-equiv="refresh"' in html  # without JavaScript the page reloads itself
    fragment = html_of(console.get(f"/operator/jobs/{job.pk}/progress/"))
    assert fragment.lstrip().startswith('<div id="job-progress"') and "data-poll=" in fragment
    assert "<html" not in fragment

    # the job runs: 3 of 6 steps
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, steps_done=3, steps_total=6, step_label="x")
    fragment = html_of(console.get(f"/operator/jobs/{job.pk}/progress/"))
    assert 'value="50"' in fragment and "data-poll=" in fragment

    # the same form again while it runs: the same job, nothing new
    response = console.post("/operator/centers/new/", onboarding_form())
    assert response["Location"] == f"/operator/jobs/{job.pk}/" and Job.objects.count() == 1

    jobs_html = html_of(console.get("/operator/jobs/"))
    assert f'href="/operator/jobs/{job.pk}/"' in jobs_html


def test_onboarding_runs_and_the_job_page_links_to_the_new_center(
    console,
    operator,
    eager,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post("/operator/centers/new/", onboarding_form())
    job = Job.objects.get(kind=ONBOARDING_KIND, key="malbork")
    assert job.status == JobStatus.SUCCEEDED, (job.error_code, job.error_message)
    assert Center.objects.filter(schema_name="malbork", is_active=True).exists() and schema_exists("malbork")

    html = html_of(console.get(response["Location"], HTTP_HOST="localhost:8000"))
    assert "data-poll=" not in html.split('<div id="job-progress"')[1].split(">")[0]
    assert 'href="http://malbork.localhost:8000/"' in html  # the port of the current request
    link = re.search(r'href="(http://malbork\.localhost:8000/account/set-password/[^"]+)"', html)
    assert link, "the administrator's set-password link, for the operator who started the job"
    fragment = html_of(console.get(f"/operator/jobs/{job.pk}/progress/"))
    assert "data-poll" not in fragment and 'value="100"' in fragment

    # another operator sees the result but not the set-password link
    other = accounts.create_platform_account(None, username="operator2", email="o2@ostoja.example", role="operator")
    html = html_of(logged_in(other).get(response["Location"]))
    assert 'href="http://malbork.localhost/"' in html and "/account/set-password/" not in html
    with schema_context("malbork"):
        assert get_user_model().objects.get(username="admin").email == "admin@malbork.example"

    # the new center is listed, then suspended and deleted from the console
    center = Center.objects.get(schema_name="malbork")
    assert "malbork.localhost" in html_of(console.get("/operator/"))
    console.post(f"/operator/centers/{center.pk}/deactivate/")
    with connection.cursor() as cursor:  # the test's one transaction: fire the administrator's deferred FK checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # now, or PostgreSQL refuses to drop their tables
    html = html_of(console.post(f"/operator/centers/{center.pk}/delete/", {"delete-confirm_slug": "torun"}))
    assert field_error(html, "delete-confirm_slug") and schema_exists("malbork")
    response = console.post(f"/operator/centers/{center.pk}/delete/", {"delete-confirm_slug": "malbork"})
    assert response.status_code == 302 and not schema_exists("malbork")
    assert not Center.objects.filter(schema_name="malbork").exists()


def test_a_failed_job_shows_its_error_and_offers_to_try_again(console, operator):
    job = Job.objects.create(
        kind=ONBOARDING_KIND,
        key="malbork",
        params={
            "slug": "malbork",
            "name": "MOPS Malbork",
            "city": "Malbork",
            "kind": "MOPS",
            "voivodeship": "pomorskie",
        },
        status=JobStatus.FAILED,
        error_code="domain_taken",
        error_message="The host is taken.",
        created_by=operator,
    )
    html = html_of(console.get(f"/operator/jobs/{job.pk}/"))
    assert 'role="alert"' in html and "The host is taken." in html and "data-poll=" not in html
    assert f'href="/operator/centers/new/?job={job.pk}"' in html
    html = html_of(console.get(f"/operator/centers/new/?job={job.pk}"))
    assert 'value="MOPS Malbork"' in html and 'value="malbork"' in html


# --- partnerships and partner accounts --------------------------------------------------------------------------


def test_partners_page_lists_partnerships_with_centers_and_accounts(console, pomorze, partner, torun):
    html = html_of(console.get("/operator/partners/"))
    assert "Pomorze" in html and "MOPR Słupsk" in html and "MOPR Gdańsk" in html
    assert f'href="/operator/accounts/{partner.pk}/"' in html


def test_create_and_edit_a_partnership(console, torun, slupsk, gdansk):
    response = console.post("/operator/partnerships/new/", {"name": "Kujawy", "centers": [torun.pk]})
    assert response.status_code == 302
    kujawy = Partnership.objects.get(name="Kujawy")
    assert list(kujawy.centers.values_list("schema_name", flat=True)) == ["torun"]
    html = html_of(console.post("/operator/partnerships/new/", {"name": "kujawy"}))
    assert "Kujawy" in field_error(html, "name") or "kujawy" in field_error(html, "name")
    assert Partnership.objects.count() == 1

    console.post(f"/operator/partnerships/{kujawy.pk}/", {"name": "Kujawy i Pomorze", "centers": [torun.pk, gdansk.pk]})
    kujawy.refresh_from_db()
    assert kujawy.name == "Kujawy i Pomorze"
    assert set(kujawy.centers.values_list("schema_name", flat=True)) == {"torun", "gdansk"}


def test_create_edit_and_deactivate_a_partner_account(console, pomorze, partner):
    data = {"username": "nowy", "email": "nowy@pomorze.example", "partnership": pomorze.pk, "preferred_language": "pl"}
    response = console.post("/operator/accounts/new/", data)
    user = get_user_model().objects.get(username="nowy")
    assert response.status_code == 302 and response["Location"] == f"/operator/accounts/{user.pk}/"
    assert user.platform_account.role == PlatformRole.PARTNER and user.platform_account.partnership == pomorze
    assert not user.has_usable_password()
    html = html_of(console.get(response["Location"]))
    assert "/account/set-password/" in messages_of(html)  # the one-time link, to give to the partner

    # a taken username: the error next to the field, nothing created
    html = html_of(console.post("/operator/accounts/new/", {**data, "email": "x@pomorze.example"}))
    assert "nowy" in field_error(html, "username")
    assert get_user_model().objects.filter(email="x@pomorze.example").count() == 0

    response = console.post(
        f"/operator/accounts/{user.pk}/",
        {
            "email": "zmieniony@pomorze.example",
            "first_name": "Anna",
            "last_name": "Nowak",
            "partnership": pomorze.pk,
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email, user.first_name, user.preferred_language) == ("zmieniony@pomorze.example", "Anna", "en")
    html = html_of(
        console.post(
            f"/operator/accounts/{user.pk}/",
            {"email": "not-an-email", "partnership": pomorze.pk, "preferred_language": "pl"},
        )
    )
    assert field_error(html, "email")
    user.refresh_from_db()
    assert user.email == "zmieniony@pomorze.example"

    html = html_of(console.get(f"/operator/accounts/{partner.pk}/"))
    assert 'data-confirm="' in html
    console.post(f"/operator/accounts/{partner.pk}/deactivate/")
    partner.refresh_from_db()
    assert not partner.is_active
    assert logged_in(partner).get("/operator/partners/")["Location"].startswith("/login/")  # logged out
    console.post(f"/operator/accounts/{partner.pk}/reactivate/")
    partner.refresh_from_db()
    assert partner.is_active


def test_an_operator_cannot_deactivate_themselves(console, operator):
    response = console.post(f"/operator/accounts/{operator.pk}/deactivate/")
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.is_active
