#!/usr/bin/env bash
# How `run --cluster` scales (issue 15): the same synthetic contacts through a local run, a
# standalone Ballista cluster (`--cluster standalone`: a scheduler and one executor of
# `--threads` task slots in the partylink process) and a cluster of partylink-scheduler and one
# partylink-executor started as processes on this machine (`push`, the executor's peak memory
# beside the driver's), with one and two threads, on a release build with the `distributed`
# feature. Prints a Markdown table of wall time, peak memory and
# the bytes of shuffle files the executor wrote (its work directory, under TMPDIR in standalone
# mode, measured per job as it grows: Ballista removes a finished job's files after five
# minutes), then the rows each stage's shuffle wrote, from Ballista's executed plans
# (`PARTYLINK_EXPLAIN`), at the first size.
#
#   bench/cluster.sh                              # 10^6 and 10^7 contacts, threads 1 and 2
#   SIZES="100000" THREADS="2" WHERE="local push" SPELLINGS=per-row bench/cluster.sh
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

# A cluster of partylink-scheduler and one partylink-executor of $1 task slots on this machine,
# its shuffle files in $2: pushes tasks as a real cluster does (standalone mode's executor asks
# for them). Sets SCHEDULER_PID, EXECUTOR_PID and PUSH (the --cluster address).
start_cluster() {
    local port=50150
    "$CARGO_TARGET_DIR/release/partylink-scheduler" --bind-host 127.0.0.1 --external-host 127.0.0.1 \
        --bind-port "$port" >"$WORK/scheduler.log" 2>&1 &
    SCHEDULER_PID=$!
    "$CARGO_TARGET_DIR/release/partylink-executor" --scheduler-host 127.0.0.1 --scheduler-port "$port" \
        --bind-host 127.0.0.1 --external-host 127.0.0.1 --port $((port + 1)) --grpc-port $((port + 2)) \
        --concurrent-tasks "$1" --work-dir "$2" >"$WORK/executor.log" 2>&1 &
    EXECUTOR_PID=$!
    for _ in $(seq 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$((port + 1))) 2>/dev/null && break
        sleep 0.2
    done
    PUSH="df://127.0.0.1:$port"
}

# The executor's peak memory in MiB, then the cluster stopped.
stop_cluster() {
    awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$EXECUTOR_PID/status"
    kill "$EXECUTOR_PID" "$SCHEDULER_PID" 2>/dev/null || true
    wait "$EXECUTOR_PID" "$SCHEDULER_PID" 2>/dev/null || true
}

WHERE="${WHERE:-local standalone push}"
echo "| where | threads | spellings | contacts | wall time (s) | peak memory (MiB) | executor peak (MiB) | contacts per second | shuffle files (MB) |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $SIZES; do
    contacts="$WORK/contacts_${SPELLINGS}_$n.parquet"
    [ -f "$contacts" ] || "$BIN" synth --rows "$n" --seed 1 --spellings "$SPELLINGS" --out "$contacts"
    # The link cache is warmed once, so that no run below pays for it.
    [ -d "$WORK/cache" ] || "$BIN" run --quiet --cache-dir "$WORK/cache" --contacts examples/contacts_sample.csv \
        --out "$WORK/out_cluster_warm"
    for threads in $THREADS; do
        for where in $WHERE; do
            out="$WORK/out_cluster_${where}_${threads}_$n"
            # Only a cluster run writes shuffle files: the standalone executor's work directory is
            # under TMPDIR, a started executor's its --work-dir.
            shuffle="$WORK/shuffle_${where}_${threads}_$n"
            rm -rf "$shuffle" "$shuffle.mb" && mkdir -p "$shuffle"
            cluster=()
            case "$where" in
                standalone) cluster=(--cluster standalone --cluster-dir "$WORK") ;;
                push) start_cluster "$threads" "$shuffle" && cluster=(--cluster "$PUSH" --cluster-dir "$WORK") ;;
            esac
            if [ "$where" != local ]; then
                touch "$shuffle.running"
                shuffle_bytes "$shuffle" "$shuffle.running" >"$shuffle.mb" &
            fi
            TMPDIR="$shuffle" PARTYLINK_TIMINGS=1 /usr/bin/time -v -o "$WORK/time.txt" "$BIN" --threads "$threads" \
                run --quiet --no-report --formats parquet --cache-dir "$WORK/cache" --contacts "$contacts" \
                --out "$out" "${cluster[@]}" 2>"$WORK/timings_${where}_${threads}_$n.txt"
            rm -f "$shuffle.running"
            executor=-
            [ "$where" != push ] || executor=$(stop_cluster)
            wait
            IFS='|' read -r wall mib <<<"$(measure "$WORK/time.txt")"
            rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
            mb=$(cat "$shuffle.mb" 2>/dev/null || echo -)
            echo "| $where | $threads | $SPELLINGS | $n | $wall | $mib | $executor | $rate | $mb |"
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
