"""Documents attached to records (issue #5): presigned upload and download really used over HTTP against moto's
threaded S3 server (keys under centers/<schema>/, SSE on every object), permissions of the owner record (another
district, another center), the allow-list and size limit, and the object removed with its document. Also the
local-folder default (no bucket configured), with its signed links served by platform/documents/views.py."""

import base64
import json
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from django.urls import include, path
from django.utils import timezone
from django_tenants.utils import schema_context
from moto.server import ThreadedMotoServer
from test_graphql_cases import person, staff, torun_id, world

from ostoja.graphql.core.ids import to_global_id
from ostoja.platform import storage
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.documents import services
from ostoja.platform.documents.models import Document, DocumentState
from ostoja.platform.staff.models import Role

pytestmark = pytest.mark.django_db

BUCKET = "ostoja-documents-test"
REGION = "eu-central-1"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
ERR = "errors { field code message }"
REQUEST = f"""mutation($ownerId: ID!, $fileName: String!, $contentType: String!, $size: Int!, $title: String) {{
  requestDocumentUpload(ownerId: $ownerId, fileName: $fileName, contentType: $contentType, size: $size,
                        title: $title) {{
    document {{ id fileName title state ownerId }} upload {{ url method headers {{ name value }} expiresAt }} {ERR} }}
}}"""
CONFIRM = f"""mutation($id: ID!) {{
  confirmDocumentUpload(id: $id) {{ document {{ id state size contentType uploadedByName }} {ERR} }}
}}"""
DELETE = f"mutation($id: ID!) {{ deleteDocument(id: $id) {{ deletedDocumentId {ERR} }} }}"
LINK = "query($id: ID!) { documentDownloadUrl(id: $id) { url expiresAt } }"
LIST = """query($ownerId: ID!) {
  documents(ownerId: $ownerId, first: 10) { totalCount edges { node { id fileName state download { url } } } }
}"""

# The local-folder tests route the signed file links through this module (platform/documents/urls.py joins the
# center's URLs; see the report).
urlpatterns = [path("", include("ostoja.platform.documents.urls")), path("", include("ostoja.platform.urls_center"))]


# --- moto: one threaded S3 server per module --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield endpoint
    # moto keeps its buckets per process, whichever server created them: leave none for the next module
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    server.stop()


@pytest.fixture
def s3(moto_endpoint, settings):
    """S3 (moto) as the default storage for one test; a boto3 client to inspect the bucket."""
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = moto_endpoint
    settings.AWS_S3_REGION_NAME = REGION
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    assert storage.is_s3()
    return boto3.client(
        "s3", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )


def _missing(client, key) -> bool:
    try:
        client.head_object(Bucket=BUCKET, Key=key)
    except client.exceptions.ClientError as exc:
        return exc.response["Error"]["Code"] in ("404", "NoSuchKey")
    return False


# --- the world --------------------------------------------------------------------------------------


@pytest.fixture
def w(torun):
    w = world()
    w.person = person(w.director, "Dokumentowa", "7")  # district I: worker1's, not worker2's
    w.person_id = torun_id("Person", w.person.pk)
    return w


def _request(client, owner_id, data=PDF, content_type="application/pdf", name="Decyzja zasiłek.pdf", **extra):
    variables = {"ownerId": owner_id, "fileName": name, "contentType": content_type, "size": len(data), **extra}
    return client.mutate(REQUEST, variables)


def _upload(client, owner_id, data=PDF, content_type="application/pdf", send_type=None, **extra):
    """Request an upload, PUT the bytes over HTTP as told (the real Content-Type: DESIGN.md §6); the payload."""
    payload = _request(client, owner_id, data, content_type, **extra)
    assert payload["errors"] == [], payload["errors"]
    upload = payload["upload"]
    headers = {h["name"]: h["value"] for h in upload["headers"]}
    if send_type:
        headers["Content-Type"] = send_type
    assert upload["method"] == "PUT"
    response = requests.put(upload["url"], data=data, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return payload


def _key(document_gid) -> str:
    from ostoja.graphql.core.ids import parse_global_id

    with schema_context("torun"):
        return Document.objects.get(pk=parse_global_id(document_gid)[2]).key


def _upload_key(document_gid) -> str:
    """The staging key the presigned PUT writes to (centers/<schema>/uploads/<uuid>)."""
    from ostoja.graphql.core.ids import parse_global_id

    with schema_context("torun"):
        return Document.objects.get(pk=parse_global_id(document_gid)[2]).upload_key


def _keys_under(client, prefix) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]


# --- S3 ---------------------------------------------------------------------------------------------


def test_presigned_upload_and_download_over_http_under_the_centers_prefix_with_sse(
    s3, w, gql, django_capture_on_commit_callbacks
):
    client = gql("torun", user=w.worker1)
    requested = _upload(client, w.person_id, title="Decyzja o zasiłku")
    document = requested["document"]
    assert document["state"] == "PENDING" and document["ownerId"] == w.person_id
    assert document["fileName"] == "Decyzja zasiłek.pdf" and document["title"] == "Decyzja o zasiłku"

    key, upload_key = _key(document["id"]), _upload_key(document["id"])
    assert key.startswith("centers/torun/documents/") and key.endswith(".pdf") and "Decyzja" not in key
    assert upload_key.startswith("centers/torun/uploads/") and upload_key.rsplit("/", 1)[-1] not in key
    # the PUT went to the staging key (its length signed); the document's own key is written only at confirmation
    assert "content-length" in requested["upload"]["url"].split("X-Amz-SignedHeaders=")[1].split("&")[0]
    assert s3.head_object(Bucket=BUCKET, Key=upload_key)["ContentLength"] == len(PDF) and _missing(s3, key)

    confirmed = client.mutate(CONFIRM, {"id": document["id"]})
    assert confirmed["errors"] == []
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "application/pdf" and head["ContentLength"] == len(PDF)
    assert _missing(s3, upload_key)
    assert confirmed["document"]["state"] == "AVAILABLE" and confirmed["document"]["size"] == len(PDF)
    assert confirmed["document"]["uploadedByName"] == "Pracownik1 Test"

    link = client.data(LINK, {"id": document["id"]})["documentDownloadUrl"]
    assert urlsplit(link["url"]).path.startswith(f"/{BUCKET}/centers/torun/") and "X-Amz-Expires=" in link["url"]
    response = requests.get(link["url"], timeout=10)
    assert response.status_code == 200 and response.content == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''Decyzja%20zasi%C5%82ek.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].startswith("attachment;")
    with schema_context("torun"):
        reads = AuditEntry.objects.filter(action=AuditAction.READ, object_type="documents.document")
        assert reads.count() == 1 and reads.get().actor == w.worker1

    listed = client.data(LIST, {"ownerId": w.person_id})["documents"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["fileName"] == "Decyzja zasiłek.pdf"
    assert requests.get(listed["edges"][0]["node"]["download"]["url"], timeout=10).content == PDF

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.mutate(DELETE, {"id": document["id"]})
    assert deleted == {"deletedDocumentId": document["id"], "errors": []}
    assert _missing(s3, key)
    with schema_context("torun"):
        assert not Document.objects.filter(key=key).exists()
        assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_type="documents.document").count() == 1


def test_another_center_and_another_district_get_no_link(s3, w, gql, codes, slupsk):
    document = _upload(gql("torun", user=w.director), w.person_id)["document"]
    assert gql("torun", user=w.director).mutate(CONFIRM, {"id": document["id"]})["errors"] == []

    slupsk_director = staff("slupsk", "dyrektor-slupsk", Role.DIRECTOR)
    body = gql("slupsk", user=slupsk_director)(LINK, {"id": document["id"]})
    assert codes(body) == ["not_found"] and body["data"]["documentDownloadUrl"] is None
    # the same primary key on Słupsk's host, with a Słupsk ID: no such document there
    body = gql("slupsk", user=slupsk_director)(LINK, {"id": _slupsk_id("Document", _pk(document["id"]))})
    assert codes(body) == ["document_not_found"]
    refused = gql("slupsk", user=slupsk_director).mutate(DELETE, {"id": document["id"]})
    assert codes(refused) == ["NOT_FOUND"]

    body = gql("torun", user=w.worker2)(LINK, {"id": document["id"]})
    assert codes(body) == ["other_district"] and body["data"]["documentDownloadUrl"] is None
    assert codes(gql("torun", user=w.worker2)(LIST, {"ownerId": w.person_id})) == ["other_district"]
    assert codes(gql("torun", user=w.worker2).mutate(DELETE, {"id": document["id"]})) == ["OTHER_DISTRICT"]
    assert codes(_request(gql("torun", user=w.worker2), w.person_id)) == ["OTHER_DISTRICT"]
    assert codes(gql("torun", user=w.coordinator)(LINK, {"id": document["id"]})) == ["role_required"]
    assert codes(gql("torun")(LINK, {"id": document["id"]})) == ["not_authenticated"]
    # the auditor reads but does not write
    assert gql("torun", user=w.auditor).data(LINK, {"id": document["id"]})["documentDownloadUrl"]["url"]
    assert codes(gql("torun", user=w.auditor).mutate(DELETE, {"id": document["id"]})) == ["ROLE_REQUIRED"]
    with schema_context("torun"):
        assert Document.objects.filter(state=DocumentState.AVAILABLE).count() == 1
        assert AuditEntry.objects.filter(action=AuditAction.READ, object_type="documents.document").count() == 1


def _pk(gid):
    from ostoja.graphql.core.ids import parse_global_id

    return parse_global_id(gid)[2]


def _slupsk_id(type_name, pk):
    with schema_context("slupsk"):
        return to_global_id(type_name, pk)


def test_wrong_content_type_or_size_is_refused_before_and_after_the_upload(s3, w, gql, codes):
    client = gql("torun", user=w.director)
    assert codes(_request(client, w.person_id, b"<html>", "text/html", name="x.html")) == ["CONTENT_TYPE_NOT_ALLOWED"]
    too_big = client.mutate(
        REQUEST,
        {"ownerId": w.person_id, "fileName": "a.pdf", "contentType": "application/pdf", "size": services.MAX_SIZE + 1},
    )
    assert codes(too_big) == ["FILE_TOO_LARGE"] and too_big["document"] is None
    assert codes(_request(client, w.person_id, b"", name="empty.pdf")) == ["EMPTY_FILE"]
    with schema_context("torun"):
        assert not Document.objects.exists()

    # declared a PDF, sent as a PNG: refused at confirmation, and the object is gone
    payload = _upload(client, w.person_id, data=PNG, content_type="application/pdf", send_type="image/png")
    keys = _key(payload["document"]["id"]), _upload_key(payload["document"]["id"])
    refused = client.mutate(CONFIRM, {"id": payload["document"]["id"]})
    assert codes(refused) == ["CONTENT_TYPE_MISMATCH"] and _missing(s3, keys[0]) and _missing(s3, keys[1])
    # declared and sent as a PDF, but the bytes are not a PDF: the moved object is removed again
    payload = _upload(client, w.person_id, data=PNG, content_type="application/pdf")
    keys = _key(payload["document"]["id"]), _upload_key(payload["document"]["id"])
    refused = client.mutate(CONFIRM, {"id": payload["document"]["id"]})
    assert codes(refused) == ["CONTENT_NOT_MATCHING"] and _missing(s3, keys[0]) and _missing(s3, keys[1])
    # nothing sent at all
    payload = _request(client, w.person_id)
    assert codes(client.mutate(CONFIRM, {"id": payload["document"]["id"]})) == ["UPLOAD_MISSING"]
    with schema_context("torun"):
        assert set(Document.objects.values_list("state", flat=True)) == {DocumentState.PENDING}
    body = client(LINK, {"id": payload["document"]["id"]})
    assert codes(body) == ["not_uploaded"]


def test_larger_than_declared_is_refused(s3, w, gql, codes):
    client = gql("torun", user=w.director)
    payload = _request(client, w.person_id, data=PDF)
    upload = payload["upload"]
    headers = {h["name"]: h["value"] for h in upload["headers"]}
    # the length is signed (real S3 answers 403 SignatureDoesNotMatch to another length); moto stores it anyway,
    # and the confirmation refuses it
    assert "content-length" in upload["url"].split("X-Amz-SignedHeaders=")[1].split("&")[0]
    put = requests.put(upload["url"], data=PDF + b"more", headers=headers, timeout=10)
    refused = client.mutate(CONFIRM, {"id": payload["document"]["id"]})
    if put.status_code == 200:
        assert codes(refused) == ["SIZE_MISMATCH"]
    else:
        assert put.status_code == 403 and codes(refused) == ["UPLOAD_MISSING"]
    assert _missing(s3, _key(payload["document"]["id"])) and _missing(s3, _upload_key(payload["document"]["id"]))


def test_presigned_post_upload_is_signed_with_the_type_size_and_sse_conditions(s3, torun):
    with schema_context("torun"):
        key = storage.new_key("documents", ".pdf")
        post = storage.upload_post(key, "application/pdf", max_size=100)
    fields = post.fields
    assert fields["key"] == key and fields["Content-Type"] == "application/pdf"
    assert fields["x-amz-server-side-encryption"] == "AES256"
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert ["content-length-range", 1, 100] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert {"x-amz-server-side-encryption": "AES256"} in policy["conditions"]
    # S3 checks these conditions itself; moto stores the form's file without checking them (nor applying SSE)
    response = requests.post(post.url, data=fields, files={"file": ("x.pdf", PDF)}, timeout=10)
    assert response.status_code in (200, 204), response.text
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentType"] == "application/pdf" and head["ContentLength"] == len(PDF)


def test_a_record_deleted_with_its_documents_takes_their_objects(s3, w, django_capture_on_commit_callbacks):
    with schema_context("torun"):
        document = services.attach_bytes(
            w.director, "person", w.person.pk, file_name="umowa.pdf", content_type="application/pdf", data=PDF
        )
        assert storage.head(document.key).encryption == "AES256"
        with django_capture_on_commit_callbacks(execute=True):
            w.person.delete()
        assert not Document.objects.filter(pk=document.pk).exists()
    assert _missing(s3, document.key)


def test_documents_of_projects_and_foster_care_need_their_module_roles(s3, w, gql, codes):
    from test_graphql_projects import make_project

    project = make_project(w.director)
    project_id = torun_id("Project", project.pk)
    coordinator = gql("torun", user=w.coordinator)
    document = _upload(coordinator, project_id, data=PNG, content_type="image/png", name="lista obecności.png")
    assert coordinator.mutate(CONFIRM, {"id": document["document"]["id"]})["document"]["contentType"] == "image/png"
    assert codes(_request(gql("torun", user=w.worker1), project_id)) == ["ROLE_REQUIRED"]
    assert codes(_request(coordinator, w.person_id)) == ["ROLE_REQUIRED"]
    assert codes(_request(coordinator, torun_id("District", w.one.pk))) == ["INVALID_ID"]
    with schema_context("torun"):
        assert Document.objects.get().project_id == project.pk


def test_keys_come_from_the_connections_schema_only(torun):
    with pytest.raises(storage.StorageError):
        storage.center_prefix()  # the public schema has no files
    with schema_context("torun"):
        assert storage.new_key("documents", "pdf").startswith("centers/torun/documents/")
        for bad in ("../slupsk", "a/b", "", ".hidden"):
            with pytest.raises(storage.StorageError):
                storage.center_key("documents", bad)
        with pytest.raises(storage.StorageError):
            storage.check_own("centers/slupsk/documents/x.pdf")
    assert storage.safe_filename("../../etc/pass\nwd.pdf") == "passwd.pdf"
    assert storage.safe_filename("C:\\Users\\x\\Skan ż.pdf") == "Skan ż.pdf"


# --- the local folder (no bucket) ---------------------------------------------------------------------


@pytest.fixture
def local(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.ROOT_URLCONF = __name__
    assert not storage.is_s3()
    return tmp_path


def test_local_folder_by_default_with_signed_links(local, w, gql, client_for, django_capture_on_commit_callbacks):
    client = gql("torun", user=w.worker1)
    payload = _request(client, w.person_id, name="Postanowienie sądu.pdf")
    upload = payload["upload"]
    assert upload["url"].startswith("http://torun.localhost/files/") and upload["method"] == "PUT"
    put_path = urlsplit(upload["url"]).path
    # a PUT with another content type than the signed one is refused
    refused = client_for("torun").put(put_path, data=PDF, content_type="text/plain")
    assert refused.status_code == 403
    # and so is a body of another length than the signed one
    refused = client_for("torun").put(put_path, data=PDF + b"x", content_type="application/pdf")
    assert refused.status_code == 403
    assert client_for("torun").put(put_path, data=PDF, content_type="application/pdf").status_code == 200
    key, upload_key = _key(payload["document"]["id"]), _upload_key(payload["document"]["id"])
    assert (local / upload_key).read_bytes() == PDF and not (local / key).exists()
    assert key.startswith("centers/torun/documents/") and upload_key.startswith("centers/torun/uploads/")

    assert client.mutate(CONFIRM, {"id": payload["document"]["id"]})["document"]["state"] == "AVAILABLE"
    assert (local / key).read_bytes() == PDF and not (local / upload_key).exists()
    # the upload link used again after the confirmation writes nothing
    html = b"<html>" + b"x" * (len(PDF) - 6)
    assert client_for("torun").put(put_path, data=html, content_type="application/pdf").status_code == 403
    assert not (local / upload_key).exists()
    link = client.data(LINK, {"id": payload["document"]["id"]})["documentDownloadUrl"]["url"]
    response = client_for("torun").get(urlsplit(link).path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "filename*=UTF-8''Postanowienie%20s%C4%85du.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    # the link is for Toruń's host only, and a GET link does not upload
    assert client_for("slupsk").get(urlsplit(link).path).status_code == 403
    assert client_for("torun").put(urlsplit(link).path, data=PDF, content_type="application/pdf").status_code == 403
    assert client_for("torun").get(urlsplit(link).path[:-5] + "x/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        assert client.mutate(DELETE, {"id": payload["document"]["id"]})["errors"] == []
    assert not (local / key).exists()
    assert client_for("torun").put(put_path, data=PDF, content_type="application/pdf").status_code == 403
    assert not (local / upload_key).exists() and not list((local / "centers/torun/documents").iterdir())


def test_local_links_expire(local, w):
    with schema_context("torun"):
        document = services.attach_bytes(
            w.director, "person", w.person.pk, file_name="a.png", content_type="image/png", data=PNG
        )
        link = storage.download_link(document.key, "a.png", seconds=-1)
        token = urlsplit(link.url).path.split("/")[2]
        with pytest.raises(storage.StorageError):
            storage.read_local_token(token, "GET")
        assert storage.delete_center_files() == 1
        assert storage.head(document.key) is None


def test_abandoned_uploads_are_purged_daily_in_every_center():
    from ostoja.platform.celery_app import app
    from ostoja.platform.documents.tasks import purge_abandoned_uploads

    assert purge_abandoned_uploads.name == "documents.purge_abandoned_uploads"
    assert any(entry["task"] == "documents.purge_abandoned_uploads" for entry in app.conf.beat_schedule.values()), (
        "the purge must be on the beat schedule (once per center)"
    )


# --- a presigned PUT used again (security review): it never reaches what is downloaded -----------------------


def _put_again(upload, data):
    headers = {h["name"]: h["value"] for h in upload["headers"]}
    return requests.put(upload["url"], data=data, headers=headers, timeout=10)


def test_a_put_after_the_confirmation_does_not_change_the_download(s3, w, gql):
    client = gql("torun", user=w.worker1)
    requested = _upload(client, w.person_id)
    document_id = requested["document"]["id"]
    assert client.mutate(CONFIRM, {"id": document_id})["errors"] == []
    key, upload_key = _key(document_id), _upload_key(document_id)

    # HTML of the same length (a real S3 also refuses another length: it is signed) — and, as moto does not check
    # the signed length, a 26 MB body too
    html = b"<html><script>alert(1)</script>"
    html += b" " * (len(PDF) - len(html))
    assert _put_again(requested["upload"], html).status_code == 200
    oversized = _put_again(requested["upload"], b"<html>" + b"x" * (26 * 1024 * 1024))
    assert oversized.status_code in (200, 403)

    link = client.data(LINK, {"id": document_id})["documentDownloadUrl"]["url"]
    response = requests.get(link, timeout=10)
    assert response.status_code == 200 and response.content == PDF
    assert s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"] == len(PDF)
    # a second confirmation cannot promote the staging object either
    assert client.mutate(CONFIRM, {"id": document_id})["errors"][0]["code"] == "ALREADY_UPLOADED"
    assert requests.get(link, timeout=10).content == PDF
    # what the PUT left is a staging object nobody reads, removed by the daily purge once the link is dead
    assert upload_key in _keys_under(s3, "centers/torun/uploads/")
    with schema_context("torun"):
        services.purge_abandoned_uploads()  # not older than a link's lifetime yet: kept
        assert not _missing(s3, upload_key)
        later = timezone.now() + timedelta(seconds=storage.link_lifetime() + 1)
        assert services.purge_abandoned_uploads(now=later) >= 1
    assert _missing(s3, upload_key) and s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"] == len(PDF)


def test_a_put_after_the_deletion_leaves_nothing_under_documents(s3, w, gql, django_capture_on_commit_callbacks):
    before = set(_keys_under(s3, "centers/torun/"))  # the bucket lives for the module: other tests' objects
    client = gql("torun", user=w.worker1)
    requested = _upload(client, w.person_id)
    document_id = requested["document"]["id"]
    assert client.mutate(CONFIRM, {"id": document_id})["errors"] == []
    key, upload_key = _key(document_id), _upload_key(document_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.mutate(DELETE, {"id": document_id})["errors"] == []
    assert set(_keys_under(s3, "centers/torun/")) == before

    assert _put_again(requested["upload"], PDF).status_code == 200  # S3 cannot refuse a valid signature
    assert _missing(s3, key)
    assert set(_keys_under(s3, "centers/torun/documents/")) - before == set()
    assert set(_keys_under(s3, "centers/torun/uploads/")) - before == {upload_key}
    with schema_context("torun"):
        later = timezone.now() + timedelta(seconds=storage.link_lifetime() + 1)
        assert services.purge_abandoned_uploads(now=later) >= 1
    assert _missing(s3, upload_key) and set(_keys_under(s3, "centers/torun/documents/")) - before == set()


def test_the_purge_keeps_the_staging_object_of_a_waiting_upload(s3, w, gql, django_capture_on_commit_callbacks):
    client = gql("torun", user=w.worker1)
    requested = _upload(client, w.person_id)
    upload_key = _upload_key(requested["document"]["id"])
    with schema_context("torun"):
        later = timezone.now() + timedelta(seconds=storage.link_lifetime() + 1)
        services.purge_abandoned_uploads(now=later)
    assert not _missing(s3, upload_key)
    assert client.mutate(CONFIRM, {"id": requested["document"]["id"]})["errors"] == []
    # a day later an unconfirmed upload goes with its document, staging object included
    requested = _upload(client, w.person_id)
    upload_key = _upload_key(requested["document"]["id"])
    with schema_context("torun"), django_capture_on_commit_callbacks(execute=True):
        assert services.purge_abandoned_uploads(now=timezone.now() + services.PENDING_LIFETIME * 2) >= 1
        assert not Document.objects.filter(state=DocumentState.PENDING).exists()
    assert _missing(s3, upload_key)
