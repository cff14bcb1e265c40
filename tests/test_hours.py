"""Opening hours from the demo configuration of the three centers (tests/conftest.py loads it)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.hours import hours_on, is_open, next_opening, today_summary
from ostoja.tenants.configuration.models import CenterSettings, Schedule

pytestmark = pytest.mark.django_db
WAW = ZoneInfo("Europe/Warsaw")


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WAW)


# --- Toruń: Mon–Fri 7:30–15:30, Tuesday until 16:00, Friday until 15:00 ----------------------------


def test_torun_tuesday_afternoon_and_friday_afternoon(torun, in_schema):
    with in_schema("torun"):
        assert is_open("office", at(2026, 11, 24, 15, 45))  # Tuesday
        assert not is_open("office", at(2026, 11, 23, 15, 45))  # Monday closes at 15:30
        assert not is_open("office", at(2026, 11, 27, 15, 15))  # Friday closes at 15:00
        assert is_open("office", at(2026, 11, 27, 14, 59))
        assert not is_open("office", at(2026, 11, 24, 7, 29))
        assert is_open("office", at(2026, 11, 24, 7, 30))
        assert not is_open("office", at(2026, 11, 28, 10))  # Saturday
        assert hours_on("office", date(2026, 11, 24)) == [(time(7, 30), time(16, 0))]


def test_torun_closed_on_independence_day(torun, in_schema):
    with in_schema("torun"):
        assert date(2026, 11, 11).weekday() == 2  # a Wednesday
        assert not is_open("office", at(2026, 11, 11, 10))
        assert hours_on("office", date(2026, 11, 11)) == []
        assert next_opening("office", at(2026, 11, 11, 10)) == at(2026, 11, 12, 7, 30)


def test_torun_next_opening_after_friday_is_monday(torun, in_schema):
    with in_schema("torun"):
        opening = next_opening("office", at(2026, 11, 27, 15))
        assert opening == at(2026, 11, 30, 7, 30)
        assert opening.tzinfo.key == "Europe/Warsaw"
        # a moment given in UTC is read in the center's time zone
        assert next_opening("office", datetime(2026, 11, 27, 14, 0, tzinfo=ZoneInfo("UTC"))) == opening


def test_torun_next_opening_skips_easter_monday(torun, in_schema):
    with in_schema("torun"):
        assert is_open("office", at(2026, 4, 3, 10))  # Good Friday is a working day in Poland
        assert next_opening("office", at(2026, 4, 3, 15)) == at(2026, 4, 7, 7, 30)


def test_next_opening_across_the_change_to_summer_time(torun, in_schema):
    with in_schema("torun"):
        opening = next_opening("office", at(2026, 3, 27, 16))
        assert opening == at(2026, 3, 30, 7, 30)
        assert opening.utcoffset().total_seconds() == 2 * 3600


def test_public_holidays_can_be_ignored(torun, in_schema):
    with in_schema("torun"):
        services.update_settings(None, observe_public_holidays=False)
        assert is_open("office", at(2026, 11, 11, 10))


def test_all_day_closure_and_early_closing(torun, in_schema):
    with in_schema("torun"):
        services.create_closure(None, date=date(2026, 11, 25), reason="Szkolenie pracowników")
        services.create_closure(
            None, date=date(2026, 12, 31), kind="office", reason="Sylwester", closes_early_at=time(12)
        )
        assert not is_open("office", at(2026, 11, 25, 10))
        assert next_opening("office", at(2026, 11, 24, 16)) == at(2026, 11, 26, 7, 30)
        assert hours_on("office", date(2026, 12, 31)) == [(time(7, 30), time(12, 0))]
        assert is_open("office", at(2026, 12, 31, 11, 59))
        assert not is_open("office", at(2026, 12, 31, 12, 30))


def test_closure_of_another_kind_leaves_office_hours_alone(gdansk, in_schema):
    with in_schema("gdansk"):
        services.create_schedule(None, kind="office", label="Biuro")
        office = Schedule.objects.get(kind="office")
        services.add_schedule_rule(None, office, weekday=3, opens=time(8), closes=time(16))
        services.create_closure(None, date=date(2026, 11, 26), kind="complaints", reason="Dyrektor na urlopie")
        assert not is_open("complaints", at(2026, 11, 26, 10))
        assert is_open("office", at(2026, 11, 26, 10))
        assert next_opening("complaints", at(2026, 11, 26, 8)) == at(2026, 12, 3, 9)


def test_summary_for_the_home_page(torun, in_schema):
    with in_schema("torun"):
        (office,) = today_summary(at(2026, 11, 24, 15, 45))
        assert office.kind == "office"
        assert office.open_now and office.closes_at == time(16)
        assert office.today == [(time(7, 30), time(16))]
        assert office.next_opening == at(2026, 11, 25, 7, 30)
        # the week with runs of equal days joined (weekday names in the active language, Polish here)
        assert office.week == [
            ("Poniedziałek", [(time(7, 30), time(15, 30))]),
            ("Wtorek", [(time(7, 30), time(16))]),
            ("Środa – Czwartek", [(time(7, 30), time(15, 30))]),
            ("Piątek", [(time(7, 30), time(15))]),
        ]
        (holiday,) = today_summary(at(2026, 11, 11, 9))
        assert not holiday.open_now and holiday.today == []
        assert holiday.closed_today_because == "Narodowe Święto Niepodległości"


def test_center_time_zone_is_honoured(torun, in_schema):
    with in_schema("torun"):
        services.update_settings(None, timezone="Europe/London")
        assert CenterSettings.objects.get().timezone == "Europe/London"
        # 15:45 in Warsaw is 14:45 in London: still open on a Monday there
        assert is_open("office", at(2026, 11, 23, 15, 45))
        assert next_opening("office", at(2026, 11, 27, 15)).tzinfo.key == "Europe/London"


# --- Słupsk: client reception Mon–Fri 8–10 per district, homeless duty the same hours -------------


def test_slupsk_reception_per_district(slupsk, in_schema):
    with in_schema("slupsk"):
        for code in ("rejon-1", "rejon-3", "rejon-5"):
            assert is_open("reception", at(2026, 11, 23, 9), district=code)
            assert not is_open("reception", at(2026, 11, 23, 10), district=code)
        rejon_2 = Schedule.objects.get(kind="reception", district__code="rejon-2")
        services.add_schedule_rule(None, rejon_2, weekday=2, opens=time(14), closes=time(16))
        assert is_open("reception", at(2026, 11, 25, 15), district="rejon-2")
        assert is_open("reception", at(2026, 11, 25, 15), district=rejon_2.district)
        assert not is_open("reception", at(2026, 11, 25, 15), district="rejon-1")
        # without a district: is reception open anywhere?
        assert is_open("reception", at(2026, 11, 25, 15))
        assert hours_on("reception", date(2026, 11, 25), district="rejon-2") == [
            (time(8), time(10)),
            (time(14), time(16)),
        ]
        assert next_opening("reception", at(2026, 11, 25, 10), district="rejon-1") == at(2026, 11, 26, 8)
        assert next_opening("reception", at(2026, 11, 25, 10), district="rejon-2") == at(2026, 11, 25, 14)


def test_slupsk_general_schedule_serves_districts_without_their_own(slupsk, in_schema):
    with in_schema("slupsk"):
        general = services.create_schedule(None, kind="reception", label="Przyjęcia ogólne")
        services.add_schedule_rule(None, general, weekday=5, opens=time(9), closes=time(12))
        services.delete_schedule(None, Schedule.objects.get(kind="reception", district__code="rejon-4"))
        assert is_open("reception", at(2026, 11, 28, 10), district="rejon-4")  # the general Saturday hours
        assert not is_open("reception", at(2026, 11, 28, 10), district="rejon-1")  # its own schedule


def test_slupsk_homeless_duty_and_missing_kinds(slupsk, in_schema):
    with in_schema("slupsk"):
        assert is_open("homeless_duty", at(2026, 11, 27, 8))
        assert not is_open("homeless_duty", at(2026, 11, 28, 9))  # Saturday
        assert next_opening("homeless_duty", at(2026, 11, 27, 10)) == at(2026, 11, 30, 8)
        assert not is_open("complaints", at(2026, 11, 26, 10))
        assert next_opening("complaints", at(2026, 11, 26, 10)) is None


# --- Gdańsk: complaints and interventions on Thursday 9:00–11:00 only ------------------------------


def test_gdansk_complaints_thursday_only(gdansk, in_schema):
    with in_schema("gdansk"):
        assert is_open("complaints", at(2026, 11, 26, 9))
        assert is_open("complaints", at(2026, 11, 26, 10, 59))
        assert not is_open("complaints", at(2026, 11, 26, 11))
        for day in (23, 24, 25, 27, 28, 29):
            assert not is_open("complaints", at(2026, 11, day, 10))
        assert next_opening("complaints", at(2026, 11, 26, 11)) == at(2026, 12, 3, 9)
        assert not is_open("office", at(2026, 11, 26, 10))  # Gdańsk publishes no office hours
