"""Rubric files are validated when loaded: every problem is named with its file and key."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from grader.cli import main
from grader.rubric import RubricError, load_rubric, parse_rubric

RUBRICS = Path(__file__).resolve().parents[1] / "rubrics"


@pytest.fixture(scope="module")
def good():
    return yaml.safe_load((RUBRICS / "gaussian-em.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict) -> Path:
    """A rubric file beside a solutions/ folder, as in the repository."""
    folder = tmp_path / "rubrics"
    folder.mkdir(exist_ok=True)
    (tmp_path / "solutions").mkdir(exist_ok=True)
    src = RUBRICS.parent / "solutions" / "gaussian_em.py"
    (tmp_path / "solutions" / "gaussian_em.py").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def mutate(good: dict, change) -> dict:
    data = copy.deepcopy(good)
    change(data)
    return data


def _set_checker(d):
    d["questions"][0]["checks"][0]["checker"] = "stanse"


def _drop_param(d):
    del d["questions"][0]["checks"][0]["params"]["expected"]


def _wrong_type(d):
    d["questions"][3]["checks"][0]["params"]["tol"] = "small"


def _unknown_ref(d):
    d["questions"][4]["checks"][0]["params"]["expected"] = {"ref": "em_one_stepp"}


def _unknown_param(d):
    d["questions"][0]["checks"][0]["params"]["polarity"] = True


def _points(d):
    d["questions"][0]["points"] = 6


def _unknown_key(d):
    d["questions"][1]["hint"] = "look at Q"


def _bad_misconception(d):
    d["questions"][2]["misconceptions"][0]["detect"] = {"checker": "set", "params": {"expected": "X1"}}


def _placeholder(d):
    d["questions"][0]["expected"] = "{{no_such_value}}"


def _duplicate(d):
    d["questions"][1]["id"] = "1a"


@pytest.mark.parametrize(
    "change,key,words",
    [
        (_set_checker, "questions[0].checks[0].checker", "unknown checker 'stanse'"),
        (_drop_param, "questions[0].checks[0].params.expected", "missing"),
        (_wrong_type, "questions[3].checks[0].params.tol", "expected number"),
        (_unknown_ref, "questions[4].checks[0].params.expected", "unknown reference 'em_one_stepp'"),
        (_unknown_param, "questions[0].checks[0].params.polarity", "unknown parameter"),
        (_points, "questions[0].checks", "add up to 5"),
        (_unknown_key, "questions[1].hint", "unknown key"),
        (_bad_misconception, "questions[2].misconceptions[0].detect.all[0].params.expected", "expected int-set"),
        (_placeholder, "questions[0].expected", "unknown placeholder 'no_such_value'"),
        (_duplicate, "questions", "used twice"),
    ],
)
def test_problems_name_the_file_and_the_key(tmp_path, good, change, key, words):
    path = write(tmp_path, mutate(good, change))
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert str(path) in message
    assert f"{key}: " in message and words in message, message


def test_all_problems_are_reported_at_once(tmp_path, good):
    data = mutate(good, lambda d: (_set_checker(d), _wrong_type(d), _unknown_ref(d)))
    with pytest.raises(RubricError) as err:
        load_rubric(write(tmp_path, data))
    assert "3 problem(s)" in str(err.value)


def test_a_broken_solutions_module_is_named(tmp_path, good):
    path = write(tmp_path, good)
    (tmp_path / "solutions" / "gaussian_em.py").write_text("raise RuntimeError('typo in Q')\n", encoding="utf-8")
    with pytest.raises(RubricError, match="cannot load solutions module 'gaussian_em'.*typo in Q"):
        load_rubric(path)


def test_not_a_mapping_and_bad_yaml(tmp_path):
    with pytest.raises(RubricError, match="must hold a mapping"):
        parse_rubric(["a"], tmp_path / "x.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RubricError, match="not valid YAML"):
        load_rubric(bad)


def test_references_replace_ref_params(good):
    rubric = load_rubric("gaussian-em")
    values = rubric.question("2a").checks[0].calls[0].params["expected"]
    assert values == pytest.approx(rubric.references["em_one_step"])
    assert "{{" not in rubric.question("1d").expected and "0.91" in rubric.question("1d").expected


def test_check_rubric_command(tmp_path, good, capsys):
    assert main(["check-rubric", "gaussian-em"]) == 0
    assert "8 questions" in capsys.readouterr().out
    path = write(tmp_path, mutate(good, _set_checker))
    assert main(["check-rubric", str(path)]) == 2
    assert "unknown checker 'stanse'" in capsys.readouterr().err


def test_unknown_rubric_name():
    with pytest.raises(RubricError, match="no rubric named 'nope'"):
        load_rubric("nope")
