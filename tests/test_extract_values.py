"""Value extractors: numbers, matrices, vectors, and values given to named variables.

Table-driven. The seed snippets are copied from ../shared/seeds/004_2c6ebea7288b07f1.txt (gaussian-em answers) and
go through normalize() first, as every reader's output does (that turns the seed's U+2212 minus into '-').
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from timing import Hostile, growth, repeated

from grader.extract.assignments import final_assignment, find_assignments, find_vectors
from grader.extract.matrices import final_matrix, find_matrices
from grader.extract.numbers import find_numbers, parse_number
from grader.textnorm import normalize

MU = {
    "mu1": ["\\mu_1", "μ_1", "mu_1", "mu1", "μ1", "\\mu_{1}", "m_1"],
    "mu2": ["\\mu_2", "μ_2", "mu_2", "mu2", "μ2", "\\mu_{2}", "m_2"],
}
MU_VECTOR = {"mu": ["mu1", "mu2"]}

# 1(d): the answer 2x2 comes after a symbolic Y, A (2x4), and the product A·Σ(4x4)·Aᵀ(4x2).
SEED_1D = normalize(r'''$$
Y = \begin{bmatrix} 1 & 0 & 0 & 1 \\ 0 & 1 & 0 & -1 \end{bmatrix} \begin{bmatrix} X_1 \\ X_2 \\ X_3 \\ X_4 \end{bmatrix}
$$

$$
A = \begin{bmatrix} 1 & 0 & 0 & 1 \\ 0 & 1 & 0 & -1 \end{bmatrix}
$$

We will need to calculate $A\Sigma A^\top$:

$$
A \Sigma A^\top = \begin{bmatrix} 1 & 0 & 0 & 1 \\ 0 & 1 & 0 & -1 \end{bmatrix}
\begin{bmatrix}
0.71 & -0.43 & 0.43 & 0 \\
-0.43 & 0.46 & -0.26 & 0 \\
0.43 & -0.26 & 0.46 & 0 \\
0 & 0 & 0 & 0.2
\end{bmatrix}
\begin{bmatrix} 1 & 0 \\ 0 & 1 \\ 0 & 0 \\ 1 & -1 \end{bmatrix}
$$

Which comes out to:

$$
\operatorname{Cov}(Y) = A \Sigma A^\top = \begin{bmatrix} 0.91 & -0.63 \\ -0.63 & 0.66 \end{bmatrix}
$$''')
# 2(a): initial values first ("Given …", "Already done …"), the update last.
SEED_2A = normalize(r'''Given: $x^1 = -1$, $x^2 = 1$, $\frac{1}{1 + exp(−4)} \approx 0.98)$, $\mu_1 = -2$, and $\mu_2 = 2$.

Already done. $\mu_1 = -2$ and $\mu_2 = 2$ is given.

$$ \gamma_{11} \approx 0.98 $$

We have:

$$ \mu_1^{t+1} = \frac{(.98\cdot -1)+(.02\cdot 1)}{.98+.02} = frac{-.98+.02}{1}= -.96$$
$$ \mu_2^{t+1} = \frac{(.02\cdot -1)+(.98\cdot 1)}{.02+.98} = frac{-.02+.98}{1}= .96$$''')
SEED_2C = normalize(r'''With $\mu_1 = \mu_2$ both initialized to 2, and $\gamma_{ik}^t =  Pr(z_i=k\mid x_i, \theta_t)$. The steps of EM will be as follows:

$$ \gamma_{i1} = \gamma_{i2} = .5 $$

We have:

$$ \mu_1 = \frac{.5\cdot (-1)+.5\cdot 1}{.5+.5} = 0 $$

and:

$$ \mu_2 = \frac{.5\cdot (-1)+.5\cdot 1}{.5+.5} = 0 $$

And since they are again identical, this cycle will repeat. Thus, **the fixed point for $\mu_1$ and $\mu_2$ is 0.**''')
SEED_2D = normalize(r'''Given that $x_1 = -1$, $x_2 = 1$, $\mu_1 = −2$ and $\mu_2 = 2$ for a K-means problem I have worked out the steps of the K-means algorithm below.

<br>
<center>
    <img width="60%" src="2d.png" alt="Professor Notes" />
</center>
<br>

As we can see, after 1 iteration the algorithm converges and reaches **the fixed point of $\mu_1 = -1$ and $\mu_2 = 1$**.''')


# --- parse_number ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("written, expected", [
    ("-0.96", -0.96), ("-.96", -0.96), (".96", 0.96), ("0.9640", 0.964), ("9.64e-1", 0.964),
    ("9.64 \\times 10^{-1}", 0.964), ("\\frac{24}{25}", 0.96), ("\\dfrac{-24}{25}", -0.96), ("-\\frac{1}{2}", -0.5),
    ("24/25", 0.96), ("\\tfrac12", 0.5), ("0{,}96", 0.96), ("0,96", 0.96), ("\\approx 0.96", 0.96),
    ("= -.96", -0.96), ("\\mathbf{-0.96}", -0.96), ("**-0.96**", -0.96), ("\\boxed{0.91}", 0.91), ("$-0.96$", -0.96),
    ("\\left( -0.5 \\right)", -0.5), ("0", 0.0), ("0.", 0.0), ("+3", 3.0), ("1e300", 1e300),
    ("1" * 50, float("1" * 50)),
    # not one number: ambiguous, not a number, unfinished, not finite, too long, out of range
    ("1,000", None), ("(1,5)", None), ("words", None), ("x == 3", None), ("\\frac{1}{", None), ("1/0", None),
    ("\\frac{1}{0}", None), ("\\infty", None), ("NaN", None), ("nan", None), ("inf", None), ("-inf", None),
    ("1" * 51, None), ("1e301", None), ("1e-301", None), ("9" * 50 + "e300", None), ("10^{10^{10}}", None),
    ("", None), ("$$ $$", None), ("1/(1+e^{-4})", None),
])
def test_parse_number(written, expected):
    value = parse_number(written)
    assert value is None if expected is None else value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("written", ["1/0", "-1/0", "\\frac{-1}{0}", "1e400", "-1e400", "NaN", "\\infty - \\infty",
                                     "1e308", None, 0.96, b"1"])
def test_parse_number_never_gives_a_non_finite_value_nor_raises(written):
    value = parse_number(written)
    assert value is None or math.isfinite(value)


# --- find_numbers ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("$\\mu_1 = -0.96$ and $\\mu_2 = .96$", [-0.96, 0.96]),
    ("X_3 and X_4 have Q_{34} = 0", [0.0]),  # indices are not quantities
    ("(.98\\cdot -1)+(.02\\cdot 1)", [0.98, -1.0, 0.02, 1.0]),
    ("(1-2)", [1.0, 2.0]),  # a subtraction, not -2
    ("Lecture 4.2.0 and 2d.png", []),
    ("\\frac{24}{25} or 24/25 or 9.64e-1", [0.96, 0.96, 0.964]),
    ("-\\frac{1}{2} and 0{,}5", [-0.5, 0.5]),
    ("the list [3,5,0,0]", [3.0, 5.0, 0.0, 0.0]),  # in running text a comma separates numbers
    ("1/0 and \\infty and NaN", []),
    (normalize("μ₁ = −0.96, X₃ ⊥ X₄"), [-0.96]),  # "μ_1 = -0.96, X_3 ⊥ X_4"
])
def test_find_numbers(text, expected):
    assert [f.value for f in find_numbers(text)] == pytest.approx(expected)


def test_find_numbers_offsets_snippets_and_emphasis():
    text = "Thus **-0.96** and $\\boxed{0.96}$, not 0.98"
    found = find_numbers(text)
    assert [(f.value, f.emphasized) for f in found] == [(-0.96, True), (0.96, True), (0.98, False)]
    assert all(text[f.start : f.end] == f.snippet for f in found)


# --- find_assignments --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("$\\mu_1 = -0.96$, $\\mu_2 = 0.96$", [{"mu1": -0.96, "mu2": 0.96}]),
    ("$$ \\mu_1^{t+1} = \\frac{(.98\\cdot -1)+(.02\\cdot 1)}{.98+.02} = frac{-.98+.02}{1}= -.96$$", [{"mu1": -0.96}]),
    ("$\\mu_1 = \\mu_2 = 0$", [{"mu1": 0.0, "mu2": 0.0}]),
    ("$(\\mu_1, \\mu_2) = (-0.96, 0.96)$", [{"mu1": -0.96, "mu2": 0.96}]),
    ("$\\mu = (-1, 1)$", [{"mu1": -1.0, "mu2": 1.0}]),
    ("$\\hat\\mu = \\begin{pmatrix} -1 \\\\ 1 \\end{pmatrix}$", [{"mu1": -1.0, "mu2": 1.0}]),
    ("the fixed point for $\\mu_1$ and $\\mu_2$ is 0.", [{"mu1": 0.0, "mu2": 0.0}]),
    ("mu1 and mu2 both converge to 0", [{"mu1": 0.0, "mu2": 0.0}]),
    ("mu1 = -0.964, mu2 = 0.964", [{"mu1": -0.964, "mu2": 0.964}]),
    ("mu_1: -0.964028", [{"mu1": -0.964028}]),
    ("mu1 = -0.964 mu2 = 0.964", [{"mu1": -0.964, "mu2": 0.964}]),
    ("mu1, mu2 = -0.96, 0.96", [{"mu1": -0.96, "mu2": 0.96}]),
    ("mu = [-0.96402758  0.96402758]", [{"mu1": -0.96402758, "mu2": 0.96402758}]),
    ("mu = array([-0.96402758,  0.96402758])", [{"mu1": -0.96402758, "mu2": 0.96402758}]),
    ("$\\hat\\mu_1^{(1)} = -0.96$; $\\mu_2^{new} = 0.96$", [{"mu1": -0.96, "mu2": 0.96}]),
    ("$\\mu_1' = 3$ and $\\hat{\\mu}_{2}^{\\text{new}} \\approx -0.964$", [{"mu1": 3.0, "mu2": -0.964}]),
    ("$$\\begin{aligned} \\mu_1 &= \\frac{-0.98 + 0.02}{1} \\\\ &= -0.96 \\\\ \\mu_2 &= 0.96 \\end{aligned}$$",
     [{"mu1": -0.96}, {"mu2": 0.96}]),
    ("$\\mu_1 = 0.5 \\text{ and } \\mu_2 = 0.7$", [{"mu1": 0.5, "mu2": 0.7}]),
    (normalize("μ₁ = −\\frac{24}{25}"), [{"mu1": -0.96}]),
    # not plain values, or not the variable: skipped, never guessed
    ("$\\mu_1 = \\frac{\\sum_i \\gamma_{i1} x_i}{\\sum_i \\gamma_{i1}}$", []),
    ("$\\mu_1 = 2x$", []),
    ("$\\mu_1^2 = 4$", []),  # a power
    ("$\\mu_1 \\neq 0$", []),
    ("With $\\mu_1 = \\mu_2$ both initialized to 2", []),
    ("$\\mu_1, \\mu_2 = 0.5$", []),  # which name gets the value?
    ("$\\gamma_{11} \\approx 0.98$", []),  # not a declared name
])
def test_find_assignments(text, expected):
    found = find_assignments(text, MU, MU_VECTOR)
    assert [f.value for f in found] == [pytest.approx(e) for e in expected]
    assert all(0 <= f.start < f.end <= len(text) and len(f.snippet) <= 200 for f in found)


@pytest.mark.parametrize("text, emphasized", [
    ("**the fixed point of $\\mu_1 = -1$ and $\\mu_2 = 1$**", True),
    ("the fixed point of $\\mu_1 = -1$ and $\\mu_2 = 1$", False),
    ("$\\boxed{\\mu_1 = -1}$ and $\\mu_2 = \\boxed{1}$", True),
    ("\\textbf{$\\mu_1 = -1$ and $\\mu_2 = 1$}", True),
])
def test_find_assignments_emphasis(text, emphasized):
    found = find_assignments(text, MU)
    assert [(f.value, f.emphasized) for f in found] == [({"mu1": -1.0, "mu2": 1.0}, emphasized)]


def test_find_assignments_without_names_finds_nothing():
    assert find_assignments("$\\mu_1 = 3$", {}) == []


# --- final_assignment --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    (SEED_2A, {"mu1": -0.96, "mu2": 0.96}),  # the early "Given … μ1 = -2 and μ2 = 2" is overridden
    (SEED_2C, {"mu1": 0.0, "mu2": 0.0}),
    (SEED_2D, {"mu1": -1.0, "mu2": 1.0}),
    ("Given $\\mu_1 = -2$. After one step $\\mu_1 = -0.96$.", {"mu1": -0.96}),
    ("**$\\mu_1 = -0.96$** is my answer. (With weights 1 we would get $\\mu_1 = -1$.)", {"mu1": -0.96}),
    (normalize("μ₁ = −0.96 and μ₂ = 0.96"), {"mu1": -0.96, "mu2": 0.96}),
])
def test_final_assignment(text, expected):
    assert final_assignment(text, MU, MU_VECTOR)[0] == pytest.approx(expected)


@pytest.mark.parametrize("opening", ["With", "Met", "Mit", "Avec", "Con"])
def test_a_sentence_opening_with_the_values_it_supposes_starts_there(opening):
    # the bold result on a plain line, its number right before the closing marks, is the answer
    text = normalize(f"{opening} μ1 = μ2 = 2 both components are equal, so every γ = 1/2 and both means become "
                     "the data mean: **μ1 = μ2 = 0** (after one step).")
    assert final_assignment(text, MU, MU_VECTOR)[0] == pytest.approx({"mu1": 0.0, "mu2": 0.0})
    first = find_assignments(text, MU, MU_VECTOR)[0]
    assert first.value == {"mu1": 2.0, "mu2": 2.0} and first.extra["initial"]


def test_a_lower_case_with_inside_a_sentence_is_no_supposition():
    first = find_assignments("EM ends\nwith $\\mu_1 = \\mu_2 = 0$.", MU, MU_VECTOR)[0]
    assert not first.extra["initial"]


@pytest.mark.parametrize("text", [SEED_2A, SEED_2C, SEED_2D])
def test_final_assignment_seed_answers_have_no_contradiction(text):
    assert final_assignment(text, MU)[1] == []


def test_final_assignment_flags_two_different_conclusions():
    values, notes = final_assignment("Thus $\\mu_1 = -0.96$. We redo it. Therefore $\\mu_1 = -0.98$.", MU)
    assert values == {"mu1": -0.98}
    assert len(notes) == 1 and "mu1" in notes[0] and "-0.96" in notes[0] and "-0.98" in notes[0]


def test_final_assignment_flags_a_bold_answer_contradicted_later():
    values, notes = final_assignment("**$\\mu_1 = -0.96$**\n\nLater: $\\mu_1 = 0.5$", MU)
    assert values == {"mu1": -0.96} and len(notes) == 1 and "emphasized" in notes[0]


def test_final_assignment_rounding_is_no_contradiction():
    values, notes = final_assignment("Thus $\\mu_1 = -0.964$. So the answer is **$\\mu_1 = -0.96$**.", MU)
    assert values == {"mu1": -0.96} and notes == []


# --- find_vectors ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("(-0.96, 0.96)", [(-0.96, 0.96)]),
    ("[-0.96, 0.96]", [(-0.96, 0.96)]),
    ("[-0.96402758  0.96402758]", [(-0.96402758, 0.96402758)]),
    ("\\left( -1, 1 \\right)", [(-1.0, 1.0)]),
    ("\\begin{pmatrix}-1\\\\1\\end{pmatrix}", [(-1.0, 1.0)]),
    ("the second row of $Q$, $[3,5,0,0]$", [(3.0, 5.0, 0.0, 0.0)]),
    ("f(1, 2) and A[0, 1]", []),  # arguments and indices
    ("\\mathcal{N}(x^1\\mid \\mu_1, 1)", []),
    ("(x, 1)", []),
    ("[[1, 2], [3, 4]]", []),  # a matrix, not two vectors
])
def test_find_vectors(text, expected):
    assert [f.value for f in find_vectors(text)] == [pytest.approx(e) for e in expected]


# --- find_matrices / final_matrix --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", [[1, 2], [3, 4]]),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\\\ \\end{pmatrix}", [[1, 2], [3, 4]]),  # a trailing \\
    ("\\begin{Bmatrix} -.5 & \\frac{1}{2} \\end{Bmatrix}", [[-0.5, 0.5]]),
    ("\\left[\\begin{array}{cc} 1 & 0 \\\\ \\hline 0 & 1 \\end{array}\\right]", [[1, 0], [0, 1]]),
    ("\\begin{matrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{matrix}", [[0.91, -0.63], [-0.63, 0.66]]),
    ("[[ 0.9143 -0.6286]\n [-0.6286  0.6571]]", [[0.9143, -0.6286], [-0.6286, 0.6571]]),
    ("array([[ 0.9143, -0.6286],\n       [-0.6286,  0.6571]])", [[0.9143, -0.6286], [-0.6286, 0.6571]]),
    ("[[0.91, -0.63], [-0.63, 0.66]]", [[0.91, -0.63], [-0.63, 0.66]]),
    ("\\frac{1}{35}\\begin{bmatrix} 32 & -22 \\\\ -22 & 23 \\end{bmatrix}", [[32 / 35, -22 / 35], [-22 / 35, 23 / 35]]),
    ("\\begin{vmatrix} 1 & 2 \\\\ 3 & 4 \\end{vmatrix}", None),  # a determinant, not a matrix
])
def test_find_matrices(text, expected):
    found = find_matrices(text)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        np.testing.assert_allclose(found[0].value, np.array(expected, dtype=float))


@pytest.mark.parametrize("text, key, detail", [
    ("\\begin{bmatrix} X_1 + X_4 \\\\ X_2 - X_4 \\end{bmatrix}", "symbolic", True),
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}", "error", "rows have different lengths (2, 1)"),
    ("[[1, 2], [3]]", "error", "rows have different lengths (2, 1)"),
])
def test_find_matrices_unreadable(text, key, detail):
    (found,) = find_matrices(text)
    assert found.value is None and found.extra[key] == detail


def test_seed_1d_final_matrix_is_the_last_2x2():
    shapes = [f.value.shape if f.value is not None else "symbolic" for f in find_matrices(SEED_1D)]
    assert shapes == [(2, 4), "symbolic", (2, 4), (2, 4), (4, 4), (4, 2), (2, 2)]
    answer = final_matrix(SEED_1D, shape=(2, 2))
    np.testing.assert_allclose(answer.value, [[0.91, -0.63], [-0.63, 0.66]])
    assert answer.extra["shape_matches"] is True and answer.snippet.startswith("\\begin{bmatrix} 0.91")


def test_final_matrix_prefers_the_boxed_one_and_reports_the_shape():
    text = "$\\boxed{\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}}$ then $\\begin{bmatrix}1&2&3\\end{bmatrix}$"
    answer = final_matrix(text, shape=(1, 3))
    assert answer.emphasized and answer.value.shape == (2, 2) and answer.extra["shape_matches"] is False
    last = final_matrix("\\begin{bmatrix}1&2\\end{bmatrix} \\begin{bmatrix}5&6&7\\end{bmatrix}", shape=(1, 2))
    assert last.value.tolist() == [[5, 6, 7]] and last.extra["shape_matches"] is False


def test_final_matrix_without_a_numeric_matrix():
    assert final_matrix("no matrix here") is None
    assert final_matrix("\\begin{bmatrix} Y_1 \\\\ Y_2 \\end{bmatrix}") is None


# --- hostile inputs ----------------------------------------------------------------------------------------------
def _bmatrix(n: int) -> str:
    rows = " \\\\\n".join(" & ".join("1" for _ in range(n)) for _ in range(n))
    return "$$\\begin{bmatrix}\n" + rows + "\n\\end{bmatrix}$$"


HOSTILE = [
    repeated("(", 10000), repeated("1", 10000), repeated("$", 10000), repeated("9", 5000),
    Hostile(lambda n: "-" + "9" * n + ".5e-3", 5000, "'-999'x5000"), repeated("\\frac{1}{", 1), repeated("1/0", 1),
    repeated("\\infty - \\infty", 1), repeated("NaN", 1), repeated("{", 5000), repeated("\\frac{", 2000),
    repeated("a", 10000, "!"), repeated(" ", 4000, "x"), repeated("[[", 5000), repeated("$\\mu_1 = ", 1000),
    repeated("\\mu_1 = ", 1000, "1"), repeated("\\begin{bmatrix}", 600), repeated("**", 5000),
    repeated("$a$ ", 2500), repeated("\\\\", 5000), repeated("^{", 5000), repeated("mu1 and ", 1200),
    Hostile(lambda n: "".join(f"$\\mu_1 = {i}$, " for i in range(n)), 800, "'$mu_1 = i$, 'x800"),
]
FUNCTIONS = {
    "parse_number": parse_number, "find_numbers": find_numbers, "find_matrices": find_matrices,
    "final_matrix": final_matrix, "find_vectors": find_vectors,
    "find_assignments": lambda t: find_assignments(t, MU, MU_VECTOR),
    "final_assignment": lambda t: final_assignment(t, MU, MU_VECTOR),
}


def _floats(result) -> list[float]:
    """Every float a result carries, to check that none is NaN or infinite."""
    if isinstance(result, tuple):  # final_assignment
        return list(result[0].values())
    out = []
    for item in result if isinstance(result, list) else [result]:
        value = getattr(item, "value", item)
        value = list(value.values()) if isinstance(value, dict) else value
        out += np.asarray(value, dtype=float).ravel().tolist() if value is not None else []
    return out


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.label)
def test_hostile_inputs_take_linear_time_and_give_finite_values(name, hostile):
    assert growth(FUNCTIONS[name], hostile) is None
    assert all(math.isfinite(v) for v in _floats(FUNCTIONS[name](hostile.text())))


@pytest.mark.parametrize("text", ["1/0", "\\infty - \\infty", "NaN", "9" * 5000, "-" + "9" * 5000 + ".5"])
def test_hostile_numbers_give_no_value(text):
    assert parse_number(text) is None and find_numbers(text) == []


def test_matrix_400x400_is_rejected_quickly():
    text = _bmatrix(400)
    found, answer = find_matrices(text), final_matrix(text)
    assert growth(lambda t: (find_matrices(t), final_matrix(t)), Hostile(lambda cells: _bmatrix(math.isqrt(cells)), 400 * 400, "400x400")) is None
    assert len(found) == 1 and found[0].value is None
    assert found[0].extra["error"] == "matrix too large (400×400; the limit is 50×50)"
    assert answer.value is None and answer.extra["error"].startswith("matrix too large") and len(answer.snippet) <= 200


def test_matrix_50x50_is_still_read():
    (found,) = find_matrices(_bmatrix(50))
    assert found.value.shape == (50, 50) and found.value.sum() == 2500


def test_numpy_printout_with_too_many_rows_is_rejected():
    (found,) = find_matrices("[" + "\n ".join("[1 2]" for _ in range(60)) + "]")
    assert found.value is None and "too large" in found.extra["error"]


@pytest.mark.parametrize("text,expected", [
    ("Cov(Y) = (1/35) [[32, -22], [-22, 23]]", [[32 / 35, -22 / 35], [-22 / 35, 23 / 35]]),
    ("Cov(Y) = (1/35)·[[32, -22], [-22, 23]]", [[32 / 35, -22 / 35], [-22 / 35, 23 / 35]]),
    ("Cov(Y) = 0.5 * [[2, 0], [0, 2]]", [[1.0, 0.0], [0.0, 1.0]]),
    ("f(2) [[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),  # an argument, not a factor
    ("Cov(Z1, Z2) = 0.5\n[[1, 0.4], [0.4, 2]]", [[1.0, 0.4], [0.4, 2.0]]),  # the line before ends in a number
    ("so the entry is -0.63 [[1, 0.4], [0.4, 2]]", [[1.0, 0.4], [0.4, 2.0]]),  # no sign: not a factor
])
def test_a_factor_before_a_printed_matrix_is_part_of_its_value(text, expected):
    from grader.extract.matrices import final_matrix

    found = final_matrix(text)
    assert found is not None and np.allclose(found.value, expected)


def test_a_statement_that_gives_a_consequence_is_a_premise():
    # "mu1 = mu2 = 2 gives …" restates where EM starts; the result comes after it
    text = ("mu1 = mu2 = 2 gives every point responsibility 1/2 for both components, so both means are updated "
            "to 0 and stay there: mu1 = mu2 = 0.")
    values, notes = final_assignment(text, MU, MU_VECTOR)
    assert values == {"mu1": 0.0, "mu2": 0.0} and not notes
    assert all(f.extra["initial"] for f in find_assignments(text, MU, MU_VECTOR) if f.value == {"mu1": 2.0, "mu2": 2.0})


@pytest.mark.parametrize("text, expected", [
    # with a semicolon between entries, commas are decimal commas
    ("Cov(X3, X4 | X1, X2) = inv([[5, 0], [0, 5]]) = diag(0,2 ; 0,2).", [[0.2, 0.0], [0.0, 0.2]]),
    ("Cov(Y) = [[0,91 ; -0,63], [-0,63 ; 0,66]]", [[0.91, -0.63], [-0.63, 0.66]]),
    ("A = [1, 2; 3, 4]", [[1.0, 2.0], [3.0, 4.0]]),  # MATLAB rows keep their commas
    ("$= \\begin{pmatrix} 5 & 0 \\\\ 0 & 5\\end{pmatrix}^{-1} = \\operatorname{diag}(0.2,\\, 0.2)$",
     [[0.2, 0.0], [0.0, 0.2]]),  # LaTeX spacing between the entries
])
def test_decimal_commas_in_matrices(text, expected):
    assert final_matrix(text).value.tolist() == expected


def test_a_correction_takes_back_an_emphasized_value():
    text = ("**$\\mu_1 = -0.98$, $\\mu_2 = 0.98$**\n\nCorrection: I forgot the other point's pull: "
            "$\\mu_1 = -0.96$, $\\mu_2 = 0.96$.")
    assert final_assignment(text, MU, MU_VECTOR) == ({"mu1": -0.96, "mu2": 0.96}, [])
    # without the marker, an emphasized answer then another value is two final answers
    assert final_assignment(text.replace("Correction: ", ""), MU, MU_VECTOR)[1]


def test_entries_left_open_are_unknown_and_the_others_still_count():
    found = final_matrix("Answer: Cov(Y) = [[0.91, ?], [?, 0.66]]")
    assert np.isnan(found.value).sum() == 2 and found.value[0, 0] == 0.91
    assert final_matrix("C = [[?, ?], [?, ?]]") is None or final_matrix("C = [[?, ?], [?, ?]]").value is None


def test_a_value_followed_by_a_full_stop_and_a_sentence_on_a_plain_line():
    values, _ = final_assignment("**Answer:** m_1 = m_2 = 0. All the responsibilities are 1/2.", MU)
    assert values == {"mu1": 0.0, "mu2": 0.0}


@pytest.mark.parametrize("written, value", [("\\frac1{35}", 1 / 35), ("\\dfrac{1}2", 0.5), ("-\\frac1{35}", -1 / 35)])
def test_a_fraction_with_one_bare_digit_argument(written, value):
    assert parse_number(written) == pytest.approx(value)
    assert [n.value for n in find_numbers(f"exactly ${written}$")] == [pytest.approx(value)]
