import graphene


class BenefitsMutations(graphene.ObjectType):
    pass
