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

# The main job on the embedded database: start it, recreate both source systems with the sample state
# (samples/state), then the scheduled run on the sample planning inbox, and a few lines of the workbook's
# summary. Running it again gives the same workbook.
run: release
	$(RELEASE) db start
	$(RELEASE) fixture create
	$(RELEASE) fixture load samples/state
	$(RELEASE) run --inbox samples/order_plan_raw --out out
	@scripts/workbook-summary "$$(ls -t out/mtp-report-*.xlsx | head -1)"

# Every test, against a real PostgreSQL: the embedded cluster in .mtp/, started here.
test: setup
	$(SWIFT) build --build-tests
	$(DEBUG) db start
	scripts/run-tests

db-start: build
	$(DEBUG) db start

db-stop:
	@[ ! -x $(DEBUG) ] || $(DEBUG) db stop

# Every benchmark in one go, one table at the end (scripts/bench; figures go to docs/BENCHMARKS.md).
bench: release
	scripts/bench

clean: db-stop
	rm -rf .build .mtp out
