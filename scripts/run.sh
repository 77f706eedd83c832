#!/usr/bin/env bash
# The main job: builds the `dense` command line and runs `dense demo`, the articles' worked
# examples. Works on a fresh Debian 12 machine (installs missing packages first).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDENSE_BUILD_TESTS=OFF >/dev/null
cmake --build build --target dense_cli -- -j"$(nproc)" >/dev/null
exec build/cli/dense demo "$@"
