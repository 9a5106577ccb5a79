"""A small class in Gradescope's export layout whose answers are chosen, not drawn: for the gradebook,
override, changes, export and roster tests.

Answers come from the one-question table of test_gaussian_em.py (their scores are known there);
``write_class`` writes the folders and ``submission_metadata.yml`` (Ruby's ``:key:`` style, one group
submission of two people, a hostile name), ``batch`` runs the command into OUT with one worker.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from grader.cli import main
from test_batch import METADATA, _markdown
from test_gaussian_em import NEEDS_REVIEW

RIGHT = {"1a": "No, $\\Sigma_{34} = 0$ so they are uncorrelated.", "2a": "$\\mu_1 = -0.96$, $\\mu_2 = 0.96$"}
WRONG = {"1a": "Yes, they are correlated.", "2a": "$\\mu_1 = -1$ and $\\mu_2 = 1$"}
# the same wrong 1a, written differently: the reading is the same
WRONG_AGAIN = {"1a": "Yes, they   are correlated.", "2a": "$\\mu_1 = -1$ and $\\mu_2 = 1$"}
UNCLEAR = {"1a": dict(NEEDS_REVIEW)["1a"], "2a": "$\\mu_1 = -0.96$, $\\mu_2 = 0.96$"}
FORMULA_NAME = "=HYPERLINK(\"http://x\")"

# folder → (answers or None for a broken notebook, [(name, sid, email), ...])
CLASS = {
    "submission_1": (RIGHT, [("Ada Lovelace", "0042", "ada@example.edu")]),
    "submission_2": (WRONG, [("Grace Hopper", "0043", "grace@example.edu")]),
    "submission_3": (WRONG_AGAIN, [("Alan Turing", "0044", "alan@example.edu")]),
    "submission_4": (UNCLEAR, [("Emmy Noether", "0045", "emmy@example.edu")]),
    "submission_5": (None, [("Kurt Goedel", "0046", "kurt@example.edu")]),
    "submission_6": (RIGHT, [("Sofia Kovalevskaya", "0047", "sofia@example.edu"),
                             ("Hedy Lamarr", "0048", "hedy@example.edu")]),
    "submission_7": (WRONG, [(FORMULA_NAME, "=1+2", "@evil.example")]),
}


def write_submission(folder: Path, key: str, answers: dict | None) -> Path:
    sub = folder / key
    sub.mkdir(parents=True, exist_ok=True)
    for old in sub.iterdir():
        old.unlink()
    if answers is None:
        path = sub / "homework.ipynb"
        path.write_text('{"cells": [{"cell_type": "markdown", "sou', encoding="utf-8")  # cut off mid-JSON
    else:
        path = sub / "homework.md"
        path.write_text(_markdown(answers), encoding="utf-8")
    return path


def write_class(folder: Path, only: list[str] | None = None) -> Path:
    keys = only or list(CLASS)
    lines = []
    for key in keys:
        answers, people = CLASS[key]
        write_submission(folder, key, answers)
        lines.append(f"{key}:\n  :submitters:\n")
        for name, sid, email in people:
            lines.append(f"  - :name: {json.dumps(name)}\n    :sid: {json.dumps(sid)}\n"
                         f"    :email: {json.dumps(email)}\n")
        lines.append("  :created_at: 2024-03-01 10:00:00.000000000 -08:00\n")
    (folder / METADATA).write_text("".join(lines), encoding="utf-8")
    return folder


def batch(folder: Path, out: Path, *extra: str, rubric: str = "gaussian-em") -> int:
    return main(["batch", str(folder), "--out", str(out), "--rubric", rubric, "--workers", "1", "--quiet", *extra])


def graded_class(tmp: Path) -> tuple[Path, Path]:
    """The fixture class written to ``tmp/in`` and batched into ``tmp/out``: (class folder, OUT)."""
    folder = write_class(tmp / "in")
    out = tmp / "out"
    assert batch(folder, out) == 0
    return folder, out


def read_csv(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row_of(rows: list[dict], key: str, column: str = "id") -> dict:
    return next(r for r in rows if r[column] == key)
