"""The pricing engine: pure functions from (agreement, case, minutes) to an estimate.

Each case is priced by its rule (calculator.rules.RULES); lines are combined into one estimate with
totals and VAT. Results are language-neutral (codes and Decimals); calculator.report turns them into text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import (
    CaseNotOffered,
    InvalidTime,
    MixedCurrencies,
    NoLines,
    UnknownCase,
    UnknownTariff,
)
from .money import CENT, exact, to_cents, vat_of
from .rules import RULES, LineItem, tariff_label
from .tariff import Agreement, Case, TariffBook

__all__ = [
    "MAX_LINES",
    "STATUSES",
    "Estimate",
    "LineEstimate",
    "LineItem",
    "LineRequest",
    "NoteRef",
    "price_line",
    "price_resolved",
    "resolve",
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
class NoteRef:
    code: str
    case: str | None = None  # whose figures fill the note's placeholders
    tariff: str | None = None


@dataclass(frozen=True, slots=True)
class LineEstimate:
    tariff: Agreement
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


def resolve(book: TariffBook, tariff_id: str, case_id: str, lang: str | None = None) -> tuple[Agreement, Case]:
    """The agreement and case behind two ids, or the typed error a reader should see (naming the case and
    agreement by their labels in ``lang`` when given, else by their ids)."""
    tariff = book.tariffs.get(tariff_id)
    if tariff is None:
        raise UnknownTariff(str(tariff_id))
    case = book.cases.get(case_id)
    if case is None:
        raise UnknownCase(str(case_id))
    if tariff.id not in case.tariffs:
        if lang is None:
            raise CaseNotOffered(case.id, tariff.id)
        raise CaseNotOffered(case.id, tariff.id, case.label[lang], tariff_label(tariff, lang))
    return tariff, case


@exact
def price_line(book: TariffBook, request: LineRequest) -> LineEstimate:
    """One line priced: the typed error of resolve for unknown ids, InvalidTime for a missing time."""
    tariff, case = resolve(book, request.tariff, request.case)
    return price_resolved(tariff, case, request.minutes)


@exact
def price_resolved(tariff: Agreement, case: Case, minutes: Decimal | None) -> LineEstimate:
    """A case of an agreement that offers it, priced by its rule (rules.RULES) for ``minutes``."""
    rule = RULES[case.rule]
    minutes = minutes if rule.uses_time else None
    if rule.uses_time and minutes is None:
        raise InvalidTime("time-empty", "", "minutes")
    priced = rule.price(case, tariff, minutes)
    notes = tuple(NoteRef(code, case.id, tariff.id) for code in (*case.notes, *priced.notes))
    return LineEstimate(tariff, case, minutes, priced.status, priced.items, priced.amount, notes)


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
