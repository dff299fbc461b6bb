"""`unetzoo forward` rejects bad weights and input files with a clear message and exit code 1."""

import pytest
import torch
from safetensors.torch import save_file

from reference_unet import Unet

SPEC = "specs/fashion-mnist.yaml"


@pytest.fixture(scope="module")
def fashion_state():
    torch.manual_seed(0)
    return Unet(dim=28, dim_mults=(1, 2, 4), channels=1, resnet_block_groups=4).state_dict()


def forward(unetzoo, tmp_path, state, inputs, *extra):
    save_file(state, str(tmp_path / "weights.safetensors"))
    save_file(inputs, str(tmp_path / "input.safetensors"))
    return unetzoo("forward", SPEC, "--weights", str(tmp_path / "weights.safetensors"),
                   "--input", str(tmp_path / "input.safetensors"),
                   "--output", str(tmp_path / "output.safetensors"), *extra)


def good_inputs():
    return {"x": torch.randn(2, 1, 28, 28), "t": torch.tensor([1, 2])}


def test_forward_writes_only_y(unetzoo, tmp_path, fashion_state):
    result = forward(unetzoo, tmp_path, fashion_state, good_inputs())

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "gradients.safetensors").exists()


def test_missing_and_unexpected_weights_listed_by_name(unetzoo, tmp_path, fashion_state):
    state = dict(fashion_state)
    del state["mid_attn.fn.fn.to_out.weight"]
    state["mid_attn.fn.fn.to_out.1.weight"] = torch.zeros(112)

    result = forward(unetzoo, tmp_path, state, good_inputs())

    assert result.returncode == 1
    assert result.stderr == (
        f"error: {tmp_path}/weights.safetensors: the weights do not fit the model (2 problems):\n"
        "  missing 1 tensor: mid_attn.fn.fn.to_out.weight\n"
        "  unexpected 1 tensor that the model does not have: mid_attn.fn.fn.to_out.1.weight\n")


@pytest.mark.parametrize("inputs, message", [
    ({"t": torch.tensor([1])}, 'missing tensor "x"; the input needs x (float32, [B, C, H, W]) and t (int64, [B])'),
    ({"x": torch.randn(1, 1, 28, 28), "t": torch.tensor([1]), "targets": torch.randn(1, 1, 28, 28)},
     'unexpected tensor "targets"; the input holds x, t and optionally target'),
    ({"x": torch.randn(1, 1, 28, 28).double(), "t": torch.tensor([1])}, "x has dtype float64, expected float32"),
    ({"x": torch.randn(1, 3, 28, 28), "t": torch.tensor([1])},
     "x has shape [1, 3, 28, 28], expected [B, 1, 28, 28] for spec fashion-mnist with B >= 1"),
    ({"x": torch.randn(2, 1, 28, 28), "t": torch.tensor([1.0, 2.0])}, "t has dtype float32, expected int64"),
    ({"x": torch.randn(2, 1, 28, 28), "t": torch.tensor([1, 2, 3])},
     "t has shape [3], expected [2], one timestep per image of x"),
    ({"x": torch.randn(2, 1, 28, 28), "t": torch.tensor([1, 2]), "target": torch.randn(2, 1, 14, 14)},
     "target has shape [2, 1, 14, 14], expected the output's shape [2, 1, 28, 28]"),
], ids=["missing x", "unexpected tensor", "x dtype", "x shape", "t dtype", "t shape", "target shape"])
def test_bad_input_is_rejected(unetzoo, tmp_path, fashion_state, inputs, message):
    result = forward(unetzoo, tmp_path, fashion_state, inputs)

    assert result.returncode == 1
    assert result.stderr == f"error: {tmp_path}/input.safetensors: {message}\n"


def test_truncated_weights_file_is_rejected(unetzoo, tmp_path, fashion_state):
    save_file(good_inputs(), str(tmp_path / "input.safetensors"))
    save_file(fashion_state, str(tmp_path / "weights.safetensors"))
    data = (tmp_path / "weights.safetensors").read_bytes()
    (tmp_path / "weights.safetensors").write_bytes(data[:len(data) // 2])

    result = unetzoo("forward", SPEC, "--weights", str(tmp_path / "weights.safetensors"),
                     "--input", str(tmp_path / "input.safetensors"), "--output", str(tmp_path / "out.safetensors"))

    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {tmp_path}/weights.safetensors: tensor \"")
    assert result.stderr.endswith("the file is truncated or corrupt\n")
    assert not (tmp_path / "out.safetensors").exists()


def test_missing_option_is_usage_error(unetzoo):
    result = unetzoo("forward", SPEC, "--weights", "w.safetensors", "--output", "o.safetensors")

    assert result.returncode == 2
    assert result.stderr.startswith("error: missing option '--input'\n\nUsage: unetzoo forward SPEC")
