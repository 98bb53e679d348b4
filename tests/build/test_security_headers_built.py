"""The real build's site/_headers and deploy/nginx.conf: every inline script hashed, and nginx says the same."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from sitebuild import security_headers as sh
from sitebuild.nginx import render_nginx

ROOT = Path(__file__).resolve().parents[2]
NGINX_BIN = shutil.which("nginx") or "/usr/sbin/nginx"


def test_the_build_writes_headers_that_cover_every_inline_script(built_site: Path) -> None:
    """site/_headers exists after `mkdocs build`, and its CSP lists the hash of every inline script."""
    headers_file = built_site / "_headers"
    assert headers_file.is_file(), "no site/_headers: is hooks/publish_headers.py listed in mkdocs.yml's hooks?"
    rules = sh.parse_headers(headers_file.read_text("utf-8"))
    policy = sh.directives(sh.site_wide(rules)["Content-Security-Policy"])
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for html in pages:
        for script in sh.scan_html(html.read_text("utf-8")).scripts:
            assert sh.csp_hash(script) in policy["script-src"], f"{html.relative_to(built_site)}: {script[:80]}"
    # The rest of the policy is the source's, deploy/_headers (which tests/unit/test_security_headers.py holds to
    # what was agreed).
    source = sh.directives(sh.site_wide(sh.parse_headers(sh.SOURCE.read_text("utf-8")))["Content-Security-Policy"])
    assert {name: sources for name, sources in policy.items() if name != "script-src"} == {
        name: sources for name, sources in source.items() if name != "script-src"
    }
    assert len(rules) <= sh.MAX_RULES


def test_deploy_nginx_conf_matches_the_build(built_site: Path) -> None:
    """deploy/nginx.conf carries exactly the headers the build wrote: `make headers` regenerates it."""
    expected = render_nginx((built_site / "_headers").read_text("utf-8"))
    actual = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    assert actual == expected, (
        "deploy/nginx.conf no longer matches the built site/_headers (an inline script or deploy/_headers "
        "changed): run `make headers` and commit deploy/nginx.conf"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not Path(NGINX_BIN).exists(), reason="nginx is not installed (apt-get install nginx)")
def test_nginx_serves_the_site_with_the_snippet(built_site: Path, tmp_path: Path) -> None:
    """Real nginx with deploy/nginx.conf: the headers of site/_headers, wasm as application/wasm, caching."""
    port = _free_port()
    root = tmp_path / "site"
    shutil.copytree(built_site, root)  # a copy: the probe file must not leak into the shared build
    (root / "probe.wasm").write_bytes(b"\0asm\1\0\0\0")
    snippet = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    snippet = snippet.replace("listen 80;", f"listen 127.0.0.1:{port};")
    snippet = snippet.replace("root /srv/terms/site;", f"root {root};")
    (tmp_path / "site.conf").write_text(snippet, "utf-8")
    (tmp_path / "mime.types").symlink_to("/etc/nginx/mime.types")
    temp_paths = "".join(f"  {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi"))
    temp_paths += "".join(f"  {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # as root, workers would otherwise drop to nobody
        # brotli_static's module, which Debian's nginx.conf loads from modules-enabled/ (relative to /usr/share/nginx).
        + "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;\n"
        + f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log warn;\nevents {{}}\n"
        + f"http {{\n  include mime.types;\n  access_log off;\n{temp_paths}  include {tmp_path}/site.conf;\n}}\n",
        "utf-8",
    )
    # -e: the error log from the start, so a user other than root never touches /var/log/nginx.
    command = [NGINX_BIN, "-p", str(tmp_path), "-c", "nginx.conf", "-e", str(tmp_path / "error.log")]
    test = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    assert "[warn]" not in test.stderr, test.stderr  # e.g. a MIME type listed twice
    server = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        expected = sh.site_wide(sh.parse_headers((built_site / "_headers").read_text("utf-8")))
        html = urllib.request.urlopen(base + "/sv/", timeout=5)
        for name, value in expected.items():
            assert html.headers[name] == value, name
        assert html.headers["Cache-Control"] == "no-cache"
        wasm = urllib.request.urlopen(base + "/probe.wasm", timeout=5)
        assert wasm.headers["Content-Type"] == "application/wasm"
        assert wasm.headers["Cache-Control"] == "no-cache"
        for runtime in sorted(root.glob("assets/pyodide/*/pyodide.asm.wasm")):  # versioned: never changes
            served = urllib.request.urlopen(base + "/" + runtime.relative_to(root).as_posix(), timeout=5)
            assert served.headers["Content-Type"] == "application/wasm"
            assert served.headers["Cache-Control"] == sh.IMMUTABLE
        # The large assets go out as the build's precompressed copies, whatever their MIME type.
        large = [*root.glob("assets/snapshot/*.snapshot"), *root.glob("assets/pyodide/*/pyodide.asm.wasm")]
        assert large
        for path in large:
            url = base + "/" + path.relative_to(root).as_posix()
            for accepted, encoding, suffix in (("gzip, deflate, br", "br", ".br"), ("gzip", "gzip", ".gz")):
                request = urllib.request.Request(url, headers={"Accept-Encoding": accepted})
                with urllib.request.urlopen(request, timeout=10) as served:
                    assert served.headers["Content-Encoding"] == encoding, (path.name, accepted)
                    assert "Accept-Encoding" in (served.headers["Vary"] or ""), path.name
                    assert len(served.read()) == path.with_name(path.name + suffix).stat().st_size, path.name
        hashed = next(path for path in sorted(root.rglob("*.js")) if sh.HASHED_NAME.search(path.name))
        asset = urllib.request.urlopen(base + "/" + hashed.relative_to(root).as_posix(), timeout=5)
        assert asset.headers["Cache-Control"] == sh.IMMUTABLE
        assert asset.headers["Content-Security-Policy"] == expected["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=10)
