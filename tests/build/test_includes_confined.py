"""Includes are confined to docs/_includes/: anything else fails the build with a named error (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from includes import IncludeError, included_files
from sitecheck import build_site


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs" / "_includes" / "nb").mkdir(parents=True)
    (tmp_path / "docs" / "_includes" / "nb" / "ok.md").write_text("A snippet.\n", "utf-8")
    (tmp_path / "docs" / "nb").mkdir()
    (tmp_path / "docs" / "nb" / "other.md").write_text("A page.\n", "utf-8")
    (tmp_path / "secret.txt").write_text("token\n", "utf-8")
    return tmp_path / "docs"


def includes(docs: Path, text: str) -> list[Path]:
    return included_files(text, docs / "nb" / "page.md", docs, root=docs.parent)


def test_a_snippet_under_includes_is_fine(docs: Path) -> None:
    assert includes(docs, "{!_includes/nb/ok.md!}") == [docs / "_includes" / "nb" / "ok.md"]


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "../.git/config",
        "/etc/passwd",
        "~/.bashrc",
        "_includes/../nb/other.md",
        "nb/other.md",
        "_includes/../../secret.txt",
    ],
)
def test_an_include_outside_includes_is_a_named_error(docs: Path, name: str) -> None:
    with pytest.raises(IncludeError) as error:
        includes(docs, f"Text {{!{name}!}} more")
    message = str(error.value)
    assert message.startswith(f"docs/nb/page.md includes '{name}', which is outside docs/_includes/"), message


def test_a_symbolic_link_out_of_includes_is_refused(docs: Path) -> None:
    (docs / "_includes" / "nb" / "link.md").symlink_to(docs.parent / "secret.txt")
    with pytest.raises(IncludeError, match="outside docs/_includes/"):
        includes(docs, "{!_includes/nb/link.md!}")


def test_a_snippet_including_outside_is_named_too(docs: Path) -> None:
    (docs / "_includes" / "nb" / "bad.md").write_text("{!../secret.txt!}\n", "utf-8")
    with pytest.raises(IncludeError, match=r"docs/_includes/nb/bad\.md includes '\.\./secret\.txt'"):
        includes(docs, "{!_includes/nb/bad.md!}")


def test_the_build_refuses_to_publish_the_git_config(project_copy: Callable[[], Path], tmp_path: Path) -> None:
    project = project_copy()
    (project / ".git").mkdir(exist_ok=True)
    (project / ".git" / "config").write_text("[core]\n\trepositoryformatversion = 0\n", "utf-8")
    page = project / "docs" / "en" / "changes.md"
    page.write_text(page.read_text("utf-8") + "\n{!../.git/config!}\n", "utf-8")
    result = build_site(tmp_path / "site", config=project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/en/changes.md includes '../.git/config', which is outside docs/_includes/" in output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "en" / "changes" / "index.html").exists()
