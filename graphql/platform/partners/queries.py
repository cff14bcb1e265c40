import graphene

from ostoja.graphql.core.mutations import actor
from ostoja.graphql.platform.partners.types import PartnerStatistics
from ostoja.tenants import statistics


class PartnersQueries(graphene.ObjectType):
    partner_statistics = graphene.Field(
        PartnerStatistics,
        date_from=graphene.Date(required=True, name="from", description="The first day of the period."),
        date_to=graphene.Date(required=True, name="to", description="The last day of the period."),
        centers=graphene.List(
            graphene.NonNull(graphene.String),
            description="Center slugs; default: every center you may see (a partner: the partnership's).",
        ),
        description="Aggregate figures across centers, small counts suppressed. Regional partners and operators.",
    )

    def resolve_partner_statistics(self, info, date_from, date_to, centers=None):
        return statistics.statistics(actor(info), date_from=date_from, date_to=date_to, centers=centers)
