"""Time as people type it.

Two readers share one set of rules:

- ``parse_time(text, lang)`` reads the calculator form's one time field, the way people write a
  duration in Norwegian, Swedish and English: "2:10", "1,5 t", "1.5 h", "90 min", "1 t 30 min",
  "1h30", "2 timer og 15 minutter", "1 timme 15 minuter", "2 hours and 15 minutes".
  **A bare whole number is minutes** ("90" is 1 h 30 min); the reading is always shown to the reader
  (``format_duration``). Minutes after hours are below 60 in every notation ("1:90" and "1 t 90 min"
  are both refused; "90 min" alone is 1 h 30 min). Text a reasonable person could mean two ways is refused with
  ``time-ambiguous`` and two ways to write it: a bare decimal ("1,5": hours or minutes?), two bare
  numbers ("1 30": 1:30 or 130?) and a comma or dot before exactly three digits ("1,000", "1.000": a
  thousands separator or a decimal mark?). A space before three digits is a group ("1 000" is 1000).
- ``parse_minutes`` / ``parse_hours`` / ``combine_time`` read the API's older ``minutes`` and
  ``hours`` fields (a number or H:MM), unchanged for links and scripts.

Digits are ASCII 0-9 only, in every notation: other digits (Arabic-Indic, full-width, superscript)
are refused as not a time, never converted. Text longer than ``MAX_TEXT_LENGTH`` characters is
refused before it is looked at (``len`` only: the same time for 30 characters or 10 MB).

>>> parse_minutes("130")
Decimal('130')
>>> parse_minutes("2:10")
Decimal('130')
>>> parse_hours("1,5")
Decimal('90.0')
>>> combine_time(hours="1", minutes="15")
Decimal('75')
>>> parse_time("1 t 30 min", "nb")
Decimal('90')
>>> format_duration(Decimal(130), "nb")
'2\\xa0t 10\\xa0min'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .errors import InvalidTime

__all__ = [
    "MAX_HOURS",
    "MAX_MINUTES",
    "MAX_TEXT_LENGTH",
    "combine_time",
    "format_duration",
    "parse_hours",
    "parse_minutes",
    "parse_time",
]

# "Beyond a sane bound (say 1 000 hours)" is an input error, not an estimate.
MAX_HOURS = 1000
MAX_MINUTES = Decimal(MAX_HOURS * 60)
# No way of writing a time up to 1 000 hours needs more; anything longer is refused unread.
MAX_TEXT_LENGTH = 64
# Longer numbers are never a time; refusing them early keeps Decimal away from huge exponents.
_MAX_LENGTH = 24
_ASCII_DIGITS = frozenset("0123456789")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$")
_CLOCK = re.compile(r"^([0-9]{1,4}):([0-5][0-9])$")
_NOT_FINITE = re.compile(r"^[+-]?(?:inf|infinity|∞|nan|snan)$", re.IGNORECASE)

# The unit words of the three languages. They never clash, so every reader may use any of them.
HOUR_WORDS = frozenset(
    {"t", "time", "timer", "timen", "timane", "tim", "timme", "timmar", "timmen", "h", "hr", "hrs", "hour", "hours"}
)
MINUTE_WORDS = frozenset(
    {"m", "min", "mins", "minutt", "minutter", "minuttar", "minut", "minuter", "minuten", "minute", "minutes"}
)
CONNECTORS = frozenset({"og", "och", "and", "&", "+", ","})
# How a reading is written, per language (CLDR's short unit: "t" in nb, "tim" in sv, "h" in en).
HOUR_SYMBOL = {"nb": "t", "sv": "tim", "en": "h"}
MINUTE_SYMBOL = {"nb": "min", "sv": "min", "en": "min"}
_DECIMAL_MARK = {"nb": ",", "sv": ",", "en": "."}
_TOKEN = re.compile(r"\s*(?:([0-9]+(?:[.,][0-9]+)?)|([^\W\d_]+)\.?|([&+,]))", re.UNICODE)
_NBSP = "\u00a0"
_GROUPED = re.compile(r"(?<![0-9.,])([0-9]{1,3}) ([0-9]{3})(?![0-9.,])")


def _clean(text: object, field: str) -> str:
    if text is None:
        text = ""
    if not isinstance(text, (str, int)) or isinstance(text, bool):
        # Floats are stopped at the boundary: a time arrives as text or a whole number.
        raise InvalidTime("time-not-a-number", str(text)[:_MAX_LENGTH], field)
    text = str(text)
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidTime("time-not-a-number", text[:_MAX_LENGTH] + "…", field)
    return _SPACES.sub("", text)


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
        raise InvalidTime("time-too-large", original, field, params={"max_hours": f"{MAX_HOURS:,}".replace(",", _NBSP)})
    return minutes


def _parse(text: object, field: str, minutes_per_unit: int, allow_zero: bool) -> Decimal:
    cleaned = _clean(text, field)
    original = "" if text is None else str(text).strip()
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


# --- the form's one time field -------------------------------------------------------------------


def _number_text(number: str, lang: str) -> str:
    return number.replace(",", _DECIMAL_MARK[lang]).replace(".", _DECIMAL_MARK[lang])


def _ambiguous(original: str, lang: str, first: str, second: str) -> InvalidTime:
    return InvalidTime("time-ambiguous", original, "time", params={"first": first, "second": second})


def _tokens(text: str, original: str) -> list[tuple[str, str]]:
    """("number", "1,5"), ("hours", "t"), ("minutes", "min"), ("and", "og"); anything else is unreadable."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip() == "":
                break
            raise InvalidTime("time-unreadable", original, "time")
        position = match.end()
        number, word, sign = match.groups()
        if number is not None:
            tokens.append(("number", number))
        elif word is not None:
            word = word.casefold()
            if word in HOUR_WORDS:
                tokens.append(("hours", word))
            elif word in MINUTE_WORDS:
                tokens.append(("minutes", word))
            elif word in CONNECTORS:
                tokens.append(("and", word))
            else:
                raise InvalidTime("time-unreadable", original, "time")
        else:
            tokens.append(("and", sign))
    return tokens


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", "."))


def _three_decimals(number: str) -> bool:
    return bool(re.fullmatch(r"[0-9]+[.,][0-9]{3}", number))


def _parts(tokens: list[tuple[str, str]], original: str, lang: str) -> list[tuple[str, str | None]]:
    """(number, "hours" | "minutes" | None) in the order written."""
    parts: list[tuple[str, str | None]] = []
    expect_number = True
    for kind, value in tokens:
        if kind == "number":
            parts.append((value, None))
            expect_number = False
        elif kind in ("hours", "minutes"):
            if expect_number or parts[-1][1] is not None:
                raise InvalidTime("time-unreadable", original, "time")
            parts[-1] = (parts[-1][0], kind)
        elif expect_number:  # "og" at the start or twice in a row
            raise InvalidTime("time-unreadable", original, "time")
        else:
            expect_number = True
    if expect_number:  # empty, or ends with "og"
        raise InvalidTime("time-unreadable", original, "time")
    return parts


def _read(text: str, original: str, lang: str) -> Decimal:
    hour, minute = HOUR_SYMBOL[lang], MINUTE_SYMBOL[lang]
    clock = re.fullmatch(r"([0-9]{1,4}):([0-9]{2})\s*(?:([^\W\d_]+)\.?)?", text)
    if clock:
        unit = clock[3]
        if int(clock[2]) > 59 or (unit is not None and unit.casefold() not in HOUR_WORDS):
            raise InvalidTime("time-unreadable", original, "time")
        return Decimal(int(clock[1]) * 60 + int(clock[2]))
    text = _GROUPED.sub(r"\1\2", text)  # "1 000": digits grouped by a space, as nb and sv write them
    parts = _parts(_tokens(text, original), original, lang)
    for number, unit in parts:
        if _three_decimals(number):  # "1,000": a thousands separator, or a decimal mark?
            whole = number.split(",")[0].split(".")[0]
            unit_text = hour if unit == "hours" else minute
            grouped = number.replace(",", "").replace(".", "")
            raise _ambiguous(original, lang, f"{grouped} {unit_text}", f"{whole} {unit_text}")
    if len(parts) == 1 and parts[0][1] is None:
        number = parts[0][0]
        if number.isdigit():
            return Decimal(number)  # the rule for a bare whole number: minutes
        shown = _number_text(number, lang)
        raise _ambiguous(original, lang, f"{shown} {hour}", f"{shown} {minute}")
    if all(unit is None for _, unit in parts):
        if len(parts) == 2 and all(number.isdigit() for number, _ in parts):
            first, second = parts[0][0], parts[1][0]
            clock = len(second) == 2 and int(second) < 60
            as_hours = f"{first}:{second}" if clock else f"{first} {hour} {second} {minute}"
            raise _ambiguous(original, lang, as_hours, f"{first}{second} {minute}")
        raise InvalidTime("time-unreadable", original, "time")
    # Units given: at most one hours part, then at most one minutes part; a bare whole number right
    # after an hours part is its minutes ("1h30", "1 t 30").
    total = Decimal(0)
    seen: list[str] = []
    for index, (number, unit) in enumerate(parts):
        if unit is None:
            if index == 0 or parts[index - 1][1] != "hours" or not number.isdigit() or index != len(parts) - 1:
                raise InvalidTime("time-unreadable", original, "time")
            unit = "minutes"
        if unit in seen or (unit == "hours" and seen):
            raise InvalidTime("time-unreadable", original, "time")
        if unit == "minutes" and seen and _decimal(number) >= 60:
            # Minutes after hours are below 60, as on a clock: "1 h 90 min" is refused like "1:90".
            raise InvalidTime("time-unreadable", original, "time")
        seen.append(unit)
        total += _decimal(number) * (60 if unit == "hours" else 1)
    return total


def parse_time(text: object, lang: str = "nb") -> Decimal:
    """Minutes (a Decimal) from the form's time field, read as a reader of ``lang`` writes a duration.

    Errors are InvalidTime with field "time": time-empty, time-unreadable (no way of writing a time,
    not text, longer than MAX_TEXT_LENGTH, or digits other than 0-9), time-ambiguous (params
    ``first`` and ``second``: two ways to write what may be meant), time-not-finite,
    time-negative, time-zero, time-too-large (over ``MAX_HOURS``).
    """
    if text is None:
        text = ""
    if not isinstance(text, (str, int)) or isinstance(text, bool):
        raise InvalidTime("time-unreadable", str(text)[:_MAX_LENGTH], "time")
    text = str(text)
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidTime("time-unreadable", text[:_MAX_LENGTH] + "…", "time")
    original = text.strip()
    flat = _SPACES.sub(" ", original).strip()
    if not flat:
        raise InvalidTime("time-empty", "", "time")
    if any(char.isdigit() and char not in _ASCII_DIGITS for char in flat):
        raise InvalidTime("time-unreadable", original, "time")
    if _NOT_FINITE.match(flat.replace(" ", "")):
        raise InvalidTime("time-not-finite", original, "time")
    if flat.startswith("-") or flat.startswith("−"):
        try:
            _read(flat.lstrip("-−").strip(), original, lang)
        except InvalidTime:
            raise InvalidTime("time-unreadable", original, "time") from None
        raise InvalidTime("time-negative", original, "time")
    minutes = _read(flat, original, lang)
    if minutes == minutes.to_integral_value():
        minutes = Decimal(int(minutes))  # "1,5 t" is 90 minutes, not 90.0
    return _checked(minutes, "time", original)


def format_duration(minutes: Decimal, lang: str) -> str:
    """How a time reads back to the reader: "2 t 10 min" (nb), "2 tim 10 min" (sv), "2 h 10 min" (en).

    Whole hours and the remaining minutes; a fraction of a minute is kept ("0,5 min"). A reading is
    itself a time the reader may type, and parse_time reads it back as the same minutes.
    """
    from .formatting import format_number

    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        # No digit grouping: "1,000 h" would itself be ambiguous to read back (hours stop at 1 000).
        parts.append(f"{int(hours)}{_NBSP}{HOUR_SYMBOL[lang]}")
    if rest or not hours:
        rest = rest.normalize() if rest != rest.to_integral_value() else Decimal(int(rest))
        parts.append(f"{format_number(rest, lang)}{_NBSP}{MINUTE_SYMBOL[lang]}")
    return " ".join(parts)
