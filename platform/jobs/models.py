"""Background jobs with progress (``Job``, in the schema of whoever started it: the public schema for operators'
jobs, a center's schema for its staff's) and the tasks that died (``FailedTask``, public schema only)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """One request for background work. ``(kind, key)`` is unique: the key names the work's business meaning
    (the slug of the center to onboard, the code of the programme to grant), so a double-clicked mutation, a
    retried or a duplicated task finds the same job instead of starting the work twice."""

    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("idempotency key"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps in all"), default=0)
    step_label = models.CharField(_("current step"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error_code = models.CharField(_("error code"), max_length=60, blank=True)
    error_message = models.CharField(_("error message"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="jobs_job_kind_key_uniq")]
        indexes = [models.Index(fields=["kind", "status"], name="jobs_job_kind_status_idx")]

    def __str__(self):
        return f"{self.kind}:{self.key} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.steps_total:
            return 0
        return min(100, self.steps_done * 100 // self.steps_total)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class FailedTask(models.Model):
    """A task that failed for good (after its retries), recorded by the ``task_failure`` signal for operators.
    No personal data: the arguments are summarised (numbers kept, text replaced by its length)."""

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    schema_name = models.CharField(_("schema"), max_length=63, blank=True)
    args_summary = models.CharField(_("arguments"), max_length=300, blank=True)
    exception_class = models.CharField(_("exception"), max_length=200)
    exception_message = models.CharField(_("exception message"), max_length=500, blank=True)
    retries = models.PositiveIntegerField(_("retries"), default=0)
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at", "-id"]

    def __str__(self):
        return f"{self.task_name} [{self.schema_name}] {self.exception_class}"
