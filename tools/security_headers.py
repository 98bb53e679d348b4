"""Write deploy/nginx.conf from a built site/_headers (`make headers`):

python tools/security_headers.py nginx site/_headers deploy/nginx.conf
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from sitebuild.nginx import render_nginx


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3 or args[0] != "nginx":
        print(__doc__.rsplit("\n\n", 1)[1].strip(), file=sys.stderr)
        return 2
    built, target = Path(args[1]), Path(args[2])
    if not built.is_file():
        print(f"{built} is missing: run `make build` first", file=sys.stderr)
        return 1
    target.write_text(render_nginx(built.read_text("utf-8")), "utf-8")
    print(f"wrote {target} from {built}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
