import graphene


class NotificationsQueries(graphene.ObjectType):
    pass
