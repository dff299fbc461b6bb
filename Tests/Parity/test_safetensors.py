"""The committed safetensors reference file matches what the reference `safetensors` package writes.

SafetensorsTests (Swift) reads the same file value by value and writes it again byte for byte, so
together the two suites check that files move both ways between unetzoo and PyTorch.
"""

import os
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import make_safetensors_reference as reference  # noqa: E402


def test_committed_file_is_what_the_package_writes():
    with open(reference.PATH, "rb") as file:
        committed = file.read()

    assert committed == reference.reference_bytes()


def test_package_reads_committed_file():
    loaded = load_file(reference.PATH)

    expected = reference.reference_tensors()
    assert list(loaded) == list(expected) or sorted(loaded) == sorted(expected)
    for name, tensor in expected.items():
        assert loaded[name].dtype == tensor.dtype, name
        assert torch.equal(loaded[name], tensor), name
