"""Users of the public schema (platform operators and regional partners) in the platform admin. Creation
and changes go through the account services, which check the rules and write the platform's audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ostoja.platform.accounts import services
from ostoja.platform.accounts.forms import FirstPasswordForm, add_service_errors
from ostoja.platform.admin_sites import SetPasswordLinkMixin, form_with_actor, platform_admin_site
from ostoja.platform.errors import ServiceError
from ostoja.tenants.models import Partnership, PlatformRole

User = get_user_model()


class PlatformUserForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=PlatformRole.choices)
    partnership = forms.ModelChoiceField(
        label=_("partnership"),
        queryset=Partnership.objects.all(),
        required=False,
        help_text=_("Required for regional partners, empty for operators."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        account = getattr(self.instance, "platform_account", None) if self.instance.pk else None
        if account is not None:
            self.initial.update(role=account.role, partnership=account.partnership)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data.get("first_name") or "",
            "last_name": data.get("last_name") or "",
            "email": data.get("email") or "",
            "preferred_language": data.get("preferred_language") or "pl",
            "role": data.get("role"),
            "partnership": data.get("partnership"),
        }


class PlatformUserCreateForm(FirstPasswordForm, PlatformUserForm):
    def validate_new_account(self, password: str | None) -> None:
        services.validate_new_platform_account(
            username=self.cleaned_data.get("username"), password=password, **self.service_kwargs()
        )


class PlatformUserChangeForm(PlatformUserForm):
    class Meta(PlatformUserForm.Meta):
        fields = ["first_name", "last_name", "email", "preferred_language", "is_active"]

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "is_active": self.cleaned_data.get("is_active", True)}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.validate_platform_account_changes(
                getattr(self, "actor", None), self.instance, **self.service_kwargs()
            )
        except ServiceError as exc:
            add_service_errors(self, exc)
        return cleaned


class PlatformUserAdmin(SetPasswordLinkMixin, admin.ModelAdmin):
    form = PlatformUserChangeForm
    add_form = PlatformUserCreateForm
    list_display = ("username", "email", "get_full_name", "role", "partnership", "is_active", "last_login")
    list_filter = ("is_active", "platform_account__role", "platform_account__partnership")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    readonly_fields = ("username", "is_superuser", "last_login", "date_joined")
    actions = ["make_set_password_links"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ("username", "first_name", "last_name", "email", "preferred_language")}),
                (_("Platform role"), {"fields": ("role", "partnership")}),
                (_("Password"), {"fields": ("password1", "password2")}),
            ]
        return [
            (None, {"fields": ("username", "first_name", "last_name", "email", "preferred_language")}),
            (_("Platform role"), {"fields": ("role", "partnership")}),
            (_("Account"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = self.form if obj is not None else self.add_form
        return form_with_actor(super().get_form(request, obj, change=change, **kwargs), request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("platform_account__partnership")

    @admin.display(description=_("role"), ordering="platform_account__role")
    def role(self, obj):
        account = getattr(obj, "platform_account", None)
        return account.get_role_display() if account else (_("superuser") if obj.is_superuser else "—")

    @admin.display(description=_("partnership"))
    def partnership(self, obj):
        account = getattr(obj, "platform_account", None)
        return account.partnership if account and account.partnership_id else "—"

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit log keeps who did what

    def save_model(self, request, obj, form, change):
        kwargs = form.service_kwargs()
        if not change:
            password = form.cleaned_data.get("password1") or None
            user = services.create_platform_account(
                request.user, username=form.cleaned_data["username"], password=password, **kwargs
            )
            obj.pk = obj.id = user.pk
            obj._state.adding = False
            if password is None:
                self._show_link(request, user)
            return
        services.update_platform_account(request.user, obj, **kwargs)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


platform_admin_site.register(User, PlatformUserAdmin)
