"""The site's own words in nb, sv and en: price-table headings and phrases, date labels, month names.

Not a hook: the hooks import it. Prices, case labels, notes and statuses are not here; they come
from the calculator (calculator/tariff.toml and calculator/messages.toml), and so do the words that
describe each pricing rule in the price tables (messages.toml's [rule], calculator/rules.py). Every key
needs all three languages; `site_word()` fails loudly on a missing one.

>>> format_date(date(2018, 2, 1), "nb"), format_date(date(2018, 2, 1), "sv"), format_date(date(2018, 2, 1), "en")
('1. februar 2018', '1 februari 2018', '1 February 2018')
"""

from __future__ import annotations

from datetime import date

from calculator.texts import LANGUAGES

__all__ = ["LANGUAGES", "WORDS", "format_date", "site_word"]

WORDS: dict[str, dict[str, str]] = {
    # Price-table column headings. No status column: "Estimate" is the calculator's word, not the terms'.
    "table.case": {"nb": "Sak", "sv": "Ärende", "en": "Case"},
    "table.price": {"nb": "Pris", "sv": "Pris", "en": "Price"},
    "table.all-agreements": {"nb": "Alle avtaler", "sv": "Alla avtal", "en": "All agreements"},
    "table.calculate": {
        "nb": "Regn ut i kalkulatoren",
        "sv": "Räkna ut i kalkylatorn",
        "en": "Work it out in the calculator",
    },
    # After a price that shows a range of hourly rates: the agreements of one market differ.
    "rate-depends-on-agreement": {
        "nb": "Timeprisen avhenger av avtaleformen din.",
        "sv": "Timpriset beror på vilken avtalsform ni har.",
        "en": "The hourly rate depends on your form of agreement.",
    },
    # The dates shown on a terms page, one per front-matter key (hooks/terms_dates.py).
    "dates.terms_effective": {
        "nb": "Vilkårene gjelder fra",
        "sv": "Villkoren gäller från",
        "en": "These terms apply from",
    },
    "dates.terms_published": {
        "nb": "Vilkårene ble publisert",
        "sv": "Villkoren publicerades",
        "en": "The terms were published on",
    },
    "dates.published_here": {
        "nb": "Publisert på dette nettstedet",
        "sv": "Publicerade på den här webbplatsen",
        "en": "Published on this site on",
    },
    "dates.changed": {"nb": "Sist endret", "sv": "Senast ändrade", "en": "Last changed on"},
    # The not-found page (overrides/404.html): its own language's title and text, then every language's link home.
    "not-found.title": {"nb": "Siden finnes ikke", "sv": "Sidan finns inte", "en": "Page not found"},
    "not-found.text": {
        "nb": "Vi finner ingen side på denne adressen. Kanskje den er skrevet feil, eller siden er flyttet.",
        "sv": "Vi hittar ingen sida på den här adressen. Kanske är den felskriven, eller så har sidan flyttats.",
        "en": "There is no page at this address. It may be mistyped, or the page may have moved.",
    },
    "not-found.home": {
        "nb": "Til forsiden på norsk",
        "sv": "Till startsidan på svenska",
        "en": "To the home page in English",
    },
}

_MONTHS = {
    "nb": "januar februar mars april mai juni juli august september oktober november desember",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "en": "January February March April May June July August September October November December",
}
# CLDR's long date formats (nb, sv, en-GB): checked against Babel in tests/unit/test_hooks.py.
_DATE_PATTERNS = {"nb": "{day}. {month} {year}", "sv": "{day} {month} {year}", "en": "{day} {month} {year}"}


def site_word(key: str, lang: str) -> str:
    """The text for a key in a language; a missing key or language is a bug, and says which."""
    try:
        return WORDS[key][lang]
    except KeyError:
        raise KeyError(f"sitebuild/site_words.py: no text for '{key}' in '{lang}'") from None


def format_date(day: date, lang: str) -> str:
    """A date as the language writes it in running text."""
    month = _MONTHS[lang].split()[day.month - 1]
    return _DATE_PATTERNS[lang].format(day=day.day, month=month, year=day.year)
