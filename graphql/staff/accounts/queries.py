import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.tokens import TokenQueries
from ostoja.graphql.core.types import ConnectionField
from ostoja.graphql.staff.access import require_staff
from ostoja.graphql.staff.accounts.types import Role, StaffMember
from ostoja.platform.staff import services


class AccountsQueries(TokenQueries, graphene.ObjectType):
    me = graphene.Field(StaffMember, required=True, description="You: your roles and districts in this center.")
    staff_members = ConnectionField(
        StaffMember,
        role=Role(),
        district_id=graphene.ID(description="Only the staff of this district."),
        active=graphene.Boolean(description="True: active accounts; false: deactivated ones; null: both."),
        search=graphene.String(description="Words of the username, first or last name or e-mail."),
        description="The center's staff, by last name.",
    )

    def resolve_me(self, info):
        return services.access_staff_member(actor(info), require_staff(info).pk)

    def resolve_staff_members(self, info, role=None, district_id=None, active=None, search="", **_):
        district = None if district_id is None else decode_id(district_id, "District", field="districtId")
        return services.staff_profiles(actor(info), role=role, district=district, active=active, search=search or "")
