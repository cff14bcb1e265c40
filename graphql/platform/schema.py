"""The platform schema: operators (centers, onboarding, domains, partner accounts) and partners (aggregates)."""

import graphene
from django.utils import translation

from ostoja.graphql.core.ids import Node
from ostoja.graphql.platform.accounts.mutations import PlatformAccountsMutations
from ostoja.graphql.platform.accounts.queries import PlatformAccountsQueries
from ostoja.graphql.platform.centers.mutations import CentersMutations
from ostoja.graphql.platform.centers.queries import CentersQueries
from ostoja.graphql.platform.jobs.mutations import JobsMutations
from ostoja.graphql.platform.jobs.queries import JobsQueries
from ostoja.graphql.platform.partners.mutations import PartnersMutations
from ostoja.graphql.platform.partners.queries import PartnersQueries


class Query(PlatformAccountsQueries, CentersQueries, PartnersQueries, JobsQueries, graphene.ObjectType):
    node = Node.Field(description="Any platform object by its ID.")


class Mutation(PlatformAccountsMutations, CentersMutations, PartnersMutations, JobsMutations, graphene.ObjectType):
    pass


# Built in English: descriptions from translatable model help texts are fixed when the schema is built.
with translation.override("en"):
    schema = graphene.Schema(query=Query, mutation=Mutation)
