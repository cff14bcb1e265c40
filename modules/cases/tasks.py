"""Programme grants in the background (large centers): a staff member with a payments role starts a job in the
center's schema; the task ``cases.grant_programme`` runs ``services.grant_programme`` and stores its counts.

The grant itself runs in one transaction (all or nothing) and cannot report its middle: the job shows its start,
its end and the counts. The job's key is the programme's code: a double click gives the same queued job; a
programme granted before may be run again (it is idempotent and may find new recipients)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from ostoja.modules.cases import services
from ostoja.platform.jobs.models import Job
from ostoja.platform.tasks import task

GRANT_KIND = "cases.grant_programme"


def start_programme_grant(
    actor,
    *,
    code: str,
    name_pl: str,
    name_en: str,
    source_form,
    form,
    monthly_amount,
    first_month: date,
    last_month: date,
    legal_basis: str = "",
    issued_on: date | None = None,
) -> tuple[Job, bool]:
    """Queue a programme grant in the current center; ``(job, started)``. The caller's role and the input are
    checked now; the task checks them again with the same account when it runs."""
    from ostoja.platform.errors import ValidationFailed
    from ostoja.platform.jobs.services import start_job

    services.scope_for(actor, services.PAYMENT_ROLES, write=True)
    code, name_pl, name_en, legal_basis = (str(v or "").strip() for v in (code, name_pl, name_en, legal_basis))
    services._check_programme_texts(code=code, name_pl=name_pl, name_en=name_en, legal_basis=legal_basis)
    source, target = services._form(source_form), services._form(form)
    amount = services._money(monthly_amount, "monthly_amount")
    first, last = services.month_start(first_month), services.month_start(last_month)
    if last < first:
        raise ValidationFailed(
            _("The period must not end before it starts."), code="period_reversed", field="last_month"
        )
    params = {
        "code": code,
        "name_pl": name_pl,
        "name_en": name_en,
        "legal_basis": legal_basis,
        "source_form": source.pk,
        "form": target.pk,
        "monthly_amount": str(amount),
        "first_month": first.isoformat(),
        "last_month": last.isoformat(),
        "issued_on": issued_on.isoformat() if issued_on else None,
    }
    return start_job(actor, kind=GRANT_KIND, key=code, params=params, task=grant_programme_task, rerun_finished=True)


def run_programme_grant(job: Job, progress) -> dict:
    p = job.params
    progress("granting", 1, 2)
    result = services.grant_programme(
        job.created_by,
        code=p["code"],
        name_pl=p["name_pl"],
        name_en=p["name_en"],
        legal_basis=p["legal_basis"],
        source_form=p["source_form"],
        form=p["form"],
        monthly_amount=p["monthly_amount"],
        first_month=date.fromisoformat(p["first_month"]),
        last_month=date.fromisoformat(p["last_month"]),
        issued_on=date.fromisoformat(p["issued_on"]) if p.get("issued_on") else None,
    )
    progress("granted", 2, 2)
    return {
        "programme_id": result.programme.pk,
        "granted": result.granted,
        "already_granted": result.already_granted,
        "skipped": result.skipped,
    }


@task(name="cases.grant_programme", job_task=True)
def grant_programme_task(job_id: int):
    """Run the programme grant job ``job_id`` in the center's schema it was sent from."""
    from ostoja.platform.jobs.services import run_job

    return run_job(job_id, run_programme_grant)
