#!/usr/bin/env bash
# Every test, each stage in a build folder of its own whatever build/ holds:
#   release           the whole suite in a release build (build-release/), but for the two below
#   MPI               data-parallel training under mpirun with 1, 2 and 4 processes (label mpi)
#   round trip        Keras and onnxruntime read what dense writes (Python in build-venv/)
#   install           `cmake --install`; a project of its own uses find_package(dense) and pkg-config
#   Python package    a wheel, installed in build-python/venv, then pytest on tests/python
#   ASan+UBSan        the suite again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   fuzzers           every libFuzzer target in fuzz/ for FUZZ_SECONDS (default 60), nproc at a time
# A stage that fails, or runs no test, stops the run. One line per step; the whole output of each
# (apt, pip, cmake, compilers, tests) is in build/logs/. Works on a fresh Debian 12 machine: it
# installs the packages it misses first.
#
# Another stage is one `stage NAME COMMAND...` line (scripts/lib/steps.sh): the command's output
# must end with CTest's, pytest's or a "passed: N WHAT" summary, whose count goes into the total.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh
fuzz_seconds=${FUZZ_SECONDS:-60}
jobs=$(nproc)

scripts/install_deps.sh --tests

# The packages the round trip needs, in a virtual environment of our own: Debian's python
# refuses system-wide pip installs (PEP 668). Without them the python stage fails.
python_packages=(keras h5py jax scipy onnx onnxruntime)
python_environment() {
  [[ -x build-venv/bin/python3 ]] || python3 -m venv build-venv
  if ! build-venv/bin/python3 -c "import keras, h5py, jax, scipy, onnx, onnxruntime" 2>/dev/null; then
    build-venv/bin/python3 -m pip install --disable-pip-version-check "${python_packages[@]}"
  fi
}
step pip "preparing Python with ${python_packages[*]} (build-venv/)" python_environment

# configure_and_build DIR CMAKE_OPTIONS...: every option that matters is given, so a folder
# configured otherwise before (tests off, another build type) is brought back to what we test.
configure_and_build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DDENSE_BUILD_TESTS=ON -DDENSE_BUILD_FUZZERS=OFF -DBUILD_SHARED_LIBS=OFF "$@"
  cmake --build "$dir" -j"$jobs"
}
ctest_in() { ctest --test-dir "$1" --output-on-failure -j"$jobs" "${@:2}"; }

step build-release "building the release build (build-release/)" configure_and_build build-release \
  -DCMAKE_BUILD_TYPE=Release -DDENSE_SANITIZE=OFF -DDENSE_BUILD_EXAMPLES=ON \
  -DPython3_EXECUTABLE="$PWD/build-venv/bin/python3"
stage release ctest_in build-release -LE "python|install|mpi|stream_big"
stage MPI ctest_in build-release -L mpi
# A generated 2 GB CSV trained with bounded memory: once, in the release build (minutes).
stage streaming ctest_in build-release -L stream_big
stage "round trip" ctest_in build-release -L python -L interop
stage install ctest_in build-release -L install

# The Python package: a wheel built and installed in a venv of its own, then pytest.
stage "Python package" scripts/test_python.sh

# Examples are built once, above; their code is the library's, which the tests cover here.
# -O1 -g1 (line tables, enough for the sanitizers' stack traces) compiles in about half the CPU
# time of -O2 -g, and this is the longest step.
step build-asan "building under ASan + UBSan (build-asan/)" configure_and_build build-asan \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DDENSE_SANITIZE=ON -DDENSE_BUILD_EXAMPLES=OFF
sanitized() {
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions=$PWD/tools/lsan.supp "$@"
}
stage ASan+UBSan sanitized ctest_in build-asan -LE "python|install|mpi|stream_big"

step build-fuzz "building the libFuzzer targets with clang (build-fuzz/)" tools/build_fuzzers.sh build-fuzz
stage fuzzers tools/run_fuzzers.sh build-fuzz "$fuzz_seconds"

print_stage_summary
