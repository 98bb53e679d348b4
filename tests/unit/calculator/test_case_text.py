"""The text that sends an estimate with a case (issue 17): composed in Python for the CLI, the page and tests."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from calculator import calculate
from calculator.casetext import MAX_MAILTO_CHARS
from calculator.texts import LANGUAGES

LANGS = LANGUAGES  # calculator.texts: the one list of languages
PAGE = {
    "nb": "https://example.org/calculator/",
    "sv": "https://example.org/sv/calculator/",
    "en": "https://example.org/en/calculator/",
}
FIFTY = [{"tariff": "no-service", "case": "service-case", "time": "50 min"}]
EXPECTED_BODY = {
    "nb": [
        "Hei,",
        "",
        "[Beskriv saken her: hva gjelder den, i hvilken nettbutikk, og når trenger du hjelp?]",
        "",
        "Anslag fra priskalkulatoren:",
        "- Sak for serviceteamet, Norge – serviceavtale, 50\u00a0min: 1\u00a0000,00\u00a0kr",
        "Sum eks. mva.: 1\u00a0000,00\u00a0kr",
        "Mva. 25\u00a0%: 250,00\u00a0kr",
        "Sum inkl. mva.: 1\u00a0250,00\u00a0kr",
        "Anslaget bygger på vilkårene og er ikke et pristilbud.",
        "Lenke til anslaget: https://example.org/calculator/?tariff=no-service&case=service-case&minutes=50",
        "",
        "Vennlig hilsen",
    ],
    "sv": [
        "Hej!",
        "",
        "[Beskriv ärendet här: vad gäller det, i vilken e-butik, och när behöver ni hjälp?]",
        "",
        "Uppskattning från priskalkylatorn:",
        "- Ärende till serviceteamet, Norge – serviceavtal, 50\u00a0min: 1\u00a0000,00\u00a0NOK",
        "Summa exkl. moms: 1\u00a0000,00\u00a0NOK",
        "Moms 25\u00a0%: 250,00\u00a0NOK",
        "Summa inkl. moms: 1\u00a0250,00\u00a0NOK",
        "Uppskattningen bygger på villkoren och är inget kostnadsförslag.",
        "Länk till uppskattningen: https://example.org/sv/calculator/?tariff=no-service&case=service-case&minutes=50",
        "",
        "Med vänlig hälsning",
    ],
    "en": [
        "Hello,",
        "",
        "[Describe the case here: what it is about, which online store, and when you need help.]",
        "",
        "Estimate from the price calculator:",
        "- Case for the service team, Norway – service agreement, 50\u00a0min: NOK\u00a01,000.00",
        "Total excl. VAT: NOK\u00a01,000.00",
        "VAT 25%: NOK\u00a0250.00",
        "Total incl. VAT: NOK\u00a01,250.00",
        "The estimate is based on the terms and is not a quote.",
        "Link to the estimate: https://example.org/en/calculator/?tariff=no-service&case=service-case&minutes=50",
        "",
        "Kind regards",
    ],
}
SUBJECT = {
    "nb": "Ny sak: Sak for serviceteamet",
    "sv": "Nytt ärende: Ärende till serviceteamet",
    "en": "New case: Case for the service team",
}


def message(lang: str, lines: list[dict], page_url: str | None = None) -> dict:
    request = {"lang": lang, "lines": lines, "case_text": True}
    if page_url is not None:
        request["page_url"] = page_url
    result = calculate(request)
    assert result["ok"], result["errors"]
    return result["case_text"]


def decoded(mailto: str) -> tuple[str, dict[str, str]]:
    """The address and the headers of a mailto: URL, decoded as a mail program decodes them (RFC 6068)."""
    parts = urlsplit(mailto)
    assert parts.scheme == "mailto"
    fields = {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}
    return unquote(parts.path), fields


@pytest.mark.parametrize("lang", LANGS)
def test_the_mailto_url_decodes_to_the_message_in_the_page_language(lang):
    sent = message(lang, FIFTY, PAGE[lang])
    assert sent["channel"] == "email" and sent["to"] == "serviceteam@mystore.no"
    address, fields = decoded(sent["mailto"])
    assert address == "serviceteam@mystore.no"
    assert set(fields) == {"subject", "body"}
    assert fields["subject"] == SUBJECT[lang] == sent["subject"]
    assert fields["body"].split("\r\n") == EXPECTED_BODY[lang]
    assert "\n" not in fields["body"].replace("\r\n", "")  # every line break is CRLF
    assert len(sent["mailto"]) <= MAX_MAILTO_CHARS
    assert not sent["shortened"]
    assert "serviceteam@mystore.no" in sent["instructions"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_long_estimate_stays_within_what_mail_programs_accept(lang):
    """Twenty lines do not fit: the lines are left to the link (which carries them all), the totals stay."""
    lines = [{"tariff": "no-service", "case": "service-case", "minutes": str(15 * n)} for n in range(1, 21)]
    sent = message(lang, lines, PAGE[lang] + "x" * 200)
    assert len(sent["mailto"]) <= MAX_MAILTO_CHARS and sent["shortened"]
    _, fields = decoded(sent["mailto"])
    body = fields["body"]
    assert EXPECTED_BODY[lang][-1] in body and EXPECTED_BODY[lang][0] in body
    assert ("65\u00a0625,00" in body) or ("65,625.00" in body)  # the total incl. VAT: 250 × 210 × 1.25
    assert "- " not in body  # no line of the estimate: with this long an address, no link either


@pytest.mark.parametrize("lang", LANGS)
def test_a_long_estimate_keeps_its_link_when_the_link_fits(lang):
    lines = [{"tariff": "no-service", "case": "service-case", "minutes": str(15 * n)} for n in range(1, 9)]
    sent = message(lang, lines, PAGE[lang])
    _, fields = decoded(sent["mailto"])
    assert len(sent["mailto"]) <= MAX_MAILTO_CHARS
    assert "minutes=120" in fields["body"]


@pytest.mark.parametrize("lang", LANGS)
def test_sweden_gets_text_to_paste_and_where(lang):
    lines = [{"tariff": "se-lower-rate", "case": "development", "minutes": "90"}]
    sent = message(lang, lines, PAGE[lang])
    assert sent["channel"] == "website" and sent["mailto"] is None and sent["to"] is None
    assert "Support" in sent["instructions"]
    assert "minutes=90" in sent["body"]


def test_price_on_request_is_never_zero_in_the_message():
    sent = message("nb", [{"tariff": "no-service", "case": "critical-support", "minutes": ""}])
    assert "Pris på forespørsel" in sent["body"] or "pris" in sent["body"].lower()
    assert "0,00" not in sent["body"] and "Sum" not in sent["body"]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://exa mple.org/", "https://example.org/\n", "x" * 400, 5]
)
def test_a_page_url_that_is_no_plain_web_address_gives_no_link(url):
    sent = message("en", FIFTY, url)
    assert "Link to the estimate" not in sent["body"]


def test_no_message_while_a_line_has_an_error():
    bad = [*FIFTY, {"tariff": "no-service", "case": "service-case", "time": "abc"}]
    result = calculate({"lang": "nb", "lines": bad, "case_text": True})
    assert not result["ok"] and result["case_text"] is None


@pytest.mark.parametrize("lang", LANGS)
def test_cli_case_text_and_compare(lang):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "calculator",
            "--lang",
            lang,
            "--tariff",
            "no-service",
            "--case",
            "service-case",
            "--minutes",
            "50",
            "--compare",
            "--case-text",
            "--page-url",
            PAGE[lang],
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONIOENCODING": "utf-8", "PATH": ""},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout.replace(" ", "\u00a0")
    for line in EXPECTED_BODY[lang]:
        assert line.replace(" ", "\u00a0") in out
    assert "mailto:serviceteam@mystore.no?subject=" in run.stdout
    assert {"nb": "1 250,00 kr", "sv": "1 250,00 NOK", "en": "NOK 1,250.00"}[lang] in run.stdout  # custom work
