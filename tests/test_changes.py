"""A regrade into an existing OUT says what moved and why: changes.csv and the summary's section."""

from __future__ import annotations

import shutil

import pytest

from batch_fixtures import RIGHT, WRONG, batch, graded_class, read_csv, write_submission
from grader.batch import changes, record
from grader.batch.discover import Submitter
from grader.batch.gradebook import RubricRow, RunRecord, ScoreRow, SubmissionRow
from grader.rubric_files import resolve_rubric_path


@pytest.fixture
def graded(tmp_path):
    return graded_class(tmp_path)


def test_a_first_run_has_nothing_to_compare(graded):
    _, out = graded
    assert read_csv(out / "changes.csv") == []
    assert (out / "changes.csv").read_text(encoding="utf-8").startswith("submission,name,question,old_score")
    assert 'id="changes"' not in (out / "summary.html").read_text(encoding="utf-8")


def test_a_changed_file_a_new_and_a_removed_submission(graded):
    folder, out = graded
    write_submission(folder, "submission_2", RIGHT)
    shutil.rmtree(folder / "submission_3")
    write_submission(folder, "submission_9", WRONG)
    assert batch(folder, out) == 0
    rows = read_csv(out / "changes.csv")
    moved = {(r["submission"], r["question"]): r for r in rows}
    assert (moved[("submission_2", "1a")]["old_score"], moved[("submission_2", "1a")]["new_score"]) == ("0", "5")
    assert moved[("submission_2", "2a")]["why"] == "file changed"
    assert moved[("submission_3", "total")]["why"] == "no longer in the folder"
    assert moved[("submission_3", "total")]["old_score"] == "0" and moved[("submission_3", "total")]["new_score"] == ""
    assert moved[("submission_9", "total")]["why"] == "new submission"
    assert len(rows) == 4
    page = (out / "summary.html").read_text(encoding="utf-8")
    section = " ".join(page.split('id="changes"')[1].split('id="distribution"')[0].split())
    assert "<b>2</b> question scores moved in 1 submission;" in section and "1 new submission" in section
    assert "1 no longer in the folder (1 report removed)" in section
    assert "file changed (2)" in section and 'href="reports/submission_2.html"' in section
    assert not (out / "reports" / "submission_3.html").exists()


def test_a_rubric_change_is_named(graded, tmp_path):
    folder, out = graded
    rubric = tmp_path / "rubrics" / "gaussian-em.yaml"
    rubric.parent.mkdir()
    text = resolve_rubric_path("gaussian-em").read_text(encoding="utf-8")
    rubric.write_text(text, encoding="utf-8")
    assert batch(folder, out, rubric=str(rubric)) == 0
    assert read_csv(out / "changes.csv") == []  # the same rubric from another place: nothing moved
    # the expected verdict of 1a flipped (a wrong key, then fixed mid-term): "yes" earns its 3 points, "no" loses them
    flipped = text.replace("          expected: false\n          bare_yes: true", "          expected: true\n"
                           "          bare_yes: true", 1)
    # … and the "yes" no longer capped as the says-correlated error
    flipped = flipped.replace("                 expected: true, bare_yes: true}}\n        max_fraction: 0\n",
                              "                 expected: true, bare_yes: true}}\n", 1)
    assert flipped.count("max_fraction: 0\n") == text.count("max_fraction: 0\n") - 1
    rubric.write_text(flipped, encoding="utf-8")
    assert batch(folder, out, rubric=str(rubric)) == 0
    rows = read_csv(out / "changes.csv")
    assert rows and all(r["why"] == "rubric changed" and r["question"] == "1a" for r in rows)
    moved = {r["submission"]: (r["old_score"], r["new_score"]) for r in rows}
    assert moved["submission_1"] == ("5", "2") and moved["submission_2"] == ("0", "3")


def test_a_grader_change_is_named(graded, monkeypatch):
    folder, out = graded
    write_submission(folder, "submission_1", WRONG)
    record.grader_digest.cache_clear()
    monkeypatch.setattr(record, "grader_digest", lambda: "0" * 64)
    assert batch(folder, out) == 0
    why = {r["why"] for r in read_csv(out / "changes.csv")}
    assert why == {"file changed;grader changed"}


def _run(digest: str, rubric_sha: str, sha: str, score: float | None, overridden: bool = False,
         status: str = "graded") -> RunRecord:
    run = RunRecord("s", "f", "0.1.0", digest, "", "in", rubrics={"hw": RubricRow("hw", "HW", rubric_sha, 5)})
    run.submissions["a"] = SubmissionRow("a", 0, "Ada", "a.md", sha, "hw", status, "", score, 5, "reports/a.html",
                                         (Submitter("Ada", "1", "a@x"),))
    run.scores[("a", "q")] = ScoreRow("a", "q", 0, "hw", "Q", 5, score, score, "wrong", (), False, "", overridden)
    return run


@pytest.mark.parametrize("old,new,why", [
    (_run("d", "r", "f", 1), _run("d", "r2", "f", 2), ("rubric changed",)),
    (_run("d", "r", "f", 1), _run("d", "r", "f", 1), None),
    (_run("d", "r", "f", 1), _run("d", "r", "f", 3), ("no recorded cause",)),
    (_run("d", "r", "f", 1), _run("d", "r", "f", 4, overridden=True), ("score set by a person",)),
    (_run("d", "r", "f", 4, True), _run("d2", "r", "f", 2, True), ("person's score changed", "grader changed")),
    (_run("d", "r", "f", None, status="timeout"), _run("d", "r", "f", 2), ("timeout → graded",)),
])
def test_compare_names_every_cause(old, new, why):
    report = changes.compare(old, new)
    if why is None:
        assert report.changes == []
    else:
        (change,) = report.changes
        assert change.why == why and change.question == "q" and change.report == "reports/a.html"


def test_changes_csv_cells_are_never_formulas(tmp_path):
    old, new = _run("d", "r", "f", 1), _run("d", "r", "f", 2)
    new.submissions["a"] = SubmissionRow("a", 0, "=cmd|' /C calc'!A0", "a.md", "f", "hw", "graded", "", 2, 5, "")
    changes.write_changes(changes.compare(old, new), tmp_path / "changes.csv")
    (row,) = read_csv(tmp_path / "changes.csv")
    assert row["name"] == "'=cmd|' /C calc'!A0"
