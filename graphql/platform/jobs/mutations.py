"""Operators' background work: onboarding a center as a job (its progress through ``job(id:)``)."""

import graphene

from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.platform.access import require_platform_account
from ostoja.graphql.platform.centers.mutations import OnboardCenterInput
from ostoja.graphql.platform.jobs.types import Job


class StartCenterOnboarding(ServiceMutation):
    """Onboard a center in the background: the same input as ``onboardCenter`` (without the administrator's
    password: the job's result holds a set-password link). Asking again for the same slug while its job is
    queued or running returns that job (``started`` is false); a failed job is started again."""

    class Meta:
        error_codes = (
            "operator_required",
            "required",
            "too_long",
            "invalid_slug",
            "reserved_slug",
            "invalid_kind",
            "invalid_voivodeship",
            "invalid_domain",
            "reserved_domain",
            "password_not_allowed",
            "job_exists_different",
        )

    class Arguments:
        input = OnboardCenterInput(required=True)

    job = graphene.Field(Job)
    started = graphene.Boolean(description="False when the same onboarding was already queued or running.")

    @classmethod
    def perform(cls, info, input):
        from ostoja.tenants.tasks_onboarding import start_center_onboarding

        require_platform_account(info)
        admin = input.get("administrator")
        job, started = start_center_onboarding(
            actor(info),
            slug=input.get("slug"),
            name=input["name"],
            short_name=input.get("short_name"),
            kind=getattr(input.get("kind"), "value", input.get("kind")) or "MOPR",
            city=input["city"],
            voivodeship=getattr(input["voivodeship"], "value", input["voivodeship"]),
            domain=input.get("domain"),
            admin=dict(admin) if admin else None,
        )
        return {"job": job, "started": started}


class JobsMutations(graphene.ObjectType):
    start_center_onboarding = StartCenterOnboarding.Field()
