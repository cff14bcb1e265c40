"""Read-only admin for a center's administrator to inspect projects. Changes go through the
service layer (services.py), which holds the rules and writes the audit log; viewing a
participant here is audited like any other read of a person's data."""

from django.contrib import admin

from ostoja.modules.projects.models import Achievement, FundingSource, Participant, Partner, Project, Target
from ostoja.platform.admin_sites import ReadOnlyMixin, ReadOnlyModelAdmin, center_admin_site
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record


class FundingSourceInline(ReadOnlyMixin, admin.TabularInline):
    model = FundingSource
    extra = 0


class PartnerInline(ReadOnlyMixin, admin.TabularInline):
    model = Partner
    extra = 0


class TargetInline(ReadOnlyMixin, admin.TabularInline):
    model = Target
    extra = 0
    fields = ("code", "name_pl", "indicator_type", "unit", "target_value", "measure")
    show_change_link = True


@admin.register(Project, site=center_admin_site)
class ProjectAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "title_pl", "center_role", "action", "start_date", "end_date", "status", "total_budget")
    list_filter = ("status", "center_role")
    search_fields = ("code", "title_pl", "title_en", "lead_organisation", "partners__name")
    inlines = (FundingSourceInline, PartnerInline, TargetInline)


@admin.register(FundingSource, site=center_admin_site)
class FundingSourceAdmin(ReadOnlyModelAdmin):
    list_display = ("project", "kind", "description", "amount")
    list_filter = ("kind",)
    list_select_related = ("project",)


@admin.register(Partner, site=center_admin_site)
class PartnerAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "project", "role_description")
    search_fields = ("name",)
    list_select_related = ("project",)


@admin.register(Target, site=center_admin_site)
class TargetAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "name_pl", "project", "unit", "target_value", "measure")
    list_filter = ("measure", "indicator_type")
    list_select_related = ("project",)


@admin.register(Achievement, site=center_admin_site)
class AchievementAdmin(ReadOnlyModelAdmin):
    list_display = ("target", "value", "achieved_on", "note")
    list_select_related = ("target",)


@admin.register(Participant, site=center_admin_site)
class ParticipantAdmin(ReadOnlyModelAdmin):
    list_display = ("person", "project", "enrolled_on", "exited_on", "sex", "age_at_enrolment", "labour_market_status")
    list_filter = ("project", "labour_market_status", "sex")
    list_select_related = ("person", "project")
    raw_id_fields = ("person",)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        participant = Participant.objects.select_related("person").filter(pk=object_id).first()
        if participant is not None:
            record(
                request.user,
                AuditAction.READ,
                participant.person,
                message=f"project participant (admin): {participant.project_id}",
            )
        return super().change_view(request, object_id, form_url, extra_context)
