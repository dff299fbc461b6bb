#!/usr/bin/env bash
# Installs everything unetzoo needs on Debian 12 with the Swift toolchain, idempotently:
#   - Debian packages: pkg-config, libyaml (specs), zlib and libpng (data and pictures),
#     the real Fashion-MNIST data set, and Python's venv module when it is missing;
#   - a project-local virtual environment .venv with the pinned PyTorch of requirements.txt,
#     whose libtorch Package.swift finds by itself.
# Set LIBTORCH to use another libtorch for the Swift build; the set-up still installs PyTorch
# because the parity tests and benchmarks run the PyTorch reference.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pkg-config libyaml-dev zlib1g-dev libpng-dev dataset-fashion-mnist)
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    packages+=(python3 python3-venv)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    python3 -m venv .venv
fi
# pip returns at once when the pinned versions are already there; the first run downloads PyTorch.
echo "setup: installing Python requirements into .venv" >&2
.venv/bin/python -m pip install -q --disable-pip-version-check --progress-bar off -r requirements.txt
echo "setup: done (libtorch $(.venv/bin/python -c 'import torch; print(torch.__version__)'))" >&2
