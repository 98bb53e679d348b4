"""The pricing engine: pure functions from (tariff, case, minutes) to an estimate.

Results are language-neutral (codes and Decimals); calculator.report turns them into text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import (
    CalculatorInputError,
    CaseNotOffered,
    InvalidTime,
    MixedCurrencies,
    NoLines,
    TooManyLines,
    UnknownCase,
    UnknownTariff,
)
from .money import CENT, exact, prorate, to_cents, vat_of
from .tariff import Case, Tariff, TariffBook

__all__ = [
    "MAX_LINES",
    "STATUSES",
    "Estimate",
    "LineEstimate",
    "LineItem",
    "LineRequest",
    "NoteRef",
    "estimate",
    "price_line",
]

MAX_LINES = 20
# From least to most uncertain: an estimate of several lines takes the most uncertain status.
STATUSES = ("free", "estimate", "from_price", "quote_required", "price_on_request")
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class LineRequest:
    tariff: str
    case: str
    minutes: Decimal | None = None  # None for cases whose price does not depend on time


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
class NoteRef:
    code: str
    case: str | None = None  # whose figures fill the note's placeholders
    tariff: str | None = None


@dataclass(frozen=True, slots=True)
class LineEstimate:
    tariff: Tariff
    case: Case
    minutes: Decimal | None
    status: str
    items: tuple[LineItem, ...]
    amount_ex_vat: Decimal | None  # None: price on request
    notes: tuple[NoteRef, ...]


@dataclass(frozen=True, slots=True)
class Estimate:
    status: str
    currency: str
    lines: tuple[LineEstimate, ...]
    # None when no line has a price (only "price on request"): nothing without a price is 0.00.
    total_ex_vat: Decimal | None
    vat: Decimal | None
    total_inc_vat: Decimal | None
    notes: tuple[NoteRef, ...]

    @property
    def excludes_lines(self) -> bool:
        """Some lines have no price (on request), so the totals leave them out."""
        return self.total_ex_vat is not None and any(line.amount_ex_vat is None for line in self.lines)


def _ceil_div(numerator: Decimal, denominator: int) -> int:
    """How many started blocks: any part of a block counts as a whole one."""
    whole, rest = divmod(numerator, denominator)
    return int(whole) + (1 if rest > 0 else 0)


def _price_free(
    case: Case, tariff: Tariff, minutes: Decimal | None
) -> tuple[str, tuple[LineItem, ...], Decimal | None, tuple[str, ...]]:
    return "free", (), ZERO, ()


def _price_on_request(case: Case, tariff: Tariff, minutes: Decimal | None):
    return "price_on_request", (), None, ()


def _price_per_started_block(case: Case, tariff: Tariff, minutes: Decimal):
    blocks = _ceil_div(minutes, case.block_minutes)
    amount = to_cents(case.block_price * blocks)
    item = LineItem("unit", Decimal(blocks), case.block_price, amount)
    over_notice = case.notice_over_minutes is not None and minutes > case.notice_over_minutes
    return "estimate", (item,), amount, (case.notice_note,) if over_notice else ()


def _price_ticket_then_quote(case: Case, tariff: Tariff, minutes: Decimal):
    if minutes <= case.ticket_minutes:
        item = LineItem("unit", Decimal(1), case.ticket_price, case.ticket_price)
        return "estimate", (item,), case.ticket_price, ()
    # Over the ticket's time a quote comes first; the amount is only indicative: time × hourly rate,
    # but never less than the one ticket the case would cost anyway (the minimum charge holds).
    indicative = prorate(minutes, tariff.hourly_rate)
    if indicative < case.ticket_price:
        item = LineItem("unit", Decimal(1), case.ticket_price, case.ticket_price)
    else:
        item = LineItem("quote_unit", to_cents(minutes / 60), tariff.hourly_rate, indicative, minutes)
    return "quote_required", (item,), item.amount, (case.quote_note,)


def _price_from(case: Case, tariff: Tariff, minutes: Decimal | None):
    item = LineItem("unit", Decimal(1), case.price, case.price)
    return "from_price", (item,), case.price, ()


def _price_hourly(case: Case, tariff: Tariff, minutes: Decimal):
    amount = prorate(minutes, tariff.hourly_rate)
    item = LineItem("unit", to_cents(minutes / 60), tariff.hourly_rate, amount, minutes)
    return "estimate", (item,), amount, ()


_RULES = {
    "free": _price_free,
    "price_on_request": _price_on_request,
    "per_started_block": _price_per_started_block,
    "ticket_then_quote": _price_ticket_then_quote,
    "from_price": _price_from,
    "hourly": _price_hourly,
}


def resolve(book: TariffBook, tariff_id: str, case_id: str) -> tuple[Tariff, Case]:
    """The tariff and case behind two ids, or the typed error a reader should see."""
    tariff = book.tariffs.get(tariff_id)
    if tariff is None:
        raise UnknownTariff(str(tariff_id))
    case = book.cases.get(case_id)
    if case is None:
        raise UnknownCase(str(case_id))
    if tariff.id not in case.tariffs:
        raise CaseNotOffered(case.id, tariff.id)
    return tariff, case


@exact
def price_line(book: TariffBook, request: LineRequest) -> LineEstimate:
    tariff, case = resolve(book, request.tariff, request.case)
    minutes = request.minutes if case.uses_time else None
    if case.uses_time and minutes is None:
        raise InvalidTime("time-empty", "", "minutes")
    status, items, amount, extra_notes = _RULES[case.rule](case, tariff, minutes)
    notes = tuple(NoteRef(code, case.id, tariff.id) for code in (*case.notes, *extra_notes))
    return LineEstimate(tariff, case, minutes, status, items, amount, notes)


def _combined_status(lines: Sequence[LineEstimate]) -> str:
    return max((line.status for line in lines), key=STATUSES.index)


def _vat(lines: Sequence[LineEstimate]) -> Decimal:
    """VAT per rate on the sum of the lines at that rate, each rounded half-up to cents."""
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.amount_ex_vat is not None:
            rate = line.tariff.vat_rate
            by_rate[rate] = by_rate.get(rate, ZERO) + line.amount_ex_vat
    return sum((vat_of(amount, rate) for rate, amount in by_rate.items()), ZERO)


def _estimate_notes(lines: Sequence[LineEstimate]) -> tuple[NoteRef, ...]:
    notes: list[NoteRef] = []
    for line in lines:
        for note in line.notes:
            if note.code not in [n.code for n in notes]:
                notes.append(note)
    statuses = {line.status for line in lines}
    if "price_on_request" in statuses and len(lines) > 1:
        notes.append(NoteRef("price-on-request-not-in-total"))
    if "from_price" in statuses and len(lines) > 1:
        notes.append(NoteRef("from-price-is-minimum"))
    return tuple(notes)


@exact
def combine(lines: Sequence[LineEstimate]) -> Estimate:
    """One estimate from priced lines of one currency."""
    if not lines:
        raise NoLines()
    currencies = sorted({line.tariff.currency for line in lines})
    if len(currencies) > 1:
        raise MixedCurrencies("/".join(currencies))
    priced = [line.amount_ex_vat for line in lines if line.amount_ex_vat is not None]
    total = to_cents(sum(priced, ZERO)) if priced else None
    vat = _vat(lines) if priced else None
    return Estimate(
        status=_combined_status(lines),
        currency=currencies[0],
        lines=tuple(lines),
        total_ex_vat=total,
        vat=vat,
        total_inc_vat=None if total is None else (total + vat).quantize(CENT),
        notes=_estimate_notes(lines),
    )


@exact
def estimate(book: TariffBook, requests: Sequence[LineRequest]) -> Estimate:
    """Price every line and total them; the first bad line raises its typed error."""
    if len(requests) > MAX_LINES:
        raise TooManyLines(len(requests), MAX_LINES)
    lines = []
    for index, request in enumerate(requests):
        try:
            lines.append(price_line(book, request))
        except CalculatorInputError as error:
            raise error.at_line(index) from None
    return combine(lines)
