#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ (one per fuzz/fuzz_*.cpp, found, not listed) for SECONDS
# each, JOBS at a time (default: the number of cores), each from a copy of its seed corpus in
# fuzz/corpus/<target>/. Fails on any crash, leak, timeout, out-of-memory or sanitizer report,
# leaving the input in BUILD_DIR/fuzz-findings/<target>/. Ends with "passed: N fuzz targets".
# The mutations follow a fixed seed (FUZZ_SEED, default 1), so a run that passed here passes on
# another machine of the same speed: this is a gate against regressions, where a finding is
# reproducible; the search for new findings is scripts/fuzz.sh's long runs, whose seeds vary.
# Build the targets first: tools/build_fuzzers.sh BUILD_DIR. Long runs: scripts/fuzz.sh HOURS.
# Usage: tools/run_fuzzers.sh BUILD_DIR SECONDS [JOBS]
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]] || ! [[ ${3:-1} =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS [JOBS] (whole numbers: seconds per target, targets at a time)" >&2
  exit 2
fi
build_dir=$1
seconds=$2
jobs=${3:-$(nproc)}
seed=${FUZZ_SEED:-1}
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/tools/fuzz_targets.sh"

find_fuzz_targets "$build_dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_target NAME: one target for `seconds`; its exit status goes to $work/NAME/status.
run_target() {
  local name=$1 dir=$work/$1
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -r "$repo/fuzz/corpus/$name/." "$dir/corpus/" 2>/dev/null || true
  local status=0 replay=()
  [[ " ${replay_only_targets[*]} " != *" $name "* ]] || replay=(-runs=0)
  "$build_dir/fuzz/$name" -seed="$seed" -max_total_time="$seconds" "${replay[@]}" $(limits_for "$name") -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1 || status=$?
  echo "$status" >"$dir/status"
}

echo "running ${#fuzz_targets[@]} fuzz targets for ${seconds}s each, ${jobs} at a time"
for name in "${fuzz_targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  run_target "$name" &
done
wait

failed=0
for name in "${fuzz_targets[@]}"; do
  dir=$work/$name
  if [[ $(cat "$dir/status") == 0 ]] && (($(executions_in "$dir/log") == 0)); then
    echo "FAIL: $name executed no input; its log:" >&2
    tail -n 20 "$dir/log" >&2
    failed=$((failed + 1))
  elif [[ $(cat "$dir/status") != 0 ]]; then
    tail -n 60 "$dir/log" >&2
    mkdir -p "$build_dir/fuzz-findings/$name"
    cp "$dir/artifacts/"* "$dir/log" "$build_dir/fuzz-findings/$name/" 2>/dev/null || true
    echo "FAIL: $name found a problem; the input and the log are in $build_dir/fuzz-findings/$name/" >&2
    failed=$((failed + 1))
  else
    echo "ok: $name: $(executions_in "$dir/log") executions$([[ " ${replay_only_targets[*]} " != *" $name "* ]] || echo " (corpus replayed)"), corpus $(find "$dir/corpus" -type f | wc -l) inputs"
  fi
done
if ((failed > 0)); then
  echo "$failed of ${#fuzz_targets[@]} fuzz targets failed" >&2
  exit 1
fi
echo "passed: ${#fuzz_targets[@]} fuzz targets"
