"""Throughput of `python -m grader batch` on real-like submissions: submissions per second with 1 and 2 workers.

Run from the project root:  .venv/bin/python bench/bench_batch.py [N] [--runs R]

Draws N submissions (default 300) in turn from the real-like set of bench/corpus.py (the shared corpus and seeds
of both homeworks when they sit beside the repository, else the repository's fixtures), one folder per student,
then runs the whole batch command in this process — discover, recognise each submission's homework, grade,
reports, grades.csv, summary.html — with 1 and with 2 workers, R times each (default 3), and prints the best
run's submissions per second next to the target. The best run is reported because other processes on the
machine only ever make a run slower.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_class, submissions  # noqa: E402

from grader.cli import main  # noqa: E402

TARGET = 150.0  # submissions per second with 2 workers on a 2-core machine


def time_batch(folder: Path, out: Path, workers: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    code = main(["batch", str(folder), "--out", str(out), "--workers", str(workers), "--quiet"])
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"batch exited with {code}")
    return elapsed


def main_bench() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", nargs="?", type=int, default=300, help="submissions to draw (default 300)")
    p.add_argument("--runs", type=int, default=3, help="runs per worker count; the best is reported")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp) / "class"
        make_class(folder, args.n)
        print(f"{args.n} submissions drawn from {submissions()[0]} ({os.cpu_count()} CPUs, "
              f"Python {sys.version.split()[0]}); reports and summary included, homework recognised per file")
        rates = {}
        for workers in (1, 2):
            best = min(time_batch(folder, Path(tmp) / f"out{workers}", workers) for _ in range(args.runs))
            rates[workers] = args.n / best
            print(f"{workers} worker{'s' if workers > 1 else ' '}: {best:.2f} s for {args.n} → "
                  f"{rates[workers]:.0f} submissions/s")
        verdict = "meets" if rates[2] >= TARGET else "misses"
        print(f"target: {TARGET:.0f} submissions/s with 2 workers: {verdict} it ({rates[2]:.0f}/s; "
              f"speed-up {rates[2] / rates[1]:.2f}× over 1 worker)")


if __name__ == "__main__":
    main_bench()
