"""The browser-facing entry point: plain JSON-compatible dicts in and out.

The Web Worker calls ``calculate_json`` with a JSON string; everything here is a thin layer over
the engine and the report. Errors come back as data, one per bad field, never as exceptions.

A line is ``{"tariff", "case", "time"}`` (the form's time field, read in the request's ``lang``), or
``{"tariff", "case", "minutes"[, "hours"]}`` as in links and scripts. Each priced line of the response
carries ``minutes`` (the time it used, a decimal string) and ``time_text`` (that time in the reader's
words, "2 t 10 min"). Totals are ``null`` when no line has a price.

>>> line = {"tariff": "no-service", "case": "service-case", "minutes": "130"}
>>> calculate({"lang": "en", "lines": [line]})["estimate"]["total_inc_vat"]
'2812.50'
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .engine import MAX_LINES, LineEstimate, LineRequest, combine, price_line, resolve
from .errors import CalculatorInputError, MalformedRequest, NoLines, TooManyLines
from .report import estimate_to_dict
from .tariff import TariffBook, default_tariff
from .texts import DEFAULT_LANGUAGE, check_language
from .timeinput import combine_time, parse_minutes, parse_time

__all__ = ["calculate", "calculate_json", "line_time"]


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MalformedRequest(f"{name} must be text")
    return str(value)


def line_time(fields: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> Decimal:
    """Minutes from a line's fields.

    "time" (the form's one field, read as a reader of ``lang`` writes a duration: timeinput.parse_time)
    when the line has it; else "minutes" (minutes or H:MM), optionally with "hours".
    """
    if fields.get("time") is not None:
        return parse_time(fields["time"], lang)
    hours, minutes = fields.get("hours"), fields.get("minutes")
    if hours not in (None, ""):
        return combine_time(hours=hours, minutes=minutes)
    return parse_minutes(minutes)


def _line(book: TariffBook, fields: Any, lang: str) -> LineEstimate:
    if not isinstance(fields, dict):
        raise MalformedRequest("each line must be an object")
    tariff, case = resolve(book, _text(fields.get("tariff"), "tariff"), _text(fields.get("case"), "case"))
    minutes = line_time(fields, lang) if case.uses_time else None
    return price_line(book, LineRequest(tariff.id, case.id, minutes))


def _error(error: CalculatorInputError, lang: str) -> dict[str, Any]:
    return {"line": error.line, "field": error.field, "code": error.code, "message": error.message(lang)}


def calculate(request: Any, book: TariffBook | None = None) -> dict[str, Any]:
    """Estimate every line of a request; bad lines come back as errors, good ones are still priced."""
    book = book or default_tariff()
    lang = DEFAULT_LANGUAGE
    try:
        if not isinstance(request, dict):
            raise MalformedRequest("the request must be an object")
        lang = check_language(_text(request.get("lang", DEFAULT_LANGUAGE), "lang"))
        lines = request.get("lines")
        if not isinstance(lines, list):
            raise MalformedRequest("lines must be a list")
        if len(lines) > MAX_LINES:
            raise TooManyLines(len(lines), MAX_LINES)
    except CalculatorInputError as error:
        return {"ok": False, "lang": lang, "estimate": None, "errors": [_error(error, lang)]}

    priced, errors = [], []
    for index, fields in enumerate(lines):
        try:
            priced.append(_line(book, fields, lang))
        except CalculatorInputError as error:
            errors.append(_error(error.at_line(index), lang))
    estimate = None
    if priced:
        try:
            estimate = estimate_to_dict(book, combine(priced), lang)
        except CalculatorInputError as error:
            errors.append(_error(error, lang))
    elif not errors:
        errors.append(_error(NoLines(), lang))
    return {"ok": not errors, "lang": lang, "estimate": estimate, "errors": errors}


def calculate_json(request: str) -> str:
    """``calculate`` over JSON text, for the Web Worker."""
    try:
        data = json.loads(request)
    except (TypeError, ValueError):
        data = None
    return json.dumps(calculate(data), ensure_ascii=False)
