"""Compare agreements (issue 17): the mapping lives in the tariff file, the figures come from the rules."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import calculate, default_tariff, parse_tariff
from calculator.compare import rate_per_hour
from calculator.errors import TariffFileError
from calculator.tariff import DEFAULT_TARIFF_PATH
from calculator.texts import LANGUAGES

LANGS = LANGUAGES  # calculator.texts: the one list of languages
TARIFF_TEXT = DEFAULT_TARIFF_PATH.read_text("utf-8")


def compare(lang: str, tariff: str, case: str, minutes: str) -> dict:
    result = calculate({"lang": lang, "lines": [{"tariff": tariff, "case": case, "minutes": minutes}], "compare": True})
    assert result["ok"], result["errors"]
    return result


def test_fifty_minutes_in_norway_under_both_agreements():
    """The issue's reader: 50 minutes of work costs 1 250 on request and 1 000 with the service agreement."""
    [comparison] = compare("nb", "no-service", "service-case", "50")["comparisons"]
    assert [(o["tariff"], o["amount_text"], o["cheapest"]) for o in comparison["options"]] == [
        ("no-support", "1\u00a0250,00\u00a0kr", False),
        ("no-service", "1\u00a0000,00\u00a0kr", True),
    ]
    assert comparison["difference_text"] == "250,00\u00a0kr"
    assert "250,00\u00a0kr eks. mva. mindre" in comparison["summary"]
    codes = [note["code"] for note in comparison["notes"]]
    assert codes == ["compare-no-same-work", "compare-other-fees"]
    assert "(antakelse)" in comparison["notes"][0]["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_comparison_names_its_assumption_and_other_fees(lang):
    for comparison in default_tariff().comparisons:
        tariff, case = comparison.options[0]
        [result] = compare(lang, tariff, case, "30")["comparisons"]
        texts = [note["text"] for note in result["notes"]]
        assert any(word in texts[0] for word in ("(antakelse)", "(antagande)", "(assumption)"))
        assert result["notes"][1]["code"] == "compare-other-fees"
        for text in [result["summary"], result["trend_text"], *texts]:
            assert "{" not in text and text.strip() == text


def test_no_comparison_for_cases_the_file_does_not_map():
    result = calculate(
        {"lang": "en", "compare": True, "lines": [{"tariff": "se-lower-rate", "case": "module-install", "minutes": ""}]}
    )
    assert result["ok"] and result["comparisons"] == []


def test_answers_without_the_option_are_unchanged():
    request = {"lang": "nb", "lines": [{"tariff": "no-service", "case": "service-case", "minutes": "50"}]}
    assert set(calculate(request)) == {"ok", "lang", "estimate", "errors"}
    assert "comparisons" not in calculate({**request, "compare": "yes"})  # only true asks


def test_the_trend_comes_from_the_rules_not_from_a_table():
    """A file where both agreements cost the same per hour says the difference does not grow."""
    same = TARIFF_TEXT.replace('hourly_rate = "995.00"', 'hourly_rate = "796.00"')
    book = parse_tariff(same)
    line = {"tariff": "se-lower-rate", "case": "development", "minutes": "90"}
    [comparison] = calculate({"lang": "sv", "lines": [line], "compare": True}, book)["comparisons"]
    assert comparison["trend"] == "same" and comparison["difference"] == "0.00"
    assert "växer inte" in comparison["trend_text"]


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(min_value=1, max_value=60_000), which=st.sampled_from(default_tariff().comparisons))
def test_difference_per_hour_tends_to_the_rate_difference(minutes, which):
    """Far enough out, the difference moves with the options' rates per hour; it is never negative and it is
    the dearest minus the cheapest option, exactly."""
    tariff, case = which.options[0]
    [comparison] = compare("en", tariff, case, str(minutes))["comparisons"]
    amounts = [Decimal(option["amount_ex_vat"]) for option in comparison["options"]]
    assert Decimal(comparison["difference"]) == max(amounts) - min(amounts) >= 0
    book = default_tariff()
    rates = [rate_per_hour(book.cases[c], book.tariffs[t]) for t, c in which.options]
    # Every option is within one block (at most one started hour, or one ticket) of its rate × time.
    for option, rate in zip(comparison["options"], rates, strict=True):
        assert abs(Decimal(option["amount_ex_vat"]) - rate * minutes / 60) <= max(rates) + Decimal("395")


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (
            ('options = ["no-support/custom-work", "no-service/service-case"]', 'options = ["no-support/custom-work"]'),
            "options",
        ),
        (('"no-service/service-case"]', '"no-service/critical-support"]'), "options"),
        (('"no-service/service-case"]', '"se-lower-rate/development"]'), "options"),
        (('assumption = "compare-no-same-work"', 'assumption = "no-such-note"'), "assumption"),
        (('email = "serviceteam@mystore.no"', 'email = "service team"'), "email"),
        (('channel = "website"', 'channel = "fax"'), "channel"),
    ],
)
def test_bad_comparison_or_market_names_file_and_key(edit, key):
    with pytest.raises(TariffFileError) as caught:
        parse_tariff(TARIFF_TEXT.replace(*edit, 1), "calculator/tariff.toml")
    assert "calculator/tariff.toml" in str(caught.value)
    assert re.search(rf"(comparison|market) '[a-z-]+'\.{key}", str(caught.value)), str(caught.value)


def test_the_other_fees_note_is_required_with_comparisons():
    text = TARIFF_TEXT.replace('id = "compare-other-fees"', 'id = "compare-other-fees-renamed"')
    with pytest.raises(TariffFileError, match="note 'compare-other-fees'"):
        parse_tariff(text, "calculator/tariff.toml")
