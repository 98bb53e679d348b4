"""axe-core (bundled with axe-playwright-python, no network) finds no WCAG 2.1 A/AA violation.

Every page of the site in nb, sv and en, and the calculator page in each of its states: loading
(Pyodide held back), result, input error, and failed (the .wasm blocked).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser.pages import FAILED, SETTLED

from calculator.texts import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent.parent
LANGS = LANGUAGES  # calculator.texts: the one list of languages
PREFIX = {"nb": "", "sv": "sv/", "en": "en/"}
OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _site_pages() -> list[str]:
    """Every page's path in the built site, from the docs tree (the calculator pages are tested apart)."""
    pages = []
    for lang in LANGS:
        for source in sorted((ROOT / "docs" / lang).glob("*.md")):
            if source.stem == "calculator":
                continue
            pages.append(PREFIX[lang] + ("" if source.stem == "index" else f"{source.stem}/"))
    return [*pages, *(PREFIX[lang] + "404.html" for lang in LANGS)]


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def check(axe: Axe, page, state: str = "") -> None:
    """Fail on any violation, naming the rule, what it says and where (at most five elements)."""
    found = axe.run(page, options=OPTIONS).response["violations"]
    lines = []
    for violation in found:
        targets = [json.dumps(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {', '.join(targets)}")
    assert lines == [], f"{state}: {lines}" if state else lines


@pytest.mark.parametrize("path", _site_pages())
def test_page_has_no_wcag_violations(new_page, site_url, axe, path):
    """A page of the site, as a reader first sees it."""
    page = new_page()
    page.goto(site_url + path)
    check(axe, page)


@pytest.mark.parametrize("lang", LANGS)
def test_calculator_has_no_wcag_violations_in_any_state(new_page, site_url, axe, lang):
    """The calculator while Pyodide loads, with a result, with bad input (light and dark), and failed to start."""
    url = site_url + PREFIX[lang] + "calculator/"
    page = new_page()
    held = []
    page.route("**/*.wasm", lambda route: held.append(route))
    page.goto(url)
    assert page.get_attribute("[data-calculator]", "data-state") == "loading"
    check(axe, page, "while loading")

    for route in held:
        route.continue_()
    page.unroute("**/*.wasm")
    page.wait_for_selector(SETTLED, state="attached", timeout=60_000)
    page.click("[data-calculator-add]")
    page.wait_for_selector(SETTLED, state="attached")
    check(axe, page, "with a result")

    page.fill("#calc-0-time-input", "abc")
    page.select_option("#calc-1-tariff", "se-lower-rate")
    page.wait_for_selector(SETTLED, state="attached")
    assert page.get_attribute("#estimate", "data-status") == "invalid"
    check(axe, page, "with input errors")
    # What the theme's palette toggle does: the dark (slate) scheme on the body.
    page.eval_on_selector("body", "(body) => body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function("() => document.getAnimations().length === 0")  # the theme's colour transitions
    check(axe, page, "with input errors, dark palette")

    failing = new_page()
    failing.route("**/*.wasm", lambda route: route.abort())
    failing.goto(url)
    failing.wait_for_selector(FAILED, state="attached", timeout=15_000)
    check(axe, failing, "when Python cannot start")
