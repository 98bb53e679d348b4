"""The build-time snapshot under Node: restored without wheel or standard library, it answers every vector.

tools/make_snapshot.mjs already refuses to write a snapshot whose restored interpreter answers any
request differently from the cold one; this test checks the published file independently, against the
native package and the expectations of tests/vectors.json, and checks that it is the one the hook accepts.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from calculator import calculate
from sitebuild import pyodide_assets

ROOT = Path(__file__).resolve().parent.parent.parent
RUNNER = Path(__file__).with_name("run_snapshot_vectors.mjs")
VECTORS = json.loads((ROOT / "tests" / "vectors.json").read_text("utf-8"))
CASES = (
    [("vector", vector) for vector in VECTORS["vectors"]]
    + [("error", vector) for vector in VECTORS["errors"]]
    + [("time", vector) for vector in VECTORS["times"]]
)


def _request(vector: dict) -> dict:
    if "time" in vector:  # the form's time field, on the one line the "times" vectors share
        line = {"tariff": "no-service", "case": "service-case", "time": vector["time"]}
        return {"lang": vector["lang"], "lines": [line]}
    return {"lang": vector["lang"], "lines": vector["lines"]}


@pytest.fixture(scope="module")
def from_snapshot(node: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    assets = pyodide_assets
    runtime = assets.find_runtime()
    snapshot = assets.find_snapshot()  # fails with the fix when stale or missing
    assert snapshot is not None, "CALCULATOR_SNAPSHOT=off: no snapshot to test"
    requests = tmp_path_factory.mktemp("snapshot") / "requests.json"
    requests.write_text(json.dumps([_request(vector) for _, vector in CASES]), "utf-8")
    result = subprocess.run(
        [node, str(RUNNER), str(runtime.source), str(snapshot.path.parent), str(requests)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"run_snapshot_vectors.mjs failed:\n{result.stderr[-4000:]}"
    return json.loads(result.stdout) | {"pinned": runtime.version, "wheel": assets.find_wheel().sha256}


def test_the_snapshot_is_of_the_pinned_pyodide_and_the_current_wheel(from_snapshot):
    """Made by the pinned version from the current wheel; restored, site-packages is empty (no wheel needed)."""
    assert from_snapshot["version"] == from_snapshot["pinned"] == from_snapshot["manifest"]["pyodideVersion"]
    assert from_snapshot["manifest"]["wheel"]["sha256"] == from_snapshot["wheel"]
    assert from_snapshot["installed"] == []


def test_every_vector_agrees_from_the_snapshot(from_snapshot):
    """Each response from the restored snapshot equals the native response in full."""
    assert len(from_snapshot["responses"]) == len(CASES)
    for (kind, vector), got in zip(CASES, from_snapshot["responses"], strict=True):
        assert got == calculate(_request(vector)), f"{kind}: {vector['name']}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m["wheel"].update(sha256="0" * 64),
            r"another calculator wheel: the snapshot is stale; run `make setup`",
        ),
        (lambda m: m.update(pyodideVersion="0.0.1"), r"snapshot of Pyodide 0\.0\.1, but package-lock\.json pins"),
        (lambda m: m["snapshot"].update(sha256="0" * 64), r"does not match its manifest: run `make setup`"),
    ],
    ids=["stale wheel", "other Pyodide", "changed file"],
)
def test_a_snapshot_that_does_not_match_fails_the_build_with_the_fix(tmp_path, change, message):
    """The hook refuses a snapshot of another wheel or Pyodide, or one whose bytes changed."""
    from mkdocs.exceptions import PluginError

    assets = pyodide_assets
    folder = tmp_path / "build" / "snapshot"
    folder.mkdir(parents=True)
    source = ROOT / "build" / "snapshot"
    for name in ("calculator.snapshot", "empty.zip"):
        (folder / name).symlink_to(source / name)
    manifest = json.loads((source / "manifest.json").read_text("utf-8"))
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(PluginError, match=message):
        assets.find_snapshot(tmp_path, assets.find_runtime(), assets.find_wheel())


def test_no_snapshot_fails_unless_switched_off(tmp_path, monkeypatch):
    """A missing snapshot names the fix; CALCULATOR_SNAPSHOT=off builds a site that always starts cold."""
    from mkdocs.exceptions import PluginError

    assets = pyodide_assets
    runtime, wheel = assets.find_runtime(), assets.find_wheel()
    with pytest.raises(PluginError, match=r"manifest\.json is missing or broken: run `make setup`"):
        assets.find_snapshot(tmp_path, runtime, wheel)
    monkeypatch.setenv("CALCULATOR_SNAPSHOT", "off")
    assert assets.find_snapshot(tmp_path, runtime, wheel) is None


def test_the_published_snapshot_is_stored_against_the_runtime_memory(from_snapshot):
    """Format 2 (sparse.mjs): XORed with the memory Pyodide's .wasm starts with, and restored from it above."""
    assert from_snapshot["manifest"]["snapshot"]["format"] == 2
