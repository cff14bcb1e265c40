"""Changing the center's set-up: each mutation calls one service of ``ostoja.tenants.configuration.services``
(administrator or director only; validated by the models' rules, audited) and declares every code it can report.

Create and update share their input type; in an update only the fields sent change (an explicit null clears)."""

import graphene

from ostoja.graphql.core.ids import decode_id, decode_ids
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.staff.configuration import types
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


def _id(value, type_name):
    return decode_id(value, type_name, field="id")


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


class CreateAddress(ServiceMutation):
    """Add an address (the center has at most one seat)."""

    class Meta:
        error_codes = ADDRESS_CODES

    class Arguments:
        input = AddressInput(required=True)

    address = graphene.Field(types.Address)

    @classmethod
    def perform(cls, info, input):
        return {"address": services.create_address(actor(info), **_fields(input))}


class UpdateAddress(ServiceMutation):
    class Meta:
        error_codes = ADDRESS_CODES

    class Arguments:
        id = graphene.ID(required=True)
        input = AddressInput(required=True)

    address = graphene.Field(types.Address)

    @classmethod
    def perform(cls, info, id, input):
        return {"address": services.update_address(actor(info), _id(id, "Address"), **_fields(input))}


class DeleteAddress(ServiceMutation):
    """Delete an address; its contacts go with it, its departments keep no address."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_address(actor(info), _id(id, "Address"))
        return {"deleted_id": id}


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


class CreateContact(ServiceMutation):
    class Meta:
        error_codes = CONTACT_CODES

    class Arguments:
        input = ContactInput(required=True)

    contact = graphene.Field(types.Contact)

    @classmethod
    def perform(cls, info, input):
        return {"contact": services.create_contact(actor(info), **_fields(input))}


class UpdateContact(ServiceMutation):
    class Meta:
        error_codes = CONTACT_CODES

    class Arguments:
        id = graphene.ID(required=True)
        input = ContactInput(required=True)

    contact = graphene.Field(types.Contact)

    @classmethod
    def perform(cls, info, id, input):
        return {"contact": services.update_contact(actor(info), _id(id, "Contact"), **_fields(input))}


class DeleteContact(ServiceMutation):
    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_contact(actor(info), _id(id, "Contact"))
        return {"deleted_id": id}


# --- departments -----------------------------------------------------------------------------------

DEPARTMENT_CODES = (*FIELD_CODES, "invalid")


class DepartmentInput(graphene.InputObjectType):
    code = graphene.String(description="A slug, unique in the center. Required for a new department.")
    name = graphene.String(description="In Polish. Required for a new department.")
    name_en = graphene.String()
    description = graphene.String()
    address = graphene.ID()
    order = graphene.Int()


class CreateDepartment(ServiceMutation):
    class Meta:
        error_codes = DEPARTMENT_CODES

    class Arguments:
        input = DepartmentInput(required=True)

    department = graphene.Field(types.Department)

    @classmethod
    def perform(cls, info, input):
        return {"department": services.create_department(actor(info), **_fields(input))}


class UpdateDepartment(ServiceMutation):
    class Meta:
        error_codes = DEPARTMENT_CODES

    class Arguments:
        id = graphene.ID(required=True)
        input = DepartmentInput(required=True)

    department = graphene.Field(types.Department)

    @classmethod
    def perform(cls, info, id, input):
        return {"department": services.update_department(actor(info), _id(id, "Department"), **_fields(input))}


class DeleteDepartment(ServiceMutation):
    """Delete a department; its contacts go with it, its teams and staff keep no department."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_department(actor(info), _id(id, "Department"))
        return {"deleted_id": id}


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


class CreateTeam(ServiceMutation):
    class Meta:
        error_codes = FIELD_CODES

    class Arguments:
        input = TeamInput(required=True)

    team = graphene.Field(types.Team)

    @classmethod
    def perform(cls, info, input):
        return {"team": services.create_team(actor(info), **_team_fields(input))}


class UpdateTeam(ServiceMutation):
    class Meta:
        error_codes = FIELD_CODES

    class Arguments:
        id = graphene.ID(required=True)
        input = TeamInput(required=True)

    team = graphene.Field(types.Team)

    @classmethod
    def perform(cls, info, id, input):
        return {"team": services.update_team(actor(info), _id(id, "Team"), **_team_fields(input))}


class DeleteTeam(ServiceMutation):
    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_team(actor(info), _id(id, "Team"))
        return {"deleted_id": id}


# --- districts and their streets -------------------------------------------------------------------

DISTRICT_CODES = (*FIELD_CODES, "invalid")


class DistrictInput(graphene.InputObjectType):
    code = graphene.String(description="A slug, unique in the center. Required for a new district.")
    name = graphene.String(description="Required for a new district.")
    description = graphene.String()
    is_illustrative = graphene.Boolean(description="The street list is an example, not the official division.")
    order = graphene.Int()


class CreateDistrict(ServiceMutation):
    class Meta:
        error_codes = DISTRICT_CODES

    class Arguments:
        input = DistrictInput(required=True)

    district = graphene.Field(types.District)

    @classmethod
    def perform(cls, info, input):
        return {"district": services.create_district(actor(info), **_fields(input))}


class UpdateDistrict(ServiceMutation):
    class Meta:
        error_codes = DISTRICT_CODES

    class Arguments:
        id = graphene.ID(required=True)
        input = DistrictInput(required=True)

    district = graphene.Field(types.District)

    @classmethod
    def perform(cls, info, id, input):
        return {"district": services.update_district(actor(info), _id(id, "District"), **_fields(input))}


class DeleteDistrict(ServiceMutation):
    """Delete a district with its streets and its own schedules."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_district(actor(info), _id(id, "District"))
        return {"deleted_id": id}


STREET_CODES = (*FIELD_CODES, "district_overlap", "range_incomplete", "range_reversed")


class CreateDistrictStreet(ServiceMutation):
    """Add a street (all numbers, the odd or even ones, or a range) to a district. An address must have one
    district: a definition that covers an address another one covers is refused (DISTRICT_OVERLAP)."""

    class Meta:
        error_codes = STREET_CODES

    class Arguments:
        district = graphene.ID(required=True)
        street = graphene.String(required=True)
        numbers = types.StreetNumbers(default_value=types.StreetNumbers.ALL.value)
        number_from = graphene.Int(description="For RANGE.")
        number_to = graphene.Int(description="For RANGE.")

    district_street = graphene.Field(types.DistrictStreet)

    @classmethod
    def perform(cls, info, district, street, numbers="all", number_from=None, number_to=None):
        district_street = services.add_district_street(
            actor(info),
            decode_id(district, "District", field="district"),
            street=street,
            numbers=getattr(numbers, "value", numbers),
            number_from=number_from,
            number_to=number_to,
        )
        return {"district_street": district_street}


class UpdateDistrictStreet(ServiceMutation):
    class Meta:
        error_codes = STREET_CODES

    class Arguments:
        id = graphene.ID(required=True)
        district = graphene.ID()
        street = graphene.String()
        numbers = types.StreetNumbers()
        number_from = graphene.Int()
        number_to = graphene.Int()

    district_street = graphene.Field(types.DistrictStreet)

    @classmethod
    def perform(cls, info, id, **data):
        district_street = services.update_district_street(actor(info), _id(id, "DistrictStreet"), **_fields(data))
        return {"district_street": district_street}


class DeleteDistrictStreet(ServiceMutation):
    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_district_street(actor(info), _id(id, "DistrictStreet"))
        return {"deleted_id": id}


# --- schedules, their rules and closures -----------------------------------------------------------


class ScheduleInput(graphene.InputObjectType):
    kind = types.HoursKind(description="Required for a new schedule.")
    district = graphene.ID(description="Only for this district (null: the whole center).")
    label = graphene.String(description="In Polish.")
    label_en = graphene.String()
    note = graphene.String()


class CreateSchedule(ServiceMutation):
    """A weekly schedule of one kind of hours: one for the whole center and at most one per district."""

    class Meta:
        error_codes = FIELD_CODES

    class Arguments:
        input = ScheduleInput(required=True)

    schedule = graphene.Field(types.Schedule)

    @classmethod
    def perform(cls, info, input):
        fields = _fields(input)
        return {"schedule": services.create_schedule(actor(info), kind=fields.pop("kind", ""), **fields)}


class UpdateSchedule(ServiceMutation):
    class Meta:
        error_codes = FIELD_CODES

    class Arguments:
        id = graphene.ID(required=True)
        input = ScheduleInput(required=True)

    schedule = graphene.Field(types.Schedule)

    @classmethod
    def perform(cls, info, id, input):
        return {"schedule": services.update_schedule(actor(info), _id(id, "Schedule"), **_fields(input))}


class DeleteSchedule(ServiceMutation):
    """Delete a schedule with its rules."""

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_schedule(actor(info), _id(id, "Schedule"))
        return {"deleted_id": id}


RULE_CODES = (*FIELD_CODES, "hours_reversed", "hours_overlap")


class CreateScheduleRule(ServiceMutation):
    """Opening hours on one weekday; two intervals of a schedule on one day must not overlap."""

    class Meta:
        error_codes = RULE_CODES

    class Arguments:
        schedule = graphene.ID(required=True)
        weekday = types.Weekday(required=True)
        opens = graphene.Time(required=True)
        closes = graphene.Time(required=True)

    schedule_rule = graphene.Field(types.ScheduleRule)

    @classmethod
    def perform(cls, info, schedule, weekday, opens, closes):
        rule = services.add_schedule_rule(
            actor(info),
            decode_id(schedule, "Schedule", field="schedule"),
            weekday=getattr(weekday, "value", weekday),
            opens=opens,
            closes=closes,
        )
        return {"schedule_rule": rule}


class UpdateScheduleRule(ServiceMutation):
    class Meta:
        error_codes = RULE_CODES

    class Arguments:
        id = graphene.ID(required=True)
        weekday = types.Weekday()
        opens = graphene.Time()
        closes = graphene.Time()

    schedule_rule = graphene.Field(types.ScheduleRule)

    @classmethod
    def perform(cls, info, id, **data):
        return {"schedule_rule": services.update_schedule_rule(actor(info), _id(id, "ScheduleRule"), **_fields(data))}


class DeleteScheduleRule(ServiceMutation):
    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_schedule_rule(actor(info), _id(id, "ScheduleRule"))
        return {"deleted_id": id}


CLOSURE_CODES = (*FIELD_CODES, "invalid")


class CreateClosure(ServiceMutation):
    """Close on a date (every kind of hours, or one kind), or end the day early with ``closesEarlyAt``."""

    class Meta:
        error_codes = CLOSURE_CODES

    class Arguments:
        date = graphene.Date(required=True)
        reason = graphene.String(required=True, description="In Polish.")
        reason_en = graphene.String()
        kind = types.HoursKind(description="Null: every kind of hours.")
        closes_early_at = graphene.Time(description="Null: closed all day.")

    closure = graphene.Field(types.Closure)

    @classmethod
    def perform(cls, info, **data):
        fields = _fields(data)
        fields["kind"] = fields.get("kind") or ""
        fields["reason_en"] = fields.get("reason_en") or ""
        return {"closure": services.create_closure(actor(info), **fields)}


class UpdateClosure(ServiceMutation):
    class Meta:
        error_codes = CLOSURE_CODES

    class Arguments:
        id = graphene.ID(required=True)
        date = graphene.Date()
        reason = graphene.String()
        reason_en = graphene.String()
        kind = types.HoursKind(description="Null: every kind of hours.")
        closes_early_at = graphene.Time()

    closure = graphene.Field(types.Closure)

    @classmethod
    def perform(cls, info, id, **data):
        return {"closure": services.update_closure(actor(info), _id(id, "Closure"), **_fields(data))}


class DeleteClosure(ServiceMutation):
    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, id):
        services.delete_closure(actor(info), _id(id, "Closure"))
        return {"deleted_id": id}


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
