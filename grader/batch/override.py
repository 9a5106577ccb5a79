"""Scores set by a person: ``python -m grader override OUT SUBMISSION QUESTION SCORE --note WHY --by WHO``.

The score is kept in OUT's gradebook with who set it, when and why, and every later batch into OUT
applies it: grades.csv (and its ``overridden`` column), the student's report ("set by course
staff", with the note) and the summary show it in place of the grader's, and the question leaves
the review queue. It stays until ``override OUT SUBMISSION QUESTION --clear --by WHO``. Exports
(``python -m grader export``) use it at once; grades.csv, reports and summary.html change at the
next batch, which regrades in seconds.

The submission and question must be in the gradebook's last run (the score is checked against the
question's points there). A score set on a file the student has since replaced is still applied,
and the summary says so.
"""

from __future__ import annotations

import argparse
import difflib
import math
import sys
from dataclasses import replace
from pathlib import Path

from grader.batch.gradebook import OverrideRow
from grader.batch.run import Graded
from grader.model import Override, QuestionResult, Status


def _status(score: float, points: float) -> Status:
    if score >= points - 1e-9:
        return Status.CORRECT
    return Status.WRONG if score <= 1e-9 else Status.PARTIAL


def overridden(q: QuestionResult, o: OverrideRow, graded: bool) -> QuestionResult:
    """The question with a person's score in place of the grader's (who, why and the grader's score kept)."""
    mark = Override(o.score, o.by, o.note, o.at, q.score if graded else None)
    return replace(q, score=round(o.score, 4), status=_status(o.score, q.points), needs_review=False, override=mark)


def apply_overrides(graded: list[Graded], overrides: dict[tuple[str, str], OverrideRow],
                    config) -> tuple[list[Graded], list[str]]:
    """Put the people's scores into the results and rewrite those reports; notes on overrides left unused."""
    from grader.batch.record import file_sha256
    from grader.batch.run import _write_report

    if not overrides:
        return graded, []
    by_sub: dict[str, dict[str, OverrideRow]] = {}
    for (sid, q), o in overrides.items():
        by_sub.setdefault(sid, {})[q] = o
    out, notes, used = [], [], set()
    for g in graded:
        mine = by_sub.get(g.submission.id)
        if not mine or not any(q.question_id in mine for q in g.result.questions):
            out.append(g)
            continue
        questions = []
        for q in g.result.questions:
            o = mine.get(q.question_id)
            questions.append(overridden(q, o, not g.result.error) if o else q)
            if o:
                used.add((g.submission.id, q.question_id))
        result = replace(g.result, questions=tuple(questions))
        report = _write_report(g.submission, result, config)
        out.append(replace(g, result=result, report=report))
        sha = file_sha256(g.submission.path)
        changed = sorted(q for q, o in mine.items() if o.sha256 and o.sha256 != sha)
        if changed:
            notes.append(f"{g.submission.id}: the file changed since a person set the score of "
                         f"{', '.join(changed)}; that score still stands (clear it with `override --clear`).")
    unused = sorted(set(overrides) - used)
    if unused:
        shown = ", ".join(f"{s} {q}" for s, q in unused[:10]) + (" …" if len(unused) > 10 else "")
        notes.append(f"{len(unused)} score(s) set by a person are kept for submissions or questions not in this "
                     f"run: {shown}.")
    return out, notes


# --- the command ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader override",
        description="Set (or clear) a person's score for one question of one submission in a batch's output "
                    "folder. Every later `batch` into OUT keeps it until it is cleared.")
    p.add_argument("out", type=Path, metavar="OUT", help="the batch's output folder (holds gradebook.sqlite)")
    p.add_argument("submission", nargs="?", metavar="SUBMISSION", help="the submission id (grades.csv's id column)")
    p.add_argument("question", nargs="?", metavar="QUESTION", help="the question id, e.g. 1a (or hw1:1a)")
    p.add_argument("score", nargs="?", metavar="SCORE", help="the score to give, from 0 to the question's points")
    p.add_argument("--note", default="", help="why (required when setting a score); the student's report shows it")
    p.add_argument("--by", default="", help="who sets it (required)")
    p.add_argument("--clear", action="store_true", help="remove the person's score: the grader's stands again")
    p.add_argument("--list", action="store_true", help="list the scores set by a person, then stop")
    return p


def _fail(message: str, code: int = 2) -> int:
    print(f"override: {message}", file=sys.stderr)
    return code


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def override_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from grader.batch.gradebook import Gradebook, GradebookError
    from grader.batch.outdir import OutputError, locked
    from grader.batch.record import now

    if not args.out.is_dir():
        return _fail(f"{args.out}: not a folder")
    try:
        with locked(args.out, "override"), Gradebook.in_folder(args.out, create=False) as book:
            if args.list:
                for o in book.overrides().values():
                    print(f"{o.submission}\t{o.question}\t{o.score:g}\t{o.by}\t{o.at}\t{o.note}")
                return 0
            if not args.submission or not args.question:
                return _fail("give SUBMISSION and QUESTION (or --list)")
            last = book.last_run()
            if last is None:
                return _fail(f"{args.out} has no batch run recorded yet")
            sub = last.submissions.get(args.submission)
            if sub is None:
                return _fail(f"no submission {args.submission!r} in the last run into {args.out}"
                             + _suggest(args.submission, last.submissions))
            question = args.question.split(":", 1)[1] if ":" in args.question else args.question
            row = last.scores.get((sub.submission, question))
            if row is None:
                known = [q for s, q in last.scores if s == sub.submission]
                return _fail(f"submission {sub.submission} has no question {args.question!r}"
                             + (f"; its questions: {', '.join(known)}" if known else
                                " (nothing of it could be graded and no rubric was given: "
                                "run the batch with --rubric)"))
            if not args.by.strip():
                return _fail("say who sets the score with --by NAME")
            if args.clear:
                if args.score is not None:
                    return _fail("--clear takes no SCORE")
                if not book.clear_override(sub.submission, question, args.by.strip(), now(), args.note.strip()):
                    return _fail(f"no score set by a person for {sub.submission} {question}", 1)
                print(f"Cleared the score set by a person for {sub.submission} {question}; the grader's stands from "
                      f"the next batch into {args.out}.")
                return 0
            if args.score is None:
                return _fail("give the SCORE (or --clear)")
            try:
                score = float(args.score)
            except ValueError:
                return _fail(f"SCORE must be a number, not {args.score!r}")
            if not math.isfinite(score) or score < 0 or score > row.points + 1e-9:
                return _fail(f"SCORE must be from 0 to {row.points:g} (the points of {question}), not {args.score}")
            if not args.note.strip():
                return _fail("say why with --note TEXT (the student's report shows it)")
            # the file as it was graded in the run whose report the person read
            book.set_override(OverrideRow(sub.submission, question, round(score, 4), args.note.strip(),
                                          args.by.strip(), now(), sub.sha256, row.grader_score))
    except OutputError as exc:
        return _fail(str(exc))
    except GradebookError as exc:
        return _fail(str(exc))
    grader_gave = "nothing (not graded)" if row.grader_score is None else f"{row.grader_score:g}"
    print(f"Set {question} of {sub.submission} to {score:g} / {row.points:g} (the grader gave {grader_gave}), by "
          f"{args.by.strip()}. `export` uses it now; grades.csv, the report and summary.html show it from the next "
          f"batch into {args.out}.")
    return 0
