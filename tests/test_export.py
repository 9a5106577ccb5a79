"""Exports for the LMS: Canvas' gradebook import and Gradescope's score upload, from the gradebook with
the scores people set, one row per student, every cell safe from spreadsheet formulas."""

from __future__ import annotations

import csv

import pytest

from batch_fixtures import FORMULA_NAME, graded_class, read_csv, row_of
from grader.batch.export import CANVAS_IDS, CANVAS_POINTS, GRADESCOPE
from grader.cli import main
from grader.rubric import load_rubric


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return graded_class(tmp_path_factory.mktemp("export"))


def export(out, *args: str) -> int:
    return main(["export", str(out), *args])


def _table(path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_canvas_import_columns_points_row_and_one_row_per_student(graded):
    _, out = graded
    assert export(out, "--format", "canvas") == 0
    table = _table(out / "canvas.csv")
    rubric = load_rubric("gaussian-em")
    assert table[0] == CANVAS_IDS + [rubric.title] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                                                       rubric.title]
    assert table[1][0] == CANVAS_POINTS and table[1][0].strip() == "Points Possible"
    assert float(table[1][5]) == sum(q.points for q in rubric.questions)
    rows = {r[2]: r for r in table[2:]}
    assert rows["0042"] == ["Ada Lovelace", "", "0042", "", "", "10"]
    assert rows["0047"][5] == rows["0048"][5] == "10"  # a group submission: each member gets the score
    assert rows["0046"][5] == ""  # nothing could be graded: Canvas leaves that grade alone
    assert len(table) == 2 + 8


def test_canvas_assignment_header_and_login_ids(graded, tmp_path):
    _, out = graded
    target = tmp_path / "hw1.csv"
    assert export(out, "--format", "canvas", "--assignment", "Homework 1 (12345)", "--login-id", "email",
                  "--output", str(target)) == 0
    table = _table(target)
    assert table[0][-1] == "Homework 1 (12345)"
    ada = next(r for r in table if r[0] == "Ada Lovelace")
    assert ada[3] == "ada@example.edu"


def test_gradescope_upload_columns_match_grades_csv_totals(graded):
    _, out = graded
    assert export(out, "--format", "gradescope-csv") == 0
    table = _table(out / "gradescope-scores.csv")
    assert table[0] == GRADESCOPE == ["Name", "SID", "Email", "Total Score"]
    grades = read_csv(out / "grades.csv")
    by_email = {r[2]: r for r in table[1:]}
    for row in grades:
        for email in filter(None, row["email"].split(";")):
            assert by_email.get(email.lstrip("'"), by_email.get(email))[3] == row["total"]
    assert by_email["ada@example.edu"] == ["Ada Lovelace", "0042", "ada@example.edu", "10"]


def test_exports_neutralise_formulas(graded):
    _, out = graded
    for fmt, name in (("canvas", "canvas.csv"), ("gradescope-csv", "gradescope-scores.csv")):
        assert export(out, "--format", fmt) == 0
        cells = [c for row in _table(out / name) for c in row]
        assert "'" + FORMULA_NAME in cells and "'=1+2" in cells
        text = [c for c in cells if not c.lstrip("-").replace(".", "").isdigit()]  # numbers may be negative
        assert not any(c.startswith(("=", "+", "@", "-")) for c in text)


def test_a_score_set_by_a_person_is_exported_at_once(graded, tmp_path):
    _, out = graded
    before = row_of(read_csv(out / "grades.csv"), "submission_2")["total"]
    assert main(["override", str(out), "submission_2", "1a", "4", "--note", "n", "--by", "Ana"]) == 0
    try:
        target = tmp_path / "gs.csv"
        assert export(out, "--format", "gradescope-csv", "--output", str(target)) == 0
        grace = next(r for r in _table(target) if r[2] == "grace@example.edu")
        assert float(grace[3]) == float(before) + 4
    finally:
        assert main(["override", str(out), "submission_2", "1a", "--clear", "--by", "Ana"]) == 0


def test_export_refuses_what_it_cannot_do(graded, tmp_path, capsys):
    _, out = graded
    (tmp_path / "nothing").mkdir()
    assert export(tmp_path / "nothing", "--format", "canvas") == 2
    assert "run `python -m grader batch`" in capsys.readouterr().err
    assert export(out, "--format", "canvas", "--homework", "no-such") == 2
    assert "no homework 'no-such'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        export(out, "--format", "blackboard")
