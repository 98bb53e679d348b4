"""MkDocs adapter of sitebuild/security_headers.py: site/_headers and the <meta> policy of every page.

Runs after every other post-build step (asset copies, minifiers), so the scan sees the final files.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from sitebuild.security_headers import SecurityHeadersError, add_meta_policies, build_headers


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """Write <site_dir>/_headers once the HTML is final, and the same policy into every page."""
    site_dir = Path(config.site_dir)
    try:
        text = build_headers(site_dir)
        add_meta_policies(site_dir, text)
    except SecurityHeadersError as error:
        raise PluginError(f"sitebuild/security_headers.py: {error}") from None
    (site_dir / "_headers").write_text(text, "utf-8")
