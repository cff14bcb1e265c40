"""Operators' mutations on centers: onboarding, host names, deactivation and reactivation."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.platform.access import require_platform_account
from ostoja.graphql.platform.centers.types import Center, CenterDomain, CenterKind, Voivodeship
from ostoja.tenants import onboarding, registry

OPERATOR_CODES = ("operator_required", "center_not_found")
DOMAIN_CODES = ("invalid_domain", "reserved_domain", "domain_taken")


class OnboardingStep(graphene.ObjectType):
    """One step of onboarding, as reported by the onboarding service while it ran."""

    step = graphene.String(required=True)
    done = graphene.Int(required=True)
    total = graphene.Int(required=True)


class CenterAdministratorInput(graphene.InputObjectType):
    username = graphene.String(required=True)
    email = graphene.String()
    first_name = graphene.String()
    last_name = graphene.String()
    password = graphene.String(description="Leave out to get a set-password link instead.")


class OnboardCenterInput(graphene.InputObjectType):
    slug = graphene.String(description="Names the schema and the subdomain; the city transliterated if left out.")
    name = graphene.String(required=True, description="The official name.")
    short_name = graphene.String(description="“<kind> <city>” if left out.")
    kind = CenterKind(default_value="MOPR")
    city = graphene.String(required=True)
    voivodeship = Voivodeship(required=True)
    domain = graphene.String(description="The primary host; <slug>.<BASE_DOMAIN> if left out.")
    administrator = CenterAdministratorInput(description="The center's first administrator.")


class OnboardCenter(ServiceMutation):
    """Create a center: its schema (a clone of the template), primary host and first administrator. Running it
    again with the same input changes nothing (``created`` is false); with other input it is refused."""

    class Meta:
        error_codes = (
            "operator_required",
            "required",
            "too_long",
            "invalid_slug",
            "reserved_slug",
            "invalid_kind",
            "invalid_voivodeship",
            *DOMAIN_CODES,
            "slug_taken",
            "center_exists_different",
            "orphan_schema",
            "invalid_admin",
            "invalid_admin_username",
            "invalid_admin_email",
            "weak_password",
            "admin_exists_different",
        )

    class Arguments:
        input = OnboardCenterInput(required=True)

    center = graphene.Field(Center)
    created = graphene.Boolean(description="False when the center already existed exactly so.")
    progress = graphene.List(graphene.NonNull(OnboardingStep), description="The steps, in order.")
    set_password_url = graphene.String(description="Where the administrator chooses a password (no password given).")

    @classmethod
    def perform(cls, info, input):
        require_platform_account(info)
        steps = []
        admin = input.get("administrator")
        result = onboarding.onboard_center(
            slug=input.get("slug"),
            name=input["name"],
            short_name=input.get("short_name"),
            kind=getattr(input.get("kind"), "value", input.get("kind")) or "MOPR",
            city=input["city"],
            voivodeship=getattr(input["voivodeship"], "value", input["voivodeship"]),
            domain=input.get("domain"),
            admin=dict(admin) if admin else None,
            actor=actor(info),
            progress=lambda step, done, total: steps.append(OnboardingStep(step=step, done=done, total=total)),
        )
        return {
            "center": result.center,
            "created": result.created,
            "progress": steps,
            "set_password_url": result.set_password_url,
        }


class AddDomain(ServiceMutation):
    """Serve a center on one more host name (a host serves one center only)."""

    class Meta:
        error_codes = (*OPERATOR_CODES, *DOMAIN_CODES, "domain_exists")

    class Arguments:
        center_id = graphene.ID(required=True)
        domain = graphene.String(required=True)
        primary = graphene.Boolean(default_value=False, description="Make it the host links use.")

    domain = graphene.Field(CenterDomain)
    center = graphene.Field(Center)

    @classmethod
    def perform(cls, info, center_id, domain, primary=False):
        require_platform_account(info)
        pk = decode_id(center_id, "Center", field="centerId")
        created = onboarding.add_domain(actor(info), pk, domain, primary=primary)
        return {"domain": created, "center": created.tenant}


class RemoveDomain(ServiceMutation):
    """Stop serving a center on a host name; never its primary (or only) host."""

    class Meta:
        error_codes = ("operator_required", "domain_not_found", "last_domain", "primary_domain")

    class Arguments:
        id = graphene.ID(required=True, description="The CenterDomain to remove.")

    center = graphene.Field(Center)

    @classmethod
    def perform(cls, info, id):
        require_platform_account(info)
        return {"center": onboarding.remove_domain(actor(info), decode_id(id, "CenterDomain"))}


class SetPrimaryDomain(ServiceMutation):
    """Make a host name its center's primary host (the one links use)."""

    class Meta:
        error_codes = ("operator_required", "domain_not_found")

    class Arguments:
        id = graphene.ID(required=True, description="The CenterDomain to make primary.")

    domain = graphene.Field(CenterDomain)
    center = graphene.Field(Center)

    @classmethod
    def perform(cls, info, id):
        require_platform_account(info)
        domain = onboarding.set_primary_domain(actor(info), decode_id(id, "CenterDomain"))
        return {"domain": domain, "center": domain.tenant}


class DeactivateCenter(ServiceMutation):
    """Suspend a center: its hosts answer 503 until it is reactivated. Its data stays."""

    class Meta:
        error_codes = OPERATOR_CODES

    class Arguments:
        id = graphene.ID(required=True)

    center = graphene.Field(Center)
    changed = graphene.Boolean(description="False when the center already was inactive.")

    @classmethod
    def perform(cls, info, id):
        require_platform_account(info)
        return _toggle(info, onboarding.deactivate_center, id)


class ReactivateCenter(ServiceMutation):
    """Serve a deactivated center again."""

    class Meta:
        error_codes = OPERATOR_CODES

    class Arguments:
        id = graphene.ID(required=True)

    center = graphene.Field(Center)
    changed = graphene.Boolean(description="False when the center already was active.")

    @classmethod
    def perform(cls, info, id):
        require_platform_account(info)
        return _toggle(info, onboarding.reactivate_center, id)


def _toggle(info, service, id):
    pk = decode_id(id, "Center")
    changed = service(actor(info), pk)
    return {"center": registry.get_center(actor(info), pk), "changed": changed}


class CentersMutations(graphene.ObjectType):
    onboard_center = OnboardCenter.Field()
    add_domain = AddDomain.Field()
    remove_domain = RemoveDomain.Field()
    set_primary_domain = SetPrimaryDomain.Field()
    deactivate_center = DeactivateCenter.Field()
    reactivate_center = ReactivateCenter.Field()
