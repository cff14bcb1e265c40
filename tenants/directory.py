"""The public directory of centers (the platform host's start page): every active center with its host, contacts,
addresses and opening hours, read from each center's own configuration.

A page of centers costs a fixed number of SQL statements whatever the number of centers: the centers with their
hosts (one statement, plus the paginator's count), which of their schemas exist (one), and their configuration
(one): a ``UNION ALL`` of one ``SELECT`` per center schema in which every configuration table is read as a JSON
array (``json_agg``), every identifier quoted by psycopg -- never a Python loop of queries per center. The rows
become unsaved model instances, so the hours are computed by the same code as a center's own home page
(``configuration.hours``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.http.request import split_domain_port
from django.utils import timezone
from django_tenants.utils import get_public_schema_name
from psycopg import sql

from ostoja.tenants.configuration import hours
from ostoja.tenants.configuration.hours import HORIZON_DAYS, HoursSummary, Timetable, _merge
from ostoja.tenants.configuration.models import (
    Address,
    CenterSettings,
    Closure,
    Contact,
    District,
    Schedule,
    ScheduleRule,
)
from ostoja.tenants.models import Center

DEFAULT_TIMEZONE = "Europe/Warsaw"


def current_time() -> datetime:
    """Now (one place, so that tests can render the directory for a given moment)."""
    return timezone.now()


# --- Links to hosts ---------------------------------------------------------------------------------------------


def _request_port(request) -> str:
    """The port the browser used (from the Host header, as the browser sent it: behind a proxy the server's own
    port is not the one links need) when it is not the scheme's default; "" otherwise."""
    try:
        _domain, port = split_domain_port(request.get_host())
    except Exception:  # noqa: BLE001 (a disallowed or malformed Host header: no port then)
        return ""
    default = "443" if request.is_secure() else "80"
    return "" if port in ("", default) else port


def host_url(request, domain: str, path: str = "/") -> str:
    """``http://<domain>[:port]/`` with the scheme and port of the current request (every host of a deployment
    is served by the same server: a development server on localhost:8000 serves torun.localhost:8000 too)."""
    port = _request_port(request)
    netloc = f"{domain}:{port}" if port else domain
    return f"{request.scheme}://{netloc}{path}"


def with_request_port(request, url: str) -> str:
    """A link the services built without a port (``http://malbork.localhost/...``), given the port of the current
    request when it has none of its own."""
    if not url:
        return url
    parts = urlsplit(url)
    port = _request_port(request)
    if not port or parts.port is not None or not parts.hostname:
        return url
    return urlunsplit(parts._replace(netloc=f"{parts.netloc}:{port}"))


def primary_domain(center) -> str | None:
    """The host links to ``center`` use: from ``registry.with_domain_rows`` when read along, else its relation."""
    rows = getattr(center, "domain_rows", None)
    if rows is None:
        rows = [{"domain": d.domain, "is_primary": d.is_primary} for d in center.domains.all()]
    rows = sorted(rows, key=lambda row: (not row["is_primary"], row["domain"]))
    return rows[0]["domain"] if rows else None


# --- The centers listed -----------------------------------------------------------------------------------------


def public_centers(*, search: str = "", voivodeship: str = "", kind: str = "") -> QuerySet[Center]:
    """Active centers (suspended ones are not listed), by city and short name, with their hosts read along."""
    from ostoja.tenants.registry import with_domain_rows

    queryset = Center.objects.filter(is_active=True).exclude(
        schema_name__in=[settings.TENANT_BASE_SCHEMA, get_public_schema_name()]
    )
    text = (search or "").strip()
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(city__icontains=text))
    if voivodeship:
        queryset = queryset.filter(voivodeship=voivodeship)
    if kind:
        queryset = queryset.filter(kind=kind)
    return with_domain_rows(queryset).order_by("city", "short_name", "id")


# --- Reading every center's configuration at once ---------------------------------------------------------------


def _table(schema: str, model) -> sql.Identifier:
    return sql.Identifier(schema, model._meta.db_table)


def _array(schema: str, model, where: sql.Composable | None = None, order: str = "id") -> sql.Composable:
    """``(SELECT json_agg(t ORDER BY …) FROM "schema"."table" t WHERE …)`` or ``'[]'`` for no rows."""
    return sql.SQL("(SELECT coalesce(json_agg(t ORDER BY {order}), '[]'::json) FROM {table} t{where})").format(
        order=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(column)) for column in order.split(",")),
        table=_table(schema, model),
        where=sql.SQL(" WHERE {}").format(where) if where is not None else sql.SQL(""),
    )


def configuration_sql(schemas: list[str], date_from: date, date_to: date) -> sql.Composed:
    """One statement: per schema a row ``(schema, settings, addresses, contacts, districts, schedules, rules,
    closures)``, each a JSON value."""
    parts = []
    for schema in schemas:
        closures_between = sql.SQL("t.{d} BETWEEN {a} AND {b}").format(
            d=sql.Identifier("date"), a=sql.Literal(date_from), b=sql.Literal(date_to)
        )
        columns = [
            sql.Literal(schema),
            sql.SQL("(SELECT row_to_json(t) FROM {} t ORDER BY t.id LIMIT 1)").format(_table(schema, CenterSettings)),
            _array(schema, Address, order="order,id"),
            _array(schema, Contact, sql.SQL("t.department_id IS NULL"), order="order,id"),
            _array(schema, District, sql.SQL("t.id IN (SELECT district_id FROM {})").format(_table(schema, Schedule))),
            _array(schema, Schedule),
            _array(schema, ScheduleRule, order="weekday,opens"),
            _array(schema, Closure, closures_between, order="date,kind"),
        ]
        parts.append(sql.SQL("SELECT {}").format(sql.SQL(", ").join(columns)))
    return sql.SQL(" UNION ALL ").join(parts)


def _instance(model, row: dict):
    """An unsaved-looking instance of ``model`` from a row read as JSON (values converted by the fields)."""
    values = {f.attname: f.to_python(row.get(f.column)) for f in model._meta.concrete_fields if f.column in row}
    obj = model(**values)
    obj._state.adding = False
    obj._state.db = "default"
    return obj


def existing_schemas(schemas: list[str]) -> set[str]:
    if not schemas:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(schemas)])
        return {row[0] for row in cursor.fetchall()}


class LoadedTimetable(Timetable):
    """``configuration.hours.Timetable`` built from rows already read (no queries of its own)."""

    def __init__(self, settings_row, schedules, rules, closures):
        self.tz = _zone(settings_row)
        self.observe_public_holidays = settings_row.observe_public_holidays if settings_row else True
        self.schedules = schedules
        days: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for rule in rules:
            days[rule.schedule_id][rule.weekday].append((rule.opens, rule.closes))
        self.weekly = {s.pk: {d: _merge(i) for d, i in days.get(s.pk, {}).items()} for s in schedules}
        self.closures = defaultdict(list)
        for closure in closures:
            self.closures[closure.date].append(closure)


def _zone(settings_row) -> ZoneInfo:
    try:
        return ZoneInfo(settings_row.timezone if settings_row and settings_row.timezone else DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def summarize_hours(table: Timetable, moment: datetime) -> list[HoursSummary]:
    """Every schedule at ``moment``: the summary a center's own home page shows, from a timetable already loaded."""
    return hours.summarize(table, moment)


@dataclass
class DirectoryEntry:
    """One center of the directory."""

    center: Center
    domain: str | None
    description: str = ""
    addresses: list[Address] = field(default_factory=list)
    phones: list[Contact] = field(default_factory=list)
    emails: list[Contact] = field(default_factory=list)
    websites: list[Contact] = field(default_factory=list)
    hours: list[HoursSummary] = field(default_factory=list)
    now: datetime | None = None
    url: str = ""

    @property
    def contacts(self) -> list[Contact]:
        return [*self.phones, *self.emails, *self.websites]


def _titles(summary: HoursSummary) -> tuple[str, str]:
    """A schedule's row title (its own label, else its kind and district) and a note (the kind, when the label does
    not already say it)."""
    kind = summary.kind_label[:1].upper() + summary.kind_label[1:]
    if summary.district is not None:
        kind = f"{kind} – {summary.district.name}"
    label = (summary.label or "").strip()
    note = kind if label and not label.lower().startswith(summary.kind_label.lower()) else ""
    return label or kind, note


def _entry(center: Center, data: dict | None, moment: datetime) -> DirectoryEntry:
    entry = DirectoryEntry(center=center, domain=primary_domain(center))
    if data is None:  # the schema is missing (a center being removed): listed without its configuration
        return entry
    settings_row = _instance(CenterSettings, data["settings"]) if data["settings"] else None
    entry.description = settings_row.description_display if settings_row else ""
    entry.addresses = sorted(
        (_instance(Address, row) for row in data["addresses"]), key=lambda a: (a.kind != Address.Kind.SEAT, a.order)
    )
    contacts = [_instance(Contact, row) for row in data["contacts"]]
    values = {c.value for c in contacts}
    if settings_row and settings_row.email and settings_row.email not in values:
        contacts.append(Contact(kind=Contact.Kind.EMAIL, value=settings_row.email))
    if settings_row and settings_row.website and settings_row.website not in values:
        contacts.append(Contact(kind=Contact.Kind.WEBSITE, value=settings_row.website))
    entry.phones = [c for c in contacts if c.is_phone]
    entry.emails = [c for c in contacts if c.kind == Contact.Kind.EMAIL]
    entry.websites = [c for c in contacts if c.kind == Contact.Kind.WEBSITE]
    districts = {row["id"]: _instance(District, row) for row in data["districts"]}
    schedules = []
    for row in data["schedules"]:
        schedule = _instance(Schedule, row)
        schedule.district = districts.get(schedule.district_id)
        schedules.append(schedule)
    rules = [_instance(ScheduleRule, row) for row in data["rules"]]
    closures = [_instance(Closure, row) for row in data["closures"]]
    table = LoadedTimetable(settings_row, schedules, rules, closures)
    entry.hours = summarize_hours(table, moment)
    for summary in entry.hours:
        summary.title, summary.note = _titles(summary)
    entry.now = table.local(moment)
    return entry


def directory_entries(centers, moment: datetime | None = None) -> list[DirectoryEntry]:
    """The directory entries of ``centers`` (Center rows, in their order) at ``moment`` (default: now), read with
    two SQL statements whatever their number (see the module docstring)."""
    moment = moment or current_time()
    centers = list(centers)
    schemas = [c.schema_name for c in centers]
    present = existing_schemas(schemas)
    rows: dict[str, dict] = {}
    readable = [s for s in schemas if s in present]
    if readable:
        # The closures that can matter: from yesterday (time zones) to the end of the next-opening horizon.
        day = moment.date()
        statement = configuration_sql(readable, day - timedelta(days=1), day + timedelta(days=HORIZON_DAYS + 1))
        names = ("settings", "addresses", "contacts", "districts", "schedules", "rules", "closures")
        with connection.cursor() as cursor:
            cursor.execute(statement.as_string(cursor.connection))
            for schema, *values in cursor.fetchall():
                rows[schema] = dict(zip(names, values, strict=True))
    return [_entry(center, rows.get(center.schema_name), moment) for center in centers]
