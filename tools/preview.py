#!/usr/bin/env python3
"""The live preview for staff (`make serve`): it follows every change and sends the production headers.

It watches the pages and snippets (docs/), the templates (overrides/), the hooks, the whole calculator
package (tariff.toml, messages.toml, code), mkdocs.yml, pyproject.toml and deploy/_headers. After a
change it

1. rebuilds the calculator wheel when the wheel no longer holds calculator/ byte for byte (with the
   Makefile's own recipe, --wheel-command), so the calculator in the browser computes with the prices
   the pages show;
2. starts the calculator cold (CALCULATOR_SNAPSHOT=off) when build/snapshot/ was made for another
   wheel: a snapshot is only a quicker start, and a stale one would compute with old prices;
3. builds the whole site with `mkdocs build --strict` in a fresh process, into a new folder: every
   hook and the calculator package are read afresh, and a failure prints its whole reason every time
   (`mkdocs serve` keeps its modules between builds and logs a repeated message only once);
4. serves the new folder and reloads the open pages; or, when the build failed, prints the reason and
   answers every page request with it (HTTP 500) until a change builds again, never with a page whose
   prices may be out of date. The server keeps answering throughout.

A request that arrives while a build runs waits for it. Every response carries the headers of that
build's own _headers file (sitebuild/security_headers.py writes it from deploy/_headers), applied by
tools/serve.py's handler, so a Content-Security-Policy violation shows in the browser while editing.
The live-reload script is a file of the site's origin (/__preview/reload.js), which the policy allows,
not an inline script. Nothing is cached by the browser except content-hashed files.

    python tools/preview.py [--host 127.0.0.1] [--port 8000] [--wheel-command "make -s build/wheel/.built"]
"""

from __future__ import annotations

import argparse
import fnmatch
import html
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from sitebuild.security_headers import Rules, SecurityHeadersError, parse_headers
from tools.serve import HASHED, SiteHandler

ROOT = Path(__file__).resolve().parent.parent

# What the site is made of; a change under any of these rebuilds it.
WATCHED_DIRS = ("docs", "overrides", "hooks", "sitebuild", "calculator", "deploy")
WATCHED_FILES = ("mkdocs.yml", "pyproject.toml")
# Editors' and Python's by-products: saving a page must not build twice, compiling a hook not at all.
IGNORED = ("*.pyc", "*~", ".*.swp", ".*.swx", ".#*", "#*#", "4913", "*.tmp", ".DS_Store")
POLL_SECONDS = 0.3
QUIET_SECONDS = 0.15  # an editor's save is several writes; wait until they stop
BUILD_TIMEOUT_SECONDS = 300
RELOAD_POLL_SECONDS = 25  # a browser's long poll for the next build answers at least this often
PREVIEW_PATH = "__preview/"  # under the site's base path; no page of the site has this name
DEFAULT_WHEEL_COMMAND = "make --no-print-directory -s build/wheel/.built"

RELOAD_JS = """\
// The preview's live reload (tools/preview.py): reload once the site was rebuilt, or its build failed.
(() => {
  const script = document.currentScript;
  const epoch = script.dataset.epoch;
  const next = new URL("epoch", script.src);
  next.searchParams.set("since", epoch);
  const poll = async () => {
    for (;;) {
      try {
        const response = await fetch(next, { cache: "no-store" });
        if (response.ok && (await response.text()).trim() !== epoch) return location.reload();
      } catch {
        await new Promise((resume) => setTimeout(resume, 1000)); // the preview is restarting
      }
    }
  };
  poll();
})();
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- watching ------------------------------------------------------------------------------------


def _ignored(path: Path) -> bool:
    return any(part == "__pycache__" for part in path.parts) or any(
        fnmatch.fnmatch(path.name, pattern) for pattern in IGNORED
    )


def source_state(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every watched file, by path relative to root."""
    state: dict[str, tuple[int, int]] = {}
    paths = [root / name for name in WATCHED_FILES]
    for folder in WATCHED_DIRS:
        if (root / folder).is_dir():
            paths += (root / folder).rglob("*")
    for path in paths:
        if _ignored(path):
            continue
        try:
            stat = path.stat()
        except OSError:  # gone between listing and reading: the next poll sees it
            continue
        if not path.is_dir():
            state[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return state


def changed_paths(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """Files added, removed or modified between two states.

    >>> changed_paths({"a": (1, 1), "b": (1, 1)}, {"a": (2, 1), "c": (1, 1)})
    ['a', 'b', 'c']
    """
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


# --- one build -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """The outcome of one build: a site folder to serve, or the reason it failed."""

    number: int
    site: Path | None
    rules: Rules = field(default_factory=list)
    failure: str | None = None
    seconds: float = 0.0


def _hooks():
    """sitebuild/pyodide_assets.py: the one judge of whether a wheel or a snapshot is current."""
    from sitebuild import pyodide_assets

    return pyodide_assets


def ensure_fresh_wheel(root: Path, wheel_command: list[str]) -> str | None:
    """Rebuild build/wheel/ when it no longer matches calculator/; the reason when that fails."""
    from mkdocs.exceptions import PluginError

    hooks = _hooks()
    try:
        hooks.find_wheel(root)
        return None
    except PluginError:
        log("Rebuilding the calculator wheel: build/wheel/ no longer matches calculator/")
    try:
        result = subprocess.run(
            wheel_command, cwd=root, capture_output=True, text=True, check=False, timeout=BUILD_TIMEOUT_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"`{shlex.join(wheel_command)}` failed: {error}"
    if result.returncode != 0:
        return f"`{shlex.join(wheel_command)}` failed:\n{result.stdout}{result.stderr}"
    try:
        hooks.find_wheel(root)
    except PluginError as error:
        return str(error)
    return None


def snapshot_is_current(root: Path) -> bool:
    """Whether build/snapshot/ was made for the current wheel and the pinned Pyodide."""
    from mkdocs.exceptions import PluginError

    try:
        return _hooks().find_snapshot(root) is not None
    except PluginError:
        return False


def build_site(root: Path, site: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    return subprocess.run(
        command,
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        check=False,
    )


def read_rules(site: Path) -> Rules:
    headers = site / "_headers"
    if not headers.is_file():
        return []
    try:
        return parse_headers(headers.read_text("utf-8"))
    except SecurityHeadersError:  # the build checks the file it writes; this cannot happen unnoticed
        return []


# --- the preview ---------------------------------------------------------------------------------


class Preview:
    """The builds, the site folder being served and the browsers waiting for the next build."""

    def __init__(self, root: Path, site_url: str, wheel_command: list[str]) -> None:
        self.root = root
        self.site_url = site_url
        self.wheel_command = wheel_command
        self.work = Path(tempfile.mkdtemp(prefix="terms-preview-"))
        self.latest: Build | None = None  # the newest outcome, good or failed
        self.good: Build | None = None  # the newest good build (its assets stay served)
        self.building = True
        self.cold_start_said: bool | None = None
        self.condition = threading.Condition()
        self._number = 0

    def build(self, reason: str) -> Build:
        with self.condition:
            self.building = True
            self._number += 1
            number = self._number
        log(f"Building the site ({reason})")
        started = time.monotonic()
        outcome = self._build(number)
        outcome = Build(outcome.number, outcome.site, outcome.rules, outcome.failure, time.monotonic() - started)
        if outcome.failure is None:
            log(f"Built in {outcome.seconds:.1f} s; reloading the open pages")
        else:
            text = outcome.failure.rstrip()
            print("\n".join(f"    {line}" for line in text.splitlines()), flush=True)
            log(
                f"The build failed after {outcome.seconds:.1f} s (the reason is above); the preview answers every "
                "page with it until a change builds again"
            )
        with self.condition:
            old = {b.site for b in (self.good, self.latest) if b is not None and b.site is not None}
            self.latest = outcome
            if outcome.failure is None:
                self.good = outcome
            self.building = False
            self.condition.notify_all()
        keep = {b.site for b in (self.good, self.latest) if b is not None}
        for site in old:  # a request still reading a replaced build has 30 s to finish
            if site not in keep and site.parent == self.work:
                timer = threading.Timer(30, shutil.rmtree, args=(site,), kwargs={"ignore_errors": True})
                timer.daemon = True  # on exit the whole work folder goes anyway
                timer.start()
        return outcome

    def _build(self, number: int) -> Build:
        problem = ensure_fresh_wheel(self.root, self.wheel_command)
        if problem is not None:
            return Build(number, None, failure=problem)
        env = {
            **os.environ,
            "SITE_URL": self.site_url,
            # Staff preview: the "edit this page" pencil is always there (hooks/edit_links.py).
            "TERMS_PREVIEW": "true",
            # Precompressed .br/.gz copies are for production hosts; the preview serves uncompressed.
            "PYODIDE_PRECOMPRESS": "off",
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONUNBUFFERED": "1",
        }
        current = snapshot_is_current(self.root)
        if not current:
            env["CALCULATOR_SNAPSHOT"] = "off"
        if self.cold_start_said != (not current):
            self.cold_start_said = not current
            if not current:
                why = "is for another wheel" if (self.root / "build" / "snapshot").is_dir() else "is not made yet"
                log(f"The calculator starts cold in the preview: its start-up snapshot {why} (make setup makes it)")
        site = self.work / f"site-{number}"
        try:
            result = build_site(self.root, site, env)
        except subprocess.TimeoutExpired:
            return Build(number, None, failure=f"mkdocs build took longer than {BUILD_TIMEOUT_SECONDS} s")
        if result.returncode != 0:
            shutil.rmtree(site, ignore_errors=True)
            return Build(number, None, failure=result.stdout or f"mkdocs build exited with {result.returncode}")
        return Build(number, site, read_rules(site))

    def wait_for_build(self, timeout: float = BUILD_TIMEOUT_SECONDS) -> Build | None:
        """The newest outcome, once no build is running (a request never sees a site about to change)."""
        with self.condition:
            self.condition.wait_for(lambda: not self.building, timeout=timeout)
            return self.latest

    def wait_for_epoch(self, since: str, timeout: float = RELOAD_POLL_SECONDS) -> int:
        """The newest build's number, once it differs from `since` (or after `timeout`)."""
        with self.condition:
            self.condition.wait_for(
                lambda: self.latest is not None and not self.building and str(self.latest.number) != since,
                timeout=timeout,
            )
            return self.latest.number if self.latest is not None else 0

    def run(self) -> None:
        """The first build, then one after each change, forever (the main thread)."""
        state = source_state(self.root)  # before the first build: a save during it is not missed
        self.build("start")
        log(f"Watching {', '.join([*WATCHED_DIRS, *WATCHED_FILES])} for changes")
        while True:
            time.sleep(POLL_SECONDS)
            now = source_state(self.root)
            changes = changed_paths(state, now)
            if not changes:
                continue
            while True:  # let a save finish
                time.sleep(QUIET_SECONDS)
                later = source_state(self.root)
                if later == now:
                    break
                now = later
            changes = changed_paths(state, now)
            state = now
            shown = ", ".join(changes[:3]) + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
            self.build(f"changed: {shown}")


# --- serving -------------------------------------------------------------------------------------


def reload_tag(base: str, epoch: int) -> bytes:
    return f'<script src="{base}{PREVIEW_PATH}reload.js" data-epoch="{epoch}"></script>'.encode()


def with_reload(page: bytes, tag: bytes) -> bytes:
    """The page with the live-reload script added before </body> (or at the end)."""
    end = page.rfind(b"</body>")
    return page + tag if end == -1 else page[:end] + tag + page[end:]


def failure_page(failure: str, tag: bytes) -> bytes:
    text = html.escape(failure.strip())
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Preview: the build failed</title>\n</head>\n<body>\n"
        "<h1>The preview could not be rebuilt</h1>\n"
        "<p>The last change stops the build, for the reason below (also in the terminal that runs "
        "<code>make serve</code>). This page reloads by itself once a change builds again.</p>\n"
        f"<pre>{text}</pre>\n</body>\n</html>\n"
    ).encode() + tag


class PreviewHandler(SiteHandler):
    """tools/serve.py's production-like handler, on the newest build, with live reload and no caching."""

    preview: ClassVar[Preview]

    def _cache_control(self, target: Path, content_type: str) -> str:
        # Only a content-hashed file never changes; everything else is revalidated on every visit.
        return "public, max-age=31536000, immutable" if HASHED.search(target.name) else "no-cache"

    def _body(self, target: Path, content_type: str) -> tuple[bytes, str | None]:
        data = target.read_bytes()
        if content_type.startswith("text/html"):
            data = with_reload(data, self._tag)
        return data, None  # no compression: the preview is local

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, include_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in self._extra_headers("/"):
            if name.lower() != "cache-control":
                self.send_header(name, value)
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def _preview_file(self, name: str, include_body: bool) -> None:
        if name == "reload.js":
            self._send(HTTPStatus.OK, RELOAD_JS.encode(), "text/javascript; charset=utf-8", include_body)
        elif name == "epoch":
            since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
            epoch = self.preview.wait_for_epoch(since)
            self._send(HTTPStatus.OK, str(epoch).encode(), "text/plain; charset=utf-8", include_body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8", include_body)

    def _handle(self, include_body: bool) -> None:
        site_path = self._site_path()
        outcome = self.preview.latest
        good = self.preview.good
        self.header_rules = good.rules if good is not None else []
        if site_path is not None and site_path.startswith("/" + PREVIEW_PATH):
            self._preview_file(site_path[len(PREVIEW_PATH) + 1 :], include_body)
            return
        outcome = self.preview.wait_for_build()
        good = self.preview.good
        self.header_rules = good.rules if good is not None else []
        epoch = outcome.number if outcome is not None else 0
        self._tag = reload_tag(self.base, epoch)
        last_part = (site_path or "/").rsplit("/", 1)[-1]
        is_page = last_part == "" or last_part.endswith(".html") or "." not in last_part
        if outcome is not None and outcome.failure is not None and is_page:
            body = failure_page(outcome.failure, self._tag)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, "text/html; charset=utf-8", include_body)
            return
        if good is None:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"No build yet", "text/plain; charset=utf-8", include_body)
            return
        self.directory = str(good.site)
        self._respond(include_body)

    def do_GET(self) -> None:
        self._handle(include_body=True)

    def do_HEAD(self) -> None:
        self._handle(include_body=False)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that leaves a page drops its live-reload poll: no traceback for that in the terminal.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(preview: Preview, host: str, port: int, base: str) -> ThreadingHTTPServer:
    handler = type(
        "Handler",
        (PreviewHandler,),
        {"preview": preview, "base": base, "header_rules": [], "_compressed": {}, "_tag": b""},
    )
    return PreviewServer((host, port), lambda *args: handler(*args, directory=str(preview.work)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--wheel-command",
        default=DEFAULT_WHEEL_COMMAND,
        help=f"how to rebuild the calculator wheel in build/wheel/ (default: {DEFAULT_WHEEL_COMMAND})",
    )
    args = parser.parse_args(argv)
    # Under a sub-path when SITE_URL has one (as GitHub Pages serves a project site), else at /.
    path = urlsplit(os.environ.get("SITE_URL", "")).path.strip("/")
    base = f"/{path}/" if path else "/"
    site_url = f"http://{args.host}:{args.port}{base}"
    preview = Preview(ROOT, site_url, shlex.split(args.wheel_command))
    try:
        server = make_server(preview, args.host, args.port, base)
    except OSError as error:
        print(f"tools/preview.py: cannot listen on {args.host}:{args.port}: {error} (PORT=... picks another)")
        return 1
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    for stop in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C, or a test or tool that stops it: clean up
        signal.signal(stop, signal.default_int_handler)
    log(f"Serving on {site_url} (the first build is running; Ctrl+C stops)")
    try:
        preview.run()
    except KeyboardInterrupt:
        log("Stopped")
    finally:
        server.shutdown()
        shutil.rmtree(preview.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
