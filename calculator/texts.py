"""The calculator's own texts (statuses, errors, form words, rule words), read once from messages.toml.

This module is the one reader of messages.toml, and ``LANGUAGES`` is the one list of languages of the
Python side (the package, the build hooks, the tools and the tests): the tariff file and messages.toml
must give every text in each of them, and mkdocs.yml's languages are checked against it at build time.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "case_text_word",
    "check_language",
    "cli_text",
    "compare_text",
    "detail_text",
    "error_text",
    "estimate_text",
    "messages",
    "rule_text",
    "status_text",
    "ui_texts",
]

LANGUAGES = ("nb", "sv", "en")
DEFAULT_LANGUAGE = "nb"


def check_language(lang: str) -> str:
    from .errors import UnknownLanguage

    if lang not in LANGUAGES:
        raise UnknownLanguage(str(lang))
    return lang


@cache
def _messages() -> dict[str, dict[str, dict[str, str]]]:
    # Every key must be a table of one text per language; a gap is a bug in the package's own data.
    data = tomllib.loads(files(__package__).joinpath("messages.toml").read_text("utf-8"))
    for section, entries in data.items():
        for key, per_lang in entries.items():
            missing = [lang for lang in LANGUAGES if not isinstance(per_lang, dict) or lang not in per_lang]
            if missing:
                raise ValueError(f"messages.toml: {section}.{key}: no text for {', '.join(missing)}")
    return data


def messages() -> dict[str, dict[str, dict[str, str]]]:
    """Every text of messages.toml: {section: {key: {lang: text}}} (a fresh copy; for checks such as spelling)."""
    return {
        section: {key: dict(per_lang) for key, per_lang in entries.items()} for section, entries in _messages().items()
    }


def ui_texts(lang: str) -> dict[str, str]:
    """The browser form's texts (the [ui] section) in one language: {key: text}, placeholders unfilled."""
    return {key: per_lang[lang] for key, per_lang in _messages()["ui"].items()}


def _text(section: str, key: str, lang: str, params: dict[str, str]) -> str:
    template = _messages()[section][key][lang]
    return template.format_map(params)


def error_text(code: str, lang: str, **params: str) -> str:
    return _text("error", code, lang, params)


def cli_text(key: str, lang: str, **params: str) -> str:
    """A text of the command line (the [cli] section), in the language; without params, as written."""
    template = _messages()["cli"][key][lang]
    return template.format_map(params) if params else template


def detail_text(key: str, lang: str, **params: str) -> str:
    """What is wrong with a malformed request, in the language; a key the file lacks is shown as it is."""
    if key not in _messages().get("detail", {}):
        return key
    return _text("detail", key, lang, params)


def status_text(status: str, lang: str) -> str:
    return _text("status", status, lang, {})


def estimate_text(key: str, lang: str, **params: str) -> str:
    """A label of an estimate's totals and items (the [word] section): "Sum eks. mva.", "{price} per {unit}"."""
    return _text("word", key, lang, params)


def rule_text(rule: str, lang: str) -> str:
    """How the price tables describe a pricing rule (the [rule] section), a template with the case's
    figures and {unit} unfilled (rules.RULES)."""
    return _messages()["rule"][rule][lang]


def compare_text(key: str, lang: str, **params: str) -> str:
    """A text of the comparison of agreements (the [compare] section)."""
    return _text("compare", key, lang, params)


def case_text_word(key: str, lang: str, **params: str) -> str:
    """A text of the message that sends an estimate with a case (the [case-text] section)."""
    return _text("case-text", key, lang, params)
