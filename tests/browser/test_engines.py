"""The same smoke scenario in three engines: Chromium, Firefox (Gecko) and WebKitGTK (Safari's family).

Every other browser test uses Chromium, while many readers use Safari or Firefox. Here, in each engine:
every page of each language loads with no failed request (and, where the engine's driver reports it,
no console error); switching language keeps the page; the calculator goes live, recalculates a typed
time, keeps its lines across a language switch, and shows its failure message when the runtime cannot
load. Debian's packages only, installed by `make test`: chromium, firefox-esr, webkit2gtk-driver and
xvfb; the drivers are pinned (puppeteer in tools/audit/package-lock.json drives Chromium over CDP and
Firefox over WebDriver BiDi; WebKitGTK's own WebKitWebDriver speaks W3C WebDriver, driven here over
plain HTTP). WebDriver classic has no console log, so for WebKit the failed requests come from the
server's own log, as they do for the other two as well.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from browser.pages import FAILED, SETTLED

from calculator import calculate
from calculator.texts import LANGUAGES, messages
from tools.serve import make_server

ROOT = Path(__file__).resolve().parent.parent.parent

LANGS = LANGUAGES  # calculator.texts: the one list of languages
PREFIX = {"nb": "", "sv": "sv/", "en": "en/"}
PAGES = [
    PREFIX[lang] + ("" if source.stem == "index" else f"{source.stem}/")
    for lang in LANGS
    for source in sorted((ROOT / "docs" / lang).glob("*.md"))
]
FIREFOX = "/usr/bin/firefox-esr"
CHROMIUM = "/usr/bin/chromium"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
ENGINES_SCRIPT = ROOT / "tools" / "audit" / "engines.mjs"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C WebDriver key of an element reference
# The calculator's message when Python cannot start, in each language.
FAILED_MESSAGE = messages()["ui"]["failed"]


class Served:
    """A server over the built site that logs every answer of 400 or more; optionally without the .wasm."""

    def __init__(self, site: Path, block_runtime: bool = False) -> None:
        self.errors: list[str] = []
        self.server = make_server(site)
        handler = self.server.RequestHandlerClass
        served = self

        class Logged(handler.func):
            def log_request(self, code="-", size="-"):
                if int(code) >= 400 and not self.path.endswith("/no-such-page/"):
                    served.errors.append(f"{code}: {self.path}")

            def _file(self, site_path):
                if block_runtime and site_path.endswith(".wasm"):
                    return None
                return super()._file(site_path)

        self.server.RequestHandlerClass = partial(Logged, *handler.args, **handler.keywords)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}/"

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="module")
def servers(built_site: Path) -> Iterator[tuple[Served, Served]]:
    site, blocked = Served(built_site), Served(built_site, block_runtime=True)
    yield site, blocked
    site.close()
    blocked.close()


def native_total(lang: str, tariff: str, case: str, minutes: int) -> str:
    response = calculate({"lang": lang, "lines": [{"tariff": tariff, "case": case, "minutes": minutes}]})
    return response["estimate"]["total_ex_vat"]


def check_scenario(result: dict, site: Served) -> None:
    """What every engine must show; `result` as tools/audit/engines.mjs (or the WebKit driver below) gives it."""
    assert "error" not in result, result.get("error")
    assert {page: problems for page, problems in result["pages"].items() if problems} == {}
    assert set(result["pages"]) == set(PAGES)
    steps = result["steps"]
    assert steps["languageSwitch"]["url"] == site.url + "sv/norway/" and steps["languageSwitch"]["lang"] == "sv"
    recalculated = steps["recalculated"]
    assert recalculated["estimate"]["source"] == "live"
    expected = native_total("en", recalculated["tariff"], recalculated["case"], recalculated["minutes"])
    assert recalculated["estimate"]["totalExVat"] == expected
    assert steps["blocked"]["state"] == "failed" and steps["blocked"]["message"] == FAILED_MESSAGE["nb"]
    assert steps.get("problems", []) == []
    assert result["server_errors"] == []


def lines_kept(result: dict, site: Served) -> None:
    kept = result["steps"]["linesAfterSwitch"]
    assert kept["url"].startswith(site.url + "sv/calculator/?")
    assert kept["lines"] == 2 and kept["time"] == "45 min"  # minutes=45 in the link, shown with its unit


ENGINES = ("chromium", "firefox", "webkit")


@pytest.fixture(scope="module")
def scenarios() -> dict:
    """Each engine's run of the scenario, made once and judged by the tests below."""
    return {}


def run_scenario(engine: str, servers, scenarios: dict, request) -> dict:
    if engine in scenarios:
        return scenarios[engine]
    site, blocked = servers
    site.errors.clear()
    if engine == "webkit":
        browser = request.getfixturevalue("webkit")
        result = webkit_scenario(browser, site, blocked)
    else:
        executable = {"chromium": CHROMIUM, "firefox": FIREFOX}[engine]
        if not Path(executable).exists():
            pytest.fail(f"{executable} is missing: `make test` installs Debian's {Path(executable).name}")
        run = subprocess.run(
            [
                "node",
                str(ENGINES_SCRIPT),
                {"chromium": "chrome"}.get(engine, engine),
                executable,
                site.url,
                blocked.url,
                *PAGES,
            ],
            capture_output=True,
            text=True,
            cwd=ENGINES_SCRIPT.parent,
            timeout=600,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        result = json.loads(run.stdout)
    result["server_errors"] = list(site.errors)
    scenarios[engine] = result
    return result


@pytest.mark.parametrize("engine", ENGINES)
def test_every_page_loads_cleanly_and_the_calculator_works(engine: str, servers, scenarios, request) -> None:
    """No failed request or console error on any page; language switch; live, recalculated, failure message."""
    check_scenario(run_scenario(engine, servers, scenarios, request), servers[0])


@pytest.mark.parametrize("engine", ENGINES)
def test_the_calculator_keeps_its_lines_across_a_language_switch(engine: str, servers, scenarios, request) -> None:
    lines_kept(run_scenario(engine, servers, scenarios, request), servers[0])


# --- WebKitGTK over W3C WebDriver ---------------------------------------------------------------------


class WebDriver:
    """The few W3C WebDriver commands the scenario needs, over HTTP to WebKitWebDriver."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        options = {"binary": MINIBROWSER, "args": ["--automation"]}
        capabilities = {"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": options}}}
        self.session = self.call("POST", "/session", capabilities)["sessionId"]

    def call(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return json.loads(answer.read())["value"]
        except urllib.error.HTTPError as error:
            raise AssertionError(f"WebDriver {method} {path}: {error.read()[:500]!r}") from None

    def do(self, method: str, path: str, body: dict | None = None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url: str) -> None:
        self.do("POST", "/url", {"url": url})

    def js(self, script: str, *args):
        return self.do("POST", "/execute/sync", {"script": script, "args": list(args)})

    def element(self, selector: str) -> str:
        return self.do("POST", "/element", {"using": "css selector", "value": selector})[ELEMENT]

    def click(self, selector: str) -> None:
        self.do("POST", f"/element/{self.element(selector)}/click")

    def wait(self, script: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.js(script):
            if time.monotonic() > deadline:
                raise AssertionError(f"WebKit: still not true after {timeout} s: {script}")
            time.sleep(0.1)

    def url(self) -> str:
        return self.do("GET", "/url")

    def quit(self) -> None:
        self.call("DELETE", f"/session/{self.session}")


@pytest.fixture(scope="module")
def webkit() -> Iterator[WebDriver]:
    for needed in (WEBKIT_DRIVER, MINIBROWSER, shutil.which("Xvfb") or "/usr/bin/Xvfb"):
        if not Path(needed).exists():
            pytest.fail(f"{needed} is missing: `make test` installs Debian's webkit2gtk-driver and xvfb")
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        text=True,
    )
    display = ":" + xvfb.stdout.readline().strip()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    driver = subprocess.Popen([WEBKIT_DRIVER, f"--port={port}"], env={"DISPLAY": display, "PATH": "/usr/bin:/bin"})
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        session = WebDriver(port)
        yield session
        session.quit()
    finally:
        driver.terminate()
        driver.wait(10)
        xvfb.terminate()
        xvfb.wait(10)


def webkit_scenario(browser: WebDriver, site: Served, blocked: Served) -> dict:
    """tools/audit/engines.mjs's scenario, step by step over WebDriver; problems come from the server's log."""
    result: dict = {"pages": {}, "steps": {}}
    for path in PAGES:
        before = len(site.errors)
        browser.go(site.url + path)
        time.sleep(0.3)
        result["pages"][path] = site.errors[before:]
    browser.go(site.url + "norway/")
    browser.click(".md-header .md-select > button")
    browser.click('.md-select__link[hreflang="sv"]')
    browser.wait("return location.pathname.endsWith('/sv/norway/') && document.readyState === 'complete'")
    result["steps"]["languageSwitch"] = {
        "url": browser.url(),
        "lang": browser.js("return document.documentElement.lang"),
    }

    browser.go(site.url + "en/calculator/")
    browser.wait(f"return !!document.querySelector({json.dumps(SETTLED)})")
    tariff = browser.js("return document.querySelector('#calc-0-tariff').value")
    case = browser.js("return document.querySelector('#calc-0-case').value")
    field = browser.element("#calc-0-time-input")
    browser.do("POST", f"/element/{field}/clear")
    browser.do("POST", f"/element/{field}/value", {"text": "45"})
    browser.wait(
        "return new URL(location.href).searchParams.get('minutes') === '45'"
        " && document.querySelector('#estimate').dataset.source === 'live'"
        " && !!document.querySelector('[data-calculator]:not([data-pending])')",
        20,
    )
    estimate = browser.js(
        "const e = document.querySelector('#estimate').dataset;"
        " return {status: e.status, source: e.source, totalExVat: e.totalExVat ?? null}"
    )
    result["steps"]["recalculated"] = {"tariff": tariff, "case": case, "minutes": 45, "estimate": estimate}
    browser.click("[data-calculator-add]")
    browser.wait("return new URL(location.href).searchParams.getAll('minutes').length === 2", 20)
    browser.click(".md-header .md-select > button")
    browser.click('.md-select__link[hreflang="sv"]')
    browser.wait("return location.pathname.endsWith('/sv/calculator/') && document.readyState === 'complete'")
    result["steps"]["linesAfterSwitch"] = {
        "url": browser.url(),
        "lines": browser.js("return document.querySelectorAll('[data-line]').length"),
        "time": browser.js("return document.querySelector('#calc-0-time-input').value"),
    }
    browser.go(blocked.url + "calculator/")
    browser.wait(f"return !!document.querySelector({json.dumps(FAILED)})", 30)
    result["steps"]["blocked"] = {
        "state": "failed",
        "message": browser.js("return document.querySelector('#calculator-status').textContent.trim()"),
    }
    return result
