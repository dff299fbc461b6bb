"""unetzoo and the PyTorch reference agree on outputs and parameter gradients given the same weights.

Each variant is written as a spec and as `Unet` arguments. The reference is initialised in PyTorch
and its state_dict is saved with the `safetensors` package, so weights move from PyTorch to unetzoo.
`unetzoo forward --grad-output` computes y, the loss and every parameter's gradient. Each is compared
with PyTorch's within 1e-4 (max absolute difference). In the other direction, weights saved by
`unetzoo build --save-weights` load into the reference with strict name and shape checks.
"""

import os

import pytest
import torch
from safetensors.torch import load_file, save_file

from reference_unet import Unet

TOLERANCE = 1e-4

FASHION = dict(dim=28, dim_mults=(1, 2, 4), channels=1, resnet_block_groups=4)

# name, spec text (None: the file under specs/), Unet arguments, image size, batch, loss with a target
VARIANTS = [
    ("fashion-mnist", None, FASHION, 28, 2, True),
    ("base-16px", """
        name: base-16px
        image_size: 16
        channels: 3
        dim: 128
        dim_mults: [1, 2, 4, 8]
        resnet_block_groups: 2
        """, dict(dim=128, dim_mults=(1, 2, 4, 8), channels=3, resnet_block_groups=2), 16, 1, False),
    ("attention-per-level-mid-none", """
        name: attention-per-level-mid-none
        image_size: 16
        channels: 2
        dim: 16
        dim_mults: [1, 2, 4]
        resnet_block_groups: 4
        mid_attention: none
        levels:
          - attention: linear
          - attention: dot_product
          - attention: none
        """, dict(dim=16, dim_mults=(1, 2, 4), channels=2, resnet_block_groups=4,
                  attention=["linear", "dot_product", "none"], mid_attention="none"), 16, 2, True),
    ("attention-per-level-mid-linear", """
        name: attention-per-level-mid-linear
        image_size: 16
        channels: 2
        dim: 16
        dim_mults: [1, 2, 4]
        resnet_block_groups: 4
        mid_attention: linear
        levels:
          - attention: none
          - attention: linear
          - attention: dot_product
        """, dict(dim=16, dim_mults=(1, 2, 4), channels=2, resnet_block_groups=4,
                  attention=["none", "linear", "dot_product"], mid_attention="linear"), 16, 2, False),
    ("dot-product-everywhere", """
        name: dot-product-everywhere
        image_size: 8
        channels: 1
        dim: 16
        dim_mults: [1, 2]
        resnet_block_groups: 2
        attention: dot_product
        """, dict(dim=16, dim_mults=(1, 2), channels=1, resnet_block_groups=2,
                  attention=["dot_product", "dot_product"]), 8, 3, True),
    ("without-time-embedding", """
        name: without-time-embedding
        image_size: 16
        channels: 1
        dim: 16
        dim_mults: [1, 2, 4]
        resnet_block_groups: 4
        with_time_emb: false
        """, dict(dim=16, dim_mults=(1, 2, 4), channels=1, resnet_block_groups=4, with_time_emb=False), 16, 2, True),
    ("custom-init-and-out-dim", """
        name: custom-init-and-out-dim
        image_size: 16
        channels: 3
        dim: 24
        dim_mults: [1, 2]
        resnet_block_groups: 4
        init_dim: 20
        out_dim: 6
        """, dict(dim=24, dim_mults=(1, 2), channels=3, resnet_block_groups=4, init_dim=20, out_dim=6), 16, 2, True),
]


def spec_path(tmp_path, name, text):
    """The spec file of a variant: the project's own file, or `text` written into `tmp_path`."""
    if text is None:
        return os.path.join("specs", f"{name}.yaml")
    path = tmp_path / f"{name}.yaml"
    lines = text.strip("\n").splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    path.write_text("\n".join(line[indent:] for line in lines) + "\n")
    return str(path)


@pytest.mark.parametrize("name, text, arguments, size, batch, with_target", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_outputs_and_gradients_match_reference(unetzoo, tmp_path, name, text, arguments, size, batch, with_target):
    torch.manual_seed(1234)
    reference = Unet(**arguments)
    weights = tmp_path / "weights.safetensors"
    save_file(reference.state_dict(), str(weights))

    channels = arguments["channels"]
    out_dim = arguments.get("out_dim") or channels
    inputs = {
        "x": torch.randn(batch, channels, size, size),
        "t": torch.randint(0, 1000, (batch,)),
    }
    if with_target:
        inputs["target"] = torch.randn(batch, out_dim, size, size)
    save_file(inputs, str(tmp_path / "input.safetensors"))

    result = unetzoo("forward", spec_path(tmp_path, name, text), "--weights", str(weights),
                     "--input", str(tmp_path / "input.safetensors"), "--output", str(tmp_path / "output.safetensors"),
                     "--grad-output", str(tmp_path / "gradients.safetensors"))
    assert result.returncode == 0, result.stderr

    y = reference(inputs["x"], inputs["t"])
    loss = ((y - inputs["target"]) ** 2).mean() if with_target else (y ** 2).mean()
    loss.backward()

    output = load_file(str(tmp_path / "output.safetensors"))
    gradients = load_file(str(tmp_path / "gradients.safetensors"))
    assert output["y"].shape == (batch, out_dim, size, size)
    output_difference = (output["y"] - y.detach()).abs().max().item()
    loss_difference = abs(output["loss"].item() - loss.item())

    expected_gradients = {parameter_name: parameter.grad for parameter_name, parameter in reference.named_parameters()}
    assert sorted(gradients) == sorted(expected_gradients)
    gradient_differences = {
        parameter_name: (gradients[parameter_name] - gradient).abs().max().item()
        for parameter_name, gradient in expected_gradients.items()
    }
    worst = max(gradient_differences, key=gradient_differences.get)
    print(f"\n{name}: max |y difference| {output_difference:.3g}, loss difference {loss_difference:.3g}, "
          f"max |gradient difference| {gradient_differences[worst]:.3g} ({worst})")

    assert output_difference <= TOLERANCE
    assert loss_difference <= TOLERANCE
    assert gradient_differences[worst] <= TOLERANCE, worst
    # A gradient of zero everywhere would make the comparison vacuous.
    assert all(gradient.abs().max().item() > 0 for gradient in expected_gradients.values())


SAVED_VARIANTS = [VARIANTS[index] for index in (0, 3, 5, 6)]


@pytest.mark.parametrize("name, text, arguments, size, batch, with_target", SAVED_VARIANTS,
                         ids=[v[0] for v in SAVED_VARIANTS])
def test_saved_weights_load_into_reference(unetzoo, tmp_path, name, text, arguments, size, batch, with_target):
    weights = tmp_path / "weights.safetensors"

    result = unetzoo("build", spec_path(tmp_path, name, text), "--seed", "7", "--save-weights", str(weights))

    assert result.returncode == 0, result.stderr
    saved = load_file(str(weights))
    reference = Unet(**arguments)
    reference.load_state_dict(saved, strict=True)
    # The same seed gives PyTorch's default initialisation draw for draw: kaiming-uniform weights with
    # their bias bounds for convolutions and linear layers, ones and zeros for GroupNorm.
    torch.manual_seed(7)
    seeded = Unet(**arguments).state_dict()
    differences = {key: (saved[key] - value).abs().max().item() for key, value in seeded.items()}
    assert max(differences.values()) <= 1e-6, max(differences, key=differences.get)
