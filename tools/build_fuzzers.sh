#!/usr/bin/env bash
# Configures BUILD_DIR for fuzzing (clang, libFuzzer, ASan + UBSan, no tests) and builds every
# target of fuzz/ (the `fuzzers` target). Usage: tools/build_fuzzers.sh BUILD_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DDENSE_BUILD_FUZZERS=ON -DDENSE_BUILD_TESTS=OFF -DDENSE_BUILD_EXAMPLES=OFF -DDENSE_SANITIZE=OFF -DBUILD_SHARED_LIBS=OFF
cmake --build "$1" --target fuzzers -j"$(nproc)"
