"""The command line both git-reading tools share (tools/price_diff.py, tools/translations.py)."""

from __future__ import annotations

import argparse


def repo_parser(prog: str, doc: str) -> argparse.ArgumentParser:
    """A parser for `prog` with `--repo`: its description is `doc`'s first paragraph, its epilog the rest as written."""
    summary, _, rest = doc.partition("\n\n")
    parser = argparse.ArgumentParser(
        prog=prog, description=summary, epilog=rest, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repo", default=".", help="a path inside the git work tree (default: here)")
    return parser
