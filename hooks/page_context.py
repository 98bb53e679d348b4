"""MkDocs adapter of sitebuild/page_data.py: the calculator's data in every page's template context.

The calculator page (``template: calculator.html``) gets ``calculator`` (its form, default estimate, texts and
config) and lists the calculator's heading first in its table of contents; every other page gets
``calculator_warm``, what to prefetch once a reader heads for the calculator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from sitebuild.page_data import (
    TEMPLATE,
    build_calculator,
    calculator_pages,
    check_every_language,
    list_in_toc,
    page_language,
    warm_on_intent,
    write_hashed_modules,
)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check every language's defaults and texts before anything is rendered."""
    check_every_language()
    return config


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    if page.meta.get("template") != TEMPLATE:
        context["calculator_warm"] = warm_on_intent(page, context.get("base_url", ""), calculator_pages(config, nav))
        return context
    data = build_calculator(
        page_language(context, config),
        page,
        context.get("base_url", ""),
        str(config.site_name),
        str(config.site_url or ""),
    )
    list_in_toc(page, data["texts"]["heading"])
    context["calculator"] = data
    return context


def on_post_build(config: MkDocsConfig) -> None:
    """Publish the calculator's modules under their content-hashed names."""
    write_hashed_modules(Path(config.site_dir))
