import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    CASES = "cases", _("case list")
    MRPIPS = "mrpips", _("MRPiPS-03 half-year table")
    FOSTER_CARE = "foster_care", _("foster-care register")
    PARTICIPANTS = "participants", _("project participants")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be built")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


class Export(models.Model):
    """A file a staff member asked for: built in the background from the center's data as the requester may see
    it, stored under ``centers/<schema>/exports/<uuid>.<ext>``, downloadable by the requester until it expires."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("requested by")
    )
    key = models.CharField(_("storage key"), max_length=255, blank=True, editable=False)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(_("error code"), max_length=60, blank=True)
    # The district scope the file was built with: "all", or the requester's district ids (a social worker's case
    # list); a download is refused unless the requester's scope still covers it. Null until built.
    scope = models.JSONField(_("scope built with"), null=True, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.format}, {self.created_at:%Y-%m-%d %H:%M})"
