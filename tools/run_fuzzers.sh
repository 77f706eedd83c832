#!/usr/bin/env bash
# Runs every libFuzzer target built in BUILD_DIR for SECONDS each, starting from a copy of its
# seed corpus in fuzz/corpus/<target>/, and fails on the first crash, leak, timeout or
# sanitizer report. Build the targets first:
#   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DDENSE_BUILD_FUZZERS=ON -DDENSE_BUILD_TESTS=OFF
#   ninja -C build-fuzz fuzz_csv_reader fuzz_idx_reader fuzz_model_loader   (one per fuzz/fuzz_*.cpp)
# Usage: tools/run_fuzzers.sh BUILD_DIR SECONDS
set -euo pipefail

if [ $# -ne 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS (a whole number of seconds per target)" >&2
  exit 2
fi
build_dir=$1
seconds=$2
repo=$(cd "$(dirname "$0")/.." && pwd)

targets=()
for source in "$repo"/fuzz/fuzz_*.cpp; do
  name=$(basename "$source" .cpp)
  binary="$build_dir/fuzz/$name"
  if [ ! -x "$binary" ]; then
    echo "error: $binary is not built; build it with: ninja -C $build_dir $name" >&2
    exit 1
  fi
  targets+=("$name")
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

for name in "${targets[@]}"; do
  corpus="$work/$name/corpus"
  mkdir -p "$corpus" "$work/$name/artifacts"
  cp -r "$repo/fuzz/corpus/$name/." "$corpus/" 2>/dev/null || true
  echo "== $name: ${seconds}s"
  # -rss_limit_mb / -malloc_limit_mb: a reader that allocates what a header claims is a finding.
  if ! "$build_dir/fuzz/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -print_final_stats=1 -artifact_prefix="$work/$name/artifacts/" "$corpus" >"$work/$name/log" 2>&1; then
    tail -n 60 "$work/$name/log" >&2
    mkdir -p "$build_dir/fuzz-findings/$name"
    cp "$work/$name/artifacts/"* "$build_dir/fuzz-findings/$name/" 2>/dev/null || true
    echo "FAIL: $name found a problem; the input is in $build_dir/fuzz-findings/$name/" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$work/$name/log" || true
  echo "ok: $name"
done
