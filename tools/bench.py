"""`make bench`: the calculator's start-up against stock Pyodide, in one run, same server, same browser.

It builds the site (timing `make build` from a clean site/ and again with nothing changed), serves a
copy of it together with a bench-only baseline page (bench-stock/: plain `loadPyodide` in a module
worker from the same self-hosted files, first result of `1+1`; never part of the published site) from
every host (HOSTS: tools/serve.py's three profiles, and Debian's nginx with deploy/nginx.conf), and
drives Debian's headless Chromium with Playwright. Per host, alternating, ROUNDS rounds of each
(BENCH_ROUNDS, default 15; BENCH_HOSTS=serve.py,nginx picks hosts):

- cold: a fresh browser context (empty HTTP and code caches) per navigation;
- warm: a persistent profile (launch_persistent_context) that has already opened the page once and
  stayed on it until the worker had kept the snapshot (as a reader's first visit does: 3 s).

and PHONE_ROUNDS (BENCH_PHONE_ROUNDS, default 3) cold loads of each page under the phone profile.

Measured: navigation → first result computed by Python (the calculator page's
`data-first-result-ms`, set with the mark `calculator:first-python-estimate`); recalculation, input
event → updated #estimate (p50/p95); main-thread long tasks (> 50 ms) until the first result, and the
calculator's own scripts in long animation frames (script attribution tells them from the theme's), these
three on tools/serve.py only; compressed bytes of Pyodide per page on a cold cache, as each host sent them.
Prints the tables and writes them to bench/results.md.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.chromium import CHROMIUM_ARGS, wait_until_kept
from tools.serve import run_nginx, serve_in_thread

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
# 15, not 5: medians of 5 moved the warm ratio between 2.65x and 3.28x from run to run on this shared
# machine. 15 rounds take about 2.5 min; BENCH_ROUNDS=5 for a quick look.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
# A phone-profile load takes 30-60 s: 3 rounds on 4 hosts take about 15 min.
PHONE_ROUNDS = int(os.environ.get("BENCH_PHONE_ROUNDS", "3"))
# tools/serve.py's profiles (serve.py: precompressed), and nginx with deploy/nginx.conf as shipped.
HOSTS = ("serve.py", "nginx", "plain", "headers")
CHOSEN_HOSTS = [name.strip() for name in os.environ.get("BENCH_HOSTS", ",".join(HOSTS)).split(",") if name.strip()]
RECALCS = 40
TIMEOUT_MS = 60_000
PYODIDE_PARTS = ("/assets/pyodide/", "/assets/snapshot/", "/assets/wheels/", "/assets/brotli-dec-wasm/")
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


@contextmanager
def host(name: str, root: Path, tmp: Path) -> Iterator[tuple[str, Callable[[], dict[str, int]]]]:
    """One of HOSTS serving `root`: its root URL and its running count of body bytes sent per path."""
    if name == "nginx":
        with run_nginx(root, tmp / "nginx") as (url, sent):
            yield url, sent
        return
    server, url = serve_in_thread(root, profile="precompressed" if name == "serve.py" else name)
    try:
        yield url, lambda: dict(server.sent)
    finally:
        server.shutdown()
        server.server_close()


def pyodide_bytes(before: dict[str, int], after: dict[str, int]) -> int:
    """Bytes of Pyodide's files (PYODIDE_PARTS) sent between two counts."""
    return sum(n - before.get(url, 0) for url, n in after.items() if any(part in url for part in PYODIDE_PARTS))


class Visit:
    """One navigation: its first-result time, long tasks, and (with `sent`) Pyodide's bytes sent for it."""

    def __init__(self, page, url: str, ready: str, sent: Callable[[], dict[str, int]] | None = None) -> None:
        before = sent() if sent else {}
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
        self.bytes = 0
        if sent:
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            self.bytes = pyodide_bytes(before, sent())


# Lighthouse's mobile test: 4x CPU slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip.
PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
PHONE_CPU_SLOWDOWN = 4
PHONE_TIMEOUT_MS = 240_000


def phone_load(browser, url: str, ready: str) -> tuple[float, bool]:
    """One cold load under the phone profile (Chromium's DevTools protocol): the first-result time,
    and whether the page ever said the calculator could not start."""
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
        page.goto(url, timeout=PHONE_TIMEOUT_MS)
        element = page.wait_for_selector(ready, state="attached", timeout=PHONE_TIMEOUT_MS)
        return float(element.get_attribute("data-first-result-ms")), bool(page.evaluate("window.__failedOnce === true"))
    finally:
        context.close()


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


STOCK_READY = "html[data-first-result-ms]"
STOCK_PATH, CALC_PATH = "bench-stock/", "en/calculator/"


class HostRun:
    """Everything measured on one host: times per kind of load, bytes, and the calculator's details."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.times: dict[str, list[float]] = {key: [] for key in ("stock-cold", "calc-cold", "stock-warm", "calc-warm")}
        self.phone: dict[str, list[float]] = {"stock": [], "calc": []}
        self.phone_failed = 0
        self.bytes: dict[str, int] = {}
        self.starts: list[str] = []
        self.long_tasks: list[float] = []
        self.calculator_script_ms: list[float] = []
        self.breakdowns: dict[str, list[dict]] = {"cold": [], "warm": []}
        self.recalcs: list[float] = []
        self.other_bytes = self.prefetched = 0


def measure_host(playwright, browser, name: str, root: Path, tmp: Path) -> HostRun:

    result = HostRun(name)
    with host(name, root, tmp) as (base, sent):
        stock_url, calc_url = base + STOCK_PATH, base + CALC_PATH
        warm = {}
        for page_name, url, ready in (("stock", stock_url, STOCK_READY), ("calc", calc_url, CALC_READY)):
            warm[page_name] = playwright.chromium.launch_persistent_context(
                str(tmp / f"profile-{name}-{page_name}"), executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            page = warm[page_name].new_page()  # the first visit fills the profile's caches
            Visit(page, url, ready)
            if page_name == "calc":  # as a reader's first visit does: it stays until the snapshot is kept
                wait_until_kept(page, TIMEOUT_MS)
            page.close()

        def cold(url: str, ready: str, count: bool = False) -> Visit:
            context = browser.new_context()
            try:
                return Visit(context.new_page(), url, ready, sent if count else None)
            finally:
                context.close()

        def again(page_name: str, url: str, ready: str) -> Visit:
            page = warm[page_name].new_page()
            try:
                return Visit(page, url, ready)
            finally:
                page.close()

        def calculator_details(visit: Visit, variant: str) -> None:
            result.breakdowns[variant].append(visit.breakdown or {})
            result.long_tasks.extend(visit.long_tasks)
            result.calculator_script_ms.extend(visit.calculator_script_ms)
            result.starts.append(visit.start)

        for round_number in range(1, ROUNDS + 1):
            result.times["stock-cold"].append(cold(stock_url, STOCK_READY).first_ms)
            calc = cold(calc_url, CALC_READY)
            result.times["calc-cold"].append(calc.first_ms)
            calculator_details(calc, "cold")
            result.times["stock-warm"].append(again("stock", stock_url, STOCK_READY).first_ms)
            calc = again("calc", calc_url, CALC_READY)
            result.times["calc-warm"].append(calc.first_ms)
            calculator_details(calc, "warm")
            print(
                f"{name} round {round_number}: " + ", ".join(f"{k} {v[-1]:.0f} ms" for k, v in result.times.items()),
                flush=True,
            )
        # Bytes on a cold cache: the stock core, the calculator page.
        result.bytes = {
            "stock": cold(stock_url, STOCK_READY, count=True).bytes,
            "calc": cold(calc_url, CALC_READY, count=True).bytes,
        }
        if name == "serve.py":
            # Recalculation, on a warm calculator page that is ready.
            page = warm["calc"].new_page()
            Visit(page, calc_url, CALC_READY)
            result.recalcs = page.evaluate(RECALC, [RECALCS])
            page.close()
            # Another page: no byte of Pyodide before any intent, then the prefetch once the pointer
            # is over its calculator link.
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            other_page = context.new_page()
            before = sent()
            other_page.goto(base + "en/")
            other_page.wait_for_load_state("networkidle")
            other_page.wait_for_timeout(500)
            middle = sent()
            other_page.locator("a[href$='calculator/']:visible").first.hover()
            other_page.wait_for_timeout(3000)
            result.other_bytes, result.prefetched = pyodide_bytes(before, middle), pyodide_bytes(middle, sent())
            context.close()
        for context in warm.values():
            context.close()
        for round_number in range(1, PHONE_ROUNDS + 1):
            for page_name, url, ready in (("stock", stock_url, STOCK_READY), ("calc", calc_url, CALC_READY)):
                ms, failed = phone_load(browser, url, ready)
                result.phone[page_name].append(ms)
                result.phone_failed += failed and page_name == "calc"
            print(
                f"{name} phone round {round_number}: "
                + ", ".join(f"{page_name} {values[-1]:.0f} ms" for page_name, values in result.phone.items()),
                flush=True,
            )
    return result


def spread(values: list[float], scale: float = 1.0, digits: int = 0) -> str:
    median, low, high = summary(values)
    return f"{median / scale:.{digits}f} ({low / scale:.{digits}f}–{high / scale:.{digits}f})"


def report(runs: list[HostRun], builds: dict[str, float]) -> str:
    mib = 1024 * 1024
    time_rows, byte_rows, phone_rows = [], [], []
    for run_ in runs:
        for variant in ("cold", "warm"):
            stock, calc = run_.times[f"stock-{variant}"], run_.times[f"calc-{variant}"]
            speedup = summary(stock)[0] / summary(calc)[0]
            time_rows.append(f"| {run_.name} | {variant} | {spread(stock)} | {spread(calc)} | {speedup:.2f}x |")
        stock_bytes, calc_bytes = run_.bytes["stock"], run_.bytes["calc"]
        byte_rows.append(
            f"| {run_.name} | {stock_bytes / mib:.2f} | {calc_bytes / mib:.2f} | {calc_bytes / stock_bytes:.2f}x |"
        )
        if run_.phone["stock"]:
            speedup = summary(run_.phone["stock"])[0] / summary(run_.phone["calc"])[0]
            phone_rows.append(
                f"| {run_.name} | {spread(run_.phone['stock'], 1000, 1)} | {spread(run_.phone['calc'], 1000, 1)} | "
                f"{speedup:.2f}x | {run_.phone_failed} of {len(run_.phone['calc'])} |"
            )
    lines = [
        "# `make bench`: calculator start-up against stock Pyodide",
        "",
        f"Machine: {machine()}. Headless Debian Chromium; every host on localhost.",
        f"Hosts: {', '.join(run_.name for run_ in runs)}. serve.py: tools/serve.py with the build's .br/.gz",
        "negotiated; nginx: Debian's nginx with deploy/nginx.conf as shipped (brotli_static, gzip_static);",
        "plain: files as they are, gzip on the fly only for text, JavaScript, JSON, XML, SVG and wasm (GitHub",
        "Pages); headers: plain with the site's _headers (Netlify, Cloudflare Pages).",
        f"{ROUNDS} rounds per host (BENCH_ROUNDS), each round a cold and a warm load of each page, alternating;",
        "times are from navigation to the first result computed by Python (the calculator: its first live",
        "estimate; the baseline: `1+1` after a plain `loadPyodide` in a module worker, from the same files).",
        "Median (min–max); speed-up = the baseline's median / the calculator's median, same host, same run.",
        "The machine is shared with other people's work: the ratios are what counts, not the times.",
        "",
        "| host | cache | stock Pyodide, ms | calculator page, ms | speed-up |",
        "| --- | --- | ---: | ---: | ---: |",
        *time_rows,
        "",
        "## Bytes (cold cache, Pyodide's files as each host sent them)",
        "",
        "| host | stock Pyodide core, MiB | calculator page, MiB | calculator / stock |",
        "| --- | ---: | ---: | ---: |",
        *byte_rows,
        "",
        f"## Phone profile (4x CPU slowdown, 1.6 Mbit/s, 150 ms round trip; {PHONE_ROUNDS} cold loads of each "
        "page per host, alternating)",
        "",
        "| host | stock Pyodide, s | calculator page, s | speed-up | the page said it could not start |",
        "| --- | ---: | ---: | ---: | --- |",
        *phone_rows,
        "",
    ]
    serve = next((run_ for run_ in runs if run_.name == "serve.py"), None)
    if serve:

        def stage(variant: str, key: str) -> str:
            values = [b[key] for b in serve.breakdowns[variant] if isinstance(b.get(key), (int, float))]
            return f"{statistics.median(values):.0f}" if values else "–"

        def sources(variant: str) -> str:
            found = [b.get("from") or "none" for b in serve.breakdowns[variant]]
            return ", ".join(f"{found.count(name)} {name}" for name in sorted(set(found)))

        long_tasks, script_ms = serve.long_tasks, serve.calculator_script_ms
        lines += [
            "## The calculator on serve.py",
            "",
            f"- Calculator starts: {', '.join(sorted(set(serve.starts)))} "
            f"({serve.starts.count('snapshot')} of {len(serve.starts)} from the snapshot).",
            "- Where the calculator's time goes (medians, in ms after navigation):",
            *(
                f"  - {variant}: worker launched at {stage(variant, 'launch')} ms, its script running at "
                f"{stage(variant, 'workerStarted')}, pyodide.mjs imported at {stage(variant, 'runtimeImported')}, "
                f"snapshot checked at {stage(variant, 'snapshotReady')} ({sources(variant)}), "
                f"Python restored at {stage(variant, 'pythonRestored')}, "
                f"the calculator answering at {stage(variant, 'calculatorAnswered')}"
                for variant in ("cold", "warm")
            ),
            f"- Recalculation, input event → updated #estimate, {len(serve.recalcs)} inputs: "
            f"p50 {percentile(serve.recalcs, 0.5):.1f} ms, p95 {percentile(serve.recalcs, 0.95):.1f} ms.",
            "- Main-thread long tasks over 50 ms on the calculator page until its first estimate, "
            f"all {len(serve.starts)} loads: {len(long_tasks)}"
            + (f" (longest {max(long_tasks):.0f} ms)" if long_tasks else "")
            + "; the calculator's own scripts in them (long animation frames' script attribution): "
            + (f"{len(script_ms)} runs, longest {max(script_ms):.0f} ms" if script_ms else "none over 5 ms")
            + ". The rest is the theme's bundle and the page itself.",
            f"- Another page (en/): {serve.other_bytes} bytes of Pyodide, then {serve.prefetched / mib:.2f} MiB "
            "prefetched once the pointer is over its calculator link.",
            "",
        ]
    lines += [
        f"`make build`: {builds['clean']:.1f} s from a clean site/, {builds['unchanged']:.1f} s with nothing changed.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    from playwright.sync_api import sync_playwright

    unknown = sorted(set(CHOSEN_HOSTS) - set(HOSTS))
    if unknown:
        print(f"BENCH_HOSTS: unknown host(s) {', '.join(unknown)}; one or more of {','.join(HOSTS)}", file=sys.stderr)
        return 2
    print("building the site (make build, from clean and again unchanged) ...", flush=True)
    builds = build_times()
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        server_root = serve_root(tmp)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name in CHOSEN_HOSTS:
                print(f"{name}: {ROUNDS} rounds, then bytes, then {PHONE_ROUNDS} phone-profile rounds ...", flush=True)
                runs.append(measure_host(playwright, browser, name, server_root, tmp))
            browser.close()
    text = report(runs, builds)
    print("\n" + text)
    out = ROOT / "bench" / "results.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, "utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
