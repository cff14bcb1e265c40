import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import enum_value
from ostoja.graphql.platform.access import require_platform_account
from ostoja.graphql.platform.centers.types import (
    Center,
    CenterKind,
    CenterOrderBy,
    CenterStatus,
    Partnership,
    UsagePrimingConnectionField,
    Voivodeship,
)
from ostoja.platform.accounts import services as accounts
from ostoja.tenants import registry


class CentersQueries(graphene.ObjectType):
    centers = UsagePrimingConnectionField(
        Center,
        status=CenterStatus(),
        kind=CenterKind(),
        voivodeship=Voivodeship(),
        search=graphene.String(description="In the slug, names, city and host names."),
        order_by=CenterOrderBy(default_value=CenterOrderBy.SHORT_NAME.value),
        description="Centers (operators only), with their hosts and usage.",
    )
    center = graphene.Field(Center, id=graphene.ID(required=True), description="One center (operators only).")
    partnerships = UsagePrimingConnectionField(
        Partnership,
        search=graphene.String(description="In the name."),
        centers_of=lambda partnership: partnership.centers.all(),
        description="Partnerships with their centers (operators only).",
    )
    partnership = graphene.Field(Partnership, id=graphene.ID(required=True))

    def resolve_centers(self, info, status=None, kind=None, voivodeship=None, search=None, order_by=None, **_page):
        require_platform_account(info)
        return registry.list_centers(
            actor(info),
            status=enum_value(status),
            kind=enum_value(kind),
            voivodeship=enum_value(voivodeship),
            search=search,
            order_by=enum_value(order_by) or "short_name",
        )

    def resolve_center(self, info, id):
        require_platform_account(info)
        return registry.get_center(actor(info), decode_id(id, "Center"))

    def resolve_partnerships(self, info, search=None, **_page):
        require_platform_account(info)
        return accounts.list_partnerships(actor(info), search=search).prefetch_related("centers__domains")

    def resolve_partnership(self, info, id):
        require_platform_account(info)
        return accounts.get_partnership(actor(info), decode_id(id, "Partnership"))
