# Shifan: `make demo` plays the whole path once, `make test` runs every test, `make faults` the fault
# suite at full size, `make up` runs the stack.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: venv demo up test test-unit bench bench-quick faults broker-stop clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

demo: venv
	scripts/with-broker.sh $(BIN)/shifan demo

up: venv
	scripts/with-broker.sh $(BIN)/shifan up

test: venv
	scripts/with-broker.sh scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

# 2,000 applications under the nemesis; the read models must converge within 30 s of the last fault
faults: venv
	SHIFAN_FAULT_APPLICATIONS=$${SHIFAN_FAULT_APPLICATIONS:-2000} SHIFAN_FAULT_CONVERGENCE_SECONDS=30 \
	scripts/with-broker.sh scripts/with-postgres.sh $(BIN)/python -m pytest tests/faults -m faults $(PYTEST_ARGS)

test-unit: venv
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

bench: venv
	scripts/with-broker.sh $(BIN)/python bench/run.py

bench-quick: venv
	scripts/with-broker.sh $(BIN)/python bench/run.py --quick --out var/bench-quick.json

broker-stop:
	scripts/broker.sh stop
	scripts/postgres.sh stop

clean:
	scripts/broker.sh stop || true
	scripts/postgres.sh stop || true
	rm -rf var $(VENV)
