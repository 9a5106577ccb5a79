"""results.json under the rubric's visibility settings, the fallback results, the worker-file check."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from grader.pipeline import grade as grade_file
from grader.gradescope.results import (OUT_OF_MEMORY, grader_error_result, render_options, results_for,
                                       shape_problems)
from grader.rubric import RubricError, load_rubric, parse_rubric
from test_gradescope_run import load_results  # checks against the schema kept with the run tests

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaussian-em-sample.md"
RUBRIC = ROOT / "rubrics" / "gaussian-em.yaml"


def rubric_with(tmp_path, **settings):
    data = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    data["settings"] = {**data.get("settings", {}), **settings}
    return parse_rubric(data, tmp_path / "rubrics" / "gaussian-em.yaml")


def write_and_check(tmp_path, data) -> dict:
    from grader.render.gradescope import write_json

    out = tmp_path / "results.json"
    write_json(data, out)
    return load_results(out)


def test_default_settings_keep_the_cli_format(tmp_path):
    rubric = load_rubric("gaussian-em")
    data = write_and_check(tmp_path, results_for(grade_file(EXAMPLE, "gaussian-em"), rubric))
    assert data["visibility"] == "visible" and len(data["tests"]) == 8
    assert {t["visibility"] for t in data["tests"]} == {"visible"}
    assert all(set(t["extra_data"]) <= {"question", "misconceptions", "status", "needs_review"} for t in data["tests"])
    q1c = next(t for t in data["tests"] if t["number"] == "1.c")
    assert "Expected:" in q1c["output"]


def test_reference_answers_after_the_due_date_get_their_own_tests(tmp_path):
    rubric = rubric_with(tmp_path, show_expected="after_due_date", feedback_visibility="visible")
    data = write_and_check(tmp_path, results_for(grade_file(EXAMPLE, "gaussian-em"), rubric))
    numbers = [t["number"] for t in data["tests"]]
    assert numbers[:4] == ["1.a", "1.a.ref", "1.b", "1.b.ref"]  # each reference right after its question
    refs = [t for t in data["tests"] if t["number"].endswith(".ref")]
    assert len(refs) == 8
    for ref in refs:
        assert ref["score"] == ref["max_score"] == 0.0 and ref["visibility"] == "after_due_date"
        assert ref["extra_data"] == {"question": ref["number"][:-4].replace(".", ""), "reference_answer": True}
    questions = [t for t in data["tests"] if not t["number"].endswith(".ref")]
    assert {t["visibility"] for t in questions} == {"visible"}
    assert all("status" in t["extra_data"] for t in questions)
    assert not any("Expected:" in t["output"] for t in questions)
    assert data["score"] == 31.0 == sum(t["score"] for t in data["tests"])


def test_hidden_reference_answers_appear_nowhere(tmp_path):
    rubric = rubric_with(tmp_path, show_expected="hidden")
    data = results_for(grade_file(EXAMPLE, "gaussian-em"), rubric)
    assert len(data["tests"]) == 8
    assert not any("Expected:" in t["output"] for t in data["tests"])


def test_feedback_visibility_sets_the_tests_and_the_top_level(tmp_path):
    rubric = rubric_with(tmp_path, feedback_visibility="after_published")
    assert render_options(rubric) == {"show_expected": True, "visibility": "after_published",
                                      "expected_visibility": None}
    data = write_and_check(tmp_path, results_for(grade_file(EXAMPLE, "gaussian-em"), rubric))
    assert data["visibility"] == "after_published"
    assert {t["visibility"] for t in data["tests"]} == {"after_published"}


def test_a_bad_visibility_setting_is_a_rubric_error(tmp_path):
    with pytest.raises(RubricError, match="settings.feedback_visibility: expected one of visible"):
        rubric_with(tmp_path, feedback_visibility="soon")


def test_grader_error_result_lists_every_question_at_zero(tmp_path):
    rubric = load_rubric("gaussian-em")
    data = write_and_check(tmp_path, results_for(grader_error_result(rubric, OUT_OF_MEMORY, "hw.md"), rubric))
    assert data["score"] == 0.0 and OUT_OF_MEMORY in data["output"]
    assert [t["extra_data"] for t in data["tests"]] == [
        {"question": q.id, "misconceptions": [], "status": "grader_error"} for q in rubric.questions]
    assert all(t["max_score"] == 5.0 and OUT_OF_MEMORY in t["output"] for t in data["tests"])


def test_grader_error_without_a_rubric_still_has_a_score():
    data = results_for(grader_error_result(None, OUT_OF_MEMORY), None)
    assert data["score"] == 0.0 and data["tests"] == [] and shape_problems(data) == []


@pytest.mark.parametrize("data,problem", [
    ([], "not a JSON object"),
    ({"tests": []}, "neither a score nor tests"),
    ({"score": math.nan, "tests": []}, "score: not a finite number"),
    ({"score": True}, "score: not a finite number"),
    ({"score": 1.0, "tests": [{"score": "5", "max_score": 5.0}]}, "tests[0].score: not a finite number"),
    ({"tests": [{"max_score": 5.0}]}, "tests[0]: no score"),
    ({"score": 1.0, "tests": [{"score": 1.0, "status": "ok"}]}, "tests[0].status"),
    ({"score": 1.0, "visibility": "later"}, "visibility"),
    ({"score": 1.0, "tests": [{"score": 1.0, "output_format": "rtf"}]}, "tests[0].output_format"),
    ({"score": 1.0, "tests": "all"}, "tests: not a list"),
])
def test_shape_problems_catch_what_gradescope_rejects(data, problem):
    assert any(problem in p for p in shape_problems(data))


def test_a_real_results_file_has_no_shape_problems():
    assert shape_problems(results_for(grade_file(EXAMPLE, "gaussian-em"), load_rubric("gaussian-em"))) == []
