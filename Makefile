# phiwall — run `make` or `make help` to list the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)
# Where `make test` finds the labelled corpus (../shared beside the clone).
SHARED ?= $(abspath ../shared)
export PHIWALL_SHARED := $(SHARED)

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create .venv with phiwall (editable) and the dev tools

.PHONY: build-dev
build-dev: install ## Rebuild the Rust extension into .venv (debug build)
	$(VENV)/bin/maturin develop -q --skip-install

.PHONY: build-prod
build-prod: install ## Rebuild the Rust extension into .venv (release build, for benchmarks)
	$(VENV)/bin/maturin develop -q --release --skip-install

.PHONY: test-rust
test-rust: install ## Run the Rust unit tests
	cargo test -q

.PHONY: test-python
test-python: build-prod ## Run the Python test suite (unit, property, end-to-end)
	$(PY) -m pytest

.PHONY: test
test: test-rust test-python bench-quick ## Run every test and the quick micro benchmarks (installs what it needs)

.PHONY: lint
lint: install ## ruff, cargo fmt --check, cargo clippy -D warnings
	$(VENV)/bin/ruff check python tests benches scripts
	$(VENV)/bin/ruff format --check python tests benches scripts
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

.PHONY: format
format: install ## Apply ruff format and cargo fmt
	$(VENV)/bin/ruff check --fix python tests benches scripts
	$(VENV)/bin/ruff format python tests benches scripts
	cargo fmt

.PHONY: bench
bench: build-prod ## Run the micro benchmarks in full (pytest-benchmark)
	$(PY) -m pytest benches --benchmark-only --benchmark-sort=name

.PHONY: bench-quick
bench-quick: build-prod ## Run the micro benchmarks briefly, saving JSON (never fails on time)
	mkdir -p benches/results
	$(PY) -m pytest benches -q --benchmark-only --benchmark-min-rounds=3 \
		--benchmark-max-time=0.05 --benchmark-json=benches/results/micro-quick.json

.PHONY: bench-load
bench-load: build-prod ## Load benchmark: direct vs passthrough vs phiwall, interleaved (~2.5 min); writes benches/results/load.*
	$(PY) -m benches.load

.PHONY: wheel
wheel: install ## Build a release wheel into dist/
	$(VENV)/bin/maturin build --release -o dist

.PHONY: serve
serve: build-prod ## Run phiwall against the mock upstream (two processes, Ctrl-C stops both)
	$(VENV)/bin/phiwall mock-upstream --port 9100 & \
	trap "kill $$!" EXIT; $(VENV)/bin/phiwall serve --port 8000 --upstream http://127.0.0.1:9100/v1

.PHONY: clean
clean: ## Remove build artefacts and the virtual environment
	rm -rf target dist $(VENV) .pytest_cache .ruff_cache .hypothesis .benchmarks

.PHONY: help
help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'
