"""The page object of the browser tests: how a test opens the calculator, waits for it and reads it.

One definition of "settled" for every test (Playwright's, WebDriver's and the preview's): Python is ready
(``data-state=ready``), no calculation is pending, and no link is still being applied to the form.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

PAGES = {"nb": "calculator/", "sv": "sv/calculator/", "en": "en/calculator/"}
HOMES = {"nb": "", "sv": "sv/", "en": "en/"}
SETTLED = "[data-calculator][data-state=ready]:not([data-pending]):not([data-link-pending])"
LOADING = "[data-calculator][data-state=loading]"
FAILED = "[data-calculator][data-state=failed]"
# Pyodide starts in about 3-5 s here; CI machines are slower. A failure must show within 15 s.
READY_TIMEOUT_MS = 60_000
TOTALS = ("data-status", "data-total-ex-vat", "data-vat", "data-total-inc-vat")

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
"""
ANNOUNCEMENTS = """
window.__announced = [];
addEventListener("DOMContentLoaded", () => {
  const region = document.getElementById("estimate-announcer");
  new MutationObserver(() => window.__announced.push(region.textContent))
    .observe(region, { childList: true, characterData: true, subtree: true });
});
"""


def settle(page, timeout_ms: float = READY_TIMEOUT_MS) -> None:
    """Wait until Python is ready and the estimate shows the form's current input."""
    page.wait_for_selector(SETTLED, state="attached", timeout=timeout_ms)


def open_calculator(
    new_page, site_url: str, lang: str = "en", query: str = "", settled: bool = True, via_home: bool = False, **context
):
    """A fresh page on the calculator of ``lang`` (with ``?query``), its long tasks and announcements recorded."""
    page = new_page(**context)
    page.add_init_script(LONG_TASKS)
    page.add_init_script(ANNOUNCEMENTS)
    if via_home:  # as a reader comes: from the home page, with the theme's scripts already compiled once
        page.goto(site_url + HOMES[lang])
    page.goto(site_url + PAGES[lang] + (f"?{query}" if query else ""))
    if settled:
        settle(page)
    return page


def config_of(page) -> dict:
    """The page's calculator configuration (<script id="calculator-config">)."""
    return json.loads(page.text_content("#calculator-config"))


def estimate_data(page) -> dict:
    """#estimate's status and totals, as data attributes (None where absent)."""
    return page.eval_on_selector(
        "#estimate", "(e, names) => Object.fromEntries(names.map((n) => [n, e.getAttribute(n)]))", list(TOTALS)
    )


def form_lines(page) -> list[dict]:
    """The form's lines as the page sends them to Python: tariff, case and the time field's text."""
    return page.eval_on_selector_all(
        "[data-calculator-lines] > [data-line]",
        """(lines) => lines.map((line) => ({
            tariff: line.querySelector('[data-part="tariff"]').value,
            case: line.querySelector('[data-part="case"]').value,
            time: line.querySelector('[data-part="time-input"]').value,
        }))""",
    )


def query_lines(url: str) -> list[tuple[str, str, str]]:
    """The (tariff, case, minutes) lines a calculator URL carries."""
    params = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return list(zip(params.get("tariff", []), params.get("case", []), params.get("minutes", []), strict=True))


def hold_wasm(page) -> list:
    """Hold every request for the .wasm until the test lets it go: Pyodide stays loading meanwhile."""
    held = []
    page.route("**/*.wasm", lambda route: held.append(route))
    return held


def release(page, held: list) -> None:
    for route in held:
        route.continue_()
    page.unroute("**/*.wasm")
