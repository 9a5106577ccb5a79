"""The command line as a user runs it: tables, results.json, HTML, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaussian-em-sample.md"
STATUSES = {"correct", "partial", "wrong", "not_found", "unreadable", "grader_error"}


def test_quick_start_example_runs_as_a_module():
    proc = subprocess.run([sys.executable, "-m", "grader", str(EXAMPLE)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Recognised the homework as 'gaussian-em'" in proc.stdout
    assert "total 31 / 40" in proc.stdout
    assert "blanket.from-covariance" in proc.stdout and "em.converges-to-data" in proc.stdout


def test_results_json_follows_gradescope_and_extra_data_contract(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert main([str(EXAMPLE), "--json", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    raw = out.read_text(encoding="ascii")  # ASCII only
    data = json.loads(raw)
    assert isinstance(data["score"], float) and data["score"] == 31.0
    assert isinstance(data["execution_time"], int)
    assert data["output_format"] == "md" and data["stdout_visibility"] == "hidden"
    assert len(data["tests"]) == 8
    for test in data["tests"]:
        assert set(test["extra_data"]) == {"question", "misconceptions", "status"}
        assert test["extra_data"]["status"] in STATUSES
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert test["output_format"] == "md" and test["name"] and test["number"]
    by_number = {t["number"]: t for t in data["tests"]}
    assert by_number["1.c"]["extra_data"] == {"question": "1c", "misconceptions": ["blanket.from-covariance"],
                                              "status": "partial"}
    assert by_number["2.b"]["extra_data"]["misconceptions"] == ["em.converges-to-data"]
    assert by_number["2.b"]["name"] == "2(b) Does EM converge to the data points?"
    assert sum(t["score"] for t in data["tests"]) == data["score"]


def test_html_report_escapes_student_text(tmp_path):
    sub = tmp_path / "hw.md"
    sub.write_text("# Problem 1\n\n## (a)\n\nNo <script>alert(1)</script> <img src=x onerror=alert(2)>, "
                   "$\\Sigma_{34} = 0$ so they are uncorrelated.\n", encoding="utf-8")
    html = tmp_path / "report.html"
    assert main([str(sub), "--rubric", "gaussian-em", "--html", str(html), "--quiet"]) == 0
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "Total: 5 / 40" in page


@pytest.mark.parametrize(
    "content,name,code,words",
    [
        (b"", "empty.md", 1, "the file is empty"),
        (b"%PDF-1.4 binary", "hw.ipynb", 1, "not a notebook"),
        (b"Dear diary, nothing about this course.", "diary.md", 1, "could not tell which homework"),
    ],
)
def test_nothing_gradable_exits_1_with_a_reason(tmp_path, capsys, content, name, code, words):
    sub = tmp_path / name
    sub.write_bytes(content)
    out = tmp_path / "results.json"
    assert main([str(sub), "--json", str(out)]) == code
    assert words in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="ascii"))
    assert data["score"] == 0 and words in data["output"]


def test_unreadable_file_with_a_rubric_lists_every_question_at_zero(tmp_path):
    sub = tmp_path / "empty.md"
    sub.write_bytes(b"")
    out = tmp_path / "results.json"
    assert main([str(sub), "--rubric", "gaussian-em", "--json", str(out), "--quiet"]) == 1
    data = json.loads(out.read_text(encoding="ascii"))
    assert len(data["tests"]) == 8
    assert {t["extra_data"]["status"] for t in data["tests"]} == {"unreadable"}


def test_unknown_rubric_is_a_usage_error(tmp_path, capsys):
    assert main([str(EXAMPLE), "--rubric", "no-such-homework"]) == 2
    assert "no rubric named 'no-such-homework'" in capsys.readouterr().err


def test_regrading_gives_identical_json(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        assert main([str(EXAMPLE), "--json", str(out), "--quiet"]) == 0
    a, b = (json.loads(p.read_text()) for p in (first, second))
    a.pop("execution_time"), b.pop("execution_time")
    assert a == b


def test_a_broken_rubric_file_does_not_stop_recognition(tmp_path, monkeypatch):
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / "gaussian-em.yaml").write_text((ROOT / "rubrics" / "gaussian-em.yaml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    (rubrics / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "gaussian_em.py").write_text(
        (ROOT / "solutions" / "gaussian_em.py").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("GRADER_RUBRICS_DIR", str(rubrics))
    from grader.pipeline import grade as grade_file

    result = grade_file(EXAMPLE)
    assert result.rubric_id == "gaussian-em"
    assert any("Skipped rubric files that could not be loaded: broken.yaml" in n for n in result.notes)


@pytest.mark.parametrize(
    "text,keywords,found",
    [
        ("The Markov blanket of X_2", ("Markov blanket", "K-means"), ["Markov blanket"]),
        ("the MARKOV BLANKET", ("Markov blanket",), ["Markov blanket"]),
        ("kmeans-like, not K-means", ("K-means",), ["K-means"]),
        ("EMbedding", ("EM",), []),  # a whole word only
        ("Tr(XA) and (XA)", ("(XA)",), ["(XA)"]),  # punctuation at the edge of a clue
        ("X_4X_4", ("X_4",), []),
    ],
)
def test_clues_are_whole_words(text, keywords, found):
    from grader.recognize import clues_found

    assert clues_found(text, keywords) == found


def test_clues_read_from_the_header_match_the_whole_file():
    from grader.recognize import read_clues
    from grader.rubric import load_rubric

    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        clues, rubric = read_clues(path), load_rubric(path)
        assert (clues.id, clues.title, clues.keywords, clues.min_hits) == (
            rubric.id, rubric.title, rubric.keywords, rubric.min_hits)
