"""What each page's template needs of the calculator, computed at build time (hooks/page_context.py passes it on).

Every other page gets ``calculator_warm`` (warm_on_intent): what to prefetch once a reader heads for the calculator.

For each language's calculator page it gives the template one ``calculator`` object with

- the form's options from the tariff file: every tariff, and for each the cases it offers, in the
  page's language, with ``uses_time`` so the form can hide the time fields where time is not used;
- the default lines and their estimate, computed by the very same ``calculator`` package that the
  browser runs in Pyodide, so the first paint already shows a correct result;
- the form's texts from the ``[ui]`` section of calculator/messages.toml;
- ``config``: the JSON the page's JavaScript reads from ``<script id="calculator-config">``, with every
  URL relative to the page (so the site works under a sub-path) and the Pyodide/wheel locations that
  sitebuild/pyodide_assets.py copies into the site.

It also lists the calculator's heading first in the page's table of contents. Any problem (an unknown
template language, a default line the tariff file no longer offers, a missing text) fails the build
with a message that names it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import normalize_url

import calculator
from calculator import texts as calculator_texts
from calculator.report import tariff_label
from sitebuild.pyodide_assets import (
    Runtime,
    Snapshot,
    Wheel,
    find_brotli_decoder,
    find_runtime,
    find_snapshot,
    find_wheel,
    precompress_off,
)
from sitebuild.query_format import page_data as query_format
from sitebuild.query_format import query_string

__all__ = [
    "DEFAULT_LINES",
    "TEMPLATE",
    "build_calculator",
    "calculator_pages",
    "check_every_language",
    "hashed_modules",
    "list_in_toc",
    "page_language",
    "ui_texts",
    "warm_on_intent",
    "write_hashed_modules",
]

TEMPLATE = "calculator.html"
ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "overrides" / "assets" / "js" / "calculator"
STYLESHEET = ROOT / "overrides" / "assets" / "css" / "calculator.css"
SECTION_ID = "calculator"
# How long the page waits for a sign of life from the worker (a byte downloaded, a start-up stage)
# before it says the calculator cannot start (the issue allows 15 s); bytes still arriving reset it.
LOAD_TIMEOUT_MS = 10_000

# The example a reader sees before typing anything: a typical case of the page's market. The form shows
# its agreement and case with an empty time field (the field holds only what the reader types); the
# estimate for these minutes is labelled as an example until the reader changes something.
DEFAULT_LINES: dict[str, list[dict[str, str]]] = {
    "nb": [{"tariff": "no-service", "case": "service-case", "minutes": "90"}],
    "sv": [{"tariff": "se-lower-rate", "case": "third-party-ticket", "minutes": "20"}],
    "en": [{"tariff": "no-service", "case": "service-case", "minutes": "90"}],
}


def _fail(message: str) -> PluginError:
    return PluginError(f"sitebuild/page_data.py: {message}")


def ui_texts(lang: str) -> dict[str, str]:
    """The ``[ui]`` texts of calculator/messages.toml in one language (calculator.texts.ui_texts)."""
    try:
        return calculator_texts.ui_texts(lang)
    except (KeyError, ValueError) as error:  # a section or a language missing: the package's data is broken
        raise _fail(f"calculator/messages.toml: no [ui] texts for '{lang}': {error}") from None


def _options(lang: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    book = calculator.default_tariff()
    tariffs = [
        {"id": tariff.id, "label": tariff_label(tariff, lang), "cases": [case.id for case in book.cases_for(tariff.id)]}
        for tariff in book.tariffs.values()
    ]
    cases = {case.id: {"label": case.label[lang], "uses_time": case.uses_time} for case in book.cases.values()}
    return tariffs, cases


# The comparison the page's script clones its comparison markup from (any line of a mapped case will do).
TEMPLATE_COMPARISON_LINE = {"tariff": "no-service", "case": "service-case", "minutes": "50"}
# The send-a-case page, linked from the calculator's "send the case" part (and back: docs/*/send-a-case.md).
SEND_PAGE = "send-a-case/"


def _example(lang: str, page_url: str | None = None) -> dict[str, Any]:
    """The example's whole answer: estimate, comparisons and case text, as the page's script asks for it."""
    request = {"lang": lang, "lines": DEFAULT_LINES[lang], "compare": True, "case_text": True}
    if page_url:
        request["page_url"] = page_url
    return calculator.calculate(request)


def _template_comparison(lang: str) -> dict[str, Any]:
    response = calculator.calculate({"lang": lang, "lines": [TEMPLATE_COMPARISON_LINE], "compare": True})
    if not response["ok"] or len(response["comparisons"]) != 1:
        raise _fail(f"TEMPLATE_COMPARISON_LINE {TEMPLATE_COMPARISON_LINE} has no comparison in calculator/tariff.toml")
    return response["comparisons"][0]


def _default_estimate(lang: str) -> dict[str, Any]:
    lines = DEFAULT_LINES[lang]
    response = calculator.calculate({"lang": lang, "lines": lines})
    if not response["ok"]:
        problems = "; ".join(f"{error['code']} ({error['field']})" for error in response["errors"])
        raise _fail(f"the default lines for '{lang}' no longer price cleanly: {problems}; update DEFAULT_LINES")
    return response["estimate"]


def _asset_version() -> str:
    """A short hash of the page's own scripts and stylesheet, appended to their URLs as ?v=."""
    digest = hashlib.sha256()
    for path in [*sorted(SCRIPTS.glob("*.*js")), SCRIPTS.parent / "warm-calculator.js", STYLESHEET]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


# A relative import of one of the calculator's modules: `from "./x.js"`, `import "./x.js"`, `import("./x.mjs")`.
_MODULE_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])\./([\w-]+\.m?js)\2""")


def hashed_modules() -> dict[str, tuple[str, str]]:
    """The calculator's modules under content-hashed names: ``{"main.js": ("main.0123456789ab.js", text)}``.

    Each module's relative imports are rewritten to the hashed names of what they import, and its own
    name carries the hash of that rewritten text, so a name changes whenever anything it imports does.
    Published beside the originals (on_post_build) and cached as immutable, a page can never run a new
    main.js with an old cached state.js. boot.js is inlined, not imported, and keeps its name (main.js
    loads that file only where a policy blocks the inline copy). Fails the build naming a module that
    imports one that does not exist, or a cycle.
    """
    sources = {path.name: path.read_text("utf-8") for path in sorted(SCRIPTS.glob("*.*js")) if path.name != "boot.js"}
    done: dict[str, tuple[str, str]] = {}

    def visit(name: str, importers: tuple[str, ...]) -> str:
        if name in done:
            return done[name][0]
        if name in importers:
            raise _fail(f"{SCRIPTS.relative_to(ROOT)}: modules import in a cycle: {' → '.join((*importers, name))}")
        if name not in sources:
            raise _fail(f"{SCRIPTS.relative_to(ROOT) / importers[-1]} imports ./{name}, which does not exist")

        def rewrite(match: re.Match[str]) -> str:
            return f"{match[1]}{match[2]}./{visit(match[3], (*importers, name))}{match[2]}"

        text = _MODULE_IMPORT.sub(rewrite, sources[name])
        stem, _, extension = name.rpartition(".")
        done[name] = (f"{stem}.{hashlib.sha256(text.encode()).hexdigest()[:12]}.{extension}", text)
        return done[name][0]

    for name in sources:
        visit(name, ())
    return done


def static_imports(entry: str = "main.js") -> list[str]:
    """Every module ``entry`` imports statically, directly or not, in a stable order (``entry`` left out).

    The page preloads these (<link rel="modulepreload">) so the browser fetches them with ``entry``, not
    one level of imports after another. Dynamic ``import()`` is left out (loaded when needed).
    """
    found: list[str] = []

    def visit(name: str) -> None:
        text = (SCRIPTS / name).read_text("utf-8")
        for match in _MODULE_IMPORT.finditer(text):
            if "(" in match[1] or match[3] in found:
                continue
            found.append(match[3])
            visit(match[3])

    visit(entry)
    return sorted(found)


def boot_script() -> str:
    """boot.js, to be inlined in <head>: it starts the worker before anything else on the page loads."""
    text = (SCRIPTS / "boot.js").read_text("utf-8").strip()
    if "</script" in text.lower():
        raise _fail(f"{SCRIPTS / 'boot.js'}: it is inlined in a <script> element and must not contain '</script'")
    return text


def _form_lines(lang: str) -> list[dict[str, str]]:
    """The form's first lines: the example's agreement and case, and an empty time field."""
    return [{"tariff": line["tariff"], "case": line["case"], "time": ""} for line in DEFAULT_LINES[lang]]


def _download_bytes(runtime: Runtime, wheel: Wheel, snapshot: Snapshot | None) -> dict[str, int | None]:
    """Bytes the worker fetches for a start from the snapshot and for a cold start (None: no snapshot).

    Counted as worker.js counts them: every file it or Pyodide fetches, decoded (the runtime's
    JavaScript is imported, not fetched, so it is not among them).
    """
    wasm = (runtime.source / "pyodide.asm.wasm").stat().st_size
    cold = wasm + sum((runtime.source / name).stat().st_size for name in ("python_stdlib.zip", "pyodide-lock.json"))
    cold += wheel.path.stat().st_size
    quick = None if snapshot is None else wasm + snapshot.path.stat().st_size + snapshot.stdlib.stat().st_size
    return {"snapshot": quick, "cold": cold}


def _decoder_urls(snapshot: Snapshot) -> dict[str, str]:
    decoder = find_brotli_decoder()
    base = posixpath.dirname(snapshot.site_path)
    return {
        "moduleURL": posixpath.relpath(decoder.module_site_path, base),
        "wasmURL": posixpath.relpath(decoder.wasm_site_path, base),
    }


def _mail_fallback() -> str:
    """mailto: the first market that takes cases by e-mail (calculator/tariff.toml [[market]]), or ""."""
    emails = [market.email for market in calculator.default_tariff().markets.values() if market.email]
    return f"mailto:{emails[0]}" if emails else ""


def build_calculator(
    lang: str, page: Page | None = None, base_url: str = "", company: str = "", site_url: str = ""
) -> dict[str, Any]:
    """Everything the template and the page's script need for one language."""
    if lang not in calculator.LANGUAGES:
        raise _fail(f"the calculator page's language '{lang}' is not one of {', '.join(calculator.LANGUAGES)}")
    texts = ui_texts(lang)
    tariffs, cases = _options(lang)
    runtime, wheel = find_runtime(), find_wheel()
    snapshot = find_snapshot(runtime=runtime, wheel=wheel)
    version = _asset_version()
    modules = hashed_modules()

    def url(path: str) -> str:
        return normalize_url(path, page=page, base=base_url)

    lines = _form_lines(lang)
    config = {
        "lang": lang,
        "texts": texts,
        "tariffs": tariffs,
        "cases": cases,
        "defaultLines": lines,
        # The example's own lines (minutes): Python computes them once it is ready, to confirm the
        # build's example, until the reader gives input of their own.
        "exampleLines": [dict(line) for line in DEFAULT_LINES[lang]],
        "maxLines": calculator.MAX_LINES,
        # How the lines travel in the URL (sitebuild/query_format.py owns it; state.js reads it).
        "queryFormat": query_format(),
        "loadTimeoutMs": LOAD_TIMEOUT_MS,
        "workerURL": url(f"assets/js/calculator/{modules['worker.js'][0]}"),
        "pyodideURL": url(runtime.site_dir),
        "wheelURL": url(wheel.site_path),
        "pyodideVersion": runtime.version,
        "wheelSHA256": wheel.sha256,
        # What the worker downloads to start, in bytes as it reads them (decoded): the page shows its
        # progress in megabytes against these.
        "downloadBytes": _download_bytes(runtime, wheel, snapshot),
        # A memory image of Python with the calculator imported (sitebuild/pyodide_assets.py): find_snapshot
        # fails the build unless it was made for this very runtime and wheel, so the page need not check.
        "snapshot": None
        if snapshot is None
        else {
            "url": url(snapshot.site_path),
            # Its gzip copy, relative to url: the worker fetches it as a file where the host does not
            # compress the snapshot itself (a plain host: GitHub Pages). None without the copies.
            "gzipURL": None if precompress_off() else f"{Path(snapshot.site_path).name}.gz",
            # Where the host sends it as it is: its brotli copy and the runtime's .wasm's, fetched as files
            # and decoded in the worker by the pinned brotli-dec-wasm (smaller than the gzip copy). Its
            # files' URLs are relative to url, like gzipURL.
            "brotliDecoder": None if precompress_off() else _decoder_urls(snapshot),
            "stdlibURL": url(snapshot.stdlib_site_path),
            "sha256": snapshot.sha256,
            "lockInfo": snapshot.lock_info,
        },
    }
    page_url = site_url.rstrip("/") + "/" + page.url if site_url and page is not None else None
    example = _example(lang, page_url)
    return {
        "lang": lang,
        "texts": texts,
        "tariffs": tariffs,
        "cases": cases,
        "lines": lines,
        "estimate": _default_estimate(lang),
        "comparisons": example["comparisons"],
        "template_comparison": _template_comparison(lang),
        "case_text": example["case_text"],
        "send_page_url": url(_send_page(lang)),
        # The mail link's address while the estimate is for a market that registers cases on a website
        # (the link is hidden then, but keeps a real address: an <a> without one is no link).
        "mail_fallback": _mail_fallback(),
        "query": query_string(DEFAULT_LINES[lang]),
        "company": company,
        "section_id": SECTION_ID,
        "script_url": url(f"assets/js/calculator/{modules['main.js'][0]}"),
        # main.js's own imports, fetched with it rather than after it has been parsed, under the hashed
        # names main.js imports them by. The worker is already on its way (boot.js).
        "modulepreload": [url(f"assets/js/calculator/{modules[name][0]}") for name in static_imports("main.js")],
        "boot_script": boot_script(),
        "stylesheet_url": url("assets/css/calculator.css") + f"?v={version}",
        "config": config,
    }


def _send_page(lang: str) -> str:
    return SEND_PAGE if lang == calculator.DEFAULT_LANGUAGE else f"{lang}/{SEND_PAGE}"


def page_language(context: dict[str, Any], config: MkDocsConfig) -> str:
    # mkdocs-static-i18n puts the language being built into the context; the theme's language agrees.
    return str(context.get("i18n_page_locale") or config.theme.get("language") or calculator.DEFAULT_LANGUAGE)


def list_in_toc(page: Page, title: str) -> None:
    """Put the calculator's heading first in the table of contents (under the page title, if any)."""
    items = page.toc.items
    if any(item.id == SECTION_ID for item in items):
        return
    link = AnchorLink(title, SECTION_ID, 2)
    if items and items[0].level == 1:
        items[0].children.insert(0, link)
    else:
        items.insert(0, link)


def check_every_language() -> None:
    """Check every language's defaults and texts (before anything is rendered); raises PluginError."""
    for lang in calculator.LANGUAGES:
        ui_texts(lang)
        _default_estimate(lang)
        _template_comparison(lang)


def warm_on_intent(page: Page | None, base_url: str, calculator_pages: list[str]) -> dict[str, Any]:
    """For other pages: what assets/js/warm-calculator.js prefetches once a reader heads for the calculator."""
    runtime, wheel = find_runtime(), find_wheel()
    snapshot = find_snapshot(runtime=runtime, wheel=wheel)

    def url(path: str) -> str:
        return normalize_url(path, page=page, base=base_url)

    files = [runtime.site_dir + name for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")]
    files += [snapshot.site_path] if snapshot is not None else [runtime.site_dir + "python_stdlib.zip", wheel.site_path]
    return {
        "pages": [url(path) for path in calculator_pages],
        "urls": [url(path) for path in files],
        "script": url("assets/js/warm-calculator.js") + f"?v={_asset_version()}",
    }


def calculator_pages(config: MkDocsConfig, nav: Navigation) -> list[str]:
    return sorted({page.url for page in nav.pages if page.meta.get("template") == TEMPLATE} | {"calculator/"})


def write_hashed_modules(site_dir: Path) -> None:
    """Publish the calculator's modules under their content-hashed names (hashed_modules)."""
    target = site_dir / "assets" / "js" / "calculator"
    target.mkdir(parents=True, exist_ok=True)
    for hashed_name, text in hashed_modules().values():
        (target / hashed_name).write_text(text, "utf-8")
