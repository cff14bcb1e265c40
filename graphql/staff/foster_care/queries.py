import graphene


class FosterCareQueries(graphene.ObjectType):
    pass
