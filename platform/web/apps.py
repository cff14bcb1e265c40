from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The server-rendered web interface: layout, navigation, language, form and page helpers, the staff
    dashboard. Each module keeps its own pages (views, forms, templates) next to its services."""

    name = "ostoja.platform.web"
    label = "web"
    verbose_name = _("Web interface")
