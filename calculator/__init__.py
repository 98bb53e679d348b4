"""Price calculator for the support and service-agreement terms (standard library only).

The tariff file (tariff.toml, beside this module) holds every price and text; this package
validates it, prices cases exactly with Decimal, and reports estimates in nb, sv and en.
"""

from .api import calculate, calculate_json
from .engine import MAX_LINES, STATUSES, Estimate, LineEstimate, LineItem, LineRequest, NoteRef, price_line
from .errors import (
    CalculatorInputError,
    CaseNotOffered,
    InvalidTime,
    MalformedRequest,
    MixedCurrencies,
    NoLines,
    TariffFileError,
    TooManyLines,
    UnknownCase,
    UnknownLanguage,
    UnknownTariff,
)
from .formatting import format_amount, format_number
from .money import AMOUNT_ROUNDING, CENT, VAT_ROUNDING, vat_of
from .report import estimate_to_dict
from .tariff import DEFAULT_TARIFF_PATH, Agreement, Case, TariffBook, default_tariff, load_tariff, parse_tariff
from .texts import DEFAULT_LANGUAGE, LANGUAGES
from .timeinput import MAX_HOURS, combine_time, format_duration, parse_hours, parse_minutes, parse_time

__all__ = [
    "AMOUNT_ROUNDING",
    "CENT",
    "DEFAULT_LANGUAGE",
    "DEFAULT_TARIFF_PATH",
    "LANGUAGES",
    "MAX_HOURS",
    "MAX_LINES",
    "STATUSES",
    "VAT_ROUNDING",
    "Agreement",
    "CalculatorInputError",
    "Case",
    "CaseNotOffered",
    "Estimate",
    "InvalidTime",
    "LineEstimate",
    "LineItem",
    "LineRequest",
    "MalformedRequest",
    "MixedCurrencies",
    "NoLines",
    "NoteRef",
    "TariffBook",
    "TariffFileError",
    "TooManyLines",
    "UnknownCase",
    "UnknownLanguage",
    "UnknownTariff",
    "calculate",
    "calculate_json",
    "combine_time",
    "default_tariff",
    "estimate_to_dict",
    "format_amount",
    "format_duration",
    "format_number",
    "load_tariff",
    "parse_hours",
    "parse_minutes",
    "parse_tariff",
    "parse_time",
    "price_line",
    "vat_of",
]
