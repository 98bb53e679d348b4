"""Shared fixtures: the site built once per session, served like production, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
# The build hooks, importable by name as they import each other (after everything else, so they shadow nothing).
sys.path.append(str(ROOT / "hooks"))

from serve import serve_in_thread  # noqa: E402

LANGS = ("nb", "sv", "en")
CHROMIUM = "/usr/bin/chromium"
# The flags this workplace's closed network needs, and no browser download: Debian's Chromium only.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The snapshots the calculator's worker has kept in the origin private file system
# (overrides/assets/js/calculator/snapshot-cache.js), leaving out one still being written.
KEPT_SNAPSHOTS_JS = """async () => {
  try {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle("calculator-snapshot");
    const names = [];
    for await (const name of folder.keys()) if (!name.endsWith(".partial")) names.push(name);
    return names;
  } catch (error) { return []; }
}"""


def wait_until_kept(page, timeout_ms: float) -> list[str]:
    """The kept snapshots' names once the worker has written one (3 s after its start), or [] at the deadline."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not (names := page.evaluate(KEPT_SNAPSHOTS_JS)) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return names


@pytest.fixture
def kept_snapshots() -> Callable:
    """wait_until_kept, for tests (they cannot import conftest by name under --import-mode=importlib)."""
    return wait_until_kept


def build_site(
    site_dir: Path, *extra: str, config: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` into site_dir; returns the finished process (check returncode yourself)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)]
    if config is not None:
        command += ["--config-file", str(config)]
    return subprocess.run(
        [*command, *extra], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with the strict build."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(site_dir)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on a free loopback port, as a production host would serve it."""
    server, url = serve_in_thread(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class RequestLog:
    """Every URL a page asked for; `foreign()` lists those that left the site's own origin."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.urls: list[str] = []

    def foreign(self) -> list[str]:
        def origin_of(url: str) -> str:
            parts = urlsplit(url)
            return f"{parts.scheme}://{parts.netloc}"

        return [url for url in self.urls if not url.startswith(("data:", "blob:")) and origin_of(url) != self.origin]


@pytest.fixture
def new_page(browser, site_url: str) -> Iterator[Callable]:
    """Open a fresh context and page; its requests are logged and nothing may leave the origin."""
    contexts = []
    parts = urlsplit(site_url)
    origin = f"{parts.scheme}://{parts.netloc}"

    def open_page(**context_args):
        context = browser.new_context(**context_args)
        contexts.append(context)
        page = context.new_page()
        page.requests = RequestLog(origin)
        page.on("request", lambda request: page.requests.urls.append(request.url))
        # Belt and braces: anything leaving the origin is aborted, and the test sees it in the log.
        context.route(lambda url: not url.startswith(origin), lambda route: route.abort())
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def node() -> str:
    path = shutil.which("node")
    if path is None:
        pytest.fail("node is missing: the Pyodide tests run the npm package under Node 20")
    return path
