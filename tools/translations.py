#!/usr/bin/env python3
"""Translation status and pull-request checks for the docs, read from git history.

Norwegian Bokmål (docs/nb, docs/_includes/nb) is the source; Swedish and English follow it.
A translation is stale when its Norwegian source changed in a commit after the translation's own
last commit, unless that commit carries the trailer `Translation: not-needed` (a typo fix).
A change to the terms (the tariff file, the Norwegian terms pages or their snippets) needs a new entry
in every language's change history, docs/<lang>/changes.md, unless its commit carries the trailer
`Change-history: not-needed` (a reworded sentence, a comment in the tariff file).

    tools/translations.py status [--all]            # what `make translations` prints: what needs work
    tools/translations.py check --base origin/main  # what a pull request runs; fails naming the pages
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from calculator.texts import DEFAULT_LANGUAGE, LANGUAGES
from tools.repo_cli import repo_parser

SOURCE = DEFAULT_LANGUAGE  # the Norwegian text is the source of the others
TARGETS = tuple(lang for lang in LANGUAGES if lang != SOURCE)
LANGS = LANGUAGES
# Every tree that exists once per language; the Norwegian one is the source of the others.
TREES = ("docs/{lang}", "docs/_includes/{lang}")
# A change to the terms needs a change-history entry in every language. The terms are the tariff file,
# every Norwegian page whose front matter has a terms date (`terms_effective:`, `terms_published:` or
# `published_here:`, as hooks/terms_dates.py defines a terms page: docs/nb/norway.md and docs/nb/sweden.md
# today) and the snippets those pages include.
TARIFF_FILE = "calculator/tariff.toml"
TERMS_MARK = re.compile(r"^(?:terms_effective|terms_published|published_here)\s*:\s*\S", re.MULTILINE)
INCLUDE = re.compile(r"\{!\s*(_includes/[^!]+?)\s*!\}")  # markdown-include, relative to docs/
CHANGES_PAGE = "docs/{lang}/changes.md"

TRANSLATION_TRAILER = "Translation: not-needed"
HISTORY_TRAILER = "Change-history: not-needed"
# A dated heading of the change history: `## 2026-11-22 { #2026-11-22 }`.
CHANGE_HEADING = re.compile(r"^##\s+(\d{4}-\d{2}-\d{2})\b")
CHANGE_BULLET = re.compile(r"^\s*[-*]\s+\S")


class GitError(RuntimeError):
    """A git command failed; the message says which and why."""


def _trailer_pattern(trailer: str) -> re.Pattern[str]:
    key, value = (part.strip() for part in trailer.split(":", 1))
    return re.compile(rf"^\s*{re.escape(key)}\s*:\s*{re.escape(value)}\s*$", re.IGNORECASE | re.MULTILINE)


_NO_TRANSLATION = _trailer_pattern(TRANSLATION_TRAILER)
_NO_HISTORY = _trailer_pattern(HISTORY_TRAILER)


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit as the checks need it: who it is, what it says and which files it touched."""

    sha: str
    short: str
    date: str
    subject: str
    message: str
    files: frozenset[str] = field(default_factory=frozenset)

    @property
    def needs_translation(self) -> bool:
        """False when the message carries `Translation: not-needed` on a line of its own (any case)."""
        return not _NO_TRANSLATION.search(self.message)

    @property
    def needs_history(self) -> bool:
        """False when the message carries `Change-history: not-needed` on a line of its own."""
        return not _NO_HISTORY.search(self.message)

    def describe(self) -> str:
        return f'{self.short} ({self.date}) "{self.subject}"'


class Repo:
    """The git work tree the checks read; every path is relative to its top level, with slashes."""

    def __init__(self, path: Path | str = ".") -> None:
        top = self._run(["rev-parse", "--show-toplevel"], cwd=Path(path))
        self.root = Path(top.strip())

    @staticmethod
    def _run(args: Sequence[str], cwd: Path) -> str:
        command = ["git", "-c", "core.quotepath=off", *args]
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, encoding="utf-8")
        if result.returncode != 0:
            raise GitError(f"`git {' '.join(args)}` failed: {result.stderr.strip() or result.stdout.strip()}")
        return result.stdout

    def git(self, *args: str) -> str:
        return self._run(args, cwd=self.root)

    def has_commits(self) -> bool:
        try:
            self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitError:
            return False
        return True

    def resolve(self, rev: str) -> str:
        try:
            return self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
        except GitError:
            raise GitError(
                f"unknown revision {rev!r}: fetch it first (for a pull request: git fetch origin <base branch>, "
                "or check out with fetch-depth: 0)"
            ) from None

    def log(self, rev_range: str | None = None, paths: Iterable[str] = ()) -> list[Commit]:
        """Commits newest first (topological order), each with the files it touched (renames as delete + add)."""
        args = ["log", "--topo-order", "--no-renames", "--name-only", "--format=%x1e%H%x1f%h%x1f%cs%x1f%s%x1f%B%x1f"]
        if rev_range:
            args.append(rev_range)
        elif not self.has_commits():
            return []
        args += ["--", *paths]
        commits = []
        for record in self.git(*args).split("\x1e")[1:]:
            sha, short, date, subject, message, names = record.split("\x1f")
            files = frozenset(line.strip() for line in names.splitlines() if line.strip())
            commits.append(Commit(sha, short, date, subject, message.strip(), files))
        return commits

    def uncommitted(self) -> set[str]:
        """Paths with changes not yet committed (staged, unstaged or untracked)."""
        out = self.git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
        return {entry[3:] for entry in out.split("\0") if len(entry) > 3}

    def files_at(self, rev: str, prefix: str) -> set[str]:
        out = self.git("ls-tree", "-r", "--name-only", "-z", rev, "--", prefix)
        return {name for name in out.split("\0") if name}

    def work_tree_files(self, prefix: str) -> set[str]:
        base = self.root / prefix
        if not base.is_dir():
            return set()
        return {
            path.relative_to(self.root).as_posix()
            for path in base.rglob("*")
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(base).parts)
        }

    def show(self, rev: str, path: str) -> str | None:
        try:
            return self.git("show", f"{rev}:{path}")
        except GitError:
            return None


def counterpart(path: str, lang: str) -> str | None:
    """The same file in another language's tree, or None when the path is in no per-language tree.

    >>> counterpart("docs/nb/norway.md", "sv")
    'docs/sv/norway.md'
    >>> counterpart("docs/_includes/nb/contact.md", "en")
    'docs/_includes/en/contact.md'
    >>> counterpart("docs/assets/logo.svg", "en") is None
    True
    """
    for tree in TREES:
        for source_lang in LANGS:
            prefix = tree.format(lang=source_lang) + "/"
            if path.startswith(prefix):
                return tree.format(lang=lang) + "/" + path[len(prefix) :]
    return None


def language_of(path: str) -> str | None:
    for tree in TREES:
        for lang in LANGS:
            if path.startswith(tree.format(lang=lang) + "/"):
                return lang
    return None


def source_trees() -> list[str]:
    return [tree.format(lang=SOURCE) for tree in TREES]


# --- status --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Status:
    """One translation's state: `up to date`, `stale`, `missing`, `uncommitted` or `orphan`."""

    source: str
    lang: str
    state: str
    since: Commit | None = None
    later: int = 0

    def text(self) -> str:
        if self.state == "stale" and self.since is not None:
            more = f" (+{self.later} later)" if self.later else ""
            return f"stale since {self.since.describe()}{more}"
        if self.state == "stale":
            return "stale: the Norwegian source has uncommitted changes"
        if self.state == "uncommitted":
            return "being updated (uncommitted changes)"
        if self.state == "orphan":
            return "no Norwegian source: delete it or add the source"
        return self.state


def translation_status(repo: Repo) -> list[Status]:
    """Every (source file, target language) pair, plus translations whose source is gone."""
    dirty = repo.uncommitted()
    sources = sorted(set().union(*(repo.work_tree_files(tree) for tree in source_trees())))
    statuses = []
    for source in sources:
        for lang in TARGETS:
            target = counterpart(source, lang)
            assert target is not None
            statuses.append(_status_of(repo, source, target, lang, dirty))
    for lang in TARGETS:
        for tree in TREES:
            for target in sorted(repo.work_tree_files(tree.format(lang=lang))):
                source = counterpart(target, SOURCE)
                if source is not None and not (repo.root / source).is_file():
                    statuses.append(Status(source=source, lang=lang, state="orphan"))
    return statuses


def _status_of(repo: Repo, source: str, target: str, lang: str, dirty: set[str]) -> Status:
    if not (repo.root / target).is_file():
        return Status(source, lang, "missing")
    if target in dirty:
        return Status(source, lang, "uncommitted")
    translated = repo.log("HEAD", [target])[:1] if repo.has_commits() else []
    if not translated:  # tracked nowhere yet; git status would have said so
        return Status(source, lang, "uncommitted")
    pending = [c for c in repo.log(f"{translated[0].sha}..HEAD", [source]) if c.needs_translation]
    if pending:
        return Status(source, lang, "stale", since=pending[-1], later=len(pending) - 1)
    if source in dirty:
        return Status(source, lang, "stale")
    return Status(source, lang, "up to date")


# What needs work comes first, in this order; "up to date" rows are only listed with --all.
NEEDS_WORK = ("stale", "missing", "orphan", "uncommitted")
STATE_ORDER = ("up to date", *NEEDS_WORK)


def format_counts(statuses: list[Status]) -> str:
    """One line: how many translations are in each state, up to date first."""
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status.state] = counts.get(status.state, 0) + 1
    return ", ".join(f"{counts[state]} {state}" for state in STATE_ORDER if state in counts)


def format_status(statuses: list[Status], show_all: bool = False) -> str:
    """The table of translations that need work (stale, missing, ...), then the one-line count.

    With show_all, every translation is listed in source order, the up-to-date ones too.
    """
    if not statuses:
        return f"No pages under {' or '.join(source_trees())}: nothing to translate yet."
    if show_all:
        rows = statuses
    else:
        rows = sorted(
            (status for status in statuses if status.state in NEEDS_WORK),
            key=lambda status: NEEDS_WORK.index(status.state),  # stable: source order within a state
        )
    if not rows:
        return f"All {len(statuses)} translations are up to date."
    width = max(len(status.source) for status in rows)
    lines = [f"{'Norwegian source':<{width}}  lang  status", f"{'-' * width}  ----  ------"]
    previous = None
    for status in rows:
        name = status.source if status.source != previous else ""
        lines.append(f"{name:<{width}}  {status.lang:<4}  {status.text()}")
        previous = status.source
    lines.append("")
    more = "" if show_all else " (--all lists every translation)"
    lines.append(format_counts(statuses) + more)
    return "\n".join(lines)


# --- check ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One failing point of `check`, naming the file to fix."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def check_translations(repo: Repo, base: str, head: str = "HEAD") -> list[Problem]:
    """Each Norwegian file changed since `base` (without the trailer) has its translations changed too."""
    commits = repo.log(f"{repo.resolve(base)}..{repo.resolve(head)}")
    head_files = set().union(*(repo.files_at(head, tree.format(lang=lang)) for tree in TREES for lang in LANGS))
    newest_touch: dict[str, int] = {}  # path -> index of the newest commit touching it (0 is newest)
    newest_source_change: dict[str, Commit] = {}
    source_index: dict[str, int] = {}
    for index, commit in enumerate(commits):
        for path in commit.files:
            newest_touch.setdefault(path, index)
            if language_of(path) == SOURCE and commit.needs_translation and path not in source_index:
                source_index[path] = index
                newest_source_change[path] = commit
    problems = []
    for source in sorted(source_index):
        commit = newest_source_change[source]
        for lang in TARGETS:
            target = counterpart(source, lang)
            assert target is not None
            if source not in head_files:
                if target in head_files:
                    problems.append(Problem(target, f"{source} was deleted in {commit.describe()}: delete this too"))
                continue
            if target not in head_files:
                problems.append(Problem(target, f"missing: {source} was added or changed in {commit.describe()}"))
            elif newest_touch.get(target, len(commits)) > source_index[source]:
                problems.append(Problem(target, f"not updated after {source} changed in {commit.describe()}"))
    return problems


def _added_lines(repo: Repo, base: str, head: str, path: str) -> list[str]:
    merge_base = repo.git("merge-base", repo.resolve(base), repo.resolve(head)).strip()
    diff = repo.git("diff", "--no-color", "--unified=0", merge_base, repo.resolve(head), "--", path)
    return [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]


def front_matter(text: str) -> str:
    """The YAML front matter of a page (between the opening and closing `---`), or ""."""
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[3:end] if end != -1 else ""


def terms_sources(repo: Repo, rev: str) -> set[str]:
    """The files the terms are made of at `rev`: the tariff file, the terms pages and their snippets."""
    sources = {TARIFF_FILE}
    for path in repo.files_at(rev, f"docs/{SOURCE}"):
        if not path.endswith(".md"):
            continue
        text = repo.show(rev, path) or ""
        if TERMS_MARK.search(front_matter(text)):
            sources.add(path)
            sources.update(f"docs/{match.group(1)}" for match in INCLUDE.finditer(text))
    return sources


def check_history(repo: Repo, base: str, head: str = "HEAD") -> list[Problem]:
    """A change to the terms since `base` comes with a new change-history entry in every language."""
    sources = terms_sources(repo, base) | terms_sources(repo, head)
    commits = repo.log(f"{repo.resolve(base)}..{repo.resolve(head)}", sorted(sources))
    changes = [commit for commit in commits if commit.needs_history]
    if not changes:
        return []
    newest = changes[0]
    touched = sorted(set().union(*(commit.files for commit in changes)) & sources)
    problems = []
    new_dates: dict[str, list[str]] = {}
    for lang in LANGS:
        page = CHANGES_PAGE.format(lang=lang)
        if repo.show(head, page) is None:
            problems.append(Problem(page, f"missing: the terms changed ({', '.join(touched)}) in {newest.describe()}"))
            continue
        added = _added_lines(repo, base, head, page)
        dates = [match.group(1) for line in added if (match := CHANGE_HEADING.match(line))]
        new_dates[lang] = dates
        if not dates and not any(CHANGE_BULLET.match(line) for line in added):
            problems.append(
                Problem(page, f"no new entry, but the terms changed ({', '.join(touched)}) in {newest.describe()}")
            )
    reference = new_dates.get(SOURCE)
    for lang in TARGETS:
        if reference is not None and lang in new_dates and sorted(new_dates[lang]) != sorted(reference):
            page = CHANGES_PAGE.format(lang=lang)
            problems.append(
                Problem(
                    page,
                    f"new dated headings {sorted(new_dates[lang]) or 'none'} differ from "
                    f"{CHANGES_PAGE.format(lang=SOURCE)}'s {sorted(reference) or 'none'}: use the same dates",
                )
            )
    return problems


HOW_TO_FIX_TRANSLATIONS = f"""\
Update the Swedish and English files named above in this pull request. If the Norwegian change needs no
translation (a typo fix, a formatting change), say so in the message of the commit that made it, with the
line `{TRANSLATION_TRAILER}` at the end of the message (git commit --amend, or git rebase -i for an older
commit). See CONTRIBUTING.md, "When a check fails"."""

HOW_TO_FIX_HISTORY = f"""\
Add an entry for the change to docs/nb/changes.md, docs/sv/changes.md and docs/en/changes.md, under the
same dated heading in each (`## 2026-11-22 {{ #2026-11-22 }}`, then bullets). If the change does not change
the terms (a reworded sentence, a comment in the tariff file), end that commit's message with the line
`{HISTORY_TRAILER}`. See CONTRIBUTING.md, "When a check fails"."""


# --- command line --------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    """Show which translations need work (stale, missing), then a count of the rest.

    For each Norwegian page and snippet and each translation that needs work: stale since which commit
    (hash, date, subject), missing, being updated, or without a Norwegian source; then one line that
    counts every state, up to date included. --all lists the up-to-date ones too. Always exits 0: it
    informs, `check` enforces.
    """
    repo = Repo(args.repo)
    print(format_status(translation_status(repo), show_all=args.all))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Fail, naming the files, when a change since --base left translations or the change history behind.

    A commit since --base that touches a Norwegian page or snippet needs the Swedish and English files
    touched too (at or after it), unless its message says `Translation: not-needed`. A commit that changes
    the terms (calculator/tariff.toml, a Norwegian page with `terms_effective:` in its front matter, or a
    snippet such a page includes) needs a new entry in docs/<lang>/changes.md in every language, unless
    its message says `Change-history: not-needed`.
    Exits 1 on a problem, 2 when git cannot answer (an unknown --base).
    """
    repo = Repo(args.repo)
    try:
        translation_problems = check_translations(repo, args.base, args.head)
        history_problems = check_history(repo, args.base, args.head)
    except GitError as error:
        print(f"translations check: {error}", file=sys.stderr)
        return 2
    if not translation_problems and not history_problems:
        print(f"translations check: OK (changes since {args.base})")
        return 0
    if translation_problems:
        print(f"Translations not updated for changes since {args.base}:", file=sys.stderr)
        for problem in translation_problems:
            print(f"  {problem}", file=sys.stderr)
        print(HOW_TO_FIX_TRANSLATIONS, file=sys.stderr)
    if history_problems:
        if translation_problems:
            print(file=sys.stderr)
        print(f"Change history not updated for terms changes since {args.base}:", file=sys.stderr)
        for problem in history_problems:
            print(f"  {problem}", file=sys.stderr)
        print(HOW_TO_FIX_HISTORY, file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = repo_parser("tools/translations.py", __doc__)
    raw = argparse.RawDescriptionHelpFormatter
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser(
        "status", help=_first_line(cmd_status), description=_doc(cmd_status), formatter_class=raw
    )
    status.add_argument("--all", action="store_true", help="list every translation, the up-to-date ones too")
    status.set_defaults(func=cmd_status)
    check = commands.add_parser("check", help=_first_line(cmd_check), description=_doc(cmd_check), formatter_class=raw)
    # Under pre-commit's pre-push stage these say which commits are being pushed.
    check.add_argument(
        "--base",
        default=os.environ.get("PRE_COMMIT_FROM_REF") or "origin/main",
        help="the revision the change is compared with, e.g. origin/main (default: origin/main)",
    )
    check.add_argument(
        "--head", default=os.environ.get("PRE_COMMIT_TO_REF") or "HEAD", help="the revision checked (default: HEAD)"
    )
    check.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GitError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 2


def _doc(function: object) -> str:
    return inspect.cleandoc(getattr(function, "__doc__", "") or "")


def _first_line(function: object) -> str:
    return (getattr(function, "__doc__", "") or "").strip().split("\n")[0]


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "Commit",
    "Problem",
    "Repo",
    "Status",
    "check_history",
    "check_translations",
    "counterpart",
    "format_counts",
    "format_status",
    "translation_status",
]
