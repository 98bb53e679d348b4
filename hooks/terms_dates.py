"""A terms page shows the date its terms apply from and the date it last changed, under its title.

A page is a terms page when its front matter has `terms_effective: YYYY-MM-DD`.

"Last changed" is the newest commit date of everything the page is made of: its own file, the
snippets it includes and, when it shows prices, calculator/tariff.toml. A file with changes not yet
committed (a preview with `make serve`) counts from its modification time; outside a git checkout
every file does. No plugin is needed for this (mkdocs-git-revision-date-localized-plugin would add a
dependency and a GitPython stack for two dates), and a shallow clone gives the date of its one commit:
deploys fetch full history.
"""

from __future__ import annotations

import html
import re
import subprocess
from datetime import date
from pathlib import Path

from directives import TARIFF_FILE, DirectiveError, effective_date, uses_tariff
from includes import page_includes
from languages import page_language
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from site_words import format_date, word

HEADING_END = re.compile(r"</h1>", re.IGNORECASE)


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def last_changed(root: Path, paths: tuple[Path, ...]) -> date:
    """The newest change among the files: commit dates, or modification times where git has nothing."""
    names = [path.relative_to(root).as_posix() for path in paths]
    committed = _git(root, "log", "-1", "--format=%cs", "--", *names)
    pending = _git(root, "status", "--porcelain", "-z", "--", *names)
    if committed is None or pending is None:  # not a git checkout
        return max(date.fromtimestamp(path.stat().st_mtime) for path in paths)
    dates = [date.fromisoformat(committed.strip())] if committed.strip() else []
    pending_names = {entry[3:] for entry in pending.split("\0") if entry}  # "XY path" entries
    dates += [
        date.fromtimestamp(path.stat().st_mtime)
        for path, name in zip(paths, names, strict=True)
        if name in pending_names
    ]
    return max(dates) if dates else max(date.fromtimestamp(path.stat().st_mtime) for path in paths)


def sources(markdown: str, page: Page, config: MkDocsConfig) -> tuple[Path, ...]:
    """The files a page's text comes from."""
    root = Path(config.config_file_path).resolve().parent
    files = [Path(page.file.abs_src_path).resolve(), *page_includes(markdown, page, config)]
    if uses_tariff(markdown) or any(uses_tariff(path.read_text("utf-8")) for path in files[1:]):
        files.append(root / TARIFF_FILE)
    return tuple(files)


def dates_html(effective: date, changed: date, lang: str) -> str:
    def item(key: str, day: date) -> str:
        label, text = html.escape(word(key, lang)), html.escape(format_date(day, lang))
        return f'<span class="tx-terms-dates__item">{label} <time datetime="{day.isoformat()}">{text}</time></span>'

    return f'<p class="tx-terms-dates">{item("dates.effective", effective)} {item("dates.changed", changed)}</p>'


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        effective = effective_date(page.meta)
    except DirectiveError as error:
        raise PluginError(f"docs/{page.file.src_uri}: {error}") from None
    if effective is not None:
        root = Path(config.config_file_path).resolve().parent
        changed = last_changed(root, sources(markdown, page, config))
        page.meta["terms_dates"] = {"effective": effective, "changed": changed}
    return markdown


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the dates right under the page's title (or first, when the theme writes the title)."""
    dates = page.meta.get("terms_dates")
    if not dates:
        return html_text
    box = dates_html(dates["effective"], dates["changed"], page_language(page, config))
    heading = HEADING_END.search(html_text)
    if heading is None:
        return box + html_text
    return html_text[: heading.end()] + box + html_text[heading.end() :]
