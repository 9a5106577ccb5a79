"""``python -m grader export OUT --format canvas|gradescope-csv``: the last run's totals for an LMS.

Both files come from OUT's gradebook: the last batch run, with the scores people set
(``override``) applied, including ones set since that run. One row per student: a group submission
gives each of its members a row. A submission nothing could be graded in has an empty score (the
LMS leaves that student's grade alone) unless a person set every question of it.

- ``canvas``: Canvas' gradebook import (Grades → Import). Columns ``Student``, ``ID``, ``SIS User
  ID``, ``SIS Login ID``, ``Section``, then one column per homework, headed by its title (or
  ``--assignment "Homework 1 (1234)"``: with the assignment's Canvas id in parentheses the import
  updates that assignment instead of creating one), and a ``Points Possible`` row as in Canvas' own
  export. Canvas matches students by ``ID`` (its internal id, which Gradescope's export does not
  have), ``SIS User ID`` (the sid Gradescope lists) or ``SIS Login ID`` (left empty unless
  ``--login-id email``, for schools whose Canvas login is the email address).
- ``gradescope-csv``: Gradescope's score upload for an assignment. Columns ``Name``, ``SID``,
  ``Email``, ``Total Score`` as in Gradescope's own grade export; Gradescope matches rows by email
  (or SID) and lets you pick the score column when you upload.

Every cell goes through grades.csv's protection against spreadsheet formulas.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from grader.batch.discover import Submitter
from grader.batch.gradebook import OverrideRow, RunRecord

FORMATS = {"canvas": "canvas.csv", "gradescope-csv": "gradescope-scores.csv"}
CANVAS_IDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS = "    Points Possible"  # the first cell of the second row of Canvas' own export
GRADESCOPE = ["Name", "SID", "Email", "Total Score"]


class ExportError(Exception):
    pass


@dataclass(frozen=True)
class Total:
    submission: str
    rubric_id: str
    people: tuple[Submitter, ...]
    total: float | None


def totals(run: RunRecord, overrides: dict[tuple[str, str], OverrideRow]) -> list[Total]:
    """Each submission's total with today's overrides applied; None where there is no score to send."""
    scores: dict[str, list[float | None]] = {}
    for (sid, q), row in run.scores.items():
        o = overrides.get((sid, q))
        scores.setdefault(sid, []).append(o.score if o else row.grader_score)
    out = []
    for sid, sub in run.submissions.items():
        values = scores.get(sid, [])
        total = round(sum(values), 4) if values and all(v is not None for v in values) else None
        people = sub.submitters or (Submitter(sub.name or sid),)
        out.append(Total(sid, sub.rubric_id, people, total))
    return out


def _rubrics(run: RunRecord, homework: str | None) -> list[str]:
    ids = [r for r in run.rubrics]
    if homework:
        if homework not in ids:
            raise ExportError(f"the last run has no homework {homework!r} (it has: {', '.join(ids) or 'none'})")
        return [homework]
    if not ids:
        raise ExportError("the last run graded nothing: there are no scores to export")
    return ids


def canvas_table(run: RunRecord, overrides, assignment: str | None = None, homework: str | None = None,
                 login_id: str = "none") -> tuple[list[list], list[str]]:
    rubrics = _rubrics(run, homework)
    if assignment and len(rubrics) > 1:
        raise ExportError("--assignment names one column but the run holds several homeworks: add --homework ID")
    titles = [assignment] if assignment else [run.rubrics[r].title or r for r in rubrics]
    table = [CANVAS_IDS + titles, [CANVAS_POINTS, "", "", "", ""] + [run.rubrics[r].max_score for r in rubrics]]
    unmatched = 0
    for t in totals(run, overrides):
        if t.rubric_id and t.rubric_id not in rubrics:
            continue
        for person in t.people:
            login = person.email if login_id == "email" else ""
            unmatched += not (person.sid or login)
            scores = [t.total if t.rubric_id == r and t.total is not None else "" for r in rubrics]
            table.append([person.name or t.submission, "", person.sid, login, ""] + scores)
    notes = [f"{unmatched} row(s) have no SIS User ID{' or login' if login_id == 'email' else ''}: Canvas cannot "
             "match them to a student"] if unmatched else []
    return table, notes


def gradescope_table(run: RunRecord, overrides, homework: str | None = None) -> tuple[list[list], list[str]]:
    rubrics = _rubrics(run, homework)
    if len(rubrics) > 1:
        raise ExportError(f"Gradescope takes one assignment's scores at a time: add --homework "
                          f"({' or '.join(rubrics)})")
    table: list[list] = [list(GRADESCOPE)]
    unmatched = 0
    for t in totals(run, overrides):
        if t.rubric_id and t.rubric_id != rubrics[0]:
            continue
        for person in t.people:
            unmatched += not (person.email or person.sid)
            table.append([person.name or t.submission, person.sid, person.email,
                          "" if t.total is None else t.total])
    notes = [f"{unmatched} row(s) have neither email nor SID: Gradescope cannot match them to a student"] \
        if unmatched else []
    return table, notes


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m grader export",
                                description="Write the last batch run's totals (with the scores people set) as a "
                                            "file Canvas' gradebook import or Gradescope's score upload accepts.")
    p.add_argument("out", type=Path, metavar="OUT", help="the batch's output folder (holds gradebook.sqlite)")
    p.add_argument("--format", required=True, choices=sorted(FORMATS))
    p.add_argument("--output", type=Path, help="where to write (default: OUT/canvas.csv or OUT/gradescope-scores.csv)")
    p.add_argument("--assignment", help="canvas: the assignment column's header, e.g. 'Homework 1 (1234)' to "
                                        "update Canvas assignment 1234 (default: the homework's title)")
    p.add_argument("--homework", help="the rubric id to export when the run graded several homeworks")
    p.add_argument("--login-id", choices=["none", "email"], default="none",
                   help="canvas: fill 'SIS Login ID' with the student's email (default: leave it empty)")
    return p


def export_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from grader.batch.csv_out import write_table
    from grader.batch.gradebook import Gradebook, GradebookError

    try:
        with Gradebook.in_folder(args.out, create=False) as book:
            run, overrides = book.last_run(), book.overrides()
        if run is None:
            raise ExportError(f"{args.out} has no batch run recorded yet")
        if args.format == "canvas":
            table, notes = canvas_table(run, overrides, args.assignment, args.homework, args.login_id)
        else:
            table, notes = gradescope_table(run, overrides, args.homework)
    except (GradebookError, ExportError) as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 2
    target = args.output or args.out / FORMATS[args.format]
    write_table(table, target)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    rows = len(table) - (2 if args.format == "canvas" else 1)
    print(f"Wrote {target}: {rows} student row(s) from the run of {run.finished_at}.")
    return 0
