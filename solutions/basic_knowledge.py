"""Reference expressions for the "basic-knowledge" homework, and the numbers that confirm them.

The homework asks for matrix expressions, so the references are LaTeX expressions graded by
``grader.mathexpr`` on seeded random draws of the declared symbols:

- Q1  ∂Tr(XA)/∂X = Aᵀ, checked with a non-square pair (X p×q, A q×p): the gradient has X's shape;
- Q2  ∂det X/∂X = det(X) X⁻ᵀ = Cof(X), checked on a non-symmetric X (a symmetric one cannot tell
  X⁻¹ from X⁻ᵀ);
- Q3  v | u for v ~ N(μ, K), u | v ~ N(Lv + m, Σ): mean μ + J(u − Lμ − m), covariance K − JLK with
  J = K Lᵀ (Σ + L K Lᵀ)⁻¹ (the statement writes Kᵀ; K is symmetric), L non-square.

The wrong answers of the misconception catalogue are written the same way, as the expression the
mistaken reasoning produces, and are evaluated on the same draws.

The numeric functions below compute the same quantities without the expressions: central finite
differences of Tr(XA) and det X, and the Gaussian posterior both by conditioning the joint
distribution of (v, u) and in information form. The tests evaluate the reference expressions on
random matrices and compare them with these functions, so a wrong reference cannot go unnoticed.
"""

from __future__ import annotations

import functools

import numpy as np

# ---------------------------------------------------------------- symbols and definitions
# Named dimensions: every draw gives them different sizes (2, 3, 4 rotating), so L is never square.
TRACE_SYMBOLS = {"X": "matrix(p, q)", "A": "matrix(q, p)"}
DET_SYMBOLS = {"X": "invertible(d)"}
POSTERIOR_SYMBOLS = {
    "K": "spd(d)", "L": "matrix(n, d)", "Sigma": "spd(n)", "mu": "vector(d)", "m": "vector(n)", "u": "vector(n)",
}
# J as the statement writes it (Kᵀ = K) and P, the posterior covariance in information form: a student's
# own "where J = …" or "P = …" replaces these for the student's expression only.
POSTERIOR_DEFINITIONS = {
    "J": r"K^T L^T (\Sigma + L K L^T)^{-1}",
    "P": r"(K^{-1} + L^T \Sigma^{-1} L)^{-1}",
}


# ---------------------------------------------------------------- numeric confirmations
def trace_of_product(X: np.ndarray, A: np.ndarray) -> float:
    return float(np.trace(X @ A))


def numeric_gradient(f, X: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Central finite differences of the scalar function ``f`` at ``X``, entry by entry."""
    X = np.asarray(X, dtype=float)
    grad = np.empty_like(X)
    for index in np.ndindex(X.shape):
        bump = np.zeros_like(X)
        bump[index] = step
        grad[index] = (f(X + bump) - f(X - bump)) / (2 * step)
    return grad


def trace_gradient_fd(X: np.ndarray, A: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """∂Tr(XA)/∂X by finite differences (X p×q, A q×p: the result is p×q)."""
    return numeric_gradient(lambda Y: trace_of_product(Y, A), X, step)


def det_gradient_fd(X: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """∂det(X)/∂X by finite differences."""
    return numeric_gradient(lambda Y: float(np.linalg.det(Y)), X, step)


def joint_gaussian(mu, K, L, m, Sigma) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of (v, u) when v ~ N(μ, K) and u = Lv + m + ε, ε ~ N(0, Σ) independent of v."""
    mu, m = np.reshape(mu, (-1, 1)), np.reshape(m, (-1, 1))
    mean = np.vstack([mu, L @ mu + m])
    cov = np.block([[K, K @ L.T], [L @ K, L @ K @ L.T + Sigma]])
    return mean, cov


def posterior_by_conditioning(mu, K, L, m, Sigma, u) -> tuple[np.ndarray, np.ndarray]:
    """v | u from the joint Gaussian: μ_v + C_vu C_uu⁻¹ (u − μ_u), C_vv − C_vu C_uu⁻¹ C_uv."""
    d = np.shape(K)[0]
    mean, cov = joint_gaussian(mu, K, L, m, Sigma)
    c_vv, c_vu, c_uv, c_uu = cov[:d, :d], cov[:d, d:], cov[d:, :d], cov[d:, d:]
    residual = np.reshape(u, (-1, 1)) - mean[d:]
    post_mean = mean[:d] + c_vu @ np.linalg.solve(c_uu, residual)
    post_cov = c_vv - c_vu @ np.linalg.solve(c_uu, c_uv)
    return post_mean, post_cov


def posterior_information_form(mu, K, L, m, Sigma, u) -> tuple[np.ndarray, np.ndarray]:
    """v | u from the precisions: P = (K⁻¹ + Lᵀ Σ⁻¹ L)⁻¹, mean P (Lᵀ Σ⁻¹ (u − m) + K⁻¹ μ)."""
    mu, m, u = (np.reshape(x, (-1, 1)) for x in (mu, m, u))
    k_inv, s_inv = np.linalg.inv(K), np.linalg.inv(Sigma)
    P = np.linalg.inv(k_inv + L.T @ s_inv @ L)
    return P @ (L.T @ s_inv @ (u - m) + k_inv @ mu), P


# ---------------------------------------------------------------- references for the rubric
@functools.lru_cache(maxsize=1)
def _references() -> dict[str, object]:
    return {
        # symbol tables and definitions, passed to the checkers as parameters
        "trace_symbols": TRACE_SYMBOLS,
        "det_symbols": DET_SYMBOLS,
        "posterior_symbols": POSTERIOR_SYMBOLS,
        "posterior_definitions": POSTERIOR_DEFINITIONS,
        "posterior_condition": "v|u",
        # the prior the statement gives, v ~ N(μ, K): what a derivation's general formula names E[v] and Cov(v)
        "posterior_prior_moments": {"E[v]": "\\mu", "Cov(v)": "K"},
        # Q1
        "grad_trace": "A^T",
        "trace_missing_transpose": "A",
        # Q2: det(X) X⁻ᵀ is the cofactor matrix; its transpose is the adjugate det(X) X⁻¹
        "grad_det": r"\det(X) (X^{-1})^T",
        "det_missing_transpose": r"\det(X) X^{-1}",
        "det_log_det": r"X^{-T}",
        "det_log_det_untransposed": r"X^{-1}",
        "cofactor_matrix": r"\operatorname{Cof}(X)",
        "adjugate": r"\operatorname{Cof}(X)^T",
        # Q3: the posterior
        "posterior_mean": r"\mu + J (u - L \mu - m)",
        "posterior_cov": r"K - J L K",
        "mean_missing_Lmu": r"\mu + J (u - m)",
        "mean_missing_m": r"\mu + J (u - L \mu)",
        # the information-form gain with the prior covariance K in place of the posterior one P
        "mean_gain_without_posterior": r"\mu + K L^T \Sigma^{-1} (u - L \mu - m)",
        "cov_gain_without_posterior": r"K - K L^T \Sigma^{-1} L K",
        # Cov(u) without the noise: the matrix that ends up inverted in place of Σ + L K Lᵀ
        "cov_u_without_noise": r"L K L^T",
        "cov_plus": r"K + J L K",
        "cov_noise_term_only": r"K - J \Sigma J^T",
    }


def references() -> dict[str, object]:
    """Every reference the rubric uses, by name (fresh top-level dict; the tables inside are shared)."""
    return dict(_references())
