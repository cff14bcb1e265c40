import graphene

from ostoja.graphql.core.tokens import TokenQueries
from ostoja.graphql.platform.access import require_platform_account
from ostoja.graphql.platform.accounts.types import PlatformUser


class PlatformAccountsQueries(TokenQueries, graphene.ObjectType):
    me = graphene.Field(PlatformUser, required=True, description="You: operator or partner, and your partnership.")

    def resolve_me(self, info):
        require_platform_account(info)
        return info.context.user
