"""Shared fixtures: the site built once per session, served like production, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitecheck import ROOT, build_site

from calculator.texts import LANGUAGES
from tools.chromium import CHROMIUM, CHROMIUM_ARGS, wait_until_kept
from tools.serve import serve_in_thread

LANGS = LANGUAGES  # calculator.texts: the one list of languages
# A test's tier is the folder it lives in, so it cannot drift: `make test-fast` runs `-m unit`.
TIERS = ("unit", "build", "pyodide", "browser", "audit")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its tier: tests/<tier>/...; the doctests of the packages (calculator/, sitebuild/,
    hooks/, tools/) are unit tests."""
    tests = ROOT / "tests"
    for item in items:
        path = Path(item.path)
        parts = path.relative_to(tests).parts if path.is_relative_to(tests) else ()
        tier = parts[0] if len(parts) > 1 else "unit"
        if tier not in TIERS:
            raise pytest.UsageError(f"{path}: a test lives in one of tests/{{{','.join(TIERS)}}}/")
        item.add_marker(tier)


@pytest.fixture
def kept_snapshots() -> Callable:
    """wait_until_kept, for tests (they cannot import conftest by name under --import-mode=importlib)."""
    return wait_until_kept


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with the strict build (once for all of pytest-xdist's
    workers too: the first builds it into their shared temporary folder, the others wait for it and read it)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        site_dir = tmp_path_factory.mktemp("site")
        result = build_site(site_dir)
        assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
        return site_dir
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent
    site_dir, done = shared / "site", shared / "site.built"
    with FileLock(shared / "site.lock"):
        if not done.exists():
            result = build_site(site_dir)
            assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
            done.touch()
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
