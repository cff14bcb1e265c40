"""Forms of the persons and cases pages. They only shape the input: every rule (PESEL, districts, due dates, who may
do what) is the services', whose errors ``platform.web.forms.submit`` puts next to these fields."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.modules.cases.models import (
    CaseNote,
    CaseStatus,
    ClosureReason,
    DecisionKind,
    HelpReason,
    Relation,
    Sex,
    SubmittedBy,
)
from ostoja.platform.web.forms import DateInput

INTAKE_POOL = "none"  # the district filter's value for persons without a district


def _today():
    return timezone.localdate()


def worker_label(profile) -> str:
    return profile.user.get_full_name() or profile.user.get_username()


def reason_label(reason: HelpReason) -> str:
    if reason.special_category:
        return str(_("%(name)s (special-category data)") % {"name": reason.name})
    return reason.name


def district_choices(districts, *, everyone: str, intake_pool: bool = True) -> list[tuple[str, str]]:
    choices = [("", everyone)]
    if intake_pool:
        choices.append((INTAKE_POOL, str(_("No district (intake pool)"))))
    return choices + [(str(d.pk), d.name) for d in districts]


# --- lists -----------------------------------------------------------------------------------------


class PersonFilterForm(forms.Form):
    search = forms.CharField(
        label=_("Name or PESEL"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words of the first or last name, or the first digits of the PESEL."),
    )
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices(districts, everyone=str(_("All districts")))


class CaseFilterForm(forms.Form):
    search = forms.CharField(
        label=_("Person's name or PESEL"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    worker = forms.ChoiceField(label=_("Social worker"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    reason = forms.ChoiceField(label=_("Reason for help"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    include_sensitive = forms.BooleanField(
        label=_("Include special-category reasons"),
        required=False,
        help_text=_("Needed to filter by such a reason; showing them is recorded in the audit log."),
    )

    def __init__(self, *args, districts=(), workers=(), reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices(districts, everyone=str(_("All districts")))
        self.fields["worker"].choices = [("", str(_("Any social worker"))), (INTAKE_POOL, str(_("No social worker")))]
        self.fields["worker"].choices += [(str(w.pk), worker_label(w)) for w in workers]
        self.fields["status"].choices = [("", str(_("Any status"))), *CaseStatus.choices]
        self.fields["reason"].choices = [("", str(_("Any reason")))] + [(r.code, reason_label(r)) for r in reasons]


# --- persons ---------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    pesel = forms.CharField(
        label=_("PESEL"),
        required=False,
        max_length=20,
        help_text=_("Leave empty for a person without a PESEL: then the date of birth and an identity document."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("— from the PESEL —")), *Sex.choices])
    citizenship = forms.CharField(
        label=_("Citizenship"), max_length=2, initial="PL", help_text=_("Two-letter country code, e.g. PL, UA.")
    )
    document_type = forms.CharField(label=_("Identity document"), required=False, max_length=40)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    street = forms.CharField(
        label=_("Street"),
        required=False,
        max_length=120,
        help_text=_("The district is found from the street and the building number."),
    )
    building = forms.CharField(label=_("Building number"), required=False, max_length=20)
    flat = forms.CharField(label=_("Flat"), required=False, max_length=20)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=6)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def values(self) -> dict:
        """The service's keyword arguments."""
        return dict(self.cleaned_data)

    @classmethod
    def initial_for(cls, person) -> dict:
        return {name: getattr(person, name) for name in cls.base_fields}


# --- applications ----------------------------------------------------------------------------------

NEW_CASE = ""


class ApplicationForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=_today)
    urgent = forms.BooleanField(
        label=_("Urgent"), required=False, help_text=_("The community interview is then due in 2 working days.")
    )
    submitted_by = forms.ChoiceField(label=_("Submitted by"), choices=SubmittedBy.choices, initial=SubmittedBy.PERSON)
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for help"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Special-category reasons (health, addiction, violence …) are marked; reading them is audited."),
    )
    description = forms.CharField(
        label=_("What is asked for"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    case = forms.ChoiceField(label=_("Case"), required=False)
    worker = forms.ChoiceField(label=_("Case worker"), required=False)

    def __init__(self, *args, reasons=(), open_cases=(), workers=(), worker_note="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = [(r.code, reason_label(r)) for r in reasons]
        if open_cases:
            self.fields["case"].choices = [(NEW_CASE, str(_("Open a new case")))] + [
                (
                    str(c.pk),
                    str(_("Add to case %(number)s (%(status)s)") % {"number": c.pk, "status": c.get_status_display()}),
                )
                for c in open_cases
            ]
            self.fields["case"].help_text = _("The person has an open case; the application may be added to it.")
        else:
            del self.fields["case"]
        self.fields["worker"].choices = [("", str(_("— not now —")))] + [(str(w.pk), worker_label(w)) for w in workers]
        self.fields["worker"].help_text = worker_note or _("The social worker in charge of the case.")


# --- cases -----------------------------------------------------------------------------------------


class CaseWorkerForm(forms.Form):
    worker = forms.ChoiceField(label=_("Case worker"))

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "—")] + [(str(w.pk), worker_label(w)) for w in workers]


class CaseReasonsForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for help"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = [(r.code, reason_label(r)) for r in reasons]


class CloseCaseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=[("", "—"), *ClosureReason.choices])
    on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenCaseForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the case reopened?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignInterviewForm(forms.Form):
    worker = forms.ChoiceField(label=_("Social worker"))
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DateInput(), initial=_today)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "—")] + [(str(w.pk), worker_label(w)) for w in workers]


class RecordInterviewForm(forms.Form):
    conducted_on = forms.DateField(label=_("Conducted on"), widget=DateInput(), initial=_today)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 6}))
    recommendations = forms.CharField(
        label=_("Proposed help"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of decision"), choices=DecisionKind.choices)
    form = forms.ChoiceField(
        label=_("Form of help"),
        required=False,
        help_text=_(
            "For a grant or a refusal. A change, suspension or repeal keeps the form of the decision it amends."
        ),
    )
    application = forms.ChoiceField(
        label=_("Application decided"),
        required=False,
        help_text=_("For a grant or a refusal; the oldest undecided application when not chosen."),
    )
    amends = forms.ChoiceField(
        label=_("Decision changed, suspended or repealed"),
        required=False,
        help_text=_("For a change, a suspension or a repeal: a grant in force."),
    )
    amount = forms.DecimalField(
        label=_("Amount (zł)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("A month's amount for a monthly benefit; none for help in kind or a service."),
    )
    period_start = forms.DateField(label=_("From"), widget=DateInput(), initial=_today)
    period_end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput(), initial=_today)
    justification = forms.CharField(label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    delay_reason = forms.CharField(
        label=_("Reason for the delay"),
        required=False,
        max_length=500,
        help_text=_("Required when the decision is issued after its due date (KPA art. 36)."),
    )

    AMENDING = (DecisionKind.CHANGE, DecisionKind.SUSPEND, DecisionKind.REPEAL)

    def __init__(self, *args, forms_of_help=(), applications=(), amendable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", "—")] + [(str(f.pk), f.name) for f in forms_of_help]
        self.fields["application"].choices = [("", "—")] + [
            (str(a.pk), str(_("received %(date)s, due %(due)s") % {"date": a.received_on, "due": a.decision_due_on}))
            for a in applications
        ]
        self.fields["amends"].choices = [("", "—")] + [
            (str(d.pk), f"{d.get_kind_display()}: {d.form} ({d.period_start} – {d.period_end or '…'})")
            for d in amendable
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (DecisionKind.GRANT, DecisionKind.REFUSE) and not data.get("form"):
            self.add_error("form", _("Choose the form of help."))
        if kind in self.AMENDING and not data.get("amends"):
            self.add_error("amends", _("Choose the decision this one changes, suspends or repeals."))
        return data


class DelayNoticeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the delay"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    new_due_on = forms.DateField(label=_("New date of the decision"), widget=DateInput())
    notified_on = forms.DateField(label=_("Party notified on"), widget=DateInput(), initial=_today)


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseNote.Kind.choices, initial=CaseNote.Kind.NOTE)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class PaymentPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), initial=_today)


class PaymentCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=300)


# --- households and districts ----------------------------------------------------------------------


def _money_field(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, max_digits=10, decimal_places=2, **kwargs)


class HouseholdForm(forms.Form):
    head_income = _money_field(_("Monthly net income of the head (zł)"), initial=0)
    head_income_sources = forms.CharField(label=_("Sources of income"), required=False, max_length=300)


class MemberForm(forms.Form):
    pesel = forms.CharField(
        label=_("PESEL of the member"),
        max_length=11,
        help_text=_("The member must be registered first (Persons → Register a person)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    relation = forms.ChoiceField(
        label=_("Relation to the head"), choices=[("", "—")] + [c for c in Relation.choices if c[0] != Relation.HEAD]
    )
    monthly_income = _money_field(_("Monthly net income (zł)"), initial=0)
    income_sources = forms.CharField(label=_("Sources of income"), required=False, max_length=300)


class IncomeForm(forms.Form):
    monthly_income = _money_field(_("Monthly net income (zł)"))
    income_sources = forms.CharField(label=_("Sources of income"), required=False, max_length=300)


class DistrictForm(forms.Form):
    district = forms.ChoiceField(label=_("District"))
    reason = forms.CharField(
        label=_("Why is the district set by hand?"),
        max_length=300,
        help_text=_("For example: the address fits several districts, or the person is homeless."),
    )

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "—")] + [(str(d.pk), d.name) for d in districts]
