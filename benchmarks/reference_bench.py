"""The PyTorch side of benchmarks/run.py: the reference U-Net timed as a user would write it.

Prints one JSON object like `unetzoo bench`: workload, batch, threads, seconds (one entry per timed
iteration), max_rss_bytes and parameters.
"""

import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Tests", "Parity"))
from reference_unet import Unet  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workload", choices=["forward", "train"])
    parser.add_argument("--config", required=True, help="JSON object of Unet arguments plus image_size")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--channels-last", action="store_true", help="run in channels-last memory format")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    if options.threads:
        torch.set_num_threads(options.threads)
    torch.manual_seed(options.seed)
    arguments = json.loads(options.config)
    size = arguments.pop("image_size")
    model = Unet(**arguments)
    channels = arguments["channels"]
    x = torch.randn(options.batch, channels, size, size)
    t = torch.randint(0, 200, (options.batch,))
    if options.channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)

    if options.workload == "forward":
        model.eval()

        def step():
            with torch.no_grad():
                model(x, t)
    else:
        model.train()
        noise = torch.randn(options.batch, arguments.get("out_dim") or channels, size, size)
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)

        def step():
            optimizer.zero_grad()
            loss = F.smooth_l1_loss(model(x, t), noise)
            loss.backward()
            optimizer.step()

    for _ in range(options.warmup):
        step()
    seconds = []
    for _ in range(options.iterations):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)

    print(json.dumps({
        "workload": options.workload, "batch": options.batch, "threads": torch.get_num_threads(),
        "seconds": seconds, "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "parameters": sum(parameter.numel() for parameter in model.parameters()),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
