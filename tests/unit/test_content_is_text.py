"""Labels and notes from the tariff file are text wherever they are published, never markup (issue 14)."""

from __future__ import annotations

import json

import markdown
import pytest
from directives import cell_text, price_table
from sitecheck import ROOT

from calculator import parse_tariff

TARIFF_TEXT = (ROOT / "calculator" / "tariff.toml").read_text("utf-8")
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> *em* `code` [link](https://evil.example) a|b &amp;"


def hostile_book():
    text = TARIFF_TEXT.replace('label.en = "Norway – service agreement"', f"label.en = {json.dumps(HOSTILE)}")
    text = text.replace(
        'label.en = "Sweden – agreement with an hourly rate of {hourly_rate}"', f"label.en = {json.dumps(HOSTILE)}", 1
    )
    text = text.replace('unit.en = "started hour"', f"unit.en = {json.dumps(HOSTILE)}")
    return parse_tariff(text)


@pytest.mark.parametrize("market", ["no", "se"])
def test_price_table_shows_markup_as_text(market):
    """A label or unit with HTML, script, Markdown or a cell separator is shown literally, in its own cell."""
    book = hostile_book()
    table = price_table(book, market, "en")
    html = markdown.markdown("\n".join(table), extensions=["tables", "attr_list"])
    assert "<script" not in html and "<img" not in html and "<em>" not in html and "<code>" not in html
    assert "<a " not in html
    header_cells = table[0].count(" | ") + 1
    assert all(row.count(" | ") + 1 == header_cells for row in table), "a | in a text split a cell"
    if market == "no":  # the Norwegian table names the agreement and the unit; the browser shows the characters
        assert "&#60;script&#62;alert(1)&#60;/script&#62;" in html and "&#42;em&#42;" in html


def test_cell_text_is_one_line_of_literal_text():
    rendered = markdown.markdown("| a |\n| - |\n| " + cell_text("x\n# Heading\r\n- item") + " |", extensions=["tables"])
    assert "<h1" not in rendered and "<li" not in rendered
    assert "# Heading" in rendered


def test_the_search_index_keeps_a_cell_as_text():
    """The theme's search plugin (the `search` of mkdocs.yml under Material) stores escaped text, which its
    results show as HTML: a label's <script> stays the characters &lt;script&gt;."""
    from material.plugins.search.plugin import Parser

    table = price_table(hostile_book(), "no", "en")
    parser = Parser()
    parser.feed('<h2 id="prices">Prices</h2>' + markdown.markdown("\n".join(table), extensions=["tables"]))
    parser.close()
    text = " ".join(" ".join(section.text) for section in parser.data)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script" not in text and "<img" not in text


def test_the_site_uses_the_escaping_search_plugin():
    """`search` in mkdocs.yml resolves to Material's plugin (the one tested above), not MkDocs' own."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert "material/search" in config.plugins and "search" not in config.plugins


# The calculator page: every tariff-file text reaches it through `| e` (the template) or `| tojson`
# (its config), and the page's script writes text with textContent only.
RAW_EXPRESSIONS_ALLOWED = {
    # numbers, ids, URLs and markup the build makes itself, never a text of the tariff file
    "index",
    "calculator.section_id",
    "calculator.script_url",
    "calculator.stylesheet_url",
    "calculator.boot_script",  # checked to hold no '</script' (sitebuild/page_data.py)
    "calculator_warm.script",
    "page.canonical_url",
    "super()",
    "before",  # before, heading, after: the page's own rendered HTML, split around its first <h2
    "heading",
    "after",
    "href",  # a module URL the hook builds
    "comparison.chart.svg",  # SVG calculator/chart.py writes, its texts escaped (tests/unit/calculator/test_chart.py)
    "page.next_page.url | url",  # URLs MkDocs makes from file names
    "page.previous_page.url | url",
    "config.theme.favicon | url",
    "super() | replace('\"></script>', '\" defer></script>')",  # the theme's own script tags, deferred
}


def test_the_calculator_templates_escape_every_text():
    import re

    for name in ("calculator.html", "main.html"):
        template = (ROOT / "overrides" / name).read_text("utf-8")
        # A call of the template's own macro writes the macro's markup, whose texts this test checks.
        macros = tuple(f"{macro}(" for macro in re.findall(r"\{%-?\s*macro\s+(\w+)\(", template))
        for expression in re.findall(r"\{\{\s*(.*?)\s*\}\}", template):
            if expression.endswith(("| e", "| tojson")) or expression.startswith(macros or ("\0",)):
                continue
            assert expression in RAW_EXPRESSIONS_ALLOWED, f"overrides/{name}: {{{{ {expression} }}}} is not escaped"


def test_the_calculator_scripts_never_write_html():
    scripts = sorted((ROOT / "overrides" / "assets" / "js").rglob("*.js"))
    assert scripts
    for script in scripts:
        text = script.read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
            assert sink not in text, f"{script.relative_to(ROOT)} uses {sink}: write text with textContent"
