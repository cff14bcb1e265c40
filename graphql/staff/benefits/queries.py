import graphene


class BenefitsQueries(graphene.ObjectType):
    pass
