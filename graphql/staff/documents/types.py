"""Documents attached to persons, cases, foster families, foster children and projects. A document is fetched
through platform/documents/services.py (the owner record's access check); its bytes only through an expiring link
that the service issues and audits."""

import graphene

from ostoja.graphql.core.ids import Node, to_global_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.platform.documents import models, services

DocumentState = graphene.Enum.from_enum(
    models.DocumentState,
    "DocumentState",
    description=lambda value: value.label if value else "PENDING until the upload is confirmed, then AVAILABLE.",
)


def absolute(info, url: str) -> str:
    """S3 links are absolute already; the local folder's links are paths on this host."""
    return info.context.build_absolute_uri(url) if url.startswith("/") else url


class HttpHeader(graphene.ObjectType):
    name = graphene.String(required=True)
    value = graphene.String(required=True)


class DocumentLink(graphene.ObjectType):
    """A link to a document's bytes that works until ``expiresAt``; the file downloads under its original name."""

    url = graphene.String(required=True)
    expires_at = graphene.DateTime(required=True)


class DocumentUpload(graphene.ObjectType):
    """Where to send the file: an HTTP ``method`` request to ``url`` carrying exactly ``headers`` (Content-Type
    included) and the file's bytes as the body; then call confirmDocumentUpload."""

    url = graphene.String(required=True)
    method = graphene.String(required=True)
    headers = graphene.List(graphene.NonNull(HttpHeader), required=True)
    expires_at = graphene.DateTime(required=True)

    @classmethod
    def from_link(cls, info, link):
        headers = [HttpHeader(name=k, value=v) for k, v in link.headers.items()]
        return cls(url=absolute(info, link.url), method=link.method, headers=headers, expires_at=link.expires_at)


class Document(ModelType):
    """A file attached to one record (a scan of a decision, a court order, a signed contract)."""

    class Meta:
        model = models.Document
        fields = ("title", "content_type", "size", "created_at", "available_at")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    file_name = graphene.String(required=True, description="The name the file was uploaded under.")
    state = graphene.Field(DocumentState, required=True)
    owner_id = graphene.ID(required=True, description="The ID of the record the document is attached to.")
    uploaded_by_name = graphene.String(description="Who uploaded it (empty when the account is gone).")
    download = graphene.Field(
        DocumentLink, description="A fresh expiring link to the file (issuing it is recorded in the audit log)."
    )

    @classmethod
    def access(cls, info, pk):
        return services.access_document(actor(info), pk)

    def resolve_file_name(self, info):
        return self.original_name

    def resolve_state(self, info):
        return self.state

    def resolve_owner_id(self, info):
        return to_global_id(services.OWNERS[self.owner_field][1], self.owner_id)

    def resolve_uploaded_by_name(self, info):
        user = self.uploaded_by
        return (user.get_full_name() or user.get_username()) if user else None

    def resolve_download(self, info):
        link = services.download_link(actor(info), self.pk)
        return DocumentLink(url=absolute(info, link.url), expires_at=link.expires_at)
