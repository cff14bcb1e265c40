import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.types import CountableConnection, ModelType
from ostoja.graphql.staff.access import require_staff
from ostoja.platform.errors import NotFound
from ostoja.tenants.configuration.models import District as DistrictModel


class District(ModelType):
    class Meta:
        model = DistrictModel
        fields = ("code", "name", "description", "is_illustrative", "order")
        interfaces = (Node,)
        connection_class = CountableConnection

    @classmethod
    def access(cls, info, pk):
        require_staff(info)
        district = DistrictModel.objects.filter(pk=pk).first()
        if district is None:
            raise NotFound(code="not_found")
        return district


__all__ = ["District", "graphene"]
