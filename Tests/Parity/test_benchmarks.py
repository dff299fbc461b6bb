"""The two sides of benchmarks/run.py run the same network and report the same fields."""

import json
import os
import subprocess
import sys

from conftest import ROOT

FASHION = dict(dim=28, dim_mults=[1, 2, 4], channels=1, resnet_block_groups=4, image_size=28)


def test_both_sides_report_same_network(unetzoo):
    unetzoo_side = unetzoo("bench", "train", "specs/fashion-mnist.yaml", "--batch", "2", "--iterations", "2",
                           "--warmup", "0", "--threads", "1")
    reference_side = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "reference_bench.py"), "train", "--config",
         json.dumps(FASHION), "--batch", "2", "--iterations", "2", "--warmup", "0", "--threads", "1",
         "--channels-last"], cwd=ROOT, capture_output=True, text=True)

    assert unetzoo_side.returncode == 0, unetzoo_side.stderr
    assert reference_side.returncode == 0, reference_side.stderr
    ours, theirs = json.loads(unetzoo_side.stdout), json.loads(reference_side.stdout)
    assert sorted(ours) == sorted(theirs)
    assert ours["parameters"] == theirs["parameters"] == 1_614_793
    assert (ours["workload"], ours["batch"], ours["threads"]) == ("train", 2, 1)
    assert len(ours["seconds"]) == len(theirs["seconds"]) == 2
    assert all(seconds > 0 for seconds in ours["seconds"])
    assert ours["max_rss_bytes"] > 0


def test_bench_rejects_unknown_workload(unetzoo):
    result = unetzoo("bench", "sample", "specs/fashion-mnist.yaml")

    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: expected a workload (forward or train) and one SPEC, got: sample specs/fashion-mnist.yaml\n")
