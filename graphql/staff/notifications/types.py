"""The caller's own notifications (reminders of what falls due): platform/notifications/services.py."""

import graphene

from ostoja.graphql.core.ids import Node, to_global_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.platform.notifications import models, services

StaffNotificationKind = graphene.Enum.from_enum(
    models.Notification.Kind,
    "StaffNotificationKind",
    description=lambda value: value.label if value else "Whether a deadline is coming up or has passed.",
)
StaffNotificationSubject = graphene.Enum.from_enum(
    models.Notification.Subject,
    "StaffNotificationSubject",
    description=lambda value: value.label if value else "What a reminder is about.",
)


class StaffNotification(ModelType):
    """A notification of the logged-in staff member (a reminder of an interview, a decision or an assessment)."""

    class Meta:
        model = models.Notification
        name = "StaffNotification"
        fields = ("message", "due_on", "created_at", "read_at")
        interfaces = (Node,)
        connection_class = CountableConnection
        convert_choices_to_enum = False

    kind = graphene.Field(StaffNotificationKind, required=True)
    subject = graphene.Field(StaffNotificationSubject, required=True)
    object_type = graphene.String(
        required=True, description="The type of the object reminded of: Interview, Application or Assessment."
    )
    object_id = graphene.ID(required=True, description="The global ID of the object reminded of.")
    is_read = graphene.Boolean(required=True)

    @classmethod
    def access(cls, info, pk):
        return services.access_notification(actor(info), pk)

    def resolve_object_id(self, info):
        return to_global_id(self.object_type, self.object_id)

    def resolve_is_read(self, info):
        return self.read_at is not None
