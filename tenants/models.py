from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from ostoja.tenants.slugs import validate_center_slug


class CenterKind(models.TextChoices):
    MOPR = "MOPR", _("Municipal family assistance center (MOPR)")
    MOPS = "MOPS", _("Municipal social assistance center (MOPS)")
    PCPR = "PCPR", _("County family assistance center (PCPR)")
    GOPS = "GOPS", _("Commune social assistance center (GOPS)")
    OTHER = "OTHER", _("Other")


class Voivodeship(models.TextChoices):
    DOLNOSLASKIE = "dolnoslaskie", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", "kujawsko-pomorskie"
    LUBELSKIE = "lubelskie", "lubelskie"
    LUBUSKIE = "lubuskie", "lubuskie"
    LODZKIE = "lodzkie", "łódzkie"
    MALOPOLSKIE = "malopolskie", "małopolskie"
    MAZOWIECKIE = "mazowieckie", "mazowieckie"
    OPOLSKIE = "opolskie", "opolskie"
    PODKARPACKIE = "podkarpackie", "podkarpackie"
    PODLASKIE = "podlaskie", "podlaskie"
    POMORSKIE = "pomorskie", "pomorskie"
    SLASKIE = "slaskie", "śląskie"
    SWIETOKRZYSKIE = "swietokrzyskie", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "warminsko-mazurskie", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "wielkopolskie", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", "zachodniopomorskie"


class Center(TenantMixin):
    """A family assistance center: one PostgreSQL schema, named by its slug."""

    name = models.CharField(_("official name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=CenterKind.choices, default=CenterKind.MOPR)
    city = models.CharField(_("city"), max_length=100)
    voivodeship = models.CharField(_("voivodeship"), max_length=32, choices=Voivodeship.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    auto_create_schema = True
    auto_drop_schema = False  # dropping a center's data is an explicit offboarding step

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name or self.name

    @property
    def slug(self) -> str:
        return self.schema_name

    def clean(self):
        super().clean()
        validate_center_slug(self.schema_name)

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the template schema without django-tenants' follow-up ``migrate_schemas --fake`` (slow as
        history grows, DESIGN.md §6) and with the template's constraint names; a stale template is not
        cloned but the schema migrated. See ostoja.tenants.onboarding.create_center_schema."""
        from ostoja.tenants.onboarding import create_center_schema

        if sync_schema and create_center_schema(self, check_if_exists=check_if_exists, verbosity=verbosity):
            return True
        return super().create_schema(check_if_exists=check_if_exists, sync_schema=sync_schema, verbosity=verbosity)


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.domain


class Partnership(models.Model):
    """A named group of centers whose aggregate figures its regional partners may compare."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    centers = models.ManyToManyField(Center, related_name="partnerships", blank=True, verbose_name=_("centers"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PlatformRole(models.TextChoices):
    OPERATOR = "operator", _("Platform operator")
    PARTNER = "partner", _("Regional partner")


class PlatformAccount(models.Model):
    """What a user of the public schema may do on the platform host."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="platform_account",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=PlatformRole.choices)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("partnership"),
    )

    class Meta:
        verbose_name = _("platform account")
        verbose_name_plural = _("platform accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="operator", partnership__isnull=True)
                | models.Q(role="partner", partnership__isnull=False),
                name="partner_has_partnership_operator_has_none",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class WindowKind(models.TextChoices):
    """A published window of partner figures: a calendar month, quarter, half-year or year."""

    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    HALF = "half", _("half-year")
    YEAR = "year", _("year")


class PartnerSnapshot(models.Model):
    """A RAW (unsuppressed) per-center figure for one published window, stored by tenants/snapshots.py so that the
    partner figures of past windows need not be recomputed live. Public schema: read only by platform code, which
    suppresses every table it assembles from these rows before anything leaves the API (see tenants/snapshots.py).

    ``figure`` names the figure (``reason.families``, ``decisions``…, and the marker ``computed`` that says the
    center's snapshot of the window is complete); ``category`` its column key; ``label_pl``/``label_en``/``position``
    describe reference-data columns (reasons, forms of help) as they were in the center when computed."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="partner_snapshots")
    figure = models.CharField(max_length=32)
    window_kind = models.CharField(max_length=8, choices=WindowKind.choices)
    window_year = models.PositiveSmallIntegerField()
    window_number = models.PositiveSmallIntegerField()  # month 1–12, quarter 1–4, half 1–2, 1 for a year
    category = models.CharField(max_length=64, blank=True)
    label_pl = models.CharField(max_length=300, blank=True)
    label_en = models.CharField(max_length=300, blank=True)
    position = models.IntegerField(default=0)
    count = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "figure", "window_kind", "window_year", "window_number", "category"],
                name="partner_snapshot_unique_per_center_figure_window_category",
            )
        ]
        indexes = [models.Index(fields=["window_kind", "window_year", "window_number", "figure"])]

    def __str__(self):
        return f"{self.center_id} {self.figure} {self.window_kind} {self.window_year}/{self.window_number}"
