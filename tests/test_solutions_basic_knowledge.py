"""Independent checks of solutions/basic_knowledge.py: finite differences and two ways to a Gaussian posterior."""

import numpy as np
import pytest

from grader.mathexpr import draw_environments, evaluate, parse
from solutions import basic_knowledge as bk

REFS = bk.references()
SEEDS = [0, 1, 2, 7, 42]


def rng(seed):
    return np.random.default_rng(seed)


def value(latex, env):
    return np.asarray(evaluate(parse(latex), env), dtype=float)


def random_invertible(r, n):
    while True:
        X = r.standard_normal((n, n))
        if np.linalg.cond(X) < 50 and not np.allclose(X, X.T):
            return X


def random_spd(r, n):
    G = r.standard_normal((n, n))
    return G @ G.T / n + 0.5 * np.eye(n)


def posterior_problem(seed, d=2, n=3):
    r = rng(seed)
    return dict(mu=r.standard_normal((d, 1)), K=random_spd(r, d), L=r.standard_normal((n, d)), m=r.standard_normal((n, 1)),
                Sigma=random_spd(r, n), u=r.standard_normal((n, 1)))


# --- Q1 and Q2: finite differences ----------------------------------------------------------------------------------
def test_numeric_gradient_of_a_known_function():
    X = rng(3).standard_normal((3, 2))
    assert np.allclose(bk.numeric_gradient(lambda Y: float(np.sum(Y ** 2)), X), 2 * X, atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_trace_gradient_is_a_transpose_on_a_non_square_pair(seed):
    r = rng(seed)
    X, A = r.standard_normal((3, 2)), r.standard_normal((2, 3))
    fd = bk.trace_gradient_fd(X, A)
    assert fd.shape == X.shape == (3, 2)
    assert np.allclose(fd, value(REFS["grad_trace"], {"X": X, "A": A}), atol=1e-6)
    # the wrong reference is not even of the right shape here
    assert value(REFS["trace_missing_transpose"], {"X": X, "A": A}).shape == (2, 3)


@pytest.mark.parametrize("seed", SEEDS)
def test_det_gradient_is_the_cofactor_matrix(seed):
    X = random_invertible(rng(seed), 3)
    fd = bk.det_gradient_fd(X)
    env = {"X": X}
    assert np.allclose(fd, value(REFS["grad_det"], env), atol=1e-5)
    assert np.allclose(fd, value(REFS["cofactor_matrix"], env), atol=1e-5)
    # the cofactor matrix from its definition C_ij = (-1)^(i+j) det(X without row i and column j)
    cof = np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(X, i, 0), j, 1)) for j in range(3)]
                    for i in range(3)])
    assert np.allclose(fd, cof, atol=1e-5)
    for wrong in ("det_missing_transpose", "adjugate", "det_log_det", "det_log_det_untransposed"):
        assert not np.allclose(fd, value(REFS[wrong], env), atol=1e-3), wrong
    assert np.allclose(value(REFS["det_missing_transpose"], env), value(REFS["adjugate"], env))


# --- Q3: conditioning the joint Gaussian, confirmed by the information form ------------------------------------------
def test_joint_gaussian_blocks():
    p = posterior_problem(0)
    mean, cov = bk.joint_gaussian(p["mu"], p["K"], p["L"], p["m"], p["Sigma"])
    assert mean.shape == (5, 1) and cov.shape == (5, 5) and np.allclose(cov, cov.T)
    assert np.all(np.linalg.eigvalsh(cov) > 0)


def test_joint_gaussian_by_sampling():
    p = posterior_problem(5)
    r = rng(11)
    v = p["mu"] + np.linalg.cholesky(p["K"]) @ r.standard_normal((2, 200_000))
    u = p["L"] @ v + p["m"] + np.linalg.cholesky(p["Sigma"]) @ r.standard_normal((3, 200_000))
    mean, cov = bk.joint_gaussian(p["mu"], p["K"], p["L"], p["m"], p["Sigma"])
    samples = np.vstack([v, u])
    assert np.allclose(samples.mean(axis=1, keepdims=True), mean, atol=0.05)
    assert np.allclose(np.cov(samples), cov, atol=0.1)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("d", "n"), [(2, 3), (3, 2), (4, 4)])
def test_posterior_by_conditioning_equals_the_information_form(seed, d, n):
    p = posterior_problem(seed, d, n)
    m1, c1 = bk.posterior_by_conditioning(**p)
    m2, c2 = bk.posterior_information_form(**p)
    assert m1.shape == (d, 1) and c1.shape == (d, d)
    assert np.allclose(m1, m2) and np.allclose(c1, c2)


@pytest.mark.parametrize("seed", SEEDS)
def test_reference_expressions_give_the_posterior(seed):
    p = posterior_problem(seed)
    env = {"mu": p["mu"], "K": p["K"], "L": p["L"], "m": p["m"], "Sigma": p["Sigma"], "u": p["u"]}
    for name, latex in bk.POSTERIOR_DEFINITIONS.items():
        env[name] = value(latex, env)
    mean, cov = bk.posterior_by_conditioning(**p)
    assert np.allclose(value(REFS["posterior_mean"], env), mean)
    assert np.allclose(value(REFS["posterior_cov"], env), cov)
    assert np.allclose(env["P"], cov)  # P is the posterior covariance in information form
    for wrong in ("mean_missing_Lmu", "mean_missing_m", "mean_gain_without_posterior"):
        assert not np.allclose(value(REFS[wrong], env), mean, atol=1e-3), wrong
    for wrong in ("cov_plus", "cov_noise_term_only", "cov_gain_without_posterior"):
        assert not np.allclose(value(REFS[wrong], env), cov, atol=1e-3), wrong


def test_references_hold_on_the_grader_draws():
    """The draws the checkers use (symbol tables of the solutions module) agree with the numeric functions."""
    for env in draw_environments(REFS["posterior_symbols"], REFS["posterior_definitions"], n_draws=3):
        p = {k: env[k] for k in ("mu", "K", "L", "m", "Sigma", "u")}
        mean, cov = bk.posterior_by_conditioning(**p)
        assert np.allclose(value(REFS["posterior_mean"], env), mean)
        assert np.allclose(value(REFS["posterior_cov"], env), cov)
    for env in draw_environments(REFS["trace_symbols"], n_draws=3):
        assert np.allclose(value(REFS["grad_trace"], env), bk.trace_gradient_fd(env["X"], env["A"]), atol=1e-6)
    for env in draw_environments(REFS["det_symbols"], n_draws=3):
        assert np.allclose(value(REFS["grad_det"], env), bk.det_gradient_fd(env["X"]), atol=1e-5)


def test_references_returns_a_fresh_mapping():
    first = bk.references()
    first["grad_trace"] = "changed"
    assert bk.references()["grad_trace"] == "A^T"
    assert REFS["posterior_condition"] == "v|u"
