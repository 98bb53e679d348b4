"""MkDocs adapter of sitebuild/pyodide_assets.py: the Pyodide runtime, the calculator wheel and its snapshot.

on_config checks every input before a page renders and starts compressing in a worker thread, so brotli
runs while MkDocs renders; on_post_build waits for it and copies everything into the site.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from sitebuild.pyodide_assets import (
    Compressed,
    copy_decoder_into_site,
    copy_into_site,
    find_brotli_decoder,
    find_runtime,
    find_snapshot,
    find_wheel,
    precompress,
    precompress_off,
)

# The one piece of state between the two events (`mkdocs serve` rebuilds reuse it when the inputs are the same):
# the inputs compressed and the pending result.
_pending: tuple[tuple, Future[Compressed]] | None = None
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyodide-precompress")


def _precompression(runtime, snapshot) -> Future[Compressed]:
    global _pending
    if _pending is None or _pending[0] != (runtime, snapshot):
        _pending = ((runtime, snapshot), _executor.submit(precompress, runtime, snapshot))
    return _pending[1]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the inputs before anything is rendered, and start compressing the runtime."""
    runtime = find_runtime()
    snapshot = find_snapshot(runtime=runtime, wheel=find_wheel())
    if not precompress_off():
        _precompression(runtime, snapshot)
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """Copy the runtime (with its .br/.gz copies), the wheel and the snapshot into the site."""
    runtime, wheel = find_runtime(), find_wheel()
    snapshot = find_snapshot(runtime=runtime, wheel=wheel)
    compressed = {} if precompress_off() else _precompression(runtime, snapshot).result()
    copy_into_site(Path(config.site_dir), runtime, wheel, snapshot, compressed)
    if snapshot is not None and not precompress_off():
        copy_decoder_into_site(Path(config.site_dir), find_brotli_decoder())
