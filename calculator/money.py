"""Exact money: Decimal only, two decimals, and the rounding rules the terms name.

>>> vat_of(Decimal("1250.00"), Decimal("0.25"))
Decimal('312.50')
>>> vat_of(Decimal("0.02"), Decimal("0.25"))  # 0.005 rounds half-up
Decimal('0.01')
>>> prorate(Decimal("79.8"), Decimal("796.00"))  # 79.8 minutes at 796 an hour
Decimal('1058.68')
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import wraps
from typing import ParamSpec, TypeVar

__all__ = [
    "AMOUNT_ROUNDING",
    "CENT",
    "DECIMAL_CONTEXT",
    "VAT_ROUNDING",
    "exact",
    "prorate",
    "to_cents",
    "vat_of",
]

CENT = Decimal("0.01")
# The contract: "VAT is 25 % of the amount ex. VAT, rounded half-up to 0.01".
VAT_ROUNDING = ROUND_HALF_UP
# Proportional amounts (hourly rate × exact time, indicative quotes) round the same way as VAT.
AMOUNT_ROUNDING = ROUND_HALF_UP
# The package's own context, so no caller's decimal settings (a low precision, another rounding,
# traps on Inexact) can change a price or make the calculator raise.
DECIMAL_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)
_EXACT = DECIMAL_CONTEXT

_P = ParamSpec("_P")
_R = TypeVar("_R")


def exact(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` under DECIMAL_CONTEXT (a copy: the caller's context is restored after)."""

    @wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(DECIMAL_CONTEXT):
            return function(*args, **kwargs)

    return run


def to_cents(amount: Decimal, rounding: str = AMOUNT_ROUNDING) -> Decimal:
    """Quantize to two decimals with the named rounding rule."""
    return amount.quantize(CENT, rounding=rounding, context=_EXACT)


def vat_of(amount_ex_vat: Decimal, rate: Decimal) -> Decimal:
    return to_cents(_EXACT.multiply(amount_ex_vat, rate), rounding=VAT_ROUNDING)


def prorate(minutes: Decimal, hourly_rate: Decimal) -> Decimal:
    """An hourly rate applied to an exact time, rounded to cents."""
    return to_cents(_EXACT.divide(_EXACT.multiply(minutes, hourly_rate), Decimal(60)))
