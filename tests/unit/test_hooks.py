"""The build hooks' own rules, without a build: directives, price tables, dates, last-changed dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date as babel_format_date
from babel.numbers import format_percent
from directives import Context, DirectiveError, format_range, price_table, render_text, vat_rate
from languages import missing_translations
from sitecheck import ROOT
from terms_dates import DateError, dated_headings, front_matter_dates, last_changed

from calculator import parse_tariff
from sitebuild.site_words import WORDS, format_date

TARIFF_TEXT = (ROOT / "calculator" / "tariff.toml").read_text("utf-8")
BOOK = parse_tariff(TARIFF_TEXT)
NBSP = "\u00a0"


def render(text: str, lang: str, book=BOOK, **meta) -> str:
    return render_text(text, Context(book, lang, meta)).replace(NBSP, " ")


@pytest.mark.parametrize(
    ("directive", "lang", "expected"),
    [
        ("{{ price custom-work.block_price }}", "nb", "1 250 kr"),
        ("{{ price custom-work.block_price }}", "sv", "1 250 NOK"),
        ("{{ price custom-work.block_price }}", "en", "NOK 1,250"),
        ("{{ price third-party-ticket.ticket_price }}", "nb", "395 SEK"),
        ("{{ price third-party-ticket.ticket_price }}", "sv", "395 kr"),
        ("{{ price module-install.price }}", "en", "SEK 795"),
        ("{{ price se-higher-rate.hourly_rate }}", "en", "SEK 995"),
        ("{{ minutes service-case.block_minutes }}", "nb", "15"),
        ("{{ minutes service-case.notice_over_minutes }}", "en", "180"),
        ("{{ price_range se-lower-rate.hourly_rate se-higher-rate.hourly_rate }}", "nb", "796–995 SEK"),
        ("{{ price_range se-higher-rate.hourly_rate se-lower-rate.hourly_rate }}", "sv", "796–995 kr"),
        ("{{ price_range se-lower-rate.hourly_rate se-higher-rate.hourly_rate }}", "en", "SEK 796–995"),
        ("{{ vat_rate no }}", "nb", "25 %"),
        ("{{ vat_rate se }}", "sv", "25 %"),
        ("{{ vat_rate se }}", "en", "25%"),
        ("{{ market_email no }}", "sv", "[serviceteam@mystore.no](mailto:serviceteam@mystore.no)"),
        ("{{ price_for custom-work 70 }}", "nb", "2 500 kr"),
        ("{{ price_for service-case 40 }}", "en", "NOK 750"),
    ],
)
def test_figures_are_written_the_languages_way(directive: str, lang: str, expected: str) -> None:
    assert render(f"At least {directive} per hour.", lang) == f"At least {expected} per hour."


@pytest.mark.parametrize(
    ("lang", "expected"), [("nb", "1. februar 2018"), ("sv", "1 februari 2018"), ("en", "1 February 2018")]
)
def test_terms_effective_is_the_front_matter_date(lang: str, expected: str) -> None:
    assert render("From {{ terms_effective }}.", lang, terms_effective=date(2018, 2, 1)) == f"From {expected}."
    assert render("{{terms_effective}}", lang, terms_effective="2018-02-01") == expected


def test_a_price_change_in_the_tariff_file_reaches_the_pages() -> None:
    changed = parse_tariff(TARIFF_TEXT.replace('ticket_price = "395.00"', 'ticket_price = "410.00"'))
    assert render("{{ price third-party-ticket.ticket_price }}", "sv", changed) == "410 kr"
    table = "\n".join(price_table(changed, "se", "en"))
    assert "SEK 410 per ticket" in table.replace(NBSP, " ") and "395" not in table


def test_a_range_of_one_amount_is_that_amount() -> None:
    assert format_range(Decimal("250"), Decimal("250.00"), "NOK", "en") == f"NOK{NBSP}250"


def test_a_range_with_ore_writes_both_ends_with_decimals() -> None:
    assert format_range(Decimal("795.50"), Decimal("995"), "SEK", "sv") == f"795,50–995,00{NBSP}kr"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{ prize custom-work.block_price }}", "{{ prize custom-work.block_price }}: unknown directive"),
        ("{{ price custom-wrk.block_price }}", "unknown case or tariff 'custom-wrk'"),
        ("{{ price custom-work.ticket_price }}", "case 'custom-work' has no ticket_price in the tariff file"),
        ("{{ price custom-work.block_minutes }}", "case 'custom-work' has no field 'block_minutes' here"),
        ("{{ price no-service.hourly_rate }}", "tariff 'no-service' has no hourly_rate in the tariff file"),
        ("{{ price custom-work }}", "'custom-work' is not <id>.<field>"),
        ("{{ minutes no-service.block_minutes }}", "unknown case 'no-service'"),
        (
            "{{ price_range custom-work.block_price module-install.price }}",
            "a range needs one currency, not NOK and SEK",
        ),
        ("{{ price }}", "price takes 1 argument, not 0"),
        ("{{ terms_effective }}", "the page has no terms_effective date in its front matter"),
        ("A table: {{ price_table no }}", "price_table must stand on a line of its own"),
        ("{{ price_table dk }}", "unknown market 'dk' (the tariff file has: no, se)"),
        ("{{ }}", "unknown directive"),
        ("{{ foo }}", "(use price, minutes, price_range, price_for, price_table, price_chart, vat_rate, market_email"),
        ("From {{ price custom-work.block_price } an hour", "a directive needs both braces on each side"),
        ("From { price custom-work.block_price }} an hour", "a directive needs both braces on each side"),
        ("From {{ price custom-work.block_price }} to {{ price custom-work.block_price }", "needs both braces"),
        ("{{ vat_rate fi }}", "unknown market 'fi' (the tariff file has: no, se)"),
        ("{{ market_email fi }}", "unknown market 'fi' (the tariff file has: no, se)"),
        ("{{ market_email se }}", "market 'se' takes cases on the website, it has no e-mail address"),
        ("{{ price_for custom-work ninety }}", "price_for takes a case priced by time and whole minutes"),
        ("{{ price_for general-support 30 }}", "price_for takes a case priced by time and whole minutes"),
        ("{{ price_for custom-wrk 30 }}", "unknown case 'custom-wrk'"),
        ("{{ price_for custom-work 0 }}", "whole minutes above 0, not 'custom-work 0'"),
    ],
)
def test_a_bad_directive_is_named_with_its_problem(text: str, problem: str) -> None:
    with pytest.raises(DirectiveError) as error:
        render(text, "nb")
    assert problem in str(error.value)
    assert text.split(": ")[-1] in str(error.value) or "{{" in str(error.value)


@pytest.mark.parametrize("lang", ["nb", "sv", "en"])
@pytest.mark.parametrize("market", ["no", "se"])
def test_price_tables_cover_every_case_of_the_market_in_words(market: str, lang: str) -> None:
    table = price_table(BOOK, market, lang)
    cases = [case for case in BOOK.cases.values() if any(BOOK.tariffs[t].market == market for t in case.tariffs)]
    assert len(table) == 2 + len(cases)
    assert all(line.startswith("| ") and line.endswith(" |") for line in table)
    for case, row in zip(cases, table[2:], strict=True):
        assert row.startswith(f"| {case.label[lang]} |")
    assert "{" not in "".join(table), "a placeholder was left unfilled"


MINIMUMS = {
    "nb": ("Minst 1 250 kr per påbegynt time", "Minst 250 kr per påbegynte 15 minutter"),
    "sv": ("Minst 1 250 NOK per påbörjad timme", "Minst 250 NOK per påbörjade 15 minuter"),
    "en": ("At least NOK 1,250 per started hour", "At least NOK 250 per started 15 minutes"),
}


@pytest.mark.parametrize("lang", ["nb", "sv", "en"])
def test_price_tables_state_minimums_as_minimums_and_no_status(lang: str) -> None:
    """N2, N8: "minimum ... per started hour / 15 minutes"; a terms page shows no calculator status column."""
    table = [row.replace(NBSP, " ") for row in price_table(BOOK, "no", lang)]
    rows = {row.split(" | ")[0].lstrip("| "): row for row in table}
    hour, quarter = MINIMUMS[lang]
    assert rows[BOOK.cases["custom-work"].label[lang]].endswith(f": {hour} |")
    assert f": {quarter}." in rows[BOOK.cases["service-case"].label[lang]]
    assert not {"Status", "Anslag", "Uppskattning", "Estimate"} & {cell.strip() for cell in table[0].split("|")}


def test_price_table_words_carry_the_notes_that_qualify_a_price() -> None:
    """Exceptions and assumptions stand in the table too; notes that repeat the price do not."""
    rows = {row.split(" | ")[0].lstrip("| "): row.replace(NBSP, " ") for row in price_table(BOOK, "se", "nb")}
    assert "Unntak:" in rows[BOOK.cases["hosting-support"].label["nb"]]
    assert rows[BOOK.cases["module-install"].label["nb"]].startswith(
        f"| {BOOK.cases['module-install'].label['nb']} | Fra 795 SEK."
    )
    development = rows[BOOK.cases["development"].label["nb"]]
    assert "796–995 SEK per time." in development and "(antakelse)" in development
    assert "Timeprisen avhenger av avtaleformen din." in development
    custom = price_table(BOOK, "no", "nb")[3].replace(NBSP, " ")
    assert custom.count("1 250 kr") == 1, custom


def test_a_table_keeps_the_indentation_of_its_line() -> None:
    lines = render("!!! note\n    {{ price_table no }}", "en").split("\n")
    *table, links = [line for line in lines[1:] if line]
    assert lines[0] == "!!! note" and all(line.startswith("    | ") for line in table)
    # Under the table, its time-priced cases as links to the calculator, pre-filled (issue 17).
    assert links.startswith("    Work it out in the calculator: [Configuration, work and troubleshooting you ask for]")
    assert "(calculator.md?tariff=no-service&case=service-case&minutes=15)" in links


def test_every_word_has_every_language() -> None:
    for key, texts in WORDS.items():
        assert set(texts) == {"nb", "sv", "en"}, key


@pytest.mark.parametrize(("lang", "locale"), [("nb", "nb"), ("sv", "sv"), ("en", "en")])
def test_percentages_are_written_as_cldr_writes_them(lang: str, locale: str) -> None:
    for rate in ("0.25", "0.12", "0.06"):
        assert vat_rate(parse_tariff(TARIFF_TEXT.replace('"0.25"', f'"{rate}"')), "no", lang) == format_percent(
            Decimal(rate), locale=locale
        )


@pytest.mark.parametrize(("lang", "locale"), [("nb", "nb"), ("sv", "sv"), ("en", "en_GB")])
def test_dates_are_written_as_cldr_writes_them(lang: str, locale: str) -> None:
    for month in range(1, 13):
        day = date(2018, month, month * 2)
        assert format_date(day, lang) == babel_format_date(day, "long", locale=locale)


def test_parity_names_every_missing_file(tmp_path: Path) -> None:
    for path in ("nb/a.md", "sv/a.md", "en/a.md", "nb/b.md", "_includes/nb/s.md", "_includes/sv/s.md", "c.md"):
        (tmp_path / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / path).write_text("x")
    (tmp_path / "docs" / "_includes" / "en").mkdir()
    assert missing_translations(tmp_path / "docs", ["nb", "sv", "en"]) == [
        "docs/c.md is outside a language folder (nb, sv, en)",
        "docs/sv/b.md is missing (the nb version exists)",
        "docs/en/b.md is missing (the nb version exists)",
        "docs/_includes/en/s.md is missing (the nb, sv version exists)",
    ]


HISTORY = """# Endringslogg { #change-history }

## 2026-12-01 { #2026-12-01 }

- [Prisen for Sverige](sweden.md#development) er endret.

## 2026-11-22 { #2026-11-22 }

- [Norge](norway.md) og [Sverige](sweden.md) ble publisert.

## Eldre { #older }

- [Norge](norway.md) nevnt under en overskrift uten dato.
"""


def test_last_changed_is_the_newest_change_history_entry_that_links_to_the_page() -> None:
    assert last_changed(HISTORY, "docs/nb/changes.md", "sweden.md") == date(2026, 12, 1)
    assert last_changed(HISTORY, "docs/nb/changes.md", "norway.md") == date(2026, 11, 22)


def test_a_terms_page_without_a_change_history_entry_is_named() -> None:
    with pytest.raises(DateError, match=r"docs/nb/changes.md has no entry that links to faq.md"):
        last_changed(HISTORY, "docs/nb/changes.md", "faq.md")


def test_the_change_history_headings_are_shown_in_the_readers_date_style() -> None:
    shown = dated_headings(HISTORY, "docs/nb/changes.md", "nb")
    assert "## 1. desember 2026 { #2026-12-01 }" in shown and "## Eldre { #older }" in shown
    with pytest.raises(DateError, match=r"docs/en/changes.md: the heading '## 2026-02-30'"):
        dated_headings("## 2026-02-30\n", "docs/en/changes.md", "en")


@pytest.mark.parametrize(
    ("front_matter", "problem"),
    [
        ("terms_effective: 2026-13-45", "front matter 'terms_effective': '2026-13-45' is not a date"),
        ("terms_published: 2026-02-30", "front matter 'terms_published': '2026-02-30' is not a date"),
        ("published_here: 2026-02-01 25:00:00", "front matter 'published_here': '2026-02-01 25:00:00' is not a date"),
        ("terms_effective:", "front matter 'terms_effective' is empty"),
        ("terms_effective: ''", "front matter 'terms_effective' is empty"),
        ("reviewed: 2026-04-31", "front matter 'reviewed': '2026-04-31' is not a date"),
    ],
)
def test_a_bad_front_matter_date_is_named_with_file_and_key(front_matter: str, problem: str) -> None:
    with pytest.raises(DateError) as error:
        front_matter_dates(f"---\ntitle: T\n{front_matter}\n---\n\n# T\n", "docs/sv/sweden.md")
    assert str(error.value).startswith("docs/sv/sweden.md: ") and problem in str(error.value)


def test_good_front_matter_dates_are_read() -> None:
    text = "---\ntitle: T\nterms_published: 2018-02-01T09:52:04+00:00\npublished_here: '2026-11-22'\n---\n"
    assert front_matter_dates(text, "x") == {"terms_published": date(2018, 2, 1), "published_here": date(2026, 11, 22)}


def test_a_second_pass_renders_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build checks a page's directives (naming its file) and later renders the merged text: each line
    with a directive is rendered once, and the second pass gives the same text from what the first kept."""
    import directives

    calls: list[str] = []
    real = directives.render_line
    monkeypatch.setattr(directives, "render_line", lambda line, context: calls.append(line) or real(line, context))
    text = "Minst {{ price custom-work.block_price }}.\n\n{{ price_table no }}\n\nUten priser."
    context, rendered = Context(BOOK, "nb", {}), {}
    first = render_text(text, context, rendered)
    assert calls == ["Minst {{ price custom-work.block_price }}.", "{{ price_table no }}"]
    assert render_text(text + "\n{{ price custom-work.block_price }}", context, rendered).startswith(first)
    assert calls[2:] == ["{{ price custom-work.block_price }}"]  # only the new line
    assert render_text(text, context) == first
