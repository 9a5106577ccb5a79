"""grades.csv: one row per submission, for the course's spreadsheet or LMS import.

Columns: id, name, file, one score column per question (headed by its id, e.g. ``1a``), total,
max_score, misconceptions (ids, ``;``-separated), needs_review (question ids, ``;``-separated),
status (graded, unreadable, timeout, crash), error.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and names and
error messages can hold what a student typed. Such text cells get a leading apostrophe (OWASP's
advice); numbers, negative ones included, are written as numbers. Everything else stays as it is:
``<script>`` in a CSV is plain text.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from grader.batch.run import Graded

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no CSV reader wants them


def number(x: float) -> str:
    """Scores are rounded to 4 decimals by the grader; print them without trailing zeros."""
    return f"{x:.4f}".rstrip("0").rstrip(".")


def cell(value) -> str:
    """A value as a CSV cell that no spreadsheet will evaluate."""
    text = value if isinstance(value, str) else number(value) if isinstance(value, float) else str(value)
    text = _UNWRITABLE.sub("\ufffd", text)
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def question_columns(graded: list[Graded]) -> list[tuple[str, str]]:
    """(rubric id, question id) in rubric order, over every rubric the batch met."""
    seen: dict[tuple[str, str], None] = {}
    for g in graded:
        for q in g.result.questions:
            seen.setdefault((g.result.rubric_id, q.question_id), None)
    return list(seen)


def rows(graded: list[Graded]) -> list[list[str]]:
    columns = question_columns(graded)
    several = len({r for r, _ in columns}) > 1  # then headers say which homework: "hw1:1a"
    header = ["id", "name", "file"] + [f"{r}:{q}" if several else q for r, q in columns]
    header += ["total", "max_score", "misconceptions", "needs_review", "status", "error"]
    out = [header]
    for g in graded:
        res = g.result
        scores = {(res.rubric_id, q.question_id): q.score for q in res.questions}
        misconceptions = [m.id for q in res.questions for m in q.misconceptions]
        review = [q.question_id for q in res.questions if q.needs_review]
        row = [g.submission.id, g.submission.name, g.submission.source]
        row += [scores[c] if c in scores and not res.error else "" for c in columns]
        row += ["" if res.error else res.score, res.max_score, ";".join(misconceptions), ";".join(review),
                g.failure or "graded", res.error]
        out.append([cell(v) for v in row])
    return out


def write_csv(graded: list[Graded], path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows(graded))
