"""Picks the schema from the host: the bare BASE_DOMAIN is the platform, a known domain is its center,
anything else is a plain 404. A deactivated center answers 503 "service suspended".

The host → center lookup is cached for OSTOJA_HOST_CACHE_SECONDS (one statement less on every request). Any
save or delete of a Center or Domain bumps a version that is part of the cache key, at once and again on
commit; with a per-process cache other processes see such a change within that many seconds."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name, schema_context

from ostoja.tenants.models import Domain


def platform_hosts() -> set[str]:
    return {settings.BASE_DOMAIN, *settings.PLATFORM_EXTRA_HOSTS}


_VERSION_KEY = "ostoja:hosts:version"
_MISSING = "missing"


def _hosts_version() -> int:
    with schema_context(get_public_schema_name()):  # the cache key function prefixes the current schema
        return cache.get_or_set(_VERSION_KEY, 1)


def forget_hosts(**_kwargs) -> None:
    """Invalidate every cached host lookup (connected to Center and Domain saves and deletes)."""

    def bump():
        with schema_context(get_public_schema_name()):
            try:
                cache.incr(_VERSION_KEY)
            except ValueError:
                cache.set(_VERSION_KEY, 2)

    bump()
    transaction.on_commit(bump)


def center_for_host(hostname: str):
    """The Center served at ``hostname`` or None (unknown hosts and the template schema)."""
    timeout = settings.OSTOJA_HOST_CACHE_SECONDS
    key = f"ostoja:host:{_hosts_version()}:{hostname}"
    if timeout:
        cached = cache.get(key)
        if cached is not None:
            return None if cached == _MISSING else cached
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    center = domain.tenant if domain and domain.tenant.schema_name != settings.TENANT_BASE_SCHEMA else None
    if timeout:
        cache.set(key, center or _MISSING, timeout)
    return center


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

        center = center_for_host(hostname)
        if center is None:
            return self._plain(request, "errors/unknown_host.html", 404, hostname=hostname)
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
