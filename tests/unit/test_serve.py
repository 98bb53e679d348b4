"""tools/serve.py answers every bad path with a 400 or 404 that carries the security headers (issue 14)."""

from __future__ import annotations

import http.client
import socket

import pytest

from tools.serve import serve_in_thread

HEADERS = "/*\n  Content-Security-Policy: default-src 'self'\n  X-Content-Type-Options: nosniff\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("serve")
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "index.html").write_text("<p>Home</p>", "utf-8")
    (site / "404.html").write_text("<p>Not here</p>", "utf-8")
    (site / "docs" / "index.html").write_text("<p>Docs</p>", "utf-8")
    (site / "_headers").write_text(HEADERS, "utf-8")
    (tmp_path / "outside" / "inner").mkdir(parents=True)
    (tmp_path / "outside" / "secret.txt").write_text("secret", "utf-8")
    (site / "escape").symlink_to(tmp_path / "outside")
    (site / "escape.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    running, _ = serve_in_thread(site)
    yield running.server_address[:2]
    running.shutdown()
    running.server_close()


def raw(address, request: bytes, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def get(address, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode("latin-1")
    return raw(address, request, method)


def assert_secured(headers: dict[str, str]) -> None:
    assert headers.get("content-security-policy") == "default-src 'self'"
    assert headers.get("x-content-type-options") == "nosniff"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/%00", 400),
        ("/index.html%00.txt", 400),
        ("/%2e%2e/outside", 400),
        ("/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc", 400),
        ("/../outside/", 400),
        ("/docs/..%2f..%2foutside", 400),
        ("/a%5c..%5c..%5coutside", 400),
        ("/%ff%fe", 400),
        ("/%1b[2J", 400),
        ("/escape", 404),  # a symbolic link to a directory outside the root: no 301 that says it exists
        ("/escape/inner", 404),
        ("/escape.txt", 404),
        ("/" + "a" * 5000, 404),
        ("/no-such-page/", 404),
        ("//etc/passwd", 404),
        ("http://evil.example/", 400),
    ],
)
def test_a_bad_path_gets_400_or_404_with_the_security_headers(server, path, status, capfd):
    got, headers, body = get(server, path)
    assert got == status
    assert_secured(headers)
    assert b"secret" not in body
    assert "Traceback" not in capfd.readouterr().err


def test_no_redirect_tells_a_directory_outside_exists(server):
    """Existing and missing directories outside the root get the same answer."""
    assert get(server, "/escape")[0] == get(server, "/no-such-directory")[0] == 404


def test_a_redirect_and_a_404_carry_the_security_headers(server):
    status, headers, _ = get(server, "/docs")
    assert status == 301 and headers["location"] == "/docs/"
    assert_secured(headers)
    status, headers, body = get(server, "/missing.html")
    assert status == 404 and body == b"<p>Not here</p>"
    assert_secured(headers)


@pytest.mark.parametrize(
    "request_",
    [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"],
)
def test_what_http_server_refuses_by_itself_carries_the_headers(server, request_, capfd):
    status, headers, _ = raw(server, request_)
    assert status in (400, 501, 505)
    assert_secured(headers)
    assert "Traceback" not in capfd.readouterr().err


def test_good_paths_still_work(server):
    status, headers, body = get(server, "/docs/")
    assert (status, body) == (200, b"<p>Docs</p>")
    assert_secured(headers)
    assert get(server, "/docs/index.html?x=%00")[0] == 200
    assert get(server, "/", "HEAD")[0] == 200
