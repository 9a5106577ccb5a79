"""results.json as the autograder writes it: the rubric's visibility settings, the fallback files
written when grading did not finish, and the shape check a worker's file must pass.

The rendering itself is grader/render/gradescope.py; this module only decides its arguments and
builds the results that stand in for a grade the grader could not give.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

from grader.model import Result, Status

if TYPE_CHECKING:  # loading a rubric imports numpy; the supervisor's first write must not wait for it
    from grader.rubric import Rubric

VISIBILITIES = {"visible", "after_due_date", "after_published", "hidden"}
OUTPUT_FORMATS = {"text", "html", "simple_format", "md", "ansi"}

# Student-facing words for a run that did not give a grade: never the student's fault.
HAND_GRADED = "your instructor has been notified and will grade it by hand"
NOT_FINISHED = ("The grader did not finish on this submission, so this score of 0 is not your grade: "
                f"{HAND_GRADED}.")
OUT_OF_MEMORY = f"The grader ran out of memory on this submission; {HAND_GRADED}."
OUT_OF_TIME = "The grader ran out of time ({limit:g} s) on this submission; " + HAND_GRADED + "."
CRASHED = f"The grader stopped with an internal error on this submission (not your fault); {HAND_GRADED}."


def render_options(rubric: Rubric | None) -> dict:
    """results_json's visibility arguments from a rubric's settings (before anything is graded: the plugin
    suite's tests; graded results carry the same settings themselves)."""
    from grader.render.gradescope import render_options as options

    if rubric is None:
        return {"show_expected": True}
    return options(Result("", rubric.id, rubric.title, (), show_expected=rubric.show_expected,
                          feedback_visibility=rubric.feedback_visibility))


def results_for(result: Result, rubric: Rubric | None = None, execution_time: float | None = None) -> dict:
    """results.json for a result, with the settings of ``rubric`` when one is given, else the result's own."""
    from grader.render.gradescope import results_json

    if rubric is not None:
        return results_json(result, execution_time=execution_time, **render_options(rubric))
    return results_json(result, execution_time=execution_time)


def grader_error_result(rubric: Rubric | None, message: str, submission: str = "") -> Result:
    """Score 0 with the reason; with a rubric, every question listed at 0 as a grader error.

    It is grade.failed_result with the status changed from the student's ``unreadable`` to our
    ``grader_error``: no reference answers (nothing was compared with them) and no "needs review"
    mark, whose words speak of an uncertain reading; the status already leaves the question to a person.
    """
    from grader.grade import failed_result

    result = failed_result(submission, message, rubric)
    return dataclasses.replace(result, questions=tuple(
        dataclasses.replace(q, status=Status.GRADER_ERROR, confidence=0.0) for q in result.questions))


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def shape_problems(data) -> list[str]:
    """What keeps ``data`` from being a results.json Gradescope accepts ([] when nothing does)."""
    if not isinstance(data, dict):
        return ["not a JSON object"]
    problems = []
    if "score" in data and not _number(data["score"]):
        problems.append(f"score: not a finite number: {data['score']!r:.40}")
    tests = data.get("tests", [])
    if not isinstance(tests, list):
        return problems + ["tests: not a list"]
    if "score" not in data and not tests:
        problems.append("neither a score nor tests")
    for key in ("visibility", "stdout_visibility"):
        if key in data and data[key] not in VISIBILITIES:
            problems.append(f"{key}: {data[key]!r:.40}")
    for i, test in enumerate(tests):
        if not isinstance(test, dict):
            problems.append(f"tests[{i}]: not an object")
            continue
        if "score" not in data and "score" not in test:
            problems.append(f"tests[{i}]: no score")
        for key in ("score", "max_score"):
            if key in test and not _number(test[key]):
                problems.append(f"tests[{i}].{key}: not a finite number: {test[key]!r:.40}")
        for key in ("name", "number", "output"):
            if key in test and not isinstance(test[key], str):
                problems.append(f"tests[{i}].{key}: not a string")
        if test.get("status", "passed") not in ("passed", "failed"):
            problems.append(f"tests[{i}].status: {test['status']!r:.40}")
        if test.get("visibility", "visible") not in VISIBILITIES:
            problems.append(f"tests[{i}].visibility: {test['visibility']!r:.40}")
        if test.get("output_format", "text") not in OUTPUT_FORMATS:
            problems.append(f"tests[{i}].output_format: {test['output_format']!r:.40}")
    return problems
