#!/usr/bin/env bash
# Configures BUILD_DIR for fuzzing (clang, libFuzzer, ASan + UBSan, no tests) and builds every
# target of fuzz/ (the `fuzzers` target). Usage: tools/build_fuzzers.sh BUILD_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
# Line tables only: enough for the sanitizers' stack traces, and far cheaper to compile than -g.
cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
  -DDENSE_BUILD_FUZZERS=ON -DDENSE_BUILD_TESTS=OFF -DDENSE_BUILD_EXAMPLES=OFF -DDENSE_SANITIZE=OFF -DBUILD_SHARED_LIBS=OFF
cmake --build "$1" --target fuzzers -j"$(nproc)"
