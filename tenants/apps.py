from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "ostoja.tenants"
    label = "tenants"
    verbose_name = _("Centers")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ostoja.tenants.middleware import forget_hosts
        from ostoja.tenants.models import Center, Domain

        for model in (Center, Domain):
            post_save.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-save-{model.__name__}")
            post_delete.connect(forget_hosts, sender=model, dispatch_uid=f"forget-hosts-delete-{model.__name__}")
