import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.tokens import TokenQueries
from ostoja.graphql.core.types import ConnectionField
from ostoja.graphql.platform.access import require_platform_account
from ostoja.graphql.platform.accounts.types import PlatformAccount, PlatformRole, PlatformUser
from ostoja.platform.accounts import services


class PlatformAccountsQueries(TokenQueries, graphene.ObjectType):
    me = graphene.Field(PlatformUser, required=True, description="You: operator or partner, and your partnership.")
    platform_accounts = ConnectionField(
        PlatformAccount,
        role=PlatformRole(),
        partnership_id=graphene.ID(),
        is_active=graphene.Boolean(),
        search=graphene.String(description="In the username, names and e-mail address."),
        description="Operators and regional partners (operators only).",
    )
    platform_account = graphene.Field(PlatformAccount, id=graphene.ID(required=True))

    def resolve_me(self, info):
        require_platform_account(info)
        return info.context.user

    def resolve_platform_accounts(self, info, role=None, partnership_id=None, is_active=None, search=None, **_page):
        require_platform_account(info)
        partnership = decode_id(partnership_id, "Partnership", field="partnershipId") if partnership_id else None
        return services.list_platform_accounts(
            actor(info), role=role, partnership=partnership, is_active=is_active, search=search
        )

    def resolve_platform_account(self, info, id):
        require_platform_account(info)
        return services.get_platform_account(actor(info), decode_id(id, "PlatformAccount"))
