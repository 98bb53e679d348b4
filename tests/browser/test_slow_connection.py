"""The calculator on a slow connection: progress in megabytes, no false failure, "Try again" that waits.

Chromium's own network throttling (DevTools protocol, Network.emulateNetworkConditions) slows every
download of the page and of its worker. The page's start-up timeout (config.loadTimeoutMs) is cut to a
few seconds in the served page so that a download longer than it is cheap to make; the timeout counts
from the worker's last sign of life (a byte downloaded, a stage reached), so the page must not say that
the calculator cannot start while bytes still arrive. No time is asserted: the machine is shared.
"""

from __future__ import annotations

import json
import re

from browser.pages import FAILED

from calculator import calculate

PAGE = "en/calculator/"
READY_TIMEOUT_MS = 180_000
# The page's timeout in these tests: much shorter than the throttled download below.
SHORT_TIMEOUT_MS = 3_000
# Bytes per second: the page's compressed downloads (a few MB) take well over SHORT_TIMEOUT_MS.
THROTTLED = {"offline": False, "latency": 150, "downloadThroughput": 400_000, "uploadThroughput": 100_000}
MEGABYTES = re.compile(r"^Downloaded: (\d+\.\d) MB of (\d+\.\d) MB$")
# Every state the calculator passed through and every download text it showed, in order.
WATCH = """
window.__seen = { states: [], downloads: [], bar: [] };
new MutationObserver(() => {
  const root = document.querySelector("[data-calculator]");
  const download = document.querySelector("[data-calculator-download]");
  const seen = window.__seen;
  if (root?.dataset.state && seen.states.at(-1) !== root.dataset.state) seen.states.push(root.dataset.state);
  const text = download && !download.hidden ? download.textContent : "";
  if (text && seen.downloads.at(-1) !== text) seen.downloads.push(text);
  const bar = document.querySelector("[data-calculator-progress]");
  if (bar && seen.bar.at(-1) !== bar.value) seen.bar.push(bar.value);
}).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
"""


def _short_timeout(page, site_url: str) -> None:
    """Serve the calculator page with loadTimeoutMs cut to SHORT_TIMEOUT_MS (the config is JSON, not script)."""

    def handle(route):
        response = route.fetch()
        body, count = re.subn(r'"loadTimeoutMs":\s*\d+', f'"loadTimeoutMs": {SHORT_TIMEOUT_MS}', response.text())
        assert count == 1, "the page's config has no loadTimeoutMs"
        route.fulfill(response=response, body=body)

    page.route(site_url + PAGE, handle)


def _config(page) -> dict:
    return json.loads(page.text_content("#calculator-config"))


def test_a_slow_download_shows_megabytes_and_never_a_failure(new_page, site_url):
    """Throttled to 400 kB/s: the page counts megabytes up, never says it cannot start, and goes live."""
    page = new_page()
    page.add_init_script(WATCH)
    _short_timeout(page, site_url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THROTTLED)
    page.goto(site_url + PAGE)
    page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
    seen = page.evaluate("window.__seen")
    config = _config(page)
    assert config["loadTimeoutMs"] == SHORT_TIMEOUT_MS
    assert "failed" not in seen["states"], seen
    assert seen["states"][-1] == "ready"
    readings = [MEGABYTES.match(text) for text in seen["downloads"]]
    assert readings and all(readings), seen["downloads"]
    received = [float(match[1]) for match in readings]
    totals = {match[2] for match in readings}
    # The total is what the build says a start from the snapshot downloads; the count goes up to it.
    assert totals == {f"{config['downloadBytes']['snapshot'] / 1e6:.1f}"}
    assert received == sorted(received) and len(set(received)) >= 5, received
    assert received[-1] == float(totals.pop())
    # The bar moves with the bytes (not ahead of them), and never back.
    assert seen["bar"] == sorted(seen["bar"]) and len(seen["bar"]) >= 5, seen["bar"]
    # The download took longer than the page's timeout, so the old rule (from page load) would have failed.
    timings = json.loads(page.get_attribute("[data-calculator]", "data-worker-timings"))
    assert timings["start"] == "snapshot"
    assert int(page.get_attribute("[data-calculator]", "data-ready-ms")) > 2 * SHORT_TIMEOUT_MS
    response = calculate({"lang": "en", "lines": config["exampleLines"]})
    assert page.get_attribute("#estimate", "data-total-inc-vat") == response["estimate"]["total_inc_vat"]
    assert page.is_hidden("[data-calculator-download]")


def test_try_again_waits_for_the_download_in_progress(new_page, site_url):
    """The snapshot stalls: the page says so after the timeout; "Try again" waits for that same download."""
    page = new_page()
    page.add_init_script(WATCH)
    _short_timeout(page, site_url)
    held = []

    def hold(route):  # the snapshot's download; the worker's HEAD (is it compressed?) goes through
        if route.request.method == "GET":
            held.append(route)
        else:
            route.continue_()

    page.route("**/assets/snapshot/*.snapshot", hold)
    workers = []
    page.on("worker", lambda worker: "/calculator/worker." in worker.url and workers.append(worker.url))
    page.goto(site_url + PAGE)
    page.wait_for_selector(FAILED, state="attached", timeout=60_000)
    assert page.is_visible("[data-calculator-retry]")
    assert len(held) == 1
    page.click("[data-calculator-retry]")
    assert page.get_attribute("[data-calculator]", "data-state") == "loading"
    assert page.is_hidden("[data-calculator-retry]")
    # No second worker, no second request for the snapshot: the first download goes on.
    page.wait_for_timeout(1_000)
    assert len(workers) == 1 and len(held) == 1, (workers, len(held))
    held[0].continue_()
    page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
    assert len(workers) == 1 and len(held) == 1
    assert json.loads(page.get_attribute("[data-calculator]", "data-worker-timings"))["start"] == "snapshot"
    assert page.evaluate("window.__seen.states") == ["loading", "failed", "loading", "ready"]


def test_try_again_after_a_dead_worker_starts_a_new_one(new_page, site_url):
    """When the start did fail (the runtime's .wasm refused), "Try again" starts a fresh worker that goes live."""
    page = new_page()
    refuse = {"on": True}

    def wasm(route):
        if refuse["on"]:
            route.abort()
        else:
            route.continue_()

    page.route("**/*.wasm", wasm)
    workers = []
    page.on("worker", lambda worker: "/calculator/worker." in worker.url and workers.append(worker.url))
    page.goto(site_url + PAGE)
    page.wait_for_selector(FAILED, state="attached", timeout=60_000)
    refuse["on"] = False
    page.click("[data-calculator-retry]")
    page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
    assert len(workers) == 2
