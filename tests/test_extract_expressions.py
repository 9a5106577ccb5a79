"""grader.extract.expressions: which expression an answer gives as its result, and its derivation chains."""

import time

import pytest
from timing import fastest

from grader.extract.expressions import (
    MAX_TEXT_LENGTH, TARGETS, derivation_chains, final_expression, find_expressions,
)
from grader.textnorm import normalize


def final(text, target="final", condition=""):
    found = final_expression(text, target, condition)
    return None if found is None else found.value


# --- the final expression ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("$$\\frac{\\partial Tr(XA)}{\\partial X} = A^T$$", "A^T"),
    ("$$A^T$$", "A^T"),
    ("\\[ \\nabla_X \\operatorname{tr}(XA) = A^\\top \\]", "A^\\top"),
    ("$$\\begin{aligned} f &= a \\\\ &= b \\\\ &= A^T \\end{aligned}$$", "A^T"),
    ("$$a = b$$\n\nthen\n\n$$c = d$$", "d"),
    ("So the gradient is $A^T$.", "A^T"),
    ("Hence: $A^T$", "A^T"),
    ("We get $\\nabla = A^T$ from the sum.", "A^T"),
    ("$$\\frac{\\partial}{\\partial X} = A^T \\quad \\text{since } (XA)_{ii} = \\sum_k X_{ik} A_{ki}$$", "A^T"),
    ("\\begin{equation} G = \\det(X) X^{-T} \\end{equation}", "\\det(X) X^{-T}"),
])
def test_final_is_the_last_right_hand_side(text, expected):
    assert final(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("$$\\nabla = \\boxed{A^T}$$\n\nCheck: $$(A^T)^T = A$$", "A^T"),  # boxed wins over later plain statements
    ("$$\\boxed{\\nabla = A^T}$$ and then $$x = y$$", "A^T"),
    ("**$A^T$** is the answer; the derivation gave $$\\nabla = A^T$$", "A^T"),
    ("$$\\nabla = \\fbox{A'}$$", "A'"),
])
def test_emphasized_answer_wins(text, expected):
    found = final_expression(text)
    assert found.value == expected and found.emphasized


def test_inline_mentions_are_not_answers():
    assert final("Let $A$ and $X$ be matrices.") is None
    text = "$$\\nabla = A^T$$ where $A^T$ is the transpose of $A$."
    assert final(text) == "A^T"
    assert [f.value for f in find_expressions(text)] == ["A^T"]


def test_definitions_are_not_answers():
    text = "$$\\mu + J(u - L\\mu - m)$$ where $J = K L^T (\\Sigma + L K L^T)^{-1}$."
    assert final(text) == "\\mu + J(u - L\\mu - m)"
    entry = "$$\\frac{\\partial \\det X}{\\partial X} = (C_{ij})$$ with $C_{ij} = (-1)^{i+j} \\det(X_{-i,-j})$"
    assert final(entry) == "(C_{ij})"
    # definitions used only by other definitions are definitions too
    chained = "$$\\mu + J(u - L\\mu - m)$$ where $J = P L^T \\Sigma^{-1}$ and $P = (K^{-1} + L^T \\Sigma^{-1} L)^{-1}$."
    assert final(chained) == "\\mu + J(u - L\\mu - m)"
    # a name nobody else uses is a result, not a definition
    assert final("$$G = A^T$$") == "A^T"


def test_distribution_statements_are_not_final_expressions():
    assert final("$$A^T$$ and $\\varepsilon \\sim \\mathcal{N}(0, \\Sigma)$ with $u = Lv$") == "Lv"
    assert final("$$x \\sim \\mathcal{N}(0, 1)$$") is None


def test_plain_text_lines():
    assert final("dTr(XA)/dX = A^T") == "A^T"
    assert final("A^T\n\nThis is because the trace is linear.") == "A^T"
    assert final("The answer is the transpose.") is None
    assert final("d det X / dX = det(X) X^{-T}") == "\\operatorname{det}(X) X^{-T}"


def test_bare_function_names_become_functions():
    found = final_expression("$$\\nabla = det(X) (X^{-1})^T + Tr(A) - trace (B)$$")
    assert found.value == "\\operatorname{det}(X) (X^{-1})^T + \\operatorname{Tr}(A) - \\operatorname{trace} (B)"
    assert found.snippet.startswith("det(X)")  # the evidence quotes the student
    assert final("$$\\det(X) + adjective(X)$$") == "\\det(X) + adjective(X)"


# --- mean and covariance of a conditional ----------------------------------------------------------------------------
POSTERIOR = "v|u \\sim \\mathcal{N}(\\mu + J[u - (Lv + m)], K - JLK)"


@pytest.mark.parametrize(("text", "mean", "cov"), [
    (f"$${POSTERIOR}$$", "\\mu + J[u - (Lv + m)]", "K - JLK"),
    ("$$p(v|u) = \\mathcal{N}(v; a, b)$$", "a", "b"),
    ("$$p(v \\mid u) = \\mathcal{N}(v \\mid a, B)$$", "a", "B"),
    ("$$v|u \\sim \\mathcal N \\left( a + b, \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\right)$$", "a + b",
     "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
    ("$$\\mathbb{E}[v|u] = \\mu + x$$\n$$\\text{Cov}(v|u) = K - y$$", "\\mu + x", "K - y"),
    ("$$\\mathbb{E}(v \\mid u) = a = b$$ $$\\operatorname{Var}(v \\mid u) = c$$", "b", "c"),
    ("$$\\mu_{v|u} = a$$ $$\\Sigma_{v|u} = c$$", "a", "c"),
    ("$$E_{v|u}[v] = a$$ $$\\mathrm{Cov}(v|u) = c$$", "a", "c"),
    ("The posterior mean is $a + b$ and the posterior covariance is $c$.", "a + b", "c"),
])
def test_mean_and_covariance(text, mean, cov):
    assert final(text, "mean", "v|u") == mean
    assert final(text, "cov", "v|u") == cov


def test_only_the_named_conditional_counts():
    text = "$$u|v \\sim \\mathcal{N}(Lv + m, \\Sigma)$$ $$\\begin{pmatrix} v \\\\ u \\end{pmatrix} \\sim \\mathcal{N}(a, B)$$"
    assert find_expressions(text, "mean", "v|u") == []
    assert final(text, "mean") == "Lv + m"  # no condition given: any conditional
    assert final(f"$${POSTERIOR}$$ $$u|v \\sim \\mathcal{{N}}(Lv + m, \\Sigma)$$", "mean", "v|u") == \
        "\\mu + J[u - (Lv + m)]"


def test_the_last_statement_of_the_mean_wins_and_the_others_are_kept():
    text = ("$$\\mathbb{E}(v|u) = \\mathbb{E}(v) + \\text{Cov}(v,u)\\text{Cov}(u)^{-1}(u - \\mathbb{E}(u)) = "
            "\\mu + K L^T (\\Sigma + LKL^T)^{-1}(u - L\\mu - m)$$\n\nLet $J = K^T L^T (\\Sigma + LKL^T)^{-1}$, we have"
            f"\n\n$${POSTERIOR}$$")
    found = final_expression(text, "mean", "v|u")
    assert found.value == "\\mu + J[u - (Lv + m)]" and found.extra["kind"] == "distribution"
    assert [c.value for c in found.extra["candidates"]] == [
        "\\mu + K L^T (\\Sigma + LKL^T)^{-1}(u - L\\mu - m)", "\\mu + J[u - (Lv + m)]"]
    assert found.extra["rivals"] == ()  # the derivation is not a rival result


def test_unlabelled_statements_are_flagged():
    found = final_expression("$$\\mu + J(u - L\\mu - m)$$\n\n$$K - JLK$$", "mean", "v|u")
    assert found.extra["unlabelled"] and [c.value for c in found.extra["candidates"]] == [
        "\\mu + J(u - L\\mu - m)", "K - JLK"]


# --- two different final results -------------------------------------------------------------------------------------
def test_rivals_are_other_emphasized_results_and_later_statements():
    found = final_expression("$$\\nabla = \\boxed{A^T}$$ or $$\\nabla = \\boxed{A}$$")
    assert found.value == "A" and [r.value for r in found.extra["rivals"]] == ["A^T"]
    found = final_expression("**$A^T$**\n\n$$\\nabla = A$$")
    assert found.value == "A^T" and [r.value for r in found.extra["rivals"]] == ["A"]
    two = final_expression(f"$$\\boxed{{{POSTERIOR}}}$$ $$\\boxed{{v|u \\sim \\mathcal{{N}}(a, b)}}$$", "cov", "v|u")
    assert two.value == "b" and [r.value for r in two.extra["rivals"]] == ["K - JLK"]
    # plain statements before the answer are derivation, not rivals; inline remarks after it neither
    assert final_expression("$$x = A$$ $$\\nabla = \\boxed{A^T}$$ where $B = A^T$").extra["rivals"] == ()


# --- derivation chains -----------------------------------------------------------------------------------------------
def test_an_example_worked_in_numbers_is_no_step_of_the_derivation():
    text = ("$$\\frac{\\partial \\det X}{\\partial X} = \\det(X) X^{-T}$$ so test a non-symmetric one: "
            "$X=\\begin{pmatrix}1&2\\\\0&1\\end{pmatrix}$, $X^{-1}=\\begin{pmatrix}1&-2\\\\0&1\\end{pmatrix}$.")
    chains = [c.value for c in derivation_chains(text, inline=True)]
    assert chains == [("\\frac{\\partial \\det X}{\\partial X}", "\\det(X) X^{-T}")]


def test_derivation_chains():
    text = ("$$\\begin{aligned} f &= a \\\\ &= b \\end{aligned}$$\n\nso\n\n$$= c$$\n\n$$g = h$$ and $x = y = z$")
    chains = [c.value for c in derivation_chains(text)]
    assert chains == [("f", "a", "b", "c"), ("g", "h")]  # "= c" continues the previous display
    assert [c.value for c in derivation_chains(text, inline=True)][-1] == ("x", "y", "z")
    assert [c.value for c in derivation_chains("$$\\boxed{a = b}$$")] == [("a", "b")]


# --- robustness ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "", "   ", "$", "$$", "$$$$", "\\[", "$$\\boxed{$$", "$$\\mathcal{N}($$", "$$v|u \\sim \\mathcal{N}(a$$",
    "$$=$$", "$$= = =$$", "**$**", "\\begin{equation}", "$$\\mathcal{N}(a, b, c, d)$$", "}{)(][",
])
def test_broken_input_never_raises(text):
    for target in TARGETS:
        final_expression(text, target, "v|u")
    derivation_chains(text, inline=True)


def test_unknown_target_is_a_programming_error():
    with pytest.raises(ValueError):
        find_expressions("$$a$$", "median")


@pytest.mark.parametrize("text", [
    "\\mathcal{N}(" * 4000,
    "$$" + "v|u \\sim \\mathcal{N}(" * 2000 + "$$",
    "$x$ " * 12000,
    "$$a=b \\\\ " * 4800,
    "a = b\n" * 8000,
    "$$" + "\\boxed{" * 6000 + "$$",
    "$$" + "x \\\\ " * 9000 + "$$",
    "$a$ is $b=c$ " * 3500,
    "**$a$** " * 6000,
    "$$" + "{" * 20000 + "x" + "}" * 20000 + "$$",
], ids=lambda t: f"{t[:16]!r}x{len(t)}")
def test_long_hostile_answers_are_scanned_quickly(text):
    assert len(text) <= MAX_TEXT_LENGTH
    start = time.perf_counter()
    for target in TARGETS:
        final_expression(text, target, "v|u")
    derivation_chains(text, inline=True)
    assert time.perf_counter() - start < 1.0


def test_answers_past_the_length_limit_are_not_read():
    text = "$$" + "x+" * MAX_TEXT_LENGTH + "x$$"
    assert final_expression(text) is None and derivation_chains(text) == []
    assert fastest(lambda: (final_expression(text), derivation_chains(text))) < 0.05


def test_a_remark_in_brackets_on_its_own_line_is_not_the_result():
    # "(for a symmetric X it is simply X^{-1}.)": an aside about a special case after the result, not a new result
    text = normalize("∂det(X)/∂X = X⁻ᵀ = (X⁻¹)ᵀ\n\n(pour X symétrique c'est simplement X⁻¹.)\n")
    assert final_expression(text).value == "(X^{-1})^T"


def test_a_note_in_brackets_after_a_plain_result_starts_no_equation():
    # "(= the cofactor matrix of X)" says what the value is; its "=" is no new equation
    text = "d det(X)/dX = det(X) X^{-T}   (= the cofactor matrix of X).\n"
    assert final_expression(text).value == "\\operatorname{det}(X) X^{-T}"


def test_an_entry_in_index_notation_is_a_step_when_a_matrix_is_stated():
    # the matrix first, then the entry-wise reasoning: "so the partial is C_ij" is how, not what
    text = normalize("∂det(X)/∂X = adj(X)^T, the transpose of the adjugate (= the cofactor matrix).\n\n"
                     "Row expansion det X = Σ_j X_ij C_ij; C_ij does not contain X_ij, so the partial is C_ij.\n")
    assert final_expression(text).value == "\\operatorname{adj}(X)^T"
    assert final_expression("so the partial derivative is $A_{ji}$").value == "A_{ji}"  # nothing else stated


def test_a_shape_is_not_a_value():
    text = "The gradient is $A^T$ (this also makes the shapes work when $X$ is $p\\times q$ and $A$ is $q \\times p$)."
    assert final_expression(text).value == "A^T"


def test_a_correction_takes_back_a_boxed_result():
    assert final_expression("The gradient is $\\boxed{A}$.\n\nKorrektur: the gradient is $A^T$.").value == "A^T"
    # a correction that states nothing new leaves the result as it was
    assert final_expression("The gradient is $\\boxed{A}$.\n\nCorrection: the indices are swapped.").value == "A"
    found = final_expression("$$E = \\mu + J(u - L\\mu - m)$$\n\nFinal answer: $\\mu + J(u - Lv - m)$")
    assert found.value == "\\mu + J(u - Lv - m)" and len(found.extra["candidates"]) == 2  # the derivation kept


def test_a_reason_and_a_place_are_not_the_result():
    text = ("hence the gradient is $\\operatorname{adj}(X)^\\top$, or equivalently $\\det(X)\\,(X^{-1})^\\top$ "
            "because $\\operatorname{adj}(X) = \\det(X)X^{-1}$.")
    assert final_expression(text).value != "\\det(X)X^{-1}"
    assert final_expression("so the gradient is $A^\\top$, which is the $(i,j)$ entry rule.").value == "A^\\top"
    # a line that starts with "because" gives the reason for the line above, however many equations it has
    text = "**Answer:** the gradient = det(X) (X^-1)^T\n\nbecause X^-1 = adj(X)/det(X) and adj(X) = Cof(X)^T."
    assert final_expression(text).value == "\\operatorname{det}(X) (X^-1)^T"


@pytest.mark.parametrize("remark", ["Remark:", "**Note:**", "Remarque :", "N.B.", "Bemerkung:"])
def test_a_paragraph_that_says_it_is_a_remark_states_no_result(remark):
    text = ("So the posterior mean is $\\mu + J(u - L\\mu - m)$.\n\n"
            f"{remark} in the sheet the mean is written with $Lv + m$, which must be a typo.")
    assert final_expression(text, "mean", "v|u").value == "\\mu + J(u - L\\mu - m)"


def test_what_an_answer_rules_out_is_no_result():
    text = ("$$\\frac{\\partial \\det X}{\\partial X} = \\det(X)\\,X^{-\\top}$$\n\n"
            "Two things I want to rule out explicitly:\n* $\\det(X)X^{-1}$ is the adjugate;\n"
            "* the chain rule $\\partial\\det = \\det\\cdot\\partial\\log\\det$ puts the factor back.")
    assert final_expression(text).value == "\\det(X)\\,X^{-\\top}"


def test_a_check_paragraph_in_plain_text_states_no_result_unless_it_names_an_answer():
    text = ("  d det(X)/dX = Cof(X) = det(X) (X^-1)'\n\n"
            "  2x2 check, X = [a b; c d]: det = ad - bc, partials = [d -c; -b a].\n"
            "  X^-1 = (1/(ad-bc)) [d -b; -c a], so det(X)(X^-1)' = [d -c; -b a].  OK.\n")
    assert final_expression(text).value == "\\operatorname{det}(X) (X^-1)'"
    contradicted = "$A'$\n\nSanity check with $1\\times 1$ matrices: the derivative is $a$, so the answer is $A$."
    assert final_expression(contradicted).value == "A"


@pytest.mark.parametrize("remark", ["Remarks:", "Notes for myself:"])
def test_a_paragraph_of_remarks_states_no_result(remark):
    text = f"FINAL: v | u ~ N(mu + J (u - L mu - m), K - J L K)\n\n{remark}\n - 1-D case: mean = u/2.\n"
    assert final_expression(text, "mean", "v|u", greek=("mu",)).value.replace(" ", "") == "\\mu+J(u-L\\mu-m)"


def test_an_index_alone_in_bold_is_no_result():
    text = "On développe selon **la ligne $i$** :\n\n$$\\frac{\\partial \\det X}{\\partial X} = \\det(X) X^{-T}$$"
    found = final_expression(text)
    assert found.value == "\\det(X) X^{-T}" and not found.extra["rivals"]


def test_the_end_of_proof_mark_is_no_part_of_the_result():
    assert final_expression("$$\\operatorname{Cov}(v \\mid u) = K - J\\Sigma J^{\\top} . \\qedhere$$").value.rstrip(
        " .") == "K - J\\Sigma J^{\\top}"


def test_a_case_assumed_is_no_step_of_the_derivation():
    text = "Sanity check: for $A = I$ we get $\\partial \\operatorname{Tr}(X)/\\partial X = I$, as it should be."
    assert all(chain.value != ("A", "I") for chain in derivation_chains(text, inline=True))


def test_a_named_result_after_its_label_is_that_result():
    # "- covariance $P = (…)^{-1}$": the word labels the math, whose "=" is the verb; P used later is still the answer
    text = ("Let $P = (K^{-1} + L'\\Sigma^{-1}L)^{-1}$. Then\n\n- covariance $P = (K^{-1} + L'\\Sigma^{-1}L)^{-1}$\n"
            "- mean $P(K^{-1}\\mu + L'\\Sigma^{-1}(u - m)) = \\mu + P L'\\Sigma^{-1}(u - L\\mu - m)$\n")
    cues = {"cov": ["covariance|variance ="], "mean": ["mean ="]}
    assert final_expression(text, "cov", "v|u", cues=cues).value == "(K^{-1} + L'\\Sigma^{-1}L)^{-1}"


def test_a_statement_in_a_bracketed_aside_is_not_the_result():
    text = ("The mean is $\\mu + P L'\\Sigma^{-1}(u - L\\mu - m)$.\n\n"
            "(second form: write $K^{-1}\\mu = P^{-1}\\mu - L'\\Sigma^{-1}L\\mu$). By Woodbury this is the statement's.")
    assert final_expression(text).value == "\\mu + P L'\\Sigma^{-1}(u - L\\mu - m)"


def test_a_plain_text_line_that_opens_with_its_equals_sign_continues_the_line_above():
    text = ("E[v | u] = E[v] + Cov(v,u) Cov(u)^-1 (u - E[u])\n"
            "         = mu + K L^T (L K L^T + Sigma)^-1 (u - L mu - m)\n\n"
            "Cov[v | u] = K - K L^T (L K L^T + Sigma)^-1 L K\n")
    mean = final_expression(text, "mean", "v|u")
    assert mean is not None and mean.value.startswith("mu + K L^T")
    assert mean.extra["sides"][0] == "E[v | u]"
    alone = final_expression("Some words\n\n= mu + J (u - m)\n", "mean", "v|u")
    assert alone.extra["lhs"] == "" and alone.extra.get("unlabelled")  # nothing above it to continue
