# Everything a fresh machine needs goes through the venv stamp, so `make serve` and `make test` are the
# only two commands a newcomer runs. uv is used when present (much faster); pip otherwise.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: edition serve build check test test-fast bench pdf offline addresses schema lock clean sources stale canary canary-lock new geo maps

$(STAMP): requirements.lock
	$(PY) -m venv $(VENV)
	if command -v uv >/dev/null 2>&1; then \
	  uv pip sync --python $(BIN)/python --require-hashes --compile-bytecode requirements.lock; \
	else \
	  $(BIN)/pip install --quiet --upgrade pip && \
	  $(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock; \
	fi
	touch $@

serve: $(STAMP)  ## live-reloading preview on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --livereload -a 127.0.0.1:8000

build: $(STAMP)  ## the static site in site/
	$(BIN)/mkdocs build --strict

# Three tiers (marks: tests/conftest.py). check: in this process, no build (< 60 s); test-fast: check plus one
# real build of the site and the checks of its HTML (< 3 min); test: everything, browser, serve and canary too.
TIER_CHECK := not build and not site and not serve and not browser and not canary

check: $(STAMP)  ## data, catalog, render, policy, page grammar, broken inputs: in process, no build
	ASEAN_UN_TIER=check $(BIN)/python -m pytest -q -m "$(TIER_CHECK)"

# test-fast and test run on every core (pytest-xdist); a module's tests stay on one worker (--dist loadscope), so
# a module's browser, served site or edition project is set up once. A worker that dies ends the run, failed,
# with its test named: under loadscope xdist would replace it but never give its tests to anyone, and hang.
XDIST := -n auto --dist loadscope --max-worker-restart=0

test-fast: $(STAMP)  ## make check plus one real build of the site and the checks of its HTML
	$(BIN)/python -m pytest -q $(XDIST) -m "not build and not serve and not browser and not canary"

test: $(STAMP)  ## every test: the two tiers above, mini-project builds, serve, browser, engine canary
	bash scripts/system-deps.sh
	$(BIN)/python -m pytest --engines $(XDIST)

sources: $(STAMP)  ## every source-policy problem in the data file at once (the build stops at the first)
	$(BIN)/python -m macros.cli sources data/asean_un.yml

stale: $(STAMP)  ## changing facts (by as_of) and sources (by checked), oldest first: what to re-check
	$(BIN)/python -m macros.cli stale data/asean_un.yml

lock:  ## re-pin requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra test --extra maps --generate-hashes --python-version 3.11.7 -o requirements.lock

# The other engines, each in its own venv under .canary/, installed from its own hashed lock.
.canary/%/.installed: requirements-%.lock
	rm -rf .canary/$*
	$(PY) -m venv .canary/$*
	if command -v uv >/dev/null 2>&1; then \
	  uv pip sync --python .canary/$*/bin/python --require-hashes --compile-bytecode requirements-$*.lock; \
	else \
	  .canary/$*/bin/pip install --quiet --require-hashes --no-deps -r requirements-$*.lock; \
	fi
	touch $@

canary: $(STAMP) .canary/properdocs/.installed .canary/zensical/.installed  ## build with ProperDocs and Zensical too; compare with MkDocs
	$(BIN)/python scripts/canary.py

canary-lock:  ## re-pin requirements-properdocs.lock and requirements-zensical.lock (needs uv)
	for engine in properdocs zensical; do \
	  uv pip compile canary/$$engine.in -c requirements.lock --generate-hashes --python-version 3.11.7 \
	    -o requirements-$$engine.lock; \
	done

clean:
	rm -rf site .cache

schema: $(STAMP)  ## regenerate docs/data/asean_un.schema.json from macros/model.py
	$(BIN)/python -c "from macros.export import json_schema; open('docs/data/asean_un.schema.json','w').write(json_schema())"

offline: $(STAMP)  ## site-offline.zip: the site, search included, working from file://
	cd offline && npm ci --no-audit --no-fund --silent
	mkdir -p docs/assets/iframe-worker
	cp offline/node_modules/iframe-worker/shim/index.js docs/assets/iframe-worker/shim.js
	$(BIN)/mkdocs build --strict -f mkdocs-offline.yml; status=$$?; rm -rf docs/assets/iframe-worker; exit $$status
	rm -f site-offline.zip && cd site-offline && ../$(BIN)/python -m zipfile -c ../site-offline.zip .
	@echo "site-offline.zip: open index.html from the unzipped folder"

pdf: build  ## site.pdf: the whole site as one printable PDF (headless Chromium)
	$(BIN)/python scripts/make_pdf.py site site.pdf

# make new: KIND, ID and NAME reach the script as environment variables, never on a shell command line, so
# quotes, backticks, $(...) or ; in them stay text. `unexport` keeps make from expanding the command-line
# values when it exports them (a $(shell ...) in NAME would run); $(value ...) passes them unexpanded.
unexport KIND ID NAME
new: export NEW_PAGE_KIND = $(value KIND)
new: export NEW_PAGE_ID = $(value ID)
new: export NEW_PAGE_NAME = $(value NAME)
new:  ## scaffold an entity page and its nav entry: make new KIND=institution ID=foo NAME="Foo Organisation"
	$(PY) scripts/new_page.py
geo: $(STAMP)  ## regenerate data/geo/southeast-asia.json (Natural Earth + GeoNames via npm; needs node), then maps.json
	$(BIN)/python scripts/geo/make_geo.py

maps: $(STAMP)  ## regenerate data/geo/maps.json (the maps, projected) from data/geo/southeast-asia.json
	$(BIN)/python scripts/geo/make_geo.py --maps

edition: $(STAMP)  ## cut a dated, permanent copy of the site into editions/DAY/ and commit it: make edition [DAY=YYYY-MM-DD]
	$(BIN)/python scripts/edition.py $(DAY)

addresses: build  ## put every current page address and anchor under contract (tests/addresses.txt)
	$(BIN)/python tests/addresses.py site > tests/addresses.txt
	@echo "tests/addresses.txt: $$(wc -l < tests/addresses.txt) addresses under contract"

# `make bench`: build time next to stock Material, serve reloads, scaling, page weight and Lighthouse.
# Prints a summary and writes report.md/report.json outside the repository (BENCH_OUT=dir to choose where),
# headed by the commit measured. Lighthouse 12.8.2 is pinned in bench/package-lock.json.
bench/node_modules/.package-lock.json: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund
	touch $@

bench: $(STAMP) bench/node_modules/.package-lock.json  ## benchmarks (BENCH_BUDGET=seconds, default 1500)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/run.py
