"""Managing the center's staff (administrators and the director): each mutation calls one service of
``ostoja.platform.staff.services`` after looking up the staff member the ID names."""

import graphene

from ostoja.graphql.core.ids import decode_id, decode_ids
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.core.tokens import TokenMutations
from ostoja.graphql.staff.accounts.types import Role, StaffMember
from ostoja.platform.staff import services

# Codes of the staff member's fields (create and update).
FIELD_CODES = (
    "required",
    "invalid_username",
    "username_taken",
    "invalid_email",
    "unknown_role",
    "unknown_district",
    "unknown_department",
    "unknown_team",
    "invalid_phone",
    "invalid_language",
    "district_required",
    "wrong_schema",
)
# Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), each reported on the field ``password``.
PASSWORD_CODES = (
    "weak_password",
    "password_too_short",
    "password_too_common",
    "password_entirely_numeric",
    "password_too_similar",
)


class StaffMemberInput(graphene.InputObjectType):
    username = graphene.String(description="Unique in the center. Required for a new staff member.")
    first_name = graphene.String(description="Required for a new staff member.")
    last_name = graphene.String(description="Required for a new staff member.")
    email = graphene.String()
    roles = graphene.List(graphene.NonNull(Role), description="At least one. Required for a new staff member.")
    districts = graphene.List(
        graphene.NonNull(graphene.ID), description="A social worker needs one when the center has districts."
    )
    department = graphene.ID()
    team = graphene.ID()
    job_title = graphene.String()
    phone = graphene.String()
    preferred_language = graphene.String(description="pl or en.")


def _fields(input) -> dict:
    """The input's fields that were sent, with IDs decoded to primary keys and roles to their values."""
    fields = dict(input or {})
    if "districts" in fields:
        fields["districts"] = decode_ids(fields["districts"], "District", field="districts")
    for name, type_name in (("department", "Department"), ("team", "Team")):
        if fields.get(name) is not None:
            fields[name] = decode_id(fields[name], type_name, field=name)
    if "roles" in fields:
        fields["roles"] = [getattr(role, "value", role) for role in fields["roles"] or ()]
    return fields


def _user(info, id):
    """The account behind a StaffMember ID (NotFound for another center's ID or someone else's)."""
    return services.access_staff_member(actor(info), decode_id(id, "StaffMember", field="id")).user


class CreateStaffMember(ServiceMutation):
    """Create a staff account of this center. Without a password it cannot log in until a set-password link is
    used (the administration site sends those)."""

    class Meta:
        error_codes = (*FIELD_CODES, *PASSWORD_CODES)

    class Arguments:
        input = StaffMemberInput(required=True)
        password = graphene.String(description="Optional; Django's password rules apply.")

    staff_member = graphene.Field(StaffMember)

    @classmethod
    def perform(cls, info, input, password=None):
        fields = _fields(input)
        fields.setdefault("roles", [])
        for name in ("username", "first_name", "last_name"):
            fields.setdefault(name, "")
        for name in ("email", "job_title", "phone"):
            if fields.get(name) is None:
                fields[name] = ""
        if fields.get("preferred_language") is None:
            fields["preferred_language"] = "pl"
        user = services.create_staff_member(actor(info), password=password, **fields)
        return {"staff_member": user.staff_profile}


class UpdateStaffMember(ServiceMutation):
    """Change a staff member; only the fields sent change. The center keeps at least one administrator."""

    class Meta:
        error_codes = (*FIELD_CODES, "unknown_field", "last_administrator")

    class Arguments:
        id = graphene.ID(required=True)
        input = StaffMemberInput(required=True)

    staff_member = graphene.Field(StaffMember)

    @classmethod
    def perform(cls, info, id, input):
        user = services.update_staff_member(actor(info), _user(info, id), **_fields(input))
        return {"staff_member": user.staff_profile}


class DeactivateStaffMember(ServiceMutation):
    """Block an account: it can no longer log in, its sessions and API tokens stop working. Nothing is deleted."""

    class Meta:
        error_codes = ("self_deactivation", "last_administrator", "wrong_schema")

    class Arguments:
        id = graphene.ID(required=True)

    staff_member = graphene.Field(StaffMember)

    @classmethod
    def perform(cls, info, id):
        user = services.deactivate_staff_member(actor(info), _user(info, id))
        return {"staff_member": user.staff_profile}


class ReactivateStaffMember(ServiceMutation):
    """Undo a deactivation."""

    class Meta:
        error_codes = ("wrong_schema",)

    class Arguments:
        id = graphene.ID(required=True)

    staff_member = graphene.Field(StaffMember)

    @classmethod
    def perform(cls, info, id):
        user = services.reactivate_staff_member(actor(info), _user(info, id))
        return {"staff_member": user.staff_profile}


class AccountsMutations(TokenMutations, graphene.ObjectType):
    create_staff_member = CreateStaffMember.Field()
    update_staff_member = UpdateStaffMember.Field()
    deactivate_staff_member = DeactivateStaffMember.Field()
    reactivate_staff_member = ReactivateStaffMember.Field()
