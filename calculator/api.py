"""The browser-facing entry point: plain JSON-compatible dicts in and out.

The Web Worker calls ``calculate_json`` with a JSON string; everything here is a thin layer over
the engine and the report. Errors come back as data, one per bad field, never as exceptions:
whatever the input (any JSON, any Python value, ints of any size, 10 MB strings, deep nesting) and
whatever the caller's decimal context, since the calculator works in its own (money.DECIMAL_CONTEXT).

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
from typing import TYPE_CHECKING, Any

from .casetext import compose
from .compare import compare_lines
from .engine import MAX_LINES, LineEstimate, combine, price_resolved, resolve
from .errors import CalculatorInputError, InvalidTime, MalformedRequest, NoLines, TooManyLines
from .money import exact
from .report import estimate_to_dict
from .tariff import TariffBook, default_tariff
from .texts import DEFAULT_LANGUAGE, check_language
from .timeinput import MAX_HOURS, combine_time, parse_minutes, parse_time

if TYPE_CHECKING:  # the written shape (responses.py) is for readers and tests, not the browser's import
    from .responses import CalculateResponse, ErrorData

__all__ = ["MAX_FIELD_CHARS", "MAX_REQUEST_CHARS", "calculate", "calculate_json", "line_time"]

# A request of MAX_LINES lines fits in a few kB; anything much longer is refused before it is read,
# by its length alone (constant time), as is a field longer than any id or time.
MAX_REQUEST_CHARS = 64 * 1024
MAX_FIELD_CHARS = 100
# A request of MAX_LINES lines holds 22 lists and objects; one with more is refused before it is parsed,
# which also bounds its nesting: Pyodide's parser overflows the WebAssembly stack (a fatal error that
# kills the worker's Python) at a depth of a few thousand (bench/tried.md), well inside MAX_REQUEST_CHARS.
MAX_CONTAINERS = 256
# Larger ints are no time; str() of one over 4 300 digits would raise, so they are never converted.
_MAX_TIME_INT = 10**12


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MalformedRequest("field-not-text", field=name)
    if isinstance(value, int):
        return str(value) if -_MAX_TIME_INT < value < _MAX_TIME_INT else "…"
    return value


def _time_field(value: Any, name: str) -> Any:
    """A time field as timeinput reads it, with what can never be a time refused here, in constant time."""
    if isinstance(value, int) and not isinstance(value, bool) and not -_MAX_TIME_INT < value < _MAX_TIME_INT:
        if value < 0:
            raise InvalidTime("time-negative", value, name)
        raise InvalidTime("time-too-large", value, name, params={"max_hours": f"{MAX_HOURS:,}".replace(",", "\u00a0")})
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        raise InvalidTime("time-not-a-number", value, name)
    if value is not None and not isinstance(value, (str, int)):
        # Lists, dicts and floats are never a time; refused without str() of a deep or huge value.
        raise InvalidTime("time-not-a-number", value, name)
    return value


def line_time(fields: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> Decimal:
    """Minutes from a line's fields.

    "time" (the form's one field, read as a reader of ``lang`` writes a duration: timeinput.parse_time)
    when the line has it; else "minutes" (minutes or H:MM), optionally with "hours".
    """
    if fields.get("time") is not None:
        return parse_time(_time_field(fields["time"], "time"), lang)
    hours, minutes = _time_field(fields.get("hours"), "hours"), _time_field(fields.get("minutes"), "minutes")
    if hours not in (None, ""):
        return combine_time(hours=hours, minutes=minutes)
    return parse_minutes(minutes)


def _id(value: Any, name: str) -> str:
    text = _text(value, name)
    # An id is at most 64 characters: a longer one is unknown without being looked up (hashed).
    return text if len(text) <= MAX_FIELD_CHARS else text[: MAX_FIELD_CHARS + 1]


def _line(book: TariffBook, fields: Any, lang: str) -> LineEstimate:
    if not isinstance(fields, dict):
        raise MalformedRequest("line-not-object")
    tariff, case = resolve(book, _id(fields.get("tariff"), "tariff"), _id(fields.get("case"), "case"), lang)
    return price_resolved(tariff, case, line_time(fields, lang) if case.uses_time else None)


def _error(error: CalculatorInputError, lang: str) -> ErrorData:
    return {"line": error.line, "field": error.field, "code": error.code, "message": error.message(lang)}


def _failed(error: CalculatorInputError, lang: str) -> CalculateResponse:
    return {"ok": False, "lang": lang, "estimate": None, "errors": [_error(error, lang)]}


@exact
def calculate(request: Any, book: TariffBook | None = None) -> CalculateResponse:
    """Estimate every line of a request; bad lines come back as errors, good ones are still priced.

    ``request``: {"lang": one of texts.LANGUAGES, "lines": [{"tariff", "case", "time"} or {"tariff", "case",
    "minutes"[, "hours"]}, …]} (line_time reads the time), and
    optionally "compare": true (adds "comparisons": compare.compare_lines, the same work under each
    comparable agreement), "case_text": true with "page_url" (adds "case_text": casetext.compose, the
    message that sends the estimate with a case, or null while any line has an error).
    Returns a responses.CalculateResponse, the written shape of every key: {"ok", "lang", "estimate"
    (report.estimate_to_dict, or None when no line could be priced), "errors": [{"line", "field", "code",
    "message"}]}, plus "comparisons" and "case_text" when asked for; never raises.
    """
    book = book or default_tariff()
    lang = DEFAULT_LANGUAGE
    try:
        if not isinstance(request, dict):
            raise MalformedRequest("request-not-object")
        lang = check_language(_id(request.get("lang", DEFAULT_LANGUAGE), "lang"))
        lines = request.get("lines")
        if not isinstance(lines, list):
            raise MalformedRequest("lines-not-list")
        if len(lines) > MAX_LINES:
            raise TooManyLines(len(lines), MAX_LINES)
    except CalculatorInputError as error:
        return _failed(error, lang)

    priced, indices, errors = [], [], []
    for index, fields in enumerate(lines):
        try:
            priced.append(_line(book, fields, lang))
            indices.append(index)
        except CalculatorInputError as error:
            errors.append(_error(error.at_line(index), lang))
    estimate, combined = None, None
    if priced:
        try:
            combined = combine(priced)
            estimate = estimate_to_dict(book, combined, lang)
        except CalculatorInputError as error:
            errors.append(_error(error, lang))
    elif not errors:
        errors.append(_error(NoLines(), lang))
    response: CalculateResponse = {"ok": not errors, "lang": lang, "estimate": estimate, "errors": errors}
    # Options (issue 17), each only when asked for with true, so existing answers stay as they were.
    if request.get("compare") is True:
        response["comparisons"] = compare_lines(book, list(zip(indices, priced, strict=True)), lang) if combined else []
    if request.get("case_text") is True:
        page_url = request.get("page_url")
        response["case_text"] = compose(book, combined, lang, page_url) if combined and not errors else None
    return response


def _read_json(request: Any) -> Any:
    if not isinstance(request, (str, bytes, bytearray)):
        raise MalformedRequest("request-not-json")
    if len(request) > MAX_REQUEST_CHARS:
        raise MalformedRequest("request-too-large", max_chars=f"{MAX_REQUEST_CHARS:,}".replace(",", "\u00a0"))
    text = request if isinstance(request, str) else bytes(request)
    opening = ("[", "{") if isinstance(text, str) else (b"[", b"{")
    if sum(text.count(bracket) for bracket in opening) > MAX_CONTAINERS:
        raise MalformedRequest("request-too-deep")
    try:
        return json.loads(request)
    except RecursionError:
        raise MalformedRequest("request-too-deep") from None
    except (TypeError, ValueError):  # ValueError also covers an int literal of over 4 300 digits
        raise MalformedRequest("request-not-json") from None


def calculate_json(request: str) -> str:
    """``calculate`` over JSON text, for the Web Worker; the answer is JSON text too. Never raises.

    Text over MAX_REQUEST_CHARS is refused by its length, before it is parsed.
    """
    try:
        data = _read_json(request)
    except CalculatorInputError as error:
        return json.dumps(_failed(error, DEFAULT_LANGUAGE), ensure_ascii=False)
    return json.dumps(calculate(data), ensure_ascii=False)
