"""Time bounds in tests, measured so that a busy machine does not fail them.

A test that bounds the time of a call (a hostile input must be refused in 50 ms) takes the fastest
of a few runs: other processes and garbage collection only ever make a run slower, while a
super-linear algorithm is slow on every run, so the bound still catches what it is there for.
Hostile inputs are judged by how the time grows when the input doubles (``growth``), which holds on
a slow machine as on a fast one.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
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


NEGLIGIBLE = 0.005  # seconds: below this the growth of the time says nothing that noise would not swamp
GROWTH = 4  # the input is timed at a quarter of its size and at its full size:
LINEAR_GROWTH = 10.0  # a linear scan takes about 4x the time on 4x the input, a quadratic one 16x
REPEAT = 7


@dataclass(frozen=True)
class Hostile:
    """A hostile input that can be built at any size, so that a test sees how the time of a call grows
    with it: the ratio does not depend on how fast the machine is, an absolute bound does."""

    build: Callable[[int], str]
    size: int
    label: str

    def text(self, fraction: int = 1) -> str:
        """The input at its full size, or at 1/``fraction`` of it."""
        return self.build(max(1, self.size // fraction))


def repeated(unit: str, count: int, tail: str = "") -> Hostile:
    return Hostile(lambda n: unit * n + tail, count, f"{unit[:8]!r}x{count}")


def growth(run: Callable[[str], object], hostile: Hostile) -> str | None:
    """None when ``run`` takes time linear in the size of ``hostile`` (or negligible time); otherwise a
    message with the two timings."""
    small, large = hostile.text(GROWTH), hostile.text()
    run(small)  # warm caches (compiled patterns) outside the timing
    # The cyclic collector's passes cost more the more objects the process holds, whatever the call does:
    # with it on, a linear tokenizer allocating a token per character looks super-linear.
    enabled = gc.isenabled()
    gc.disable()
    try:
        t_small = t_large = float("inf")
        for _ in range(REPEAT):  # interleaved, so that a busy spell of the machine slows both sizes alike
            t_small = min(t_small, fastest(lambda: run(small), repeat=1))
            t_large = min(t_large, fastest(lambda: run(large), repeat=1))
    finally:
        if enabled:
            gc.enable()
    if t_large < NEGLIGIBLE or t_large < LINEAR_GROWTH * t_small:
        return None
    return f"{t_small * 1000:.1f} ms on {len(small)} characters, {t_large * 1000:.1f} ms on {len(large)}"
