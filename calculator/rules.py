"""The pricing rules: everything the package knows about a rule, in one entry of ``RULES``.

A case of the tariff file names its rule (``rule = "per_started_block"``). The rule's entry says which
keys such a case has (validated by calculator.tariff), whether its price depends on time and on the
agreement's hourly rate, how it prices a time (``price``), and, for rules priced by time, what each
further hour costs in the long run (compare), where its price steps (chart) and the time a price
table's link fills in. The words that describe a rule on the price tables are the ``[rule]`` section of
messages.toml, keyed by the rule's name (``rule_text``). Adding a rule is one entry here, its words in
messages.toml, and (for a key no rule had before) a field of ``tariff.Case``.

The figures a text may name ({block_price}, …) are ``FIGURES``: the placeholders of the tariff file's
texts, the page directives' fields and the formatted values all come from that one list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from .formatting import format_number, format_price
from .money import prorate, to_cents
from .texts import compare_text, rule_text

if TYPE_CHECKING:
    from .tariff import Agreement, Case

__all__ = [
    "CASE_KEYS",
    "FIGURES",
    "RULES",
    "Figure",
    "LineItem",
    "Priced",
    "Rule",
    "figure_names",
    "figure_values",
    "tariff_label",
]


# --- Figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of the tariff file that texts name as ``{name}``.

    ``owner``: whose field holds it (a case, or an agreement's ``[[tariff]]`` entry); ``source``: that
    field (``notice_over_hours`` is ``notice_over_minutes`` written in hours); ``kind``: how it is written
    (an amount in the agreement's currency, whole minutes, or minutes written as hours).
    """

    name: str
    owner: Literal["case", "tariff"]
    kind: Literal["amount", "minutes", "hours"]
    source: str = ""

    @property
    def field(self) -> str:
        return self.source or self.name


FIGURES = (
    Figure("block_price", "case", "amount"),
    Figure("block_minutes", "case", "minutes"),
    Figure("ticket_price", "case", "amount"),
    Figure("ticket_minutes", "case", "minutes"),
    Figure("price", "case", "amount"),
    Figure("hourly_rate", "tariff", "amount"),
    Figure("notice_over_hours", "case", "hours", source="notice_over_minutes"),
)


def _present(case: Case | None, tariff: Agreement | None) -> list[tuple[Figure, object]]:
    found = []
    for figure in FIGURES:
        owner = case if figure.owner == "case" else tariff
        value = getattr(owner, figure.field, None) if owner is not None else None
        if value is not None:
            found.append((figure, value))
    return found


def figure_names(case: Case | None, tariff: Agreement | None) -> set[str]:
    """The placeholder names a case's texts (or an agreement's label) may use: the figures they have."""
    return {figure.name for figure, _ in _present(case, tariff)}


def figure_values(case: Case | None, tariff: Agreement | None, lang: str) -> dict[str, str]:
    """The figures of a case and agreement, formatted for the language, for {placeholders} (running text:
    whole amounts without decimals). A case's amounts need the agreement (its currency)."""
    values: dict[str, str] = {}
    for figure, value in _present(case, tariff):
        if figure.kind == "amount":
            if tariff is not None:
                values[figure.name] = format_price(value, tariff.currency, lang)
        elif figure.kind == "minutes":
            values[figure.name] = format_number(Decimal(value), lang)
        else:
            values[figure.name] = format_number(Decimal(value) / 60, lang)
    return values


def tariff_label(tariff: Agreement, lang: str) -> str:
    """An agreement's label in the language, its figures filled in ("Sweden – hourly rate SEK 796 (assumption)")."""
    return tariff.label[lang].format_map(figure_values(None, tariff, lang))


# --- What a rule's price is made of ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineItem:
    """What was counted: ``quantity`` units of ``unit`` at ``unit_price`` each.

    For time billed in proportion (an hourly rate × exact time), ``minutes`` is the exact time and
    ``quantity`` only those minutes in hours to two decimals: the amount is ``minutes`` / 60 ×
    ``unit_price`` rounded half-up to cents (money.prorate), so a reader is shown the time, not the
    rounded quantity, and the line adds up as shown.
    """

    unit: str  # "unit" or "quote_unit": which of the case's unit labels names it
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    minutes: Decimal | None = None  # set when the unit price is per hour of exact time


@dataclass(frozen=True, slots=True)
class Priced:
    """A rule's answer for one case and time: the line's status (engine.STATUSES), what was counted, the
    amount excl. VAT (None: price on request) and the ids of notes the time brings with it."""

    status: str
    items: tuple[LineItem, ...] = ()
    amount: Decimal | None = None
    notes: tuple[str, ...] = ()


# The keys a rule may give a case beyond the common ones, and how the tariff file writes each: a whole
# number of minutes, an amount string, a text per language, or the id of a note.
CASE_KEYS: dict[str, Literal["minutes", "amount", "labels", "note"]] = {
    "block_minutes": "minutes",
    "block_price": "amount",
    "notice_over_minutes": "minutes",
    "notice_note": "note",
    "ticket_minutes": "minutes",
    "ticket_price": "amount",
    "quote_unit": "labels",
    "quote_note": "note",
    "price": "amount",
    "unit": "labels",
}
Point = tuple[Decimal, Decimal]  # (minutes, amount)


@dataclass(frozen=True, slots=True)
class Rule:
    """One pricing rule.

    ``required`` and ``optional``: the case keys (CASE_KEYS) the rule needs and allows; optional keys come
    all together or not at all. ``uses_time``: the price depends on the case's time (the form asks for
    it). ``uses_hourly_rate``: the agreement must have an ``hourly_rate``. ``price(case, tariff, minutes)``
    prices a case (minutes is None when the rule does not use time). For rules priced by time:
    ``rate_per_hour`` (what each further hour adds in the long run), ``stepped`` (the price moves in steps
    rather than in proportion), ``corners(case, tariff, end)`` (the price function's corners from 0 to
    ``end`` minutes, for the chart), ``chart_words`` (the rule in words beside the chart) and
    ``example_minutes`` (the time a price table's link fills in).
    """

    name: str
    price: Callable[[Case, Agreement, Decimal | None], Priced]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    uses_time: bool = False
    uses_hourly_rate: bool = False
    stepped: bool = False
    rate_per_hour: Callable[[Case, Agreement], Decimal] | None = None
    corners: Callable[[Case, Agreement, int], list[Point]] | None = None
    chart_words: Callable[[Case, Agreement, str], str] | None = None
    example_minutes: Callable[[Case], int] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)

    def table_words(self, lang: str) -> str:
        """How the price tables describe the rule: a template with the case's figures and {unit}."""
        return rule_text(self.name, lang)


def _ceil_div(numerator: Decimal, denominator: int) -> int:
    """How many started blocks: any part of a block counts as a whole one."""
    whole, rest = divmod(numerator, denominator)
    return int(whole) + (1 if rest > 0 else 0)


# Steps smaller than this many to a chart are drawn through their corners (too small to see).
MAX_STEPS = 240


# free: nothing to pay (N1, S1, S2, S5).
def _price_free(case: Case, tariff: Agreement, minutes: Decimal | None) -> Priced:
    return Priced("free", (), Decimal("0.00"))


# price_on_request: the terms state no price (critical support, an assumption): no amount, never 0.00.
def _price_on_request(case: Case, tariff: Agreement, minutes: Decimal | None) -> Priced:
    return Priced("price_on_request")


# per_started_block: block_price for every started block of block_minutes (N2: per started hour; N8: per
# started 15 minutes); over notice_over_minutes the customer is told before work starts (N9).
def _price_per_started_block(case: Case, tariff: Agreement, minutes: Decimal) -> Priced:
    blocks = _ceil_div(minutes, case.block_minutes)
    amount = to_cents(case.block_price * blocks)
    item = LineItem("unit", Decimal(blocks), case.block_price, amount)
    over_notice = case.notice_over_minutes is not None and minutes > case.notice_over_minutes
    return Priced("estimate", (item,), amount, (case.notice_note,) if over_notice else ())


def _block_rate(case: Case, tariff: Agreement) -> Decimal:
    return case.block_price * 60 / case.block_minutes  # N8: 250 per started 15 minutes = 1 000 per hour


def _block_corners(case: Case, tariff: Agreement, end: int) -> list[Point]:
    size, price = case.block_minutes, case.block_price
    blocks = -(-end // size)
    if blocks > MAX_STEPS:
        return [(Decimal(0), price), (Decimal(blocks * size), price * blocks)]
    points = []
    for k in range(1, blocks + 1):
        points += [(Decimal((k - 1) * size), price * k), (Decimal(min(k * size, end)), price * k)]
    return points


def _block_words(case: Case, tariff: Agreement, lang: str) -> str:
    price = format_price(case.block_price, tariff.currency, lang)
    return compare_text("chart-rule-blocks", lang, price=price, unit=case.unit[lang])


# ticket_then_quote: one ticket up to ticket_minutes (S3); over it a quote comes first, and the amount is
# only indicative: time × hourly rate, but never less than the one ticket the case would cost anyway (the
# minimum charge holds; an assumption, stated in the case's quote_note).
def _price_ticket_then_quote(case: Case, tariff: Agreement, minutes: Decimal) -> Priced:
    if minutes <= case.ticket_minutes:
        item = LineItem("unit", Decimal(1), case.ticket_price, case.ticket_price)
        return Priced("estimate", (item,), case.ticket_price)
    indicative = prorate(minutes, tariff.hourly_rate)
    if indicative < case.ticket_price:
        item = LineItem("unit", Decimal(1), case.ticket_price, case.ticket_price)
    else:
        item = LineItem("quote_unit", to_cents(minutes / 60), tariff.hourly_rate, indicative, minutes)
    return Priced("quote_required", (item,), item.amount, (case.quote_note,))


def _ticket_corners(case: Case, tariff: Agreement, end: int) -> list[Point]:
    ticket, rate = case.ticket_price, tariff.hourly_rate
    meets = max(Decimal(case.ticket_minutes), ticket * 60 / rate)
    return [(Decimal(0), ticket), (meets, ticket), (Decimal(end), max(ticket, rate * end / 60))]


def _ticket_words(case: Case, tariff: Agreement, lang: str) -> str:
    return compare_text(
        "chart-rule-ticket",
        lang,
        price=format_price(case.ticket_price, tariff.currency, lang),
        minutes=str(case.ticket_minutes),
        rate=format_price(tariff.hourly_rate, tariff.currency, lang),
    )


# from_price: a starting price (S4), the amount shown is the least it costs.
def _price_from(case: Case, tariff: Agreement, minutes: Decimal | None) -> Priced:
    item = LineItem("unit", Decimal(1), case.price, case.price)
    return Priced("from_price", (item,), case.price)


# hourly: the agreement's hourly rate × the exact time (S6; exact time is an assumption, stated in a note).
def _price_hourly(case: Case, tariff: Agreement, minutes: Decimal) -> Priced:
    amount = prorate(minutes, tariff.hourly_rate)
    return Priced("estimate", (LineItem("unit", to_cents(minutes / 60), tariff.hourly_rate, amount, minutes),), amount)


def _hourly_corners(case: Case, tariff: Agreement, end: int) -> list[Point]:
    return [(Decimal(0), Decimal(0)), (Decimal(end), tariff.hourly_rate * end / 60)]


def _hourly_words(case: Case, tariff: Agreement, lang: str) -> str:
    return compare_text("chart-rule-hourly", lang, rate=format_price(tariff.hourly_rate, tariff.currency, lang))


def _agreement_rate(case: Case, tariff: Agreement) -> Decimal:
    return tariff.hourly_rate


# In the order the tariff file's comment lists them.
RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("free", _price_free),
        Rule(
            "per_started_block",
            _price_per_started_block,
            required=("block_minutes", "block_price", "unit"),
            optional=("notice_over_minutes", "notice_note"),
            uses_time=True,
            stepped=True,
            rate_per_hour=_block_rate,
            corners=_block_corners,
            chart_words=_block_words,
            example_minutes=lambda case: case.block_minutes,  # one block
        ),
        Rule(
            "ticket_then_quote",
            _price_ticket_then_quote,
            required=("ticket_minutes", "ticket_price", "unit", "quote_unit", "quote_note"),
            uses_time=True,
            uses_hourly_rate=True,
            stepped=True,
            rate_per_hour=_agreement_rate,  # over the ticket's time (S3, with the quote assumption)
            corners=_ticket_corners,
            chart_words=_ticket_words,
            example_minutes=lambda case: case.ticket_minutes,  # one ticket's time
        ),
        Rule("from_price", _price_from, required=("price", "unit")),
        Rule(
            "hourly",
            _price_hourly,
            required=("unit",),
            uses_time=True,
            uses_hourly_rate=True,
            rate_per_hour=_agreement_rate,
            corners=_hourly_corners,
            chart_words=_hourly_words,
            example_minutes=lambda case: 60,  # one hour
        ),
        Rule("price_on_request", _price_on_request),
    )
}
