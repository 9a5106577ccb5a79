"""Timing of grader.mathexpr: one equivalence check, and the cost of importing the package.

Run from the project root:  .venv/bin/python bench/bench_mathexpr.py

- "warm": the usual case when grading a class (the reference, the draws and repeated answers are cached);
- "cold": parse and draw caches cleared before every check (a first-seen answer on a first-seen question);
- import: in fresh subprocesses, the time ``import grader.mathexpr`` takes once numpy is imported (its own cost),
  and the wall time of ``python -c "import grader.mathexpr"`` minus that of ``python -c "import numpy"`` (noisier:
  it includes interpreter start-up variance).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from grader.mathexpr import equivalent, parser, symbols  # noqa: E402

RUNS = 200
Q3 = {"K": "spd(d)", "L": "matrix(n, d)", "Sigma": "spd(n)", "mu": "vector(d)", "m": "vector(n)", "u": "vector(n)"}
Q3_DEFS = {"J": r"K^T L^T (\Sigma + L K L^T)^{-1}", "P": r"(K^{-1} + L^T \Sigma^{-1} L)^{-1}"}
CASES = [
    ("posterior mean, information form", r"\mu + P L^T \Sigma^{-1}(u - L\mu - m)", r"\mu + J(u - L\mu - m)", Q3,
     Q3_DEFS),
    ("posterior covariance, wrong sign", "K + JLK", "K - JLK", Q3, Q3_DEFS),
    ("det gradient", r"|X| X^{-\top}", r"\det(X)(X^{-1})^T", {"X": "invertible(d)"}, None),
    ("transpose", r"{}^tA", "A^T", {"X": "matrix(p, q)", "A": "matrix(q, p)"}, None),
]


def _clear_caches() -> None:
    parser._parse_cached.cache_clear()
    symbols.environments.cache_clear()
    symbols.ordered_definitions.cache_clear()


def _median_ms(student, reference, table, defs, cold: bool) -> float:
    times = []
    for _ in range(RUNS):
        if cold:
            _clear_caches()
        start = time.perf_counter()
        equivalent(student, reference, table, defs)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


# Byte code goes to a private cache outside the project, so the subprocesses measure importing compiled modules
# (as on an installed grader) even where PYTHONDONTWRITEBYTECODE is set, without writing __pycache__ into the tree.
PYCACHE = tempfile.mkdtemp(prefix="bench_mathexpr_pycache_")


def _run(code: str, *flags: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=ROOT, PYTHONPYCACHEPREFIX=PYCACHE)
    return subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          check=True)


_INCREMENTAL = (
    "import time, numpy\n"
    "start = time.perf_counter()\n"
    "import grader.mathexpr\n"
    "print(time.perf_counter() - start)\n"
)


def _incremental_ms(runs: int = 11) -> float:
    """Median time to import grader.mathexpr in a fresh interpreter where numpy is already imported."""
    _run("import grader.mathexpr")  # fills the byte-code cache
    return statistics.median(float(_run(_INCREMENTAL).stdout) for _ in range(runs)) * 1000


def _wall_ms(code: str, runs: int = 11) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        _run(code)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    print(f"equivalence check, median of {RUNS} runs (target < 1 ms warm)")
    for label, student, reference, table, defs in CASES:
        warm = _median_ms(student, reference, table, defs, cold=False)
        cold = _median_ms(student, reference, table, defs, cold=True)
        print(f"  {label:36s} warm {warm:6.3f} ms   cold {cold:6.3f} ms")
    print("import cost (fresh interpreters, byte code cached)")
    print(f"  import grader.mathexpr after numpy {_incremental_ms():6.1f} ms   (median of 11)")
    numpy_wall = _wall_ms("import numpy")
    ours_wall = _wall_ms("import grader.mathexpr")
    print(f"  python -c 'import numpy'           {numpy_wall:6.1f} ms")
    print(f"  python -c 'import grader.mathexpr' {ours_wall:6.1f} ms   (difference {ours_wall - numpy_wall:+.1f} ms)")
    shutil.rmtree(PYCACHE, ignore_errors=True)


if __name__ == "__main__":
    main()
