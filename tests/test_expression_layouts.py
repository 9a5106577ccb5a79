"""Matrix expressions in the layouts real answers use: plain text without LaTeX (spelled Greek letters, X^-1,
labelled lines, the student's own names), notebook code and outputs, distributions stated last, index derivations
with asides, equations about another quantity, and the rubric's cue words."""

import pytest

from grader.checkers import registry
from grader.extract.answer import Answer, extract
from grader.extract.expression_labels import Cues, names_other_quantity
from grader.extract.expressions import final_expression, find_expressions
from grader.grade import grade_question
from grader.mathexpr import equivalent, find_definitions
from grader.mathexpr.plain import code_forms, greek_names, spelled_greek
from grader.model import Block, BlockKind, Region
from grader.rubric import load_rubric
from grader.textnorm import normalize

TRACE = {"X": "matrix(p, q)", "A": "matrix(q, p)"}
DET = {"X": "invertible(d)"}
POSTERIOR = {"K": "spd(d)", "L": "matrix(n, d)", "Sigma": "spd(n)", "mu": "vector(d)", "m": "vector(n)",
             "u": "vector(n)"}
DEFINITIONS = {"J": r"K^T L^T (\Sigma + L K L^T)^{-1}", "P": r"(K^{-1} + L^T \Sigma^{-1} L)^{-1}"}
MEAN, COV = r"\mu + J(u - L\mu - m)", "K - JLK"
WHERE = {"symbols": POSTERIOR, "definitions": DEFINITIONS, "condition": "v|u"}


def run(name: str, answer, **params):
    spec = registry.get(name)
    assert not registry.validate_params(spec, params), registry.validate_params(spec, params)
    return registry.call(spec, answer, params)


def notebook(*cells: tuple[BlockKind, str]) -> Answer:
    return extract(Region("q", tuple(Block(kind, text, f"cell {i}") for i, (kind, text) in enumerate(cells))))


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("basic-knowledge")


def grade(rubric, question_id: str, *blocks: Block):
    return grade_question(rubric.question(question_id), Region(question_id, tuple(blocks)))


# --- plain text: spelled Greek letters, X^-1, labelled lines, the student's own names --------------------------------

def test_spelled_greek_letters_are_the_declared_symbols_only():
    names = greek_names(["Sigma", "mu", "K", "mu_0"])
    assert names == {"Sigma", "mu"}
    assert spelled_greek("L^T Sigma^-1 (u - m) + K^-1 mu", names) == r"L^T \Sigma^-1 (u - m) + K^-1 \mu"
    assert spelled_greek("sigma + Sigmas + mu_0 + emu", names) == r"sigma + Sigmas + \mu_0 + emu"
    assert spelled_greek("mu", ()) == "mu"  # no μ declared: m·u stays a product


def test_a_plain_text_posterior_is_read_with_its_labels_and_greek_names():
    text = ("precision: P^-1 = K^-1 + L^T Sigma^-1 L\n"
            "Cov(v|u) = P = (K^-1 + L^T Sigma^-1 L)^-1\n"
            "E[v|u]   = P (L^T Sigma^-1 (u - m) + K^-1 mu)\n")
    greek = ("Sigma", "mu")
    mean = final_expression(text, "mean", "v|u", greek=greek)
    cov = final_expression(text, "cov", "v|u", greek=greek)
    assert mean.value == r"P (L^T \Sigma^-1 (u - m) + K^-1 \mu)" and mean.extra["target"] == "mean"
    assert cov.value == r"(K^-1 + L^T \Sigma^-1 L)^-1" and cov.extra["target"] == "cov"
    assert run("expression", text, reference=MEAN, target="mean", **WHERE).fraction == 1.0
    assert run("expression", text, reference=COV, target="cov", **WHERE).fraction == 1.0
    # the covariance does not depend on u: no false alarm from reading the mean as the covariance
    assert run("expression_form", text, target="cov", uses=["u"], reference=COV, **WHERE).fraction == 0.0


def test_the_students_own_name_on_an_earlier_line_is_used():
    assert find_definitions("Cov(v|u) = P = (K^-1 + L^T Sigma^-1 L)^-1\n", POSTERIOR) == {
        "P": r"(K^-1 + L^T \Sigma^-1 L)^-1"}
    # a wrong P of the student's own makes the mean written with P wrong, although the question's P is right
    wrong = "Cov(v|u) = P = (K^-1 + L^T L)^-1\nE[v|u] = P (L^T Sigma^-1 (u - m) + K^-1 mu)\n"
    assert run("expression", wrong, reference=MEAN, target="mean", **WHERE).fraction == 0.0
    right = wrong.replace("L^T L", "L^T Sigma^-1 L")
    assert run("expression", right, reference=MEAN, target="mean", **WHERE).fraction == 1.0


def test_plain_lines_beside_latex_are_read_when_they_are_formulas():
    text = ("For $v$ given $u$:\nG = K L^T Sigma^-1\nE[v|u] = mu + G (u - L mu - m)\n"
            "so the mean = the prior mean plus a gain")
    answer = Answer.from_text(text)
    mean = answer.final_expression("mean", "v|u", greek=("Sigma", "mu"))
    assert mean.latex == r"\mu + G (u - L \mu - m)" and mean.kind == "plain"
    assert find_definitions(text, POSTERIOR) == {"G": r"K L^T \Sigma^-1"}
    # a line of words with an "=" is no formula; one that says a formula in words is that formula
    assert Answer.from_text("We have $x$.\nso the answer = the one from the lecture").final_expression() is None
    assert Answer.from_text("We have $x$.\nso the answer = the transpose of A").final_expression().latex == "A^T"


@pytest.mark.parametrize("text, target, expected", [
    # a plain sentence whose verb introduces the formula
    ("The gradient is A^T.", "final", "A^T"),
    ("So the derivative is A^T (the transpose of A).", "final", "A^T"),
    ("Réponse : la transposée de A, soit A^T.", "final", "A^T"),
    ("The posterior mean is mu + J (u - L mu - m).", "mean", r"\mu + J (u - L \mu - m)"),
    # every statement of a line, a definition after the result cut off
    ("Cov(v|u) = K - J L K, where J = K L^T (Sigma + L K L^T)^-1", "cov", "K - J L K"),
    ("E[v|u] = mu + J (u - L mu - m) with J = K L^T Sigma^-1", "mean", r"\mu + J (u - L \mu - m)"),
    # a power in round brackets
    ("Cov(v|u) = (K^(-1) + L^T Sigma^(-1) L)^(-1)", "cov", r"(K^{-1} + L^T \Sigma^{-1} L)^{-1}"),
])
def test_plain_sentences_and_lines(text, target, expected):
    found = final_expression(text, target, "v|u", greek=("Sigma", "mu"))
    assert found is not None and found.value == expected, found


@pytest.mark.parametrize("text, expected", [
    # inline math after a verb and up to three words naming it, in English or French
    (r"The gradient is the cofactor matrix $\operatorname{Cof}(X)$.", r"\operatorname{Cof}(X)"),
    ("La dérivée vaut $A^T$.", "A^T"),
    ("Donc $A^T$.", "A^T"),
    (r"Tr(XA) is a function of $X$ only; the gradient is the transpose $A^T$.", "A^T"),
])
def test_inline_math_after_a_concluding_phrase(text, expected):
    assert final_expression(text).value == expected


def test_inline_math_after_a_preposition_is_an_argument():
    assert final_expression("The trace is a function of $X$.") is None


def test_a_note_in_words_after_a_plain_value_is_not_part_of_it():
    assert final_expression("dTr(XA)/dX = A^T (the transpose of A)\n").value == "A^T"
    assert final_expression("Answer: A^T\n").value == "A^T"
    assert final_expression("Cov(v|u): K - J L K\n", "cov", "v|u").extra["target"] == "cov"
    assert final_expression("d Tr(XA)/dX = Tr(A) (XA)\n").value != "Tr(A)"  # a bracket of math is not a note


def test_a_plain_distribution_line_states_mean_and_covariance():
    text = "E[v|u] = mu + J(u - L mu - m)\nv|u ~ N(mu + J[u - (Lv + m)], K - J L K)\n"
    found = final_expression(text, "mean", "v|u", greek=("mu",))
    assert found.value == r"\mu + J[u - (Lv + m)]" and found.extra["kind"] == "distribution"
    assert final_expression(text, "cov", "v|u").value == "K - J L K"


# --- notebooks: code forms, comments and printed checks ----------------------------------------------------------------

@pytest.mark.parametrize(("code", "latex"), [
    ("A.T", "A^{T}"),
    ("inv(X).T", "{(X)^{-1}}^{T}"),
    ("np.linalg.inv(X).T", "{(X)^{-1}}^{T}"),
    ("np.linalg.det(X) * np.linalg.inv(X).T", "det(X) * {(X)^{-1}}^{T}"),
    ("A @ B.T", "A B^{T}"),
    ("np.dot(A, B)", "{(A)(B)}"),
    ("np.transpose(inv(K + L.T @ L))", "{({(K + L^{T} L)^{-1}})^{T}}"),
    ("X**-1", "X^{-1}"),
    ("(A @ B).T", "(A B)^{T}"),
])
def test_code_forms(code, latex):
    assert code_forms(code) == latex


@pytest.mark.parametrize(("code", "reference", "symbols"), [
    ("np.linalg.inv(X).T", "X^{-T}", DET),
    ("np.linalg.det(X) * np.linalg.inv(X).T", r"\det(X) X^{-T}", DET),
    ("A.T", "A^T", TRACE),
    ("np.trace(X @ A) * np.eye(3)", r"\operatorname{tr}(XA) I", TRACE),
])
def test_code_forms_read_as_the_expressions(code, reference, symbols):
    answer = notebook((BlockKind.CODE, f"grad = {code}"))
    assert run("expression", answer, reference=reference, symbols=symbols).fraction == 1.0


def test_a_printed_check_is_never_the_final_expression():
    answer = notebook((BlockKind.CODE, "G = num_grad(lambda X: np.trace(X @ A), X)\nprint(np.allclose(G, A.T))\n"
                                       "# answer: dTr(XA)/dX = A^T"),
                      (BlockKind.OUTPUT, "True"), (BlockKind.CODE, "print(np.abs(G - A.T).max())"),
                      (BlockKind.OUTPUT, "1.3e-10"))
    found = answer.final_expression()
    assert found.latex == "A^T" and found.kind == "plain"
    assert answer.output_ranges() and all(c.latex not in ("True", "1.3e-10") for c in found.candidates)
    assert run("expression", answer, reference="A^T", symbols=TRACE).fraction == 1.0
    assert final_expression("x = 1\nTrue\n").value == "1"  # a boolean is never an expression, printed or not


def test_a_notebook_inverse_transpose_is_the_log_det_gradient(rubric):
    result = grade(rubric, "q2", Block(BlockKind.CODE, "print(np.allclose(G, np.linalg.inv(X).T))\n"
                                                       "# d det(X)/dX = (X^-1)^T = inv(X).T", "cell 1"),
                   Block(BlockKind.OUTPUT, "True", "cell 1 output"))
    assert result.score == 0 and [m.id for m in result.misconceptions] == ["det.log-det"]


# --- the last statement of the target wins, whatever its form ------------------------------------------------------

def test_a_distribution_stated_last_is_the_final_mean(rubric):
    text = ("$E[v|u] = \\mu + KL^T(\\Sigma + LKL^T)^{-1}(u - L\\mu - m)$\n\n"
            "So with $J = K^TL^T(\\Sigma+LKL^T)^{-1}$ we have shown\n\n"
            "$$\nv \\mid u \\sim \\mathcal{N}\\big(\\mu + J[u - (Lv + m)],\\; K - JLK\\big)\n$$")
    found = final_expression(text, "mean", "v|u")
    assert found.value == "\\mu + J[u - (Lv + m)]" and found.extra["kind"] == "distribution"
    assert final_expression(text, "cov", "v|u").value == "K - JLK"  # the spacing ",\;" is not part of it
    result = grade(rubric, "q3-mean", Block(BlockKind.PROSE, text, "line 1"))
    assert 0.5 <= result.score / result.points <= 0.75  # the derivation reached it; the final line did not
    assert [m.id for m in result.misconceptions] == ["posterior.mean-uses-v"]


def test_emphasis_still_says_otherwise():
    text = ("**$E[v|u] = \\mu + J(u - L\\mu - m)$**\n\n"
            "$$v \\mid u \\sim \\mathcal{N}\\Bigl(\\mu + J[u - (Lv + m)], K - JLK\\Bigr)$$")
    assert final_expression(text, "mean", "v|u").value == MEAN


# --- index derivations: asides and wrappers ---------------------------------------------------------------------------

INDEX_DERIVATION = r"""$$
\begin{align}
\frac{\partial \operatorname{tr}(XA)}{\partial X_{ij}}
 &= \frac{\partial}{\partial X_{ij}} \sum_{k}\sum_{l} X_{kl} A_{lk} \\
 &= A_{ji}
\end{align}
$$

since only the term $k = i$, $l = j$ survives. Therefore

$$
\textbf{$\dfrac{\partial \operatorname{tr}(XA)}{\partial X} = A^{\top}$}.
$$"""


def test_an_index_derivation_with_asides_reaches_its_final_answer(rubric):
    found = final_expression(INDEX_DERIVATION)
    assert found.value == "A^{\\top}" and "$" not in found.value
    assert run("expression", INDEX_DERIVATION, reference="A^T", symbols=TRACE).fraction == 1.0
    result = grade(rubric, "q1", Block(BlockKind.PROSE, INDEX_DERIVATION, "line 1"))
    assert result.score == result.points and not result.misconceptions


def test_definitions_the_answer_does_not_use_are_not_needed():
    assert equivalent("A^T", "A^T", TRACE, student_definitions={"k": "i", "l": "j"}).equivalent is True
    used = equivalent("A^T B", "A^T", TRACE, student_definitions={"B": "i", "k": "j"})
    assert used.kind == "unknown_symbol" and used.unknown == ("i",)  # a definition it uses still must read


# --- an equation about another quantity is not the answer -------------------------------------------------------------

@pytest.mark.parametrize(("lhs", "labels", "other"), [
    (r"\langle A, B\rangle", [r"\langle"], True),
    ("<A, B>", ["<"], True),
    (r"\det(X)", ["det"], True),
    (r"\det X", ["det"], True),
    (r"\mathrm{d}\det(X)", [r"d\det"], True),
    ("d det(X)", [r"d\det"], True),
    ("d det(X) / dX", [r"d\det", "det"], False),  # the derivative itself
    (r"\frac{\partial \det X}{\partial X}", [r"d\det", "det", r"\langle"], False),
    (r"\operatorname{Tr}(XA)", ["tr"], True),
    ("trace(XA)", ["tr"], False),
    (r"\det(X)^{-1}", ["det"], False),  # an expression, not the quantity
    ("C_{ij}", ["C"], True),  # the bare-symbol rule of the matrix extractor
    ("G", ["C"], False),
])
def test_names_other_quantity(lhs, labels, other):
    assert names_other_quantity(lhs, labels) is other


def test_an_inner_product_aside_is_not_the_final_expression(rubric):
    text = (r"$\dfrac{\partial \det(X)}{\partial X} = \det(X)\,(X^{-1})^T$ (Jacobi's formula, then the inner product "
            r"$\langle A, B\rangle = \mathrm{Tr}(A^TB)$).")
    assert final_expression(text).value == r"\det(X)\,(X^{-1})^T"  # in a bracketed aside: no result
    assert final_expression(text, other_labels=(r"\langle",)).value == r"\det(X)\,(X^{-1})^T"
    plain = text.replace("(Jacobi's", ", by Jacobi's").replace("$).", "$.")
    assert final_expression(plain).value == r"\mathrm{Tr}(A^TB)"  # outside one, the rubric's labels tell
    assert final_expression(plain, other_labels=(r"\langle",)).value == r"\det(X)\,(X^{-1})^T"
    result = grade(rubric, "q2", Block(BlockKind.PROSE, text, "line 1"))
    assert result.score == result.points and not result.misconceptions


# --- cue words are the rubric's -------------------------------------------------------------------------------------

def test_cue_words_are_parameters():
    text = "La moyenne a posteriori vaut $\\mu + J(u - L\\mu - m)$ et la covariance a posteriori est $K - JLK$."
    # generic English cues only: nothing says which is the mean (the statements are read, unlabelled)
    assert all(f.extra.get("unlabelled") for f in find_expressions(text, "mean", "v|u"))
    cues = {"mean": ["moyenne a posteriori"], "cov": ["covariance a posteriori"]}
    assert final_expression(text, "mean", "v|u", cues=cues).value == MEAN
    assert final_expression(text, "cov", "v|u", cues=cues).value == COV
    english = "The posterior mean is $\\mu + J(u - L\\mu - m)$ and the covariance: $K - JLK$."
    assert final_expression(english, "cov", "v|u").value == COV


def test_cue_syntax():
    cues = Cues({"mean": ["posterior|conditional mean|expectation", "the mean ="]})
    assert cues.last("the conditional expectation ") == "mean"
    assert cues.last("la moyenne ") is None and cues.last("in the mean of ") is None
    assert cues.last("The Mean: ") == "mean"
    assert Cues({"mean": ["espérance ="]}).last("l'esperance vaut ") == "mean"  # accents optional
    with pytest.raises(ValueError):
        Cues({"mean": ["= the mean"]})


def test_the_rubric_validates_cues():
    spec = registry.get("expression")
    base = {"reference": MEAN, "symbols": POSTERIOR}
    assert not registry.validate_params(spec, {**base, "cues": {"mean": ["posterior mean"]}})
    assert registry.validate_params(spec, {**base, "cues": {"median": ["posterior median"]}})
    assert registry.validate_params(spec, {**base, "cues": {"mean": ["= mean"]}})


def test_the_rubrics_set_their_cues():
    for name in ("basic-knowledge", "bayes-linreg"):
        calls = [c for q in load_rubric(name).questions for check in q.checks for c in check.calls
                 if c.checker.startswith("expression")]
        assert calls and all(c.params.get("cues") for c in calls if c.params.get("target") in ("mean", "cov")
                             or name == "bayes-linreg"), name


def test_unbraced_inverses_are_inverses():
    symbols = {**POSTERIOR, "X": "invertible(n)"}
    assert equivalent(r"K^-1 \mu", r"K^{-1} \mu", symbols).equivalent is True
    assert equivalent("X^-T", "(X^{-1})^T", symbols).equivalent is True
    assert equivalent(r"(K^-1 + L^T \Sigma^-1 L)^-1", COV, symbols, DEFINITIONS).equivalent is True


def test_a_printed_result_is_read_beside_the_math_of_the_answer():
    from grader.extract.answer import extract
    from grader.model import Block, BlockKind, Region

    region = Region("q2", (
        Block(BlockKind.PROSE, r"Jacobi : $d\det(X) = \det(X)\,\mathrm{tr}(X^{-1}\,dX)$.", "cell 1"),
        Block(BlockKind.CODE, 'print("Q2 : d det(X)/dX = det(X) * (X^{-1})^T")', "cell 2"),
        Block(BlockKind.OUTPUT, "Q2 : d det(X)/dX = det(X) * (X^{-1})^T", "cell 2 output"),
    ))
    answer = extract(region)
    found = answer.final_expression(other_labels=("d\\det",))  # the differential names another quantity
    assert found is not None and found.snippet == "det(X) * (X^{-1})^T" and found.kind == "plain"
    printed_check = extract(Region("q2", region.blocks[:1] + (Block(BlockKind.OUTPUT, "True", "cell 3 output"),)))
    assert printed_check.final_expression(other_labels=("d\\det",)) is None  # a printed check is never the answer


def test_a_double_index_typed_without_braces_is_one_index():
    from grader.extract.plain_text import plain_value

    assert plain_value("(C_ij)_ij", ()) == "(C_{ij})_{ij}"
    assert plain_value("X_12 + X_1", ()) == "X_{12} + X_1"


@pytest.mark.parametrize("text", [
    "C_ij = (-1)^(i+j) det(X without row i and column j) is the cofactor.",
    "$C_{ij} = (-1)^{i+j}\\det(X_{-i,-j})$",
    "$C_{ij} = (-1)^{i+j}\\det\\bigl(X^{(ij)}\\bigr)$, the minor's determinant",
])
def test_the_cofactor_formula_defines_the_cofactor_matrix_however_the_minor_is_written(text):
    assert find_definitions(text, DET)["C"] == "\\operatorname{Cof}(X)"


def test_the_plain_text_cofactor_matrix_is_the_gradient():
    text = ("Expand det along row i: det X = sum_j X_ij C_ij where C_ij = (-1)^(i+j) det(X\n"
            "without row i and column j) is the cofactor. So the gradient is the cofactor matrix:\n\n"
            "  d det(X)/dX = com(X) = (C_ij)_ij\n")
    outcome = run("expression", Answer.from_text(text), reference="\\det(X) (X^{-1})^T", symbols=DET)
    assert outcome.fraction == 1.0, outcome.message


def test_math_that_goes_on_from_a_formula_typed_before_it_on_its_line():
    text = ("the (i,j) entry of the gradient is $\\det X (X^{-1})_{ji}$, i.e.\n\n"
            "**∂det(X)/∂X = det X * X^-T**   $= \\det(X) (X^{-1})^T$")
    found = final_expression(text)
    assert found.value == "\\det(X) (X^{-1})^T" and found.extra["lhs"] == "∂det(X)/∂X"


def test_an_arrow_line_states_the_result():
    text = "d Tr(XA) / dX = Tr(A)\n\n=> Tr(A)\n"
    assert final_expression(text).value == "\\operatorname{Tr}(A)"


def test_a_definition_given_with_colon_equals_is_not_replaced_by_a_quoted_one():
    text = ("Mit $J := KL^T\\,(LKL^T)^{-1}$ erhalte ich $\\mu + J(u - L\\mu - m)$. In der Angabe steht "
            "$J = K^TL^T(\\Sigma + LKL^T)^{-1}$.")
    assert find_definitions(text, POSTERIOR) == {"J": "KL^T\\,(LKL^T)^{-1}"}
    assert find_definitions("$J = K L^T$, then $J = K L^T \\Sigma^{-1}$", POSTERIOR) == {"J": "K L^T \\Sigma^{-1}"}


def test_a_remark_in_brackets_is_no_statement_of_the_mean():
    text = ("$$\\mathbb E[v \\mid u] = \\mu + J\\,(u - L\\mu - m)$$\n\n"
            "(In the statement the mean is printed with $Lv$, but the conditional mean given $u$ can't depend on $v$.)")
    assert final_expression(text, "mean", "v|u").value == "\\mu + J\\,(u - L\\mu - m)"


@pytest.mark.parametrize("text,value", [
    ("We get $A^T$.\n\nFinal: $\\nabla = A^T$\n\nCheck: $(A^T)^T = A$", "A^T"),
    ("$$\\frac{\\partial}{\\partial X} = A^T$$\n\nSanity check with $A = I$: $I^T = I$.", "A^T"),
    ("Ergebnis: $A^\\top$. Probe: für $A = I$ gilt $I$.", "A^\\top"),
    # a check that concludes "so the answer is" states a result again
    ("**Answer:** $\\nabla = A'$\n\nSanity check with scalars: the derivative of $xa$ is $a$, so the answer is $A$.", "A"),
])
def test_a_check_of_the_result_is_not_the_result(text, value):
    assert final_expression(text).value == value


def test_a_moment_the_answer_states_is_replaced_by_its_value_in_later_steps():
    text = ("$\\mathbb E[u] = L\\mu + m$, $\\operatorname{Cov}(u) = LKL^T + \\Sigma$.\n\n"
            "$$\\mathbb E[v\\mid u] = \\mu + KL^{T}(\\Sigma + LKL^{T})^{-1}\\bigl(u - \\mathbb E[u]\\bigr)$$\n")
    answer = Answer.from_text(text)
    got = run("expression", answer, reference=MEAN, target="mean", which="any", **WHERE)
    assert got.fraction == 1.0, got.message
    wrong = Answer.from_text(text.replace("L\\mu + m$", "L\\mu$"))  # E[u] stated without m: the step is wrong
    assert run("expression", wrong, reference=MEAN, target="mean", which="any", **WHERE).fraction == 0.0


def test_a_paragraph_typed_on_one_line_is_read_clause_by_clause():
    line = ("For the trace we can write Tr(XA) = sum over i and k of X_ik A_ki, this is a linear function of the "
            "entries of X, and when we take the partial derivative all the terms disappear except one, so we find that "
            "the derivative of Tr(XA) with respect to X is A^T, the transpose of A, and it does not depend on X.")
    assert final_expression(line).value == "A^T"
    mean = ("The pair is jointly gaussian since u = L v + m + e with e ~ N(0,S) independent of v. Then I apply the "
            "conditioning formula, E[v|u] = E[v] + Cov(v,u) Cov(u)^{-1} (u - E[u]), so the posterior mean is "
            "mu + K L^T (L K L^T + S)^{-1} (u - L mu - m) and in the same way the posterior covariance is "
            "Cov(v|u) = K - K L^T (L K L^T + S)^{-1} L K.")
    assert final_expression(mean, "mean", "v|u").value.startswith("mu + K L^T")
    assert final_expression(mean, "cov", "v|u").value.startswith("K - K L^T")


def test_control_spaces_around_a_boxed_result_are_layout():
    found = final_expression("$$\\boxed{\\ \\frac{\\partial \\det X}{\\partial X} = \\det(X)\\, X^{-\\top}\\ }$$")
    assert found.value == "\\det(X)\\, X^{-\\top}"


def test_bold_in_a_plain_line_marks_the_answer_and_is_no_product():
    found = final_expression(normalize("The check matches `A.T`, so **∂Tr(XA)/∂X = Aᵀ**.\nAlso A^T A is square.\n"))
    assert found.value == "A^T" and found.emphasized
    # a power's stars stand between operands: no bold there
    assert final_expression("X**2 + Y**2 = Z**2").value == "Z^{2}"


def test_a_distribution_inside_a_paragraph_typed_on_one_line_is_read():
    line = ("The formula agrees with direct conditioning of the joint Gaussian, so **v | u ~ N(μ + J(u − Lμ − m), "
            "(I − JL)K)** with J = KᵀLᵀ(Σ + LKLᵀ)⁻¹ (note that the statement's mean has a typo, it should be Lμ).")
    assert len(line) > 200
    line = normalize(line)
    mean, cov = final_expression(line, "mean", "v|u"), final_expression(line, "cov", "v|u")
    assert mean.value.replace(" ", "") == "μ+J(u-Lμ-m)" and cov.value.replace(" ", "") == "(I-JL)K"
    assert mean.emphasized
