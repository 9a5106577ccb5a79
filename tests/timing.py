"""Time bounds in tests, measured so that a busy machine does not fail them.

A test that bounds the time of a call (a hostile input must be refused in 50 ms) takes the fastest
of a few runs: other processes and garbage collection only ever make a run slower, while a
super-linear algorithm is slow on every run, so the bound still catches what it is there for.
"""

from __future__ import annotations

import time
from typing import Callable


def fastest(run: Callable[[], object], repeat: int = 3, before: Callable[[], object] | None = None) -> float:
    """Seconds taken by the fastest of ``repeat`` calls of ``run`` (``before`` runs untimed before each,
    e.g. to empty a cache the call would otherwise hit)."""
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best
