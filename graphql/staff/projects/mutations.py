import graphene


class ProjectsMutations(graphene.ObjectType):
    pass
