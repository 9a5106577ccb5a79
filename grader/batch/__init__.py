"""Batch grading: a folder of submissions → a report each, grades.csv and a class summary.

discover (which submissions, whose) → run (grade them in worker processes) → csv_out, summary (with
svg charts). `python -m grader batch` is in command.py.
"""
