"""The staff schema: one Query and one Mutation root assembled from each module's queries and mutations."""

import graphene
from django.utils import translation

from ostoja.graphql.core.ids import Node
from ostoja.graphql.staff.accounts.mutations import AccountsMutations
from ostoja.graphql.staff.accounts.queries import AccountsQueries
from ostoja.graphql.staff.benefits.mutations import BenefitsMutations
from ostoja.graphql.staff.benefits.queries import BenefitsQueries
from ostoja.graphql.staff.cases.mutations import CasesMutations
from ostoja.graphql.staff.cases.queries import CasesQueries
from ostoja.graphql.staff.configuration.mutations import ConfigurationMutations
from ostoja.graphql.staff.configuration.queries import ConfigurationQueries
from ostoja.graphql.staff.documents.mutations import DocumentsMutations
from ostoja.graphql.staff.documents.queries import DocumentsQueries
from ostoja.graphql.staff.exports.mutations import ExportsMutations
from ostoja.graphql.staff.exports.queries import ExportsQueries
from ostoja.graphql.staff.foster_care.mutations import FosterCareMutations
from ostoja.graphql.staff.foster_care.queries import FosterCareQueries
from ostoja.graphql.staff.notifications.mutations import NotificationsMutations
from ostoja.graphql.staff.notifications.queries import NotificationsQueries
from ostoja.graphql.staff.projects.mutations import ProjectsMutations
from ostoja.graphql.staff.projects.queries import ProjectsQueries


class Query(
    AccountsQueries,
    ConfigurationQueries,
    CasesQueries,
    BenefitsQueries,
    FosterCareQueries,
    ProjectsQueries,
    DocumentsQueries,
    NotificationsQueries,
    ExportsQueries,
    graphene.ObjectType,
):
    node = Node.Field(description="Any object of this center by its ID (IDs from another center are not found).")


class Mutation(
    AccountsMutations,
    ConfigurationMutations,
    CasesMutations,
    BenefitsMutations,
    FosterCareMutations,
    ProjectsMutations,
    DocumentsMutations,
    NotificationsMutations,
    ExportsMutations,
    graphene.ObjectType,
):
    pass


# Built in English: descriptions from translatable model help texts are fixed when the schema is built.
with translation.override("en"):
    schema = graphene.Schema(query=Query, mutation=Mutation)
