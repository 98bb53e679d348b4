"""Time as people type it: minutes ("130"), hours and minutes ("2:10"), or decimal hours ("1,5").

>>> parse_minutes("130")
Decimal('130')
>>> parse_minutes("2:10")
Decimal('130')
>>> parse_hours("1,5")
Decimal('90.0')
>>> combine_time(hours="1", minutes="15")
Decimal('75')
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .errors import InvalidTime

__all__ = ["MAX_HOURS", "MAX_MINUTES", "combine_time", "parse_hours", "parse_minutes"]

# "Beyond a sane bound (say 1 000 hours)" is an input error, not an estimate.
MAX_HOURS = 1000
MAX_MINUTES = Decimal(MAX_HOURS * 60)
# Longer input is never a time; refusing it early keeps Decimal away from huge exponents.
_MAX_LENGTH = 24
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")
_CLOCK = re.compile(r"^(\d{1,4}):([0-5]\d)$")
_NOT_FINITE = re.compile(r"^[+-]?(?:inf|infinity|∞|nan|snan)$", re.IGNORECASE)


def _clean(text: object, field: str) -> str:
    if text is None:
        text = ""
    if not isinstance(text, (str, int)) or isinstance(text, bool):
        # Floats are stopped at the boundary: a time arrives as text or a whole number.
        raise InvalidTime("time-not-a-number", str(text), field)
    return _SPACES.sub("", str(text))


def _number(text: str, field: str, original: str) -> Decimal:
    if _NOT_FINITE.match(text):
        raise InvalidTime("time-not-finite", original, field)
    if len(text) > _MAX_LENGTH or not _NUMBER.match(text):
        raise InvalidTime("time-not-a-number", original[:_MAX_LENGTH], field)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise InvalidTime("time-not-a-number", original, field) from None


def _checked(minutes: Decimal, field: str, original: str, allow_zero: bool = False) -> Decimal:
    if minutes < 0:
        raise InvalidTime("time-negative", original, field)
    if minutes == 0 and not allow_zero:
        raise InvalidTime("time-zero", original, field)
    if minutes > MAX_MINUTES:
        raise InvalidTime(
            "time-too-large", original, field, params={"max_hours": f"{MAX_HOURS:,}".replace(",", "\u00a0")}
        )
    return minutes


def _parse(text: object, field: str, minutes_per_unit: int, allow_zero: bool) -> Decimal:
    original = "" if text is None else str(text).strip()
    cleaned = _clean(text, field)
    if not cleaned:
        raise InvalidTime("time-empty", "", field)
    clock = _CLOCK.match(cleaned)
    if clock:
        minutes = Decimal(int(clock[1]) * 60 + int(clock[2]))
    else:
        minutes = _number(cleaned, field, original) * minutes_per_unit
    return _checked(minutes, field, original, allow_zero)


def parse_minutes(text: object, field: str = "minutes") -> Decimal:
    """Minutes, or H:MM. Zero, negative, non-numbers and over 1 000 hours are InvalidTime."""
    return _parse(text, field, 1, allow_zero=False)


def parse_hours(text: object, field: str = "hours") -> Decimal:
    """Decimal hours with a comma or a dot, or H:MM; returns minutes."""
    return _parse(text, field, 60, allow_zero=False)


def combine_time(hours: object = "", minutes: object = "") -> Decimal:
    """A form's hours and minutes fields together; either may be empty, not both."""
    hours_text = _clean(hours, "hours")
    minutes_text = _clean(minutes, "minutes")
    if not hours_text and not minutes_text:
        raise InvalidTime("time-empty", "", "minutes")
    total = Decimal(0)
    if hours_text:
        total += _parse(hours, "hours", 60, allow_zero=True)
    if minutes_text:
        total += _parse(minutes, "minutes", 1, allow_zero=True)
    field = "minutes" if minutes_text else "hours"
    return _checked(total, field, str(minutes if minutes_text else hours), allow_zero=False)
