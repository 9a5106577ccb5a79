"""The pipeline: ``grade(path, rubric) -> Result``, one call for every way a submission is graded.

    read → (recognise) → segment → extract → check → score

The command line, batch mode, the Gradescope worker and the gradescope-utils plugin suite all grade through
``grade``, so they give the same scores and the same feedback; the rubric's render settings (when the reference
answers and the feedback are shown) travel on the Result, and every renderer reads them from there.
"""

from __future__ import annotations

from pathlib import Path

from grader.model import Result

__all__ = ["grade"]


def grade(path: Path | str, rubric=None) -> Result:
    """Read, recognise (unless a rubric is given: a Rubric, a name in rubrics/ or a rubric file) and grade one
    submission file. A file that cannot be read or a homework that cannot be recognised gives a Result with its
    ``error`` set, never an exception; a broken rubric raises RubricError (the course's fault, not the student's)."""
    from grader.grade import failed_result, grade_document
    from grader.read import UnreadableSubmission, read_submission
    from grader.recognize import RecognitionError, choose_rubric, mismatch_note
    from grader.rubric import Rubric, load_rubric

    if rubric is not None and not isinstance(rubric, Rubric):
        rubric = load_rubric(str(rubric))
    try:
        doc = read_submission(Path(path))
    except UnreadableSubmission as exc:
        return failed_result(Path(path).name, str(exc), rubric)
    # a rubric the course named that the submission clearly does not answer: said, not silently graded 0
    notes = tuple(n for n in [mismatch_note(doc, rubric)] if n) if rubric is not None else ()
    if rubric is None:
        try:
            rubric, why = choose_rubric(doc)
        except RecognitionError as exc:  # with what could not be read (a scanned page), which may be why
            return failed_result(doc.name, "; ".join((str(exc), *doc.review)))
        notes = (why,)
    return grade_document(doc, rubric, notes)
