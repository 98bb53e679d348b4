"""One search index per language: /search/ for nb, /sv/search/ for sv, /en/search/ for en.

Out of the box static-i18n merges every language's entries into one index at /search/, searched
with one lunr configuration, so a Swedish reader gets Norwegian hits. Here each language build
keeps its own entries and gets exactly the search configuration Material would give a
single-language site in that language (lunr `no`, `sv`, `en`, from the theme's own translations).

- on_config (after static-i18n has set theme.language): the search plugin's lang, separator and
  pipeline for this language;
- on_post_build, before static-i18n merges: write this language's index to its own folder, with
  locations relative to that folder; static-i18n then overwrites /search/ with its merged index,
  so at the very end the default language's index is written back;
- on_post_page: a page of a non-default language tells Material's JavaScript that its search lives
  in the language's folder (the `base` of the `__config` JSON), so it loads that index and resolves
  result links against it; on_post_template does the same for the language's not-found page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from languages import build_language, i18n_plugin, language_prefix, page_language
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.pages import Page

INDEX = Path("search") / "search_index.json"
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
SETTINGS = ("lang", "separator", "pipeline")

# The default language's index of this build, written back after static-i18n's merge.
_default_index: dict[str, str] = {}


def search_plugin(config: MkDocsConfig) -> Any:
    for name in ("material/search", "search"):
        if name in config.plugins:
            return config.plugins[name]
    raise PluginError("mkdocs.yml: the search plugin is not configured")


def theme_text(config: MkDocsConfig, key: str) -> str:
    """A text of the theme's translations for the current theme language (Material's partials/language.html)."""
    template = config.theme.get_env().get_template("partials/language.html", None, {"config": config})
    return str(template.module.t(key))


def search_settings(config: MkDocsConfig) -> dict[str, Any]:
    """What Material's search plugin would choose for a site written only in the theme's language."""
    pipeline = [step for step in re.split(r"\s*,\s*", theme_text(config, "search.config.pipeline")) if step]
    return {
        "lang": [theme_text(config, "search.config.lang")],
        "separator": theme_text(config, "search.config.separator"),
        "pipeline": pipeline,
    }


@event_priority(-110)  # after static-i18n's on_config has set this build's theme.language
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    plugin = search_plugin(config)
    settings = search_settings(config)
    for key, value in settings.items():
        plugin.config[key] = value
        plugin.search_index.config[key] = value
    return config


def _relocated(data: str, prefix: str) -> str:
    """The index with every location made relative to the language's folder."""
    index = json.loads(data)
    for doc in index["docs"]:
        if not doc["location"].startswith(prefix):
            raise PluginError(f"search: '{doc['location']}' is not a page of the {prefix} language folder")
        doc["location"] = doc["location"][len(prefix) :]
    return json.dumps(index, separators=(",", ":"), ensure_ascii=False)


@event_priority(-50)  # after the search plugin has collected this language, before static-i18n merges
def _save_language_index(config: MkDocsConfig) -> None:
    lang = build_language(config)
    prefix = language_prefix(config, lang)
    data = search_plugin(config).search_index.generate_search_index(None)
    path = Path(config.site_dir) / prefix / INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_relocated(data, prefix) if prefix else data, "utf-8")
    if not prefix:
        _default_index[config.site_dir] = data


@event_priority(-110)  # after static-i18n: it wrote its merged index over the default language's
def _restore_default_index(config: MkDocsConfig) -> None:
    if i18n_plugin(config).building or config.site_dir not in _default_index:
        return  # a nested language build: the outer (default language) build finishes the job
    (Path(config.site_dir) / INDEX).write_text(_default_index.pop(config.site_dir), "utf-8")


on_post_build = CombinedEvent(_save_language_index, _restore_default_index)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Point Material's search of a non-default language page at that language's index."""
    prefix = language_prefix(config, page_language(page, config))
    if not prefix:
        return output
    searching = with_language_search(output, prefix)
    if searching is None:
        raise PluginError(f"docs/{page.file.src_uri}: the theme wrote no __config script; per-language search needs it")
    return searching


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same for a language's not-found page (hooks/languages.py renders one per language)."""
    prefix = language_prefix(config, build_language(config))
    if template_name != "404.html" or not prefix:
        return output_content
    return with_language_search(output_content, prefix) or output_content


def with_language_search(output: str, prefix: str) -> str | None:
    """The page with its `__config` base pointing at the language's folder; None without a `__config`."""
    match = CONFIG_SCRIPT.search(output)
    if match is None:
        return None
    settings = json.loads(match.group(2))
    settings["base"] = f"{settings['base'].rstrip('/')}/{prefix}"
    return output[: match.start(2)] + str(htmlsafe_json_dumps(settings)) + output[match.end(2) :]
