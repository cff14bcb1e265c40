"""PESEL numbers made up for demo data and tests."""

from __future__ import annotations

from datetime import date

from stdnum.pl import pesel as pesel_number

from ostoja.modules.cases.models import Sex

# The month of birth carries the century.
CENTURY_OFFSET = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}


def make_pesel(born: date, serial: int, sex: str) -> str:
    """A PESEL with a valid checksum: birth date (century in the month), a 3-digit serial, the sex digit."""
    month = born.month + CENTURY_OFFSET[born.year // 100]
    sex_digit = (serial % 5) * 2 + (1 if sex == Sex.MALE else 0)
    base = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial % 1000:03d}{sex_digit}"
    return pesel_number.validate(base + pesel_number.calc_check_digit(base))
