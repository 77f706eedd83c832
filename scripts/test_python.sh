#!/usr/bin/env bash
# The Python package's tests (tests/python/): builds a wheel with `python -m build`, installs it
# into a virtual environment of Debian's Python 3.11 with pytest, scikit-learn, pandas and
# onnxruntime, builds the C++ program the bit-for-bit test compares with, and runs pytest.
# Fails when a test fails or when no test ran. Extra arguments go to pytest (e.g. -k sklearn).
# Needs scripts/install_deps.sh --tests (python3-dev, python3-venv) and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build-python/venv
jobs=$(nproc)

[[ -x $venv/bin/python ]] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check build "pytest>=7" "scikit-learn>=1.6" \
  "pandas>=1.5" onnxruntime

echo "building the wheel (python -m build --wheel) ..."
rm -rf build-python/dist
CMAKE_BUILD_PARALLEL_LEVEL=$jobs "$venv/bin/python" -m build --wheel --outdir build-python/dist . >build-python/wheel.log 2>&1 ||
  { tail -n 40 build-python/wheel.log; echo "FAILED: building the wheel (log: build-python/wheel.log)"; exit 1; }
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps build-python/dist/dense-*.whl

cmake -S . -B build-python/reference -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-python/reference --target dense_reference_fit -j"$jobs" >/dev/null
export DENSE_REFERENCE_FIT=$PWD/build-python/reference/tests/python/dense_reference_fit

log=build-python/pytest.log
set +e
"$venv/bin/python" -m pytest tests/python -q -p no:cacheprovider "$@" 2>&1 |
  tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/^\([0-9]*\) passed.*/\1/p; s/.* \([0-9]*\) passed.*/\1/p' "$log" | tail -n 1)
((status == 0)) || { echo "FAILED: Python tests"; exit 1; }
((${passed:-0} > 0)) || { echo "FAILED: no Python test ran"; exit 1; }
echo "python: ${passed} passed, 0 failed"
