"""URLs of the platform host (the bare BASE_DOMAIN): the public directory of centers, operators and
regional partners."""

from django.urls import include, path

from ostoja.graphql.core.views import graphql_urls
from ostoja.graphql.platform.schema import schema
from ostoja.platform.admin_sites import platform_admin_site
from ostoja.tenants import directory_views

urlpatterns = [
    path("", directory_views.platform_home, name="home"),
    path("", include("ostoja.platform.accounts.urls")),
    path("", include("ostoja.platform.web.urls")),
    path("operator/", include("ostoja.tenants.operator_urls")),
    path("partner/", include("ostoja.tenants.partner_urls")),
    path("admin/", platform_admin_site.urls),
    *graphql_urls(schema),
]
