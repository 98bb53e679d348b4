"""Every answer of ``calculate`` has the written shape (calculator.responses): no key missing, none extra,
every value of its type. A small checker of TypedDicts (no type checker is pinned in this project)."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, NotRequired, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from calculator import calculate
from calculator.responses import CalculateResponse, EstimateData

ROOT = Path(__file__).resolve().parents[3]
VECTORS = json.loads((ROOT / "tests" / "vectors.json").read_text("utf-8"))


def shape_problems(value: Any, hint: Any, where: str = "response") -> list[str]:
    """What in ``value`` does not match the type ``hint``: one line per problem, naming the key path."""
    origin = get_origin(hint)
    if origin is NotRequired:
        return shape_problems(value, get_args(hint)[0], where)
    if origin in (Union, types.UnionType):
        options = [shape_problems(value, option, where) for option in get_args(hint)]
        return [] if any(not found for found in options) else min(options, key=len)
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{where}: {value!r} is not one of {get_args(hint)}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        return [
            problem
            for i, item in enumerate(value)
            for problem in shape_problems(item, get_args(hint)[0], f"{where}[{i}]")
        ]
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object ({hint.__name__})"]
        hints = get_type_hints(hint, include_extras=True)
        problems = [f"{where}: missing key '{key}'" for key in sorted(hint.__required_keys__ - set(value))]
        problems += [f"{where}: key '{key}' is not in {hint.__name__}" for key in sorted(set(value) - set(hints))]
        for key in hints.keys() & value.keys():
            problems += shape_problems(value[key], hints[key], f"{where}.{key}")
        return problems
    if hint is type(None):
        return [] if value is None else [f"{where}: {value!r} is not null"]
    if hint in (str, int, bool):
        exact = type(value) is hint  # True is an int, but not a line number
        return [] if exact else [f"{where}: {value!r} is not a {hint.__name__}"]
    raise TypeError(f"the checker does not know {hint!r} ({where})")  # pragma: no cover


def _requests() -> list[tuple[str, dict]]:
    requests = []
    for group in ("vectors", "errors", "comparisons"):
        for vector in VECTORS[group]:
            request = {"lang": vector["lang"], "lines": vector["lines"], "compare": True, "case_text": True}
            requests.append((f"{group}: {vector['name']}", {**request, "page_url": "https://example.org/calculator/"}))
            requests.append((f"{group} (plain): {vector['name']}", {"lang": vector["lang"], "lines": vector["lines"]}))
    for vector in VECTORS["times"]:
        line = {"tariff": "no-service", "case": "service-case", "time": vector["time"]}
        requests.append((f"times: {vector['name']}", {"lang": vector["lang"], "lines": [line]}))
    # The whole request refused: not an object, an unknown language, no lines, too many.
    requests += [
        ("request not an object", []),
        ("unknown language", {"lang": "de", "lines": []}),
        ("no lines", {"lang": "en", "lines": []}),
        ("too many lines", {"lang": "en", "lines": [{}] * 21}),
    ]
    return requests


REQUESTS = _requests()


@pytest.mark.parametrize(("name", "request_"), REQUESTS, ids=[name for name, _ in REQUESTS])
def test_every_answer_has_the_written_shape(name: str, request_: Any) -> None:
    response = calculate(request_)
    assert shape_problems(response, CalculateResponse) == []
    # The optional parts are there when asked for (of a request read as far as its lines), else not.
    asked = request_.get("compare") is True if isinstance(request_, dict) else False
    refused = {"request-malformed", "language-unknown", "too-many-lines"}  # the request as a whole, before its lines
    read = isinstance(request_, dict) and not any(
        e["line"] is None and e["code"] in refused for e in response["errors"]
    )
    assert ("comparisons" in response) == (asked and read)
    assert ("case_text" in response) == (asked and read)


def test_the_requests_reach_every_optional_part() -> None:
    """The answers above include a case text, a comparison, a price-on-request line and an error of each kind,
    so no part of the shape goes unchecked."""
    responses = [calculate(request) for _, request in REQUESTS]
    assert any(r.get("case_text") for r in responses)
    assert any(r.get("comparisons") for r in responses)
    assert any(r["estimate"] and r["estimate"]["total_ex_vat"] is None for r in responses)
    assert any(r["estimate"] and r["estimate"]["excludes_lines"] for r in responses)
    assert {e["code"] for r in responses for e in r["errors"]} >= {
        "time-zero",
        "tariff-unknown",
        "request-malformed",
        "language-unknown",
        "no-lines",
        "too-many-lines",
    }


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"ok": True, "lang": "nb", "estimate": None}, "response: missing key 'errors'"),
        ({"ok": 1, "lang": "nb", "estimate": None, "errors": []}, "response.ok: 1 is not a bool"),
        ({"ok": True, "lang": "nb", "estimate": None, "errors": [], "extra": 1}, "key 'extra' is not in"),
        ({"ok": True, "lang": "nb", "estimate": None, "errors": [{"line": True}]}, "response.errors[0].line: True"),
        ({"ok": True, "lang": "nb", "estimate": None, "errors": [], "comparisons": [{"trend": "up"}]}, "'up' is not"),
    ],
)
def test_the_checker_finds_a_wrong_shape(value: dict, problem: str) -> None:
    assert any(problem in found for found in shape_problems(value, CalculateResponse))


def test_every_key_the_report_writes_is_written_down() -> None:
    """The shape of an estimate lists exactly the keys report.estimate_to_dict writes (both ways)."""
    estimate = calculate({"lang": "en", "lines": [{"tariff": "no-service", "case": "service-case", "minutes": "50"}]})
    assert set(estimate["estimate"]) == set(typing.get_type_hints(EstimateData))


def test_the_browser_path_does_not_import_the_shape() -> None:
    """The shape is for readers, scripts and tests: the Web Worker's import of the package leaves it out
    (it would add its classes to the snapshot the browser downloads)."""
    import subprocess
    import sys

    code = (
        "import sys, calculator.api as api\n"
        'api.calculate_json(\'{"lang": "nb", "lines": [], "compare": true, "case_text": true}\')\n'
        "print('calculator.responses' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
