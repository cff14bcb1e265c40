"""The audit trail of one case for the center's management: the entries about the case and about everything that
hangs on it (applications, interviews, decisions and their notices of delay and payments, notes, social contracts,
documents, deleted ones included). Only directors and deputy directors read it; nothing here writes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ostoja.modules.cases.models import (
    Application,
    Case,
    CaseNote,
    Decision,
    DelayNotice,
    Interview,
    Payment,
    SocialContract,
)
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.documents.models import Document
from ostoja.platform.errors import PermissionDenied
from ostoja.platform.staff.access import require_role
from ostoja.platform.staff.models import Role

TRAIL_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)


def may_read_trail(actor) -> bool:
    try:
        require_role(actor, *TRAIL_ROLES, write=True)
    except PermissionDenied:
        return False
    return True


def case_trail(actor, case: Case) -> QuerySet[AuditEntry]:
    """Entries about ``case`` (one the caller already read through ``services``) and its objects, newest first."""
    require_role(actor, *TRAIL_ROLES, write=True)
    related = {
        Case: [case.pk],
        Application: Application.objects.filter(case=case).values_list("pk", flat=True),
        Interview: Interview.objects.filter(case=case).values_list("pk", flat=True),
        Decision: Decision.objects.filter(case=case).values_list("pk", flat=True),
        DelayNotice: DelayNotice.objects.filter(application__case=case).values_list("pk", flat=True),
        Payment: Payment.objects.filter(decision__case=case).values_list("pk", flat=True),
        CaseNote: CaseNote.objects.filter(case=case).values_list("pk", flat=True),
        SocialContract: SocialContract.objects.filter(case=case).values_list("pk", flat=True),
        Document: Document.objects.filter(case=case).values_list("pk", flat=True),
    }
    condition = Q()
    for model, ids in related.items():
        ids = [str(pk) for pk in ids]
        if ids:
            condition |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    # the documents service names the case in its messages ("from case 7"): deleted documents stay in the trail
    condition |= Q(object_type=Document._meta.label_lower, message__endswith=f" case {case.pk}")
    return AuditEntry.objects.filter(condition).select_related("actor").order_by("-at", "-id")
