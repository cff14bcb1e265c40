"""Staff accounts in the center's admin (center administrators, on the center host). Every change goes
through the staff services, which check the rules and write the audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ostoja.platform.accounts.forms import FirstPasswordForm, add_service_errors
from ostoja.platform.admin_sites import SetPasswordLinkMixin, center_admin_site, form_with_actor
from ostoja.platform.errors import ServiceError
from ostoja.platform.staff import services
from ostoja.platform.staff.models import Role
from ostoja.tenants.configuration.models import Department, District, Team

User = get_user_model()

PROFILE_FIELDS = ("roles", "districts", "department", "team", "job_title", "phone")


class StaffForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("districts"),
        queryset=District.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Required for social workers."),
    )
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.all(), required=False)
    team = forms.ModelChoiceField(label=_("social-work team"), queryset=Team.objects.all(), required=False)
    job_title = forms.CharField(label=_("job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data.get("username"),
            "first_name": data.get("first_name"),
            "last_name": data.get("last_name"),
            "email": data.get("email") or "",
            "preferred_language": data.get("preferred_language") or "pl",
            "roles": list(data.get("roles") or []),
            "districts": list(data.get("districts") or []),
            "department": data.get("department"),
            "team": data.get("team"),
            "job_title": data.get("job_title") or "",
            "phone": data.get("phone") or "",
        }


class StaffCreateForm(FirstPasswordForm, StaffForm):
    def validate_new_account(self, password: str | None) -> None:
        services.validate_new_staff_member(**self.service_kwargs(), password=password)


class StaffChangeForm(StaffForm):
    class Meta(StaffForm.Meta):
        fields = [*StaffForm.Meta.fields, "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile = getattr(self.instance, "staff_profile", None) if self.instance.pk else None
        if profile is not None:
            self.initial.update(
                roles=list(profile.roles),
                districts=list(profile.districts.all()),
                department=profile.department,
                team=profile.team,
                job_title=profile.job_title,
                phone=profile.phone,
            )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.validate_staff_changes(self.instance, **self.service_kwargs())
            if self.instance.is_active and not cleaned.get("is_active"):
                services.validate_deactivation(getattr(self, "actor", None), self.instance)
        except ServiceError as exc:
            add_service_errors(self, exc)
        return cleaned


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(staff_profile__roles__contains=[self.value()])
        return queryset


class StaffAdmin(SetPasswordLinkMixin, admin.ModelAdmin):
    form = StaffChangeForm
    add_form = StaffCreateForm
    list_display = ("username", "full_name", "role_list", "department", "is_active", "last_login")
    list_filter = ("is_active", RoleFilter, "staff_profile__department", "staff_profile__districts")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("last_name", "first_name", "username")
    readonly_fields = ("last_login", "date_joined")
    actions = ["make_set_password_links", "deactivate", "reactivate"]

    def get_fieldsets(self, request, obj=None):
        person = (None, {"fields": ("username", "first_name", "last_name", "email", "preferred_language")})
        work = (_("Work"), {"fields": PROFILE_FIELDS})
        if obj is None:
            return [person, work, (_("Password"), {"fields": ("password1", "password2")})]
        return [person, work, (_("Account"), {"fields": ("is_active", "last_login", "date_joined")})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = self.form if obj is not None else self.add_form
        return form_with_actor(super().get_form(request, obj, change=change, **kwargs), request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("staff_profile", "staff_profile__department")
            .prefetch_related("staff_profile__districts")
        )

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return ", ".join(str(Role(r).label) for r in profile.roles) if profile else "—"

    @admin.display(description=_("department"))
    def department(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.department if profile and profile.department_id else "—"

    def has_delete_permission(self, request, obj=None):
        return False  # staff accounts are deactivated, never deleted: records keep their authors

    def save_model(self, request, obj, form, change):
        kwargs = form.service_kwargs()
        if not change:
            password = form.cleaned_data.get("password1") or None
            user = services.create_staff_member(request.user, **kwargs, password=password)
            obj.pk = obj.id = user.pk
            obj._state.adding = False
            if password is None:
                self._show_link(request, user)
            return
        services.update_staff_member(request.user, obj, **kwargs)
        if "is_active" in form.changed_data:
            if form.cleaned_data["is_active"]:
                services.reactivate_staff_member(request.user, obj)
            else:
                services.deactivate_staff_member(request.user, obj)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Deactivate the selected accounts"))
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services.deactivate_staff_member(request.user, user)
                done += 1
            except ServiceError as exc:
                messages.error(request, f"{user.get_username()}: {exc.message}")
        if done:
            messages.success(
                request, ngettext("%(n)d account deactivated.", "%(n)d accounts deactivated.", done) % {"n": done}
            )

    @admin.action(description=_("Reactivate the selected accounts"))
    def reactivate(self, request, queryset):
        done = 0
        for user in queryset:
            services.reactivate_staff_member(request.user, user)
            done += 1
        messages.success(
            request, ngettext("%(n)d account reactivated.", "%(n)d accounts reactivated.", done) % {"n": done}
        )


center_admin_site.register(User, StaffAdmin)
