"""Every word of the built site is spelt right, checked with Debian's Hunspell dictionary of its language.

Names and terms the dictionaries lack (PrestaShop, Mypack, Bokmål compounds the nb dictionary does not
build) are in the project's word lists, docs/_glossary/words.<lang>.txt: one word a line, as written.
`make test` installs hunspell, hunspell-no, hunspell-sv and hunspell-en-us when they are missing.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sitecheck import LANGS, PAGES, ROOT, Document, calculator_texts, page_url

from calculator.tariff import load_tariff

HUNSPELL = Path("/usr/bin/hunspell")
DICTIONARIES = {"nb": "nb_NO", "sv": "sv_SE", "en": "en_US"}  # hunspell-no, hunspell-sv, hunspell-en-us
DICTIONARY_DIR = Path("/usr/share/hunspell")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # {block_price}: filled in by the calculator


def word_list(lang: str) -> Path:
    return ROOT / "docs" / "_glossary" / f"words.{lang}.txt"


# The unit abbreviations of a written duration ("1,5 tim", "2 t 10 min"): notation the time field reads,
# not words (sv_SE knows "tim" only inside compounds).
DURATION_UNIT = re.compile(r"(?<=\d)[\s\u00a0](?:t|tim|h|min)\b")


def misspelt(text: str, lang: str) -> list[str]:
    """The words Hunspell does not know, in the order they come, each once."""
    text = DURATION_UNIT.sub(" ", text)
    if not HUNSPELL.exists() or not (DICTIONARY_DIR / f"{DICTIONARIES[lang]}.dic").exists():
        pytest.fail(f"Hunspell or its {DICTIONARIES[lang]} dictionary is missing: `make test` installs them")
    result = subprocess.run(
        [str(HUNSPELL), "-l", "-i", "utf-8", "-d", DICTIONARIES[lang], "-p", str(word_list(lang))],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return list(dict.fromkeys(result.stdout.split()))


def misspelt_where(texts: dict[str, str], lang: str) -> list[str]:
    """ "<where>: <word>" for every unknown word, with one Hunspell run for all the texts."""
    words = misspelt("\n".join(texts.values()), lang)
    return [
        f"{where}: {word}"
        for where, text in texts.items()
        for word in words
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_spelt_right(documents: dict[tuple[str, str], Document], lang: str) -> None:
    found = misspelt_where({f"/{page_url(lang, name)}": documents[(lang, name)].words for name in PAGES}, lang)
    listed = word_list(lang).relative_to(ROOT)
    assert not found, f"not in the {DICTIONARIES[lang]} dictionary nor {listed}:\n" + "\n".join(found)


# What the command line's texts name that is code, not words: options (--tariff), the tariff file's ids
# (no-service), request fields (lines) and the H:MM pattern in each language's letters.
_BOOK = load_tariff(ROOT / "calculator" / "tariff.toml")
_IDS = "|".join(re.escape(ident) for ident in sorted({*_BOOK.tariffs, *_BOOK.cases}, key=len, reverse=True))
CODE = re.compile(rf"--[\w-]+|(?<![\w-])(?:{_IDS})(?![\w-])|\blines\b|\b[A-Z]:MM\b")


@pytest.mark.parametrize("lang", LANGS)
def test_the_calculators_texts_are_spelt_right(lang: str) -> None:
    texts = {where: CODE.sub(" ", PLACEHOLDER.sub(" ", text)) for where, text in calculator_texts(lang).items()}
    found = misspelt_where(texts, lang)
    assert not found, f"not in the {DICTIONARIES[lang]} dictionary nor {word_list(lang).relative_to(ROOT)}:\n" + (
        "\n".join(found)
    )


def _sorted(words: list[str]) -> list[str]:
    return sorted(set(words), key=lambda word: (word.casefold(), word))


@pytest.mark.parametrize("lang", LANGS)
def test_the_word_lists_are_sorted_and_needed(lang: str) -> None:
    """A word the dictionary knows, or a duplicate, does not belong in the project's list."""
    words = word_list(lang).read_text("utf-8").split("\n")
    assert words[-1] == "" and words[:-1] == _sorted(words[:-1]), "one word a line, sorted as _sorted() sorts"
    unknown = subprocess.run(
        [str(HUNSPELL), "-l", "-i", "utf-8", "-d", DICTIONARIES[lang]],
        input="\n".join(words),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    known = set(words[:-1]) - set(unknown)
    assert not known, f"{word_list(lang).relative_to(ROOT)}: the dictionary already knows {sorted(known)}"


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        ("Vilkårene gjelder", "nb", []),
        ("Vilkårne gjeldr", "nb", ["Vilkårne", "gjeldr"]),
        ("Villkoren gäller", "sv", []),
        ("Mypack", "en", []),
    ],
)
def test_the_check_finds_a_misspelt_word(text: str, lang: str, found: list[str]) -> None:
    assert misspelt(text, lang) == found
