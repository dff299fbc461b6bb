"""Benchmarks unetzoo against the PyTorch reference on the same libtorch and thread count.

Workloads: forward latency of specs/base.yaml at 8x3x128x128 (no gradients), and training-step
throughput of specs/fashion-mnist.yaml at batch 64 (forward, smooth L1 loss, backward, AdamW step).
Each side runs in its own process so that peak memory (max RSS, from wait4) is its own. Sides:
unetzoo (`unetzoo bench`), the reference as a user writes it, and the reference in channels-last
memory format. Rounds interleave the sides, rotating their order, so that a change in machine load
affects all of them alike. Prints each figure and the ratios. `--record` appends them to
BENCHMARKS.md with the machine and the date.

Run from the repository root: .venv/bin/python benchmarks/run.py [--threads N] [--rounds N] [--record]
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "unetzoo")
REFERENCE = os.path.join(ROOT, "benchmarks", "reference_bench.py")

WORKLOADS = [
    dict(name="forward", title="forward latency, specs/base.yaml, 8x3x128x128", spec="specs/base.yaml",
         config=dict(dim=128, dim_mults=[1, 2, 4, 8], channels=3, resnet_block_groups=2, image_size=128),
         batch=8, iterations=1, warmup=1),
    dict(name="train", title="training step, specs/fashion-mnist.yaml, batch 64", spec="specs/fashion-mnist.yaml",
         config=dict(dim=28, dim_mults=[1, 2, 4], channels=1, resnet_block_groups=4, image_size=28),
         batch=64, iterations=2, warmup=1),
]

SIDES = ["unetzoo", "pytorch", "pytorch channels-last"]


def command(side, workload, threads):
    """Build the command line that runs one side of one workload."""
    common = ["--batch", str(workload["batch"]), "--iterations", str(workload["iterations"]),
              "--warmup", str(workload["warmup"]), "--threads", str(threads)]
    if side == "unetzoo":
        return [BINARY, "bench", workload["name"], workload["spec"], *common]
    arguments = [sys.executable, REFERENCE, workload["name"], "--config", json.dumps(workload["config"]), *common]
    return arguments + (["--channels-last"] if side == "pytorch channels-last" else [])


def run_once(arguments, threads):
    """Run one benchmark process and return its JSON report and its max RSS in bytes (from wait4)."""
    environment = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        # Files instead of pipes, so that wait4 can reap the child and return its own resource usage.
        process = subprocess.Popen(arguments, cwd=ROOT, stdout=stdout, stderr=stderr, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read().decode(), stderr.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"benchmark failed (exit {process.returncode}): {' '.join(arguments)}\n{errors}")
    report = json.loads(output.strip().splitlines()[-1])
    return report, usage.ru_maxrss * 1024


def machine_description(threads):
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as file:
            model = next(line.split(":", 1)[1].strip() for line in file if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as file:
            kilobytes = int(next(line.split()[1] for line in file if line.startswith("MemTotal")))
        memory = f"{kilobytes / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration):
        memory = "unknown RAM"
    return f"{model}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}; {threads} thread{'' if threads == 1 else 's'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="CPU threads for both sides")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per workload (default 2)")
    parser.add_argument("--workloads", default="forward,train", help="comma-separated: forward, train")
    parser.add_argument("--record", action="store_true", help="append the results to BENCHMARKS.md")
    parser.add_argument("--no-build", action="store_true", help="use the existing release build")
    options = parser.parse_args()

    if not options.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "unetzoo"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    import torch
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    print(f"machine: {machine_description(options.threads)}", file=sys.stderr)
    print(f"libtorch {torch.__version__} for both sides; load average {load_before[0]:.1f}", file=sys.stderr)

    results = []
    for workload in WORKLOADS:
        if workload["name"] not in options.workloads.split(","):
            continue
        seconds = {side: [] for side in SIDES}
        peak = {side: 0 for side in SIDES}
        parameters = {}
        for round_index in range(options.rounds):
            order = SIDES[round_index % len(SIDES):] + SIDES[:round_index % len(SIDES)]
            for side in order:
                print(f"{workload['name']}: round {round_index + 1}/{options.rounds}, {side}", file=sys.stderr)
                report, rss = run_once(command(side, workload, options.threads), options.threads)
                seconds[side] += report["seconds"]
                peak[side] = max(peak[side], rss)
                parameters[side] = report["parameters"]
        if len(set(parameters.values())) != 1:
            raise SystemExit(f"the sides built different networks: {parameters}")
        results.append((workload, seconds, peak))

    load_after = os.getloadavg()
    lines = report_lines(results, options.threads)
    print("\n".join(lines))
    if options.record:
        record(lines, started, options, load_before, load_after, torch.__version__)


def report_lines(results, threads):
    """Format a Markdown table per workload: median seconds per iteration, images per second, max RSS, ratios."""
    lines = []
    for workload, seconds, peak in results:
        batch = workload["batch"]
        medians = {side: statistics.median(values) for side, values in seconds.items()}
        lines += [f"### {workload['title']}", "",
                  "| side | median s / iteration | range (s) | images / s | max RSS (MiB) | timed iterations |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for side in SIDES:
            lines.append(f"| {side} | {medians[side]:.3f} | {min(seconds[side]):.2f}-{max(seconds[side]):.2f} | "
                         f"{batch / medians[side]:.1f} | "
                         f"{peak[side] / 2**20:.0f} | {len(seconds[side])} |")
        lines.append("")
        for other in SIDES[1:]:
            lines.append(f"- unetzoo / {other}: time {medians['unetzoo'] / medians[other]:.2f}x, "
                         f"max RSS {peak['unetzoo'] / peak[other]:.2f}x")
        lines.append("")
    return lines


def record(lines, started, options, load_before, load_after, torch_version):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    loaded = max(load_before[0], load_after[0]) > options.threads
    header = [
        f"## {started:%Y-%m-%d %H:%M} UTC", "",
        f"- machine: {machine_description(options.threads)}",
        f"- libtorch {torch_version} for both sides; {options.rounds} interleaved rounds per workload",
        f"- load average (1 min) {load_before[0]:.1f} before and {load_after[0]:.1f} after"
        + (": taken on a loaded machine, so absolute times are inflated and noisy" if loaded else ""),
        "- command: `.venv/bin/python benchmarks/run.py "
        + f"--threads {options.threads} --rounds {options.rounds} --record`", "",
    ]
    with open(path, "a") as file:
        file.write("\n".join(header + lines) + "\n")
    print(f"appended to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
