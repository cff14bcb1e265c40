"""URLs of a center host (<slug>.<BASE_DOMAIN>)."""

from django.urls import include, path

from ostoja.graphql.core.views import graphql_urls
from ostoja.graphql.staff.schema import schema
from ostoja.platform.admin_sites import center_admin_site

urlpatterns = [
    path("", include("ostoja.tenants.configuration.urls")),
    path("", include("ostoja.platform.accounts.urls")),
    path("", include("ostoja.platform.documents.urls")),
    path("", include("ostoja.platform.web.urls")),
    path("", include("ostoja.platform.web.staff_urls")),
    path("", include("ostoja.modules.cases.urls")),
    path("foster-care/", include("ostoja.modules.foster_care.urls")),
    path("projects/", include("ostoja.modules.projects.urls")),
    path("exports/", include("ostoja.platform.exports.urls")),
    path("settings/", include("ostoja.tenants.configuration.settings_urls")),
    path("admin/", center_admin_site.urls),
    *graphql_urls(schema),
]
