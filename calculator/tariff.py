"""The tariff file, read with tomllib and validated into frozen, typed objects.

Three things, three names: the *tariff file* (tariff.toml; ``load_tariff``, ``parse_tariff`` and
``default_tariff`` read it), the *book* it holds (``TariffBook``: its agreements, cases, notes,
comparisons and markets), and one *agreement* (``Agreement``: a ``[[tariff]]`` entry, whose id is the
API's and the URL's ``tariff``; those public names stay).

Every problem is reported as one TariffFileError that names the file, the key and the problem,
so a staff member who mistypes a price sees exactly where.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .errors import TariffFileError
from .rules import CASE_KEYS, RULES, figure_names
from .texts import LANGUAGES

__all__ = [
    "DEFAULT_TARIFF_PATH",
    "Agreement",
    "Case",
    "Labels",
    "Note",
    "TariffBook",
    "default_tariff",
    "load_tariff",
    "parse_tariff",
]

# Notes the engine adds to a whole estimate by itself; the file must define their texts.
# Shown with every comparison of agreements (calculator/compare.py): the terms list prices for work only.
COMPARE_NOTE = "compare-other-fees"
ENGINE_NOTES = ("price-on-request-not-in-total", "from-price-is-minimum")
CURRENCIES = ("NOK", "SEK")

# Anchored with \A and \Z (``$`` also matches before a trailing newline) and ASCII only ([0-9], not \d,
# which takes any script's digits such as "١٢٥٠").
MAX_ID_LENGTH = 64
MAX_LABEL_LENGTH = 160  # a label, unit or tariff name: one line of a table cell or a select option
MAX_NOTE_LENGTH = 600  # a note: a sentence or two
_ID = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_AMOUNT = re.compile(r"\A[0-9]{1,9}(?:\.[0-9]{1,2})?\Z")
_RATE = re.compile(r"\A0(?:\.[0-9]{1,6})?\Z")
# A text's pieces: an escaped brace, a {placeholder}, or a brace standing alone (unbalanced).
_BRACES = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_PLACEHOLDER = re.compile(r"\A[a-z][a-z_]{0,39}\Z")
# Control characters (newlines, tabs, escapes) and bidirectional overrides never belong in a text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

# Keys every case has; each rule (rules.RULES) names the keys it requires or allows beyond them, so a
# misspelt key is caught.
_COMMON_CASE_KEYS = {"id", "tariffs", "rule", "notes", "label"}

DEFAULT_TARIFF_PATH = Path(str(files(__package__).joinpath("tariff.toml")))


@dataclass(frozen=True, slots=True)
class Labels:
    """One text per language of texts.LANGUAGES, in that order; ``labels[lang]`` is one of them."""

    texts: tuple[str, ...]

    def __getitem__(self, lang: str) -> str:
        return self.texts[LANGUAGES.index(lang)]


@dataclass(frozen=True, slots=True)
class Agreement:
    """One agreement a customer can have: a ``[[tariff]]`` entry of the tariff file."""

    id: str
    market: str
    currency: str
    vat_rate: Decimal
    label: Labels
    hourly_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    tariffs: tuple[str, ...]
    rule: str
    label: Labels
    notes: tuple[str, ...] = ()
    unit: Labels | None = None
    block_minutes: int | None = None
    block_price: Decimal | None = None
    notice_over_minutes: int | None = None
    notice_note: str | None = None
    ticket_minutes: int | None = None
    ticket_price: Decimal | None = None
    quote_unit: Labels | None = None
    quote_note: str | None = None
    price: Decimal | None = None

    @property
    def uses_time(self) -> bool:
        """Whether the price depends on the time the case takes (its rule's ``uses_time``)."""
        return RULES[self.rule].uses_time

    @property
    def rule_notes(self) -> tuple[str, ...]:
        """The notes its rule's keys name (a notice, a quote first): conditions of how the case is handled."""
        return tuple(
            getattr(self, key) for key in RULES[self.rule].keys if CASE_KEYS[key] == "note" and getattr(self, key)
        )


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    text: Labels


@dataclass(frozen=True, slots=True)
class Comparison:
    """Cases that price the same work under different agreements of one market (issue 17).

    ``options`` are (tariff id, case id) pairs; ``assumption`` is the note that names what the
    comparison takes for granted (the sources never say two cases are the same work).
    """

    id: str
    options: tuple[tuple[str, str], ...]
    assumption: str


@dataclass(frozen=True, slots=True)
class Market:
    """Where a market's cases are sent: by e-mail to ``email``, or registered on the provider's website."""

    id: str
    channel: str  # "email" or "website"
    email: str | None = None


@dataclass(frozen=True, slots=True)
class TariffBook:
    """The whole validated tariff file."""

    path: str
    tariffs: dict[str, Agreement]
    cases: dict[str, Case]
    notes: dict[str, Note]
    comparisons: tuple[Comparison, ...] = ()
    markets: dict[str, Market] = field(default_factory=dict)

    def cases_for(self, tariff_id: str) -> tuple[Case, ...]:
        return tuple(case for case in self.cases.values() if tariff_id in case.tariffs)


class _Reader:
    """Reads one table of the file, naming the key of every problem."""

    def __init__(self, path: str, where: str, table: Any) -> None:
        self.path, self.where = path, where
        if not isinstance(table, dict):
            self.fail("", "must be a table")
        self.table: dict[str, Any] = table

    def fail(self, key: str, problem: str) -> None:
        name = f"{self.where}.{key}" if key else self.where
        raise TariffFileError(self.path, name, problem)

    def has(self, key: str) -> bool:
        return key in self.table

    def required(self, key: str, what: str = "value") -> Any:
        if key not in self.table:
            self.fail(key, f"missing {what}")
        return self.table[key]

    def text(self, key: str) -> str:
        value = self.required(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
        return value

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if len(value) > MAX_ID_LENGTH:
            self.fail(key, f"an id has at most {MAX_ID_LENGTH} characters, not {len(value)}")
        if not _ID.match(value):
            self.fail(key, f"{shown(value)} is not an id (lower-case letters a-z, digits 0-9 and dashes)")
        return value

    def amount(self, key: str, what: str = "price") -> Decimal:
        value = self.required(key, what)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.fail(key, f'write the amount as a string, for example "{value}"')
        if not isinstance(value, str):
            self.fail(key, 'must be an amount string such as "250.00"')
        if value.strip().startswith("-"):
            self.fail(key, f"negative amount {shown(value)}")
        if not _AMOUNT.match(value):
            self.fail(
                key,
                f'{shown(value)} is not an amount such as "250.00" (digits 0-9, at most nine before the point'
                " and two after it, nothing else)",
            )
        return Decimal(value)

    def minutes(self, key: str) -> int:
        value = self.required(key, "number of minutes")
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, "must be a whole number of minutes")
        if value <= 0:
            self.fail(key, f"must be more than zero minutes, not {value}")
        return value

    def labels(self, key: str, max_length: int = MAX_LABEL_LENGTH) -> Labels:
        value = self.required(key, "texts")
        if not isinstance(value, dict):
            self.fail(key, "must give one text per language: nb, sv and en")
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.fail(f"{key}.{lang}", "missing translation")
            problem = text_problem(text, max_length)
            if problem:
                self.fail(f"{key}.{lang}", problem)
        extra = sorted(set(value) - set(LANGUAGES))
        if extra:
            self.fail(f"{key}.{extra[0]}", f"unknown language (use {', '.join(LANGUAGES)})")
        return Labels(tuple(value[lang] for lang in LANGUAGES))

    def id_list(self, key: str, known: dict[str, Any], what: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(key, f"must be a list of {what} ids")
        for item in value:
            if item not in known:
                self.fail(key, f"unknown {what} '{item}'")
        if len(set(value)) != len(value):
            self.fail(key, f"lists a {what} twice")
        return tuple(value)

    def only(self, allowed: set[str]) -> None:
        for key in self.table:
            if key not in allowed:
                self.fail(key, f"unknown key (expected one of: {', '.join(sorted(allowed))})")


def _entries(path: str, data: dict[str, Any], name: str) -> list[_Reader]:
    raw = data.get(name)
    if not isinstance(raw, list) or not raw:
        raise TariffFileError(path, f"[[{name}]]", "missing: the file needs at least one")
    readers, seen = [], set()
    for index, table in enumerate(raw):
        reader = _Reader(path, f"{name}[{index}]", table)
        ident = reader.ident()
        reader.where = f"{name} '{ident}'"
        if ident in seen:
            reader.fail("id", f"duplicate id '{ident}'")
        seen.add(ident)
        readers.append(reader)
    return readers


def _read_tariff(reader: _Reader) -> Agreement:
    reader.only({"id", "market", "currency", "vat_rate", "hourly_rate", "label"})
    currency = reader.text("currency")
    if currency not in CURRENCIES:
        reader.fail("currency", f"'{currency}' is not a supported currency ({', '.join(CURRENCIES)})")
    rate_text = reader.required("vat_rate", "VAT rate")
    if not isinstance(rate_text, str) or not _RATE.match(rate_text):
        reader.fail("vat_rate", 'must be a fraction written as a string, for example "0.25"')
    return Agreement(
        id=reader.ident(),
        market=reader.ident("market"),
        currency=currency,
        vat_rate=Decimal(rate_text),
        label=reader.labels("label"),
        hourly_rate=reader.amount("hourly_rate", "hourly rate") if reader.has("hourly_rate") else None,
    )


def _read_case(reader: _Reader, tariffs: dict[str, Agreement], notes: dict[str, Note]) -> Case:
    name = reader.text("rule")
    if name not in RULES:
        reader.fail("rule", f"unknown rule '{name}' (expected one of: {', '.join(RULES)})")
    rule = RULES[name]
    reader.only(_COMMON_CASE_KEYS | set(rule.keys))
    offered_by = reader.id_list("tariffs", tariffs, "tariff")
    if not offered_by:
        reader.fail("tariffs", "missing: name at least one tariff that offers the case")
    if len({tariffs[t].currency for t in offered_by}) > 1:
        reader.fail("tariffs", "names tariffs with different currencies; split the case")
    if rule.uses_hourly_rate:
        for tariff_id in offered_by:
            if tariffs[tariff_id].hourly_rate is None:
                reader.fail("tariffs", f"tariff '{tariff_id}' has no hourly_rate, which rule '{name}' needs")

    given = [key for key in rule.optional if reader.has(key)]
    if given and len(given) != len(rule.optional):
        reader.fail(rule.optional[-1], f"{' and '.join(rule.optional)} go together")
    fields: dict[str, Any] = {}
    for key in (*rule.required, *given):
        kind = CASE_KEYS[key]
        if kind == "minutes":
            fields[key] = reader.minutes(key)
        elif kind == "amount":
            fields[key] = reader.amount(key)
        elif kind == "labels":
            fields[key] = reader.labels(key)
        else:
            fields[key] = reader.text(key)
            if fields[key] not in notes:
                reader.fail(key, f"unknown note '{fields[key]}'")

    return Case(
        id=reader.ident(),
        tariffs=offered_by,
        rule=name,
        label=reader.labels("label"),
        notes=reader.id_list("notes", notes, "note"),
        **fields,
    )


def shown(value: str, limit: int = 40) -> str:
    """A value from the file, quoted, cut short and with control characters escaped, for a message."""
    cut = value if len(value) <= limit else value[:limit] + "…"
    return repr(cut)


def _placeholder_pieces(text: str) -> list[tuple[str, str | None]]:
    """(piece, name) for every brace construct of a text; name is None for an escaped or lone brace."""
    return [(match.group(0), match.group(1)) for match in _BRACES.finditer(text)]


def text_problem(text: str, max_length: int) -> str | None:
    """What is wrong with a label or note as text, or None: length, control characters, braces."""
    if len(text) > max_length:
        return f"is {len(text)} characters long; the limit is {max_length}"
    control = _CONTROL.search(text)
    if control:
        return f"holds the control character U+{ord(control.group(0)):04X} (a text is one line of plain text)"
    for piece, name in _placeholder_pieces(text):
        if piece in ("{", "}"):
            return f"has an unbalanced '{piece}': a placeholder is {{name}}; write '{piece * 2}' for the brace itself"
        if name is not None and not _PLACEHOLDER.match(name):
            return (
                f"{shown(piece)} is not a placeholder: write {{name}} with lower-case letters and _ only,"
                " no format spec or conversion"
            )
    return None


def placeholders(text: str) -> set[str]:
    """The {names} a text uses; ValueError for a text that ``text_problem`` refuses."""
    problem = text_problem(text, len(text))
    if problem:
        raise ValueError(problem)
    return {name for _, name in _placeholder_pieces(text) if name is not None}


def _check_placeholders(
    path: str, book_notes: dict[str, Note], tariffs: dict[str, Agreement], cases: dict[str, Case]
) -> None:
    for tariff in tariffs.values():
        for lang in LANGUAGES:
            unknown = placeholders(tariff.label[lang]) - figure_names(None, tariff)
            if unknown:
                raise TariffFileError(
                    path, f"tariff '{tariff.id}'.label.{lang}", f"unknown placeholder {{{sorted(unknown)[0]}}}"
                )
    for case in cases.values():
        used = [*case.notes, *case.rule_notes]
        for tariff_id in case.tariffs:
            allowed = figure_names(case, tariffs[tariff_id])
            for note_id in used:
                for lang in LANGUAGES:
                    unknown = placeholders(book_notes[note_id].text[lang]) - allowed
                    if unknown:
                        raise TariffFileError(
                            path,
                            f"note '{note_id}'.text.{lang}",
                            f"placeholder {{{sorted(unknown)[0]}}} has no value for case '{case.id}'",
                        )
    for case in cases.values():
        for key in ("label", *(key for key in RULES[case.rule].keys if CASE_KEYS[key] == "labels")):
            texts: Labels | None = getattr(case, key)
            for lang in LANGUAGES if texts is not None else ():
                if "{" in texts[lang] or "}" in texts[lang]:
                    raise TariffFileError(
                        path,
                        f"case '{case.id}'.{key}.{lang}",
                        "takes no {placeholders} or braces (only notes and tariff labels do)",
                    )
    for note_id in ENGINE_NOTES:
        note = book_notes[note_id]
        for lang in LANGUAGES:
            if placeholders(note.text[lang]):
                raise TariffFileError(path, f"note '{note_id}'.text.{lang}", "this note takes no placeholders")


def parse_tariff(text: str, path: Path | str = "tariff.toml") -> TariffBook:
    """Validate the text of a tariff file; raise TariffFileError on the first problem."""
    path = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TariffFileError(path, "(syntax)", str(error)) from None
    top = _Reader(path, "(top level)", data)
    top.only({"schema", "tariff", "case", "note", "comparison", "market"})
    if data.get("schema") != 1:
        top.fail("schema", "must be 1")

    notes = {}
    for reader in _entries(path, data, "note"):
        reader.only({"id", "text"})
        notes[reader.ident()] = Note(id=reader.ident(), text=reader.labels("text", MAX_NOTE_LENGTH))
    for note_id in ENGINE_NOTES:
        if note_id not in notes:
            raise TariffFileError(path, f"note '{note_id}'", "missing: the calculator adds this note itself")

    tariffs = {}
    for reader in _entries(path, data, "tariff"):
        tariff = _read_tariff(reader)
        tariffs[tariff.id] = tariff

    cases = {}
    for reader in _entries(path, data, "case"):
        try:
            case = _read_case(reader, tariffs, notes)
        except InvalidOperation:  # pragma: no cover - the regexes admit only valid decimals
            reader.fail("", "holds an amount Decimal cannot read")
        cases[case.id] = case

    for tariff in tariffs.values():
        if not any(tariff.id in case.tariffs for case in cases.values()):
            raise TariffFileError(path, f"tariff '{tariff.id}'", "offers no case: name it in some case's tariffs")
    _check_placeholders(path, notes, tariffs, cases)
    comparisons = tuple(
        _read_comparison(reader, tariffs, cases, notes) for reader in _optional_entries(path, data, "comparison")
    )
    if comparisons and COMPARE_NOTE not in notes:
        raise TariffFileError(path, f"note '{COMPARE_NOTE}'", "missing: the calculator shows it with every comparison")
    markets = {market.id: market for market in (_read_market(r) for r in _optional_entries(path, data, "market"))}
    return TariffBook(path, tariffs, cases, notes, comparisons, markets)


def _optional_entries(path: str, data: dict[str, Any], name: str) -> list[_Reader]:
    return _entries(path, data, name) if name in data else []


_EMAIL = re.compile(r"\A[a-z0-9._-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)+\Z")


def _read_market(reader: _Reader) -> Market:
    reader.only({"id", "channel", "email"})
    channel = reader.text("channel")
    if channel not in ("email", "website"):
        reader.fail("channel", "must be 'email' or 'website'")
    email = reader.text("email") if reader.has("email") else None
    if (channel == "email") != (email is not None):
        reader.fail("email", "an 'email' channel needs an address, and only it")
    if email is not None and not _EMAIL.match(email):
        reader.fail("email", f"{shown(email)} is not a plain e-mail address")
    return Market(reader.ident(), channel, email)


def _read_comparison(
    reader: _Reader, tariffs: dict[str, Agreement], cases: dict[str, Case], notes: dict[str, Note]
) -> Comparison:
    reader.only({"id", "options", "assumption"})
    raw = reader.required("options", "list of options")
    if not isinstance(raw, list) or len(raw) < 2 or not all(isinstance(item, str) for item in raw):
        reader.fail("options", 'must list at least two "tariff/case" pairs')
    options = []
    for item in raw:
        tariff_id, _, case_id = item.partition("/")
        case = cases.get(case_id)
        if tariff_id not in tariffs or case is None or tariff_id not in case.tariffs:
            reader.fail("options", f"'{shown(item)}' is no case a tariff offers (write \"tariff/case\")")
        if not case.uses_time:
            reader.fail("options", f"'{shown(item)}' is not priced by time: there is nothing to compare")
        options.append((tariff_id, case_id))
    if len(set(options)) != len(options):
        reader.fail("options", "lists an option twice")
    if len({tariffs[tariff_id].market for tariff_id, _ in options}) != 1:
        reader.fail("options", "compares agreements of different markets")
    assumption = reader.text("assumption")
    if assumption not in notes:
        reader.fail("assumption", f"unknown note '{shown(assumption)}'")
    return Comparison(reader.ident(), tuple(options), assumption)


def load_tariff(path: Path | str) -> TariffBook:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise TariffFileError(path, "(file)", f"cannot be read: {error.strerror}") from None
    return parse_tariff(text, path)


@cache
def default_tariff() -> TariffBook:
    """The tariff file shipped in the package (read once per process)."""
    text = files(__package__).joinpath("tariff.toml").read_text("utf-8")
    return parse_tariff(text, "calculator/tariff.toml")
