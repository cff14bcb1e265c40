"""Marking the caller's own notifications read."""

import graphene

from ostoja.graphql.core.ids import decode_ids
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.staff.notifications import types
from ostoja.platform.notifications import services


class MarkNotificationsRead(ServiceMutation):
    """Mark some of your notifications read (another user's notification is not found; nothing is marked then)."""

    class Meta:
        error_codes = ("required", "too_many", "notification_not_found")

    class Arguments:
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    notifications = graphene.List(graphene.NonNull(types.StaffNotification))

    @classmethod
    def perform(cls, info, ids):
        pks = decode_ids(ids, "StaffNotification", field="ids")
        return {"notifications": services.mark_read(actor(info), pks)}


class MarkAllNotificationsRead(ServiceMutation):
    """Mark all your unread notifications read."""

    marked = graphene.Int(description="How many notifications were unread.")

    @classmethod
    def perform(cls, info):
        return {"marked": services.mark_all_read(actor(info))}


class NotificationsMutations(graphene.ObjectType):
    mark_notifications_read = MarkNotificationsRead.Field()
    mark_all_notifications_read = MarkAllNotificationsRead.Field()
