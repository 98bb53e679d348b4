"""The table-driven vectors, natively. The same file runs in Pyodide and in Chromium."""

import json
from pathlib import Path

import pytest

from calculator import calculate

VECTORS = json.loads((Path(__file__).parents[2] / "vectors.json").read_text("utf-8"))


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_vector(vector):
    """Every tariff, case and boundary prices as the terms say."""
    result = calculate({"lang": vector["lang"], "lines": vector["lines"]})
    assert result["ok"], result["errors"]
    estimate, expect = result["estimate"], vector["expect"]
    assert estimate["status"] == expect["status"]
    assert estimate["total_ex_vat"] == expect["total_ex_vat"]
    assert estimate["vat"] == expect["vat"]
    assert estimate["total_inc_vat"] == expect["total_inc_vat"]
    assert [note["code"] for note in estimate["notes"]] == expect["notes"]


@pytest.mark.parametrize("vector", VECTORS["errors"], ids=lambda v: v["name"])
def test_error_vector(vector):
    """Bad input comes back as typed errors with a message in the reader's language."""
    result = calculate({"lang": vector["lang"], "lines": vector["lines"]})
    assert not result["ok"]
    got = [{key: error[key] for key in ("line", "field", "code")} for error in result["errors"]]
    assert got == vector["expect_errors"]
    for error in result["errors"]:
        assert error["message"] and "{" not in error["message"]


@pytest.mark.parametrize("vector", VECTORS["times"], ids=lambda v: v["name"])
def test_time_vector(vector):
    """The form's one time field, read as the file says: the minutes used and the reading, or the error."""
    line = {"tariff": "no-service", "case": "service-case", "time": vector["time"]}
    result = calculate({"lang": vector["lang"], "lines": [line]})
    if "error" in vector:
        assert [(error["field"], error["code"]) for error in result["errors"]] == [("time", vector["error"])]
        assert "{" not in result["errors"][0]["message"]
    else:
        assert result["ok"], result["errors"]
        priced = result["estimate"]["lines"][0]
        assert (priced["minutes"], priced["time_text"]) == (vector["minutes"], vector["time_text"])


def test_every_time_notation_is_covered_in_every_language():
    """Each language has vectors for clock time, decimal hours, unit words, combinations and ambiguity."""
    for lang in ("nb", "sv", "en"):
        texts = [vector["time"] for vector in VECTORS["times"] if vector["lang"] == lang]
        errors = {vector["error"] for vector in VECTORS["times"] if vector["lang"] == lang and "error" in vector}
        assert "2:10" in texts and "1 30" in texts
        assert any("," in text or "." in text for text in texts if "error" not in text)
        assert "time-ambiguous" in errors and "time-unreadable" in errors


def test_every_tariff_and_case_is_covered():
    """The vectors cover every (tariff, case) pair the tariff file offers."""
    from calculator import default_tariff

    book = default_tariff()
    offered = {(tariff, case.id) for case in book.cases.values() for tariff in case.tariffs}
    covered = {(line["tariff"], line["case"]) for vector in VECTORS["vectors"] for line in vector["lines"]}
    assert offered <= covered, sorted(offered - covered)


def test_partial_estimate_keeps_good_lines():
    """A bad line does not hide the price of the good ones."""
    result = calculate(
        {
            "lang": "nb",
            "lines": [
                {"tariff": "no-service", "case": "service-case", "minutes": "15"},
                {"tariff": "no-service", "case": "service-case", "minutes": "abc"},
            ],
        }
    )
    assert not result["ok"]
    assert result["estimate"]["total_inc_vat"] == "312.50"


def compare_request(vector: dict) -> dict:
    return {"lang": vector["lang"], "lines": vector["lines"], "compare": True}


def comparison_figures(comparison: dict) -> dict:
    """What a "comparisons" vector expects, read from a response's comparison."""
    return {
        "id": comparison["id"],
        "options": {
            f"{option['tariff']}/{option['case']}": option["amount_ex_vat"] for option in comparison["options"]
        },
        "difference": comparison["difference"],
        "trend": comparison["trend"],
    }


@pytest.mark.parametrize("vector", VECTORS["comparisons"], ids=lambda v: v["name"])
def test_comparison_vector(vector):
    """The same work under each comparable agreement, at the block boundaries of both (hand-computed)."""
    result = calculate(compare_request(vector))
    assert result["ok"], result["errors"]
    [comparison] = result["comparisons"]
    assert comparison_figures(comparison) == vector["expect"]
    # The option the line chose costs what the estimate says it costs.
    current = [option for option in comparison["options"] if option["current"]]
    assert [option["amount_ex_vat"] for option in current] == [result["estimate"]["total_ex_vat"]]


def test_comparisons_cover_both_sides_of_every_block_boundary():
    """Norway: both sides of every started hour and started 15 minutes up to 3 h; Sweden: both sides of the ticket."""
    minutes = {
        int(vector["lines"][0]["minutes"])
        for vector in VECTORS["comparisons"]
        if vector["expect"]["id"].startswith("no-")
    }
    assert {15, 16, 45, 46, 60, 61, 120, 121, 180, 181} <= minutes
    ticket = {int(v["lines"][0]["minutes"]) for v in VECTORS["comparisons"] if v["expect"]["id"] == "se-third-party"}
    assert {20, 21} <= ticket
    assert {vector["lang"] for vector in VECTORS["comparisons"]} == {"nb", "sv", "en"}
