#!/usr/bin/env bash
# How `run --cluster` scales (issue 15): the same synthetic contacts through a local run and a
# standalone Ballista cluster (`--cluster standalone`: a scheduler and one executor of
# `--threads` task slots in the partylink process), with one and two threads, on a release
# build with the `distributed` feature. Prints a Markdown table of wall time, peak memory and
# the bytes of shuffle files the executor wrote (its work directory, under TMPDIR in standalone
# mode, measured per job as it grows: Ballista removes a finished job's files after five
# minutes), then the rows each stage's shuffle wrote, from Ballista's executed plans
# (`PARTYLINK_EXPLAIN`), at the first size.
#
#   bench/cluster.sh                              # 10^6 and 10^7 contacts, threads 1 and 2
#   SIZES="100000" THREADS="2" bench/cluster.sh
#
# The release build with the feature is a cold build of its own (DataFusion's default
# features, tonic, arrow-flight, Ballista), kept in CARGO_TARGET_DIR (default
# /var/tmp/partylink-target-release-distributed).
set -euo pipefail
cd "$(dirname "$0")/.."

export PARTYLINK_DATA="${PARTYLINK_DATA:-$(pwd)/data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/partylink-target-release-distributed}"
BIN="$CARGO_TARGET_DIR/release/partylink"
SIZES="${SIZES:-1000000 10000000}"
THREADS="${THREADS:-1 2}"
SPELLINGS="${SPELLINGS:-few}"
WORK="${WORK:-/var/tmp/partylink-bench}"
mkdir -p "$WORK"

cargo build --release --quiet --features distributed

. bench/measure.sh

# The tables of the stages a cluster runs (sql/10_ on, but the news items' stages), comma-separated.
cluster_tables() {
    for file in sql/[1-5][0-9]_*.sql; do
        basename "$file" .sql | cut -d_ -f2-
    done | paste -sd, -
}

# The largest size each job's directory under $1 reached while the file $2 exists, summed, in MB.
shuffle_bytes() {
    python3 - "$1" "$2" <<'PY'
import os, sys, time
root, flag = sys.argv[1], sys.argv[2]
largest = {}
def sizes():
    for job in os.listdir(root) if os.path.isdir(root) else []:
        total = 0
        for base, _, files in os.walk(os.path.join(root, job)):
            for f in files:
                try:
                    total += os.path.getsize(os.path.join(base, f))
                except OSError:
                    pass
        largest[job] = max(largest.get(job, 0), total)
while os.path.exists(flag):
    sizes()
    time.sleep(0.5)
sizes()
print(f"{sum(largest.values()) / 1e6:.0f}")
PY
}

echo "| where | threads | spellings | contacts | wall time (s) | peak memory (MiB) | contacts per second | shuffle files (MB) |"
echo "|---|---|---|---|---|---|---|---|"
for n in $SIZES; do
    contacts="$WORK/contacts_${SPELLINGS}_$n.parquet"
    [ -f "$contacts" ] || "$BIN" synth --rows "$n" --seed 1 --spellings "$SPELLINGS" --out "$contacts"
    # The link cache is warmed once, so that no run below pays for it.
    [ -d "$WORK/cache" ] || "$BIN" run --quiet --cache-dir "$WORK/cache" --contacts examples/contacts_sample.csv \
        --out "$WORK/out_cluster_warm"
    for threads in $THREADS; do
        for where in local standalone; do
            cluster=()
            [ "$where" = local ] || cluster=(--cluster standalone --cluster-dir "$WORK")
            out="$WORK/out_cluster_${where}_${threads}_$n"
            # Only a cluster run writes shuffle files: the executor's work directory is under TMPDIR.
            shuffle="$WORK/shuffle_${where}_${threads}_$n"
            rm -rf "$shuffle" "$shuffle.mb" && mkdir -p "$shuffle"
            if [ "$where" = standalone ]; then
                touch "$shuffle.running"
                shuffle_bytes "$shuffle" "$shuffle.running" >"$shuffle.mb" &
            fi
            TMPDIR="$shuffle" PARTYLINK_TIMINGS=1 /usr/bin/time -v -o "$WORK/time.txt" "$BIN" --threads "$threads" \
                run --quiet --no-report --formats parquet --cache-dir "$WORK/cache" --contacts "$contacts" \
                --out "$out" "${cluster[@]}" 2>"$WORK/timings_${where}_${threads}_$n.txt"
            rm -f "$shuffle.running"
            wait
            IFS='|' read -r wall mib <<<"$(measure "$WORK/time.txt")"
            rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
            mb=$(cat "$shuffle.mb" 2>/dev/null || echo -)
            echo "| $where | $threads | $SPELLINGS | $n | $wall | $mib | $rate | $mb |"
        done
    done
done

# Rows shuffled per stage, at the first size, two threads: each stage is run once more under
# `explain analyze`, whose plan (printed before the stage's timing line) gives each shuffle
# writer's rows.
n="${SIZES%% *}"
contacts="$WORK/contacts_${SPELLINGS}_$n.parquet"
PARTYLINK_TIMINGS=1 PARTYLINK_EXPLAIN="$(cluster_tables)" "$BIN" --threads 2 run --quiet --no-report \
    --formats parquet --cache-dir "$WORK/cache" --contacts "$contacts" --out "$WORK/out_cluster_explain_$n" \
    --cluster standalone --cluster-dir "$WORK" 2>"$WORK/explain_$n.txt"
echo
echo "| stage ($n contacts, two threads) | shuffle stages | rows shuffled |"
echo "|---|---|---|"
python3 - "$WORK/explain_$n.txt" <<'PY'
import re, sys
scale = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}
writers, rows = 0, 0.0
for line in open(sys.argv[1], encoding="utf-8"):
    if "ShuffleWriterExec" in line:
        found = re.search(r"output_rows=([0-9.]+)(?: ([KMB]))?", line)
        if found:
            writers += 1
            rows += float(found.group(1)) * scale[found.group(2) or ""]
    stage = re.search(r"cluster: (sql/\S+\.sql)$", line.strip())
    if stage:
        print(f"| {stage.group(1)} | {writers} | {rows:,.0f} |")
        writers, rows = 0, 0.0
PY

# Same bytes: at the first size, two threads, every CSV file of a standalone run against a local
# run's (the README promises a local run's files; the Parquet files hold the same rows, with
# their columns' nullability as the cluster wrote them). A table that keeps its `order by` on
# the cluster is only checked in order at a size where its writer splits it.
for where in local standalone; do
    cluster=()
    [ "$where" = local ] || cluster=(--cluster standalone --cluster-dir "$WORK")
    rm -rf "$WORK/out_cluster_bytes_$where"
    "$BIN" --threads 2 run --quiet --no-report --formats csv --cache-dir "$WORK/cache" --contacts "$contacts" \
        --out "$WORK/out_cluster_bytes_$where" "${cluster[@]}"
done
echo
for file in $(cd "$WORK/out_cluster_bytes_local" && find . -name '*.csv' | sort); do
    if cmp -s "$WORK/out_cluster_bytes_local/$file" "$WORK/out_cluster_bytes_standalone/$file"; then
        echo "same bytes: $file"
    else
        echo "DIFFERENT: $file" && exit 1
    fi
done
