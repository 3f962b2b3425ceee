# Two commands matter: `make run` and `make test`. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCALE ?= 1000000

.PHONY: run test lint typecheck format bench package package-smoke screenshots clean

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

package: $(STAMP)
	$(BIN)/pip install --quiet 'pyinstaller>=6.5'
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/kestrel.spec

package-smoke: package
	packaging/smoke.sh dist/kestrel/kestrel

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
