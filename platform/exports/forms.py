"""Forms of the exports pages: one per kind of export, with the filters that kind allows (the same as the GraphQL
``requestExport`` arguments) and the file format. They only type the input; the exports service checks the
permission, the district scope and the values, and its errors come back next to the fields they name."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.platform.errors import ServiceError
from ostoja.platform.exports.models import ExportFormat, ExportKind
from ostoja.platform.staff import services as staff_services
from ostoja.platform.staff.models import Role
from ostoja.platform.web import forms as web_forms

# The service's names of the filters (and of its errors' fields) → the form's fields.
SERVICE_FIELDS = {
    "district_id": "district",
    "worker_id": "worker",
    "coordinator_id": "coordinator",
    "project_id": "project",
    "kind": None,
}
# Errors about no field whose code says which field they are about.
CODE_FIELDS = {"other_district": "district", "sensitive_filter": "reason", "project_not_found": "project"}


def submit(form: forms.BaseForm, action):
    """``web.forms.submit`` with the exports service's field names and codes mapped to the form's fields."""

    def run():
        try:
            return action()
        except ServiceError as exc:
            for item in getattr(exc, "errors", None) or [exc]:
                if item.field in SERVICE_FIELDS:
                    item.field = SERVICE_FIELDS[item.field]
                if not item.field and CODE_FIELDS.get(item.code) in form.fields:
                    item.field = CODE_FIELDS[item.code]
            raise

    return web_forms.submit(form, run)


def _staff_choices(actor, role: str) -> list[tuple]:
    """Active staff members of a role as (profile id, name) for a filter."""
    profiles = staff_services.staff_profiles(actor, role=role, active=True)
    return [("", _("Anyone"))] + [(str(p.pk), str(p)) for p in profiles]


class ExportForm(forms.Form):
    """The file format, common to every kind; subclasses add the kind's filters and ``filters()``."""

    kind: str = ""
    format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
        help_text=_("CSV and XLSX open in a spreadsheet; a PDF holds at most 5000 rows."),
    )

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def filters(self) -> dict:
        return {}


def _id(value) -> int | None:
    if value in (None, ""):
        return None
    return getattr(value, "pk", None) or int(value)


class CasesExportForm(ExportForm):
    kind = ExportKind.CASES

    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False, empty_label=_("Any district"))
    worker = forms.ChoiceField(label=_("Social worker"), required=False)
    status = forms.ChoiceField(label=_("Case status"), required=False)
    reason = forms.ChoiceField(label=_("Reason for help"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=web_forms.DateInput)
    opened_to = forms.DateField(label=_("Opened until"), required=False, widget=web_forms.DateInput)
    search = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name or PESEL."))
    include_sensitive = forms.BooleanField(
        label=_("Include special-category reasons"),
        required=False,
        help_text=_("Violence, addiction, health …: reading them is recorded in the audit log."),
    )

    def __init__(self, *args, **kwargs):
        from ostoja.modules.cases.models import CaseStatus, HelpReason
        from ostoja.tenants.configuration.models import District

        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()
        if not District.objects.exists():
            del self.fields["district"]
        self.fields["worker"].choices = _staff_choices(self.actor, Role.SOCIAL_WORKER)
        self.fields["status"].choices = [("", _("Any status")), *CaseStatus.choices]
        self.fields["reason"].choices = [("", _("Any reason"))] + [
            (reason.code, reason.name) for reason in HelpReason.objects.all()
        ]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "district_id": _id(data.get("district")),
            "worker_id": _id(data.get("worker")),
            "status": data.get("status") or None,
            "reason": data.get("reason") or None,
            "overdue": True if data.get("overdue") else None,
            "opened_from": data.get("opened_from"),
            "opened_to": data.get("opened_to"),
            "search": data.get("search") or "",
            "include_sensitive": bool(data.get("include_sensitive")),
        }


def _last_half_year(today: datetime.date) -> tuple[int, int]:
    """The last half-year that has ended."""
    return (today.year, 1) if today.month > 6 else (today.year - 1, 2)


class HalfYearExportForm(ExportForm):
    kind = ExportKind.MRPIPS

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    half = forms.TypedChoiceField(
        label=_("Half-year"),
        coerce=int,
        choices=[(1, _("1: January–June")), (2, _("2: July–December"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, half = _last_half_year(timezone.localdate())
        self.fields["year"].initial = year
        self.fields["half"].initial = half

    def filters(self) -> dict:
        return {"year": self.cleaned_data["year"], "half": self.cleaned_data["half"]}


class FosterCareExportForm(ExportForm):
    kind = ExportKind.FOSTER_CARE

    status = forms.ChoiceField(label=_("Children"), required=False)
    coordinator = forms.ChoiceField(
        label=_("Coordinator"), required=False, help_text=_("Only the families of this coordinator.")
    )

    def __init__(self, *args, **kwargs):
        from ostoja.modules.foster_care.models import FosterChild

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(FosterChild.Status.choices)
        self.fields["status"].initial = FosterChild.Status.IN_CARE
        self.fields["coordinator"].choices = _staff_choices(self.actor, Role.FOSTER_CARE_COORDINATOR)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"status": data.get("status") or None, "coordinator_id": _id(data.get("coordinator"))}


class ParticipantsExportForm(ExportForm):
    kind = ExportKind.PARTICIPANTS

    project = forms.ChoiceField(label=_("Project"), required=False)
    status = forms.ChoiceField(
        label=_("Participants"),
        required=False,
        choices=[("", _("Everyone")), ("active", _("Still taking part")), ("exited", _("Have left"))],
    )
    search = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name or PESEL."))

    def __init__(self, *args, **kwargs):
        from ostoja.modules.projects import services as project_services

        super().__init__(*args, **kwargs)
        projects = project_services.list_projects(self.actor)
        self.fields["project"].choices = [("", _("Every project"))] + [
            (str(p.pk), f"{p.code} – {p.title}") for p in projects
        ]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "project_id": _id(data.get("project")),
            "status": data.get("status") or None,
            "search": data.get("search"),
        }


FORMS = {
    form.kind: form for form in (CasesExportForm, HalfYearExportForm, FosterCareExportForm, ParticipantsExportForm)
}

DESCRIPTIONS = {
    ExportKind.CASES: _("The cases you may read, with person, district, status, social worker and reasons for help."),
    ExportKind.MRPIPS: _("Families and persons helped in a half-year, by reason and form of help (like MRPiPS-03)."),
    ExportKind.FOSTER_CARE: _("Children in foster care with their placement, family and coordinator."),
    ExportKind.PARTICIPANTS: _("Participants of the center's projects with their enrolment and labour-market status."),
}
