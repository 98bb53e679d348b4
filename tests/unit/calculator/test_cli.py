"""The command line answers for every tariff and case, in all three languages."""

import json
import os
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


# Hostile surroundings (issue 14): no traceback, the right exit status, every message in --lang.
LINE = ("--tariff", "no-service", "--case", "service-case", "--minutes", "130")


def run_to(stdout, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "calculator", *args], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env
    )


@pytest.mark.parametrize("args", [("--list",), (*LINE, "--json"), ("--help",)])
def test_closed_pipe_exits_quietly(args):
    """`python -m calculator … | head -0`: the reader went away; 141 as for SIGPIPE, and no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        out = run_to(write_end, *args)
    finally:
        os.close(write_end)
    assert out.returncode == 141, out.stderr
    assert out.stderr == ""


def test_full_disk_is_a_message_not_a_traceback():
    with open("/dev/full", "w") as full:
        out = run_to(full, *LINE, "--lang", "sv")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "kunde inte skriva resultatet" in out.stderr


@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_ascii_terminal_gets_plain_text(json_flag):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    out = run_to(subprocess.PIPE, *LINE, "--lang", "nb", *json_flag, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.isascii()
    if json_flag:
        assert json.loads(out.stdout)["formatted"]["total_inc_vat"] == "2\u00a0812,50\u00a0kr"
    else:
        assert "Sum inkl. mva." in out.stdout and "2 812,50 kr" in out.stdout and "pabegynt" in out.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--lang", "sv", "--bogus"), "python -m calculator: fel: okända argument: --bogus"),
        (("--lang", "nb", "--json=3"), "feil: argumentet --json: tar ingen verdi, men fikk '3'"),
        (("--lang", "sv", "--tariff"), "fel: argumentet --tariff: saknar ett värde"),
        (("--lang=nb", "--l"), "feil: flertydig valg: --l kan bety --lang, --list"),
        (
            ("--lang", "sv", "--lang", "de"),
            "fel: argumentet --lang: ogiltigt värde: 'de' (välj bland 'nb', 'sv', 'en')",
        ),
        (("--lan", "nb", "--tariff", "no-service"), "feil: gi én --case for hver --tariff"),
        (("--lang", "sv", *LINE, "--hours", "1", "--hours", "2"), "fel: ge --hours en gång per rad"),
    ],
)
def test_usage_errors_speak_the_lang(args, expected):
    out = run(*args)
    assert out.returncode == 2
    assert expected in out.stderr, out.stderr
    assert ("bruk: " if "nb" in " ".join(args) else "användning: ") in out.stderr


def test_help_speaks_the_lang():
    out = run("--lang", "nb", "--help")
    assert out.returncode == 0
    assert out.stdout.startswith("bruk: ")
    assert "vis denne hjelpen og avslutt" in out.stdout and "skriv JSON for skript" in out.stdout
    assert "show this help" not in out.stdout


def test_line_numbers_speak_the_lang():
    out = run(*LINE, "--tariff", "no-service", "--case", "nope", "--minutes", "2", "--lang", "sv")
    assert out.returncode == 2 and "rad 2: " in out.stderr and "line" not in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--lang", "en", "--tariff", "\x1b]0;pwned\x07", "--case", "x"),
        ("--lang", "en", "--bogus\x1b[2J\u202e"),
        ("--lang", "en", *LINE[:4], "--minutes", "\x1b[31m1"),
    ],
)
def test_control_characters_are_escaped(args):
    out = run(*args)
    assert out.returncode == 2
    assert not any(char in out.stderr for char in "\x1b\x07\u202e"), repr(out.stderr)
    assert "\\x1b" in out.stderr


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
