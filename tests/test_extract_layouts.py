"""Reading answers written in layouts the other tests do not use: iteration-indexed names, starting values, positional
and French prose, plain-text chains, MATLAB-style and diag() matrices, matrices named as another quantity, and hand
computations that contradict the final matrix. Every text goes through normalize() first, as a reader's output does.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from grader.checkers import registry
from grader.extract.assignments import final_assignment
from grader.extract.matrices import final_matrix, find_matrices
from grader.extract.matrix_labels import entry_statements, label, names_other
from grader.extract.names import strip_iteration
from grader.textnorm import normalize

MU = {"mu1": ["\\mu_1", "mu1", "m_1"], "mu2": ["\\mu_2", "mu2", "m_2"]}
VECTOR = {"mu": ["mu1", "mu2"]}


def read(text: str) -> dict[str, float]:
    values, notes = final_assignment(normalize(text), MU, VECTOR)
    assert notes == []
    return values


# --- names with an iteration index ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, plain, kind", [
    ("\\mu_{1;t+1}", "\\mu_{1}", "later"),
    ("\\mu_{1,t+1}", "\\mu_{1}", "later"),
    ("\\mu_1^{(t+1)}", "\\mu_{1}", "later"),
    ("\\mu^{(1)}_{t=1}", "\\mu_{1}", "later"),
    ("\\mu_{1,\\text{new}}", "\\mu_{1}", "later"),
    ("mu1(t+1)", "mu1", "later"),
    ("\\mu_1^{(0)}", "\\mu_{1}", "initial"),
    ("\\mu_{1,0}", "\\mu_{1}", "initial"),
    ("\\mu_1^{old}", "\\mu_{1}", "initial"),
    ("mu1(0)", "mu1", "initial"),
    ("\\mu_1", "\\mu_{1}", None),
    ("mu(1)", "mu(1)", None),  # an index after an unindexed name, not a step
])
def test_strip_iteration(name, plain, kind):
    assert strip_iteration(name) == (plain, kind)


def test_a_power_is_not_an_iteration():
    assert "^{2}" in strip_iteration("\\mu_1^2")[0]


@pytest.mark.parametrize("text", [
    "$\\mu_{1;t+1} = -0.96$, $\\mu_{2;t+1} = 0.96$",
    "$\\mu^{(1)}_{t=1} = -0.96$, $\\mu^{(2)}_{t=1} = 0.96$",
    "mu1(t+1) = -0.96, mu2(t+1) = 0.96",
    "$\\mu_{1,\\text{new}} = -0.96$ and $\\mu_{2,\\text{new}} = 0.96$",
    "μ₁ ≈ −0.96, μ₂ ≈ 0.96",
    "μ1 = -0,96 et μ2 = 0,96",
])
def test_indexed_and_unicode_names_are_read(text):
    assert read(text) == {"mu1": -0.96, "mu2": 0.96}


@pytest.mark.parametrize("text, expected", [
    # a decimal comma closed by a full stop, or by the comma that starts the next statement
    ("Donc après une étape : mu1 = -0,71 et mu2 = 0,71.", {"mu1": -0.71, "mu2": 0.71}),
    ("mu1 = -0,35, mu2 = 0,35.", {"mu1": -0.35, "mu2": 0.35}),
    ("mu1 = 0,964 ; mu2 = -0,964", {"mu1": 0.964, "mu2": -0.964}),  # "0,964" cannot be a thousands separator
])
def test_decimal_commas_after_an_equals_sign(text, expected):
    assert read(text) == expected


def test_a_list_without_spaces_is_no_decimal_comma():
    assert read("mu1 = 3,5,0,0") != {"mu1": 3.5}


# --- starting values are not the answer ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "We start from $\\mu_1 = -2$ and $\\mu_2 = 2$; one step gives $\\mu_1 = -0.96$, $\\mu_2 = 0.96$.",
    "$\\mu_1 = -0.96$ and $\\mu_2 = 0.96$ (starting from $\\mu_1 = -2$, $\\mu_2 = 2$)",
    "$\\mu_1^{(0)} = -2$, $\\mu_2^{(0)} = 2$, then $\\mu_1^{(1)} = -0.96$, $\\mu_2^{(1)} = 0.96$; "
    "so $\\mu_1^{(0)} = -2$ was the start",
    "mu1 = mu2 = 0 is what we get\nmu = np.array([-2., 2.])\nprint(step(mu))",
])
def test_the_updated_value_is_read_not_the_initial_one(text):
    values = read(text)
    assert values in ({"mu1": -0.96, "mu2": 0.96}, {"mu1": 0.0, "mu2": 0.0})


def test_an_answer_that_only_restates_the_start_gives_no_value():
    assert read("Initialized at $\\mu_1 = -2$ and $\\mu_2 = 2$, EM moves both means.") == {}


def test_a_computed_value_from_an_e_step_is_not_a_start():
    assert read("From the E-step, $\\mu_1 = -0.96$ and $\\mu_2 = 0.96$.") == {"mu1": -0.96, "mu2": 0.96}


# --- prose and plain lines -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("the first mean moves to -0.96 and the second to 0.96", {"mu1": -0.96, "mu2": 0.96}),
    ("μ1 ends at 0 and μ2 ends at 0", {"mu1": 0.0, "mu2": 0.0}),
    ("μ1: the centroid lies at -1, μ2: the centroid lies at 1", {"mu1": -1.0, "mu2": 1.0}),
    ("mu1 vaut -1 et mu2 vaut 1", {"mu1": -1.0, "mu2": 1.0}),
    ("so EM stays where it is: fixed point mu1 = mu2 = 2.", {"mu1": 2.0, "mu2": 2.0}),
    ("3) mu1 = mu2 = 0 (all responsibilities are 1/2).", {"mu1": 0.0, "mu2": 0.0}),
    ("μ₁ = μ₂ = 0 | all γ = ½ so both means = data mean", {"mu1": 0.0, "mu2": 0.0}),
])
def test_prose_and_plain_lines(text, expected):
    assert read(text) == expected


def test_a_value_inside_a_list_keeps_its_commas():
    assert read("(mu1, mu2) = (-1,1)") == {"mu1": -1.0, "mu2": 1.0}


# --- matrices ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Cov(Y) = [ 0.914  -0.629 ; -0.629  0.657 ]", [[0.914, -0.629], [-0.629, 0.657]]),
    ("Cov(Y) = [0.91, -0.63; -0.63, 0.66]", [[0.91, -0.63], [-0.63, 0.66]]),
    ("Sigma = (1/4)*[2 1; 1 2]", [[0.5, 0.25], [0.25, 0.5]]),
    ("so diag(0.2, 0.2)", [[0.2, 0.0], [0.0, 0.2]]),
    ("$\\operatorname{diag}(5, 5)$", [[5.0, 0.0], [0.0, 5.0]]),
])
def test_more_matrix_forms(text, expected):
    (found,) = find_matrices(normalize(text))
    assert np.allclose(found.value, expected)


@pytest.mark.parametrize("text", [
    "$Q_{34,34} = \\begin{bmatrix}5&0\\\\0&5\\end{bmatrix}$, so the conditional covariance is diag(0.2, 0.2).",
    "The (3,4) block of Q is $\\begin{bmatrix}5&0\\\\0&5\\end{bmatrix}$. Its inverse is what we want.",
])
def test_a_matrix_named_as_another_quantity_is_not_the_answer(text):
    found = final_matrix(normalize(text), other_labels=("Q",))
    if found is not None:
        assert np.allclose(found.value, [[0.2, 0], [0, 0.2]])
    # without the rubric's names the block of Q is read as it always was
    assert final_matrix(normalize(text)) is not None


def test_an_operand_is_not_a_stated_matrix():
    text = normalize("$$\\operatorname{Cov} = (Q_{34,34})^{-1} = \\begin{bmatrix}5&0\\\\0&5\\end{bmatrix}^{-1}$$")
    assert final_matrix(text) is None
    text += " $$= \\begin{bmatrix}0.2&0\\\\0&0.2\\end{bmatrix}$$"
    assert np.allclose(final_matrix(text).value, [[0.2, 0], [0, 0.2]])


def test_labels():
    text = normalize("$Q_{34,34} = \\begin{bmatrix}5\\end{bmatrix}$ and $\\operatorname{Cov}(Y) = A\\Sigma A^T = "
                     "\\begin{bmatrix}1\\end{bmatrix}$")
    first, second = (f.start for f in find_matrices(text))
    assert label(text, first) == "Q_{34,34}" and names_other("Q_{34,34}", ["Q"])
    assert label(text, second) == "\\operatorname{Cov}(Y)" and not names_other(label(text, second), ["Q"])
    assert not names_other("(Q_{34,34})^{-1}", ["Q"])
    assert not names_other("\\Sigma_Y", ["Q", "A"])


def test_entry_statements_follow_a_chain_onto_the_next_line():
    text = normalize("Var(Y1) = 0.71 + 0.2 = 0.91\nCov(Y1, Y2) = Cov(X1,X2) - Cov(X4,X4)\n   = -0.43 - 0.2 = -0.63\n")
    assert [(e[0], e[1]) for e in entry_statements(text)] == [((1, 1), 0.91), ((1, 2), -0.63)]
    listed = normalize("Var(Y₁) = 0.71 + 0.2, Var(Y₂) = 0.66, Cov(Y₁,Y₂) = Cov(X₁,X₂) = −0.43")
    assert [(e[0], e[1]) for e in entry_statements(listed)] == [((2, 2), 0.66), ((1, 2), -0.43)]


def test_a_corrected_hand_computation_is_no_contradiction():
    text = "$Var(Y_2) = 0.46 - 0.2 = 0.26$ no wait, it adds: $0.46 + 0.2 = 0.66$\n[[ 0.91 -0.63]\n [-0.63  0.66]]"
    assert _matrix_check(text).confidence == 1.0


def _matrix_check(text: str, **params):
    spec = registry.get("matrix")
    return registry.call(spec, normalize(text), {"expected": [[0.91, -0.63], [-0.63, 0.66]], **params})


def test_a_hand_computation_that_contradicts_the_matrix_lowers_the_confidence():
    agree = _matrix_check("Cov(Y1, Y2) = -0.43 - 0.2 = -0.63\n[[ 0.91 -0.63]\n [-0.63  0.66]]")
    assert agree.fraction == 1.0 and agree.confidence == 1.0
    clash = _matrix_check("Cov(Y_1, Y_2) = -0.43 + 0 = -0.43\n[[ 0.91 -0.63]\n [-0.63  0.66]]")
    assert clash.fraction == 1.0 and clash.confidence < 0.6 and "-0.43" in clash.message


def test_the_matrix_checker_skips_a_block_of_q():
    spec = registry.get("matrix")
    text = normalize("Cov = diag(0.2, 0.2) since $Q_{34,34} = \\begin{bmatrix}5&0\\\\0&5\\end{bmatrix}$")
    wrong = {"expected": [[5.0, 0.0], [0.0, 5.0]], "tol": 0.01}
    assert registry.call(spec, text, wrong).fraction == 1.0  # without names: the block is taken
    assert registry.call(spec, text, {**wrong, "other_labels": ["Q"]}).fraction == 0.0


# --- two equations in one display; cue words --------------------------------------------------------------------

@pytest.mark.parametrize("separator", [", \\qquad", "\\quad", ";", "\\quad \\text{and} \\quad", "\\text{ et }"])
def test_two_equations_in_one_display_are_two_chains(separator):
    from grader.extract.expressions import final_expression
    from grader.mathexpr import split_chains

    body = f"\\mathbb{{E}}[v \\mid u] = \\mu + J(u - L\\mu - m) {separator} \\mathrm{{Cov}}(v \\mid u) = K - JLK"
    assert split_chains(body) == [["\\mathbb{E}[v \\mid u]", "\\mu + J(u - L\\mu - m)"],
                                  ["\\mathrm{Cov}(v \\mid u)", "K - JLK"]]
    text = f"$$ {body} $$"
    assert final_expression(text, "mean", "v|u").value == "\\mu + J(u - L\\mu - m)"
    assert final_expression(text, "cov", "v|u").value == "K - JLK"


def test_a_comment_after_quad_is_not_a_second_equation():
    from grader.mathexpr import split_chains

    assert split_chains("x = K - JLK \\quad \\text{where } J = KL^T") == [["x", "K - JLK"]]
    assert split_chains("f(a, b) = c") == [["f(a, b)", "c"]]


@pytest.mark.parametrize("text", [
    "The mean equals $\\mu + J(u - L\\mu - m)$ and the covariance is $K - JLK$.",
    "La moyenne a posteriori vaut $\\mu + J(u - L\\mu - m)$ et la covariance a posteriori est $K - JLK$.",
])
def test_the_mean_equals_is_a_cue(text):
    from grader.extract.expressions import final_expression

    cues = {"mean": ["the mean =", "moyenne a posteriori"], "cov": ["the covariance =", "covariance a posteriori"]}
    assert final_expression(text, "mean", "v|u", cues=cues).value == "\\mu + J(u - L\\mu - m)"
    assert final_expression(text, "cov", "v|u", cues=cues).value == "K - JLK"


def test_in_the_mean_is_not_a_cue():
    from grader.extract.expressions import final_expression

    text = "$v|u \\sim \\mathcal N(\\mu + J(u - L\\mu - m), K - JLK)$ (the $Lv$ in the mean should be $L\\mu$)"
    assert final_expression(text, "mean", "v|u").value == "\\mu + J(u - L\\mu - m)"


# --- "explained_by": a missing element that a more basic error explains -------------------------------------------

def _rubric_with(explained_by):
    import yaml

    from grader.rubric import parse_rubric
    from grader.rubric_files import resolve_rubric_path

    path = resolve_rubric_path("basic-knowledge")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    q4 = next(q for q in data["questions"] if q["id"] == "q4")
    for m in q4["misconceptions"]:
        m.pop("explained_by", None)
        if m["id"] in explained_by:
            m["explained_by"] = explained_by[m["id"]]
    return parse_rubric(data, path)


UPPER_BOUND_ANSWER = ("Take $f(z) = \\log p(x, z|\\theta)$ and $q(z) = p(z|x,\\theta)$, the posterior. The objective is "
                      "an upper bound on $\\log p(x|\\theta)$, and EM pushes it down to the likelihood.")


def _q4_flags(rubric, text):
    from grader.grade import grade_question
    from grader.model import Block, BlockKind, Region

    q4 = rubric.question("q4")
    result = grade_question(q4, Region("q4", (Block(BlockKind.PROSE, normalize(text), "line 1"),)))
    return {h.id for h in result.misconceptions}


def test_a_missing_element_explained_by_a_basic_error_is_not_reported():
    plain = _rubric_with({})
    assert {"em-logz.upper-bound", "em-logz.no-e-m-mapping"} <= _q4_flags(plain, UPPER_BOUND_ANSWER)
    explained = _rubric_with({"em-logz.no-e-m-mapping": ["em-logz.upper-bound"]})
    flags = _q4_flags(explained, UPPER_BOUND_ANSWER)
    assert "em-logz.upper-bound" in flags and "em-logz.no-e-m-mapping" not in flags


def test_the_shipped_rubric_explains_the_missing_mapping_by_the_upper_bound():
    from grader.rubric import load_rubric

    flags = _q4_flags(load_rubric("basic-knowledge"), UPPER_BOUND_ANSWER)
    assert "em-logz.upper-bound" in flags and "em-logz.no-e-m-mapping" not in flags


@pytest.mark.parametrize("explained_by, words", [
    ({"em-logz.upper-bound": ["em-logz.nope"]}, "'em-logz.nope', not a misconception of this question"),
    ({"em-logz.upper-bound": ["em-logz.upper-bound"]}, "names itself"),
    ({"em-logz.upper-bound": ["em-logz.wrong-variable"], "em-logz.wrong-variable": ["em-logz.upper-bound"]},
     "goes round in a circle"),
    ({"em-logz.upper-bound": "em-logz.f-not-joint"}, "expected a list of misconception ids"),
])
def test_explained_by_is_validated_when_the_rubric_loads(explained_by, words):
    from grader.rubric import RubricError

    with pytest.raises(RubricError, match=re.escape(words)):
        _rubric_with(explained_by)


# --- words --------------------------------------------------------------------------------------------------------

def test_a_hyphenated_non_is_a_prefix_not_a_negation():
    from grader.extract.tokens import words

    assert [t.text for t in words("the only non-zero entry")] == ["the", "only", "nonzero", "entry"]
    assert [t.text for t in words("non corrélées")] == ["non", "corrélées"]


@pytest.mark.parametrize("patterns, text", [
    (["row * q"], "only non-zero off-diagonal entry in row 2 of $Q$"),
    (["borne inférieure"], "c'est une borne inférieure (ELBO)"),
    (["log z est * vraisemblance"], "donc $\\log Z$ est la log-vraisemblance marginale"),
])
def test_phrases_in_new_wordings(patterns, text):
    spec = registry.get("mentions")
    assert registry.call(spec, normalize(text), {"patterns": patterns}).fraction == 1.0
