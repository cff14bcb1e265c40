"""Changing the center's set-up: each mutation calls one service of ``ostoja.tenants.configuration.services``
(administrator or director only; validated by the models' rules, audited) and declares every code it can report.

Create and update share their input type; in an update only the fields sent change (an explicit null clears)."""

from functools import partial

import graphene

from ostoja.graphql.core.ids import decode_id, decode_ids
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.staff.configuration import types
from ostoja.graphql.staff.configuration.crud import crud_mutations
from ostoja.tenants.configuration import services

# What Django's field validation (full_clean) can report for any configuration object.
FIELD_CODES = (
    "blank",
    "null",
    "max_length",
    "invalid_choice",
    "min_value",
    "max_value",
    "unique",
    "unique_together",
    "duplicate",
    "unknown_field",
)

# Input fields that name another object, and the type of that object.
REFERENCES = {"department": "Department", "address": "Address", "district": "District", "schedule": "Schedule"}


def _fields(data) -> dict:
    """The input's fields that were sent, with enums as their values and IDs as primary keys."""
    fields = {}
    for name, value in dict(data or {}).items():
        if name in REFERENCES:
            value = None if value is None else decode_id(value, REFERENCES[name], field=name)
        fields[name] = getattr(value, "value", value)
    return fields


# Create/Update/Delete trios (see crud.py): ``fields`` turns an input (or the plain arguments) into service keywords.
_crud = partial(crud_mutations, fields=_fields, module=__name__)


# --- settings --------------------------------------------------------------------------------------


class CenterSettingsInput(graphene.InputObjectType):
    timezone = graphene.String(description="An IANA time zone (Europe/Warsaw).")
    observe_public_holidays = graphene.Boolean()
    email = graphene.String()
    website = graphene.String()
    description = graphene.String(description="In Polish.")
    description_en = graphene.String(description="In English.")


class UpdateCenterSettings(ServiceMutation):
    """Change the center's settings (time zone, public holidays, e-mail, website, descriptions)."""

    class Meta:
        error_codes = (*FIELD_CODES, "invalid_timezone")

    class Arguments:
        input = CenterSettingsInput(required=True)

    settings = graphene.Field(types.CenterSettings)

    @classmethod
    def perform(cls, info, input):
        return {"settings": services.update_settings(actor(info), **_fields(input))}


# --- addresses -------------------------------------------------------------------------------------

ADDRESS_CODES = (*FIELD_CODES, "invalid_postcode")


class AddressInput(graphene.InputObjectType):
    kind = types.AddressKind()
    label = graphene.String(description="In Polish.")
    label_en = graphene.String()
    street = graphene.String(description="Required for a new address.")
    building = graphene.String(description="Required for a new address.")
    flat = graphene.String()
    postcode = graphene.String(description="87-100. Required for a new address.")
    city = graphene.String(description="Required for a new address.")
    note = graphene.String()
    order = graphene.Int()


CreateAddress, UpdateAddress, DeleteAddress = _crud(
    types.Address,
    field="address",
    input=AddressInput,
    create=services.create_address,
    update=services.update_address,
    delete=services.delete_address,
    error_codes=ADDRESS_CODES,
    create_doc="Add an address (the center has at most one seat).",
    delete_doc="Delete an address; its contacts go with it, its departments keep no address.",
)


# --- contacts --------------------------------------------------------------------------------------

CONTACT_CODES = (*FIELD_CODES, "invalid_phone", "invalid_email", "invalid_url")


class ContactInput(graphene.InputObjectType):
    kind = types.ContactKind(description="Required for a new contact.")
    value = graphene.String(description="Required for a new contact; phones are stored in E.164.")
    label = graphene.String(description="In Polish.")
    label_en = graphene.String()
    department = graphene.ID(description="The department this contact belongs to.")
    address = graphene.ID(description="The address this contact belongs to.")
    order = graphene.Int()


CreateContact, UpdateContact, DeleteContact = _crud(
    types.Contact,
    field="contact",
    input=ContactInput,
    create=services.create_contact,
    update=services.update_contact,
    delete=services.delete_contact,
    error_codes=CONTACT_CODES,
)


# --- departments -----------------------------------------------------------------------------------

DEPARTMENT_CODES = (*FIELD_CODES, "invalid")


class DepartmentInput(graphene.InputObjectType):
    code = graphene.String(description="A slug, unique in the center. Required for a new department.")
    name = graphene.String(description="In Polish. Required for a new department.")
    name_en = graphene.String()
    description = graphene.String()
    address = graphene.ID()
    order = graphene.Int()


CreateDepartment, UpdateDepartment, DeleteDepartment = _crud(
    types.Department,
    field="department",
    input=DepartmentInput,
    create=services.create_department,
    update=services.update_department,
    delete=services.delete_department,
    error_codes=DEPARTMENT_CODES,
    delete_doc="Delete a department; its contacts go with it, its teams and staff keep no department.",
)


# --- teams -----------------------------------------------------------------------------------------


class TeamInput(graphene.InputObjectType):
    name = graphene.String(description="Unique in the center. Required for a new team.")
    department = graphene.ID()
    districts = graphene.List(graphene.NonNull(graphene.ID), description="The districts served (replaces the set).")


def _team_fields(input) -> dict:
    data = dict(input or {})
    districts = data.pop("districts", None)
    fields = _fields(data)
    if districts is not None:
        fields["districts"] = decode_ids(districts, "District", field="districts")
    return fields


CreateTeam, UpdateTeam, DeleteTeam = _crud(
    types.Team,
    field="team",
    input=TeamInput,
    fields=_team_fields,
    create=services.create_team,
    update=services.update_team,
    delete=services.delete_team,
    error_codes=FIELD_CODES,
)


# --- districts and their streets -------------------------------------------------------------------

DISTRICT_CODES = (*FIELD_CODES, "invalid")


class DistrictInput(graphene.InputObjectType):
    code = graphene.String(description="A slug, unique in the center. Required for a new district.")
    name = graphene.String(description="Required for a new district.")
    description = graphene.String()
    is_illustrative = graphene.Boolean(description="The street list is an example, not the official division.")
    order = graphene.Int()


CreateDistrict, UpdateDistrict, DeleteDistrict = _crud(
    types.District,
    field="district",
    input=DistrictInput,
    create=services.create_district,
    update=services.update_district,
    delete=services.delete_district,
    error_codes=DISTRICT_CODES,
    delete_doc="Delete a district with its streets and its own schedules.",
)


STREET_CODES = (*FIELD_CODES, "district_overlap", "range_incomplete", "range_reversed")


CreateDistrictStreet, UpdateDistrictStreet, DeleteDistrictStreet = _crud(
    types.DistrictStreet,
    field="district_street",
    create_arguments={
        "district": graphene.ID(required=True),
        "street": graphene.String(required=True),
        "numbers": types.StreetNumbers(default_value=types.StreetNumbers.ALL.value),
        "number_from": graphene.Int(description="For RANGE."),
        "number_to": graphene.Int(description="For RANGE."),
    },
    update_arguments={
        "district": graphene.ID(),
        "street": graphene.String(),
        "numbers": types.StreetNumbers(),
        "number_from": graphene.Int(),
        "number_to": graphene.Int(),
    },
    create=services.add_district_street,  # the district (decoded by _fields) is its positional argument
    update=services.update_district_street,
    delete=services.delete_district_street,
    error_codes=STREET_CODES,
    create_doc="""Add a street (all numbers, the odd or even ones, or a range) to a district. An address must have one
    district: a definition that covers an address another one covers is refused (DISTRICT_OVERLAP).""",
)


# --- schedules, their rules and closures -----------------------------------------------------------


class ScheduleInput(graphene.InputObjectType):
    kind = types.HoursKind(description="Required for a new schedule.")
    district = graphene.ID(description="Only for this district (null: the whole center).")
    label = graphene.String(description="In Polish.")
    label_en = graphene.String()
    note = graphene.String()


def _new_schedule_fields(input) -> dict:
    """The service requires ``kind``: one not sent goes as "" for the model's validation to refuse."""
    return {"kind": "", **_fields(input)}


CreateSchedule, UpdateSchedule, DeleteSchedule = _crud(
    types.Schedule,
    field="schedule",
    input=ScheduleInput,
    create_fields=_new_schedule_fields,
    create=services.create_schedule,
    update=services.update_schedule,
    delete=services.delete_schedule,
    error_codes=FIELD_CODES,
    create_doc="A weekly schedule of one kind of hours: one for the whole center and at most one per district.",
    delete_doc="Delete a schedule with its rules.",
)


RULE_CODES = (*FIELD_CODES, "hours_reversed", "hours_overlap")


CreateScheduleRule, UpdateScheduleRule, DeleteScheduleRule = _crud(
    types.ScheduleRule,
    field="schedule_rule",
    create_arguments={
        "schedule": graphene.ID(required=True),
        "weekday": types.Weekday(required=True),
        "opens": graphene.Time(required=True),
        "closes": graphene.Time(required=True),
    },
    update_arguments={"weekday": types.Weekday(), "opens": graphene.Time(), "closes": graphene.Time()},
    create=services.add_schedule_rule,  # the schedule (decoded by _fields) is its positional argument
    update=services.update_schedule_rule,
    delete=services.delete_schedule_rule,
    error_codes=RULE_CODES,
    create_doc="Opening hours on one weekday; two intervals of a schedule on one day must not overlap.",
)


CLOSURE_CODES = (*FIELD_CODES, "invalid")


def _new_closure_fields(data) -> dict:
    """A new closure stores "" for no kind and no English reason."""
    fields = _fields(data)
    fields["kind"] = fields.get("kind") or ""
    fields["reason_en"] = fields.get("reason_en") or ""
    return fields


CreateClosure, UpdateClosure, DeleteClosure = _crud(
    types.Closure,
    field="closure",
    create_arguments={
        "date": graphene.Date(required=True),
        "reason": graphene.String(required=True, description="In Polish."),
        "reason_en": graphene.String(),
        "kind": types.HoursKind(description="Null: every kind of hours."),
        "closes_early_at": graphene.Time(description="Null: closed all day."),
    },
    update_arguments={
        "date": graphene.Date(),
        "reason": graphene.String(),
        "reason_en": graphene.String(),
        "kind": types.HoursKind(description="Null: every kind of hours."),
        "closes_early_at": graphene.Time(),
    },
    create_fields=_new_closure_fields,
    create=services.create_closure,
    update=services.update_closure,
    delete=services.delete_closure,
    error_codes=CLOSURE_CODES,
    create_doc="Close on a date (every kind of hours, or one kind), or end the day early with ``closesEarlyAt``.",
)


class ConfigurationMutations(graphene.ObjectType):
    update_center_settings = UpdateCenterSettings.Field()
    create_address = CreateAddress.Field()
    update_address = UpdateAddress.Field()
    delete_address = DeleteAddress.Field()
    create_contact = CreateContact.Field()
    update_contact = UpdateContact.Field()
    delete_contact = DeleteContact.Field()
    create_department = CreateDepartment.Field()
    update_department = UpdateDepartment.Field()
    delete_department = DeleteDepartment.Field()
    create_team = CreateTeam.Field()
    update_team = UpdateTeam.Field()
    delete_team = DeleteTeam.Field()
    create_district = CreateDistrict.Field()
    update_district = UpdateDistrict.Field()
    delete_district = DeleteDistrict.Field()
    create_district_street = CreateDistrictStreet.Field()
    update_district_street = UpdateDistrictStreet.Field()
    delete_district_street = DeleteDistrictStreet.Field()
    create_schedule = CreateSchedule.Field()
    update_schedule = UpdateSchedule.Field()
    delete_schedule = DeleteSchedule.Field()
    create_schedule_rule = CreateScheduleRule.Field()
    update_schedule_rule = UpdateScheduleRule.Field()
    delete_schedule_rule = DeleteScheduleRule.Field()
    create_closure = CreateClosure.Field()
    update_closure = UpdateClosure.Field()
    delete_closure = DeleteClosure.Field()
