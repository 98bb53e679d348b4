"""One owner of the percent format: calculator.formatting.format_percent, as CLDR (through Babel) writes it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_percent as babel_format_percent

from calculator import calculate
from calculator.formatting import format_percent
from calculator.texts import LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("rate", ["0.25", "0.12", "0.06", "0.1"])
def test_a_rate_is_written_as_cldr_writes_a_percentage(lang: str, rate: str) -> None:
    assert format_percent(Decimal(rate), lang) == babel_format_percent(Decimal(rate), locale=lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_vat_label_uses_it(lang: str) -> None:
    line = {"tariff": "no-service", "case": "service-case", "minutes": "15"}
    label = calculate({"lang": lang, "lines": [line]})["estimate"]["labels"]["vat"]
    assert label.endswith(" " + format_percent(Decimal("0.25"), lang))
