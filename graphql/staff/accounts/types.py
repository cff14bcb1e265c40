"""Staff members of the center as staff see them (``ostoja.platform.staff.services``: any staff member of the
center may read the staff list; administrators and the director manage it)."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.platform.staff import services
from ostoja.platform.staff.models import Role as RoleChoices
from ostoja.platform.staff.models import StaffProfile

Role = graphene.Enum.from_enum(RoleChoices, description=lambda value: value.label if value else "A staff role.")


class StaffMember(ModelType):
    """A member of this center's staff (social workers, coordinators, …)."""

    class Meta:
        model = StaffProfile
        fields = ("job_title", "phone", "department", "team")
        interfaces = (Node,)
        connection_class = CountableConnection

    username = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    full_name = graphene.String(required=True)
    email = graphene.String(required=True)
    preferred_language = graphene.String(required=True, description="pl or en: the language of messages.")
    is_active = graphene.Boolean(required=True, description="False: deactivated, cannot log in.")
    roles = graphene.List(graphene.NonNull(Role), required=True)
    districts = graphene.List(graphene.NonNull("ostoja.graphql.staff.configuration.types.District"), required=True)

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.select_related("user", "department", "team").prefetch_related("districts")

    @classmethod
    def access(cls, info, pk):
        return services.access_staff_member(actor(info), pk)

    def resolve_username(self, info):
        return self.user.username

    def resolve_first_name(self, info):
        return self.user.first_name

    def resolve_last_name(self, info):
        return self.user.last_name

    def resolve_full_name(self, info):
        return self.user.get_full_name() or self.user.username

    def resolve_email(self, info):
        return self.user.email

    def resolve_preferred_language(self, info):
        return self.user.preferred_language

    def resolve_is_active(self, info):
        return self.user.is_active

    def resolve_roles(self, info):
        return [RoleChoices(r) for r in self.roles]

    def resolve_districts(self, info):
        return self.districts.all()
