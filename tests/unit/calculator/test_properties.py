"""Properties over all inputs, valid and garbage (Hypothesis)."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InvalidTime, calculate, default_tariff, parse_hours, parse_minutes
from calculator.formatting import format_amount, format_number
from calculator.timeinput import format_duration, parse_time

BOOK = default_tariff()
PAIRS = sorted((tariff, case.id) for case in BOOK.cases.values() for tariff in case.tariffs)
TIMED = [(t, c) for t, c in PAIRS if BOOK.cases[c].uses_time]
minutes = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(60000), places=2)
garbage_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["inf", "-inf", "NaN", "1e9", "0", "-0", "١٢", "1,,5", ":", "1:", "99999:00", "\u00a0", "0x10"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def two_decimals(text: str) -> bool:
    return Decimal(text).as_tuple().exponent == -2


def estimate(tariff: str, case: str, time: Decimal) -> dict:
    result = calculate({"lang": "en", "lines": [{"tariff": tariff, "case": case, "minutes": f"{time:f}"}]})
    assert result["ok"], result["errors"]
    return result["estimate"]


@given(text=garbage_text)
def test_time_parsing_never_raises_anything_else(text):
    """Any text is a time in (0, 1 000 h] or an InvalidTime; nothing else escapes."""
    for parse in (parse_minutes, parse_hours):
        try:
            value = parse(text)
        except InvalidTime as error:
            assert error.message("nb")
        else:
            assert Decimal(0) < value <= Decimal(60000)
    for lang in ("nb", "sv", "en"):
        try:
            value = parse_time(text, lang)
        except InvalidTime as error:
            assert error.field == "time" and error.message(lang)
        else:
            assert Decimal(0) < value <= Decimal(60000)


@given(time=minutes, lang=st.sampled_from(["nb", "sv", "en"]))
def test_a_reading_reads_back_as_the_same_time(time, lang):
    """What the form shows ("= 2 t 10 min") is itself a time the reader may type, and means the same."""
    assert parse_time(format_duration(time, lang), lang) == time


@given(request=json_values)
def test_garbage_requests_return_errors(request):
    """calculate() answers any JSON value with data, never an exception."""
    result = calculate(request)
    assert result["ok"] is False
    assert all(error["message"] for error in result["errors"])


@given(
    lines=st.lists(
        st.fixed_dictionaries(
            {
                "tariff": st.sampled_from([p[0] for p in PAIRS] + ["x", ""]),
                "case": st.sampled_from([p[1] for p in PAIRS] + ["y"]),
                "minutes": garbage_text | minutes.map(str),
                "hours": st.just("") | garbage_text,
            }
        ),
        max_size=4,
    ),
    lang=st.sampled_from(["nb", "sv", "en", "de"]),
)
def test_any_lines_give_an_estimate_or_typed_errors(lines, lang):
    """Mixed valid and garbage lines: every error is typed and localized, every total is consistent."""
    result = calculate({"lang": lang, "lines": lines})
    assert result["ok"] == (not result["errors"])
    assert all(error["code"] and error["message"] for error in result["errors"])
    if result["estimate"]:
        est = result["estimate"]
        priced = [line["amount_ex_vat"] for line in est["lines"] if line["amount_ex_vat"] is not None]
        if priced:
            assert Decimal(est["total_ex_vat"]) == sum(map(Decimal, priced), Decimal(0))
        else:  # nothing has a price: no total at all, never 0.00
            assert est["total_ex_vat"] is est["vat"] is est["total_inc_vat"] is None
            assert set(est["formatted"].values()) == {None}


@settings(max_examples=300)
@given(pair=st.sampled_from(PAIRS), time=minutes)
def test_totals_and_vat(pair, time):
    """Total = sum of lines; VAT is 25 % rounded half-up to 0.01; every amount has two decimals."""
    est = estimate(*pair, time)
    if est["lines"][0]["amount_ex_vat"] is None:  # price on request
        assert est["total_ex_vat"] is est["vat"] is est["total_inc_vat"] is None
        return
    for key in ("total_ex_vat", "vat", "total_inc_vat"):
        assert two_decimals(est[key])
    line = est["lines"][0]
    assert sum((Decimal(item["amount"]) for item in line["items"]), Decimal(0)) == Decimal(est["total_ex_vat"])
    expected_vat = (Decimal(est["total_ex_vat"]) * Decimal("0.25")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(est["vat"]) == expected_vat
    assert Decimal(est["total_inc_vat"]) == Decimal(est["total_ex_vat"]) + expected_vat


@settings(max_examples=300)
@given(pair=st.sampled_from(TIMED), first=minutes, second=minutes)
def test_totals_never_decrease_as_time_grows(pair, first, second):
    """More time never costs less."""
    shorter, longer = sorted((first, second))
    low, high = estimate(*pair, shorter)["total_ex_vat"], estimate(*pair, longer)["total_ex_vat"]
    assert (low is None and high is None) or Decimal(low) <= Decimal(high)


@given(pair=st.sampled_from(TIMED), time=minutes)
def test_minimum_charge_holds(pair, time):
    """Any time above zero costs at least one block or one ticket."""
    case = BOOK.cases[pair[1]]
    minimum = case.block_price or case.ticket_price or Decimal(0)
    total = estimate(*pair, time)["total_ex_vat"]
    assert total is None if case.rule == "price_on_request" else Decimal(total) >= minimum


@settings(max_examples=300)
@given(pair=st.sampled_from(PAIRS), time=minutes, lang=st.sampled_from(["nb", "sv", "en"]))
def test_every_line_adds_up_as_shown(pair, time, lang):
    """What a line shows is true for the numbers shown, for every rule: counted units × unit price =
    amount exactly; time at an hourly rate: the time shown (exact) × the rate shown, rounded half-up to
    cents, = amount. The rounded quantity in hours is never what a reader is shown."""
    result = calculate({"lang": lang, "lines": [{"tariff": pair[0], "case": pair[1], "minutes": f"{time:f}"}]})
    line = result["estimate"]["lines"][0]
    currency = result["estimate"]["currency"]
    for item in line["items"]:
        quantity, price, amount = Decimal(item["quantity"]), Decimal(item["unit_price"]), Decimal(item["amount"])
        assert item["amount_text"] == format_amount(amount, currency, lang)
        assert format_amount(price, currency, lang) in item["unit_price_label"]
        if item["minutes"] is None:
            assert quantity * price == amount
            assert item["quantity_label"] == f"{format_number(quantity, lang)} × {item['unit']}"
        else:
            shown = parse_time(item["quantity_label"], lang)
            assert shown == Decimal(item["minutes"]) == time
            assert (shown * price / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == amount
