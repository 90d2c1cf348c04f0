# The two commands a newcomer needs: `make demo` and `make test` (README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The demo's web server and its platform emulator; set either to run a second demo beside one.
DEMO_PORT ?= 8000
EMULATOR_PORT ?= 8765
DEMO_ENV := DEBUG=true PLATFORM_BASE_URL=http://127.0.0.1:$(EMULATOR_PORT) PUBLIC_URL=http://127.0.0.1:$(DEMO_PORT)

.PHONY: demo test lint typecheck check install lock lock-check clean model

# Every dependency comes from requirements-dev.lock (pinned, with hashes); the project itself is
# installed without dependencies. After changing pyproject.toml's dependencies: `make lock`.
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Re-solve both lock files from pyproject.toml for Python 3.11 on Linux (runtime for the Docker
# image; runtime + dev, held to the same versions, for CI and development).
LOCK_FLAGS := --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --quiet
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -c requirements.lock -o requirements-dev.lock
	$(BIN)/python .ci/check_lock.py

lock-check: $(STAMP)
	$(BIN)/python .ci/check_lock.py

demo: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py run_demo --addr 127.0.0.1:$(DEMO_PORT)

# Postgres-only and browser tests share the "serial" xdist group; the reliability tests' real rq
# workers use a Redis database of their own per xdist worker.
test: $(STAMP)
	@exports=$$($(BIN)/python tests/services.py) || exit 1; eval "$$exports"; \
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS); \
	status=$$?; if [ $$status -eq 5 ]; then echo "no tests ran"; exit 1; fi; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	DATABASE_URL= DEBUG=true $(BIN)/mypy accounts rules moderation smpolicy tests bench

check: $(STAMP)
	DATABASE_URL= DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# Rebuild the learned stage's model file from ../shared/datasets and bench/data (seed 0; the
# same inputs give the same file). Needs the development dependencies (scikit-learn).
model: $(STAMP)
	DEBUG=true DATABASE_URL= $(BIN)/python manage.py train_classifiers --jobs 2

clean:
	rm -rf var/smpolicy.sqlite3 var/staticfiles
