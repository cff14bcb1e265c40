"""Reading the center's set-up and its opening hours (any staff member of the center): every resolver calls a
service of ``ostoja.tenants.configuration.services``, which checks the caller and returns scoped rows."""

import graphene

from ostoja.graphql.core.ids import decode_id
from ostoja.graphql.core.mutations import actor
from ostoja.graphql.core.types import ConnectionField, enum_value
from ostoja.graphql.staff.configuration import types
from ostoja.tenants.configuration import services


def _district(value):
    return None if value is None else decode_id(value, "District", field="districtId")


class DistrictOrder(graphene.Enum):
    ORDER = "order,id"
    NAME = "name,id"
    CODE = "code,id"


class ClosureOrder(graphene.Enum):
    DATE = "date,kind,id"
    DATE_DESC = "-date,kind,-id"


class ConfigurationQueries(graphene.ObjectType):
    center = graphene.Field(types.Center, required=True, description="The center you work in, with its set-up.")
    districts = ConnectionField(
        types.District,
        search=graphene.String(description="Part of the code or the name."),
        order_by=DistrictOrder(default_value=DistrictOrder.ORDER.value),
        description="The center's districts with their streets.",
    )
    district_for = graphene.Field(
        types.DistrictLookup,
        street=graphene.String(required=True, description="“ul. Sienkiewicza”, “sienkiewicza”: both work."),
        building=graphene.String(description="The house number (“19A”); needed when a street is split."),
        required=True,
        description="Which district serves an address.",
    )
    schedules = graphene.List(
        graphene.NonNull(types.Schedule),
        kind=types.HoursKind(),
        district_id=graphene.ID(description="Only this district's own schedules."),
        required=True,
        description="Weekly schedules with their rules.",
    )
    closures = ConnectionField(
        types.Closure,
        date_from=graphene.Date(name="from"),
        date_to=graphene.Date(name="to"),
        kind=types.HoursKind(description="This kind; closures of every kind are included."),
        order_by=ClosureOrder(default_value=ClosureOrder.DATE.value),
        description="One-off closures and days that end early.",
    )
    open_now = graphene.Boolean(
        kind=types.HoursKind(required=True),
        district_id=graphene.ID(description="A district with its own schedule of this kind."),
        required=True,
        description="Whether this kind of hours is open now.",
    )
    next_opening = graphene.DateTime(
        kind=types.HoursKind(required=True),
        district_id=graphene.ID(),
        description="When this kind of hours next opens (null: not within 60 days).",
    )
    hours_on = graphene.List(
        graphene.NonNull(types.HoursInterval),
        date=graphene.Date(required=True),
        kind=types.HoursKind(required=True),
        district_id=graphene.ID(),
        required=True,
        description="The opening hours of a day (empty: closed), holidays and closures applied.",
    )
    hours_today = graphene.List(
        graphene.NonNull(types.HoursSummary),
        required=True,
        description="Every schedule today: hours, open now, next opening, the week.",
    )

    def resolve_center(self, info):
        return services.current_center(actor(info))

    def resolve_districts(self, info, search="", order_by=None, **_):
        queryset = services.districts(actor(info), search=search or "")
        return queryset.order_by(*(enum_value(order_by) or DistrictOrder.ORDER.value).split(","))

    def resolve_district_for(self, info, street, building=None):
        return services.find_district(actor(info), street, building)

    def resolve_schedules(self, info, kind=None, district_id=None):
        return services.schedules(actor(info), kind=enum_value(kind), district=_district(district_id))

    def resolve_closures(self, info, date_from=None, date_to=None, kind=None, order_by=None, **_):
        queryset = services.closures(actor(info), date_from=date_from, date_to=date_to, kind=enum_value(kind))
        return queryset.order_by(*(enum_value(order_by) or ClosureOrder.DATE.value).split(","))

    def resolve_open_now(self, info, kind, district_id=None):
        return services.open_now(actor(info), enum_value(kind), district=_district(district_id))

    def resolve_next_opening(self, info, kind, district_id=None):
        return services.next_opening(actor(info), enum_value(kind), district=_district(district_id))

    def resolve_hours_on(self, info, date, kind, district_id=None):
        return services.hours_on(actor(info), enum_value(kind), date, district=_district(district_id))

    def resolve_hours_today(self, info):
        return services.hours_today(actor(info))
