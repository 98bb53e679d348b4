"""Debian's Chromium as the tests and `make bench` drive it: its flags, and the calculator's kept snapshots."""

from __future__ import annotations

import time

CHROMIUM = "/usr/bin/chromium"
# The flags this workplace's closed network needs, and no browser download: Debian's Chromium only.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The snapshots the calculator's worker has kept in the origin private file system
# (overrides/assets/js/calculator/snapshot-cache.js), leaving out one still being written.
KEPT_SNAPSHOTS_JS = """async () => {
  try {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle("calculator-snapshot");
    const names = [];
    for await (const name of folder.keys()) if (!name.endsWith(".partial")) names.push(name);
    return names;
  } catch (error) { return []; }
}"""


def wait_until_kept(page, timeout_ms: float) -> list[str]:
    """The kept snapshots' names once the worker has written one (3 s after its start), or [] at the deadline."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not (names := page.evaluate(KEPT_SNAPSHOTS_JS)) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return names
