"""Foster care in the center's admin: for inspection. Records are changed through the services (which hold
the statutory rules), so the admin is read-only except the assessment intervals, saved through
``services.update_settings``."""

from django.contrib import admin, messages

from ostoja.modules.foster_care import models, services
from ostoja.platform.admin_sites import ReadOnlyInline, ReadOnlyModelAdmin, center_admin_site
from ostoja.platform.errors import ServiceError


class FamilyMemberInline(ReadOnlyInline):
    model = models.FamilyMember
    raw_id_fields = ["person"]


class CandidatePersonInline(ReadOnlyInline):
    model = models.CandidatePerson
    raw_id_fields = ["person"]


class PlacementInline(ReadOnlyInline):
    model = models.Placement
    fields = ["child", "family", "start_on", "end_on", "court_order_reference", "siblings_together"]


class NotificationInline(ReadOnlyInline):
    model = models.Notification


@admin.register(models.FosterCareSettings, site=center_admin_site)
class FosterCareSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "child_under_3_interval_months",
        "child_interval_months",
        "family_first_assessment_months",
        "family_second_assessment_months",
        "family_interval_months",
    ]

    def has_add_permission(self, request):
        return not models.FosterCareSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        intervals = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_settings(request.user, **intervals)
        except ServiceError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)


@admin.register(models.Candidate, site=center_admin_site)
class CandidateAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "desired_kind", "status", "applied_on", "training_completed_on", "qualified_on"]
    list_filter = ["status", "desired_kind"]
    search_fields = ["name"]
    inlines = [CandidatePersonInline]


@admin.register(models.CandidatePerson, site=center_admin_site)
class CandidatePersonAdmin(ReadOnlyModelAdmin):
    list_display = ["candidate", "person", "relation"]
    list_select_related = ["candidate", "person"]


@admin.register(models.FosterFamily, site=center_admin_site)
class FosterFamilyAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "kind", "status", "coordinator", "first_placement_on", "city"]
    list_filter = ["kind", "status"]
    list_select_related = ["coordinator__user"]
    search_fields = ["name", "street", "city"]
    inlines = [FamilyMemberInline, PlacementInline]


@admin.register(models.FamilyMember, site=center_admin_site)
class FamilyMemberAdmin(ReadOnlyModelAdmin):
    list_display = ["family", "person", "relation", "joined_on"]
    list_select_related = ["family", "person"]


@admin.register(models.FosterChild, site=center_admin_site)
class FosterChildAdmin(ReadOnlyModelAdmin):
    list_display = ["person", "status", "sibling_group", "reintegration_goal"]
    list_filter = ["status", "reintegration_goal"]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "person__first_name", "person__pesel"]
    inlines = [PlacementInline]


@admin.register(models.Placement, site=center_admin_site)
class PlacementAdmin(ReadOnlyModelAdmin):
    list_display = ["child", "family", "start_on", "end_on", "court_order_reference", "siblings_together"]
    list_filter = ["siblings_together", "end_reason"]
    list_select_related = ["child__person", "family"]
    date_hierarchy = "start_on"


@admin.register(models.ParentMeeting, site=center_admin_site)
class ParentMeetingAdmin(ReadOnlyModelAdmin):
    list_display = ["child", "planned_at", "status", "participants"]
    list_filter = ["status"]
    list_select_related = ["child__person"]


@admin.register(models.Assessment, site=center_admin_site)
class AssessmentAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "subject", "sequence", "due_on", "status", "performed_on", "result"]
    list_filter = ["subject", "status", "result"]
    list_select_related = ["child__person", "family"]
    date_hierarchy = "due_on"


@admin.register(models.ChildNeedsExpense, site=center_admin_site)
class ChildNeedsExpenseAdmin(ReadOnlyModelAdmin):
    list_display = ["child", "kind", "amount", "granted_on"]
    list_filter = ["kind"]
    list_select_related = ["child__person"]


@admin.register(models.MaintenanceAllowance, site=center_admin_site)
class MaintenanceAllowanceAdmin(ReadOnlyModelAdmin):
    list_display = ["child", "monthly_amount", "period_from", "period_to"]
    list_select_related = ["child__person"]


@admin.register(models.LeavingCare, site=center_admin_site)
class LeavingCareAdmin(ReadOnlyModelAdmin):
    list_display = ["child", "mentor_name", "started_on"]
    list_select_related = ["child__person"]


@admin.register(models.ContinuingEducationSupport, site=center_admin_site)
class ContinuingEducationSupportAdmin(ReadOnlyModelAdmin):
    list_display = ["leaving_care", "school", "monthly_amount", "period_from", "period_to"]
    list_select_related = ["leaving_care__child__person"]


@admin.register(models.IrregularityReport, site=center_admin_site)
class IrregularityReportAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "reported_on", "status", "closed_on"]
    list_filter = ["status"]
    list_select_related = ["placement__child__person"]
    inlines = [NotificationInline]


@admin.register(models.Notification, site=center_admin_site)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ["report", "recipient", "status", "sent_on", "reference"]
    list_filter = ["recipient", "status"]
    list_select_related = ["report__placement__child__person"]
