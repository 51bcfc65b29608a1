# Demarche: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Debian packages Qt needs: offscreen (tests, export) and a real X11 window (the editor).
QT_DEBS := libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3 libxkbcommon0 fonts-dejavu-core \
           libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
           libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
# A real browser for the tests that load what the exports write (TimelineJS in Chromium).
BROWSER_DEBS := chromium chromium-driver

.PHONY: install run test lint format bench bench-million bench-compare bench-context-large schema deps clean

install: $(STAMP)

# Editable, for working on Demarche; `pipx install .` installs it as a program (README).
# The current pip goes in by the system's pip where it has one (22.3 or newer, for
# --python): the old pip and setuptools that `venv` puts in first, to be replaced at once,
# took about 3 s of CPU of every fresh clone's `make test`. Otherwise by ensurepip, as before.
$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet --upgrade pip 2>/dev/null \
		|| { $(PY) -m ensurepip && $(PY) -m pip install --quiet --upgrade pip; }
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/demarche projects/hostage-talks-2023.yaml

# The whole set-up first: the Debian packages (installed as root; otherwise one line to
# run, and a stop), the virtual environment, then lint and the suite (tests/conftest.py
# picks Qt's offscreen platform). Bytecode is cached (in the ignored __pycache__ folders)
# even where PYTHONDONTWRITEBYTECODE is set: each pytest-xdist worker otherwise compiles
# every module and rewrites every test's asserts again, about 3 s of CPU each per run.
test: deps $(STAMP) lint
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check app widgets tests
	$(VENV)/bin/ruff format --check app widgets tests

format: $(STAMP)
	$(VENV)/bin/ruff format app widgets tests
	$(VENV)/bin/ruff check --fix app widgets tests

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench --events 10000 --json bench-10000.json
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench --events 100000 --no-baseline --json bench-100000.json
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.filters --events 100000 --json bench-filters-100000.json
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.window --events 100000 --json bench-window-100000.json
	$(PY) -m tests.bench.acled --rows 100000 --json bench-acled-100000.json
	$(PY) -m tests.bench.handwritten --events 200000 --json bench-handwritten-200000.json
	$(PY) -m tests.bench.context --rows 2000000 --json bench-context-2000000.json
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.context --rows 2000000 --frames --events 10000 --json bench-context-frames-10000.json
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.context --rows 2000000 --frames --events 100000 --json bench-context-frames-100000.json

# Context data at 20 million rows (Parquet by year, generated, about 1.5 GB on disk while it runs).
bench-context-large: $(STAMP)
	$(PY) -m tests.bench.context --rows 20000000 --parquet --repeats 1 --json bench-context-20000000.json

# A million events (issue 22): open, save, frames, edit and memory only; about half an
# hour on a loaded 2-core machine, so it is a target of its own.
bench-million: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench --events 1000000 --no-baseline --core --json bench-1000000.json

# This tree against another revision, alternated run by run (a few minutes a pair).
bench-compare: $(STAMP)
	$(PY) -m tests.bench.compare --against c3b23e9 --events 10000 --pairs 5 --json bench-compare-10000.json

# The JSON Schema is generated from the record spec (app/fileformat/spec.py); a test checks it is current.
schema: $(STAMP)
	$(PY) -m app.fileformat.schema > resources/demarche.schema.json

# Installs the Debian packages above that are missing (as root, e.g. in CI); without root
# it stops at once with the one command to run. One dpkg-query for all of them (a `dpkg -s`
# each took 0.4 s of every `make test`).
deps:
	@installed=" $$(dpkg-query -W -f='$${db:Status-Status} $${Package}\n' $(QT_DEBS) $(BROWSER_DEBS) 2>/dev/null \
		| awk '$$1 == "installed" {print $$2}' | tr '\n' ' ')"; \
	missing=$$(for p in $(QT_DEBS) $(BROWSER_DEBS); do case "$$installed" in *" $$p "*) ;; *) echo $$p;; esac; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "Missing system packages; run: sudo apt-get install -y" $$missing >&2; exit 1; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache bench-*.json
