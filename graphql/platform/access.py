"""Who may use the platform schema: platform accounts (operators, partners) on the platform host."""

from django.utils.translation import gettext_lazy as _

from ostoja.platform.accounts.services import is_operator, platform_role
from ostoja.platform.errors import PermissionDenied


def require_platform_account(info):
    user = info.context.user
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to a platform account first."), code="not_authenticated")
    if not is_operator(user) and platform_role(user) is None:
        raise PermissionDenied(_("This account has no platform role."), code="permission_denied")
    return user
