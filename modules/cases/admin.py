"""Social assistance in the center's admin: for inspection. Records change through the services (which hold
the statutory rules and write the audit log), so the admin is read-only, except that a new income criterion
rate can be added (saved through ``services.add_income_criterion_rate``). Opening a person or a case here is
audited like any other read; a case with special-category reasons also as a sensitive read."""

from django.contrib import admin, messages

from ostoja.modules.cases import models, services
from ostoja.platform.admin_sites import ReadOnlyInline, ReadOnlyModelAdmin, center_admin_site
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record
from ostoja.platform.errors import ServiceError


class HouseholdMemberInline(ReadOnlyInline):
    model = models.HouseholdMember
    fields = ["person", "relation", "monthly_income", "income_sources"]


class CaseReasonInline(ReadOnlyInline):
    model = models.CaseReason
    fields = ["reason", "noted_on"]
    show_change_link = False


class ApplicationInline(ReadOnlyInline):
    model = models.Application
    fields = ["received_on", "submitted_by", "urgent", "decision_due_on", "decided_on"]


class InterviewInline(ReadOnlyInline):
    model = models.Interview
    fields = ["due_on", "status", "assigned_to", "conducted_on"]


class DecisionInline(ReadOnlyInline):
    model = models.Decision
    fk_name = "case"
    fields = ["kind", "form", "amount", "period_start", "period_end", "issued_on", "late", "criterion_met", "status"]


class PaymentInline(ReadOnlyInline):
    model = models.Payment
    fields = ["month", "amount", "due_on", "status", "paid_on"]


class DelayNoticeInline(ReadOnlyInline):
    model = models.DelayNotice
    fields = ["kind", "reason", "new_due_on", "recorded_on"]
    show_change_link = False


@admin.register(models.Person, site=center_admin_site)
class PersonAdmin(ReadOnlyModelAdmin):
    list_display = ["last_name", "first_name", "pesel", "date_of_birth", "city", "district", "district_status"]
    list_filter = ["district", "district_status", "sex", "citizenship"]
    list_select_related = ["district"]
    search_fields = ["last_name", "first_name", "pesel"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = models.Person.objects.filter(pk=object_id).first()
        if person is not None:
            record(request.user, AuditAction.READ, person, message="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(models.Household, site=center_admin_site)
class HouseholdAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "created_at"]
    list_select_related = ["head"]
    search_fields = ["head__last_name", "head__pesel"]
    inlines = [HouseholdMemberInline]


@admin.register(models.HouseholdMember, site=center_admin_site)
class HouseholdMemberAdmin(ReadOnlyModelAdmin):
    list_display = ["person", "household", "relation", "monthly_income"]
    list_filter = ["relation"]
    list_select_related = ["person", "household__head"]


@admin.register(models.HelpReason, site=center_admin_site)
class HelpReasonAdmin(ReadOnlyModelAdmin):
    list_display = ["name_pl", "name_en", "former_name_pl", "legal_basis", "special_category"]
    list_filter = ["special_category"]


@admin.register(models.FormOfHelp, site=center_admin_site)
class FormOfHelpAdmin(ReadOnlyModelAdmin):
    list_display = ["name_pl", "name_en", "legal_basis", "category", "schedule", "income_tested"]
    list_filter = ["category", "schedule", "income_tested"]


@admin.register(models.IncomeCriterionRate, site=center_admin_site)
class IncomeCriterionRateAdmin(ReadOnlyModelAdmin):
    list_display = ["valid_from", "single_person", "per_person_in_family", "legal_basis"]
    fields = ["valid_from", "single_person", "per_person_in_family", "legal_basis"]

    def has_add_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def save_model(self, request, obj, form, change):
        try:
            rate = services.add_income_criterion_rate(
                request.user,
                valid_from=obj.valid_from,
                single_person=obj.single_person,
                per_person_in_family=obj.per_person_in_family,
                legal_basis=obj.legal_basis,
            )
        except ServiceError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
        else:
            obj.pk = rate.pk


@admin.register(models.Case, site=center_admin_site)
class CaseAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "status", "worker", "opened_on", "closed_on", "closure_reason"]
    list_filter = ["status", "closure_reason", "person__district"]
    list_select_related = ["person", "worker__user"]
    search_fields = ["person__last_name", "person__pesel"]
    date_hierarchy = "opened_on"
    inlines = [CaseReasonInline, ApplicationInline, InterviewInline, DecisionInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = models.Case.objects.filter(pk=object_id).select_related("person").first()
        if case is not None:
            record(request.user, AuditAction.READ, case, message="admin")
            record(request.user, AuditAction.READ, case.person, message=f"admin, case {case.pk}")
            sensitive = list(
                case.case_reasons.filter(reason__special_category=True).values_list("reason__code", flat=True)
            )
            if sensitive:
                record(
                    request.user,
                    AuditAction.READ_SENSITIVE,
                    case,
                    changes={"reasons": [None, ", ".join(sensitive)]},
                    message="admin",
                )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(models.Application, site=center_admin_site)
class ApplicationAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "case", "submitted_by", "urgent", "decision_due_on", "decided_on"]
    list_filter = ["submitted_by", "urgent"]
    list_select_related = ["case__person"]
    date_hierarchy = "received_on"
    inlines = [DelayNoticeInline]


@admin.register(models.DelayNotice, site=center_admin_site)
class DelayNoticeAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "kind", "reason", "new_due_on", "recorded_on"]
    list_filter = ["kind"]
    list_select_related = ["application"]


@admin.register(models.Interview, site=center_admin_site)
class InterviewAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "case", "status", "urgent", "assigned_to", "conducted_on"]
    list_filter = ["status", "urgent"]
    list_select_related = ["case__person", "assigned_to__user"]
    date_hierarchy = "due_on"


@admin.register(models.Decision, site=center_admin_site)
class DecisionAdmin(ReadOnlyModelAdmin):
    list_display = [
        "__str__",
        "case",
        "kind",
        "amount",
        "period_start",
        "period_end",
        "late",
        "criterion_met",
        "status",
    ]
    list_filter = ["kind", "status", "form", "late", "criterion_met"]
    list_select_related = ["case__person", "form"]
    date_hierarchy = "issued_on"
    inlines = [PaymentInline]


@admin.register(models.Payment, site=center_admin_site)
class PaymentAdmin(ReadOnlyModelAdmin):
    list_display = ["person", "form", "month", "amount", "due_on", "status", "paid_on"]
    list_filter = ["status", "form"]
    list_select_related = ["person", "form"]
    date_hierarchy = "month"


@admin.register(models.BenefitProgramme, site=center_admin_site)
class BenefitProgrammeAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "source_form", "form", "monthly_amount", "first_month", "last_month"]
    list_select_related = ["source_form", "form"]


@admin.register(models.ProgrammeGrant, site=center_admin_site)
class ProgrammeGrantAdmin(ReadOnlyModelAdmin):
    list_display = ["programme", "person", "decision"]
    list_select_related = ["programme", "person", "decision__form"]


@admin.register(models.SocialContract, site=center_admin_site)
class SocialContractAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "case", "valid_until", "status", "evaluated_on"]
    list_filter = ["status"]
    list_select_related = ["case__person"]


@admin.register(models.CaseNote, site=center_admin_site)
class CaseNoteAdmin(ReadOnlyModelAdmin):
    list_display = ["happened_on", "kind", "case", "author"]
    list_filter = ["kind"]
    list_select_related = ["case__person", "author"]


@admin.register(models.CaseReason, site=center_admin_site)
class CaseReasonAdmin(ReadOnlyModelAdmin):
    list_display = ["case", "reason", "noted_on"]
    list_filter = ["reason"]
    list_select_related = ["case__person", "reason"]
