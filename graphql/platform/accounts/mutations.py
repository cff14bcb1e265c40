import graphene

from ostoja.graphql.core.tokens import TokenMutations


class PlatformAccountsMutations(TokenMutations, graphene.ObjectType):
    pass
