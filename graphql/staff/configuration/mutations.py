import graphene


class ConfigurationMutations(graphene.ObjectType):
    pass
