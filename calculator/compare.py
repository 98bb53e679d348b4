"""Compare agreements: the same work priced under each agreement of a market that offers a comparable case.

Which cases are comparable is data: the tariff file's ``[[comparison]]`` entries, each naming its
assumption (a note). This module prices a line under every option of its comparison for the same time,
states the difference, and works out from the rules, not from a table, whether the difference grows as
the time grows: each time-priced rule has a long-run price per hour of work (``rate_per_hour``); when
the options' rates differ, so does the price of every further hour.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .chart import price_chart
from .engine import LineEstimate, LineRequest, NoteRef, price_line
from .formatting import format_amount, format_price
from .money import exact, to_cents
from .report import decimal_string, note_text, tariff_label
from .rules import RULES
from .tariff import COMPARE_NOTE, Agreement, Case, Comparison, TariffBook
from .texts import compare_text, status_text
from .timeinput import format_duration

if TYPE_CHECKING:  # the written shape (responses.py) is for readers and tests, not the browser's import
    from .responses import ComparisonData

__all__ = ["OTHER_FEES_NOTE", "compare_lines", "comparison_for", "rate_per_hour"]

# Shown with every comparison: the terms list prices for work, not everything an agreement may cost.
OTHER_FEES_NOTE = COMPARE_NOTE


def comparison_for(book: TariffBook, tariff_id: str, case_id: str) -> Comparison | None:
    """The tariff file's comparison that lists this (tariff, case) pair, or None."""
    for comparison in book.comparisons:
        if (tariff_id, case_id) in comparison.options:
            return comparison
    return None


@exact
def rate_per_hour(case: Case, tariff: Agreement) -> Decimal:
    """What each further hour of work adds in the long run (Decimal, currency units): the case's rule's
    ``rate_per_hour`` (rules.RULES). Raises ValueError for a rule not priced by time."""
    rate = RULES[case.rule].rate_per_hour
    if rate is None:
        raise ValueError(f"case '{case.id}' is not priced by time")
    return rate(case, tariff)


def _option(book: TariffBook, line: LineEstimate, tariff_id: str, case_id: str, lang: str) -> dict[str, Any]:
    priced = price_line(book, LineRequest(tariff_id, case_id, line.minutes))
    currency = priced.tariff.currency
    return {
        "tariff": tariff_id,
        "tariff_label": tariff_label(priced.tariff, lang),
        "case": case_id,
        "case_label": priced.case.label[lang],
        "status": priced.status,
        "status_text": status_text(priced.status, lang),
        "amount_ex_vat": decimal_string(priced.amount_ex_vat),
        "amount_text": format_amount(priced.amount_ex_vat, currency, lang),
        "rate_per_hour": decimal_string(to_cents(rate_per_hour(priced.case, priced.tariff))),
        "current": (tariff_id, case_id) == (line.tariff.id, line.case.id),
        "_amount": priced.amount_ex_vat,
        "_rate": rate_per_hour(priced.case, priced.tariff),
    }


@exact
def _compare_line(book: TariffBook, line: LineEstimate, index: int, lang: str) -> ComparisonData | None:
    comparison = comparison_for(book, line.tariff.id, line.case.id)
    if comparison is None or line.minutes is None:
        return None
    currency = line.tariff.currency
    options = [_option(book, line, tariff_id, case_id, lang) for tariff_id, case_id in comparison.options]
    amounts = [option["_amount"] for option in options]
    low, high = min(amounts), max(amounts)
    time_text = format_duration(line.minutes, lang)
    cheapest = [option for option in options if option["_amount"] == low]
    dearest = [option for option in options if option["_amount"] == high]
    for option in options:
        option["cheapest"] = option["_amount"] == low and low != high
    if low == high:
        summary = compare_text("same-price", lang, time=time_text)
    else:
        summary = compare_text(
            "cheapest",
            lang,
            time=time_text,
            cheaper=cheapest[0]["tariff_label"],
            dearer=dearest[0]["tariff_label"],
            difference=format_amount(high - low, currency, lang),
        )
    rates = [option["_rate"] for option in options]
    stepped = any(RULES[book.cases[case_id].rule].stepped for _, case_id in comparison.options)
    if min(rates) == max(rates):
        trend, trend_text = "same", compare_text("trend-same", lang)
    else:
        trend = "grows-in-steps" if stepped else "grows"
        long_run = next(option for option in options if option["_rate"] == min(rates))
        trend_text = compare_text(
            f"trend-{trend}",
            lang,
            rate=format_price(max(rates) - min(rates), currency, lang),
            cheaper=long_run["tariff_label"],
        )
    for option in options:
        del option["_amount"], option["_rate"]
    notes = [NoteRef(comparison.assumption), NoteRef(OTHER_FEES_NOTE)]
    return {
        "line": index,
        "id": comparison.id,
        "minutes": f"{line.minutes:f}",
        "time_text": time_text,
        "currency": currency,
        "options": options,
        "difference": decimal_string(high - low),
        "difference_text": format_amount(high - low, currency, lang),
        "summary": summary,
        "trend": trend,
        "trend_text": trend_text,
        "notes": [{"code": note.code, "text": note_text(book, note, lang)} for note in notes],
        # Price against time for every option, the reader's time marked (chart.price_chart).
        "chart": price_chart(book, comparison, lang, line.minutes, f"compare-{index}-chart"),
    }


@exact
def compare_lines(book: TariffBook, lines: list[tuple[int, LineEstimate]], lang: str) -> list[ComparisonData]:
    """One comparison per priced line (``(index in the request, line)``) whose case the tariff file compares.

    Each: {"line", "id", "minutes", "time_text", "currency", "options": [{"tariff", "tariff_label", "case",
    "case_label", "status", "status_text", "amount_ex_vat", "amount_text", "rate_per_hour", "current",
    "cheapest"}], "difference", "difference_text", "summary", "trend" ("same" | "grows" |
    "grows-in-steps"), "trend_text", "notes": [{"code", "text"}], "chart": {"svg", "text"}}.
    Amounts exclude VAT (as the terms).
    """
    compared = (_compare_line(book, line, index, lang) for index, line in lines)
    return [comparison for comparison in compared if comparison is not None]
