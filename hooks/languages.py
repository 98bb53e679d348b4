"""One site per language, never a fallback: translation parity, switcher links, the root 404 page.

- Parity: every page and every snippet exists in every language folder (docs/<lang>/,
  docs/_includes/<lang>/), and no page sits outside a language folder. Otherwise the build fails
  naming each missing file. static-i18n's fallback is off (mkdocs.yml), so without this check a
  missing translation would silently drop the page from that language.
- The language switcher and the hreflang links point at the same page in the other languages, as
  URLs relative to the page (static-i18n links the home pages with root-absolute paths, which a
  sub-path deploy would break).
- A not-found page per language (404.html, sv/404.html, en/404.html: overrides/404.html), each with
  links to every language's home page. MkDocs writes only one 404.html, at the site root, so each
  language build renders its own here; static-i18n's later builds would otherwise overwrite the root one.
  How each host finds the right one: CONTRIBUTING.md, "Not-found pages".

The other hooks ask this module which language a page or a build is in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

from calculator.texts import DEFAULT_LANGUAGE, LANGUAGES
from sitebuild.site_words import site_word

INCLUDES_DIR = "_includes"
NOT_FOUND = "404.html"
# What this build's not-found page is rendered with (on_env, on_files, on_nav come before on_post_build).
_build: dict[str, Any] = {}


def i18n_plugin(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("mkdocs.yml: the i18n plugin (mkdocs-static-i18n) is not configured")
    return plugin


def site_languages(config: MkDocsConfig) -> list[str]:
    """The configured languages, default first."""
    plugin = i18n_plugin(config)
    return [plugin.default_language] + [lang for lang in plugin.build_languages if lang != plugin.default_language]


def build_language(config: MkDocsConfig) -> str:
    """The language this (per-language) build writes: static-i18n runs one build per language."""
    plugin = i18n_plugin(config)
    return plugin.current_language or plugin.default_language


def language_prefix(config: MkDocsConfig, lang: str) -> str:
    """Where a language lives below the site root: "" for the default, "sv/" for Swedish."""
    link = i18n_plugin(config).get_language_config(lang).link.strip("/")
    return f"{link}/" if link else ""


def page_language(page: Page, config: MkDocsConfig) -> str:
    """A page's language is its folder: docs/sv/norway.md is Swedish."""
    folder = page.file.src_uri.split("/", 1)[0]
    if folder not in site_languages(config):
        raise PluginError(
            f"docs/{page.file.src_uri}: a page must live in a language folder ({', '.join(site_languages(config))})"
        )
    return folder


def missing_translations(docs_dir: Path, languages: list[str]) -> list[str]:
    """Each file one language folder has and another lacks, and each page outside a language folder."""
    problems = [
        f"docs/{path.relative_to(docs_dir).as_posix()} is outside a language folder ({', '.join(languages)})"
        for path in sorted(docs_dir.rglob("*.md"))
        if path.relative_to(docs_dir).parts[0] not in (*languages, INCLUDES_DIR)
    ]
    for root in (docs_dir, docs_dir / INCLUDES_DIR):
        present = {
            lang: {path.relative_to(root / lang).as_posix() for path in (root / lang).rglob("*.md")}
            for lang in languages
        }
        for name in sorted(set().union(*present.values())):
            have = [lang for lang in languages if name in present[lang]]
            for lang in languages:
                if lang not in have:
                    where = (root / lang / name).relative_to(docs_dir.parent).as_posix()
                    problems.append(f"{where} is missing (the {', '.join(have)} version exists)")
    return problems


def on_pre_build(config: MkDocsConfig) -> None:
    if build_language(config) != i18n_plugin(config).default_language:
        return  # checked once, by the first (default-language) build
    # The calculator's texts and the tariff file exist in exactly its LANGUAGES (calculator/texts.py, the one
    # list on the Python side); the site's languages in mkdocs.yml must be the same, with the same default.
    if site_languages(config) != [DEFAULT_LANGUAGE, *(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)]:
        raise PluginError(
            f"mkdocs.yml: the i18n languages ({', '.join(site_languages(config))}, default first) must be the"
            f" calculator's ({', '.join(LANGUAGES)}, default {DEFAULT_LANGUAGE}: calculator/texts.py)"
        )
    problems = missing_translations(Path(config.docs_dir), site_languages(config))
    if problems:
        raise PluginError("Every page and snippet must exist in every language:\n  - " + "\n  - ".join(problems))


@event_priority(-110)  # after static-i18n has chosen this build's language
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.theme.static_templates.discard(NOT_FOUND)  # on_post_build writes one per language
    return config


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    _build.update(env=env, files=files)
    return env


@event_priority(-110)  # after static-i18n's own navigation for this language
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _build["nav"] = nav
    return nav


def home_links(config: MkDocsConfig) -> list[dict[str, str]]:
    """Each language's home page as an absolute path (a not-found page answers at any depth)."""
    base = urlsplit(config.site_url or "/").path
    base = base if base.endswith("/") else base + "/"
    plugin = i18n_plugin(config)
    return [
        {"lang": lang, "name": plugin.get_language_config(lang).name, "link": base + language_prefix(config, lang)}
        for lang in site_languages(config)
    ]


def on_template_context(context: dict[str, Any], template_name: str, config: MkDocsConfig) -> dict[str, Any]:
    if template_name == "sitemap.xml":
        context["default_language"] = i18n_plugin(config).default_language
    return context


@event_priority(-90)  # before hooks/publish_headers.py scans the built HTML (-100)
def on_post_build(config: MkDocsConfig) -> None:
    """Write this language's not-found page (overrides/404.html) to <site>/<prefix>404.html."""
    env, files, nav = _build["env"], _build["files"], _build["nav"]
    lang = build_language(config)
    homes = home_links(config)
    # The language selector of a not-found page offers the home pages (there is no "same page").
    config.extra.alternate = [{**home, "link": home["link"]} for home in homes]
    base_url = urlsplit(config.site_url or "/").path
    context = get_context(nav, files, config, base_url=base_url)
    context = config.plugins.on_template_context(context, template_name=NOT_FOUND, config=config)
    texts = {key: site_word(f"not-found.{key}", lang) for key in ("title", "text")}
    # The reader's language first, then the others, each in its own language.
    homes = sorted(homes, key=lambda home: home["lang"] != lang)
    homes = [{**home, "text": site_word("not-found.home", home["lang"])} for home in homes]
    context.update(not_found={"lang": lang, "homes": homes, **texts})
    html = env.get_template(NOT_FOUND).render(context)
    html = config.plugins.on_post_template(html, template_name=NOT_FOUND, config=config)
    write_file(html.encode("utf-8"), str(Path(config.site_dir) / language_prefix(config, lang) / NOT_FOUND))


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Point each language's switcher entry and hreflang link at this page in that language."""
    alternates = getattr(page.file, "alternates", {})
    # static-i18n sets the list as an attribute of config.extra for each page; Jinja reads the attribute first.
    current = getattr(config.extra, "alternate", None) or config.extra.get("alternate", [])
    links = []
    for alternate in current:
        target = alternates.get(alternate["lang"])
        if target is None:
            raise PluginError(
                f"docs/{page.file.src_uri}: no '{alternate['lang']}' version to link the language switcher to"
            )
        # Relative to the site root, as page URLs are; the templates' `url` filter makes it relative to the page.
        links.append({**alternate, "link": target.url})
    config.extra.alternate = links
    return context
