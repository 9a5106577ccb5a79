"""The grading worker: ``python -m grader.gradescope.worker FILE --out PATH [--rubric R] [--note N]``.

The supervisor (grader/gradescope/supervise.py) runs this in a child process under memory and
time limits, so whatever the submission does to the grader, the supervisor survives to write
results.json. The worker grades one file and writes the results.json it would give to ``--out``
(the supervisor checks it before anything reaches Gradescope); the per-question table goes to
stdout, which only instructors see.

Exit codes: 0 written; 3 out of memory (said here, where the exception is seen, because a failed
import under a memory limit does not always say "MemoryError"); anything else a crash, with the
traceback on stderr. Only the standard library is imported before ``main`` runs, so even an
import that fails for lack of memory is caught and classified.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import traceback

EXIT_MEMORY = 3
# What failures for lack of memory look like when they are not a MemoryError: a shared library
# that cannot be mapped (numpy's import under RLIMIT_AS), an allocator giving up (OpenBLAS), ENOMEM.
MEMORY_WORDS = ("MemoryError", "Cannot allocate memory", "failed to map segment", "Memory allocation",
                "out of memory")


def _is_memory(exc: BaseException) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:  # the cause chain: ImportError from an OSError...
        seen.add(id(exc))
        if isinstance(exc, MemoryError) or any(w in str(exc) for w in MEMORY_WORDS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def grade_to_json(submission: str, out: str, rubric_name: str | None, notes: list[str]) -> None:
    from grader import pipeline
    from grader.gradescope.results import results_for
    from grader.render.gradescope import write_json
    from grader.render.terminal import table
    from grader.rubric import load_rubric

    result = pipeline.grade(submission, rubric_name)
    if notes:
        result = dataclasses.replace(result, notes=tuple(notes) + result.notes)
    rubric = load_rubric(rubric_name or result.rubric_id) if (rubric_name or result.rubric_id) else None
    write_json(results_for(result, rubric), out)
    print(table(result))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m grader.gradescope.worker",
                                description="Grade one file into a results.json (run by the autograder's supervisor).")
    p.add_argument("submission")
    p.add_argument("--out", required=True, help="where to write the results.json")
    p.add_argument("--rubric", help="rubric name or file; without it the homework is recognised")
    p.add_argument("--note", action="append", default=[], help="a line for the summary (repeatable)")
    args = p.parse_args(argv)
    try:
        grade_to_json(args.submission, args.out, args.rubric, args.note)
    except BaseException as exc:  # the edge of the process: classify, report, exit non-zero
        if isinstance(exc, SystemExit):
            raise
        traceback.print_exc()
        return EXIT_MEMORY if _is_memory(exc) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
