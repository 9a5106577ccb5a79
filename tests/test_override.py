"""Scores set by a person: kept across every later batch into OUT (grades.csv, reports, summary), until
cleared; who, when and why recorded; bad requests refused with a message."""

from __future__ import annotations

import shutil

import pytest

from batch_fixtures import RIGHT, batch, graded_class, read_csv, row_of, write_submission
from grader.batch.gradebook import Gradebook
from grader.cli import main


@pytest.fixture
def graded(tmp_path):
    return graded_class(tmp_path)


def override(out, *args: str) -> int:
    return main(["override", str(out), *args])


def test_a_person_s_score_is_kept_across_regrades_until_cleared(graded, capsys):
    folder, out = graded
    assert row_of(read_csv(out / "grades.csv"), "submission_2")["2a"] == "0"
    assert override(out, "submission_2", "2a", "3.5", "--note", "Right method, one slip", "--by", "Ana Reyes") == 0
    assert "the grader gave 0" in capsys.readouterr().out
    for _ in range(2):  # the next batch, and the one after
        assert batch(folder, out) == 0
        row = row_of(read_csv(out / "grades.csv"), "submission_2")
        assert row["2a"] == "3.5" and row["total"] == "3.5" and row["overridden"] == "2a"
        report = (out / "reports" / "submission_2.html").read_text(encoding="utf-8")
        assert "set by course staff" in report and "Right method, one slip" in report
        assert "the grader gave 0" in report and "3.5 / 5" in report
        summary = (out / "summary.html").read_text(encoding="utf-8")
        assert "1</b>score set by a person" in summary and 'title="score set by a person">✎' in summary
    changes = read_csv(out / "changes.csv")
    assert changes == []  # the second regrade moved nothing
    assert override(out, "submission_2", "2a", "--clear", "--by", "Ana Reyes") == 0
    assert batch(folder, out) == 0
    row = row_of(read_csv(out / "grades.csv"), "submission_2")
    assert row["2a"] == "0" and row["overridden"] == ""
    assert "set by course staff" not in (out / "reports" / "submission_2.html").read_text(encoding="utf-8")
    (change,) = read_csv(out / "changes.csv")
    assert (change["question"], change["old_score"], change["new_score"]) == ("2a", "3.5", "0")
    assert "person's score cleared" in change["why"]


def test_who_when_and_why_are_logged(graded, capsys):
    _, out = graded
    assert override(out, "submission_1", "1a", "4", "--note", "no justification", "--by", "Ana") == 0
    assert override(out, "submission_1", "1a", "4.5", "--note", "on second thought", "--by", "Ben") == 0
    assert override(out, "submission_1", "1a", "--clear", "--by", "Cleo", "--note", "regrade request") == 0
    with Gradebook.in_folder(out) as book:
        log = book.override_log()
        assert book.overrides() == {}
    assert [(action, score, note, by) for _, _, action, score, note, by, _ in log] == [
        ("set", 4.0, "no justification", "Ana"), ("set", 4.5, "on second thought", "Ben"),
        ("clear", None, "regrade request", "Cleo")]
    assert all(at[:4].isdigit() and "T" in at for *_, at in log)
    assert override(out, "--list") == 0


def test_a_reviewed_answer_leaves_the_review_queue(graded):
    folder, out = graded
    before = (out / "summary.html").read_text(encoding="utf-8")
    assert "needs review" in before and 'href="reports/submission_4.html"' in before.split('id="review"')[1]
    assert override(out, "submission_4", "1a", "5", "--note", "says uncorrelated in words", "--by", "Ana") == 0
    assert batch(folder, out) == 0
    row = row_of(read_csv(out / "grades.csv"), "submission_4")
    assert row["needs_review"] == "" and row["1a"] == "5"
    queue = (out / "summary.html").read_text(encoding="utf-8").split('id="review"')[1].split('id="roster"')[0]
    assert "submission_4" not in queue


def test_a_submission_nothing_could_be_read_in_can_be_graded_by_hand(graded):
    folder, out = graded
    assert override(out, "submission_5", "1a", "2", "--note", "graded from the scan it mailed", "--by", "Ana") == 0
    assert batch(folder, out) == 0
    row = row_of(read_csv(out / "grades.csv"), "submission_5")
    assert row["status"] == "unreadable" and row["1a"] == "2" and row["1b"] == "" and row["total"] == ""
    report = (out / "reports" / "submission_5.html").read_text(encoding="utf-8")
    assert "Nothing could be graded" in report and "graded from the scan it mailed" in report


def test_a_score_on_a_file_changed_since_is_kept_and_flagged(graded):
    folder, out = graded
    assert override(out, "submission_2", "1a", "1", "--note", "partial", "--by", "Ana") == 0
    write_submission(folder, "submission_2", RIGHT)
    assert batch(folder, out) == 0
    assert row_of(read_csv(out / "grades.csv"), "submission_2")["1a"] == "1"
    assert "the file changed since a person set the score of 1a" in (out / "summary.html").read_text(encoding="utf-8")


def test_a_score_for_a_submission_that_left_is_kept_for_its_return(graded):
    folder, out = graded
    assert override(out, "submission_3", "1a", "2", "--note", "n", "--by", "Ana") == 0
    shutil.move(folder / "submission_3", folder.parent / "away")
    assert batch(folder, out) == 0
    assert "kept for submissions or questions not in this run: submission_3 1a" in \
        (out / "summary.html").read_text(encoding="utf-8")
    shutil.move(folder.parent / "away", folder / "submission_3")
    assert batch(folder, out) == 0
    assert row_of(read_csv(out / "grades.csv"), "submission_3")["1a"] == "2"


@pytest.mark.parametrize("args,message", [
    (["submision_1", "1a", "3"], "did you mean submission_1"),
    (["submission_1", "9z", "3"], "its questions: 1a, 1b"),
    (["submission_1", "1a", "6"], "from 0 to 5"),
    (["submission_1", "1a", "-1"], "from 0 to 5"),
    (["submission_1", "1a", "nan"], "from 0 to 5"),
    (["submission_1", "1a", "three"], "must be a number"),
    (["submission_1", "1a", "3", "--by", "Ana"], "--note"),
    (["submission_1", "1a", "3", "--note", "why"], "--by"),
    (["submission_1", "1a", "--by", "Ana"], "give the SCORE"),
    (["submission_1", "1a", "3", "--clear", "--by", "Ana"], "--clear takes no SCORE"),
])
def test_bad_requests_are_refused_with_a_message(graded, capsys, args, message):
    _, out = graded
    full = args if "--by" in args or "--note" in args else args + ["--note", "why", "--by", "Ana"]
    assert override(out, *full) == 2
    assert message in capsys.readouterr().err
    with Gradebook.in_folder(out) as book:
        assert book.overrides() == {}


def test_clearing_what_was_never_set_and_a_folder_without_gradebook(graded, tmp_path, capsys):
    _, out = graded
    assert override(out, "submission_1", "1a", "--clear", "--by", "Ana") == 1
    assert "no score set by a person" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert override(tmp_path / "empty", "submission_1", "1a", "3", "--note", "n", "--by", "A") == 2
    assert "run `python -m grader batch` into this folder first" in capsys.readouterr().err
    assert not (tmp_path / "empty" / "gradebook.sqlite").exists()


def test_the_question_may_name_its_homework(graded):
    folder, out = graded
    assert override(out, "submission_1", "gaussian-em:2a", "4", "--note", "n", "--by", "Ana") == 0
    assert batch(folder, out) == 0
    assert row_of(read_csv(out / "grades.csv"), "submission_1")["2a"] == "4"
