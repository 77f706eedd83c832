#!/usr/bin/env bash
# The main job: builds the `dense` command line and runs `dense demo`, the articles' worked
# examples. Works on a fresh Debian 12 machine (installs missing packages first). One line per
# step; the whole output of apt and the build is in build/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh
scripts/install_deps.sh
build_cli() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDENSE_BUILD_TESTS=OFF
  cmake --build build --target dense_cli -j"$(nproc)"
}
step build "building the dense command line (build/)" build_cli
exec build/cli/dense demo "$@"
