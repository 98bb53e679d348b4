"""The vectors of tests/vectors.json in Pyodide under Node agree with the native package and with the file.

One Node process (tests/pyodide/run_vectors.mjs) loads the pinned npm pyodide package with no network,
unpacks the built wheel into site-packages exactly as the browser's worker does, and runs every vector
through ``calculate_json``. Each response must equal the native ``calculator.calculate`` response in
full (every text and formatted amount, not only the totals) and the expectations written in the file.
The browser tests close the triangle: Chromium, through the form and the URL.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from calculator import calculate
from sitebuild import pyodide_assets

ROOT = Path(__file__).resolve().parent.parent.parent
RUNNER = Path(__file__).with_name("run_vectors.mjs")
VECTORS = json.loads((ROOT / "tests" / "vectors.json").read_text("utf-8"))
CASES = (
    [("vector", vector) for vector in VECTORS["vectors"]]
    + [("error", vector) for vector in VECTORS["errors"]]
    + [("time", vector) for vector in VECTORS["times"]]
    + [("comparison", vector) for vector in VECTORS["comparisons"]]
)


def _request(vector: dict) -> dict:
    if "options" in vector.get("expect", {}):  # a comparison, with the case text too (issue 17)
        page_url = "https://example.org/calculator/"
        return {
            "lang": vector["lang"],
            "lines": vector["lines"],
            "compare": True,
            "case_text": True,
            "page_url": page_url,
        }
    if "time" in vector:  # the form's time field, on the one line the "times" vectors share
        line = {"tariff": "no-service", "case": "service-case", "time": vector["time"]}
        return {"lang": vector["lang"], "lines": [line]}
    return {"lang": vector["lang"], "lines": vector["lines"]}


@pytest.fixture(scope="module")
def in_pyodide(node: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every vector's response from Pyodide, in the order of CASES, from one Node run."""
    assets = pyodide_assets
    runtime, wheel = assets.find_runtime(), assets.find_wheel()  # fail with a clear message if stale
    requests = tmp_path_factory.mktemp("pyodide") / "requests.json"
    requests.write_text(json.dumps([_request(vector) for _, vector in CASES]), "utf-8")
    result = subprocess.run(
        [node, str(RUNNER), str(runtime.source), str(wheel.path), str(requests)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"run_vectors.mjs failed:\n{result.stderr[-4000:]}"
    output = json.loads(result.stdout)
    output["pinned"] = runtime.version
    return output


def test_runs_the_pinned_pyodide_and_the_wheel(in_pyodide):
    """Node ran the version package-lock.json pins, with the calculator from the wheel in site-packages."""
    assert in_pyodide["version"] == in_pyodide["pinned"]
    assert in_pyodide["module"].endswith("/site-packages/calculator/__init__.py")
    assert len(in_pyodide["responses"]) == len(CASES)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{kind}: {vector['name']}" for kind, vector in CASES])
def test_pyodide_agrees_with_native_and_the_file(index, in_pyodide):
    """Pyodide's response equals the native one in full, and both meet the file's expectations."""
    kind, vector = CASES[index]
    got = in_pyodide["responses"][index]
    assert got == calculate(_request(vector))
    if kind == "vector":
        assert got["ok"], got["errors"]
        estimate, expect = got["estimate"], vector["expect"]
        assert {key: estimate[key] for key in ("status", "total_ex_vat", "vat", "total_inc_vat")} == {
            key: expect[key] for key in ("status", "total_ex_vat", "vat", "total_inc_vat")
        }
        assert [note["code"] for note in estimate["notes"]] == expect["notes"]
    elif kind == "comparison":
        assert got["ok"], got["errors"]
        [comparison] = got["comparisons"]
        options = {f"{option['tariff']}/{option['case']}": option["amount_ex_vat"] for option in comparison["options"]}
        expect = vector["expect"]
        assert (comparison["id"], options, comparison["difference"], comparison["trend"]) == (
            expect["id"],
            expect["options"],
            expect["difference"],
            expect["trend"],
        )
        assert got["case_text"]["body"] and got["case_text"]["subject"]
    elif kind == "time":
        if "error" in vector:
            assert [error["code"] for error in got["errors"]] == [vector["error"]]
        else:
            line = got["estimate"]["lines"][0]
            assert (line["minutes"], line["time_text"]) == (vector["minutes"], vector["time_text"])
    else:
        assert not got["ok"]
        assert [{key: error[key] for key in ("line", "field", "code")} for error in got["errors"]] == vector[
            "expect_errors"
        ]
