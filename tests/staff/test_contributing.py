"""CONTRIBUTING.md stays true: its commands, files, trailers, policy text and anchors match the repository."""

from __future__ import annotations

import re
from pathlib import Path

import security_headers as sh
import translations

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "CONTRIBUTING.md").read_text("utf-8")


def test_make_targets_in_the_guide_exist() -> None:
    """Every `make <target>` the guide tells staff to run is a Makefile target."""
    makefile = (ROOT / "Makefile").read_text("utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    named = set(re.findall(r"\bmake ([a-z][a-z-]+)", GUIDE))
    assert named and named <= targets, sorted(named - targets)


def test_files_in_the_guide_exist() -> None:
    """Every repository path the guide names in backticks is there."""
    paths = set(re.findall(r"`((?:calculator|docs|hooks|tools|deploy|tests|overrides|\.github)/[\w./-]*\w)`", GUIDE))
    paths |= {".pre-commit-config.yaml", "mkdocs.yml"} & set(re.findall(r"`([\w.-]+\.ya?ml)`", GUIDE))
    generic = {"docs/nb/faq.md", "docs/sv/faq.md", "docs/en/faq.md"}  # the guide's own example of a new page
    missing = sorted(path for path in paths - generic if "<" not in path and not (ROOT / path).exists())
    assert not missing, missing


def test_the_trailers_are_the_ones_the_tool_reads() -> None:
    """The guide's trailer lines are exactly what tools/translations.py recognises."""
    assert translations.TRANSLATION_TRAILER in GUIDE
    assert translations.HISTORY_TRAILER in GUIDE
    marked = translations.Commit("0", "0", "d", "s", f"Fix a typo\n\n{translations.TRANSLATION_TRAILER}")
    assert marked.needs_translation is False


def test_the_policy_text_is_the_shipped_policy() -> None:
    """The Content-Security-Policy the guide quotes is deploy/_headers', hashes aside."""
    shipped = sh.site_wide(sh.parse_headers((ROOT / "deploy" / "_headers").read_text("utf-8")))
    quoted = re.search(r"```text\n(default-src .*?)```", GUIDE, re.DOTALL)
    assert quoted, "no policy block in CONTRIBUTING.md"
    policy = " ".join(quoted.group(1).split()).replace("'sha256-…'", sh.PLACEHOLDER)
    assert sh.directives(policy) == sh.directives(shipped["Content-Security-Policy"])


def test_the_table_of_contents_links_to_headings() -> None:
    """Each in-page link of the guide reaches a heading (GitHub's anchor rule)."""

    def slug(heading: str) -> str:
        return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")

    anchors = {slug(line.lstrip("#")) for line in GUIDE.splitlines() if line.startswith("#")}
    links = set(re.findall(r"\]\(#([\w-]+)\)", GUIDE))
    assert links and links <= anchors, sorted(links - anchors)
