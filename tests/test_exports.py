"""Exports (issue #5): the case list (scoped like the `cases` list), the MRPiPS-03-like half-year table, the
foster-care register and project participants as CSV, XLSX and PDF, built by a task (eagerly here, once with a real
worker), stored under centers/<schema>/exports/, downloaded through a presigned link over HTTP (moto's threaded
server, SSE), only by the requester; purged after the retention period."""

import csv
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import openpyxl
import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context
from test_celery import (  # noqa: F401 (fixtures)
    _demo_centers_after_this_module,
    celery_worker,
    committed_centers,
    eager,
    wait_for,
)
from test_documents import BUCKET, _missing, moto_endpoint, s3  # noqa: F401 (fixtures)
from test_graphql_cases import person, staff, torun_id, world

from ostoja.graphql.core.ids import parse_global_id
from ostoja.modules.cases.models import Case, CaseReason, Decision, FormOfHelp, HelpReason, Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.foster_care.models import FamilyKind, FosterChild, FosterFamily, Placement
from ostoja.modules.projects.models import CenterRole, LabourMarketStatus, Participant, Project, ProjectStatus
from ostoja.platform import storage
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.exports import formats, services
from ostoja.platform.exports.models import Export, ExportStatus
from ostoja.platform.exports.tasks import build_export, purge_expired_exports
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

_serial = count(500)
ERR = "errors { field code message }"
REQUEST = f"""mutation($kind: ExportKind!, $format: ExportFormat!, $cases: CaseExportFilter,
                     $halfYear: HalfYearInput, $fosterCare: FosterCareExportFilter,
                     $participants: ParticipantExportFilter) {{
  requestExport(kind: $kind, format: $format, cases: $cases, halfYear: $halfYear, fosterCare: $fosterCare,
                participants: $participants) {{
    export {{ id kind format status fileName isMine }} {ERR} }}
}}"""
LIST = "{ exports(first: 20) { totalCount edges { node { id kind status rowCount size requestedByName isMine } } } }"
LINK = "query($id: ID!) { exportDownloadUrl(id: $id) { url expiresAt } }"
NODE = "query($id: ID!) { node(id: $id) { ... on Export { id status rowCount } } }"


# --- the world --------------------------------------------------------------------------------------


@pytest.fixture
def local(settings, tmp_path):
    """The local folder as the default storage (a folder of this test)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert not storage.is_s3()
    return tmp_path


@pytest.fixture
def w(torun):
    w = world()
    w.odd = person(w.director, "Żółkiewska", "7")  # district I: worker1's
    w.even = person(w.director, "Parzysta", "8")  # district II: worker2's
    w.pool = person(w.director, "Bezdomna", street="", building="", date_of_birth=None)  # the intake pool
    with schema_context("torun"):
        for who in (w.odd, w.even, w.pool):
            case = Case.objects.create(person=who, opened_on=date(2024, 2, 1), status="active_help")
            CaseReason.objects.create(
                case=case, reason=HelpReason.objects.get(code="ubostwo"), noted_on=date(2024, 2, 1)
            )
    return w


def request(client, kind, fmt, **filters):
    payload = client.mutate(REQUEST, {"kind": kind, "format": fmt, **filters})
    return payload


def requested(client, capture, kind, fmt, **filters) -> dict:
    """Request an export eagerly built after the commit; its payload's export."""
    with capture(execute=True):
        payload = request(client, kind, fmt, **filters)
    assert payload["errors"] == [], payload["errors"]
    return payload["export"]


def pk_of(gid) -> int:
    return parse_global_id(gid)[2]


def built(gid) -> Export:
    with schema_context("torun"):
        export = Export.objects.get(pk=pk_of(gid))
    assert export.status == ExportStatus.READY, export.error
    return export


def content(export: Export) -> bytes:
    with schema_context("torun"):
        return storage.read(export.key)


def pl(text) -> str:
    """A header or label as a Polish export shows it (the request's language, Polish by default)."""
    with translation.override("pl"):
        return str(gettext(text) if isinstance(text, str) else text)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: spreadsheet programs read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- the case list ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("eager")
def test_case_list_in_each_format_is_scoped_like_the_cases_list(
    local,
    w,
    gql,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    mine = requested(gql("torun", user=w.worker1), capture, "CASES", "CSV")
    assert mine["status"] == "PENDING" and mine["kind"] == "CASES" and mine["isMine"]
    export = built(mine["id"])
    assert export.key == f"centers/torun/exports/{export.uuid.hex}.csv"
    rows = csv_rows(content(export))
    assert rows[0][:3] == [pl("Last name"), pl("First name"), pl("PESEL")]
    # worker1: district I and the intake pool, never district II
    assert [r[0] for r in rows[1:]] == ["Bezdomna", "Żółkiewska"] and export.row_count == 2
    assert rows[2][3] == "Rejon I (gql)" and rows[2][5] == "2024-02-01" and "ubóstwo" in rows[2][8].lower()
    assert export.size == len(content(export)) and export.expires_at - export.finished_at == services.retention()

    everything = built(requested(gql("torun", user=w.director), capture, "CASES", "XLSX")["id"])
    rows = xlsx_rows(content(everything))
    assert [r[0] for r in rows[1:]] == ["Bezdomna", "Parzysta", "Żółkiewska"]
    assert rows[3][5].date() == date(2024, 2, 1)  # a real date cell

    district = torun_id("District", w.two.pk)
    only_two = requested(gql("torun", user=w.director), capture, "CASES", "PDF", cases={"districtId": district})
    pdf = content(built(only_two["id"]))
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf  # a font with Polish letters is embedded
    assert built(only_two["id"]).row_count == 1

    # a social worker asking for another district's cases is refused at the request: nothing is created
    refused = request(gql("torun", user=w.worker1), "CASES", "CSV", cases={"districtId": district})
    assert [e["code"] for e in refused["errors"]] == ["OTHER_DISTRICT"] and refused["export"] is None
    with schema_context("torun"):
        assert Export.objects.count() == 3
        created = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="exports.export")
        assert created.count() == 3


def test_filters_and_refusals_at_the_request(local, w, gql, codes, django_capture_on_commit_callbacks):
    client = gql("torun", user=w.worker1)
    assert codes(request(client, "MRPIPS", "CSV", halfYear={"year": 2024, "half": 1})) == ["ROLE_REQUIRED"]
    assert codes(request(client, "FOSTER_CARE", "CSV")) == ["ROLE_REQUIRED"]
    assert codes(request(client, "PARTICIPANTS", "CSV")) == ["ROLE_REQUIRED"]
    director = gql("torun", user=w.director)
    assert codes(request(director, "MRPIPS", "CSV")) == ["REQUIRED"]
    assert codes(request(director, "MRPIPS", "CSV", halfYear={"year": 2024, "half": 3})) == ["INVALID_PERIOD"]
    assert codes(request(director, "CASES", "CSV", halfYear={"year": 2024, "half": 1})) == ["WRONG_FILTERS"]
    reversed_period = {"openedFrom": "2024-05-01", "openedTo": "2024-01-01"}
    assert codes(request(director, "CASES", "CSV", cases=reversed_period)) == ["PERIOD_REVERSED"]
    assert codes(gql("torun").mutate(REQUEST, {"kind": "CASES", "format": "CSV"})) == ["NOT_AUTHENTICATED"]
    with schema_context("torun"):
        assert not Export.objects.exists()


# --- MRPiPS-03 --------------------------------------------------------------------------------------


def families(reason_code, n, *, opened_on=date(2024, 2, 1), form=None):
    with schema_context("torun"):
        reason = HelpReason.objects.get(code=reason_code)
        for _ in range(n):
            who = Person.objects.create(
                first_name="Osoba", last_name=f"Sprawozdawcza{next(_serial)}", sex="F", date_of_birth=date(1980, 1, 1)
            )
            case = Case.objects.create(person=who, opened_on=opened_on, status="active_help")
            CaseReason.objects.create(case=case, reason=reason, noted_on=opened_on)
            if form:
                Decision.objects.create(
                    case=case,
                    kind="grant",
                    form=FormOfHelp.objects.get(code=form),
                    amount=Decimal("120.50"),
                    period_start=opened_on,
                    issued_on=opened_on,
                )


@pytest.mark.usefixtures("eager")
def test_mrpips_half_year_table_as_xlsx_and_csv(local, w, gql, django_capture_on_commit_callbacks):
    families("bezrobocie", 4, form="zasilek-celowy")
    families("bezrobocie", 1, opened_on=date(2024, 8, 1))  # the second half-year: not counted
    capture = django_capture_on_commit_callbacks
    half = {"year": 2024, "half": 1}
    export = built(requested(gql("torun", user=w.director), capture, "MRPIPS", "XLSX", halfYear=half)["id"])
    rows = xlsx_rows(content(export))
    assert rows[0] == [pl("Section"), pl("Code"), pl("Name"), pl("Families"), pl("Persons in families")]
    by_code = {(r[0], r[1]): r[3:] for r in rows[1:]}
    reason = pl("Reason for help (art. 7)")
    assert by_code[(reason, "ubostwo")] == [3, 3]  # the three cases of the world
    assert by_code[(reason, "bezrobocie")] == [4, 4]
    assert by_code[(pl("Form of help"), "zasilek-celowy")] == [4, 4]
    with schema_context("torun"):
        assert export.row_count == HelpReason.objects.count() + FormOfHelp.objects.count()
    assert services.file_name(export).startswith("mrpips-03-2024-H1-")

    auditor = gql("torun", user=w.auditor)  # read-only: may export the statistics too
    as_csv = built(requested(auditor, capture, "MRPIPS", "CSV", halfYear=half)["id"])
    csv_by_code = {(r[0], r[1]): r[3:] for r in csv_rows(content(as_csv))[1:]}
    assert csv_by_code[(reason, "bezrobocie")] == ["4", "4"]


# --- foster care and projects -----------------------------------------------------------------------


@pytest.mark.usefixtures("eager")
def test_foster_care_register_with_placement_family_and_coordinator(
    local,
    w,
    gql,
    django_capture_on_commit_callbacks,
):
    coordinator = staff("torun", "koordynatorka-pz", Role.FOSTER_CARE_COORDINATOR)
    with schema_context("torun"):
        coordinator.first_name, coordinator.last_name = "Jolanta", "Łęcka"
        coordinator.save()
        family = FosterFamily.objects.create(
            name="Rodzina Wąsowiczów",
            kind=FamilyKind.PROFESSIONAL,
            coordinator=StaffProfile.objects.get(user=coordinator),
        )
        born = date(2015, 3, 4)
        child = FosterChild.objects.create(
            person=Person.objects.create(
                first_name="Łucja", last_name="Ćwik", sex=Sex.FEMALE, date_of_birth=born, pesel=make_pesel(born, 7, "F")
            )
        )
        Placement.objects.create(
            child=child, family=family, start_on=date(2025, 1, 10), court_order_reference="III Nsm 1/25", reason="-"
        )
        FosterChild.objects.create(  # left care: not in the default register
            person=Person.objects.create(
                first_name="Adam", last_name="Wyszedł", sex=Sex.MALE, date_of_birth=date(2008, 1, 1)
            ),
            status=FosterChild.Status.LEFT_CARE,
        )
    capture = django_capture_on_commit_callbacks
    client = gql("torun", user=coordinator)
    rows = csv_rows(content(built(requested(client, capture, "FOSTER_CARE", "CSV")["id"])))
    assert len(rows) == 2
    assert rows[1][:3] == ["Ćwik", "Łucja", "2015-03-04"] and rows[1][4] == "2025-01-10"
    assert rows[1][6:9] == ["Rodzina Wąsowiczów", pl(FamilyKind.PROFESSIONAL.label), "Jolanta Łęcka"]
    pdf = content(built(requested(client, capture, "FOSTER_CARE", "PDF")["id"]))
    assert pdf.startswith(b"%PDF-")
    left = requested(client, capture, "FOSTER_CARE", "XLSX", fosterCare={"status": "LEFT_CARE"})
    assert [r[0] for r in xlsx_rows(content(built(left["id"])))[1:]] == ["Wyszedł"]


@pytest.mark.usefixtures("eager")
def test_project_participants_and_their_reads_audited(local, w, gql, django_capture_on_commit_callbacks):
    coordinator = staff("torun", "koordynator-projektu", Role.PROJECT_COORDINATOR)
    with schema_context("torun"):
        project = Project.objects.create(
            code="aktywni", title_pl="Aktywni razem", center_role=CenterRole.LEAD, status=ProjectStatus.RUNNING
        )
        Participant.objects.create(
            project=project,
            person=w.odd,
            enrolled_on=date(2025, 2, 1),
            sex=Sex.FEMALE,
            age_at_enrolment=44,
            labour_market_status=LabourMarketStatus.EMPLOYED,
        )
    export = built(
        requested(gql("torun", user=coordinator), django_capture_on_commit_callbacks, "PARTICIPANTS", "XLSX")["id"]
    )
    rows = xlsx_rows(content(export))
    assert rows[1][:3] == ["aktywni", "Żółkiewska", "Zofia"] and rows[1][5] == 44
    with schema_context("torun"):
        reads = AuditEntry.objects.filter(action=AuditAction.READ, object_type="cases.person", object_id=str(w.odd.pk))
        assert reads.filter(message__contains="aktywni").count() == 1


# --- who sees what ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("eager")
def test_only_your_exports_a_director_sees_all_and_only_the_requester_downloads(
    local,
    w,
    gql,
    codes,
    slupsk,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    worker_export = requested(gql("torun", user=w.worker1), capture, "CASES", "CSV")
    director_export = requested(gql("torun", user=w.director), capture, "CASES", "CSV")

    listed = gql("torun", user=w.worker1).data(LIST)["exports"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["id"] == worker_export["id"]
    assert listed["edges"][0]["node"]["status"] == "READY" and listed["edges"][0]["node"]["rowCount"] == 2
    everything = gql("torun", user=w.director).data(LIST)["exports"]
    assert everything["totalCount"] == 2
    assert [e["node"]["isMine"] for e in everything["edges"]] == [True, False]
    assert everything["edges"][1]["node"]["requestedByName"] == "Pracownik1 Test"

    # another user's export: not found (list, node, link)
    body = gql("torun", user=w.worker2)(LINK, {"id": worker_export["id"]})
    assert codes(body) == ["export_not_found"] and body["data"]["exportDownloadUrl"] is None
    assert gql("torun", user=w.worker2)(NODE, {"id": worker_export["id"]})["data"]["node"] is None
    assert gql("torun", user=w.worker2).data(LIST)["exports"]["totalCount"] == 0
    # the director sees it but it is the requester's file
    assert codes(gql("torun", user=w.director)(LINK, {"id": worker_export["id"]})) == ["not_requester"]
    # a foreign center: Słupsk's director with Toruń's ID, and the same pk with a Słupsk ID
    slupsk_director = staff("slupsk", "dyrektor-eksport", Role.DIRECTOR)
    assert codes(gql("slupsk", user=slupsk_director)(LINK, {"id": director_export["id"]})) == ["not_found"]
    with schema_context("slupsk"):
        from ostoja.graphql.core.ids import to_global_id

        same_pk = to_global_id("Export", pk_of(director_export["id"]))
    assert codes(gql("slupsk", user=slupsk_director)(LINK, {"id": same_pk})) == ["export_not_found"]

    # the requester downloads (a local signed link here), audited
    link = gql("torun", user=w.worker1).data(LINK, {"id": worker_export["id"]})["exportDownloadUrl"]
    assert link["url"].startswith("http://torun.localhost/")
    with schema_context("torun"):
        reads = AuditEntry.objects.filter(action=AuditAction.READ, object_type="exports.export", actor=w.worker1)
        assert reads.filter(message__startswith="download link").count() == 1
    # a requester who lost the role loses the file too
    with schema_context("torun"):
        StaffProfile.objects.filter(user=w.worker1).update(roles=[Role.PROJECT_COORDINATOR])
    assert codes(gql("torun", user=w.worker1)(LINK, {"id": worker_export["id"]})) == ["role_required"]


@pytest.mark.usefixtures("eager")
def test_a_second_delivery_of_the_build_does_nothing_and_a_pdf_has_a_row_limit(
    local,
    w,
    gql,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    gid = requested(gql("torun", user=w.director), django_capture_on_commit_callbacks, "CASES", "CSV")["id"]
    export = built(gid)
    with schema_context("torun"):
        entries = AuditEntry.objects.count()
        assert build_export.delay(export.pk).get() == "ready"
        assert AuditEntry.objects.count() == entries
        again = Export.objects.get(pk=export.pk)
    assert (again.finished_at, again.size) == (export.finished_at, export.size)

    monkeypatch.setattr(services, "MAX_PDF_ROWS", 2)
    gid = requested(gql("torun", user=w.director), django_capture_on_commit_callbacks, "CASES", "PDF")["id"]
    with schema_context("torun"):
        failed = Export.objects.get(pk=pk_of(gid))
    assert failed.status == ExportStatus.FAILED and "2" in failed.error and failed.size is None
    assert failed.error_code == "too_many_rows" and failed.scope is None
    with schema_context("torun"):
        assert storage.head(failed.key) is None


@pytest.mark.usefixtures("eager")
def test_a_download_is_refused_when_the_requesters_districts_no_longer_cover_the_file(
    local,
    w,
    gql,
    codes,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    client = gql("torun", user=w.worker2)
    gid = requested(client, capture, "CASES", "CSV")["id"]
    assert built(gid).scope == [w.two.pk]
    # a district more, the same district: still allowed
    with schema_context("torun"):
        profile = StaffProfile.objects.get(user=w.worker2)
        profile.districts.add(w.one)
    assert client.data(LINK, {"id": gid})["exportDownloadUrl"]["url"]
    # district II taken away: the file holds its people, so it is refused (and the refusal is no download)
    with schema_context("torun"):
        profile.districts.remove(w.two)
    body = client(LINK, {"id": gid})
    assert codes(body) == ["scope_changed"] and body["data"]["exportDownloadUrl"] is None
    # district II given back: allowed again
    with schema_context("torun"):
        profile.districts.add(w.two)
    assert client.data(LINK, {"id": gid})["exportDownloadUrl"]["url"]
    with schema_context("torun"):
        reads = AuditEntry.objects.filter(action=AuditAction.READ, object_type="exports.export", actor=w.worker2)
        assert reads.filter(message__startswith="download link").count() == 2

    # a director's file was built with every district; a file of unknown scope (built before scopes were stored)
    # is downloadable only by someone who reaches every district
    director_gid = requested(gql("torun", user=w.director), capture, "CASES", "XLSX")["id"]
    assert built(director_gid).scope == services.ALL_DISTRICTS
    assert gql("torun", user=w.director).data(LINK, {"id": director_gid})["exportDownloadUrl"]["url"]
    with schema_context("torun"):
        Export.objects.filter(pk=pk_of(gid)).update(scope=None)
    assert codes(client(LINK, {"id": gid})) == ["scope_changed"]
    assert services.scope_covers(services.ALL_DISTRICTS, None) and not services.scope_covers([1, 2], "all")


@pytest.mark.usefixtures("eager")
def test_odd_names_export_and_formulas_stay_text(local, w, gql, django_capture_on_commit_callbacks):
    with schema_context("torun"):
        for last_name in ("Nowak\x0bKowalska", '=HYPERLINK("http://evil.example","Kliknij")', "@SUM(A1)", "-2+3"):
            who = Person.objects.create(first_name="Anna", last_name=last_name, sex="F", date_of_birth=date(1980, 1, 1))
            Case.objects.create(person=who, opened_on=date(2024, 2, 1), status="active_help")
    director = gql("torun", user=w.director)
    expected = {"NowakKowalska", '\'=HYPERLINK("http://evil.example","Kliknij")', "'@SUM(A1)", "'-2+3"}

    xlsx = built(requested(director, django_capture_on_commit_callbacks, "CASES", "XLSX")["id"])
    names = {row[0] for row in xlsx_rows(content(xlsx))[1:]}
    assert expected <= names  # the vertical tab XLSX refuses is dropped: one odd name no longer breaks the file
    sheet = openpyxl.load_workbook(io.BytesIO(content(xlsx))).worksheets[0]
    cells = [c for c in sheet["A"] if str(c.value).startswith("'=HYPERLINK")]
    assert len(cells) == 1 and cells[0].data_type == "s"  # text, not a formula

    rows = csv_rows(content(built(requested(director, django_capture_on_commit_callbacks, "CASES", "CSV")["id"])))
    assert expected <= {row[0] for row in rows[1:]}
    pdf = built(requested(director, django_capture_on_commit_callbacks, "CASES", "PDF")["id"])
    assert pdf.row_count == 7  # the PDF is written too (no apostrophes there: it runs no formulas)
    assert formats.text("=1+1", spreadsheet=False) == "=1+1" and formats.text("a\x00b") == "ab"
    assert formats.cell(-5) == -5 and formats.cell(date(2024, 1, 1)) == date(2024, 1, 1)  # numbers stay numbers


@pytest.mark.usefixtures("eager")
def test_an_unexpected_build_error_leaves_no_personal_data_on_the_export(
    local,
    w,
    gql,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from ostoja.platform.jobs.models import FailedTask

    def broken(table, fmt):
        raise RuntimeError("cannot write Żółkiewska 80051712345")

    monkeypatch.setattr(formats, "write", broken)
    gid = requested(gql("torun", user=w.director), django_capture_on_commit_callbacks, "CASES", "CSV")["id"]
    with schema_context("torun"):
        failed = Export.objects.get(pk=pk_of(gid))
    assert failed.status == ExportStatus.FAILED and failed.error_code == "internal_error"
    assert "80051712345" not in failed.error and "Żółkiewska" not in failed.error
    assert failed.error == pl("The export could not be built because of an unexpected error; ask for it again later.")
    with schema_context("public"):
        dead = list(FailedTask.objects.filter(task_name="exports.build"))
    assert len(dead) == 1 and dead[0].exception_class == "builtins.RuntimeError"
    assert "80051712345" not in dead[0].exception_message and "Żółkiewska" not in dead[0].exception_message


# --- S3: presigned download over HTTP, purge ------------------------------------------------------------


@pytest.mark.usefixtures("eager")
def test_presigned_download_over_http_with_sse_and_the_purge(
    s3,  # noqa: F811
    w,
    gql,
    codes,
    django_capture_on_commit_callbacks,
):
    client = gql("torun", user=w.worker1)
    gid = requested(client, django_capture_on_commit_callbacks, "CASES", "XLSX")["id"]
    export = built(gid)
    head = s3.head_object(Bucket=BUCKET, Key=export.key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == formats.CONTENT_TYPES["xlsx"] and head["ContentLength"] == export.size

    link = client.data(LINK, {"id": gid})["exportDownloadUrl"]
    assert f"/{BUCKET}/centers/torun/exports/" in link["url"] and "X-Amz-Expires=" in link["url"]
    response = requests.get(link["url"], timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"] == formats.CONTENT_TYPES["xlsx"]
    assert response.headers["Content-Disposition"].startswith('attachment; filename="cases-')
    assert [r[0] for r in xlsx_rows(response.content)[1:]] == ["Bezdomna", "Żółkiewska"]

    # the retention period: not yet, then the file goes and the export is expired (a second purge: nothing)
    with schema_context("torun"):
        assert services.purge_expired(now=export.expires_at - timedelta(seconds=1)) == 0
        assert not _missing(s3, export.key)
        assert services.purge_expired(now=export.expires_at + timedelta(seconds=1)) == 1
        assert services.purge_expired(now=export.expires_at + timedelta(days=1)) == 0
        assert Export.objects.get(pk=export.pk).status == ExportStatus.EXPIRED
    assert _missing(s3, export.key)
    assert codes(client(LINK, {"id": gid})) == ["export_expired"]


@pytest.mark.usefixtures("eager")
def test_the_daily_purge_task_is_scheduled_per_center(local, w):
    from ostoja.platform.celery_app import app

    entry = app.conf.beat_schedule["exports.purge"]
    assert entry["tenant_schemas"] is None and entry["schedule"].hour == {3} and entry["schedule"].minute == {0}
    with schema_context("torun"):
        export = Export.objects.create(kind="cases", format="csv", status=ExportStatus.READY, requested_by=w.director)
        export.key = storage.center_key("exports", f"{export.uuid.hex}.csv")
        storage.save(export.key, b"a,b\n", "text/csv")
        Export.objects.filter(pk=export.pk).update(key=export.key, expires_at=export.created_at - timedelta(hours=1))
        assert purge_expired_exports.delay().get() == 1
        assert storage.head(export.key) is None


# --- a real worker ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_export(committed_centers, celery_worker):  # noqa: F811
    """The worker process stores in its own default storage (var/media of its OSTOJA_VAR_DIR): the export's row says
    READY with the rows of the requester's scope, and the file is in the worker's folder."""
    tag = uuid.uuid4().hex[:8]
    with schema_context("torun"):
        user = get_user_model().objects.create_user(username=f"eksport-{tag}")
        StaffProfile.objects.create(user=user, roles=[Role.DIRECTOR])
        who = Person.objects.create(
            first_name="Ola", last_name=f"Robotnicza{tag}", sex="F", date_of_birth=date(1990, 1, 1)
        )
        Case.objects.create(person=who, opened_on=date(2024, 3, 1), status="active_help")
        export = services.request_export(user, "cases", "csv", {"search": f"Robotnicza{tag}"})
    try:
        log = celery_worker.log

        def ready():
            with schema_context("torun"):
                return Export.objects.filter(pk=export.pk, status__in=["ready", "failed"]).first()

        done = wait_for(ready, what="the export build", log=log)
        assert done.status == ExportStatus.READY, done.error
        assert done.row_count == 1 and done.size > 0
        path = celery_worker.var_dir / "media" / done.key
        rows = csv_rows(path.read_bytes())
        assert rows[1][0] == f"Robotnicza{tag}"
    finally:
        with schema_context("torun"):
            AuditEntry.objects.filter(object_type="exports.export").delete()
            AuditEntry.objects.filter(actor=user).delete()
            Export.objects.filter(pk=export.pk).delete()
            Case.objects.filter(person=who).delete()
            who.delete()
            StaffProfile.objects.filter(user=user).delete()
            user.delete()
