#!/usr/bin/env bash
# Trials per minute of `dense tune` alone (one and two trials at once) and under mpirun with 2
# processes: ROWS generated rows of 4 features and 3 classes (no straight line separates them),
# TRIALS trials of Hyperband with at most 30 epochs, RUNS runs of each (the median is printed),
# the final check and refit included. Usage: bench/distributed_tune.sh DENSE [ROWS] [TRIALS] [RUNS]
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
# Runs CONFIGURATION's command RUNS times and prints each wall time, then the median's trials/minute.
measure() {
  local name=$1
  shift
  local times=()
  for ((run = 0; run < runs; run++)); do
    /usr/bin/time -f %e -o time.txt "$@" > summary.txt 2> /dev/null
    times+=("$(cat time.txt)")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
  printf '%-24s runs %s s; median %s s, %s trials/minute; %s\n' "$name" "${times[*]}" "$median" \
    "$(awk -v t="$trials" -v s="$median" 'BEGIN { printf "%.1f", t * 60 / s }')" "$(grep -o '([0-9]* evaluations' summary.txt)"
  sha256sum model.dense | cut -c1-16
}
measure "1 process, --threads 1" "${tune[@]}" --threads 1
measure "1 process, --threads 2" "${tune[@]}" --threads 2
measure "mpirun -np 2" mpirun --oversubscribe -np 2 "${tune[@]}"
