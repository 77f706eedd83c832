# What tools/run_fuzzers.sh and scripts/fuzz.sh share (sourced, not run): the targets, the
# limits every run has, and reading a run's log.

# A reader that allocates what a header claims is a finding (-malloc_limit_mb, -rss_limit_mb);
# so is an input that takes 10 s.
libfuzzer_limits=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$repo/tools/lsan.supp

# find_fuzz_targets BUILD_DIR: fuzz_targets=(every fuzz/fuzz_*.cpp's name), each built in BUILD_DIR.
find_fuzz_targets() {
  local build_dir=$1 source name
  fuzz_targets=()
  for source in "$repo"/fuzz/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    if [ ! -x "$build_dir/fuzz/$name" ]; then
      echo "error: $build_dir/fuzz/$name is not built; build the targets with: tools/build_fuzzers.sh $build_dir" >&2
      exit 1
    fi
    fuzz_targets+=("$name")
  done
  if ((${#fuzz_targets[@]} == 0)); then
    echo "error: no fuzz target in $repo/fuzz (fuzz_*.cpp)" >&2
    exit 1
  fi
}

# executions_in LOG: how many inputs a libFuzzer run executed (its final statistics, or else
# its last status line "#N ...", as a run that found something prints no statistics).
executions_in() {
  local n
  n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$1" | tail -n 1)
  [[ -n $n ]] || n=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$1" | tail -n 1)
  echo "${n:-0}"
}
