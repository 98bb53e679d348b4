"""CONTRIBUTING.md stays true: its commands, files, trailers, policy text and anchors match the repository."""

from __future__ import annotations

import re
from pathlib import Path

from sitebuild import security_headers as sh
from tools import translations

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


def test_make_variables_in_the_guide_are_read_by_the_makefile() -> None:
    """`make price-diff BASE=...`, `PORT=8001 make serve`: each variable is one the Makefile or mkdocs.yml reads."""
    makefile = (ROOT / "Makefile").read_text("utf-8")
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    named = set(re.findall(r"\bmake [a-z-]+(?: [A-Z_]+=\S*)*", GUIDE))
    variables = {variable for command in named for variable in re.findall(r" ([A-Z_]+)=", command)}
    variables |= set(re.findall(r"\b([A-Z_]+)=\S* make\b", GUIDE))  # PORT=8001 make serve
    assert variables, "the guide names no make variable"
    unused = sorted(v for v in variables if f"$({v})" not in makefile and f"!ENV [{v}," not in config)
    assert not unused, unused


def _help_of(tool: Path) -> str:
    """A tool's --help, with the --help of each of its subcommands."""
    import subprocess
    import sys

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, str(tool), *args, "--help"], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, f"{tool.name} {' '.join(args)} --help: {result.stderr}"
        return result.stdout

    text = run()
    found = re.search(r"\{([a-z,-]+)\}", text)
    for command in found.group(1).split(",") if found else []:
        text += run(command)
    return text


def test_tool_options_in_the_guide_exist() -> None:
    """Each `--option` the guide gives a script in tools/ is one that script accepts."""
    uses = re.findall(r"(tools/[a-z_]+\.py)([^`\n]*)", GUIDE)
    options: dict[str, set[str]] = {}
    for tool, rest in uses:
        options.setdefault(tool, set()).update(re.findall(r"(--[a-z][a-z-]*)", rest))
    assert any(options.values()), "the guide gives no tool option"
    for tool, named in sorted(options.items()):
        help_text = _help_of(ROOT / tool)
        missing = sorted(option for option in named if option not in help_text)
        assert not missing, f"{tool}: {missing}"
