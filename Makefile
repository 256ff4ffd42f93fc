# Two commands do everything on a fresh machine:
#   make run    install, build the spaCy pipeline, train if needed, start all processes
#   make test   the whole test suite (see README)
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
SPACY_DIR := build/spacy_pipeline
MODEL     := models/assistant.tar.gz
WEB_BUNDLE := build/web/chat.js
HOST      ?= 127.0.0.1
PORT      ?= 5005
ACTIONS_PORT ?= 5055

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

GENERATED_DOMAIN := domain/intake_form.yml domain/faq.yml
TRAIN_INPUTS := config.yml $(sort $(wildcard domain/*.yml) $(GENERATED_DOMAIN)) $(shell find data -name '*.yml' 2>/dev/null) $(SPACY_DIR)/meta.json \
                rasa_ext/nlu_components.py assistant/crisis.py assistant/crisis_patterns.py assistant/crisis_context.py assistant/intent_model.py assistant/text_folding.py

.PHONY: help install spacy domain train web browser run actions chat test bench lint constraints clean demo-data

help:
	@echo "make run    - install, train if needed, start action server + Rasa (REST, website chat) on $(HOST):$(PORT)"
	@echo "make chat   - talk to the running assistant in this terminal"
	@echo "make test   - validate data, unit tests, test stories, held-out and red-team evaluations"
	@echo "make test-fast - unit and action tests only (no servers, no model), under 2 minutes"
	@echo "make bench  - accuracy, crisis recall, latency, throughput, memory, training time (JSON in reports/)"
	@echo "make demo-data - synthetic requests, transcripts, crises and demo staff accounts in the local SQLite databases"
	@echo "make screenshots - a PNG of every staff console page, desktop and phone width, on demo data (reports/screens/)"

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml scripts/find-python310.sh
	@test -x $(PY) || $$(scripts/find-python310.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

$(SPACY_DIR)/meta.json: $(VENV)/.installed assistant/lexicon.yml assistant/lexicon.py assistant/spacy_pipeline.py
	$(PY) -m assistant.spacy_pipeline $(SPACY_DIR)

spacy: $(SPACY_DIR)/meta.json

# Domain files generated from the question catalog and the program FAQ (scripts/generate_domain.py);
# rewritten only when their content changes, so an unchanged domain does not retrain.
$(GENERATED_DOMAIN) &: scripts/generate_domain.py assistant/intake/questions.yml knowledge/program.yml | $(VENV)/.installed
	$(PY) -m scripts.generate_domain

domain: $(GENERATED_DOMAIN)

# Rasa's own fingerprint cache (.rasa/cache) makes an unchanged retrain fast;
# Make skips training entirely when no input is newer than the model.
# scripts/validate.py is Rasa's validation with every expected warning explained (it fails
# on any other), so training skips its own copy; the two warnings training itself prints are
# explained in docs/rasa-3.6-notes.md ("Warnings when training").
$(MODEL): $(TRAIN_INPUTS) | $(VENV)/.installed
	$(PY) scripts/validate.py
	$(RASA) train --domain domain --fixed-model-name assistant --out models --quiet --skip-validation

train: $(MODEL)

# The website widget: socket.io-client from the npm registry (pinned by
# web/package-lock.json) bundled with web/src/chat.js; the Rasa server serves
# it at /webhooks/webchat/chat.js. Nothing is fetched at run time.
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

$(WEB_BUNDLE): web/node_modules/.package-lock.json web/src/chat.js web/build.mjs
	node web/build.mjs $@

web: $(WEB_BUNDLE)

# The browser tests drive Debian's chromium (never a downloaded browser). Installing
# it needs root; without it the browser tests skip and say why.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	  || echo "chromium could not be installed: the browser tests will skip"

# The action server alone, as scripts/run.sh starts it: loopback, owner-only files, and the
# shared secret Rasa sends ($ACTION_SERVER_TOKEN, else var/action-server-token, made once).
actions: install
	@umask 077; mkdir -p var; test -n "$$ACTION_SERVER_TOKEN" || test -s var/action-server-token \
	  || $(PY) -c 'import secrets; print(secrets.token_urlsafe(48))' >var/action-server-token
	umask 077; ACTION_SERVER_TOKEN=$${ACTION_SERVER_TOKEN:-$$(cat var/action-server-token)} \
	  $(PY) -m rasa_ext.action_server --actions actions --port $(ACTIONS_PORT) 2>&1 | sed 's/^/[actions] /'

run: $(MODEL) $(WEB_BUNDLE)
	@mkdir -p var
	@scripts/run.sh $(HOST) $(PORT) $(ACTIONS_PORT)

chat: install
	$(PY) scripts/chat.py --url http://$(HOST):$(PORT)

test: $(MODEL) $(WEB_BUNDLE) browser
	scripts/test.sh

# What a developer runs many times a day (under 2 minutes): unit and action tests; no servers,
# no trained model, no browser (pytest markers, pytest.ini). A test that starts a server or loads
# the model without its marker fails (tests/markers.py), and so does one slower than 30 s.
.PHONY: test-fast
test-fast: install
	$(PY) -m pytest -q -rs -m "not e2e and not browser and not needs_model and not slow" --max-test-seconds=30 $(ARGS)

bench: $(MODEL) $(WEB_BUNDLE) browser
	$(PY) -m bench.run $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Synthetic call-back requests, transcripts, crisis events and demo staff accounts for the staff console
# (assistant/demo_data.py), in the local SQLite databases only; a second run replaces the demo rows.
# ARGS="--requests 10000 --seed 7", or ARGS=--reset to remove them.
demo-data: install
	$(PY) -m assistant.demo_data $(ARGS)

# Every staff console page as a PNG at 1280x900 and 390x844, from a console started on throwaway
# demo databases (scripts/screenshots.py), in reports/screens/ (not committed). Needs chromium.
.PHONY: screenshots
screenshots: install browser
	$(PY) -m scripts.screenshots $(ARGS)

# SMS segments of every response as the SMS channel sends it (target: 95% within 2, none above 4).
.PHONY: sms-report
sms-report: install
	$(PY) -m scripts.sms_lengths $(ARGS)

# Everything a clinician signs off (responses, knowledge answers, pre-assessment
# questions, triage rules, callback promises), each with its source, in
# reports/clinical-review.md (not committed). ARGS="--out PATH" writes elsewhere.
.PHONY: clinical-review
clinical-review: install
	$(PY) -m scripts.clinical_review $(ARGS)

constraints: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^pip==' \
	  | sed -E 's/^([A-Za-z0-9_.-]+) @ file:.*-([0-9][^-]*)-py.*$$/\1==\2/' \
	  | sed '1i # Generated by: make constraints (Python 3.10, rasa 3.6.21).' > constraints.txt
	@! grep -n ' @ ' constraints.txt || { echo "constraints.txt holds a local path: pin it by version"; exit 1; }

clean:
	rm -rf build models/*.tar.gz .rasa var reports web/node_modules
