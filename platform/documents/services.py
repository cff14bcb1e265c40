"""Documents attached to records: the rules. Permission is the owner's: whoever may change the record (its module's
``access_*`` helper with ``write=True``) may upload to it and delete its documents; whoever may read it may list
and download them. Downloads go only through expiring links issued here, and each issue is audited.

Upload in two steps, the bytes never passing through the web process: ``request_upload`` checks the declared
type and size and gives a presigned PUT link (its length signed) for a fresh staging key
(``centers/<schema>/uploads/<uuid>``; the user's file name stays in the database); ``confirm_upload`` checks what
really arrived (it exists, its size, its content type and the file's signature), moves it to the document's own key
(``centers/<schema>/documents/<uuid>.<ext>``, the only one downloads read) and makes the document available — or
removes the object. A presigned PUT cannot be made single-use: used again after the confirmation or after the
document's deletion it only writes a staging object nobody reads, which the daily purge removes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.db import connection, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from ostoja.platform import storage
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record
from ostoja.platform.documents.models import OWNER_FIELDS, Document, DocumentState
from ostoja.platform.errors import Conflict, NotFound, ValidationFailed

# Allowed content types and the extension each gets in its key.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}
# The first bytes each type starts with (DOCX and ODT are ZIP archives).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
}
MAX_SIZE = 25 * 1024 * 1024  # bytes
# A PENDING document whose upload never came is removed after this long (purge_abandoned_uploads).
PENDING_LIFETIME = timedelta(days=1)
# The folder of staging keys presigned PUTs write to (centers/<schema>/uploads/<uuid>).
UPLOADS = "uploads"

# Owner field → (the module's access helper "module:function", the GraphQL type name of its IDs).
OWNERS = {
    "person": ("ostoja.modules.cases.services:access_person", "Person"),
    "case": ("ostoja.modules.cases.services:access_case", "Case"),
    "foster_family": ("ostoja.modules.foster_care.services:access_family", "FosterFamily"),
    "foster_child": ("ostoja.modules.foster_care.services:access_child", "FosterChild"),
    "project": ("ostoja.modules.projects.services:access_project", "Project"),
}
assert set(OWNERS) == set(OWNER_FIELDS)
OWNER_TYPES = {type_name: field for field, (_path, type_name) in OWNERS.items()}


def _access_helper(owner_field: str):
    module, function = OWNERS[owner_field][0].split(":")
    return getattr(import_module(module), function)


def access_owner(actor, owner_field: str, owner_id, *, write: bool):
    """The record a document hangs on, through its module's access helper (role, district scope, existence)."""
    if owner_field not in OWNERS:
        raise ValidationFailed(_("Documents cannot be attached to this kind of record."), code="invalid_owner")
    return _access_helper(owner_field)(actor, owner_id, write=write)


def access_document(actor, document_id, *, write: bool = False, lock: bool = False) -> Document:
    """The document, if the caller may read its record (change it, with ``write=True``)."""
    queryset = Document.objects.all()
    if lock:
        queryset = queryset.select_for_update()
    try:
        document = queryset.get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such document."), code="document_not_found") from None
    access_owner(actor, document.owner_field, document.owner_id, write=write)
    return document


def documents_of(actor, owner_field: str, owner_id):
    """The available documents of one record, newest first (after a read check on the record)."""
    owner = access_owner(actor, owner_field, owner_id, write=False)
    return Document.objects.filter(**{owner_field: owner}, state=DocumentState.AVAILABLE).select_related("uploaded_by")


# --- upload ----------------------------------------------------------------------------------------


@dataclass
class UploadTicket:
    document: Document
    link: storage.Link


def _clean_type(content_type) -> str:
    value = str(content_type or "").split(";")[0].strip().lower()
    if value not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("Upload a PDF, JPEG, PNG, TIFF, DOCX or ODT file."), code="content_type_not_allowed", field="content_type"
        )
    return value


def _check_size(size, field="size") -> int:
    if size is None or int(size) <= 0:
        raise ValidationFailed(_("The file is empty."), code="empty_file", field=field)
    if int(size) > MAX_SIZE:
        raise ValidationFailed(
            _("The file is larger than %(max)s MB."),
            code="file_too_large",
            field=field,
            params={"max": MAX_SIZE // (1024 * 1024)},
        )
    return int(size)


def request_upload(
    actor, owner_field: str, owner_id, *, file_name: str, content_type: str, size: int, title: str = ""
) -> UploadTicket:
    """A PENDING document on the record and a presigned PUT link for its bytes."""
    owner = access_owner(actor, owner_field, owner_id, write=True)
    content_type = _clean_type(content_type)
    size = _check_size(size)
    name = storage.safe_filename(file_name, default="")
    if not name:
        raise ValidationFailed(_("Give the file's name."), code="required", field="file_name")
    title = (title or "").strip()
    if len(title) > 200:
        raise ValidationFailed(_("At most 200 characters."), code="too_long", field="title")
    document = Document.objects.create(
        key=storage.new_key("documents", ALLOWED_TYPES[content_type]),
        upload_key=storage.new_key(UPLOADS),
        original_name=name,
        title=title,
        content_type=content_type,
        size=size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{owner_field: owner},
    )
    record(actor, AuditAction.CREATE, document, message=f"upload requested for {owner_field} {owner.pk}")
    return UploadTicket(document, storage.upload_link(document.upload_key, content_type, size=size))


def _check_object(document: Document, info: storage.ObjectInfo) -> None:
    if info.content_type != document.content_type:
        raise ValidationFailed(
            _("The file was sent as %(sent)s, not as the declared %(declared)s."),
            code="content_type_mismatch",
            params={"sent": info.content_type or "?", "declared": document.content_type},
        )
    _check_size(info.size)
    if document.size is not None and info.size != document.size:
        raise ValidationFailed(_("The file's size is not the declared size."), code="size_mismatch")


def confirm_upload(actor, document_id) -> Document:
    """Check the uploaded object and make the document available. A wrong object is removed from the storage (the
    document stays PENDING, so the same link can be used again until it expires).

    The staging object is checked (type, size) before it is moved and the moved object — under a key no link can
    write — is checked again with its signature: a PUT racing the confirmation cannot slip other bytes in."""
    document = access_document(actor, document_id, write=True, lock=True)
    if document.state != DocumentState.PENDING:
        raise Conflict(_("This document has been uploaded already."), code="already_uploaded")
    missing = Conflict(_("Nothing has been uploaded for this document yet."), code="upload_missing")
    info = storage.head(document.upload_key) if document.upload_key else None
    if info is None:
        raise missing
    try:
        _check_object(document, info)
    except ValidationFailed:
        storage.delete(document.upload_key)
        raise
    if not storage.promote(document.upload_key, document.key):
        raise missing
    try:
        info = storage.head(document.key)
        if info is None:
            raise missing
        _check_object(document, info)
        start = storage.read_start(document.key, 16)
        if not start.startswith(SIGNATURES[document.content_type]):
            raise ValidationFailed(
                _("The file's content is not a %(type)s file."),
                code="content_not_matching",
                params={"type": ALLOWED_TYPES[document.content_type].lstrip(".").upper()},
            )
    except (ValidationFailed, Conflict):
        storage.delete(document.key)
        raise
    document.state = DocumentState.AVAILABLE
    document.size = info.size
    document.available_at = timezone.now()
    document.save(update_fields=["state", "size", "available_at"])
    record(actor, AuditAction.UPDATE, document, changes={"state": ["pending", "available"]}, message="uploaded")
    return document


def attach_bytes(
    actor, owner_field: str, owner_id, *, file_name: str, content_type: str, data: bytes, title: str = ""
) -> Document:
    """Upload through the web process (small files, admin, tests, a future multipart endpoint): the same checks."""
    ticket = request_upload(
        actor, owner_field, owner_id, file_name=file_name, content_type=content_type, size=len(data), title=title
    )
    storage.save(ticket.document.upload_key, data, ticket.document.content_type)
    return confirm_upload(actor, ticket.document.pk)


# --- download and delete ---------------------------------------------------------------------------


def download_link(actor, document_id) -> storage.Link:
    """An expiring link to the document's bytes, with its file name; audited as a read of the document."""
    document = access_document(actor, document_id, write=False)
    if document.state != DocumentState.AVAILABLE:
        raise Conflict(_("This document has not been uploaded yet."), code="not_uploaded")
    link = storage.download_link(document.key, document.original_name, document.content_type)
    record(actor, AuditAction.READ, document, message=f"download link for {document.owner_field} {document.owner_id}")
    return link


def delete_document(actor, document_id) -> int:
    """Delete the document; its object leaves the storage once the transaction commits. The deleted id."""
    document = access_document(actor, document_id, write=True, lock=True)
    pk = document.pk
    record(actor, AuditAction.DELETE, document, message=f"from {document.owner_field} {document.owner_id}")
    document.delete()
    return pk


def purge_abandoned_uploads(now=None) -> int:
    """In the current center (a periodic task's job): remove PENDING documents older than PENDING_LIFETIME, and
    staging objects older than a link's lifetime that no PENDING document waits for — leftovers of a PUT link used
    again after its upload was confirmed or its document deleted. The number of documents and objects removed."""
    now = now or timezone.now()
    stale = list(Document.objects.filter(state=DocumentState.PENDING, created_at__lt=now - PENDING_LIFETIME))
    for document in stale:
        document.delete()
    # the staging objects of the documents just removed go with them (after the commit)
    waiting = {document.upload_key for document in stale}
    waiting |= set(Document.objects.filter(state=DocumentState.PENDING).values_list("upload_key", flat=True))
    leftovers = [
        key
        for key in storage.keys_older_than(UPLOADS, now - timedelta(seconds=storage.link_lifetime()))
        if key not in waiting
    ]
    for key in leftovers:
        storage.delete(key)
    return len(stale) + len(leftovers)


@receiver(post_delete, sender=Document, dispatch_uid="ostoja.documents.remove_object")
def _remove_object(sender, instance: Document, **kwargs):
    """Whatever deleted the row — delete_document, a record deleted with its documents (CASCADE), the admin — the
    object goes too, after the commit (a rolled-back delete keeps its file)."""
    keys, schema = [k for k in (instance.key, instance.upload_key) if k], connection.schema_name

    def remove():
        with schema_context(schema):
            for key in keys:
                storage.delete(key)

    transaction.on_commit(remove)
