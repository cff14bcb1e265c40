from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class Person(models.Model):
    """A person known to the center: client, household member, foster child or project participant.

    PESEL is validated with python-stdnum (services.py); a person without one (a foreigner) must have
    a date of birth and an identity document. The district comes from the address through the
    center's ``district_for`` unless a recorded manual override says otherwise."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    pesel = models.CharField(_("PESEL"), max_length=11, null=True, blank=True, unique=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    citizenship = models.CharField(_("citizenship"), max_length=2, default="PL", help_text=_("ISO 3166 code"))
    document_type = models.CharField(_("identity document"), max_length=40, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)

    street = models.CharField(_("street"), max_length=120, blank=True)
    building = models.CharField(_("building number"), max_length=20, blank=True)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.ForeignKey(
        "configuration.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("district"),
    )
    district_overridden = models.BooleanField(_("district set manually"), default=False)
    district_override_reason = models.CharField(_("reason for the manual district"), max_length=300, blank=True)

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["district", "last_name"]),
            GinIndex(fields=["last_name"], name="person_last_name_trgm", opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pesel__isnull=False) | models.Q(date_of_birth__isnull=False),
                name="person_has_pesel_or_birth_date",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
