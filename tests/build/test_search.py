"""Each language has its own search index, searched in its own lunr language, holding only its own pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sitecheck import LANGS, PAGES, PREFIX, Document, page_file, page_url

LUNR = {"nb": "no", "sv": "sv", "en": "en"}
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
BASE = "http://site.test/"


def _index(site: Path, lang: str) -> dict:
    return json.loads((site / PREFIX[lang] / "search" / "search_index.json").read_text("utf-8"))


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_its_own_index_in_its_lunr_language(
    built_site: Path, documents: dict[tuple[str, str], Document], lang: str
) -> None:
    index = _index(built_site, lang)
    assert index["config"]["lang"] == [LUNR[lang]]
    # Locations are relative to the language's folder, where its pages' search looks (see below).
    pages = {page_url(lang, name)[len(PREFIX[lang]) :]: name for name in PAGES}
    found = set()
    for doc in index["docs"]:
        location, _, anchor = doc["location"].partition("#")
        assert location in pages, f"{lang} index: '{doc['location']}' is not a {lang} page"
        document = documents[(lang, pages[location])]
        assert _plain(doc["title"]) in document.text, (
            f"{lang} index: '{doc['title']}' is not on {location or 'the home page'}"
        )
        if anchor:
            assert any(attrs.get("id") == anchor for _, attrs in document.elements), doc["location"]
        found.add(pages[location])
    assert found == set(PAGES)


def test_no_index_holds_another_languages_headings(built_site: Path) -> None:
    titles = {lang: {_plain(doc["title"]) for doc in _index(built_site, lang)["docs"]} for lang in LANGS}
    # Page titles differ between the languages (a few section names such as "Norge" are the same word).
    page_titles = {
        lang: {_plain(doc["title"]) for doc in _index(built_site, lang)["docs"] if "#" not in doc["location"]}
        for lang in LANGS
    }
    for lang in LANGS:
        for other in LANGS:
            if other != lang:
                assert not (page_titles[other] - page_titles[lang]) & titles[lang], (
                    f"{other} titles in the {lang} index"
                )


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_searches_its_own_language(built_site: Path, lang: str) -> None:
    """Material loads `search/search_index.json` relative to the `base` of the page's __config JSON."""
    for name in PAGES:
        found = CONFIG.search(page_file(built_site, lang, name).read_text("utf-8"))
        assert found, f"{page_url(lang, name)} has no __config"
        base = json.loads(found.group(1))["base"]
        assert urljoin(BASE + page_url(lang, name), base) == BASE + PREFIX[lang], f"{page_url(lang, name)}: base {base}"
