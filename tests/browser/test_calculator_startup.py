"""The calculator's quick start from the build-time snapshot, and its fallback to a cold start.

The worker restores a memory image of Python with the calculator already imported
(tools/make_snapshot.mjs, published by sitebuild/pyodide_assets.py). These tests check that the page starts
from it and computes correctly, that a missing or corrupt snapshot still gives a working calculator
through a cold start, and that no other page transfers any of it. No timing is asserted: the machine
is shared; `make bench` measures.
"""

from __future__ import annotations

import json
import re

import pytest
from browser.pages import SETTLED

from calculator import calculate

VECTORS = json.loads(open("tests/vectors.json", encoding="utf-8").read())
TIMEOUT_MS = 60_000
PYODIDE = re.compile(r"/assets/(pyodide|snapshot|wheels)/")


def _totals(page) -> dict:
    return page.eval_on_selector(
        "#estimate", "e => ({status: e.dataset.status, total: e.dataset.totalIncVat ?? null, source: e.dataset.source})"
    )


def _expected(lang: str, lines: list[dict]) -> dict:
    response = calculate({"lang": lang, "lines": lines})
    if response["errors"]:
        return {"status": "invalid", "total": None, "source": "live"}
    return {"status": response["estimate"]["status"], "total": response["estimate"]["total_inc_vat"], "source": "live"}


def _query(lines: list[dict]) -> str:
    from sitebuild.query_format import query_string  # sitebuild/query_format.py: the one description of the format

    return query_string(lines)


def _open(new_page, site_url: str, lines: list[dict], lang_path: str = "en/", route=None):
    page = new_page()
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text))
    if route is not None:
        # The worker's HEAD (does the host compress the snapshot?) goes through; the download is routed.
        def download_only(request_route):
            if request_route.request.method == "HEAD":
                request_route.continue_()
            else:
                route(request_route)

        page.route("**/assets/snapshot/*.snapshot", download_only)
    page.goto(f"{site_url}{lang_path}calculator/?{_query(lines)}")
    page.wait_for_selector(SETTLED, state="attached", timeout=TIMEOUT_MS)
    page.warnings = warnings
    return page


def test_the_page_names_its_hashed_snapshot_and_worker(new_page, site_url):
    """The config names the snapshot and the worker's script by their content-hashed names."""
    page = new_page()
    page.goto(site_url + "en/calculator/")
    config = json.loads(page.text_content("#calculator-config"))
    snapshot = config["snapshot"]
    assert re.search(r"calculator\.[0-9a-f]{12}\.snapshot$", snapshot["url"])
    assert re.search(r"assets/js/calculator/worker\.[0-9a-f]{12}\.js$", config["workerURL"])


def test_python_starts_before_the_page_loads_anything_else(built_site):
    """boot.js is inlined right after the configuration, before the first stylesheet and any other script."""
    html = (built_site / "en" / "calculator" / "index.html").read_text("utf-8")
    boot = html.index("window.calculatorBoot")
    assert html.index('id="calculator-config"') < boot
    assert boot < html.index('rel="stylesheet"')
    assert boot < html.index("<script src=") and boot < html.index('<script type="module"')
    assert "calculator/worker.js" not in " ".join(re.findall(r'<link rel="modulepreload"[^>]*>', html))


def test_the_worker_starts_from_its_url_and_the_page_adopts_it(new_page, site_url):
    """The worker boot.js started carries its SETUP in its URL's fragment; main.js adopts that very worker."""
    page = _open(new_page, site_url, LINES)
    boot = page.evaluate(
        "({started: window.calculatorBoot.worker !== null, kept: window.calculatorBoot.events.length})"
    )
    assert boot == {"started": True, "kept": 0}  # every event it kept went on to the page's channel
    marks = page.evaluate("performance.getEntriesByName('calculator:launch').map((m) => m.startTime)")
    nav = page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive")
    assert len(marks) == 1 and marks[0] < nav  # started while the page was still being parsed
    assert _totals(page) == _expected("en", LINES)


def _timings(page) -> dict:
    return json.loads(page.get_attribute("[data-calculator]", "data-worker-timings"))


def _visit_again(first, site_url: str):
    """The reader's next visit: a new page in the same browser profile, once its calculator is ready."""
    again = first.context.new_page()
    again.goto(f"{site_url}en/calculator/?{_query(LINES)}")
    again.wait_for_selector(SETTLED, state="attached", timeout=TIMEOUT_MS)
    assert again.get_attribute("[data-calculator]", "data-start") == "snapshot"
    assert _totals(again) == _expected("en", LINES)
    return again


def test_the_next_visit_starts_from_the_kept_snapshot(new_page, site_url, kept_snapshots):
    """After a start from the network the worker keeps the snapshot; the next visit reads that copy."""
    first = _open(new_page, site_url, LINES)
    config = json.loads(first.text_content("#calculator-config"))
    assert _timings(first)["snapshotFrom"] == "network"
    assert kept_snapshots(first, TIMEOUT_MS) == [config["snapshot"]["sha256"] + ".snapshot"]
    assert _timings(_visit_again(first, site_url))["snapshotFrom"] == "kept"


def test_a_damaged_kept_snapshot_is_never_loaded(new_page, site_url, kept_snapshots):
    """A kept copy that fails its sha256 check is ignored: the snapshot comes from the network again."""
    first = _open(new_page, site_url, LINES)
    (name,) = kept_snapshots(first, TIMEOUT_MS)
    first.evaluate(
        """async (name) => {
          const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle("calculator-snapshot");
          const writable = await (await folder.getFileHandle(name)).createWritable({ keepExistingData: true });
          await writable.write({ type: "write", position: 5000, data: new Uint8Array(64).fill(7) });
          await writable.close();
        }""",
        name,
    )
    assert _timings(_visit_again(first, site_url))["snapshotFrom"] == "network"


@pytest.mark.parametrize("vector", VECTORS["vectors"][:6] + VECTORS["errors"][:2], ids=lambda v: v["name"])
def test_a_snapshot_start_computes_the_vectors(new_page, site_url, vector):
    """Started from the snapshot, the page agrees with the native package (Node checks all vectors at build)."""
    page = _open(new_page, site_url, vector["lines"], {"nb": "", "sv": "sv/", "en": "en/"}[vector["lang"]])
    assert page.get_attribute("[data-calculator]", "data-start") == "snapshot"
    assert _totals(page) == _expected(vector["lang"], vector["lines"])
    assert not any("snapshot cannot be used" in text for text in page.warnings)


LINES = [{"tariff": "no-service", "case": "service-case", "minutes": "130"}]


def test_a_missing_snapshot_falls_back_to_a_cold_start(new_page, site_url):
    """The snapshot request fails: the worker starts cold and the calculator still computes."""
    page = _open(new_page, site_url, LINES, route=lambda route: route.abort())
    assert page.get_attribute("[data-calculator]", "data-start") == "cold"
    assert _totals(page) == _expected("en", LINES)
    assert any("snapshot cannot be used" in text for text in page.warnings)


def test_a_corrupt_snapshot_is_never_loaded_and_falls_back(new_page, site_url):
    """Garbage with the snapshot's name fails its sha256 check: a cold start computes instead."""
    page = _open(
        new_page,
        site_url,
        LINES,
        route=lambda route: route.fulfill(
            status=200, body=b"\x00garbage" * 4096, content_type="application/octet-stream"
        ),
    )
    assert page.get_attribute("[data-calculator]", "data-start") == "cold"
    assert _totals(page) == _expected("en", LINES)
    assert any("does not match its sha256" in text for text in page.warnings)


def test_other_pages_transfer_no_byte_of_pyodide(new_page, site_url, built_site):
    """Every page but the calculator, on a cold cache: no request for the runtime, the snapshot, the wheel or
    the calculator's scripts and stylesheet, and none leaves the origin. Only the calculator page pays for them."""
    pages = sorted(path.parent.relative_to(built_site).as_posix() for path in built_site.rglob("index.html"))
    others = [path for path in pages if not path.endswith("calculator")]
    assert len(others) >= 10, others
    page = new_page()
    for path in others:
        page.goto(site_url + ("" if path == "." else f"{path}/"))
        page.wait_for_load_state("networkidle")
    calculator_files = re.compile(r"/assets/(js/calculator/|css/calculator)")
    loaded = [url for url in page.requests.urls if PYODIDE.search(url) or calculator_files.search(url)]
    assert loaded == []
    assert page.requests.foreign() == []


def _hover_calculator_link(page) -> None:
    link = page.locator("a[href$='calculator/']:visible").first
    link.hover()
    page.wait_for_timeout(100)


def test_intent_to_open_the_calculator_prefetches_its_runtime(new_page, site_url):
    """Another page loads nothing of Pyodide until the reader points at the calculator link; then it prefetches."""
    page = new_page(viewport={"width": 1400, "height": 900})
    page.goto(site_url + "en/")
    page.wait_for_load_state("networkidle")
    assert [url for url in page.requests.urls if PYODIDE.search(url)] == []
    with page.expect_request(re.compile(r"/assets/snapshot/calculator\.[0-9a-f]{12}\.snapshot$")):
        _hover_calculator_link(page)
    assert page.get_attribute("html", "data-calculator-warmed") == ""


def test_save_data_prefetches_nothing_even_on_intent(new_page, site_url):
    """With Save-Data on, pointing at the calculator link fetches no byte of Pyodide."""
    page = new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(
        "Object.defineProperty(navigator, 'connection', {value: {saveData: true, effectiveType: '4g'}})"
    )
    page.goto(site_url + "en/")
    page.wait_for_load_state("networkidle")
    _hover_calculator_link(page)
    page.locator("a[href$='calculator/']:visible").first.focus()
    page.wait_for_timeout(500)
    assert [url for url in page.requests.urls if PYODIDE.search(url)] == []
    assert page.get_attribute("html", "data-calculator-warmed") is None


def test_a_blocked_inline_boot_still_starts_python_from_the_file(new_page, site_url):
    """Where a policy blocks the inline boot.js (a CSP without its hash), main.js runs the same file instead."""
    page = new_page()

    def without_inline_boot(route):
        html = route.fetch().text()
        # The one inline script that sets window.calculatorBoot, as a policy without its hash would.
        stripped = re.sub(r"<script>((?!</script>).)*?window\.calculatorBoot.*?</script>", "", html, flags=re.S)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=stripped)

    page.route("**/en/calculator/?*", without_inline_boot)
    page.goto(f"{site_url}en/calculator/?{_query(LINES)}")
    page.wait_for_selector(SETTLED, state="attached", timeout=TIMEOUT_MS)
    assert "window.calculatorBoot" not in page.content()
    assert page.get_attribute("[data-calculator]", "data-start") == "snapshot"
    assert _totals(page) == _expected("en", LINES)
    assert any(url.split("?")[0].endswith("/assets/js/calculator/boot.js") for url in page.requests.urls)
