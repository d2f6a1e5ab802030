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

# Profile-guided optimisation of the release extension: an instrumented build serves the
# workload of scripts/pgo_train.py (its docstring says why), llvm-profdata merges what it
# counted, and release builds read that. The profile is remade when the Rust sources or the
# workload change; without llvm-profdata (rustup's llvm-tools), or if the workload fails,
# release builds are plain. Per rustc version: a profile is read by the LLVM that wrote it.
PGO_DIR := target/pgo/rustc-$(shell rustc -V 2>/dev/null | cut -d' ' -f2)
PGO_PROFILE := $(PGO_DIR)/merged.profdata
PGO_RAW := $(PGO_DIR)/raw
RUST_SOURCES := $(shell find rust -name '*.rs') Cargo.toml Cargo.lock
LLVM_PROFDATA = $(shell scripts/llvm-profdata.sh)
# `maturin $(1)`, reading the profile if there is one (each kind of build has its own
# target directory, so that neither invalidates the other's cache).
define maturin_release
if [ -f $(PGO_PROFILE) ]; then \
	export RUSTFLAGS="-Cprofile-use=$(abspath $(PGO_PROFILE))" CARGO_TARGET_DIR=target/pgo-use; \
fi; \
$(VENV)/bin/maturin $(1)
endef

$(PGO_PROFILE): $(RUST_SOURCES) scripts/pgo_train.py | $(VENV)/.installed
	rm -rf $(PGO_RAW)
	RUSTFLAGS="-Cprofile-generate=$(abspath $(PGO_RAW))" CARGO_TARGET_DIR=target/pgo-gen \
		$(VENV)/bin/maturin develop -q --release --skip-install
	if $(PY) scripts/pgo_train.py; then \
		$(LLVM_PROFDATA) merge -o $@ $(PGO_RAW); \
	else \
		rm -f $@; echo "the PGO workload failed: release builds without PGO"; \
	fi

.PHONY: pgo-profile
pgo-profile: install ## Remake the PGO profile if out of date (leaves the instrumented extension: build-prod next)
	@if [ -n "$(LLVM_PROFDATA)" ]; then \
		$(MAKE) --no-print-directory $(PGO_PROFILE); \
	else \
		echo "no llvm-profdata (rustup component add llvm-tools): release builds without PGO"; \
	fi

.PHONY: build-prod
build-prod: pgo-profile ## Rebuild the Rust extension into .venv (release, profile-guided)
	@$(call maturin_release,develop -q --release --skip-install)

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
# After build-prod, not just the profile: making the profile installs the instrumented
# extension into .venv, and build-prod puts the release one back.
wheel: build-prod ## Build a release wheel into dist/ (profile-guided like build-prod)
	@$(call maturin_release,build --release -o dist)

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
