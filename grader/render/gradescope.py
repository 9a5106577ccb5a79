"""Gradescope's results.json from a Result.

One test per question. ``extra_data`` carries {"question", "misconceptions", "status"}, plus
"needs_review": true when the score is provisional: reports, batch mode and outside tools read
these keys. Scores are Python floats; the file is
written as ASCII JSON without NaN, to a temporary name first and then moved into place, so a
reader never sees half a file.

Visibility (Gradescope's ``visible``, ``after_due_date``, ``after_published``, ``hidden``): the
question tests and the top level take ``visibility``. Reference answers that must wait (the
rubric's ``show_expected: after_due_date``) cannot sit inside a test students already see, so
``expected_visibility`` adds, after each question, a zero-point test "Reference answer: TITLE"
numbered ``NUMBER.ref`` with that visibility. Its ``extra_data`` is
{"question": id, "reference_answer": true} and has no "status": tools that read per-question
results skip it by that.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from grader.model import QuestionResult, Result, Status
from grader.render.feedback import question_markdown, summary_markdown


def _float(x: float) -> float:
    x = float(x)
    return x if math.isfinite(x) else 0.0


def _reference_test(q: QuestionResult, visibility: str) -> dict:
    return {
        "score": 0.0,
        "max_score": 0.0,
        "status": "passed",
        "name": f"Reference answer: {q.title}",
        "name_format": "text",
        "number": f"{q.number}.ref",
        "output": q.expected,
        "output_format": "md",
        "tags": list(q.tags),
        "visibility": visibility,
        "extra_data": {"question": q.question_id, "reference_answer": True},
    }


def render_options(result: Result) -> dict:
    """results_json's visibility arguments from the rubric's settings carried on the result.

    show_expected ``visible``: the reference answer inside the question's feedback;
    ``after_due_date``/``after_published``: in a zero-point test of that visibility per question;
    ``hidden``: nowhere. feedback_visibility: the question tests' and the top level's visibility.
    """
    show = result.show_expected
    return {
        "show_expected": show == "visible",
        "visibility": result.feedback_visibility,
        "expected_visibility": show if show in ("after_due_date", "after_published") else None,
    }


def results_json(result: Result, show_expected: bool | None = None, execution_time: float | None = None, *,
                 visibility: str | None = None, expected_visibility: str | None = None) -> dict:
    """Gradescope's results.json; the visibility arguments left out come from the result's render settings."""
    if show_expected is None and visibility is None and expected_visibility is None:
        options = render_options(result)
        show_expected, visibility, expected_visibility = (options["show_expected"], options["visibility"],
                                                          options["expected_visibility"])
    show_expected = True if show_expected is None else show_expected
    visibility = visibility or "visible"
    tests = []
    for q in result.questions:
        extra = {
            "question": q.question_id,
            "misconceptions": [m.id for m in q.misconceptions],
            "status": q.status.value,
        }
        if q.needs_review:
            extra["needs_review"] = True
        tests.append({
            "score": _float(q.score),
            "max_score": _float(q.points),
            "status": "passed" if q.status is Status.CORRECT else "failed",
            "name": q.title,
            "name_format": "text",
            "number": q.number,
            "output": question_markdown(q, show_expected),
            "output_format": "md",
            "tags": list(q.tags),
            "visibility": visibility,
            "extra_data": extra,
        })
        if expected_visibility and q.expected:
            tests.append(_reference_test(q, expected_visibility))
    data = {
        "score": _float(result.score),
        "output": summary_markdown(result),
        "output_format": "md",
        "test_output_format": "md",
        "test_name_format": "text",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "extra_data": {"rubric": result.rubric_id, "submission": result.submission},
        "tests": tests,
    }
    if execution_time is not None:
        data["execution_time"] = int(round(execution_time))
    return data


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=True, allow_nan=False, indent=2, sort_keys=False)


def write_json(data: dict, path: Path) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace.

    The temporary name carries the process id and is created exclusively, which is all the
    uniqueness one writer per process needs (tempfile's random names cost a cold start more).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps(data)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # 0644: results are not secret, and the owner of a mounted results folder must read them.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # left over by a killed run of a process that had this id
        tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text + "\n")
        os.chmod(tmp, 0o644)  # the umask may have narrowed it
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
