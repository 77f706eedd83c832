#!/usr/bin/env bash
# Every test: the whole suite in a release build, again under AddressSanitizer +
# UndefinedBehaviorSanitizer, then each libFuzzer target for FUZZ_SECONDS (default 60).
# Works on a fresh Debian 12 machine (installs missing packages first).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${FUZZ_SECONDS:-60}
jobs=$(nproc)

scripts/install_deps.sh --tests

stage() { printf '\n=== %s ===\n' "$*"; }
passed_total=0
run_ctest() {  # run_ctest BUILD_DIR [ctest args...]
  local dir=$1; shift
  local log="$dir/ctest.log"
  set +e
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  ((status == 0)) || { echo "FAILED: tests in $dir"; exit 1; }
  local n
  n=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  passed_total=$((passed_total + ${n:-0}))
}

stage "Python environment for the Keras/onnxruntime round trip"
# A virtual environment of our own: Debian's python refuses system-wide pip installs (PEP 668).
[[ -x build-venv/bin/python3 ]] || python3 -m venv build-venv
build-venv/bin/python3 -m pip install --quiet --disable-pip-version-check keras h5py jax scipy onnx onnxruntime ||
  echo "WARNING: pip could not install keras/onnxruntime; the interop round-trip test will fail and say why"

stage "release build and tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE="$PWD/build-venv/bin/python3"
cmake --build build -j"$jobs"
run_ctest build

stage "Python package: a wheel, then tests/python (scripts/test_python.sh)"
python_passed=$(scripts/test_python.sh | tee /dev/stderr | sed -n 's/^python: \([0-9]*\) passed.*/\1/p')
passed_total=$((passed_total + python_passed))

stage "AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDENSE_SANITIZE=ON
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tools/lsan.supp
run_ctest build-asan -LE "python|install"
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

stage "libFuzzer targets, ${fuzz_seconds}s each"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DDENSE_BUILD_FUZZERS=ON -DDENSE_BUILD_TESTS=OFF
cmake --build build-fuzz --target fuzzers -j"$jobs"
tools/run_fuzzers.sh build-fuzz "$fuzz_seconds"

echo
echo "all: ${passed_total} passed, 0 failed"
