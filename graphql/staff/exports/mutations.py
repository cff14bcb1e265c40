import graphene


class ExportsMutations(graphene.ObjectType):
    pass
