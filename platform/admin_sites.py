"""Two admin sites: the platform's (operators, on the bare BASE_DOMAIN) and a center's (its
administrators, on the center host). Each app registers its models on the site where they belong.

Ostoja's permissions are roles, not Django's per-model permissions: whoever may enter a site may work with
every model registered on it. Each site therefore wraps every ModelAdmin (and its inlines) registered on it
in ``RoleGatedModelAdmin``/``RoleGatedInline``, whose permission checks ask the site. A ModelAdmin can still
narrow things down by overriding ``has_add_permission`` and the like (read-only admins do)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.options import InlineModelAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

_CACHE_ATTR = "_ostoja_admin_access"


class RoleGatedModelAdmin(admin.ModelAdmin):
    def _site_allows(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self._site_allows(request)

    def has_view_permission(self, request, obj=None):
        return self._site_allows(request)

    def has_add_permission(self, request):
        return self._site_allows(request)

    def has_change_permission(self, request, obj=None):
        return self._site_allows(request)

    def has_delete_permission(self, request, obj=None):
        return self._site_allows(request)


class RoleGatedInline(InlineModelAdmin):
    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)


class ReadOnlyMixin:
    """For a ModelAdmin or an inline: records are only inspected here, they change through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True


def form_with_actor(form_class, actor):
    """``form_class`` whose instances carry ``actor`` (the admin user), for clean() methods that ask the services."""

    class WithActor(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.actor = actor

    WithActor.__name__ = form_class.__name__
    return WithActor


def _gated(admin_class):
    admin_class = admin_class or admin.ModelAdmin
    if not issubclass(admin_class, RoleGatedModelAdmin):
        admin_class = type(
            admin_class.__name__, (admin_class, RoleGatedModelAdmin), {"__module__": admin_class.__module__}
        )
    inlines = [
        inline if issubclass(inline, RoleGatedInline) else type(inline.__name__, (inline, RoleGatedInline), {})
        for inline in admin_class.inlines
    ]
    if inlines != list(admin_class.inlines):
        admin_class = type(
            admin_class.__name__, (admin_class,), {"inlines": inlines, "__module__": admin_class.__module__}
        )
    return admin_class


class OstojaAdminSite(AdminSite):
    """Logins and logouts go through the audited, rate-limited account pages of the host."""

    def register(self, model_or_iterable, admin_class=None, **options):
        return super().register(model_or_iterable, _gated(admin_class), **options)

    def has_permission(self, request):
        cached = getattr(request, _CACHE_ATTR, None)
        if cached is None or cached[0] is not self:
            cached = (self, self.allows(request))
            setattr(request, _CACHE_ATTR, cached)
        return cached[1]

    def allows(self, request) -> bool:
        raise NotImplementedError

    def login(self, request, extra_context=None):
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")

    def logout(self, request, extra_context=None):
        from ostoja.platform.accounts.views import LogoutView

        return LogoutView.as_view(next_page=reverse("login"))(request)


class PlatformAdminSite(OstojaAdminSite):
    site_header = _("Ostoja – platform administration")
    site_title = _("Ostoja platform")
    index_title = _("Centers, domains and platform accounts")

    def allows(self, request) -> bool:
        from ostoja.platform.accounts.services import is_operator

        if getattr(request, "center", None) is not None:
            return False
        return is_operator(request.user)


class CenterAdminSite(OstojaAdminSite):
    site_header = _("Center administration")
    site_title = _("Center administration")
    index_title = _("Configuration and staff")

    def each_context(self, request):
        context = super().each_context(request)
        center = getattr(request, "center", None)
        if center is not None:
            context["site_header"] = center.short_name or center.name
            context["site_title"] = center.short_name or center.name
        return context

    def allows(self, request) -> bool:
        from ostoja.platform.staff.models import Role, StaffProfile

        user = request.user
        if getattr(request, "center", None) is None or not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        return StaffProfile.objects.filter(user=user, roles__contains=[Role.ADMINISTRATOR]).exists()


platform_admin_site = PlatformAdminSite(name="platform_admin")
center_admin_site = CenterAdminSite(name="center_admin")


class SetPasswordLinkMixin:
    """Admin action (and helper for save_model) that shows a one-time set-password link for each selected
    active user; deactivated users get a warning instead of a link."""

    def _show_link(self, request, user):
        from django.contrib import messages

        from ostoja.platform.staff.services import set_password_link

        link = set_password_link(user, host=f"{request.scheme}://{request.get_host()}")
        messages.info(
            request,
            _("One-time set-password link for %(user)s (give it to this person only): %(link)s")
            % {"user": user.get_username(), "link": link},
        )

    @admin.action(description=_("Create one-time set-password links"))
    def make_set_password_links(self, request, queryset):
        from django.contrib import messages

        for user in queryset:
            if user.is_active:
                self._show_link(request, user)
            else:
                messages.warning(request, _("%(user)s is deactivated.") % {"user": user.get_username()})
