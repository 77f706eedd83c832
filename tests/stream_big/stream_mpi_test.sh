#!/usr/bin/env bash
# `mpirun -np 2 dense train --stream`: each process streams its share of the file's chunks (a
# 10 MB file has three of 4 MB), the gradients summed; the model classifies held-out rows as well
# as one process streaming the whole file, and a second run gives the same model, bit for bit.
# A checkpoint resumes on 2 processes to the uninterrupted run's bytes; on 1 it warns that the
# model will differ (a step takes up to processes × --batch-size rows).
# Usage: stream_mpi_test.sh DENSE MAKE_CSV MPIRUN WORKDIR
set -euo pipefail
dense=$1 make_csv=$2 mpirun=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$make_csv" data.csv 10000000 1
"$make_csv" test.csv 2000000 2
train=(train data.csv --target y --stream --layers 16 --epochs 2 --early-stopping 0 --batch-size 64 --seed 3 --quiet)
"$dense" "${train[@]}" -o alone.dense
"$mpirun" -np 2 "$dense" "${train[@]}" -o two.dense
"$mpirun" -np 2 "$dense" "${train[@]}" -o two_again.dense
cmp two.dense two_again.dense || { echo "FAILED: two runs of 2 processes differ"; exit 1; }
accuracy() { "$dense" evaluate --json "$1" test.csv | awk -F'[:,]' '/"accuracy"/ {gsub(/ /, "", $2); print $2; exit}'; }
alone=$(accuracy alone.dense) two=$(accuracy two.dense)
echo "test accuracy: 1 process $alone, 2 processes $two"
awk -v a="$alone" -v b="$two" 'BEGIN { d = a - b; if (d > 0.01 || d < -0.01) { print "FAILED: accuracies differ by over 0.01"; exit 1 } }'
"$mpirun" -np 2 "$dense" "${train[@]}" --checkpoint ck -o ck.dense
"$mpirun" -np 2 "$dense" "${train[@]}" --resume ck/epoch-1.dense -o resumed_on_two.dense 2> two.err
cmp ck.dense resumed_on_two.dense || { echo "FAILED: resumed on 2 processes, not the uninterrupted run's model"; exit 1; }
if grep -q "resumes on" two.err; then echo "FAILED: a warning on the same process count"; cat two.err; exit 1; fi
"$dense" "${train[@]}" --resume ck/epoch-1.dense -o resumed_on_one.dense 2> one.err
grep -q "ck/epoch-1.dense was trained streamed by 2 processes and resumes on 1" one.err ||
  { echo "FAILED: no warning resuming a 2-process checkpoint on 1"; cat one.err; exit 1; }
