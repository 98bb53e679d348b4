"""`--strict` wins over `--quiet`: with both, warnings are still shown and still fail the build.

MkDocs 1.6's `--quiet` raises the `mkdocs` logger to ERROR, so a warning (a broken link or anchor, a
page missing from the nav) is never logged, strict mode never counts it, and the build passes
(mkdocs/mkdocs#4126, fix proposed in #4153). `make build` and the tests build with
`--strict --quiet`; this hook brings the logger back to WARNING when the build is strict, so quiet
still hides the INFO lines and strict still means zero warnings.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority


@event_priority(100)  # before any other plugin can warn
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    logger = logging.getLogger("mkdocs")
    if config.strict and logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    return config
