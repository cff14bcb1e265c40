import graphene
from django.contrib.auth import get_user_model

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.platform.accounts import services
from ostoja.platform.accounts.services import platform_role
from ostoja.tenants.models import PlatformRole as PlatformRoleChoices


class PlatformUser(graphene.ObjectType):
    """A platform account: an operator (onboards centers) or a regional partner (reads aggregate figures)."""

    username = graphene.String(required=True)
    full_name = graphene.String(required=True)
    role = graphene.String(required=True, description="operator or partner")
    partnership = graphene.String(description="The partnership a partner belongs to.")

    def resolve_username(self, info):
        return self.username

    def resolve_full_name(self, info):
        return self.get_full_name() or self.username

    def resolve_role(self, info):
        return "operator" if self.is_superuser and platform_role(self) is None else platform_role(self)

    def resolve_partnership(self, info):
        account = getattr(self, "platform_account", None)
        return account.partnership.name if account and account.partnership_id else None


PlatformRole = graphene.Enum.from_enum(
    PlatformRoleChoices, description=lambda value: value.label if value else "What a platform account may do."
)


class PlatformAccount(ModelType):
    """An operator or a regional partner (operators manage them)."""

    class Meta:
        model = get_user_model()
        name = "PlatformAccount"
        fields = ("username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login")
        interfaces = (Node,)
        connection_class = CountableConnection

    preferred_language = graphene.String(required=True)
    role = graphene.Field(PlatformRole, required=True)
    partnership = graphene.Field("ostoja.graphql.platform.centers.types.Partnership")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.select_related("platform_account__partnership")

    @classmethod
    def access(cls, info, pk):
        return services.get_platform_account(actor(info), pk)

    def resolve_preferred_language(self, info):
        return self.preferred_language

    def resolve_role(self, info):
        return self.platform_account.role

    def resolve_partnership(self, info):
        return self.platform_account.partnership
