"""grades.csv: one row per submission, for the course's spreadsheet or LMS import.

Columns: id, name, sid, email (from Gradescope's metadata; ``;``-separated for a group), file, one
score column per question (headed by its id, e.g. ``1a``), total, max_score, misconceptions (ids,
``;``-separated), needs_review (question ids, ``;``-separated), overridden (question ids whose
score a person set, see override.py), status (graded, unreadable, timeout, crash), error.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and names and
error messages can hold what a student typed. Such text cells get a leading apostrophe (OWASP's
advice); numbers, negative ones included, are written as numbers. Everything else stays as it is:
``<script>`` in a CSV is plain text.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from grader.batch.outdir import write_text_atomic
from grader.batch.run import Graded
from grader.model import Result

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


def headers(columns: list[tuple[str, str]]) -> list[str]:
    several = len({r for r, _ in columns}) > 1  # then headers say which homework: "hw1:1a"
    return [f"{r}:{q}" if several else q for r, q in columns]


def total_of(res: Result) -> float | None:
    """The total, None when nothing was graded — unless a person set every question's score."""
    if not res.error:
        return res.score
    if res.questions and all(q.override is not None for q in res.questions):
        return res.score
    return None


def rows(graded: list[Graded]) -> list[list[str]]:
    columns = question_columns(graded)
    header = ["id", "name", "sid", "email", "file"] + headers(columns)
    header += ["total", "max_score", "misconceptions", "needs_review", "overridden", "status", "error"]
    out = [header]
    for g in graded:
        res = g.result
        # a submission nothing could be graded in shows only the scores a person set
        scores = {(res.rubric_id, q.question_id): q.score for q in res.questions
                  if not res.error or q.override is not None}
        misconceptions = [m.id for q in res.questions for m in q.misconceptions]
        review = [q.question_id for q in res.questions if q.needs_review]
        overridden = [q.question_id for q in res.questions if q.override is not None]
        total = total_of(res)
        row = [g.submission.id, g.submission.name, g.submission.sid, g.submission.email, g.submission.source]
        row += [scores.get(c, "") for c in columns]
        row += ["" if total is None else total, res.max_score, ";".join(misconceptions), ";".join(review),
                ";".join(overridden), g.failure or "graded", res.error]
        out.append([cell(v) for v in row])
    return out


def to_text(table: list[list]) -> str:
    """Rows as CSV text (RFC 4180 quoting, CRLF line ends as the csv module writes them)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return buffer.getvalue()


def write_table(table: list[list], path: Path) -> None:
    """Cells made safe, then written whole or not at all."""
    write_text_atomic(Path(path), to_text([[cell(v) for v in row] for row in table]))


def write_csv(graded: list[Graded], path: Path) -> None:
    write_text_atomic(Path(path), to_text(rows(graded)))
