"""The site says each concept with one word per language (docs/_glossary/<lang>.toml), and Swedish says "ni".

Read from the built pages (the calculator form's static text included) and from the calculator's own
texts (calculator/messages.toml and the labels, units and notes of calculator/tariff.toml), which the
reader meets in the calculator.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pytest
from sitecheck import LANGS, PAGES, ROOT, Document, calculator_texts, page_url

GLOSSARY = ROOT / "docs" / "_glossary"
# Swedish addresses the reader as "ni" (er, era, ert): these are the "du" forms.
SWEDISH_DU = re.compile(r"\b(du|dig|din|ditt|dina)\b", re.IGNORECASE)
EMAIL = re.compile(r"\S+@\S+")  # an address is a name, not a word: serviceteam@mystore.no


@cache
def glossary(lang: str) -> list[dict[str, object]]:
    return tomllib.loads((GLOSSARY / f"{lang}.toml").read_text("utf-8"))["term"]


def _whole(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)


def reader_texts(documents: dict[tuple[str, str], Document], lang: str) -> dict[str, str]:
    texts = {f"/{page_url(lang, name)}": documents[(lang, name)].text for name in PAGES}
    texts |= {
        f"/{page_url(lang, name)} (calculator form)": " ".join("".join(documents[(lang, name)].apart).split())
        for name in PAGES
    }
    return {where: EMAIL.sub(" ", text) for where, text in (texts | calculator_texts(lang)).items()}


def test_every_glossary_has_the_same_concepts() -> None:
    concepts = {lang: [term["concept"] for term in glossary(lang)] for lang in LANGS}
    common = set(concepts["en"]) & set(concepts["nb"]) & set(concepts["sv"])
    assert {"started hour", "quote", "starting price", "service team", "agreement store"} <= common
    for lang in LANGS:
        for term in glossary(lang):
            assert set(term) == {"concept", "use", "avoid"} and term["avoid"], f"{lang}.toml: {term}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_uses_a_variant_the_glossary_rules_out(documents: dict[tuple[str, str], Document], lang: str) -> None:
    found = []
    for where, text in reader_texts(documents, lang).items():
        for term in glossary(lang):
            for variant in term["avoid"]:
                found += [f"{where}: '{m.group(0)}' (write '{term['use']}')" for m in _whole(variant).finditer(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_the_glossarys_words_are_the_ones_the_site_uses(documents: dict[tuple[str, str], Document], lang: str) -> None:
    """A glossary entry whose word the site never uses is out of date."""
    everything = " ".join(reader_texts(documents, lang).values())
    unused = [term["use"] for term in glossary(lang) if not _whole(str(term["use"])).search(everything)]
    assert not unused, f"docs/_glossary/{lang}.toml: words the site does not use: {unused}"


def test_swedish_always_says_ni(documents: dict[tuple[str, str], Document]) -> None:
    found = [
        f"{where}: '{m.group(0)}' in …{text[max(0, m.start() - 30) : m.end() + 30]}…"
        for where, text in reader_texts(documents, "sv").items()
        for m in SWEDISH_DU.finditer(text)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        ("Ni får ett kostnadsförslag.", "sv", []),
        ("Du får en offert.", "sv", ["offert"]),
        ("Fra-pris 795 SEK", "nb", ["Fra-pris"]),
        ("frapris", "nb", []),
        ("the from-price", "en", ["from-price"]),
    ],
)
def test_the_variant_check(text: str, lang: str, found: list[str]) -> None:
    """The check finds a ruled-out variant as a whole word, in any case, and nothing else."""
    hits = [m.group(0) for term in glossary(lang) for v in term["avoid"] for m in _whole(v).finditer(text)]
    assert hits == found


@pytest.mark.parametrize(("text", "found"), [("Du kan", ["Du"]), ("vad dina val", ["dina"]), ("dumpa, duka, er", [])])
def test_the_du_check(text: str, found: list[str]) -> None:
    assert [m.group(0) for m in SWEDISH_DU.finditer(text)] == found


UNITS = {
    "nb": "timer|time|minutter|minutters|minutt|dager|virkedager|%|øre",
    "sv": "timmar|timme|minuter|minuters|dagar|arbetsdagar|%|öre",
    "en": "hours|hour|minutes|days|working days|%",
}


def _number_and_unit_apart(lang: str) -> re.Pattern[str]:
    """A number, then an ordinary space (not U+00A0), then a unit: a line break could split them."""
    return re.compile(rf"(?<![\w.,])\d+(?:[–-]\d+)? (?:{UNITS[lang]})(?!\w)")


@pytest.mark.parametrize("lang", LANGS)
def test_a_number_and_its_unit_are_joined_by_a_no_break_space(
    documents: dict[tuple[str, str], Document], lang: str
) -> None:
    texts = {f"/{page_url(lang, name)}": "".join(documents[(lang, name)].texts) for name in PAGES}
    texts |= {where: re.sub(r"\{[^{}]*\}", "1", text) for where, text in calculator_texts(lang).items()}
    found = [
        f"{where}: '{m.group(0)}'" for where, text in texts.items() for m in _number_and_unit_apart(lang).finditer(text)
    ]
    assert not found, "\n".join(found)
