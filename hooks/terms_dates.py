"""A terms page shows, under its title, the dates its front matter gives and the date it last changed.

Front-matter dates (every one is checked; a bad or empty one fails the build naming file and key):

    terms_effective: 2026-01-01   the date the terms apply from, only when a source states one
    terms_published: 2018-02-01   the date the source document was published (the Norwegian source's timestamp)
    published_here: 2026-11-22    the date the terms were first published on this site

A page with any of these is a terms page (tools/translations.py reads the same keys). A source without
a date gets no effective date: the page says when it was published here instead (terms-facts.md, Dates).

"Last changed" is the date of the newest entry of the change history (docs/<lang>/changes.md) that
links to the page: staff write those entries, so a refactoring commit or a comment in the tariff file
never moves the date of a legal text. A terms page that no entry links to fails the build. The change
history's own dated headings (`## 2026-11-22 { #2026-11-22 }`, as staff write them) are shown in the
reader's date style.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from languages import page_language
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE

from calculator.texts import DEFAULT_LANGUAGE
from sitebuild.site_words import format_date, site_word

# The date keys of a terms page, in the order the page shows them.
DATE_KEYS = ("terms_effective", "terms_published", "published_here")
CHANGES_PAGE = "changes.md"  # beside the page, in the same language folder
# What looks like a date in front matter under any key (YAML would read it as one, or drop the front matter).
DATE_LIKE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A dated heading of the change history: `## 2026-11-22 { #2026-11-22 }` (tools/translations.py: CHANGE_HEADING).
CHANGE_HEADING = re.compile(r"^(##[ \t]+)(\d{4}-\d{1,2}-\d{1,2}\S*)([ \t]+\{[^}]*\})?[ \t]*$", re.MULTILINE)
HEADING = re.compile(r"^#{1,6}[ \t]")
LINK_TARGET = re.compile(r"\]\(\s*([^)#\s]+)(?:#[^)\s]*)?\s*\)")
HEADING_END = re.compile(r"</h1>", re.IGNORECASE)


class DateError(ValueError):
    """A date staff wrote that cannot be read; the message names the file and the key or line."""


def parse_date(value: Any, where: str) -> date:
    """A front-matter or heading date: YYYY-MM-DD, or an ISO date-time of which the date is kept.

    >>> parse_date("2018-02-01T09:52:04+00:00", "x")
    datetime.date(2018, 2, 1)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise DateError(f"{where} is empty: write a date such as 2018-02-01")
    try:
        if ISO_DATE.match(text):
            return date.fromisoformat(text)
        if DATE_LIKE.match(text):
            return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    raise DateError(f"{where}: '{text}' is not a date (write YYYY-MM-DD, such as 2018-02-01)")


def front_matter_dates(source: str, name: str) -> dict[str, date]:
    """Every date of a page's front matter, checked; `name` is the file as staff know it (docs/nb/x.md).

    Read from the source with YAML's plain-text loader: MkDocs drops a whole front matter whose date
    YAML cannot build (2026-13-45), so the page's meta cannot tell what went wrong.
    """
    found = YAML_RE.match(source)
    if not found:
        return {}
    try:
        data = yaml.load(found.group(1), Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as error:
        raise DateError(f"{name}: the front matter is not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise DateError(f"{name}: the front matter is not a list of `key: value` lines")
    dates = {}
    for key, value in data.items():
        if key in DATE_KEYS or (isinstance(value, str) and DATE_LIKE.match(value)):
            dates[key] = parse_date(value, f"{name}: front matter '{key}'")
            if key not in DATE_KEYS:  # a misspelt key would leave the page without its date, silently
                raise DateError(
                    f"{name}: front matter '{key}' holds a date but is not a date key ({', '.join(DATE_KEYS)})"
                )
    return dates


def translation_dates_differ(dates: dict[str, date], source_dates: dict[str, date], name: str, source: str) -> None:
    """A translation states the dates of its source, no more and no fewer: DateError naming both files.

    >>> try:
    ...     translation_dates_differ({}, {"terms_published": date(2018, 2, 1)}, "docs/en/x.md", "docs/nb/x.md")
    ... except DateError as error:
    ...     print(error)
    docs/en/x.md: front matter terms_published: (none), but docs/nb/x.md has 2018-02-01
    """
    for key in DATE_KEYS:
        if dates.get(key) != source_dates.get(key):
            mine, theirs = (str(d) if d else "(none)" for d in (dates.get(key), source_dates.get(key)))
            raise DateError(f"{name}: front matter {key}: {mine}, but {source} has {theirs}")


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    day: date
    pages: frozenset[str]  # the page files its bullets link to, relative to the language folder: "norway.md"


def change_entries(text: str, name: str) -> list[ChangeEntry]:
    """The change history's dated entries, with the pages each one links to."""
    entries: list[ChangeEntry] = []
    current: tuple[date, set[str]] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        heading = CHANGE_HEADING.match(line)
        if heading:
            if current:
                entries.append(ChangeEntry(current[0], frozenset(current[1])))
            current = (parse_date(heading.group(2), f"{name}:{number}: the heading's date"), set())
        elif HEADING.match(line):
            if current:
                entries.append(ChangeEntry(current[0], frozenset(current[1])))
            current = None
        elif current:
            current[1].update(Path(target).as_posix() for target in LINK_TARGET.findall(line))
    if current:
        entries.append(ChangeEntry(current[0], frozenset(current[1])))
    return entries


def last_changed(history: str, history_name: str, page_file: str) -> date:
    """The date of the newest change-history entry that links to `page_file` (a name such as "norway.md")."""
    days = [entry.day for entry in change_entries(history, history_name) if page_file in entry.pages]
    if not days:
        raise DateError(f"{history_name} has no entry that links to {page_file}: add one under a dated heading")
    return max(days)


def dated_headings(text: str, name: str, lang: str) -> str:
    """The change history with each `## 2026-11-22` heading written in the reader's date style."""

    def reader_date(found: re.Match[str]) -> str:
        day = parse_date(found.group(2), f"{name}: the heading '{found.group(0).strip()}'")
        anchor = found.group(3) or f" {{ #{day.isoformat()} }}"
        return f"{found.group(1)}{format_date(day, lang)}{anchor}"

    return CHANGE_HEADING.sub(reader_date, text)


def dates_html(dates: dict[str, date], lang: str) -> str:
    def item(key: str, day: date) -> str:
        label, text = html.escape(site_word(key, lang)), html.escape(format_date(day, lang))
        return f'<span class="tx-terms-dates__item">{label} <time datetime="{day.isoformat()}">{text}</time></span>'

    items = [item(f"dates.{key}", day) for key, day in dates.items() if key in DATE_KEYS]
    items.append(item("dates.changed", dates["changed"]))
    return f'<p class="tx-terms-dates">{" ".join(items)}</p>'


def _name(page: Page) -> str:
    return f"docs/{page.file.src_uri}"


@event_priority(90)  # before the other hooks read the page's meta
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = Path(page.file.abs_src_path)
    lang = page_language(page, config)
    try:
        dates = front_matter_dates(source.read_text("utf-8"), _name(page))
        if lang != DEFAULT_LANGUAGE:  # the Norwegian page is every translation's source (tools/translations.py)
            original = Path(config.docs_dir) / DEFAULT_LANGUAGE / Path(page.file.src_uri).relative_to(lang)
            if original.is_file():
                original_name = f"docs/{original.relative_to(Path(config.docs_dir)).as_posix()}"
                original_dates = front_matter_dates(original.read_text("utf-8"), original_name)
                translation_dates_differ(dates, original_dates, _name(page), original_name)
        if source.name == CHANGES_PAGE:
            markdown = dated_headings(markdown, _name(page), lang)
        shown = {key: dates[key] for key in DATE_KEYS if key in dates}
        if shown:
            history = source.parent / CHANGES_PAGE
            history_name = f"docs/{Path(page.file.src_uri).parent.as_posix()}/{CHANGES_PAGE}"
            if not history.is_file():
                raise DateError(f"{_name(page)} is a terms page, but {history_name} does not exist")
            shown["changed"] = last_changed(history.read_text("utf-8"), history_name, source.name)
            page.meta["terms_dates"] = shown
    except DateError as error:
        raise PluginError(str(error)) from None
    return markdown


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the dates right under the page's title (or first, when the theme writes the title)."""
    dates = page.meta.get("terms_dates")
    if not dates:
        return html_text
    box = dates_html(dates, page_language(page, config))
    heading = HEADING_END.search(html_text)
    if heading is None:
        return box + html_text
    return html_text[: heading.end()] + box + html_text[heading.end() :]
