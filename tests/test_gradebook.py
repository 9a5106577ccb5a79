"""The gradebook in OUT: what a run records, one transaction per run, schema versions, sid and email in
grades.csv, the lock on OUT and runs killed midway."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

import grader
from batch_fixtures import (
    CLASS, FORMULA_NAME, RIGHT, batch, graded_class, read_csv, row_of, write_class, write_submission,
)
from grader.batch import gradebook
from grader.batch.gradebook import FILE_NAME, SCHEMA, Gradebook, GradebookError
from grader.batch.outdir import OutputBusy, locked, write_atomic
from grader.cli import main
from grader.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def graded(tmp_path):
    return graded_class(tmp_path)


def test_a_run_records_rubric_grader_scores_and_file_hashes(graded):
    folder, out = graded
    assert (out / FILE_NAME).is_file()
    with Gradebook.in_folder(out, create=False) as book:
        run = book.last_run()
    assert run.grader_version == grader.__version__ and len(run.grader_digest) == 64
    rubric = load_rubric("gaussian-em")
    assert set(run.rubrics) == {"gaussian-em"}
    assert run.rubrics["gaussian-em"].sha256 != hashlib.sha256(b"").hexdigest()
    assert run.rubrics["gaussian-em"].max_score == sum(q.points for q in rubric.questions)
    assert list(run.submissions) == list(CLASS)
    first = run.submissions["submission_1"]
    assert first.sha256 == hashlib.sha256((folder / "submission_1" / "homework.md").read_bytes()).hexdigest()
    assert first.status == "graded" and first.total == 10
    assert [p.sid for p in run.submissions["submission_6"].submitters] == ["0047", "0048"]
    assert run.submissions["submission_5"].status == "unreadable" and run.submissions["submission_5"].total is None
    right, wrong = run.scores[("submission_1", "1a")], run.scores[("submission_2", "2a")]
    assert (right.score, right.status, right.misconceptions, right.needs_review) == (5, "correct", (), False)
    assert wrong.score == 0 and wrong.misconceptions == ("em-step.hard-assignment",) and wrong.reading
    assert run.scores[("submission_4", "1a")].needs_review
    assert run.scores[("submission_5", "1a")].score is None  # nothing graded: no score, as in grades.csv
    assert len(run.scores) == len(CLASS) * len(rubric.questions)


def test_the_schema_is_versioned_and_newer_gradebooks_are_refused(graded, capsys):
    folder, out = graded
    db = sqlite3.connect(out / FILE_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA
    db.execute(f"PRAGMA user_version = {SCHEMA + 1}")
    db.commit()
    db.close()
    with pytest.raises(GradebookError, match="newer grader"):
        Gradebook.in_folder(out)
    before = (out / "grades.csv").read_bytes()
    assert batch(folder, out) == 2
    assert "newer grader" in capsys.readouterr().err
    assert (out / "grades.csv").read_bytes() == before


@pytest.mark.parametrize("content", [b"not a database at all, just text" * 40, None])
def test_a_file_that_is_not_a_gradebook_is_refused_with_its_name(tmp_path, content):
    path = tmp_path / FILE_NAME
    if content is None:  # an SQLite file of something else
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE photos (id INTEGER)")
        other.commit()
        other.close()
    else:
        path.write_bytes(content)
    with pytest.raises(GradebookError, match=FILE_NAME):
        Gradebook(path)


def test_an_old_schema_is_migrated_forward(tmp_path, monkeypatch):
    """Version 1 plus a made-up version 2: opening a version-1 file runs the step and keeps the data."""
    with Gradebook(tmp_path / FILE_NAME) as book:
        book.db.execute("INSERT INTO runs (started_at, finished_at, grader_version, grader_digest, rubric_option, "
                        "folder) VALUES ('a', 'b', 'c', 'd', '', 'f')")
    monkeypatch.setattr(gradebook, "MIGRATIONS", gradebook.MIGRATIONS + ["ALTER TABLE runs ADD COLUMN comment TEXT"])
    monkeypatch.setattr(gradebook, "SCHEMA", SCHEMA + 1)
    with Gradebook(tmp_path / FILE_NAME) as book:
        assert book.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA + 1
        assert book.db.execute("SELECT grader_version, comment FROM runs").fetchall() == [("c", None)]


def test_a_run_is_one_transaction(graded):
    """A failure while writing a run's rows leaves nothing of it behind."""
    _, out = graded
    with Gradebook.in_folder(out) as book:
        run = book.last_run()
        before = book.run_ids()
        row = run.scores[("submission_1", "1a")]
        run.scores[("duplicate", "key")] = row  # the same (submission, question) twice: the last insert fails
        with pytest.raises(sqlite3.IntegrityError):
            book.record_run(run)
        assert book.run_ids() == before
        assert book.db.execute("SELECT count(*) FROM submissions WHERE run_id > ?", (before[-1],)).fetchone()[0] == 0


def test_runs_accumulate_and_the_last_one_is_compared(graded):
    folder, out = graded
    assert batch(folder, out) == 0
    with Gradebook.in_folder(out) as book:
        assert len(book.run_ids()) == 2
        first, last = (book.load_run(i) for i in book.run_ids())
    assert first.scores == last.scores
    assert read_csv(out / "changes.csv") == []  # nothing moved


def test_grades_csv_has_sid_and_email_and_neutralises_formulas(graded):
    _, out = graded
    rows = read_csv(out / "grades.csv")
    header = list(rows[0])
    assert header[:5] == ["id", "name", "sid", "email", "file"] and "overridden" in header
    ada = row_of(rows, "submission_1")
    assert (ada["sid"], ada["email"]) == ("0042", "ada@example.edu")
    group = row_of(rows, "submission_6")
    assert group["sid"] == "0047;0048" and group["email"] == "sofia@example.edu;hedy@example.edu"
    hostile = row_of(rows, "submission_7")
    assert hostile["name"] == "'" + FORMULA_NAME and hostile["sid"] == "'=1+2" and hostile["email"] == "'@evil.example"


def test_reports_of_submissions_no_longer_present_are_removed(graded):
    folder, out = graded
    (out / "reports" / "notes.txt").write_text("kept", encoding="utf-8")
    for f in (folder / "submission_3").iterdir():
        f.unlink()
    (folder / "submission_3").rmdir()
    assert batch(folder, out) == 0
    assert not (out / "reports" / "submission_3.html").exists()
    assert (out / "reports" / "submission_2.html").is_file() and (out / "reports" / "notes.txt").is_file()


# --- one writer at a time --------------------------------------------------------------------------


def test_a_second_run_into_the_same_out_is_refused_clearly(graded, capsys):
    folder, out = graded
    before = (out / "grades.csv").read_bytes()
    with locked(out, "batch"):
        assert batch(folder, out) == 2
        err = capsys.readouterr().err
        assert "being written by another command" in err and f"process {os.getpid()}" in err
        with pytest.raises(OutputBusy):
            with locked(out, "override"):
                pass
        assert main(["override", str(out), "submission_1", "1a", "3", "--note", "n", "--by", "Ana"]) == 2
        assert "being written by another command" in capsys.readouterr().err
    assert (out / "grades.csv").read_bytes() == before
    assert batch(folder, out) == 0  # the lock went with its holder


def test_a_lock_held_by_another_process_stops_a_run_and_dies_with_it(graded, capsys):
    folder, out = graded
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from grader.batch.outdir import locked\n"
                               "with locked(sys.argv[1], 'batch'):\n print('ready', flush=True); time.sleep(60)",
         str(out)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert batch(folder, out) == 2
        assert f"process {holder.pid}" in capsys.readouterr().err
    finally:
        holder.kill()  # killed, as a crashed run would be: the kernel releases its lock
        holder.wait()
    assert batch(folder, out) == 0


# --- killed midway -----------------------------------------------------------------------------------

KILL_AFTER = """
import os, signal, sys
sys.path.insert(0, {tests!r})
{patch}
from grader.cli import main
main(["batch", {folder!r}, "--out", {out!r}, "--rubric", "gaussian-em", "--workers", "1", "--quiet"])
"""


def _killed_run(folder: Path, out: Path, patch: str) -> int:
    script = KILL_AFTER.format(tests=str(ROOT / "tests"), patch=textwrap.dedent(patch), folder=str(folder),
                               out=str(out))
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=120)
    return proc.returncode


def _state(out: Path) -> tuple:
    db = sqlite3.connect(out / FILE_NAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = ("runs", "rubrics", "submissions", "submitters", "scores", "overrides")
        counts = tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    finally:
        db.close()
    return (out / "grades.csv").read_bytes(), (out / "summary.html").read_bytes(), counts


def test_a_run_killed_while_grading_leaves_the_previous_outputs(graded):
    folder, out = graded
    before = _state(out)
    write_submission(folder, "submission_2", RIGHT)  # a change the killed run would have recorded
    patch = """
        import grader.batch.run as run
        real, seen = run.grade_one, []
        def grade_one(sub, config=None):
            seen.append(sub)
            if len(seen) == 4:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(sub, config)
        run.grade_one = grade_one
    """
    assert _killed_run(folder, out, patch) == -signal.SIGKILL
    assert _state(out) == before
    assert not list(out.glob(".*.tmp"))


def test_a_run_killed_while_writing_the_gradebook_leaves_it_as_it_was(graded):
    folder, out = graded
    write_submission(folder, "submission_2", RIGHT)  # was wrong: its scores will move
    with Gradebook.in_folder(out) as book:
        runs_before = book.run_ids()
        scores_before = book.last_run().scores
    patch = """
        import grader.batch.gradebook as gb
        real, calls = gb.json.dumps, []
        def dumps(value, *a, **k):  # called per score row, inside the run's transaction
            calls.append(value)
            if len(calls) == 20:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(value, *a, **k)
        gb.json.dumps = dumps
    """
    assert _killed_run(folder, out, patch) == -signal.SIGKILL
    with Gradebook.in_folder(out) as book:
        assert book.run_ids() == runs_before
        assert book.last_run().scores == scores_before
    assert batch(folder, out) == 0  # and the next run completes, comparing with the last complete one
    moved = [r for r in read_csv(out / "changes.csv") if r["submission"] == "submission_2"]
    assert {r["question"] for r in moved} == {"1a", "2a"} and all("file changed" in r["why"] for r in moved)


def test_atomic_writes_leave_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "grades.csv"
    target.write_bytes(b"old")

    def broken(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["grades.csv"]


def test_written_files_keep_the_usual_permissions(graded):
    _, out = graded
    mask = os.umask(0)
    os.umask(mask)
    assert (out / "grades.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_build_run_keeps_a_grader_score_beside_a_person_s(graded):
    from grader.batch.record import build_run
    from grader.batch.run import Config, Graded, run_batch
    from grader.batch.discover import discover
    from grader.model import Override

    folder, out = graded
    subs = discover(folder).submissions[:1]
    g = run_batch(subs, Config("gaussian-em", out / "again"))[0]
    q = replace(g.result.questions[0], score=1.0, override=Override(1.0, "Ana", "why", "now", 5.0))
    g = Graded(g.submission, replace(g.result, questions=(q,) + g.result.questions[1:]), g.report)
    row = build_run([g], "then", "gaussian-em", folder).scores[(g.submission.id, q.question_id)]
    assert (row.grader_score, row.score, row.overridden) == (5.0, 1.0, True)


def test_an_output_folder_that_is_a_file_is_refused(tmp_path, capsys):
    folder = write_class(tmp_path / "in", only=["submission_1"])
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    assert batch(folder, tmp_path / "out") == 2
    assert "cannot be used as the output folder" in capsys.readouterr().err
