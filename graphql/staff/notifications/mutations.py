import graphene


class NotificationsMutations(graphene.ObjectType):
    pass
