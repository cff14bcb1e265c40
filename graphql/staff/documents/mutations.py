"""Document uploads (presigned: request, send the bytes, confirm) and deletion; the rules are in
platform/documents/services.py."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.staff.documents import types
from ostoja.graphql.staff.documents.queries import owner_of
from ostoja.platform.documents import services

# What the owner records' access helpers can answer.
OWNER_ERRORS = (
    "invalid_owner",
    "person_not_found",
    "case_not_found",
    "family_not_found",
    "child_not_found",
    "project_not_found",
    "other_district",
)
FILE_ERRORS = ("content_type_not_allowed", "empty_file", "file_too_large")


class RequestDocumentUpload(ServiceMutation):
    """Step 1 of an upload: a PENDING document on the record and where to send its bytes."""

    class Meta:
        error_codes = (*OWNER_ERRORS, *FILE_ERRORS, "required", "too_long")

    class Arguments:
        owner_id = graphene.ID(
            required=True, description="A person, case, foster family, foster child or project of this center."
        )
        file_name = graphene.String(required=True)
        content_type = graphene.String(required=True, description="PDF, JPEG, PNG, TIFF, DOCX or ODT.")
        size = graphene.Int(required=True, description="In bytes.")
        title = graphene.String()

    document = graphene.Field(types.Document)
    upload = graphene.Field(types.DocumentUpload)

    @classmethod
    def perform(cls, info, owner_id, file_name, content_type, size, title=""):
        owner_field, pk = owner_of(owner_id)
        ticket = services.request_upload(
            actor(info), owner_field, pk, file_name=file_name, content_type=content_type, size=size, title=title or ""
        )
        return {"document": ticket.document, "upload": types.DocumentUpload.from_link(info, ticket.link)}


class ConfirmDocumentUpload(ServiceMutation):
    """Step 2: the uploaded file is checked (there, the declared type and size, a real file of that type) and the
    document becomes AVAILABLE. A file that fails the checks is removed."""

    class Meta:
        error_codes = (
            *OWNER_ERRORS,
            *FILE_ERRORS,
            "document_not_found",
            "already_uploaded",
            "upload_missing",
            "content_type_mismatch",
            "size_mismatch",
            "content_not_matching",
        )

    class Arguments:
        id = graphene.ID(required=True)

    document = graphene.Field(types.Document)

    @classmethod
    def perform(cls, info, id):
        return {"document": services.confirm_upload(actor(info), decode_id(id, "Document"))}


class DeleteDocument(ServiceMutation):
    """Delete a document; its file leaves the storage."""

    class Meta:
        error_codes = (*OWNER_ERRORS, "document_not_found")

    class Arguments:
        id = graphene.ID(required=True)

    deleted_document_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        pk = decode_id(id, "Document")
        services.delete_document(actor(info), pk)
        return {"deleted_document_id": id}


class DocumentsMutations(graphene.ObjectType):
    request_document_upload = RequestDocumentUpload.Field()
    confirm_document_upload = ConfirmDocumentUpload.Field()
    delete_document = DeleteDocument.Field()
