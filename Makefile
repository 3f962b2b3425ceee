# Two commands matter: `make run` and `make test`. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCALE ?= 1000000

.PHONY: run test lint typecheck format bench package package-smoke screenshots clean i18n i18n-compile

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kestrel

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy --strict over the paths in pyproject's [tool.mypy] (models, services, printing)
typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run --scale $(SCALE)

# Translations (app/core/i18n.py): extract the messages from app/, bring every catalogue up
# to date (a changed message turns fuzzy: tests/test_catalogues.py fails until reviewed),
# compile the .mo files. New languages: add them to LOCALES and to i18n.LANGUAGES.
LOCALES := de fr es
POT := app/locale/kestrel.pot

i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k said -k said_n:1,2 --no-location --sort-output \
		--project Kestrel --copyright-holder Kestrel -o $(POT) app
	for lang in $(LOCALES); do \
		if [ -f app/locale/$$lang/LC_MESSAGES/kestrel.po ]; then \
			$(BIN)/pybabel update -D kestrel -i $(POT) -d app/locale -l $$lang --no-wrap; \
		else \
			$(BIN)/pybabel init -D kestrel -i $(POT) -d app/locale -l $$lang --no-wrap; \
		fi; \
	done
	$(MAKE) i18n-compile

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile -D kestrel -d app/locale --statistics

package: $(STAMP) i18n-compile
	$(BIN)/pip install --quiet 'pyinstaller>=6.5'
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/kestrel.spec

package-smoke: package
	packaging/smoke.sh dist/kestrel/kestrel

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
