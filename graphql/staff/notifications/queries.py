"""The caller's notifications and the number of unread ones."""

import graphene

from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import ConnectionField
from ostoja.graphql.staff.notifications import types
from ostoja.platform.notifications import services


class NotificationsQueries(graphene.ObjectType):
    notifications = ConnectionField(
        types.StaffNotification,
        unread=graphene.Boolean(description="Only unread (true) or only read (false) notifications."),
        description="Your own notifications, newest first.",
    )
    unread_notification_count = graphene.Int(required=True, description="How many of your notifications are unread.")

    def resolve_notifications(self, info, unread=None, **_):
        return services.my_notifications(actor(info), unread=unread)

    def resolve_unread_notification_count(self, info):
        return services.unread_count(actor(info))
