"""Centers as operators see them: registry data, host names and usage figures; partnerships with their centers."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import ConnectionField, CountableConnection, ModelType
from ostoja.graphql.platform.centers.loaders import selected_figures, usage_loader
from ostoja.platform.accounts import services as accounts
from ostoja.tenants import onboarding, registry
from ostoja.tenants.models import Center as CenterModel
from ostoja.tenants.models import CenterKind as CenterKindChoices
from ostoja.tenants.models import Domain as DomainModel
from ostoja.tenants.models import Partnership as PartnershipModel
from ostoja.tenants.models import Voivodeship as VoivodeshipChoices

CenterKind = graphene.Enum.from_enum(
    CenterKindChoices, description=lambda value: value.label if value else "The kind of a center."
)
Voivodeship = graphene.Enum.from_enum(
    VoivodeshipChoices, description=lambda value: value.label if value else "A Polish voivodeship."
)


class CenterStatus(graphene.Enum):
    """Whether a center's hosts serve it (active) or answer 503 (deactivated)."""

    ACTIVE = "active"
    INACTIVE = "inactive"


class CenterOrderBy(graphene.Enum):
    SHORT_NAME = "short_name"
    SHORT_NAME_DESC = "-short_name"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    CITY = "city"


class CenterDomain(ModelType):
    """A host name a center is served at; links use its primary host."""

    class Meta:
        model = DomainModel
        fields = ("domain", "is_primary")
        interfaces = (Node,)

    @classmethod
    def access(cls, info, pk):
        return onboarding.get_domain(actor(info), pk)


class CenterUsage(graphene.ObjectType):
    """How much a center uses Ostoja, counted in its own schema (for a whole page of centers in one SQL statement)."""

    staff_accounts = graphene.Int(required=True, description="Staff accounts that can log in.")
    persons = graphene.Int(required=True, description="Persons on record.")
    open_cases = graphene.Int(required=True, description="Cases not closed.")
    children_in_care = graphene.Int(required=True, description="Children in foster care.")
    projects = graphene.Int(required=True, description="Projects, whatever their status.")

    def __init__(self, center, figures):
        super().__init__()
        self.center = center
        self.figures = figures

    def _figure(self, info, figure):
        return usage_loader(info).load(self.center, figure, self.figures)

    def resolve_staff_accounts(self, info):
        return self._figure(info, "staff_accounts")

    def resolve_persons(self, info):
        return self._figure(info, "persons")

    def resolve_open_cases(self, info):
        return self._figure(info, "open_cases")

    def resolve_children_in_care(self, info):
        return self._figure(info, "children_in_care")

    def resolve_projects(self, info):
        return self._figure(info, "projects")


def _domains(center) -> list:
    """The center's hosts, primary first: from ``registry.with_domain_rows`` when the list read them along, else
    from the (prefetched) relation."""
    rows = getattr(center, "domain_rows", None)
    if rows is None:
        return sorted(center.domains.all(), key=lambda d: (not d.is_primary, d.domain))
    return [
        DomainModel(pk=row["id"], domain=row["domain"], is_primary=row["is_primary"], tenant_id=center.pk)
        for row in rows
    ]


class Center(ModelType):
    """A family assistance center: one schema, served at its host names."""

    class Meta:
        model = CenterModel
        fields = ("name", "short_name", "city", "created_at", "deactivated_at", "is_active")
        interfaces = (Node,)
        connection_class = CountableConnection

    slug = graphene.String(required=True, description="Names the center's schema and its default subdomain.")
    kind = graphene.Field(CenterKind, required=True)
    voivodeship = graphene.Field(Voivodeship, required=True)
    status = graphene.Field(CenterStatus, required=True)
    domains = graphene.List(graphene.NonNull(CenterDomain), required=True, description="Primary host first.")
    primary_domain = graphene.String(description="The host links to this center use.")
    usage = graphene.Field(CenterUsage, required=True, description="Counted for every center of the page at once.")

    @classmethod
    def access(cls, info, pk):
        return registry.get_center(actor(info), pk)

    def resolve_slug(self, info):
        return self.schema_name

    def resolve_status(self, info):
        return CenterStatus.ACTIVE if self.is_active else CenterStatus.INACTIVE

    def resolve_domains(self, info):
        return _domains(self)

    def resolve_primary_domain(self, info):
        return next((d.domain for d in _domains(self) if d.is_primary), None)

    def resolve_usage(self, info):
        return CenterUsage(self, selected_figures(info, registry.USAGE_FIGURES))


class Partnership(ModelType):
    """A group of centers whose regional partners compare aggregate figures."""

    class Meta:
        model = PartnershipModel
        fields = ("name", "description", "created_at")
        interfaces = (Node,)
        connection_class = CountableConnection

    centers = graphene.List(graphene.NonNull(Center), required=True)
    partners = graphene.List(
        graphene.NonNull("ostoja.graphql.platform.accounts.types.PlatformAccount"),
        required=True,
        description="The partnership's regional partner accounts.",
    )

    @classmethod
    def access(cls, info, pk):
        return accounts.get_partnership(actor(info), pk)

    def resolve_centers(self, info):
        return self.centers.all()

    def resolve_partners(self, info):
        return [account.user for account in self.partners.all()]


class UsagePrimingConnectionField(ConnectionField):
    """A connection whose page primes the usage loader with its centers (``centers_of(node)``), so that usage
    figures cost one SQL statement per figure for the whole page."""

    def __init__(self, *args, centers_of=None, **kwargs):
        self.centers_of = centers_of or (lambda node: [node])
        super().__init__(*args, **kwargs)

    def wrap_resolve(self, parent_resolver):
        resolve = super().wrap_resolve(parent_resolver)
        centers_of = self.centers_of

        def primed(root, info, **args):
            connection = resolve(root, info, **args)
            usage_loader(info).prime(c for edge in connection.edges for c in centers_of(edge.node))
            return connection

        return primed
