"""tools/serve.py's host profiles: precompressed (nginx-like), plain (GitHub Pages-like), headers (Netlify-like).

Each is checked on a small site of its own: which headers it sends, which MIME types, what it
compresses and with what, and that a plain host never sends a .br/.gz sibling in place of a file.
"""

from __future__ import annotations

import gzip
import http.client
import socket

import brotli
import pytest

from tools.serve import PROFILES, make_server, serve_in_thread

HEADERS = "/*\n  Content-Security-Policy: default-src 'self'\n  X-Content-Type-Options: nosniff\n"
TEXT = ("<p>" + "Vilkår for kundestøtte. " * 100 + "</p>").encode()
BINARY = bytes(range(256)) * 64  # compressible by position, never compressed as octet-stream


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    site = tmp_path_factory.mktemp("profiles")
    (site / "index.html").write_bytes(TEXT)
    (site / "index.html.br").write_bytes(brotli.compress(TEXT, quality=11))
    (site / "index.html.gz").write_bytes(gzip.compress(TEXT, 9, mtime=0))
    (site / "app.0123456789ab.js").write_bytes(b"console.log(1);\n" * 100)
    (site / "runtime.wasm").write_bytes(b"\0asm" + BINARY)
    (site / "image.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'>" + b" " * 1000 + b"</svg>")
    (site / "data.snapshot").write_bytes(BINARY)
    (site / "data.snapshot.br").write_bytes(brotli.compress(BINARY, quality=11))
    (site / "library.zip").write_bytes(BINARY)
    (site / "_headers").write_text(HEADERS, "utf-8")
    return site


@pytest.fixture(scope="module", params=PROFILES)
def served(request, site):
    running, _ = serve_in_thread(site, profile=request.param)
    yield request.param, running.server_address[:2]
    running.shutdown()
    running.server_close()


def get(address, path: str, encodings: str = "br, gzip") -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(address, timeout=5) as sock:
        request = f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: {encodings}\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode("latin-1"))
        response = http.client.HTTPResponse(sock, method="GET")
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    encoding = headers.get("content-encoding")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        return brotli.decompress(body)
    assert encoding is None
    return body


def test_unknown_profile_is_refused(site):
    with pytest.raises(ValueError, match="unknown host profile 'github'"):
        make_server(site, profile="github")


def test_custom_headers_only_where_the_host_honours_them(served):
    profile, address = served
    status, headers, _ = get(address, "/index.html")
    assert status == 200
    if profile == "plain":
        assert "content-security-policy" not in headers and "x-content-type-options" not in headers
        assert headers["cache-control"] == "max-age=600"
    else:
        assert headers["content-security-policy"] == "default-src 'self'"
        assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "mime"),
    [
        ("/index.html", "text/html; charset=utf-8"),
        ("/app.0123456789ab.js", "text/javascript; charset=utf-8"),
        ("/runtime.wasm", "application/wasm"),
        ("/image.svg", "image/svg+xml; charset=utf-8"),
        ("/data.snapshot", "application/octet-stream"),
        ("/library.zip", "application/zip"),
    ],
)
def test_every_file_arrives_whole_with_its_type(served, site, path, mime):
    _, address = served
    status, headers, body = get(address, path)
    assert status == 200 and headers["content-type"] == mime
    assert int(headers["content-length"]) == len(body)
    assert decoded(headers, body) == (site / path.lstrip("/")).read_bytes()


def test_what_each_profile_compresses(served):
    profile, address = served
    encodings = {
        path: get(address, path)[1].get("content-encoding")
        for path in [
            "/index.html",
            "/app.0123456789ab.js",
            "/runtime.wasm",
            "/image.svg",
            "/data.snapshot",
            "/library.zip",
        ]
    }
    if profile == "precompressed":
        # The .br copies beside the files, and brotli on the fly for the other compressible types.
        assert encodings == {
            "/index.html": "br",
            "/app.0123456789ab.js": "br",
            "/runtime.wasm": "br",
            "/image.svg": "br",
            "/data.snapshot": "br",
            "/library.zip": None,
        }
    else:
        # Only gzip, only text, JavaScript, SVG and wasm; never octet-stream or zip, never a sibling.
        assert encodings == {
            "/index.html": "gzip",
            "/app.0123456789ab.js": "gzip",
            "/runtime.wasm": "gzip",
            "/image.svg": "gzip",
            "/data.snapshot": None,
            "/library.zip": None,
        }


def test_a_plain_host_sends_a_sibling_only_when_asked_for_by_name(served, site):
    profile, address = served
    sibling = (site / "data.snapshot.br").read_bytes()
    if profile == "precompressed":
        assert get(address, "/data.snapshot")[2] == sibling
        return
    assert get(address, "/data.snapshot")[2] == BINARY
    _, headers, body = get(address, "/data.snapshot.br")
    assert body == sibling and "content-encoding" not in headers
    _, headers, body = get(address, "/index.html", encodings="identity")
    assert body == TEXT and "content-encoding" not in headers


def test_caching_per_profile(served):
    profile, address = served
    cache = get(address, "/app.0123456789ab.js")[1]["cache-control"]
    if profile == "precompressed":
        assert cache == "public, max-age=31536000, immutable"
    else:
        assert cache == "max-age=600"
