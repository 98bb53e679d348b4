"""`make setup`: compress a new calculator snapshot once (brotli -q 11, about a minute), so `make build` stays quick."""

from __future__ import annotations

import sys

from sitebuild.pyodide_assets import ROOT, find_snapshot, precompress_snapshot


def main(argv: list[str]) -> int:
    if argv:
        print("usage: python tools/precompress_snapshot.py", file=sys.stderr)
        return 2
    made = find_snapshot()
    if made is not None:
        for path in precompress_snapshot(made).values():
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
