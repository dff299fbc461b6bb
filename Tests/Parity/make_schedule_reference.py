"""Writes schedule_reference.json: DDPM noise schedules computed with PyTorch in float64.

The Swift tests of NoiseSchedule compare against these values. Regenerate with
`.venv/bin/python Tests/Parity/make_schedule_reference.py`.

Formulas: linear betas are torch.linspace(1e-4, 0.02, T) (Ho et al., 2020). Cosine follows
Nichol and Dhariwal (2021): alpha_bar(t) = f(t) / f(0) with f(t) = cos^2(((t / T) + s) / (1 + s) * pi / 2),
s = 0.008, betas = 1 - alpha_bar(t + 1) / alpha_bar(t) clipped to at most 0.999. (The Annotated
Diffusion notebook also clips betas from below at 1e-4, which changes only the first cosine beta.)
"""

import json
import math
from pathlib import Path

import torch


def linear_betas(timesteps):
    return torch.linspace(1e-4, 0.02, timesteps, dtype=torch.float64)


def cosine_betas(timesteps, s=0.008):
    x = torch.linspace(0, timesteps, timesteps + 1, dtype=torch.float64)
    f = torch.cos(((x / timesteps) + s) / (1 + s) * math.pi * 0.5) ** 2
    alpha_bars = f / f[0]
    betas = 1 - alpha_bars[1:] / alpha_bars[:-1]
    return torch.clamp(betas, max=0.999)


def describe(betas):
    alphas = 1 - betas
    alpha_bars = torch.cumprod(alphas, dim=0)
    previous = torch.cat([torch.ones(1, dtype=torch.float64), alpha_bars[:-1]])
    posterior_variance = betas * (1 - previous) / (1 - alpha_bars)
    return {
        "betas": betas.tolist(),
        "alpha_bars": alpha_bars.tolist(),
        "posterior_variance": posterior_variance.tolist(),
    }


def main():
    reference = {
        "generator": f"Tests/Parity/make_schedule_reference.py with torch {torch.__version__}; do not edit",
        "linear_200": describe(linear_betas(200)),
        "cosine_200": describe(cosine_betas(200)),
        "linear_10": describe(linear_betas(10)),
        "cosine_10": describe(cosine_betas(10)),
    }
    path = Path(__file__).with_name("schedule_reference.json")
    path.write_text(json.dumps(reference) + "\n")


if __name__ == "__main__":
    main()
