"""The plugin suite run by gradescope-utils' own JSONTestRunner gives the CLI's scores, and none of
gradescope-utils' known bugs reach them."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from gradescope_utils.autograder_utils.json_test_runner import JSONTestRunner

import grader.gradescope as gs
from grader.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaussian-em-sample.md"
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "gaussian-em").iterdir())


def run_suite(suite) -> dict:
    stream = io.StringIO()
    JSONTestRunner(stream=stream).run(suite)
    return json.loads(stream.getvalue())


def cli_results(submission: Path, tmp_path: Path) -> dict:
    out = tmp_path / "cli.json"
    assert main([str(submission), "--rubric", "gaussian-em", "--json", str(out), "--quiet"]) == 0
    return json.loads(out.read_text(encoding="ascii"))


@pytest.mark.parametrize("submission", [EXAMPLE] + FIXTURES, ids=lambda p: p.name)
def test_json_test_runner_gets_the_cli_scores(tmp_path, submission):
    cli = cli_results(submission, tmp_path)
    plugin = run_suite(gs.test_suite(submission, rubric="gaussian-em"))
    assert len(plugin["tests"]) == 8
    got = {t["number"]: (t["score"], t["max_score"]) for t in plugin["tests"]}
    assert got == {t["number"]: (t["score"], t["max_score"]) for t in cli["tests"]}
    assert plugin["score"] == cli["score"]
    by_number = {t["number"]: t for t in cli["tests"]}
    for test in plugin["tests"]:
        expected = by_number[test["number"]]
        assert test["name"] == expected["name"]
        assert test["visibility"] == "visible"
        assert list(test["tags"]) == expected["tags"]
        assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
        assert type(test["score"]) is float


def test_feedback_is_the_test_output():
    plugin = run_suite(gs.test_suite(EXAMPLE, rubric="gaussian-em"))
    q2b = next(t for t in plugin["tests"] if t["number"] == "2.b")
    assert q2b["score"] == 0.0 and "em.converges-to-data" in q2b["output"]


def test_two_suites_in_one_run_keep_their_own_scores(tmp_path):
    # gradescope-utils keeps a partial-credit score on the test function: shared functions would leak
    first, second = EXAMPLE, ROOT / "tests" / "fixtures" / "gaussian-em" / "subsections.tex"
    combined = gs.test_suite(first, rubric="gaussian-em")
    combined.addTests(gs.test_suite(second, rubric="gaussian-em"))
    tests = run_suite(combined)["tests"]
    assert len(tests) == 16
    scores = [t["score"] for t in tests]
    assert sum(scores[:8]) == cli_results(first, tmp_path)["score"] == 31.0
    assert sum(scores[8:]) == cli_results(second, tmp_path)["score"]
    assert scores[:8] != scores[8:]


def test_a_grading_crash_is_reported_by_every_test(monkeypatch):
    import grader.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("checker exploded")

    monkeypatch.setattr(grader.pipeline, "grade", broken)
    data = run_suite(gs.test_suite(EXAMPLE, rubric="gaussian-em"))
    assert len(data["tests"]) == 8 and data["score"] == 0
    for test in data["tests"]:
        assert test["score"] == 0.0 and test["max_score"] == 5.0 and test["status"] == "failed"
        assert "not your fault" in test["output"] and "checker exploded" not in test["output"]


def test_a_folder_is_searched_for_the_answer_file(tmp_path):
    shutil.copyfile(EXAMPLE, tmp_path / "hw.md")
    (tmp_path / "results.json").write_text('{"score": 100}')
    data = run_suite(gs.test_suite(tmp_path, rubric="gaussian-em"))
    assert data["score"] == 31.0


def test_an_empty_folder_lists_every_question_at_zero(tmp_path):
    data = run_suite(gs.test_suite(tmp_path, rubric="gaussian-em"))
    assert [t["max_score"] for t in data["tests"]] == [5.0] * 8
    assert data["score"] == 0 and all("No gradable file found" in t["output"] for t in data["tests"])


def test_without_a_rubric_the_homework_is_recognised():
    data = run_suite(gs.test_suite(EXAMPLE))
    assert len(data["tests"]) == 8 and data["score"] == 31.0


def test_a_rubric_that_cannot_load_fails_one_test_without_raising():
    data = run_suite(gs.test_suite(EXAMPLE, rubric="no-such-homework"))
    assert len(data["tests"]) == 1
    assert data["tests"][0]["status"] == "failed" and "could not be graded" in data["tests"][0]["output"]


def test_rubric_visibility_settings_reach_the_tests(tmp_path):
    text = (ROOT / "rubrics" / "gaussian-em.yaml").read_text(encoding="utf-8")
    text = text.replace("  show_expected: visible",
                        "  show_expected: after_due_date\n  feedback_visibility: after_published")
    rubric = tmp_path / "delayed.yaml"
    rubric.write_text(text, encoding="utf-8")
    data = run_suite(gs.test_suite(EXAMPLE, rubric=str(rubric)))
    questions = [t for t in data["tests"] if not t["name"].startswith("Reference answer: ")]
    references = [t for t in data["tests"] if t["name"].startswith("Reference answer: ")]
    assert len(questions) == len(references) == 8
    assert {t["visibility"] for t in questions} == {"after_published"}
    assert {t["visibility"] for t in references} == {"after_due_date"}
    assert all(t["score"] == t["max_score"] == 0.0 for t in references)
    assert data["score"] == 31.0
    q1a = next(t for t in references if t["number"] == "1.a.ref")
    assert "Σ34 = 0" in q1a["output"]
    assert not any("Σ34 = 0 (and since X" in t["output"] for t in questions)


def test_every_test_says_its_output_is_markdown(tmp_path):
    """gradescope-utils' runner writes no output_format; without it Gradescope shows the Markdown raw."""
    plugin = run_suite(gs.test_suite(EXAMPLE, rubric="gaussian-em"))
    assert len(plugin["tests"]) == 8
    assert {t["output_format"] for t in plugin["tests"]} == {"md"}
    assert any("**" in t["output"] for t in plugin["tests"])  # there is Markdown to render
    missing = run_suite(gs.test_suite(tmp_path / "nothing-here", rubric="no-such-homework"))
    assert [t["output_format"] for t in missing["tests"]] == ["md"]
