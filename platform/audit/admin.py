"""The audit log, read-only on both admin sites: on a center host the center's own log, on the platform
host the platform's. Nobody can add, change or delete an entry through the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ostoja.platform.admin_sites import center_admin_site, platform_admin_site
from ostoja.platform.audit.models import AuditEntry


class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "who", "action", "object_type", "object_repr", "message")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id", "message")
    date_hierarchy = "at"
    list_per_page = 100
    ordering = ("-at", "-id")
    fields = ("at", "actor_label", "action", "object_type", "object_id", "object_repr", "changes", "message")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("who"))
    def who(self, obj):
        return obj.actor_label or _("system")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


center_admin_site.register(AuditEntry, AuditEntryAdmin)
platform_admin_site.register(AuditEntry, AuditEntryAdmin)
