"""Command line for staff and scripts.

    python -m calculator --tariff no-service --case service-case --minutes 130 [--lang nb] [--json]

    python -m calculator --tariff no-service --case service-case --time "2 t 10 min"

--tariff, --case and --time (or --minutes, or --hours) may repeat, one per line, as in the site's links.
--time reads a duration as the site's form does, in the language of --lang ("2:10", "1,5 t", "90 min").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .api import calculate
from .report import case_label, tariff_label
from .tariff import default_tariff
from .texts import DEFAULT_LANGUAGE, LANGUAGES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculator",
        description="Estimate what a support case costs, from the tariff file.",
    )
    parser.add_argument(
        "--tariff", action="append", default=[], help="tariff id, e.g. no-service (repeat for more lines)"
    )
    parser.add_argument("--case", action="append", default=[], help="case id, e.g. service-case (one per --tariff)")
    parser.add_argument(
        "--time", action="append", default=[], help='time as people write it: 2:10, "1,5 t", "90 min" (one per line)'
    )
    parser.add_argument("--minutes", action="append", default=[], help="time in minutes or H:MM (one per line)")
    parser.add_argument("--hours", action="append", default=[], help="time in decimal hours, 1,5 or 1.5 (one per line)")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of texts and errors")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--list", action="store_true", help="list the tariffs and their cases, then exit")
    return parser


def _lines(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[dict[str, str]]:
    count = len(args.tariff)
    if count == 0 or len(args.case) != count:
        parser.error("give one --case for each --tariff")
    if args.time and (args.minutes or args.hours):
        parser.error("give --time, or --minutes/--hours, not both")
    for name in ("time", "minutes", "hours"):
        given = getattr(args, name)
        if given and len(given) != count:
            parser.error(f"give --{name} once per line, or not at all (an empty value is fine: --{name} '')")
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
        rows += [f"    {case.id:<20} {case_label(case, lang)}" for case in book.cases_for(tariff.id)]
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.list:
        print(_listing(args.lang))
        return 0
    result = calculate({"lang": args.lang, "lines": _lines(args, parser)})
    if not result["ok"]:
        for error in result["errors"]:
            where = f"line {error['line'] + 1}: " if error["line"] is not None and len(args.tariff) > 1 else ""
            print(f"{where}{error['message']}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result["estimate"], ensure_ascii=False, indent=2))
    else:
        print(_human(result["estimate"]))
    return 0
