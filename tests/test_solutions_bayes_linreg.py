"""Independent checks of solutions/bayes_linreg.py: the posterior by conditioning the joint Gaussian of (w, y), by
one-point sequential updates, by maximising the log posterior numerically and by importance sampling from the prior;
the LaTeX references against numpy on random problems; and the wrong values against the mistakes they model."""

import numpy as np
import pytest
from scipy import optimize, stats

from grader.mathexpr import draw_environments, evaluate, parse
from solutions import bayes_linreg as bl

REFS = bl.references()
X, Y = bl.design_matrix(), np.asarray(bl.TARGETS)
S2, LAM = bl.NOISE_VARIANCE, bl.PRIOR_PRECISION


# ---------------------------------------------------------------- second ways to the same posterior
def posterior_by_conditioning(X, y, s2, lam):
    """(w, y) is jointly Gaussian: Cov(w) = I/λ, Cov(y) = XXᵀ/λ + σ²I, Cov(w, y) = Xᵀ/λ; condition on y."""
    n, d = X.shape
    c_ww, c_wy, c_yy = np.eye(d) / lam, X.T / lam, X @ X.T / lam + s2 * np.eye(n)
    return c_wy @ np.linalg.solve(c_yy, y), c_ww - c_wy @ np.linalg.solve(c_yy, c_wy.T)


def posterior_sequential(X, y, s2, lam):
    """Bayes' rule one observation at a time, each posterior the next prior (a rank-one update, no d×d inverse)."""
    d = X.shape[1]
    mean, cov = np.zeros(d), np.eye(d) / lam
    for x_i, y_i in zip(X, y):
        gain = cov @ x_i / (x_i @ cov @ x_i + s2)
        mean = mean + gain * (y_i - x_i @ mean)
        cov = cov - np.outer(gain, x_i @ cov)
    return mean, cov


def neg_log_posterior(w, X, y, s2, lam):
    return float(np.sum((y - X @ w) ** 2) / (2 * s2) + lam * w @ w / 2)


def test_the_posterior_by_conditioning_the_joint_gaussian():
    mean, cov = posterior_by_conditioning(X, Y, S2, LAM)
    assert np.allclose(REFS["posterior_mean"], mean) and np.allclose(REFS["posterior_cov"], cov)


def test_the_posterior_by_sequential_updates():
    mean, cov = posterior_sequential(X, Y, S2, LAM)
    assert np.allclose(REFS["posterior_mean"], mean) and np.allclose(REFS["posterior_cov"], cov)


def test_the_posterior_by_importance_sampling_from_the_prior():
    rng = np.random.default_rng(20240917)
    w = rng.normal(0.0, np.sqrt(1 / LAM), size=(400_000, 2))
    log_lik = stats.norm.logpdf(Y[None, :], loc=w @ X.T, scale=np.sqrt(S2)).sum(axis=1)
    weights = np.exp(log_lik - log_lik.max())
    weights /= weights.sum()
    mean = weights @ w
    cov = (w - mean).T @ ((w - mean) * weights[:, None])
    assert np.allclose(mean, REFS["posterior_mean"], atol=0.01)
    assert np.allclose(cov, REFS["posterior_cov"], atol=0.01)


def test_the_map_estimate_maximises_the_posterior_and_is_the_mean():
    found = optimize.minimize(neg_log_posterior, np.zeros(2), args=(X, Y, S2, LAM), method="BFGS", tol=1e-12).x
    assert np.allclose(found, REFS["map_estimate"], atol=1e-6)
    assert np.allclose(found, REFS["posterior_mean"], atol=1e-6)
    assert REFS["map_equals_mean"] is True


def test_the_ridge_penalty_gives_the_map_and_the_wrong_penalties_do_not():
    def ridge_min(alpha):
        objective = lambda w: float(np.sum((Y - X @ w) ** 2) + alpha * w @ w)  # noqa: E731
        return optimize.minimize(objective, np.zeros(2), method="BFGS", tol=1e-12).x

    assert np.allclose(ridge_min(REFS["ridge_alpha"]), REFS["posterior_mean"], atol=1e-6)
    for wrong in ("alpha_prior_precision", "alpha_over_noise", "alpha_prior_variance", "alpha_without_prior"):
        assert not np.allclose(ridge_min(REFS[wrong]), REFS["posterior_mean"], atol=1e-3), wrong
    # The negative log posterior is the ridge objective divided by 2σ², plus a constant.
    rng = np.random.default_rng(1)
    w1, w2 = rng.standard_normal((2, 2))
    ridge = lambda w: float(np.sum((Y - X @ w) ** 2) + REFS["ridge_alpha"] * w @ w)  # noqa: E731
    assert (neg_log_posterior(w1, X, Y, S2, LAM) - neg_log_posterior(w2, X, Y, S2, LAM)) == pytest.approx(
        (ridge(w1) - ridge(w2)) / (2 * S2))


def test_the_numbers_worked_by_hand():
    assert np.allclose(REFS["posterior_precision"], [[8, 6], [6, 12]])
    assert np.allclose(REFS["posterior_cov"], np.array([[12, -6], [-6, 8]]) / 60)
    assert np.allclose(REFS["posterior_mean"], [-1 / 5, 14 / 15])
    assert REFS["ridge_alpha"] == 1.0


# ---------------------------------------------------------------- the wrong values are the mistakes they name
def test_the_wrong_values_come_from_the_mistakes():
    ols = np.linalg.lstsq(X, Y, rcond=None)[0]
    assert np.allclose(REFS["mean_without_prior"], ols)
    assert np.allclose(REFS["cov_without_prior"], S2 * np.linalg.inv(X.T @ X))
    assert np.allclose(REFS["mean_without_noise_scale"], bl.ridge(X, Y, LAM))  # ridge with penalty λ
    assert np.allclose(REFS["cov_without_noise_scale"], np.linalg.inv(LAM * np.eye(2) + X.T @ X))
    mean, cov = posterior_by_conditioning(X, Y, S2, 1 / LAM)
    assert np.allclose(REFS["mean_prior_variance_as_precision"], mean)
    assert np.allclose(REFS["cov_prior_variance_as_precision"], cov)
    assert np.allclose(REFS["cov_precision_as_covariance"], np.linalg.inv(REFS["posterior_cov"]))
    assert np.allclose(REFS["mean_precision_as_covariance"], np.linalg.inv(REFS["posterior_cov"]) @ X.T @ Y / S2)
    assert np.allclose(REFS["cov_covariances_added"], np.eye(2) / LAM + S2 * np.linalg.inv(X.T @ X))
    assert np.allclose(REFS["mean_without_noise_factor"], REFS["posterior_cov"] @ X.T @ Y)
    assert (REFS["alpha_prior_precision"], REFS["alpha_over_noise"], REFS["alpha_prior_variance"],
            REFS["alpha_without_prior"]) == (LAM, LAM / S2, S2 / LAM, 0.0)


WRONG_COVS = ["cov_without_prior", "cov_without_noise_scale", "cov_prior_variance_as_precision",
              "cov_precision_as_covariance", "cov_covariances_added"]
WRONG_MEANS = ["mean_without_prior", "mean_without_noise_scale", "mean_prior_variance_as_precision",
               "mean_precision_as_covariance", "mean_without_noise_factor"]
WRONG_ALPHAS = ["alpha_prior_precision", "alpha_over_noise", "alpha_prior_variance", "alpha_without_prior"]


@pytest.mark.parametrize("right,wrong,gap", [
    ("posterior_cov", WRONG_COVS, 0.01),  # the matrix detectors' tolerance is 0.005
    ("posterior_mean", WRONG_MEANS, 0.02),  # the values detectors' tolerance is 0.01
    ("ridge_alpha", WRONG_ALPHAS, 0.01),
])
def test_no_two_answers_can_be_confused(right, wrong, gap):
    values = {name: np.atleast_1d(np.asarray(REFS[name], dtype=float)) for name in [right, *wrong]}
    # every entry of a wrong mean differs from the right one, so no mistake earns a share of the values check
    for name in wrong:
        diff = np.abs(values[name] - values[right])
        assert (diff.min() if right == "posterior_mean" else diff.max()) > gap, name
    for i, a in enumerate(wrong):
        for b in wrong[i + 1:]:
            assert np.abs(values[a] - values[b]).max() > gap, (a, b)


# ---------------------------------------------------------------- the LaTeX references against numpy
def value(latex, env):
    return np.asarray(evaluate(parse(latex), env), dtype=float)


def numpy_setting(env):
    return env["X"], env["y"].ravel(), float(env["sigma"][0, 0]) ** 2, float(env["lambda"][0, 0])


EXPRESSIONS = [
    ("cov_expression", lambda X, y, s2, lam: bl.posterior(X, y, s2, lam)[1]),
    ("mean_expression", lambda X, y, s2, lam: bl.posterior(X, y, s2, lam)[0]),
    ("cov_expression_without_prior", lambda X, y, s2, lam: bl.posterior_without_prior(X, y, s2, lam)[1]),
    ("mean_expression_without_prior", lambda X, y, s2, lam: bl.posterior_without_prior(X, y, s2, lam)[0]),
    ("cov_expression_without_noise_scale", lambda X, y, s2, lam: bl.posterior_without_noise_scale(X, y, s2, lam)[1]),
    ("mean_expression_without_noise_scale",
     lambda X, y, s2, lam: bl.posterior_without_noise_scale(X, y, s2, lam)[0]),
    ("cov_expression_prior_variance",
     lambda X, y, s2, lam: bl.posterior_prior_variance_as_precision(X, y, s2, lam)[1]),
    ("mean_expression_prior_variance",
     lambda X, y, s2, lam: bl.posterior_prior_variance_as_precision(X, y, s2, lam)[0]),
    ("cov_expression_precision", lambda X, y, s2, lam: bl.posterior_precision_as_covariance(X, y, s2, lam)[1]),
    ("mean_expression_precision", lambda X, y, s2, lam: bl.posterior_precision_as_covariance(X, y, s2, lam)[0]),
    ("cov_expression_covariances_added", lambda X, y, s2, lam: bl.covariances_added(X, s2, lam)),
    ("mean_expression_without_noise_factor", bl.mean_without_noise_factor),
    ("precision_expression_without_prior", lambda X, y, s2, lam: X.T @ X / s2),
    ("precision_expression_without_noise_scale", lambda X, y, s2, lam: lam * np.eye(X.shape[1]) + X.T @ X),
]


@pytest.mark.parametrize("name,numeric", EXPRESSIONS, ids=[n for n, _ in EXPRESSIONS])
def test_each_latex_reference_is_its_numpy_procedure(name, numeric):
    for env in draw_environments(REFS["symbols"], REFS["definitions"], n_draws=3, seed=5):
        got = value(REFS[name], env)
        want = np.asarray(numeric(*numpy_setting(env)), dtype=float).reshape(got.shape)
        assert np.allclose(got, want), name


def test_the_definitions_are_the_posterior_covariance_and_precision():
    for env in draw_environments(REFS["symbols"], REFS["definitions"], n_draws=3, seed=9):
        X_, y_, s2, lam = numpy_setting(env)
        for name in ("S_N", "Sigma_N", "S"):
            assert np.allclose(env[name], bl.posterior(X_, y_, s2, lam)[1]), name
        assert np.allclose(env["Lambda_N"], bl.posterior_precision(X_, s2, lam))


def test_references_are_cached_and_read_only():
    assert bl.references() is not bl.references()  # a fresh dict each time ...
    assert all(bl.references()[key] is ref for key, ref in REFS.items())  # ... of the values computed once
    for key, ref in REFS.items():
        if isinstance(ref, np.ndarray):
            assert not ref.flags.writeable, key
        assert not isinstance(ref, (list, set)), key
