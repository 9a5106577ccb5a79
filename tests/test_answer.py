"""The extract stage: one cached, typed Answer per question, read by every check and detector of the question."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import grader.extract.phrases as phrases
from grader.checkers import registry
from grader.checkers.registry import Param, checker
from grader.extract.answer import Answer, MatrixReading, extract
from grader.grade import grade_document
from grader.model import Block, BlockKind, Region
from grader.read import read_text
from grader.rubric import RubricError, load_rubric

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = textwrap.dedent("""\
    ## 1(a)
    No: $\\Sigma_{34} = 0$, so X3 and X4 are uncorrelated.

    ## 1(b)
    No. Q_34 = 0 and we condition on all the other variables, so they are conditionally uncorrelated.

    ## 1(d)
    $$\\mathrm{Cov}(Y) = A \\Sigma A^T = \\begin{bmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{bmatrix}$$
    """)


def _region(*blocks: Block) -> Region:
    return Region("q", tuple(blocks))


def test_an_answer_keeps_its_blocks_and_where_each_starts():
    answer = extract(_region(Block(BlockKind.PROSE, "First", "line 1"), Block(BlockKind.MATH, "x = 1", "line 3"),
                             Block(BlockKind.OUTPUT, "[1 2]", "cell 2 output")))
    assert answer.text == "First\n\n$$\nx = 1\n$$\n\n[1 2]"
    assert [answer.text[s:s + 3] for s in answer.block_starts] == ["Fir", "$$\n", "[1 "]
    assert answer.block_at(answer.text.index("x = 1")).origin == "line 3"
    assert [b.origin for b in answer.outputs()] == ["cell 2 output"]


def test_a_reading_is_computed_once_per_parameter_set():
    answer = Answer.from_text("No, they are not correlated: $\\Sigma_{34} = 0$.")
    first = answer.phrases(["sigma_34 eq 0"])
    assert answer.phrases(["sigma_34 eq 0"]) is first  # cached: the same object
    assert answer.phrases(["uncorrelated"]) is not first  # another parameter set, another reading
    assert answer.sentences() is answer.sentences()
    assert first[0].pattern == "sigma_34 eq 0" and first[0].negated is False


def test_every_check_of_a_graded_document_tokenises_each_answer_once(monkeypatch):
    calls: list[str] = []
    real = phrases.parse_sentences

    def counting(text, *args):
        calls.append(text)
        return real(text, *args)

    monkeypatch.setattr(phrases, "parse_sentences", counting)
    result = grade_document(read_text(ANSWERS, "a.md"), load_rubric("gaussian-em"))
    assert [q.score for q in result.questions if q.question_id in ("1a", "1b", "1d")] == [5.0, 5.0, 5.0]
    # 1a and 1b each run a dozen phrase and stance checks and detectors; each answer is split into sentences once
    answers = [c for c in calls if "Sigma_{34}" in c or "Q_34" in c]
    assert len(answers) == len(set(answers)) == 2


def test_checks_and_detectors_share_the_final_matrix(monkeypatch):
    seen: dict[tuple, set[int]] = {}  # (answer, labels) → ids of the readings it gave
    real = Answer.matrix

    def recording(self, *args):
        reading = real(self, *args)
        seen.setdefault((self, args), set()).add(id(reading))  # the key keeps the answer alive: ids stay unique
        return reading

    monkeypatch.setattr(Answer, "matrix", recording)
    result = grade_document(read_text(ANSWERS, "a.md"), load_rubric("gaussian-em"))
    assert by_id(result)["1d"].score == 5.0
    # 1d's check and its matrix detectors (used precision, missing Var(X4), sign …) ask for the final matrix again
    # and again; each answer and set of labels is read once, and every asker gets that one reading
    asked = sum(1 for _ in seen)
    assert asked >= 2 and all(len(ids) == 1 for ids in seen.values())


def by_id(result):
    return {q.question_id: q for q in result.questions}


def test_the_rubric_typos_reach_every_reading_of_the_answer():
    doc = read_text("## 1(a)\nNo: $\\sum_{34} = 0$, so they are uncorrelated.\n", "a.md")
    rubric = load_rubric("gaussian-em")
    assert rubric.typos == {"sum": "sigma"}
    reason = next(c for c in by_id(grade_document(doc, rubric))["1a"].checks if c.check_id == "reason")
    assert reason.earned == reason.points  # "sigma_34 eq 0": the Σ34 = 0 reason, typed with \sum
    plain = Answer.from_text("No: $\\sum_{34} = 0$.")
    assert [t.text for t in plain.tokens()][:3] == ["no", ":", "sum"]


def test_readings_are_typed_records_not_dicts():
    answer = Answer.from_text("$$\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}$$")  # rows of different lengths
    reading = answer.matrix()
    assert isinstance(reading, MatrixReading) and reading.value is None and "row" in reading.error
    with pytest.raises(AttributeError):
        reading.value = 1  # frozen


def test_a_checker_whose_signature_disagrees_with_its_declaration_is_refused(own_registry):
    with pytest.raises(ValueError, match="must take"):
        @checker("bad_signature_example", limit=Param("number"))
        def bad(answer, *, limit, extra):  # 'extra' is not declared
            return None
    assert registry.get("bad_signature_example") is None


@pytest.fixture
def own_registry(monkeypatch):
    """Checkers registered by a test stay in that test."""
    registry.all_checkers()
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))


def test_a_rubric_plugin_registers_a_course_checker(tmp_path, monkeypatch, own_registry):
    (tmp_path / "course_checkers_example.py").write_text(textwrap.dedent('''\
        from grader.checkers.registry import Param, checker
        from grader.model import Outcome

        @checker("unit_named_example", unit=Param("str"))
        def unit_named(answer, *, unit):
            hit = next((h for h in answer.phrases([unit]) if not h.negated), None)
            return Outcome(1.0, "", hit.snippet) if hit else Outcome(0.0, "no unit")
        '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    rubric = tmp_path / "units.yaml"
    rubric.write_text(textwrap.dedent('''\
        id: units
        title: Units
        solutions: gaussian_em
        plugins: [course_checkers_example]
        recognize: {keywords: [entropy, nats], min_hits: 1}
        questions:
          - id: q1
            number: "1"
            title: "1. The unit of entropy"
            points: 2
            locate: {problem: 1}
            checks:
              - {id: unit, points: 2, checker: unit_named_example, params: {unit: nats}}
        '''))
    doc = read_text("## Question 1\nEntropy with the natural log is measured in nats.\n", "a.md")
    assert grade_document(doc, load_rubric(str(rubric))).questions[0].score == 2.0
    broken = tmp_path / "broken.yaml"
    broken.write_text(rubric.read_text().replace("[course_checkers_example]", "[no_such_checkers_module]"))
    with pytest.raises(RubricError, match="cannot import checker module 'no_such_checkers_module'"):
        load_rubric(str(broken))


def test_an_entry_point_module_registers_checkers(monkeypatch, tmp_path, own_registry):
    (tmp_path / "entry_checkers_example.py").write_text(textwrap.dedent('''\
        from grader.checkers.registry import checker
        from grader.model import Outcome

        @checker("always_example")
        def always(answer):
            return Outcome(1.0, "")
        '''))
    monkeypatch.syspath_prepend(str(tmp_path))

    class EntryPoint:
        def load(self):
            import entry_checkers_example
            return entry_checkers_example

    import importlib.metadata
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group: [EntryPoint()] if group == "grader.checkers" else [])
    monkeypatch.setattr(registry, "_entry_points_loaded", False)
    spec = registry.get("always_example")
    assert spec is not None and registry.call(spec, "anything", {}).fraction == 1.0


def test_the_command_line_json_and_the_autograder_results_agree_for_a_held_back_reference(tmp_path):
    rubric = tmp_path / "held-back.yaml"
    rubric.write_text((ROOT / "rubrics" / "gaussian-em.yaml").read_text()
                      .replace("show_expected: visible", "show_expected: after_due_date"))
    out = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "grader", str(ROOT / "examples" / "gaussian-em-sample.md"),
                    "--rubric", str(rubric), "--json", str(out), "--quiet"], check=True, cwd=ROOT)
    cli = json.loads(out.read_text())
    from grader import pipeline
    from grader.gradescope.results import results_for

    autograder = results_for(pipeline.grade(ROOT / "examples" / "gaussian-em-sample.md", str(rubric)))
    assert [t["number"] for t in cli["tests"]] == [t["number"] for t in autograder["tests"]]
    assert any(t["number"].endswith(".ref") and t["visibility"] == "after_due_date" for t in cli["tests"])
    assert [t["output"] for t in cli["tests"]] == [t["output"] for t in autograder["tests"]]


def test_a_code_cell_defines_nothing_of_the_answer():
    # "K = B @ B.T + …" in a code cell builds test data; the answer's K is the course's
    region = Region("q3-cov", (Block(BlockKind.PROSE, "Let $P = (K^{-1} + L^T \\Sigma^{-1} L)^{-1}$.", "cell 1"),
                               Block(BlockKind.CODE, "K = B @ B.T + d * np.eye(d)\nP = np.linalg.inv(K)", "cell 2")))
    own = extract(region).definitions({"K": "spd(d)", "L": "matrix(n, d)", "Sigma": "spd(n)"}, 10_000)
    assert own is not None and "K" not in own and own.get("P", "").startswith("(K^{-1}")
