from django.contrib import admin

from ostoja.platform.admin_sites import ReadOnlyModelAdmin, center_admin_site
from ostoja.platform.documents.models import Document


@admin.register(Document, site=center_admin_site)
class DocumentAdmin(ReadOnlyModelAdmin):
    """Inspection only: documents are uploaded, downloaded and deleted through the services (GraphQL)."""

    list_display = ("original_name", "title", "content_type", "size", "state", "created_at", "uploaded_by")
    list_filter = ("state", "content_type")
    search_fields = ("original_name", "title")
    exclude = ("key",)
