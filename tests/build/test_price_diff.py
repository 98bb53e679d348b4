"""`make price-diff` (tools/price_diff.py) on a temporary clone: a changed price is reported per language,
as published amounts, price-table rows and calculator answers, and nothing else is."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from calculator import format_amount
from calculator.formatting import format_price

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "price_diff.py"
VECTORS = json.loads((ROOT / "tests" / "vectors.json").read_text("utf-8"))["vectors"]


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of the committed project, with the tool's uncommitted version run from ROOT."""
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, capture_output=True)
    return target


def price_diff(repo: Path, base: str = "HEAD") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOL), "--base", base, "--repo", str(repo)], capture_output=True, text=True, check=False
    )


def sections(report: str) -> dict[str, str]:
    """The report's text per language heading."""
    parts = report.split("\n## ")
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


def test_a_price_change_is_reported_per_language(clone: Path) -> None:
    tariff_file = clone / "calculator" / "tariff.toml"
    case = next(case for case in tomllib.loads(tariff_file.read_text("utf-8"))["case"] if case["id"] == "service-case")
    old = Decimal(case["block_price"])
    new = old + 25
    text = tariff_file.read_text("utf-8")
    assert text.count(f'block_price = "{old}"') == 1
    tariff_file.write_text(text.replace(f'block_price = "{old}"', f'block_price = "{new}"'), "utf-8")

    result = price_diff(clone)
    assert result.returncode == 0, result.stderr
    report = sections(result.stdout)
    assert set(report) == {"Norwegian Bokmål (nb)", "Swedish (sv)", "English (en)"}
    for lang, title in (("nb", "Norwegian Bokmål (nb)"), ("sv", "Swedish (sv)"), ("en", "English (en)")):
        was, now = format_price(old, "NOK", lang), format_price(new, "NOK", lang)
        part = report[title]
        # The amount in the Norway terms, and the price table's row, in this language's own formatting.
        assert f"- `docs/{lang}/norway.md`: `{{{{ price service-case.block_price }}}}`: {was} → {now}" in part
        rows = [
            line
            for line in part.splitlines()
            if line.startswith(f"- `docs/{lang}/norway.md` `{{{{ price_table no }}}}`")
        ]
        assert len(rows) == 1 and f"{was} per" in rows[0] and f"{now} per" in rows[0], rows
        # Sweden's prices did not change.
        assert "docs/" + lang + "/sweden.md" not in part and "price_table se" not in part

    # The vectors with a service case change, in their own language, and no other vector does.
    reported = {
        line.split(": total incl. VAT")[0][2:] for line in result.stdout.splitlines() if ": total incl. VAT" in line
    }
    expected = {vector["name"] for vector in VECTORS if any(line["case"] == "service-case" for line in vector["lines"])}
    assert reported == expected
    quarter = next(
        v
        for v in VECTORS
        if v["lang"] == "nb" and v["lines"] == [{"tariff": "no-service", "case": "service-case", "minutes": "15"}]
    )
    blocks = math.ceil(15 / case["block_minutes"])
    ex_before, ex_after = (format_amount(blocks * price, "NOK", "nb") for price in (old, new))
    assert f"- {quarter['name']}: total incl. VAT " in report["Norwegian Bokmål (nb)"]
    assert f"excl. VAT {ex_before} → {ex_after}" in report["Norwegian Bokmål (nb)"]


def test_no_change_says_so_and_an_unknown_base_names_itself(clone: Path) -> None:
    unchanged = price_diff(clone)
    assert unchanged.returncode == 0, unchanged.stderr
    assert "No published amount, price-table row or calculator total changes since HEAD." in unchanged.stdout
    unknown = price_diff(clone, "origin/no-such-branch")
    assert unknown.returncode == 2
    assert "unknown revision 'origin/no-such-branch'" in unknown.stderr


def test_the_pull_request_workflow_writes_the_report_to_the_job_summary() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "checks.yml").read_text("utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    runs = [step for step in steps if "make --no-print-directory price-diff" in step.get("run", "")]
    assert len(runs) == 1 and 'BASE="origin/${BASE_REF}"' in runs[0]["run"]
    assert runs[0]["run"].endswith('| tee -a "$GITHUB_STEP_SUMMARY"') and runs[0]["shell"] == "bash"  # pipefail
    assert "github.event_name == 'pull_request'" in runs[0]["if"]


@pytest.mark.parametrize("name", ["price_diff", "preview"])
def test_the_tools_docstring_examples(name: str) -> None:
    """The examples in the docstrings of tools/price_diff.py and tools/preview.py hold (tools/ is outside
    pytest's doctest paths)."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"tools.{name}"))
    assert result.attempted and not result.failed
