"""Every limit the grader puts on a submission, in one table, with its default and how to change it.

A student's file can be huge, deeply nested, compressed a thousandfold or full of exponent towers; each
limit below stops one of those before the work it would cause, and the message the student gets names
the limit. The constants stay in the modules that apply them (a reader of that module sees the number
where it is used); this table is their documentation, and ``tests/bad_inputs/test_limits.py`` fails
when a default here and the module's constant disagree, or when README's "Limits" table is stale
(``python -m grader.limits`` prints the table to paste there).

Limits with an environment variable can be changed per run (a positive number; anything else keeps the
default). The others are fixed because they protect the grader's own time and stack: raising them
would not grade more answers, only slower.

This module imports nothing outside the standard library: the readers call it on every file.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """One row of the limits table: its default, its variable and what happens past it."""

    name: str
    default: float  # in ``unit``
    unit: str
    env: str  # the variable that changes it, "" when fixed
    where: str  # "module:CONSTANT" holding the default (a constant named *_BYTES holds bytes)
    meaning: str

    def constant(self) -> float:
        """The module constant this row documents, in the row's unit."""
        module, name = self.where.split(":")
        value = getattr(importlib.import_module(module), name)
        return value / MB if name.endswith("_BYTES") else value


LIMITS = (
    # read: before anything is parsed
    Limit("file size", 64, "MB", "GRADER_MAX_FILE_MB", "grader.read:MAX_FILE_BYTES",
          "a submission file (or the answer file inside a zip) larger than this is refused from its size alone, "
          "before a byte is read"),
    Limit("zip expanded size", 100, "MB", "GRADER_MAX_ZIP_MB", "grader.read.archive:MAX_ZIP_BYTES",
          "the total a zip declares it expands to, and a running count of the bytes actually decompressed"),
    Limit("zip entries", 1000, "entries", "GRADER_MAX_ZIP_ENTRIES", "grader.read.archive:MAX_ZIP_ENTRIES",
          "a zip listing more files is refused before its table of contents is parsed"),
    Limit("zip compression ratio", 100, "to 1", "", "grader.read.archive:MAX_RATIO",
          "a zip entry over 1 MB compressed more than this (a zip bomb's signature) is not read"),
    Limit("blocks per file", 20_000, "blocks", "", "grader.read.markdown:MAX_BLOCKS",
          "headings, paragraphs, formulas or cells past this are kept as one block of text"),
    Limit("notebook cells checked by nbformat", 10_000, "cells", "", "grader.read.notebook:NBFORMAT_MAX_CELLS",
          "larger notebooks are read from their JSON directly (nbformat's validation would take seconds)"),
    Limit("notebook output", 100_000, "characters", "", "grader.read.notebook:MAX_OUTPUT_CHARS",
          "each code-cell output is cut here; images, errors and stderr are never read"),
    Limit("PDF pages", 100, "pages", "GRADER_MAX_PDF_PAGES", "grader.read.pdf:MAX_PDF_PAGES",
          "pages past this are not read (counted from the page tree before any page is); the questions not fully "
          "credited are marked \"needs review\""),
    Limit("PDF text per page", 100_000, "characters", "", "grader.read.pdf:MAX_PAGE_CHARS",
          "the rest of a page's text is not read, and the page is named for review"),
    Limit("PDF stream size", 32, "MB", "", "grader.read.pdf:MAX_STREAM_BYTES",
          "what any one stream of a PDF may decompress to (a decompression bomb's page is reported as damaged)"),
    Limit("PDF reading time", 20, "s", "", "grader.read.pdf:MAX_READ_SECONDS",
          "pages not reached by then are not read, and are named for review"),
    # extract and mathexpr: before anything is evaluated
    Limit("answer text read for expressions", 50_000, "characters", "", "grader.extract.expressions:MAX_TEXT_LENGTH",
          "a longer answer is not searched for formulas"),
    Limit("expression length", 2000, "characters", "", "grader.mathexpr.parser:MAX_LENGTH",
          "a longer formula is \"too long\" and is not parsed"),
    Limit("expression depth", 100, "levels", "", "grader.mathexpr.parser:MAX_DEPTH",
          "brackets, fractions and exponents nested deeper are \"nested too deeply\""),
    Limit("exponent", 16, "", "", "grader.mathexpr.scripts:MAX_EXPONENT",
          "a power with a larger constant exponent (10^{10^{10}}) is \"too large to evaluate\""),
    Limit("identity size", 64, "", "", "grader.mathexpr.parser:MAX_IDENTITY", "I_n with a larger written n is refused"),
    Limit("digits in a number", 50, "digits", "", "grader.extract.numbers:MAX_DIGITS",
          "a stated value with more digits is not read as a number"),
    Limit("matrix side", 50, "rows or columns", "", "grader.extract.matrices:MAX_SIDE",
          "a larger matrix is \"too large\" and is not compared"),
    Limit("matrix entries", 2500, "entries", "", "grader.extract.matrices:MAX_ENTRIES",
          "a larger matrix is not read"),
    Limit("answer read by the checkers", 100_000, "characters", "", "grader.grade:MAX_ANSWER_CHARS",
          "a longer answer to one question is not graded automatically: 0, \"needs review\", left to a person"),
    # render: what is echoed back
    Limit("answer echoed in feedback", 1500, "characters", "", "grader.grade:EXCERPT_CHARS",
          "the answer as read is cut here (with \" […]\") in results.json and the reports"),
    Limit("quote in feedback", 300, "characters", "", "grader.render.feedback:QUOTE_CHARS",
          "each quoted piece of evidence is cut here"),
    Limit("formula shown as MathML", 2000, "characters", "", "grader.render.mathml:MAX_LATEX_CHARS",
          "a longer formula is shown as its LaTeX source"),
    # process: the autograder's worker (grader/gradescope/run.py)
    Limit("worker memory", 512, "MB", "GRADER_MEMORY_LIMIT_MB", "grader.gradescope.run:DEFAULT_MEMORY_MB",
          "the grading worker's address space; past it the student gets a \"not your fault\" result"),
    Limit("worker time", 120, "s", "GRADER_TIME_LIMIT_S", "grader.gradescope.run:DEFAULT_TIME_S",
          "the grading worker's wall-clock time, well inside Gradescope's 10 minutes"),
)


def env_number(name: str, default: float) -> float:
    """The positive number in the environment variable ``name``, else ``default``."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


def env_bytes(name: str, default_bytes: int) -> int:
    """A size given in MB in the environment (``GRADER_MAX_FILE_MB=1.5``), in bytes."""
    megabytes = env_number(name, 0.0)
    return int(megabytes * MB) if megabytes else default_bytes


def env_count(name: str, default: int) -> int:
    """A whole number of at least 1 from the environment, else ``default``."""
    value = env_number(name, float(default))
    return int(value) if value >= 1 else default


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def markdown_table() -> str:
    rows = ["| limit | default | variable | what happens past it |", "|---|---|---|---|"]
    for limit in LIMITS:
        default = f"{_number(limit.default)} {limit.unit}".strip()
        env = f"`{limit.env}`" if limit.env else "fixed"
        rows.append(f"| {limit.name} | {default} | {env} | {limit.meaning} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
