"""Forms of the foster-care pages. They only shape and check the input; every rule (the 15 families of a
coordinator, the related family's members, the notifications before closing a report, …) is the services'."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from stdnum.pl import pesel as pesel_number

from ostoja.modules.foster_care.models import (
    Assessment,
    FamilyKind,
    FosterChild,
    FosterFamily,
    IrregularityReport,
    Notification,
    ParentMeeting,
    Relation,
)
from ostoja.platform.web.forms import DateInput, TimeInput

ANY = ("", _("Any"))

# Status labels with a context: the models' bare "active", "closed", "cancelled" are translated differently by
# other catalogs (a closed office is "nieczynne"), so the pages name these states themselves.
FAMILY_STATUSES = [
    (FosterFamily.Status.ACTIVE, pgettext_lazy("foster family", "active")),
    (FosterFamily.Status.SUSPENDED, pgettext_lazy("foster family", "suspended")),
    (FosterFamily.Status.DISSOLVED, pgettext_lazy("foster family", "dissolved")),
]
REPORT_STATUSES = [
    (IrregularityReport.Status.OPEN, pgettext_lazy("irregularity report", "open")),
    (IrregularityReport.Status.CLOSED, pgettext_lazy("irregularity report", "closed")),
]
MEETING_STATUSES = [
    (ParentMeeting.Status.PLANNED, pgettext_lazy("meeting", "planned")),
    (ParentMeeting.Status.HELD, pgettext_lazy("meeting", "held")),
    (ParentMeeting.Status.CANCELLED, pgettext_lazy("meeting", "cancelled")),
]


class CoordinatorChoiceField(forms.ModelChoiceField):
    """A coordinator by name: the option's text is exactly the coordinator's full name."""

    def label_from_instance(self, obj):
        return str(obj)


def _search_field():
    return forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


# --- filters -----------------------------------------------------------------------------------------


class FamilyFilterForm(forms.Form):
    search = _search_field()
    coordinator = CoordinatorChoiceField(label=_("Coordinator"), queryset=None, required=False, empty_label=_("Any"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *FamilyKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *FAMILY_STATUSES], required=False)

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators
        self.fields["search"].help_text = _("Family name, a member's last name or PESEL.")


class ChildFilterForm(forms.Form):
    search = _search_field()
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", FosterChild.Status.IN_CARE.label),
            (FosterChild.Status.LEFT_CARE, FosterChild.Status.LEFT_CARE.label),
            ("all", pgettext_lazy("children", "All")),
        ],
        required=False,
    )
    family = forms.ModelChoiceField(label=_("Foster family"), queryset=None, required=False, empty_label=_("Any"))
    overdue = forms.ChoiceField(
        label=_("Next assessment"),
        choices=[
            ANY,
            ("yes", pgettext_lazy("assessment", "overdue")),
            ("no", pgettext_lazy("assessment", "not overdue")),
        ],
        required=False,
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        self.fields["search"].help_text = _("First name, last name or PESEL.")


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *REPORT_STATUSES], required=False)
    notifications = forms.ChoiceField(
        label=_("Notifications"),
        choices=[ANY, (Notification.Status.PENDING, _("some not sent")), (Notification.Status.SENT, _("all sent"))],
        required=False,
    )


class MeetingFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *MEETING_STATUSES], required=False)


# --- families ----------------------------------------------------------------------------------------


class PeselField(forms.CharField):
    default_error_messages = {"invalid": _("Enter a valid PESEL number (11 digits).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("min_length", 11)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{11}"})

    def clean(self, value):
        value = super().clean(value)
        if value and not pesel_number.is_valid(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


MEMBER_HELP = _("The person must already be registered in the center (Persons).")


class FamilyForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("foster family", "Name"), max_length=200, help_text=_("e.g. Anna and Jan Kowalski")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FamilyKind.choices)
    member1_pesel = PeselField(label=_("First member: PESEL"), help_text=MEMBER_HELP)
    member1_relation = forms.ChoiceField(
        label=_("First member: relation to the child"), choices=Relation.choices, initial=Relation.NOT_RELATED
    )
    member2_pesel = PeselField(label=_("Second member: PESEL"), required=False, help_text=_("Optional."))
    member2_relation = forms.ChoiceField(
        label=_("Second member: relation to the child"),
        choices=Relation.choices,
        initial=Relation.NOT_RELATED,
        required=False,
    )
    qualified_on = forms.DateField(label=_("Qualified on"), required=False, widget=DateInput())
    coordinator = CoordinatorChoiceField(
        label=_("Coordinator"), queryset=None, required=False, empty_label=_("None yet")
    )
    street = forms.CharField(label=_("Street"), max_length=120, required=False)
    building = forms.CharField(label=_("Building number"), max_length=20, required=False)
    flat = forms.CharField(label=_("Flat"), max_length=20, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{2}-\d{3}$",
        required=False,
        max_length=6,
        error_messages={"invalid": _("Enter the postcode as 00-000.")},
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators

    def clean(self):
        data = super().clean()
        first, second = data.get("member1_pesel"), data.get("member2_pesel")
        if first and second and first == second:
            self.add_error("member2_pesel", _("The second member must be another person."))
        return data


class CoordinatorForm(forms.Form):
    coordinator = CoordinatorChoiceField(label=_("Coordinator"), queryset=None, empty_label=_("Choose a coordinator"))
    since = forms.DateField(
        label=_("Coordinator since"), required=False, widget=DateInput(), help_text=_("Default: today.")
    )

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators


class FamilyStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=FAMILY_STATUSES)


class MemberForm(forms.Form):
    pesel = PeselField(label=_("PESEL"), help_text=MEMBER_HELP)
    relation = forms.ChoiceField(label=_("Relation to the child"), choices=Relation.choices)
    joined_on = forms.DateField(label=_("Member since"), required=False, widget=DateInput())


# --- children, meetings and assessments ------------------------------------------------------------------


class MeetingForm(forms.Form):
    """Plan a meeting with the biological parents; ``children`` adds the child's select (calendar page)."""

    child = forms.ModelChoiceField(label=_("Child"), queryset=None, empty_label=_("Choose a child"))
    day = forms.DateField(label=_("Day"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    participants = forms.CharField(label=_("Participants"), max_length=300, help_text=_("e.g. mother, father"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        if children is None:
            del self.fields["child"]
        else:
            self.fields["child"].queryset = children

    def planned_at(self):
        day, time = self.cleaned_data["day"], self.cleaned_data["time"]
        return timezone.make_aware(datetime.combine(day, time))


class MeetingHeldForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class AssessmentForm(forms.Form):
    performed_on = forms.DateField(label=_("Performed on"), widget=DateInput())
    result = forms.ChoiceField(label=_("Result"), choices=Assessment.Result.choices)
    conclusions = forms.CharField(label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- irregularity reports ----------------------------------------------------------------------------------


class PlacementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.child.person} – {obj.family} ({obj.start_on:%d.%m.%Y})"


class ReportForm(forms.Form):
    placement = PlacementChoiceField(
        label=_("Placement"), queryset=None, empty_label=_("Choose a child and family"), help_text=None
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput())
    source = forms.CharField(
        label=_("Source of the information"), max_length=200, required=False, help_text=_("e.g. a signal from school")
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = placements
        self.fields["placement"].help_text = _("Children currently placed in a foster family.")


class NotificationSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    reference = forms.CharField(label=_("Letter reference"), max_length=100)


class CloseReportForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
