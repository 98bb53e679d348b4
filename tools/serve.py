"""Serve a built site the way a production host would.

- precompressed ``.br`` / ``.gz`` copies when the browser accepts them, else compressed on the fly
  for text types;
- ``application/wasm`` for .wasm, ``text/javascript`` for .mjs;
- long-lived ``immutable`` caching for content-hashed file names, revalidation for HTML;
- the headers of a Netlify/Cloudflare-style ``_headers`` file in the site root, if there is one
  (that is where the Content-Security-Policy lives);
- optionally under a sub-path (``--base /terms/``), as GitHub Pages serves a project site;
- every bad request path answered with a 400 (control characters, `..` segments, broken percent
  encoding) or a 404 (outside the base or the site, symbolic links out of it), each with the security
  headers; nothing outside the site root is ever looked at, so no answer says whether it exists.
- the closest 404.html up the tree for a missing file (a language's own not-found page).

Host profiles (``--profile``), each a kind of host the site is published on:

- ``precompressed`` (the default): all of the above, as deploy/nginx.conf serves the site;
- ``plain``: files as they are, as GitHub Pages is reported to serve them: no custom headers (the
  ``_headers`` file is an ordinary file), ``Cache-Control: max-age=600`` for everything, never a
  ``.br``/``.gz`` sibling in place of a file, and gzip on the fly only for text/*, JavaScript, JSON,
  XML, SVG and application/wasm;
- ``headers``: the same, but honouring ``_headers`` (Netlify, Cloudflare Pages).

Used by `make serve-static`, the browser tests and the benchmark. ``run_nginx`` starts Debian's nginx
with deploy/nginx.conf as shipped on a free port, for the same tests and benchmark (the ``nginx`` host).

    python tools/serve.py site --port 8000 [--base /terms/] [--profile plain]
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import gzip
import mimetypes
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, unquote

# The one reader of the `_headers` format, shared with the build hook that writes the file.
from sitebuild.security_headers import Rules, parse_headers

try:  # brotli is a test dependency; without it the server still serves gzip
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
}
PROFILES = ("precompressed", "plain", "headers")
# What a plain host compresses on the fly (GitHub Pages, as reported): no application/octet-stream,
# no zip; and only gzip.
PLAIN_COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml|wasm)(;|$)|image/svg\+xml)")
# GitHub Pages' one caching rule for every file.
PLAIN_CACHE_CONTROL = "max-age=600"
COMPRESSIBLE = re.compile(r"^(text/|application/(json|javascript|wasm|xml|manifest\+json)|image/svg)")
# A content hash in the name (app.3f9a1c2e.js, bundle.1a2b3c4d.min.js) means the file never changes.
HASHED = re.compile(r"\.[0-9a-f]{8,}\.")
MIN_COMPRESS = 512
# Never part of a real page's path: control characters and backslashes (a Windows separator).
BAD_PATH_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\\\]")


class Refused(Exception):
    """A request answered with an error status; ``path`` picks the _headers rules it gets."""

    def __init__(self, status: HTTPStatus, path: str = "/") -> None:
        super().__init__(status)
        self.status, self.path = status, path


class SiteHandler(SimpleHTTPRequestHandler):
    # Set per server by make_server(), on a subclass of its own.
    base: ClassVar[str] = "/"
    profile: ClassVar[str] = "precompressed"
    # Body bytes sent per path (GET only, as sent: compressed or not), for tests and the benchmark.
    sent: ClassVar[dict[str, int]] = {}
    header_rules: ClassVar[Rules] = []
    _compressed: ClassVar[dict[tuple[str, str, float], bytes]] = {}
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests and bench read stdout
        pass

    def _site_path(self) -> str:
        """The requested path under the base, checked: Refused(400) or Refused(404) otherwise."""
        raw = self.path.split("?", 1)[0].split("#", 1)[0]
        try:
            path = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            raise Refused(HTTPStatus.BAD_REQUEST) from None
        if not path.startswith("/") or BAD_PATH_CHARACTERS.search(path):
            raise Refused(HTTPStatus.BAD_REQUEST)
        # A browser removes dot segments before it asks; one left in the request is a probe.
        if any(part in (".", "..") for part in path.split("/")):
            raise Refused(HTTPStatus.BAD_REQUEST)
        if not path.startswith(self.base):
            raise Refused(HTTPStatus.NOT_FOUND)
        return "/" + path[len(self.base) :]

    def _file(self, site_path: str) -> Path | None:
        """The file a site path names, inside the root (symbolic links followed); None if there is none.

        Raises Refused(301) with the slash-ended path for a directory asked for without its slash.
        """
        root = Path(self.directory).resolve()
        try:
            target = (root / site_path.lstrip("/")).resolve()
            if not target.is_relative_to(root):
                return None  # never looked at: no answer may tell what exists outside the site
            if target.is_dir():
                if not site_path.endswith("/"):
                    raise Refused(HTTPStatus.MOVED_PERMANENTLY, site_path)
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, RuntimeError, ValueError):  # a name too long, a symbolic-link loop
            return None

    def _not_found_page(self, site_path: str) -> Path | None:
        """The closest 404.html up the tree (/sv/x -> /sv/404.html, else /404.html), as Cloudflare Pages does."""
        folder = site_path.rsplit("/", 1)[0]
        while True:
            page = self._file(folder + "/404.html")
            if page is not None or not folder:
                return page
            folder = folder.rsplit("/", 1)[0]

    def _extra_headers(self, site_path: str) -> list[tuple[str, str]]:
        headers = []
        for pattern, values in self.header_rules:
            if fnmatch.fnmatchcase(site_path, pattern.replace(":splat", "*")):
                headers += values
        return headers

    def _cache_control(self, target: Path, content_type: str) -> str:
        if self.profile != "precompressed":
            return PLAIN_CACHE_CONTROL
        if HASHED.search(target.name):
            return "public, max-age=31536000, immutable"
        if content_type.startswith("text/html"):
            return "no-cache"
        return "public, max-age=3600"

    def _body(self, target: Path, content_type: str) -> tuple[bytes, str | None]:
        accepted = self.headers.get("Accept-Encoding", "")
        if self.profile != "precompressed":
            return self._body_as_is(target, content_type, accepted)
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            if encoding in accepted and target.with_name(target.name + suffix).is_file():
                return target.with_name(target.name + suffix).read_bytes(), encoding
        data = target.read_bytes()
        if len(data) < MIN_COMPRESS or not COMPRESSIBLE.match(content_type):
            return data, None
        encoding = "br" if ("br" in accepted and brotli) else "gzip" if "gzip" in accepted else None
        if encoding is None:
            return data, None
        key = (str(target), encoding, target.stat().st_mtime)
        if key not in self._compressed:
            self._compressed[key] = brotli.compress(data, quality=5) if encoding == "br" else gzip.compress(data, 6)
        return self._compressed[key], encoding

    def _body_as_is(self, target: Path, content_type: str, accepted: str) -> tuple[bytes, str | None]:
        """A plain host's body: the file itself, gzipped on the fly only for the types it compresses."""
        data = target.read_bytes()
        if len(data) < MIN_COMPRESS or not PLAIN_COMPRESSIBLE.match(content_type) or "gzip" not in accepted:
            return data, None
        key = (str(target), "gzip", target.stat().st_mtime)
        if key not in self._compressed:
            self._compressed[key] = gzip.compress(data, 6)
        return self._compressed[key], "gzip"

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, site_path: str, **headers: str) -> None:
        """A response with the site's security headers (the `_headers` rules of ``site_path``)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        for name, value in self._extra_headers(site_path):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error http.server answers by itself (a malformed request line, an unknown method) too."""
        status = HTTPStatus(code)
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":  # an unreadable request line
            self.request_version = "HTTP/1.0"  # so the status line and the headers are written
        self._send(status, f"{status.value} {status.phrase}\n".encode(), "text/plain; charset=utf-8", "/")

    def _not_found(self, site_path: str) -> None:
        try:
            not_found = self._not_found_page(site_path)
        except Refused:
            not_found = None
        body = not_found.read_bytes() if not_found else b"Not found"
        self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", "/404.html")

    def _respond(self, include_body: bool) -> None:
        try:
            self._respond_checked()
        except Refused as refused:
            if refused.status == HTTPStatus.MOVED_PERMANENTLY:
                location = quote(self.base.rstrip("/") + refused.path + "/")
                self._send(refused.status, b"", "text/plain; charset=utf-8", refused.path, Location=location)
            elif refused.status == HTTPStatus.NOT_FOUND:
                self._not_found(refused.path)
            else:
                self.send_error(refused.status)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away
        except Exception:  # a server for previews and tests: it answers, and never prints a traceback
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR)

    def _respond_checked(self) -> None:
        site_path = self._site_path()
        target = self._file(site_path)
        if target is None:
            raise Refused(HTTPStatus.NOT_FOUND, site_path)
        content_type = (
            self.extensions_map.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        if content_type.startswith("text/") or content_type in ("application/json", "image/svg+xml"):
            content_type += "; charset=utf-8"
        body, encoding = self._body(target, content_type)
        # The site's _headers file wins over the defaults here, as it does on a real host.
        extra = self._extra_headers(site_path)
        overridden = {name.lower() for name, _ in extra}
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if "cache-control" not in overridden:
            self.send_header("Cache-Control", self._cache_control(target, content_type))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.sent[site_path] = self.sent.get(site_path, 0) + len(body)
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._respond(include_body=True)

    def do_HEAD(self) -> None:
        self._respond(include_body=False)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up mid-answer: nothing to report, and never a traceback


def make_server(
    directory: Path | str, host: str = "127.0.0.1", port: int = 0, base: str = "/", profile: str = "precompressed"
) -> ThreadingHTTPServer:
    """A server for `directory` (port 0 picks a free one); `base` is the sub-path it lives under.

    `profile`: one of PROFILES (see the module's docstring); ValueError for any other.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown host profile {profile!r}: one of {', '.join(PROFILES)}")
    directory = Path(directory)
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    headers_file = directory / "_headers"
    honoured = profile != "plain" and headers_file.is_file()
    rules = parse_headers(headers_file.read_text("utf-8")) if honoured else []
    attributes = {"base": base, "header_rules": rules, "_compressed": {}, "profile": profile, "sent": {}}
    handler = type("Handler", (SiteHandler,), attributes)
    server = QuietServer((host, port), partial(handler, directory=str(directory)))
    server.sent = handler.sent
    server.daemon_threads = True
    return server


def serve_in_thread(
    directory: Path | str, base: str = "/", profile: str = "precompressed"
) -> tuple[ThreadingHTTPServer, str]:
    """Start a server in a daemon thread; returns it and its root URL (ending in the base path)."""
    server = make_server(directory, base=base, profile=profile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    prefix = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    return server, f"http://{host}:{port}{prefix}"


NGINX = Path("/usr/sbin/nginx")
NGINX_BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"


@contextlib.contextmanager
def run_nginx(directory: Path | str, workdir: Path) -> Iterator[tuple[str, Callable[[], dict[str, int]]]]:
    """Debian's nginx serving `directory` with deploy/nginx.conf as shipped, on a free local port.

    Yields its root URL and a function giving the body bytes sent per path so far (GET and HEAD, from
    an access log of ``$uri $body_bytes_sent`` in `workdir`, which also holds its configuration and
    temporary files). FileNotFoundError when nginx or its brotli module is missing (`make test`
    installs both).
    """
    for needed in (NGINX, NGINX_BROTLI):
        if not needed.exists():
            raise FileNotFoundError(f"{needed} is missing: `make test` installs Debian's nginx and its brotli module")
    workdir.mkdir(parents=True, exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    site = NGINX_CONF.read_text("utf-8")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "root /srv/terms/site;", f"root {Path(directory).resolve()};"
    )
    (workdir / "site.conf").write_text(site, "utf-8")
    with contextlib.suppress(FileExistsError):
        (workdir / "mime.types").symlink_to("/etc/nginx/mime.types")
    temps = "".join(
        f"  {kind}_temp_path {workdir}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    log = workdir / "sent.log"
    (workdir / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"load_module {NGINX_BROTLI};\n"
        + f"daemon off;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\nevents {{}}\n"
        + "http {\n  include mime.types;\n  log_format sent '$uri $body_bytes_sent';\n"
        + f"  access_log {log} sent;\n{temps}  include {workdir}/site.conf;\n}}\n",
        "utf-8",
    )
    command = [str(NGINX), "-p", str(workdir), "-c", "nginx.conf", "-e", str(workdir / "error.log")]
    server = subprocess.Popen(command, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    log.write_text("")

    def sent() -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in log.read_text("utf-8").splitlines():
            path, _, size = line.rpartition(" ")
            if size.isdigit():
                counts[path] = counts.get(path, 0) + int(size)
        return counts

    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        log.write_text("")  # not the probe's
        yield url, sent
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default="site")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--base", default="/", help="sub-path the site lives under, e.g. /terms/")
    parser.add_argument("--profile", choices=PROFILES, default="precompressed", help="the kind of host to act as")
    args = parser.parse_args()
    server = make_server(args.directory, args.host, args.port, args.base, args.profile)
    base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    print(f"Serving {args.directory}/ at http://{args.host}:{server.server_address[1]}{base} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
