"""Reference values for the "bayes-linreg" homework: the posterior and MAP estimate of Bayesian linear regression.

The model: y = Xw + ε with ε ~ N(0, σ² I_n) and the prior w ~ N(0, λ⁻¹ I_d) (λ is the prior's precision). The
posterior is Gaussian with precision λI + XᵀX/σ², covariance S_N = (λI + XᵀX/σ²)⁻¹ and mean m_N = S_N Xᵀy / σ²;
since a Gaussian's mode is its mean, the MAP estimate is m_N, which is also the ridge solution
argmin ‖y − Xw‖² + α‖w‖² with α = λσ².

- Problem 1 asks for S_N and m_N as expressions: the references are LaTeX, graded by ``grader.mathexpr`` on seeded
  random draws of the declared symbols (X has 5 rows, more than the 2 or 3 columns drawn, so the mistaken answers
  that invert XᵀX stay defined and can be recognised).
- Problems 2 and 3 use the data below: every number is computed here from it with numpy, the right values and the
  wrong ones, the latter by running the mistaken procedure (forgetting the prior is the same procedure with λ = 0,
  forgetting σ² the same with σ² = 1, taking λ for the prior variance the same with 1/λ for λ).

The tests confirm these values independently (tests/test_solutions_bayes_linreg.py): by maximising the log posterior
numerically, by conditioning the joint Gaussian of (w, y), by sequential one-point updates, and by sampling.
"""

from __future__ import annotations

import functools

import numpy as np

# ---------------------------------------------------------------- problem data (Problems 2 and 3)
INPUTS = np.array([0.0, 1.0, 2.0])  # x_i; the features are (1, x_i): an intercept and a slope
TARGETS = np.array([-1.0, 1.0, 2.0])  # y_i
NOISE_VARIANCE = 0.5  # σ²
PRIOR_PRECISION = 2.0  # λ: w ~ N(0, λ⁻¹ I)
for _array in (INPUTS, TARGETS):
    _array.setflags(write=False)

# ---------------------------------------------------------------- symbols of Problem 1
# X has a fixed number of rows (5) above every drawn column count (2 or 3): XᵀX is then invertible on every draw, so
# the "no prior" answer σ²(XᵀX)⁻¹ evaluates and its detector can fire.
SYMBOLS = {"X": "matrix(5, d)", "y": "vector(5)", "sigma": "scalar", "lambda": "scalar"}
# The names students give the posterior's covariance and precision; a student's own "where S_N = …" replaces these.
_COVARIANCE = r"\left(\lambda I + \frac{1}{\sigma^2} X^T X\right)^{-1}"
DEFINITIONS = {
    "S_N": _COVARIANCE,
    "Sigma_N": _COVARIANCE,
    "S": _COVARIANCE,
    "Lambda_N": r"\lambda I + \frac{1}{\sigma^2} X^T X",
}


def design_matrix(x=INPUTS) -> np.ndarray:
    """Rows (1, x_i): the intercept and the slope are the two weights."""
    x = np.asarray(x, dtype=float)
    return np.column_stack([np.ones_like(x), x])


# ---------------------------------------------------------------- the right procedure
def posterior_precision(X, sigma2: float, lam: float) -> np.ndarray:
    """Prior precision plus the data's: λI + XᵀX/σ² (the log posterior's Hessian, negated)."""
    X = np.asarray(X, dtype=float)
    return lam * np.eye(X.shape[1]) + X.T @ X / sigma2


def posterior(X, y, sigma2: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """(m_N, S_N): S_N = (λI + XᵀX/σ²)⁻¹, m_N = S_N Xᵀy / σ²."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    cov = np.linalg.inv(posterior_precision(X, sigma2, lam))
    return cov @ X.T @ y / sigma2, cov


def ridge(X, y, alpha: float) -> np.ndarray:
    """argmin ‖y − Xw‖² + α‖w‖², from its normal equations (XᵀX + αI) w = Xᵀy."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)


def ridge_penalty(sigma2: float, lam: float) -> float:
    """α with −log posterior = (‖y − Xw‖² + α‖w‖²) / (2σ²) + const: α = λσ²."""
    return lam * sigma2


# ---------------------------------------------------------------- the mistaken procedures
def posterior_without_prior(X, y, sigma2, lam):
    """Forgets the prior term λI: least squares, with covariance σ²(XᵀX)⁻¹."""
    return posterior(X, y, sigma2, 0.0)


def posterior_without_noise_scale(X, y, sigma2, lam):
    """Forgets σ²: (λI + XᵀX)⁻¹ and (λI + XᵀX)⁻¹Xᵀy, i.e. ridge with penalty λ."""
    return posterior(X, y, 1.0, lam)


def posterior_prior_variance_as_precision(X, y, sigma2, lam):
    """Reads λ as the prior variance: the prior precision becomes 1/λ."""
    return posterior(X, y, sigma2, 1.0 / lam)


def posterior_precision_as_covariance(X, y, sigma2, lam):
    """Uses the precision λI + XᵀX/σ² where its inverse belongs."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    precision = posterior_precision(X, sigma2, lam)
    return precision @ X.T @ y / sigma2, precision


def covariances_added(X, sigma2, lam) -> np.ndarray:
    """Adds the prior covariance λ⁻¹I to the least-squares covariance σ²(XᵀX)⁻¹ (precisions add, not covariances)."""
    X = np.asarray(X, dtype=float)
    return np.eye(X.shape[1]) / lam + sigma2 * np.linalg.inv(X.T @ X)


def mean_without_noise_factor(X, y, sigma2, lam) -> np.ndarray:
    """S_N Xᵀy: the mean without its factor 1/σ²."""
    mean, _ = posterior(X, y, sigma2, lam)
    return mean * sigma2


# ---------------------------------------------------------------- references for the rubric
def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def _pair(v) -> tuple[float, ...]:
    return tuple(float(t) for t in v)


@functools.lru_cache(maxsize=1)
def _references() -> dict[str, object]:
    X, y, s2, lam = design_matrix(), TARGETS, NOISE_VARIANCE, PRIOR_PRECISION
    mean, cov = posterior(X, y, s2, lam)
    wrong = {
        "without_prior": posterior_without_prior(X, y, s2, lam),
        "without_noise_scale": posterior_without_noise_scale(X, y, s2, lam),
        "prior_variance_as_precision": posterior_prior_variance_as_precision(X, y, s2, lam),
        "precision_as_covariance": posterior_precision_as_covariance(X, y, s2, lam),
    }
    alpha = ridge_penalty(s2, lam)
    refs: dict[str, object] = {
        # Problem 1: expressions
        "symbols": SYMBOLS,
        "definitions": DEFINITIONS,
        "cov_expression": _COVARIANCE,
        "mean_expression": r"\frac{1}{\sigma^2} \left(\lambda I + \frac{1}{\sigma^2} X^T X\right)^{-1} X^T y",
        "cov_expression_without_prior": r"\sigma^2 (X^T X)^{-1}",
        "cov_expression_precision": r"\lambda I + \frac{1}{\sigma^2} X^T X",
        "cov_expression_without_noise_scale": r"(\lambda I + X^T X)^{-1}",
        "cov_expression_prior_variance": r"\left(\frac{1}{\lambda} I + \frac{1}{\sigma^2} X^T X\right)^{-1}",
        "cov_expression_covariances_added": r"\frac{1}{\lambda} I + \sigma^2 (X^T X)^{-1}",
        # the same mistakes in Bishop's form, stated as the precision S_N⁻¹ = …
        "precision_expression_without_prior": r"\frac{1}{\sigma^2} X^T X",
        "precision_expression_without_noise_scale": r"\lambda I + X^T X",
        "mean_expression_without_prior": r"(X^T X)^{-1} X^T y",
        "mean_expression_without_noise_scale": r"(\lambda I + X^T X)^{-1} X^T y",
        "mean_expression_prior_variance":
            r"\frac{1}{\sigma^2} \left(\frac{1}{\lambda} I + \frac{1}{\sigma^2} X^T X\right)^{-1} X^T y",
        "mean_expression_precision": r"\frac{1}{\sigma^2} \left(\lambda I + \frac{1}{\sigma^2} X^T X\right) X^T y",
        "mean_expression_without_noise_factor": r"\left(\lambda I + \frac{1}{\sigma^2} X^T X\right)^{-1} X^T y",
        # Problem 2: the data and the posterior's numbers
        "inputs": _pair(INPUTS),
        "design": _frozen(X),
        "targets": _pair(y),
        "noise_variance": float(s2),
        "noise_precision": float(1.0 / s2),
        "prior_precision": float(lam),
        "posterior_precision": _frozen(posterior_precision(X, s2, lam)),
        "posterior_cov": _frozen(cov),
        "posterior_mean": _pair(mean),
        "cov_covariances_added": _frozen(covariances_added(X, s2, lam)),
        "mean_without_noise_factor": _pair(mean_without_noise_factor(X, y, s2, lam)),
        # Problem 3: MAP = posterior mean = ridge solution with α = λσ²
        "map_estimate": _pair(ridge(X, y, alpha)),
        "map_equals_mean": bool(np.allclose(ridge(X, y, alpha), mean)),
        "ridge_alpha": float(alpha),
        "alpha_prior_precision": float(lam),  # α = λ: σ² forgotten
        "alpha_over_noise": float(lam / s2),  # α = λ/σ²: the 1/σ² scaling applied to the prior term
        "alpha_prior_variance": float(s2 / lam),  # α = σ²/λ: λ taken for the prior variance
        "alpha_without_prior": float(ridge_penalty(s2, 0.0)),  # α = 0: the prior left out, least squares
    }
    for name, (wrong_mean, wrong_cov) in wrong.items():
        refs[f"mean_{name}"] = _pair(wrong_mean)
        refs[f"cov_{name}"] = _frozen(wrong_cov)
    return refs


def references() -> dict[str, object]:
    """Every reference the rubric uses, by name (a fresh top-level dict; the arrays inside are read-only)."""
    return dict(_references())
