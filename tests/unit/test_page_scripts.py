"""The build's side of the calculator page's scripts: which modules the page preloads, and the query format."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from sitebuild.page_data import SCRIPTS, hashed_modules, static_imports
from sitebuild.query_format import LINE_KEYS, TYPED_TIME_KEY, page_data, query_string


def test_the_page_preloads_every_module_main_js_imports_and_no_worker_module():
    preloaded = static_imports("main.js")
    assert {"state.js", "view.js", "channel.js", "protocol.js", "startup.js", "links.js"} <= set(preloaded)
    assert not {"worker.js", "snapshot-cache.js", "sparse.mjs", "boot.js", "main.js"} & set(preloaded)
    # Every relative import of a preloaded module is itself preloaded (nothing is fetched one level later).
    for name in ["main.js", *preloaded]:
        for imported in re.findall(r"""from\s*["']\./([\w-]+\.m?js)["']""", (SCRIPTS / name).read_text("utf-8")):
            assert imported in preloaded, f"{name} imports {imported}"


def test_every_module_gets_a_hashed_name():
    modules = hashed_modules()
    assert set(modules) == {path.name for path in SCRIPTS.glob("*.*js")} - {"boot.js"}
    for name, (hashed, _) in modules.items():
        stem, _, extension = name.rpartition(".")
        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{extension}", hashed)


def test_the_query_string_repeats_the_keys_line_by_line():
    lines = [
        {"tariff": "no-service", "case": "service-case", "minutes": "130"},
        {"tariff": "no-support", "case": "general-support", "minutes": ""},
    ]
    query = query_string(lines)
    assert query == "tariff=no-service&case=service-case&minutes=130&tariff=no-support&case=general-support&minutes="
    assert parse_qsl(query, keep_blank_values=True)[:3] == [(key, lines[0][key]) for key in LINE_KEYS]


def test_the_page_reads_the_same_description():
    assert page_data() == {"lineKeys": list(LINE_KEYS), "typedTimeKey": TYPED_TIME_KEY}
    # The form's fields carry those names, so a form sent without the script fits the format.
    template = (SCRIPTS.parents[2] / "calculator.html").read_text("utf-8")
    for part, key in (("tariff", LINE_KEYS[0]), ("case", LINE_KEYS[1]), ("time-input", TYPED_TIME_KEY)):
        assert f'data-part="{part}" name="{key}"' in template
