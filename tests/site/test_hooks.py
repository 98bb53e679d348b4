"""The build hooks' own rules, without a build: directives, price tables, dates, last-changed dates."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date as babel_format_date
from babel.numbers import format_percent
from directives import Context, DirectiveError, format_range, price_table, render_text, vat_rate
from languages import missing_translations
from site_words import WORDS, format_date
from sitecheck import ROOT
from terms_dates import last_changed

from calculator import parse_tariff

pytestmark = pytest.mark.site

TARIFF_TEXT = (ROOT / "calculator" / "tariff.toml").read_text("utf-8")
BOOK = parse_tariff(TARIFF_TEXT)
NBSP = "\u00a0"


def render(text: str, lang: str, book=BOOK, **meta) -> str:
    return render_text(text, Context(book, lang, meta)).replace(NBSP, " ")


@pytest.mark.parametrize(
    ("directive", "lang", "expected"),
    [
        ("{{ price custom-work.block_price }}", "nb", "1 250,00 kr"),
        ("{{ price custom-work.block_price }}", "sv", "1 250,00 Nkr"),
        ("{{ price custom-work.block_price }}", "en", "NOK 1,250.00"),
        ("{{ price third-party-ticket.ticket_price }}", "nb", "395,00 SEK"),
        ("{{ price third-party-ticket.ticket_price }}", "sv", "395,00 kr"),
        ("{{ price module-install.price }}", "en", "SEK 795.00"),
        ("{{ price se-higher-rate.hourly_rate }}", "en", "SEK 995.00"),
        ("{{ minutes service-case.block_minutes }}", "nb", "15"),
        ("{{ minutes service-case.notice_over_minutes }}", "en", "180"),
        ("{{ price_range se-lower-rate.hourly_rate se-higher-rate.hourly_rate }}", "nb", "796,00–995,00 SEK"),
        ("{{ price_range se-higher-rate.hourly_rate se-lower-rate.hourly_rate }}", "sv", "796,00–995,00 kr"),
        ("{{ price_range se-lower-rate.hourly_rate se-higher-rate.hourly_rate }}", "en", "SEK 796.00–995.00"),
        ("{{ vat_rate no }}", "nb", "25 %"),
        ("{{ vat_rate se }}", "sv", "25 %"),
        ("{{ vat_rate se }}", "en", "25%"),
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
    assert render("{{ price third-party-ticket.ticket_price }}", "sv", changed) == "410,00 kr"
    table = "\n".join(price_table(changed, "se", "en"))
    assert "SEK 410.00 per ticket" in table.replace(NBSP, " ") and "395" not in table


def test_a_range_of_one_amount_is_that_amount() -> None:
    assert format_range(Decimal("250"), Decimal("250.00"), "NOK", "en") == f"NOK{NBSP}250.00"


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
        ("{{ vat_rate fi }}", "unknown market 'fi' (the tariff file has: no, se)"),
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


def test_price_table_words_come_from_the_calculator() -> None:
    """Statuses are the calculator's own (messages.toml), found by pricing each case around its limits."""
    rows = {row.split(" | ")[0].lstrip("| "): row for row in price_table(BOOK, "se", "nb")}
    assert rows[BOOK.cases["third-party-ticket"].label["nb"]].endswith("| Anslag / Kostnadsforslag først |")
    assert rows[BOOK.cases["module-install"].label["nb"]].replace(NBSP, " ").endswith("| Fra 795,00 SEK | Fra-pris |")
    development = rows[BOOK.cases["development"].label["nb"]].replace(NBSP, " ")
    assert "796,00–995,00 SEK per time. Timeprisen avhenger av avtalen." in development


def test_a_table_keeps_the_indentation_of_its_line() -> None:
    lines = render("!!! note\n    {{ price_table no }}", "en").split("\n")
    assert lines[0] == "!!! note" and all(line == "" or line.startswith("    | ") for line in lines[1:])


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


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_last_changed_is_the_newest_commit_or_pending_change(tmp_path: Path) -> None:
    page, snippet = tmp_path / "page.md", tmp_path / "snippet.md"
    page.write_text("page")
    snippet.write_text("snippet")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "page.md")
    _git(tmp_path, "commit", "-qm", "page", when="2020-05-01T12:00:00+00:00")
    _git(tmp_path, "add", "snippet.md")
    _git(tmp_path, "commit", "-qm", "snippet", when="2021-06-02T12:00:00+00:00")
    assert last_changed(tmp_path, (page,)) == date(2020, 5, 1)
    assert last_changed(tmp_path, (page, snippet)) == date(2021, 6, 2)
    page.write_text("page, edited")  # not committed yet: counts from its modification time
    os.utime(page, (1656849600, 1656849600))  # 2022-07-03 12:00 UTC
    assert last_changed(tmp_path, (page, snippet)) == date.fromtimestamp(1656849600)


def test_last_changed_outside_git_is_the_modification_time(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("page")
    os.utime(page, (1656849600, 1656849600))
    assert last_changed(tmp_path, (page,)) == date.fromtimestamp(1656849600)
