"""`make bench`: the calculator's start-up against stock Pyodide, in one run, same server, same browser.

It builds the site (timing `make build` from a clean site/ and again with nothing changed), serves a
copy of it with tools/serve.py (brotli/gzip, cache headers, the site's _headers) together with a
bench-only baseline page (bench-stock/: plain `loadPyodide` in a module worker from the same
self-hosted files, first result of `1+1`; never part of the published site), and drives Debian's
headless Chromium with Playwright. Alternating, ROUNDS rounds of each:

- cold: a fresh browser context (empty HTTP and code caches) per navigation;
- warm: a persistent profile (launch_persistent_context) that has already opened the page once and
  stayed on it until the worker had kept the snapshot (as a reader's first visit does: 3 s).

Measured: navigation → first result computed by Python (the calculator page's
`data-first-result-ms`, set with the mark `calculator:first-python-estimate`); recalculation, input
event → updated #estimate (p50/p95); main-thread long tasks (> 50 ms) until the first result, and the
calculator's own scripts in long animation frames (script attribution tells them from the theme's); compressed
bytes of Pyodide per page on a cold cache, as the server sent them. Prints a table and writes it to bench/results.md.
"""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.chromium import CHROMIUM_ARGS, wait_until_kept
from tools.serve import PROFILES, SiteHandler, serve_in_thread

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
# 15, not 5: medians of 5 moved the warm ratio between 2.65x and 3.28x from run to run on this shared
# machine. 15 rounds take about 2.5 min; BENCH_ROUNDS=5 for a quick look.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
RECALCS = 40
TIMEOUT_MS = 60_000
PYODIDE_PARTS = ("/assets/pyodide/", "/assets/snapshot/", "/assets/wheels/")
CALC_READY = "[data-calculator][data-first-result-ms]"

STOCK_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stock Pyodide baseline</title>
<script type="module" src="stock.js"></script></head>
<body><p>Stock Pyodide in a module worker: <output id="result">loading</output></p></body></html>
"""
STOCK_PAGE_JS = """const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  document.getElementById("result").textContent = event.data;
  performance.mark("stock:first-python-result");
  document.documentElement.dataset.firstResultMs = String(Math.round(performance.now()));
};
"""
STOCK_WORKER_JS = """import { loadPyodide } from "../assets/pyodide/{version}/pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: new URL("../assets/pyodide/{version}/", import.meta.url).href });
self.postMessage(String(pyodide.runPython("1+1")));
"""
# Registered before any page script: long tasks on the main thread, with their time, and the long
# animation frames with the scripts that ran in them (each script's URL and duration), which is what
# tells the calculator's own work from the theme's.
OBSERVE_LONG_TASKS = """
window.__longTasks = [];
window.__longFrames = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__longFrames.push([entry.startTime, entry.scripts.map((s) => [s.sourceURL, s.duration])]);
    }
  }).observe({ type: "long-animation-frame", buffered: true });
} catch (error) {}
"""
# A script of the calculator's own: its files (the inline boot.js runs for about a millisecond).
CALCULATOR_SCRIPTS = "/assets/js/calculator/"
RECALC = """async ([count]) => {
  const estimate = document.getElementById("estimate");
  const input = document.querySelector("[data-part=time-input]");
  const times = [];
  for (let i = 0; i < count; i++) {
    const value = String(15 * (i + 2));
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
      observer.observe(estimate, { attributes: true, attributeFilter: ["data-total-ex-vat"] });
    });
    input.value = value;
    const began = performance.now();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    times.push((await changed) - began);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return times;
}"""


def run(command: list[str], env: dict | None = None) -> float:
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - began


def build_times() -> dict[str, float]:
    shutil.rmtree(ROOT / "site", ignore_errors=True)
    env = {"NO_MKDOCS_2_WARNING": "1"}
    clean = run(["make", "build"], env)
    unchanged = run(["make", "build"], env)
    return {"clean": clean, "unchanged": unchanged}


def serve_root(tmp: Path) -> Path:
    """A hard-linked copy of site/ plus the bench-only baseline page, served as one origin."""
    root = tmp / "www"
    shutil.copytree(ROOT / "site", root, copy_function=os.link)
    version = next((root / "assets" / "pyodide").iterdir()).name
    stock = root / "bench-stock"
    stock.mkdir()
    (stock / "index.html").write_text(STOCK_HTML, "utf-8")
    (stock / "stock.js").write_text(STOCK_PAGE_JS, "utf-8")
    (stock / "worker.js").write_text(STOCK_WORKER_JS.replace("{version}", version), "utf-8")
    return root


# Bytes as the server sent them (compressed), per URL path: workers' requests included, which the
# page-level request events of Playwright do not all report. Reset before each measured visit.
SENT: dict[str, int] = {}
_body = SiteHandler._body


def _counting_body(self, target, content_type):
    body, encoding = _body(self, target, content_type)
    if self.command == "GET":  # a HEAD request sends no body
        SENT[self.path.split("?")[0]] = SENT.get(self.path.split("?")[0], 0) + len(body)
    return body, encoding


SiteHandler._body = _counting_body


class Visit:
    """One navigation: its first-result time, long tasks, and compressed bytes per URL."""

    def __init__(self, page, url: str, ready: str, measure_bytes: bool = False) -> None:
        SENT.clear()
        page.add_init_script(OBSERVE_LONG_TASKS)
        page.goto(url)
        page.wait_for_selector(ready, state="attached", timeout=TIMEOUT_MS)
        self.first_ms = float(page.eval_on_selector(ready, "e => e.dataset.firstResultMs"))
        tasks = page.evaluate("window.__longTasks")
        self.long_tasks = [duration for start, duration in tasks if start <= self.first_ms and duration > 50]
        frames = page.evaluate("window.__longFrames")
        # The calculator's scripts' time in long frames until the first estimate.
        self.calculator_script_ms = [
            duration
            for start, scripts in frames
            if start <= self.first_ms
            for url, duration in scripts
            if CALCULATOR_SCRIPTS in url
        ]
        self.start = page.evaluate("document.querySelector('[data-calculator]')?.dataset.start ?? ''")
        # Where the calculator's time goes, in ms after navigation: the page launched the worker (boot.js);
        # the worker's stages come as ms since the epoch (timings.at), lined up with the page's clock.
        self.breakdown = page.evaluate(
            """(() => {
              const root = document.querySelector('[data-calculator]');
              const launch = performance.getEntriesByName('calculator:launch', 'mark')[0];
              if (!root || !launch) return null;
              const timings = JSON.parse(root.dataset.workerTimings || '{}');
              const stages = Object.fromEntries(Object.entries(timings.at || {}).map(
                ([stage, at]) => [stage, at - performance.timeOrigin]));
              return {launch: launch.startTime, ...stages, from: timings.snapshotFrom || ''};
            })()"""
        )
        if measure_bytes:
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
        self.bytes = dict(SENT)

    def pyodide_bytes(self) -> int:
        return sum(size for url, size in self.bytes.items() if any(part in url for part in PYODIDE_PARTS))


def bytes_per_profile(browser, root: Path) -> list[tuple[str, int, int]]:
    """(profile, stock core bytes, calculator page bytes) for each host profile of tools/serve.py.

    Cold cache (a fresh context per page), Pyodide's files only, as each server sent them (compressed
    or not): deterministic for a given build, unlike times.
    """
    rows = []
    for profile in PROFILES:
        server, base = serve_in_thread(root, profile=profile)
        try:
            sent = {}
            pages = (("stock", "bench-stock/", "html[data-first-result-ms]"), ("calc", "en/calculator/", CALC_READY))
            for name, path, ready in pages:
                server.sent.clear()
                context = browser.new_context()
                try:
                    page = context.new_page()
                    page.goto(base + path)
                    page.wait_for_selector(ready, state="attached", timeout=TIMEOUT_MS)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)
                finally:
                    context.close()
                sent[name] = sum(n for url, n in server.sent.items() if any(part in url for part in PYODIDE_PARTS))
            rows.append((profile, sent["stock"], sent["calc"]))
        finally:
            server.shutdown()
            server.server_close()
    return rows


# Lighthouse's mobile test: 4x CPU slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip.
PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
PHONE_CPU_SLOWDOWN = 4
PHONE_TIMEOUT_MS = 240_000


def phone_times(browser, root: Path) -> list[tuple[str, float, float, bool]]:
    """(profile, stock ms, calculator ms, whether the calculator ever said it could not start) for one
    cold load of each page per host profile under the phone profile (Chromium's DevTools protocol)."""
    rows = []
    for profile in PROFILES:
        server, base = serve_in_thread(root, profile=profile)
        try:
            result = {}
            pages = (("stock", "bench-stock/", "html[data-first-result-ms]"), ("calc", "en/calculator/", CALC_READY))
            for name, path, ready in pages:
                context = browser.new_context()
                try:
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
                    page.add_init_script(
                        "new MutationObserver(() => { if (document.querySelector('[data-state=failed]'))"
                        " window.__failedOnce = true; }).observe(document, {subtree: true, attributes: true});"
                    )
                    page.goto(base + path, timeout=PHONE_TIMEOUT_MS)
                    element = page.wait_for_selector(ready, state="attached", timeout=PHONE_TIMEOUT_MS)
                    result[name] = float(element.get_attribute("data-first-result-ms"))
                    result[f"{name}-failed"] = bool(page.evaluate("window.__failedOnce === true"))
                finally:
                    context.close()
            rows.append((profile, result["stock"], result["calc"], result["calc-failed"]))
        finally:
            server.shutdown()
            server.server_close()
    return rows


def profile_table(rows: list[tuple[str, int, int]]) -> list[str]:
    mib = 1024 * 1024
    return [
        "| host profile | stock Pyodide core, MiB | calculator page, MiB | calculator / stock |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {name} | {stock / mib:.2f} | {calc / mib:.2f} | {calc / stock:.2f}x |" for name, stock, calc in rows),
    ]


def summary(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def machine() -> str:
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?"
    )
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores (nproc), {int(memory) // 1024} MiB memory, {chromium}, {platform.platform()}, "
        f"{datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}"
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    print("building the site (make build, from clean and again unchanged) ...", flush=True)
    builds = build_times()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        server_root = serve_root(tmp)
        server, base = serve_in_thread(server_root)
        stock_url = base + "bench-stock/"
        calc_url = base + "en/calculator/"
        calc_ready = CALC_READY
        stock_ready = "html[data-first-result-ms]"
        times: dict[str, list[float]] = {key: [] for key in ("stock-cold", "calc-cold", "stock-warm", "calc-warm")}
        long_tasks: list[float] = []
        calculator_script_ms: list[float] = []
        breakdowns: dict[str, list[dict]] = {"cold": [], "warm": []}
        starts: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = {}
            for name in ("stock", "calc"):
                warm[name] = playwright.chromium.launch_persistent_context(
                    str(tmp / f"profile-{name}"), executable_path=CHROMIUM, args=CHROMIUM_ARGS
                )
                page = warm[name].new_page()  # the first visit fills the profile's caches
                Visit(page, stock_url if name == "stock" else calc_url, stock_ready if name == "stock" else calc_ready)
                if name == "calc":  # as a reader's first visit does: it stays until the snapshot is kept
                    wait_until_kept(page, TIMEOUT_MS)
                page.close()

            def cold(url: str, ready: str, measure_bytes: bool = False) -> Visit:
                context = browser.new_context()
                try:
                    return Visit(context.new_page(), url, ready, measure_bytes)
                finally:
                    context.close()

            def again(name: str, url: str, ready: str) -> Visit:
                page = warm[name].new_page()
                try:
                    return Visit(page, url, ready)
                finally:
                    page.close()

            for round_number in range(1, ROUNDS + 1):
                stock = cold(stock_url, stock_ready)
                times["stock-cold"].append(stock.first_ms)
                calc = cold(calc_url, calc_ready)
                times["calc-cold"].append(calc.first_ms)
                breakdowns["cold"].append(calc.breakdown or {})
                long_tasks += calc.long_tasks
                calculator_script_ms += calc.calculator_script_ms
                starts.append(calc.start)
                times["stock-warm"].append(again("stock", stock_url, stock_ready).first_ms)
                calc = again("calc", calc_url, calc_ready)
                times["calc-warm"].append(calc.first_ms)
                breakdowns["warm"].append(calc.breakdown or {})
                long_tasks += calc.long_tasks
                calculator_script_ms += calc.calculator_script_ms
                starts.append(calc.start)
                print(
                    f"round {round_number}: " + ", ".join(f"{k} {v[-1]:.0f} ms" for k, v in times.items()), flush=True
                )

            # Recalculation, on a warm calculator page that is ready.
            page = warm["calc"].new_page()
            Visit(page, calc_url, calc_ready)
            recalcs = page.evaluate(RECALC, [RECALCS])
            page.close()
            # Bytes on a cold cache: the stock core, the calculator page, another page.
            stock_bytes = cold(stock_url, stock_ready, measure_bytes=True)
            calc_bytes = cold(calc_url, calc_ready, measure_bytes=True)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            other_page = context.new_page()
            SENT.clear()
            other_page.goto(base + "en/")
            other_page.wait_for_load_state("networkidle")
            other_page.wait_for_timeout(500)
            other_bytes = dict(SENT)  # before any intent: must hold no byte of Pyodide
            SENT.clear()
            other_page.locator("a[href$='calculator/']:visible").first.hover()
            other_page.wait_for_timeout(3000)
            warmed_bytes = dict(SENT)  # after pointing at the calculator link: the prefetch
            context.close()
            for context in warm.values():
                context.close()
            profile_rows = bytes_per_profile(browser, server_root)
            print("phone profile: one cold load of each page per host profile ...", flush=True)
            phone_rows = phone_times(browser, server_root)
            browser.close()
        server.shutdown()

    other_pyodide = sum(size for url, size in other_bytes.items() if any(part in url for part in PYODIDE_PARTS))
    warmed = sum(size for url, size in warmed_bytes.items() if any(part in url for part in PYODIDE_PARTS))
    rows = []
    for variant in ("cold", "warm"):
        stock_median = summary(times[f"stock-{variant}"])[0]
        for name, label in (("stock", "stock Pyodide (baseline)"), ("calc", "calculator page")):
            median, low, high = summary(times[f"{name}-{variant}"])
            ratio = stock_median / median
            rows.append(f"| {variant} | {label} | {median:.0f} | {low:.0f} | {high:.0f} | {ratio:.2f}x |")
    p50, p95 = percentile(recalcs, 0.5), percentile(recalcs, 0.95)

    def stage(variant: str, key: str) -> str:
        values = [b[key] for b in breakdowns[variant] if isinstance(b.get(key), (int, float))]
        return f"{statistics.median(values):.0f}" if values else "–"

    def sources(variant: str) -> str:
        found = [b.get("from") or "none" for b in breakdowns[variant]]
        return ", ".join(f"{found.count(name)} {name}" for name in sorted(set(found)))

    breakdown = [
        f"  - {variant}: worker launched at {stage(variant, 'launch')} ms, its script running at "
        f"{stage(variant, 'workerStarted')}, pyodide.mjs imported at {stage(variant, 'runtimeImported')}, "
        f"snapshot checked at {stage(variant, 'snapshotReady')} ({sources(variant)}), "
        f"Python restored at {stage(variant, 'pythonRestored')}, "
        f"the calculator answering at {stage(variant, 'calculatorAnswered')}"
        for variant in ("cold", "warm")
    ]
    mib = 1024 * 1024
    core, calc_total = stock_bytes.pyodide_bytes(), calc_bytes.pyodide_bytes()
    text = "\n".join(
        [
            "# `make bench`: calculator start-up against stock Pyodide",
            "",
            f"Machine: {machine()}. Headless Debian Chromium, tools/serve.py on localhost (brotli, cache headers).",
            f"{ROUNDS} rounds each, alternating; times are from navigation to the first result computed by Python",
            "(the calculator: its first live estimate; the baseline: `1+1` after a plain `loadPyodide` in a module",
            "worker, from the same files). Speed-up = baseline median / this median, in the same run.",
            "",
            "| cache | page | median ms | min ms | max ms | speed-up |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
            *rows,
            "",
            f"- Calculator starts: {', '.join(sorted(set(starts)))} "
            f"({starts.count('snapshot')} of {len(starts)} from the snapshot).",
            "- Where the calculator's time goes (medians, in ms after navigation):",
            *breakdown,
            f"- Recalculation, input event → updated #estimate, {len(recalcs)} inputs: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms.",
            "- Main-thread long tasks over 50 ms on the calculator page until its first estimate, "
            f"all {len(starts)} loads: "
            f"{len(long_tasks)}" + (f" (longest {max(long_tasks):.0f} ms)" if long_tasks else "") + "; "
            "the calculator's own scripts in them (long animation frames' script attribution): "
            + (
                f"{len(calculator_script_ms)} runs, longest {max(calculator_script_ms):.0f} ms"
                if calculator_script_ms
                else "none over 5 ms"
            )
            + ". The rest is the theme's bundle and the page itself.",
            f"- Compressed bytes of Pyodide on a cold cache: stock core {core / mib:.2f} MiB; calculator page "
            f"{calc_total / mib:.2f} MiB ({calc_total / core:.2f}x); another page (en/) {other_pyodide} bytes, "
            f"then {warmed / mib:.2f} MiB prefetched once the pointer is over its calculator link.",
            f"- `make build`: {builds['clean']:.1f} s from a clean site/, "
            f"{builds['unchanged']:.1f} s with nothing changed.",
            "",
            "## Bytes per host profile (tools/serve.py --profile; cold cache, Pyodide's files as sent)",
            "",
            "precompressed: the build's .br/.gz negotiated, as deploy/nginx.conf serves them; plain: files as",
            "they are, gzip on the fly only for text, JavaScript, JSON, XML, SVG and wasm (GitHub Pages);",
            "headers: plain with the site's _headers (Netlify, Cloudflare Pages).",
            "",
            *profile_table(profile_rows),
            "",
            "## Phone profile (4x CPU slowdown, 1.6 Mbit/s, 150 ms round trip; one cold load each: a single sample)",
            "",
            "| host profile | stock Pyodide, s | calculator page, s | speed-up | the page said it could not start |",
            "| --- | ---: | ---: | ---: | --- |",
            *(
                f"| {name} | {stock / 1000:.1f} | {calc / 1000:.1f} | {stock / calc:.2f}x | {('no', 'yes')[failed]} |"
                for name, stock, calc, failed in phone_rows
            ),
            "",
        ]
    )
    print("\n" + text)
    out = ROOT / "bench" / "results.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, "utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
