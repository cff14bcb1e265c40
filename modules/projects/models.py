"""EU and other funded projects run by a center: funding, partners, targets (indicators),
participants with the EU monitoring fields, and recorded achievements.

Every rule (permissions, periods, budgets, status transitions, one active enrolment per person)
is enforced in ``services.py``; the database constraints below are the last line of defence.

Progress against a target is measured in one of two ways, chosen per target (``Target.measure``):

* ``participants`` – counted: the number of distinct persons enrolled in the project whose
  monitoring data (as recorded at enrolment, and at exit for result indicators) match the target's
  criteria (sex, age range at enrolment, labour-market status at enrolment, a characteristic such as
  "caring for a child under 3", labour-market status at exit). Empty criteria match everybody.
* ``recorded`` – the sum of the achievement values recorded against the target (``Achievement``),
  for indicators that are not people (care centers opened, counselling hours, events).

A project's period may be given to the day or only as implementation years (``period_precision``:
"2014–2020" is stored as 1 January 2014 – 31 December 2020); either end may be unknown for
historical records whose dates the center no longer has. Enrolment dates are checked against the
known ends only.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ostoja.modules.cases.models import Sex

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")
    SETTLED = "settled", _("settled")
    CANCELLED = "cancelled", _("cancelled")


class CenterRole(models.TextChoices):
    LEAD = "lead", _("lead")
    PARTNER = "partner", _("partner")


class PeriodPrecision(models.TextChoices):
    DAY = "day", _("exact dates")
    YEAR = "year", _("implementation years")


class FundingKind(models.TextChoices):
    EFS = "efs", _("European Social Fund (EFS)")
    STATE_BUDGET = "state_budget", _("state budget")
    COMMUNE_BUDGET = "commune_budget", _("commune budget")
    OTHER = "other", _("other")


class LabourMarketStatus(models.TextChoices):
    """Status on the labour market as asked in EU (EFS) participant monitoring."""

    EMPLOYED = "employed", _("employed (incl. self-employed)")
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("unemployed, registered at a labour office")
    UNEMPLOYED_UNREGISTERED = "unemployed_unregistered", _("unemployed, not registered")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed")
    INACTIVE = "inactive", _("economically inactive")
    INACTIVE_IN_EDUCATION = "inactive_in_education", _("economically inactive, in education or training")


class Characteristic(models.TextChoices):
    """Characteristics of a participant that project targets are defined by."""

    CARES_FOR_CHILD_UNDER_3 = "cares_for_child_under_3", _("caring for a child under 3")
    DISABILITY = "disability", _("person with a disability")
    FOSTER_FAMILY = "foster_family", _("member of a foster family")
    LEAVING_CARE = "leaving_care", _("young person leaving care")
    HOMELESS = "homeless", _("homeless or excluded from housing")
    MIGRANT = "migrant", _("migrant, of foreign origin or a minority")
    SOCIAL_ASSISTANCE = "social_assistance", _("social assistance recipient")


class EducationLevel(models.TextChoices):
    ISCED_0_2 = "isced_0_2", _("lower secondary or less (ISCED 0–2)")
    ISCED_3_4 = "isced_3_4", _("upper secondary or post-secondary (ISCED 3–4)")
    ISCED_5_8 = "isced_5_8", _("tertiary (ISCED 5–8)")


class AgeGroup(models.TextChoices):
    """Age bands at enrolment. The EFS 2014–2020 groups (under 25, 25–54, over 54) and the EFS+
    groups (under 18, 18–29, 55 and over) are unions of these bands."""

    UNDER_18 = "under_18", _("under 18")
    FROM_18_TO_24 = "18_24", _("18–24")
    FROM_25_TO_29 = "25_29", _("25–29")
    FROM_30_TO_54 = "30_54", _("30–54")
    FROM_55_TO_64 = "55_64", _("55–64")
    FROM_65 = "65_plus", _("65 and over")


def age_group_for(age: int) -> AgeGroup:
    for upper, group in (
        (17, AgeGroup.UNDER_18),
        (24, AgeGroup.FROM_18_TO_24),
        (29, AgeGroup.FROM_25_TO_29),
        (54, AgeGroup.FROM_30_TO_54),
        (64, AgeGroup.FROM_55_TO_64),
    ):
        if age <= upper:
            return group
    return AgeGroup.FROM_65


class IndicatorType(models.TextChoices):
    OUTPUT = "output", _("output indicator")
    RESULT = "result", _("result indicator")


class TargetUnit(models.TextChoices):
    PERSONS = "persons", _("persons")
    FAMILIES = "families", _("families")
    FACILITIES = "facilities", _("facilities")
    EVENTS = "events", _("events")
    HOURS = "hours", _("hours")
    OTHER = "other", _("other")


class TargetMeasure(models.TextChoices):
    PARTICIPANTS = "participants", _("counted from participants")
    RECORDED = "recorded", _("recorded achievements")


class ExitReason(models.TextChoices):
    COMPLETED = "completed", _("completed the support")
    EARLY_EXIT = "early_exit", _("left early")
    OTHER = "other", _("other")


class Project(models.Model):
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("A stable short identifier, e.g. rodzina-w-centrum.")
    )
    title_pl = models.CharField(_("title (Polish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    umbrella_project = models.CharField(
        _("part of a larger project"), max_length=300, blank=True, help_text=_("The project this one belongs to.")
    )

    center_role = models.CharField(_("the center's role"), max_length=10, choices=CenterRole.choices)
    action = models.CharField(
        _("the center's action"), max_length=200, blank=True, help_text=_('The action or task, e.g. "Działanie 3".')
    )
    center_tasks = models.TextField(_("the center's tasks"), blank=True)
    lead_organisation = models.CharField(
        _("lead organisation"), max_length=300, blank=True, help_text=_("Empty when the center itself leads.")
    )

    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    period_precision = models.CharField(
        _("period given as"), max_length=4, choices=PeriodPrecision.choices, default=PeriodPrecision.DAY
    )

    total_budget = models.DecimalField(_("total budget (zł)"), null=True, blank=True, **MONEY)
    center_share = models.DecimalField(_("the center's share (zł)"), null=True, blank=True, **MONEY)

    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_projects",
        verbose_name=_("coordinator"),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "title_pl", "id"]
        indexes = [models.Index(fields=["status", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="project_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(total_budget__isnull=True) | models.Q(total_budget__gte=0),
                name="project_total_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(center_share__isnull=True) | models.Q(center_share__gte=0),
                name="project_center_share_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(total_budget__isnull=True)
                | models.Q(center_share__isnull=True)
                | models.Q(center_share__lte=models.F("total_budget")),
                name="project_share_within_total",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title_pl

    @property
    def period_label(self) -> str:
        if self.start_date is None and self.end_date is None:
            return ""
        if self.period_precision == PeriodPrecision.YEAR:
            start = str(self.start_date.year) if self.start_date else "?"
            end = str(self.end_date.year) if self.end_date else "?"
        else:
            start = f"{self.start_date:%d.%m.%Y}" if self.start_date else "?"
            end = f"{self.end_date:%d.%m.%Y}" if self.end_date else "?"
        return f"{start}–{end}"

    def contains(self, day) -> bool:
        """Whether ``day`` lies within the known ends of the period."""
        return (self.start_date is None or day >= self.start_date) and (self.end_date is None or day <= self.end_date)


class FundingSource(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="funding_sources", verbose_name=_("project")
    )
    kind = models.CharField(_("source"), max_length=20, choices=FundingKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount (zł)"), null=True, blank=True, help_text=_("Empty when the amount is not known."), **MONEY
    )

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "description"], name="funding_source_unique"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="funding_amount_not_negative"
            ),
        ]

    def __str__(self):
        label = self.description or self.get_kind_display()
        return f"{label}: {self.amount} zł" if self.amount is not None else str(label)


class Partner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=300)
    role_description = models.CharField(_("role in the project"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="partner_unique_per_project")]

    def __str__(self):
        return self.name


class Target(models.Model):
    """An indicator with its target value. See the module docstring for how progress is measured."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets", verbose_name=_("project"))
    code = models.SlugField(_("code"), max_length=60)
    name_pl = models.CharField(_("name (Polish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    indicator_type = models.CharField(
        _("indicator type"), max_length=10, choices=IndicatorType.choices, default=IndicatorType.OUTPUT
    )
    unit = models.CharField(_("unit"), max_length=12, choices=TargetUnit.choices)
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    measure = models.CharField(_("measured by"), max_length=12, choices=TargetMeasure.choices)

    criterion_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    criterion_min_age = models.PositiveSmallIntegerField(_("minimum age at enrolment"), null=True, blank=True)
    criterion_max_age = models.PositiveSmallIntegerField(_("maximum age at enrolment"), null=True, blank=True)
    criterion_labour_statuses = ArrayField(
        models.CharField(max_length=32, choices=LabourMarketStatus.choices),
        default=list,
        blank=True,
        verbose_name=_("labour-market status at enrolment"),
    )
    criterion_characteristic = models.CharField(
        _("characteristic"), max_length=32, choices=Characteristic.choices, blank=True
    )
    criterion_exit_statuses = ArrayField(
        models.CharField(max_length=32, choices=LabourMarketStatus.choices),
        default=list,
        blank=True,
        verbose_name=_("labour-market status at exit"),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="target_code_unique_per_project"),
            models.CheckConstraint(condition=models.Q(target_value__gt=0), name="target_value_positive"),
            models.CheckConstraint(
                condition=models.Q(criterion_min_age__isnull=True)
                | models.Q(criterion_max_age__isnull=True)
                | models.Q(criterion_min_age__lte=models.F("criterion_max_age")),
                name="target_age_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.target_value.normalize():f} {self.get_unit_display()}"

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_pl

    @property
    def progress_percent(self) -> Decimal | None:
        """Achieved share of the target value in percent; needs the ``achieved`` annotation (services)."""
        achieved = getattr(self, "achieved", None)
        if achieved is None:
            return None
        return (Decimal(achieved) * 100 / self.target_value).quantize(Decimal("0.1"))


class Participant(models.Model):
    """One enrolment of a person in a project, with the EU monitoring data as at enrolment (sex and
    age are taken from the person by the service, never typed in) and at exit."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="participants", verbose_name=_("project")
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="project_participations", verbose_name=_("person")
    )
    enrolled_on = models.DateField(_("enrolled on"))
    exited_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(_("reason for leaving"), max_length=12, choices=ExitReason.choices, blank=True)

    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_at_enrolment = models.PositiveSmallIntegerField(_("age at enrolment"))
    labour_market_status = models.CharField(
        _("labour-market status at enrolment"), max_length=32, choices=LabourMarketStatus.choices
    )
    labour_market_status_at_exit = models.CharField(
        _("labour-market status at exit"), max_length=32, choices=LabourMarketStatus.choices, blank=True
    )
    education_level = models.CharField(_("education"), max_length=10, choices=EducationLevel.choices, blank=True)
    characteristics = ArrayField(
        models.CharField(max_length=32, choices=Characteristic.choices),
        default=list,
        blank=True,
        verbose_name=_("characteristics"),
    )
    notes = models.TextField(_("notes"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["enrolled_on", "id"]
        indexes = [
            models.Index(fields=["project", "exited_on"]),
            models.Index(fields=["person", "project"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person"],
                condition=models.Q(exited_on__isnull=True),
                name="participant_one_active_enrolment",
            ),
            models.CheckConstraint(
                condition=models.Q(exited_on__isnull=True) | models.Q(exited_on__gte=models.F("enrolled_on")),
                name="participant_exit_after_enrolment",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.project.code}"

    @property
    def age_group(self) -> AgeGroup:
        return age_group_for(self.age_at_enrolment)

    @property
    def is_active(self) -> bool:
        return self.exited_on is None


class Achievement(models.Model):
    """A recorded contribution to a ``recorded`` target (e.g. one care center opened)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="achievements", verbose_name=_("target"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    achieved_on = models.DateField(_("achieved on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["achieved_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gt=0), name="achievement_value_positive")]

    def __str__(self):
        return f"{self.target.code}: {self.value.normalize():f} ({self.achieved_on:%d.%m.%Y})"
