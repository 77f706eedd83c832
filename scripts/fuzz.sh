#!/usr/bin/env bash
# Long fuzzing runs: every libFuzzer target of fuzz/ (or those given with --only) for HOURS in
# all, the time shared equally, JOBS targets at a time (default 1, at nice 19, so that a shared
# machine stays usable). Each target's corpus grows in build-fuzz/corpus/<target>/ from one run
# to the next (seeded from fuzz/corpus/<target>/); each finding is kept in
# build-fuzz/findings/<target>/ as libFuzzer names it (crash-<sha1>, leak-…, timeout-…, oom-…)
# with the run's log beside it (<name>.log), and the target goes on fuzzing for the time left
# (up to 5 findings: by then the same bug is being found again).
# Ends with a table of executions, time and findings per target, also written to
# build-fuzz/fuzz-report.md. A finding becomes a regression test: reproduce it with
# `build-fuzz/fuzz/<target> build-fuzz/findings/<target>/<file>`.
#
# --runs N stops each target once it has executed N inputs (libFuzzer's -runs), HOURS being then
# the most it may take: `scripts/fuzz.sh --runs 10000000 24` is docs/RELIABILITY.md's goal.
#
# Usage: scripts/fuzz.sh [--jobs N] [--runs N] [--only TARGET]... HOURS   (HOURS may be a fraction: 0.5)
# FUZZ_BUILD_DIR=DIR builds and keeps everything in DIR instead of build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
source scripts/lib/steps.sh
source tools/fuzz_targets.sh

usage() {
  echo "usage: $0 [--jobs N] [--runs N] [--only TARGET]... HOURS   (e.g. $0 8, or $0 --only fuzz_csv_reader 0.5)" >&2
  exit 2
}
jobs=1
runs=0
only=()
while (($#)); do
  case $1 in
    --jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; jobs=$2; shift 2 ;;
    --runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; runs=$2; shift 2 ;;
    --only) [[ -n ${2:-} ]] || usage; only+=("$2"); shift 2 ;;
    -*) usage ;;
    *) break ;;
  esac
done
(($# == 1)) && [[ $1 =~ ^[0-9]*\.?[0-9]+$ ]] || usage
hours=$1

build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
step build-fuzz "building the libFuzzer targets with clang ($build_dir/)" tools/build_fuzzers.sh "$build_dir"
find_fuzz_targets "$build_dir"
if ((${#only[@]})); then
  for name in "${only[@]}"; do
    [[ " ${fuzz_targets[*]} " == *" $name "* ]] || { echo "error: no fuzz target $name; there are: ${fuzz_targets[*]}" >&2; exit 2; }
  done
  fuzz_targets=("${only[@]}")
fi

# Each target's share of the wall time: HOURS × JOBS / targets.
seconds=$(awk -v h="$hours" -v j="$jobs" -v n="${#fuzz_targets[@]}" 'BEGIN { printf "%d", h * 3600 * j / n }')
((seconds > 0)) || usage
echo "fuzzing ${#fuzz_targets[@]} targets for $(format_duration "$seconds") each$( ((runs == 0)) || echo " or $runs executions"), $jobs at a time; logs in $(show_path "$log_dir")/fuzz-<target>.log"

# fuzz_target NAME: runs NAME until its time is spent, starting again after each finding.
# Writes "EXECUTIONS SECONDS FINDINGS CORPUS" to $build_dir/findings/NAME/summary.
fuzz_target() {
  local name=$1
  local corpus=$build_dir/corpus/$name findings=$build_dir/findings/$name log=$log_dir/fuzz-$name.log
  mkdir -p "$corpus" "$findings"
  : >"$log"
  local start=$SECONDS executions=0 found=0 left=$seconds run_log status seeds=()
  [[ ! -d fuzz/corpus/$name ]] || seeds=("$repo/fuzz/corpus/$name")
  local until=()
  while ((left > 0 && found < 5)) && ((runs == 0 || executions < runs)); do
    ((runs == 0)) || until=(-runs=$((runs - executions)))
    run_log=$(mktemp)
    status=0
    nice -n 19 "$build_dir/fuzz/$name" -max_total_time="$left" "${until[@]}" $(limits_for "$name") -print_final_stats=1 \
      -artifact_prefix="$findings/" "$corpus" "${seeds[@]}" >"$run_log" 2>&1 || status=$?
    executions=$((executions + $(executions_in "$run_log")))
    cat "$run_log" >>"$log"
    if ((status != 0)); then
      local artifact
      artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$run_log" | tail -n 1)
      if [[ -z $artifact ]]; then
        echo "error: $name stopped (exit status $status) without leaving an input; see $(show_path "$log")" >&2
        rm -f "$run_log"
        break
      fi
      cp "$run_log" "$artifact.log"
      found=$((found + 1))
      echo "finding in $name: $(show_path "$artifact") (log beside it)"
    fi
    rm -f "$run_log"
    left=$((seconds - (SECONDS - start)))
  done
  echo "$executions $((SECONDS - start)) $found $(find "$corpus" -type f | wc -l)" >"$findings/summary"
}

for name in "${fuzz_targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  fuzz_target "$name" &
done
wait

report=$build_dir/fuzz-report.md
{
  echo "| target | executions | time | executions/s | corpus | findings |"
  echo "|---|---:|---:|---:|---:|---:|"
  total_found=0
  for name in "${fuzz_targets[@]}"; do
    read -r executions took found corpus <"$build_dir/findings/$name/summary"
    total_found=$((total_found + found))
    printf '| %s | %s | %s | %d | %s | %s |\n' "$name" "$executions" "$(format_duration "$took")" \
      $((executions / (took > 0 ? took : 1))) "$corpus" "$found"
  done
} >"$report"
cat "$report"
echo "(also in $report)"
if ((total_found > 0)); then
  echo "$total_found findings: the inputs and their logs are in $build_dir/findings/<target>/" >&2
  exit 1
fi
