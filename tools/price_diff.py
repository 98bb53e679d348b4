#!/usr/bin/env python3
"""What a change means for customers' prices: `make price-diff BASE=<git rev>`.

Compares the working tree with BASE and prints, per language, as before → after:

- every published amount that changes: each `price`, `price_range`, `minutes` and `vat_rate`
  directive of every page and snippet (docs/<lang>/, docs/_includes/<lang>/), rendered as the build
  renders it (hooks/directives.py), and the calculator page's first estimate and agreement labels;
- every price-table row that changes (`{{ price_table <market> }}`), cell by cell;
- the vectors of tests/vectors.json whose totals change: each vector's input (from the working tree)
  priced by BASE's calculator and by the working tree's.

Each side is read by its own code: BASE's calculator/, hooks/, docs/ and mkdocs.yml come out of git
(`git archive`) into a temporary folder, and a child process with that folder first on its path
renders them; the working tree is read the same way. The report is Markdown; the pull-request workflow
(.github/workflows/checks.yml) writes it to the job summary.

    tools/price_diff.py --base origin/main [--repo .]
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Its own list, not calculator.texts.LANGUAGES: the child process reads older trees that lack it.
LANGS = ("nb", "sv", "en")
LANGUAGE_NAMES = {"nb": "Norwegian Bokmål (nb)", "sv": "Swedish (sv)", "en": "English (en)"}
# What renders the prices: everything else in the repository is left out of BASE's copy.
SOURCES = ("calculator", "hooks", "sitebuild", "docs", "mkdocs.yml")
VECTORS = "tests/vectors.json"
TOTALS = (("total_inc_vat", "total incl. VAT"), ("total_ex_vat", "excl. VAT"), ("vat", "VAT"))

Facts = dict[str, dict[str, Any]]  # lang -> {"amounts": {key: text}, "tables": {key: {row: {column: cell}}}, ...}


class PriceDiffError(RuntimeError):
    """git or a side's own code could not answer; the message says which and why."""


# --- one side: read inside a child process whose path starts with that side's tree ---------------


def _table_cells(row: str) -> list[str]:
    r"""The cells of one Markdown table row, with `\|` unescaped.

    >>> _table_cells(r"| Servicesak | 250,00 kr per 15 \| min | Fastpris |")
    ['Servicesak', '250,00 kr per 15 | min', 'Fastpris']
    """
    inner = row.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def read_facts(tree: Path, vectors: list[dict[str, Any]]) -> Facts:
    """Every published figure of one tree, per language (runs with the tree's calculator, sitebuild and hooks)."""
    import directives

    import calculator
    from calculator.report import tariff_label

    book = calculator.load_tariff(tree / "calculator" / "tariff.toml")
    facts: Facts = {lang: {"amounts": {}, "tables": {}, "vectors": {}} for lang in LANGS}
    for lang in LANGS:
        amounts, tables = facts[lang]["amounts"], facts[lang]["tables"]
        context = directives.Context(book, lang, {})
        files = sorted({*(tree / "docs" / lang).rglob("*.md"), *(tree / "docs" / "_includes" / lang).rglob("*.md")})
        for path in files:
            name = path.relative_to(tree).as_posix()
            for line in path.read_text("utf-8").split("\n"):
                whole = directives.DIRECTIVE.fullmatch(line.strip())
                if whole and whole.group(1).split()[:1] == ["price_table"]:
                    market = " ".join(whole.group(1).split()[1:])
                    try:
                        rows = directives.price_table(book, market, lang)
                    except directives.DirectiveError as error:
                        tables[f"`{name}` `{whole.group(0)}`"] = {"(the table)": {"error": str(error)}}
                        continue
                    header = _table_cells(rows[0])
                    tables[f"`{name}` `{whole.group(0)}`"] = {
                        cells[0]: dict(zip(header, cells, strict=False)) for cells in map(_table_cells, rows[2:])
                    }
                    continue
                for found in directives.DIRECTIVE.finditer(line):
                    if (found.group(1).split() or [""])[0] not in directives.TARIFF_DIRECTIVES:
                        continue
                    try:
                        text = directives.render_inline(found.group(1), context)
                    except directives.DirectiveError as error:
                        text = f"(does not build: {error})"
                    amounts[f"`{name}`: `{found.group(0)}`"] = text
        for tariff in book.tariffs.values():
            amounts[f"calculator form: agreement `{tariff.id}`"] = tariff_label(tariff, lang)
        try:
            if (tree / "sitebuild").is_dir():
                from sitebuild.page_data import DEFAULT_LINES
            else:  # a tree from before sitebuild/ (the hook held them)
                from calculator_page import DEFAULT_LINES

            first = calculator.calculate({"lang": lang, "lines": DEFAULT_LINES[lang]})
            if first["ok"]:
                for field, label in TOTALS:
                    amounts[f"calculator page: first estimate, {label}"] = first["estimate"]["formatted"][field]
        except (ImportError, KeyError):  # an older tree without the calculator page
            pass
    for number, vector in enumerate(vectors, start=1):
        lang = vector.get("lang", "nb")
        found = facts.setdefault(lang, {"amounts": {}, "tables": {}, "vectors": {}})["vectors"]
        name = vector.get("name") or f"vector {number}"
        name = name if name not in found else f"{name} (vector {number})"
        response = calculator.calculate({"lang": lang, "lines": vector["lines"]})
        if not response["ok"]:
            found[name] = {"error": ", ".join(sorted({error["code"] for error in response["errors"]}))}
            continue
        formatted = response["estimate"]["formatted"]
        found[name] = {field: formatted[field] for field, _ in TOTALS}
    return facts


def _child_main(tree: str, vectors_file: str) -> int:
    """`--read-facts`: print one tree's facts as JSON (its calculator, sitebuild and hooks come first on sys.path)."""
    vectors = json.loads(Path(vectors_file).read_text("utf-8")).get("vectors", [])
    print(json.dumps(read_facts(Path(tree), vectors), ensure_ascii=False))
    return 0


def facts_of(tree: Path, vectors_file: Path) -> Facts:
    """Run read_facts for `tree` in a child process: its own calculator package and hooks, nobody else's."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), str(tree / "hooks")])}
    env.pop("PYTHONSAFEPATH", None)
    command = [sys.executable, str(Path(__file__).resolve()), "--read-facts", str(tree), str(vectors_file)]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PriceDiffError(f"could not read the prices of {tree}:\n{result.stderr.strip()}")
    return json.loads(result.stdout)


def export(repo: Path, rev: str, destination: Path) -> Path:
    """BASE's sources that render prices, from git, into `destination`."""
    resolved = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=repo, capture_output=True, text=True
    )
    if resolved.returncode != 0:
        raise PriceDiffError(f"unknown revision {rev!r}: fetch it first (git fetch origin main)")
    present = subprocess.run(
        ["git", "ls-tree", "--name-only", resolved.stdout.strip()], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", resolved.stdout.strip(), *[name for name in SOURCES if name in present]],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


# --- the report ----------------------------------------------------------------------------------


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    keys = list(before) + [key for key in after if key not in before]
    return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]


def _quote(value: Any) -> str:
    return "(none)" if value is None else str(value)


def _row_change(row: str, before: dict[str, str] | None, after: dict[str, str] | None) -> str:
    if before is None:
        return f"row added *{row}*: " + " · ".join(_quote(cell) for cell in (after or {}).values())
    if after is None:
        return f"row removed *{row}*: " + " · ".join(_quote(cell) for cell in before.values())
    cells = [f"{column}: {_quote(old)} → {_quote(new)}" for column, old, new in _changed(before, after)]
    return f"row *{row}*: " + "; ".join(cells)


def _vector_change(before: dict[str, str] | None, after: dict[str, str] | None) -> str:
    if before is None or after is None or "error" in before or "error" in after:
        return f"{_quote(before)} → {_quote(after)}"
    return "; ".join(
        f"{label} {before[field]} → {after[field]}" for field, label in TOTALS if before[field] != after[field]
    )


def report(before: Facts, after: Facts, base: str) -> str:
    """The Markdown report: per language, the amounts, table rows and vector totals that change."""
    lines = [f"# Prices: {base} → working tree", ""]
    counts = {"amounts": 0, "rows": 0, "vectors": 0}
    sections = []
    for lang in LANGS:
        old, new = before.get(lang, {}), after.get(lang, {})
        section = [f"## {LANGUAGE_NAMES[lang]}", ""]
        amounts = _changed(old.get("amounts", {}), new.get("amounts", {}))
        if amounts:
            section += ["Published amounts:", ""]
            section += [f"- {key}: {_quote(was)} → {_quote(now)}" for key, was, now in amounts]
            section.append("")
            counts["amounts"] += len(amounts)
        rows = []
        for table, was, now in _changed(old.get("tables", {}), new.get("tables", {})):
            rows += [f"- {table}, {_row_change(row, a, b)}" for row, a, b in _changed(was or {}, now or {})]
        if rows:
            section += ["Price-table rows:", "", *rows, ""]
            counts["rows"] += len(rows)
        vectors = _changed(old.get("vectors", {}), new.get("vectors", {}))
        if vectors:
            section += [f"Calculator answers ({VECTORS}):", ""]
            section += [f"- {name}: {_vector_change(was, now)}" for name, was, now in vectors]
            section.append("")
            counts["vectors"] += len(vectors)
        if len(section) == 2:
            section += ["No change.", ""]
        sections += section
    if not any(counts.values()):
        lines += [f"No published amount, price-table row or calculator total changes since {base}.", ""]
    else:
        lines += [
            f"{counts['amounts']} published amounts, {counts['rows']} price-table rows and "
            f"{counts['vectors']} calculator answers change (counted over all languages).",
            "",
        ]
    return "\n".join(lines + sections).rstrip() + "\n"


def price_diff(repo: Path, base: str) -> str:
    top = Path(
        subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    vectors = top / VECTORS
    with tempfile.TemporaryDirectory(prefix="price-diff-") as folder:
        before = facts_of(export(top, base, Path(folder)), vectors)
        after = facts_of(top, vectors)
    return report(before, after, base)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--read-facts"] and len(args) == 3:
        return _child_main(args[1], args[2])
    from tools.repo_cli import repo_parser  # here: the child process (--read-facts) runs in an older tree

    parser = repo_parser("tools/price_diff.py", __doc__)
    parser.add_argument("--base", default="origin/main", help="the revision compared with (default: origin/main)")
    parsed = parser.parse_args(args)
    try:
        print(price_diff(Path(parsed.repo), parsed.base), end="")
    except (PriceDiffError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or ""
        print(f"{parser.prog}: {error}{(': ' + detail.strip()) if detail else ''}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
