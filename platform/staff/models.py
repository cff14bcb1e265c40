from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    FOSTER_CARE_COORDINATOR = "foster_care_coordinator", _("Foster-care coordinator")
    PROJECT_COORDINATOR = "project_coordinator", _("Project coordinator")
    BENEFITS_CLERK = "benefits_clerk", _("Benefits clerk")
    LEGAL_ADVISOR = "legal_advisor", _("Legal advisor")
    AUDITOR = "auditor", _("Read-only auditor")
    ADMINISTRATOR = "administrator", _("Center administrator")


class StaffProfile(models.Model):
    """A staff member of this center: roles, districts (social workers), department and team."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    roles = ArrayField(models.CharField(max_length=32, choices=Role.choices), default=list, verbose_name=_("roles"))
    districts = models.ManyToManyField(
        "configuration.District", blank=True, related_name="staff", verbose_name=_("districts")
    )
    department = models.ForeignKey(
        "configuration.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    team = models.ForeignKey(
        "configuration.Team", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("team")
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)
