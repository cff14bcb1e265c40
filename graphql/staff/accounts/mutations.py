import graphene

from ostoja.graphql.core.tokens import TokenMutations


class AccountsMutations(TokenMutations, graphene.ObjectType):
    pass
