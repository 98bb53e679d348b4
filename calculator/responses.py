"""The written shape of ``calculate``'s answer: what the page's script, the CLI and scripts may read.

Every key is always present unless marked ``NotRequired``; a value typed ``X | None`` is ``null`` in JSON
when it has no value (nothing without a price is shown as 0.00). Amounts are decimal strings with two
decimals ("2250.00"); ``*_text`` and ``*_label`` values are formatted for the request's language.
tests/unit/calculator/test_response_shape.py checks every answer of tests/vectors.json against it.
"""

from typing import Literal, NotRequired, TypedDict

__all__ = [
    "CalculateResponse",
    "CaseTextData",
    "ChartData",
    "ComparisonData",
    "ErrorData",
    "EstimateData",
    "ItemData",
    "LineData",
    "NoteData",
    "OptionData",
    "TotalsData",
]


class NoteData(TypedDict):
    code: str  # the note's id in the tariff file
    text: str


class TotalsData(TypedDict):
    """One value per total; all three are None when no line has a price."""

    total_ex_vat: str | None
    vat: str | None
    total_inc_vat: str | None


class ItemData(TypedDict):
    """What a line counted: ``quantity_label`` at ``unit_price_label`` = ``amount_text``."""

    unit: str  # the unit's label
    quantity: str  # a decimal string ("9", "1.33")
    unit_price: str
    amount: str
    minutes: str | None  # the exact time, when the unit price is per hour of it
    quantity_text: str
    unit_price_text: str
    amount_text: str
    quantity_label: str  # "9 × started 15 minutes", or the time "1 h 20 min"
    unit_price_label: str  # "NOK 250.00", or "SEK 995.00 per hour"


class LineData(TypedDict):
    tariff: str  # the agreement's id (the URL parameter ``tariff``)
    tariff_label: str
    case: str
    case_label: str
    minutes: str | None  # the time the line used, a decimal string; None when the case is not priced by time
    time_text: str | None  # that time in the reader's words: "2 t 10 min"
    uses_time: bool
    status: str  # one of engine.STATUSES
    status_text: str
    amount_ex_vat: str | None  # None: price on request
    amount_text: str  # the amount, or the status when there is none
    items: list[ItemData]
    notes: list[NoteData]


class EstimateData(TypedDict):
    """report.estimate_to_dict: the estimate of every line that could be priced."""

    status: str  # the most uncertain of the lines' statuses (engine.STATUSES)
    status_text: str
    currency: str  # "NOK" or "SEK"
    total_ex_vat: str | None
    vat: str | None
    total_inc_vat: str | None
    excludes_lines: bool  # some lines are on request and left out of the totals
    formatted: TotalsData
    labels: TotalsData
    lines: list[LineData]
    notes: list[NoteData]


class ErrorData(TypedDict):
    line: int | None  # the line's index in the request (0-based), or None for the whole request
    field: str  # "tariff", "case", "time", "minutes", "hours", "lang", … or "" for none
    code: str  # a key of messages.toml's [error] section
    message: str


class OptionData(TypedDict):
    tariff: str
    tariff_label: str
    case: str
    case_label: str
    status: str
    status_text: str
    amount_ex_vat: str
    amount_text: str
    rate_per_hour: str  # what each further hour adds in the long run (rules.Rule.rate_per_hour)
    current: bool  # the request's own agreement and case
    cheapest: bool  # the (or a) cheapest option, when the options' amounts differ


class ChartData(TypedDict):
    svg: str  # inline SVG text (chart.price_chart)
    text: str  # the same in words


class ComparisonData(TypedDict):
    """compare.compare_lines: one line's work priced under each option of its comparison (excl. VAT)."""

    line: int
    id: str  # the tariff file's [[comparison]] id
    minutes: str
    time_text: str
    currency: str
    options: list[OptionData]
    difference: str
    difference_text: str
    summary: str
    trend: Literal["same", "grows", "grows-in-steps"]
    trend_text: str
    notes: list[NoteData]
    chart: ChartData


class CaseTextData(TypedDict):
    """casetext.compose: the message that sends the estimate with a case."""

    channel: Literal["email", "website"]
    to: str | None
    subject: str
    body: str  # lines joined by "\n"
    mailto: str | None
    instructions: str
    shortened: bool  # the lines, or the link, were left out to keep the mailto: URL short enough


class CalculateResponse(TypedDict):
    """api.calculate's answer. ``comparisons`` only when the request asks with ``"compare": true``;
    ``case_text`` only with ``"case_text": true`` (None while any line has an error)."""

    ok: bool  # no errors
    lang: str
    estimate: EstimateData | None  # None when no line could be priced
    errors: list[ErrorData]
    comparisons: NotRequired[list[ComparisonData]]
    case_text: NotRequired[CaseTextData | None]
