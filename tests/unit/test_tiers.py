"""The test tiers: every test file lives in a tier folder, and a plain `pytest` collects every tier folder."""

from __future__ import annotations

import fnmatch
import tomllib

from sitecheck import ROOT

TIERS = ("unit", "build", "pyodide", "browser", "audit")  # tests/conftest.py marks each test with its folder's tier
SETTINGS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"]["ini_options"]


def test_every_test_file_is_in_a_tier_folder():
    files = sorted((ROOT / "tests").rglob("test_*.py"))
    assert files
    outside = [
        path.relative_to(ROOT).as_posix() for path in files if path.relative_to(ROOT / "tests").parts[0] not in TIERS
    ]
    assert outside == []


def test_no_tier_folder_is_skipped_by_norecursedirs():
    """pytest's default norecursedirs holds "build", which would silently skip tests/build/."""
    skipped = [tier for tier in TIERS for pattern in SETTINGS["norecursedirs"] if fnmatch.fnmatch(tier, pattern)]
    assert skipped == []
    assert "tests" in SETTINGS["testpaths"]


def test_the_tiers_are_the_declared_markers():
    assert [marker.split(":")[0] for marker in SETTINGS["markers"]] == list(TIERS)
