"""Links and content of the built site, beyond what `mkdocs build --strict` sees in the Markdown.

The strict build checks links written in the pages' Markdown. These tests read the HTML as built, so
they also cover what hooks and templates add: the generated price tables, the calculator form, the
hreflang alternates, the language switcher, the sitemap and the per-language search indexes. Every
internal link must reach a built file and every #anchor an id on the page it names, in every language.
Images need alt text; headings inside a page's content do not skip a level.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# Attributes that hold a URL the reader's browser follows or loads.
URL_ATTRIBUTES = {
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("form", "action"),
}
HEADING = {f"h{level}": level for level in range(1, 7)}


@dataclass
class Page:
    """What one built HTML page holds that the link and content checks need."""

    ids: set[str] = field(default_factory=set)
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    images: list[dict[str, str]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # inside the article: (level, id or text)
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> href


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._article_depth = 0
        self._depth = 0
        self._heading: tuple[int, str] | None = None
        self._heading_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._depth += 1
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        for name, value in values.items():
            if (tag, name) in URL_ATTRIBUTES:
                self.page.urls.append((tag, name, value))
        if tag == "img":
            self.page.images.append(values)
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.page.alternates[values["hreflang"]] = values.get("href", "")
        if tag == "article" and not self._article_depth:
            self._article_depth = self._depth
        if tag in HEADING and self._article_depth:
            self._heading = (HEADING[tag], values.get("id", ""))
            self._heading_text = []
        if tag in ("br", "img", "input", "link", "meta", "hr", "source", "wbr", "col", "area", "base", "embed"):
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag in HEADING:
            level, anchor = self._heading
            self.page.headings.append((level, anchor or "".join(self._heading_text).strip()))
            self._heading = None
        if tag == "article" and self._article_depth == self._depth:
            self._article_depth = 0
        self._depth -= 1


@cache
def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text("utf-8"))
    return reader.page


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def url_of(site: Path, path: Path) -> str:
    """A built file's URL path from the site root: "", "sv/norway/", "404.html"."""
    relative = path.relative_to(site).as_posix()
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> str:
    """The site_url the site was built for, from the home page's canonical link."""
    home = (built_site / "index.html").read_text("utf-8")
    marker = '<link rel="canonical" href="'
    assert marker in home, "the home page has no canonical link: is site_url set in mkdocs.yml?"
    return home.split(marker, 1)[1].split('"', 1)[0]


def resolve(site: Path, site_url: str, page_url: str, link: str) -> tuple[Path, str] | None:
    """The built file and #fragment an internal link reaches; None for another site or a non-page scheme."""
    base = urljoin(site_url, page_url)
    absolute = urljoin(base, link)
    parts = urlsplit(absolute)
    root = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or parts.netloc != root.netloc:
        return None
    if not parts.path.startswith(root.path):
        return (site / "__outside_the_site__" / parts.path.lstrip("/"), parts.fragment)
    relative = posixpath.normpath(unquote(parts.path[len(root.path) :])) if parts.path != root.path else ""
    target = site / relative if relative not in ("", ".") else site
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def check_link(site: Path, site_url: str, page_url: str, link: str) -> str | None:
    """A problem with one link, or None when it is fine (or leaves the site)."""
    if not link or link.startswith(("mailto:", "tel:", "data:")):
        return None
    found = resolve(site, site_url, page_url, link)
    if found is None:
        return None
    target, fragment = found
    if not target.is_file():
        return f"{link!r}: no such file {target.relative_to(site) if site in target.parents else target}"
    if fragment and target.suffix == ".html" and fragment not in read_page(target).ids:
        return f"{link!r}: {url_of(site, target) or '/'} has no id {fragment!r}"
    return None


def test_every_internal_link_and_anchor_resolves(built_site: Path, site_url: str) -> None:
    """<a>, <link> (hreflang, canonical), <script>, <img> and forms of every page, in every language."""
    problems = []
    checked = 0
    for path in html_pages(built_site):
        page_url = url_of(built_site, path)
        for tag, attribute, value in read_page(path).urls:
            checked += 1
            problem = check_link(built_site, site_url, page_url, value)
            if problem:
                problems.append(f"{page_url or '/'}: <{tag} {attribute}> {problem}")
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_every_page_links_to_itself_in_each_language(built_site: Path, site_url: str) -> None:
    """Every page has an hreflang alternate per language in the sitemap, each a built page of that language.

    (Not in the pages' heads: the theme would fetch a sitemap.xml next to each, mkdocs-material issue 6582.)
    """
    languages = {"nb": "", "sv": "sv/", "en": "en/"}
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    problems = []
    entries = ET.parse(built_site / "sitemap.xml").getroot().iterfind("s:url", ns)
    listed = set()
    for entry in entries:
        name = (entry.findtext("s:loc", namespaces=ns) or "").removeprefix(site_url)
        listed.add(name)
        alternates = {link.get("hreflang"): link.get("href", "") for link in entry.iterfind("x:link", ns)}
        if set(alternates) != {*languages, "x-default"}:
            problems.append(
                f"{name or '/'}: hreflang alternates {sorted(alternates)}, not {sorted(languages)} + x-default"
            )
        for lang, href in alternates.items():
            found = resolve(built_site, site_url, name, href)
            target = url_of(built_site, found[0]) if found and found[0].is_file() else None
            if target is None:
                problems.append(f"{name or '/'}: hreflang={lang} {href!r} reaches no page")
            elif lang not in ("nb", "x-default") and not target.startswith(languages[lang]):
                problems.append(f"{name or '/'}: hreflang={lang} {href!r} is not a {lang} page ({target})")
    pages = {url_of(built_site, path) for path in html_pages(built_site) if path.name == "index.html"}
    pages -= {name for name in pages if name.startswith(("assets/", "search/"))}
    assert listed == pages, f"pages missing from the sitemap: {sorted(pages - listed)}"
    assert not problems, "\n".join(problems)


def test_sitemap_entries_resolve(built_site: Path, site_url: str) -> None:
    """Every <loc> and xhtml:link alternate in sitemap.xml is a built page under site_url."""
    tree = ET.parse(built_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = [loc.text or "" for loc in tree.getroot().iterfind("s:url/s:loc", ns)]
    urls += [link.get("href", "") for link in tree.getroot().iterfind("s:url/x:link", ns)]
    assert len(urls) >= len([p for p in html_pages(built_site) if p.name == "index.html"])
    problems = []
    for url in urls:
        if not url.startswith(site_url):
            problems.append(f"{url}: not under site_url {site_url}")
        elif problem := check_link(built_site, site_url, "", url):
            problems.append(problem)
    assert not problems, "\n".join(problems)


def test_search_index_locations_resolve(built_site: Path, site_url: str) -> None:
    """Each language's search index points at pages and anchors that exist in that language."""
    indexes = sorted(built_site.rglob("search/search_index.json"))
    assert indexes, "no search index was built"
    problems = []
    for index in indexes:
        prefix = url_of(built_site, index.parent.parent / "index.html")
        for doc in json.loads(index.read_text("utf-8"))["docs"]:
            if problem := check_link(built_site, site_url, prefix, doc["location"] or "./"):
                problems.append(f"{index.relative_to(built_site)}: {problem}")
    assert not problems, "\n".join(problems)


def test_images_have_alt_text(built_site: Path) -> None:
    """Every <img> says what it shows (alt), in every language."""
    problems = [
        f"{url_of(built_site, path) or '/'}: <img src={image.get('src')!r}> has no alt text"
        for path in html_pages(built_site)
        for image in read_page(path).images
        if not image.get("alt", "").strip()
    ]
    assert not problems, "\n".join(problems)


def heading_problems(name: str, headings: list[tuple[int, str]]) -> list[str]:
    """What is wrong with one page's outline: no h1 first, more than one h1, or a skipped level."""
    if not headings:
        return [f"{name}: no heading in the page content"]
    problems = []
    if headings[0][0] != 1 or sum(1 for level, _ in headings if level == 1) != 1:
        problems.append(f"{name}: the content must start with its only h1: {headings[:3]}")
    for (before, _), (level, label) in itertools.pairwise(headings):
        if level > before + 1:
            problems.append(f"{name}: h{before} is followed by h{level} ({label!r})")
    return problems


def test_headings_do_not_skip_levels(built_site: Path) -> None:
    """Each page's content starts with one h1, and each heading is at most one level below the one before."""
    problems = []
    for path in html_pages(built_site):
        problems += heading_problems(url_of(built_site, path) or "/", read_page(path).headings)
    assert not problems, "\n".join(problems)


# --- the checker itself, on a small site -----------------------------------------------------------


def test_the_checker_finds_a_broken_anchor_and_a_missing_page(tmp_path: Path) -> None:
    """A link to a missing page or id is reported; one to an existing id or another site is not."""
    site = tmp_path
    (site / "sv").mkdir()
    (site / "index.html").write_text('<h1 id="top">x</h1><a href="sv/#ok">a</a>', "utf-8")
    (site / "sv" / "index.html").write_text('<h1 id="ok">x</h1>', "utf-8")
    url = "https://example.com/terms/"
    assert check_link(site, url, "", "sv/#ok") is None
    assert check_link(site, url, "", "https://other.example/x") is None
    assert check_link(site, url, "sv/", "../#top") is None
    assert check_link(site, url, "", "https://example.com/terms/sv/") is None
    assert "has no id 'nope'" in (check_link(site, url, "", "sv/#nope") or "")
    assert "no such file" in (check_link(site, url, "", "en/") or "")
    assert "no such file" in (check_link(site, url, "", "/other/") or "")


def test_the_outline_check_names_a_skipped_level() -> None:
    """h2 then h4 is a skipped level; a page without h1 first, or with two, is reported too."""
    assert heading_problems("x/", [(1, "a"), (2, "b"), (3, "c"), (2, "d")]) == []
    assert heading_problems("x/", [(1, "a"), (2, "b"), (4, "c")]) == ["x/: h2 is followed by h4 ('c')"]
    assert heading_problems("x/", [(2, "a")])[0].startswith("x/: the content must start with its only h1")
    assert heading_problems("x/", [(1, "a"), (1, "b")])[0].startswith("x/: the content must start")


def test_the_reader_sees_headings_only_inside_the_article() -> None:
    """Navigation and footer headings are not part of the page's outline; alt and ids are read."""
    reader = _Reader()
    reader.feed('<nav><h2>Menu</h2></nav><article><h1 id="t">T</h1><img src="a.png"><h2>S</h2></article><h3>F</h3>')
    assert reader.page.headings == [(1, "t"), (2, "S")]
    assert reader.page.images == [{"src": "a.png"}] and "t" in reader.page.ids
