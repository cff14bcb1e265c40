"""The center's working-days calendar: Monday–Friday, minus Polish public holidays (``holidays``)
and the center's own all-day closures. Statutory deadlines in working days are counted on it."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import get_language


@lru_cache(maxsize=64)
def polish_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("PL", years=year, language="pl"))


@lru_cache(maxsize=64)
def _english_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("PL", years=year, language="en_US"))


def is_public_holiday(day: date) -> bool:
    return day in polish_holidays(day.year)


def holiday_name(day: date) -> str:
    """The holiday's name in the current language (Polish unless English is active); "" on other days."""
    english = (get_language() or "pl").split("-")[0] == "en"
    names = _english_holidays(day.year) if english else polish_holidays(day.year)
    return names.get(day, "")


class WorkingDays:
    """Loads the center's all-day closures once for a span of dates and answers day queries from memory."""

    def __init__(self, observe_public_holidays: bool = True, closed_dates: set[date] | None = None):
        self.observe_public_holidays = observe_public_holidays
        self.closed_dates = closed_dates or set()

    @classmethod
    def for_current_center(cls) -> WorkingDays:
        from ostoja.tenants.configuration.models import CenterSettings, Closure

        settings_row = CenterSettings.objects.filter(pk=1).first()
        # A day the whole center, or its office, is closed is no working day; closing early still is one.
        closed = set(
            Closure.objects.filter(kind__in=("", "office"), closes_early_at__isnull=True).values_list("date", flat=True)
        )
        return cls(settings_row.observe_public_holidays if settings_row else True, closed)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.closed_dates:
            return False
        return not (self.observe_public_holidays and is_public_holiday(day))

    def add(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted, as KPA art. 57)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, left = start, days
        while left:
            current += timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next one (a deadline falling on a holiday moves)."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count


def add_working_days(start: date, days: int) -> date:
    """Shortcut on the current center's calendar (run inside the center's schema)."""
    return WorkingDays.for_current_center().add(start, days)


def is_working_day(day: date) -> bool:
    return WorkingDays.for_current_center().is_working_day(day)
