"""`python -m grader batch DIR --out OUT`: grade a class, write reports, grades.csv and summary.html.

Exit codes follow the single-file command: 0 when at least one submission was graded (the others
are rows with a reason), 1 when none could be, 2 for a usage or rubric error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    from grader.batch.run import default_workers

    p = argparse.ArgumentParser(
        prog="python -m grader batch",
        description="Grade every submission in a folder (one file or one folder per student, or a Gradescope "
                    "'Export Submissions' folder with submission_metadata.yml). Writes OUT/reports/ID.html, "
                    "OUT/grades.csv, OUT/summary.html and OUT/changes.csv, and records the run in "
                    "OUT/gradebook.sqlite (scores set with `override` are kept).")
    p.add_argument("folder", type=Path, metavar="DIR", help="the folder of submissions")
    p.add_argument("--out", type=Path, required=True, help="where to write reports, grades.csv and summary.html")
    p.add_argument("--rubric", help="homework name or rubric file; without it each submission's homework is "
                   "recognised from its words")
    p.add_argument("--workers", type=int, default=default_workers(),
                   help="processes grading in parallel (default: the number of CPUs; 1 grades in this process)")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds allowed per submission before it is left for a person (default 30)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no closing line")
    return p


def batch_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from grader.batch.gradebook import GradebookError
    from grader.batch.outdir import OutputError, locked

    if args.workers < 1 or args.timeout <= 0:
        print("batch: --workers must be at least 1 and --timeout positive", file=sys.stderr)
        return 2
    try:
        with locked(args.out, "batch"):  # one writer at a time: a second run says who holds OUT
            return _batch(args)
    except (OutputError, GradebookError) as exc:
        print(f"batch: {exc}", file=sys.stderr)
        return 2


def _batch(args) -> int:
    from grader.batch.changes import compare, write_changes
    from grader.batch.csv_out import write_csv
    from grader.batch.discover import discover
    from grader.batch.gradebook import Gradebook
    from grader.batch.override import apply_overrides
    from grader.batch.progress import Progress
    from grader.batch.record import build_run, now
    from grader.batch.run import Config, run_batch
    from grader.batch.summary import write_summary
    from grader.rubric import RubricError, load_rubric

    if args.rubric:
        try:
            load_rubric(args.rubric)  # a bad rubric stops here, before any student is graded
        except RubricError as exc:
            print(f"rubric error: {exc}", file=sys.stderr)
            return 2
    try:
        found = discover(args.folder, exclude=args.out)
    except OSError as exc:
        print(f"batch: {exc}", file=sys.stderr)
        return 2
    for note in found.notes:
        print(f"note: {note}", file=sys.stderr)
    started, started_at = time.monotonic(), now()
    with Gradebook.in_folder(args.out) as book:  # opened first: an unusable gradebook stops the run here
        previous, overrides = book.last_run(), book.overrides()
        progress = Progress(len(found.submissions), enabled=False if args.quiet else None)
        config = Config(args.rubric, args.out, args.timeout)
        graded = run_batch(found.submissions, config, args.workers, progress)
        progress.close()
        graded, override_notes = apply_overrides(graded, overrides, config)
        run = build_run(graded, started_at, args.rubric, args.folder)
        changes = compare(previous, run)
        removed = remove_stale_reports(args.out, {g.submission.id for g in graded})
        if changes:
            changes.removed_reports = removed
        # every file is replaced whole; the gradebook's transaction comes last, so a run killed before it
        # is not recorded and the next one compares with the last complete run
        write_csv(graded, args.out / "grades.csv")
        write_changes(changes, args.out / "changes.csv")
        summary = write_summary(graded, args.out / "summary.html", found.notes + override_notes, changes)
        book.record_run(run)
    elapsed = time.monotonic() - started
    if not args.quiet:
        failed = summary.submissions - summary.graded
        rate = summary.submissions / elapsed if elapsed > 0 else 0.0
        print(f"Graded {summary.graded} of {summary.submissions} submissions ({found.layout}) in {elapsed:.1f} s "
              f"({rate:.0f}/s); {failed} could not be graded; {len(summary.review)} item(s) in the review queue.")
        print(f"Wrote {args.out / 'grades.csv'}, {args.out / 'summary.html'} and {len(graded)} reports in "
              f"{args.out / 'reports'}.")
        if changes:
            print(f"Since the previous run: {changes.moved} question score(s) changed, {len(changes.added)} new and "
                  f"{len(changes.removed)} removed submission(s) (see {args.out / 'changes.csv'}).")
    return 0 if summary.graded else 1


def remove_stale_reports(out: Path, current: set[str]) -> int:
    """Delete the reports of submissions no longer in the folder; return how many."""
    from grader.batch.run import REPORTS

    removed = 0
    for page in (out / REPORTS).glob("*.html"):
        if page.stem not in current and page.is_file() and not page.is_symlink():
            page.unlink()
            removed += 1
    return removed
