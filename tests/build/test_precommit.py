"""The pre-commit configuration: valid, offline, and its hooks catch what they promise, on a throwaway repo."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = ROOT / ".venv" / "bin" / "pre-commit"
CONFIG = ROOT / ".pre-commit-config.yaml"


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repo with this project's hook config, its .venv (linked) and a copy of the calculator package."""
    if not PRE_COMMIT.exists():
        pytest.fail(f"{PRE_COMMIT} is missing: `make setup` installs it from requirements.lock")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Staff")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "staff@example.com")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(CONFIG, repo / ".pre-commit-config.yaml")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")  # ruff's settings
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / ".gitignore").write_text("/.venv\n", "utf-8")
    shutil.copytree(ROOT / "calculator", repo / "calculator", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "translations.py", repo / "tools" / "translations.py")
    return repo


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    git(repo, "add", "-A")
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--color=never", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SKIP": ""},
    )


def test_the_config_is_valid() -> None:
    """`pre-commit validate-config` accepts .pre-commit-config.yaml."""
    result = subprocess.run([str(PRE_COMMIT), "validate-config", str(CONFIG)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_hook_is_local_so_nothing_is_fetched() -> None:
    """No hook repository from GitHub: every hook runs a tool from the locked .venv."""
    import yaml

    config = yaml.safe_load(CONFIG.read_text("utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    for hook in config["repos"][0]["hooks"]:
        assert hook["language"] == "system" and hook["entry"].startswith(".venv/bin/"), hook["id"]


def test_a_clean_tree_passes_every_commit_hook(sandbox: Path) -> None:
    """On the copied calculator package (real Python, TOML) every hook passes, offline."""
    (sandbox / "mkdocs.yml").write_text("site_url: !ENV [SITE_URL, 'https://example.com/']\n", "utf-8")
    result = pre_commit(sandbox, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in ("ruff check", "ruff format", "YAML parses", "TOML parses", "tariff file is valid"):
        assert hook in result.stdout


def test_the_hooks_name_the_files_they_fault(sandbox: Path) -> None:
    """Lint errors, bad YAML, trailing spaces and a broken tariff each fail and name the file."""
    (sandbox / "bad.py").write_text("print(undefined_name)\n", "utf-8")
    (sandbox / "broken.yaml").write_text("key: [unclosed\n", "utf-8")
    (sandbox / "notes.txt").write_text("trailing   \nno newline at the end", "utf-8")
    tariff = sandbox / "calculator" / "tariff.toml"
    tariff.write_text(tariff.read_text("utf-8").replace("schema = 1", "schema = 2"), "utf-8")
    result = pre_commit(sandbox, "--all-files")
    assert result.returncode == 1
    out = result.stdout
    assert "bad.py" in out and "F821" in out  # an undefined name
    assert "broken.yaml" in out
    assert "Fixing notes.txt" in out
    assert "tariff.toml" in out and "schema" in out
    assert (sandbox / "notes.txt").read_text("utf-8") == "trailing\nno newline at the end\n"


def test_the_pre_push_hook_runs_the_translations_check(sandbox: Path) -> None:
    """Before a push, a Norwegian change without translations in the pushed commits fails, naming them."""
    for lang in ("nb", "sv", "en"):
        page = sandbox / "docs" / lang / "index.md"
        page.parent.mkdir(parents=True)
        page.write_text(f"# Home ({lang})\n", "utf-8")
    git(sandbox, "add", "-A")
    git(sandbox, "commit", "-q", "--no-verify", "-m", "Start")
    base = git(sandbox, "rev-parse", "HEAD").strip()
    (sandbox / "docs" / "nb" / "index.md").write_text("# Hjem\n", "utf-8")
    git(sandbox, "commit", "-q", "--no-verify", "-am", "Rename the home page")
    head = git(sandbox, "rev-parse", "HEAD").strip()
    result = pre_commit(sandbox, "--hook-stage", "pre-push", "--from-ref", base, "--to-ref", head)
    assert result.returncode == 1, result.stdout
    assert "docs/sv/index.md" in result.stdout and "docs/en/index.md" in result.stdout
    git(sandbox, "commit", "-q", "--no-verify", "--amend", "-m", "Typo\n\nTranslation: not-needed")
    head = git(sandbox, "rev-parse", "HEAD").strip()
    result = pre_commit(sandbox, "--hook-stage", "pre-push", "--from-ref", base, "--to-ref", head)
    assert result.returncode == 0, result.stdout
