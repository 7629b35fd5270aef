# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup validate score site serve test lint docs bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -c "import yaml, sys; yaml.__with_libyaml__ or sys.exit('PyYAML không có LibYAML (C loader): cài lại PyYAML có libyaml')"
	touch $(STAMP)

validate: setup
	$(PY) -m builder validate --all-cycles

score: setup
	$(PY) -m builder score

# One unit's errors never block publication: build still runs (it publishes that unit as
# "dữ liệu đang có lỗi", then exits 1); the target fails with the worst status of the three.
site: setup
	@status=0; \
	$(PY) -m builder validate --all-cycles || status=$$?; \
	$(PY) -m builder score || status=$$?; \
	$(PY) -m builder build || status=$$?; \
	exit $$status

serve: site
	$(PY) -m mkdocs serve

test: setup
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check builder tests benchmarks
	$(PY) -m ruff format --check builder tests benchmarks
	$(PY) -m mypy builder

# benchmarks (slow, never part of `make test`): issue 11's table as ratios at three sizes, the
# table in benchmarks/README.md regenerated (about 35 min or more on 2 idle cores); the other
# scripts in benchmarks/ run by hand (see benchmarks/README.md)
bench: setup
	$(PY) benchmarks/bench_ratios.py 15 330 3321 --write-readme

docs: setup
	$(PY) -m builder docs

clean:
	rm -rf $(VENV) build site
