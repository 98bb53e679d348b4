"""The fast part of `make audit` (tools/audit/audit.py), and what the audit's fixes promise.

- the Nu HTML Checker over every HTML file of the built site: no error, the theme's markup included;
- Lighthouse (mobile) on the calculator page in Swedish and a terms page in English: accessibility,
  best practices and SEO 100, no console error; performance is measured, not asserted (shared machines:
  `make audit` holds it to its target);
- robots.txt, the sitemap's hreflang links, the not-found page of each language;
- in Chromium, no page asks for anything that fails and logs no console error, on load and on a
  language switch (Material's sitemap requests, mkdocs-material issue 6582, were both).

Findings that the project cannot fix are excused only by tests/audit/exceptions.toml.
"""

from __future__ import annotations

import doctest
import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from browser.pages import settle
from sitecheck import LANGS, PAGES, PREFIX, SITE_URL, TERMS_PAGES, page_url

from tools.audit import audit

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NOT_FOUND_TITLE = {"nb": "Siden finnes ikke", "sv": "Sidan finns inte", "en": "Page not found"}


def unexcused(findings: list) -> list[str]:
    left = audit.excuse(findings, audit.load_exceptions())
    return [f"{f.tool} /{f.page}: {f.rule}: {f.message[:200]} {f.where[:120]}" for f in left]


def test_the_nu_html_checker_finds_no_error_in_the_built_site(built_site: Path) -> None:
    if not audit.VNU_JAR.is_file():
        pytest.fail(f"{audit.VNU_JAR} is missing: `make test` installs tools/audit/ (npm ci)")
    assert unexcused(audit.nu_findings(built_site)) == []


@pytest.mark.parametrize("page", ["sv/calculator/", "en/norway/"])
def test_lighthouse_finds_nothing_below_the_targets(site_url: str, page: str) -> None:
    report = audit.Report()
    findings = audit.lighthouse_findings(page, site_url + page, report, performance=False)
    assert unexcused(findings) == [], report.scores


def test_robots_txt_names_the_sitemap_by_its_absolute_url(built_site: Path) -> None:
    text = (built_site / "robots.txt").read_text("utf-8")
    assert "User-agent: *" in text.splitlines()
    assert f"Sitemap: {SITE_URL}sitemap.xml" in text.splitlines()


def test_the_sitemap_gives_every_page_its_equivalents_with_absolute_urls_and_an_x_default(built_site: Path) -> None:
    root = ET.parse(built_site / "sitemap.xml").getroot()
    entries = {}
    dated = {
        url.find(f"{SITEMAP}loc").text
        for url in root.iter(f"{SITEMAP}url")
        if url.find(f"{SITEMAP}lastmod") is not None
    }
    # A date only where the terms have one (when they last changed), never the build's date.
    assert dated == {SITE_URL + page_url(lang, name) for lang in LANGS for name in TERMS_PAGES}
    for url in root.iter(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        entries[url.find(f"{SITEMAP}loc").text] = links
    expected = {SITE_URL + page_url(lang, name) for lang in LANGS for name in PAGES}
    assert set(entries) == expected
    for loc, links in entries.items():
        name = next(name for name in PAGES for lang in LANGS if SITE_URL + page_url(lang, name) == loc)
        assert links == {
            **{lang: SITE_URL + page_url(lang, name) for lang in LANGS},
            "x-default": SITE_URL + page_url("nb", name),
        }, loc


def test_no_page_has_alternate_links_that_make_the_theme_fetch_missing_sitemaps(built_site: Path) -> None:
    for lang in LANGS:
        for name in PAGES:
            html = (built_site / page_url(lang, name) / "index.html").read_text("utf-8")
            assert not re.search(r'<link[^>]+rel="alternate"', html), page_url(lang, name)


def test_site_css_has_a_content_hashed_name_and_is_cached_as_immutable(built_site: Path) -> None:
    html = (built_site / "en" / "norway" / "index.html").read_text("utf-8")
    linked = re.findall(r'href="\.\./\.\./(assets/css/site\.[0-9a-f]{12}\.css)"', html)
    assert len(linked) == 1 and (built_site / linked[0]).is_file()
    assert not (built_site / "assets" / "css" / "site.css").exists()
    headers = (built_site / "_headers").read_text("utf-8")
    assert f"/{linked[0]}\n  Cache-Control: public, max-age=31536000, immutable" in headers


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_page_gets_the_not_found_page_of_its_language(site_url: str, lang: str) -> None:
    with pytest.raises(HTTPError) as answer:
        urlopen(site_url + PREFIX[lang] + "no-such-page/")
    assert answer.value.code == 404
    html = answer.value.read().decode("utf-8")
    assert f'<html lang="{lang}"' in html
    assert f"<h1>{NOT_FOUND_TITLE[lang]}</h1>" in html
    # Every language's home page, each link in its own language, the reader's first; absolute paths.
    homes = re.findall(r'<li lang="(\w+)"><a href="([^"]+)" hreflang="(\w+)">', html)
    assert homes[0][0] == lang
    assert sorted(homes) == sorted((other, "/" + PREFIX[other], other) for other in LANGS)
    # Its search looks in the reader's language (hooks/search_per_language.py).
    assert f'"base": "/{PREFIX[lang]}"' in html


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_fails_a_request_or_logs_an_error_on_load_or_language_switch(new_page, site_url: str, lang: str):
    page = new_page()
    failed: list[str] = []
    page.on("console", lambda message: message.type == "error" and failed.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: failed.append(f"error: {error}"))
    # A request the page cancels itself (net::ERR_ABORTED: the calculator's worker drops its .wasm request
    # once it knows what it needed) is not a failure; a network error or an HTTP error status is.
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED" and failed.append(f"{request.failure}: {request.url}"),
    )
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status}: {response.url}"))
    for name in PAGES:
        page.goto(site_url + page_url(lang, name), wait_until="load")
        page.wait_for_timeout(300)  # the theme's requests after load (it asked for sitemaps here)
        if name == "calculator":  # leaving while Python loads would abort its downloads
            settle(page)
        other = LANGS[(LANGS.index(lang) + 1) % len(LANGS)]
        page.locator(".md-header .md-select > button").click()
        page.locator(f'.md-select__link[hreflang="{other}"]').click()
        page.wait_for_url(site_url + page_url(other, name))
        page.wait_for_timeout(300)
    assert failed == []
    assert page.requests.foreign() == []


def test_the_palette_toggle_still_switches_without_a_form(new_page, site_url: str) -> None:
    """overrides/partials/palette.html: a <div>, not a <form>; the theme's script still applies and keeps the choice."""
    page = new_page()
    page.goto(site_url + "norway/")
    assert page.locator("form[data-md-component=palette]").count() == 0
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.click("label.md-header__button[for^=__palette]:visible")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    page.reload()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"


def test_back_never_shows_the_menu_open(new_page, site_url: str) -> None:
    """The toggles lost autocomplete="off" (invalid on a checkbox); overrides/main.html closes them on pageshow."""
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + "norway/")
    page.click("label.md-header__button[for=__drawer]")
    assert page.is_checked("#__drawer")
    page.click(".md-nav--primary a[href='../sweden/']")
    page.wait_for_url(site_url + "sweden/")
    page.go_back()
    page.wait_for_url(site_url + "norway/")
    page.wait_for_function("!document.getElementById('__drawer').checked")
    assert not page.is_checked("#__search")


@pytest.mark.parametrize("module", ["robots", "asset_hashes", "theme_markup"])
def test_the_examples_in_the_audit_hooks_hold(module: str) -> None:
    """The hooks' docstring examples (hooks/ is outside pytest's doctest paths)."""
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed
