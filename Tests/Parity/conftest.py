"""Shared fixtures of the parity tests: the unetzoo executable and the package root."""

import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def unetzoo():
    """Builds the release executable once and returns a function that runs it."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "unetzoo"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "unetzoo")

    def run(*arguments):
        return subprocess.run([binary, *arguments], cwd=ROOT, capture_output=True, text=True)

    return run
