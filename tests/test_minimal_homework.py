"""The minimal homework of docs/writing-a-rubric.md, built from the guide's own code blocks: it validates,
passes selftest, and grades the one-number answers a student writes with full marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.authoring.selftest import selftest_rubric
from grader.cli import main
from grader.pipeline import grade as grade_file
from grader.rubric import load_rubric

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "writing-a-rubric.md"
SECTION = "## A minimal homework to copy"
# a file's name in bold code, a blank line, then its fenced block
_FILE_BLOCK = re.compile(r"^\*\*`([^`]+)`\*\*\n\n```[a-z]*\n(.*?)^```", re.S | re.M)


def guide_files() -> dict[str, str]:
    """{file name: content} of the section's blocks; the section ends at the next heading outside a block."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(SECTION + "\n")
    kept, fenced = [], False
    for line in lines[start + 1:]:
        if line.startswith("```"):
            fenced = not fenced
        elif line.startswith("## ") and not fenced:
            break
        kept.append(line)
    return dict(_FILE_BLOCK.findall("".join(kept)))


@pytest.fixture(scope="module")
def homework(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("coin")
    files = guide_files()
    assert set(files) == {"rubrics/coin-variance.yaml", "solutions/coin_variance.py",
                          "solutions/model_answers/coin-variance.md"}
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder / "rubrics" / "coin-variance.yaml"


def test_the_guides_homework_validates_and_passes_selftest(homework, capsys):
    assert main(["check-rubric", str(homework)]) == 0
    assert "1 questions, 1 checks, 1 misconceptions, 2 points" in capsys.readouterr().out
    rows = selftest_rubric(str(homework))
    assert rows and all(row.ok for row in rows), rows


@pytest.mark.parametrize("answer", [
    "0.21",
    "**1.** Var(X) = 0.21",
    "Q1: sigma^2 = 0.21",
    "Q1: $\\sigma^{2} = 0.21$",
    "## Problem 1\n\nV(X) = 0.21",
])
def test_one_number_answers_earn_full_marks(homework, tmp_path, answer):
    path = tmp_path / "answer.md"
    path.write_text(answer + "\n", encoding="utf-8")
    result = grade_file(path, str(homework))
    (q,) = result.questions
    assert (q.score, q.points, q.status.value, q.misconceptions) == (2.0, 2.0, "correct", ()), q.summary


@pytest.mark.parametrize("answer,score,ids", [
    ("0.3", 0.0, {"variance.is-p"}),
    ("**1.** Var(X) = 0.25", 0.0, set()),
    ("Q1: I do not know.", 0.0, set()),
])
def test_wrong_answers_lose_the_points(homework, tmp_path, answer, score, ids):
    path = tmp_path / "answer.md"
    path.write_text(answer + "\n", encoding="utf-8")
    (q,) = grade_file(path, str(homework)).questions
    assert q.score == score and {m.id for m in q.misconceptions} == ids, q.summary


def test_the_references_are_computed(homework):
    rubric = load_rubric(homework)
    assert rubric.references["variance"] == pytest.approx(0.21)


def test_a_bold_number_is_a_label_only_with_its_punctuation():
    from grader.segment import parse_label

    assert parse_label("**1.** Var(X) = 0.21", heading=False).problem == 1
    assert parse_label("__2)__ 0.5", heading=False).problem == 2
    assert parse_label("**3** components are enough", heading=False) is None
    assert parse_label("**0.21**", heading=False) is None


def test_a_lone_number_answers_only_a_one_value_check():
    from grader.checkers.values import check_values as check
    from grader.extract.answer import Answer

    def check_values(text, **params):
        return check(Answer.from_text(text), **params)

    one = {"variables": {"v": ["Var(X)"]}, "expected": [0.21], "tol": 0.005, "vector": []}
    assert check_values("0.21", **one).fraction == 1.0
    assert check_values("0.3 * 0.7 = 0.21", **one).found is False  # which number is the answer?
    two = {"variables": {"a": ["a"], "b": ["b"]}, "expected": [0.21, 0.21], "tol": 0.005, "vector": []}
    assert check_values("0.21", **two).found is False
