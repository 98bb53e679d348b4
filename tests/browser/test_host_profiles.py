"""The calculator goes live under every host profile of tools/serve.py, and its bytes are counted.

- precompressed: the build's .br copies negotiated (as deploy/nginx.conf serves them);
- plain: files as they are, no custom headers, gzip on the fly only for text, JavaScript, JSON, XML,
  SVG and wasm (GitHub Pages): the snapshot (application/octet-stream) would go out raw, so the worker
  fetches its gzip copy as a file and inflates it;
- headers: plain, but with the site's _headers (Netlify, Cloudflare Pages).

Bytes are the body bytes the server sent (compressed or not) on a cold cache: deterministic, unlike
times. `make bench` compares them with stock Pyodide's core; here each profile's total is checked
against the files the page needs.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from calculator import calculate
from tools.serve import PROFILES, run_nginx, serve_in_thread

ROOT = Path(__file__).resolve().parent.parent.parent

PAGE = "en/calculator/"
READY_TIMEOUT_MS = 120_000
PYODIDE_PARTS = ("/assets/pyodide/", "/assets/snapshot/", "/assets/wheels/", "/assets/brotli-dec-wasm/")
# Stock Pyodide's core: what a page that only calls loadPyodide() downloads.
STOCK_CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


@pytest.fixture(params=PROFILES)
def host(request, built_site):
    server, url = serve_in_thread(built_site, profile=request.param)
    yield request.param, server, url
    server.shutdown()
    server.server_close()


def _stock_core_bytes(url: str, runtime_dir: str) -> int:
    """The bytes this host sends for stock Pyodide's core files, asked for as a browser asks."""
    total = 0
    for name in STOCK_CORE:
        request = urllib.request.Request(
            f"{url.rstrip('/')}/{runtime_dir}/{name}", headers={"Accept-Encoding": "gzip, deflate, br"}
        )
        with urllib.request.urlopen(request) as response:
            total += len(response.read())
    return total


def test_the_calculator_goes_live_under_every_host_profile(browser, built_site, host):
    """Live, no CSP message, custom headers only where the host honours them, the snapshot as small as it allows."""
    profile, server, url = host
    context = browser.new_context()
    try:
        page = context.new_page()
        csp_messages: list[str] = []
        page.on("console", lambda m: "Content-Security-Policy" in m.text and csp_messages.append(m.text))
        documents = []
        page.on(
            "response", lambda response: response.request.resource_type == "document" and documents.append(response)
        )
        page.goto(url + PAGE)
        page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        config = json.loads(page.text_content("#calculator-config"))
        expected = calculate({"lang": "en", "lines": config["exampleLines"]})["estimate"]["total_inc_vat"]
        assert page.get_attribute("#estimate", "data-total-inc-vat") == expected
        timings = json.loads(page.get_attribute("[data-calculator]", "data-worker-timings"))
        headers = documents[0].all_headers()
        snapshot_path = page.evaluate("(url) => new URL(url, location.href).pathname", config["snapshot"]["url"])
    finally:
        context.close()
    assert csp_messages == []
    assert ("content-security-policy" in headers) == (profile != "plain")
    assert timings["start"] == "snapshot"
    snapshot_file = built_site / snapshot_path.lstrip("/")
    sent = dict(server.sent)
    pyodide = {path: size for path, size in sent.items() if any(part in path for part in PYODIDE_PARTS)}
    if profile == "precompressed":
        # The brotli copy, negotiated.
        assert timings["snapshotVia"] == "encoded"
        assert pyodide[snapshot_path] == (snapshot_file.parent / (snapshot_file.name + ".br")).stat().st_size
    else:
        # Never the raw 14 MB: the brotli copies of the snapshot and the .wasm as files, decoded by the worker.
        assert timings["snapshotVia"] == "brotli-file"
        assert snapshot_path not in pyodide
        assert pyodide[snapshot_path + ".br"] == (snapshot_file.parent / (snapshot_file.name + ".br")).stat().st_size
        assert not any(path.endswith("pyodide.asm.wasm") for path in pyodide), "the .wasm, not its .br copy"
    wasm = next(path for path in pyodide if path.endswith(("pyodide.asm.wasm", "pyodide.asm.wasm.br")))
    wasm_file = built_site / wasm.lstrip("/").removesuffix(".br")
    assert pyodide[wasm] < wasm_file.stat().st_size * 0.8, "the .wasm went out uncompressed"
    total = sum(pyodide.values())
    stock = _stock_core_bytes(url, wasm_file.parent.relative_to(built_site).as_posix())
    assert total <= stock, f"{profile}: the calculator's {total} bytes are more than stock Pyodide's core, {stock}"
    # Printed for the record (pytest -s); `make bench` writes them against stock Pyodide.
    print(f"\n{profile}: Pyodide bytes sent {total} ({total / 2**20:.2f} MiB): {pyodide}")
    assert total < 10 * 2**20


def test_every_module_the_calculator_imports_is_hashed_and_immutable(browser, built_site):
    """Each script the calculator page and its worker load carries a content hash or Pyodide's version in
    its path and is cached as immutable (a deploy can never mix an old cached module with a new page)."""
    import re

    server, url = serve_in_thread(built_site)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + PAGE)
        page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        html = page.content()
    finally:
        context.close()
    modules = sorted(
        path
        for path in server.sent
        if path.endswith((".js", ".mjs", ".wasm")) and path.startswith(("/assets/js/calculator/", "/assets/pyodide/"))
    )
    try:
        # The page's main.js and its imports, the worker and its three, Pyodide's two modules and .wasm.
        assert len(modules) >= 11, modules
        calculator = [path for path in modules if path.startswith("/assets/js/calculator/")]
        assert all(re.search(r"\.[0-9a-f]{12}\.m?js$", path) for path in calculator), calculator
        assert all(re.match(r"/assets/pyodide/\d+\.\d+\.\d+/", path) for path in modules if path not in calculator)
        for path in modules:
            with urllib.request.urlopen(url.rstrip("/") + path) as response:
                assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        # No unversioned name of a calculator module is left in the page.
        names = "|".join(re.escape(path.stem) for path in (ROOT / "overrides/assets/js/calculator").glob("*.*js"))
        assert not re.search(rf"calculator/({names})\.m?js", html)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("copy", [".br", ".gz"])
def test_a_copy_that_decodes_to_other_bytes_is_never_loaded(browser, built_site, copy):
    """On a plain host the sha256 is checked over the decoded bytes: a wrong copy means a cold start.

    The gzip copy is the one taken when the brotli decoder cannot be loaded.
    """
    import gzip

    import brotli

    server, url = serve_in_thread(built_site, profile="plain")
    context = browser.new_context()
    try:
        page = context.new_page()
        warnings: list[str] = []
        page.on("console", lambda message: warnings.append(message.text))
        content = b"\x00not the snapshot" * 4096
        wrong = brotli.compress(content) if copy == ".br" else gzip.compress(content)
        page.route(f"**/assets/snapshot/*.snapshot{copy}", lambda route: route.fulfill(status=200, body=wrong))
        if copy == ".gz":
            page.route("**/assets/brotli-dec-wasm/*", lambda route: route.abort())
        page.goto(url + PAGE)
        page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
        assert page.get_attribute("[data-calculator]", "data-start") == "cold"
        assert any("does not match its sha256" in text for text in warnings), warnings
        assert any("the brotli copy cannot be used" in text for text in warnings) == (copy == ".gz"), warnings
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.fixture
def nginx_host(built_site, tmp_path):
    """Debian's nginx with deploy/nginx.conf as shipped (brotli_static, gzip_static), on a free port,
    serving the shared build in place (read only); yields its URL and its bytes-sent-per-path counter."""
    try:
        with run_nginx(built_site, tmp_path) as (url, sent):
            yield url, sent
    except FileNotFoundError as missing:
        pytest.fail(str(missing))


def test_the_calculator_goes_live_under_nginx_with_the_brotli_copies(browser, built_site, nginx_host):
    """The shipped nginx config: live from the snapshot, which arrives as the build's brotli copy."""
    nginx_url, sent = nginx_host
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(nginx_url + PAGE)
        page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
        timings = json.loads(page.get_attribute("[data-calculator]", "data-worker-timings"))
        config = json.loads(page.text_content("#calculator-config"))
        snapshot_path = page.evaluate("(url) => new URL(url, location.href).pathname", config["snapshot"]["url"])
    finally:
        context.close()
    assert timings["start"] == "snapshot" and timings["snapshotVia"] == "encoded"
    snapshot_file = built_site / snapshot_path.lstrip("/")
    brotli_copy = (snapshot_file.parent / (snapshot_file.name + ".br")).stat().st_size
    assert sent()[snapshot_path] == brotli_copy  # what the browser was sent: the brotli copy, once

    request = urllib.request.Request(nginx_url.rstrip("/") + snapshot_path, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request, timeout=10) as served:
        assert served.headers["Content-Encoding"] == "br"
        body = served.read()
    assert len(body) == brotli_copy


def test_without_the_wasm_brotli_copy_the_worker_takes_the_wasm_itself(browser, built_site):
    """On a plain host a missing .wasm.br costs bytes, never the calculator: the .wasm is fetched instead."""
    server, url = serve_in_thread(built_site, profile="plain")
    context = browser.new_context()
    try:
        page = context.new_page()
        warnings: list[str] = []
        page.on("console", lambda message: warnings.append(message.text))
        page.route("**/pyodide.asm.wasm.br", lambda route: route.fulfill(status=404, body=b""))
        page.goto(url + PAGE)
        page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=READY_TIMEOUT_MS)
        assert page.get_attribute("[data-calculator]", "data-start") == "snapshot"
        assert any("the brotli copy cannot be used" in text for text in warnings), warnings
        assert any(path.endswith("/pyodide.asm.wasm") for path in dict(server.sent)), dict(server.sent)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
