"""A missing, misspelt or out-of-bounds `{!snippet!}` fails the build, naming the page and the file.

Includes are confined to docs/_includes/ (after following `..` and symbolic links): `{!../.git/config!}`
or `{!/etc/passwd!}` would otherwise publish whatever file the path names.

markdown-include (configured in mkdocs.yml with base_path = docs/) drops an include it cannot find
with only a printed line. This hook checks every include of a page, and of the snippets it
includes, before the extension runs, using the extension's own syntax and base path.

The other hooks call `included_files()` to learn which snippets make up a page.
"""

from __future__ import annotations

import os
from pathlib import Path

from markdown_include.include import INC_SYNTAX
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

EXTENSION = "markdown_include.include"
SNIPPETS = "_includes"  # the only folder under the include base that pages may include from


class IncludeError(Exception):
    """An include that cannot be followed; the message names the including file."""


def include_base(config: MkDocsConfig) -> Path:
    """The folder include paths are relative to, exactly as markdown-include sees it."""
    if EXTENSION not in config.markdown_extensions:
        raise PluginError(f"mkdocs.yml: the {EXTENSION} extension is not configured")
    base = config.mdx_configs.get(EXTENSION, {}).get("base_path", ".")
    return Path(os.fspath(base)).resolve()


def _shown(path: Path, root: Path) -> str:
    """A path as the reader of the error message knows it: relative to the project."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def included_files(text: str, source: Path, base: Path, *, root: Path, _chain: tuple[Path, ...] = ()) -> list[Path]:
    """Every file `text` (the contents of `source`) includes, recursively, in order of appearance."""
    found: list[Path] = []
    snippets = Path(os.path.realpath(base / SNIPPETS))
    for match in INC_SYNTAX.finditer(text):
        name = os.path.expanduser(match.group(1))
        target = Path(name) if os.path.isabs(name) else (base / name)
        target = Path(os.path.normpath(target))
        if not Path(os.path.realpath(target)).is_relative_to(snippets):
            raise IncludeError(
                f"{_shown(source, root)} includes '{match.group(1)}', which is outside {_shown(snippets, root)}/: "
                f"a page may include only the snippets there"
            )
        if not target.is_file():
            raise IncludeError(
                f"{_shown(source, root)} includes '{match.group(1)}', but {_shown(target, root)} does not exist"
            )
        if target in (source, *_chain):
            raise IncludeError(f"{_shown(source, root)} includes '{match.group(1)}', which includes it back (a loop)")
        if target not in found:
            found.append(target)
        for nested in included_files(target.read_text("utf-8"), target, base, root=root, _chain=(*_chain, source)):
            if nested not in found:
                found.append(nested)
    return found


def page_includes(markdown: str, page: Page, config: MkDocsConfig) -> list[Path]:
    """The snippets a page is made of; raises PluginError for a missing one."""
    root = Path(config.config_file_path).resolve().parent
    source = Path(page.file.abs_src_path).resolve()
    try:
        return included_files(markdown, source, include_base(config), root=root)
    except IncludeError as error:
        raise PluginError(str(error)) from None


@event_priority(100)  # before anything else reads the page
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    page_includes(markdown, page, config)
    return markdown
