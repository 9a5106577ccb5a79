"""The real run_autograder, run against a temporary AUTOGRADER_ROOT: whatever happens to the worker,
a results.json Gradescope accepts is left behind, and the submission folder is never changed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN_AUTOGRADER = ROOT / "run_autograder"
EXAMPLE = ROOT / "examples" / "gaussian-em-sample.md"
FIXTURES = ROOT / "tests" / "fixtures" / "gaussian-em"

# Gradescope's results.json format (gradescope/autograder_samples docs/specs.md), strict about the
# keys it documents so a misspelt key fails here rather than being ignored there.
_VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
_FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
_TEST = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "name_format": _FORMAT,
        "number": {"type": "string"},
        "output": {"type": "string"},
        "output_format": _FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": _VISIBILITY,
        "extra_data": {"type": "object"},
    },
    "additionalProperties": False,
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": _FORMAT,
        "test_output_format": _FORMAT,
        "test_name_format": _FORMAT,
        "visibility": _VISIBILITY,
        "stdout_visibility": _VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": _TEST},
        "leaderboard": {"type": "array", "items": {"type": "object", "required": ["name", "value"]}},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["score"]},
              {"required": ["tests"], "properties": {"tests": {"items": {"required": ["score"]}}}}],
}


def _reject(name):
    raise ValueError(f"{name} in results.json")


def load_results(path: Path) -> dict:
    """results.json as Gradescope reads it: ASCII, strict JSON (no NaN), Gradescope's schema."""
    data = json.loads(path.read_bytes().decode("ascii"), parse_constant=_reject)
    jsonschema.validate(data, SCHEMA)
    for test in data.get("tests", []):
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert 0.0 <= test["score"] <= test["max_score"]
    return data


def tree_digest(folder: Path) -> str:
    """Names, kinds, modes, times, contents and link targets of everything under ``folder``."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath, name)
            info = path.lstat()
            digest.update(f"{path.relative_to(folder)}\0{info.st_mode}\0{info.st_mtime_ns}\0".encode())
            if stat.S_ISLNK(info.st_mode):
                digest.update(os.readlink(path).encode())
            elif stat.S_ISREG(info.st_mode):
                digest.update(path.read_bytes())
    return digest.hexdigest()


def make_root(tmp_path: Path, files: dict[str, Path | bytes] = None) -> Path:
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    for name, content in (files or {}).items():
        target = root / "submission" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
    return root


def autograder_env(root: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "AUTOGRADER_"))}
    env.update(AUTOGRADER_ROOT=str(root), GRADER_PYTHON=sys.executable, GRADER_RUBRIC="gaussian-em")
    env.update(extra)
    return env


def run_autograder(root: Path, script: Path = RUN_AUTOGRADER, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(script)], env=autograder_env(root, **extra), capture_output=True, text=True,
                          timeout=120, cwd=root.parent)


def write_wrapper(path: Path, worker_part: str) -> Path:
    """A GRADER_PYTHON that runs ``worker_part`` (shell) for the grading worker, else the real Python."""
    path.write_text(f'#!/bin/sh\ncase "$*" in *grader.gradescope.worker*) {worker_part} ;; esac\n'
                    f'exec "{sys.executable}" "$@"\n')
    path.chmod(0o755)
    return path


def cli_scores(submission: Path) -> dict[str, float]:
    from grader.pipeline import grade as grade_file

    return {q.number: q.score for q in grade_file(submission, "gaussian-em").questions}


def test_normal_submission_is_graded_like_the_cli(tmp_path):
    root = make_root(tmp_path, {"answers.md": EXAMPLE})
    before = tree_digest(root / "submission")
    proc = run_autograder(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = load_results(root / "results" / "results.json")
    assert {t["number"]: t["score"] for t in data["tests"]} == cli_scores(EXAMPLE)
    assert data["score"] == 31.0 and len(data["tests"]) == 8
    assert isinstance(data["execution_time"], int)
    assert data["extra_data"] == {"rubric": "gaussian-em", "submission": "answers.md"}
    assert "Total: 31 / 40" in data["output"] and "Graded `answers.md`" in data["output"]
    assert hashlib.sha256(EXAMPLE.read_bytes()).hexdigest() in proc.stdout  # for instructors only
    assert tree_digest(root / "submission") == before


def test_planted_results_scripts_and_symlinks_are_ignored(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copyfile(FIXTURES / "part-headings.ipynb", outside / "full-marks.ipynb")
    marker = tmp_path / "script-ran"
    script = f"#!/bin/sh\ntouch {marker}\n".encode()
    root = make_root(tmp_path, {
        "hw.md": EXAMPLE,
        "results.json": b'{"score": 100.0, "tests": []}',
        "run_autograder": script,
        "setup.sh": script,
        ".hidden.ipynb": (FIXTURES / "part-headings.ipynb"),
        "__MACOSX/._hw.ipynb": b"\x00\x05\x16\x07",
    })
    sub = root / "submission"
    (sub / "run_autograder").chmod(0o755)
    (sub / "aaa.ipynb").symlink_to(outside / "full-marks.ipynb")  # would win on kind and name if followed
    (sub / "linked").symlink_to(outside, target_is_directory=True)
    before = tree_digest(sub)
    proc = run_autograder(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = load_results(root / "results" / "results.json")
    assert data["extra_data"]["submission"] == "hw.md"
    assert data["score"] == 31.0
    assert not marker.exists()
    assert "aaa.ipynb  ignored: a symbolic link, not followed" in proc.stdout
    assert "results.json  ignored: a name the autograder reserves" in proc.stdout
    assert tree_digest(sub) == before


def test_worker_starved_of_memory_leaves_a_plain_words_result(tmp_path):
    root = make_root(tmp_path, {"hw.md": EXAMPLE})
    before = tree_digest(root / "submission")
    proc = run_autograder(root, GRADER_MEMORY_LIMIT_MB="40")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 0.0
    assert "ran out of memory on this submission" in data["output"]
    assert len(data["tests"]) == 8
    assert {t["extra_data"]["status"] for t in data["tests"]} == {"grader_error"}
    assert all(t["score"] == 0.0 and "ran out of memory" in t["output"] for t in data["tests"])
    assert "Traceback" not in json.dumps(data)  # the traceback is for instructors
    assert "Traceback" in proc.stdout and hashlib.sha256(EXAMPLE.read_bytes()).hexdigest() in proc.stdout
    assert tree_digest(root / "submission") == before


def test_worker_past_the_time_limit_is_killed_and_reported(tmp_path):
    root = make_root(tmp_path, {"hw.md": EXAMPLE})
    before = tree_digest(root / "submission")
    slow = write_wrapper(tmp_path / "slow-python", "sleep 60")
    started = time.monotonic()
    proc = run_autograder(root, GRADER_PYTHON=str(slow), GRADER_TIME_LIMIT_S="2")
    assert time.monotonic() - started < 30
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 0.0 and "ran out of time (2 s)" in data["output"]
    assert {t["extra_data"]["status"] for t in data["tests"]} == {"grader_error"}
    assert "still running after 2 s" in proc.stdout
    assert tree_digest(root / "submission") == before


@pytest.mark.parametrize("worker_part,stdout_words", [
    ("kill -SEGV $$", "killed by signal SIGSEGV"),
    ("echo 'something broke' >&2; exit 7", "exit code 7"),
    # exits 0 after writing half a file where the results should be
    ('while [ $# -gt 0 ]; do [ "$1" = --out ] && printf "{\\"score\\": " > "$2"; shift; done; exit 0',
     "without a readable results.json"),
])
def test_worker_crash_or_bad_file_gives_an_internal_error_result(tmp_path, worker_part, stdout_words):
    root = make_root(tmp_path, {"hw.md": EXAMPLE})
    broken = write_wrapper(tmp_path / "broken-python", worker_part)
    proc = run_autograder(root, GRADER_PYTHON=str(broken))
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 0.0 and "internal error on this submission (not your fault)" in data["output"]
    assert len(data["tests"]) == 8
    assert stdout_words in proc.stdout


def test_pessimistic_file_is_in_place_while_grading(tmp_path):
    root = make_root(tmp_path, {"hw.md": EXAMPLE})
    slow = write_wrapper(tmp_path / "slow-python", "sleep 60")
    env = autograder_env(root, GRADER_PYTHON=str(slow), GRADER_TIME_LIMIT_S="3")
    proc = subprocess.Popen([str(RUN_AUTOGRADER)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:  # the sha256 line is printed just before the worker starts
            if line.startswith("sha256 "):
                break
        during = load_results(root / "results" / "results.json")
        proc.communicate(timeout=60)  # the supervisor kills the sleeping worker after 3 s
    finally:
        proc.kill()
    assert during["score"] == 0.0 and "did not finish" in during["output"]
    assert [t["number"] for t in during["tests"]] == ["1.a", "1.b", "1.c", "1.d", "2.a", "2.b", "2.c", "2.d"]
    assert {t["extra_data"]["status"] for t in during["tests"]} == {"grader_error"}
    assert "ran out of time" in load_results(root / "results" / "results.json")["output"]


def test_missing_python_still_leaves_a_results_file(tmp_path):
    root = make_root(tmp_path, {"hw.md": EXAMPLE})
    proc = run_autograder(root, GRADER_PYTHON=str(tmp_path / "no-such-python"))
    assert proc.returncode != 0
    assert "no Python at" in proc.stdout
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 0.0 and "did not finish" in data["output"]


def test_empty_submission_folder_says_nothing_gradable(tmp_path):
    root = make_root(tmp_path)
    proc = run_autograder(root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 0.0
    assert "No gradable file found: the submission folder is empty" in data["output"]
    assert len(data["tests"]) == 8 and all(t["score"] == 0.0 for t in data["tests"])


def test_folder_of_ignored_files_lists_what_was_there(tmp_path):
    root = make_root(tmp_path, {"results.json": b"{}", ".DS_Store": b"\x00"})
    (root / "submission" / "answers.md").symlink_to(EXAMPLE)
    before = tree_digest(root / "submission")
    run_autograder(root)
    data = load_results(root / "results" / "results.json")
    assert "No gradable file found" in data["output"]
    for words in ("`.DS_Store` (hidden)", "`answers.md` (a symbolic link, not followed)",
                  "`results.json` (a name the autograder reserves)"):
        assert words in data["output"]
    assert tree_digest(root / "submission") == before


def test_several_candidates_name_the_choice_and_the_order(tmp_path):
    root = make_root(tmp_path, {"notes.txt": b"Problem 1 (a) no idea", "hw.md": EXAMPLE,
                                "hw.pdf": b"%PDF-1.4 fake"})
    run_autograder(root)
    data = load_results(root / "results" / "results.json")
    assert data["extra_data"]["submission"] == "hw.md" and data["score"] == 31.0
    assert "Graded `hw.md` out of 3 files" in data["output"]
    assert "not graded: `notes.txt`, `hw.pdf`" in data["output"]


def test_unknown_rubric_is_reported_to_the_instructor(tmp_path):
    root = make_root(tmp_path, {"hw.md": EXAMPLE})
    proc = run_autograder(root, GRADER_RUBRIC="no-such-homework")
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 0.0 and "not your fault" in data["output"]
    assert "no rubric named 'no-such-homework'" in proc.stdout


def test_without_a_rubric_the_homework_is_recognised(tmp_path):
    root = make_root(tmp_path, {"hw.md": EXAMPLE})
    proc = run_autograder(root, GRADER_RUBRIC="")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = load_results(root / "results" / "results.json")
    assert data["extra_data"]["rubric"] == "gaussian-em" and data["score"] == 31.0


def _notebook_of(markdown: str) -> bytes:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": part}
             for part in markdown.split("\n\n") if part.strip()]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


@pytest.mark.parametrize("name", ["hw.md", "hw.ipynb"])
def test_without_a_rubric_a_worker_out_of_memory_still_lists_every_question(tmp_path, name):
    """The worker recognised the homework but died; the supervisor recognises it again from the clues."""
    content = EXAMPLE if name.endswith(".md") else _notebook_of(EXAMPLE.read_text(encoding="utf-8"))
    root = make_root(tmp_path, {name: content})
    proc = run_autograder(root, GRADER_RUBRIC="", GRADER_MEMORY_LIMIT_MB="40")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = load_results(root / "results" / "results.json")
    assert data["score"] == 0.0 and "ran out of memory" in data["output"]
    assert [t["number"] for t in data["tests"]] == ["1.a", "1.b", "1.c", "1.d", "2.a", "2.b", "2.c", "2.d"]
    assert {t["extra_data"]["status"] for t in data["tests"]} == {"grader_error"}
    assert all(t["max_score"] == 5.0 for t in data["tests"])
    assert "recognised the homework as gaussian-em" in proc.stdout


def test_without_a_rubric_an_unrecognisable_failed_submission_lists_nothing(tmp_path):
    root = make_root(tmp_path, {"hw.md": b"# My answers\n\nThe answer is 3.\n"})
    proc = run_autograder(root, GRADER_RUBRIC="", GRADER_MEMORY_LIMIT_MB="40")
    data = load_results(root / "results" / "results.json")
    assert data["tests"] == [] and "ran out of memory" in data["output"]
    assert "could not be recognised" in proc.stdout
