#!/usr/bin/env bash
# `mpirun -np N dense tune` as a user runs it. Usage: tune_cli_test.sh DENSE MPIRUN WORKDIR CASE
#   equal    1, 2 and 4 processes under mpirun pick what dense alone picks: the same trials and scores in the
#            log, the same pick and final check, the same model file byte for byte (Hyperband with
#            a validation split and its final check; random search with 3-fold cross-validation)
#   resume   a search whose log was cut short (mid-line) resumed with 2 and with 4 processes ends
#            as the uninterrupted one: the same log, the same model file
#   killed   kill -9 of a process mid-search ends the job soon, non-zero, with a message from
#            process 0, the log whole (every line complete)
#   failed   a process that cannot read its data ends the job soon, non-zero, saying why
#   different a process whose copy of the data differs (fewer rows) ends the job: exit 1, a message, no model
#   budget   with a time budget, 2 processes end in time (trials cut short abandoned) and save a model
set -euo pipefail
dense=$1 mpirun=$2 work=$3 case=$4
mkdir -p "$work" && cd "$work"
rm -f ./*.jsonl ./*.dense
fail() { echo "FAILED: $*" >&2; exit 1; }
source "$(dirname "$0")/kill_one_process.sh"

# ROWS rows of 4 features and a class no straight line separates, so that the trials with hidden
# layers win: inside the circle x1² + x2² < 0.5, or else the sign of x3·x4 (awk's rand is seeded).
make_data() {
  awk -v rows="$1" 'BEGIN { srand(11); print "x1,x2,x3,x4,y";
    for (r = 0; r < rows; r++) { for (i = 1; i <= 4; i++) x[i] = 2 * rand() - 1;
      c = x[1] * x[1] + x[2] * x[2] < 0.5 ? "in" : x[3] * x[4] > 0 ? "A" : "B";
      printf "%.4f,%.4f,%.4f,%.4f,%s\n", x[1], x[2], x[3], x[4], c } }' > "$2"
}
# A log's trials without their timings (which differ from run to run), in trial order.
trials_of() { sed 1d "$1" | sed 's/,"seconds":[^,}]*//' | sort; }
# The pick and why (the final check's figures when it was not the simplest).
picked() { grep -E '^(Picked|Why)' "$1"; }
# Runs `dense tune` under mpirun on PROCESSES processes (alone: without mpirun):
# run_tune PROCESSES NAME OPTION... writes NAME.jsonl, NAME.dense and the printed summary NAME.txt.
run_tune() {
  local processes=$1 name=$2
  shift 2
  local launcher=()
  [[ $processes == alone ]] || launcher=("$mpirun" -np "$processes")
  "${launcher[@]}" "$dense" tune data.csv --target y "$@" --log "$name.jsonl" -o "$name.dense" > "$name.txt" 2> "$name.err"
}
same_search() {
  [[ "$(picked "$1.txt")" == "$(picked "$2.txt")" ]] || fail "$2 picked '$(picked "$2.txt")', $1 '$(picked "$1.txt")'"
  diff <(trials_of "$1.jsonl") <(trials_of "$2.jsonl") || fail "$2's log holds other trials or scores than $1's"
  cmp "$1.dense" "$2.dense" || fail "$2's model file differs from $1's"
}

case $case in
equal)
  make_data 300 data.csv
  hyperband=(--trials 12 --max-epochs 9 --seed 8)  # the final check weighs 3 trials and prints its figures
  random=(--strategy random --folds 3 --trials 6 --max-epochs 4 --seed 5)
  run_tune alone hyperband-alone "${hyperband[@]}"
  run_tune alone random-alone "${random[@]}"
  [[ $(trials_of hyperband-alone.jsonl | wc -l) -gt 12 ]] || fail "Hyperband evaluated no trial twice: no rung above the first"
  for processes in 1 2 4; do
    run_tune "$processes" "hyperband-$processes" "${hyperband[@]}"
    same_search hyperband-alone "hyperband-$processes"
    run_tune "$processes" "random-$processes" "${random[@]}"
    same_search random-alone "random-$processes"
  done
  grep -Eq 'on 2 processes \([1-9][0-9]* \+ [1-9][0-9]* evaluations trained\)' hyperband-2.txt ||
    fail "the 2 processes did not both train trials: $(grep Searched hyperband-2.txt)"
  grep Searched hyperband-4.txt
  picked hyperband-4.txt
  ;;
resume)
  make_data 300 data.csv
  search=(--trials 12 --max-epochs 9 --seed 8)
  run_tune 2 full "${search[@]}"
  for processes in 2 4; do
    # the header, 4 trials and half of the 5th, as an interruption while writing leaves it
    { head -5 full.jsonl; sed -n 6p full.jsonl | head -c 60; } > "resumed-$processes.jsonl"
    run_tune "$processes" "resumed-$processes" "${search[@]}"
    grep -q "4 read back from the log" "resumed-$processes.txt" || fail "not 4 trials read back: $(cat "resumed-$processes.txt")"
    same_search full "resumed-$processes"
  done
  ;;
killed)
  make_data 3000 data.csv
  search=(--strategy random --trials 100000 --max-epochs 200 --folds 5)
  "$mpirun" -np 2 "$dense" tune data.csv --target y "${search[@]}" --log search.jsonl -o model.dense \
    > out.txt 2> err.txt & launcher=$!
  kill_one_process "$launcher" 4 err.txt
  [[ ! -e model.dense ]] || fail "a model file was written"
  [[ -z "$(tail -c 1 search.jsonl)" ]] || fail "the log's last line is cut short"
  echo "$(($(wc -l < search.jsonl) - 1)) trials in the log"
  ;;
failed)
  make_data 300 data.csv
  # process 1 is given a file that does not exist (Open MPI numbers the processes in OMPI_COMM_WORLD_RANK)
  status=0
  started=$SECONDS
  "$mpirun" -np 2 sh -c '[ "$OMPI_COMM_WORLD_RANK" = 1 ] && data=missing.csv || data=data.csv
    exec "$0" tune "$data" --target y --trials 4 --max-epochs 3 --log search.jsonl -o model.dense' "$dense" \
    > out.txt 2> err.txt || status=$?
  cat err.txt
  ((status != 0)) || fail "the job exited 0 though a process could not read its data"
  ((SECONDS - started < 60)) || fail "the job took $((SECONDS - started))s to end"
  grep -q "missing.csv" err.txt || fail "no message naming the file"
  [[ ! -e model.dense ]] || fail "a model file was written"
  ;;
different)
  make_data 300 data.csv
  head -n 201 data.csv > stale.csv  # the same header and first rows, as an older copy on one machine
  status=0
  "$mpirun" -np 2 sh -c '[ "$OMPI_COMM_WORLD_RANK" = 1 ] && data=stale.csv || data=data.csv
    exec "$0" tune "$data" --target y --trials 4 --max-epochs 3 --log search.jsonl -o model.dense' "$dense" \
    > out.txt 2> err.txt || status=$?
  [[ $status -eq 1 ]] || fail "exit status $status, 1 expected; stderr: $(cat err.txt)"
  grep -q "the processes read different data" err.txt || fail "no message naming the cause: $(cat err.txt)"
  [[ ! -e model.dense ]] || fail "a model file was written"
  ;;
budget)
  make_data 3000 data.csv
  started=$SECONDS
  "$mpirun" -np 2 "$dense" tune data.csv --target y --strategy random --max-epochs 300 --time-budget 6s \
    -o model.dense > out.txt 2> err.txt || fail "the budgeted search failed: $(cat err.txt)"
  elapsed=$((SECONDS - started))
  grep Searched out.txt
  ((elapsed < 30)) || fail "a 6 s budget took ${elapsed}s"
  grep -q "on 2 processes" out.txt || fail "the summary does not say the processes shared the search"
  [[ -s model.dense ]] || fail "no model file"
  ;;
*) fail "unknown case $case" ;;
esac
