"""Whole networks with catalogue blocks have the parameter counts of their PyTorch counterparts."""

import json

import reference_unet
from catalogue_blocks import ConvNextBlock


def test_convnext_unet_parameter_count_matches_reference(unetzoo, monkeypatch):
    # The Annotated Diffusion U-Net with use_convnext builds every residual block as a ConvNeXt block.
    monkeypatch.setattr(
        reference_unet, "ResnetBlock",
        lambda dim, dim_out, time_emb_dim=None, groups=8: ConvNextBlock(dim, dim_out, time_emb_dim, mult=2))
    reference = reference_unet.Unet(dim=28, dim_mults=(1, 2, 4), channels=1, resnet_block_groups=4)
    expected = sum(parameter.numel() for parameter in reference.parameters())

    result = unetzoo("build", "specs/fashion-mnist-convnext.yaml", "--dry-run", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["parameters"] == expected
