"""URLs of a center host (<slug>.<BASE_DOMAIN>)."""

from django.urls import include, path

from ostoja.graphql.core.views import graphql_urls
from ostoja.graphql.staff.schema import schema
from ostoja.platform.admin_sites import center_admin_site

urlpatterns = [
    path("", include("ostoja.tenants.configuration.urls")),
    path("", include("ostoja.platform.accounts.urls")),
    path("", include("ostoja.platform.documents.urls")),
    path("admin/", center_admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *graphql_urls(schema),
]
