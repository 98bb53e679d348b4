"""Amounts per language, as CLDR writes them (checked against Babel in the tests).

>>> format_amount(Decimal("1250"), "NOK", "nb")
'1\\xa0250,00\\xa0kr'
>>> format_amount(Decimal("1250"), "SEK", "en")
'SEK\\xa01,250.00'
>>> format_price(Decimal("1250"), "NOK", "sv"), format_price(Decimal("1865.63"), "SEK", "en")
('1\\xa0250\\xa0NOK', 'SEK\\xa01,865.63')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import exact, to_cents

__all__ = ["format_amount", "format_number", "format_percent", "format_price"]

NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class _NumberStyle:
    decimal: str
    group: str
    symbol_after: bool  # "1 250,00 kr" rather than "NOK 1,250.00"
    percent: str  # CLDR's percent pattern: where the sign goes


_STYLES = {
    "nb": _NumberStyle(decimal=",", group=NBSP, symbol_after=True, percent="{}" + NBSP + "%"),
    "sv": _NumberStyle(decimal=",", group=NBSP, symbol_after=True, percent="{}" + NBSP + "%"),
    "en": _NumberStyle(decimal=".", group=",", symbol_after=False, percent="{}%"),
}
# CLDR's local symbol "kr" only for the reader's own currency; the other currency by its ISO code.
# CLDR's Swedish symbol for NOK is "Nkr", which Swedish readers do not know: the terms write "NOK".
_SYMBOLS = {
    ("nb", "NOK"): "kr",
    ("sv", "SEK"): "kr",
}


@exact
def format_number(value: Decimal, lang: str, decimals: int | None = None) -> str:
    """Group digits and pick the decimal mark for the language; keeps the value's own decimals."""
    style = _STYLES[lang]
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = style.group.join([whole, *groups])
    return sign + (f"{text}{style.decimal}{fraction}" if fraction else text)


@exact
def format_amount(amount: Decimal, currency: str, lang: str) -> str:
    """An amount with two decimals and the currency where the language puts it."""
    return _with_symbol(format_number(to_cents(amount), lang), currency, lang)


def _with_symbol(number: str, currency: str, lang: str) -> str:
    symbol = _SYMBOLS.get((lang, currency), currency)
    # CLDR currency spacing: a no-break space between digits and a symbol of letters.
    return f"{number}{NBSP}{symbol}" if _STYLES[lang].symbol_after else f"{symbol}{NBSP}{number}"


@exact
def format_percent(rate: Decimal, lang: str) -> str:
    """A rate such as 0.25 as the language writes a percentage: "25 %" (nb, sv), "25%" (en)."""
    return _STYLES[lang].percent.format(format_number((rate * 100).normalize(), lang))


@exact
def format_price(amount: Decimal, currency: str, lang: str) -> str:
    """An amount in running text and price lists: a whole amount without decimals ("1 250 kr"), else as format_amount.

    Invoice-like figures (an estimate's lines and totals) keep format_amount's two decimals.
    """
    cents = to_cents(amount)
    if cents % 1:
        return format_amount(amount, currency, lang)
    return _with_symbol(format_number(Decimal(int(cents)), lang), currency, lang)
