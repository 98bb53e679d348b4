"""What the theme writes outside any template block, made valid HTML (the Nu HTML Checker's errors).

Material's base template writes its two toggles, `<input type="checkbox" ... autocomplete="off">` for
the side menu and the search, directly in <body>, where no block can override them. HTML allows
`autocomplete` on text-like inputs only, so the Nu checker rejects it on a checkbox. The theme puts it
there so that a browser restoring form state on "Back" does not reopen the menu or the search; the
page's inline script in overrides/main.html (block extrahead) closes both on `pageshow` instead.
"""

from __future__ import annotations

import re

# The toggles exactly as mkdocs-material 9.8.1 writes them; after a theme upgrade that no longer does,
# this finds nothing and changes nothing (tests/audit/test_audit.py runs the Nu checker either way).
_TOGGLE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__\w+") autocomplete="off">'
)


def without_toggle_autocomplete(html: str) -> str:
    """The page with `autocomplete="off"` dropped from the theme's two checkbox toggles.

    >>> toggle = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"'
    >>> without_toggle_autocomplete(toggle + ' autocomplete="off">') == toggle + ">"
    True
    """
    return _TOGGLE.sub(r"\1>", html)


def on_post_page(output: str, **kwargs) -> str:
    return without_toggle_autocomplete(output)


def on_post_template(output_content: str, template_name: str, **kwargs) -> str:
    return without_toggle_autocomplete(output_content) if template_name.endswith(".html") else output_content
