import graphene


class PartnersMutations(graphene.ObjectType):
    pass
