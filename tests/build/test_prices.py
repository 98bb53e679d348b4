"""Prices come only from the tariff file, and every page shows the terms' key figures in its own language."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sitecheck import LANGS, PAGES, ROOT, Document

from calculator import load_tariff

# Digits next to a currency, or the Norwegian ",-": an amount typed by hand.
TYPED_AMOUNT = re.compile(
    r"\d[\d \u00a0.,]*[ \u00a0]?(?:kr|Nkr|NOK|SEK)\b|\b(?:kr|Nkr|NOK|SEK)\.?[ \u00a0]?\d|\d,-", re.IGNORECASE
)
# An amount as the calculator writes it in running text (no-break spaces read as spaces): whole amounts
# without decimals, others with two; a range writes its currency once.
NUMBER = {
    "nb": r"\d{1,3}(?: \d{3})*(?:,\d{2})?",
    "sv": r"\d{1,3}(?: \d{3})*(?:,\d{2})?",
    "en": r"\d{1,3}(?:,\d{3})*(?:\.\d{2})?",
}
AMOUNT = {
    lang: re.compile(
        rf"(?<![\d,.])({number})(?:–({number}))? (?:kr|NOK|SEK)\b"
        if lang != "en"
        else rf"\b(?:NOK|SEK) ({number})(?:–({number}))?(?![\d,.]*\d)"
    )
    for lang, number in NUMBER.items()
}
# Any number written right beside a currency: it must be one of the amounts above.
BESIDE_CURRENCY = {
    "nb": re.compile(r"(\d[\d ,.–]*) (?:kr|Nkr|NOK|SEK)\b"),
    "sv": re.compile(r"(\d[\d ,.–]*) (?:kr|Nkr|NOK|SEK)\b"),
    "en": re.compile(r"\b(?:NOK|SEK|kr) (\d[\d,.–]*\d|\d)"),
}
# The facts' key figures (../shared/terms-facts.md), as each language writes them, and the page that states them.
KEY_FIGURES = {
    "nb": {
        "norway": ["1 250 kr", "250 kr eks. mva. per påbegynte 15 minutter", "serviceteam@mystore.no"],
        "sweden": ["395 SEK", "796–995 SEK", "795 SEK", "20 minutter", "1–3 virkedager", "30 dager"],
    },
    "sv": {
        "norway": ["1 250 NOK", "250 NOK exkl. moms per påbörjade 15 minuter", "serviceteam@mystore.no"],
        "sweden": ["395 kr", "796–995 kr", "795 kr", "20 minuters", "1–3 arbetsdagar", "30 dagar"],
    },
    "en": {
        "norway": ["NOK 1,250", "NOK 250 excl. VAT per started 15 minutes", "serviceteam@mystore.no"],
        "sweden": ["SEK 395", "SEK 796–995", "SEK 795", "20 minutes", "1–3 working days", "30 days"],
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
    """Every amount is a figure of the tariff file or a worked example the calculator computed from one."""
    prices = tariff_amounts()
    seen = set()
    for name in PAGES:
        text = documents[(lang, name)].text
        for found in AMOUNT[lang].finditer(text):
            for number in filter(None, found.groups()):
                amount = _number(number, lang)
                worked = any(amount % price == 0 for price in prices)  # n started blocks of one price
                assert amount in prices or worked, f"{lang}/{name}: {found.group(0)} is not from calculator/tariff.toml"
                seen.add(amount)
        for found in BESIDE_CURRENCY[lang].finditer(text):
            assert AMOUNT[lang].search(found.group(0)), (
                f"{lang}/{name}: {found.group(0)!r} was not written by the calculator"
            )
    assert prices <= seen, f"amounts of the tariff file missing from the {lang} pages: {sorted(prices - seen)}"


@pytest.mark.parametrize("lang", LANGS)
def test_whole_amounts_have_no_decimals_in_running_text(documents: dict[tuple[str, str], Document], lang: str) -> None:
    """Issue 11: "1 250 kr", not "1 250,00 kr", outside the calculator's own estimate."""
    zeros = re.compile(r"\d[,.]00\b(?! ?%)")
    for name in PAGES:
        found = [m.group(0) for m in zeros.finditer(documents[(lang, name)].text)]
        assert not found, f"{lang}/{name}: {found}"


@pytest.mark.parametrize("lang", LANGS)
def test_key_figures_appear_as_the_language_writes_them(documents: dict[tuple[str, str], Document], lang: str) -> None:
    for name, figures in KEY_FIGURES[lang].items():
        text = documents[(lang, name)].text
        missing = [figure for figure in figures if figure not in text]
        assert not missing, f"{lang}/{name} lacks {missing}"
