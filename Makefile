# Two commands matter: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3.11
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
RUN := $(UV) run --frozen
CHROMIUM := /usr/bin/chromium
PG_TEST := AFTERCARE_DB=postgres AFTERCARE_DB_NAME=aftercare AFTERCARE_DB_HOST=127.0.0.1

.PHONY: demo test test-fast test-postgres lint format browser-deps pdf-deps install serve clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: .venv/.synced

demo: install pdf-deps
	$(RUN) aftercare demo

serve: install pdf-deps
	$(RUN) aftercare serve

browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Browser tests need Debian's Chromium at $(CHROMIUM): run 'sudo apt-get install chromium'"; \
	    exit 1; \
	  fi; \
	fi

# WeasyPrint (PDF discharge sheets and reports) loads these system libraries.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps:
	@if ! ldconfig -p | grep -q libpangoft2-1.0.so.0 || ! ldconfig -p | grep -q libharfbuzz-subset.so.0; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing the libraries WeasyPrint needs for PDFs..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES); \
	  else \
	    echo "PDFs need these Debian packages: sudo apt-get install $(PDF_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

# The whole suite on SQLite, browser journeys included.
test: install browser-deps pdf-deps
	$(RUN) pytest

test-fast: install pdf-deps
	$(RUN) pytest -m "not browser"

test-postgres: install browser-deps pdf-deps
	$(PG_TEST) $(RUN) pytest

lint: install
	DJANGO_SETTINGS_MODULE=aftercare.test_settings $(RUN) aftercare content check
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

clean:
	rm -rf .venv $(TOOLS) var
