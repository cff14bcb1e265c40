"""Forms of the project pages. They only shape the input: every rule is checked by the projects service
(``ostoja.modules.projects.services``), whose errors come back next to the fields they name
(``ostoja.platform.web.forms.submit``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ostoja.modules.cases.models import Sex
from ostoja.modules.projects import services
from ostoja.modules.projects.models import (
    CenterRole,
    Characteristic,
    EducationLevel,
    ExitReason,
    FundingKind,
    IndicatorType,
    LabourMarketStatus,
    PeriodPrecision,
    ProjectStatus,
    TargetMeasure,
    TargetUnit,
)
from ostoja.platform.staff.services import staff_profiles
from ostoja.platform.web.forms import DateInput

# The model's labels ("running", "finished") are plain words other catalogs translate differently (a job is
# "w toku", "zakończono"); the pages say what a project's status is in its own context.
STATUS_LABELS = {
    ProjectStatus.PLANNED: pgettext_lazy("project status", "planned"),
    ProjectStatus.RUNNING: pgettext_lazy("project status", "running"),
    ProjectStatus.FINISHED: pgettext_lazy("project status", "finished"),
    ProjectStatus.SETTLED: pgettext_lazy("project status", "settled"),
    ProjectStatus.CANCELLED: pgettext_lazy("project status", "cancelled"),
}
STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in ProjectStatus]

BLANK = [("", _("— none —"))]
ANY = [("", _("any"))]


def _blank(choices, blank=BLANK):
    return [*blank, *choices]


def _amount(label, *, required=False, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )


# --- lists ----------------------------------------------------------------------------------------

PROJECT_ORDER = {
    "start_date_desc": (_("latest start first"), ("-start_date", "title_pl", "id")),
    "start_date": (_("earliest start first"), ("start_date", "title_pl", "id")),
    "title": (_("title"), ("title_pl", "id")),
    "code": (_("code"), ("code",)),
}


class ProjectFilterForm(forms.Form):
    search = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Words from the code, title or programme."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(STATUS_CHOICES, ANY))
    funding_kind = forms.ChoiceField(
        label=_("Funding source"), required=False, choices=_blank(FundingKind.choices, ANY)
    )
    active_from = forms.DateField(label=_("Active from"), required=False, widget=DateInput())
    active_to = forms.DateField(label=_("Active until"), required=False, widget=DateInput())
    order = forms.ChoiceField(
        label=_("Order"), required=False, choices=[(key, label) for key, (label, _fields) in PROJECT_ORDER.items()]
    )

    def ordering(self) -> tuple[str, ...]:
        key = (self.cleaned_data.get("order") if self.is_valid() else None) or "start_date_desc"
        return PROJECT_ORDER[key][1]


class ParticipantFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("all")), ("active", _("active")), ("exited", _("left"))]

    q = forms.CharField(label=_("Name or PESEL"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    participants = forms.ChoiceField(label=_("Participants"), required=False, choices=STATUS_CHOICES)


class AchievementFilterForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Target"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("Achieved from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Achieved until"), required=False, widget=DateInput())

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _blank([(t.pk, f"{t.code} – {t.name}") for t in targets], ANY)


# --- projects -------------------------------------------------------------------------------------


class ProjectForm(forms.Form):
    """The fields of ``services.create_project`` / ``update_project`` (the coordinator as a staff member)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("A stable short identifier: letters, digits and hyphens, e.g. rodzina-w-centrum."),
    )
    title_pl = forms.CharField(label=_("Title (Polish)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    programme = forms.CharField(label=_("Programme"), max_length=300, required=False)
    umbrella_project = forms.CharField(
        label=_("Part of a larger project"),
        max_length=300,
        required=False,
        help_text=_("The project this one belongs to."),
    )
    center_role = forms.ChoiceField(label=_("The center's role"), choices=CenterRole.choices)
    lead_organisation = forms.CharField(
        label=_("Lead organisation"), max_length=300, required=False, help_text=_("Empty when the center itself leads.")
    )
    action = forms.CharField(
        label=_("The center's action"),
        max_length=200,
        required=False,
        help_text=_('The action or task, e.g. "Działanie 3".'),
    )
    center_tasks = forms.CharField(
        label=_("The center's tasks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_pl = forms.CharField(
        label=_("Description (Polish)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput())
    period_precision = forms.ChoiceField(
        label=_("Period given as"),
        choices=PeriodPrecision.choices,
        initial=PeriodPrecision.DAY,
        help_text=_("Implementation years run from 1 January of the first year to 31 December of the last."),
    )
    total_budget = _amount(_("Total budget (zł)"))
    center_share = _amount(_("The center's share (zł)"))
    coordinator = forms.TypedChoiceField(label=_("Coordinator"), required=False, coerce=int, empty_value=None)

    SERVICE_FIELDS = {"coordinator_id": "coordinator", "coordinator_staff_id": "coordinator"}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        coordinators = staff_profiles(actor, active=True).filter(roles__overlap=list(services.PROJECT_ROLES))
        self.fields["coordinator"].choices = _blank(
            [(p.pk, p.user.get_full_name() or p.user.get_username()) for p in coordinators]
        )

    def service_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name != "coordinator"}
        data["coordinator_staff_id"] = self.cleaned_data.get("coordinator")
        return data

    @classmethod
    def initial_for(cls, project) -> dict:
        initial = {name: getattr(project, name) for name in cls.base_fields if name != "coordinator"}
        profile = getattr(project.coordinator, "staff_profile", None) if project.coordinator_id else None
        initial["coordinator"] = profile.pk if profile else None
        return initial


class NewProjectForm(ProjectForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (ProjectStatus.PLANNED, ProjectStatus.RUNNING, ProjectStatus.FINISHED)],
        initial=ProjectStatus.PLANNED,
        help_text=_("A project already under way may be registered as running or finished."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.STATUS_TRANSITIONS[ProjectStatus(project.status)]
        self.fields["status"].choices = [(s.value, STATUS_LABELS[s]) for s in ProjectStatus if s in allowed]


class FundingSourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Source"), choices=FundingKind.choices)
    amount = _amount(_("Amount (zł)"), help_text=_("Leave empty when the amount is not known."))
    description = forms.CharField(
        label=_("Description"), max_length=300, required=False, help_text=_("Required for another source.")
    )


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=300)
    role_description = forms.CharField(label=_("Role in the project"), max_length=300, required=False)


# --- targets and achievements ---------------------------------------------------------------------


class TargetForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60, help_text=_("Letters, digits and hyphens."))
    name_pl = forms.CharField(label=_("Name (Polish)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    indicator_type = forms.ChoiceField(
        label=_("Indicator type"), choices=IndicatorType.choices, initial=IndicatorType.OUTPUT
    )
    measure = forms.ChoiceField(
        label=_("Measured by"),
        choices=TargetMeasure.choices,
        help_text=_(
            "Counted from participants: the persons enrolled who meet the criteria below. "
            "Recorded achievements: values you record (hours, events, facilities)."
        ),
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=TargetUnit.choices, help_text=_("Persons for targets counted from participants.")
    )
    target_value = forms.DecimalField(
        label=_("Target value"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )
    criterion_sex = forms.ChoiceField(label=_("Sex"), required=False, choices=_blank(Sex.choices, ANY))
    criterion_min_age = forms.IntegerField(
        label=_("Minimum age at enrolment"), required=False, min_value=0, max_value=150
    )
    criterion_max_age = forms.IntegerField(
        label=_("Maximum age at enrolment"), required=False, min_value=0, max_value=150
    )
    criterion_labour_statuses = forms.MultipleChoiceField(
        label=_("Labour-market status at enrolment"),
        required=False,
        choices=LabourMarketStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any status."),
    )
    criterion_characteristic = forms.ChoiceField(
        label=_("Characteristic"), required=False, choices=_blank(Characteristic.choices, ANY)
    )
    criterion_exit_statuses = forms.MultipleChoiceField(
        label=_("Labour-market status at exit"),
        required=False,
        choices=LabourMarketStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For result indicators; none ticked: any status."),
    )

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("criterion_")]

    def criteria_fields(self):
        return [self[name] for name in self.fields if name.startswith("criterion_")]


class AchievementForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Target"), coerce=int)
    value = forms.DecimalField(
        label=_("Value"), max_digits=12, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"})
    )
    achieved_on = forms.DateField(label=_("Achieved on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (t.pk, f"{t.name} ({t.get_unit_display()})") for t in targets if t.measure == TargetMeasure.RECORDED
        ]


# --- participants ---------------------------------------------------------------------------------


class PersonSearchForm(forms.Form):
    find = forms.CharField(
        label=_("Find a person"),
        required=False,
        min_length=2,
        help_text=_("Last name, first name or the beginning of the PESEL."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EnrolForm(forms.Form):
    person = forms.IntegerField(
        label=_("Person (register number)"),
        min_value=1,
        help_text=_("The number of the person's record in the center's register; find the person above."),
    )
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DateInput())
    labour_market_status = forms.ChoiceField(
        label=_("Labour-market status at enrolment"), choices=_blank(LabourMarketStatus.choices, [("", "—")])
    )
    education_level = forms.ChoiceField(label=_("Education"), required=False, choices=_blank(EducationLevel.choices))
    characteristics = forms.MultipleChoiceField(
        label=_("Characteristics"), required=False, choices=Characteristic.choices, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["person_id"] = data.pop("person")
        return data


class ExitForm(forms.Form):
    exited_on = forms.DateField(label=_("Left on"), widget=DateInput())
    exit_reason = forms.ChoiceField(label=_("Reason for leaving"), choices=_blank(ExitReason.choices, [("", "—")]))
    labour_market_status_at_exit = forms.ChoiceField(
        label=_("Labour-market status at exit"),
        required=False,
        choices=_blank(LabourMarketStatus.choices, [("", _("not known"))]),
        help_text=_("Needed for result indicators."),
    )


class ParticipantForm(forms.Form):
    labour_market_status = forms.ChoiceField(
        label=_("Labour-market status at enrolment"), choices=LabourMarketStatus.choices
    )
    education_level = forms.ChoiceField(label=_("Education"), required=False, choices=_blank(EducationLevel.choices))
    characteristics = forms.MultipleChoiceField(
        label=_("Characteristics"), required=False, choices=Characteristic.choices, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
