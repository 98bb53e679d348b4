"""The site's own stylesheets (mkdocs.yml extra_css) under content-hashed names, cached as immutable.

`assets/css/site.css` is published as `assets/css/site.<sha256[:12]>.css` and the pages link that
name, so a host may let browsers keep it for a year (sitebuild/security_headers.py lists every hashed file
as immutable in _headers and deploy/nginx.conf): a changed stylesheet gets a new name, and a page never
pairs with an old copy. The theme's own CSS and JavaScript already carry a hash in their names.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

# Source name (as written in mkdocs.yml) -> published name; the same in every language build.
_published: dict[str, str] = {}


def hashed_name(path: str, content: bytes) -> str:
    """`assets/css/site.css` -> `assets/css/site.<first 12 hex digits of its sha256>.css`.

    >>> hashed_name("assets/css/site.css", b"body{}")
    'assets/css/site.7c98040a5416.css'
    """
    digest = hashlib.sha256(content).hexdigest()[:12]
    pure = PurePosixPath(path)
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    custom_dir = Path(config.theme.custom_dir or "overrides")
    names = []
    for entry in config.extra_css:
        source = next((src for src, published in _published.items() if published == entry), str(entry))
        file = custom_dir / source
        if source.startswith(("http:", "https:", "/")):
            names.append(entry)
            continue
        if not file.is_file():
            raise PluginError(f"mkdocs.yml: extra_css '{source}' is not a file in {custom_dir}/")
        _published[source] = hashed_name(source, file.read_bytes())
        names.append(_published[source])
    config.extra_css = names
    return config


@event_priority(-80)  # before the security headers hook lists the hashed files (-100)
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    for source, published in _published.items():
        copied = site_dir / source
        if copied.is_file():  # the theme copied it under its source name
            copied.replace(site_dir / published)
