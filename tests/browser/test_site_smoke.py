"""The site in Debian's Chromium: switching language keeps the page, search stays in the reader's language,
and no page asks another origin for anything (the `new_page` fixture logs and aborts such requests)."""

from __future__ import annotations

import pytest

from calculator.texts import LANGUAGES

LANGS = LANGUAGES  # calculator.texts: the one list of languages
PREFIX = {"nb": "", "sv": "sv/", "en": "en/"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def switch_language(page, lang: str) -> None:
    """Through the header's language selector, as a reader does."""
    page.locator(".md-header .md-select > button").click()
    page.locator(f'.md-select__link[hreflang="{lang}"]').click()


@pytest.mark.parametrize("lang", LANGS)
def test_switching_language_keeps_the_reader_on_the_page(new_page, site_url: str, lang: str) -> None:
    page = new_page()
    for path in ("", "norway/"):  # the home page, then a page deeper in
        for other in (other for other in LANGS if other != lang):
            page.goto(site_url + PREFIX[lang] + path)
            assert page.locator("html").get_attribute("lang") == lang
            switch_language(page, other)
            page.wait_for_url(site_url + PREFIX[other] + path)
            assert page.locator("html").get_attribute("lang") == other
    assert page.requests.foreign() == []


def test_switching_language_on_a_phone(new_page, site_url: str) -> None:
    page = new_page(**PHONE)
    page.goto(site_url + "sweden/")
    switch_language(page, "sv")
    page.wait_for_url(site_url + "sv/sweden/")
    assert page.requests.foreign() == []


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_only_pages_in_the_readers_language(new_page, site_url: str, lang: str) -> None:
    page = new_page()
    page.goto(site_url + PREFIX[lang] + "norway/")
    query = page.locator('input[data-md-component="search-query"]')  # in the header on a desktop
    query.click()
    # Material shows its "type to start searching" text (from the page's __config) once the worker has the index.
    page.wait_for_function(
        """() => document.querySelector(".md-search-result__meta").textContent.trim() ===
            JSON.parse(document.getElementById("__config").textContent).translations["search.result.placeholder"]"""
    )
    query.press_sequentially("PrestaShop")  # Material searches on key events
    links = page.locator(".md-search-result__item > a")
    links.first.wait_for(timeout=10_000)
    hrefs = links.evaluate_all("links => links.map(link => link.href)")
    others = tuple(site_url + PREFIX[other] for other in LANGS if other != lang and PREFIX[other])
    assert hrefs and all(href.startswith(site_url + PREFIX[lang]) and not href.startswith(others) for href in hrefs), (
        hrefs
    )
    assert page.requests.foreign() == []
