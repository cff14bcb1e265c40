import graphene

from ostoja.graphql.core.mutations import actor
from ostoja.graphql.platform.partners.types import PartnerStatistics, PeriodInput
from ostoja.tenants import statistics


class PartnersQueries(graphene.ObjectType):
    partner_statistics = graphene.Field(
        PartnerStatistics,
        period=graphene.Argument(
            PeriodInput, description="A published period that has ended: a month, quarter, half-year or year."
        ),
        date_from=graphene.Date(
            name="from",
            deprecation_reason="Figures are published per period only: use `period`. Days are refused.",
        ),
        date_to=graphene.Date(
            name="to",
            deprecation_reason="Figures are published per period only: use `period`. Days are refused.",
        ),
        centers=graphene.List(
            graphene.NonNull(graphene.String),
            description="Center slugs: only these rows of your table are shown (a partner: of the partnership's "
            "centers). Suppression and the totals stay those of the whole table.",
        ),
        description="Aggregate figures across centers, small counts suppressed. Regional partners and operators.",
    )

    def resolve_partner_statistics(self, info, period=None, date_from=None, date_to=None, centers=None):
        user = actor(info)
        window = None
        if period is not None:
            kind = getattr(period.kind, "value", period.kind)
            window = statistics.published_window(kind, period.year, period.number)
        return statistics.statistics(user, window=window, date_from=date_from, date_to=date_to, centers=centers)
