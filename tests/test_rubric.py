"""Rubric files are validated when loaded: every problem is named with its file and key."""

from __future__ import annotations

import copy
import re
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


def _unless(d):
    d["questions"][0]["checks"][0]["unless"] = "limit_claimed"


def _section(d):
    d["questions"][0]["locate"]["section"] = "part one"


@pytest.mark.parametrize(
    "change,key,words",
    [
        (_set_checker, "question 1a: checks[0].checker", "unknown checker 'stanse'"),
        (_drop_param, "question 1a: checks[0].params.expected", "missing"),
        (_wrong_type, "question 1d: checks[0].params.tol", "expected number"),
        (_unknown_ref, "question 2a: checks[0].params.expected", "unknown reference 'em_one_stepp'"),
        (_unknown_param, "question 1a: checks[0].params.polarity", "unknown parameter"),
        (_points, "question 1a: checks", "add up to 5"),
        (_unknown_key, "question 1b: hint", "unknown key"),
        (_bad_misconception, "question 1c: misconceptions[0].detect.all[0].params.expected", "expected int-set"),
        (_placeholder, "question 1a: expected", "unknown placeholder 'no_such_value'"),
        (_duplicate, "questions", "used twice"),
        (_unless, "question 1a: checks[0].unless", "expected a list of checker calls"),
        (_section, "question 1a: locate.section", "expected a section number with an optional part letter"),
    ],
)
def test_problems_name_the_file_and_the_key(tmp_path, good, change, key, words):
    path = write(tmp_path, mutate(good, change))
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert str(path) in message
    line = next(line for line in message.splitlines() if f"{key}: " in line)
    assert re.match(r"  line \d+: ", line) and words in line, message


def test_a_section_gives_the_handouts_place(tmp_path, good):
    data = mutate(good, lambda d: (d["questions"][0]["locate"].update(section="1b"),
                                   d["questions"][1]["locate"].update(section="2")))
    questions = load_rubric(write(tmp_path, data)).questions
    assert questions[0].locate.section == (1, "b") and questions[1].locate.section == (2,)
    assert questions[2].locate.section == ()


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


def test_a_mistyped_checker_or_reference_gets_a_suggestion(tmp_path, good):
    data = mutate(good, lambda d: (_set_checker(d), _unknown_ref(d)))
    with pytest.raises(RubricError) as err:
        load_rubric(write(tmp_path, data))
    message = str(err.value)
    assert "unknown checker 'stanse' (did you mean 'stance'?)" in message
    assert "unknown reference 'em_one_stepp' (did you mean 'em_one_step'?)" in message


def test_the_known_references_are_listed_once_however_many_are_wrong(tmp_path, good):
    def break_every_ref(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, dict) and set(v) == {"ref"}:
                    node[k] = {"ref": v["ref"] + "_typo"}
                else:
                    break_every_ref(v)
        elif isinstance(node, list):
            for v in node:
                break_every_ref(v)

    data = mutate(good, break_every_ref)
    with pytest.raises(RubricError) as err:
        load_rubric(write(tmp_path, data))
    message = str(err.value)
    assert message.count("unknown reference") > 10
    assert message.count("em_one_step,") == 1  # the list of names, once
    assert message.count("solutions module's references") == 1


def test_problems_give_the_line_of_the_file(tmp_path):
    path = write(tmp_path, {})
    path.write_text(
        "id: tiny\n"
        "title: Tiny\n"
        "solutions: gaussian_em\n"
        "recognize: {keywords: [tiny]}\n"
        "questions:\n"
        "  - id: only\n"
        "    points: 1\n"
        "    locate: {problem: 1}\n"
        "    checks:\n"
        "      - id: value\n"
        "        points: 1\n"
        "        checker: values\n"
        "        params:\n"
        "          variables: {mu1: [\"mu_1\", \"mu1, mu2\"]}\n"
        "          expected: {ref: em_one_stepp}\n",
        encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    lines = str(err.value).splitlines()[1:]
    assert "  line 15: question only: checks[0].params.expected: unknown reference 'em_one_stepp'" in lines[0]


def test_a_variable_spelling_that_can_never_match_is_refused(tmp_path, good):
    def spell(d, spelling):
        d["questions"][4]["checks"][0]["params"]["variables"]["mu1"].append(spelling)

    for bad, why in [("mu1, mu2", "statements are cut"), ("{}", "nothing is left"), ("x = y", "statements are cut")]:
        with pytest.raises(RubricError) as err:
            load_rubric(write(tmp_path, mutate(good, lambda d: spell(d, bad))))
        assert f"the spelling {bad!r} can never match an answer: {why}" in str(err.value)
        assert "question 2a: checks[0].params.variables.mu1: " in str(err.value)
    # a power is part of a name now, so a variance can be spelt the way students write it
    rubric = load_rubric(write(tmp_path, mutate(good, lambda d: spell(d, "\\sigma^2"))))
    assert rubric.question("2a").checks


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(bad)
    assert "<unicode string>" not in str(err.value)
    assert f'in "{bad}", line 2' in str(err.value)


def test_settings_typos_must_be_command_letter_names(tmp_path):
    from grader.rubric import RubricError, load_rubric

    source = (Path(__file__).resolve().parent.parent / "rubrics" / "gaussian-em.yaml").read_text()
    broken = tmp_path / "typos.yaml"
    broken.write_text(source.replace("typos: {sum: sigma}", "typos: {'\\\\sum': [sigma]}"))
    with pytest.raises(RubricError, match="settings.typos"):
        load_rubric(str(broken))
