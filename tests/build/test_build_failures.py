"""A broken source fails the strict build with a message that names the file and the problem.

Each test builds a copy of the project with one defect; the build stops at the defect, so they are quick.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sitecheck import build_site


def _broken_build(project: Path, tmp_path: Path) -> str:
    result = build_site(tmp_path / "site", config=project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed despite the defect:\n{output}"
    return output


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{path} no longer holds {old!r}: pick another defect"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_missing_translation_fails_the_build(project_copy: Callable[[], Path], tmp_path: Path) -> None:
    project = project_copy()
    (project / "docs" / "sv" / "changes.md").unlink()
    assert "docs/sv/changes.md is missing (the nb, en version exists)" in _broken_build(project, tmp_path)


def test_a_missing_snippet_translation_fails_the_build(project_copy: Callable[[], Path], tmp_path: Path) -> None:
    project = project_copy()
    (project / "docs" / "_includes" / "en" / "legal-footer.md").unlink()
    assert "docs/_includes/en/legal-footer.md is missing (the nb, sv version exists)" in _broken_build(
        project, tmp_path
    )


def test_a_misspelt_include_fails_the_build(project_copy: Callable[[], Path], tmp_path: Path) -> None:
    project = project_copy()
    _replace(
        project / "docs" / "nb" / "norway.md",
        "{!_includes/nb/contact-norway.md!}",
        "{!_includes/nb/contact-norwya.md!}",
    )
    output = _broken_build(project, tmp_path)
    assert "docs/nb/norway.md includes '_includes/nb/contact-norwya.md'" in output
    assert "but docs/_includes/nb/contact-norwya.md does not exist" in output


def test_a_broken_anchor_fails_the_build(project_copy: Callable[[], Path], tmp_path: Path) -> None:
    """Even with --quiet, which alone would hide the warning from strict mode (hooks/strict.py)."""
    project = project_copy()
    _replace(project / "docs" / "en" / "index.md", "(send-a-case.md#norway)", "(send-a-case.md#norwya)")
    output = _broken_build(project, tmp_path)
    assert "'send-a-case.md#norwya'" in output and "does not contain an anchor '#norwya'" in output


def test_an_unknown_price_fails_the_build(project_copy: Callable[[], Path], tmp_path: Path) -> None:
    project = project_copy()
    _replace(
        project / "docs" / "sv" / "sweden.md", "{{ price module-install.price }}", "{{ price module-instal.price }}"
    )
    output = _broken_build(project, tmp_path)
    assert "docs/sv/sweden.md: {{ price module-instal.price }}: unknown case or tariff 'module-instal'" in output


def test_a_typo_in_a_snippet_directive_names_the_snippet(project_copy: Callable[[], Path], tmp_path: Path) -> None:
    project = project_copy()
    snippet = project / "docs" / "_includes" / "en" / "prices-footer.md"
    snippet.write_text(snippet.read_text("utf-8") + "\nFrom {{ prize module-install.price }}.\n", "utf-8")
    output = _broken_build(project, tmp_path)
    assert "docs/_includes/en/prices-footer.md (included by docs/en/" in output
    assert "{{ prize module-install.price }}: unknown directive" in output


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-13-45", "'2026-13-45' is not a date"),
        ("2026-02-30", "'2026-02-30' is not a date"),
        ("2026-02-01 25:00:00", "'2026-02-01 25:00:00' is not a date"),
        ("", "is empty"),
    ],
)
def test_a_bad_front_matter_date_fails_the_build(
    project_copy: Callable[[], Path], tmp_path: Path, value: str, problem: str
) -> None:
    """YAML would drop such a front matter silently, and the page would lose its title and dates."""
    project = project_copy()
    _replace(project / "docs" / "nb" / "norway.md", "terms_published: 2018-02-01", f"terms_published: {value}")
    output = _broken_build(project, tmp_path)
    assert "docs/nb/norway.md: front matter 'terms_published'" in output and problem in output


@pytest.mark.parametrize(
    ("page", "old", "new", "problem"),
    [
        (
            "nb/norway.md",
            "terms_published: 2018-02-01",
            "terms_publisehd: 2018-02-01",
            "docs/nb/norway.md: front matter 'terms_publisehd' holds a date but is not a date key",
        ),
        (
            "en/norway.md",
            "terms_published: 2018-02-01",
            "terms_published: 2019-03-01",
            "docs/en/norway.md: front matter terms_published: 2019-03-01, but docs/nb/norway.md has 2018-02-01",
        ),
        (
            "sv/sweden.md",
            "published_here: 2026-11-22",
            "published_here: 2026-11-22\nterms_effective: 2026-12-01",
            "docs/sv/sweden.md: front matter terms_effective: 2026-12-01, but docs/nb/sweden.md has (none)",
        ),
    ],
)
def test_a_date_key_misspelt_or_a_translation_with_other_dates_fails_the_build(
    project_copy: Callable[[], Path], tmp_path: Path, page: str, old: str, new: str, problem: str
) -> None:
    """Each of these built silently before: the page lost its date, or stated another date than its source."""
    project = project_copy()
    _replace(project / "docs" / page, old, new)
    assert problem in _broken_build(project, tmp_path)


def test_a_terms_page_missing_from_the_change_history_fails_the_build(
    project_copy: Callable[[], Path], tmp_path: Path
) -> None:
    project = project_copy()
    history = project / "docs" / "en" / "changes.md"
    history.write_text(history.read_text("utf-8").replace("(sweden.md)", "(index.md)"), "utf-8")
    assert "docs/en/changes.md has no entry that links to sweden.md" in _broken_build(project, tmp_path)
