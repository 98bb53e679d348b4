"""Security headers for the built site: site/_headers with a CSP that hashes the templates' inline scripts.

After every build (hooks/publish_headers.py) it reads the policy source, deploy/_headers, replaces its
`{inline-script-hashes}` placeholder with a 'sha256-…' source for each inline script in the built
HTML that one of the site's own templates writes (explicit lists, THEME_TEMPLATES and INLINED_FILES: the theme's few
and the calculator's boot script), appends an immutable-cache rule for each content-hashed file, and
writes the result to <site_dir>/_headers, which Netlify and Cloudflare Pages apply and tools/serve.py
(the tests' server) applies too. It fails the build, naming the page, on any other inline script
(content is text, never code: a script that got into a page from a label or a snippet is never
hashed), and on what the policy would block without saying so: an inline event handler (onclick=…),
a javascript: URL, an inline <style> or style="…" attribute while style-src has no 'unsafe-inline',
or a policy that lets 'unsafe-inline' or 'unsafe-eval' into script-src. A listed template that holds
no inline script any more fails the build too (the theme changed: look at the list again).

The same policy, less what a <meta> policy cannot carry (frame-ancestors), goes into every page as
`<meta http-equiv="Content-Security-Policy">` right after its charset, so a host that sends no custom
headers (GitHub Pages) still protects the pages.

The same headers for nginx: sitebuild/nginx.py, written by `make headers` (tools/security_headers.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "deploy" / "_headers"
NGINX = ROOT / "deploy" / "nginx.conf"
PLACEHOLDER = "{inline-script-hashes}"
IMMUTABLE = "public, max-age=31536000, immutable"
# A content hash in a file name (bundle.1a2b3c4d.min.js): the same rule as tools/serve.py.
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.")
# Script types a browser executes; anything else (application/json, ld+json) is data, not code.
EXECUTABLE_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript"}
# Cloudflare Pages reads at most 100 rules from _headers.
MAX_RULES = 100
# The inline scripts the CSP may hash, by the template that writes them: Material's (looked up in
# overrides/ first, as MkDocs does) and files our templates inline whole. Nothing else is hashed.
THEME_TEMPLATES = (
    "partials/javascripts/base.html",  # __md_scope, __md_get, __md_set: the theme's storage helpers
    "partials/javascripts/palette.html",  # the reader's colour scheme, before the first paint
    "partials/javascripts/content.html",  # the tab a permalink points at
    "main.html",  # ours (overrides/main.html): closes the theme's toggles when Back restores a page
)
INLINED_FILES = ("overrides/assets/js/calculator/boot.js",)  # by overrides/calculator.html, stripped
# A template expression inside a script: what it may expand to (a URL or name, never a quote or tag).
_EXPRESSION = r"[^\"'<>\\\n]*"
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TEMPLATE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)

Rules = list[tuple[str, list[tuple[str, str]]]]


class SecurityHeadersError(Exception):
    """The built site or the policy breaks the security-header rules; the message names the file."""


# --- reading the built HTML ----------------------------------------------------------------------


@dataclass
class PageScan:
    """What one HTML page holds that a Content-Security-Policy cares about."""

    scripts: list[str] = field(default_factory=list)  # bodies of executable inline scripts
    styles: list[str] = field(default_factory=list)  # bodies of inline <style> elements
    style_attributes: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)  # onclick="…" and javascript: URLs


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scan = PageScan()
        self._raw: tuple[str, bool] | None = None  # (tag, executable) while inside <script>/<style>
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.scan.handlers.append(f"<{tag} {name}=…>")
            elif name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.scan.handlers.append(f"<{tag} {name}={value[:40]!r}>")
        if "style" in values and values["style"].strip():
            self.scan.style_attributes.append(f"<{tag} style={values['style'][:60]!r}>")
        if tag == "script" and "src" not in values:
            self._raw = ("script", values.get("type", "").strip().lower() in EXECUTABLE_TYPES)
            self._text = []
        elif tag == "style":
            self._raw = ("style", True)
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._raw is None or tag != self._raw[0]:
            return
        body = "".join(self._text)
        kind, executable = self._raw
        self._raw = None
        if not body:  # an empty inline script never runs, so the policy never checks it
            return
        if kind == "script" and executable:
            self.scan.scripts.append(body)
        elif kind == "style":
            self.scan.styles.append(body)


def scan_html(html: str) -> PageScan:
    """Inline scripts, styles and handlers of one page, as the browser sees them.

    >>> scan = scan_html('<script>a()</script><script src="x.js"></script><script type="application/json">{}</script>')
    >>> scan.scripts
    ['a()']
    >>> scan_html('<button onclick="go()">Go</button>').handlers
    ['<button onclick=…>']
    """
    # The HTML parser normalises newlines before the browser hashes a script: CR LF and CR become LF.
    scanner = _Scanner()
    scanner.feed(html.replace("\r\n", "\n").replace("\r", "\n"))
    scanner.close()
    return scanner.scan


def csp_hash(body: str) -> str:
    """The CSP source for an inline script or style: its SHA-256, base64, in quotes.

    >>> csp_hash("alert(1)")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


# --- the templates' own inline scripts ----------------------------------------------------------


@dataclass(frozen=True)
class TemplateScript:
    """An inline script one of the site's templates writes: where, and its body as a pattern."""

    source: str
    pattern: re.Pattern[str]

    def matches(self, body: str) -> bool:
        return self.pattern.fullmatch(body) is not None


def script_pattern(template_body: str) -> re.Pattern[str]:
    """A template's script body as a pattern: its text exactly, each {{ expression }} a short safe value.

    >>> script_pattern('x=new URL("{{ base_url }}")').fullmatch('x=new URL("../..")') is not None
    True
    >>> script_pattern('x=new URL("{{ base_url }}")').fullmatch('x=new URL("");alert(1)//")') is None
    True
    """
    parts, last = [], 0
    for tag in _JINJA.finditer(template_body):
        parts += [re.escape(template_body[last : tag.start()]), _EXPRESSION if tag.group(0).startswith("{{") else ""]
        last = tag.end()
    parts.append(re.escape(template_body[last:]))
    return re.compile("".join(parts), re.DOTALL)


def _theme_dir() -> Path:
    import material

    return Path(material.__file__).resolve().parent / "templates"


def template_scripts(root: Path = ROOT) -> list[TemplateScript]:
    """Every inline script the listed templates and inlined files write; fails on a stale list."""
    scripts = []
    for name in THEME_TEMPLATES:
        override = root / "overrides" / name
        path = override if override.is_file() else _theme_dir() / name
        if not path.is_file():
            raise SecurityHeadersError(
                f"sitebuild/security_headers.py: THEME_TEMPLATES lists {name}, which the theme lacks"
            )
        found = [
            TemplateScript(f"{name} (the theme)", script_pattern(match.group("body").replace("\r\n", "\n").strip()))
            for match in _TEMPLATE_SCRIPT.finditer(path.read_text("utf-8"))
            if "src=" not in match.group("attrs") and "application/json" not in match.group("attrs")
        ]
        if not found:
            raise SecurityHeadersError(
                f"sitebuild/security_headers.py: THEME_TEMPLATES lists {name}, which holds no inline script any more"
            )
        scripts += found
    for name in INLINED_FILES:
        path = root / name
        if not path.is_file():
            raise SecurityHeadersError(f"sitebuild/security_headers.py: INLINED_FILES lists {name}, which is missing")
        scripts.append(TemplateScript(name, re.compile(re.escape(path.read_text("utf-8").strip()), re.DOTALL)))
    return scripts


# --- the _headers format -------------------------------------------------------------------------


def parse_headers(text: str) -> Rules:
    """The `_headers` format: a path on its own line, then indented `Name: value` lines; # comments."""
    rules: Rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            rules.append((raw.strip(), []))
        elif rules and ":" in raw:
            name, value = raw.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            raise SecurityHeadersError(f"line {number}: expected a path or an indented `Name: value` line: {raw!r}")
    return rules


def render_headers(rules: Rules, preamble: str = "") -> str:
    lines = [preamble.rstrip("\n")] if preamble else []
    for path, headers in rules:
        if lines:
            lines.append("")
        lines.append(path)
        lines.extend(f"  {name}: {value}" for name, value in headers)
    return "\n".join(lines) + "\n"


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: [sources]}, in order."""
    result: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            result[words[0].lower()] = words[1:]
    return result


def site_wide(rules: Rules) -> dict[str, str]:
    """The headers of the `/*` rule, which every response gets."""
    for path, headers in rules:
        if path == "/*":
            return dict(headers)
    raise SecurityHeadersError("deploy/_headers has no `/*` rule: the security headers must apply to every path")


def check_policy(policy: str, where: str) -> None:
    script_src = directives(policy).get("script-src")
    if script_src is None:
        raise SecurityHeadersError(f"{where}: the Content-Security-Policy has no script-src")
    for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"):
        if forbidden in script_src:
            raise SecurityHeadersError(
                f"{where}: script-src must not allow {forbidden}: hash the inline script instead"
            )


# --- the build -----------------------------------------------------------------------------------


@dataclass
class SiteScan:
    script_hashes: list[str]
    immutable: list[str]  # URL paths (from the site root) of content-hashed files


def scan_site(
    site_dir: Path, style_inline_allowed: bool = False, allowed: list[TemplateScript] | None = None
) -> SiteScan:
    """The hash of every inline script the templates write, and every content-hashed file, in a built
    site; fails naming the page on any other inline script, on handlers and on blocked styles."""
    allowed = template_scripts() if allowed is None else allowed
    hashes: set[str] = set()
    problems = []
    for page in sorted(site_dir.rglob("*.html")):
        name = page.relative_to(site_dir).as_posix()
        scan = scan_html(page.read_text("utf-8"))
        for body in scan.scripts:
            if any(script.matches(body) for script in allowed):
                hashes.add(csp_hash(body))
            else:
                problems.append(
                    f"{name}: an inline <script> that no template of the site writes ({body[:60]!r}); a page's "
                    "content is text, never code (list a template's new script in THEME_TEMPLATES or INLINED_FILES)"
                )
        problems += [f"{name}: inline handler {handler} is blocked by the CSP" for handler in scan.handlers]
        if not style_inline_allowed:
            problems += [f"{name}: inline <style> is blocked by style-src 'self'" for _ in scan.styles[:1]]
            problems += [f"{name}: {attr} is blocked by style-src 'self'" for attr in scan.style_attributes[:3]]
    if problems:
        raise SecurityHeadersError(
            "the built HTML holds what the Content-Security-Policy blocks; move it into a file under "
            "overrides/assets/ (a script the site's own templates write inline is hashed):\n  " + "\n  ".join(problems)
        )
    immutable = sorted(
        "/" + path.relative_to(site_dir).as_posix()
        for path in site_dir.rglob("*")
        if path.is_file() and HASHED_NAME.search(path.name) and not path.name.endswith((".html", ".gz", ".br"))
    )
    return SiteScan(script_hashes=sorted(hashes), immutable=immutable)


def build_headers(site_dir: Path, source: Path = SOURCE, allowed: list[TemplateScript] | None = None) -> str:
    """The site's _headers: the policy source with the script hashes filled in, plus immutable rules."""
    if not source.is_file():
        raise SecurityHeadersError(f"{source} is missing: it is the source of the site's security headers")
    text = source.read_text("utf-8")
    rules = parse_headers(text)
    headers = site_wide(rules)
    policy = headers.get("Content-Security-Policy")
    if policy is None or PLACEHOLDER not in policy:
        raise SecurityHeadersError(f"{source}: the `/*` rule needs a Content-Security-Policy with {PLACEHOLDER}")
    style_src = directives(policy).get("style-src", directives(policy).get("default-src", []))
    scan = scan_site(site_dir, style_inline_allowed="'unsafe-inline'" in style_src, allowed=allowed)
    filled = []
    for path, values in rules:
        values = [(n, v.replace(PLACEHOLDER, " ".join(scan.script_hashes)).replace("  ", " ")) for n, v in values]
        filled.append((path, values))
    check_policy(site_wide(filled)["Content-Security-Policy"], str(source))
    listed = {path for path, _ in filled}
    filled += [(path, [("Cache-Control", IMMUTABLE)]) for path in scan.immutable if path not in listed]
    if len(filled) > MAX_RULES:
        raise SecurityHeadersError(
            f"site/_headers would have {len(filled)} rules; Cloudflare Pages reads only {MAX_RULES}"
        )
    preamble = (
        "# Written by sitebuild/security_headers.py from deploy/_headers at build time: edit that file.\n"
        "# Netlify and Cloudflare Pages apply these headers; GitHub Pages ignores this file."
    )
    return render_headers(filled, preamble)


# What a <meta http-equiv> policy cannot carry (CSP Level 3, "delivery via meta"): browsers ignore them
# there, with a console warning. X-Frame-Options: DENY still covers framing where headers are sent.
META_IGNORED = ("frame-ancestors", "report-uri", "report-to", "sandbox")
_META_CSP = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', re.IGNORECASE)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)


def meta_policy(policy: str) -> str:
    """The header's policy without the directives a <meta> policy cannot carry."""
    return "; ".join(
        " ".join([name, *sources]) for name, sources in directives(policy).items() if name not in META_IGNORED
    )


def with_meta_policy(html: str, policy: str) -> str:
    """The page with ``<meta http-equiv="Content-Security-Policy">`` first in <head>, right after its charset.

    A meta policy covers only what comes after it, so it goes before every script and stylesheet; one
    already there (an earlier build of the same folder) is replaced. Raises SecurityHeadersError for a
    page without <meta charset> or <head>.
    """
    import html as html_module

    tag = f'<meta http-equiv="Content-Security-Policy" content="{html_module.escape(policy, quote=True)}">'
    html = _META_CSP.sub("", html, count=1)
    charset = _CHARSET.search(html)
    if charset:
        return f"{html[: charset.end()]}\n    {tag}{html[charset.end() :]}"
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head is None:
        raise SecurityHeadersError("a page has no <head> to carry its Content-Security-Policy")
    return f"{html[: head.end()]}{tag}{html[head.end() :]}"


def add_meta_policies(site_dir: Path, headers_text: str) -> int:
    """Put the site-wide policy of ``headers_text`` into every page of ``site_dir`` as a <meta> policy.

    So the pages are protected where no header can be sent (GitHub Pages). Returns the page count.
    """
    policy = meta_policy(site_wide(parse_headers(headers_text))["Content-Security-Policy"])
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        try:
            page.write_text(with_meta_policy(page.read_text("utf-8"), policy), "utf-8")
        except SecurityHeadersError as error:
            raise SecurityHeadersError(f"{page.relative_to(site_dir).as_posix()}: {error}") from None
    return len(pages)
