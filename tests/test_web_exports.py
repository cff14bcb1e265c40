"""Exports pages (/exports/ on a center host): asking for a file with the filters of its kind, the list and the
detail refreshing themselves (data-poll fragments) while the file is built, the download for the requester only;
another user's export and another center's ids are 404."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from test_celery import eager  # noqa: F401 (fixture)

from ostoja.modules.cases.models import Case, CaseReason, HelpReason, Person
from ostoja.platform import storage
from ostoja.platform.exports import services
from ostoja.platform.exports.models import Export, ExportStatus
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(settings, tmp_path):
    """The local folder as the default storage (a folder of this test)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert not storage.is_s3()
    return tmp_path


def make_staff(slug, username, *roles):
    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Web")
        StaffProfile.objects.create(user=user, roles=list(roles))
    return user


def login(client_for, slug, user):
    client = client_for(slug)
    with schema_context(slug):
        client.force_login(user)
    return client


class World:
    pass


@pytest.fixture
def w(torun, client_for, local):
    w = World()
    w.worker = make_staff("torun", "pracownica-eksport", Role.SOCIAL_WORKER)
    w.other = make_staff("torun", "pracownik-inny", Role.SOCIAL_WORKER)
    w.director = make_staff("torun", "dyrektor-eksport", Role.DIRECTOR)
    w.as_worker = login(client_for, "torun", w.worker)
    w.as_other = login(client_for, "torun", w.other)
    w.as_director = login(client_for, "torun", w.director)
    with schema_context("torun"):
        person = Person.objects.create(
            first_name="Zofia", last_name="Eksportowa", sex="F", date_of_birth=date(1980, 5, 17)
        )
        case = Case.objects.create(person=person, opened_on=date(2024, 2, 1), status="active_help")
        CaseReason.objects.create(case=case, reason=HelpReason.objects.get(code="ubostwo"), noted_on=date(2024, 2, 1))
    return w


def html(response, status=200) -> str:
    assert response.status_code == status, response.content.decode()[:3000]
    return response.content.decode()


def errors_of(page: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist[^"]*" id="id_{field}_error">([\s\S]*?)</ul>', page)
    return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""


def only_export() -> Export:
    with schema_context("torun"):
        return Export.objects.get()


def test_request_build_and_download_for_the_requester_only(w, eager, django_capture_on_commit_callbacks):  # noqa: F811
    page = html(w.as_worker.get("/exports/"))
    assert "/exports/new/cases/" in page and "/exports/new/mrpips/" not in page  # the kinds a social worker may export
    assert "Nie ma jeszcze eksportów." in page
    page = html(w.as_worker.get("/exports/new/cases/"))
    assert 'name="opened_from"' in page and 'name="format"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = w.as_worker.post("/exports/new/cases/", {"format": "csv", "status": "active_help"})
    assert response.status_code == 302 and response["Location"] == "/exports/"
    export = only_export()
    assert export.status == ExportStatus.READY and export.filters == {"status": "active_help"}
    assert export.requested_by_id == w.worker.pk and export.row_count == 1

    page = html(w.as_worker.get("/exports/"))
    assert "data-poll" not in page and f"/exports/{export.pk}/download/" in page
    page = html(w.as_worker.get(f"/exports/{export.pk}/"))
    assert f"/exports/{export.pk}/download/" in page and "data-poll" not in page
    assert "pomocy" in page.lower() or "active help" in page.lower()  # the status filter, by its label

    response = w.as_worker.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 302
    file_response = w.as_worker.get(response["Location"])
    assert file_response.status_code == 200
    data = b"".join(file_response.streaming_content) if file_response.streaming else file_response.content
    assert "Eksportowa" in data.decode("utf-8-sig")

    # the director sees the export in the center's list, but only the requester downloads it
    page = html(w.as_director.get("/exports/"))
    assert f"/exports/{export.pk}/" in page and f"/exports/{export.pk}/download/" not in page
    assert w.as_director.get(f"/exports/{export.pk}/download/").status_code == 403
    # another social worker does not even see it
    assert f"/exports/{export.pk}/" not in html(w.as_other.get("/exports/"))
    for url in (f"/exports/{export.pk}/", f"/exports/{export.pk}/status/", f"/exports/{export.pk}/download/"):
        page = html(w.as_other.get(url), status=404)
        assert "Eksportowa" not in page


def test_the_list_and_the_detail_poll_until_the_file_is_built(w):
    response = w.as_worker.post("/exports/new/cases/", {"format": "xlsx"})  # the task is sent after a commit
    assert response.status_code == 302
    export = only_export()
    assert export.status == ExportStatus.PENDING
    for url in ("/exports/", "/exports/list/"):
        page = html(w.as_worker.get(url))
        assert 'data-poll="/exports/list/' in page and f"/exports/{export.pk}/download/" not in page
    page = html(w.as_worker.get(f"/exports/{export.pk}/status/"))
    assert page.lstrip().startswith('<section id="export-status"')
    assert f'data-poll="/exports/{export.pk}/status/"' in page

    with schema_context("torun"):
        assert services.build(export.pk) == ExportStatus.READY
    fragment = html(w.as_worker.get("/exports/list/"))
    assert fragment.lstrip().startswith('<div id="export-list"') and "data-poll" not in fragment
    assert f"/exports/{export.pk}/download/" in fragment
    status = html(w.as_worker.get(f"/exports/{export.pk}/status/"))
    assert "data-poll" not in status and f"/exports/{export.pk}/download/" in status


def test_invalid_filters_show_errors_and_create_nothing(w):
    page = html(
        w.as_worker.post(
            "/exports/new/cases/", {"format": "csv", "opened_from": "2024-05-01", "opened_to": "2024-01-01"}
        )
    )
    assert errors_of(page, "opened_to")
    page = html(w.as_worker.post("/exports/new/cases/", {"format": "doc"}))
    assert errors_of(page, "format")
    page = html(w.as_director.post("/exports/new/mrpips/", {"format": "csv", "year": "2024", "half": "3"}))
    assert errors_of(page, "half")
    assert w.as_worker.get("/exports/new/mrpips/").status_code == 403  # not a social worker's kind
    assert w.as_worker.post("/exports/new/mrpips/", {"format": "csv", "year": "2024", "half": "1"}).status_code == 403
    assert w.as_worker.get("/exports/new/nonsense/").status_code == 404
    with schema_context("torun"):
        assert not Export.objects.exists()


def test_a_failed_or_expired_export_says_so(w):
    with schema_context("torun"):
        failed = Export.objects.create(
            kind="cases", format="pdf", requested_by=w.worker, status=ExportStatus.FAILED, error="Za dużo wierszy."
        )
        expired = Export.objects.create(kind="cases", format="csv", requested_by=w.worker, status=ExportStatus.EXPIRED)
    page = html(w.as_worker.get("/exports/"))
    assert "Za dużo wierszy." in page and "data-poll" not in page
    assert "Za dużo wierszy." in html(w.as_worker.get(f"/exports/{failed.pk}/"))
    response = w.as_worker.get(f"/exports/{expired.pk}/download/", follow=True)
    assert response.redirect_chain[-1][0] == f"/exports/{expired.pk}/"
    assert "message error" in html(response)


def test_another_centers_export_is_404(w):
    for _attempt in range(20):
        with schema_context("gdansk"):
            user = get_user_model().objects.create_user(username=f"gdansk-{_attempt}", last_name="Gdańska")
            StaffProfile.objects.create(user=user, roles=[Role.DIRECTOR])
            export = Export.objects.create(kind="cases", format="csv", requested_by=user, status=ExportStatus.PENDING)
        with schema_context("torun"):
            if not Export.objects.filter(pk=export.pk).exists():
                break
    for client in (w.as_worker, w.as_director):
        for url in (f"/exports/{export.pk}/", f"/exports/{export.pk}/status/", f"/exports/{export.pk}/download/"):
            page = html(client.get(url), status=404)
            assert "Gdańska" not in page
