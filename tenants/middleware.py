"""Picks the schema from the host: the bare BASE_DOMAIN is the platform, a known domain is its center,
anything else is a plain 404. A deactivated center answers 503 "service suspended"."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware

from ostoja.tenants.models import Domain


def platform_hosts() -> set[str]:
    return {settings.BASE_DOMAIN, *settings.PLATFORM_EXTRA_HOSTS}


class CenterMiddleware(TenantMainMiddleware):
    def process_request(self, request):
        connection.set_schema_to_public()
        request.center = None
        try:
            hostname = self.hostname_from_request(request)
        except Exception:  # DisallowedHost and malformed Host headers alike
            return self._plain(request, "errors/unknown_host.html", 404)

        if hostname in platform_hosts():
            request.tenant = connection.tenant  # the public schema
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return None

        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None or domain.tenant.schema_name == settings.TENANT_BASE_SCHEMA:
            return self._plain(request, "errors/unknown_host.html", 404, hostname=hostname)
        center = domain.tenant
        if not center.is_active:
            return self._plain(request, "errors/suspended.html", 503, center=center)

        center.domain_url = hostname
        request.tenant = request.center = center
        connection.set_tenant(center)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return None

    @staticmethod
    def _plain(request, template, status, **context):
        response = HttpResponse(render_to_string(template, context, request=None), status=status)
        if status == 503:
            response["Retry-After"] = "3600"
        return response
