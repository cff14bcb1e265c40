import graphene


class JobsQueries(graphene.ObjectType):
    pass
