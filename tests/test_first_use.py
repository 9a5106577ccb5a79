"""What a new user runs first, as the README writes it: the commands work as written, and a mistake
(a folder given to the single-file command, a rubric that does not fit the submission) gets a hint."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from grader import __version__
from grader.cli import main
from grader.pipeline import grade as grade_file

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLE = ROOT / "examples" / "gaussian-em-sample.md"


def readme_block(after: str) -> str:
    """The first ```sh block of the README after the line that contains ``after``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(after)
    match = re.compile(r"```sh\n(.*?)```", re.S).search(text, start)
    assert match, f"no sh block after {after!r}"
    return match.group(1)


def test_readme_without_gradescope_block_runs_as_written(tmp_path):
    """The block uses a relative GRADER_PYTHON (.venv/bin/python) from the repository's root, and
    run_autograder changes directory before it runs it. The block runs in a folder laid out like a
    checkout (its .venv/bin/python runs this interpreter); only its scratch folder /tmp/ag is moved
    into the test's temporary folder."""
    block = readme_block("**Without Gradescope**")
    assert "GRADER_PYTHON=.venv/bin/python" in block and "/tmp/ag" in block
    checkout = tmp_path / "checkout"
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / "examples").mkdir()
    shutil.copyfile(EXAMPLE, checkout / "examples" / EXAMPLE.name)
    shutil.copy2(ROOT / "run_autograder", checkout / "run_autograder")
    python = checkout / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    scratch = tmp_path / "ag"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "AUTOGRADER_"))}
    proc = subprocess.run(["bash", "-e", "-c", block.replace("/tmp/ag", str(scratch))], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((scratch / "results" / "results.json").read_text(encoding="ascii"))
    assert data["score"] == 31.0 and len(data["tests"]) == 8
    assert "did not finish" not in data["output"]
    assert '"score": 31.0' in proc.stdout  # the block's `cat` shows it


def test_a_relative_autograder_root_is_the_callers(tmp_path):
    (tmp_path / "ag" / "submission").mkdir(parents=True)
    shutil.copyfile(EXAMPLE, tmp_path / "ag" / "submission" / "hw.md")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "AUTOGRADER_"))}
    env.update(AUTOGRADER_ROOT="ag", GRADER_PYTHON=sys.executable, GRADER_RUBRIC="gaussian-em")
    proc = subprocess.run([str(ROOT / "run_autograder")], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads((tmp_path / "ag" / "results" / "results.json").read_text())["score"] == 31.0
    assert not (tmp_path / "ag" / "ag").exists()


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"python -m grader {__version__}"


def test_a_folder_gets_a_hint_to_use_batch(tmp_path, capsys):
    (tmp_path / "class").mkdir()
    assert main([str(tmp_path / "class")]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and f"python -m grader batch {tmp_path / 'class'} --out OUT" in err
    assert "regular file" not in err


def test_a_rubric_the_submission_clearly_does_not_answer_is_warned_about(tmp_path, capsys):
    out, page = tmp_path / "results.json", tmp_path / "report.html"
    assert main([str(EXAMPLE), "--rubric", "basic-knowledge", "--json", str(out), "--html", str(page)]) == 0
    captured = capsys.readouterr()
    warning = [line for line in captured.err.splitlines() if line.startswith("Warning: ")]
    assert len(warning) == 1, captured.err
    assert "'basic-knowledge'" in warning[0] and "like 'gaussian-em'" in warning[0] and "8 of its 11" in warning[0]
    data = json.loads(out.read_text(encoding="ascii"))
    assert "does not look like" in data["output"] and data["score"] == 0.0
    assert "does not look like" in page.read_text(encoding="utf-8")


def test_no_warning_when_rubric_and_submission_agree_or_nothing_tells(tmp_path, capsys):
    assert not [n for n in grade_file(EXAMPLE, "gaussian-em").notes if n.startswith("Warning")]
    bare = tmp_path / "bare.md"
    bare.write_text("## Problem 1\n\n### (a)\n\nNo, they are not correlated.\n", encoding="utf-8")
    assert main([str(bare), "--rubric", "basic-knowledge", "--quiet"]) == 0
    assert "Warning" not in capsys.readouterr().err
