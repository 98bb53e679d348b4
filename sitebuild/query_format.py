"""The calculator page's query string, described once: the build writes it, the page's script reads it.

``?tariff=no-service&case=service-case&minutes=130``: the three keys repeated in line order, one group
per line of the estimate. ``minutes`` is a plain decimal number of minutes ("130", "92.5"); a form sent
without the script puts the time field as typed under ``time`` instead. The keys are a public contract
(links in the terms, bookmarks, shared estimates): extend, never rename.

Python owns the format because the build writes these links first (directives.py in the price tables,
sitebuild/page_data.py for the page's own example); the page's script (state.js) reads the same description
from the page's configuration (``config.queryFormat``, see ``page_data``), so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

# The keys of one line, in the order each line writes them.
LINE_KEYS = ("tariff", "case", "minutes")
# The time field's name in the form: a form sent without the script sends the time as typed.
TYPED_TIME_KEY = "time"


def query_string(lines: Iterable[Mapping[str, object]]) -> str:
    """The query string (without "?") for lines of ``{"tariff", "case", "minutes"}``, in line order.

    >>> query_string([{"tariff": "no-service", "case": "service-case", "minutes": "130"}])
    'tariff=no-service&case=service-case&minutes=130'
    """
    return urlencode([(key, str(line[key])) for line in lines for key in LINE_KEYS])


def page_data() -> dict[str, object]:
    """The description the page's script reads (state.js): ``{"lineKeys": [...], "typedTimeKey": "time"}``."""
    return {"lineKeys": list(LINE_KEYS), "typedTimeKey": TYPED_TIME_KEY}
