"""Every page exists in nb, sv and en, says which language it is, and links to itself in the other two."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sitecheck import LANGS, PAGES, PREFIX, ROOT, SITE_URL, TERMS_PAGES, Document, page_url, read_html

from sitebuild.site_words import format_date, site_word

BASE = "http://site.test/"  # any origin: relative links are resolved against it


def test_every_language_has_the_same_pages() -> None:
    """The contract: the same file names in docs/nb, docs/sv and docs/en, and in the snippets' folders."""
    for folder in (ROOT / "docs", ROOT / "docs" / "_includes"):
        names = {lang: sorted(path.name for path in (folder / lang).glob("*.md")) for lang in LANGS}
        assert names["sv"] == names["nb"] and names["en"] == names["nb"], names
    assert {"index", "norway", "sweden", "send-a-case", "calculator", "changes"} <= set(PAGES)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_built_in_its_language(documents: dict[tuple[str, str], Document], lang: str) -> None:
    """<html lang> is the page's language on every page (so no Norwegian text stands under /sv/)."""
    for name in PAGES:
        assert documents[(lang, name)].find("html")[0]["lang"] == lang, f"{page_url(lang, name)}"


def _resolve(lang: str, name: str, href: str) -> str:
    return urljoin(BASE + page_url(lang, name), href)


def test_no_page_has_hreflang_links_in_its_head(documents: dict[tuple[str, str], Document]) -> None:
    """The theme would fetch a sitemap.xml next to each (mkdocs-material 6582); the sitemap has them instead."""
    for (lang, name), document in documents.items():
        assert not [link for link in document.find("link", rel="alternate") if "hreflang" in link], page_url(lang, name)


def test_language_switcher_keeps_the_reader_on_the_page(documents: dict[tuple[str, str], Document]) -> None:
    for (lang, name), document in documents.items():
        entries = [a for tag, a in document.elements if tag == "a" and "md-select__link" in a.get("class", "").split()]
        assert [entry["hreflang"] for entry in entries] == list(LANGS)
        for entry in entries:
            assert _resolve(lang, name, entry["href"]) == BASE + page_url(entry["hreflang"], name)
            assert entry["lang"] == entry["hreflang"]
            assert (entry.get("aria-current") == "true") == (entry["hreflang"] == lang)


def test_no_link_is_root_absolute(built_site: Path) -> None:
    """A sub-path deploy (https://example.com/terms/) needs relative links; the 404 page's come from site_url."""
    for path in sorted(built_site.rglob("*.html")):
        if path.name == "404.html":
            continue
        for tag, attrs in read_html(path).elements:
            for name in ("href", "src", "action"):
                value = attrs.get(name, "")
                assert not (value.startswith("/") and not value.startswith("//")), f"{path}: <{tag} {name}={value}>"


def test_each_language_has_its_own_404_page_and_the_root_one_is_the_default_languages(built_site: Path) -> None:
    """Hosts that serve one 404 page serve the root's: Norwegian; /sv/ and /en/ have their own (overrides/404.html)."""
    assert read_html(built_site / "404.html").find("html")[0]["lang"] == "nb"
    for lang in LANGS:
        assert read_html(built_site / PREFIX[lang] / "404.html").find("html")[0]["lang"] == lang


def test_sitemap_lists_every_page_with_its_alternates(built_site: Path) -> None:
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(built_site / "sitemap.xml").getroot().findall("s:url", namespaces)
    expected = {SITE_URL + page_url(lang, name) for lang in LANGS for name in PAGES}
    assert {url.findtext("s:loc", namespaces=namespaces) for url in urls} == expected
    for url in urls:
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", namespaces)}
        assert set(alternates) == {*LANGS, "x-default"}
        assert set(alternates.values()) <= expected


# What the sources say about dates (../shared/terms-facts.md, Dates): the Norwegian source carries a
# publication timestamp, the Swedish source no date at all. Neither states an effective date.
SOURCE_DATES = {"norway": ("terms_published", date(2018, 2, 1)), "sweden": None}
DATE_ENTRY = re.compile(r"^##\s+(\d{4}-\d{2}-\d{2})\b", re.MULTILINE)


def _change_history_dates(lang: str, name: str) -> list[date]:
    """The dates of docs/<lang>/changes.md's entries with a link to the page, read apart from the hook."""
    days, current = [], None
    for line in (ROOT / "docs" / lang / "changes.md").read_text("utf-8").splitlines():
        found = DATE_ENTRY.match(line)
        if found:
            current = date.fromisoformat(found.group(1))
        elif line.startswith("#"):
            current = None
        elif current and re.search(rf"\]\({re.escape(name)}\.md(?:#[^)]*)?\)", line):
            days.append(current)
    return days


def _dates(document: Document) -> dict[str, str]:
    """The terms dates box: each item's label (its text before the date) and its datetime."""
    box = [found for found in document.find("p") if found.get("class") == "tx-terms-dates"]
    assert len(box) == 1
    times = [found["datetime"] for found in document.find("time")]
    return dict(zip(("first", "changed") if len(times) == 2 else ("changed",), times, strict=True))


@pytest.mark.parametrize("name", TERMS_PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_terms_pages_state_only_the_dates_their_source_gives(
    documents: dict[tuple[str, str], Document], lang: str, name: str
) -> None:
    """No effective date where the source has none; Norway's 2018-02-01 is worded as a publication date."""
    text = documents[(lang, name)].text
    assert site_word("dates.terms_effective", lang) not in text
    source = SOURCE_DATES[name]
    if source:
        key, day = source
        assert f"{site_word(f'dates.{key}', lang)} {format_date(day, lang)}" in text
    else:
        assert site_word("dates.terms_published", lang) not in text
        assert site_word("dates.published_here", lang) in text


@pytest.mark.parametrize("name", TERMS_PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_last_changed_is_the_newest_change_history_entry_for_the_page(
    documents: dict[tuple[str, str], Document], lang: str, name: str
) -> None:
    document = documents[(lang, name)]
    newest = max(_change_history_dates(lang, name))
    assert _dates(document)["changed"] == newest.isoformat()
    assert f"{site_word('dates.changed', lang)} {format_date(newest, lang)}" in document.text


def test_every_language_has_the_same_change_history_dates() -> None:
    dated = {lang: DATE_ENTRY.findall((ROOT / "docs" / lang / "changes.md").read_text("utf-8")) for lang in LANGS}
    assert dated["sv"] == dated["nb"] and dated["en"] == dated["nb"], dated


@pytest.mark.parametrize("lang", LANGS)
def test_light_and_dark_palettes_with_a_toggle_in_the_page_language(
    documents: dict[tuple[str, str], Document], lang: str
) -> None:
    document = documents[(lang, "index")]
    schemes = [found["data-md-color-scheme"] for found in document.find("input") if "data-md-color-scheme" in found]
    assert schemes == ["default", "slate"]
    toggles = {"nb": "Bytt til mørkt tema", "sv": "Byt till mörkt tema", "en": "Switch to dark mode"}
    assert any(found.get("title") == toggles[lang] for _, found in document.elements)
