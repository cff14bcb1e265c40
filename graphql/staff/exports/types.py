"""Exports: files built in the background from the center's data (platform/exports/services.py)."""

from functools import partial

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType, choices_enum
from ostoja.graphql.staff.cases.types import CaseStatusEnum
from ostoja.graphql.staff.foster_care.types import FosterChildStatus
from ostoja.graphql.staff.projects.queries import ParticipantStatus
from ostoja.platform.exports import models, services

_enum = partial(choices_enum, labelled=True)


ExportKind = _enum(
    models.ExportKind,
    "ExportKind",
    "CASES: the case list (the filters of `cases`); MRPIPS: families and persons by reason and form of help in a "
    "half-year; FOSTER_CARE: the register of children; PARTICIPANTS: project participants.",
)
ExportFormat = _enum(models.ExportFormat, "ExportFormat", "CSV (UTF-8), XLSX or PDF.")
ExportStatus = _enum(
    models.ExportStatus, "ExportStatus", "PENDING while it is built, then READY (or FAILED); EXPIRED once removed."
)


class ExportLink(graphene.ObjectType):
    """A link to an export's file that works until ``expiresAt``."""

    url = graphene.String(required=True)
    expires_at = graphene.DateTime(required=True)


class CaseExportFilter(graphene.InputObjectType):
    """The filters of the `cases` list."""

    district_id = graphene.ID()
    worker_id = graphene.ID(description="A StaffMember ID: the social worker in charge.")
    status = CaseStatusEnum()
    reason = graphene.String(description="A reason's code; a special-category one needs includeSensitive.")
    overdue = graphene.Boolean()
    opened_from = graphene.Date()
    opened_to = graphene.Date()
    search = graphene.String()
    include_sensitive = graphene.Boolean(description="Show special-category reasons too (the reading is audited).")


class HalfYearInput(graphene.InputObjectType):
    year = graphene.Int(required=True)
    half = graphene.Int(required=True, description="1: January–June, 2: July–December.")


class FosterCareExportFilter(graphene.InputObjectType):
    status = FosterChildStatus(description="Default: children in care.")
    coordinator_id = graphene.ID(description="A StaffMember ID: only the families of this coordinator.")


class ParticipantExportFilter(graphene.InputObjectType):
    project_id = graphene.ID(description="Of this project only (default: all projects).")
    status = ParticipantStatus()
    search = graphene.String()


class Export(ModelType):
    """A file asked for by a staff member; downloadable by them (exportDownloadUrl) until ``expiresAt``."""

    class Meta:
        model = models.Export
        fields = ("row_count", "size", "error", "created_at", "finished_at", "expires_at")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    kind = graphene.Field(ExportKind, required=True)
    format = graphene.Field(ExportFormat, required=True)
    status = graphene.Field(ExportStatus, required=True)
    file_name = graphene.String(required=True, description="The name the file downloads under.")
    requested_by_name = graphene.String(description="Who asked for it (empty when the account is gone).")
    is_mine = graphene.Boolean(required=True, description="True: you asked for it (and may download it).")

    @classmethod
    def access(cls, info, pk):
        return services.access_export(actor(info), pk)

    def resolve_kind(self, info):
        return self.kind

    def resolve_format(self, info):
        return self.format

    def resolve_status(self, info):
        return self.status

    def resolve_file_name(self, info):
        return services.file_name(self)

    def resolve_requested_by_name(self, info):
        user = self.requested_by
        return (user.get_full_name() or user.get_username()) if user else None

    def resolve_is_mine(self, info):
        return self.requested_by_id == getattr(actor(info), "pk", None)
