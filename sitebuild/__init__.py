"""Build-time code of the site, kept apart from the MkDocs hooks that call it (hooks/ holds thin adapters).

- ``security_headers``: the ``_headers`` format, the Content-Security-Policy scan and the <meta> policy;
- ``nginx``: deploy/nginx.conf from a built ``_headers``;
- ``pyodide_assets``: the Pyodide runtime, the calculator wheel and snapshot: found, checked, precompressed;
- ``page_data``: what each page's template needs of the calculator;
- ``site_words``: the site's own texts (not the calculator's) in every language.

Not part of the calculator wheel: the browser never downloads it.
"""
