"""Build hook: the "edit this page" pencil is for staff, not for every customer.

Material draws the pencil (``content.action.edit``) from ``repo_url`` and ``edit_uri``; it links to
the repository's editor, which a customer cannot use. The published site therefore shows it only when
mkdocs.yml says the repository is open to readers, ``extra.repository_open_to_readers`` (set
``REPOSITORY_OPEN_TO_READERS=true`` for the build). The staff preview always shows it: tools/preview.py
(`make serve`) builds with ``TERMS_PREVIEW=true``, which mkdocs.yml reads as ``extra.preview``.
A value other than true or false fails the build, naming the key.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

__all__ = ["SWITCHES", "edit_links_shown", "on_config", "on_page_context"]

# The keys under `extra:` that turn the pencil on, each read as YAML true/false.
SWITCHES = ("repository_open_to_readers", "preview")


def edit_links_shown(config: MkDocsConfig) -> bool:
    """True when the repository is open to readers or the build is the staff preview."""
    shown = False
    for key in SWITCHES:
        value = config.extra.get(key, False)
        if value is None:  # set but empty, as an unset repository variable gives
            value = False
        if not isinstance(value, bool):
            raise PluginError(f"mkdocs.yml: extra.{key} must be true or false, not {value!r}")
        shown = shown or value
    return shown


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    edit_links_shown(config)  # a bad value fails before anything is rendered
    return config


@event_priority(-100)  # after every plugin that might set the page's edit URL
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    if not edit_links_shown(config):
        page.edit_url = None
    return context
