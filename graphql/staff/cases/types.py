"""Types of the social-assistance module. Person is referenced by other modules (foster care, projects)."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.modules.cases import services
from ostoja.modules.cases.models import Person as PersonModel


class Person(ModelType):
    """A client of the center (or a household member, a foster child, a project participant)."""

    class Meta:
        model = PersonModel
        fields = (
            "first_name",
            "last_name",
            "pesel",
            "date_of_birth",
            "sex",
            "citizenship",
            "street",
            "building",
            "flat",
            "postcode",
            "city",
            "district",
            "phone",
            "email",
            "created_at",
            "updated_at",
        )
        interfaces = (Node,)
        connection_class = CountableConnection

    full_name = graphene.String(required=True)

    @classmethod
    def access(cls, info, pk):
        return services.get_person(actor(info), pk)

    def resolve_full_name(self, info):
        return f"{self.first_name} {self.last_name}"
