"""In-process grading time of real-like submissions (one process per round, each file graded once per round).

Run from the project root:  .venv/bin/python bench/bench_inprocess.py [--rounds 5]

Each round is a fresh interpreter that loads the rubrics and grades each homework's model answer (so imports and
rubric parsing are not counted), then grades every submission of bench/corpus.py once, with its homework named,
timing each. A file's figure is its fastest round (other processes only ever slow a run down); the median and the
95th percentile over the files are printed beside the targets: median ≤ 10 ms, p95 ≤ 25 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGETS = {"median_ms": 10.0, "p95_ms": 25.0}


def one_round() -> dict[str, float]:
    from corpus import submissions

    from grader import pipeline

    _, found = submissions()
    for homework in sorted({hw for _, hw in found}):
        pipeline.grade(ROOT / "solutions" / "model_answers" / f"{homework}.md", homework)
    times = {}
    for path, homework in found:
        started = time.perf_counter()
        pipeline.grade(path, homework)
        times[str(path)] = (time.perf_counter() - started) * 1000
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--round", action="store_true", help=argparse.SUPPRESS)  # one round, as JSON on stdout
    p.add_argument("--verbose", action="store_true", help="print every file's time")
    args = p.parse_args()
    if args.round:
        print(json.dumps(one_round()))
        return 0
    from corpus import submissions

    source, _ = submissions()
    rounds = [json.loads(subprocess.run([sys.executable, __file__, "--round"], check=True, capture_output=True,
                                        text=True, cwd=ROOT).stdout) for _ in range(args.rounds)]
    best = {f: min(r[f] for r in rounds) for f in rounds[0]}
    values = list(best.values())
    median, p95 = statistics.median(values), percentile(values, 0.95)
    print(f"in-process grading of {len(values)} submissions from {source}, fastest of {args.rounds} rounds")
    if args.verbose:
        for f, t in sorted(best.items(), key=lambda kv: -kv[1]):
            print(f"  {t:6.1f} ms  {Path(f).name}")
    ok_median, ok_p95 = median <= TARGETS["median_ms"], p95 <= TARGETS["p95_ms"]
    print(f"  median {median:.1f} ms (target ≤ {TARGETS['median_ms']:g})   {'meets' if ok_median else 'MISSES'} target")
    print(f"  p95    {p95:.1f} ms (target ≤ {TARGETS['p95_ms']:g})   {'meets' if ok_p95 else 'MISSES'} target")
    print(f"  slowest {max(values):.1f} ms ({Path(max(best, key=best.get)).name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
