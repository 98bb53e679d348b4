"""Prices, minutes, price tables and dates in page Markdown, rendered from the tariff file at build time.

A page never holds a typed amount: it names a figure of calculator/tariff.toml and this hook writes
it in the page's language (the page's folder: docs/sv/... is Swedish), through the calculator's own
formatting (running text: whole amounts without decimals). Change a price in the tariff file and every
page follows on the next build.

    {{ price <case>.<field> }}          block_price, ticket_price or price   → "1 250 kr" (nb)
    {{ price <tariff>.hourly_rate }}                                         → "SEK 796" (en)
    {{ minutes <case>.<field> }}        block_minutes, ticket_minutes or notice_over_minutes → "15"
    {{ price_range <id>.<field> <id>.<field> }}   two amounts of one currency → "796–995 kr" (sv)
    {{ price_for <case> <minutes> }}   what the calculator charges for that time (a worked example) → "2 500 kr"
    {{ price_table <market> }}          on a line of its own: every case of market `no` or `se` as a table
    {{ price_chart <comparison> }}      on a line of its own: a [[comparison]]'s price against time, as SVG
                                        (case; price and conditions in words, after the agreements where they differ)
    {{ vat_rate <market> }}             the VAT rate of market `no` or `se`     → "25 %" (nb, sv), "25%" (en)
    {{ market_email <market> }}         the e-mail address a market takes cases at (its [[market]] entry)
    {{ terms_effective }}               the page's front-matter `terms_effective` date → "1. februar 2018"

Directives work in pages and in the snippets they include (they are rendered after markdown-include).
Anything else between double braces, a directive missing a brace, an unknown id or a field the case does
not have fails the build with a message naming the file and the directive.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from includes import page_includes
from languages import page_language
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from calculator import LineRequest, TariffFileError, format_number, load_tariff, price_line
from calculator.chart import price_chart
from calculator.errors import CalculatorInputError
from calculator.formatting import format_amount, format_percent, format_price
from calculator.money import to_cents
from calculator.report import tariff_label
from calculator.rules import FIGURES, RULES, figure_values
from calculator.tariff import Agreement, Case, TariffBook, placeholders
from sitebuild.query_format import query_string
from sitebuild.site_words import format_date, site_word

DIRECTIVE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
# Every directive, as the module's docstring lists them (the unknown-directive message names them).
DIRECTIVE_NAMES = (
    "price", "minutes", "price_range", "price_for", "price_table", "price_chart", "vat_rate", "market_email",
    "terms_effective",
)  # fmt: skip
# Directives whose output comes from the tariff file (a page using one changes when the file does).
TARIFF_DIRECTIVES = frozenset(DIRECTIVE_NAMES) - {"terms_effective"}
# The fields {{ price }} and {{ minutes }} may name: the tariff file's figures (calculator.rules.FIGURES).
CASE_AMOUNTS = tuple(figure.field for figure in FIGURES if figure.owner == "case" and figure.kind == "amount")
TARIFF_AMOUNTS = tuple(figure.field for figure in FIGURES if figure.owner == "tariff" and figure.kind == "amount")
CASE_MINUTES = tuple(figure.field for figure in FIGURES if figure.owner == "case" and figure.kind != "amount")
TARIFF_FILE = Path("calculator") / "tariff.toml"  # beside mkdocs.yml
RANGE_DASH = "–"  # CLDR's range pattern "{0}–{1}" in nb, sv and en


class DirectiveError(Exception):
    """A directive that cannot be rendered; the hook adds the file's name."""


@dataclass(frozen=True, slots=True)
class Context:
    book: TariffBook
    lang: str
    meta: Mapping[str, Any]


# --- Figures ------------------------------------------------------------------------------------


def _split(ref: str) -> tuple[str, str]:
    ident, dot, field = ref.rpartition(".")
    if not dot or not ident or not field:
        raise DirectiveError(f"'{ref}' is not <id>.<field>")
    return ident, field


def _field(owner: str, field: str, allowed: tuple[str, ...], value: Any) -> Any:
    if field not in allowed:
        raise DirectiveError(f"{owner} has no field '{field}' here (use {', '.join(allowed)})")
    if value is None:
        raise DirectiveError(f"{owner} has no {field} in the tariff file")
    return value


def _case_currency(book: TariffBook, case: Case) -> str:
    return book.tariffs[case.tariffs[0]].currency  # the tariff file keeps one currency per case


def amount_of(book: TariffBook, ref: str) -> tuple[Decimal, str]:
    """The amount and currency that `<id>.<field>` names."""
    ident, field = _split(ref)
    if ident in book.cases:
        case = book.cases[ident]
        value = getattr(case, field, None) if field in CASE_AMOUNTS else None
        return _field(f"case '{ident}'", field, CASE_AMOUNTS, value), _case_currency(book, case)
    if ident in book.tariffs:
        tariff = book.tariffs[ident]
        value = getattr(tariff, field, None) if field in TARIFF_AMOUNTS else None
        return _field(f"tariff '{ident}'", field, TARIFF_AMOUNTS, value), tariff.currency
    raise DirectiveError(f"unknown case or tariff '{ident}'")


def minutes_of(book: TariffBook, ref: str) -> int:
    ident, field = _split(ref)
    if ident not in book.cases:
        raise DirectiveError(f"unknown case '{ident}'")
    value = getattr(book.cases[ident], field, None) if field in CASE_MINUTES else None
    return _field(f"case '{ident}'", field, CASE_MINUTES, value)


def _number(amount: Decimal, lang: str, *, cents: bool) -> str:
    return format_number(to_cents(amount) if cents else Decimal(int(to_cents(amount))), lang)


def format_range(first: Decimal, second: Decimal, currency: str, lang: str) -> str:
    """Two amounts as one range, low to high, with the currency written once where the language puts it."""
    low, high = sorted((first, second))
    if low == high:
        return format_price(low, currency, lang)
    cents = any(to_cents(amount) % 1 for amount in (low, high))  # both ends alike: "796–995", "795,50–995,00"
    high_text = (format_amount if cents else format_price)(high, currency, lang)
    high_number = _number(high, lang, cents=cents)
    before, found, after = high_text.partition(high_number)
    if not found:  # the calculator changed how it writes amounts: fall back to two whole amounts
        return f"{format_price(low, currency, lang)}{RANGE_DASH}{high_text}"
    return f"{before}{_number(low, lang, cents=cents)}{RANGE_DASH}{high_number}{after}"


def price_for(book: TariffBook, case_id: str, minutes: str, lang: str) -> str:
    """The amount the calculator's engine gives a case for a time in minutes, under the case's first tariff."""
    if case_id not in book.cases:
        raise DirectiveError(f"unknown case '{case_id}'")
    case = book.cases[case_id]
    if not (minutes.isascii() and minutes.isdigit() and int(minutes) > 0) or not case.uses_time:
        wanted = "a case priced by time and whole minutes above 0"
        raise DirectiveError(f"price_for takes {wanted}, not '{case_id} {minutes}'")
    try:
        line = price_line(book, LineRequest(case.tariffs[0], case.id, Decimal(minutes)))
    except CalculatorInputError as error:
        raise DirectiveError(f"the calculator refuses '{case_id} {minutes}': {error}") from None
    if line.amount_ex_vat is None:
        raise DirectiveError(f"case '{case_id}' has no amount for {minutes} minutes")
    return format_price(line.amount_ex_vat, line.tariff.currency, lang)


def market_tariffs(book: TariffBook, market: str) -> list[Agreement]:
    tariffs = [tariff for tariff in book.tariffs.values() if tariff.market == market]
    if not tariffs:
        markets = sorted({tariff.market for tariff in book.tariffs.values()})
        raise DirectiveError(f"unknown market '{market}' (the tariff file has: {', '.join(markets)})")
    return tariffs


def vat_rate(book: TariffBook, market: str, lang: str) -> str:
    """A market's VAT rate as the language writes a percentage."""
    rates = sorted({tariff.vat_rate for tariff in market_tariffs(book, market)})
    if len(rates) > 1:
        raise DirectiveError(
            f"the tariffs of market '{market}' have different VAT rates ({', '.join(map(str, rates))})"
        )
    return format_percent(rates[0], lang)  # CLDR's percent pattern (calculator.formatting, checked against Babel)


def effective_date(meta: Mapping[str, Any]) -> date | None:
    """The page's `terms_effective` front-matter date, if it has one."""
    value = meta.get("terms_effective")
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DirectiveError(
            f"terms_effective '{value}' in the front matter is not a date such as 2018-02-01"
        ) from None


# --- The price table ----------------------------------------------------------------------------


# What Markdown or HTML would read as syntax inside a table cell (emphasis, code, links, raw HTML,
# entities, the cell separator, attribute lists): written as character references, so a label or note
# is shown as the text it is, never as markup or script.
_CELL_SYNTAX = re.compile(r"[\\`*_\[\]<>&|{}]")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def cell_text(text: str) -> str:
    """A text as one literal Markdown table cell: one line, every syntax character a character reference.

    >>> cell_text("<script>alert(1)</script> *x* | [y](z)")
    '&#60;script&#62;alert(1)&#60;/script&#62; &#42;x&#42; &#124; &#91;y&#93;(z)'
    """
    return _CELL_SYNTAX.sub(lambda found: f"&#{ord(found.group(0))};", _LINE_BREAKS.sub(" ", text))


def _cell(text: str) -> str:
    return cell_text(text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def price_words(book: TariffBook, case: Case, tariffs: list[Agreement], lang: str) -> str:
    """How a case is priced, in words with the tariff file's figures, for the agreements listed.

    The rule's words, then the conditions that change how the case is handled (told first, a quote
    first), then the case's notes that state no price of their own (what is included, exceptions,
    assumptions): the notes with a price say again what the rule's words already say.
    """
    values = figure_values(case, tariffs[0], lang)
    if case.unit is not None:
        values["unit"] = case.unit[lang]
    rates = sorted({tariff.hourly_rate for tariff in tariffs if tariff.hourly_rate is not None})
    if len(rates) > 1:
        values["hourly_rate"] = format_range(rates[0], rates[-1], tariffs[0].currency, lang)
    conditions = [book.notes[note].text[lang] for note in case.rule_notes]
    prices = {figure.name for figure in FIGURES if figure.kind == "amount"}
    notes = [book.notes[note].text[lang] for note in case.notes]
    rule_words = RULES[case.rule].table_words(lang)
    templates = [rule_words, *conditions, *(n for n in notes if not placeholders(n) & prices)]
    if len(rates) > 1 and any("hourly_rate" in placeholders(template) for template in templates):
        templates.append(site_word("rate-depends-on-agreement", lang))
    sentences = [template.format_map(values) for template in templates]
    if len(sentences) > 1:
        sentences[0] += "."
    return " ".join(sentences)


def price_table(book: TariffBook, market: str, lang: str) -> list[str]:
    """A Markdown table of every case a market's tariffs offer: the case, and its price in words.

    Two columns, so the table fits a phone: where a market's agreements differ, the price cell names
    the agreements first ("Norge – serviceavtale: Minst 250 kr ...").
    """
    tariffs = market_tariffs(book, market)
    ids = [tariff.id for tariff in tariffs]
    cases = [case for case in book.cases.values() if set(ids) & set(case.tariffs)]
    varies = any(not set(ids) <= set(case.tariffs) for case in cases)
    lines = [_row([site_word("table.case", lang), site_word("table.price", lang)]), _row(["---"] * 2)]
    for case in cases:
        offered = [book.tariffs[tariff_id] for tariff_id in ids if tariff_id in case.tariffs]
        price = price_words(book, case, offered, lang)
        if varies:
            every = len(offered) == len(ids)
            agreements = (
                site_word("table.all-agreements", lang) if every else "; ".join(tariff_label(t, lang) for t in offered)
            )
            price = f"{agreements}: {price}"
        lines.append(_row([case.label[lang], price]))
    return lines


def calculator_links(book: TariffBook, market: str, lang: str) -> str:
    """The paragraph under a price table (issue 17): each time-priced case of the table, as a link to the
    calculator pre-filled with it. Out of the table, whose cells are text only."""
    tariffs = market_tariffs(book, market)
    ids = [tariff.id for tariff in tariffs]
    links = [
        calculator_link(case, book.tariffs[next(t for t in ids if t in case.tariffs)], lang)
        for case in book.cases.values()
        if case.uses_time and set(ids) & set(case.tariffs)
    ]
    return f"{cell_text(site_word('table.calculate', lang))}: " + " · ".join(links)


def example_minutes(case: Case) -> str:
    """The time a price table's link fills in for a case (its rule's ``example_minutes``: one block, one
    ticket's time or one hour); none for a case not priced by time."""
    example = RULES[case.rule].example_minutes
    return "" if example is None else str(example(case))


def calculator_link(case: Case, tariff: Agreement, lang: str) -> str:
    """A Markdown link, named by the case, to the calculator (calculator.md beside the page) pre-filled with it.

    The query is the calculator's own (tariff, case, minutes), so the link is what the page would write.
    """
    query = query_string([{"tariff": tariff.id, "case": case.id, "minutes": example_minutes(case)}])
    return f"[{cell_text(case.label[lang])}](calculator.md?{query})"


# --- Rendering ----------------------------------------------------------------------------------


def market_email(book: TariffBook, market_id: str) -> str:
    """A market's case address (``[[market]] email`` of the tariff file) as a Markdown mailto link."""
    market = book.markets.get(market_id)
    if market is None:
        raise DirectiveError(f"unknown market {market_id!r} (the tariff file has: {', '.join(sorted(book.markets))})")
    if market.email is None:
        raise DirectiveError(f"market {market_id!r} takes cases on the website, it has no e-mail address")
    return f"[{market.email}](mailto:{market.email})"


def _arguments(name: str, args: list[str], count: int) -> list[str]:
    if len(args) != count:
        raise DirectiveError(f"{name} takes {count} argument{'s' if count != 1 else ''}, not {len(args)}")
    return args


def render_inline(body: str, context: Context) -> str:
    name, *args = body.split() or [""]
    book, lang = context.book, context.lang
    if name == "price":
        amount, currency = amount_of(book, *_arguments(name, args, 1))
        return format_price(amount, currency, lang)
    if name == "minutes":
        return format_number(Decimal(minutes_of(book, *_arguments(name, args, 1))), lang)
    if name == "price_range":
        (first, first_currency), (second, second_currency) = (amount_of(book, ref) for ref in _arguments(name, args, 2))
        if first_currency != second_currency:
            raise DirectiveError(f"a range needs one currency, not {first_currency} and {second_currency}")
        return format_range(first, second, first_currency, lang)
    if name == "price_for":
        return price_for(book, *_arguments(name, args, 2), lang)
    if name == "vat_rate":
        return vat_rate(book, *_arguments(name, args, 1), lang)
    if name == "market_email":
        return market_email(book, *_arguments(name, args, 1))
    if name == "terms_effective":
        _arguments(name, args, 0)
        day = effective_date(context.meta)
        if day is None:
            raise DirectiveError("the page has no terms_effective date in its front matter")
        return format_date(day, lang)
    if name in ("price_table", "price_chart"):
        raise DirectiveError(f"{name} must stand on a line of its own")
    raise DirectiveError(f"unknown directive (use {', '.join(DIRECTIVE_NAMES[:-1])} or {DIRECTIVE_NAMES[-1]})")


def price_chart_block(book: TariffBook, comparison_id: str, lang: str) -> str:
    """A comparison's chart of price against time (calculator.chart) as one raw HTML block, its words under it."""
    comparison = next((c for c in book.comparisons if c.id == comparison_id), None)
    if comparison is None:
        known = ", ".join(c.id for c in book.comparisons)
        raise DirectiveError(f"unknown comparison '{comparison_id}' (calculator/tariff.toml has: {known})")
    chart = price_chart(book, comparison, lang, None, f"chart-{comparison.id}")
    return (
        f'<div class="tc-chart__figure" data-chart="{html.escape(comparison.id)}">{chart["svg"]}'
        f'<p class="tc-chart__text">{html.escape(chart["text"])}</p></div>'
    )


def render_line(line: str, context: Context) -> list[str]:
    """One Markdown line with its directives rendered; a price table or chart becomes a block of its own."""
    match = DIRECTIVE.fullmatch(line.strip())
    if match and match.group(1).split()[:1] == ["price_chart"]:
        block = price_chart_block(context.book, *_arguments("price_chart", match.group(1).split()[1:], 1), context.lang)
        return ["", block, ""]
    if match and match.group(1).split()[:1] == ["price_table"]:
        indent = line[: len(line) - len(line.lstrip())]
        market = _arguments("price_table", match.group(1).split()[1:], 1)[0]
        table = price_table(context.book, market, context.lang)
        links = calculator_links(context.book, market, context.lang)
        return ["", *(indent + row for row in table), "", indent + links, ""]

    def replace(found: re.Match[str]) -> str:
        try:
            return render_inline(found.group(1), context)
        except DirectiveError as error:
            raise DirectiveError(f"{found.group(0)}: {error}") from None

    out = DIRECTIVE.sub(replace, line)
    if "{{" in out or "}}" in out:  # a brace missing: the text would reach the reader as it was typed
        raise DirectiveError(f"{line.strip()}: a directive needs both braces on each side: {{{{ name arguments }}}}")
    return [out]


def render_text(text: str, context: Context, rendered: dict[str, list[str]] | None = None) -> str:
    """The text with every directive rendered. ``rendered`` (line → its rendering in this context) is read
    and filled, so a second pass over the same lines renders nothing again."""
    lines: list[str] = []
    for line in text.split("\n"):
        if rendered is not None and line in rendered:
            lines += rendered[line]
            continue
        try:
            out = render_line(line, context) if "{{" in line or "}}" in line else [line]
        except DirectiveError as error:
            message = str(error)
            raise DirectiveError(message if message.startswith("{{") else f"{line.strip()}: {message}") from None
        if rendered is not None:
            rendered[line] = out
        lines += out
    return "\n".join(lines)


# --- MkDocs -------------------------------------------------------------------------------------

# The book of this build, and the page being rendered (MkDocs renders one page at a time) with its lines
# rendered so far: on_page_markdown renders each line of the page and its snippets once, naming the file of a
# mistake, and the preprocessor reuses those renderings for the merged text.
_state: dict[str, Any] = {"book": None, "book_key": None, "context": None, "rendered": {}}


class _DirectivePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        context: Context | None = _state["context"]
        text = "\n".join(lines)
        if context is None:
            if DIRECTIVE.search(text):
                raise PluginError(f"A directive outside a page: {DIRECTIVE.search(text).group(0)}")
            return lines
        try:
            return render_text(text, context, _state["rendered"]).split("\n")
        except DirectiveError as error:  # pragma: no cover - on_page_markdown has checked every file
            raise PluginError(str(error)) from None


class DirectiveExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After markdown-include (101), so directives in snippets are rendered too.
        md.preprocessors.register(_DirectivePreprocessor(md), "tariff_directives", 100)


def load_book(config: MkDocsConfig) -> TariffBook:
    """The tariff file beside mkdocs.yml, read once per change (static-i18n runs one build per language)."""
    path = Path(config.config_file_path).resolve().parent / TARIFF_FILE
    key = (path, path.stat().st_mtime_ns if path.exists() else None)
    if _state.get("book_key") != key:
        try:
            _state["book"], _state["book_key"] = load_tariff(path), key
        except TariffFileError as error:
            raise PluginError(str(error)) from None
    return _state["book"]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    load_book(config)
    if not any(isinstance(extension, DirectiveExtension) for extension in config.markdown_extensions):
        config.markdown_extensions.append(DirectiveExtension())
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Render every directive of the page and its snippets, naming the file of a mistake, before Markdown runs.

    The renderings are kept: the preprocessor puts them in place after markdown-include has merged the
    snippets in (when the file a line came from is no longer known), without rendering anything twice.
    """
    context = Context(_state["book"], page_language(page, config), page.meta)
    root = Path(config.config_file_path).resolve().parent
    sources = [(f"docs/{page.file.src_uri}", markdown)]
    for path in page_includes(markdown, page, config):
        sources.append(
            (f"{path.relative_to(root).as_posix()} (included by docs/{page.file.src_uri})", path.read_text("utf-8"))
        )
    rendered: dict[str, list[str]] = {}
    for name, text in sources:
        try:
            render_text(text, context, rendered)
        except DirectiveError as error:
            raise PluginError(f"{name}: {error}") from None
    _state["context"], _state["rendered"] = context, rendered
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    _state["context"], _state["rendered"] = None, {}
    return html
