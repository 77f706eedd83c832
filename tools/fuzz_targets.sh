# What tools/run_fuzzers.sh and scripts/fuzz.sh share (sourced, not run): the targets, the
# limits every run has, and reading a run's log.

# A reader that allocates what a header claims is a finding (-malloc_limit_mb, -rss_limit_mb);
# so is an input that takes 10 s.
libfuzzer_limits=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024)

# limits_for TARGET: libfuzzer_limits, but for the targets that go through the HDF5 library. It
# allocates what a damaged file's metadata declares: object headers of GBs, found too short and
# freed untouched (dense's own read of such a file ends in a DataError at about 22 MB peak), and
# the declared length of every variable-length string of an attribute before it reads them (a
# 13 KB file took 4.2 GB for 2.5 s, then was refused). There a single allocation may be up to
# 64 GB (returned as NULL, as the C library would, when it cannot be made) and the process may
# use 8 GB; dense's own code checks declared sizes before allocating (tests/interop).
limits_for() {
  case $1 in
    fuzz_hdf5_reader | fuzz_keras_archive) echo -timeout=10 -rss_limit_mb=8192 -malloc_limit_mb=65536 ;;
    *) echo "${libfuzzer_limits[@]}" ;;
  esac
}
# Targets whose inputs reach the HDF5 library, which has memory-safety bugs of its own on damaged
# files (a heap over-read decoding an attribute message, found by fuzz_hdf5_reader) that dense
# cannot fix: the test script replays their corpus (the inputs found before included) instead of
# mutating it, so that the gate fails on dense's regressions, not on the library's known bugs.
# scripts/fuzz.sh still fuzzes them.
replay_only_targets=(fuzz_hdf5_reader fuzz_keras_archive)

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
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
