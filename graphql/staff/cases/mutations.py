import graphene


class CasesMutations(graphene.ObjectType):
    pass
