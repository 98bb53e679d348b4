"""The calculator page in Debian's Chromium, against the built site served as production serves it.

Python runs in Pyodide in a module Web Worker; these tests drive the page as a reader does (form,
keyboard, links) and read the result from #estimate's data attributes. The vectors of
tests/vectors.json go through the URL and must agree with the native package (the third runtime of
three: native, Pyodide under Node in tests/pyodide, and here). Pyodide takes seconds to start, so
the vectors share one page per language, and every other test opens as few pages as it can.
"""

from __future__ import annotations

import json
import re
import time
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from calculator import calculate

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
LANGS = ("nb", "sv", "en")
PAGES = {"nb": "calculator/", "sv": "sv/calculator/", "en": "en/calculator/"}
VECTORS = json.loads((ROOT / "tests" / "vectors.json").read_text("utf-8"))
UI = tomllib.loads((ROOT / "calculator" / "messages.toml").read_text("utf-8"))["ui"]
SETTLED = "[data-calculator][data-state=ready]:not([data-pending]):not([data-link-pending])"
# Pyodide starts in about 3-5 s here; CI machines are slower. Failure must show within 15 s.
READY_TIMEOUT_MS = 60_000
TOTALS = ("data-status", "data-total-ex-vat", "data-vat", "data-total-inc-vat")

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
"""
# The main thread's long tasks (ms) that overlap Pyodide's start-up, which main.js marks.
LONG_TASKS_WHILE_LOADING = """() => {
  const mark = (name) => performance.getEntriesByName(name, "mark")[0].startTime;
  const [start, ready] = [mark("calculator:start"), mark("calculator:ready")];
  return window.__longTasks
    .filter(([at, duration]) => at + duration > start && at < ready)
    .map(([, duration]) => Math.round(duration));
}"""
ANNOUNCEMENTS = """
window.__announced = [];
addEventListener("DOMContentLoaded", () => {
  const region = document.getElementById("estimate-announcer");
  new MutationObserver(() => window.__announced.push(region.textContent))
    .observe(region, { childList: true, characterData: true, subtree: true });
});
"""


def ui(key: str, lang: str, **params: object) -> str:
    return UI[key][lang].format(**params)


def native(lang: str, lines: list[dict]) -> dict:
    return calculate({"lang": lang, "lines": lines})


def expected_data(response: dict) -> dict:
    """#estimate's data attributes for a native response."""
    if response["errors"]:
        return {"data-status": "invalid", "data-total-ex-vat": None, "data-vat": None, "data-total-inc-vat": None}
    estimate = response["estimate"]
    return {
        "data-status": estimate["status"],
        "data-total-ex-vat": estimate["total_ex_vat"],
        "data-vat": estimate["vat"],
        "data-total-inc-vat": estimate["total_inc_vat"],
    }


def estimate_data(page) -> dict:
    return page.eval_on_selector(
        "#estimate", "(e, names) => Object.fromEntries(names.map((n) => [n, e.getAttribute(n)]))", list(TOTALS)
    )


def words(text: str) -> str:
    """Text with every run of white space (no-break spaces too) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def estimate_text(page) -> str:
    return words(page.inner_text("#estimate"))


def settle(page) -> None:
    """Wait until Python is ready and the estimate shows the form's current input."""
    page.wait_for_selector(SETTLED, state="attached", timeout=READY_TIMEOUT_MS)


HOMES = {"nb": "", "sv": "sv/", "en": "en/"}


def open_calculator(
    new_page, site_url: str, lang: str = "en", query: str = "", settled: bool = True, via_home: bool = False, **context
):
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
    return json.loads(page.text_content("#calculator-config"))


def form_lines(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-calculator-lines] > [data-line]",
        """(lines) => lines.map((line) => Object.fromEntries(["tariff", "case", "hours", "minutes"].map(
            (name) => [name, line.querySelector(`[data-part="${name}"]`).value])))""",
    )


def query_lines(url: str) -> list[tuple[str, str, str]]:
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


# --- each language ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_shows_the_build_estimate_then_computes_in_python(new_page, site_url, lang):
    """First paint: the build-time estimate; then Python's, equal in data and text; no long task, no foreign request."""
    page = open_calculator(new_page, site_url, lang, settled=False, via_home=True)
    assert page.get_attribute("html", "lang") == lang
    assert page.text_content("#calculator-heading") == ui("heading", lang)
    config = config_of(page)
    default = native(lang, config["defaultLines"])
    assert page.get_attribute("#estimate", "data-source") == "build"
    assert estimate_data(page) == expected_data(default)
    built_text = estimate_text(page)

    settle(page)
    assert page.get_attribute("#estimate", "data-source") == "live"
    assert estimate_data(page) == expected_data(default)
    assert estimate_text(page) == built_text, "the page's renderer and the template disagree"
    assert words(default["estimate"]["formatted"]["total_inc_vat"]) in built_text

    timings = page.eval_on_selector("[data-calculator]", "(e) => ({...e.dataset})")
    print(
        f"\n{lang}: Python ready {timings['readyMs']} ms, first result {timings['firstResultMs']} ms after navigation"
    )
    long_tasks = page.evaluate(LONG_TASKS_WHILE_LOADING)
    print(f"{lang}: main-thread long tasks while Pyodide loaded: {long_tasks} ms")
    assert max(long_tasks, default=0) <= 200, f"main-thread long tasks while Pyodide loaded: {long_tasks} ms"
    assert page.requests.foreign() == []
    pyodide = [url for url in page.requests.urls if "/assets/pyodide/" in url]
    assert pyodide and all(url.startswith(site_url + "assets/pyodide/") for url in pyodide)


def test_other_pages_load_none_of_the_calculator(new_page, site_url, built_site):
    """Only the calculator page pays for Pyodide, the wheel and the calculator's scripts."""
    pages = sorted(path.parent.relative_to(built_site).as_posix() for path in built_site.rglob("index.html"))
    others = [path for path in pages if not path.endswith("calculator") and "/search" not in f"/{path}"]
    assert len(others) >= 10, others
    page = new_page()
    for path in others:
        page.goto(site_url + ("" if path == "." else f"{path}/"))
        loaded = [
            url
            for url in page.requests.urls
            if re.search(r"/assets/(pyodide/|wheels/|js/calculator/|css/calculator)", url)
        ]
        assert loaded == [], f"{path}/ loaded {loaded}"
    assert page.requests.foreign() == []


# --- the form ---------------------------------------------------------------------------------------


def test_several_lines_each_with_its_own_result(new_page, site_url):
    """Lines are added and removed; each gets a row, and the totals are Python's for all of them."""
    page = open_calculator(new_page, site_url, "en")
    page.fill("#calc-0-minutes", "130")
    page.click("[data-calculator-add]")
    page.select_option("#calc-1-case", "critical-support")
    page.click("[data-calculator-add]")
    assert page.evaluate("document.activeElement.id") == "calc-2-tariff"
    settle(page)
    lines = form_lines(page)
    assert [(line["tariff"], line["case"]) for line in lines] == [
        ("no-service", "service-case"),
        ("no-service", "critical-support"),
        ("no-service", "general-support"),
    ]
    assert page.is_hidden("#calc-1-time") and page.is_visible("#calc-1-no-time")
    response = native("en", lines)
    assert estimate_data(page) == expected_data(response)
    assert page.locator("#estimate tbody tr").count() == 3
    notes = page.eval_on_selector_all("#estimate [data-note]", "(items) => items.map((item) => item.dataset.note)")
    assert notes == [note["code"] for note in response["estimate"]["notes"]]
    assert "price-on-request-not-in-total" in notes
    assert [line[:2] for line in query_lines(page.url)] == [(line["tariff"], line["case"]) for line in lines]

    page.click("#calc-1-remove")
    settle(page)
    assert page.locator("[data-calculator-lines] > [data-line]").count() == 2
    assert page.text_content("#calc-1-legend") == ui("line-legend", "en", number=2)
    assert estimate_data(page) == expected_data(native("en", form_lines(page)))


def test_a_link_fills_the_form_and_an_edit_updates_the_link(new_page, site_url):
    """Open a link: the form is filled and computed. Edit: the URL follows. Reopen it: the same result."""
    query = urlencode(
        [
            ("tariff", "no-service"),
            ("case", "service-case"),
            ("minutes", "130"),
            ("tariff", "no-service"),
            ("case", "critical-support"),
            ("minutes", ""),
        ]
    )
    page = open_calculator(new_page, site_url, "nb", query)
    lines = form_lines(page)
    assert [(line["tariff"], line["case"], line["minutes"]) for line in lines] == [
        ("no-service", "service-case", "130"),
        ("no-service", "critical-support", ""),
    ]
    assert estimate_data(page) == expected_data(native("nb", lines))

    page.fill("#calc-0-minutes", "")
    page.fill("#calc-0-hours", "1,5")
    settle(page)
    assert query_lines(page.url) == [("no-service", "service-case", "90"), ("no-service", "critical-support", "")]
    edited = estimate_data(page)
    assert edited == expected_data(native("nb", form_lines(page)))
    assert edited["data-total-ex-vat"] == "1500.00"

    again = open_calculator(new_page, site_url, "nb", urlsplit(page.url).query)
    assert estimate_data(again) == edited
    assert form_lines(again)[0] == {"tariff": "no-service", "case": "service-case", "hours": "", "minutes": "90"}


def test_a_bad_link_keeps_what_it_says_and_explains_in_the_page_language(new_page, site_url):
    """An unknown tariff and a bad time stay in the form, each with the calculator's message beside it."""
    query = urlencode(
        [
            ("tariff", "no-such-tariff"),
            ("case", "service-case"),
            ("minutes", "15"),
            ("tariff", "no-service"),
            ("case", "service-case"),
            ("minutes", "abc"),
        ]
    )
    page = open_calculator(new_page, site_url, "sv", query)
    response = native("sv", form_lines(page))
    assert estimate_data(page) == expected_data(response)
    assert page.input_value("#calc-0-tariff") == "no-such-tariff"
    assert page.eval_on_selector("#calc-0-tariff", "(s) => s.selectedOptions[0].text") == ui(
        "unknown-option", "sv", value="no-such-tariff"
    )
    assert page.input_value("#calc-1-minutes") == "abc"
    for line, field, part in ((0, "tariff", "tariff"), (1, "minutes", "time")):
        error = next(error for error in response["errors"] if error["line"] == line)
        assert error["field"] == field
        control = f"#calc-{line}-{field}"
        assert page.get_attribute(control, "aria-invalid") == "true"
        assert f"calc-{line}-{part}-error" in page.get_attribute(control, "aria-describedby").split()
        assert page.text_content(f"#calc-{line}-{part}-error") == error["message"]
        assert page.is_visible(f"#calc-{line}-{part}-error")
    assert query_lines(page.url) == [("no-such-tariff", "service-case", "15"), ("no-service", "service-case", "abc")]


def test_input_typed_while_python_loads_is_kept_and_computed(new_page, site_url):
    """While Pyodide loads, the build-time estimate stays and typing is kept; once ready it is computed."""
    page = new_page()
    held = hold_wasm(page)
    page.goto(site_url + PAGES["en"])
    built = estimate_data(page)
    page.fill("#calc-0-minutes", "200")
    assert page.get_attribute("[data-calculator]", "data-state") == "loading"
    assert page.get_attribute("[data-calculator]", "data-pending") is not None
    assert page.is_visible("progress[data-calculator-progress]")
    assert estimate_data(page) == built
    page.wait_for_selector("[data-calculator]:not([data-link-pending])", state="attached")  # the link follows
    assert query_lines(page.url) == [("no-service", "service-case", "200")]
    release(page, held)
    settle(page)
    assert page.input_value("#calc-0-minutes") == "200"
    response = native("en", form_lines(page))
    assert estimate_data(page) == expected_data(response)
    assert "told-before-work" in [note["code"] for note in response["estimate"]["notes"]]
    assert page.is_hidden("progress[data-calculator-progress]")


# --- keyboard and screen readers -----------------------------------------------------------------


def tab_to(page, element_id: str, limit: int = 120) -> None:
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def test_the_whole_form_works_from_the_keyboard(new_page, site_url):
    """Tab, arrow keys, typing, Enter and Space: choose, type, add a line and remove it, no mouse."""
    page = open_calculator(new_page, site_url, "en")
    tab_to(page, "calc-0-tariff")
    page.keyboard.press("ArrowDown")  # no-service → se-lower-rate: its first case, which uses no time
    assert page.input_value("#calc-0-tariff") == "se-lower-rate"
    assert page.input_value("#calc-0-case") == "platform-support"
    assert page.is_hidden("#calc-0-time")
    page.keyboard.press("Tab")
    assert focused(page) == "calc-0-case"
    for _ in range(4):  # platform-support → hosting-support → third-party-ticket → module-install → development
        page.keyboard.press("ArrowDown")
    assert page.input_value("#calc-0-case") == "development"
    page.keyboard.press("Tab")
    assert focused(page) == "calc-0-hours"
    page.keyboard.type("1,5")
    page.keyboard.press("Tab")
    assert focused(page) == "calc-0-minutes"  # still "90" from the default line: hours and minutes add up
    settle(page)
    assert page.get_attribute("#estimate", "data-total-ex-vat") == "2388.00"
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    settle(page)
    assert form_lines(page)[0] == {"tariff": "se-lower-rate", "case": "development", "hours": "1,5", "minutes": ""}
    assert estimate_data(page) == expected_data(native("en", form_lines(page)))
    assert page.get_attribute("#estimate", "data-total-ex-vat") == "1194.00"

    page.keyboard.press("Tab")  # the only line cannot be removed: straight to "Add a case"
    assert focused(page) == ui("add-line", "en")
    page.keyboard.press("Enter")
    assert focused(page) == "calc-1-tariff"
    settle(page)
    assert page.locator("#estimate tbody tr").count() == 2
    page.keyboard.press("Tab")  # case
    page.keyboard.press("Tab")  # the new line's case uses no time: its remove button
    assert focused(page) == "calc-1-remove"
    assert page.text_content("#calc-1-remove") == ui("remove-line", "en", number=2)
    page.keyboard.press("Space")
    assert focused(page) == "calc-0-tariff"
    settle(page)
    assert page.locator("[data-calculator-lines] > [data-line]").count() == 1
    assert page.get_attribute("#estimate", "data-total-ex-vat") == "1194.00"


def test_the_live_region_announces_a_short_summary_once_typing_pauses(new_page, site_url):
    """One polite announcement per pause (no chatter per keystroke): the status and the total, or the problem."""
    page = open_calculator(new_page, site_url, "nb")
    region = page.locator("#estimate-announcer")
    assert region.get_attribute("aria-live") == "polite" and region.get_attribute("role") == "status"
    assert page.evaluate("window.__announced") == []  # the first result only confirms the page

    page.focus("#calc-0-minutes")
    page.keyboard.press("Control+A")
    page.keyboard.type("130", delay=60)
    settle(page)
    estimate = native("nb", form_lines(page))["estimate"]
    summary = ui("announce-result", "nb", status=estimate["status_text"], total=estimate["formatted"]["total_inc_vat"])
    page.wait_for_function("(text) => window.__announced.includes(text)", arg=summary, timeout=5_000)
    assert page.evaluate("window.__announced") == [summary]

    page.keyboard.type("x")
    settle(page)
    error = native("nb", form_lines(page))["errors"][0]
    problem = ui("announce-invalid", "nb", message=error["message"])
    page.wait_for_function("(text) => window.__announced.includes(text)", arg=problem, timeout=5_000)
    assert page.evaluate("window.__announced") == [summary, problem]


def test_copy_link_puts_the_current_link_on_the_clipboard(new_page, site_url):
    """The copy button copies the page's own URL with the form's state."""
    page = open_calculator(new_page, site_url, "en", permissions=["clipboard-read", "clipboard-write"])
    page.fill("#calc-0-minutes", "45")
    settle(page)
    page.click("[data-calculator-copy]")
    page.wait_for_function("() => document.getElementById('estimate-announcer').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    assert query_lines(page.url) == [("no-service", "service-case", "45")]


def test_print_shows_the_estimate_and_not_the_form(new_page, site_url):
    """On paper: the estimate and its link, no form, no buttons."""
    page = open_calculator(new_page, site_url, "en")
    page.emulate_media(media="print")
    assert page.is_visible("#estimate")
    assert page.is_hidden("[data-calculator-form]")
    assert page.is_visible("[data-calculator-print-link]")


# --- the vectors through the URL ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def vector_pages(browser, site_url):
    """One settled calculator page per language, reused by every vector (Pyodide starts once each)."""
    context = browser.new_context()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    context.route(lambda url: not url.startswith(origin), lambda route: route.abort())
    pages = {}

    def get(lang: str):
        if lang not in pages:
            page = context.new_page()
            page.goto(site_url + PAGES[lang])
            settle(page)
            pages[lang] = page
        return pages[lang]

    yield get
    context.close()


def drive(page, lines: list[dict]) -> None:
    """Put lines into the page through its URL (back/forward navigation), then type any hours."""
    query = urlencode([(key, line.get(key, "")) for line in lines for key in ("tariff", "case", "minutes")])
    page.evaluate(
        "(query) => { history.pushState(null, '', '?' + query); dispatchEvent(new PopStateEvent('popstate')); }", query
    )
    for index, line in enumerate(lines):
        if line.get("hours"):
            page.fill(f"#calc-{index}-hours", line["hours"])
    settle(page)
    assert form_lines(page) == [{"hours": "", **line} if "hours" not in line else line for line in lines]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda vector: vector["name"])
def test_vector_in_the_browser(vector_pages, vector):
    """Each vector, through the URL (and the hours field), agrees with native Python and the file."""
    page = vector_pages(vector["lang"])
    drive(page, vector["lines"])
    response = native(vector["lang"], vector["lines"])
    expect = vector["expect"]
    data = estimate_data(page)
    assert data == expected_data(response)
    assert data == {
        "data-status": expect["status"],
        "data-total-ex-vat": expect["total_ex_vat"],
        "data-vat": expect["vat"],
        "data-total-inc-vat": expect["total_inc_vat"],
    }
    notes = page.eval_on_selector_all("#estimate [data-note]", "(items) => items.map((item) => item.dataset.note)")
    assert notes == expect["notes"]
    if any(line["amount_ex_vat"] is not None for line in response["estimate"]["lines"]):
        assert words(response["estimate"]["formatted"]["total_inc_vat"]) in estimate_text(page)
    else:  # price on request only: no amount to total, so no totals are shown
        assert page.locator("#estimate tfoot").count() == 0


# The form always has at least one line, so "no lines" cannot be typed; native and Pyodide cover it.
BROWSER_ERRORS = [vector for vector in VECTORS["errors"] if vector["lines"]]


@pytest.mark.parametrize("vector", BROWSER_ERRORS, ids=lambda vector: vector["name"])
def test_error_vector_in_the_browser(vector_pages, vector):
    """Bad input: data-status="invalid" with no totals, and each error's message beside its field."""
    page = vector_pages(vector["lang"])
    drive(page, vector["lines"])
    response = native(vector["lang"], vector["lines"])
    assert estimate_data(page) == expected_data(response)
    for error in response["errors"]:
        if error["line"] is None:
            assert error["message"] in page.text_content("#calculator-form-error")
            continue
        part = "time" if error["field"] in ("hours", "minutes") else error["field"]
        assert page.get_attribute(f"#calc-{error['line']}-{error['field']}", "aria-invalid") == "true"
        assert page.get_attribute(f"#calc-{error['line']}-{part}-error", "data-code") == error["code"]
        assert page.text_content(f"#calc-{error['line']}-{part}-error") == error["message"]


# --- sub-path and failure ----------------------------------------------------------------------------


def test_works_under_a_sub_path(browser, built_site):
    """Served under /terms/ (as a project site is), every file comes from under /terms/ and it computes."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from serve import serve_in_thread

    server, url = serve_in_thread(built_site, base="/terms/")
    context = browser.new_context()
    try:
        page = context.new_page()
        urls = []
        page.on("request", lambda request: urls.append(request.url))
        page.goto(url + PAGES["sv"] + "?tariff=se-higher-rate&case=development&minutes=90")
        settle(page)
        assert estimate_data(page) == expected_data(native("sv", form_lines(page)))
        assert urls and all(u.startswith(url) for u in urls), [u for u in urls if not u.startswith(url)]
    finally:
        context.close()
        server.shutdown()


def failed_within(page, lang: str, started: float) -> None:
    page.wait_for_selector("[data-calculator][data-state=failed]", state="attached", timeout=15_000)
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"the failure message took {elapsed:.1f} s"
    assert page.text_content("#calculator-status") == ui("failed", lang)
    assert page.is_visible("#calculator-status")
    assert page.is_hidden("progress[data-calculator-progress]"), "a spinner after the failure"
    assert page.is_visible("[data-calculator-retry]")
    # The static price tables and the build-time estimate are still there.
    assert page.locator("article table:not(.tc-estimate__table)").count() >= 2
    assert page.get_attribute("#estimate", "data-source") == "build"
    config = config_of(page)
    assert estimate_data(page) == expected_data(native(lang, config["defaultLines"]))


def test_blocked_wasm_shows_a_message_in_the_page_language(new_page, site_url):
    """The .wasm request is blocked: a clear Norwegian message at once, the tables and the example stay."""
    page = new_page()
    page.route("**/*.wasm", lambda route: route.abort())
    started = time.monotonic()
    page.goto(site_url + PAGES["nb"])
    failed_within(page, "nb", started)


def test_wasm_with_a_wrong_mime_type_shows_a_message(new_page, site_url):
    """A .wasm served as application/octet-stream (loadPyodide would hang on it) fails clearly."""
    page = new_page()
    page.route(
        "**/*.wasm", lambda route: route.fulfill(status=200, body=b"\0asm", content_type="application/octet-stream")
    )
    started = time.monotonic()
    page.goto(site_url + PAGES["sv"])
    failed_within(page, "sv", started)


def test_a_runtime_that_never_answers_times_out_with_a_message(new_page, site_url):
    """A .wasm request that never completes: the timeout gives the message within 15 s, no endless spinner."""
    page = new_page()
    held = hold_wasm(page)
    started = time.monotonic()
    page.goto(site_url + PAGES["en"])
    failed_within(page, "en", started)
    assert held, "the .wasm was never requested"


def test_a_slow_start_after_the_message_still_comes_to_life(new_page, site_url):
    """Past the timeout the reader is told; if Python does start after all, the calculator goes live."""
    page = new_page()
    page.clock.install()  # the page's timers run when the test says so
    held = hold_wasm(page)
    page.goto(site_url + PAGES["en"])
    page.wait_for_selector("[data-calculator][data-state=loading]", state="attached")
    page.clock.fast_forward(config_of(page)["loadTimeoutMs"] + 1_000)
    page.wait_for_selector("[data-calculator][data-state=failed]", state="attached")
    assert page.text_content("#calculator-status") == ui("failed", "en")
    release(page, held)
    settle(page)
    assert page.is_hidden("#calculator-status")
    assert estimate_data(page) == expected_data(native("en", form_lines(page)))


def test_the_worker_answers_outside_its_protocol_with_errors_as_data(new_page, site_url):
    """An unknown message type, and CALCULATE before SETUP, come back as ERROR messages with the request's id."""
    page = new_page()
    held = hold_wasm(page)  # the page's own worker stays loading; this test talks to a second one
    page.goto(site_url + PAGES["en"])
    replies = page.evaluate(
        """async () => {
            // The worker script the page itself starts (boot.js), so the URL is right at any depth and sub-path.
            const url = window.calculatorBoot.workerURL;
            const worker = new Worker(url, { type: "module" });
            const replies = [];
            const done = new Promise((resolve) => worker.addEventListener("message", (event) => {
                replies.push(event.data);
                if (replies.length === 3) resolve();
            }));
            worker.postMessage({ id: 1, type: "BOGUS" });
            worker.postMessage({ id: 2, type: "CALCULATE", request: { lang: "en", lines: [] } });
            worker.postMessage("not even an object");
            await done;
            worker.terminate();
            return replies;
        }"""
    )
    assert replies == [
        {"id": 1, "type": "ERROR", "error": {"code": "unknown-type", "detail": "BOGUS"}},
        {"id": 2, "type": "ERROR", "error": {"code": "not-started", "detail": "CALCULATE before SETUP"}},
        {"id": None, "type": "ERROR", "error": {"code": "unknown-type", "detail": "string"}},
    ]
    release(page, held)
