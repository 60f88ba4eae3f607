#!/usr/bin/env bash
# Extraction benchmarks: partylink extract (and run --news) on synthetic news items in the
# shapes of the labelled fixture items (partylink synth --news N: real parties, varied officials,
# dates, places, about 2 KB an item), with wall time and peak memory from /usr/bin/time -v.
# Prints a Markdown table.
#
#   bench/extract.sh                      # 5,080 items (the study's count) and 10^6
#   SIZES="5080" bench/extract.sh
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/partylink"
SIZES="${SIZES:-5080 1000000}"
WORK="${WORK:-/var/tmp/partylink-bench-extract}"
mkdir -p "$WORK"

cargo build --release --quiet

. bench/measure.sh

echo "| command | items | MB of news | wall time (s) | peak memory (MiB) | items per second |"
echo "|---|---|---|---|---|---|"
# One timed run: label, items, news file, then the arguments.
timed() {
    local label="$1" n="$2" news="$3"
    shift 3
    /usr/bin/time -v -o "$WORK/time.txt" "$BIN" "$@"
    IFS='|' read -r wall mib <<<"$(measure "$WORK/time.txt")"
    local mb
    mb=$(awk -v b="$(stat -c %s "$news")" 'BEGIN { printf "%.1f", b / 1e6 }')
    echo "| $label | $n | $mb | $wall | $mib | $(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }') |"
}

# The link cache is warmed once, as a user's second run would find it.
"$BIN" extract --quiet --cache-dir "$WORK/cache" --news tests/fixtures/news/items.jsonl --out "$WORK/out_fixture"
timed "extract, labelled fixture items" 114 tests/fixtures/news/items.jsonl \
    extract --quiet --cache-dir "$WORK/cache" --news tests/fixtures/news/items.jsonl --out "$WORK/out_fixture"
for n in $SIZES; do
    news="$WORK/news_$n.jsonl"
    [ -f "$news" ] || "$BIN" synth --news "$n" --seed 1 --out "$news"
    timed "extract" "$n" "$news" extract --quiet --cache-dir "$WORK/cache" --news "$news" --out "$WORK/out_$n"
    if [ "$n" -le 10000 ]; then
        timed "run --news (extract, resolve, enrich, report)" "$n" "$news" \
            run --quiet --cache-dir "$WORK/cache" --news "$news" --out "$WORK/out_run_$n"
    fi
done
