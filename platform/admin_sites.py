"""Two admin sites: the platform's (operators, on the bare BASE_DOMAIN) and a center's (its
administrators, on the center host). Each app registers its models on the site where they belong."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(AdminSite):
    site_header = _("Ostoja – platform administration")
    site_title = _("Ostoja platform")
    index_title = _("Centers, domains and platform accounts")

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        account = getattr(user, "platform_account", None) if not user.is_superuser else None
        return user.is_superuser or (account is not None and account.role == "operator")


class CenterAdminSite(AdminSite):
    site_header = _("Center administration")
    site_title = _("Center administration")
    index_title = _("Configuration and staff")

    def has_permission(self, request):
        from ostoja.platform.staff.models import Role, StaffProfile

        user = request.user
        if not (user.is_active and user.is_authenticated) or getattr(request, "center", None) is None:
            return False
        if user.is_superuser:
            return True
        profile = StaffProfile.objects.filter(user=user).first()
        return profile is not None and Role.ADMINISTRATOR in profile.roles


platform_admin_site = PlatformAdminSite(name="platform_admin")
center_admin_site = CenterAdminSite(name="center_admin")
