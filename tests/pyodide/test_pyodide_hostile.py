"""Hostile JSON texts in Pyodide under Node get the native answers: typed errors, no exception (issue 14).

calculate_json runs on the raw texts (tests/pyodide/run_json_texts.mjs), as the worker's Python does.
Pyodide's stack differs from native Python's: a request nested 20 000 deep (40 kB) used to overflow
the WebAssembly stack, a fatal error that leaves the worker's Python dead; it is refused before parsing.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from calculator import calculate_json
from sitebuild import pyodide_assets

RUNNER = Path(__file__).with_name("run_json_texts.mjs")
LINE = {"tariff": "no-service", "case": "service-case", "minutes": "130"}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def line(**fields: object) -> str:
    return json.dumps({**LINE, **fields})


TEXTS = [
    '{"lang": "sv", "lines": ' + nested(20_000) + "}",  # 40 kB: under the size limit
    '{"lang": "sv", "lines": ' + nested(200) + "}",  # few enough to parse: not a line
    '{"lang": "en", "lines": [' + line()[:-1] + ', "minutes": ' + nested(2_000) + "}]}",
    "[" * 30_000,  # unbalanced, not JSON
    '{"lang": "nb", "lines": [' + line(tariff="x" * 60_000) + "]}",  # under 64 KiB: read, then cut
    '{"lang": "en", "lines": [' + line(tariff="\u001b[2J\u202eno-service") + "]}",
    '{"lang": "en", "lines": [' + line(minutes="9" * 1_000) + "]}",
    '{"lang": "en", "lines": [' + line()[:-1] + ', "minutes": ' + "9" * 5_000 + "}]}",
    '{"lang": "en", "lines": [' + ",".join([line()] * 21) + "]}",
    '{"lang": ["en"], "lines": [' + line() + "]}",
    '{"lang": "en", "lines": [' + line() + ', "x", {"tariff": {"a": 1}}]}',
    "x" * 70_000,
]


def test_hostile_texts_get_the_native_answers(node: str, tmp_path: Path):
    runtime, wheel = pyodide_assets.find_runtime(), pyodide_assets.find_wheel()
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(TEXTS), "utf-8")
    result = subprocess.run(
        [node, str(RUNNER), str(runtime.source), str(wheel.path), str(texts)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"run_json_texts.mjs failed:\n{result.stderr[-2000:]}"
    responses = json.loads(result.stdout)["responses"]
    assert len(responses) == len(TEXTS)
    for text, got in zip(TEXTS, responses, strict=True):
        assert got == calculate_json(text)
        answer = json.loads(got)
        assert not answer["ok"] and all(len(error["message"]) < 300 for error in answer["errors"])
    first = json.loads(responses[0])["errors"][0]
    # The request was not read, so neither was its language: the default language's message.
    assert first["code"] == "request-malformed" and "for dypt nøstede" in first["message"]
