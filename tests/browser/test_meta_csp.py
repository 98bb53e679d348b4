"""The Content-Security-Policy in every page, where no header can carry it (the `plain` host profile).

GitHub Pages sends no custom headers, so site/_headers is ignored there. Every page carries the same
policy as a <meta http-equiv> (less frame-ancestors, which a meta policy cannot carry). Served by a
plain host: no page reports a violation, the calculator goes live, and an inline script that no
template wrote is blocked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitebuild.security_headers import directives, parse_headers, site_wide
from tools.serve import serve_in_thread

ROOT = Path(__file__).resolve().parent.parent.parent

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
# Every violation the page sees, and the console's CSP messages (a meta policy's ignored directive too).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture(scope="module")
def plain_host(built_site):
    server, url = serve_in_thread(built_site, profile="plain")
    yield url
    server.shutdown()
    server.server_close()


def _pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def test_every_page_carries_the_header_policy_as_meta_before_any_script(built_site):
    import html

    header = site_wide(parse_headers((built_site / "_headers").read_text("utf-8")))["Content-Security-Policy"]
    expected = {name: sources for name, sources in directives(header).items() if name != "frame-ancestors"}
    pages = _pages(built_site)
    assert len(pages) > 10
    for name in pages:
        text = (built_site / name).read_text("utf-8")
        found = META.findall(text)
        assert len(found) == 1, name
        assert directives(html.unescape(found[0])) == expected, name
        head = text[: text.index("</head>")]
        meta_at = head.index('http-equiv="Content-Security-Policy"')
        assert all(meta_at < match.start() for match in re.finditer(r"<script|<link", head)), name


def test_no_page_reports_a_violation_on_a_plain_host(browser, built_site, plain_host):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(WATCH)
        messages: list[str] = []
        page.on("console", lambda m: "Content Security Policy" in m.text and messages.append(m.text))
        seen = []
        for name in _pages(built_site):
            path = name.removesuffix("index.html")
            response = page.goto(plain_host + path)
            assert "content-security-policy" not in response.headers, "the plain host sent a header"
            if path.endswith("calculator/"):
                page.wait_for_selector("#estimate[data-source=live]", state="attached", timeout=120_000)
            else:
                page.wait_for_load_state("load")
            seen.append((path, page.evaluate("window.__violations")))
        assert [entry for entry in seen if entry[1]] == []
        assert messages == []
    finally:
        context.close()


def test_an_inline_script_no_template_wrote_is_blocked(browser, plain_host):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(WATCH)

        def inject(route):
            response = route.fetch()
            body = response.text().replace("</h1>", "</h1><script>window.__injected = true</script>", 1)
            route.fulfill(response=response, body=body)

        page.route(plain_host + "en/norway/", inject)
        page.goto(plain_host + "en/norway/")
        page.wait_for_load_state("load")
        assert "window.__injected" in page.content()
        assert page.evaluate("window.__injected") is None
        violations = page.evaluate("window.__violations")
        assert any(v.startswith("script-src") and "inline" in v for v in violations), violations
    finally:
        context.close()
