# The two commands a newcomer needs are `make serve` and `make test`; each sets up what it needs.
# Set-up is file-stamped, so a second run with nothing changed does no work.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
# deploy/nginx.conf serves the build's .br copies with brotli_static, from this Debian module.
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so
HUNSPELL_FILES := /usr/bin/hunspell /usr/share/hunspell/nb_NO.dic /usr/share/hunspell/sv_SE.dic /usr/share/hunspell/en_US.dic
JAVA := /usr/bin/java
FIREFOX := /usr/bin/firefox-esr
WEBKIT_DRIVER := /usr/bin/WebKitWebDriver
XVFB := /usr/bin/Xvfb
AUDIT_STAMP := tools/audit/node_modules/.installed
WHEEL_DIR := build/wheel
WHEEL_STAMP := $(WHEEL_DIR)/.built
SNAPSHOT := build/snapshot/manifest.json
CALCULATOR_SOURCES := $(wildcard calculator/*.py calculator/*.toml) pyproject.toml
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# ESLint over the page's scripts, the Node tools and the Node tests (rules: eslint.config.js).
ESLINT := node_modules/.bin/eslint --max-warnings 0 overrides/assets/js tools tests eslint.config.js
# pytest-xdist workers for `make test`: the browser and build tiers wait on Pyodide, servers and builds,
# so two workers on two cores finish sooner (bench/tried.md); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

.PHONY: help setup build serve serve-static test test-fast bench translations lint format lock clean audit test-js

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV_STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# pip itself first, at the locked version with its locked hashes, then everything else the same way.
	@awk '/^pip==/ {on = 1; print; next} on && /^    / {print; next} {on = 0}' requirements.lock > $(VENV)/pip.lock
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r $(VENV)/pip.lock
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@# The repository root on the venv's path, so the MkDocs hooks and tools/ import sitebuild/ and tools/
	@# (pytest's `pythonpath` does the same for the tests); the wheel itself holds only calculator/.
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "terms-site.pth").write_text(str(pathlib.Path.cwd()) + "\n")'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's packages for the browser tests and the nginx config test; never a browser download.
# Installed only when missing (as root, as on CI).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(NGINX) $(NGINX_BROTLI) &:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx libnginx-mod-http-brotli-static

# Hunspell and its nb, sv and en dictionaries for the spelling check of the built site (tests/build/test_spelling.py).
$(HUNSPELL_FILES) &:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hunspell hunspell-no hunspell-sv hunspell-en-us

# The other two engines of tests/browser/test_engines.py: Firefox ESR (Gecko), and WebKitGTK (Safari's
# family) through its WebDriver, whose MiniBrowser needs a display: Xvfb.
$(FIREFOX):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends firefox-esr

$(WEBKIT_DRIVER) $(XVFB):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends webkit2gtk-driver xvfb

# The Nu HTML Checker runs on Debian's Java.
$(JAVA):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless

# The audit tools (Lighthouse, vnu-jar, pa11y) in their own folder, pinned by tools/audit/package-lock.json.
# pa11y's puppeteer would download a browser of its own: skipped, it drives Debian's Chromium.
$(AUDIT_STAMP): tools/audit/package.json tools/audit/package-lock.json
	cd tools/audit && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The calculator as a pure py3-none-any wheel, built with the standard frontend; Pyodide unpacks it.
# A fixed SOURCE_DATE_EPOCH (1980-01-01, zip's first date): the same sources make the same wheel, so a
# deploy of unchanged code keeps its wheel's URL and readers' cached copies.
$(WHEEL_STAMP): $(CALCULATOR_SOURCES) | $(VENV_STAMP)
	@rm -rf $(WHEEL_DIR) && mkdir -p $(WHEEL_DIR)
	SOURCE_DATE_EPOCH=315532800 $(PY) -m build --wheel --no-isolation --outdir $(WHEEL_DIR) . > $(WHEEL_DIR)/build.log 2>&1 || { cat $(WHEEL_DIR)/build.log; exit 1; }
	@rm -rf build/lib build/bdist.* *.egg-info
	@touch $@

# A memory snapshot of Pyodide with the calculator imported, for a quick start in the browser
# (tools/make_snapshot.mjs checks it answers every vector before writing it; README "Start-up").
# Remade only when the wheel, the pinned Pyodide or the maker changes; brotli -q 11 of it takes a minute.
$(SNAPSHOT): $(WHEEL_STAMP) $(NODE_STAMP) package-lock.json tools/make_snapshot.mjs overrides/assets/js/calculator/sparse.mjs overrides/assets/js/calculator/load-calculator.mjs tests/vectors.json
	node tools/make_snapshot.mjs node_modules/pyodide $$(ls $(WHEEL_DIR)/*.whl) tests/vectors.json build/snapshot
	$(PY) tools/precompress_snapshot.py

setup: $(VENV_STAMP) $(NODE_STAMP) $(WHEEL_STAMP) $(SNAPSHOT) ## create .venv, install pinned dependencies, fetch Pyodide, build the wheel and the snapshot

build: setup ## write the static site to site/
	$(VENV)/bin/mkdocs build --strict --quiet

# The preview rebuilds the wheel itself when calculator/ changes (with the recipe above), and starts the
# calculator cold when the snapshot is for another wheel, so it needs no snapshot (tools/preview.py).
serve: $(VENV_STAMP) $(NODE_STAMP) $(WHEEL_STAMP) ## preview at http://127.0.0.1:8000: follows every change, with the production headers
	$(PY) tools/preview.py --host $(HOST) --port $(PORT) --wheel-command "$(MAKE) --no-print-directory -s $(WHEEL_STAMP)"

serve-static: build ## serve site/ as a production host would (compression, cache headers, CSP); PROFILE=plain|headers acts as GitHub Pages / Netlify
	$(PY) tools/serve.py site --host $(HOST) --port $(PORT) --profile $(or $(PROFILE),precompressed)

test: setup $(CHROMIUM) $(NGINX) $(NGINX_BROTLI) $(HUNSPELL_FILES) $(JAVA) $(AUDIT_STAMP) $(FIREFOX) $(WEBKIT_DRIVER) $(XVFB) ## lint, then every test: native, in Pyodide under Node, and in Chromium, Firefox and WebKit
	$(VENV)/bin/ruff check --quiet . && $(VENV)/bin/ruff format --check --quiet .
	$(ESLINT)
	$(MAKE) --no-print-directory test-js
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: $(VENV_STAMP) ## every unit test (tests/unit/ and the doctests, and the JavaScript unit tests: seconds; no build, browser or git)
	$(PY) -m pytest -m unit $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-js

test-js: $(VENV_STAMP) $(NODE_STAMP) ## the JavaScript unit tests (node --test tests/unit/js; seconds)
	node --test --test-reporter=spec tests/unit/js/*.test.mjs

audit: build $(CHROMIUM) $(JAVA) $(AUDIT_STAMP) ## Lighthouse, the Nu HTML Checker and pa11y on every page; fails on a regression
	$(PY) tools/audit/audit.py

bench: setup $(CHROMIUM) $(NGINX) $(NGINX_BROTLI) ## calculator start-up and bytes against stock Pyodide on every host profile; BENCH_ROUNDS, BENCH_PHONE_ROUNDS, BENCH_HOSTS
	$(PY) tools/bench.py

translations: $(VENV_STAMP) ## which translations need work (stale, missing), then a count; ARGS=--all lists every one
	$(PY) tools/translations.py status $(ARGS)

lint: $(VENV_STAMP) $(NODE_STAMP) ## ruff check and format check, ESLint
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(ESLINT)

format: $(VENV_STAMP) ## format the Python code
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

# pip-compile reads no PEP 735 groups yet: every group of pyproject.toml is written out as its input first.
lock: $(VENV_STAMP) ## re-resolve requirements.lock from pyproject.toml's dependency groups
	@mkdir -p build
	$(PY) -c 'import tomllib; groups = tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]; print(*sorted({d for g in groups.values() for d in g}), sep="\n")' > build/requirements.in
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --no-emit-trusted-host -o requirements.lock build/requirements.in

clean: ## remove built files (keeps .venv and node_modules)
	rm -rf site build .pytest_cache .hypothesis

# --- Staff workflow and deployment (CONTRIBUTING.md) ---------------------------------------------
.PHONY: check-translations headers price-diff
BASE ?= origin/main

check-translations: ## what a pull request checks: translations and change history since BASE (origin/main)
	$(PYTHON) tools/translations.py check --base $(BASE)

price-diff: $(VENV_STAMP) ## per language, every published amount, price-table row and calculator answer that changes since BASE (origin/main)
	@$(PY) tools/price_diff.py --base "$(BASE)"

headers: build ## rewrite deploy/nginx.conf from the built site/_headers (after deploy/_headers or a template changes)
	$(PY) tools/security_headers.py nginx site/_headers deploy/nginx.conf
