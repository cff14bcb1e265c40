import graphene


class DocumentsMutations(graphene.ObjectType):
    pass
