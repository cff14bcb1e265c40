import graphene


class CentersMutations(graphene.ObjectType):
    pass
