import graphene

from ostoja.platform.accounts.services import platform_role


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
