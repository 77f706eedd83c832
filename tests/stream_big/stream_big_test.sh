#!/usr/bin/env bash
# Issue 18's streaming check: a generated CSV file of over 2 GB trains with `dense train --stream`
# in under 300 MB of peak memory (getrusage's ru_maxrss), and its model classifies held-out rows
# as well as a model trained on a 20 MB subset of the same rows read whole (within 1 point).
# Usage: stream_big_test.sh DENSE MAKE_CSV PEAK_MEMORY WORKDIR
set -euo pipefail
dense=$1 make_csv=$2 peak_memory=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
trap 'rm -f "$work/big.csv"' EXIT

"$make_csv" big.csv 2100000000 1        # 2.1 GB: about 25 million rows
"$make_csv" subset.csv 20000000 1       # its first 20 MB
"$make_csv" test.csv 5000000 2          # other rows of the same distribution
echo "big.csv: $(stat -c %s big.csv) bytes"

common=(--target y --layers 16 --early-stopping 0 --batch-size 256 --threads 2 -q)
start=$SECONDS
"$peak_memory" "$dense" train big.csv "${common[@]}" --stream --epochs 1 --validation-split 0.01 \
    --out streamed.dense 2> streamed.err || { cat streamed.err; exit 1; }
echo "streamed training: $((SECONDS - start)) s"
peak=$(awk '/^peak_rss_kib/ {print $2}' streamed.err)
echo "peak resident memory: $peak KiB"
"$dense" train subset.csv "${common[@]}" --epochs 10 --validation-split 0 --out subset.dense

accuracy() { "$dense" evaluate --json "$1" test.csv | awk -F'[:,]' '/"accuracy"/ {gsub(/ /, "", $2); print $2; exit}'; }
streamed=$(accuracy streamed.dense) subset=$(accuracy subset.dense)
echo "test accuracy: streamed $streamed, subset read whole $subset"
awk -v peak="$peak" -v streamed="$streamed" -v subset="$subset" 'BEGIN {
    if (peak >= 300 * 1000 * 1000 / 1024) { print "FAIL: peak memory " peak " KiB is not under 300 MB"; exit 1 }
    if (streamed < subset - 0.01) { print "FAIL: streamed accuracy " streamed " is below " subset " - 0.01"; exit 1 }
    print "PASS" }'
