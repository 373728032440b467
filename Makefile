# Two commands on a fresh machine: `make run` (the chat page on the sample corpus) and
# `make test` (the whole suite). Each step is stamped, so a re-run only redoes what changed.

VENV ?= .venv
PYTHON ?= python3
STORE ?= data/store
SAMPLE ?= data/sample
PORT ?= 8501
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PACKAGES := ingest store assistant

.PHONY: install install-test sample run test lint bench clean-venv

# torch first: the CPU build that lies on local disk, before anything pulls in another build;
# then ONNX Runtime and onnx (the CPU e5 engine; its graph is built on first use, in the cache).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install torch==2.13.0
	$(PIP) install "onnxruntime>=1.20,<2" "onnx>=1.17,<2"
	$(PIP) install -e ".[st,llm]"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -e ".[st,llm,test]"
	command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Ingest the bundled sample corpus when the store holds no judgment yet.
sample: install
	@if $(VENV)/bin/legal-assistant stats --store $(STORE) --json 2>/dev/null \
	    | $(PY) -c "import json,sys; sys.exit(0 if json.load(sys.stdin)['judgments'] else 1)"; \
	then echo "store $(STORE) already holds judgments"; \
	else $(VENV)/bin/legal-assistant ingest $(SAMPLE) --store $(STORE); fi

run: sample
	@echo "The chat page opens at http://localhost:$(PORT) (Ctrl-C stops it)."
	LEGAL_ASSISTANT_STORE=$(STORE) $(VENV)/bin/streamlit run streamlit_app.py \
	    --server.port $(PORT)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy $(PACKAGES) streamlit_app.py

test: install-test lint
	$(VENV)/bin/pytest

bench: install-test
	$(PY) bench/page_latency.py

clean-venv:
	rm -rf $(VENV)
