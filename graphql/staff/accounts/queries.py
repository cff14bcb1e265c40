import graphene

from ostoja.graphql.core.tokens import TokenQueries
from ostoja.graphql.staff.access import require_staff
from ostoja.graphql.staff.accounts.types import StaffMember


class AccountsQueries(TokenQueries, graphene.ObjectType):
    me = graphene.Field(StaffMember, required=True, description="You: your roles and districts in this center.")

    def resolve_me(self, info):
        return require_staff(info)
