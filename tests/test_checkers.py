"""Checkers at the checker level: each registered by name, pure, table-driven."""

from __future__ import annotations

import math

import numpy as np
import pytest

from grader.checkers import registry

MUS = {"variables": {"mu1": ["mu1", "m1"], "mu2": ["mu2", "m2"]}, "vector": ["mu"]}


def run(name: str, text: str, **params):
    return registry.call(registry.get(name), text, params)


@pytest.mark.parametrize(
    "text,expected,tol,fraction",
    [
        ("$\\mu_1 = -0.96$, $\\mu_2 = 0.96$", (-0.964, 0.964), 0.0085, 1.0),
        ("$\\mu_1 = \\mu_2 = 0$", (0.0, 0.0), 1e-6, 1.0),
        ("$(\\mu_1, \\mu_2) = (-1, 1)$", (-1.0, 1.0), 1e-3, 1.0),
        ("$\\mu_1 = -0.96$ and $\\mu_2 = 0.5$", (-0.964, 0.964), 0.0085, 0.5),
        ("mu1 = -0.9640275800758169\nmu2 = 0.9640275800758169", (-0.964, 0.964), 0.0085, 1.0),
        ("The means are (-0.96, 0.96).", (-0.964, 0.964), 0.0085, 1.0),
        ("$\\mu_1 = -0.98$, $\\mu_2 = 0.98$", (-0.964, 0.964), 0.0085, 0.0),
        ("no numbers here", (0.0, 0.0), 1e-6, 0.0),
    ],
)
def test_values(text, expected, tol, fraction):
    assert run("values", text, expected=list(expected), tol=tol, **MUS).fraction == pytest.approx(fraction)


def test_values_two_final_answers_get_no_credit():
    text = "**Answer: $\\mu_1 = -0.96$, $\\mu_2 = 0.96$.** Actually **$\\mu_1 = -1$, $\\mu_2 = 1$.**"
    out = run("values", text, expected=[-0.964, 0.964], tol=0.0085, **MUS)
    assert out.fraction == 0 and "Note:" in out.message


COV_Y = np.array([[32, -22], [-22, 23]]) / 35


@pytest.mark.parametrize(
    "text,fraction,found",
    [
        ("$\\begin{bmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{bmatrix}$", 1.0, True),
        ("array([[ 0.91428571, -0.62857143],\n       [-0.62857143,  0.65714286]])", 1.0, True),
        ("[[0.91, -0.63], [-0.63, 0.66]]", 1.0, True),
        # a symmetric matrix has three distinct entries: one slip, written twice, loses one of them
        ("$\\begin{pmatrix} 0.91 & -0.43 \\\\ -0.43 & 0.66 \\end{pmatrix}$", 0.5 * 2 / 3, True),
        ("$\\begin{pmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.26 \\end{pmatrix}$", 0.5 * 2 / 3, True),
        # one copy of the off-diagonal right and the other wrong: that entry is not right
        ("$\\begin{pmatrix} 0.91 & -0.63 \\\\ -0.43 & 0.66 \\end{pmatrix}$", 0.5 * 2 / 3, True),
        ("$\\begin{bmatrix} 1 & 2 & 3 \\end{bmatrix}$", 0.0, True),
        ("the covariance is diagonal", 0.0, False),
    ],
)
def test_matrix(text, fraction, found):
    out = run("matrix", text, expected=COV_Y, tol=0.01, also=[], partial=0.5)
    assert out.fraction == pytest.approx(fraction) and out.found is found


def test_a_matrix_that_is_not_symmetric_counts_every_entry():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert run("matrix", "[[1, 2], [3, 5]]", expected=expected, tol=0.01, partial=0.8).fraction == pytest.approx(0.6)


def test_matrix_nan_never_matches():
    out = run("matrix", "[[nan, 0], [0, nan]]", expected=np.zeros((2, 2)), tol=1.0)
    assert out.fraction == 0.0


@pytest.mark.parametrize(
    "text,fraction",
    [("$\\{X_1\\}$", 1.0), ("$X_{M_2} = \\{X_1\\}$", 1.0), ("only $X_1$", 1.0), ("$\\{X_1, X_3\\}$", 0.0), ("none", 0.0)],
)
def test_set(text, fraction):
    assert run("set", text, expected=[1], exclude=[2]).fraction == fraction


AFFIRM = ["correlated", "dependent"]
DENY = ["uncorrelated", "independent", "sigma_34 eq 0"]


@pytest.mark.parametrize(
    "text,bare_yes,fraction",
    [
        ("No, they are not correlated.", True, 1.0),
        ("They are uncorrelated.", True, 1.0),
        ("$X_3$ and $X_4$ are **not correlated**.", True, 1.0),
        ("Yes, they are correlated.", True, 0.0),
        ("Yes, X3 and X4 are conditionally independent given X1 and X2.", None, 1.0),
        ("No.", True, 1.0),
        ("Yes.", True, 0.0),
        ("Non, elles ne sont pas dependent.", True, 1.0),
    ],
)
def test_stance(text, bare_yes, fraction):
    out = run("stance", text, affirm=AFFIRM, deny=DENY, expected=False, bare_yes=bare_yes)
    assert out.fraction == fraction


@pytest.mark.parametrize(
    "text,negated,fraction",
    [
        ("Since $\\Sigma_{34} = 0$ they are uncorrelated.", False, 1.0),
        ("It is not true that $\\Sigma_{34} = 0$.", False, 0.0),
        ("It is not true that $\\Sigma_{34} = 0$.", True, 1.0),
        ("It is not true that $\\Sigma_{34} = 0$.", None, 1.0),
        ("nothing relevant", None, 0.0),
    ],
)
def test_mentions(text, negated, fraction):
    assert run("mentions", text, patterns=["sigma_34 eq 0"], negated=negated).fraction == fraction


@pytest.mark.parametrize(
    "text,fires",
    [
        ("$X_1$ and $X_2$ are conditionally independent given $X_1$ and $X_2$.", True),
        ("$X_3$ and $X_4$ are conditionally independent given $X_1$ and $X_2$.", False),
        ("$Cov(X_3, X_4 \\mid X_1, X_2) = 0$", False),
        ("$Cov(X_3, X_4 \\mid X_3) = 0$", True),
        ("$Q_{34} = 0$ and $X_1, X_2$ are all the other variables, so $Cov(X_3, X_4 \\mid X_1, X_2) = 0$.", False),
    ],
)
def test_wrong_variables(text, fires):
    assert run("wrong_variables", text, pair=[3, 4], given=[1, 2]).fraction == (1.0 if fires else 0.0)


def test_every_checker_declares_documented_params():
    for name, spec in registry.all_checkers().items():
        assert spec.doc, name
        for pname, param in spec.params.items():
            assert param.doc, f"{name}.{pname}"
            assert param.type in registry.TYPES


def test_register_twice_and_bad_type_are_refused():
    with pytest.raises(ValueError, match="unknown type"):
        registry.checker("x_bad", p=registry.Param("float64"))
    spec = registry.get("values")
    with pytest.raises(ValueError, match="registered twice"):
        registry.checker("values")(lambda text: None)
    assert registry.get("values") is spec


@pytest.mark.parametrize("value,kind,ok", [
    (0.5, "number", True), (True, "number", False), (math.nan, "number", True), ([1, 2], "numbers", True),
    ([[1, 2], [3]], "matrix", False), ({1, 2}, "int-set", True), (["a", 1], "str-list", False),
    ({"mu1": ["m1"]}, "aliases", True), (None, "bool|null", True),
])
def test_param_types(value, kind, ok):
    assert registry.TYPES[kind](value) is ok


@pytest.mark.parametrize(
    "text,fraction",
    [
        ("1 0.964\n10 0.371\n100 0.122\n1000 0.039", 1.0),
        ("step 1: mu2 = 0.96\nstep 2: mu2 = 0.75\nstep 3: mu2 = 0.63\nstep 4: mu2 = 0.56\nstep 5: mu2 = 0.51", 0.0),
        ("0.96\n0.75\n0.63\n0.56\n0.51\n0.47\n0.44\n0.41\n0.39\n0.37\n0.35\n0.33\n0.31\n0.30\n0.29\n0.27\n0.2", 1.0),
        ("0.96\n0.97\n0.98\n0.99", 0.0),  # moving away
        ("0.9\nnan\n0.1\n0.05", 0.0),  # NaN breaks the run
        ("no numbers at all", 0.0),
    ],
)
def test_sequence_toward(text, fraction):
    assert run("sequence_toward", text, target=0).fraction == fraction


@pytest.mark.parametrize("text, fraction", [
    ("EM converges to (-1, 1).", 1.0),
    ("Does EM converge to (-1, 1)? No: the means shrink.", 0.0),  # the question asked again claims nothing
    ("(b) Converge a mu1 = -1, mu2 = 1?\n\nNo, per simmetria m_nuovo = tanh(m).", 0.0),
    ("Why not? Because EM converges to (-1, 1) after all.", 1.0),
])
def test_mentions_in_a_sentence_that_asks_do_not_count(text, fraction):
    assert run("mentions", text, patterns=["converg* *2 to|a"]).fraction == fraction


def test_a_matrix_said_to_be_the_precision_is_not_the_answer():
    text = ("$\\operatorname{Cov}(X_A \\mid X_B) = \\begin{pmatrix} 0.2 & 0\\\\ 0 & 0.2\\end{pmatrix} = "
            "\\operatorname{diag}(5,5)^{-1}$; note that $\\operatorname{diag}(5,5)$ itself is the "
            "conditional \\emph{precision}, not the covariance.")
    assert run("matrix", text, expected=[[0.2, 0], [0, 0.2]], tol=0.005).fraction == 1.0


def test_a_matrix_factor_written_with_a_bare_digit_is_applied():
    text = "$\\operatorname{Cov}(Y) = \\frac1{35}\\begin{pmatrix}32&-22\\\\-22&23\\end{pmatrix}$"
    assert run("matrix", text, expected=COV_Y, tol=0.01).fraction == 1.0


@pytest.mark.parametrize("text, fraction", [
    ("$X_1$ and $X_2$ are conditionally independent given $X_1$ and $X_2$.", 1.0),
    # another pair said to stay correlated: the contrast to the answer's zero, not a mislabelled conclusion
    ("Not conditionally correlated since $Q_{34} = 0$; and $Q_{ij} = 0$ is only about all the others: "
     "$\\operatorname{Cov}(X_2, X_3 \\mid X_4) \\neq 0$.", 0.0),
])
def test_wrong_variables_reads_conclusions_not_contrasts(text, fraction):
    assert run("wrong_variables", text, pair=[3, 4], given=[1, 2]).fraction == fraction
