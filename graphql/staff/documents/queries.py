"""Documents of a record, and download links (issued by the documents service after its permission check)."""

import graphene

from ostoja.graphql.core.ids import decode_id, parse_global_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import ConnectionField
from ostoja.graphql.staff.documents import types
from ostoja.platform.documents import services


def owner_of(value, field="ownerId") -> tuple[str, int]:
    """(owner field, pk) of a record ID: a Person, Case, FosterFamily, FosterChild or Project of this center."""
    type_name, _schema, _pk = parse_global_id(value, field=field)
    pk = decode_id(value, *services.OWNER_TYPES, field=field)
    return services.OWNER_TYPES[type_name], pk


class DocumentsQueries(graphene.ObjectType):
    documents = ConnectionField(
        types.Document,
        owner_id=graphene.ID(
            required=True, description="A person, case, foster family, foster child or project of this center."
        ),
        description="The uploaded documents of one record, newest first.",
    )
    document_download_url = graphene.Field(
        types.DocumentLink,
        id=graphene.ID(required=True),
        description="An expiring link to a document's file (recorded in the audit log).",
    )

    def resolve_documents(self, info, owner_id, **_):
        owner_field, pk = owner_of(owner_id)
        return services.documents_of(actor(info), owner_field, pk)

    def resolve_document_download_url(self, info, id):
        link = services.download_link(actor(info), decode_id(id, "Document"))
        return types.DocumentLink(url=types.absolute(info, link.url), expires_at=link.expires_at)
