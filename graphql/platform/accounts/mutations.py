"""Operators' mutations on partnerships and platform accounts (besides everyone's own API tokens)."""

import graphene

from ostoja.graphql.core.ids import decode_id, decode_ids
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.core.tokens import TokenMutations
from ostoja.graphql.platform.access import require_platform_account
from ostoja.graphql.platform.accounts.types import PlatformAccount, PlatformRole
from ostoja.graphql.platform.centers.types import Partnership
from ostoja.platform.accounts import services
from ostoja.tenants.models import PlatformRole as PlatformRoleChoices

PARTNERSHIP_CODES = ("operator_required", "wrong_schema", "required", "unknown_center", "name_taken")
PASSWORD_CODES = (
    "weak_password",
    "password_too_short",
    "password_too_common",
    "password_too_similar",
    "password_entirely_numeric",
)
ACCOUNT_CODES = (
    "operator_required",
    "wrong_schema",
    "required",
    "invalid_username",
    "username_taken",
    "invalid_email",
    "unknown_role",
    "unknown_partnership",
    "partnership_required",
    "partnership_not_allowed",
    "invalid_language",
    *PASSWORD_CODES,
)


class CreatePartnershipInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    description = graphene.String()
    center_ids = graphene.List(graphene.NonNull(graphene.ID), description="The partnership's centers.")


class CreatePartnership(ServiceMutation):
    """A named group of centers whose regional partners compare aggregate figures."""

    class Meta:
        error_codes = PARTNERSHIP_CODES

    class Arguments:
        input = CreatePartnershipInput(required=True)

    partnership = graphene.Field(Partnership)

    @classmethod
    def perform(cls, info, input):
        require_platform_account(info)
        centers = decode_ids(input.get("center_ids"), "Center", field="centerIds")
        partnership = services.create_partnership(
            actor(info), name=input["name"], description=input.get("description") or "", centers=centers
        )
        return {"partnership": partnership}


class SetPartnershipCenters(ServiceMutation):
    """Replace the list of a partnership's centers (an empty list leaves it without centers)."""

    class Meta:
        error_codes = (*PARTNERSHIP_CODES, "partnership_not_found")

    class Arguments:
        id = graphene.ID(required=True)
        center_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    partnership = graphene.Field(Partnership)

    @classmethod
    def perform(cls, info, id, center_ids):
        require_platform_account(info)
        pk = decode_id(id, "Partnership")
        centers = decode_ids(center_ids, "Center", field="centerIds")
        return {"partnership": services.update_partnership(actor(info), pk, centers=centers)}


class PlatformAccountInput(graphene.InputObjectType):
    username = graphene.String(required=True)
    email = graphene.String(required=True)
    first_name = graphene.String()
    last_name = graphene.String()
    preferred_language = graphene.String(description="pl (default) or en.")
    password = graphene.String(description="Leave out to leave the password unusable (send a set-password link).")


class CreatePartnerAccountInput(PlatformAccountInput):
    partnership_id = graphene.ID(required=True)


def _create_account(info, input, role, partnership=None):
    return services.create_platform_account(
        actor(info),
        username=input["username"],
        email=input["email"],
        role=role,
        partnership=partnership,
        password=input.get("password"),
        first_name=input.get("first_name") or "",
        last_name=input.get("last_name") or "",
        preferred_language=input.get("preferred_language") or "pl",
    )


class CreatePartnerAccount(ServiceMutation):
    """An account for a regional partner: it reads the aggregate figures of its partnership's centers only."""

    class Meta:
        error_codes = ACCOUNT_CODES

    class Arguments:
        input = CreatePartnerAccountInput(required=True)

    account = graphene.Field(PlatformAccount)

    @classmethod
    def perform(cls, info, input):
        require_platform_account(info)
        partnership = decode_id(input["partnership_id"], "Partnership", field="partnershipId")
        return {"account": _create_account(info, input, PlatformRoleChoices.PARTNER, partnership)}


class CreateOperatorAccount(ServiceMutation):
    """An account for another platform operator (who also gets the platform admin)."""

    class Meta:
        error_codes = ACCOUNT_CODES

    class Arguments:
        input = PlatformAccountInput(required=True)

    account = graphene.Field(PlatformAccount)

    @classmethod
    def perform(cls, info, input):
        require_platform_account(info)
        return {"account": _create_account(info, input, PlatformRoleChoices.OPERATOR)}


class UpdatePlatformAccountInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    email = graphene.String()
    preferred_language = graphene.String()
    is_active = graphene.Boolean(description="False: the account can no longer log in or use its tokens.")
    role = PlatformRole()
    partnership_id = graphene.ID(description="A partner's partnership.")


class UpdatePlatformAccount(ServiceMutation):
    """Change an operator's or a partner's details, role, partnership, or (de)activate the account. Only the
    fields given change."""

    class Meta:
        error_codes = (
            *ACCOUNT_CODES,
            "account_not_found",
            "not_platform_account",
            "self_deactivation",
            "self_demotion",
        )

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdatePlatformAccountInput(required=True)

    account = graphene.Field(PlatformAccount)

    @classmethod
    def perform(cls, info, id, input):
        require_platform_account(info)
        user = services.get_platform_account(actor(info), decode_id(id, "PlatformAccount"))
        changes = {key: value for key, value in input.items() if key not in ("partnership_id", "role")}
        if input.get("role") is not None:
            changes["role"] = getattr(input["role"], "value", input["role"])
        if "partnership_id" in input:
            pid = input["partnership_id"]
            changes["partnership"] = decode_id(pid, "Partnership", field="partnershipId") if pid else None
        return {"account": services.update_platform_account(actor(info), user, **changes)}


class PlatformAccountsMutations(TokenMutations, graphene.ObjectType):
    create_partnership = CreatePartnership.Field()
    set_partnership_centers = SetPartnershipCenters.Field()
    create_partner_account = CreatePartnerAccount.Field()
    create_operator_account = CreateOperatorAccount.Field()
    update_platform_account = UpdatePlatformAccount.Field()
