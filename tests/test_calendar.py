"""The working-days calendar: weekends, Polish public holidays and the center's own closures."""

from datetime import date, time

import pytest

from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.calendar import (
    WorkingDays,
    add_working_days,
    holiday_name,
    is_working_day,
    polish_holidays,
)

pytestmark = pytest.mark.django_db


def test_polish_holidays():
    days = polish_holidays(2026)
    assert date(2026, 11, 11) in days
    assert date(2026, 4, 6) in days  # Easter Monday
    assert date(2026, 4, 3) not in days  # Good Friday is no holiday in Poland
    assert holiday_name(date(2026, 5, 3)) == "Święto Narodowe Trzeciego Maja"


def test_across_a_weekend(torun, in_schema):
    with in_schema("torun"):
        assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday + 1 → Monday
        assert add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)  # from a Saturday
        assert add_working_days(date(2026, 11, 23), 5) == date(2026, 11, 30)
        assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)
        assert not is_working_day(date(2026, 11, 29))


def test_across_a_public_holiday(torun, in_schema):
    with in_schema("torun"):
        assert add_working_days(date(2026, 11, 10), 1) == date(2026, 11, 12)  # skips 11 November
        assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)  # 24–27 December
        assert not is_working_day(date(2026, 11, 11))


def test_across_a_center_closure(torun, in_schema):
    with in_schema("torun"):
        services.create_closure(None, date=date(2026, 11, 12), reason="Dzień pracownika socjalnego")
        services.create_closure(None, date=date(2026, 11, 13), reason="Szkolenie", closes_early_at=time(12))
        assert not is_working_day(date(2026, 11, 12))
        assert is_working_day(date(2026, 11, 13))  # closing early is still a working day
        assert add_working_days(date(2026, 11, 10), 1) == date(2026, 11, 13)
    with in_schema("slupsk"):  # Toruń's closure is Toruń's alone
        assert add_working_days(date(2026, 11, 10), 1) == date(2026, 11, 12)


def test_closure_of_one_kind_of_hours_is_still_a_working_day(torun, in_schema):
    with in_schema("torun"):
        services.create_closure(None, date=date(2026, 11, 12), kind="complaints", reason="Dyrektor na urlopie")
        assert is_working_day(date(2026, 11, 12))


def test_working_days_helpers():
    calendar = WorkingDays(observe_public_holidays=False)
    assert calendar.is_working_day(date(2026, 11, 11))
    calendar = WorkingDays()
    assert calendar.next_working_day(date(2026, 11, 11)) == date(2026, 11, 12)
    assert calendar.between(date(2026, 11, 9), date(2026, 11, 16)) == 4
    with pytest.raises(ValueError):
        calendar.add(date(2026, 11, 9), -1)
