import graphene


class CentersQueries(graphene.ObjectType):
    pass
