"""The grader as a Gradescope autograder, on its own or inside a gradescope-utils autograder.

- ``run`` (what ``run_autograder`` execs): the supervisor that always leaves a results.json;
  ``supervise`` runs the grading ``worker`` in a child process under memory and time limits;
  ``locate`` finds the answer file in the submission folder; ``results`` holds the visibility
  settings and the fallback results.
- ``build``: ``python -m grader build-autograder``, the zip to upload.
- ``suite``: ``test_suite(submission, rubric)``, one unittest test per question for an existing
  gradescope-utils autograder.

Nothing is imported here until it is used: ``python -m grader.gradescope.worker`` must start on
the standard library alone (see worker.py), and the plugin needs gradescope-utils, which the
standalone autograder does not.
"""

from __future__ import annotations

__all__ = ["test_suite"]


def __getattr__(name: str):
    if name == "test_suite":
        from grader.gradescope.suite import test_suite

        return test_suite
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
