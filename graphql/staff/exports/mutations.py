"""Asking for an export; the rules are in platform/exports/services.py (the file is built in the background)."""

import graphene
from django.utils.translation import gettext_lazy as _

from ostoja.graphql.core.ids import decode_optional_id
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.core.types import enum_value
from ostoja.graphql.staff.exports import types
from ostoja.platform.errors import ValidationFailed
from ostoja.platform.exports import services
from ostoja.platform.exports.models import ExportKind

FILTER_ARGUMENTS = {
    ExportKind.CASES: "cases",
    ExportKind.MRPIPS: "half_year",
    ExportKind.FOSTER_CARE: "foster_care",
    ExportKind.PARTICIPANTS: "participants",
}


def _filters(kind: str, data: dict) -> dict:
    given = {name for name in FILTER_ARGUMENTS.values() if data.get(name) is not None}
    wanted = FILTER_ARGUMENTS[kind]
    if given - {wanted}:
        raise ValidationFailed(
            _("Give only the filters of the kind of export asked for."), code="wrong_filters", field=wanted
        )
    values = dict(data.get(wanted) or {})
    if kind == ExportKind.MRPIPS and not values:
        raise ValidationFailed(_("Give the half-year."), code="required", field="half_year")
    if kind == ExportKind.CASES:
        values["district_id"] = decode_optional_id(values.get("district_id"), "District", "cases.districtId")
        values["worker_id"] = decode_optional_id(values.get("worker_id"), "StaffMember", "cases.workerId")
        values["status"] = enum_value(values.get("status"))
    elif kind == ExportKind.FOSTER_CARE:
        values["coordinator_id"] = decode_optional_id(
            values.get("coordinator_id"), "StaffMember", "fosterCare.coordinatorId"
        )
        values["status"] = enum_value(values.get("status"))
    elif kind == ExportKind.PARTICIPANTS:
        values["project_id"] = decode_optional_id(values.get("project_id"), "Project", "participants.projectId")
        values["status"] = enum_value(values.get("status"))
    return values


class RequestExport(ServiceMutation):
    """Ask for a file; it is built in the background (watch its status in `exports`), then downloaded with
    exportDownloadUrl. Give the filters of the kind asked for (cases, halfYear, fosterCare or participants)."""

    class Meta:
        error_codes = (
            "invalid_choice",
            "invalid_date",
            "invalid_period",
            "invalid",
            "invalid_id",
            "not_found",
            "required",
            "wrong_filters",
            "period_reversed",
            "other_district",
            "sensitive_filter",
            "project_not_found",
            "role_required",
            "not_staff",
            "not_authenticated",
        )

    class Arguments:
        kind = types.ExportKind(required=True)
        format = types.ExportFormat(required=True)
        cases = types.CaseExportFilter()
        half_year = types.HalfYearInput()
        foster_care = types.FosterCareExportFilter()
        participants = types.ParticipantExportFilter()

    export = graphene.Field(types.Export)

    @classmethod
    def perform(cls, info, kind, format, **data):
        kind = enum_value(kind)
        filters = _filters(kind, data)
        return {"export": services.request_export(actor(info), kind, enum_value(format), filters)}


class ExportsMutations(graphene.ObjectType):
    request_export = RequestExport.Field()
