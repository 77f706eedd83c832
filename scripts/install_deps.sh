#!/usr/bin/env bash
# Installs the Debian packages dense builds and tests with, only those missing, in one line:
# "installing 9 Debian packages… done (1 min 02 s)"; apt's output goes to build/logs/apt.log.
# Usage: scripts/install_deps.sh [--tests]   (--tests adds what the test suite needs)
set -euo pipefail
source "$(dirname "$0")/lib/steps.sh"

packages=(build-essential cmake ninja-build pkg-config ccache
          libcli11-dev nlohmann-json3-dev zlib1g-dev libhdf5-dev libzip-dev
          libprotobuf-dev protobuf-compiler libonnx-dev libcairo2-dev)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(googletest libgtest-dev clang libclang-rt-14-dev dataset-fashion-mnist
             python3 python3-pip python3-venv python3-dev librsvg2-bin
             libopenmpi-dev openmpi-bin)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0

if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
apt_install() {
  echo "missing: ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}
step apt "installing ${#missing[@]} Debian packages" apt_install
