#!/usr/bin/env bash
# Whole-run benchmarks: partylink and the pandas/rapidfuzz/DuckDB baseline on the same synthetic
# contacts, with wall time and peak memory from /usr/bin/time -v. Prints a Markdown table.
# Each size is run with both kinds of synthetic spellings (`partylink synth --spellings`): a few
# spellings per party (names repeat, as in curated data) and per-row damage (distinct names
# grow with rows, as in event data); the table gives the distinct (country, partner) names.
#
#   bench/run.sh                        # partylink at 10^4, 10^6, 10^7; baseline at 10^4, 10^6
#   SIZES="10000" BASELINE_SIZES="10000" SPELLINGS="per-row" bench/run.sh
#
# partylink runs write CSV and Parquet (the default); the sizes in PARQUET_SIZES are run again
# with --formats parquet. BASELINE_SIZES= or PARQUET_SIZES= (empty) runs none. The
# replication-scale sample is run without the link cache (cold) and with it (warm).
set -euo pipefail
cd "$(dirname "$0")/.."

export PARTYLINK_DATA="${PARTYLINK_DATA:-$(pwd)/data}"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/partylink"
SIZES="${SIZES:-10000 1000000 10000000}"
BASELINE_SIZES="${BASELINE_SIZES-10000 1000000}"
PARQUET_SIZES="${PARQUET_SIZES-1000000 10000000}"
SPELLINGS="${SPELLINGS:-few per-row}"
WORK="${WORK:-/var/tmp/partylink-bench}"
mkdir -p "$WORK"

cargo build --release --quiet
if [ -n "$BASELINE_SIZES" ]; then
    python3 -m venv "$WORK/venv" >/dev/null 2>&1 || true
    "$WORK/venv/bin/pip" install --quiet -r bench/baseline/requirements.txt
fi
PYTHON="$WORK/venv/bin/python"
[ -x "$PYTHON" ] || PYTHON=python3

. bench/measure.sh

# Synthetic contacts of a size and spelling kind, made once.
contacts_of() {
    local n="$1" spelling="$2" contacts="$WORK/contacts_${2}_$1.parquet"
    [ -f "$contacts" ] || "$BIN" synth --rows "$n" --seed 1 --spellings "$spelling" --out "$contacts"
    echo "$contacts"
}

# Distinct (country, partner) names of a contacts file, or "-" without pyarrow.
distinct_names() {
    "$PYTHON" -c 'import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1], columns=["country", "partner"]).to_pydict()
print(len(set(zip(t["country"], t["partner"]))))' "$1" 2>/dev/null || echo -
}

echo "| tool | spellings | contacts | distinct names | wall time (s) | peak memory (MiB) | contacts per second |"
echo "|---|---|---|---|---|---|---|"
# One timed partylink run: label, spellings, contacts count, distinct names, then the run's arguments.
timed_run() {
    local label="$1" spelling="$2" n="$3" names="$4"
    shift 4
    /usr/bin/time -v -o "$WORK/time.txt" "$BIN" run --quiet "$@"
    IFS='|' read -r wall mib <<<"$(measure "$WORK/time.txt")"
    echo "| $label | $spelling | $n | $names | $wall | $mib | $(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }') |"
}

sample=examples/contacts_sample.csv
rows=$(($(wc -l <"$sample") - 1))
timed_run "partylink, sample, no link cache" as-written "$rows" - --no-cache --contacts "$sample" --out "$WORK/out_sample"
"$BIN" run --quiet --cache-dir "$WORK/cache" --contacts "$sample" --out "$WORK/out_sample"
timed_run "partylink, sample, link cache warm" as-written "$rows" - --cache-dir "$WORK/cache" --contacts "$sample" \
    --out "$WORK/out_sample"
for n in $SIZES; do
    for spelling in $SPELLINGS; do
        contacts=$(contacts_of "$n" "$spelling")
        names=$(distinct_names "$contacts")
        timed_run "partylink, CSV and Parquet" "$spelling" "$n" "$names" --cache-dir "$WORK/cache" \
            --contacts "$contacts" --out "$WORK/out_${spelling}_$n"
        if [[ " $PARQUET_SIZES " == *" $n "* ]]; then
            timed_run "partylink, --formats parquet" "$spelling" "$n" "$names" --cache-dir "$WORK/cache" \
                --formats parquet --contacts "$contacts" --out "$WORK/out_${spelling}_${n}_parquet"
        fi
        if [[ " $BASELINE_SIZES " == *" $n "* ]]; then
            /usr/bin/time -v -o "$WORK/time_baseline.txt" "$PYTHON" bench/baseline/baseline.py \
                "$contacts" "$PARTYLINK_DATA" "$WORK/baseline_${spelling}_$n.parquet"
            IFS='|' read -r wall mib <<<"$(measure "$WORK/time_baseline.txt")"
            rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
            echo "| baseline (pandas + rapidfuzz + DuckDB) | $spelling | $n | $names | $wall | $mib | $rate |"
        fi
    done
done
