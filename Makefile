# Two commands on a fresh machine: `make run` and `make test`. Nothing is installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck unit e2e bench bench-quick cluster install install-test docx-template clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "WARNING: npm not found: the HTML validator and axe-core tests will be skipped"; fi

# The launcher (seloste/web/serve.py) is `streamlit run` plus the security headers and TCP_NODELAY.
run: install
	$(BIN)/python -m seloste.web.serve app.py --server.port $(PORT)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

test: install $(if $(wildcard package.json),$(NODE_STAMP))
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

e2e: install $(if $(wildcard package.json),$(NODE_STAMP))
	$(BIN)/python -m pytest tests/e2e

# The bench extra (psutil, websockets) is installed once per pyproject.toml version.
# `make bench BENCH_ARGS="--quick --only render"` passes options through.
bench: install
	@stamp=$(VENV)/.bench-$$(cksum < pyproject.toml | cut -d' ' -f1); \
	test -f $$stamp || { $(BIN)/python -m pip install --quiet -e '.[test,bench]' && \
		rm -f $(VENV)/.bench-* && touch $$stamp; }
	$(BIN)/python -m bench $(BENCH_ARGS)

# Every group with few samples (a minute or two): the harness works, the figures mean little.
bench-quick:
	$(MAKE) bench BENCH_ARGS="--quick $(BENCH_ARGS)"

# HAProxy (deploy/haproxy.cfg) on CLUSTER_PORT in front of 2 wizard processes and PostgreSQL
# (SELOSTE_DATABASE_URL, or the throwaway server of .ci/postgres.sh); Ctrl-C stops it all.
CLUSTER_PORT ?= 8080
cluster: install
	$(BIN)/python -m deploy.cluster --processes 2 --port $(CLUSTER_PORT)

docx-template: install
	$(BIN)/python -m seloste.render.docx_template

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
