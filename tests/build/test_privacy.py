"""The built site asks no other origin for anything: no fonts, no CDN, no analytics, no API.

Every HTML, CSS and JavaScript file of the output is read. In HTML and CSS every absolute URL must be
the site's own (site_url), the repository's edit link or mailto:. JavaScript files hold many URLs in
comments and messages; what could become a request is a string that starts with a URL, and each of
those must be listed below with the reason it never leaves the page. The browser tests
(tests/browser/test_site_smoke.py) check the requests themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitecheck import REPO_URL, SITE_URL, read_html

ALLOWED = (SITE_URL, f"{REPO_URL}/edit/", "mailto:")
URL = re.compile(r"(?:https?:)?//[^\s\"'<>()]+", re.IGNORECASE)
ABSOLUTE = re.compile(r"^\s*(?:https?:|wss?:|ftp:|//)", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_REFERENCE = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
JS_URL_STRING = re.compile(r"""[\"'`](https?://[^\s\"'`]*|//[a-z0-9-]+\.[a-z0-9.-]+[^\s\"'`]*)""", re.IGNORECASE)

# Strings in third-party JavaScript that name another origin, and why none of them is ever requested.
JS_INERT = {
    "https://api.github.com/": "Material's repository facts: fetched only for a [data-md-component=source] "
    "element, which overrides/partials/source.html never renders (test_no_repository_facts_component)",
    "https://${": "Material's GitLab repository facts: the same component",
    "https://unpkg.com/mermaid@": "Material loads Mermaid only for .mermaid diagrams; the site has none "
    "(test_no_diagrams)",
    "https://unpkg.com/resize-observer-polyfill": "Material loads it only in a browser without ResizeObserver "
    "(every browser since 2020 has it)",
    "https://cdn.jsdelivr.net/pyodide/": "Pyodide's cdnUrl, used only by loadPackage() for a package the site's "
    "own runtime lacks; the calculator loads none (stdlib only, its wheel unpacked with unpackArchive)",
}


def _outside(url: str) -> bool:
    return not url.startswith(ALLOWED) and not url.startswith("data:")


def _files(site: Path, *suffixes: str) -> list[Path]:
    files = sorted(path for path in site.rglob("*") if path.suffix in suffixes and path.is_file())
    assert files, f"no {suffixes} files in {site}"
    return files


def test_html_names_no_other_origin(built_site: Path) -> None:
    problems = []
    for path in _files(built_site, ".html"):
        document = read_html(path)
        for tag, attrs in document.elements:
            for name, value in attrs.items():
                if name.startswith("xmlns"):  # an XML namespace is a name, not an address
                    continue
                urls = [value] if ABSOLUTE.match(value) else URL.findall(value)
                problems += [f"{path.relative_to(built_site)}: <{tag} {name}={url}>" for url in urls if _outside(url)]
        for script in document.scripts:
            problems += [
                f"{path.relative_to(built_site)}: <script> {url}" for url in URL.findall(script) if _outside(url)
            ]
    assert not problems, "\n".join(problems)


def test_no_font_or_generator_link(built_site: Path) -> None:
    for path in _files(built_site, ".html"):
        text = path.read_text("utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        assert "squidfunk.github.io" not in text, f"{path}: the theme's generator link"


def test_css_loads_nothing_from_another_origin(built_site: Path) -> None:
    problems = []
    for path in _files(built_site, ".css"):
        for found in CSS_REFERENCE.finditer(CSS_COMMENT.sub("", path.read_text("utf-8"))):
            reference = (found.group(1) or found.group(2)).strip()
            if ABSOLUTE.match(reference) and _outside(reference):
                problems.append(f"{path.relative_to(built_site)}: {reference[:80]}")
    assert not problems, "\n".join(problems)


def test_javascript_requests_no_other_origin(built_site: Path) -> None:
    problems = []
    for path in _files(built_site, ".js", ".mjs"):
        for found in JS_URL_STRING.finditer(path.read_text("utf-8", errors="replace")):
            url = found.group(1)
            if _outside(url) and not url.startswith(tuple(JS_INERT)):
                problems.append(f"{path.relative_to(built_site)}: {url}")
    assert not problems, "A URL string nobody has judged yet:\n" + "\n".join(problems)


def test_no_repository_facts_component(built_site: Path) -> None:
    """Material fetches stars and forks from the GitHub API for this component; the site never renders it."""
    for path in _files(built_site, ".html"):
        assert 'data-md-component="source"' not in path.read_text("utf-8"), path


def test_no_diagrams(built_site: Path) -> None:
    """Material would load Mermaid from unpkg.com for a diagram."""
    for path in _files(built_site, ".html"):
        assert 'class="mermaid"' not in path.read_text("utf-8"), path
