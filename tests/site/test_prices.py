"""Prices come only from the tariff file, and every page shows the terms' key figures in its own language."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sitecheck import LANGS, PAGES, ROOT, Document

from calculator import CENT, load_tariff

pytestmark = pytest.mark.site

# Digits next to a currency, or the Norwegian ",-": an amount typed by hand.
TYPED_AMOUNT = re.compile(
    r"\d[\d \u00a0.,]*[ \u00a0]?(?:kr|Nkr|NOK|SEK)\b|\b(?:kr|Nkr|NOK|SEK)\.?[ \u00a0]?\d|\d,-", re.IGNORECASE
)
# An amount as the calculator writes it, in page text (no-break spaces read as spaces).
AMOUNT = {
    "nb": re.compile(r"(?<![\d,])\d{1,3}(?: \d{3})*,\d{2}(?!\d)"),
    "sv": re.compile(r"(?<![\d,])\d{1,3}(?: \d{3})*,\d{2}(?!\d)"),
    "en": re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)"),
}
# A number written right beside a currency: it must be one of the amounts above.
BESIDE_CURRENCY = {
    "nb": re.compile(r"(\d[\d ]*(?:,\d+)?) (?:kr|Nkr|NOK|SEK)\b"),
    "sv": re.compile(r"(\d[\d ]*(?:,\d+)?) (?:kr|Nkr|NOK|SEK)\b"),
    "en": re.compile(r"\b(?:NOK|SEK|kr) (\d[\d,]*(?:\.\d+)?)"),
}
# The facts' key figures (../shared/terms-facts.md), as each language writes them, and the page that states them.
KEY_FIGURES = {
    "nb": {
        "norway": ["1 250,00 kr", "250,00 kr per påbegynte 15 minutter", "serviceteam@mystore.no"],
        "sweden": ["395,00 SEK", "796,00–995,00 SEK", "795,00 SEK", "20 minutter", "1–3 virkedager", "30 dager"],
    },
    "sv": {
        "norway": ["1 250,00 Nkr", "250,00 Nkr per påbörjade 15 minuter", "serviceteam@mystore.no"],
        "sweden": ["395,00 kr", "796,00–995,00 kr", "795,00 kr", "20 minuter", "1–3 arbetsdagar", "30 dagar"],
    },
    "en": {
        "norway": ["NOK 1,250.00", "NOK 250.00 per started 15 minutes", "serviceteam@mystore.no"],
        "sweden": ["SEK 395.00", "SEK 796.00–995.00", "SEK 795.00", "20 minutes", "1–3 working days", "30 days"],
    },
}


def _number(text: str, lang: str) -> Decimal:
    if lang == "en":
        return Decimal(text.replace(",", ""))
    return Decimal(text.replace(" ", "").replace(",", "."))


def tariff_amounts() -> set[Decimal]:
    """Every amount the tariff file states."""
    book = load_tariff(ROOT / "calculator" / "tariff.toml")
    amounts = {tariff.hourly_rate for tariff in book.tariffs.values()}
    for case in book.cases.values():
        amounts |= {case.block_price, case.ticket_price, case.price}
    return amounts - {None}


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("minstesum er kr 1250,- eks. mva.", True),
        ("en ticket kostar 395 kr", True),
        ("NOK 1 250 per hour", True),
        ("from SEK 795", True),
        ("minst 250,- per kvarter", True),
        ("25 % mva.", False),
        ("i norske kroner (NOK)", False),
        ("innen 1–3 virkedager", False),
        ("minst {{ price custom-work.block_price }} per påbegynte time", False),
    ],
)
def test_the_typed_amount_check(text: str, typed: bool) -> None:
    """The check below finds an amount typed by hand, and only that."""
    assert bool(TYPED_AMOUNT.search(text)) is typed


def test_no_amount_is_typed_into_markdown() -> None:
    problems = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            problems += [
                f"{path.relative_to(ROOT)}:{number}: {found.group(0)!r}" for found in TYPED_AMOUNT.finditer(line)
            ]
    assert not problems, "Write amounts as {{ price <id>.<field> }} (hooks/directives.py):\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_every_amount_on_the_site_is_in_the_tariff_file(documents: dict[tuple[str, str], Document], lang: str) -> None:
    prices = tariff_amounts()
    allowed = prices | {CENT}  # CENT: the rounding unit the VAT rule names ("rounds to the nearest 0.01")
    seen = set()
    for name in PAGES:
        text = documents[(lang, name)].text
        for found in AMOUNT[lang].finditer(text):
            amount = _number(found.group(0), lang)
            assert amount in allowed, f"{lang}/{name}: {found.group(0)} is not an amount of calculator/tariff.toml"
            seen.add(amount)
        for found in BESIDE_CURRENCY[lang].finditer(text):
            assert AMOUNT[lang].fullmatch(found.group(1)), (
                f"{lang}/{name}: {found.group(0)!r} was not written by the calculator"
            )
    assert prices <= seen, f"amounts of the tariff file missing from the {lang} pages: {sorted(prices - seen)}"


@pytest.mark.parametrize("lang", LANGS)
def test_key_figures_appear_as_the_language_writes_them(documents: dict[tuple[str, str], Document], lang: str) -> None:
    for name, figures in KEY_FIGURES[lang].items():
        text = documents[(lang, name)].text
        missing = [figure for figure in figures if figure not in text]
        assert not missing, f"{lang}/{name} lacks {missing}"
