from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ostoja.platform.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from ostoja.platform.documents import services  # noqa: F401  (the receiver that removes deleted files)
