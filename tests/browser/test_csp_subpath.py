"""The site under the shipped security headers, at a sub-path: every page and the calculator, no CSP violation.

The site is built for http://127.0.0.1:<port>/terms/ (SITE_URL, as the publish workflow does for GitHub
Pages) and served there by tools/serve.py, which applies the site/_headers that the build wrote, so the
browser enforces exactly the Content-Security-Policy a host would send. Violations are collected three
ways: `securitypolicyviolation` events in each page (an init script), the same events inside every Web
Worker (a one-line prelude added to each worker script as the test fetches it: Pyodide runs in one), and
the browser's own console reports.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser.pages import FAILED
from sitecheck import build_site

from tools.serve import make_server

BASE = "/terms/"
LANG_PREFIXES = ("", "sv/", "en/")
# The calculator's public contract: a shareable link, and the result element Python fills in.
CALCULATOR_QUERY = "calculator/?tariff=no-service&case=service-case&minutes=130"
EXPECTED_TOTAL_INC_VAT = "2812.50"  # 130 min = 9 started quarters x NOK 250 = 2250.00 + 25 % VAT
# Where worker scripts live (matched on the URL's path: `worker.js?v=1a2b`, `worker.0123456789ab.js`): the
# theme's search worker and the calculator's Pyodide worker. A worker outside these fails the tests, naming its URL.
WORKER_SCRIPTS = ("*/workers/*.js", "*/worker.js", "*/worker.mjs", "*.worker.js", "*/calculator/worker.*.js")

PAGE_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || "?"}:${event.lineNumber || "?"}`);
});
"""
# Added before a worker script's own code (after a "use strict" directive, which must stay first).
WORKER_PRELUDE = (
    'self.addEventListener("securitypolicyviolation", (event) => console.error('
    '"CSP violation in worker: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")));\n'
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The site built for /terms/ on a free port and served there with its own _headers."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}{BASE}"
    site = tmp_path_factory.mktemp("site-under-terms")
    result = build_site(site, env={"SITE_URL": url})
    assert result.returncode == 0, f"mkdocs build with SITE_URL={url} failed:\n{result.stdout}\n{result.stderr}"
    assert (site / "_headers").is_file(), "the build wrote no _headers (sitebuild/security_headers.py)"
    server = make_server(site, port=port, base=BASE)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, url
    server.shutdown()
    server.server_close()


def _is_worker_script(url: str) -> bool:
    path = urlsplit(url).path
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in WORKER_SCRIPTS)


class Watch:
    """One browser context on the site: every CSP report and page error, and which workers ran."""

    def __init__(self, browser, origin: str) -> None:
        self.context = browser.new_context()
        self.reports: list[str] = []
        self.errors: list[str] = []
        self.workers: list[str] = []
        self.instrumented: set[str] = set()
        self.requests: list[str] = []  # the pages' and the workers' alike
        self.context.add_init_script(PAGE_LISTENER)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route(lambda url: not url.startswith(origin), lambda route: route.abort())
        self.context.route(_is_worker_script, self._instrument_worker)
        self.context.on("console", self._console)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        # Without the fragment (the calculator's worker carries its SETUP there): no request includes it.
        self.page.on("worker", lambda worker: self.workers.append(worker.url.split("#")[0]))

    def _instrument_worker(self, route, request) -> None:
        response = route.fetch()
        body = response.text()
        head = ""
        for directive in ('"use strict";', "'use strict';"):
            if body.startswith(directive):
                head, body = directive, body[len(directive) :]
        # Same status and headers (so the same CSP) as served; the body is sent decoded.
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")}
        self.instrumented.add(request.url)
        route.fulfill(status=response.status, headers=headers, body=head + WORKER_PRELUDE + body)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text or text.startswith("Refused to"):
            self.reports.append(f"console {message.type}: {text}")

    def visit(self, url: str) -> list[str]:
        """Open a page, let its scripts and workers settle, and return every violation seen there."""
        self.reports.clear()
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '?'}"
        assert response.headers.get("content-security-policy"), f"{url} was served without a CSP"
        self.page.wait_for_timeout(300)  # Material's deferred work and the search worker start
        return self.page.evaluate("window.__cspViolations") + list(self.reports)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watch(browser, subpath_site) -> Iterator[Watch]:
    _, url = subpath_site
    origin = url[: -len(BASE)]
    session = Watch(browser, origin)
    yield session
    session.close()


def site_pages(site: Path) -> list[str]:
    """Every built page as a path under the base: "", "sv/", "en/norway/", "404.html"."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        pages.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return pages


def test_every_page_works_under_the_csp_at_a_sub_path(subpath_site, watch: Watch) -> None:
    """Each page of each language loads at /terms/ with the shipped headers and reports no violation."""
    site, url = subpath_site
    pages = site_pages(site)
    for prefix in LANG_PREFIXES:
        assert prefix in pages, f"no home page at {BASE}{prefix}"
    problems = {}
    for path in pages:
        violations = watch.visit(url + path)
        if violations:
            problems[path or "/"] = violations
    assert not problems, f"CSP violations under {url}:\n" + "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert not watch.errors, "script errors:\n" + "\n".join(watch.errors)
    unwatched = set(watch.workers) - watch.instrumented
    assert not unwatched, f"workers ran without the violation listener (add their pattern): {sorted(unwatched)}"


@pytest.mark.parametrize("prefix", LANG_PREFIXES)
def test_the_calculator_computes_under_the_csp_at_a_sub_path(subpath_site, watch: Watch, prefix: str) -> None:
    """A shared calculator link is computed by Python in the worker: Pyodide runs under the CSP at /terms/, and
    every file, the worker's included, comes from under /terms/ (no template or script assumes the root)."""
    _, url = subpath_site
    watch.requests.clear()
    violations = watch.visit(url + prefix + CALCULATOR_QUERY)
    live = f'#estimate[data-source="live"][data-total-inc-vat="{EXPECTED_TOTAL_INC_VAT}"]'
    # Python's result, or the page giving up (data-state="failed"), whichever comes first.
    watch.page.wait_for_function(
        "([live, failed]) => document.querySelector(live) || document.querySelector(failed)",
        arg=[live, FAILED],
        timeout=60_000,
    )
    state = watch.page.get_attribute("[data-calculator]", "data-state")
    reports = watch.page.evaluate("window.__cspViolations") + watch.reports
    assert state != "failed", f"the calculator could not start under the CSP; violations: {reports}"
    assert watch.page.get_attribute("#estimate", "data-status") == "estimate"
    outside = [request for request in watch.requests if not request.startswith(url)]
    assert watch.requests and not outside, outside
    violations += watch.page.evaluate("window.__cspViolations") + watch.reports
    assert not violations, f"CSP violations on {prefix}{CALCULATOR_QUERY}: {violations}"
    assert not watch.errors, "script errors:\n" + "\n".join(watch.errors)
    assert any("calculator" in worker for worker in watch.workers), f"no calculator worker started: {watch.workers}"
    assert set(watch.workers) <= watch.instrumented, f"unwatched workers: {set(watch.workers) - watch.instrumented}"


def test_the_watch_sees_violations_in_pages_and_workers(subpath_site, browser, tmp_path: Path) -> None:
    """Not a rubber stamp: without the script hashes and 'wasm-unsafe-eval', page and worker both report."""
    site, _ = subpath_site
    weakened = tmp_path / "site"
    shutil.copytree(site, weakened)
    headers = (weakened / "_headers").read_text("utf-8")
    headers = re.sub(r" 'sha256-[^']+'", "", headers).replace(" 'wasm-unsafe-eval'", "")
    (weakened / "_headers").write_text(headers, "utf-8")
    server = make_server(weakened, port=0, base=BASE)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    session = Watch(browser, origin)
    try:
        home = session.visit(origin + BASE)
        assert any("script-src" in report for report in home), home
        session.visit(origin + BASE + CALCULATOR_QUERY)
        for _ in range(100):  # Pyodide compiles its WebAssembly a moment after the page loads
            if any("CSP violation in worker" in report for report in session.reports):
                break
            session.page.wait_for_timeout(200)
        in_worker = [report for report in session.reports if "CSP violation in worker" in report]
        assert any("wasm" in report for report in in_worker), session.reports
    finally:
        session.close()
        server.shutdown()
        server.server_close()
