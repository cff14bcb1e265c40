"""Your exports (a director's: all of the center's) and download links issued by the exports service after its
permission check."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import ConnectionField, enum_value
from ostoja.graphql.staff.documents.types import absolute
from ostoja.graphql.staff.exports import types
from ostoja.platform.exports import services


class ExportsQueries(graphene.ObjectType):
    exports = ConnectionField(
        types.Export,
        kind=types.ExportKind(),
        status=types.ExportStatus(),
        description="Your exports, newest first (a director or deputy: every export of the center).",
    )
    export_download_url = graphene.Field(
        types.ExportLink,
        id=graphene.ID(required=True),
        description="An expiring link to the file of an export you asked for (recorded in the audit log).",
    )

    def resolve_exports(self, info, kind=None, status=None, **_):
        queryset = services.exports_for(actor(info))
        if kind:
            queryset = queryset.filter(kind=enum_value(kind))
        if status:
            queryset = queryset.filter(status=enum_value(status))
        return queryset

    def resolve_export_download_url(self, info, id):
        link = services.download_link(actor(info), decode_id(id, "Export"))
        return types.ExportLink(url=absolute(info, link.url), expires_at=link.expires_at)
