"""In-app notifications of staff members (reminders of interviews, decisions and assessments falling due) and the
center's reminder settings. One row per (recipient, object, kind): a reminder is created once, however often the
daily task runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS_AHEAD = 3  # working days


class NotificationSettings(models.Model):
    """One row per center schema (pk=1): how many working days ahead a reminder is sent, and whether reminders are
    e-mailed too."""

    days_ahead = models.PositiveSmallIntegerField(
        _("remind this many working days before the due date"), default=DEFAULT_DAYS_AHEAD
    )
    send_email = models.BooleanField(_("also send reminders by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [models.CheckConstraint(condition=models.Q(days_ahead__lte=60), name="notify_days_ahead_max")]

    def __str__(self):
        return str(_("notification settings"))

    @classmethod
    def load(cls) -> "NotificationSettings":
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Notification(models.Model):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")

    class Subject(models.TextChoices):
        INTERVIEW = "interview", _("community interview")
        DECISION = "decision", _("decision on an application")
        ASSESSMENT = "assessment", _("foster-care assessment")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    # The object reminded of: its GraphQL type name (Interview, Application, Assessment) and primary key.
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    due_on = models.DateField(_("due on"))
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "object_type", "object_id", "kind"], name="one_notification_per_object_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.message}"
