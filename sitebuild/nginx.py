"""deploy/nginx.conf from a built _headers file: the same security and cache headers for nginx."""

from __future__ import annotations

import re

from sitebuild.security_headers import IMMUTABLE, SecurityHeadersError, parse_headers, site_wide

NGINX_TEMPLATE = """\
# Security and cache headers for the terms site, for nginx: the same headers as site/_headers.
# Written by `make headers` (tools/security_headers.py) from a built site/_headers: do not edit it
# by hand; edit deploy/_headers and run `make headers`. A test fails when this file no longer matches
# the build (the CSP hashes change when a template's inline script does).
#
# Include it at the http {{}} level, e.g. /etc/nginx/conf.d/terms.conf, and adapt server_name and root:
# root is the built site/ (make build). For a sub-path such as https://example.com/terms/, build with
# SITE_URL=https://example.com/terms/ and serve site/ there with `location /terms/ {{ alias …/site/; }}`:
# the headers below are set at the server level, so every location inherits them, as long as it sets
# no add_header of its own.

# Content-hashed files (bundle.1a2b3c4d.min.js) never change; everything else is revalidated.
map $uri $terms_cache_control {{
    default                          "no-cache";
    "~\\.[0-9a-f]{{8,}}\\.[^/]*$"        "{immutable}";
{directories}}}

server {{
    listen 80;
    server_name terms.example.com;
    root /srv/terms/site;
    index index.html;
    error_page 404 /404.html;

    # Pyodide's ES modules (.mjs) must be JavaScript, and its WebAssembly application/wasm (streaming
    # compilation refuses anything else: nginx's own mime.types has had wasm since 1.21, so it is not
    # repeated here, which nginx -t would warn about). A types block here replaces the http level's, so
    # the standard table is included first and mjs is added to it.
    include mime.types;
    types {{
        text/javascript   mjs;
    }}
    charset utf-8;
    charset_types text/css text/javascript application/json image/svg+xml;
    # The build writes brotli and gzip copies beside the large assets (the runtime, the snapshot):
    # send those instead of compressing on the fly, which nginx never does for the snapshot's
    # application/octet-stream. brotli_static needs Debian's libnginx-mod-http-brotli-static (its
    # load_module line is in /etc/nginx/modules-enabled/, included by Debian's nginx.conf).
    brotli_static on;
    gzip_static on;
    gzip_vary on;
    gzip on;
    gzip_types text/css text/javascript application/json application/wasm image/svg+xml application/xml;

{headers}
    add_header Cache-Control $terms_cache_control always;

    location / {{
        try_files $uri $uri/ =404;
    }}
}}
"""


def render_nginx(headers_text: str) -> str:
    """deploy/nginx.conf from a built _headers file: its `/*` headers as nginx `add_header` lines."""
    headers = site_wide(parse_headers(headers_text))
    lines = []
    for name, value in headers.items():
        if '"' in value or "\\" in value:
            raise SecurityHeadersError(f"{name}: a double quote or backslash cannot go into an nginx string")
        lines.append(f'    add_header {name} "{value}" always;')
    directories = []
    for path, values in parse_headers(headers_text):
        cache = dict(values).get("Cache-Control")
        if path.endswith("/*") and path != "/*" and cache:
            pattern = f'"~{re.escape(path[:-1])}"'
            directories.append(f'    {pattern:<32} "{cache}";  # {path} in _headers\n')
    return NGINX_TEMPLATE.format(headers="\n".join(lines), immutable=IMMUTABLE, directories="".join(directories))
