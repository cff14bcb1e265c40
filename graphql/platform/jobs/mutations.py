import graphene


class JobsMutations(graphene.ObjectType):
    pass
