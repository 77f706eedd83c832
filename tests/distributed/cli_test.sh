#!/usr/bin/env bash
# `mpirun -np N dense train` as a user runs it. Usage: cli_test.sh DENSE MPIRUN WORKDIR CASE
#   equal     2 processes give the predictions of 1 process alone (within float32 round-off)
#   resume    2 processes resumed from a checkpoint give the uninterrupted run's model, bit for bit
#   killed    kill -9 of one process mid-epoch ends the job soon, non-zero, the old model intact
#   different a process whose copy of the data differs (fewer rows) ends the job: exit 1, a message, no model
#   alone     the other commands run on process 0 alone: 4 processes print predict's and evaluate's output once
set -euo pipefail
dense=$1 mpirun=$2 work=$3 case=$4
mkdir -p "$work" && cd "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }
source "$(dirname "$0")/kill_one_process.sh"

# ROWS rows of 4 features and a class: the largest of x1 + x2, x3 - x4 and 0.3 (awk's rand is seeded).
make_data() {
  awk -v rows="$1" 'BEGIN { srand(7); print "x1,x2,x3,x4,y";
    for (r = 0; r < rows; r++) { for (i = 1; i <= 4; i++) x[i] = 2 * rand() - 1;
      a = x[1] + x[2]; b = x[3] - x[4]; c = a > b ? (a > 0.3 ? "A" : "C") : (b > 0.3 ? "B" : "C");
      printf "%.4f,%.4f,%.4f,%.4f,%s\n", x[1], x[2], x[3], x[4], c } }' > "$2"
}
train=(train data.csv --target y --layers 16 --epochs 6 --early-stopping 0 --reduce-lr 0 --seed 3 --quiet)

case $case in
equal)
  make_data 500 data.csv
  "$dense" "${train[@]}" -o alone.dense
  "$mpirun" -np 2 "$dense" "${train[@]}" -o two.dense
  "$dense" predict alone.dense data.csv > alone.csv
  "$dense" predict two.dense data.csv > two.csv
  # every number within 1e-4 of the other run's, the text columns equal
  paste -d '\n' alone.csv two.csv | awk -F, 'NR % 2 { split($0, a, ","); next }
    { for (i = 1; i <= NF; i++) { d = a[i] - $i; if (a[i] != $i && (a[i] + 0 != a[i] || d > 1e-4 || d < -1e-4)) {
        print "row " NR / 2 " column " i ": " a[i] " alone, " $i " with 2 processes"; bad = 1 } } }
    END { exit bad }' || fail "2 processes predict otherwise than 1"
  [[ $(wc -l < two.csv) -eq 501 ]] || fail "predictions of 500 rows expected"
  ;;
resume)
  make_data 500 data.csv
  "$mpirun" -np 2 "$dense" "${train[@]}" --checkpoint ckpt -o full.dense
  "$mpirun" -np 2 "$dense" train data.csv --resume ckpt/epoch-3.dense --epochs 6 --quiet -o resumed.dense
  cmp full.dense resumed.dense || fail "the resumed run's model differs from the uninterrupted one"
  ;;
killed)
  make_data 20000 data.csv
  "$dense" train data.csv --target y --layers 16 --epochs 1 --quiet -o model.dense
  before=$(sha256sum model.dense)
  "$mpirun" -np 2 "$dense" train data.csv --target y --layers 64 --epochs 100000 --early-stopping 0 --batch-size 8 \
    -o model.dense > out.txt 2> err.txt & launcher=$!
  kill_one_process "$launcher" 3 err.txt
  [[ $(sha256sum model.dense) == "$before" ]] || fail "the model file changed"
  ;;
different)
  make_data 500 data.csv
  head -n 401 data.csv > stale.csv  # the same header and first rows, as an older copy on one machine
  rm -f model.dense
  status=0
  "$mpirun" -np 1 "$dense" "${train[@]}" -o model.dense : -np 1 "$dense" "${train[@]/data.csv/stale.csv}" -o model.dense \
    > out.txt 2> err.txt || status=$?
  [[ $status -eq 1 ]] || fail "exit status $status, 1 expected; stderr: $(cat err.txt)"
  grep -q "the processes read different data" err.txt || fail "no message naming the cause: $(cat err.txt)"
  [[ ! -e model.dense ]] || fail "a model was written"
  ;;
alone)
  make_data 200 data.csv
  "$dense" "${train[@]}" -o model.dense
  "$dense" predict model.dense data.csv > once.csv
  "$mpirun" -np 4 "$dense" predict model.dense data.csv > four.csv
  cmp once.csv four.csv || fail "4 processes printed $(wc -l < four.csv) lines of predictions, one process $(wc -l < once.csv)"
  "$dense" evaluate model.dense data.csv > once.txt
  "$mpirun" -np 4 "$dense" evaluate model.dense data.csv > four.txt
  cmp once.txt four.txt || fail "4 processes printed evaluate's report otherwise than one: $(cat four.txt)"
  ;;
*) fail "unknown case $case" ;;
esac
