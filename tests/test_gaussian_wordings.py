"""Gaussian 1(a), 1(b): the precision-matrix and any-subset misreadings in symbols (⇒, ->, implies) and French."""

from __future__ import annotations

import pytest

from grader.grade import _fires
from grader.rubric import load_rubric


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("gaussian-em")


def graded(rubric, qid: str, text: str):
    """The question graded on an answer of one paragraph."""
    from grader.grade import grade_question
    from grader.model import Block, BlockKind, Region

    return grade_question(rubric.question(qid), Region(qid, (Block(BlockKind.PROSE, text, ""),)))


def fires(rubric, qid: str, mid: str, text: str) -> bool:
    """Whether one of the detector entries of ``mid`` fires (entries sharing an id are ways to detect one error)."""
    return any(_fires(m, text) is not None for m in rubric.question(qid).misconceptions if m.id == mid)


@pytest.mark.parametrize("text, expected", [
    ("Q34 = 0 ⇒ X3 and X4 are uncorrelated.", True),
    ("Q_{34} = 0 implies they are uncorrelated.", True),
    ("Q34 = 0 -> uncorrelated", True),
    ("Q34 = 0 donc X3 et X4 sont non corrélées.", True),
    ("Le coefficient (3,4) de la matrice de précision est nul, donc elles ne sont pas corrélées.", True),
    ("Since the precision entry Q_34 vanishes, X3 and X4 are uncorrelated.", True),
    ("Σ34 = 0 so they are uncorrelated.", False),
    ("Σ34 = 0 so uncorrelated; also Q34 = 0 means conditional independence.", False),
])
def test_marginal_claim_read_from_the_precision(rubric, text, expected):
    assert fires(rubric, "1a", "corr.reads-precision", text) is expected


@pytest.mark.parametrize("text, expected", [
    ("independent given any subset of the remaining variables", True),
    ("independent given *any* subset of the others", True),
    ("independent whatever subset we condition on", True),
    ("conditionally independent given every subset", True),
    ("indépendantes conditionnellement à n'importe quel sous-ensemble des autres variables", True),
    ("indépendantes sachant tout sous-ensemble des autres", True),
    ("quel que soit le sous-ensemble des autres variables, elles restent indépendantes", True),
    ("independent given all the other variables", False),
    ("indépendantes sachant toutes les autres variables", False),
    ("Q34 = 0 ⇒ independent given X1 and X2", False),
])
def test_any_subset_in_other_words(rubric, text, expected):
    assert fires(rubric, "1b", "condcov.any-subset", text) is expected


@pytest.mark.parametrize("text, expected", [
    ("X3 and X4 are uncorrelated but dependent through X1.", True),
    ("Elles sont décorrélées mais dépendantes.", True),
    ("Yes, they are correlated.", True),
    ("Σ34 = 0, so uncorrelated, hence independent since Gaussian.", False),
    ("In general uncorrelated does not imply independent, but for a Gaussian vector it does: independent.", False),
])
def test_uncorrelated_but_dependent_is_the_says_correlated_error(rubric, text, expected):
    assert fires(rubric, "1a", "corr.says-correlated", text) is expected


def test_uncorrelated_but_dependent_earns_nothing(rubric, tmp_path):
    from grader.grade import grade_document
    from grader.read import read_submission

    path = tmp_path / "answer.md"
    path.write_text("## 1(a)\n\nΣ34 = 0, so X3 and X4 are **uncorrelated but dependent** (through X1).\n", encoding="utf-8")
    q = grade_document(read_submission(path), rubric).questions[0]
    assert q.score == 0 and "corr.says-correlated" in {m.id for m in q.misconceptions}


def test_naming_tanh_is_not_stating_the_limit():
    from grader.grade import grade_document
    from grader.read import read_text
    from grader.rubric import load_rubric

    rubric = load_rubric("gaussian-em")
    wrong = read_text("## 2(b)\nNo. The update is $m \\leftarrow \\tanh(m)$; the means settle around $\\pm 0.5$.\n", "a.md")
    q = {q.question_id: q for q in grade_document(wrong, rubric).questions}["2b"]
    assert q.score == q.points / 2 and [m.id for m in q.misconceptions] == ["em.wrong-limit"]
    right = read_text("## 2(b)\nNo. The update is $m \\leftarrow \\tanh(m)$, so the limit is the fixed point of tanh.\n",
                      "a.md")
    assert {q.question_id: q for q in grade_document(right, rubric).questions}["2b"].score == 5.0


@pytest.mark.parametrize("text, expected", [
    ("Yes. The point -1 is always closer to $\\mu_1$ and 1 closer to $\\mu_2$, so the means go to the points.", True),
    ("Yes: each component owns one data point, so the means end on -1 and 1.", True),
    ("Yes: each point goes to its nearest centre, so the centres are -1 and 1.", True),
    ("Yes, each component's variance shrinks as it concentrates on its own point.", False),
    ("No: the responsibilities stay soft, so the means shrink to 0.", False),
])
def test_hard_assignment_reasoning_in_other_words(rubric, text, expected):
    assert fires(rubric, "2b", "em.hard-assignment-reasoning", text) is expected


@pytest.mark.parametrize("text, limit_points, wrong_limit", [
    # the means shrink, then the answer names the limit it settled at: not 0
    ("No, it does not go to $-1, 1$. The means shrink at first and then settle down; after 20 iterations they are "
     "at about $\\pm 0.27$, so EM converges to roughly $\\mu_1 \\approx -0.27$, $\\mu_2 \\approx 0.27$.", 0.0, True),
    # another's claim first, the answer's own last word on the limit is 0
    ("No. My group thought it would settle at $\\pm 1$, but the means keep shrinking and both converge to 0.", 2.5,
     False),
    ("No: the means shrink towards 0 (after 1000 iterations they are at 0.04).", 2.5, False),
])
def test_a_limit_stated_after_the_means_shrink_is_read(rubric, text, limit_points, wrong_limit):
    result = graded(rubric, "2b", text)
    limit = next(c for c in result.checks if c.check_id == "limit")
    assert limit.earned == limit_points
    assert ("em.wrong-limit" in {m.id for m in result.misconceptions}) is wrong_limit
    assert [m.id for m in result.misconceptions].count("em.wrong-limit") <= 1  # declared twice, reported once


@pytest.mark.parametrize("text, reason_points", [
    ("Looking at the second row of $\\Sigma$: $\\Sigma_{21} \\neq 0$, $\\Sigma_{23} \\neq 0$. So the blanket is "
     "$\\{X_1, X_3\\}$.", 0.0),
    ("Looking at the second row of $Q$, only $Q_{21} \\neq 0$: the blanket is $\\{X_1, X_3\\}$.", 1.0),
    ("The second row of $\\Sigma^{-1}$ has one nonzero entry off the diagonal: the blanket is $\\{X_1, X_3\\}$.", 1.0),
])
def test_a_row_of_the_covariance_is_no_reason_for_the_blanket(rubric, text, reason_points):
    result = graded(rubric, "1c", text)
    assert next(c for c in result.checks if c.check_id == "reason").earned == reason_points


def test_the_wrong_conditional_covariance_is_never_full_marks(rubric):
    text = ("We condition on all the others, so the precision matrix is the tool: its block for $(X_3, X_4)$ gives "
            "$\\operatorname{cov}(X_3, X_4 \\mid X_1, X_2) = \\operatorname{diag}(5, 5)$, whose off-diagonal term is "
            "$0$: **not conditionally correlated**.")
    result = graded(rubric, "1b", text)
    assert "condcov.wrong-numbers" in {m.id for m in result.misconceptions}
    assert result.score <= 0.75 * result.points


def test_a_quoted_claim_states_no_limit(rubric):
    text = ('"EM from $(-2, 2)$ converges to $(-1, 1)$": **False**. The update is $m \\leftarrow \\tanh(m)$, whose only '
            "fixed point is $m = 0$, so both means go to $0$.")
    result = graded(rubric, "2b", text)
    assert "em.wrong-limit" not in {m.id for m in result.misconceptions}
    assert next(c for c in result.checks if c.check_id == "limit").earned == 2.5


def test_a_hypothesis_refuted_claims_no_limit(rubric):
    text = ("Si EM convergeait vers $\\mu_1 = -1$, $\\mu_2 = 1$, ce point serait un point fixe ; or "
            "$\\tanh 1 = 0{,}76 \\neq 1$. Non, EM ne converge pas vers $\\mu_1 = -1$, $\\mu_2 = 1$.")
    result = graded(rubric, "2b", text)
    assert "em.wrong-limit" not in {m.id for m in result.misconceptions}
    assert result.score == 2.5  # the verdict; no limit is said


def test_another_pair_given_as_an_example_is_not_the_wrong_pair():
    from grader.grade import grade_question
    from grader.model import Block, BlockKind, Region
    from grader.rubric import load_rubric

    q = load_rubric("gaussian-em").question("1b")
    text = ("We condition on all the other variables, so Q_34 = 0 gives cov(X3, X4 | X1, X2) = 0: not conditionally "
            "correlated. A caveat: a zero in Q means independence given all the others, not any subset. For instance "
            "Q_23 = 0, yet Cov(X2, X3 | X4) = -0.26.")
    result = grade_question(q, Region("1b", (Block(BlockKind.PROSE, text, "line 1"),), (), "test"))
    assert "condcov.wrong-variables" not in {m.id for m in result.misconceptions}
    wrong = text.replace("For instance Q_23 = 0, yet", "So")
    result = grade_question(q, Region("1b", (Block(BlockKind.PROSE, wrong, "line 1"),), (), "test"))
    assert "condcov.wrong-variables" in {m.id for m in result.misconceptions}
