#!/usr/bin/env bash
# Runs every test: the Swift test suites, then the parity tests against the PyTorch reference.
# Run scripts/setup.sh once before.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
# Serial, because tests that seed libtorch share its one default generator.
swift test --skip-build --no-parallel
# A package that depends on unetzoo by path, registers its own block and builds a spec with it.
(cd Examples/CustomBlock && swift build && .build/debug/CustomBlock)
.venv/bin/python -m pytest -q Tests/Parity
