#!/usr/bin/env bash
# Trials per minute of `dense tune` alone (one and two trials at once) and under mpirun with 2
# processes: ROWS generated rows of 4 features and 3 classes (no straight line separates them),
# TRIALS trials of Hyperband with at most 30 epochs, RUNS runs of each (the median is printed),
# the final check and refit included; the runs of the three alternate.
# Usage: bench/distributed_tune.sh DENSE [ROWS] [TRIALS] [RUNS]
# Results: docs/DISTRIBUTED.md ("Distributed search").
set -euo pipefail
dense=$(realpath "$1") rows=${2:-3000} trials=${3:-40} runs=${4:-3}
work=$(mktemp -d) && cd "$work"
awk -v rows="$rows" 'BEGIN { srand(11); print "x1,x2,x3,x4,y";
  for (r = 0; r < rows; r++) { for (i = 1; i <= 4; i++) x[i] = 2 * rand() - 1;
    c = x[1] * x[1] + x[2] * x[2] < 0.5 ? "in" : x[3] * x[4] > 0 ? "A" : "B";
    printf "%.4f,%.4f,%.4f,%.4f,%s\n", x[1], x[2], x[3], x[4], c } }' > data.csv
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
tune=("$dense" tune data.csv --target y --trials "$trials" --max-epochs 30 --seed 3 -o model.dense)
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM OMPI_MCA_btl
# Every run of each configuration in turn (A B C A B C ...), so that a change of the machine's
# load during the benchmark touches every configuration alike. Wall and processor seconds (user +
# system, every process) of each run go to NAME.times.
configurations=("1 process, --threads 1" "1 process, --threads 2" "mpirun -np 2")
run_configuration() {
  case $1 in
  0) "${tune[@]}" --threads 1 ;;
  1) "${tune[@]}" --threads 2 ;;
  2) mpirun --oversubscribe -np 2 "${tune[@]}" ;;
  esac
}
for ((run = 0; run < runs; run++)); do
  for c in 0 1 2; do
    /usr/bin/time -f '%e %U %S' -a -o "$c.times" bash -c "$(declare -p tune); $(declare -f run_configuration); run_configuration $c" \
      > "summary-$c.txt" 2> /dev/null
  done
done
# The median wall time, its trials per minute and the processor seconds of that run.
for c in 0 1 2; do
  sort -g "$c.times" | sed -n "$(((runs + 1) / 2))p" | awk -v name="${configurations[c]}" -v t="$trials" \
    -v all="$(cut -d' ' -f1 "$c.times" | tr '\n' ' ')" '{ printf "%-24s wall %ss; median %.2f s, %.1f trials/minute, %.2f processor s\n",
      name, all, $1, t * 60 / $1, $2 + $3 }'
  grep -o 'Searched.*' "summary-$c.txt"
done
