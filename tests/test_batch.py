"""Batch grading: discovery (Gradescope's export layout), isolation of bad submissions, grades.csv,
the class summary, and a class of 300 generated submissions graded in two worker processes.

``make_class`` writes that class (bench/bench_batch.py uses it too): answers drawn from the
one-question table of test_gaussian_em.py, so every submission's expected score is known; notebooks
and Markdown mixed; one truncated notebook and one hostile file among them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import grader.pipeline
from grader.batch import csv_out, svg
from grader.batch.discover import METADATA, Submission, discover, read_metadata, safe_id
from grader.batch.progress import Progress
from grader.batch.run import Config, Graded, chunk_size, run_batch
from grader.batch.summary import anonymise, known_people, summarise, write_summary
from grader.cli import main
from grader.model import Result
from test_gaussian_em import NEEDS_REVIEW, ONE_QUESTION
from test_report import HOSTILE_ANSWER, assert_inert

# the homework's clue words, so it is recognised without --rubric
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gaussian-em-sample.md"
TITLE = "# Homework: Gaussian graphical models (precision matrix, Markov blanket), Expectation maximization, K-means"
QUESTIONS = ("1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d")
FIRST = ["Ada", "Alan", "Grace", "Emmy", "Kurt", "Sofia", "Srinivasa", "Hedy", "Carl", "Evariste", "Sophie", "Niels"]
LAST = ["Lovelace", "Turing", "Hopper", "Noether", "Goedel", "Kovalevskaya", "Ramanujan", "Lamarr", "Gauss",
        "Galois", "Germain", "Abel"]
HOSTILE_NAME = '=HYPERLINK("javascript:alert(7)","x") <script>alert(8)</script>'


def _parts(answers: dict[str, str]) -> list[str]:
    """The submission's headings and answers, in order: a Markdown paragraph or a notebook cell each."""
    parts = [TITLE]
    for problem in ("1", "2"):
        parts.append(f"# Problem {problem}")
        for qid in (q for q in QUESTIONS if q[0] == problem and q in answers):
            parts += [f"## ({qid[1]})", answers[qid]]
    return parts


def _markdown(answers: dict[str, str]) -> str:
    return "\n\n".join(_parts(answers)) + "\n"


def _notebook(answers: dict[str, str]) -> str:
    import nbformat
    from nbformat import v4

    return nbformat.writes(v4.new_notebook(cells=[v4.new_markdown_cell(part) for part in _parts(answers)]))


def make_class(folder: Path, n: int, seed: int = 6) -> dict[str, dict]:
    """Write ``n`` submissions in Gradescope's export layout; return what each should get, by folder."""
    rng = random.Random(seed)
    by_question: dict[str, list] = {q: [] for q in QUESTIONS}
    for qid, answer, fraction, flags in ONE_QUESTION:
        by_question[qid].append((answer, fraction, flags))
    folder.mkdir(parents=True, exist_ok=True)
    expected, metadata = {}, []
    review_answers = dict(NEEDS_REVIEW)  # one unclear answer per question that has some
    for k in range(n):
        key = f"submission_{100001 + k}"
        name = f"{FIRST[k % len(FIRST)]} {LAST[(k // len(FIRST)) % len(LAST)]}"
        answers, total, flags, review = {}, 0.0, set(), False
        for qid in QUESTIONS:
            roll = rng.random()
            if roll < 0.04:
                continue  # left unanswered
            if roll < 0.07 and qid in review_answers:
                answers[qid], review = review_answers[qid], True
                continue
            answer, fraction, hit = rng.choice(by_question[qid])
            answers[qid], total, flags = answer, total + 5 * fraction, flags | hit
        kind = "ipynb" if k % 2 else "md"
        text = _notebook(answers) if kind == "ipynb" else _markdown(answers)
        status = "graded"
        if k == 7:  # a notebook cut off halfway through its JSON
            text, status = text[: len(text) // 2], "unreadable"
        if k == 11:
            # an unclear second answer puts the hostile name in the summary's review queue
            kind, name = "md", HOSTILE_NAME
            text = _markdown({"1a": HOSTILE_ANSWER, "2b": review_answers["2b"] + " <script>alert(10)</script>"})
        sub = folder / key
        sub.mkdir(exist_ok=True)
        (sub / f"homework.{kind}").write_text(text, encoding="utf-8")
        # a provisional score cannot be predicted: those submissions are checked for their mark only
        known = k not in (7, 11) and not review
        expected[key] = {"name": name, "total": round(total, 4) if known else None, "flags": flags if known else None,
                         "status": status, "review": None if k == 11 else review}
        metadata.append(f"{key}:\n  :submitters:\n  - :name: {json.dumps(name)}\n    :sid: '{900000 + k}'\n"
                        f"    :email: student{k}@example.edu\n  :created_at: 2024-03-01 10:00:00.000000000 -08:00\n"
                        f"  :score: 0.0\n")
    (folder / METADATA).write_text("".join(metadata), encoding="utf-8")
    return expected


# --- discovery ---------------------------------------------------------------------------------

RUBY_METADATA = """\
submission_1:
  :submitters:
  - :name: Ada Lovelace
    :sid: '0042'
    :email: ada@example.edu
  - :name: Alan Turing
    :sid: '0043'
    :email: alan@example.edu
  :created_at: 2024-03-01 10:00:00.000000000 -08:00
  :score: 31.0
submission_2:
  :submitters:
  - :name: Grace Hopper
    :email: grace@example.edu
submission_9:
  :submitters:
  - :name: Nobody Here
"""


def test_gradescope_export_is_recognised_with_names(tmp_path):
    root = tmp_path / "assignment_export"  # the zip's own top folder is looked into
    (root / "submission_1" / ".ipynb_checkpoints").mkdir(parents=True)
    (root / "submission_1" / "notes.md").write_text("# scratch\n", encoding="utf-8")
    (root / "submission_1" / "hw.ipynb").write_text("{}", encoding="utf-8")
    (root / "submission_1" / ".ipynb_checkpoints" / "hw-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    (root / "submission_2").mkdir()
    (root / METADATA).write_text(RUBY_METADATA, encoding="utf-8")
    found = discover(tmp_path)
    assert found.layout == "gradescope export"
    first, second = found.submissions
    assert (first.id, first.name, first.path.name) == ("submission_1", "Ada Lovelace, Alan Turing", "hw.ipynb")
    assert {"Ada Lovelace", "ada@example.edu", "0042"} <= set(first.people)
    assert second.name == "Grace Hopper" and second.problem == "the folder holds no file"
    assert any("submission_9" in note for note in found.notes)


def test_plain_folder_one_file_or_folder_per_student(tmp_path):
    (tmp_path / "alice.md").write_text("x", encoding="utf-8")
    (tmp_path / "alice.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "answers.tex").write_text("x", encoding="utf-8")
    (tmp_path / ".DS_Store").write_text("x", encoding="utf-8")
    (tmp_path / "out").mkdir()
    found = discover(tmp_path, exclude=tmp_path / "out")
    assert found.layout == "folder"
    assert [s.id for s in found.submissions] == ["alice", "alice-2", "bob"]
    assert found.submissions[2].path.name == "answers.tex" and not found.submissions[0].name


def test_metadata_that_does_not_parse_costs_only_the_names(tmp_path):
    (tmp_path / METADATA).write_text("submission_1: [unclosed\n  :x", encoding="utf-8")
    names, notes = read_metadata(tmp_path / METADATA)
    assert names == {} and "could not be read" in notes[0]


@pytest.mark.parametrize("raw,cleaned", [("../../etc/passwd", "etc_passwd"), ("a b<c>", "a_b_c"), ("...", "submission")])
def test_ids_are_safe_file_names(raw, cleaned):
    assert safe_id(raw) == cleaned


# --- a class of 300 ----------------------------------------------------------------------------

N_CLASS = 300


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    expected = make_class(folder / "export", N_CLASS)
    out = folder / "out"
    assert main(["batch", str(folder / "export"), "--out", str(out), "--rubric", "gaussian-em", "--workers", "2",
                 "--quiet"]) == 0
    with (out / "grades.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    return expected, out, table


def test_every_submission_gets_a_row_and_a_report(graded_class):
    expected, out, table = graded_class
    assert len(table) == N_CLASS
    assert len(list((out / "reports").glob("*.html"))) == N_CLASS
    assert (out / "summary.html").stat().st_size > 10_000
    assert [row["id"] for row in table] == sorted(expected, key=lambda k: int(k.split("_")[1]))
    assert set(table[0]) >= {"id", "name", "1a", "2d", "total", "misconceptions", "needs_review", "status", "error"}


def test_scores_names_and_misconceptions_match_the_answers(graded_class):
    expected, _, table = graded_class
    for row in table:
        want = expected[row["id"]]
        assert row["status"] == want["status"], row
        if want["total"] is not None:
            assert float(row["total"]) == pytest.approx(want["total"]), row["id"]
            assert set(filter(None, row["misconceptions"].split(";"))) == want["flags"], row["id"]
        if want["status"] == "graded" and want["review"] is not None:
            assert bool(row["needs_review"]) == want["review"], row["id"]
        if not row["name"].startswith("'"):
            assert row["name"] == want["name"]


def test_the_truncated_notebook_is_a_row_with_its_reason(graded_class):
    _, out, table = graded_class
    row = next(r for r in table if r["status"] == "unreadable")
    assert row["error"] and row["total"] == "" and row["1a"] == ""
    page = (out / "reports" / f"{row['id']}.html").read_text(encoding="utf-8")
    assert "Nothing could be graded" in page


def test_hostile_submission_is_text_in_csv_reports_and_summary(graded_class):
    _, out, table = graded_class
    row = next(r for r in table if "<script>" in r["name"])
    assert row["name"] == "'" + HOSTILE_NAME  # formula neutralised, markup kept as plain text
    assert not any(v.startswith(("=", "+", "@")) for r in table for v in r.values())
    report = (out / "reports" / f"{row['id']}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report and "onerror=alert(2)" in report
    for page in [out / "summary.html", *sorted((out / "reports").glob("*.html"))]:
        assert_inert(page.read_text(encoding="utf-8"))
    assert "&lt;script&gt;alert(8)" in (out / "summary.html").read_text(encoding="utf-8")


def test_summary_counts_misconceptions_and_queues_reviews(graded_class):
    expected, out, table = graded_class
    page = (out / "summary.html").read_text(encoding="utf-8")
    fired = sum(len(w["flags"]) for w in expected.values() if w["flags"] is not None)
    assert fired > 100
    assert page.count('<svg class="chart"') >= 1 + 1 + len(QUESTIONS) + 1  # totals, averages, per question, misc.
    assert "Lowest averages" in page and "Review queue" in page
    unreadable = next(r for r in table if r["status"] == "unreadable")
    assert f'href="reports/{unreadable["id"]}.html"' in page
    assert "ada@example.edu" not in page and "student3@example.edu" not in page


# --- isolation: crashes, timeouts, dead workers ---------------------------------------------------


def _small_class(tmp_path: Path, n: int = 6) -> list:
    make_class(tmp_path / "in", n)
    return discover(tmp_path / "in").submissions


def _sabotage(monkeypatch, victim: Submission, action) -> None:
    """Make grading ``victim`` run ``action`` (raise, hang, die); the others are graded as usual."""
    real = grader.pipeline.grade

    def patched(path, rubric=None):
        if path.parent == victim.path.parent:
            action()
        return real(path, rubric)

    monkeypatch.setattr(grader.pipeline, "grade", patched)


def test_a_crash_in_one_submission_is_its_row_only(tmp_path, monkeypatch):
    subs = _small_class(tmp_path)
    _sabotage(monkeypatch, subs[2], lambda: 1 / 0)
    graded = run_batch(subs, Config("gaussian-em", tmp_path / "out"), workers=1)
    assert [g.failure for g in graded] == ["", "", "crash", "", "", ""]
    assert "ZeroDivisionError" in graded[2].result.error and "not the student's fault" in graded[2].result.error
    assert (tmp_path / "out" / graded[2].report).is_file()


def test_a_submission_past_its_deadline_is_stopped(tmp_path, monkeypatch):
    subs = _small_class(tmp_path, 3)
    _sabotage(monkeypatch, subs[1], lambda: time.sleep(30))
    started = time.monotonic()
    graded = run_batch(subs, Config("gaussian-em", tmp_path / "out", timeout=0.3), workers=1)
    assert time.monotonic() - started < 10
    assert [g.failure for g in graded] == ["", "timeout", ""]
    assert "longer than 0.3 s" in graded[1].result.error


@pytest.mark.skipif(sys.platform != "linux", reason="workers inherit the test's patch where they are forked: Linux")
def test_a_killed_worker_costs_only_its_submission(tmp_path, monkeypatch):
    subs = _small_class(tmp_path, 8)
    _sabotage(monkeypatch, subs[5], lambda: os.kill(os.getpid(), signal.SIGKILL))  # as the OOM killer would
    graded = run_batch(subs, Config("gaussian-em", tmp_path / "out"), workers=2)
    assert [g.failure for g in graded] == ["", "", "", "", "", "crash", "", "unreadable"]
    assert "process died" in graded[5].result.error


@pytest.mark.skipif(not hasattr(signal, "SIGXCPU"), reason="no CPU-time limits on this platform")
def test_a_worker_stuck_past_its_cpu_limit_is_killed():
    """The last resort for code no signal handler interrupts: the kernel ends the worker."""
    spin = "from grader.batch.run import _limit_cpu; _limit_cpu(1)\nwhile True: pass"
    proc = subprocess.run([sys.executable, "-c", spin], timeout=60, capture_output=True)
    assert proc.returncode == -signal.SIGXCPU


def test_one_worker_and_two_workers_give_the_same_csv(tmp_path):
    subs = _small_class(tmp_path, 24)
    one = run_batch(subs, Config("gaussian-em", tmp_path / "one"), workers=1)
    two = run_batch(subs, Config("gaussian-em", tmp_path / "two"), workers=2)
    assert csv_out.rows(one) == csv_out.rows(two)
    assert (tmp_path / "one" / one[3].report).read_bytes() == (tmp_path / "two" / two[3].report).read_bytes()


def test_chunks_leave_work_for_every_worker():
    assert chunk_size(300, 2) == 8 and chunk_size(60, 2) == 5 and chunk_size(10, 2) == 1 and chunk_size(1, 8) == 1


# --- the command -------------------------------------------------------------------------------


def test_command_exit_codes(tmp_path, capsys):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    assert main(["batch", str(tmp_path / "bad"), "--out", str(tmp_path / "o1"), "--workers", "1"]) == 1
    assert "Graded 0 of 1" in capsys.readouterr().out
    assert main(["batch", str(tmp_path / "bad"), "--out", str(tmp_path / "o2"), "--rubric", "no-such-homework"]) == 2
    assert main(["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o3")]) == 2


def test_without_a_rubric_each_homework_is_recognised(tmp_path):
    make_class(tmp_path / "in", 4)
    assert main(["batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"]) == 0
    rows = list(csv.DictReader((tmp_path / "out" / "grades.csv").open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["graded"] * 4 and all(r["total"] for r in rows)


# --- pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value,cell", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("-3", "-3"), ("-1.5", "-1.5"), (2.5, "2.5"), (3.0, "3"), ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("a\x00b\ud800", "a\ufffdb\ufffd"),
])
def test_csv_cells_are_never_formulas(value, cell):
    assert csv_out.cell(value) == cell


def test_progress_bar_draws_in_place_only_on_a_terminal():
    shown = io.StringIO()
    bar = Progress(3, stream=shown, enabled=True)
    for _ in range(3):
        bar.advance()
    bar.close()
    assert "\r" in shown.getvalue() and "3/3 100%" in shown.getvalue() and shown.getvalue().endswith("\n")
    silent = io.StringIO()  # StringIO is not a TTY
    bar = Progress(3, stream=silent)
    bar.advance(3)
    bar.close()
    assert silent.getvalue() == ""


def test_examples_are_anonymised(tmp_path):
    who = Submission("s1", tmp_path, "Ada Lovelace", people=("Ada Lovelace", "ada@uni.edu", "0042"))
    li = Submission("s2", tmp_path, "Li Na", people=("Li Na",))
    people = known_people([Graded(who, Result("x", "r", "R", ())), Graded(li, Result("y", "r", "R", ()))])
    text = ("Name: Ada Lovelace, student 12345678, mail ada@uni.edu or lovelace@other.org; ADA says, with li  na, "
            "$\\Sigma_{34} = 0$ so 0.96400, not 0.0042, and id 0042 " + "x" * 300)
    shown = anonymise(text, people)
    for leak in ("Ada", "ADA", "Lovelace", "12345678", "@", "li  na", " 0042"):
        assert leak not in shown
    assert "$\\Sigma_{34} = 0$ so 0.96400, not 0.0042" in shown and len(shown) <= 160 and shown.endswith("…")


def test_charts_escape_their_labels_and_bin_scores():
    chart = svg.histogram([("<b>x</b>", 3), ("y", 0)], title="t & <u>")
    assert "<b>" not in chart and "&lt;b&gt;x&lt;/b&gt;" in chart and "t &amp; &lt;u&gt;" in chart
    assert svg.question_bins([0, 0.5, 2.5, 4.9, 5, 5], 5) == [("0", 1), ("≤1.25", 1), ("≤2.5", 1), ("≤3.75", 0),
                                                               ("<5", 1), ("5", 2)]
    assert [c for _, c in svg.score_bins([0, 4, 39.9, 40], 40)] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_summary_of_nothing_graded_still_renders(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text("", encoding="utf-8")
    graded = run_batch(discover(tmp_path / "in").submissions, Config(None, tmp_path / "out"))
    summary = write_summary(graded, tmp_path / "out" / "summary.html")
    assert summary.graded == 0 and len(summary.review) == 1
    assert "No submission could be graded" in (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert summarise(graded).lowest == []


def test_a_symbolic_link_in_a_student_folder_is_never_followed(tmp_path):
    from grader.batch.discover import _answer_file

    secret = tmp_path / "secret.md"
    secret.write_text("# Problem 1\n\n## (a)\n\nNo, uncorrelated.\n", encoding="utf-8")
    student = tmp_path / "class" / "alice"
    student.mkdir(parents=True)
    (student / "answers.ipynb").symlink_to(secret)
    assert _answer_file(student) is None
    (student / "notes.txt").write_text("my answers", encoding="utf-8")
    assert _answer_file(student) == student / "notes.txt"


def test_without_a_rubric_unreadable_rows_are_out_of_the_homeworks_total(tmp_path):
    """The graded submissions say which homework the batch is: a row nothing was read from is out of its
    total too, with every question listed, and the graded rows are unchanged."""
    from grader.batch.csv_out import rows

    (tmp_path / "in").mkdir()
    shutil.copyfile(EXAMPLE, tmp_path / "in" / "alice.md")
    (tmp_path / "in" / "bob.md").write_text("", encoding="utf-8")
    (tmp_path / "in" / "carol.ipynb").write_text("{not json", encoding="utf-8")
    graded = run_batch(discover(tmp_path / "in").submissions, Config(None, tmp_path / "out"))
    by_file = {g.submission.path.name: g for g in graded}
    assert by_file["alice.md"].result.score == 31.0 and by_file["alice.md"].failure == ""
    for name in ("bob.md", "carol.ipynb"):
        result = by_file[name].result
        assert by_file[name].failure == "unreadable" and result.error
        assert result.rubric_id == "gaussian-em" and result.max_score == 40.0 and result.score == 0.0
        assert len(result.questions) == 8
    table = rows(graded)
    header = table[0]
    assert {row[header.index("max_score")] for row in table[1:]} == {"40"}
    assert table[1:][[g.submission.path.name for g in graded].index("bob.md")][header.index("total")] == ""
