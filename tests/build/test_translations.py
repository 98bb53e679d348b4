"""tools/translations.py on throwaway git repositories: status, the pull-request check and the trailers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import translations

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "translations.py"


class Sandbox:
    """A git repository in tmp_path with a fixed clock, so dates and subjects are predictable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.day = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.path, check=True, capture_output=True, text=True).stdout

    def write(self, files: dict[str, str | None]) -> None:
        for name, text in files.items():
            path = self.path / name
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")

    def commit(self, message: str, files: dict[str, str | None]) -> str:
        """Write (or delete, for None) the files and commit them; returns the short hash."""
        self.write(files)
        self.git("add", "-A")
        self.day += 1
        date = f"2026-11-{self.day:02d}T12:00:00+00:00"
        subprocess.run(
            ["git", "commit", "-q", "-m", message],
            cwd=self.path,
            check=True,
            env={**_git_env(), "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
        )
        return self.git("rev-parse", "--short", "HEAD").strip()

    def status(self) -> dict[tuple[str, str], translations.Status]:
        return {(s.source, s.lang): s for s in translations.translation_status(translations.Repo(self.path))}

    def check(self, base: str) -> list[str]:
        repo = translations.Repo(self.path)
        return [str(problem) for problem in translations.check_translations(repo, base)]

    def check_history(self, base: str) -> list[str]:
        repo = translations.Repo(self.path)
        return [str(problem) for problem in translations.check_history(repo, base)]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=self.path, capture_output=True, text=True)


def _git_env() -> dict[str, str]:
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "Staff",
        "GIT_AUTHOR_EMAIL": "staff@example.com",
        "GIT_COMMITTER_NAME": "Staff",
        "GIT_COMMITTER_EMAIL": "staff@example.com",
    }


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git configuration leaks in (signing, hooks, default branch names)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in _git_env().items():
        if name.startswith("GIT_"):
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("PRE_COMMIT_FROM_REF", raising=False)
    monkeypatch.delenv("PRE_COMMIT_TO_REF", raising=False)


# A terms page, as hooks/terms_dates.py knows one: `terms_effective` in the front matter; it includes a snippet.
TERMS_PAGE = "---\nterms_effective: 2018-02-01\n---\n\n# Terms\n\n{!_includes/nb/contact.md!}\n\ntext"


def all_languages(name: str, text: str = "text") -> dict[str, str | None]:
    return {f"docs/{lang}/{name}": f"{text} ({lang})\n" for lang in ("nb", "sv", "en")}


@pytest.fixture
def repo(tmp_path: Path) -> Sandbox:
    """A site with one page and one snippet, translated in the same commit."""
    sandbox = Sandbox(tmp_path / "repo")
    sandbox.commit(
        "Add the Norway page",
        {
            **all_languages("norway.md", TERMS_PAGE),
            **{f"docs/_includes/{lang}/contact.md": f"mail ({lang})\n" for lang in ("nb", "sv", "en")},
            **all_languages("changes.md", "## 2026-11-01 { #2026-11-01 }\n\n- First terms"),
            "calculator/tariff.toml": "schema = 1\n",
        },
    )
    return sandbox


# --- status --------------------------------------------------------------------------------------


def test_pages_translated_in_the_same_commit_are_up_to_date(repo: Sandbox) -> None:
    """A translation committed with (or after) its source is up to date."""
    status = repo.status()
    assert {s.state for s in status.values()} == {"up to date"}
    assert ("docs/nb/norway.md", "sv") in status and ("docs/_includes/nb/contact.md", "en") in status


def test_a_later_source_change_makes_the_translations_stale_since_that_commit(repo: Sandbox) -> None:
    """Stale since the first source commit after the translation's own last commit: hash, date, subject."""
    first = repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    repo.commit("Clarify critical support", {"docs/nb/norway.md": "newer text\n"})
    status = repo.status()[("docs/nb/norway.md", "sv")]
    assert status.state == "stale"
    assert status.since is not None and status.since.short == first
    assert status.since.date == "2026-11-02" and status.since.subject == "Raise the service price"
    assert status.later == 1
    assert f'stale since {first} (2026-11-02) "Raise the service price" (+1 later)' == status.text()


def test_updating_one_translation_leaves_the_other_stale(repo: Sandbox) -> None:
    """Each language is judged by its own file's history."""
    repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    repo.commit("Swedish: the new price", {"docs/sv/norway.md": "ny text\n"})
    status = repo.status()
    assert status[("docs/nb/norway.md", "sv")].state == "up to date"
    assert status[("docs/nb/norway.md", "en")].state == "stale"


def test_a_commit_with_the_trailer_does_not_make_translations_stale(repo: Sandbox) -> None:
    """`Translation: not-needed` at the end of the message exempts that commit (any letter case)."""
    repo.commit("Fix a typo\n\nTranslation: not-needed", {"docs/nb/norway.md": "fixed text\n"})
    repo.commit("Fix another typo\n\nSigned-off-by: Staff\ntranslation: Not-Needed", {"docs/nb/norway.md": "x\n"})
    assert {s.state for s in repo.status().values()} == {"up to date"}


def test_the_trailer_only_counts_on_a_line_of_its_own(repo: Sandbox) -> None:
    """A subject that merely mentions the words is no exemption."""
    repo.commit("Translation: not-needed is wrong here, the price changed", {"docs/nb/norway.md": "x\n"})
    assert repo.status()[("docs/nb/norway.md", "sv")].state == "stale"


def test_a_missing_translation_and_a_snippet(repo: Sandbox) -> None:
    """A Norwegian page with no Swedish file is missing; snippets in docs/_includes/nb are tracked too."""
    repo.commit("Add the Sweden page", {"docs/nb/sweden.md": "x\n", "docs/en/sweden.md": "x\n"})
    repo.commit("New e-mail address", {"docs/_includes/nb/contact.md": "new mail\n"})
    status = repo.status()
    assert status[("docs/nb/sweden.md", "sv")].state == "missing"
    assert status[("docs/nb/sweden.md", "en")].state == "up to date"
    assert status[("docs/_includes/nb/contact.md", "sv")].state == "stale"
    assert status[("docs/_includes/nb/contact.md", "en")].state == "stale"


def test_uncommitted_work_and_orphans(repo: Sandbox) -> None:
    """Work in progress shows as such; a translation whose source is gone is an orphan."""
    repo.write({"docs/sv/norway.md": "being translated\n", "docs/en/old.md": "x\n"})
    repo.write({"docs/_includes/nb/contact.md": "changed, not committed\n"})
    status = repo.status()
    assert status[("docs/nb/norway.md", "sv")].state == "uncommitted"
    assert status[("docs/_includes/nb/contact.md", "en")].state == "stale"
    assert status[("docs/nb/old.md", "en")].state == "orphan"


def test_the_status_command_shows_what_needs_work_then_a_count(repo: Sandbox) -> None:
    """`tools/translations.py status` lists stale and missing translations first, then one count line."""
    short = repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    repo.commit("Add the Sweden page", {"docs/nb/sweden.md": "x\n", "docs/en/sweden.md": "x\n"})
    result = repo.run("status")
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[2:-2]
    assert rows == [
        f'docs/nb/norway.md  sv    stale since {short} (2026-11-02) "Raise the service price"',
        f'                   en    stale since {short} (2026-11-02) "Raise the service price"',
        "docs/nb/sweden.md  sv    missing",
    ]
    assert "contact.md" not in result.stdout  # up to date: only counted
    assert result.stdout.splitlines()[-1] == "5 up to date, 2 stale, 1 missing (--all lists every translation)"


def test_the_status_command_with_all_lists_every_translation(repo: Sandbox) -> None:
    """`status --all` names every source, language and state, in source order, and the same count."""
    short = repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    result = repo.run("status", "--all")
    assert result.returncode == 0, result.stderr
    assert "docs/nb/norway.md" in result.stdout and "docs/_includes/nb/contact.md" in result.stdout
    assert f'stale since {short} (2026-11-02) "Raise the service price"' in result.stdout
    assert result.stdout.splitlines()[-1] == "4 up to date, 2 stale"


def test_the_status_command_when_everything_is_up_to_date(repo: Sandbox) -> None:
    result = repo.run("status")
    assert result.stdout.strip() == "All 6 translations are up to date."


def test_status_in_an_empty_repository(tmp_path: Path) -> None:
    """A fresh repository without docs says so instead of failing."""
    sandbox = Sandbox(tmp_path)
    result = sandbox.run("status")
    assert result.returncode == 0, result.stderr
    assert "nothing to translate yet" in result.stdout


# --- check: translations -------------------------------------------------------------------------


def test_check_fails_naming_both_translations_when_only_norwegian_changed(repo: Sandbox) -> None:
    """A pull request that changes docs/nb/X.md but not docs/sv/X.md and docs/en/X.md fails, naming them."""
    repo.git("branch", "base")
    short = repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    problems = repo.check("base")
    assert len(problems) == 2
    assert problems[0].startswith("docs/sv/norway.md: not updated after docs/nb/norway.md changed in " + short)
    assert problems[1].startswith("docs/en/norway.md: ")


def test_check_passes_when_translations_follow_in_a_later_commit(repo: Sandbox) -> None:
    """The translations may come in the same commit or any later commit of the pull request."""
    repo.git("branch", "base")
    repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    repo.commit("Translate the new price", {"docs/sv/norway.md": "ny\n", "docs/en/norway.md": "new\n"})
    assert repo.check("base") == []


def test_check_fails_when_the_translation_came_before_the_source_change(repo: Sandbox) -> None:
    """A translation touched only before the latest Norwegian change does not cover it."""
    repo.git("branch", "base")
    repo.commit("Translate", {"docs/sv/norway.md": "ny\n", "docs/en/norway.md": "new\n"})
    repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    assert [p.split(":")[0] for p in repo.check("base")] == ["docs/sv/norway.md", "docs/en/norway.md"]


def test_check_accepts_the_trailer(repo: Sandbox) -> None:
    """A commit marked `Translation: not-needed` needs no translation; an unmarked one still does."""
    repo.git("branch", "base")
    repo.commit("Fix a typo\n\nTranslation: not-needed", {"docs/nb/norway.md": "fixed\n"})
    assert repo.check("base") == []
    repo.commit("New e-mail address", {"docs/_includes/nb/contact.md": "new mail\n"})
    assert [p.split(":")[0] for p in repo.check("base")] == [
        "docs/_includes/sv/contact.md",
        "docs/_includes/en/contact.md",
    ]


def test_check_names_a_new_page_without_translations_and_leftovers_of_a_deleted_page(repo: Sandbox) -> None:
    """A new Norwegian page needs its translations; a deleted one needs them deleted too."""
    repo.git("branch", "base")
    repo.commit("Add the Sweden page", {"docs/nb/sweden.md": "x\n", "docs/sv/sweden.md": "x\n"})
    repo.commit("Drop the Norway page", {"docs/nb/norway.md": None, "docs/sv/norway.md": None})
    problems = sorted(repo.check("base"))
    assert len(problems) == 2
    assert problems[0].startswith("docs/en/norway.md: docs/nb/norway.md was deleted in ")
    assert problems[0].endswith("delete this too")
    assert problems[1].startswith("docs/en/sweden.md: missing: docs/nb/sweden.md was added or changed in ")


def test_check_ignores_changes_before_the_base(repo: Sandbox) -> None:
    """Only commits since the base count: an old stale page is for `status`, not for this pull request."""
    repo.commit("Old untranslated change", {"docs/nb/norway.md": "old\n"})
    repo.git("branch", "base")
    repo.commit("Unrelated", {"README.md": "hello\n"})
    assert repo.check("base") == []


def test_check_command_exit_codes_and_message(repo: Sandbox) -> None:
    """Exit 1 with the files and how to fix them on stderr; exit 2 for an unknown base; 0 when fine."""
    repo.git("branch", "base")
    assert repo.run("check", "--base", "base").returncode == 0
    repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    result = repo.run("check", "--base", "base")
    assert result.returncode == 1
    assert "docs/sv/norway.md" in result.stderr and "docs/en/norway.md" in result.stderr
    assert "Translation: not-needed" in result.stderr and "CONTRIBUTING.md" in result.stderr
    unknown = repo.run("check", "--base", "origin/nowhere")
    assert unknown.returncode == 2 and "unknown revision 'origin/nowhere'" in unknown.stderr


def test_check_reads_pre_commits_push_range(repo: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under pre-commit's pre-push stage the pushed range comes from PRE_COMMIT_FROM_REF/TO_REF."""
    base = repo.git("rev-parse", "HEAD").strip()
    repo.commit("Raise the service price", {"docs/nb/norway.md": "new text\n"})
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", repo.git("rev-parse", "HEAD").strip())
    result = repo.run("check")
    assert result.returncode == 1 and "docs/sv/norway.md" in result.stderr


# --- check: change history -----------------------------------------------------------------------


ENTRY = "## 2026-12-01 { #2026-12-01 }\n\n- {text}\n\n## 2026-11-01 { #2026-11-01 }\n\n- First terms\n"


def entries(date: str = "2026-12-01", **per_lang: str) -> dict[str, str | None]:
    files: dict[str, str | None] = {}
    for lang in ("nb", "sv", "en"):
        day = per_lang.get(lang, date)
        files[f"docs/{lang}/changes.md"] = ENTRY.replace("2026-12-01", day).replace("{text}", f"price ({lang})")
    return files


@pytest.mark.parametrize(
    ("terms_file", "text"),
    [
        ("docs/nb/norway.md", TERMS_PAGE + " changed\n"),  # a page with terms_effective in its front matter
        ("docs/nb/sweden.md", TERMS_PAGE.replace("2018-02-01", "2026-12-01")),  # a new terms page
        ("docs/_includes/nb/contact.md", "new e-mail address\n"),  # a snippet a terms page includes
        ("calculator/tariff.toml", "schema = 1\n# a new price\n"),
    ],
)
def test_a_terms_change_without_history_entries_fails_in_every_language(
    repo: Sandbox, terms_file: str, text: str
) -> None:
    """A change to a terms page, its snippets or the tariff file needs a new changes.md entry in nb, sv and en."""
    repo.git("branch", "base")
    short = repo.commit("Change the terms", {terms_file: text})
    problems = repo.check_history("base")
    assert [p.split(":")[0] for p in problems] == [f"docs/{lang}/changes.md" for lang in ("nb", "sv", "en")]
    assert all(terms_file in p and short in p for p in problems)


def test_a_terms_change_with_entries_in_every_language_passes(repo: Sandbox) -> None:
    """The same new dated heading in each language's changes.md satisfies the check, in any commit."""
    repo.git("branch", "base")
    repo.commit("Raise the service price", {"calculator/tariff.toml": "schema = 1\n# new price\n"})
    repo.commit("Change history for the new price", entries())
    assert repo.check_history("base") == []


def test_a_bullet_under_an_existing_date_counts_as_an_entry(repo: Sandbox) -> None:
    """A second change on the same day adds a bullet, not a heading."""
    repo.git("branch", "base")
    bullet = {
        f"docs/{lang}/changes.md": f"## 2026-11-01 {{ #2026-11-01 }}\n\n- Second ({lang})\n- First terms\n"
        for lang in ("nb", "sv", "en")
    }
    repo.commit("Raise the price", {"calculator/tariff.toml": "schema = 1\n# x\n", **bullet})
    assert repo.check_history("base") == []


def test_entries_with_different_dates_fail(repo: Sandbox) -> None:
    """The dated headings are anchors shared by all languages: they must agree."""
    repo.git("branch", "base")
    repo.commit("Raise the price", {"docs/nb/norway.md": "x\n", **entries(sv="2026-12-02")})
    problems = repo.check_history("base")
    assert len(problems) == 1 and problems[0].startswith("docs/sv/changes.md: new dated headings ['2026-12-02']")


def test_the_history_trailer_and_non_terms_pages(repo: Sandbox) -> None:
    """`Change-history: not-needed` exempts a commit; pages without terms_effective need no entry."""
    repo.git("branch", "base")
    repo.commit("Reword a sentence\n\nChange-history: not-needed", {"docs/nb/norway.md": TERMS_PAGE + " reworded"})
    repo.commit("New page", all_languages("faq.md"))
    repo.commit("Reword the FAQ", {"docs/nb/faq.md": "---\ntitle: FAQ\n---\nreworded\n"})
    assert repo.check_history("base") == []


def test_check_command_reports_history_problems(repo: Sandbox) -> None:
    """The `check` command runs both checks and explains the history trailer."""
    repo.git("branch", "base")
    repo.commit("Raise the price\n\nTranslation: not-needed", {"docs/nb/norway.md": "x\n"})
    result = repo.run("check", "--base", "base")
    assert result.returncode == 1
    assert "docs/en/changes.md: no new entry" in result.stderr
    assert "Change-history: not-needed" in result.stderr
    assert "Translations not updated" not in result.stderr


# --- the project's own history -------------------------------------------------------------------


def test_status_on_this_repository() -> None:
    """`make translations` reports on the real docs tree from the real history."""
    result = subprocess.run([sys.executable, str(SCRIPT), "status", "--all"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if (ROOT / "docs" / "nb").is_dir():
        assert "docs/nb/" in result.stdout


def test_the_tools_docstring_examples() -> None:
    """The examples in tools/translations.py's docstrings hold (tools/ is outside pytest's doctest paths)."""
    import doctest

    assert doctest.testmod(translations).failed == 0
