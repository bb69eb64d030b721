# Samenscan. Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 5000
# Test processes (pytest-xdist): two per core, because much of a browser or live-server
# test is waiting, not computing (on 2 cores: 8 min 41 s with 4 workers against 12 min
# 53 s with 2); idle workers steal tests. TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) * 2 )))

.PHONY: install run test lint check translations browser bench bench-phone lighthouse clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The demo database lives in instance/; `scan demo` leaves an existing demo alone.
run: install
	$(BIN)/scan init-db
	$(BIN)/scan demo
	$(BIN)/scan run --host $(HOST) --port $(PORT)

# Browser tests need Debian's Chromium, and poppler-utils (pdftotext, pdfinfo) to read the
# reports it prints, and zbar-tools (zbarimg) to decode the QR codes Chromium draws; the
# shared-throttling test starts Debian's redis-server. Install what is missing when we
# may (root with apt-get).
browser:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing=" chromium fonts-dejavu-core"; \
	{ command -v pdftotext && command -v pdfinfo; } >/dev/null || missing="$$missing poppler-utils"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing for the browser tests: install the Debian packages$$missing."; fi; \
	fi

test: install browser
	$(BIN)/scan check
	$(BIN)/ruff check scan tests bench
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

lint: install
	$(BIN)/ruff check scan tests bench

check: install
	$(BIN)/scan check

# After changing user-facing text: update the catalogue, translate, compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header -w 100 -o scan/translations/messages.pot .
	$(BIN)/pybabel update -i scan/translations/messages.pot -d scan/translations -w 100
	$(BIN)/pybabel compile -d scan/translations --statistics

# The benchmark, one run: the server beside its yardstick (bench/run.sh: gunicorn, wrk,
# Redis for throttling), then phones (bench/phone.py: Lighthouse 12.2.3 from npm, into
# bench/node_modules, not committed, with Debian's Chromium on the demo's pages); both
# tables go into docs/performance.md together (bench/record.py). Not part of `make test`.
LIGHTHOUSE_VERSION := 12.2.3
bench: install browser lighthouse
	bash bench/run.sh
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/phone.py
	$(BIN)/python bench/record.py

# The phones' part alone (prints its table; docs/performance.md takes only whole runs).
bench-phone: install browser lighthouse
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/phone.py

lighthouse:
	@grep -qs '"version": "$(LIGHTHOUSE_VERSION)"' bench/node_modules/lighthouse/package.json || \
	  (cd bench && PUPPETEER_SKIP_DOWNLOAD=1 npm i -E --no-save --no-package-lock --no-audit \
	    --no-fund lighthouse@$(LIGHTHOUSE_VERSION))

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
