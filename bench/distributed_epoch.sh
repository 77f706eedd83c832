#!/usr/bin/env bash
# Epoch time of the Fashion-MNIST MLP (784-128-10, batch 128) with 1 and 2 processes under
# mpirun: the first ROWS training images as CSV (Debian's dataset-fashion-mnist), then
# `dense train` for 1 and for 4 epochs; (t4 - t1) / 3 is an epoch without the CSV reading.
# Usage: bench/distributed_epoch.sh DENSE [ROWS]   Results: docs/DISTRIBUTED.md.
set -euo pipefail
dense=$(realpath "$1") rows=${2:-12000}
work=$(mktemp -d) && cd "$work"
python3 - "$rows" <<'PY'
import gzip, sys
d = '/usr/share/datasets/fashion-mnist/'
images = gzip.open(d + 'train-images-idx3-ubyte.gz').read()
labels = gzip.open(d + 'train-labels-idx1-ubyte.gz').read()
with open('fmnist.csv', 'w') as f:
    f.write(','.join(f'p{i}' for i in range(784)) + ',label\n')
    for r in range(int(sys.argv[1])):
        f.write(','.join(map(str, images[16 + r * 784:16 + (r + 1) * 784])) + f',{labels[8 + r]}\n')
PY
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
args=(train fmnist.csv --target label --layers 128 --batch-size 128 --validation-split 0 --early-stopping 0
      --reduce-lr 0 --threads 1 --quiet -o model.dense)
for processes in 1 2; do
  for epochs in 1 4; do
    /usr/bin/time -f "processes $processes, epochs $epochs: %e s wall, peak %M KB per process" \
      mpirun --oversubscribe -np "$processes" "$dense" "${args[@]}" --epochs "$epochs"
  done
done
