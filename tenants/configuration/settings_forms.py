"""Forms of the center settings pages. They only collect and type the input: every rule (overlapping streets or
hours, closing before opening, postcodes, phones, the last administrator …) is checked by the services, whose errors
come back next to the fields they name (``submit``)."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from ostoja.platform.errors import ServiceError
from ostoja.platform.staff.models import Role
from ostoja.platform.web import forms as web_forms
from ostoja.tenants.configuration.models import (
    Address,
    CenterSettings,
    Closure,
    Contact,
    Department,
    District,
    DistrictStreet,
    HoursKind,
    Schedule,
    ScheduleRule,
    Team,
    Weekday,
)

# Errors the models report about no field (their ``clean``), and the form field they are about.
CODE_FIELDS = {
    "range_incomplete": "number_to",
    "range_reversed": "number_to",
    "district_overlap": "street",
    "hours_reversed": "closes",
    "hours_overlap": "opens",
}


def submit(form: forms.BaseForm, action, fields=None, codes=CODE_FIELDS):
    """``web.forms.submit``, and an error of the service that names no field but has a code of ``codes`` goes next
    to that code's field (a reversed range next to "to number", closing before opening next to "closes")."""

    def run():
        try:
            return action()
        except ServiceError as exc:
            for item in getattr(exc, "errors", None) or [exc]:
                if not item.field and item.code in codes and codes[item.code] in form.fields:
                    item.field = codes[item.code]
            raise

    return web_forms.submit(form, run, fields)


RELATION_LABELS = {"address": _("Address"), "department": _("Department"), "district": _("District")}


def _model_fields(model, names, **widgets):
    """Form fields for ``names`` of ``model`` (labels, lengths, choices and help texts from the model)."""
    return forms.fields_for_model(model, fields=names, widgets=widgets or None)


def _form(name: str, model, names, *, optional=(), widgets=None, help=None) -> type[forms.Form]:
    """A plain form (not a ModelForm: the services validate and save) with the model's fields ``names``;
    ``optional`` fields may be left empty, ``help`` adds help texts."""
    attrs = dict(_model_fields(model, names, **(widgets or {})))
    for field_name, label in RELATION_LABELS.items():
        if field_name in attrs:
            attrs[field_name].label = label  # the models' relations have no translated verbose names
    for field_name in optional:
        attrs[field_name].required = False
    for field_name, text in (help or {}).items():
        attrs[field_name].help_text = text
    return type(name, (forms.Form,), attrs)


class ServiceDataMixin:
    """``values()``: the cleaned values as the service takes them (an empty optional number is left out)."""

    def values(self) -> dict:
        values = dict(self.cleaned_data)
        if values.get("order") is None:
            values.pop("order", None)
        return values


def _with_data(cls):
    return type(cls.__name__, (ServiceDataMixin, cls), {})


# --- center settings ---------------------------------------------------------------------------------------


class GeneralSettingsForm(ServiceDataMixin, forms.Form):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())
    observe_public_holidays = forms.BooleanField(
        label=_("Closed on Polish public holidays"),
        required=False,
        help_text=_("Every kind of hours is closed on public holidays; working-day deadlines skip them."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description (Polish)"), required=False, widget=forms.Textarea)
    description_en = forms.CharField(label=_("Description (English)"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc/"))
        self.fields["timezone"].choices = [(zone, zone) for zone in zones]

    FIELDS = ("timezone", "observe_public_holidays", "email", "website", "description", "description_en")

    @classmethod
    def initial_from(cls, row: CenterSettings) -> dict:
        return {name: getattr(row, name) for name in cls.FIELDS}


# --- addresses, contacts, departments, teams ----------------------------------------------------------------

ADDRESS_FIELDS = ["kind", "label", "label_en", "street", "building", "flat", "postcode", "city", "note", "order"]
AddressForm = _with_data(
    _form(
        "AddressForm",
        Address,
        ADDRESS_FIELDS,
        optional=("order",),
        help={"postcode": _("For example 87-100.")},
    )
)

CONTACT_FIELDS = ["kind", "value", "label", "label_en", "department", "address", "order"]
ContactForm = _with_data(_form("ContactForm", Contact, CONTACT_FIELDS, optional=("order",)))

DEPARTMENT_FIELDS = ["code", "name", "name_en", "description", "address", "order"]
DepartmentForm = _with_data(
    _form(
        "DepartmentForm",
        Department,
        DEPARTMENT_FIELDS,
        optional=("order",),
        help={"code": _("Short and unique: letters, digits and hyphens (for example: pomoc-srodowiskowa).")},
    )
)

TEAM_FIELDS = ["name", "department"]


class TeamForm(ServiceDataMixin, _form("TeamBase", Team, TEAM_FIELDS)):
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts served"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


# --- districts and their streets ----------------------------------------------------------------------------

DISTRICT_FIELDS = ["code", "name", "description", "is_illustrative", "order"]
DistrictForm = _with_data(
    _form(
        "DistrictForm",
        District,
        DISTRICT_FIELDS,
        optional=("order",),
        help={"code": _("Short and unique: letters, digits and hyphens (for example: rejon-1).")},
    )
)

STREET_FIELDS = ["street", "numbers", "number_from", "number_to"]


class StreetForm(ServiceDataMixin, _form("StreetBase", DistrictStreet, STREET_FIELDS)):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].help_text = _("Without “ul.”; Polish letters may be left out when searching.")
        self.fields["number_from"].help_text = _("Only for a range of numbers.")
        self.fields["number_to"].help_text = _("Only for a range of numbers.")


class StreetMoveForm(StreetForm):
    """Editing a street may move it to another district."""

    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all())

    field_order = ["district", *STREET_FIELDS]


class LookupForm(forms.Form):
    street = forms.CharField(label=_("Street"), max_length=120)
    number = forms.CharField(
        label=_("House number"), max_length=20, required=False, help_text=_("For example 19, 19A or 5/3.")
    )


# --- hours -------------------------------------------------------------------------------------------------

SCHEDULE_FIELDS = ["kind", "district", "label", "label_en", "note"]


class ScheduleForm(ServiceDataMixin, _form("ScheduleBase", Schedule, SCHEDULE_FIELDS)):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].empty_label = _("The whole center")
        self.fields["district"].help_text = _(
            "Choose a district only when its hours differ (one schedule per kind for the whole center, at most one "
            "per district)."
        )


class ScheduleEditForm(ScheduleForm):
    """The kind of an existing schedule stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class RuleForm(ServiceDataMixin, forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The same hours are added to every day chosen."),
    )
    opens = forms.TimeField(label=_("Opens"), widget=web_forms.TimeInput)
    closes = forms.TimeField(label=_("Closes"), widget=web_forms.TimeInput)


class RuleEditForm(ServiceDataMixin, _form("RuleBase", ScheduleRule, ["weekday", "opens", "closes"])):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens"].widget = web_forms.TimeInput()
        self.fields["closes"].widget = web_forms.TimeInput()


CLOSURE_FIELDS = ["date", "kind", "reason", "reason_en", "closes_early_at"]


class ClosureForm(ServiceDataMixin, _form("ClosureBase", Closure, CLOSURE_FIELDS)):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget = web_forms.DateInput()
        self.fields["closes_early_at"].widget = web_forms.TimeInput()
        self.fields["kind"].choices = [("", _("Every kind of hours")), *HoursKind.choices]
        self.fields["closes_early_at"].help_text = _(
            "Empty: closed all day. A time: a shortened day, closing at that time."
        )

    def values(self) -> dict:
        values = super().values()
        values["kind"] = values.get("kind") or ""
        values["reason_en"] = values.get("reason_en") or ""
        return values


class ClosureFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=web_forms.DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=web_forms.DateInput)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *HoursKind.choices])


class HoursCheckForm(forms.Form):
    """Which hours a kind has on a day (holidays and closures applied), as the public page and the services see it."""

    day = forms.DateField(label=_("Day"), widget=web_forms.DateInput)
    kind = forms.ChoiceField(label=_("Kind of hours"), choices=HoursKind.choices)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False, empty_label=_("Any / the whole center")
    )


# --- staff -------------------------------------------------------------------------------------------------


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=[("pl", _("Polish")), ("en", _("English"))], initial="pl"
    )
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required for social workers when the center has districts."),
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    team = forms.ModelChoiceField(label=_("Social-work team"), queryset=Team.objects.all(), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not District.objects.exists():
            del self.fields["districts"]
        if not Team.objects.exists():
            del self.fields["team"]

    def data_for_service(self) -> dict:
        values = dict(self.cleaned_data)
        values["roles"] = list(values.get("roles") or [])
        if "districts" in values:
            values["districts"] = list(values["districts"] or [])
        for name in ("email", "job_title", "phone"):
            values[name] = values.get(name) or ""
        return values

    @staticmethod
    def initial_from(profile) -> dict:
        user = profile.user
        return {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "preferred_language": user.preferred_language or "pl",
            "roles": list(profile.roles),
            "districts": list(profile.districts.all()),
            "department": profile.department,
            "team": profile.team,
            "job_title": profile.job_title,
            "phone": profile.phone,
        }


class StaffFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, help_text=_("Name, username or e-mail."))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices])
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False, empty_label=_("Any district")
    )
    active = forms.ChoiceField(
        label=_("Account"),
        required=False,
        choices=[("", _("Active and deactivated")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )
