"""Phone numbers with phonenumbers: stored in E.164, shown in the Polish national format."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(value: str, region: str = "PL") -> str:
    """``"(56) 65 08 565"`` → ``"+48566508565"``; ValidationError for anything that is not a valid number.
    A trunk prefix written the old way (``"0598428126"``) is accepted."""
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, region)
        if not phonenumbers.is_valid_number(number) and raw.startswith("0") and not raw.startswith("00"):
            number = phonenumbers.parse(raw[1:], region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="invalid_phone", params={"value": value}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, "PL")
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 48
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
