import graphene


class ConfigurationQueries(graphene.ObjectType):
    pass
