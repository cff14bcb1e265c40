"""The center administrator's screens for the configuration (on the center host's admin site). Saving
and deleting go through the configuration services, so the admin validates, checks the role and
audits like every other caller."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostoja.platform.admin_sites import center_admin_site
from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.districts import NumberRule, district_for, street_key
from ostoja.tenants.configuration.models import (
    Address,
    CenterSettings,
    Closure,
    Contact,
    Department,
    District,
    DistrictStreet,
    Schedule,
    ScheduleRule,
    Team,
    check_rules_disjoint,
)


class ServiceAdmin(admin.ModelAdmin):
    """Writes through ``services.save_object`` / ``services.delete_object`` (role check and audit)."""

    def save_model(self, request, obj, form, change):
        services.save_object(request.user, obj)

    def delete_model(self, request, obj):
        services.delete_object(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_object(request.user, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_object(request.user, obj)
        for obj in instances:
            services.save_object(request.user, obj)
        formset.save_m2m()


class DistrictStreetFormSet(BaseInlineFormSet):
    """Also refuses overlaps among the rows of one submission (each row's own check sees only the database)."""

    def clean(self):
        super().clean()
        seen: list[tuple[str, NumberRule, str]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("street"):
                continue
            numbers = data.get("numbers") or "all"
            low, high = (data.get("number_from"), data.get("number_to")) if numbers == "range" else (None, None)
            if numbers == "range" and (low is None or high is None):
                continue
            key, rule = street_key(data["street"]), NumberRule(numbers, low, high)
            for other_key, other_rule, label in seen:
                if other_key == key and rule.overlaps(other_rule):
                    raise ValidationError(
                        _("%(street)s overlaps %(other)s: an address must have one district."),
                        code="district_overlap",
                        params={"street": data["street"], "other": label},
                    )
            seen.append((key, rule, data["street"]))


class DistrictStreetInline(admin.TabularInline):
    model = DistrictStreet
    formset = DistrictStreetFormSet
    fields = ("street", "numbers", "number_from", "number_to")
    extra = 1


class ScheduleRuleFormSet(BaseInlineFormSet):
    """Refuses two intervals of the schedule on the same weekday that overlap, within one submission."""

    def clean(self):
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("opens") is None or data.get("closes") is None:
                continue
            rule = ScheduleRule(weekday=data["weekday"], opens=data["opens"], closes=data["closes"])
            check_rules_disjoint(rule, rows)
            rows.append(rule)


class ScheduleRuleInline(admin.TabularInline):
    model = ScheduleRule
    formset = ScheduleRuleFormSet
    fields = ("weekday", "opens", "closes")
    extra = 1


class DistrictLookupForm(forms.Form):
    street = forms.CharField(label=_("Street"), max_length=120)
    number = forms.CharField(label=_("House number"), max_length=20, required=False)


@admin.register(District, site=center_admin_site)
class DistrictAdmin(ServiceAdmin):
    list_display = ("name", "code", "street_count", "is_illustrative", "order")
    list_editable = ("order",)
    search_fields = ("name", "code", "streets__street")
    prepopulated_fields = {"code": ("name",)}
    inlines = [DistrictStreetInline]
    change_list_template = "admin/configuration/district/change_list.html"

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_street_count=Count("streets"))

    @admin.display(description=_("streets"), ordering="_street_count")
    def street_count(self, obj):
        return obj._street_count

    def get_urls(self):
        return [
            path("lookup/", self.admin_site.admin_view(self.lookup_view), name="configuration_district_lookup"),
            *super().get_urls(),
        ]

    def lookup_view(self, request):
        """Which district serves an address: try the street lists before a social worker relies on them."""
        form = DistrictLookupForm(request.GET or None)
        result = (
            district_for(form.cleaned_data["street"], form.cleaned_data["number"] or None) if form.is_valid() else None
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Which district serves an address?"),
            "form": form,
            "result": result,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/configuration/district/lookup.html", context)


@admin.register(Schedule, site=center_admin_site)
class ScheduleAdmin(ServiceAdmin):
    list_display = ("__str__", "kind", "district", "label")
    list_filter = ("kind", "district")
    inlines = [ScheduleRuleInline]


@admin.register(Closure, site=center_admin_site)
class ClosureAdmin(ServiceAdmin):
    list_display = ("date", "kind", "reason", "closes_early_at")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(Address, site=center_admin_site)
class AddressAdmin(ServiceAdmin):
    list_display = ("__str__", "kind", "label", "order")
    list_filter = ("kind",)


@admin.register(Contact, site=center_admin_site)
class ContactAdmin(ServiceAdmin):
    list_display = ("kind", "display_value", "label", "department", "order")
    list_filter = ("kind", "department")

    @admin.display(description=_("value"))
    def display_value(self, obj):
        return obj.display_value


@admin.register(Department, site=center_admin_site)
class DepartmentAdmin(ServiceAdmin):
    list_display = ("name", "name_en", "code", "order")
    search_fields = ("name", "name_en", "code")


@admin.register(Team, site=center_admin_site)
class TeamAdmin(ServiceAdmin):
    list_display = ("name", "department")
    filter_horizontal = ("districts",)

    def save_related(self, request, form, formsets, change):
        # The districts go through the service too (audited), not through the form's save_m2m.
        districts = form.cleaned_data.pop("districts", None)
        form.save_m2m = lambda: None
        super().save_related(request, form, formsets, change)
        if districts is not None:
            services.set_team_districts(request.user, form.instance, list(districts))


@admin.register(CenterSettings, site=center_admin_site)
class CenterSettingsAdmin(ServiceAdmin):
    """A single row: no adding a second one, no deleting it."""

    list_display = ("__str__", "timezone", "observe_public_holidays", "email", "website")

    def has_add_permission(self, request):
        return not CenterSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
