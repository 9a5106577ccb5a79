"""The grader as tests in an existing gradescope-utils (unittest) autograder.

    from grader.gradescope import test_suite
    suite.addTests(test_suite("/autograder/submission", rubric="gaussian-em"))

adds one test per question, carrying gradescope-utils' weight (the question's points), number,
visibility (the rubric's ``feedback_visibility``), tags and partial credit, with the feedback as
the test's output, marked ``"output_format": "md"`` so Gradescope renders its Markdown.
``submission_path`` is the answer file or a folder to find it in (same order as the standalone
autograder). Reference answers that the rubric shows only after the due date or
after publishing come as zero-weight tests "Reference answer: TITLE" of that visibility.

gradescope-utils 0.5.0 has bugs that lose or corrupt scores (GRADESCOPE.md); none can reach ours:

- the file is graded once per suite, lazily, inside the first test that runs, and a crash is
  caught there: nothing runs in setUpClass, whose exceptions leave results.json empty (issue #40);
  every test then reports the failure with 0 points, and the traceback goes to the real stdout;
- each test is its own function made by a factory, so a score stored on the function object
  (``partial_credit``) cannot leak from one suite or question to another;
- ``set_score(0.0)`` runs first: a test that stops early is worth 0, never the full weight
  gradescope-utils gives a partial-credit test that did not set a score;
- scores are Python floats (``np.float64``/``int64`` break its JSON writer halfway);
- no subTest (failing ones vanish) and no skips (skipped tests vanish with their points).
"""

from __future__ import annotations

import re
import sys
import traceback
import unittest
from pathlib import Path

from grader.gradescope.results import CRASHED, render_options

NOT_LOADED = "The written answers could not be graded (not your fault); your instructor will grade them by hand."


class _Grading:
    """One grading of one file, done on first use and kept (with its failure, if it failed)."""

    def __init__(self, path: Path | None, rubric, note: str) -> None:
        self.path, self.rubric, self.note = path, rubric, note
        self.done = False
        self.result = None
        self.error = ""

    def get(self):
        if not self.done:
            self.done = True
            try:
                from grader.grade import failed_result
                from grader import pipeline

                if self.path is None:  # nothing gradable in the folder: the finder's note says why
                    self.result = failed_result("", self.note, self.rubric)
                else:
                    self.result = pipeline.grade(self.path, str(self.rubric.path) if self.rubric else None)
            except Exception:  # our fault, reported by every test instead of crashing the suite
                self.error = CRASHED
                print(f"grader: grading {self.path} failed:\n{traceback.format_exc()}", file=sys.__stdout__,
                      flush=True)
        return self.result, self.error


def _question_test(question, grading: _Grading, show_expected: bool):
    from grader.render.feedback import question_markdown

    def test_answer(self, set_score=None):
        set_score(0.0)
        result, error = grading.get()
        if error:
            print(error)
            self.fail(error)
        graded = next((q for q in result.questions if q.question_id == question.id), None)
        if graded is None:  # graded against another homework than the rubric given
            print(result.error or f"Question {question.number} was not graded.")
            return
        print(question_markdown(graded, show_expected))
        set_score(float(graded.score))

    test_answer.__doc__ = question.title  # gradescope-utils names the test by its docstring's first line
    return test_answer


def _reference_test(question):
    def test_reference(self):
        print(question.expected)

    test_reference.__doc__ = f"Reference answer: {question.title}"
    return test_reference


def _failing_test(message: str):
    def test_not_graded(self):
        print(message)
        self.fail(message)

    test_not_graded.__doc__ = "Written answers"
    return test_not_graded


def _run_marking_markdown(self, result=None):
    """Run the test, then mark its entry in gradescope-utils' results as Markdown.

    JSONTestRunner writes no ``output_format``, and Gradescope then shows the feedback's Markdown as
    raw text. Its result object appends one dict per test to ``results`` while the test runs, so the
    entry this run added is the last one; anything else (another runner) is left alone.
    """
    entries = getattr(result, "results", None)
    before = len(entries) if isinstance(entries, list) else None
    outcome = unittest.TestCase.run(self, result)
    if before is not None and len(entries) == before + 1 and isinstance(entries[-1], dict):
        entries[-1].setdefault("output_format", "md")
    return outcome


def _case(name: str, method) -> unittest.TestCase:
    safe = re.sub(r"\W", "_", name)
    cls = type(f"WrittenAnswer_{safe}", (unittest.TestCase,),
               {method.__name__: method, "run": _run_marking_markdown, "__module__": __name__,
                "__qualname__": f"WrittenAnswer_{safe}"})
    return cls(method.__name__)


def test_suite(submission_path, rubric=None) -> unittest.TestSuite:
    """One unittest test per question of ``rubric`` (a name or a rubric file) for the submission.

    Without ``rubric`` the homework is recognised from the submission, which is then graded at once
    to know the questions; with it, grading waits for the first test. Pass it: then a missing or
    unreadable submission still lists every question with its points.
    """
    try:
        from gradescope_utils.autograder_utils.decorators import number, partial_credit, tags, visibility, weight
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the plugin suite needs gradescope-utils: pip install 'grader[gradescope]'") from exc
    from grader.read.locate import find_answer_file
    from grader.rubric import load_rubric

    path, note = Path(submission_path), ""
    if path.is_dir():
        choice = find_answer_file(path)
        path, note = choice.path, choice.note
    try:
        loaded = load_rubric(rubric) if rubric else None
    except Exception:  # an instructor's mistake must not take the course's other tests down with it
        print(f"grader: rubric {rubric!r} could not be loaded:\n{traceback.format_exc()}", file=sys.__stdout__)
        return unittest.TestSuite([_case("not_graded", weight(0.0)(_failing_test(NOT_LOADED)))])
    grading = _Grading(path, loaded, note)
    if loaded is None:
        result, error = grading.get()
        if error or not result.rubric_id:
            return unittest.TestSuite([_case("not_graded", weight(0.0)(_failing_test(error or result.error)))])
        loaded = load_rubric(result.rubric_id)
    options = render_options(loaded)
    cases = []
    for q in loaded.questions:
        method = partial_credit(float(q.points))(_question_test(q, grading, options["show_expected"]))
        method = number(q.number)(visibility(options["visibility"])(weight(float(q.points))(method)))
        if q.tags:
            method = tags(*q.tags)(method)
        cases.append(_case(q.id, method))
        if options["expected_visibility"] and q.expected:
            ref = number(f"{q.number}.ref")(visibility(options["expected_visibility"])(weight(0.0)(_reference_test(q))))
            cases.append(_case(f"{q.id}_reference", ref))
    return unittest.TestSuite(cases)


test_suite.__test__ = False  # a function named test_* imported into a test module is not itself a test
