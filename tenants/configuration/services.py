"""Services for a center's configuration: addresses, contacts, departments, teams, districts and their
streets, schedules and their rules, closures and the center settings.

Every function takes ``actor`` first: a user who must be the center's administrator or director, or
``None`` for a system action (onboarding, the demo loader), which callers pass explicitly. Each change is
validated (the models' ``clean`` holds the field rules: phone normalisation, street and hours overlaps),
written and recorded in the audit log. Run them inside the center's schema.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from ostoja.platform.audit.services import diff, record, snapshot
from ostoja.platform.errors import NotFound, ValidationFailed
from ostoja.platform.staff.access import require_role, staff_profile
from ostoja.platform.staff.models import Role
from ostoja.tenants.configuration import hours
from ostoja.tenants.configuration.districts import DistrictLookup, district_for
from ostoja.tenants.configuration.models import (
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

WRITE_ROLES = (Role.ADMINISTRATOR, Role.DIRECTOR)

# Fields a caller may set on each model (anything else is refused, never silently ignored).
EDITABLE = {
    CenterSettings: ["timezone", "observe_public_holidays", "email", "website", "description", "description_en"],
    Address: ["kind", "label", "label_en", "street", "building", "flat", "postcode", "city", "note", "order"],
    Contact: ["kind", "value", "label", "label_en", "department", "address", "order"],
    Department: ["code", "name", "name_en", "description", "address", "order"],
    Team: ["name", "department"],
    District: ["code", "name", "description", "is_illustrative", "order"],
    DistrictStreet: ["district", "street", "numbers", "number_from", "number_to"],
    Schedule: ["kind", "district", "label", "label_en", "note"],
    ScheduleRule: ["schedule", "weekday", "opens", "closes"],
    Closure: ["date", "kind", "reason", "reason_en", "closes_early_at"],
}


# --- the common core ---------------------------------------------------------------------------


def authorize(actor) -> None:
    """Writes need the administrator or director role; ``None`` is the system (onboarding, demo loader).
    A superuser of the center's schema (the admin site lets them in) may write too."""
    if actor is None:
        return
    if getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False):
        return
    require_role(actor, *WRITE_ROLES)


def _fetch(model, ref):
    """An instance from an instance or a primary key; NotFound otherwise."""
    if isinstance(ref, model):
        if ref.pk is None:
            raise NotFound(_("%(what)s does not exist."), code="not_found", params={"what": model._meta.verbose_name})
        return ref
    try:
        return model.objects.get(pk=ref)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            _("%(what)s does not exist."), code="not_found", params={"what": model._meta.verbose_name}
        ) from None


def _assign(obj, fields: dict) -> None:
    allowed = EDITABLE[type(obj)]
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationFailed(
            _("Unknown field: %(field)s."), code="unknown_field", field=unknown[0], params={"field": unknown[0]}
        )
    for name, value in fields.items():
        if value is None and name not in _NULLABLE.get(type(obj), ()):
            value = ""
        field = obj._meta.get_field(name)
        if field.is_relation and value is not None and not isinstance(value, models.Model):
            value = _fetch_for(field.related_model, value, name)  # a primary key (the API passes those)
        setattr(obj, name, value)


def _fetch_for(model, ref, field: str):
    """``_fetch`` reporting the input field that named the missing object."""
    try:
        return _fetch(model, ref)
    except NotFound as exc:
        exc.field = field
        raise


_NULLABLE = {
    Contact: ("department", "address"),
    Department: ("address",),
    Team: ("department",),
    DistrictStreet: ("number_from", "number_to"),
    Schedule: ("district",),
    Closure: ("closes_early_at",),
}


def validate(obj) -> None:
    """Run the model's validation and turn Django's ValidationError into ValidationFailed. A database
    constraint's generic error (code ``invalid``) is left out when ``clean`` already reported the same problem
    with its own code (``hours_reversed`` says what ``opens_before_closes`` says)."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        errors = ValidationFailed.from_django(exc).errors
        for error in errors:
            if error.field == NON_FIELD_ERRORS:
                error.field = None
        if any(e.field is None and e.code != "invalid" for e in errors):
            errors = [e for e in errors if e.field is not None or e.code != "invalid"]
        first = errors[0]
        raise ValidationFailed(
            first._message, code=first.code, field=first.field, params=first.params, errors=errors
        ) from None


def save_object(actor, obj: models.Model):
    """Validate, write and audit one configuration object (new or changed). The admin site saves here."""
    authorize(actor)
    if type(obj) not in EDITABLE:
        raise ValidationFailed(_("This object is not part of the configuration."), code="not_configuration")
    before = {}
    if obj.pk is not None:
        old = type(obj).objects.filter(pk=obj.pk).first()
        before = snapshot(old) if old is not None else {}
    validate(obj)
    creating = not before
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a race past full_clean's uniqueness checks
        raise ValidationFailed(
            _("This conflicts with an existing entry: %(detail)s"), code="duplicate", params={"detail": str(exc)}
        ) from None
    after = snapshot(obj)
    changes = diff(before, after)
    if creating or changes:
        record(actor, "create" if creating else "update", obj, changes=changes)
    return obj


def delete_object(actor, obj: models.Model) -> None:
    authorize(actor)
    if type(obj) not in EDITABLE or obj.pk is None:
        raise ValidationFailed(_("This object is not part of the configuration."), code="not_configuration")
    before = snapshot(obj)
    label, pk, object_type = str(obj)[:200], str(obj.pk), obj._meta.label_lower
    obj.delete()
    record(
        actor,
        "delete",
        None,
        object_type=object_type,
        object_id=pk,
        message=label,
        changes={key: [value, None] for key, value in before.items()},
    )


def _create(actor, model, fields: dict):
    authorize(actor)
    obj = model()
    _assign(obj, fields)
    return save_object(actor, obj)


def _update(actor, model, ref, fields: dict):
    authorize(actor)
    obj = _fetch(model, ref)
    _assign(obj, fields)
    return save_object(actor, obj)


def _delete(actor, model, ref) -> None:
    authorize(actor)
    delete_object(actor, _fetch(model, ref))


# --- settings ----------------------------------------------------------------------------------


def get_settings() -> CenterSettings:
    """The center's settings row (created with defaults when missing)."""
    return CenterSettings.load()


def update_settings(actor, **fields) -> CenterSettings:
    """Change the center settings (time zone, public holidays, e-mail, website, descriptions)."""
    authorize(actor)
    obj = CenterSettings.objects.filter(pk=1).first() or CenterSettings(pk=1)
    _assign(obj, fields)
    if obj.email:
        obj.email = obj.email.strip().lower()
    return save_object(actor, obj)


# --- addresses ---------------------------------------------------------------------------------


def create_address(actor, **fields) -> Address:
    """``street``, ``building``, ``postcode``, ``city`` required; ``kind`` seat / branch / other."""
    return _create(actor, Address, fields)


def update_address(actor, address, **fields) -> Address:
    return _update(actor, Address, address, fields)


def delete_address(actor, address) -> None:
    _delete(actor, Address, address)


# --- contacts ----------------------------------------------------------------------------------


def create_contact(actor, **fields) -> Contact:
    """``kind`` (phone, fax, phone_fax, email, website) and ``value``; phones are stored in E.164."""
    return _create(actor, Contact, fields)


def update_contact(actor, contact, **fields) -> Contact:
    return _update(actor, Contact, contact, fields)


def delete_contact(actor, contact) -> None:
    _delete(actor, Contact, contact)


# --- departments and teams ---------------------------------------------------------------------


def create_department(actor, **fields) -> Department:
    """``code`` (a slug), ``name`` (Polish), ``name_en``."""
    return _create(actor, Department, fields)


def update_department(actor, department, **fields) -> Department:
    return _update(actor, Department, department, fields)


def delete_department(actor, department) -> None:
    _delete(actor, Department, department)


def create_team(actor, *, districts=(), **fields) -> Team:
    with transaction.atomic():
        team = _create(actor, Team, fields)
        if districts:
            set_team_districts(actor, team, districts)
    return team


def update_team(actor, team, *, districts=None, **fields) -> Team:
    with transaction.atomic():
        team = _update(actor, Team, team, fields)
        if districts is not None:
            set_team_districts(actor, team, districts)
    return team


def set_team_districts(actor, team, districts) -> Team:
    """The districts a team serves (District objects or ids), replacing the previous set."""
    authorize(actor)
    team = _fetch(Team, team)
    wanted = [_fetch(District, d) for d in districts]
    before = sorted(team.districts.values_list("pk", flat=True))
    team.districts.set(wanted)
    after = sorted(d.pk for d in wanted)
    if before != after:
        record(actor, "update", team, changes={"districts": [str(before), str(after)]})
    return team


def delete_team(actor, team) -> None:
    _delete(actor, Team, team)


# --- districts and their streets ---------------------------------------------------------------


def create_district(actor, **fields) -> District:
    """``code`` (a slug), ``name``; ``is_illustrative`` marks an example street list."""
    return _create(actor, District, fields)


def update_district(actor, district, **fields) -> District:
    return _update(actor, District, district, fields)


def delete_district(actor, district) -> None:
    """Deletes the district with its streets and its own schedules."""
    _delete(actor, District, district)


def add_district_street(
    actor, district, *, street: str, numbers: str = "all", number_from: int | None = None, number_to: int | None = None
) -> DistrictStreet:
    """A street (or the odd/even numbers, or a from–to range of it) served by ``district``. A definition
    that covers an address another one already covers is refused (code ``district_overlap``)."""
    authorize(actor)
    district = _fetch(District, district)
    return _create(
        actor,
        DistrictStreet,
        {
            "district": district,
            "street": street,
            "numbers": numbers,
            "number_from": number_from,
            "number_to": number_to,
        },
    )


def update_district_street(actor, district_street, **fields) -> DistrictStreet:
    if "district" in fields and fields["district"] is not None:
        fields["district"] = _fetch(District, fields["district"])
    return _update(actor, DistrictStreet, district_street, fields)


def delete_district_street(actor, district_street) -> None:
    _delete(actor, DistrictStreet, district_street)


# --- schedules, their rules and closures -------------------------------------------------------


def create_schedule(actor, *, kind: str, district=None, **fields) -> Schedule:
    """A weekly schedule of one kind of hours; with ``district`` it applies to that district only."""
    district = _fetch(District, district) if district is not None else None
    return _create(actor, Schedule, {"kind": kind, "district": district, **fields})


def update_schedule(actor, schedule, **fields) -> Schedule:
    if fields.get("district") is not None:
        fields["district"] = _fetch(District, fields["district"])
    return _update(actor, Schedule, schedule, fields)


def delete_schedule(actor, schedule) -> None:
    _delete(actor, Schedule, schedule)


def add_schedule_rule(actor, schedule, *, weekday: int, opens: time, closes: time) -> ScheduleRule:
    """Opening hours on one weekday (0 = Monday). Two intervals of one schedule on the same weekday must
    not overlap (code ``hours_overlap``)."""
    authorize(actor)
    schedule = _fetch(Schedule, schedule)
    return _create(actor, ScheduleRule, {"schedule": schedule, "weekday": weekday, "opens": opens, "closes": closes})


def update_schedule_rule(actor, rule, **fields) -> ScheduleRule:
    fields.pop("schedule", None)
    return _update(actor, ScheduleRule, rule, fields)


def delete_schedule_rule(actor, rule) -> None:
    _delete(actor, ScheduleRule, rule)


def create_closure(
    actor,
    *,
    date: date,
    reason: str,
    kind: str = "",
    closes_early_at: time | None = None,
    reason_en: str = "",
) -> Closure:
    """A one-off closure on ``date`` for every kind of hours (``kind=""``) or one kind; with
    ``closes_early_at`` the day ends early instead of being closed."""
    return _create(
        actor,
        Closure,
        {"date": date, "reason": reason, "kind": kind, "closes_early_at": closes_early_at, "reason_en": reason_en},
    )


def update_closure(actor, closure, **fields) -> Closure:
    return _update(actor, Closure, closure, fields)


def delete_closure(actor, closure) -> None:
    _delete(actor, Closure, closure)


# --- reading (any staff member of the center) --------------------------------------------------


def authorize_read(actor) -> None:
    """Any staff member of the center may read its configuration; ``None`` is the system."""
    if actor is None:
        return
    if getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False):
        return
    staff_profile(actor)


def current_center(actor):
    """The center (tenant) whose schema is active."""
    from django.db import connection

    authorize_read(actor)
    return connection.tenant


def read_settings(actor) -> CenterSettings:
    authorize_read(actor)
    return get_settings()


def addresses(actor):
    authorize_read(actor)
    return Address.objects.all()


def contacts(actor):
    authorize_read(actor)
    return Contact.objects.select_related("department", "address")


def departments(actor):
    authorize_read(actor)
    return Department.objects.select_related("address").prefetch_related("contacts")


def teams(actor):
    authorize_read(actor)
    return Team.objects.select_related("department").prefetch_related("districts")


def districts(actor, *, search: str = ""):
    """Districts in their order, with their streets; ``search`` matches the code or the name."""
    authorize_read(actor)
    queryset = District.objects.prefetch_related("streets")
    search = (search or "").strip()
    if search:
        queryset = queryset.filter(models.Q(code__icontains=search) | models.Q(name__icontains=search))
    return queryset


def schedules(actor, *, kind: str | None = None, district=None):
    """Weekly schedules with their rules; ``kind`` and ``district`` (id) narrow them."""
    authorize_read(actor)
    queryset = Schedule.objects.select_related("district").prefetch_related("rules")
    if kind:
        queryset = queryset.filter(kind=_check_kind(kind))
    if district is not None:
        queryset = queryset.filter(district_id=_fetch_for(District, district, "district").pk)
    return queryset


def closures(actor, *, date_from: date | None = None, date_to: date | None = None, kind: str | None = None):
    """Closures by date; ``kind`` also keeps the closures that apply to every kind."""
    authorize_read(actor)
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed(_("The period must not end before it starts."), code="period_reversed", field="to")
    queryset = Closure.objects.all()
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    if kind:
        queryset = queryset.filter(kind__in=("", _check_kind(kind)))
    return queryset


def access(actor, model, pk):
    """One configuration object by its primary key, for any staff member; NotFound otherwise."""
    authorize_read(actor)
    if model not in EDITABLE:
        raise NotFound(code="not_found")
    return _fetch(model, pk)


def find_district(actor, street: str, building=None) -> DistrictLookup:
    """Which district serves ``street`` ``building`` (see ``districts.district_for``)."""
    authorize_read(actor)
    if not (street or "").strip():
        raise ValidationFailed(_("Give the street."), code="required", field="street")
    return district_for(street, building)


def _check_kind(kind) -> str:
    value = getattr(kind, "value", kind)
    if value not in HoursKind.values:
        raise ValidationFailed(
            _("“%(value)s” is not a kind of hours."), code="invalid_kind", field="kind", params={"value": value}
        )
    return value


def _district_ref(district):
    return None if district is None else _fetch_for(District, district, "district")


def open_now(actor, kind, *, district=None, moment: datetime | None = None) -> bool:
    authorize_read(actor)
    from django.utils import timezone

    return hours.is_open(_check_kind(kind), moment or timezone.now(), _district_ref(district))


def next_opening(actor, kind, *, district=None, after: datetime | None = None) -> datetime | None:
    authorize_read(actor)
    from django.utils import timezone

    return hours.next_opening(_check_kind(kind), after or timezone.now(), _district_ref(district))


def hours_on(actor, kind, day: date, *, district=None) -> list:
    authorize_read(actor)
    return hours.hours_on(_check_kind(kind), day, _district_ref(district))


def hours_today(actor, *, moment: datetime | None = None) -> list:
    """Every schedule's hours today (``hours.today_summary``)."""
    authorize_read(actor)
    return hours.today_summary(moment)
