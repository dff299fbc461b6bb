"""Writes safetensors_reference.safetensors with the reference `safetensors` package.

The Swift test SafetensorsTests reads the file and checks every value, and checks that the Swift
writer produces the same bytes; test_safetensors.py checks that this script still reproduces it.
Run from the repository root: .venv/bin/python Tests/Parity/data/make_safetensors_reference.py
"""

import os

import torch
from safetensors.torch import save

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "safetensors_reference.safetensors")


def reference_tensors():
    """One small tensor of every dtype unetzoo reads, with values that test ranges and rounding."""
    floats = torch.tensor([[1.5, -2.25, 3.0], [0.125, 1e-3, 65504.0]])
    return {
        "f32": floats,
        "f16": floats.half(),
        "bf16": floats.bfloat16(),
        "f64": torch.tensor([1e-300, -7.5, 3.25], dtype=torch.float64),
        "i64": torch.tensor([[-(2**63), -1], [0, 2**63 - 1]], dtype=torch.int64),
        "i32": torch.tensor([-5, 7, 2_000_000_000], dtype=torch.int32),
        "u8": torch.tensor([0, 1, 255], dtype=torch.uint8),
        "bool": torch.tensor([False, True, True, False]),
        "scalar": torch.tensor(42.0),
    }


def reference_bytes():
    return save(reference_tensors(), metadata={"format": "pt", "source": "safetensors 0.8.0"})


if __name__ == "__main__":
    with open(PATH, "wb") as file:
        file.write(reference_bytes())
    print(PATH)
