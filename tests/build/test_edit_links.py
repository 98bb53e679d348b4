"""The "edit this page" pencil is for staff (hooks/edit_links.py): the published site has none unless
mkdocs.yml says the repository is open to readers; the preview always has it (tests/build/test_preview.py)."""

from __future__ import annotations

from pathlib import Path

from sitecheck import LANGS, PAGES, REPO_URL, Document, build_site, page_file, read_html


def test_the_published_site_has_no_edit_link(documents: dict[tuple[str, str], Document]) -> None:
    """Customers cannot edit the repository, so no page links them to its editor."""
    with_pencil = sorted(key for key, document in documents.items() if document.find("a", rel="edit"))
    assert not with_pencil


def test_an_open_repository_has_an_edit_link_on_every_page(tmp_path: Path) -> None:
    """REPOSITORY_OPEN_TO_READERS=true; the preview's TERMS_PREVIEW=true is tested on the preview itself."""
    result = build_site(tmp_path / "site", env={"REPOSITORY_OPEN_TO_READERS": "true", "PYODIDE_PRECOMPRESS": "off"})
    assert result.returncode == 0, result.stdout + result.stderr
    for lang in LANGS:
        for name in PAGES:
            edits = read_html(page_file(tmp_path / "site", lang, name)).find("a", rel="edit")
            assert [edit["href"] for edit in edits] == [f"{REPO_URL}/edit/main/docs/{lang}/{name}.md"], (lang, name)


def test_a_switch_that_is_not_true_or_false_fails_the_build(tmp_path: Path) -> None:
    result = build_site(tmp_path / "site", env={"REPOSITORY_OPEN_TO_READERS": "maybe"})
    assert result.returncode != 0
    assert "mkdocs.yml: extra.repository_open_to_readers must be true or false, not 'maybe'" in result.stderr
