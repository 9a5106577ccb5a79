"""Independent checks of solutions/gaussian_em.py against ANSWER_KEY.md and first principles."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize, stats

from solutions import gaussian_em as ge

REQUIRED_KEYS = {
    "precision", "sigma_exact", "sigma_given", "cov_x3_x4", "x3_x4_correlated", "cond_cov_x3x4",
    "x3_x4_cond_correlated", "condcov_no_conditioning", "condcov_q_not_inverted",
    "condcov_inverted_marginal", "markov_blanket_x2", "markov_blanket_x2_from_covariance",
    "y_transform", "cov_y", "cov_y_given", "covy_missing_var_x4", "covy_difference_variance",
    "covy_sign", "covy_used_precision", "covy_used_precision_inverse", "covy_wrong_order",
    "em_start", "em_one_step", "em_step_hard_assignment", "em_step_divide_by_n",
    "em_step_dropped_weight", "em_step_missing_half", "em_step_swapped", "em_limit",
    "em_converges_to_data", "em_iterates", "em_equal_start", "em_fixed_point_equal_start",
    "em_no_move", "em_symmetry_break_data", "em_symmetry_break_step", "kmeans_fixed_point",
    "kmeans_confused_with_em", "kmeans_confused_with_em_limit", "kmeans_no_update",
}

# Values printed in the assignment and ANSWER_KEY.md.
PRINTED_SIGMA = np.array([[0.71, -0.43, 0.43, 0], [-0.43, 0.46, -0.26, 0],
                          [0.43, -0.26, 0.46, 0], [0, 0, 0, 0.2]])
SIGMA_TIMES_35 = np.array([[25, -15, 15, 0], [-15, 16, -9, 0], [15, -9, 16, 0], [0, 0, 0, 7]])
EM_ITERATES = [0.964028, 0.746068, 0.632797, 0.559975, 0.507959,
               0.468354, 0.436868, 0.411045, 0.389360, 0.370808]


@pytest.fixture(scope="module")
def ref():
    return ge.references()


def schur(S, keep, given):
    """Cov(X_keep | X_given) = S_kk - S_kg S_gg⁻¹ S_gk."""
    k, g = np.ix_(keep, keep), np.ix_(keep, given)
    return S[k] - S[g] @ np.linalg.solve(S[np.ix_(given, given)], S[g].T)


# ---------------------------------------------------------------- API and value types
def test_all_keys_present(ref):
    assert REQUIRED_KEYS <= set(ref)


def test_references_cached_and_read_only(ref):
    assert ge.references() is ref
    for key, value in ref.items():
        if isinstance(value, np.ndarray):
            assert not value.flags.writeable, key
        assert not isinstance(value, (list, set, dict)), key


@pytest.mark.parametrize("key", ["x3_x4_correlated", "x3_x4_cond_correlated", "em_converges_to_data"])
def test_verdicts_are_plain_false(ref, key):
    assert ref[key] is False


def test_cold_start_does_not_import_scipy():
    code = ("import sys; from solutions import gaussian_em as g; g.references(); "
            "sys.exit(1 if 'scipy' in sys.modules else 0)")
    root = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


def test_data_points():
    assert np.array_equal(ge.data_points(), [-1.0, 1.0])


# ---------------------------------------------------------------- Problem 1
def test_precision_is_q(ref):
    assert np.array_equal(ref["precision"], ge.Q)
    assert np.issubdtype(ge.Q.dtype, np.integer)


def test_sigma_exact_inverts_q(ref):
    assert np.allclose(ref["sigma_exact"] @ ge.Q, np.eye(4), atol=1e-12)
    assert np.allclose(35 * ref["sigma_exact"], SIGMA_TIMES_35, atol=1e-12)


def test_sigma_given_is_printed_matrix(ref):
    assert np.array_equal(ref["sigma_given"], PRINTED_SIGMA)
    assert np.max(np.abs(ref["sigma_given"] - ref["sigma_exact"])) < 0.005


def test_x3_x4_uncorrelated(ref):
    assert isinstance(ref["cov_x3_x4"], float)
    assert abs(ref["cov_x3_x4"]) < 1e-12


def test_conditional_covariance_is_schur_complement(ref):
    expected = schur(np.asarray(ref["sigma_exact"]), [2, 3], [0, 1])
    assert np.allclose(ref["cond_cov_x3x4"], expected, atol=1e-12)
    assert np.allclose(ref["cond_cov_x3x4"], np.diag([0.2, 0.2]), atol=1e-12)


@pytest.mark.parametrize("key, diagonal", [
    ("condcov_no_conditioning", (0.46, 0.2)),
    ("condcov_q_not_inverted", (5.0, 5.0)),
    ("condcov_inverted_marginal", (2.17, 5.0)),
])
def test_condcov_wrong_numbers(ref, key, diagonal):
    assert np.allclose(ref[key], np.diag(diagonal), atol=0.005)


def test_markov_blanket(ref):
    assert ref["markov_blanket_x2"] == frozenset({1})
    assert ref["markov_blanket_x2_from_covariance"] == frozenset({1, 3})


def test_blanket_separates_x2_from_rest():
    # X2 ⊥ {X3, X4} | X1 holds, while X4 alone does not separate X2 from X3.
    S = np.linalg.inv(ge.Q.astype(float))
    assert np.allclose(schur(S, [1, 2, 3], [0])[0, 1:], 0, atol=1e-12)
    assert schur(S, [1, 2], [3])[0, 1] == pytest.approx(-9 / 35, abs=1e-12)


def test_y_transform(ref):
    assert np.array_equal(ref["y_transform"], [[1, 0, 0, 1], [0, 1, 0, -1]])


def test_cov_y_exact_and_bilinear(ref):
    S = np.asarray(ref["sigma_exact"])
    rows = [{0: 1, 3: 1}, {1: 1, 3: -1}]  # Y1 = X1 + X4, Y2 = X2 - X4
    bilinear = [[sum(a * b * S[k, l] for k, a in ri.items() for l, b in rj.items())
                 for rj in rows] for ri in rows]
    assert np.allclose(ref["cov_y"], bilinear, atol=1e-12)
    assert np.allclose(35 * ref["cov_y"], [[32, -22], [-22, 23]], atol=1e-12)


def test_cov_y_matches_sample():
    rng = np.random.default_rng(12345)
    n = 400_000
    X = rng.multivariate_normal(np.zeros(4), np.linalg.inv(ge.Q.astype(float)), size=n)
    Y = np.column_stack([X[:, 0] + X[:, 3], X[:, 1] - X[:, 3]])
    # Standard errors are about 0.002 here; 0.01 is five of them.
    assert np.allclose(np.cov(Y.T), ge.references()["cov_y"], atol=0.01)


def test_cov_y_given(ref):
    assert np.allclose(ref["cov_y_given"], [[0.91, -0.63], [-0.63, 0.66]], atol=0.005)
    assert np.max(np.abs(ref["cov_y_given"] - ref["cov_y"])) < 0.01


@pytest.mark.parametrize("key, entries, value", [
    ("covy_missing_var_x4", [(0, 1), (1, 0)], -0.43),
    ("covy_sign", [(0, 1), (1, 0)], -0.23),
    ("covy_difference_variance", [(1, 1)], 0.26),
])
def test_covy_single_slip(ref, key, entries, value):
    wrong, right = np.asarray(ref[key]), np.asarray(ref["cov_y"])
    mask = np.zeros((2, 2), dtype=bool)
    for ij in entries:
        assert wrong[ij] == pytest.approx(value, abs=0.005)
        mask[ij] = True
    assert np.allclose(wrong[~mask], right[~mask], atol=1e-12)
    # The slip must be far from the right answer so a grader can tell them apart.
    assert np.all(np.abs(wrong[mask] - right[mask]) > 0.15)


def test_covy_used_precision(ref):
    assert np.allclose(ref["covy_used_precision"], [[10, -2], [-2, 10]], atol=1e-12)
    assert np.allclose(ref["covy_used_precision_inverse"] @ [[10, -2], [-2, 10]], np.eye(2), atol=1e-12)


def test_covy_wrong_order(ref):
    wrong = np.asarray(ref["covy_wrong_order"])
    assert wrong.shape == (4, 4)
    # A reordering of the factors of AΣAᵀ keeps the trace (cyclic invariance).
    assert np.trace(wrong) == pytest.approx(np.trace(ref["cov_y"]), abs=1e-12)


# ---------------------------------------------------------------- Problem 2: one EM step
def test_em_one_step_matches_hand_computation(ref):
    x = np.array([-1.0, 1.0])
    p1 = 0.5 * stats.norm.pdf(x, loc=-2, scale=1)
    p2 = 0.5 * stats.norm.pdf(x, loc=2, scale=1)
    g1, g2 = p1 / (p1 + p2), p2 / (p1 + p2)
    hand = (np.sum(g1 * x) / np.sum(g1), np.sum(g2 * x) / np.sum(g2))
    assert np.allclose(ref["em_one_step"], hand, atol=1e-12)
    assert np.allclose(ref["em_one_step"], (-np.tanh(2), np.tanh(2)), atol=1e-12)
    assert ref["em_start"] == (-2.0, 2.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_em_step_general_parameters(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=7)
    mu = rng.normal(size=2) * 2
    sigma2 = rng.uniform(0.3, 3)
    w = rng.dirichlet([1, 1])
    dens = np.column_stack([w[k] * stats.norm.pdf(x, mu[k], np.sqrt(sigma2)) for k in range(2)])
    gamma = dens / dens.sum(axis=1, keepdims=True)
    expected = gamma.T @ x / gamma.sum(axis=0)
    assert np.allclose(ge.em_step(mu, x, sigma2, tuple(w)), expected, atol=1e-12)


@pytest.mark.parametrize("key, expected, tol", [
    ("em_step_hard_assignment", 1.0, 1e-12),
    ("em_step_divide_by_n", 0.48, 0.005),
    ("em_step_dropped_weight", 0.98, 0.005),
    ("em_step_missing_half", 0.9993, 0.00005),
])
def test_em_step_wrong_values(ref, key, expected, tol):
    m1, m2 = ref[key]
    assert m1 == pytest.approx(-expected, abs=tol)
    assert m2 == pytest.approx(expected, abs=tol)
    # Outside the accepted band |μ| ∈ [0.955, 0.970] for part 2a.
    assert not 0.955 <= abs(m2) <= 0.970


@pytest.mark.parametrize("key, formula", [
    ("em_step_divide_by_n", np.tanh(2) / 2),       # (γ·1 + (1-γ)(-1)) / 2 with γ = σ(4)
    ("em_step_dropped_weight", 1 / (1 + np.exp(-4))),  # γ·1 / (γ + (1-γ))
    ("em_step_missing_half", np.tanh(4)),          # exponent without ½ doubles the logit
])
def test_em_step_wrong_closed_forms(ref, key, formula):
    assert np.allclose(ref[key], (-formula, formula), atol=1e-12)


def test_em_step_swapped(ref):
    assert np.allclose(ref["em_step_swapped"], (0.964, -0.964), atol=0.0005)
    assert ref["em_step_swapped"] == ref["em_one_step"][::-1]


# ---------------------------------------------------------------- Problem 2: iterates and limits
def test_em_iterates_match_answer_key(ref):
    it = np.asarray(ref["em_iterates"])
    assert it.shape == (11, 2)
    assert np.allclose(it[0], (-2, 2))
    assert np.allclose(it[1:, 1], EM_ITERATES, atol=1e-6)
    assert np.allclose(it[1:, 0], -np.asarray(EM_ITERATES), atol=1e-6)


@pytest.mark.parametrize("steps, value", [(100, 0.12172), (1000, 0.03870)])
def test_em_long_run(steps, value):
    run = ge.em_run((-2.0, 2.0), steps)
    assert run.shape == (steps + 1, 2)
    assert np.allclose(run[-1], (-value, value), atol=1e-5)
    # Sublinear decay m_t ≈ √(3/(2t)).
    assert run[-1, 1] == pytest.approx(np.sqrt(3 / (2 * steps)), rel=0.03)


def test_em_limit_is_zero(ref):
    assert np.allclose(ref["em_limit"], (0, 0), atol=1e-6)
    # The iterates decrease towards it but are still far from it after many steps.
    run = ge.em_run((-2.0, 2.0), 2000)[:, 1]
    assert np.all(np.diff(run) < 0) and run[-1] > 0.02
    assert not np.allclose(ref["em_limit"], ge.data_points(), atol=0.1)
    # ±1 is not even a fixed point: tanh(1) ≈ 0.76.
    assert not np.allclose(ge.em_step((-1.0, 1.0)), (-1, 1), atol=0.1)


@pytest.mark.parametrize("sigma2", [0.5, 0.3])
def test_em_limit_nonzero_fixed_point(sigma2):
    # With σ² < 1 the line map m ← tanh(m/σ²) has a positive fixed point the iterates reach.
    root = optimize.brentq(lambda m: np.tanh(m / sigma2) - m, 0.1, 1.0, xtol=1e-14)
    assert np.allclose(ge.em_limit((-2.0, 2.0), sigma2=sigma2), (-root, root), atol=1e-6)
    assert np.allclose(ge.em_limit((-0.01, 0.01), sigma2=sigma2), (-root, root), atol=1e-6)


def test_em_limit_from_asymmetric_start():
    assert np.allclose(ge.em_limit((-5.0, 4.0)), (0, 0), atol=1e-6)


def test_em_equal_start(ref):
    assert ref["em_equal_start"] == (2.0, 2.0)
    assert np.array_equal(ge.em_step((2.0, 2.0)), (0.0, 0.0))  # every γ is ½: one step
    assert np.allclose(ref["em_fixed_point_equal_start"], (0, 0), atol=1e-12)
    assert ref["em_no_move"] == (2.0, 2.0)


def test_em_symmetry_break_answers(ref):
    assert ref["em_symmetry_break_data"] == (-1.0, 1.0)
    assert np.allclose(ref["em_symmetry_break_step"], (-0.964, 0.964), atol=0.0005)


# ---------------------------------------------------------------- Problem 2: K-means
def test_kmeans_fixed_point(ref):
    assert np.array_equal(ge.kmeans_step((-2.0, 2.0)), (-1.0, 1.0))
    assert np.array_equal(ge.kmeans_step((-1.0, 1.0)), (-1.0, 1.0))
    assert ref["kmeans_fixed_point"] == (-1.0, 1.0)


def test_kmeans_empty_cluster_keeps_centre():
    assert np.array_equal(ge.kmeans_step((0.0, 5.0)), (0.0, 5.0))


@pytest.mark.parametrize("key, expected", [
    ("kmeans_confused_with_em", (-np.tanh(2), np.tanh(2))),
    ("kmeans_confused_with_em_limit", (0.0, 0.0)),
    ("kmeans_no_update", (-2.0, 2.0)),
])
def test_kmeans_wrong_answers(ref, key, expected):
    assert np.allclose(ref[key], expected, atol=1e-6)
    assert not np.allclose(ref[key], ref["kmeans_fixed_point"], atol=0.01)
