"""The worker checks the calculator's wheel against its sha256 before it unpacks it (issue 14).

A wheel changed on the server or on its way (here: the same wheel with another price) is refused with
a message, and the page says the calculator could not start; it never shows the changed price.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from browser.pages import FAILED, SETTLED

TIMEOUT_MS = 60_000
LINES = "tariff=no-service&case=service-case&minutes=130"


def tampered(wheel: bytes) -> bytes:
    """The wheel with the service case's block price raised from 250.00 to 999.00."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wheel)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "calculator/tariff.toml":
                assert b'block_price = "250.00"' in data
                data = data.replace(b'block_price = "250.00"', b'block_price = "999.00"')
            target.writestr(item, data)
    return out.getvalue()


def _open_cold(new_page, site_url: str, wheel_route):
    page = new_page()
    warnings: list[str] = []
    # The page logs the worker's error as an object ({code, detail}): read its values, not its text.
    page.on("console", lambda message: warnings.append(" ".join(str(arg.json_value()) for arg in message.args)))
    page.route("**/assets/snapshot/*.snapshot", lambda route: route.abort())  # so the wheel is needed
    page.route("**/assets/wheels/*.whl", wheel_route)
    page.goto(f"{site_url}en/calculator/?{LINES}")
    page.wait_for_selector(f"{FAILED}, {SETTLED}", timeout=TIMEOUT_MS)
    page.warnings = warnings
    return page


def test_a_changed_wheel_is_refused(new_page, site_url, built_site: Path):
    wheel = next(built_site.glob("assets/wheels/*.whl")).read_bytes()
    changed = tampered(wheel)

    def serve_changed(route):
        route.fulfill(status=200, body=changed, content_type="application/zip")

    page = _open_cold(new_page, site_url, serve_changed)
    assert page.get_attribute("[data-calculator]", "data-state") == "failed"
    # On a loaded machine the page's own 12 s timeout may fail it first; the worker's refusal follows.
    refused = "does not match its sha256: the calculator's wheel was changed"
    for _ in range(180):
        if any(refused in text for text in page.warnings):
            break
        page.wait_for_timeout(500)
    assert any(refused in text for text in page.warnings), page.warnings
    assert page.get_attribute("[data-calculator]", "data-state") == "failed"
    assert "999" not in page.inner_text("#estimate")


def test_the_real_wheel_still_starts_cold(new_page, site_url):
    page = _open_cold(new_page, site_url, lambda route: route.continue_())
    # A slow start may pass the page's 12 s timeout first; the calculator comes to life when it gets there.
    page.wait_for_selector(SETTLED, state="attached", timeout=TIMEOUT_MS)
    assert page.get_attribute("[data-calculator]", "data-start") == "cold"
