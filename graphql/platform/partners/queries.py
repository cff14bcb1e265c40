import graphene


class PartnersQueries(graphene.ObjectType):
    pass
