"""What sitebuild/pyodide_assets.py puts into the site, and how it fails when its inputs are wrong."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from sitebuild import pyodide_assets

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_site_holds_only_the_runtime_files_and_the_wheel(built_site):
    """Five runtime files (with .br/.gz copies where they help), in a versioned folder, and one hashed wheel."""
    hook = pyodide_assets
    runtime, wheel = hook.find_runtime(), hook.find_wheel()
    folder = built_site / runtime.site_dir
    assert sorted(path.name for path in (built_site / "assets" / "pyodide").iterdir()) == [runtime.version]
    expected = set(hook.RUNTIME_FILES) | {f"{name}{suffix}" for name in hook.PRECOMPRESSED for suffix in (".br", ".gz")}
    assert {path.name for path in folder.iterdir()} == expected
    for name in hook.RUNTIME_FILES:
        assert (folder / name).read_bytes() == (runtime.source / name).read_bytes()
    wheels = list((built_site / "assets" / "wheels").iterdir())
    assert [path.relative_to(built_site).as_posix() for path in wheels] == [wheel.site_path]
    assert wheels[0].read_bytes() == wheel.path.read_bytes()
    assert wheel.sha256[:12] in wheel.site_path


def test_only_the_calculator_pages_reference_the_runtime(built_site):
    """Pyodide, the wheel and the calculator's scripts are named by the three calculator pages only."""
    naming = sorted(
        path.parent.relative_to(built_site).as_posix()
        for path in built_site.rglob("*.html")
        if "assets/js/calculator/" in path.read_text("utf-8")
    )
    assert naming == ["calculator", "en/calculator", "sv/calculator"]
    for lang, page in (("nb", "calculator"), ("sv", "sv/calculator"), ("en", "en/calculator")):
        html = (built_site / page / "index.html").read_text("utf-8")
        config = json.loads(
            html.split('<script id="calculator-config" type="application/json">')[1].split("</script>")[0]
        )
        assert config["lang"] == lang
        assert not config["pyodideURL"].startswith("/") and not config["wheelURL"].startswith("/")
        assert (built_site / page / config["pyodideURL"] / "pyodide.mjs").is_file()
        assert (built_site / page / config["wheelURL"]).is_file()


def _project(tmp_path: Path) -> Path:
    """A copy of what the hook reads: package-lock.json, node_modules/pyodide (linked files), calculator/, the wheel."""
    root = tmp_path / "project"
    (root / "node_modules" / "pyodide").mkdir(parents=True)
    shutil.copy(ROOT / "package-lock.json", root)
    for path in (ROOT / "node_modules" / "pyodide").iterdir():
        (root / "node_modules" / "pyodide" / path.name).symlink_to(path)
    shutil.copytree(ROOT / "calculator", root / "calculator", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "build" / "wheel").mkdir(parents=True)
    shutil.copy(pyodide_assets.find_wheel().path, root / "build" / "wheel")
    return root


def test_a_copy_of_the_inputs_passes(tmp_path):
    hook = pyodide_assets
    root = _project(tmp_path)
    assert hook.find_runtime(root).version == hook.find_runtime().version
    assert hook.find_wheel(root).sha256 == hook.find_wheel().sha256


def test_a_missing_runtime_file_fails_the_build_with_the_fix(tmp_path):
    """A runtime without pyodide.asm.wasm names the file and says to run make setup."""
    root = _project(tmp_path)
    (root / "node_modules" / "pyodide" / "pyodide.asm.wasm").unlink()
    with pytest.raises(PluginError, match=r"lacks pyodide\.asm\.wasm: run `make setup`"):
        pyodide_assets.find_runtime(root)


def test_a_runtime_other_than_the_pinned_one_fails(tmp_path):
    root = _project(tmp_path)
    lock = json.loads((root / "package-lock.json").read_text("utf-8"))
    lock["packages"]["node_modules/pyodide"]["version"] = "0.0.1"
    (root / "package-lock.json").write_text(json.dumps(lock), "utf-8")
    with pytest.raises(PluginError, match=r"but package-lock\.json pins 0\.0\.1"):
        pyodide_assets.find_runtime(root)


def test_a_wheel_older_than_the_package_fails(tmp_path):
    """Edit a price after building the wheel: the build names the file and says to run make setup."""
    root = _project(tmp_path)
    tariff = root / "calculator" / "tariff.toml"
    tariff.write_text(tariff.read_text("utf-8").replace('"250.00"', '"260.00"'), "utf-8")
    with pytest.raises(PluginError, match=r"is older than calculator/tariff\.toml: run `make setup`"):
        pyodide_assets.find_wheel(root)


def test_no_wheel_fails(tmp_path):
    root = _project(tmp_path)
    for path in (root / "build" / "wheel").iterdir():
        path.unlink()
    with pytest.raises(PluginError, match=r"found none: run `make setup`"):
        pyodide_assets.find_wheel(root)


def test_a_wheel_with_a_file_the_package_no_longer_has_fails(tmp_path):
    root = _project(tmp_path)
    wheel = next((root / "build" / "wheel").iterdir())
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr("calculator/old.py", "")
    with pytest.raises(PluginError, match=r"holds calculator/old\.py, which is no longer in the source"):
        pyodide_assets.find_wheel(root)
