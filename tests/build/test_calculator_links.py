"""Links between the terms, send-a-case and the calculator (issue 17), and the terms pages' price charts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sitecheck import LANGS, Document

from calculator import default_tariff


def hrefs(document: Document) -> list[str]:
    return [attrs.get("href", "") for tag, attrs in document.elements if tag == "a"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("page", "market"), [("norway", "no"), ("sweden", "se")])
def test_each_time_priced_case_of_a_price_table_links_to_the_calculator_prefilled(documents, lang, page, market):
    book = default_tariff()
    links = [href for href in hrefs(documents[(lang, page)]) if "calculator/?" in href]
    filled = {
        (q["tariff"][0], q["case"][0]) for q in (parse_qs(urlsplit(h).query, keep_blank_values=True) for h in links)
    }
    expected = {
        (next(t for t in case.tariffs if book.tariffs[t].market == market), case.id)
        for case in book.cases.values()
        if case.uses_time and any(book.tariffs[t].market == market for t in case.tariffs)
    }
    assert filled == expected
    for href in links:  # relative to the page: the same language's calculator
        assert urlsplit(href).path in ("../calculator/", "../calculator/index.html")


@pytest.mark.parametrize("lang", LANGS)
def test_send_a_case_and_the_calculator_link_to_each_other(documents, lang):
    assert any(urlsplit(href).path.endswith("calculator/") for href in hrefs(documents[(lang, "send-a-case")]))
    assert any(urlsplit(href).path.endswith("send-a-case/") for href in hrefs(documents[(lang, "calculator")]))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["norway", "sweden"])
def test_terms_pages_have_a_price_chart_with_its_words(documents, lang, page):
    document = documents[(lang, page)]
    svgs = [attrs for tag, attrs in document.elements if tag == "svg"]
    charts = [attrs for attrs in svgs if attrs.get("class") == "tc-chart"]
    assert len(charts) == 1 and charts[0]["role"] == "img"
    assert any(tag == "p" and attrs.get("class") == "tc-chart__text" for tag, attrs in document.elements)
