# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format messages compilemessages lock install clean demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the lock changes.
$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

compilemessages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

run: install compilemessages
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install compilemessages
	$(BIN)/pytest

bench: install compilemessages
	$(BIN)/python manage.py bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l ja --no-location --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

# Re-resolve the direct dependencies of pyproject.toml to exact versions.
lock: | $(BIN)/python
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	$(BIN)/python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > .lock-venv/direct.txt
	.lock-venv/bin/pip install --quiet -r .lock-venv/direct.txt
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' | sort > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) var/static
