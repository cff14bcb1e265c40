"""Amounts typed by people (money, target values): parsed into a Decimal that fits the model field it is
stored in, so that an out-of-range or odd value becomes a typed validation error instead of a crash in
``quantize`` (InvalidOperation) or in the database (numeric field overflow).

``parse_amount`` knows nothing about signs or zero: each module keeps its own rules (and error codes) for
those and maps :class:`AmountInvalid` to its codes; ``amount_too_large`` is the shared error for a value
beyond the field's ``max_digits``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ostoja.platform.errors import ValidationFailed

NOT_A_NUMBER = "not_a_number"
TOO_MANY_PLACES = "too_many_places"
TOO_LARGE = "too_large"


class AmountInvalid(ValueError):
    """Why a value is not an amount: ``NOT_A_NUMBER`` (also NaN and infinities), ``TOO_MANY_PLACES`` (only
    when rounding is off) or ``TOO_LARGE`` (does not fit the field)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def limits(field: models.DecimalField) -> tuple[int, int]:
    return field.max_digits, field.decimal_places


def max_amount(field: models.DecimalField) -> Decimal:
    """The largest value the field stores, e.g. 99999999.99 for max_digits=10, decimal_places=2."""
    digits, places = limits(field)
    return Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)


def parse_amount(value, field: models.DecimalField, *, rounding: str | None = ROUND_HALF_UP) -> Decimal:
    """``value`` (str, int, Decimal or float) as a Decimal with exactly the field's decimal places.

    With ``rounding`` (default half-up) extra decimal places are rounded; with ``rounding=None`` they are
    refused (``TOO_MANY_PLACES``). A negative zero becomes zero. The sign is kept: callers check it."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, float)):
        raise AmountInvalid(NOT_A_NUMBER)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise AmountInvalid(NOT_A_NUMBER) from None
    if not amount.is_finite():
        raise AmountInvalid(NOT_A_NUMBER)
    digits, places = limits(field)
    # Checked before quantizing: quantize cannot make 1e30 fit and would raise InvalidOperation.
    if amount and amount.adjusted() >= digits - places:
        raise AmountInvalid(TOO_LARGE)
    # Enough precision for every value that passed the check above (plus a carry from rounding).
    context = Context(prec=digits + 2, rounding=rounding or ROUND_HALF_UP, traps=[InvalidOperation])
    quantized = amount.quantize(Decimal(1).scaleb(-places), context=context)
    if rounding is None and quantized != amount:
        raise AmountInvalid(TOO_MANY_PLACES)
    if abs(quantized) > max_amount(field):  # 99999999.995 rounds up to 100000000.00
        raise AmountInvalid(TOO_LARGE)
    return quantized if quantized else abs(quantized)  # -0.00 -> 0.00


def amount_too_large(field_name: str, field: models.DecimalField, message=None) -> ValidationFailed:
    """The shared error for a value beyond the model field's range (code ``amount_too_large``)."""
    return ValidationFailed(
        message or _("The amount must not exceed %(max)s."),
        code="amount_too_large",
        field=field_name,
        params={"max": number_format(max_amount(field), decimal_pos=field.decimal_places, force_grouping=True)},
    )
