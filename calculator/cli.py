"""Command line for staff and scripts.

    python -m calculator --tariff no-service --case service-case --minutes 130 [--lang nb] [--json]

    python -m calculator --tariff no-service --case service-case --time "2 t 10 min"

--tariff, --case and --time (or --minutes, or --hours) may repeat, one per line, as in the site's links.
--time reads a duration as the site's form does, in the language of --lang ("2:10", "1,5 t", "90 min").

Every message, argparse's usage errors and --help included, is in the --lang language (texts in
messages.toml, [cli]). Exit status: 0 done, 2 a usage or input error, 1 the output could not be
written (a full disk), 141 the reader of the output went away (128 + SIGPIPE, as `yes | head` gives).
Control characters from the arguments are never written raw (a terminal would obey them), and a
terminal that cannot show a character gets a plain stand-in instead of a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import os
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TextIO

from .api import calculate
from .errors import escape_unsafe
from .report import tariff_label
from .tariff import default_tariff
from .texts import DEFAULT_LANGUAGE, LANGUAGES, case_text_word, cli_text

PROG = "python -m calculator"
EXIT_USAGE = 2
EXIT_OUTPUT_FAILED = 1
EXIT_BROKEN_PIPE = 128 + 13  # SIGPIPE

# argparse's own texts (its gettext message ids) and the [cli] key that says them in the language.
_ARGPARSE_TEXTS = {
    "usage: ": "usage",
    "options": "options",
    "optional arguments": "options",  # Python before 3.10
    "show this help message and exit": "help-help",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "unrecognized arguments: %s": "unrecognized",
    "expected one argument": "expected-one",
    "ignored explicit argument %r": "ignored-explicit",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid-choice",
    "the following arguments are required: %s": "required",
}
# Stand-ins for typographic characters on a terminal that cannot show them (an ASCII locale).
_PLAIN = {
    "ø": "o",
    "Ø": "O",
    "æ": "ae",
    "Æ": "AE",
    "\u00a0": " ",
    "\u202f": " ",
    "—": "-",
    "–": "-",
    "×": "x",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
}


def _plain_stand_in(error: UnicodeError) -> tuple[str, int]:
    """An encoding error handler: "å" becomes "a", "—" "-", anything else "?"."""
    text = error.object[error.start : error.end]
    out = []
    for char in text:
        char = _PLAIN.get(char, char)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(base if base.isascii() and base else "?")
    return "".join(out), error.end


codecs.register_error("calculator-plain", _plain_stand_in)


def requested_language(argv: Sequence[str]) -> str:
    """The --lang of the arguments (argparse's rules: last wins, "--la sv", "--lang=sv"), before parsing."""
    lang = DEFAULT_LANGUAGE
    for index, token in enumerate(argv):
        if token == "--":
            break
        name, equals, value = token.partition("=")
        if len(name) >= 4 and "--lang".startswith(name):
            if not equals:
                value = argv[index + 1] if index + 1 < len(argv) else ""
            if value in LANGUAGES:
                lang = value
    return lang


def safe(text: str) -> str:
    """Text with every control character but the newline escaped (\\x1b), so no argument can steer the
    terminal."""
    return "\n".join(escape_unsafe(line) for line in text.split("\n"))


def _translator(lang: str):
    def translate(message: str) -> str:
        key = _ARGPARSE_TEXTS.get(message)
        if key is None:
            return message
        text = cli_text(key, lang)
        positional = "%r" if "%r" in message else "%s"
        for name in ("prog", "message", "argument", "option", "matches", "choices"):
            text = text.replace(f"{{{name}}}", f"%({'argument_name' if name == 'argument' else name})s")
        text = text.replace("{value}", "%(value)r" if "%(value)r" in message else positional)
        return text + ("\n" if message.endswith("\n") else "")

    return translate


@contextlib.contextmanager
def _argparse_in(lang: str) -> Iterator[None]:
    """argparse's texts in the language while it parses (argparse looks up its texts with gettext's `_`)."""
    original = argparse._
    argparse._ = _translator(lang)
    try:
        yield
    finally:
        argparse._ = original


class _Parser(argparse.ArgumentParser):
    def _print_message(self, message: str, file: TextIO | None = None) -> None:
        # argparse drops a write error silently; main() reports a closed pipe or a full disk instead.
        if message:
            (file or sys.stderr).write(message)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE, safe(argparse._("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})
        )


def _parser(lang: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=cli_text("description", lang))
    parser.add_argument("--tariff", action="append", default=[], help=cli_text("help-tariff", lang))
    parser.add_argument("--case", action="append", default=[], help=cli_text("help-case", lang))
    parser.add_argument("--time", action="append", default=[], help=cli_text("help-time", lang))
    parser.add_argument("--minutes", action="append", default=[], help=cli_text("help-minutes", lang))
    parser.add_argument("--hours", action="append", default=[], help=cli_text("help-hours", lang))
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help=cli_text("help-lang", lang))
    parser.add_argument("--json", action="store_true", help=cli_text("help-json", lang))
    parser.add_argument("--list", action="store_true", help=cli_text("help-list", lang))
    parser.add_argument("--compare", action="store_true", help=cli_text("help-compare", lang))
    parser.add_argument("--case-text", action="store_true", help=cli_text("help-case-text", lang))
    parser.add_argument("--page-url", default=None, help=cli_text("help-page-url", lang))
    return parser


def _lines(args: argparse.Namespace, parser: argparse.ArgumentParser, lang: str) -> list[dict[str, str]]:
    count = len(args.tariff)
    if count == 0 or len(args.case) != count:
        parser.error(cli_text("one-case-per-tariff", lang))
    if args.time and (args.minutes or args.hours):
        parser.error(cli_text("time-or-minutes", lang))
    for name in ("time", "minutes", "hours"):
        given = getattr(args, name)
        if given and len(given) != count:
            parser.error(cli_text("time-per-line", lang, name=name))
    if args.time:
        return [{"tariff": args.tariff[i], "case": args.case[i], "time": args.time[i]} for i in range(count)]
    return [
        {
            "tariff": args.tariff[i],
            "case": args.case[i],
            "minutes": args.minutes[i] if args.minutes else "",
            "hours": args.hours[i] if args.hours else "",
        }
        for i in range(count)
    ]


def _listing(lang: str) -> str:
    book = default_tariff()
    rows = []
    for tariff in book.tariffs.values():
        rows.append(f"{tariff.id}  ({tariff.currency})  {tariff_label(tariff, lang)}")
        rows += [f"    {case.id:<20} {case.label[lang]}" for case in book.cases_for(tariff.id)]
    return "\n".join(rows)


def _human(estimate: dict) -> str:
    out = []
    for line in estimate["lines"]:
        out.append(f"{line['case_label']} — {line['tariff_label']}: {line['status_text']}")
        if line["time_text"] is not None:
            out.append(f"  = {line['time_text']}")
        for item in line["items"]:
            out.append(f"  {item['quantity_label']} à {item['unit_price_label']} = {item['amount_text']}")
    labels, amounts = estimate["labels"], estimate["formatted"]
    if amounts["total_inc_vat"] is not None:  # no price at all: no total, never 0.00
        width = max(len(label) for label in labels.values())
        for key in ("total_ex_vat", "vat", "total_inc_vat"):
            out.append(f"{labels[key]:<{width}}  {amounts[key]:>16}")
    out.append(estimate["status_text"])
    out += [f"* {note['text']}" for note in estimate["notes"]]
    return "\n".join(out).replace("\u00a0", " ")


def _shows_unicode(stream: TextIO) -> bool:
    try:
        "æøå–\u00a0".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeError, LookupError):
        return False
    return True


def _prepare(stream: TextIO) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="calculator-plain")


def _silence(stream: TextIO) -> None:
    """Point a stream that cannot be written at /dev/null, so Python's own flush at exit stays quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def _run(argv: Sequence[str], lang: str) -> tuple[int, str, str]:
    """(exit status, text for stdout, text for stderr)."""
    with _argparse_in(lang):
        parser = _parser(lang)
        args = parser.parse_args(argv)
    if args.list:
        return 0, _listing(args.lang), ""
    with _argparse_in(lang):
        lines = _lines(args, parser, lang)
    request = {"lang": args.lang, "lines": lines, "compare": args.compare, "case_text": args.case_text}
    if args.page_url is not None:
        request["page_url"] = args.page_url
    result = calculate(request)
    if not result["ok"]:
        messages = []
        for error in result["errors"]:
            several = error["line"] is not None and len(args.tariff) > 1
            where = cli_text("line", lang, number=str(error["line"] + 1)) if several else ""
            messages.append(f"{where}{error['message']}")
        return EXIT_USAGE, "", "\n".join(messages)
    extra = {key: result[key] for key in ("comparisons", "case_text") if key in result}
    if args.json:
        data = {**result["estimate"], **extra}
        return 0, json.dumps(data, ensure_ascii=not _shows_unicode(sys.stdout), indent=2), ""
    parts = [_human(result["estimate"])]
    parts += [_comparison(comparison) for comparison in extra.get("comparisons", [])]
    if "case_text" in extra:
        parts.append(_case_text(extra["case_text"], args.lang))
    return 0, "\n\n".join(parts), ""


def _comparison(comparison: dict) -> str:
    out = [
        f"{option['tariff_label']} — {option['case_label']}: {option['amount_text']}"
        for option in comparison["options"]
    ]
    out += [comparison["summary"], comparison["trend_text"]]
    out += [f"* {note['text']}" for note in comparison["notes"]]
    return "\n".join(out).replace("\u00a0", " ")


def _case_text(message: dict, lang: str) -> str:
    """The message as it is sent: the e-mail's address and subject, or the text to paste; then what to do."""
    out = []
    if message["to"]:
        out.append(f"{case_text_word('to', lang)}: {message['to']}")
    out += [f"{case_text_word('subject-label', lang)}: {message['subject']}", "", message["body"], ""]
    if message["mailto"]:
        out.append(message["mailto"])
    out.append(message["instructions"])
    return "\n".join(out).replace("\u00a0", " ")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = requested_language(argv)
    for stream in (sys.stdout, sys.stderr):
        _prepare(stream)
    try:
        try:
            status, out, err = _run(argv, lang)
        except SystemExit as exit_:  # argparse: --help (0) or a usage error (2), already written
            status, out, err = (exit_.code if isinstance(exit_.code, int) else EXIT_USAGE), "", ""
        if out:
            sys.stdout.write(safe(out) + "\n")
        sys.stdout.flush()
        if err:
            sys.stderr.write(safe(err) + "\n")
            sys.stderr.flush()
    except BrokenPipeError:
        _silence(sys.stdout)
        return EXIT_BROKEN_PIPE
    except OSError as error:
        _silence(sys.stdout)
        with contextlib.suppress(OSError):
            reason = error.strerror or type(error).__name__
            sys.stderr.write(cli_text("output-failed", lang, reason=reason) + "\n")
            sys.stderr.flush()
        return EXIT_OUTPUT_FAILED
    return status
