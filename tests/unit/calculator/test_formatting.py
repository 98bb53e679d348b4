"""Amounts per language match CLDR, with Babel as the oracle (Babel is a test dependency only)."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from calculator import format_amount
from calculator.formatting import format_price

NBSP = "\u00a0"
amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False)


def cldr(amount: Decimal, currency: str, lang: str) -> str:
    """Babel's CLDR pattern, plus CLDR's currencySpacing rule that Babel does not apply.

    CLDR puts a no-break space between a currency symbol made of letters and the digits
    ("NOK 1,250.00"), as ICU and browsers do; Babel leaves it out ("NOK1,250.00").
    One deliberate difference: Swedish writes Norwegian kroner "NOK", not CLDR's "Nkr", which Swedish
    readers do not know (issue 11).
    """
    text = format_currency(amount, currency, locale=lang).replace("Nkr", "NOK")
    if text.startswith(currency):
        text = currency + NBSP + text[len(currency) :]
    return text


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        ("1250", "NOK", "nb", f"1{NBSP}250,00{NBSP}kr"),
        ("1250", "SEK", "sv", f"1{NBSP}250,00{NBSP}kr"),
        ("395", "SEK", "nb", f"395,00{NBSP}SEK"),
        ("250", "NOK", "sv", f"250,00{NBSP}NOK"),
        ("1250", "NOK", "en", f"NOK{NBSP}1,250.00"),
        ("1865.63", "SEK", "en", f"SEK{NBSP}1,865.63"),
        ("0", "NOK", "nb", f"0,00{NBSP}kr"),
        ("1234567.89", "SEK", "sv", f"1{NBSP}234{NBSP}567,89{NBSP}kr"),
    ],
)
def test_examples(amount, currency, lang, expected):
    """The forms readers see: 1 250,00 kr in nb and sv, and English naming the currency."""
    assert format_amount(Decimal(amount), currency, lang) == expected


@given(amount=amounts, currency=st.sampled_from(["NOK", "SEK"]), lang=st.sampled_from(["nb", "sv", "en"]))
def test_matches_babel(amount, currency, lang):
    """Every amount, currency and language formats as CLDR (through Babel) does."""
    assert format_amount(amount, currency, lang) == cldr(amount, currency, lang)


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        ("1250.00", "NOK", "nb", f"1{NBSP}250{NBSP}kr"),
        ("250", "NOK", "sv", f"250{NBSP}NOK"),
        ("795", "SEK", "en", f"SEK{NBSP}795"),
        ("1865.63", "SEK", "en", f"SEK{NBSP}1,865.63"),
        ("0.5", "NOK", "nb", f"0,50{NBSP}kr"),
        ("1234567", "SEK", "sv", f"1{NBSP}234{NBSP}567{NBSP}kr"),
    ],
)
def test_running_text_drops_the_decimals_of_whole_amounts(amount, currency, lang, expected):
    """In running text a whole amount needs no ",00"; an amount with øre keeps both decimals."""
    assert format_price(Decimal(amount), currency, lang) == expected
