import graphene


class FosterCareMutations(graphene.ObjectType):
    pass
