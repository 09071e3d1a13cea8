# meterbook: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DAGSTER_HOME ?= $(CURDIR)/.dagster
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.venv-bootstrap/bin/uv)
DEMO_MONTH ?= 2026-10
BENCH_EVENTS ?= 10000000

.PHONY: install demo test lint bench docs dagster clean

$(UV):
	python3 -m venv .venv-bootstrap && .venv-bootstrap/bin/pip install --quiet uv

# Bytecode is compiled once at install: where PYTHONDONTWRITEBYTECODE is set (as on our CI
# machines) every process would otherwise compile Dagster, dbt and Great Expectations from source
# again (loading the code location took 29 s instead of 12 s).
install: $(UV)
	$(UV) sync --frozen --extra dev --python 3.11 --compile-bytecode
	@true

demo: install
	$(UV) run --frozen meterbook demo --month $(DEMO_MONTH)

lint: install
	$(UV) run --frozen ruff check orchestration tests benchmarks
	$(UV) run --frozen ruff format --check orchestration tests benchmarks
	$(UV) run --frozen sqlfluff lint dbt_project/models

test: install lint
	$(UV) run --frozen pytest -n 2 --dist loadfile --durations=20

bench: install
	$(UV) run --frozen python -m benchmarks.close_benchmark --events $(BENCH_EVENTS)

# Offline, with the dev profile and the vars' defaults; the catalog (column types) comes from the
# warehouse. DuckDB creates a missing warehouse file, but not its folder.
docs: install
	mkdir -p data
	cd dbt_project && $(UV) run --frozen dbt docs generate --profiles-dir . --target-path target
	@echo "dbt docs: dbt_project/target/index.html (serve: cd dbt_project && uv run dbt docs serve --profiles-dir .)"

dagster: install
	$(UV) run --frozen dagster dev -w workspace.yaml

clean:
	rm -rf data .dagster/storage .dagster/history .dagster/schedules dbt_project/target dbt_project/logs
