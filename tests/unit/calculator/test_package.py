"""The package is standard library only, so Pyodide loads it without an installer."""

import ast
import subprocess
import sys
from pathlib import Path

import calculator

PACKAGE = Path(calculator.__file__).parent


def imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_imports_only_the_standard_library():
    """Every import in the package's source names a standard-library module."""
    for path in PACKAGE.glob("*.py"):
        outside = imported_top_level_names(path) - set(sys.stdlib_module_names) - {"__future__"}
        assert not outside, f"{path.name} imports {sorted(outside)}"


def test_runs_without_site_packages():
    """With site-packages switched off (-S), the calculator still imports and prices a case."""
    code = (
        "import sys, calculator\n"
        "line = {'tariff': 'no-service', 'case': 'service-case', 'minutes': '5'}\n"
        "r = calculator.calculate({'lang': 'nb', 'lines': [line]})\n"
        "print(r['estimate']['total_inc_vat'], any('site-packages' in p for p in sys.path))"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["312.50", "False"]


def test_no_float_in_the_package():
    """Money is Decimal: no float literal and no float() call anywhere in the package."""
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), (
                f"float literal in {path.name}"
            )
            assert not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "float"), (
                f"float() in {path.name}"
            )
