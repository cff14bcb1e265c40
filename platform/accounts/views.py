"""Login, logout and password pages, the same on every center host and on the platform host. Each writes
its audit entry into the schema of the host (the center's log, or the platform's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ostoja.platform.accounts.forms import LoginForm, NewPasswordForm, clear_failures
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "?"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        clear_failures(self.request, form.cleaned_data["username"])
        record(user, AuditAction.LOGIN, user, message=f"login from {client_address(self.request)}")
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "").strip()[:150]
        if username:
            User = get_user_model()
            known = User.objects.filter(username=username).only("pk").first()
            record(
                None,
                AuditAction.LOGIN_FAILED,
                object_type=User._meta.label_lower,
                object_id=str(known.pk) if known else "",
                message=f"failed login as {username!r} from {client_address(self.request)}: "
                f"{getattr(form, 'failure_reason', '') or 'incomplete form'}",
            )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); the audit entry is written while the user is still known."""

    def post(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            record(user, AuditAction.LOGOUT, user, message=f"logout from {client_address(request)}")
        return super().post(request, *args, **kwargs)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Consumes a one-time link from ``set_password_link``: the token is tied to the current password hash
    and last login, so it stops working once used."""

    template_name = "accounts/set_password.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("login")
    post_reset_login = False

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active:
            return None
        if user.is_superuser:
            return user
        center = getattr(self.request, "center", None)
        belongs = hasattr(user, "staff_profile") if center is not None else hasattr(user, "platform_account")
        return user if belongs else None

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            form.user,
            AuditAction.UPDATE,
            form.user,
            changes={"password": ["…", "…"]},
            message=f"password set with a one-time link from {client_address(self.request)}",
        )
        messages.success(self.request, _("Your password has been set. You can log in now."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A logged-in user changes their own password (the old one is required)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            self.request.user,
            AuditAction.UPDATE,
            self.request.user,
            changes={"password": ["…", "…"]},
            message="password changed by its owner",
        )
        messages.success(self.request, _("Your password has been changed."))
        return response
