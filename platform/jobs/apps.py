from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "ostoja.platform.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from ostoja.platform.jobs import signals  # noqa: F401 (connects the task_failure handler)
