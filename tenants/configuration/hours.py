"""Opening hours of a center: is a kind of hours open at a moment, when does it open next, the hours on
a day, and a summary for the home page.

The hours of a kind on a day come from its weekly schedule (``ScheduleRule`` per weekday), minus Polish
public holidays (when ``CenterSettings.observe_public_holidays``) and one-off ``Closure`` rows (all day,
or closing early; for every kind or one kind). A district-specific schedule (Słupsk: client reception
per district) applies to its district; the general schedule (``district`` empty) applies otherwise. Asked
without a district for a kind that only has district schedules, the answer is the union of them ("is
reception open anywhere").

Each public function loads the rules, closures and settings once and answers from memory. Moments are
read in the center's time zone (``CenterSettings.timezone``); naive datetimes are taken as local time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone as dj_timezone

from ostoja.tenants.configuration.calendar import holiday_name, is_public_holiday, polish_holidays
from ostoja.tenants.configuration.models import (
    CenterSettings,
    Closure,
    District,
    HoursKind,
    Schedule,
    Weekday,
)

HORIZON_DAYS = 60  # how far next_opening looks ahead

Interval = tuple[time, time]


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[list[time]] = []
    for opens, closes in sorted(intervals):
        if merged and opens <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closes)
        else:
            merged.append([opens, closes])
    return [(o, c) for o, c in merged]


class Timetable:
    """The center's schedules, closures and settings, loaded once for a span of dates."""

    def __init__(self, start: date, end: date):
        settings_row = CenterSettings.objects.filter(pk=1).first()
        self.tz = ZoneInfo(settings_row.timezone if settings_row else "Europe/Warsaw")
        self.observe_public_holidays = settings_row.observe_public_holidays if settings_row else True
        self.schedules = list(Schedule.objects.select_related("district").prefetch_related("rules"))
        self.weekly: dict[int, dict[int, list[Interval]]] = {}
        for schedule in self.schedules:
            days: dict[int, list[Interval]] = defaultdict(list)
            for rule in schedule.rules.all():
                days[rule.weekday].append((rule.opens, rule.closes))
            self.weekly[schedule.pk] = {day: _merge(intervals) for day, intervals in days.items()}
        self.closures: dict[date, list[Closure]] = defaultdict(list)
        for closure in Closure.objects.filter(date__gte=start, date__lte=end):
            self.closures[closure.date].append(closure)
        if self.observe_public_holidays:
            for year in range(start.year, end.year + 1):
                polish_holidays(year)  # warm the cache

    # -- which schedules answer for a kind and a district ------------------------------------------

    def schedules_for(self, kind: str, district=None) -> list[Schedule]:
        of_kind = [s for s in self.schedules if s.kind == kind]
        district_id = _district_id(district, of_kind)
        if district_id is not None:
            own = [s for s in of_kind if s.district_id == district_id]
            if own:
                return own
        general = [s for s in of_kind if s.district_id is None]
        if general or district_id is not None:
            return general
        return of_kind  # no general schedule: the union of the district ones

    # -- hours ---------------------------------------------------------------------------------

    def closure_on(self, kind: str, day: date) -> Closure | None:
        """The closure that shapes ``kind`` on ``day``: an all-day one first, else the earliest early closing."""
        relevant = [c for c in self.closures.get(day, ()) if c.kind in ("", kind)]
        if not relevant:
            return None
        whole = [c for c in relevant if c.closes_early_at is None]
        if whole:
            return whole[0]
        return min(relevant, key=lambda c: c.closes_early_at)

    def is_holiday(self, day: date) -> bool:
        return self.observe_public_holidays and is_public_holiday(day)

    def schedule_hours(self, schedule: Schedule, day: date) -> list[Interval]:
        intervals = self.weekly.get(schedule.pk, {}).get(day.weekday(), [])
        return self._apply_exceptions(schedule.kind, day, intervals)

    def hours_on(self, kind: str, day: date, district=None) -> list[Interval]:
        intervals: list[Interval] = []
        for schedule in self.schedules_for(kind, district):
            intervals.extend(self.weekly.get(schedule.pk, {}).get(day.weekday(), []))
        return self._apply_exceptions(kind, day, _merge(intervals))

    def _apply_exceptions(self, kind: str, day: date, intervals: list[Interval]) -> list[Interval]:
        if not intervals or self.is_holiday(day):
            return []
        closure = self.closure_on(kind, day)
        if closure is None:
            return list(intervals)
        if closure.closes_early_at is None:
            return []
        cut = closure.closes_early_at
        return [(opens, min(closes, cut)) for opens, closes in intervals if opens < cut]

    # -- moments -------------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        if dj_timezone.is_naive(moment):
            return moment.replace(tzinfo=self.tz)
        return moment.astimezone(self.tz)

    def open_interval(self, intervals: list[Interval], moment: datetime) -> Interval | None:
        now = self.local(moment).time()
        for opens, closes in intervals:
            if opens <= now < closes:
                return opens, closes
        return None

    def next_opening_in(self, hours_of_day, after: datetime) -> datetime | None:
        """The first opening strictly after ``after``, ``hours_of_day(day)`` giving the intervals."""
        local = self.local(after)
        for offset in range(HORIZON_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            for opens, _closes in hours_of_day(day):
                start = datetime.combine(day, opens, tzinfo=self.tz)
                if start > local:
                    return start
        return None


def _district_id(district, schedules) -> int | None:
    """A District, its id or its code → the id (``None`` for no district)."""
    if district is None or district == "":
        return None
    if isinstance(district, District):
        return district.pk
    if isinstance(district, int):
        return district
    for schedule in schedules:
        if schedule.district is not None and schedule.district.code == district:
            return schedule.district_id
    found = District.objects.filter(code=district).values_list("pk", flat=True).first()
    return found if found is not None else -1  # an unknown code matches no district schedule


def _timetable_from(start: date, days: int = 0) -> Timetable:
    return Timetable(start - timedelta(days=1), start + timedelta(days=days + 1))


def _local_now_date(moment: datetime) -> tuple[Timetable, datetime]:
    table = _timetable_from(moment.date(), HORIZON_DAYS)
    return table, table.local(moment)


# --- public functions ----------------------------------------------------------------------------


def hours_on(kind: str, day: date, district=None) -> list[Interval]:
    """The opening intervals of ``kind`` on ``day`` (empty when closed)."""
    return Timetable(day, day).hours_on(kind, day, district)


def is_open(kind: str, moment: datetime, district=None) -> bool:
    """Whether ``kind`` (office, reception, homeless_duty, complaints) is open at ``moment``."""
    table = _timetable_from(moment.date())
    local = table.local(moment)
    return table.open_interval(table.hours_on(kind, local.date(), district), local) is not None


def next_opening(kind: str, after: datetime, district=None) -> datetime | None:
    """When ``kind`` next opens strictly after ``after``: an aware datetime in the center's time zone,
    or ``None`` when it does not open within the next ``HORIZON_DAYS`` days."""
    table, local = _local_now_date(after)
    return table.next_opening_in(lambda day: table.hours_on(kind, day, district), local)


@dataclass
class HoursSummary:
    """One schedule on the home page: today's hours, open now, next opening and the week."""

    schedule: Schedule
    kind: str
    kind_label: str
    district: District | None
    label: str
    today: list[Interval]
    open_now: bool
    closes_at: time | None
    next_opening: datetime | None
    closed_today_because: str = ""
    week: list[tuple[str, list[Interval]]] = field(default_factory=list)


def _week(weekly: dict[int, list[Interval]]) -> list[tuple[str, list[Interval]]]:
    """The weekly hours with runs of days that share their hours joined: ("Monday – Friday", [(8:00, 10:00)])."""
    runs: list[list] = []
    for day in range(7):
        hours = weekly.get(day)
        if not hours:
            continue
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == hours:
            runs[-1][1] = day
        else:
            runs.append([day, day, hours])
    result = []
    for first, last, hours in runs:
        name = str(Weekday(first).label)
        if last > first:
            name = f"{name} – {Weekday(last).label}"
        result.append((name, hours))
    return result


def today_summary(moment: datetime | None = None) -> list[HoursSummary]:
    """Every schedule of the center (general ones first within each kind, then per district) at
    ``moment`` (default: now)."""
    moment = moment or dj_timezone.now()
    table, _local = _local_now_date(moment)
    return summarize(table, moment)


def summarize(table: Timetable, moment: datetime) -> list[HoursSummary]:
    """``today_summary`` from a timetable already loaded (the directory loads every center's at once)."""
    local = table.local(moment)
    today = local.date()
    kind_order = {value: index for index, value in enumerate(HoursKind.values)}
    schedules = sorted(
        table.schedules,
        key=lambda s: (kind_order.get(s.kind, 99), s.district is not None, s.district.order if s.district else 0, s.pk),
    )
    result = []
    for schedule in schedules:
        todays = table.schedule_hours(schedule, today)
        current = table.open_interval(todays, local)
        upcoming = table.next_opening_in(lambda day, s=schedule: table.schedule_hours(s, day), local)
        reason = ""
        if not todays and table.weekly.get(schedule.pk, {}).get(today.weekday()):
            closure = table.closure_on(schedule.kind, today)
            if table.is_holiday(today):
                reason = holiday_name(today)
            elif closure is not None:
                reason = closure.reason_display
        result.append(
            HoursSummary(
                schedule=schedule,
                kind=schedule.kind,
                kind_label=str(HoursKind(schedule.kind).label),
                district=schedule.district,
                label=schedule.label_display,
                today=todays,
                open_now=current is not None,
                closes_at=current[1] if current else None,
                next_opening=upcoming,
                closed_today_because=reason,
                week=_week(table.weekly.get(schedule.pk, {})),
            )
        )
    return result
