#!/usr/bin/env bash
# Runs every test: the Swift test suites, then the parity tests against the PyTorch reference.
# Run scripts/setup.sh once before.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
# Serial, because tests that seed libtorch share its one default generator.
swift test --skip-build --no-parallel
.venv/bin/python -m pytest -q Tests/Parity
