"""Time as readers type it, and typed errors for everything else."""

from decimal import Decimal

import pytest

from calculator import InvalidTime, combine_time, parse_hours, parse_minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("130", "130"),
        ("2:10", "130"),
        (" 45 ", "45"),
        ("7,5", "7.5"),
        ("0.5", "0.5"),
        ("1\u00a0000", "1000"),
        (90, "90"),
    ],
)
def test_minutes(text, minutes):
    """Minutes as a number (comma or dot) or as H:MM."""
    assert parse_minutes(text) == Decimal(minutes)


@pytest.mark.parametrize(
    ("text", "minutes"), [("1,5", "90"), ("1.5", "90"), ("2", "120"), ("0,25", "15"), ("2:10", "130")]
)
def test_hours(text, minutes):
    """Decimal hours with a comma, as Norwegian and Swedish readers write them, or a dot."""
    assert parse_hours(text) == Decimal(minutes)


def test_hours_and_minutes_together():
    assert combine_time(hours="1", minutes="15") == Decimal(75)
    assert combine_time(hours="", minutes="20") == Decimal(20)
    assert combine_time(hours="0", minutes="5") == Decimal(5)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "time-empty"),
        ("   ", "time-empty"),
        (None, "time-empty"),
        ("0", "time-zero"),
        ("0,0", "time-zero"),
        ("-1", "time-negative"),
        ("abc", "time-not-a-number"),
        ("1e5", "time-not-a-number"),
        ("1,2,3", "time-not-a-number"),
        ("2:75", "time-not-a-number"),
        ("inf", "time-not-finite"),
        ("-Infinity", "time-not-finite"),
        ("NaN", "time-not-finite"),
        ("60001", "time-too-large"),
        ("9" * 500, "time-not-a-number"),
        (1.5, "time-not-a-number"),
        (True, "time-not-a-number"),
    ],
)
def test_bad_minutes(text, code):
    """Each kind of bad time is an InvalidTime with its own code."""
    with pytest.raises(InvalidTime) as caught:
        parse_minutes(text)
    assert caught.value.code == code


def test_both_fields_empty_or_zero():
    with pytest.raises(InvalidTime, match="time-empty"):
        combine_time(hours="", minutes="")
    with pytest.raises(InvalidTime, match="time-zero"):
        combine_time(hours="0", minutes="0")


@pytest.mark.parametrize("lang", ["nb", "sv", "en"])
def test_messages_in_every_language(lang):
    """Each error code has a message in each language, with its value filled in."""
    for text in ("", "0", "-1", "abc", "inf", "60001"):
        with pytest.raises(InvalidTime) as caught:
            parse_minutes(text)
        message = caught.value.message(lang)
        assert message and "{" not in message
    with pytest.raises(InvalidTime) as caught:
        parse_minutes("60001")
    assert "1\u00a0000" in caught.value.message(lang)
