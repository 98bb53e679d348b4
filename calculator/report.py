"""An estimate in a reader's language: texts, formatted amounts and decimal strings.

This is the one place where the engine's codes become words; the CLI, the browser entry point and
the site's build hooks all go through it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .engine import Estimate, LineEstimate, LineItem, NoteRef
from .formatting import format_amount, format_number, format_percent
from .money import exact
from .rules import figure_values, tariff_label
from .tariff import TariffBook
from .texts import estimate_text, status_text
from .timeinput import format_duration

if TYPE_CHECKING:  # the written shape (responses.py) is for readers and tests, not the browser's import
    from .responses import EstimateData, ItemData, LineData

__all__ = ["decimal_string", "estimate_to_dict", "note_text", "tariff_label", "total_labels"]


def decimal_string(amount: Decimal) -> str:
    """Two decimals, dot, no grouping: "2250.00"."""
    return f"{amount:.2f}"


def note_text(book: TariffBook, note: NoteRef, lang: str) -> str:
    case = book.cases.get(note.case) if note.case else None
    tariff = book.tariffs.get(note.tariff) if note.tariff else None
    return book.notes[note.code].text[lang].format_map(figure_values(case, tariff, lang))


def _item_to_dict(item: LineItem, line: LineEstimate, lang: str) -> ItemData:
    """One item, with what its line shows: ``quantity_label`` at ``unit_price_label`` = ``amount_text``.

    Counted units read "9 × started 15 minutes" at "NOK 250.00"; time at an hourly rate reads
    "25 min" at "SEK 995.00 per hour" (the exact time, not the hours rounded to two decimals, so
    that what is shown adds up: see engine.LineItem).
    """
    currency = line.tariff.currency
    unit = getattr(line.case, item.unit)[lang]
    unit_price_text = format_amount(item.unit_price, currency, lang)
    quantity_text = format_number(item.quantity, lang)
    if item.minutes is None:
        quantity_label, unit_price_label = f"{quantity_text} × {unit}", unit_price_text
    else:
        quantity_label = format_duration(item.minutes, lang)
        unit_price_label = estimate_text("per-unit", lang, price=unit_price_text, unit=unit)
    return {
        "unit": unit,
        "quantity": f"{item.quantity:f}",
        "unit_price": decimal_string(item.unit_price),
        "amount": decimal_string(item.amount),
        "minutes": None if item.minutes is None else f"{item.minutes:f}",
        "quantity_text": quantity_text,
        "unit_price_text": unit_price_text,
        "amount_text": format_amount(item.amount, currency, lang),
        "quantity_label": quantity_label,
        "unit_price_label": unit_price_label,
    }


def _line_to_dict(book: TariffBook, line: LineEstimate, lang: str) -> LineData:
    currency = line.tariff.currency
    amount = line.amount_ex_vat
    return {
        "tariff": line.tariff.id,
        "tariff_label": tariff_label(line.tariff, lang),
        "case": line.case.id,
        "case_label": line.case.label[lang],
        "minutes": None if line.minutes is None else f"{line.minutes:f}",
        # How the calculator read the time, in the reader's words: "2 t 10 min".
        "time_text": None if line.minutes is None else format_duration(line.minutes, lang),
        "uses_time": line.case.uses_time,
        "status": line.status,
        "status_text": status_text(line.status, lang),
        "amount_ex_vat": None if amount is None else decimal_string(amount),
        "amount_text": status_text(line.status, lang) if amount is None else format_amount(amount, currency, lang),
        "items": [_item_to_dict(item, line, lang) for item in line.items],
        "notes": [{"code": note.code, "text": note_text(book, note, lang)} for note in line.notes],
    }


def total_labels(estimate: Estimate, lang: str) -> dict[str, str]:
    """The labels of the three totals: {"total_ex_vat", "vat", "total_inc_vat"}. When some lines are on
    request, the totals leave them out and each label that sums lines says so."""
    rates = {line.tariff.vat_rate for line in estimate.lines}
    rate = format_percent(rates.pop(), lang) if len(rates) == 1 else "–"
    excluding = "-excluding" if estimate.excludes_lines else ""
    return {
        "total_ex_vat": estimate_text(f"total-ex-vat{excluding}", lang),
        "vat": estimate_text("vat", lang, rate=rate),
        "total_inc_vat": estimate_text(f"total-inc-vat{excluding}", lang),
    }


@exact
def estimate_to_dict(book: TariffBook, estimate: Estimate, lang: str) -> EstimateData:
    """Plain JSON-compatible data (responses.EstimateData): decimal strings for machines, formatted texts
    for people.

    When no line has a price (only "price on request") the totals, their formatted texts and labels
    are ``None``: nothing without a price is shown as 0.00. When some lines are on request,
    ``excludes_lines`` is true and the label of the total incl. VAT says that it leaves them out.
    """
    currency = estimate.currency
    totals = ("total_ex_vat", "vat", "total_inc_vat")
    amounts = {key: getattr(estimate, key) for key in totals}
    if estimate.total_ex_vat is None:
        labels: dict[str, str | None] = dict.fromkeys(totals)
    else:
        labels = dict(total_labels(estimate, lang))
    return {
        "status": estimate.status,
        "status_text": status_text(estimate.status, lang),
        "currency": currency,
        **{key: None if amount is None else decimal_string(amount) for key, amount in amounts.items()},
        "excludes_lines": estimate.excludes_lines,
        "formatted": {
            key: None if amount is None else format_amount(amount, currency, lang) for key, amount in amounts.items()
        },
        "labels": labels,
        "lines": [_line_to_dict(book, line, lang) for line in estimate.lines],
        "notes": [{"code": note.code, "text": note_text(book, note, lang)} for note in estimate.notes],
    }
