# The two set-up commands: `make run` (the main job, on the embedded local database) and `make test`.
# Both install what is missing first (scripts/setup).

SWIFT   ?= swift
DEBUG   := .build/debug/mtp-etl
RELEASE := .build/release/mtp-etl

.PHONY: setup build release run test db-start db-stop bench-copy clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

# The main job on the embedded database: start it, recreate the source systems, migrate, check.
run: release
	$(RELEASE) db start
	$(RELEASE) fixture create
	$(RELEASE) migrate
	$(RELEASE) check

# Every test, against a real PostgreSQL: the embedded cluster in .mtp/, started here.
test: setup
	$(SWIFT) build --build-tests
	$(DEBUG) db start
	$(SWIFT) test

db-start: build
	$(DEBUG) db start

db-stop:
	@[ ! -x $(DEBUG) ] || $(DEBUG) db stop

bench-copy: release
	scripts/bench-copy

clean: db-stop
	rm -rf .build .mtp out
