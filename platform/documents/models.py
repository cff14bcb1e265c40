from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The records a document can be attached to: field name → (model, GraphQL type name).
OWNER_FIELDS = ("person", "case", "foster_family", "foster_child", "project")


class DocumentState(models.TextChoices):
    PENDING = "pending", _("waiting for the upload")
    AVAILABLE = "available", _("available")


class Document(models.Model):
    """A file attached to exactly one record. The bytes live in the storage under ``key``
    (``centers/<schema>/documents/<uuid>.<ext>``); the name the user gave it is kept here only. The client uploads
    to ``upload_key`` (``centers/<schema>/uploads/<uuid>``), a staging key nothing downloads from: confirming the
    upload checks that object and moves it to ``key``, so a presigned PUT used again later cannot change the file."""

    key = models.CharField(_("storage key"), max_length=255, unique=True, editable=False)
    upload_key = models.CharField(_("upload key"), max_length=255, unique=True, null=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices, default=DocumentState.PENDING)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    foster_family = models.ForeignKey(
        "foster_care.FosterFamily", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    foster_child = models.ForeignKey(
        "foster_care.FosterChild", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    available_at = models.DateTimeField(_("uploaded"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="document_one_owner",
                condition=models.Q(
                    *[
                        models.Q(**{f"{name}__isnull": name != owner for name in OWNER_FIELDS})
                        for owner in OWNER_FIELDS
                    ],
                    _connector=models.Q.OR,
                ),
                violation_error_message=_("A document belongs to exactly one record."),
            )
        ]

    def __str__(self):
        return self.title or self.original_name

    @property
    def owner_field(self) -> str:
        return next(name for name in OWNER_FIELDS if getattr(self, f"{name}_id") is not None)

    @property
    def owner_id(self) -> int:
        return getattr(self, f"{self.owner_field}_id")
