"""What a reader is told: a missing agreement or case, a time that is no number, minutes over 59 after
hours, and totals that leave out lines on request."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculator import calculate
from calculator.errors import InvalidTime
from calculator.texts import LANGUAGES
from calculator.timeinput import parse_minutes, parse_time

SERVICE = {"tariff": "no-service", "case": "service-case", "minutes": "15"}


def _errors(line: dict, lang: str = "en") -> list[dict]:
    return calculate({"lang": lang, "lines": [line]})["errors"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("empty", ["", "  ", None])
def test_a_missing_agreement_or_case_is_asked_for_not_called_unknown(lang: str, empty: str | None) -> None:
    for field in ("tariff", "case"):
        (error,) = _errors({**SERVICE, field: empty}, lang)
        assert (error["field"], error["code"]) == (field, f"{field}-missing")
        assert "«" not in error["message"] and "”" not in error["message"] and "“" not in error["message"]
    assert {"en": "Choose an agreement."}.get(lang, "") in _errors({**SERVICE, "tariff": ""}, lang)[0]["message"]


def test_an_unknown_agreement_is_still_named() -> None:
    (error,) = _errors({**SERVICE, "tariff": "no-servic"})
    assert error["code"] == "tariff-unknown" and "“no-servic”" in error["message"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity"])
def test_a_time_that_is_no_number_is_told_in_plain_words(lang: str, value: str) -> None:
    (error,) = _errors({**SERVICE, "minutes": value}, lang)
    assert error["code"] == "time-not-finite"
    assert value in error["message"] and "0–9" in error["message"]
    assert not {"finite", "endelig", "ändligt"} & set(error["message"].replace(".", " ").split())


@pytest.mark.parametrize(
    ("text", "lang"),
    [("1 h 90 min", "en"), ("1h75", "en"), ("1 t 60 min", "nb"), ("2 timmar och 60 minuter", "sv"), ("1:75", "nb")],
)
def test_minutes_after_hours_are_below_60_in_every_notation(text: str, lang: str) -> None:
    """One rule, chosen to keep "2:75" refused (tests/vectors.json): "1 h 90 min" is refused like "1:90"."""
    with pytest.raises(InvalidTime) as caught:
        parse_time(text, lang)
    assert caught.value.code == "time-unreadable"


@pytest.mark.parametrize(
    ("text", "minutes"), [("1 h 59 min", 119), ("1h59", 119), ("90 min", 90), ("1:59", 119), ("0 h 90 min", None)]
)
def test_minutes_below_60_and_minutes_alone_are_read(text: str, minutes: int | None) -> None:
    if minutes is None:  # hours of zero, then minutes: still after hours
        with pytest.raises(InvalidTime):
            parse_time(text, "en")
    else:
        assert parse_time(text, "en") == Decimal(minutes)
    with pytest.raises(InvalidTime):
        parse_minutes("1:75")  # the API's minutes field: H:MM with MM below 60 too


@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_totals_say_they_leave_out_lines_on_request(lang: str) -> None:
    """A free line and one on request: the totals are 0.00 of the free line only, and both labels that
    sum lines say so (the VAT label is the rate); the message that sends the case says the same."""
    lines = [
        {"tariff": "no-service", "case": "general-support"},
        {"tariff": "no-service", "case": "critical-support"},
    ]
    response = calculate({"lang": lang, "lines": lines, "case_text": True, "page_url": "https://example.org/c/"})
    estimate = response["estimate"]
    assert estimate["excludes_lines"] and estimate["total_ex_vat"] == "0.00"
    alone = calculate({"lang": lang, "lines": lines[:1]})["estimate"]["labels"]
    for key in ("total_ex_vat", "total_inc_vat"):
        assert estimate["labels"][key].startswith(alone[key] + ", ")
        assert estimate["labels"][key] in response["case_text"]["body"]
    assert estimate["labels"]["vat"] == alone["vat"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_case_the_agreement_does_not_offer_is_named_in_the_readers_words(lang: str) -> None:
    from calculator import default_tariff
    from calculator.report import tariff_label

    book = default_tariff()
    (error,) = _errors({"tariff": "se-lower-rate", "case": "service-case", "minutes": "15"}, lang)
    assert error["code"] == "case-not-offered"
    assert book.cases["service-case"].label[lang] in error["message"]
    assert tariff_label(book.tariffs["se-lower-rate"], lang) in error["message"]
    assert "service-case" not in error["message"] and "se-lower-rate" not in error["message"]
