"""The autograder's supervisor: ``python -m grader.gradescope.run``, what ``run_autograder`` execs.

Gradescope runs it once per submission. In order:

1. write a pessimistic results.json (score 0, "the grader did not finish"), so that whatever
   happens next, Gradescope finds a file that tells the student something true;
2. load the configured rubric (``GRADER_RUBRIC``, else ``source/grader-config.json`` written by
   ``build-autograder``) and rewrite that file with every question listed at 0;
3. find the answer file in ``submission/`` (grader/read/locate.py), never writing there;
4. grade it in a child process under ``GRADER_MEMORY_LIMIT_MB`` and ``GRADER_TIME_LIMIT_S``
   (grader/gradescope/supervise.py);
5. replace results.json atomically with the worker's results, or with a result that says in plain
   words why there is no grade (out of memory, out of time, a crash: never the student's fault),
   every question listed; without a configured rubric the homework is recognised for that from the
   clue phrases in the file's raw text (``recognised_rubric``).

Paths come from ``AUTOGRADER_ROOT`` (default /autograder), the worker's Python from
``GRADER_PYTHON`` (default: this interpreter). Everything printed goes to Gradescope's stdout
file, which only instructors see: the file chosen, its sha256, and the worker's traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

from grader.read.locate import find_answer_file, shown
from grader.gradescope.results import (CRASHED, NOT_FINISHED, OUT_OF_MEMORY, OUT_OF_TIME, grader_error_result,
                                       results_for)
from grader.gradescope.supervise import Limits, run_worker
from grader.render.gradescope import write_json

DEFAULT_ROOT = "/autograder"
CONFIG_NAME = "grader-config.json"
DEFAULT_MEMORY_MB = 512.0
DEFAULT_TIME_S = 120.0


def say(*lines: str) -> None:
    print(*lines, sep="\n", flush=True)  # flushed: a later kill must not lose what was said


def env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        say(f"{name}={raw!r} is not a positive number: using {default:g}")
        return default
    return value


def configured_rubric(source: Path) -> str | None:
    """GRADER_RUBRIC, else the rubric named in source/grader-config.json (a name or a path in source/)."""
    name = os.environ.get("GRADER_RUBRIC", "").strip()
    if name:
        return name
    config = source / CONFIG_NAME
    if not config.is_file():
        return None
    name = str(json.loads(config.read_text(encoding="utf-8")).get("rubric") or "")
    if name.endswith((".yaml", ".yml")) and not Path(name).is_absolute():
        return str(source / name)
    return name or None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))  # the finder refused links; so does this
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


RECOGNITION_BYTES = 1 << 20  # the supervisor reads this much of a failed submission, never more


def recognised_rubric(path: Path):
    """The rubric whose clues the submission's raw text clearly uses, to list every question when the worker
    failed without a configured rubric; None when the clues do not tell or anything goes wrong.

    Only the file's first RECOGNITION_BYTES are read, as text, and only searched for the rubrics' clue
    phrases (grader/recognize.py): the supervisor never parses what the worker could not grade. A
    notebook's JSON keeps its words; its escaped line breaks are undone so that they separate words. A zip
    has no readable words here, and stays without questions.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            text = handle.read(RECOGNITION_BYTES).decode("utf-8", "replace")
        if text.lstrip().startswith("{"):
            text = text.replace("\\n", "\n").replace('\\"', '"')
        from grader.recognize import recognise_text

        clues = recognise_text(text)
        if clues is None:
            say("the homework could not be recognised from the submission's words: no question is listed")
            return None
        from grader.rubric import load_rubric

        rubric = load_rubric(clues.path)
    except Exception:  # only a better message was at stake
        say("recognising the homework failed:", traceback.format_exc())
        return None
    say(f"recognised the homework as {rubric.id} from its clues: every question is listed as a grader error")
    return rubric


def supervise(root: Path) -> int:
    started = time.monotonic()
    results = root / "results" / "results.json"

    def finish(data: dict) -> None:
        data["execution_time"] = int(round(time.monotonic() - started))
        write_json(data, results)

    write_json(results_for(grader_error_result(None, NOT_FINISHED), None), results)
    source = root / "source"
    if (source / "rubrics").is_dir():
        os.environ.setdefault("GRADER_RUBRICS_DIR", str(source / "rubrics"))
    rubric_name = configured_rubric(source)
    rubric = None
    if rubric_name:
        from grader.rubric import load_rubric

        try:
            rubric = load_rubric(rubric_name)
        except Exception:  # the instructor's configuration, not the student's fault
            say(f"The rubric {rubric_name!r} could not be loaded:", traceback.format_exc())
            finish(results_for(grader_error_result(None, CRASHED), None))
            return 1
        write_json(results_for(grader_error_result(rubric, NOT_FINISHED), rubric), results)
    say(f"rubric: {rubric.id} ({rubric.path})" if rubric else "rubric: none configured; recognised from the submission")

    choice = find_answer_file(root / "submission")
    listing = [f"  {shown(e.relpath)}  " + (f"ignored: {e.ignored}" if e.ignored else f"{e.size} bytes")
               for e in choice.entries]
    say("submission folder:", *listing, choice.note)
    if choice.path is None:
        from grader.grade import failed_result

        finish(results_for(failed_result("", choice.note, rubric), rubric))
        return 0
    name = choice.path.name
    say(f"sha256 {sha256(choice.path)}  {shown(str(choice.path.relative_to(root / 'submission')))}")

    limits = Limits(env_number("GRADER_MEMORY_LIMIT_MB", DEFAULT_MEMORY_MB),
                    env_number("GRADER_TIME_LIMIT_S", DEFAULT_TIME_S))
    python = os.environ.get("GRADER_PYTHON") or sys.executable
    outcome = run_worker(python, choice.path, str(rubric.path) if rubric else None, [choice.note], limits)
    if outcome.stdout:
        say(outcome.stdout.rstrip())
    if outcome.kind == "ok":
        if outcome.detail.strip():
            say("worker stderr:", outcome.detail.rstrip())
        finish(outcome.data)
        return 0
    message = {"memory": OUT_OF_MEMORY, "time": OUT_OF_TIME.format(limit=limits.time_s)}.get(outcome.kind, CRASHED)
    say(f"GRADING FAILED ({outcome.kind}; memory limit {limits.memory_mb:g} MB, time limit {limits.time_s:g} s) "
        f"on {shown(name)}:", outcome.detail.rstrip())
    if rubric is None:  # the worker recognised the homework, but its results are lost: recognise it here
        rubric = recognised_rubric(choice.path)
    finish(results_for(grader_error_result(rubric, message, name), rubric))
    return 0


def main() -> int:
    root = Path(os.environ.get("AUTOGRADER_ROOT") or DEFAULT_ROOT)
    try:
        return supervise(root)
    except Exception:  # the supervisor's own fault: leave a file that says so, then the traceback
        say("The supervisor failed:", traceback.format_exc())
        try:
            write_json(results_for(grader_error_result(None, CRASHED), None), root / "results" / "results.json")
        except Exception:
            say(traceback.format_exc())
        return 1


if __name__ == "__main__":
    sys.exit(main())
