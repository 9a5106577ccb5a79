"""Silence a reading library's warnings and log lines, which would otherwise reach stderr and so the student's
Gradescope output (nbformat's validation messages, pypdf's notes on what it repaired)."""

from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def quiet(logger: logging.Logger) -> Iterator[None]:
    """Within the block, ``logger`` drops every record and no warning is shown."""

    def drop(record: object) -> bool:
        return False

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logger.addFilter(drop)
        try:
            yield
        finally:
            logger.removeFilter(drop)
