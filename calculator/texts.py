"""The calculator's own texts (statuses, errors, form words), read once from messages.toml."""

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
    "status_text",
    "word",
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
    data = tomllib.loads(files(__package__).joinpath("messages.toml").read_text("utf-8"))
    for section, entries in data.items():
        for key, per_lang in entries.items():
            missing = [lang for lang in LANGUAGES if lang not in per_lang]
            if missing:
                raise ValueError(f"messages.toml: {section}.{key}: no text for {', '.join(missing)}")
    return data


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


def word(key: str, lang: str, **params: str) -> str:
    return _text("word", key, lang, params)


def compare_text(key: str, lang: str, **params: str) -> str:
    """A text of the comparison of agreements (the [compare] section)."""
    return _text("compare", key, lang, params)


def case_text_word(key: str, lang: str, **params: str) -> str:
    """A text of the message that sends an estimate with a case (the [case-text] section)."""
    return _text("case-text", key, lang, params)
