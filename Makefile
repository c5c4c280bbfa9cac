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

# The main job on the embedded database: start it, recreate both source systems with the demo's six weeks at a
# tea factory (samples/, see samples/README.md), then the scheduled run on the demo's planning inbox on the
# evening of its last two days: first the day before (DEMO_DAY_BEFORE), then the next day's changes
# (samples/next-day: a late bag into a finished batch, a corrected shipment, a planning revision) and the run of
# the last day (DEMO_AS_OF), whose workbook's Changes sheet and findings say what changed since the first. The
# planning files count as received then and each workbook describes its day, so any day gives the same
# workbooks. Then the audit workbook of a mock recall of one lot, and a few lines of the last workbook's summary.
DEMO_DAY_BEFORE := 2026-11-12T18:30:00+05:30
DEMO_AS_OF := 2026-11-13T18:30:00+05:30
DEMO_TIMEZONE := Asia/Colombo

run: release
	$(RELEASE) db start
	$(RELEASE) fixture create
	$(RELEASE) fixture load samples
	rm -rf out/replies
	$(RELEASE) run --inbox samples/order_plan_raw --settle 0 --out out --timezone $(DEMO_TIMEZONE) --as-of $(DEMO_DAY_BEFORE) --rejects-out out/replies
	psql -q -v ON_ERROR_STOP=1 "$$($(RELEASE) db url central --socket)" -f samples/next-day/central.sql
	psql -q -v ON_ERROR_STOP=1 "$$($(RELEASE) db url manager --socket)" -f samples/next-day/manager.sql
	$(RELEASE) run --inbox samples/next-day/order_plan_raw --settle 0 --out out --timezone $(DEMO_TIMEZONE) --as-of $(DEMO_AS_OF) --rejects-out out/replies
	$(RELEASE) trace lot TL-261029-1 --xlsx out/recall-TL-261029-1.xlsx --timezone $(DEMO_TIMEZONE)
	@scripts/workbook-summary out/mtp-report-$(firstword $(subst T, ,$(DEMO_AS_OF))).xlsx

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

# Also the embedded database, wherever it lives (outside the checkout when the postgres user cannot enter it).
clean:
	@for b in $(DEBUG) $(RELEASE); do if [ -x $$b ]; then $$b db remove; break; fi; done
	rm -rf .build .mtp out
