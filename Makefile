# partylink: make test (debug build, every test), make replicate (release build, sample run).

CARGO ?= cargo
# The sources are built into partylink; PARTYLINK_DATA=DIR reads other copies instead.
CARGO_TARGET_DIR ?= target
export CARGO_TARGET_DIR
OUT ?= out
CONTACTS ?= examples/contacts_sample.csv

.PHONY: all build test test-distributed fuzz replicate eval bench clean

all: build

build:
	$(CARGO) build

# Tests run in the debug profile: DataFusion builds far faster without optimisation.
test:
	$(CARGO) test --all-targets

# The readers on mutated inputs from a new random seed each time, far more cases than `make test`
# tries from its fixed seed; a failure prints the seed and the smallest input that fails.
FUZZ_CASES ?= 5000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) PROPTEST_RNG_SEED=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ') $(CARGO) test --test reader_fuzz

# The SQL stages on Apache DataFusion Ballista (standalone, in process) against a local run:
# a second build, with the cargo feature `distributed` (tonic, arrow-flight, Ballista).
test-distributed:
	$(CARGO) test --features distributed --lib distributed
	$(CARGO) test --features distributed --test distributed

replicate:
	$(CARGO) build --release
	$(CARGO_TARGET_DIR)/release/partylink run --contacts $(CONTACTS) --out $(OUT)

# Precision, recall and review rate of party resolution, and of extraction from the labelled
# news items (tests/fixtures/news), written to EVALUATION.md.
eval:
	$(CARGO) build --release
	$(CARGO_TARGET_DIR)/release/partylink eval --seed 1 --out EVALUATION.md

# Micro-benchmarks (criterion) and whole runs beside the baseline; figures go to BENCHMARKS.md.
bench:
	$(CARGO) bench --bench resolve
	bench/run.sh

clean:
	$(CARGO) clean
	rm -rf $(OUT)
