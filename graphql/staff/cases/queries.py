import graphene


class CasesQueries(graphene.ObjectType):
    pass
