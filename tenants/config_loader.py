"""Load a center's configuration from a YAML-shaped dict (``ostoja onboard --config``, ``ostoja demo``).

The shape (every section optional)::

    settings:     {timezone, observe_public_holidays, email, website, description, description_en}
    addresses:    [{kind: seat|branch|other, street, building, flat, postcode, city, label, label_en, note}]
    contacts:     [{kind: phone|fax|phone_fax|email|website, value, label, label_en, department: <code>}]
    departments:  [{code, name, name_en, description}]
    teams:        [{name, department: <code>, districts: [<code>, …]}]
    districts:    [{code, name, description, is_illustrative,
                    streets: [{street, numbers: all|odd|even|range, from, to}]}]
    schedules:    [{kind: office|reception|homeless_duty|complaints, district: <code>, label, label_en, note,
                    rules: [{days: "mon-fri" | [mon, wed] | tue, opens: "07:30", closes: "15:30"}]}]
    closures:     [{date: 2026-12-24, kind: <kind or empty for all>, reason, reason_en, closes_early_at: "12:00"}]

``validate_center_config`` checks everything first and names the exact place of each problem
(``districts[2].streets[0].to``); ``load_center_config`` then applies the data through the configuration
services inside one transaction, idempotently: objects are matched by their natural key (department,
district and team by code or name, schedule by kind and district, closure by date and kind, contact by
kind and value, address by street, building and city, the seat by being the seat), a district's streets
and a schedule's rules are made equal to the lists given; nothing given is deleted otherwise.
Run inside the center's schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from zoneinfo import available_timezones

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from ostoja.platform.errors import ServiceError, ValidationFailed
from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.districts import NumberRule, street_key
from ostoja.tenants.configuration.models import (
    POSTCODE,
    Address,
    CenterSettings,
    Closure,
    Contact,
    Department,
    District,
    DistrictStreet,
    HoursKind,
    Schedule,
    ScheduleRule,
    Team,
)
from ostoja.tenants.configuration.phones import normalize_phone

DEMO_DIR = Path(__file__).resolve().parent / "demo"

SECTIONS = ("settings", "addresses", "contacts", "departments", "teams", "districts", "schedules", "closures")
FIELDS = {
    "settings": {"timezone", "observe_public_holidays", "email", "website", "description", "description_en"},
    "addresses": {"kind", "street", "building", "flat", "postcode", "city", "label", "label_en", "note"},
    "contacts": {"kind", "value", "label", "label_en", "department"},
    "departments": {"code", "name", "name_en", "description"},
    "teams": {"name", "department", "districts"},
    "districts": {"code", "name", "description", "is_illustrative", "streets"},
    "streets": {"street", "numbers", "from", "to"},
    "schedules": {"kind", "district", "label", "label_en", "note", "rules"},
    "rules": {"days", "opens", "closes"},
    "closures": {"date", "kind", "reason", "reason_en", "closes_early_at"},
}
WEEKDAYS = {
    **{name: i for i, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])},
    **{
        name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
    },
    **{name: i for i, name in enumerate(["pn", "wt", "sr", "cz", "pt", "sb", "nd"])},
}
TIME = re.compile(r"(\d{1,2}):(\d{2})")


def demo_config(slug: str) -> dict:
    """The demo configuration of a demo center (``tenants/demo/<slug>.yaml``)."""
    path = DEMO_DIR / f"{slug}.yaml"
    if not re.fullmatch(r"[a-z0-9_]+", slug or "") or not path.is_file():
        raise ValidationFailed(
            _("There is no demo configuration for “%(slug)s”."), code="no_demo_config", params={"slug": slug}
        )
    return read_config_file(path)


def read_config_file(path) -> dict:
    """A configuration dict from a YAML file; ValidationFailed for unreadable or malformed YAML."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise ValidationFailed(
            _("Cannot read %(path)s: %(error)s"), code="unreadable", params={"path": str(path), "error": exc.strerror}
        ) from None
    except yaml.YAMLError as exc:
        raise ValidationFailed(
            _("%(path)s is not valid YAML: %(error)s"), code="bad_yaml", params={"path": str(path), "error": str(exc)}
        ) from None
    return data if data is not None else {}


# --- validation ------------------------------------------------------------------------------------


class _Errors:
    def __init__(self):
        self.items: list[ServiceError] = []

    def add(self, path: str, message, error_code: str, /, **params):
        text = str(message) % params if params else str(message)
        self.items.append(ServiceError(f"{path}: {text}", code=error_code, field=path))

    def raise_if_any(self):
        if self.items:
            first = self.items[0]
            raise ValidationFailed(first.message, code=first.code, field=first.field, errors=self.items)


@dataclass
class _Plan:
    """The data, checked and normalised, ready to apply."""

    settings: dict | None = None
    addresses: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    departments: list[dict] = field(default_factory=list)
    teams: list[dict] = field(default_factory=list)
    districts: list[dict] = field(default_factory=list)
    schedules: list[dict] = field(default_factory=list)
    closures: list[dict] = field(default_factory=list)


def _text(errors, path, item, key, *, required=False, max_length=200) -> str:
    value = item.get(key)
    if value is None or value == "":
        if required:
            errors.add(f"{path}.{key}", _("This field is required."), "required")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.add(f"{path}.{key}", _("Expected text."), "invalid_type")
        return ""
    value = str(value).strip()
    if len(value) > max_length:
        errors.add(f"{path}.{key}", _("At most %(n)s characters."), "too_long", n=max_length)
    return value


def _list(errors, data, key) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(key, _("Expected a list."), "invalid_type")
        return []
    return value


def _mapping(errors, path, item, allowed) -> bool:
    if not isinstance(item, dict):
        errors.add(path, _("Expected a mapping (key: value)."), "invalid_type")
        return False
    for key in sorted(set(item) - allowed, key=str):
        errors.add(
            f"{path}.{key}", _("Unknown key; allowed: %(keys)s."), "unknown_key", keys=", ".join(sorted(allowed))
        )
    return True


def _choice(errors, path, value, choices, *, default=None):
    if value is None or value == "":
        if default is None:
            errors.add(path, _("This field is required."), "required")
        return default
    if value not in choices:
        errors.add(
            path,
            _("“%(value)s” is not one of: %(choices)s."),
            "invalid_choice",
            value=value,
            choices=", ".join(choices),
        )
        return default
    return value


def _time(errors, path, value) -> time | None:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        errors.add(path, _('Write times in quotes, like "07:30" (YAML reads 7:30 as a number).'), "invalid_time")
        return None
    match = TIME.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        errors.add(path, _('“%(value)s” is not a time like "07:30".'), "invalid_time", value=value)
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _days(errors, path, value) -> list[int]:
    items = value if isinstance(value, list) else [value]
    days: list[int] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 6:
            days.append(item)
            continue
        text = str(item).strip().lower() if isinstance(item, str) else ""
        if "-" in text:
            start, _sep, end = (part.strip() for part in text.partition("-"))
            if start in WEEKDAYS and end in WEEKDAYS and WEEKDAYS[start] <= WEEKDAYS[end]:
                days.extend(range(WEEKDAYS[start], WEEKDAYS[end] + 1))
                continue
        elif text in WEEKDAYS:
            days.append(WEEKDAYS[text])
            continue
        errors.add(path, _("“%(value)s” is not a weekday or a range like mon-fri."), "invalid_weekday", value=item)
    if not items or value in (None, ""):
        errors.add(path, _("This field is required."), "required")
    return sorted(set(days))


def _existing(model) -> set[str]:
    """Codes already configured in the current center; none outside a center's schema (onboarding checks a
    file before the center exists), where references must then resolve within the data itself."""
    if connection.schema_name == get_public_schema_name():
        return set()
    return set(model.objects.values_list("code", flat=True))


def _plan(data) -> _Plan:
    errors = _Errors()
    plan = _Plan()
    if not isinstance(data, dict):
        errors.add("(root)", _("The configuration must be a mapping of sections."), "invalid_type")
        errors.raise_if_any()
    for key in sorted(set(data) - set(SECTIONS), key=str):
        errors.add(str(key), _("Unknown section; allowed: %(keys)s."), "unknown_section", keys=", ".join(SECTIONS))

    # settings
    if data.get("settings") is not None and _mapping(errors, "settings", data["settings"], FIELDS["settings"]):
        raw = data["settings"]
        cleaned = {}
        if "timezone" in raw:
            tz = _text(errors, "settings", raw, "timezone", required=True, max_length=64)
            if tz and tz not in available_timezones():
                errors.add(
                    "settings.timezone", _("“%(value)s” is not a known time zone."), "invalid_timezone", value=tz
                )
            cleaned["timezone"] = tz
        if "observe_public_holidays" in raw:
            if not isinstance(raw["observe_public_holidays"], bool):
                errors.add("settings.observe_public_holidays", _("Expected true or false."), "invalid_type")
            cleaned["observe_public_holidays"] = bool(raw["observe_public_holidays"])
        if "email" in raw:
            email = _text(errors, "settings", raw, "email", max_length=254).lower()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors.add(
                        "settings.email", _("“%(value)s” is not a valid e-mail address."), "invalid_email", value=email
                    )
            cleaned["email"] = email
        if "website" in raw:
            url = _text(errors, "settings", raw, "website")
            if url:
                try:
                    URLValidator(schemes=["http", "https"])(url)
                except ValidationError:
                    errors.add(
                        "settings.website", _("“%(value)s” is not a valid web address."), "invalid_url", value=url
                    )
            cleaned["website"] = url
        for key in ("description", "description_en"):
            if key in raw:
                cleaned[key] = _text(errors, "settings", raw, key, max_length=5000)
        plan.settings = cleaned

    # departments (before contacts and teams, which name them)
    department_codes: set[str] = set()
    for i, item in enumerate(_list(errors, data, "departments")):
        path = f"departments[{i}]"
        if not _mapping(errors, path, item, FIELDS["departments"]):
            continue
        code = _text(errors, path, item, "code", required=True, max_length=40)
        if code:
            try:
                validate_slug(code)
            except ValidationError:
                errors.add(f"{path}.code", _("Use letters, digits, hyphens and underscores."), "invalid_code")
            if code in department_codes:
                errors.add(f"{path}.code", _("Department “%(code)s” is listed twice."), "duplicate", code=code)
            department_codes.add(code)
        plan.departments.append(
            {
                "code": code,
                "name": _text(errors, path, item, "name", required=True),
                "name_en": _text(errors, path, item, "name_en"),
                "description": _text(errors, path, item, "description", max_length=5000),
                "order": i,
            }
        )
    known_departments = department_codes | _existing(Department)

    # addresses
    seats = 0
    for i, item in enumerate(_list(errors, data, "addresses")):
        path = f"addresses[{i}]"
        if not _mapping(errors, path, item, FIELDS["addresses"]):
            continue
        kind = _choice(errors, f"{path}.kind", item.get("kind"), Address.Kind.values, default="branch")
        seats += kind == "seat"
        if kind == "seat" and seats > 1:
            errors.add(f"{path}.kind", _("A center has one seat."), "duplicate_seat")
        postcode = _text(errors, path, item, "postcode", required=True, max_length=6)
        if postcode and not POSTCODE.fullmatch(postcode):
            errors.add(f"{path}.postcode", _("A Polish postcode looks like 87-100."), "invalid_postcode")
        plan.addresses.append(
            {
                "kind": kind,
                "street": _text(errors, path, item, "street", required=True, max_length=120),
                "building": _text(errors, path, item, "building", required=True, max_length=20),
                "flat": _text(errors, path, item, "flat", max_length=20),
                "postcode": postcode,
                "city": _text(errors, path, item, "city", required=True, max_length=100),
                "label": _text(errors, path, item, "label", max_length=120),
                "label_en": _text(errors, path, item, "label_en", max_length=120),
                "note": _text(errors, path, item, "note", max_length=300),
                "order": i,
            }
        )

    # contacts
    for i, item in enumerate(_list(errors, data, "contacts")):
        path = f"contacts[{i}]"
        if not _mapping(errors, path, item, FIELDS["contacts"]):
            continue
        kind = _choice(errors, f"{path}.kind", item.get("kind"), Contact.Kind.values)
        value = _text(errors, path, item, "value", required=True)
        if kind and value:
            try:
                if kind in Contact.PHONE_KINDS:
                    value = normalize_phone(value)
                elif kind == "email":
                    value = value.lower()
                    validate_email(value)
                else:
                    URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                message = {
                    "email": _("“%(value)s” is not a valid e-mail address."),
                    "website": _("“%(value)s” is not a valid web address."),
                }.get(kind, _("“%(value)s” is not a valid phone number."))
                errors.add(
                    f"{path}.value", message, f"invalid_{'phone' if kind in Contact.PHONE_KINDS else kind}", value=value
                )
        department = _text(errors, path, item, "department", max_length=40) or None
        if department and department not in known_departments:
            errors.add(f"{path}.department", _("No department “%(code)s”."), "unknown_department", code=department)
        plan.contacts.append(
            {
                "kind": kind,
                "value": value,
                "label": _text(errors, path, item, "label"),
                "label_en": _text(errors, path, item, "label_en"),
                "department": department,
                "order": i,
            }
        )

    # districts and their streets
    district_codes: set[str] = set()
    seen_rules: dict[str, list[tuple[str, NumberRule]]] = {}
    for i, item in enumerate(_list(errors, data, "districts")):
        path = f"districts[{i}]"
        if not _mapping(errors, path, item, FIELDS["districts"]):
            continue
        code = _text(errors, path, item, "code", required=True, max_length=20)
        if code:
            try:
                validate_slug(code)
            except ValidationError:
                errors.add(f"{path}.code", _("Use letters, digits, hyphens and underscores."), "invalid_code")
            if code in district_codes:
                errors.add(f"{path}.code", _("District “%(code)s” is listed twice."), "duplicate", code=code)
            district_codes.add(code)
        name = _text(errors, path, item, "name", required=True, max_length=120)
        if "is_illustrative" in item and not isinstance(item["is_illustrative"], bool):
            errors.add(f"{path}.is_illustrative", _("Expected true or false."), "invalid_type")
        streets = []
        raw_streets = item.get("streets") or []
        if not isinstance(raw_streets, list):
            errors.add(f"{path}.streets", _("Expected a list."), "invalid_type")
            raw_streets = []
        for j, street in enumerate(raw_streets):
            spath = f"{path}.streets[{j}]"
            if isinstance(street, str):
                street = {"street": street}
            if not _mapping(errors, spath, street, FIELDS["streets"]):
                continue
            street_name = _text(errors, spath, street, "street", required=True, max_length=120)
            numbers = _choice(
                errors, f"{spath}.numbers", street.get("numbers"), DistrictStreet.Numbers.values, default="all"
            )
            low = high = None
            if numbers == "range":
                for key in ("from", "to"):
                    value = street.get(key)
                    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                        errors.add(
                            f"{spath}.{key}", _("A range needs whole house numbers from and to."), "range_incomplete"
                        )
                low, high = street.get("from"), street.get("to")
                if isinstance(low, int) and isinstance(high, int) and low > high:
                    errors.add(f"{spath}.to", _("The range must not end before it starts."), "range_reversed")
                    numbers = None
                if not (isinstance(low, int) and isinstance(high, int)):
                    numbers = None
            elif "from" in street or "to" in street:
                errors.add(spath, _("“from” and “to” go with numbers: range."), "range_unexpected")
            if street_name and numbers:
                key = street_key(street_name)
                rule = NumberRule(numbers, low, high)
                for other_path, other_district, other_rule in seen_rules.get(key, []):
                    if rule.overlaps(other_rule):
                        errors.add(
                            spath,
                            _(
                                "%(street)s overlaps %(other)s (district %(district)s): "
                                "an address must have one district."
                            ),
                            "district_overlap",
                            street=street_name,
                            other=other_path,
                            district=other_district,
                        )
                        break
                seen_rules.setdefault(key, []).append((spath, name or code, rule))
            streets.append({"street": street_name, "numbers": numbers or "all", "number_from": low, "number_to": high})
        plan.districts.append(
            {
                "code": code,
                "name": name,
                "description": _text(errors, path, item, "description", max_length=5000),
                "is_illustrative": bool(item.get("is_illustrative", False)),
                "order": i,
                "streets": streets,
            }
        )
    known_districts = district_codes | _existing(District)

    # teams
    team_names: set[str] = set()
    for i, item in enumerate(_list(errors, data, "teams")):
        path = f"teams[{i}]"
        if not _mapping(errors, path, item, FIELDS["teams"]):
            continue
        name = _text(errors, path, item, "name", required=True)
        if name in team_names:
            errors.add(f"{path}.name", _("Team “%(name)s” is listed twice."), "duplicate", name=name)
        team_names.add(name)
        department = _text(errors, path, item, "department", max_length=40) or None
        if department and department not in known_departments:
            errors.add(f"{path}.department", _("No department “%(code)s”."), "unknown_department", code=department)
        districts = item.get("districts") or []
        if not isinstance(districts, list):
            errors.add(f"{path}.districts", _("Expected a list."), "invalid_type")
            districts = []
        for j, code in enumerate(districts):
            if code not in known_districts:
                errors.add(f"{path}.districts[{j}]", _("No district “%(code)s”."), "unknown_district", code=code)
        plan.teams.append({"name": name, "department": department, "districts": [str(c) for c in districts]})

    # schedules and their rules
    schedule_keys: set[tuple[str, str | None]] = set()
    for i, item in enumerate(_list(errors, data, "schedules")):
        path = f"schedules[{i}]"
        if not _mapping(errors, path, item, FIELDS["schedules"]):
            continue
        kind = _choice(errors, f"{path}.kind", item.get("kind"), HoursKind.values)
        district = _text(errors, path, item, "district", max_length=20) or None
        if district and district not in known_districts:
            errors.add(f"{path}.district", _("No district “%(code)s”."), "unknown_district", code=district)
        if (kind, district) in schedule_keys:
            errors.add(path, _("A schedule of this kind for this district is listed twice."), "duplicate")
        schedule_keys.add((kind, district))
        rules: list[tuple[int, time, time]] = []
        raw_rules = item.get("rules") or []
        if not isinstance(raw_rules, list):
            errors.add(f"{path}.rules", _("Expected a list."), "invalid_type")
            raw_rules = []
        for j, rule in enumerate(raw_rules):
            rpath = f"{path}.rules[{j}]"
            if not _mapping(errors, rpath, rule, FIELDS["rules"]):
                continue
            days = _days(errors, f"{rpath}.days", rule.get("days"))
            opens = _time(errors, f"{rpath}.opens", rule.get("opens"))
            closes = _time(errors, f"{rpath}.closes", rule.get("closes"))
            if opens is None or closes is None:
                continue
            if opens >= closes:
                errors.add(f"{rpath}.closes", _("Closing time must be after opening time."), "hours_reversed")
                continue
            for day in days:
                clash = next((r for r in rules if r[0] == day and opens < r[2] and r[1] < closes), None)
                if clash:
                    errors.add(
                        rpath,
                        _("%(opens)s–%(closes)s overlaps %(other)s on the same weekday."),
                        "hours_overlap",
                        opens=f"{opens:%H:%M}",
                        closes=f"{closes:%H:%M}",
                        other=f"{clash[1]:%H:%M}–{clash[2]:%H:%M}",
                    )
                    break
                rules.append((day, opens, closes))
        plan.schedules.append(
            {
                "kind": kind,
                "district": district,
                "label": _text(errors, path, item, "label"),
                "label_en": _text(errors, path, item, "label_en"),
                "note": _text(errors, path, item, "note", max_length=300),
                "rules": rules,
            }
        )

    # closures
    closure_keys: set[tuple[date, str]] = set()
    for i, item in enumerate(_list(errors, data, "closures")):
        path = f"closures[{i}]"
        if not _mapping(errors, path, item, FIELDS["closures"]):
            continue
        day = item.get("date")
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day.strip())
            except ValueError:
                day = None
        if not isinstance(day, date):
            errors.add(f"{path}.date", _("Expected a date like 2026-12-24."), "invalid_date")
            day = None
        kind = item.get("kind") or ""
        if kind == "all":
            kind = ""
        if kind and kind not in HoursKind.values:
            errors.add(
                f"{path}.kind",
                _("“%(value)s” is not one of: %(choices)s."),
                "invalid_choice",
                value=kind,
                choices=", ".join(HoursKind.values),
            )
        early = item.get("closes_early_at")
        early = _time(errors, f"{path}.closes_early_at", early) if early not in (None, "") else None
        if day and (day, kind) in closure_keys:
            errors.add(path, _("This closure is listed twice."), "duplicate")
        closure_keys.add((day, kind))
        plan.closures.append(
            {
                "date": day,
                "kind": kind,
                "reason": _text(errors, path, item, "reason", required=True),
                "reason_en": _text(errors, path, item, "reason_en"),
                "closes_early_at": early,
            }
        )
    errors.raise_if_any()
    return plan


def validate_center_config(data) -> None:
    """ValidationFailed (every problem in ``errors``, each ``field`` the path, e.g.
    ``districts[2].streets[0].to``) unless ``data`` is a loadable configuration. Writes nothing. Inside a
    center's schema, references may name departments and districts the center already has; elsewhere
    (before onboarding creates the center) they must be defined in ``data``."""
    _plan(data)


# --- applying ------------------------------------------------------------------------------------


class _Loader:
    def __init__(self, actor):
        self.actor = actor
        self.changes = 0

    def upsert(self, existing, fields: dict, create, update):
        """Create, or update only the fields that differ (no write, no audit when nothing differs)."""
        if existing is None:
            self.changes += 1
            return create(self.actor, **fields)
        different = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        if not different:
            return existing
        self.changes += 1
        return update(self.actor, existing, **different)


def _at(path: str, exc: ValidationFailed) -> ValidationFailed:
    """The same failure, its fields prefixed with where in the configuration it happened."""
    errors = [
        ServiceError(f"{path}: {e.message}", code=e.code, field=f"{path}.{e.field}" if e.field else path)
        for e in exc.errors
    ]
    return ValidationFailed(errors[0].message, code=errors[0].code, field=errors[0].field, errors=errors)


def load_center_config(data: dict, *, actor=None) -> dict[str, int]:
    """Apply a configuration (see the module doc) in the current center's schema; returns how many
    items each section holds, plus ``changes``: how many rows were created, changed or deleted (0 on a
    second run of the same data)."""
    plan = _plan(data)
    services.authorize(actor)
    loader = _Loader(actor)
    counts = dict.fromkeys(SECTIONS, 0)
    counts.update(district_streets=0, schedule_rules=0)
    with transaction.atomic():
        if plan.settings is not None:
            current = CenterSettings.objects.filter(pk=1).first()
            if current is None or any(getattr(current, k) != v for k, v in plan.settings.items()):
                loader.changes += 1
                services.update_settings(actor, **plan.settings)
            counts["settings"] = 1

        for i, item in enumerate(plan.addresses):
            if item["kind"] == "seat":
                existing = Address.objects.filter(kind="seat").first()
            else:
                existing = Address.objects.filter(
                    street__iexact=item["street"], building__iexact=item["building"], city__iexact=item["city"]
                ).first()
            _apply(f"addresses[{i}]", loader.upsert, existing, item, services.create_address, services.update_address)
        counts["addresses"] = len(plan.addresses)

        departments = {}
        for i, item in enumerate(plan.departments):
            existing = Department.objects.filter(code=item["code"]).first()
            departments[item["code"]] = _apply(
                f"departments[{i}]",
                loader.upsert,
                existing,
                item,
                services.create_department,
                services.update_department,
            )
        counts["departments"] = len(plan.departments)

        for i, item in enumerate(plan.contacts):
            fields = dict(item)
            code = fields.pop("department")
            fields["department"] = (departments.get(code) or Department.objects.get(code=code)) if code else None
            existing = Contact.objects.filter(kind=fields["kind"], value=fields["value"]).first()
            _apply(f"contacts[{i}]", loader.upsert, existing, fields, services.create_contact, services.update_contact)
        counts["contacts"] = len(plan.contacts)

        districts = {}
        for i, item in enumerate(plan.districts):
            fields = {k: v for k, v in item.items() if k != "streets"}
            existing = District.objects.filter(code=item["code"]).first()
            district = _apply(
                f"districts[{i}]", loader.upsert, existing, fields, services.create_district, services.update_district
            )
            districts[item["code"]] = district
        # Streets after every district exists and every district has dropped the streets it no longer
        # has, so that a street moving between districts is no false overlap.
        wanted_streets = {}
        for item in plan.districts:
            district = districts[item["code"]]
            wanted = {
                (street_key(s["street"]), s["numbers"], s["number_from"], s["number_to"]): s for s in item["streets"]
            }
            wanted_streets[item["code"]] = wanted
            for row in district.streets.all():
                if (row.street_key, row.numbers, row.number_from, row.number_to) not in wanted:
                    loader.changes += 1
                    services.delete_district_street(actor, row)
        for i, item in enumerate(plan.districts):
            district = districts[item["code"]]
            have = {(r.street_key, r.numbers, r.number_from, r.number_to) for r in district.streets.all()}
            for j, (key, street) in enumerate(wanted_streets[item["code"]].items()):
                if key in have:
                    continue
                loader.changes += 1
                try:
                    services.add_district_street(actor, district, **street)
                except ValidationFailed as exc:
                    raise _at(f"districts[{i}].streets[{j}]", exc) from None
            counts["district_streets"] += len(item["streets"])
        counts["districts"] = len(plan.districts)

        for i, item in enumerate(plan.teams):
            fields = {"name": item["name"]}
            code = item["department"]
            fields["department"] = (departments.get(code) or Department.objects.get(code=code)) if code else None
            existing = Team.objects.filter(name=item["name"]).first()
            team = _apply(f"teams[{i}]", loader.upsert, existing, fields, services.create_team, services.update_team)
            wanted = [districts.get(c) or District.objects.get(code=c) for c in item["districts"]]
            if sorted(d.pk for d in wanted) != sorted(team.districts.values_list("pk", flat=True)):
                loader.changes += 1
                services.set_team_districts(actor, team, wanted)
        counts["teams"] = len(plan.teams)

        for i, item in enumerate(plan.schedules):
            code = item["district"]
            district = (districts.get(code) or District.objects.get(code=code)) if code else None
            fields = {k: item[k] for k in ("label", "label_en", "note")}
            existing = Schedule.objects.filter(kind=item["kind"], district=district).first()
            schedule = _apply(
                f"schedules[{i}]",
                loader.upsert,
                existing,
                {"kind": item["kind"], "district": district, **fields},
                services.create_schedule,
                services.update_schedule,
            )
            wanted = set(item["rules"])
            current = list(ScheduleRule.objects.filter(schedule=schedule))
            for rule in current:
                if (rule.weekday, rule.opens, rule.closes) not in wanted:
                    loader.changes += 1
                    services.delete_schedule_rule(actor, rule)
            have = {(r.weekday, r.opens, r.closes) for r in current}
            for day, opens, closes in item["rules"]:
                if (day, opens, closes) in have:
                    continue
                loader.changes += 1
                try:
                    services.add_schedule_rule(actor, schedule, weekday=day, opens=opens, closes=closes)
                except ValidationFailed as exc:
                    raise _at(f"schedules[{i}].rules", exc) from None
            counts["schedule_rules"] += len(item["rules"])
        counts["schedules"] = len(plan.schedules)

        for i, item in enumerate(plan.closures):
            existing = Closure.objects.filter(date=item["date"], kind=item["kind"]).first()
            _apply(f"closures[{i}]", loader.upsert, existing, item, services.create_closure, services.update_closure)
        counts["closures"] = len(plan.closures)
    counts["changes"] = loader.changes
    return counts


def _apply(path, upsert, existing, fields, create, update):
    try:
        return upsert(existing, fields, create, update)
    except ValidationFailed as exc:
        raise _at(path, exc) from None
