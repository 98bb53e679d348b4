"""calculate and calculate_json never raise: any input, any size, any depth, any caller's decimal context."""

import decimal
import json
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import api, calculate, calculate_json, default_tariff, format_amount
from calculator.errors import MAX_ECHO, echo

BOOK = default_tariff()
PAIRS = sorted((tariff, case.id) for case in BOOK.cases.values() for tariff in case.tariffs)
GOOD = {"lang": "en", "lines": [{"tariff": "no-service", "case": "service-case", "minutes": "130"}]}
SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
    decimal.FloatOperation,
]
ROUNDINGS = [
    decimal.ROUND_DOWN,
    decimal.ROUND_FLOOR,
    decimal.ROUND_CEILING,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_05UP,
    decimal.ROUND_UP,
]
hostile_contexts = st.builds(
    lambda prec, rounding, traps, emax: decimal.Context(
        prec=prec, rounding=rounding, traps=traps, Emax=emax, Emin=-emax
    ),
    prec=st.integers(1, 8),
    rounding=st.sampled_from(ROUNDINGS),
    traps=st.lists(st.sampled_from(SIGNALS), unique=True),
    emax=st.integers(3, 10),
)
huge_ints = st.integers(min_value=10**5000, max_value=10**5001) | st.integers(max_value=-(10**5000))
# Nested and huge JSON values: lists and objects inside lists and objects, ints past str()'s limit.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | huge_ints | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=16,
)
field_values = json_values | st.sampled_from(["130", "1:30", "1,5", "", "\x1b[2J", "9" * 200]) | huge_ints


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def check_answer(result: dict) -> None:
    assert set(result) == {"ok", "lang", "estimate", "errors"}
    assert result["ok"] == (not result["errors"])
    for error in result["errors"]:
        assert error["code"] and error["message"]
        assert len(error["message"]) < 400, error["message"]
    json.dumps(result)  # plain JSON data


@settings(max_examples=200, deadline=None)
@given(context=hostile_contexts, request=json_values)
def test_any_request_under_a_hostile_decimal_context(context, request):
    with localcontext(context):
        check_answer(calculate(request))


@settings(max_examples=200, deadline=None)
@given(
    context=hostile_contexts,
    pair=st.sampled_from(PAIRS),
    lang=st.sampled_from(["nb", "sv", "en"]),
    minutes=field_values,
    hours=field_values,
)
def test_any_line_under_a_hostile_decimal_context(context, pair, lang, minutes, hours):
    """A line with any field values: typed errors or the very estimate the default context gives."""
    request = {"lang": lang, "lines": [{"tariff": pair[0], "case": pair[1], "minutes": minutes, "hours": hours}]}
    expected = calculate(request)
    with localcontext(context):
        assert calculate(request) == expected
        check_answer(json.loads(calculate_json(json.dumps(request))) if _dumpable(request) else expected)


def _dumpable(request: dict) -> bool:
    try:
        return len(json.dumps(request)) < api.MAX_REQUEST_CHARS
    except ValueError:  # an int over 4 300 digits
        return False


@pytest.mark.parametrize(
    "context",
    [
        decimal.Context(prec=4),
        decimal.Context(prec=1, rounding=decimal.ROUND_FLOOR),
        decimal.Context(prec=28, traps=[decimal.Inexact, decimal.Rounded, decimal.FloatOperation]),
        decimal.Context(prec=6, Emax=4, Emin=-4, traps=[decimal.Overflow, decimal.Underflow, decimal.Clamped]),
    ],
    ids=["prec=4", "prec=1 floor", "traps Inexact and Rounded", "tiny exponent range"],
)
def test_every_pair_is_priced_the_same_under_the_callers_context(context):
    """The engine works in the package's own context: the caller's settings change no price and raise nothing."""
    requests = [
        {"lang": lang, "lines": [{"tariff": tariff, "case": case, "minutes": minutes}]}
        for tariff, case in PAIRS
        for minutes in ("1", "79.8", "130", "59999.99")
        for lang in ("nb", "en")
    ]
    expected = [calculate(request) for request in requests]
    assert all(result["ok"] for result in expected)
    with localcontext(context) as caller:
        assert [calculate(request) for request in requests] == expected
        assert format_amount(Decimal("1250.005"), "NOK", "en") == "NOK\u00a01,250.01"
        assert decimal.getcontext() is caller  # and the caller's context is still theirs afterwards


def test_huge_ints_are_errors_not_exceptions():
    huge = 10**5000
    for line in (
        {"tariff": "no-service", "case": "service-case", "minutes": huge},
        {"tariff": "no-service", "case": "service-case", "minutes": -huge},
        {"tariff": "no-service", "case": "service-case", "hours": huge},
        {"tariff": huge, "case": "service-case", "minutes": "15"},
        {"tariff": "no-service", "case": -huge, "minutes": "15"},
    ):
        result = calculate({"lang": "en", "lines": [line]})
        check_answer(result)
        assert not result["ok"]
    check_answer(calculate({"lang": huge, "lines": []}))
    # In JSON text such an int cannot even be read: a malformed request, not a ValueError.
    answer = json.loads(calculate_json('{"lang": "en", "lines": [{"minutes": ' + "9" * 5000 + "}]}"))
    assert answer["errors"][0]["code"] == "request-malformed"


def test_a_request_with_more_lists_and_objects_than_any_request_needs_is_refused_unread(monkeypatch):
    """20 000 deep is 40 kB, under the size limit, and overflows Pyodide's stack: refused before parsing."""
    for text in ("[" * 20_000 + "]" * 20_000, '{"lang": "en", "lines": [' + "{}," * 300 + "{}]}"):
        with monkeypatch.context() as patched:
            patched.setattr(api.json, "loads", lambda *args, **kwargs: pytest.fail("json.loads was called"))
            answer_text = calculate_json(text)
        assert json.loads(answer_text)["errors"][0]["code"] == "request-malformed"
    lines = [{"tariff": "no-service", "case": "service-case", "minutes": "15"}] * api.MAX_LINES
    assert json.loads(calculate_json(json.dumps({"lang": "en", "lines": lines})))["ok"]


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_malformed_request(depth):
    for text in ("[" * depth + "]" * depth, '{"lang": "nb", "lines": ' + "[" * depth + "]" * depth + "}"):
        answer = json.loads(calculate_json(text))
        check_answer(answer)
        assert answer["errors"][0]["code"] == "request-malformed"
    check_answer(
        calculate({"lang": "nb", "lines": [{"tariff": "no-service", "case": "service-case", "minutes": nested(depth)}]})
    )


def test_oversized_json_is_refused_before_it_is_read(monkeypatch):
    """10 MB of JSON is refused by its length alone: json.loads never sees it."""

    def never(*args, **kwargs):
        raise AssertionError("json.loads was called")

    text = json.dumps({"lang": "sv", "lines": [{"tariff": "x" * 10_000_000, "case": "y", "minutes": "1"}]})
    with monkeypatch.context() as patched:
        patched.setattr(api.json, "loads", never)
        answer_text = calculate_json(text)
    answer = json.loads(answer_text)
    assert answer["errors"][0]["code"] == "request-malformed"
    # The language is in the request, which was not read: the default language's message.
    assert answer["errors"][0]["message"] == "Forespørselen kunne ikke leses: den er lengre enn 65\u00a0536 tegn."


@pytest.mark.parametrize("field", ["tariff", "case", "minutes", "hours", "lang"])
def test_echoed_values_are_short_and_safe(field):
    """10 MB in is not 10 MB out, and a terminal escape comes back escaped, not raw."""
    line = {"tariff": "no-service", "case": "service-case", "minutes": "15"}
    value = "\x1b[2J\u202e" + "9" * 10_000_000
    if field == "lang":
        request = {"lang": value, "lines": [line]}
    else:
        request = {"lang": "en", "lines": [{**line, field: value}]}
    result = calculate(request)
    assert not result["ok"]
    message = result["errors"][0]["message"]
    assert len(message) < 300
    assert "\x1b" not in message and "\u202e" not in message


def test_echo_is_short_safe_and_total():
    assert echo("no-service") == "no-service"
    assert echo("a\nb\x1b\u202ec\ud800") == "a\\x0ab\\x1b\\u202ec\\ud800"
    assert len(echo("x" * 10_000_000)) == MAX_ECHO + 1
    assert echo(10**5000) == "…" and echo(-12) == "-12" and echo([[]]) == "[…]" and echo(True) == "true"


@pytest.mark.parametrize(
    ("request_", "english"),
    [
        ({"lang": "{lang}", "lines": "x"}, "lines must be a list"),
        ({"lines": ["x"]}, "each line must be an object"),
        ({"lines": [{"tariff": ["no-service"]}]}, "tariff must be text"),
    ],
)
def test_malformed_request_details_are_in_the_readers_language(request_, english):
    """The detail of request-malformed is nb, sv or en like the rest of the message, never English inside nb."""
    texts = {}
    for lang in ("nb", "sv", "en"):
        result = calculate(dict(request_, lang=lang))
        texts[lang] = result["errors"][0]["message"]
        assert result["errors"][0]["code"] == "request-malformed"
    assert english in texts["en"]
    assert english not in texts["nb"] and english not in texts["sv"]
    assert texts["nb"] != texts["sv"]
    field_error = calculate({"lang": "sv", "lines": [{"tariff": ["x"]}]})["errors"][0]
    assert field_error["field"] == "tariff" and "tariff måste vara text" in field_error["message"]


def test_a_request_that_is_no_object_is_told_in_the_default_language():
    message = calculate("not a dict")["errors"][0]["message"]
    assert "forespørselen må være et objekt" in message
    assert "ikke gyldig JSON" in json.loads(calculate_json("{"))["errors"][0]["message"]


def test_a_good_request_still_works():
    assert calculate(GOOD)["estimate"]["total_inc_vat"] == "2812.50"
    assert json.loads(calculate_json(json.dumps(GOOD)))["estimate"]["total_inc_vat"] == "2812.50"
