"""The chart of price against time (calculator/chart.py): structure, text alternative, the marked time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from calculator import calculate, default_tariff
from calculator.chart import price_chart
from calculator.texts import LANGUAGES

SVG = "{http://www.w3.org/2000/svg}"
LANGS = LANGUAGES  # calculator.texts: the one list of languages


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("comparison", default_tariff().comparisons, ids=lambda c: c.id)
def test_structure_and_text_alternative(comparison, lang):
    chart = price_chart(default_tariff(), comparison, lang, Decimal(50), "x")
    root = parsed(chart["svg"])
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == chart["text"]
    # One path per option, named by its tariff/case; nothing that runs or styles inline (CSP).
    paths = root.findall(f"{SVG}path")
    assert [path.get("data-series") for path in paths] == [f"{t}/{c}" for t, c in comparison.options]
    for element in root.iter():
        assert element.tag.split("}")[1] not in ("script", "style", "foreignObject")
        assert not any(name.startswith("on") or name == "style" for name in element.attrib)
    # The text alternative names every agreement and says each one's price at the marked time.
    response = calculate(
        {
            "lang": lang,
            "compare": True,
            "lines": [{"tariff": comparison.options[0][0], "case": comparison.options[0][1], "minutes": "50"}],
        }
    )
    for option in response["comparisons"][0]["options"]:
        assert option["tariff_label"] in chart["text"]
    assert "{" not in chart["text"]


def test_the_marked_time_is_drawn_where_the_time_is():
    book = default_tariff()
    comparison = book.comparisons[0]
    chart = price_chart(book, comparison, "nb", Decimal(50), "x")
    root = parsed(chart["svg"])
    mark = root.find(f"{SVG}g[@data-mark-minutes]")
    assert mark.get("data-mark-minutes") == "50"
    line = mark.find(f"{SVG}line")
    end = int(root.get("data-end-minutes"))
    left, width = 66, 360 - 66 - 22
    assert float(line.get("x1")) == pytest.approx(left + width * 50 / end, abs=0.1)
    assert [circle.get("cx") for circle in mark.findall(f"{SVG}circle")] == [line.get("x1")] * 2
    assert "Ved 50\u00a0min: Norge – supportavtale (inkludert i butikkprisen) 1\u00a0250\u00a0kr" in chart["text"]
    assert "Norge – serviceavtale 1\u00a0000\u00a0kr" in chart["text"]


def test_the_steps_are_the_rules_blocks():
    """The started-hour series has one step per hour; the 15-minute one one step per 15 minutes."""
    book = default_tariff()
    root = parsed(price_chart(book, book.comparisons[0], "en", None, "x")["svg"])
    hours, quarters = root.findall(f"{SVG}path")
    end = int(root.get("data-end-minutes"))
    assert len(re.findall(r"[ML]", hours.get("d"))) == 2 * end // 60
    assert len(re.findall(r"[ML]", quarters.get("d"))) == 2 * end // 15
    assert root.find(f"{SVG}g[@data-mark-minutes]") is None


def test_texts_are_escaped():
    book = default_tariff()
    chart = price_chart(book, book.comparisons[0], "en", Decimal(5), 'x" onload="alert(1)')
    assert 'onload="' not in chart["svg"]


def test_a_long_time_stays_a_small_drawing():
    book = default_tariff()
    chart = price_chart(book, book.comparisons[0], "nb", Decimal(60_000), "x")
    assert len(chart["svg"]) < 40_000
    root = parsed(chart["svg"])
    assert int(root.get("data-end-minutes")) >= 60_000
