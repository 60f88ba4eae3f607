#!/usr/bin/env bash
# Whole-run benchmarks: partylink and the pandas/rapidfuzz/DuckDB baseline on the same synthetic
# contacts, with wall time and peak memory from /usr/bin/time -v. Prints a Markdown table.
#
#   bench/run.sh                        # partylink at 10^4, 10^6, 10^7; baseline at 10^4, 10^6
#   SIZES="10000" BASELINE_SIZES="10000" bench/run.sh
#
# partylink runs write CSV and Parquet (the default); the sizes in PARQUET_SIZES are run again
# with --formats parquet. The replication-scale sample is run without the link cache (cold)
# and with it (warm).
set -euo pipefail
cd "$(dirname "$0")/.."

export PARTYLINK_DATA="${PARTYLINK_DATA:-$(pwd)/data}"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/partylink"
SIZES="${SIZES:-10000 1000000 10000000}"
BASELINE_SIZES="${BASELINE_SIZES:-10000 1000000}"
PARQUET_SIZES="${PARQUET_SIZES:-1000000 10000000}"
WORK="${WORK:-/var/tmp/partylink-bench}"
mkdir -p "$WORK"

cargo build --release --quiet
if [ -n "$BASELINE_SIZES" ]; then
    python3 -m venv "$WORK/venv" >/dev/null 2>&1 || true
    "$WORK/venv/bin/pip" install --quiet -r bench/baseline/requirements.txt
fi

. bench/measure.sh

echo "| tool | contacts | wall time (s) | peak memory (MiB) | contacts per second |"
echo "|---|---|---|---|---|"
# One timed partylink run: label, contacts count, then the run's arguments.
timed_run() {
    local label="$1" n="$2"
    shift 2
    /usr/bin/time -v -o "$WORK/time.txt" "$BIN" run --quiet "$@"
    IFS='|' read -r wall mib <<<"$(measure "$WORK/time.txt")"
    echo "| $label | $n | $wall | $mib | $(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }') |"
}

sample=examples/contacts_sample.csv
rows=$(($(wc -l <"$sample") - 1))
timed_run "partylink, sample, no link cache" "$rows" --no-cache --contacts "$sample" --out "$WORK/out_sample"
"$BIN" run --quiet --cache-dir "$WORK/cache" --contacts "$sample" --out "$WORK/out_sample"
timed_run "partylink, sample, link cache warm" "$rows" --cache-dir "$WORK/cache" --contacts "$sample" --out "$WORK/out_sample"
for n in $SIZES; do
    contacts="$WORK/contacts_$n.parquet"
    [ -f "$contacts" ] || "$BIN" synth --rows "$n" --seed 1 --out "$contacts"
    timed_run "partylink, CSV and Parquet" "$n" --cache-dir "$WORK/cache" --contacts "$contacts" --out "$WORK/out_$n"
    if [[ " $PARQUET_SIZES " == *" $n "* ]]; then
        timed_run "partylink, --formats parquet" "$n" --cache-dir "$WORK/cache" --formats parquet \
            --contacts "$contacts" --out "$WORK/out_${n}_parquet"
    fi
done
for n in $BASELINE_SIZES; do
    contacts="$WORK/contacts_$n.parquet"
    [ -f "$contacts" ] || "$BIN" synth --rows "$n" --seed 1 --out "$contacts"
    /usr/bin/time -v -o "$WORK/time_baseline_$n.txt" "$WORK/venv/bin/python" bench/baseline/baseline.py \
        "$contacts" "$PARTYLINK_DATA" "$WORK/baseline_$n.parquet"
    IFS='|' read -r wall mib <<<"$(measure "$WORK/time_baseline_$n.txt")"
    echo "| baseline (pandas + rapidfuzz + DuckDB) | $n | $wall | $mib | $(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }') |"
done
