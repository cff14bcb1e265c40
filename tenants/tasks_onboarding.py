"""Onboarding in the background: an operator (the platform mutation, ``ostoja onboard --async``) starts a job, the
task ``tenants.onboard_center`` runs ``onboarding.onboard_center`` with the job's parameters and reports its steps
as the job's progress.

The job's key is the center's slug: asking again for the same center while its job is queued or running (a double
click) gives the same job; a duplicated or retried task finds the job finished and does nothing, and
``onboard_center`` itself is idempotent with the same parameters and runs under an advisory lock per slug, so two
deliveries at once cannot create two centers. It is transactional: a failure leaves no center, schema or domain
behind, and its code and message are on the job.

The administrator's password never travels through the broker or the job table: an asynchronous onboarding gives
the administrator a one-time set-password link, in the job's result but marked private (``PRIVATE_KEYS``): only the
operator who started the job sees it (``jobs.services.visible_result``), other operators see the rest of the result.
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, schema_context

from ostoja.platform.errors import ValidationFailed
from ostoja.platform.jobs.models import Job

ONBOARDING_KIND = "tenants.onboard_center"


def start_center_onboarding(
    actor,
    *,
    slug: str | None = None,
    name: str,
    short_name: str | None = None,
    kind: str = "MOPR",
    city: str,
    voivodeship: str,
    domain: str | None = None,
    config: dict | None = None,
    admin: dict | None = None,
) -> tuple[Job, bool]:
    """Queue the onboarding of a center (operators only); ``(job, started)``. What can be checked without writing
    is checked now (the rest when the task runs, and reported on the job)."""
    from ostoja.platform.jobs.services import start_job
    from ostoja.tenants import onboarding
    from ostoja.tenants.tasks import onboard_center_task

    onboarding._require_operator(actor)
    if admin and admin.get("password"):
        raise ValidationFailed(
            _("A center onboarded in the background gets a set-password link for its administrator, not a password."),
            code="password_not_allowed",
            field="admin.password",
        )
    city = onboarding._text(city, "city", 100, _("City"))
    slug = onboarding.resolve_slug(slug, city)
    params = {
        "slug": slug,
        "name": name,
        "short_name": short_name or None,
        "kind": onboarding.normalize_kind(kind),
        "city": city,
        "voivodeship": onboarding.normalize_voivodeship(voivodeship),
        "domain": onboarding.normalize_domain(domain) if domain else None,
        "config": config,
        "admin": {k: v for k, v in (admin or {}).items() if k != "password" and v not in (None, "")} or None,
    }
    with schema_context(get_public_schema_name()):
        return start_job(actor, kind=ONBOARDING_KIND, key=slug, params=params, task=onboard_center_task)


def run_center_onboarding(job: Job, progress) -> dict:
    """The work of an onboarding job (in the public schema), under an advisory lock per slug."""
    from ostoja.platform.jobs.services import PRIVATE_KEYS
    from ostoja.platform.tasks import exclusively
    from ostoja.tenants import onboarding

    params = dict(job.params)
    admin = params.pop("admin", None)
    if admin is not None:
        admin = {**admin, "password": None}
    actor = job.created_by
    with exclusively(f"tenants.onboard:{params['slug']}"):
        result = onboarding.onboard_center(**params, admin=admin, actor=actor, progress=progress)
    connection.set_schema_to_public()
    return {
        "created": result.created,
        "center_id": result.center.pk,
        "slug": result.center.schema_name,
        "domains": result.domains,
        "steps": result.steps,
        "administrator": getattr(result.admin_user, "username", None),
        "set_password_url": result.set_password_url,
        PRIVATE_KEYS: ["set_password_url"],  # for the operator who started the job only
    }
