"""Typed errors. Input errors keep the bad value and turn into text per language in one place."""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CalculatorInputError",
    "CaseNotOffered",
    "InvalidTime",
    "MalformedRequest",
    "MixedCurrencies",
    "NoLines",
    "TariffFileError",
    "TooManyLines",
    "UnknownCase",
    "UnknownLanguage",
    "UnknownTariff",
    "echo",
    "escape_unsafe",
]

# An input echoed back in a message is cut to this many characters (10 MB in is never 10 MB out).
MAX_ECHO = 40
# Characters never echoed raw: controls (terminal escapes, newlines), format characters (bidirectional
# overrides, zero-width), line and paragraph separators, surrogates (unencodable) and private use.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_unsafe(text: str) -> str:
    """``text`` with every control, format or other invisible character written as an escape (``\\x1b``)."""
    return "".join(_escaped(char) for char in text)


def echo(value: object, limit: int = MAX_ECHO) -> str:
    """A short, safe form of an input to show in a message: at most ``limit`` characters of it, then
    "…"; control and other invisible characters written as Python escapes (``\\x1b``). Never raises,
    and takes constant time whatever the size of ``value`` (an int of any size, a 10 MB string).

    >>> echo("no-servic\\x1b[2J" + "e" * 100)
    'no-servic\\\\x1b[2Jeeeeeeeeeeeeeeeeeeeeeeeeeee…'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # str() of an int over 4 300 digits raises ValueError; such an int is never a valid input.
        if value.bit_length() > 4 * limit:
            return "…"
        text = str(value)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, (list, tuple)):
        return "[…]"
    elif isinstance(value, dict):
        return "{…}"
    else:
        return "…"
    cut = text[:limit]
    safe = "".join(_escaped(char) for char in cut)
    return safe + "…" if len(text) > limit else safe


@dataclass(eq=False)
class CalculatorInputError(Exception):
    """Something a reader or script typed that the calculator cannot price.

    ``code`` is the stable key of the message (see messages.toml), ``field`` the input it concerns,
    ``line`` the estimate line (0-based) when there is one.
    """

    code: str
    value: str = ""
    field: str = ""
    line: int | None = None
    params: dict[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        # What a reader typed is kept only in its short, safe form: it goes into messages.
        self.value = echo(self.value)
        self.params = {name: echo(value, 4 * MAX_ECHO) for name, value in self.params.items()}
        super().__init__(self.code, self.value)

    def message(self, lang: str) -> str:
        from .texts import error_text

        return error_text(self.code, lang, value=self.value, **self.params)

    def at_line(self, line: int) -> CalculatorInputError:
        self.line = line
        return self


class InvalidTime(CalculatorInputError):
    """A time that is empty, not a number, not finite, negative, zero or absurdly large."""


class UnknownTariff(CalculatorInputError):
    """No agreement by that id: ``tariff-unknown``, or ``tariff-missing`` when none was given at all."""

    def __init__(self, value: str) -> None:
        super().__init__("tariff-missing" if not value.strip() else "tariff-unknown", value, "tariff")


class UnknownCase(CalculatorInputError):
    """No case by that id: ``case-unknown``, or ``case-missing`` when none was given at all."""

    def __init__(self, value: str) -> None:
        super().__init__("case-missing" if not value.strip() else "case-unknown", value, "case")


class CaseNotOffered(CalculatorInputError):
    def __init__(self, case: str, tariff: str, case_label: str = "", tariff_label: str = "") -> None:
        super().__init__(
            "case-not-offered",
            case,
            "case",
            params={"case": case_label or case, "tariff": tariff_label or tariff},
        )


class MixedCurrencies(CalculatorInputError):
    def __init__(self, currencies: str) -> None:
        super().__init__("currencies-mixed", currencies, "tariff")


class NoLines(CalculatorInputError):
    def __init__(self) -> None:
        super().__init__("no-lines")


class TooManyLines(CalculatorInputError):
    def __init__(self, count: int, max_lines: int) -> None:
        super().__init__("too-many-lines", str(count), params={"max_lines": str(max_lines)})


class UnknownLanguage(CalculatorInputError):
    def __init__(self, value: str) -> None:
        super().__init__("language-unknown", value, "lang")


class MalformedRequest(CalculatorInputError):
    """A request that is not the shape the calculator reads.

    ``detail`` is a key of the [detail] section of messages.toml (what is wrong, in each language),
    filled with ``params`` such as ``field``; text that is no such key is shown as it is.
    """

    def __init__(self, detail: str, **params: str) -> None:
        super().__init__("request-malformed", detail, params.get("field", ""), params={"detail": detail, **params})

    def message(self, lang: str) -> str:
        from .texts import detail_text, error_text

        params = dict(self.params)
        params["detail"] = detail_text(self.value, lang, **params)
        return error_text(self.code, lang, value=self.value, **params)


class TariffFileError(ValueError):
    """Bad data from staff: names the file, the key and the problem, so the build can say so."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{self.path}: {key}: {problem}")
