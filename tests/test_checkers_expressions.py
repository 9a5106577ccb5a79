"""Checkers of grader/checkers/expressions.py, called as a rubric calls them."""


import pytest
from timing import fastest

from grader.checkers import registry
from grader.mathexpr import MathReferenceError
from grader.model import Outcome

Q1 = {"X": "matrix(p, q)", "A": "matrix(q, p)"}
Q2 = {"X": "invertible(d)"}
Q3 = {"K": "spd(d)", "L": "matrix(n, d)", "Sigma": "spd(n)", "mu": "vector(d)", "m": "vector(n)", "u": "vector(n)"}
Q3_DEFS = {"J": r"K^T L^T (\Sigma + L K L^T)^{-1}", "P": r"(K^{-1} + L^T \Sigma^{-1} L)^{-1}"}
SQ = {"A": "invertible(d)", "B": "invertible(d)", "x": "vector(d)"}
MEAN, COV = r"\mu + J(u - L\mu - m)", "K - JLK"
POST = {"symbols": Q3, "definitions": Q3_DEFS, "condition": "v|u"}


def run(name: str, text: str, **params) -> Outcome:
    spec = registry.get(name)
    assert not registry.validate_params(spec, params), registry.validate_params(spec, params)
    return registry.call(spec, text, params)


def test_checkers_are_registered_with_typed_parameters():
    names = {"expression", "expression_matches", "expression_form", "derivation", "derivation_step"}
    assert names <= set(registry.all_checkers())
    spec = registry.get("expression")
    assert spec.params["symbols"].type == "symbols" and spec.params["definitions"].type == "str-map"
    assert registry.validate_params(spec, {"reference": "A", "symbols": {"A": "hermitian(d)"}})
    assert registry.validate_params(spec, {"reference": "A", "symbols": {}})
    assert not registry.validate_params(spec, {"reference": "A", "symbols": {"A": "spd(d)"}})


# --- expression ------------------------------------------------------------------------------------------------------
def test_expression_right_and_wrong():
    right = run("expression", "$$\\nabla = A^\\top$$", reference="A^T", symbols=Q1)
    assert right.fraction == 1.0 and right.value == "A^\\top" and right.message == "Read $A^\\top$."
    wrong = run("expression", "$$\\nabla = A$$", reference="A^T", symbols=Q1)
    assert wrong.fraction == 0.0 and wrong.readable and "3×2 matrix" in wrong.message


@pytest.mark.parametrize(("text", "fragment", "readable"), [
    ("$$\\mu + J[u - (Lv + m)]$$", "unknown symbol v", True),
    ("$$L K L$$", "do not conform", True),
    ("$$\\frac{1}{", "could not read", False),
    ("$$\\mu + J(u - L\\mu - m)^{10^{10^{10}}}$$", "too large", False),
])
def test_expression_findings_never_credit(text, fragment, readable):
    out = run("expression", text, reference=MEAN, **POST)
    assert out.fraction == 0.0 and fragment in out.message and out.readable is readable
    assert out.confidence == (1.0 if readable else 0.5)


def test_non_finite_values_never_credit():
    out = run("expression", "$$(X - X)^{-1}$$", reference=r"\det(X) X^{-T}", symbols=Q2)
    assert out.fraction == 0.0 and out.readable and out.message == "Read $(X - X)^{-1}$: X - X is singular, so it has no inverse."


def test_no_expression_found():
    out = run("expression", "I did not do this one.", reference="A^T", symbols=Q1)
    assert out.fraction == 0.0 and not out.found and out.message == "No final expression found."
    assert run("expression", "", reference=MEAN, target="mean", **POST).message == "No mean found."


def test_student_definitions_are_used():
    own = "$$\\mu + G(u - L\\mu - m)$$ where $G = K L^T (\\Sigma + L K L^T)^{-1}$"
    # unlabelled, but the only statement with a mean's shape; the definition of G is not a statement
    assert run("expression", own, reference=MEAN, target="mean", **POST).fraction == 1.0
    own = "The posterior mean is $\\mu + G(u - L\\mu - m)$ where $G = K L^T (\\Sigma + L K L^T)^{-1}$."
    assert run("expression", own, reference=MEAN, target="mean", **POST).fraction == 1.0
    wrong_j = "The posterior mean is $\\mu + J(u - L\\mu - m)$ where $J = K L^T \\Sigma^{-1}$."
    assert run("expression", wrong_j, reference=MEAN, target="mean", **POST).fraction == 0.0


def test_unlabelled_mean_and_covariance_are_told_apart_by_shape():
    text = "$$\\mu + J(u - L\\mu - m)$$\n\n$$K - JLK^T$$"
    assert run("expression", text, reference=MEAN, target="mean", **POST).fraction == 1.0
    assert run("expression", text, reference=COV, target="cov", **POST).fraction == 1.0
    only_mean = run("expression", "$$\\mu + J(u - L\\mu - m)$$", reference=COV, target="cov", **POST)
    assert only_mean.fraction == 0.0 and not only_mean.found


def test_which_any_credits_a_derivation_that_reaches_the_result():
    text = ("$$\\mathbb{E}(v|u) = \\mu + K L^T (\\Sigma + LKL^T)^{-1}(u - L\\mu - m)$$\n\n"
            "$$v|u \\sim \\mathcal{N}(\\mu + J[u - (Lv + m)], K - JLK)$$")
    assert run("expression", text, reference=MEAN, target="mean", which="final", **POST).fraction == 0.0
    out = run("expression", text, reference=MEAN, target="mean", which="any", **POST)
    assert out.fraction == 1.0 and "(in the derivation)" in out.message


def test_also_when():
    params = dict(reference="A^T", symbols=Q1, also=["A"], also_when=["numerator layout"])
    assert run("expression", "$$\\nabla = A$$", **params).fraction == 0.0
    assert run("expression", "In numerator layout, $$\\nabla = A$$", **params).fraction == 1.0
    assert run("expression", "Not in numerator layout: $$\\nabla = A$$", **params).fraction == 0.0
    assert run("expression", "$$\\nabla = A$$", reference="A^T", symbols=Q1, also=["A"]).fraction == 1.0


def test_two_different_final_results_earn_nothing():
    text = "$$\\nabla = \\boxed{A^T}$$ or $$\\nabla = \\boxed{A}$$"
    out = run("expression", text, reference="A^T", symbols=Q1)
    assert out.fraction == 0.0 and "two different final results" in out.message and "neither is credited" in out.message
    assert run("expression_matches", text, references=["A"], symbols=Q1).fraction == 0.0
    same = "$$\\nabla = \\boxed{A^T}$$ that is $$\\nabla = \\boxed{A'}$$"
    assert run("expression", same, reference="A^T", symbols=Q1).fraction == 1.0


@pytest.mark.parametrize(("params", "match"), [
    ({"reference": "\\frac{A}{", "symbols": Q1}, "does not parse"),
    ({"reference": "Z^T", "symbols": Q1}, "undeclared"),
    ({"reference": "A^T", "symbols": {"X": "spd(p, q)"}}, "symbol table"),
    ({"reference": MEAN, "symbols": Q3, "definitions": {"J": "J L"}}, "definition"),
    ({"reference": "A^T", "symbols": Q1, "also": ["A +"]}, "does not parse"),
    ({"reference": "A^T", "symbols": Q1, "which": "best"}, "which"),
])
def test_a_broken_reference_is_a_grader_fault(params, match):
    with pytest.raises(MathReferenceError, match=match):
        registry.call(registry.get("expression"), "$$A^T$$", params)
    with pytest.raises(MathReferenceError):  # even when the student wrote nothing
        registry.call(registry.get("expression"), "", params)


HOSTILE = [
    "$$10^{10^{10^{10}}}$$",
    "$$" + "{" * 5000 + "x" + "}" * 5000 + "$$",
    "$$\\begin{bmatrix}" + " \\\\ ".join(" & ".join(["1"] * 400) for _ in range(400)) + "\\end{bmatrix}$$",
    "$$" + "x+" * 500_000 + "x$$",
    "x+" * 500_000 + "x",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"{t[:12]!r}x{len(t)}")
def test_hostile_expressions_are_rejected_quickly(text):
    run("expression", "$$A^T$$", reference="A^T", symbols=Q1)  # draws and reference cached, as when grading a class
    out = run("expression", text, reference="A^T", symbols=Q1)
    assert fastest(lambda: run("expression", text, reference="A^T", symbols=Q1)) < 0.05
    assert out.fraction == 0.0 and not out.readable and out.message


# --- expression_matches ----------------------------------------------------------------------------------------------
def test_expression_matches():
    assert run("expression_matches", "$$\\nabla = \\det(X) X^{-1}$$", references=["X^{-T}", "\\det(X) X^{-1}"],
               symbols=Q2).fraction == 1.0
    assert run("expression_matches", "$$\\nabla = \\det(X) X^{-T}$$", references=["\\det(X) X^{-1}"],
               symbols=Q2).fraction == 0.0
    shape = dict(references=[COV], kinds=["shape"], target="cov", **POST)
    assert run("expression_matches", "$$\\text{Cov}(v|u) = K - K L^T (L^T K L)^{-1} L K$$", **shape).fraction == 1.0
    assert run("expression_matches", "$$\\text{Cov}(v|u) = K + JLK$$", **shape).fraction == 0.0


# --- expression_form -------------------------------------------------------------------------------------------------
def test_form_uses_a_symbol_also_through_a_definition():
    mean = dict(target="mean", uses=["v"], **POST)
    assert run("expression_form", "$$v|u \\sim \\mathcal{N}(\\mu + J[u - (Lv + m)], K)$$", **mean).fraction == 1.0
    assert run("expression_form", "$$\\mathbb{E}[v|u] = \\mu + J r$$ with $r = u - Lv - m$", **mean).fraction == 1.0
    assert run("expression_form", "$$\\mathbb{E}[v|u] = \\mu + J(u - L\\mu - m)$$", **mean).fraction == 0.0


def test_form_scalar_and_functions():
    assert run("expression_form", "$$\\nabla = \\operatorname{Tr}(A)$$", symbols=Q1, scalar=True).fraction == 1.0
    assert run("expression_form", "$$\\nabla = \\operatorname{Tr}(A) I$$", symbols=Q1, scalar=True).fraction == 0.0
    assert run("expression_form", "$$\\nabla = \\operatorname{Tr}(A) I$$", symbols=Q1, functions=["tr"]).fraction == 1.0
    assert run("expression_form", "$$\\nabla = \\det X \\operatorname{tr}(X^{-1})$$", symbols=Q2, scalar=True).fraction == 1.0
    assert run("expression_form", "$$\\nabla = \\det(X) X^{-T}$$", symbols=Q2, scalar=True).fraction == 0.0
    unread = run("expression_form", "$$\\nabla = \\frac{1}{$$", symbols=Q2, scalar=True)
    assert unread.fraction == 0.0 and not unread.readable


def test_form_inverts():
    form = dict(target="cov", inverts=["L K L^T"], reference=COV, **POST)
    assert run("expression_form", "$$\\text{Cov}(v|u) = K - K L^T (L K L^T)^{-1} L K$$", **form).fraction == 1.0
    assert run("expression_form", "$$\\text{Cov}(v|u) = K - JLK$$ where $J = K L^T (L K L^T)^{-1}$", **form).fraction == 1.0
    assert run("expression_form", "$$\\text{Cov}(v|u) = K - JLK$$", **form).fraction == 0.0


# --- derivations -----------------------------------------------------------------------------------------------------
CHAIN_Q2 = ("$$\\begin{aligned} \\frac{\\partial \\det(X)}{\\partial X} &= \\left( \\frac{\\partial}{\\partial X_{ij}} "
            "\\sum_i \\sum_j X_{ij} C_{ij} \\right) \\quad \\text{where } C_{ij} = (-1)^{i+j} \\det(X_{-i, -j}) \\\\ "
            "&= (C_{ij})_{1 \\leq i, j \\leq d} \\\\ &= \\text{Cof}(X)^T \\\\ &= \\det(X)(X^{-1})^T \\end{aligned}$$")


def test_derivation_reports_the_first_false_step():
    out = run("derivation", CHAIN_Q2, symbols=Q2)
    assert out.fraction == 0.0 and out.value == ["(C_{ij})_{1 \\leq i, j \\leq d}", "\\text{Cof}(X)^T"]
    assert out.message.startswith("The step $(C_{ij})_{1 \\leq i, j \\leq d}$ = $\\text{Cof}(X)^T$ does not hold")


def test_derivation_does_not_fail_what_it_cannot_read():
    out = run("derivation", "$$\\frac{\\partial}{\\partial X} \\sum_k X_{kk} = \\sum_k A_{kk} = A^T$$", symbols=Q1)
    assert out.fraction == 1.0 and "could be checked" in out.message
    out = run("derivation", "$$(AB)^T = B^T A^T = \\sum_k B_{ki} A_{jk}$$", symbols=SQ)
    assert out.fraction == 1.0 and out.message.startswith("1 step checked, none false (1 not checked")


def test_derivation_over_consecutive_display_equations():
    text = "$$(AB)^T = B^T A^T$$\n\nand\n\n$$= A^T B^T$$"
    out = run("derivation", text, symbols=SQ)
    assert out.fraction == 0.0 and out.value == ["B^T A^T", "A^T B^T"]
    assert run("derivation", "$$(AB)^{-1} = B^{-1} A^{-1}$$", symbols=SQ).message == "1 step checked, none false."


def test_derivation_with_a_reference_needs_the_right_result():
    text = "$$\\nabla = A$$"
    assert run("derivation", text, symbols=Q1).fraction == 1.0
    assert run("derivation", text, symbols=Q1, reference="A^T").fraction == 0.0
    assert run("derivation", text, symbols=Q1, reference="A^T", also=["A"]).fraction == 1.0
    assert not run("derivation", "no math", symbols=Q1, reference="A^T").found


def test_derivation_step_detectors():
    cofactor = dict(symbols=Q2, left="\\operatorname{Cof}(X)", right="\\operatorname{Cof}(X)^T")
    assert run("derivation_step", CHAIN_Q2, **cofactor).fraction == 1.0
    assert run("derivation_step", "$$\\nabla = \\operatorname{Cof}(X) = \\det(X) X^{-T}$$", **cofactor).fraction == 0.0
    double = dict(symbols=Q2, patterns=["sum * sum * x_{ij} * c_{ij}"], false_only=False)
    assert run("derivation_step", CHAIN_Q2, **double).fraction == 1.0
    one_row = "$$\\det X = \\sum_j X_{ij} C_{ij}$$"
    assert run("derivation_step", one_row, **double).fraction == 0.0
    assert run("derivation_step", "$$\\det X = \\sum_i \\sum_j X_{ij} C_{ij}$$", **double).fraction == 1.0
    # a pattern detector that also asks for a false step does not fire on a step it cannot check
    assert run("derivation_step", CHAIN_Q2, symbols=Q2, patterns=["sum * sum * x_{ij}"]).fraction == 0.0


# --- a derivation's general formula, read with the moments the answer and the question give --------------------------
GENERAL = """Q3)
E[u] = L mu + m
Cov(u) = L K L^T + Sigma
Cov(v,u) = K L^T
E[v|u] = E[v] + Cov(v,u) Cov(u)^-1 (u - E[u])
       = mu + K L^T (Sigma + L K L^T)^-1 (L mu + m - u)
"""


def _q3_mean(text):
    from grader.grade import grade_document
    from grader.read import read_text
    from grader.rubric import load_rubric

    graded = grade_document(read_text(text, "answer.txt"), load_rubric("basic-knowledge"))
    return next(q for q in graded.questions if q.question_id == "q3-mean")


def test_the_general_formula_with_the_right_moments_earns_the_derivation_despite_a_slip_after_it():
    q = _q3_mean(GENERAL)
    derived = next(c for c in q.checks if c.check_id == "derived")
    assert derived.earned == derived.points and "moments" in derived.message
    assert next(c for c in q.checks if c.check_id == "final").earned == 0
    assert not q.misconceptions


def test_the_general_formula_with_a_wrong_moment_earns_nothing():
    q = _q3_mean(GENERAL.replace("Cov(u) = L K L^T + Sigma", "Cov(u) = L K L^T").replace("Sigma + L K L^T", "L K L^T"))
    assert next(c for c in q.checks if c.check_id == "derived").earned == 0


def test_given_moments_are_written_as_moments():
    from grader.checkers.expressions import _given_moments
    from grader.mathexpr import MathReferenceError

    (pattern, value), = _given_moments((("E[v]", "\\mu"),))
    assert pattern.fullmatch("\\mathbb{E}[v]") and pattern.fullmatch("E(v)") and value == "(\\mu)"
    with pytest.raises(MathReferenceError):
        _given_moments((("the prior mean", "\\mu"),))
