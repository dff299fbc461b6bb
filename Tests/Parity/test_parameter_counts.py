"""unetzoo builds the same networks as the PyTorch reference: same parameter counts and names."""

import json

import pytest
import torch

from reference_unet import Unet


@pytest.mark.parametrize("spec, arguments", [
    ("specs/base.yaml", dict(dim=128, dim_mults=(1, 2, 4, 8), channels=3, resnet_block_groups=2)),
    ("specs/fashion-mnist.yaml", dict(dim=28, dim_mults=(1, 2, 4), channels=1, resnet_block_groups=4)),
])
def test_parameter_count_matches_reference(unetzoo, spec, arguments):
    reference = Unet(**arguments)
    expected = sum(parameter.numel() for parameter in reference.parameters())

    result = unetzoo("build", spec, "--batch", "1", "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["parameters"] == expected
    height = width = 128 if "base" in spec else 28
    assert report["output_shape"] == [1, arguments["channels"], height, width]


def test_reference_output_shape_for_fashion_input():
    torch.manual_seed(0)
    reference = Unet(dim=28, dim_mults=(1, 2, 4), channels=1, resnet_block_groups=4)
    output = reference(torch.randn(2, 1, 28, 28), torch.randint(0, 200, (2,)))
    assert tuple(output.shape) == (2, 1, 28, 28)
