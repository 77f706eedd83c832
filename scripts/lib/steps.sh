# Quiet steps for the scripts in scripts/ (sourced, not run): one line per step on the terminal,
# the whole output of each step (apt, pip, cmake, compilers, tests) in a log file under
# build/logs/ that a failure names and shows the end of.
#
#   step LOG "building the release build" COMMAND...     → "building the release build… done (3 min 12 s)"
#   stage NAME COMMAND...                                → "testing NAME… 436 tests passed (1 min 02 s)"
#   print_stage_summary                                  → the table of stages and the closing count
#
# A stage counts what passed from its output: CTest's "tests failed out of N", pytest's
# "N passed", or a line "passed: N WHAT" that our own scripts print (tools/run_fuzzers.sh).
# A stage that fails or passes nothing stops the run.

dense_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
log_dir=${DENSE_LOG_DIR:-$dense_root/build/logs}
mkdir -p "$log_dir"

# "42 s", "3 min 05 s", "1 h 02 min"
format_duration() {
  local s=$1
  if ((s < 60)); then printf '%d s' "$s"
  elif ((s < 3600)); then printf '%d min %02d s' $((s / 60)) $((s % 60))
  else printf '%d h %02d min' $((s / 3600)) $((s % 3600 / 60)); fi
}

# cpu_now: sets cpu_now_s to the CPU time (user + system, whole seconds) of every child this
# shell has waited for. `times` must run in this shell: in $(...) its fork would count nothing.
cpu_times_file=$(mktemp)
trap 'rm -f "$cpu_times_file"' EXIT
minutes_to_seconds() {  # "1m2.345s" → 62
  local m=${1%%m*} s=${1#*m}
  s=${s%s}
  echo $((10#$m * 60 + 10#${s%.*}))
}
cpu_now() {
  times >"$cpu_times_file"
  local user sys
  { read -r _ _; read -r user sys; } <"$cpu_times_file"
  cpu_now_s=$(($(minutes_to_seconds "$user") + $(minutes_to_seconds "$sys")))
}

# took_since WALL CPU: sets took to "3 min 12 s, 6 min 02 s CPU", the time since those readings
# of SECONDS and cpu_now. CPU time says what a step costs whatever else the machine runs (on 2
# free cores, wall ≈ CPU / 2).
took_since() {
  cpu_now
  took="$(format_duration $((SECONDS - $1))), $(format_duration $((cpu_now_s - $2))) CPU"
}

# A path as the user typed it: relative to the repository when it is inside.
show_path() { printf '%s' "${1#"$dense_root"/}"; }

# What a failed step left in its log: CTest's output without its lines for starting and passing
# tests (so a failing test's own output shows however long the log), anything else's last 40 lines.
print_failure() {
  local log=$1
  echo "----- $(show_path "$log") -----" >&2
  if grep -q '^Test project ' "$log"; then
    grep -vE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed +[0-9.]+ sec$|^ +Start +[0-9]+: ' "$log" | tail -n 400 >&2
  else
    tail -n 40 "$log" >&2
  fi
  echo "-----" >&2
}

# step LOG DESCRIPTION COMMAND...: runs COMMAND with its output in build/logs/LOG.log.
step() {
  local log=$log_dir/$1.log description=$2 start=$SECONDS status=0 took
  shift 2
  cpu_now
  local start_cpu=$cpu_now_s
  printf '%s… ' "$description"
  # A job of its own, started outside any `||`, so that `set -e` holds inside a function given
  # as the command (bash ignores it in `cmd || ...`: a failed configure would go on to build).
  "$@" >"$log" 2>&1 &
  wait $! || status=$?
  if ((status != 0)); then
    echo "FAILED"
    print_failure "$log"
    echo "error: ${description} failed (exit status $status); its whole output is in $(show_path "$log")" >&2
    exit 1
  fi
  took_since "$start" "$start_cpu"
  echo "done ($took)"
}

# count_passed LOG: "PASSED SKIPPED WHAT" from the summaries in LOG (0 when there is none).
count_passed() {
  awk '
    match($0, /tests passed, [0-9]+ tests? failed out of [0-9]+/) {
      n = split(substr($0, RSTART, RLENGTH), words, " "); passed += words[n]; what = "tests"; next }
    /^[ \t]*[0-9]+ - .* \(Skipped\)$/ { skipped++; next }
    / passed/ && / in [0-9.]+s/ {                       # pytest: "=== 12 passed, 2 skipped in 3.4s ==="
      for (i = 1; i < NF; i++) {
        if ($(i + 1) ~ /^passed/) passed += $i
        if ($(i + 1) ~ /^skipped/) skipped += $i
      }
      what = "tests"; next }
    /^passed: [0-9]+ / { passed += $2; what = substr($0, index($0, $3)) }
    END { printf "%d %d %s\n", passed, skipped, (what == "" ? "tests" : what) }' "$1"
}

declare -A stage_totals=()
stage_whats=()
stage_lines=()
run_start=$SECONDS

# stage NAME COMMAND...: one stage of the tests, its output in build/logs/test-NAME.log.
stage() {
  local name=$1 start=$SECONDS status=0
  shift
  cpu_now
  local start_cpu=$cpu_now_s
  local log=$log_dir/test-${name//[^A-Za-z0-9]/-}.log
  printf 'testing %s… ' "$name"
  "$@" >"$log" 2>&1 &
  wait $! || status=$?
  local passed skipped what
  read -r passed skipped what < <(count_passed "$log")
  local took
  took_since "$start" "$start_cpu"
  if ((status != 0)); then
    echo "FAILED ($took)"
    print_failure "$log"
    echo "error: the ${name} stage failed (exit status $status); its whole output is in $(show_path "$log")" >&2
    exit 1
  fi
  if ((passed == 0)); then
    echo "FAILED ($took)"
    print_failure "$log"
    echo "error: the ${name} stage ran no test (a stage that tests nothing fails); see $(show_path "$log")" >&2
    exit 1
  fi
  local note=""
  ((skipped == 0)) || note=" ($skipped skipped)"
  local shown=$what
  ((passed != 1)) || shown=${what%s}
  echo "${passed} ${shown} passed${note} (${took})"
  stage_lines+=("$(printf '  %-22s %6d %-18s %s' "$name" "$passed" "$shown$note" "$took")")
  [[ -v "stage_totals[$what]" ]] || stage_whats+=("$what")
  stage_totals[$what]=$((${stage_totals[$what]:-0} + passed))
}

# The stages' table and the closing line: "all: 873 tests, 3 fuzz targets passed, 0 failed …".
print_stage_summary() {
  local counts=() what
  for what in "${stage_whats[@]}"; do counts+=("${stage_totals[$what]} $what"); done
  local joined
  joined=$(printf '%s, ' "${counts[@]}")
  echo
  printf '%s\n' "${stage_lines[@]}"
  echo "all: ${joined%, } passed, 0 failed, in ${#stage_lines[@]} stages ($(format_duration $((SECONDS - run_start))))"
}
