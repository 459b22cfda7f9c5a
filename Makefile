# Everything a newcomer needs: `make demo` to try deet, `make test` to run the suite,
# `make bench` to time deet against gdb.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE_FLAGS := -O0 -g -no-pie -fno-omit-frame-pointer
SAMPLE_DIR := samples/build
SAMPLES := count exit function_calls hello segfault sleepy_print recursion spin two_files \
	forks fork_exec exec_self threads signals signal_storm fork_nested fork_ok fork_zombie \
	fork_leftover fork_exec_fail fork_exec_fail_ok fork_threads fork_threads_ok \
	fork_runaway fork_runaway_ok

.PHONY: all venv samples demo test test-fast lint bench clean

all: venv samples

$(BIN)/deet: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/deet

samples: $(addprefix $(SAMPLE_DIR)/,$(SAMPLES))

$(SAMPLE_DIR)/two_files: samples/two_files_main.c samples/two_files_shout.c
	@mkdir -p $(SAMPLE_DIR)
	gcc $(SAMPLE_FLAGS) -o $@ $(abspath $^)

$(SAMPLE_DIR)/%: samples/%.c
	@mkdir -p $(SAMPLE_DIR)
	gcc $(SAMPLE_FLAGS) -o $@ $(abspath $<)

demo: venv samples
	$(BIN)/python -m compileall -q deet
	$(BIN)/deet $(SAMPLE_DIR)/segfault

# The tests start deet hundreds of times; byte-compiled once here, as `bench` does, none of
# them compiles deet's modules again where PYTHONDONTWRITEBYTECODE is set (CI sets it:
# a third of each start).
test: venv samples
	$(BIN)/ruff check deet tests bench
	$(BIN)/python -m compileall -q deet
	$(BIN)/pytest -q -n 2

test-fast: venv samples
	$(BIN)/python -m compileall -q deet
	$(BIN)/pytest -q -n 2 -m "not slow"

lint: venv
	$(BIN)/ruff check deet tests bench

# Byte-compiled first: start-up is measured, and an editable install under
# PYTHONDONTWRITEBYTECODE would otherwise recompile deet's modules on every run.
bench: venv
	$(BIN)/python -m compileall -q deet
	$(BIN)/python bench/run.py

clean:
	rm -rf $(SAMPLE_DIR) $(VENV) bench/build
