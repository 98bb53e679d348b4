"""robots.txt at the site root: every page may be crawled, and where the sitemap is.

The sitemap (overrides/sitemap.xml) lists every page with its equivalents in the other languages, so a
crawler finds them from here. A robots.txt counts only at a host's root: for a sub-path deploy
(SITE_URL=https://example.com/terms/) the host's own robots.txt should name this sitemap instead.
"""

from __future__ import annotations

from pathlib import Path

from languages import build_language, i18n_plugin
from mkdocs.config.defaults import MkDocsConfig


def robots_txt(site_url: str) -> str:
    """The file's text for a site at `site_url` (absolute, as the Sitemap line must be).

    >>> print(robots_txt("https://example.com/terms/"), end="")
    User-agent: *
    Allow: /
    <BLANKLINE>
    Sitemap: https://example.com/terms/sitemap.xml
    """
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"


def on_post_build(config: MkDocsConfig) -> None:
    if build_language(config) != i18n_plugin(config).default_language:
        return  # one file for the whole site, from the default language's build
    (Path(config.site_dir) / "robots.txt").write_text(robots_txt(config.site_url or "/"), "utf-8")
