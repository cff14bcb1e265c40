"""Forms of the operator console (platform host). They only collect input: the services check it (again) and their
errors come back next to these fields (``web.forms.submit``, with the field maps below)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ostoja.platform.jobs.models import JobStatus
from ostoja.tenants.models import Center, CenterKind, Partnership, Voivodeship

ALL = [("", _("all"))]

# Service field names → form field names.
ONBOARDING_FIELDS = {"admin.username": "admin_username", "admin.email": "admin_email", "admin": "admin_username"}
ACCOUNT_FIELDS = {"partnershipId": "partnership"}


class CenterFilters(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Slug, name, city or host."))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ALL + [("active", _("Active")), ("inactive", _("Suspended"))]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ALL + list(CenterKind.choices))
    voivodeship = forms.ChoiceField(label=_("Voivodeship"), required=False, choices=ALL + list(Voivodeship.choices))
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("short_name", _("by short name")),
            ("city", _("by city")),
            ("-created_at", _("newest first")),
            ("created_at", _("oldest first")),
        ],
    )


class OnboardingForm(forms.Form):
    name = forms.CharField(label=_("Official name"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("Leave empty for the kind and the city, for example “MOPR Toruń”."),
    )
    kind = forms.ChoiceField(label=_("Kind of center"), choices=CenterKind.choices, initial=CenterKind.MOPR)
    city = forms.CharField(label=_("City"), max_length=100)
    voivodeship = forms.ChoiceField(label=_("Voivodeship"), choices=[("", "—")] + list(Voivodeship.choices))
    slug = forms.CharField(
        label=_("Slug"),
        max_length=40,
        required=False,
    )
    domain = forms.CharField(
        label=_("Host name"),
        max_length=253,
        required=False,
    )
    admin_username = forms.CharField(
        label=_("Administrator's username"),
        max_length=150,
        help_text=_("The center's first administrator; you will get a one-time link where they choose a password."),
    )
    admin_email = forms.EmailField(label=_("Administrator's e-mail"), required=False)
    admin_first_name = forms.CharField(label=_("Administrator's first name"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("Administrator's last name"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = {"base": settings.BASE_DOMAIN}  # help texts in the language of the request
        self.fields["slug"].help_text = (
            _(
                "Names the center's database schema and its address (torun → torun.%(base)s): 2–40 lowercase ASCII "
                "letters and digits, starting with a letter. Leave empty to use the city's name."
            )
            % base
        )
        self.fields["domain"].help_text = (
            _("Optional: the center's own primary host; the slug followed by .%(base)s if left empty.") % base
        )

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip().lower()

    def clean_admin_username(self):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        username = (self.cleaned_data.get("admin_username") or "").strip()
        UnicodeUsernameValidator()(username)  # checked again when the center is created
        return username

    def clean_domain(self):
        return (self.cleaned_data.get("domain") or "").strip().lower()

    def administrator(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data["admin_username"].strip(),
            "email": data.get("admin_email") or None,
            "first_name": data.get("admin_first_name") or None,
            "last_name": data.get("admin_last_name") or None,
        }


class JobFilters(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ALL + list(JobStatus.choices))


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("Host name"), max_length=253, help_text=_("For example mopr.example.pl."))
    primary = forms.BooleanField(label=_("Make it the primary host (links use it)"), required=False)


class DeleteCenterForm(forms.Form):
    confirm_slug = forms.CharField(
        label=_("Type the center's slug to confirm"),
        max_length=40,
        help_text=_("Deleting drops all of the center's data and files for good."),
    )

    def __init__(self, *args, center: Center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center

    def clean_confirm_slug(self):
        value = (self.cleaned_data.get("confirm_slug") or "").strip()
        if value != self.center.schema_name:
            raise forms.ValidationError(_("This is not the center's slug."), code="confirmation_mismatch")
        return value


class CentersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        status = "" if obj.is_active else f" ({_('Suspended')})"
        return f"{obj.short_name} – {obj.city}{status}"


class PartnershipForm(forms.Form):
    name = forms.CharField(label=_("Name of the partnership"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    centers = CentersField(label=_("Centers"), queryset=Center.objects.none(), required=False)

    def __init__(self, *args, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centers is not None:
            self.fields["centers"].queryset = centers


class AccountFilters(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Username, name or e-mail."))
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), required=False, queryset=Partnership.objects.none(), empty_label=_("all")
    )
    active = forms.ChoiceField(
        label=_("Accounts"),
        required=False,
        choices=[("", _("all")), ("yes", _("Active accounts")), ("no", _("Deactivated accounts"))],
    )

    def __init__(self, *args, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partnerships is not None:
            self.fields["partnership"].queryset = partnerships


LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]


class AccountForm(forms.Form):
    """A partner account's details (``username`` only when creating it)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    partnership = forms.ModelChoiceField(label=_("Partnership"), queryset=Partnership.objects.none())
    preferred_language = forms.ChoiceField(label=_("Language of e-mails and pages"), choices=LANGUAGES, initial="pl")

    def __init__(self, *args, partnerships=None, creating: bool = True, partner: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if partnerships is not None:
            self.fields["partnership"].queryset = partnerships
        if not creating:
            del self.fields["username"]
        if not partner:  # an operator belongs to no partnership
            del self.fields["partnership"]
