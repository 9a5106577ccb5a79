"""The basic-knowledge homework: every accepted and rejected form of ANSWER_KEY.md, graded at the checker level and
through the whole pipeline as one-question Markdown submissions; general matrix identities; the seed submission."""

from dataclasses import replace
from pathlib import Path

import pytest

from grader.checkers import registry
from grader.grade import _fires, grade_document, grade_question
from grader.pipeline import grade as grade_file
from grader.model import Block, BlockKind, Region, Status
from grader.read import read_submission
from grader.rubric import load_rubric, parse_rubric

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BASIC_SEED = SEEDS / "000_ad4f4366d0b67e76.txt"
GAUSSIAN_SEED = SEEDS / "004_2c6ebea7288b07f1.txt"

MEAN, COV = r"\mu + J(u - L\mu - m)", "K - JLK"
WRAP = {
    "q1": "**Question 1 :**\n\n$$\\frac{\\partial \\operatorname{Tr}(XA)}{\\partial X} = %s$$\n",
    "q2": "**Question 2 :**\n\n$$\\frac{\\partial \\det(X)}{\\partial X} = %s$$\n",
    "q3-mean": "**Question 3 :**\n\n$$v|u \\sim \\mathcal{N}(%s, " + COV + ")$$\n",
    "q3-cov": "**Question 3 :**\n\n$$v|u \\sim \\mathcal{N}(" + MEAN + ", %s)$$\n",
}
CLEAN = {"q1": "A^T", "q2": r"\det(X) X^{-T}", "q3-mean": MEAN, "q3-cov": COV}
DERIVATION_IDS = {"det.cofactor-transpose-step", "det.double-sum-expansion"}
# The main check of each question: the final expression.
MAIN_CHECK = {"q1": "gradient", "q2": "gradient", "q3-mean": "final", "q3-cov": "final"}

# (question, answer written after "= " or inside N(·, ·), fraction of the question's points, misconception ids)
FORMS = [
    # Q1: ∂Tr(XA)/∂X = Aᵀ in every notation of the answer key
    ("q1", "A^T", 1.0, set()),
    ("q1", r"A^\top", 1.0, set()),
    ("q1", "A^{T}", 1.0, set()),
    ("q1", "A'", 1.0, set()),
    ("q1", "(A)^T", 1.0, set()),
    ("q1", "{}^tA", 1.0, set()),
    ("q1", r"A^\intercal", 1.0, set()),
    ("q1", r"(A_{ji})_{ij}", 1.0, set()),
    ("q1", r"(A_{ji})_{1 \leq i, j \leq d}", 1.0, set()),
    ("q1", "A", 0.0, {"trace.missing-transpose"}),
    ("q1", r"\operatorname{Tr}(A)", 0.0, {"trace.scalar"}),
    ("q1", r"\operatorname{Tr}(A) I", 0.0, {"trace.scalar"}),
    ("q1", "XA", 0.0, {"trace.depends-on-x"}),
    ("q1", "A^T X", 0.0, {"trace.depends-on-x"}),
    # Q2: det(X) X⁻ᵀ = Cof(X)
    ("q2", r"\det(X)(X^{-1})^T", 1.0, set()),
    ("q2", r"\det(X) X^{-T}", 1.0, set()),
    ("q2", r"|X| X^{-\top}", 1.0, set()),
    ("q2", r"\det(X)(X^T)^{-1}", 1.0, set()),
    ("q2", r"\operatorname{adj}(X)^T", 1.0, set()),
    ("q2", r"\text{Cof}(X)", 1.0, set()),
    ("q2", r"\operatorname{com}(X)", 1.0, set()),
    ("q2", r"(C_{ij})_{1 \leq i,j \leq d} \quad \text{where } C_{ij} = (-1)^{i+j} \det(X_{-i,-j})", 1.0, set()),
    ("q2", r"\det(X) X^{-1}", 0.0, {"det.missing-transpose"}),
    ("q2", r"\operatorname{adj}(X)", 0.0, {"det.missing-transpose"}),
    ("q2", r"\text{Cof}(X)^T", 0.0, {"det.missing-transpose"}),
    ("q2", "X^{-T}", 0.0, {"det.log-det"}),
    ("q2", "X^{-1}", 0.0, {"det.log-det"}),
    ("q2", r"\det(X)\operatorname{tr}(X^{-1})", 0.0, {"det.differential"}),
    ("q2", r"(C_{ij}) = \text{Cof}(X)^T = \det(X) X^{-T} \quad \text{where } C_{ij} = (-1)^{i+j} \det(X_{-i,-j})",
     0.8, {"det.cofactor-transpose-step"}),
    ("q2", r"\sum_i \sum_j X_{ij} C_{ij} = \det(X) X^{-T}", 1.0, {"det.double-sum-expansion"}),
    # Q3 mean: gain form, information form
    ("q3-mean", MEAN, 1.0, set()),
    ("q3-mean", r"\mu + K^T L^T (\Sigma + LKL^T)^{-1}(u - L\mu - m)", 1.0, set()),
    ("q3-mean", r"\mu + J[u - (L\mu + m)]", 1.0, set()),
    ("q3-mean", r"\mu + P L^T \Sigma^{-1}(u - L\mu - m)", 1.0, set()),
    ("q3-mean", r"P(L^T\Sigma^{-1}(u - m) + K^{-1}\mu)", 1.0, set()),
    ("q3-mean", r"\mu + J[u - (Lv + m)]", 0.0, {"posterior.mean-uses-v"}),
    ("q3-mean", r"\mu + J(u - m)", 0.0, {"posterior.mean-missing-Lmu"}),
    ("q3-mean", r"\mu + J(u - L\mu)", 0.0, {"posterior.mean-missing-m"}),
    ("q3-mean", r"\mu + K L^T \Sigma^{-1}(u - L\mu - m)", 0.0, {"posterior.gain-without-posterior"}),
    ("q3-mean", r"\mu + K L^T (L K L^T)^{-1}(u - L\mu - m)", 0.0, {"posterior.cov-missing-noise"}),
    ("q3-mean", r"\mu + LK(\Sigma + LKL^T)^{-1}(u - L\mu - m)", 0.0, {"posterior.shape"}),
    # Q3 covariance: K is symmetric, so K − JLKᵀ is right and never flagged
    ("q3-cov", COV, 1.0, set()),
    ("q3-cov", "K - JLK^T", 1.0, set()),
    ("q3-cov", "(I - JL)K", 1.0, set()),
    ("q3-cov", r"K - J(\Sigma + LKL^T)J^T", 1.0, set()),
    ("q3-cov", r"(K^{-1} + L^T\Sigma^{-1}L)^{-1}", 1.0, set()),
    ("q3-cov", r"K - K^T L^T (\Sigma + LKL^T)^{-1} LK", 1.0, set()),
    ("q3-cov", "K + JLK", 0.0, {"posterior.cov-wrong-sign-or-term"}),
    ("q3-cov", r"K - J\Sigma J^T", 0.0, {"posterior.cov-wrong-sign-or-term"}),
    ("q3-cov", r"K - J(u - L\mu - m)(u - L\mu - m)^T J^T", 0.0, {"posterior.cov-wrong-sign-or-term"}),
    ("q3-cov", r"K - K L^T (L K L^T)^{-1} L K", 0.0, {"posterior.cov-missing-noise"}),
    ("q3-cov", r"K - K L^T \Sigma^{-1} L K", 0.0, {"posterior.gain-without-posterior"}),
    ("q3-cov", r"K - K L^T (L^T K L)^{-1} L K", 0.0, {"posterior.shape"}),
]

# General matrix identities, graded by an `expression` check with the reference on the right.
SQ = {"A": "invertible(d)", "B": "invertible(d)", "S": "symmetric(d)"}
RECT = {"A": "matrix(p, q)", "B": "matrix(q, p)"}
IDENTITIES = [
    ("A^T", "A^\\top", SQ, True), ("A^T", "A'", SQ, True), ("A^T", "{}^tA", SQ, True), ("A^T", "A^\\intercal", SQ, True),
    ("A^T", "A^{\\mathsf T}", SQ, True), ("A^T", "(A_{ji})_{ij}", SQ, True), ("A^T", "A", SQ, False),
    ("BA", "AB", SQ, False), ("BA", "AB", RECT, False), ("AB", "A B", RECT, True),
    ("B^T A^T", "(AB)^T", SQ, True), ("B^T A^T", "(AB)^T", RECT, True), ("A^T B^T", "(AB)^T", SQ, False),
    ("B^{-1} A^{-1}", "(AB)^{-1}", SQ, True), ("A^{-1} B^{-1}", "(AB)^{-1}", SQ, False),
    ("(A^{-1})^T", "(A^T)^{-1}", SQ, True), ("S", "S^T", SQ, True), ("A^{-1}", "A^T", SQ, False),
]


def markdown(question: str, answer: str) -> str:
    return WRAP[question] % answer


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("basic-knowledge")


def grade_text(text: str, rubric, tmp_path: Path, name: str = "answer.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return grade_document(read_submission(path), rubric)


def test_table_is_large_enough():
    assert len(FORMS) + len(IDENTITIES) >= 60
    assert {q for q, *_ in FORMS} == set(WRAP)
    assert sum(f == 1.0 for *_, f, _ in FORMS) >= 20 and sum(f < 1.0 for *_, f, _ in FORMS) >= 20


@pytest.mark.parametrize(("qid", "answer", "fraction", "ids"), FORMS)
def test_form_through_the_pipeline(qid, answer, fraction, ids, rubric, tmp_path):
    result = grade_text(markdown(qid, answer), rubric, tmp_path)
    by_id = {q.question_id: q for q in result.questions}
    got = by_id[qid]
    assert got.score / got.points == pytest.approx(fraction), [(c.check_id, c.message) for c in got.checks]
    assert {m.id for m in got.misconceptions} == ids
    if qid.startswith("q3"):  # the other half of the posterior was written right
        other = by_id["q3-cov" if qid == "q3-mean" else "q3-mean"]
        assert other.score == other.points and not other.misconceptions


@pytest.mark.parametrize(("qid", "answer", "fraction", "ids"), FORMS)
def test_form_at_the_checker_level(qid, answer, fraction, ids, rubric):
    question = rubric.question(qid)
    text = markdown(qid, answer).split("\n\n", 1)[1]
    check = next(c for c in question.checks if c.id == MAIN_CHECK[qid])
    call = check.calls[0]
    outcome = registry.call(registry.get(call.checker), text, call.params)
    final_is_right = fraction > 0 and not ids - DERIVATION_IDS  # a false step costs the derivation point only
    assert outcome.fraction == (1.0 if final_is_right else 0.0), outcome.message
    fired = {m.id for m in question.misconceptions if _fires(m, text)}
    assert fired == ids


@pytest.mark.parametrize(("reference", "answer", "symbols", "equal"), IDENTITIES)
def test_identity_through_the_pipeline_and_checker(reference, answer, symbols, equal, tmp_path):
    data = {
        "id": "identities", "title": "Identities", "recognize": {"keywords": ["identity"]},
        "questions": [{"id": "p1", "number": "1", "title": "P1", "points": 1, "locate": {"problem": 1},
                       "checks": [{"id": "value", "points": 1, "checker": "expression",
                                   "params": {"reference": reference, "symbols": symbols}}]}],
    }
    rubric = parse_rubric(data, tmp_path / "identities.yaml")
    text = f"$$M = {answer}$$"
    result = grade_text(f"**Question 1 :**\n\n{text}\n", rubric, tmp_path)
    assert result.questions[0].score == (1.0 if equal else 0.0)
    outcome = registry.call(registry.get("expression"), text, {"reference": reference, "symbols": symbols})
    assert outcome.fraction == (1.0 if equal else 0.0)


def test_posterior_in_labelled_and_prose_forms(rubric, tmp_path):
    texts = [
        "**Question 3 :**\n\n$$\\mathbb{E}[v|u] = \\mu + J(u - L\\mu - m)$$\n\n$$\\text{Cov}(v|u) = K - JLK^T$$\n",
        "**Question 3 :**\n\nThe posterior mean is $\\mu + G(u - L\\mu - m)$ and the posterior covariance is "
        "$K - GLK$, where $G = K L^T (\\Sigma + L K L^T)^{-1}$.\n",
        "**Question 3 :**\n\n$$\\mu + J(u - L\\mu - m)$$\n\n$$(I - JL)K$$\n",
    ]
    for text in texts:
        by_id = {q.question_id: q for q in grade_text(text, rubric, tmp_path).questions}
        for qid in ("q3-mean", "q3-cov"):
            assert by_id[qid].score == 5 and not by_id[qid].misconceptions, (text, qid)


def test_math_that_opens_with_its_equals_sign_is_labelled_by_the_words_before_it(rubric, tmp_path):
    text = ("**Question 3 :**\n\nWith $J = KL^T(\\Sigma + LKL^T)^{-1}$:\nmean $= \\mu + J(u - m)$, "
            "covariance $= (I - JL)K$.\n")
    by_id = {q.question_id: q for q in grade_text(text, rubric, tmp_path).questions}
    assert by_id["q3-mean"].score == 0 and {m.id for m in by_id["q3-mean"].misconceptions} == {
        "posterior.mean-missing-Lmu"}
    assert by_id["q3-cov"].score == 5 and not by_id["q3-cov"].misconceptions


def test_plain_text_formulas_beside_latex_are_read_with_their_definitions(rubric, tmp_path):
    # a sentence with $…$ in it, then the result typed as plain text: the student's own J is the one used
    text = ("**Question 3 :**\n\nThe pair $(v, u)$ is jointly Gaussian; conditioning gives\n\n"
            "    J = K L^T (L K L^T)^-1\n    E[v|u] = mu + J (u - L mu - m)\n    Cov(v|u) = K - J L K\n")
    by_id = {q.question_id: q for q in grade_text(text, rubric, tmp_path).questions}
    for qid in ("q3-mean", "q3-cov"):
        assert by_id[qid].score == 0 and {m.id for m in by_id[qid].misconceptions} == {
            "posterior.cov-missing-noise"}, qid
    right = grade_text(text.replace("(L K L^T)^-1", "(Sigma + L K L^T)^-1"), rubric, tmp_path).questions
    assert all(q.score == q.points for q in right if q.question_id.startswith("q3"))


@pytest.mark.parametrize("mid, sentence, fires", [
    ("em-logz.upper-bound", "For any q the objective bounds $\\log p(x\\mid\\theta)$ from above.", True),
    ("em-logz.upper-bound", "Pour tout q, la fonctionnelle majore la log-vraisemblance log p(x | θ).", True),
    ("em-logz.upper-bound", "C'est une borne supérieure de log p(x | θ).", True),
    ("em-logz.upper-bound", "For any q, log p(x | θ) bounds the objective from above: the objective is a lower bound.",
     False),
    # f of at most one argument: F(q, θ) = log p(x | θ) − KL is the bound, not f
    ("em-logz.f-not-joint", "Take $f = \\log p(x \\mid \\theta)$.", True),
    ("em-logz.f-not-joint", "Here $f(z) = \\log p(x\\mid\\theta)$ and q is the posterior.", True),
    ("em-logz.f-not-joint", "$f(z) = \\log p(x, z\\mid\\theta)$, and $F(q, \\theta) = \\log p(x\\mid\\theta) - KL(q \\| p)$ "
                            "is the bound.", False),
    ("em-logz.f-not-joint", "Take $f(z) = \\log p(x, z\\mid\\theta)$. After the E-step $F = \\log p(x\\mid\\theta)$.", False),
])
def test_q4_misconceptions_in_other_words(mid, sentence, fires, rubric):
    misconception = next(m for m in rubric.question("q4").misconceptions if m.id == mid)
    assert (_fires(misconception, sentence) is not None) is fires


def test_a_likeness_said_outright_is_reported_even_when_a_more_basic_error_explains_a_missing_element(rubric,
                                                                                                       tmp_path):
    base = ("**Question 4 :**\n\nf is the log likelihood, f = log p(x | theta), and q(z) = p(z | x, theta) is the "
            "posterior. The objective is a lower bound. The E step is the maximization over q and the M step is the "
            "maximization over theta. %s\n")
    said = grade_text(base % "log Z is probably similar to the log likelihood.", rubric, tmp_path).questions
    silent = grade_text(base % "", rubric, tmp_path).questions
    q4_said, q4_silent = ({m.id for m in qs[-1].misconceptions} for qs in (said, silent))
    assert q4_said == {"em-logz.f-not-joint", "em-logz.z-not-likelihood"}
    assert q4_silent == {"em-logz.f-not-joint"}  # with f = log p(x | θ), Z could not come out as p(x | θ)
    assert said[-1].score < said[-1].points - 1  # "similar to" does not identify log Z with the likelihood


def test_numerator_layout_is_accepted_only_when_declared(rubric, tmp_path):
    said = grade_text("**Question 1 :**\n\nIn numerator layout, $$\\nabla_X \\operatorname{tr}(XA) = A$$\n", rubric,
                      tmp_path).questions[0]
    assert said.score == 5 and not said.misconceptions


def test_a_right_intermediate_taken_on_to_a_wrong_covariance_keeps_at_most_two_points(rubric, tmp_path):
    derivation = ("**Question 3 :**\n\nThe mean is $\\mu + J(u - L\\mu - m)$. Completing the square,\n\n"
                  "$$\\operatorname{Cov}(v|u) = (K^{-1} + L^T\\Sigma^{-1}L)^{-1}.$$\n\n"
                  "By Woodbury this is\n\n$$(K^{-1} + L^T\\Sigma^{-1}L)^{-1} = K + KL^T(\\Sigma + LKL^T)^{-1}LK = %s.$$\n")
    wrong = {q.question_id: q for q in grade_text(derivation % "K + JLK", rubric, tmp_path).questions}["q3-cov"]
    assert {m.id for m in wrong.misconceptions} == {"posterior.cov-wrong-sign-or-term"}
    assert 0 < wrong.score <= 2  # the precision form was right, the result is not
    right = {q.question_id: q for q in grade_text(derivation.replace("K + K", "K - K") % "K - JLK", rubric,
                                                  tmp_path).questions}["q3-cov"]
    assert right.score == 5 and not right.misconceptions


def test_two_different_final_results_are_flagged_and_not_credited(rubric, tmp_path):
    q1 = grade_text("**Question 1 :**\n\n$$\\nabla = \\boxed{A^T}$$ or maybe $$\\nabla = \\boxed{A}$$\n", rubric,
                    tmp_path).questions[0]
    assert q1.score == 0 and not q1.misconceptions
    assert any("two different final results" in c.message for c in q1.checks)


def test_a_broken_reference_is_a_grader_error(rubric):
    question = rubric.question("q1")
    gradient = question.checks[0]
    call = replace(gradient.calls[0], params={**gradient.calls[0].params, "reference": "\\frac{A}{"})
    broken = replace(question, checks=(replace(gradient, calls=(call,)), *question.checks[1:]))
    result = grade_question(broken, Region("q1", (Block(BlockKind.MATH, "\\nabla = A^T", "line 1"),)))
    assert result.status is Status.GRADER_ERROR and result.score == 0 and "does not parse" in result.grader_error


def test_rubric_recognition_clues_are_distinctive():
    basic, gaussian = load_rubric("basic-knowledge"), load_rubric("gaussian-em")
    assert not {k.lower() for k in basic.keywords} & {k.lower() for k in gaussian.keywords}
    assert [q.id for q in basic.questions] == ["q1", "q2", "q3-mean", "q3-cov", "q4"]
    assert basic.question("q3-mean").locate == basic.question("q3-cov").locate


# --- the seed submission ---------------------------------------------------------------------------------------------
# ANSWER_KEY.md, "Expected grades of the two seed submissions": (lowest, highest fraction, misconception ids)
SEED_EXPECTED = {
    "q1": (1.0, 1.0, set()),
    "q2": (0.75, 1.0, {"det.cofactor-transpose-step", "det.double-sum-expansion"}),
    "q3-mean": (0.5, 0.75, {"posterior.mean-uses-v"}),
    "q3-cov": (1.0, 1.0, set()),
    "q4": (0.4, 0.6, {"em-logz.z-not-likelihood", "em-logz.no-e-m-mapping", "em-logz.wrong-variable"}),
}


@pytest.fixture(scope="module")
def seed_result():
    if not BASIC_SEED.is_file():
        pytest.skip(f"the shared seed submissions are not here ({SEEDS}); they live beside the project in ../shared")
    return grade_file(BASIC_SEED)


@pytest.mark.parametrize("qid", list(SEED_EXPECTED))
def test_seed_grades(seed_result, qid):
    low, high, ids = SEED_EXPECTED[qid]
    got = next(q for q in seed_result.questions if q.question_id == qid)
    assert low - 1e-9 <= got.score / got.points <= high + 1e-9, got.summary
    assert {m.id for m in got.misconceptions} == ids
    assert got.status is not Status.GRADER_ERROR


def test_seed_is_recognised_and_its_typo_feedback_is_kind(seed_result):
    assert seed_result.rubric_id == "basic-knowledge" and "Recognised the homework as 'basic-knowledge'" in \
        seed_result.notes[0]
    mean = next(q for q in seed_result.questions if q.question_id == "q3-mean")
    feedback = mean.misconceptions[0].feedback
    assert "statement's own typo" in feedback and "only the final line needs correcting" in feedback
    assert [c.earned for c in mean.checks] == [3.0, 0.0]  # the derivation earns its share, the final line does not


def test_other_seed_is_still_gaussian_em():
    if not GAUSSIAN_SEED.is_file():
        pytest.skip(f"the shared seed submissions are not here ({SEEDS})")
    result = grade_file(GAUSSIAN_SEED)
    assert result.rubric_id == "gaussian-em"
    assert {q.question_id: q.score / q.points for q in result.questions} == {
        "1a": 1, "1b": 0.75, "1c": 1, "1d": 1, "2a": 1, "2b": 0, "2c": 1, "2d": 1}


@pytest.mark.parametrize("text", [
    # the chain's middle side shows what the student's J is
    "Cov(v | u) = K - K L^T inv(L K L^T) L K = K - J L K",
    # the student's own J, after a label
    "Gain: J = K L^T inv(L K L^T)\nCov(v | u) = K - J L K",
])
def test_the_noise_left_out_of_the_students_own_gain_is_seen(text, rubric):
    question = rubric.question("q3-cov")
    missing = next(m for m in question.misconceptions if m.id == "posterior.cov-missing-noise")
    assert _fires(missing, text) is not None
    right = text.replace("inv(L K L^T)", "inv(L K L^T + Sigma)")
    assert _fires(missing, right) is None


def test_a_lone_formula_after_an_answer_marker_is_the_result(rubric, tmp_path):
    text = ("## Q1\n\n$\\mathrm{Tr}(XA) = \\sum_{k,l} X_{kl}A_{lk}$, so $\\partial/\\partial X_{ij} = A_{ji}$.\n\n"
            "Answer: $A'$ (same shape as $X$)\n")
    q1 = {q.question_id: q for q in grade_text(text, rubric, tmp_path).questions}["q1"]
    assert q1.score == q1.points
