import graphene


class ExportsQueries(graphene.ObjectType):
    pass
