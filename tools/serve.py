"""Serve a built site the way a production host would.

- precompressed ``.br`` / ``.gz`` copies when the browser accepts them, else compressed on the fly
  for text types;
- ``application/wasm`` for .wasm, ``text/javascript`` for .mjs;
- long-lived ``immutable`` caching for content-hashed file names, revalidation for HTML;
- the headers of a Netlify/Cloudflare-style ``_headers`` file in the site root, if there is one
  (that is where the Content-Security-Policy lives);
- the closest 404.html up the tree for a missing file (a language's own not-found page);
- optionally under a sub-path (``--base /terms/``), as GitHub Pages serves a project site.

Used by `make serve-static`, the browser tests and the benchmark.

    python tools/serve.py site --port 8000 [--base /terms/]
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import mimetypes
import re
import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

# The one reader of the `_headers` format, shared with the build hook that writes the file.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from security_headers import Rules, parse_headers

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
COMPRESSIBLE = re.compile(r"^(text/|application/(json|javascript|wasm|xml|manifest\+json)|image/svg)")
# A content hash in the name (app.3f9a1c2e.js, bundle.1a2b3c4d.min.js) means the file never changes.
HASHED = re.compile(r"\.[0-9a-f]{8,}\.")
MIN_COMPRESS = 512


class SiteHandler(SimpleHTTPRequestHandler):
    # Set per server by make_server(), on a subclass of its own.
    base: ClassVar[str] = "/"
    header_rules: ClassVar[Rules] = []
    _compressed: ClassVar[dict[tuple[str, str, float], bytes]] = {}
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests and bench read stdout
        pass

    def _site_path(self) -> str | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.base):
            return None
        return "/" + path[len(self.base) :]

    def _file(self, site_path: str) -> Path | None:
        root = Path(self.directory).resolve()
        target = (root / site_path.lstrip("/")).resolve()
        if root not in target.parents and target != root:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

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
        if HASHED.search(target.name):
            return "public, max-age=31536000, immutable"
        if content_type.startswith("text/html"):
            return "no-cache"
        return "public, max-age=3600"

    def _body(self, target: Path, content_type: str) -> tuple[bytes, str | None]:
        accepted = self.headers.get("Accept-Encoding", "")
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

    def _respond(self, include_body: bool) -> None:
        site_path = self._site_path()
        if site_path is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        if not site_path.endswith("/") and (Path(self.directory) / site_path.lstrip("/")).is_dir():
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", self.base.rstrip("/") + site_path + "/")
            self.end_headers()
            return
        target = self._file(site_path)
        if target is None:
            not_found = self._not_found_page(site_path)
            body = not_found.read_bytes() if not_found else b"Not found"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if include_body:
                self.wfile.write(body)
            return
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
        if include_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._respond(include_body=True)

    def do_HEAD(self) -> None:
        self._respond(include_body=False)


def make_server(directory: Path | str, host: str = "127.0.0.1", port: int = 0, base: str = "/") -> ThreadingHTTPServer:
    """A server for `directory` (port 0 picks a free one); `base` is the sub-path it lives under."""
    directory = Path(directory)
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    headers_file = directory / "_headers"
    rules = parse_headers(headers_file.read_text("utf-8")) if headers_file.is_file() else []
    handler = type("Handler", (SiteHandler,), {"base": base, "header_rules": rules, "_compressed": {}})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(directory)))
    server.daemon_threads = True
    return server


def serve_in_thread(directory: Path | str, base: str = "/") -> tuple[ThreadingHTTPServer, str]:
    """Start a server in a daemon thread; returns it and its root URL (ending in the base path)."""
    server = make_server(directory, base=base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    prefix = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    return server, f"http://{host}:{port}{prefix}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default="site")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--base", default="/", help="sub-path the site lives under, e.g. /terms/")
    args = parser.parse_args()
    server = make_server(args.directory, args.host, args.port, args.base)
    base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    print(f"Serving {args.directory}/ at http://{args.host}:{server.server_address[1]}{base} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
