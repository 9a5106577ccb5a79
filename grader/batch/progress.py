"""A one-line progress bar on stderr, redrawn in place with a carriage return.

Silent when the stream is not a terminal (CI logs, pipes) or when asked to be: a log file full of
carriage returns helps nobody.
"""

from __future__ import annotations

import sys
import time

WIDTH = 30
REDRAW_EVERY = 0.1  # seconds: a terminal redrawn on every submission would slow the batch down


class Progress:
    def __init__(self, total: int, label: str = "grading", stream=None, enabled: bool | None = None):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.started = self._last = time.monotonic()

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        eta = f"  {left:.0f}s left" if self.done < self.total and rate > 0 else ""
        return (f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total} "
                f"{100 * share:3.0f}%  {rate:.0f}/s{eta}")

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last >= REDRAW_EVERY or self.done >= self.total):
            self._last = now
            self.stream.write("\r" + self.line() + "\x1b[K")  # erase what a longer line left behind
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line() + "\x1b[K\n")
            self.stream.flush()
