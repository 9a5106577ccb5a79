"""Authoring: template notebooks built from rubrics, what the grader makes of them as students edit them, and
``selftest``'s verdicts (model answers, filled and empty templates, broken rubrics)."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.authoring.selftest import answers_by_question, find_model_answer, selftest_command
from grader.authoring.template import PLACEHOLDER, build_template, heading, question_groups, write_template
from grader.pipeline import grade as grade_file
from grader.model import Status
from grader.read import read_submission
from grader.read.template_cells import question_tags, without_placeholder
from grader.rubric import load_rubric
from grader.rubric_files import REPO_ROOT, available_rubrics

RUBRICS = sorted(available_rubrics())
MODEL_ANSWERS = REPO_ROOT / "solutions" / "model_answers"


def cells_of(nb, prefix: str) -> list:
    return [c for c in nb.cells if c.id.startswith(prefix)]


def write(nb, path: Path) -> Path:
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def as_dict(nb) -> dict:
    """A notebook as the JSON a student's file holds, each cell's source one string."""
    data = json.loads(nbformat.writes(nb))
    for c in data["cells"]:
        c["source"] = "".join(c["source"])
    return data


def filled(rubric_name: str) -> dict:
    """The template with each question's part of the model answer in its answer cell."""
    rubric = load_rubric(rubric_name)
    answers = answers_by_question(read_submission(find_model_answer(rubric, MODEL_ANSWERS)), rubric)
    return as_dict(build_template(rubric, answers))


def by_question(result):
    return {q.question_id: q for q in result.questions}


# ---------------------------------------------------------------- the template itself
def test_every_rubric_has_a_model_answer():
    assert {"gaussian-em", "basic-knowledge", "bayes-linreg"} <= set(RUBRICS)
    for name in RUBRICS:
        assert find_model_answer(load_rubric(name), MODEL_ANSWERS) is not None, name


@pytest.mark.parametrize("name", RUBRICS)
def test_template_has_title_statements_and_tagged_answer_cells(name):
    rubric = load_rubric(name)
    nb = build_template(rubric)
    nbformat.validate(nb)
    groups = question_groups(rubric)
    assert nb.cells[0].source.startswith(f"# {rubric.title}\n") and nb.cells[0].metadata == {}
    assert len(nb.cells) == 1 + 2 * len(groups)
    assert len({c.id for c in nb.cells}) == len(nb.cells)
    assert nb.metadata["grader"] == {"rubric": rubric.id}
    for n, group in enumerate(groups, 1):
        statement, answer = nb.cells[2 * n - 1], nb.cells[2 * n]
        ids = [q.id for q in group]
        assert statement.cell_type == answer.cell_type == "markdown"
        assert statement.source.startswith("## " + " / ".join(heading(q) for q in group))
        assert group[0].statement.strip() in statement.source
        assert statement.metadata["tags"] == [f"statement:{i}" for i in ids]
        assert answer.metadata["tags"] == [f"answer:{i}" for i in ids]
        assert answer.source == PLACEHOLDER
        assert answer.metadata["grader"] == {"question": ids if len(ids) > 1 else ids[0], "placeholder": PLACEHOLDER}


def test_questions_answered_together_share_one_answer_cell():
    nb = build_template(load_rubric("basic-knowledge"))
    shared = [c for c in cells_of(nb, "answer-") if len(c.metadata["tags"]) > 1]
    assert [c.metadata["tags"] for c in shared] == [["answer:q3-mean", "answer:q3-cov"]]
    assert len(cells_of(nb, "statement-")) == 4


@pytest.mark.parametrize("title,number,problem,part,expected", [
    ("1(a) Are X3 and X4 correlated?", "1.a", 1, "a", "1(a) Are X3 and X4 correlated?"),
    ("Q1 ∂Tr(XA)/∂X", "1", 1, None, "Q1 ∂Tr(XA)/∂X"),
    ("Posterior mean", "2.b", 2, "b", "2.b Posterior mean"),
])
def test_headings_name_each_question_once(title, number, problem, part, expected):
    from grader.rubric import Locate, Question

    assert heading(Question("x", number, title, 5, Locate(problem, part))) == expected


def test_the_command_writes_the_same_notebook_every_time(tmp_path):
    first, second = tmp_path / "a" / "hw.ipynb", tmp_path / "b.ipynb"
    for path in (first, second):
        run = subprocess.run([sys.executable, "-m", "grader", "template", "--rubric", "bayes-linreg", "-o", str(path)],
                             capture_output=True, text=True, cwd=REPO_ROOT)
        assert run.returncode == 0, run.stderr
    assert "5 questions" in run.stdout
    assert first.read_bytes() == second.read_bytes()
    assert nbformat.read(str(first), as_version=4).cells[0].source.startswith("# Bayesian linear regression")


def test_an_unknown_rubric_is_a_usage_error(tmp_path, capsys):
    from grader.authoring.template import template_command

    assert template_command(["--rubric", "no-such-homework", "-o", str(tmp_path / "x.ipynb")]) == 2
    assert "no rubric named 'no-such-homework'" in capsys.readouterr().err
    assert not (tmp_path / "x.ipynb").exists()


# ---------------------------------------------------------------- grading templates
@pytest.mark.parametrize("name", RUBRICS)
def test_an_untouched_template_grades_to_zero_with_no_answer(name, tmp_path):
    path = write_template(load_rubric(name), tmp_path / "empty.ipynb")
    result = grade_file(path, name)
    assert result.graded and result.score == 0
    for q in result.questions:
        assert q.status is Status.NOT_FOUND and q.summary.startswith("No answer found"), q.question_id
        assert not q.misconceptions


@pytest.mark.parametrize("name", RUBRICS)
def test_a_template_filled_with_the_model_answer_earns_full_marks(name, tmp_path):
    result = grade_file(write(filled(name), tmp_path / "filled.ipynb"), name)
    assert result.score == result.max_score > 0
    for q in result.questions:
        assert q.status is Status.CORRECT and not q.misconceptions, (q.question_id, q.summary)
        assert q.how_found == "template cell tags"


def cell(nb: dict, cell_id: str) -> dict:
    return next(c for c in nb["cells"] if c["id"] == cell_id)


def untagged(source: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def add_below_placeholder(nb, n):
    """The student left the answer cell alone and wrote in a new cell under it."""
    answer = cell(nb, f"answer-{n}")
    text, answer["source"] = answer["source"], PLACEHOLDER
    nb["cells"].insert(nb["cells"].index(answer) + 1, untagged(text, "added"))


def insert_above_answer_cell(nb, n):
    """A new cell between the statement and the (untouched) answer cell."""
    answer = cell(nb, f"answer-{n}")
    text, answer["source"] = answer["source"], PLACEHOLDER
    nb["cells"].insert(nb["cells"].index(answer), untagged(text, "inserted"))


def split_answer_cell(nb, n):
    """The answer cell split in two: the second half has no tags."""
    answer = cell(nb, f"answer-{n}")
    head, _, tail = answer["source"].partition("\n\n")
    answer["source"] = head
    nb["cells"].insert(nb["cells"].index(answer) + 1, untagged(tail, "split"))


def move_to_the_end(nb, n):
    """The answer cell moved below every other question."""
    answer = cell(nb, f"answer-{n}")
    nb["cells"].remove(answer)
    nb["cells"].append(answer)


def move_to_the_top(nb, n):
    """The answer cell moved above every statement."""
    answer = cell(nb, f"answer-{n}")
    nb["cells"].remove(answer)
    nb["cells"].insert(1, answer)


def keep_the_placeholder_line(nb, n):
    """The answer typed under the placeholder, in the same cell."""
    answer = cell(nb, f"answer-{n}")
    answer["source"] = f"{PLACEHOLDER}\n\n{answer['source']}"


def type_into_the_statement_cell(nb, n):
    """The answer typed into the statement cell, under the question's text."""
    answer, statement = cell(nb, f"answer-{n}"), cell(nb, f"statement-{n}")
    statement["source"] += "\n\n" + answer["source"]
    answer["source"] = PLACEHOLDER


EDITS = [add_below_placeholder, insert_above_answer_cell, split_answer_cell, move_to_the_end, move_to_the_top,
         keep_the_placeholder_line, type_into_the_statement_cell]
BAYES_CELLS = {1: "1a", 2: "1b", 3: "2a", 4: "2b", 5: "3"}
FILLED_BAYES = filled("bayes-linreg")


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
@pytest.mark.parametrize("n", sorted(BAYES_CELLS))
def test_answers_are_found_when_students_edit_cells(edit, n, tmp_path):
    nb = copy.deepcopy(FILLED_BAYES)
    edit(nb, n)
    got = by_question(grade_file(write(nb, tmp_path / "edited.ipynb"), "bayes-linreg"))
    assert all(q.status is Status.CORRECT and q.score == q.points for q in got.values()), \
        {q.question_id: q.summary for q in got.values() if q.status is not Status.CORRECT}


def test_an_emptied_answer_cell_is_no_answer_and_the_others_stay(tmp_path):
    nb = filled("gaussian-em")
    cell(nb, "answer-3")["source"] = PLACEHOLDER
    got = by_question(grade_file(write(nb, tmp_path / "partly.ipynb"), "gaussian-em"))
    assert got["1c"].status is Status.NOT_FOUND and got["1c"].score == 0
    assert all(q.status is Status.CORRECT for qid, q in got.items() if qid != "1c")


def test_a_statement_cell_printed_before_a_rubric_edit_is_still_the_statement(tmp_path):
    nb = as_dict(build_template(load_rubric("bayes-linreg")))
    statement = cell(nb, "statement-1")
    source = statement["source"]
    statement["source"] = source.replace("Show that the posterior", "Prove that the posterior")
    assert statement["source"] != source
    got = by_question(grade_file(write(nb, tmp_path / "old.ipynb"), "bayes-linreg"))
    assert got["1a"].status is Status.NOT_FOUND and got["1a"].summary.startswith("No answer found")


# ---------------------------------------------------------------- the cell metadata the reader understands
@pytest.mark.parametrize("metadata,expected", [
    ({"tags": ["answer:1a"]}, (("1a",), "")),
    ({"tags": ["question: 2b", "other"]}, (("2b",), "")),
    ({"tags": ["statement:1a"], "grader": {"statement": "1a"}}, (("1a",), "statement")),
    ({"grader": {"question": ["q3-mean", "q3-cov"]}}, (("q3-mean", "q3-cov"), "")),
    ({"grader": {"question": 4}}, (("4",), "")),
    ({"grader": {"question": True}, "tags": ["answer:"]}, ((), "")),
    ({"tags": "answer:1a"}, ((), "")),
    (None, ((), "")),
])
def test_cell_metadata_gives_question_ids_and_role(metadata, expected):
    assert question_tags(metadata) == expected


def test_only_the_declared_placeholder_is_removed():
    meta = {"grader": {"placeholder": PLACEHOLDER}}
    assert without_placeholder(f"  {PLACEHOLDER}  ", meta).strip() == ""
    assert without_placeholder(f"{PLACEHOLDER}\n$A^T$", meta) == "$A^T$"
    assert without_placeholder(f"{PLACEHOLDER}\n$A^T$", {}) == f"{PLACEHOLDER}\n$A^T$"
    assert without_placeholder("*Your answer here:* $A^T$", meta) == "*Your answer here:* $A^T$"


def test_a_placeholder_without_its_metadata_is_read_as_text(tmp_path):
    nb = as_dict(build_template(load_rubric("bayes-linreg")))
    del cell(nb, "answer-1")["metadata"]["grader"]["placeholder"]
    got = by_question(grade_file(write(nb, tmp_path / "t.ipynb"), "bayes-linreg"))
    assert "Your answer here" in got["1a"].answer_excerpt and not got["1a"].summary.startswith("No answer found")
    assert got["1b"].answer_excerpt == "" and got["1b"].summary.startswith("No answer found")


# ---------------------------------------------------------------- selftest
def test_selftest_passes_on_the_repository(capsys):
    assert selftest_command([]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = {tuple(re.split(r"\s{2,}", line)[:3]) for line in out[1:-1]}
    checks = ("rubric", "model answer", "filled template", "empty template")
    assert rows == {(rubric, check, "ok") for rubric in RUBRICS for check in checks}
    assert out[-1] == f"{4 * len(RUBRICS)} of {4 * len(RUBRICS)} checks passed"


def test_selftest_is_what_ci_runs():
    run = subprocess.run([sys.executable, "-m", "grader", "selftest", "bayes-linreg"], capture_output=True, text=True,
                         cwd=REPO_ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 of 4 checks passed" in run.stdout
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("-m grader selftest") < ci.index("-m pytest")


def course_copy(tmp_path: Path, rubric_text: str, model_answer: str | None) -> Path:
    """A course folder of its own: rubrics/, solutions/ (the bayes-linreg module) and model_answers/."""
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "solutions" / "model_answers").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "solutions" / "bayes_linreg.py", tmp_path / "solutions" / "bayes_linreg.py")
    rubric = tmp_path / "rubrics" / "bayes-linreg.yaml"
    rubric.write_text(rubric_text, encoding="utf-8")
    if model_answer is not None:
        (tmp_path / "solutions" / "model_answers" / "bayes-linreg.md").write_text(model_answer, encoding="utf-8")
    return rubric


RUBRIC_TEXT = (REPO_ROOT / "rubrics" / "bayes-linreg.yaml").read_text(encoding="utf-8")
MODEL_TEXT = (MODEL_ANSWERS / "bayes-linreg.md").read_text(encoding="utf-8")


def test_selftest_passes_on_a_course_folder(tmp_path, capsys):
    assert selftest_command([str(course_copy(tmp_path, RUBRIC_TEXT, MODEL_TEXT))]) == 0
    assert "4 of 4 checks passed" in capsys.readouterr().out


def test_a_broken_rubric_makes_selftest_fail(tmp_path, capsys):
    broken = RUBRIC_TEXT.replace("checker: matrix\n", "checker: matrixx\n", 1)
    assert broken != RUBRIC_TEXT
    assert selftest_command([str(course_copy(tmp_path, broken, MODEL_TEXT))]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "unknown checker 'matrixx'" in out and "0 of 1 checks passed" in out


def test_a_model_answer_that_loses_points_makes_selftest_fail(tmp_path, capsys):
    wrong = MODEL_TEXT.replace(r"\alpha = \lambda \sigma^2 = 2 \times 0.5 = 1", r"\alpha = \lambda = 2")
    assert wrong != MODEL_TEXT
    assert selftest_command([str(course_copy(tmp_path, RUBRIC_TEXT, wrong))]) == 1
    out = capsys.readouterr().out
    failing = [line for line in out.splitlines() if "FAIL" in line]
    assert [line.split()[1:3] for line in failing] == [["model", "answer"], ["filled", "template"]]
    assert "- 3 3/5 (partial) [map.penalty-lambda]: α = λ forgets σ²" in out


def test_a_missing_model_answer_makes_selftest_fail(tmp_path, capsys):
    assert selftest_command([str(course_copy(tmp_path, RUBRIC_TEXT, None))]) == 1
    out = capsys.readouterr().out
    assert "no bayes-linreg.md" in out and "empty template   ok" in out


def test_selftest_usage_errors_exit_2():
    with pytest.raises(SystemExit) as exc:
        selftest_command(["--no-such-option"])
    assert exc.value.code == 2


# ---------------------------------------------------------------- documentation
def test_readme_and_guide_document_authoring():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    guide = (REPO_ROOT / "docs" / "writing-a-rubric.md").read_text(encoding="utf-8")
    authoring = readme.split("## Authoring", 1)[1].split("\n## ", 1)[0]
    for text in ("grader template", "grader selftest", "docs/writing-a-rubric.md"):
        assert text in authoring, text
    for text in ("python -m grader template", "selftest", "bayes-linreg", "statement:", "placeholder"):
        assert text in guide, text
