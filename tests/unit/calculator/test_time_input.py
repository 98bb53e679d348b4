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


# --- the form's one time field (parse_time); the full table is tests/vectors.json "times" ----------

from calculator.timeinput import MAX_TEXT_LENGTH, format_duration, parse_time  # noqa: E402


@pytest.mark.parametrize("text", ["١٢", "1:٣٠", "١,٥", "１２", "1²", "٣ min", "1 t ٣٠ min"])
@pytest.mark.parametrize("reader", ["minutes", "hours", "time"])
def test_only_ascii_digits_in_every_notation(text, reader):
    """One rule for digits other than 0-9 in every notation and every field: refused, never converted."""
    parse = {"minutes": parse_minutes, "hours": parse_hours, "time": lambda value: parse_time(value, "nb")}[reader]
    with pytest.raises(InvalidTime) as caught:
        parse(text)
    assert caught.value.code in ("time-not-a-number", "time-unreadable")


@pytest.mark.parametrize("reader", [parse_minutes, parse_hours, lambda value: parse_time(value, "en")])
def test_an_oversized_string_is_refused_unread(reader):
    """Longer than MAX_TEXT_LENGTH: refused on its length alone, with a short excerpt as the value."""
    with pytest.raises(InvalidTime) as caught:
        reader(" " * 10_000_000 + "5")  # would be "5" if it were read
    assert len(caught.value.value) <= MAX_TEXT_LENGTH
    with pytest.raises(InvalidTime):
        reader("1" * (MAX_TEXT_LENGTH + 1))


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("1 30", "1:30", "130 min"),
        ("1,000", "1000 min", "1 min"),
        ("1.000 t", "1000 t", "1 t"),
        ("1,5", "1,5 t", "1,5 min"),
    ],
)
def test_ambiguous_input_says_what_to_type(text, first, second):
    """Never read one way silently: the message offers both ways to write it."""
    with pytest.raises(InvalidTime) as caught:
        parse_time(text, "nb")
    assert caught.value.code == "time-ambiguous"
    assert (caught.value.params["first"], caught.value.params["second"]) == (first, second)
    assert f"«{first}»" in caught.value.message("nb") and f"«{second}»" in caught.value.message("nb")


@pytest.mark.parametrize(
    ("minutes", "lang", "text"),
    [
        ("130", "nb", "2\u00a0t 10\u00a0min"),
        ("60", "sv", "1\u00a0tim"),
        ("45", "en", "45\u00a0min"),
        ("0.5", "nb", "0,5\u00a0min"),
        ("60000", "en", "1000\u00a0h"),
    ],
)
def test_readings(minutes, lang, text):
    assert format_duration(Decimal(minutes), lang) == text
