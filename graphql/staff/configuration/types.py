"""The center's own set-up as staff see it: the center, its settings, addresses, contacts, departments, teams,
districts and their streets, schedules with their rules, closures, and opening hours. Any staff member of the
center may read it (``ostoja.tenants.configuration.services``); only administrators and the director change it."""

import graphene

from ostoja.graphql.core.ids import Node
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import CountableConnection, ModelType, choices_enum
from ostoja.tenants.configuration import models as m
from ostoja.tenants.configuration import services

AddressKind = choices_enum(m.Address.Kind, "AddressKind", "Kind of an address of the center.")
ContactKind = choices_enum(m.Contact.Kind, "ContactKind", "Kind of a contact (phones are stored in E.164).")
StreetNumbers = choices_enum(
    m.DistrictStreet.Numbers, "StreetNumbers", "Which house numbers of a street a district serves."
)
HoursKind = choices_enum(m.HoursKind, "HoursKind", "A kind of opening hours.")
Weekday = choices_enum(m.Weekday, "Weekday", "A day of the week.")


class DistrictLookupStatus(graphene.Enum):
    """The answer of ``districtFor``."""

    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    AMBIGUOUS = "ambiguous"


def _access(model):
    def access(cls, info, pk):
        return services.access(actor(info), model, pk)

    return classmethod(access)


class CenterSettings(graphene.ObjectType):
    """Settings that belong to the center rather than to the deployment."""

    timezone = graphene.String(required=True)
    observe_public_holidays = graphene.Boolean(required=True, description="Closed on Polish public holidays.")
    email = graphene.String(required=True)
    website = graphene.String(required=True)
    description = graphene.String(required=True, description="In Polish.")
    description_en = graphene.String(required=True, description="In English.")
    description_display = graphene.String(required=True, description="In the user's language.")


class Address(ModelType):
    """An address of the center: its seat or a branch office."""

    class Meta:
        model = m.Address
        fields = ("label", "label_en", "street", "building", "flat", "postcode", "city", "note", "order")
        interfaces = (Node,)
        connection_class = CountableConnection

    kind = graphene.Field(AddressKind, required=True)
    label_display = graphene.String(required=True, description="The label in the user's language.")
    street_line = graphene.String(required=True, description="“ul. Grudziądzka 45/2”.")
    text = graphene.String(required=True, description="The whole address on one line.")

    access = _access(m.Address)

    def resolve_text(self, info):
        return str(self)


class Contact(ModelType):
    """A phone, fax, e-mail address or website of the center (or of one department or address)."""

    class Meta:
        model = m.Contact
        fields = ("value", "label", "label_en", "department", "address", "order")
        interfaces = (Node,)
        connection_class = CountableConnection

    kind = graphene.Field(ContactKind, required=True)
    label_display = graphene.String(required=True)
    display_value = graphene.String(required=True, description="Phones in the national format.")
    href = graphene.String(required=True, description="tel:, mailto: or the web address; empty for a fax.")

    access = _access(m.Contact)


class Department(ModelType):
    """A department (dział) of the center."""

    class Meta:
        model = m.Department
        fields = ("code", "name", "name_en", "description", "address", "order")
        interfaces = (Node,)
        connection_class = CountableConnection

    display_name = graphene.String(required=True, description="The name in the user's language.")
    contacts = graphene.List(graphene.NonNull(Contact), required=True)

    access = _access(m.Department)

    def resolve_contacts(self, info):
        return self.contacts.all()


class District(ModelType):
    """A part of the city served by its own social workers."""

    class Meta:
        model = m.District
        fields = ("code", "name", "description", "is_illustrative", "order")
        interfaces = (Node,)
        connection_class = CountableConnection

    streets = graphene.List(graphene.NonNull(lambda: DistrictStreet), required=True)

    access = _access(m.District)

    def resolve_streets(self, info):
        return self.streets.all()


class DistrictStreet(ModelType):
    """A street, or the odd/even numbers or a range of numbers of it, that belongs to a district."""

    class Meta:
        model = m.DistrictStreet
        fields = ("street", "number_from", "number_to", "district")
        interfaces = (Node,)
        connection_class = CountableConnection

    numbers = graphene.Field(StreetNumbers, required=True)
    text = graphene.String(required=True, description="“Szczecińska 1–60”.")

    access = _access(m.DistrictStreet)

    def resolve_text(self, info):
        return str(self)


class Team(ModelType):
    """A social-work team, optionally serving given districts."""

    class Meta:
        model = m.Team
        fields = ("name", "department")
        interfaces = (Node,)
        connection_class = CountableConnection

    districts = graphene.List(graphene.NonNull(District), required=True)

    access = _access(m.Team)

    def resolve_districts(self, info):
        return self.districts.all()


class ScheduleRule(ModelType):
    """Opening hours on one weekday."""

    class Meta:
        model = m.ScheduleRule
        fields = ("opens", "closes", "schedule")
        interfaces = (Node,)
        connection_class = CountableConnection

    weekday = graphene.Field(Weekday, required=True)

    access = _access(m.ScheduleRule)


class Schedule(ModelType):
    """A weekly schedule of one kind of hours, for the whole center or one district."""

    class Meta:
        model = m.Schedule
        fields = ("district", "label", "label_en", "note")
        interfaces = (Node,)
        connection_class = CountableConnection

    kind = graphene.Field(HoursKind, required=True)
    label_display = graphene.String(required=True)
    rules = graphene.List(graphene.NonNull(ScheduleRule), required=True)

    access = _access(m.Schedule)

    def resolve_rules(self, info):
        return self.rules.all()


class Closure(ModelType):
    """A one-off closure (or a day that ends early), for every kind of hours or one kind."""

    class Meta:
        model = m.Closure
        fields = ("date", "reason", "reason_en", "closes_early_at")
        interfaces = (Node,)
        connection_class = CountableConnection

    kind = graphene.Field(HoursKind, description="Null: every kind of hours.")
    reason_display = graphene.String(required=True)

    access = _access(m.Closure)

    def resolve_kind(self, info):
        return self.kind or None


class Center(graphene.ObjectType):
    """The center you work in, with its set-up."""

    name = graphene.String(required=True, description="The official name.")
    short_name = graphene.String(required=True)
    kind = graphene.String(required=True, description="MOPR, MOPS, GOPS, …")
    city = graphene.String(required=True)
    voivodeship = graphene.String(required=True)
    settings = graphene.Field(CenterSettings, required=True)
    addresses = graphene.List(graphene.NonNull(Address), required=True)
    contacts = graphene.List(graphene.NonNull(Contact), required=True)
    departments = graphene.List(graphene.NonNull(Department), required=True)
    teams = graphene.List(graphene.NonNull(Team), required=True)

    def resolve_settings(self, info):
        return services.read_settings(actor(info))

    def resolve_addresses(self, info):
        return services.addresses(actor(info))

    def resolve_contacts(self, info):
        return services.contacts(actor(info))

    def resolve_departments(self, info):
        return services.departments(actor(info))

    def resolve_teams(self, info):
        return services.teams(actor(info))


class HoursInterval(graphene.ObjectType):
    """Open from ``opens`` to ``closes`` (local time of the center)."""

    opens = graphene.Time(required=True)
    closes = graphene.Time(required=True)

    def resolve_opens(self, info):
        return self[0]

    def resolve_closes(self, info):
        return self[1]


class WeekHours(graphene.ObjectType):
    """Days of the week that share their hours: “Monday – Friday” 7:30–15:30."""

    days = graphene.String(required=True)
    hours = graphene.List(graphene.NonNull(HoursInterval), required=True)

    def resolve_days(self, info):
        return self[0]

    def resolve_hours(self, info):
        return self[1]


class HoursSummary(graphene.ObjectType):
    """One schedule today: its hours, whether it is open now, when it opens next and its week."""

    schedule = graphene.Field(Schedule, required=True)
    kind = graphene.Field(HoursKind, required=True)
    kind_label = graphene.String(required=True)
    district = graphene.Field(District)
    label = graphene.String(required=True)
    today = graphene.List(graphene.NonNull(HoursInterval), required=True)
    open_now = graphene.Boolean(required=True)
    closes_at = graphene.Time(description="When the current opening ends (null: closed now).")
    next_opening = graphene.DateTime(description="Null: no opening within the next 60 days.")
    closed_today_because = graphene.String(required=True, description="A holiday's name or a closure's reason.")
    week = graphene.List(graphene.NonNull(WeekHours), required=True)


class DistrictLookup(graphene.ObjectType):
    """Which district serves an address."""

    status = graphene.Field(DistrictLookupStatus, required=True)
    district = graphene.Field(District, description="Set when the status is ASSIGNED.")
    candidates = graphene.List(graphene.NonNull(District), required=True, description="The districts in question.")
    message = graphene.String(required=True, description="The answer in words, in the user's language.")
