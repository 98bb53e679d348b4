"""The command line answers for every tariff and case, in all three languages."""

import json
import subprocess
import sys

import pytest

from calculator import default_tariff

BOOK = default_tariff()
PAIRS = sorted((tariff, case.id) for case in BOOK.cases.values() for tariff in case.tariffs)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, text=True)


def test_contract_example():
    """The README's example: 130 minutes of service case is 9 started quarters."""
    out = run("--tariff", "no-service", "--case", "service-case", "--minutes", "130", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"status", "currency", "total_ex_vat", "vat", "total_inc_vat", "lines", "notes"} <= data.keys()
    assert (data["status"], data["currency"], data["total_ex_vat"], data["vat"], data["total_inc_vat"]) == (
        "estimate",
        "NOK",
        "2250.00",
        "562.50",
        "2812.50",
    )


@pytest.mark.parametrize("lang", ["nb", "sv", "en"])
def test_every_pair_in_every_language(lang):
    """One run per language with every tariff and case of one currency as lines."""
    for currency in ("NOK", "SEK"):
        pairs = [(t, c) for t, c in PAIRS if BOOK.tariffs[t].currency == currency]
        args = ["--lang", lang, "--json"]
        for tariff, case in pairs:
            args += ["--tariff", tariff, "--case", case, "--minutes", "45"]
        out = run(*args)
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert [(line["tariff"], line["case"]) for line in data["lines"]] == pairs
        assert all(note["text"] for note in data["notes"])


def test_human_output_names_totals():
    out = run("--tariff", "se-higher-rate", "--case", "development", "--hours", "1,5", "--lang", "sv")
    assert out.returncode == 0
    assert "Summa inkl. moms" in out.stdout and "1 865,63 kr" in out.stdout


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nb", "Tiden må være mer enn null."),
        ("sv", "Tiden måste vara mer än noll."),
        ("en", "The time must be more than zero."),
    ],
)
def test_errors_go_to_stderr_in_the_language(lang, text):
    out = run("--tariff", "no-service", "--case", "service-case", "--minutes", "0", "--lang", lang)
    assert out.returncode == 2
    assert out.stdout == ""
    assert text in out.stderr


def test_unknown_case_is_an_error():
    out = run("--tariff", "no-service", "--case", "nope", "--minutes", "5", "--lang", "en")
    assert out.returncode == 2 and "Unknown case type" in out.stderr


def test_list():
    out = run("--list", "--lang", "en")
    assert out.returncode == 0
    for tariff, case in PAIRS:
        assert tariff in out.stdout and case in out.stdout


@pytest.mark.parametrize(("lang", "text"), [("nb", "2 t 10 min"), ("sv", "2:10"), ("en", "2 hours and 10 minutes")])
def test_time_as_people_write_it(lang, text):
    """--time reads a duration as the site's form does, once per line, and prints how it read it."""
    out = run("--tariff", "no-service", "--case", "service-case", "--time", text, "--lang", lang, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["total_inc_vat"] == "2812.50" and data["lines"][0]["minutes"] == "130"
    human = run("--tariff", "no-service", "--case", "service-case", "--time", text, "--lang", lang).stdout
    assert "= " + data["lines"][0]["time_text"].replace("\u00a0", " ") in human


def test_ambiguous_time_says_what_to_type():
    out = run("--tariff", "no-service", "--case", "service-case", "--time", "1 30", "--lang", "en")
    assert out.returncode == 2 and "“1:30” or “130 min”" in out.stderr


def test_nothing_without_a_price_is_zero():
    """Critical support alone: no total line in text, null totals in JSON, never 0.00."""
    args = ("--tariff", "no-service", "--case", "critical-support", "--minutes", "60", "--lang", "en")
    human = run(*args)
    assert human.returncode == 0 and "0.00" not in human.stdout and "Total" not in human.stdout
    assert "Price on request" in human.stdout
    data = json.loads(run(*args, "--json").stdout)
    assert data["total_ex_vat"] is data["vat"] is data["total_inc_vat"] is None


def test_a_total_that_leaves_out_lines_on_request_says_so():
    out = run(
        *("--tariff", "no-service", "--case", "service-case", "--time", "15 min"),
        *("--tariff", "no-service", "--case", "critical-support", "--time", ""),
        "--lang",
        "en",
    )
    assert out.returncode == 0 and "Total incl. VAT, excluding cases priced on request" in out.stdout
