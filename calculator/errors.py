"""Typed errors. Input errors keep the bad value and turn into text per language in one place."""

from __future__ import annotations

import dataclasses
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
]


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
    def __init__(self, value: str) -> None:
        super().__init__("tariff-unknown", value, "tariff")


class UnknownCase(CalculatorInputError):
    def __init__(self, value: str) -> None:
        super().__init__("case-unknown", value, "case")


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
    def __init__(self, detail: str) -> None:
        super().__init__("request-malformed", detail, params={"detail": detail})


class TariffFileError(ValueError):
    """Bad data from staff: names the file, the key and the problem, so the build can say so."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{self.path}: {key}: {problem}")
