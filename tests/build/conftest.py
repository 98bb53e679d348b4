"""Fixtures of the site tests. The site itself is built once per session by `built_site` (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sitecheck import LANGS, PAGES, Document, copy_project, page_file, read_html


@pytest.fixture(scope="session")
def documents(built_site: Path) -> dict[tuple[str, str], Document]:
    """Every page of every language, read once."""
    return {(lang, name): read_html(page_file(built_site, lang, name)) for lang in LANGS for name in PAGES}


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[], Path]:
    """A fresh copy of the project, for a test that breaks something and builds it."""
    return lambda: copy_project(tmp_path / "project")
