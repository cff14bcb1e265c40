"""Web pages of persons and cases (issue 6): lists with search and filters, the person and case pages, the forms
(register a person, register an application with its case worker, interview, decision, note, document upload)
through the services, errors next to the fields with nothing changed, district scoping (403), another center's id
(404), the read-only auditor, the audit trail for directors only. The pages speak Polish by default."""

import re
from datetime import date, timedelta
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from ostoja.modules.cases import services
from ostoja.modules.cases.models import Application, Case, CaseNote, Decision, Interview, Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.platform import storage
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.documents.models import Document, DocumentState
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import District, DistrictStreet

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
_serial = count(700)


# --- the world --------------------------------------------------------------------------------------


def staff(slug, username, *roles, districts=(), first_name=None):
    with schema_context(slug):
        user = get_user_model().objects.create_user(
            username=username, first_name=first_name or username.title(), last_name="Webowa"
        )
        profile = StaffProfile.objects.create(user=user, roles=list(roles))
        profile.districts.set(districts)
    return user


def person(last_name="Kowalska", first_name="Zofia", slug="torun", **extra):
    with schema_context(slug):
        values = dict(
            first_name=first_name,
            last_name=last_name,
            pesel=make_pesel(date(1980, 5, 17), next(_serial), Sex.FEMALE),
        )
        values.update(extra)
        return services.create_person(services.SYSTEM, **values).person


def application(who, slug="torun", received_on=None, reasons=("ubostwo",), **extra):
    with schema_context(slug):
        return services.register_application(
            services.SYSTEM,
            who.pk,
            received_on=received_on or timezone.localdate() - timedelta(days=3),
            reasons=reasons,
            **extra,
        )


class World:
    """Toruń as in the demo: no districts, one social worker for the whole city."""

    def __init__(self):
        self.director = staff("torun", "web-dyrektor", Role.DIRECTOR)
        self.worker = staff("torun", "web-pracownik", Role.SOCIAL_WORKER, first_name="Sylwia")
        self.auditor = staff("torun", "web-audytor", Role.AUDITOR)
        self.clerk = staff("torun", "web-swiadczenia", Role.BENEFITS_CLERK)
        self.coordinator = staff("torun", "web-projekty", Role.PROJECT_COORDINATOR)
        with schema_context("torun"):
            self.worker_profile = StaffProfile.objects.get(user=self.worker)


@pytest.fixture
def w(torun):
    return World()


@pytest.fixture
def districts(w):
    """Two districts of Toruń for the tests of scoping: odd numbers of Webowa in I, even in II."""
    with schema_context("torun"):
        one = District.objects.create(code="web-rejon-1", name="Rejon I (web)")
        two = District.objects.create(code="web-rejon-2", name="Rejon II (web)")
        DistrictStreet.objects.create(district=one, street="Webowa", numbers="odd")
        DistrictStreet.objects.create(district=two, street="Webowa", numbers="even")
    w.one, w.two = one, two
    w.worker1 = staff("torun", "web-pracownik1", Role.SOCIAL_WORKER, districts=[one])
    w.worker2 = staff("torun", "web-pracownik2", Role.SOCIAL_WORKER, districts=[two])
    return w


@pytest.fixture
def login(client_for):
    def _login(user, slug="torun"):
        client = client_for(slug)
        with schema_context(slug):
            client.force_login(user)
        return client

    return _login


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def field_errors(page: str, name: str) -> str:
    """The error text shown in the field group of the input ``name`` (empty if none)."""
    for chunk in page.split('<div class="field')[1:]:
        if re.search(rf'(id|for)="id_{re.escape(name)}(_0)?"', chunk):
            assert chunk.startswith(" has-errors") or "errorlist" not in chunk
            found = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', chunk, re.S)
            return re.sub(r"<[^>]+>", " ", found.group(1)).strip() if found else ""
    raise AssertionError(f"no field {name} on the page")


def table(page: str) -> str:
    """The page from its first table on (past the filters)."""
    return page.split("<table", 1)[1] if "<table" in page else ""


def in_torun(function):
    with schema_context("torun"):
        return function()


# --- persons ----------------------------------------------------------------------------------------


def test_persons_search_by_name_or_pesel(w, login):
    kowalska = person("Kowalska", "Zofia")
    person("Nowak", "Anna")
    client = login(w.worker)
    page = html(client.get("/persons/"))
    assert "Kowalska" in page and "Nowak" in page and 'href="/persons/new/"' in page
    page = html(client.get("/persons/", {"search": "zofia kowal"}))
    assert "Kowalska" in page and "Nowak" not in page
    # the list masks the PESEL; the person's page shows it (and that read is audited)
    assert kowalska.pesel[:6] + "•••••" in page and kowalska.pesel not in page
    page = html(client.get("/persons/", {"search": kowalska.pesel[:9]}))
    assert "Kowalska" in page and "Nowak" not in page
    page = html(client.get("/persons/", {"search": "Zzz"}))
    assert "Nikt nie pasuje do wyszukiwania." in page
    page = html(client.get(f"/persons/{kowalska.pk}/"))
    assert kowalska.pesel in page and "Zarejestruj wniosek" in page
    assert in_torun(
        lambda: AuditEntry.objects.filter(
            action=AuditAction.READ, object_type="cases.person", object_id=str(kowalska.pk), actor=w.worker
        ).exists()
    )


def test_persons_filter_by_district_and_scope(districts, login):
    w = districts
    person("Nieparzysta", street="ul. Webowa", building="7")
    person("Parzysta", street="ul. Webowa", building="8")
    person("Bezdomna")
    page = html(login(w.director).get("/persons/", {"district": w.one.pk}))
    assert "Nieparzysta" in page and "Parzysta" not in page.replace("Nieparzysta", "")
    page = html(login(w.director).get("/persons/", {"district": "none"}))
    assert "Bezdomna" in page and "Nieparzysta" not in page
    # a social worker sees their districts and the intake pool; another district is not offered
    page = html(login(w.worker1).get("/persons/"))
    assert "Nieparzysta" in page and "Bezdomna" in page and "Parzysta" not in page.replace("Nieparzysta", "")
    page = html(login(w.worker1).get("/persons/", {"district": w.two.pk}))
    assert field_errors(page, "district") and "Nieparzysta" not in page


def test_person_registered_and_invalid_pesel_shown_next_to_the_field(w, login):
    client = login(w.worker)
    data = {"first_name": "Jan", "last_name": "Błędny", "pesel": "12345678901", "citizenship": "PL"}
    page = html(client.post("/persons/new/", data))
    assert field_errors(page, "pesel") == "To nie jest prawidłowy numer PESEL."
    assert not in_torun(lambda: Person.objects.filter(last_name="Błędny").exists())
    data["pesel"] = make_pesel(date(1975, 3, 2), next(_serial), Sex.MALE)
    response = client.post("/persons/new/", data)
    created = in_torun(lambda: Person.objects.get(last_name="Błędny"))
    assert response.status_code == 302 and response["Location"] == f"/persons/{created.pk}/"
    assert created.sex == Sex.MALE and created.date_of_birth == date(1975, 3, 2)
    # without a PESEL: the date of birth and a document are asked for, next to their fields
    page = html(client.post("/persons/new/", {"first_name": "Olga", "last_name": "Obca", "citizenship": "UA"}))
    assert field_errors(page, "date_of_birth") and field_errors(page, "document_number")
    # a change goes through update_person
    response = client.post(f"/persons/{created.pk}/edit/", {**data, "phone": "600 100 200"})
    assert response.status_code == 302
    assert in_torun(lambda: Person.objects.get(pk=created.pk).phone) == "+48600100200"


# --- applications -------------------------------------------------------------------------------------


def test_register_application_with_the_social_worker_as_the_default_case_worker(w, login):
    someone = person("Wnioskowa", "Ewa")
    client = login(w.worker)
    page = html(client.get(f"/persons/{someone.pk}/"))
    assert f'href="/persons/{someone.pk}/apply/">Zarejestruj wniosek</a>' in page
    page = html(client.get(f"/persons/{someone.pk}/apply/"))
    assert f'<option value="{w.worker_profile.pk}" selected>' in page
    assert "Data wpływu" in page and "Pracownik prowadzący" in page and "Czego dotyczy wniosek" in page
    assert "(dane szczególnej kategorii)" in page  # special-category reasons are marked
    received = timezone.localdate() - timedelta(days=10)
    response = client.post(
        f"/persons/{someone.pk}/apply/",
        {
            "received_on": received.isoformat(),
            "submitted_by": "person",
            "reasons": ["ubostwo", "bezrobocie"],
            "description": "Zasiłek okresowy",
            "worker": str(w.worker_profile.pk),
        },
    )
    case = in_torun(lambda: Case.objects.get(person=someone))
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.worker_id == w.worker_profile.pk
    application_ = in_torun(lambda: Application.objects.get(case=case))
    assert application_.received_on == received and application_.description == "Zasiłek okresowy"
    assert set(in_torun(lambda: list(case.reasons.values_list("code", flat=True)))) == {"ubostwo", "bezrobocie"}
    page = html(client.get(response["Location"]))
    assert "Wniosek zarejestrowano" in page and "Wnioskowa" in page
    # the dashboard shows the new work as mine: the unassigned interview of my case
    assert "Wnioskowa" in html(client.get("/dashboard/"))
    # a further application joins the open case by default
    page = html(client.get(f"/persons/{someone.pk}/apply/"))
    assert f'<option value="{case.pk}" selected>' in page
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/persons/{someone.pk}/apply/", {"received_on": today, "submitted_by": "person", "case": str(case.pk)}
    )
    assert response["Location"] == f"/cases/{case.pk}/"
    assert in_torun(lambda: Application.objects.filter(case=case).count()) == 2


def test_invalid_application_shows_the_error_and_creates_nothing(w, login):
    someone = person("Przyszła")
    client = login(w.worker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = html(
        client.post(
            f"/persons/{someone.pk}/apply/",
            {"received_on": tomorrow.isoformat(), "submitted_by": "person", "worker": str(w.worker_profile.pk)},
        )
    )
    assert field_errors(page, "received_on") == "Data nie może być z przyszłości."
    page = html(client.post(f"/persons/{someone.pk}/apply/", {"received_on": "", "submitted_by": "person"}))
    assert field_errors(page, "received_on")
    assert not in_torun(lambda: Case.objects.filter(person=someone).exists())
    # the case worker must be a social worker: any other choice is refused next to the field
    director_profile = in_torun(lambda: StaffProfile.objects.get(user=w.director).pk)
    page = html(
        client.post(
            f"/persons/{someone.pk}/apply/",
            {"received_on": timezone.localdate().isoformat(), "submitted_by": "person", "worker": director_profile},
        )
    )
    assert field_errors(page, "worker")
    assert not in_torun(lambda: Case.objects.filter(person=someone).exists())


def test_roles_that_may_not_register_applications(w, login, client_for):
    someone = person("Urzędowa")
    for user in (w.clerk, w.auditor):
        page = html(login(user).get(f"/persons/{someone.pk}/"))
        assert "Zarejestruj wniosek" not in page
        assert login(user).get(f"/persons/{someone.pk}/apply/").status_code == 403
    assert login(w.coordinator).get("/persons/").status_code == 403
    assert login(w.coordinator).get(f"/persons/{someone.pk}/").status_code == 403
    response = login(w.auditor).post(
        f"/persons/{someone.pk}/apply/", {"received_on": timezone.localdate().isoformat(), "submitted_by": "person"}
    )
    assert response.status_code == 403 and not in_torun(lambda: Case.objects.filter(person=someone).exists())
    # anonymous: to the login page
    response = client_for("torun").get("/persons/")
    assert response.status_code == 302 and "/persons/" in response["Location"]


# --- cases ----------------------------------------------------------------------------------------------


def test_cases_list_filters_and_special_category_reasons(w, login):
    first = application(person("Pierwsza"), reasons=("bezrobocie",))
    application(person("Druga"), reasons=("ubostwo", "uzaleznienia"))
    in_torun(lambda: services.assign_case_worker(services.SYSTEM, first.case_id, w.worker_profile.pk))
    client = login(w.director)
    page = html(client.get("/cases/"))
    assert "Pierwsza" in page and "Druga" in page
    # the special-category reason is left out of the list unless asked for
    assert "alkoholizm" not in table(page) and "+1 powód szczególnej kategorii" in page
    assert "Druga" not in html(client.get("/cases/", {"reason": "bezrobocie"}))
    assert "Druga" not in html(client.get("/cases/", {"worker": w.worker_profile.pk}))
    assert "Pierwsza" not in html(client.get("/cases/", {"worker": "none"}))
    assert "Pierwsza" in html(client.get("/cases/", {"search": "pierw"}))
    assert "Pierwsza" in html(client.get("/cases/", {"status": "open"}))
    assert "Brak spraw spełniających kryteria." in html(client.get("/cases/", {"status": "closed"}))
    # filtering by a special-category reason needs the explicit choice; then it is audited
    before = in_torun(lambda: AuditEntry.objects.filter(action=AuditAction.READ_SENSITIVE).count())
    page = html(client.get("/cases/", {"reason": "uzaleznienia"}))
    assert "zaznacz „Uwzględnij" in field_errors(page, "reason") and "Druga" not in page
    page = html(client.get("/cases/", {"reason": "uzaleznienia", "include_sensitive": "on"}))
    assert "Druga" in page and "Pierwsza" not in page and "alkoholizm lub narkomania" in table(page)
    after = in_torun(lambda: AuditEntry.objects.filter(action=AuditAction.READ_SENSITIVE).count())
    assert after == before + 2  # the lookup and the case shown


def test_case_page_shows_the_whole_file(w, login):
    head = person("Główna", "Maria")
    child = person("Główna", "Ola", pesel=make_pesel(date(2015, 1, 9), next(_serial), Sex.FEMALE))
    with schema_context("torun"):
        services.create_household(
            services.SYSTEM,
            head.pk,
            head_income=1200,
            head_income_sources="wynagrodzenie",
            members=[{"person_id": child.pk, "relation": "child", "monthly_income": 0}],
        )
    submitted = application(head, reasons=("ubostwo", "przemoc-domowa"))
    with schema_context("torun"):
        services.add_case_note(services.SYSTEM, submitted.case_id, text="Rozmowa telefoniczna z klientką.")
    page = html(login(w.worker).get(f"/cases/{submitted.case_id}/"))
    for text in ("Główna", "Ola", "wynagrodzenie", "1200,00 zł", "600,00 zł", "ubóstwo", "przemoc domowa"):
        assert text in page, text
    assert "Rozmowa telefoniczna z klientką." in page, page
    assert "nieprzydzielon" in page
    assert "Zarejestruj wniosek" in page and f"/cases/{submitted.case_id}/note/" in page
    assert "Historia zmian" not in page  # the audit trail is the directors'
    with schema_context("torun"):
        reads = AuditEntry.objects.filter(actor=w.worker)
        assert reads.filter(action=AuditAction.READ, object_type="cases.case").exists()
        assert reads.filter(action=AuditAction.READ_SENSITIVE, object_type="cases.case").exists()
        assert reads.filter(action=AuditAction.READ, object_type="cases.person", object_id=str(child.pk)).exists()


def test_case_of_another_district_is_refused_and_another_centers_case_is_not_found(districts, login, slupsk):
    w = districts
    theirs = application(person("Parzysta", street="ul. Webowa", building="8"))
    response = login(w.worker1).get(f"/cases/{theirs.case_id}/")
    assert response.status_code == 403 and "Parzysta" not in response.content.decode()
    assert login(w.worker1).get(f"/cases/{theirs.case_id}/note/").status_code == 403
    assert login(w.worker2).get(f"/cases/{theirs.case_id}/").status_code == 200
    # a case of Słupsk asked for on Toruń's host: not found (Toruń has no case of that number)
    stranger = application(person("Słupska", slug="slupsk"), slug="slupsk")
    assert not in_torun(lambda: Case.objects.filter(pk=stranger.case_id).exists())
    response = login(w.director).get(f"/cases/{stranger.case_id}/")
    assert response.status_code == 404 and "Słupska" not in response.content.decode()


def test_auditor_reads_without_any_form(w, login):
    submitted = application(person("Czytana"))
    client = login(w.auditor)
    page = html(client.get(f"/cases/{submitted.case_id}/"))
    assert "Czytana" in page
    assert '<form method="post"' not in page.split('<main id="main"')[1]
    for action in ("note", "decision", "documents/new", "worker", "close"):
        assert f"/cases/{submitted.case_id}/{action}/" not in page
        assert client.get(f"/cases/{submitted.case_id}/{action}/").status_code == 403
    response = client.post(f"/cases/{submitted.case_id}/note/", {"kind": "note", "text": "x"})
    assert response.status_code == 403 and not in_torun(lambda: CaseNote.objects.exists())


def test_audit_trail_for_directors_only(w, login):
    submitted = application(person("Śledzona"))
    with schema_context("torun"):
        services.add_case_note(w.director, submitted.case_id, text="Notatka dyrektora")
    page = html(login(w.director).get(f"/cases/{submitted.case_id}/"))
    assert "Historia zmian" in page and "Web-Dyrektor Webowa" in page.split("Historia zmian")[1]
    page = html(login(w.director).get(f"/cases/{submitted.case_id}/audit/"))
    assert "Notatka" in page or "utworzono" in page
    assert "Historia zmian" not in html(login(w.worker).get(f"/cases/{submitted.case_id}/"))
    assert "Historia zmian" not in html(login(w.auditor).get(f"/cases/{submitted.case_id}/"))
    assert login(w.worker).get(f"/cases/{submitted.case_id}/audit/").status_code == 403
    assert login(w.auditor).get(f"/cases/{submitted.case_id}/audit/").status_code == 403


# --- case actions ------------------------------------------------------------------------------------


def test_interview_assigned_and_recorded_then_a_decision_issued(w, login):
    submitted = application(person("Decyzyjna"))
    case_id = submitted.case_id
    interview = in_torun(lambda: Interview.objects.get(case_id=case_id))
    client = login(w.worker)
    url = f"/cases/{case_id}/interview/{interview.pk}/"
    page = html(client.get(url))
    assert "Najpierw przydziel wywiad" in page
    response = client.post(
        url, {"form": "assign", "assign-worker": w.worker_profile.pk, "assign-assigned_on": date.today().isoformat()}
    )
    assert response.status_code == 302 and response["Location"] == url
    page = html(client.post(url, {"form": "record", "record-conducted_on": date.today().isoformat()}))
    assert field_errors(page, "record-findings")
    response = client.post(
        url,
        {"form": "record", "record-conducted_on": date.today().isoformat(), "record-findings": "Trudna sytuacja."},
    )
    assert response.status_code == 302
    assert in_torun(lambda: Interview.objects.get(pk=interview.pk).status) == "conducted"
    assert in_torun(lambda: Case.objects.get(pk=case_id).status) == "decision"
    # an interview of another case under this case's address is not found
    other = application(person("Inna"))
    other_interview = in_torun(lambda: Interview.objects.get(case_id=other.case_id))
    assert client.get(f"/cases/{case_id}/interview/{other_interview.pk}/").status_code == 404

    decision_url = f"/cases/{case_id}/decision/"
    posilek = in_torun(lambda: services._form("posilek").pk)
    base = {"kind": "grant", "period_start": date.today().isoformat(), "issued_on": date.today().isoformat()}
    page = html(client.post(decision_url, base))
    assert field_errors(page, "form")
    page = html(client.post(decision_url, {**base, "form": posilek, "amount": "100"}))
    assert field_errors(page, "amount")  # meals are not paid in money
    assert not in_torun(lambda: Decision.objects.exists())
    response = client.post(decision_url, {**base, "form": posilek})
    assert response.status_code == 302
    decision = in_torun(lambda: Decision.objects.get(case_id=case_id))
    assert decision.kind == "grant" and in_torun(lambda: Case.objects.get(pk=case_id).status) == "active_help"


def test_note_added_and_case_closed(w, login):
    submitted = application(person("Notowana"))
    client = login(w.worker)
    page = html(client.post(f"/cases/{submitted.case_id}/note/", {"kind": "call", "happened_on": "", "text": ""}))
    assert field_errors(page, "text") and not in_torun(lambda: CaseNote.objects.exists())
    response = client.post(
        f"/cases/{submitted.case_id}/note/",
        {"kind": "call", "happened_on": date.today().isoformat(), "text": "Telefon od córki."},
    )
    assert response.status_code == 302
    page = html(client.get(f"/cases/{submitted.case_id}/"))
    assert "Telefon od córki." in page and "Dodano notatkę." in page
    page = html(client.post(f"/cases/{submitted.case_id}/close/", {"on": date.today().isoformat()}))
    assert field_errors(page, "reason")
    response = client.post(
        f"/cases/{submitted.case_id}/close/", {"reason": "withdrawn", "on": date.today().isoformat()}
    )
    assert response.status_code == 302 and in_torun(lambda: Case.objects.get(pk=submitted.case_id).status) == "closed"
    assert "/reopen/" in html(client.get(f"/cases/{submitted.case_id}/"))


# --- documents -----------------------------------------------------------------------------------------


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert not storage.is_s3()
    return tmp_path


def _upload(name, data, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_document_uploaded_downloaded_and_a_wrong_type_refused(w, login, local_storage):
    submitted = application(person("Dokumentowa"))
    client = login(w.worker)
    url = f"/cases/{submitted.case_id}/documents/new/"
    assert "Plik" in html(client.get(url))
    page = html(client.post(url, {"file": _upload("notatka.txt", b"just text", "text/plain"), "title": "x"}))
    assert "PDF, JPEG, PNG, TIFF, DOCX lub ODT" in field_errors(page, "file")
    page = html(client.post(url, {"file": _upload("udaje.pdf", PNG, "application/pdf")}))
    assert field_errors(page, "file")  # the content is not a PDF: the signature is checked
    assert not in_torun(lambda: Document.objects.exists())

    response = client.post(url, {"file": _upload("Wniosek.pdf", PDF, "application/pdf"), "title": "Wniosek"})
    assert response.status_code == 302
    document = in_torun(lambda: Document.objects.get(case_id=submitted.case_id))
    assert document.state == DocumentState.AVAILABLE and document.original_name == "Wniosek.pdf"
    assert (local_storage / document.key).read_bytes() == PDF
    page = html(client.get(f"/cases/{submitted.case_id}/"))
    assert f"/documents/{document.pk}/download/" in page and "Wniosek" in page
    response = client.get(f"/documents/{document.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/files/")
    assert in_torun(
        lambda: AuditEntry.objects.filter(
            action=AuditAction.READ, object_type="documents.document", object_id=str(document.pk)
        ).exists()
    )
    # the auditor may download but not delete
    assert login(w.auditor).get(f"/documents/{document.pk}/download/").status_code == 302
    assert login(w.auditor).post(f"/documents/{document.pk}/delete/").status_code == 403
    response = client.post(f"/documents/{document.pk}/delete/", {"next": f"/cases/{submitted.case_id}/"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{submitted.case_id}/"
    assert not in_torun(lambda: Document.objects.exists())


# --- households and districts ----------------------------------------------------------------------


def test_household_recorded_with_members_and_income(w, login):
    head = person("Rodzinna", "Anna")
    child = person("Rodzinna", "Zuzia", pesel=make_pesel(date(2016, 4, 3), next(_serial), Sex.FEMALE))
    client = login(w.worker)
    url = f"/persons/{head.pk}/household/"
    assert "Zapisz gospodarstwo" in html(client.get(url))
    page = html(client.post(url, {"form": "create", "create-head_income": "-5"}))
    assert field_errors(page, "create-head_income")
    response = client.post(url, {"form": "create", "create-head_income": "1500", "create-head_income_sources": "praca"})
    assert response.status_code == 302
    page = html(
        client.post(
            url, {"form": "add", "add-pesel": "99999999999", "add-relation": "child", "add-monthly_income": "0"}
        )
    )
    assert field_errors(page, "add-pesel")
    response = client.post(
        url, {"form": "add", "add-pesel": child.pesel, "add-relation": "child", "add-monthly_income": "0"}
    )
    assert response.status_code == 302
    page = html(client.get(url))
    assert "Zuzia" in page and "750,00 zł" in page  # 1500 zł for two persons
    member = in_torun(lambda: child.household_membership)
    response = client.post(url, {"form": "income", "member": member.pk, f"m{member.pk}-monthly_income": "500"})
    assert response.status_code == 302 and in_torun(lambda: services.household_income(member.household).total) == 2000
    response = client.post(url, {"form": "remove", "member": member.pk})
    assert response.status_code == 302
    assert in_torun(lambda: services.household_income(member.household).size) == 1
    # read-only roles cannot open it
    assert login(w.auditor).get(url).status_code == 403


def test_district_set_by_hand_then_a_case_worker_of_that_district(districts, login):
    w = districts
    homeless = person("Bezdomny", "Adam")
    url = f"/persons/{homeless.pk}/district/"
    client = login(w.director)
    page = html(client.get(f"/persons/{homeless.pk}/apply/"))
    assert "nie ma rejonu" in page
    page = html(client.post(url, {"district": w.one.pk, "reason": ""}))
    assert field_errors(page, "reason") and in_torun(lambda: Person.objects.get(pk=homeless.pk).district_id) is None
    response = client.post(url, {"district": w.one.pk, "reason": "Osoba w kryzysie bezdomności"})
    assert response.status_code == 302
    assert in_torun(lambda: Person.objects.get(pk=homeless.pk).district_id) == w.one.pk
    worker1 = in_torun(lambda: StaffProfile.objects.get(user=w.worker1))
    page = html(login(w.worker1).get(f"/persons/{homeless.pk}/apply/"))
    assert f'<option value="{worker1.pk}" selected>' in page
    # worker2 works in the other district: the person is no longer theirs
    assert login(w.worker2).get(f"/persons/{homeless.pk}/").status_code == 403


def test_notice_of_delay_recorded_for_an_undecided_application(w, login):
    submitted = application(person("Zwłoczna"))
    url = f"/cases/{submitted.case_id}/applications/{submitted.pk}/delay/"
    client = login(w.worker)
    assert url in html(client.get(f"/cases/{submitted.case_id}/"))
    early = submitted.decision_due_on.isoformat()
    page = html(client.post(url, {"reason": "Oczekiwanie na dokumenty", "new_due_on": early, "notified_on": ""}))
    assert field_errors(page, "notified_on")
    page = html(client.post(url, {"reason": "Oczekiwanie na dokumenty", "new_due_on": early, "notified_on": early}))
    assert field_errors(page, "new_due_on")  # the new date must be after the due date
    later = (submitted.decision_due_on + timedelta(days=14)).isoformat()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"reason": "Oczekiwanie na dokumenty", "new_due_on": later, "notified_on": today})
    assert response.status_code == 302
    assert "Oczekiwanie na dokumenty" in html(client.get(f"/cases/{submitted.case_id}/"))
