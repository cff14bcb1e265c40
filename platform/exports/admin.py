from django.contrib import admin

from ostoja.platform.admin_sites import ReadOnlyModelAdmin, center_admin_site
from ostoja.platform.exports.models import Export


@admin.register(Export, site=center_admin_site)
class ExportAdmin(ReadOnlyModelAdmin):
    """Inspection only: exports are requested and downloaded through the services (GraphQL)."""

    list_display = ("created_at", "kind", "format", "status", "requested_by", "row_count", "size", "expires_at")
    list_filter = ("kind", "format", "status")
    exclude = ("key",)
