"""What the site tests share: where each page is built, a small HTML reader, and a copy of the project to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from calculator import load_tariff
from calculator.texts import LANGUAGES, messages

ROOT = Path(__file__).resolve().parents[1]

LANGS = LANGUAGES  # calculator.texts: the one list of languages
PREFIX = {"nb": "", "sv": "sv/", "en": "en/"}
# Every page, by its file name in docs/<lang>/ (the same in every language).
PAGES = tuple(sorted(path.stem for path in (ROOT / "docs" / "nb").glob("*.md")))
TERMS_PAGES = ("norway", "sweden")
# mkdocs.yml's defaults, which deploys override with SITE_URL and REPO_URL.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")
REPO_URL = os.environ.get("REPO_URL", "https://github.com/mystore/terms-site")


def build_site(
    site_dir: Path, *extra: str, config: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` into site_dir; returns the finished process (check returncode yourself)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)]
    if config is not None:
        command += ["--config-file", str(config)]
    return subprocess.run(
        [*command, *extra], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300
    )


def page_url(lang: str, name: str) -> str:
    """A page's URL relative to the site root: "", "sv/", "en/norway/"."""
    return PREFIX[lang] + ("" if name == "index" else f"{name}/")


def page_file(site: Path, lang: str, name: str) -> Path:
    return site / page_url(lang, name) / "index.html"


VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# The calculator's live form (data-calculator): its estimate is computed by the calculator engine, not
# copied from the tariff file, and the calculator's own tests check it. Its text is kept apart.
APART = "data-calculator"


class Document(HTMLParser):
    """The parts of an HTML page the tests look at: elements with attributes, visible text, inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.apart: list[str] = []
        self.scripts: list[str] = []
        self._open: list[str] = []
        self._apart_at: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.elements.append((tag, found))
        if tag in VOID:
            return
        if APART in found and self._apart_at is None:
            self._apart_at = len(self._open)
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass
        if self._apart_at is not None and len(self._open) <= self._apart_at:
            self._apart_at = None

    def handle_data(self, data: str) -> None:
        current = self._open[-1] if self._open else ""
        if current == "script":
            self.scripts.append(data)
        elif current not in ("style", "template"):
            (self.texts if self._apart_at is None else self.apart).append(data)

    @property
    def words(self) -> str:
        """Visible text with a space between every piece of text (a heading never runs into the next line)."""
        return " ".join(" ".join(self.texts + self.apart).replace("\u00a0", " ").split())

    @property
    def text(self) -> str:
        """Visible text outside the calculator form, no-break spaces as spaces, whitespace collapsed."""
        return " ".join("".join(self.texts).replace("\u00a0", " ").split())

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Elements by tag and exact attribute values (`class_` for class, `data_x` for data-x)."""
        return [
            found
            for name, found in self.elements
            if name == tag
            and all(found.get(key.rstrip("_").replace("_", "-")) == value for key, value in attrs.items())
        ]


def read_html(path: Path) -> Document:
    document = Document()
    document.feed(path.read_text("utf-8"))
    document.close()
    return document


def copy_project(
    destination: Path, link: tuple[str, ...] = ("node_modules", "build"), copy: tuple[str, ...] = ()
) -> Path:
    """The project's files (tracked and new, not ignored) copied; the folders in ``link`` (by default the big
    generated inputs the build reads) linked, those in ``copy`` copied whole."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split(b"\0")):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            target = destination / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for shared in link:
        if (ROOT / shared).exists():
            (destination / shared).symlink_to(ROOT / shared)
    for own in copy:
        shutil.copytree(ROOT / own, destination / own)
    return destination


def calculator_texts(lang: str) -> dict[str, str]:
    """Every text of the calculator in one language, by where it comes from."""
    texts = {}
    for section, entries in messages().items():
        for key, per_lang in entries.items():
            texts[f"calculator/messages.toml [{section}] {key}.{lang}"] = per_lang[lang]
    book = load_tariff(ROOT / "calculator" / "tariff.toml")
    for kind, items in (("tariff", book.tariffs), ("case", book.cases), ("note", book.notes)):
        for ident, item in items.items():
            for field in ("label", "unit", "quote_unit", "text"):
                value = getattr(item, field, None)
                if value is not None:
                    texts[f"calculator/tariff.toml {kind} '{ident}'.{field}.{lang}"] = value[lang]
    return texts
