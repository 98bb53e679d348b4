"""`make serve` as staff use it: on a copy of the project, every saved change reaches the served pages and
the calculator, a broken change shows its reason every time, and the production headers are sent.

One preview runs for the module, started with the Makefile's own target on a copy (tracked and new files,
its own build/ with only the wheel: no snapshot, so the calculator starts cold, as the preview allows).
Each test saves a change as an editor would and polls the server; the time from save to served page is
printed (-s shows it), not asserted: machines are shared and noisy.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browser.pages import SETTLED
from sitecheck import copy_project

from calculator.formatting import format_price

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180  # a cold machine: make checks its stamps, then the first build
CHANGE_TIMEOUT = 60  # generous for a loaded CI machine; the measured time is printed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_for_preview(destination: Path) -> Path:
    """The project copied with the set-up shared read-only: .venv and node_modules linked, build/wheel/
    copied (the preview rebuilds it in the copy)."""
    return copy_project(destination, link=(".venv", "node_modules"), copy=("build/wheel",))


class RunningPreview:
    """`make serve` in a copy: its URL, its terminal output so far, and helpers to change files."""

    def __init__(self, project: Path, port: int) -> None:
        self.project = project
        self.url = f"http://127.0.0.1:{port}/"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "SITE_URL", "MFLAGS"))}
        env["PYTHONUNBUFFERED"] = "1"
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}", "HOST=127.0.0.1"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: stopped as one, by its id
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def builds_done(self) -> int:
        return sum(1 for line in self.lines if re.search(r"\] (Built in|The build failed after) ", line))

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8")

    def wait_until(self, what: str, check: Callable[[], bool], timeout: float = CHANGE_TIMEOUT) -> float:
        """Seconds until check() holds; fails with the preview's output when it never does."""
        started = time.monotonic()
        while not check():
            if self.process.poll() is not None:
                pytest.fail(f"the preview stopped (exit {self.process.returncode}):\n{self.output}")
            if time.monotonic() - started > timeout:
                pytest.fail(f"{what}: not seen within {timeout} s. The preview said:\n{self.output}")
            time.sleep(0.1)
        seconds = time.monotonic() - started
        print(f"{what}: {seconds:.1f} s after the save")
        return seconds

    def idle(self) -> None:
        """Wait until every build that earlier changes started is done, and no new one starts."""
        while True:
            started = sum(1 for line in self.lines if "] Building the site (" in line)
            time.sleep(0.6)  # longer than the preview's poll and quiet period together
            if started == sum(1 for line in self.lines if "] Building the site (" in line) == self.builds_done():
                return

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.project / path
        text = file.read_text("utf-8")
        assert old in text, f"{path} no longer holds {old!r}: pick another change"
        file.write_text(text.replace(old, new, 1), "utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPreview]:
    project = copy_for_preview(tmp_path_factory.mktemp("preview") / "project")
    # The copy shares .venv and node_modules: make must see them as set up, or it would reinstall them.
    stale = subprocess.run(["make", "-q", ".venv/.installed", "node_modules/.installed"], cwd=project, check=False)
    assert stale.returncode == 0, "the set-up is not current: run `make setup` first"
    running = RunningPreview(project, _free_port())
    try:
        running.wait_until("the first build", lambda: running.builds_done() >= 1, timeout=START_TIMEOUT)
        assert "Built in" in running.output, running.output
        yield running
    finally:
        running.stop()


def _calculator_config(page_html: str) -> dict:
    found = re.search(r'<script id="calculator-config" type="application/json">(.*?)</script>', page_html, re.S)
    assert found, "the calculator page has no #calculator-config"
    return json.loads(found.group(1))


def _answer_of_the_served_wheel(preview: RunningPreview, wheel_url: str, lines: list[dict], tmp: Path) -> dict:
    """The estimate the calculator in the served wheel gives: the very bytes the browser unpacks."""
    with urllib.request.urlopen(wheel_url, timeout=30) as response:
        wheel = tmp / "served.whl"
        wheel.write_bytes(response.read())
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import calculator; "
        "assert calculator.__file__.startswith(sys.argv[1]), calculator.__file__; "
        "print(json.dumps(calculator.calculate(json.loads(sys.argv[2]))))"
    )
    request = json.dumps({"lang": "nb", "lines": lines})
    result = subprocess.run(
        [sys.executable, "-c", code, str(wheel), request], capture_output=True, text=True, check=True, cwd=tmp
    )
    return json.loads(result.stdout)


def test_the_preview_sends_the_production_headers_and_the_edit_link(preview: RunningPreview) -> None:
    from sitebuild.security_headers import parse_headers, site_wide

    status, headers, page = preview.get("sv/sweden/")
    assert status == 200
    shipped = site_wide(parse_headers((ROOT / "deploy" / "_headers").read_text("utf-8")))
    for name, value in shipped.items():
        if name == "Content-Security-Policy":
            policy = headers.get(name, "")
            assert policy.startswith(value.split("{inline-script-hashes}")[0]), policy
            assert "'sha256-" in policy and "'unsafe-inline'" not in policy
        else:
            assert headers.get(name) == value, (name, headers)
    assert headers.get("Cache-Control") == "no-cache"  # an edited stylesheet or script shows at once
    # The preview is for staff: the pencil is there (the published build has none, test_edit_links.py).
    assert re.search(r'<a href="https://[^"]+/edit/main/docs/sv/sweden\.md"[^>]*rel="edit"', page)
    # Live reload is a script file of the site's own origin, which the policy allows; no inline script.
    assert re.search(r'<script src="/__preview/reload\.js" data-epoch="\d+"></script></body>', page)
    status, headers, script = preview.get("__preview/reload.js")
    assert status == 200 and "location.reload()" in script and headers["Content-Type"].startswith("text/javascript")


def test_a_price_change_reaches_the_pages_and_the_calculator(
    preview: RunningPreview, browser, tmp_path: Path, record_property
) -> None:
    preview.idle()
    tariff = tomllib.loads((preview.project / "calculator" / "tariff.toml").read_text("utf-8"))
    case = next(case for case in tariff["case"] if case["id"] == "service-case")
    old, new = Decimal(case["block_price"]), Decimal(case["block_price"]) + 25
    lines = [{"tariff": "no-service", "case": "service-case", "minutes": "90"}]
    expected_ex_vat = f"{math.ceil(90 / case['block_minutes']) * new:.2f}"
    new_texts = {lang: format_price(new, "NOK", lang) for lang in ("nb", "sv", "en")}
    assert format_price(old, "NOK", "nb") in preview.get("norway/")[2]

    # A reader has the calculator open while the price changes: the page reloads by itself.
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(preview.url + "calculator/?tariff=no-service&case=service-case&minutes=90")
        saved = time.monotonic()
        with page.expect_event("load", timeout=CHANGE_TIMEOUT * 1000):
            preview.edit("calculator/tariff.toml", f'block_price = "{case["block_price"]}"', f'block_price = "{new}"')
        reloaded = time.monotonic() - saved
        page.wait_for_selector(SETTLED, state="attached", timeout=CHANGE_TIMEOUT * 1000)
        answered = time.monotonic() - saved
        in_browser = page.eval_on_selector("#estimate", "(e) => e.getAttribute('data-total-ex-vat')")
    finally:
        page.close()
    print(f"price change: page reloaded {reloaded:.1f} s, calculator answered {answered:.1f} s after the save")
    record_property("price_change_calculator_seconds", round(answered, 1))
    assert in_browser == expected_ex_vat
    assert not [text for text in console if "Content Security Policy" in text], console

    # Every language's pages show the new amount; the calculator's first estimate and its wheel agree.
    for lang, prefix in (("nb", ""), ("sv", "sv/"), ("en", "en/")):
        assert new_texts[lang] in preview.get(f"{prefix}norway/")[2], lang
    calculator_page = preview.get("calculator/")[2]
    config = _calculator_config(calculator_page)
    assert config["snapshot"] is None  # build/snapshot/ is for the old wheel: the preview starts cold
    answer = _answer_of_the_served_wheel(
        preview, urljoin(preview.url + "calculator/", config["wheelURL"]), lines, tmp_path
    )
    assert answer["ok"] and answer["estimate"]["total_ex_vat"] == expected_ex_vat
    assert "Rebuilding the calculator wheel" in preview.output


def test_a_page_a_snippet_and_a_calculator_text_change_show(preview: RunningPreview) -> None:
    preview.idle()
    preview.edit("docs/sv/sweden.md", "\n## ", "\nEn mening som förhandsvisningen ska visa.\n\n## ")
    preview.wait_until(
        "a Swedish page", lambda: "En mening som förhandsvisningen ska visa." in preview.get("sv/sweden/")[2]
    )
    preview.edit("docs/_includes/nb/contact-norway.md", "{{ market_email no }}.", "{{ market_email no }}. Også på chat")
    preview.wait_until("a snippet", lambda: "Også på chat" in preview.get("norway/")[2])
    preview.edit("calculator/messages.toml", 'heading.sv = "', 'heading.sv = "Förhandsvisad: ')
    preview.wait_until("a calculator text", lambda: "Förhandsvisad: " in preview.get("sv/calculator/")[2])
    # The wheel the browser runs holds the new file too (its messages are the calculator's answers' texts).
    config = _calculator_config(preview.get("sv/calculator/")[2])
    with urllib.request.urlopen(urljoin(preview.url + "sv/calculator/", config["wheelURL"]), timeout=30) as response:
        with zipfile.ZipFile(io.BytesIO(response.read())) as wheel:
            assert "Förhandsvisad: " in wheel.read("calculator/messages.toml").decode("utf-8")


def test_the_same_mistake_twice_shows_its_reason_twice(preview: RunningPreview) -> None:
    preview.idle()
    reason = "docs/sv/sweden.md: {{ price module-instal.price }}: unknown case or tariff 'module-instal'"
    right, wrong = "{{ price module-install.price }}", "{{ price module-instal.price }}"
    for attempt in (1, 2):
        preview.edit("docs/sv/sweden.md", right, wrong)
        preview.wait_until(f"mistake {attempt} in the terminal", lambda n=attempt: preview.output.count(reason) == n)
        # The server answers at once, every page with the reason, never with a page that may be out of date.
        status, _, body = preview.get("sv/sweden/")
        assert status == 500 and "unknown case or tariff &#x27;module-instal&#x27;" in body
        assert preview.get("calculator/")[0] == 500
        preview.edit("docs/sv/sweden.md", wrong, right)
        preview.wait_until(f"fix {attempt}", lambda: preview.get("sv/sweden/")[0] == 200)
    assert "Aborted with a BuildError!" in preview.output
