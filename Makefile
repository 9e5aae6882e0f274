# The two commands: `make run` (set up and run Dravo) and `make test` (set up and run the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DRAVO_DEBUG ?= 1
export DRAVO_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test setup chromium lint schema clean

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py demo_setup
	PATH=$(CURDIR)/$(BIN):$$PATH PORT=$(PORT) $(BIN)/honcho start --no-prefix -f Procfile 2>&1 || true

chromium:  # the browser tests drive Debian's Chromium (Playwright's own download does not work here)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup chromium
	DRAVO_DATA_DIR=$${DRAVO_DATA_DIR:-$(CURDIR)/var/test} $(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

schema: setup
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

clean:
	rm -rf $(VENV) var
