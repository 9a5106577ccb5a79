"""Batch grading: a folder of submissions → a report each, grades.csv and a class summary.

discover (which submissions, whose) → run (grade them in worker processes) → override (scores a
person set, from the gradebook) → record, changes (what the run depends on, what moved since the
last one) → csv_out, summary (with svg charts, roster and answer groups) → gradebook (the run, in
one SQLite transaction). outdir holds OUT's lock and the atomic writes. `python -m grader batch` is
in command.py; `override` and `export` (Canvas, Gradescope) read and write the same gradebook.
"""
