"""Reference outputs of the catalogue blocks, written in plain PyTorch from their published definitions.

- ConvNextBlock: the ConvNeXt block of the Annotated Diffusion U-Net (Liu et al., 2022, adapted).
  A depthwise 7x7 conv, then GELU + Linear of the time feature added, then GroupNorm(1), conv to
  mult x channels, GELU, GroupNorm(1) and conv. A 1x1 residual conv is used where channels change.
- ScaleShiftResBlock: improved diffusion's ResBlock with use_scale_shift_norm (Nichol and
  Dhariwal, 2021): norm(h) * (1 + scale) + shift after the second norm.

Weights and inputs are not random: element i of the k-th parameter (in state_dict order) is
0.1 * sin(0.37 * i + k), element i of the input is 0.5 * cos(0.11 * i), element i of the time
feature is sin(0.23 * i). The Swift tests fill the same values, so the outputs must match.

Run `.venv/bin/python Tests/Parity/catalogue_blocks.py` to rewrite catalogue_blocks_reference.json.
"""

import json
import math
from pathlib import Path

import torch
from torch import nn


class ConvNextBlock(nn.Module):
    def __init__(self, dim, dim_out, time_emb_dim=None, mult=2, norm=True):
        super().__init__()
        self.mlp = nn.Sequential(nn.GELU(), nn.Linear(time_emb_dim, dim)) if time_emb_dim is not None else None
        self.ds_conv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.net = nn.Sequential(
            nn.GroupNorm(1, dim) if norm else nn.Identity(),
            nn.Conv2d(dim, dim_out * mult, 3, padding=1),
            nn.GELU(),
            nn.GroupNorm(1, dim_out * mult),
            nn.Conv2d(dim_out * mult, dim_out, 3, padding=1),
        )
        self.res_conv = nn.Conv2d(dim, dim_out, 1) if dim != dim_out else nn.Identity()

    def forward(self, x, time_emb=None):
        h = self.ds_conv(x)
        if self.mlp is not None and time_emb is not None:
            h = h + self.mlp(time_emb)[:, :, None, None]
        h = self.net(h)
        return h + self.res_conv(x)


class ScaleShiftResBlock(nn.Module):
    def __init__(self, channels, out_channels, emb_channels, groups):
        super().__init__()
        self.in_layers = nn.Sequential(nn.GroupNorm(groups, channels), nn.SiLU(), nn.Conv2d(channels, out_channels, 3, padding=1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_channels, 2 * out_channels))
        self.out_layers = nn.Sequential(
            nn.GroupNorm(groups, out_channels), nn.SiLU(), nn.Dropout(0.0), nn.Conv2d(out_channels, out_channels, 3, padding=1)
        )
        self.skip_connection = nn.Conv2d(channels, out_channels, 1) if channels != out_channels else nn.Identity()

    def forward(self, x, emb):
        h = self.in_layers(x)
        scale, shift = torch.chunk(self.emb_layers(emb)[:, :, None, None], 2, dim=1)
        out_norm, out_rest = self.out_layers[0], self.out_layers[1:]
        h = out_norm(h) * (1 + scale) + shift
        return self.skip_connection(x) + out_rest(h)


def filled(shape, function):
    count = math.prod(shape)
    return torch.tensor([function(i) for i in range(count)], dtype=torch.float32).reshape(shape)


def fill_parameters(module):
    for k, (_, parameter) in enumerate(module.state_dict().items()):
        parameter.copy_(filled(parameter.shape, lambda i: 0.1 * math.sin(0.37 * i + k)))


def run(module, input_shape, time_shape):
    with torch.no_grad():
        fill_parameters(module)
        x = filled(input_shape, lambda i: 0.5 * math.cos(0.11 * i))
        time = filled(time_shape, lambda i: math.sin(0.23 * i))
        output = module(x, time)
    return {
        "parameter_names": list(module.state_dict().keys()),
        "input_shape": input_shape,
        "time_shape": time_shape,
        "output_shape": list(output.shape),
        "output": [round(value, 6) for value in output.flatten().tolist()],
    }


def main():
    cases = {
        "convnext": run(ConvNextBlock(8, 12, 6, mult=3), [2, 8, 5, 4], [2, 6]),
        "convnext_same_channels": run(ConvNextBlock(8, 8, 6, norm=False), [1, 8, 4, 4], [1, 6]),
        "scale_shift_resnet": run(ScaleShiftResBlock(4, 8, 6, 2), [2, 4, 3, 5], [2, 6]),
    }
    document = {"generated_by": "Tests/Parity/catalogue_blocks.py; do not edit", "cases": cases}
    path = Path(__file__).with_name("catalogue_blocks_reference.json")
    path.write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main()
