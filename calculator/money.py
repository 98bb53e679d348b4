"""Exact money: Decimal only, two decimals, and the rounding rules the terms name.

>>> vat_of(Decimal("1250.00"), Decimal("0.25"))
Decimal('312.50')
>>> vat_of(Decimal("0.02"), Decimal("0.25"))  # 0.005 rounds half-up
Decimal('0.01')
>>> prorate(Decimal("79.8"), Decimal("796.00"))  # 79.8 minutes at 796 an hour
Decimal('1058.68')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["AMOUNT_ROUNDING", "CENT", "VAT_ROUNDING", "parse_amount", "prorate", "to_cents", "vat_of"]

CENT = Decimal("0.01")
# The contract: "VAT is 25 % of the amount ex. VAT, rounded half-up to 0.01".
VAT_ROUNDING = ROUND_HALF_UP
# Proportional amounts (hourly rate × exact time, indicative quotes) round the same way as VAT.
AMOUNT_ROUNDING = ROUND_HALF_UP
# A private context, so no caller's global decimal settings can change a price.
_EXACT = Context(prec=34, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal, rounding: str = AMOUNT_ROUNDING) -> Decimal:
    """Quantize to two decimals with the named rounding rule."""
    return amount.quantize(CENT, rounding=rounding, context=_EXACT)


def vat_of(amount_ex_vat: Decimal, rate: Decimal) -> Decimal:
    return to_cents(_EXACT.multiply(amount_ex_vat, rate), rounding=VAT_ROUNDING)


def prorate(minutes: Decimal, hourly_rate: Decimal) -> Decimal:
    """An hourly rate applied to an exact time, rounded to cents."""
    return to_cents(_EXACT.divide(_EXACT.multiply(minutes, hourly_rate), Decimal(60)))


def parse_amount(text: str) -> Decimal:
    """An amount from a string such as "1250.00"; floats never reach here."""
    if not isinstance(text, str):
        raise TypeError("amounts are written as strings")
    return Decimal(text)
