# The two set-up commands: `make run` (the main job, on the embedded local database) and `make test`.
# Both install what is missing first (scripts/setup).

SWIFT   ?= swift
DEBUG   := .build/debug/mtp-etl
RELEASE := .build/release/mtp-etl

.PHONY: setup build release run test db-start db-stop bench clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

# The main job on the embedded database: start it, recreate the source systems with the sample state, migrate,
# check, import the sample planning files (exit 1 means some rows were rejected, as one sample file intends),
# pull Central, build the facts.
run: release
	$(RELEASE) db start
	$(RELEASE) fixture create
	$(RELEASE) migrate
	$(RELEASE) check
	$(RELEASE) fixture load samples/state
	$(RELEASE) import-plans samples/order_plan_raw || [ $$? -eq 1 ]
	$(RELEASE) pull-central
	$(RELEASE) snapshots --last 1
	$(RELEASE) build

# Every test, against a real PostgreSQL: the embedded cluster in .mtp/, started here.
test: setup
	$(SWIFT) build --build-tests
	$(DEBUG) db start
	scripts/run-tests

db-start: build
	$(DEBUG) db start

db-stop:
	@[ ! -x $(DEBUG) ] || $(DEBUG) db stop

# Every benchmark script in turn (figures go to docs/BENCHMARKS.md by hand).
bench: release
	scripts/bench-copy
	scripts/bench-import
	scripts/bench-pull
	scripts/bench-build

clean: db-stop
	rm -rf .build .mtp out
