"""The platform admin (operators, on the bare BASE_DOMAIN): centers, their domains, partnerships and
platform accounts. Centers are not added or deleted here: onboarding and offboarding are commands
(``ostoja onboard``, ``ostoja offboard``) that create or drop a whole schema."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ostoja.platform.accounts import services as account_services
from ostoja.platform.accounts.forms import add_service_errors
from ostoja.platform.admin_sites import form_with_actor, platform_admin_site
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import diff, record, snapshot
from ostoja.platform.errors import ServiceError
from ostoja.tenants.models import Center, Domain, Partnership, PlatformAccount

CENTER_DESCRIPTIVE_FIELDS = ["name", "short_name", "kind", "city", "voivodeship"]


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ("domain", "is_primary")


class CenterAdmin(admin.ModelAdmin):
    list_display = ("slug", "short_name", "kind", "city", "voivodeship", "is_active", "created_at")
    list_display_links = ("slug", "short_name")
    list_filter = ("kind", "voivodeship", "is_active")
    search_fields = ("schema_name", "name", "short_name", "city")
    ordering = ("short_name",)
    fields = ("schema_name", *CENTER_DESCRIPTIVE_FIELDS, "is_active", "created_at", "deactivated_at")
    readonly_fields = ("schema_name", "is_active", "created_at", "deactivated_at")
    inlines = [DomainInline]

    @admin.display(description=_("slug"), ordering="schema_name")
    def slug(self, obj):
        return obj.schema_name

    def has_add_permission(self, request):
        return False  # `ostoja onboard`

    def has_delete_permission(self, request, obj=None):
        return False  # `ostoja offboard`

    def save_model(self, request, obj, form, change):
        before = snapshot(Center.objects.get(pk=obj.pk), CENTER_DESCRIPTIVE_FIELDS)
        obj.save(update_fields=CENTER_DESCRIPTIVE_FIELDS)
        changed = diff(before, snapshot(obj, CENTER_DESCRIPTIVE_FIELDS))
        if changed:
            record(request.user, AuditAction.UPDATE, obj, changes=changed, message="center details changed")

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for domain in formset.deleted_objects:
            record(request.user, AuditAction.DELETE, domain, message=f"domain of {form.instance.schema_name}")
            domain.delete()
        for domain in instances:
            created = domain.pk is None
            domain.save()
            record(request.user, AuditAction.CREATE if created else AuditAction.UPDATE, domain)


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["domain", "tenant", "is_primary"]

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().rstrip(".")
        if domain == settings.BASE_DOMAIN:
            raise forms.ValidationError(_("The bare base domain serves the platform, not a center."))
        return domain

    def clean_tenant(self):
        tenant = self.cleaned_data["tenant"]
        if tenant.schema_name in (settings.TENANT_BASE_SCHEMA, "public"):
            raise forms.ValidationError(_("This schema is not a center."))
        return tenant


class DomainAdmin(admin.ModelAdmin):
    form = DomainForm
    list_display = ("domain", "tenant", "is_primary")
    list_filter = ("is_primary",)
    search_fields = ("domain", "tenant__schema_name", "tenant__short_name")
    list_select_related = ("tenant",)
    ordering = ("domain",)

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(tenant__schema_name=settings.TENANT_BASE_SCHEMA)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "tenant":
            kwargs["queryset"] = Center.objects.exclude(schema_name__in=[settings.TENANT_BASE_SCHEMA, "public"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # A center keeps its primary domain; make another one primary first.
        return obj is None or not obj.is_primary

    def save_model(self, request, obj, form, change):
        before = snapshot(Domain.objects.get(pk=obj.pk), ["domain", "tenant_id", "is_primary"]) if change else {}
        obj.save()
        changed = diff(before, snapshot(obj, ["domain", "tenant_id", "is_primary"]))
        record(request.user, AuditAction.UPDATE if change else AuditAction.CREATE, obj, changes=changed)

    def delete_model(self, request, obj):
        record(request.user, AuditAction.DELETE, obj, message=f"domain of {obj.tenant.schema_name}")
        obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset.filter(is_primary=False).select_related("tenant"):
            self.delete_model(request, obj)


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "description", "centers"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Partnership.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A partnership with this name already exists."))
        return name


class PartnershipAdmin(admin.ModelAdmin):
    form = PartnershipForm
    list_display = ("name", "center_list", "partner_count", "created_at")
    search_fields = ("name", "description")
    filter_horizontal = ("centers",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("centers", "partners")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "centers":
            kwargs["queryset"] = Center.objects.exclude(schema_name__in=[settings.TENANT_BASE_SCHEMA, "public"])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("centers"))
    def center_list(self, obj):
        return ", ".join(str(c) for c in obj.centers.all())

    @admin.display(description=_("partners"))
    def partner_count(self, obj):
        return len(obj.partners.all())

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.partners.exists()  # partners keep their partnership (PROTECT)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        centers = list(data.get("centers") or [])
        if change:
            account_services.update_partnership(
                request.user, obj, name=data["name"], description=data.get("description", ""), centers=centers
            )
        else:
            created = account_services.create_partnership(
                request.user, name=data["name"], description=data.get("description", ""), centers=centers
            )
            obj.pk = obj.id = created.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        record(request.user, AuditAction.DELETE, obj)
        obj.delete()


class PlatformAccountForm(forms.ModelForm):
    class Meta:
        model = PlatformAccount
        fields = ["role", "partnership"]

    def clean(self):
        cleaned = super().clean()
        try:
            account_services.validate_platform_account_changes(
                getattr(self, "actor", None),
                self.instance.user,
                role=cleaned.get("role"),
                partnership=cleaned.get("partnership"),
            )
        except ServiceError as exc:
            add_service_errors(self, exc)
        return cleaned

    def validate_constraints(self, exclude=None):
        return  # the service reports the same rule with a clearer message


class PlatformAccountAdmin(admin.ModelAdmin):
    form = PlatformAccountForm
    list_display = ("user", "role", "partnership")
    list_filter = ("role", "partnership")
    search_fields = ("user__username", "user__email", "user__last_name")
    list_select_related = ("user", "partnership")
    readonly_fields = ("user",)
    fields = ("user", "role", "partnership")

    def get_form(self, request, obj=None, change=False, **kwargs):
        return form_with_actor(super().get_form(request, obj, change=change, **kwargs), request.user)

    def has_add_permission(self, request):
        return False  # created with the user (Users → add)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate the user instead

    def save_model(self, request, obj, form, change):
        account_services.update_platform_account(
            request.user, obj.user, role=form.cleaned_data["role"], partnership=form.cleaned_data["partnership"]
        )


platform_admin_site.register(Center, CenterAdmin)
platform_admin_site.register(Domain, DomainAdmin)
platform_admin_site.register(Partnership, PartnershipAdmin)
platform_admin_site.register(PlatformAccount, PlatformAccountAdmin)
