# The two commands: `make run` (set up and run Dravo) and `make test` (set up and run the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DRAVO_DEBUG ?= 1
export DRAVO_BASE_URL ?= http://127.0.0.1:$(PORT)

# `make run` keeps everything it writes (database, broker, logs, generated secrets) here.
RUN_DATA_DIR := $(abspath $(or $(DRAVO_DATA_DIR),$(CURDIR)/var))

.PHONY: run status test setup chromium lint schema clean

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

setup: $(BIN)/.installed

# dravo.env records dev mode and the base URL for every later command on this data dir
# (README commands in a plain shell). supervisord restarts whichever process dies; Ctrl-C
# stops them all.
run: export DRAVO_DATA_DIR := $(RUN_DATA_DIR)
run: export PORT := $(PORT)
run: export DRAVO_LOG_LEVEL ?= INFO
# A receiver on this machine may take webhooks in development (`dravo webhooks listen`).
run: export DRAVO_WEBHOOK_ALLOWED_HOSTS ?= 127.0.0.1,localhost
run: setup
	@mkdir -p "$(RUN_DATA_DIR)"
	@printf '# Written by make run: commands run on this data dir see the same Dravo.\nDRAVO_DEBUG=%s\nDRAVO_BASE_URL=%s\n' \
		"$$DRAVO_DEBUG" "$$DRAVO_BASE_URL" > "$(RUN_DATA_DIR)/dravo.env"
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py demo_setup
	$(BIN)/supervisord -c supervisord.conf || true

status:  # the processes of a running `make run` (same DRAVO_DATA_DIR)
	DRAVO_DATA_DIR=$(RUN_DATA_DIR) $(BIN)/supervisorctl -c supervisord.conf status

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
