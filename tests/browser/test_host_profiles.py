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
import sys
from pathlib import Path

import pytest

from calculator import calculate

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from serve import PROFILES, serve_in_thread  # noqa: E402

PAGE = "en/calculator/"
READY_TIMEOUT_MS = 120_000
PYODIDE_PARTS = ("/assets/pyodide/", "/assets/snapshot/", "/assets/wheels/")


@pytest.fixture(params=PROFILES)
def host(request, built_site):
    server, url = serve_in_thread(built_site, profile=request.param)
    yield request.param, server, url
    server.shutdown()
    server.server_close()


def test_the_calculator_goes_live_under_every_host_profile(browser, built_site, host):
    """Live, no CSP message, custom headers only where the host honours them; the snapshot as small as the host allows."""
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
        # Never the raw 14 MB: the gzip copy as a file, inflated by the worker.
        assert timings["snapshotVia"] == "gzip-file"
        assert snapshot_path not in pyodide
        assert pyodide[snapshot_path + ".gz"] == (snapshot_file.parent / (snapshot_file.name + ".gz")).stat().st_size
    wasm = next(path for path in pyodide if path.endswith("pyodide.asm.wasm"))
    assert pyodide[wasm] < (built_site / wasm.lstrip("/")).stat().st_size * 0.8, "the .wasm went out uncompressed"
    total = sum(pyodide.values())
    # Printed for the record (pytest -s); `make bench` writes them against stock Pyodide.
    print(f"\n{profile}: Pyodide bytes sent {total} ({total / 2**20:.2f} MiB): {pyodide}")
    assert total < 10 * 2**20
