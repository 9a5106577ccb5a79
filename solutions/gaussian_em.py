"""Reference values for the "gaussian-em" homework, computed from the problem data.

Problem 1 is a 4-variable Gaussian given by its integer precision matrix Q; the covariance
printed to students is Q⁻¹ rounded to two decimals.  Problem 2 runs EM (and K-means) on a
1-D two-component mixture with unit variances and equal weights, learning only the means,
on the two data points x = (-1, 1).

Every value in :func:`references` -- right answers and the wrong answers of the misconception
catalogue -- is produced by running the (right or erroneous) procedure on that data.
"""

from __future__ import annotations

import functools

import numpy as np

# ---------------------------------------------------------------- problem data
Q = np.array(
    [[5, 3, -3, 0],
     [3, 5, 0, 0],
     [-3, 0, 5, 0],
     [0, 0, 0, 5]],
    dtype=int,
)
Q.setflags(write=False)

# Y = A X with Y1 = X1 + X4 and Y2 = X2 - X4.
Y_TRANSFORM = np.array([[1, 0, 0, 1], [0, 1, 0, -1]], dtype=int)
Y_TRANSFORM.setflags(write=False)

PRINTED_DECIMALS = 2  # the printed Σ is Q⁻¹ rounded to this many decimals

DATA = np.array([-1.0, 1.0])
DATA.setflags(write=False)
SIGMA2 = 1.0
WEIGHTS = (0.5, 0.5)
EM_START = (-2.0, 2.0)
EM_EQUAL_START = (2.0, 2.0)

# 0-based positions used by the questions: X3, X4 and the conditioning set X1, X2.
_PAIR = [2, 3]
_REST = [0, 1]
_X2 = 1
_X4 = 3
# Entries below this are treated as exact zeros (Q⁻¹ computed in floating point).
_ZERO_TOL = 1e-10


def data_points() -> np.ndarray:
    """The observed sample x(1), x(2) (read-only)."""
    return DATA


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def _pair(v) -> tuple[float, float]:
    return tuple(float(t) for t in v)  # type: ignore[return-value]


# ---------------------------------------------------------------- EM, right and wrong
def _responsibilities(mu, x, sigma2, weights, exponent_scale=0.5) -> np.ndarray:
    """E-step: γ_ik ∝ w_k exp(-s (x_i - μ_k)² / σ²), normalised over k (shape (n, 2)).

    The correct Gaussian exponent has s = ½; s = 1 reproduces the "missing ½" error.
    The normalising constant of φ is shared by both components (same σ²) and cancels.
    """
    x = np.asarray(x, dtype=float)[:, None]
    mu = np.asarray(mu, dtype=float)[None, :]
    logits = np.log(np.asarray(weights, dtype=float))[None, :] - exponent_scale * (x - mu) ** 2 / sigma2
    # Subtract the row maximum so exp cannot overflow for far-away means.
    logits -= logits.max(axis=1, keepdims=True)
    g = np.exp(logits)
    return g / g.sum(axis=1, keepdims=True)


def _m_step(gamma: np.ndarray, x) -> np.ndarray:
    """M-step for the means: μ_k = Σ_i γ_ik x_i / Σ_i γ_ik."""
    x = np.asarray(x, dtype=float)
    return gamma.T @ x / gamma.sum(axis=0)


def em_step(mu, x=DATA, sigma2: float = 1.0, weights=(0.5, 0.5)) -> np.ndarray:
    """One EM iteration of the two means (variances and weights fixed, soft responsibilities)."""
    return _m_step(_responsibilities(mu, x, sigma2, weights), x)


def em_run(mu0, steps: int, x=DATA, sigma2: float = 1.0, weights=(0.5, 0.5)) -> np.ndarray:
    """The iterates μ⁰, μ¹, …, μ^steps as an array of shape (steps + 1, 2)."""
    out = np.empty((steps + 1, 2))
    out[0] = mu0
    for t in range(steps):
        out[t + 1] = em_step(out[t], x, sigma2, weights)
    return out


def _em_step_hard_assignment(mu, x=DATA, sigma2=SIGMA2, weights=WEIGHTS) -> np.ndarray:
    """Error: replace γ by a 0/1 assignment to the most responsible component (K-means)."""
    gamma = _responsibilities(mu, x, sigma2, weights)
    hard = np.zeros_like(gamma)
    hard[np.arange(len(gamma)), gamma.argmax(axis=1)] = 1.0
    return _m_step(hard, x)


def _em_step_divide_by_n(mu, x=DATA, sigma2=SIGMA2, weights=WEIGHTS) -> np.ndarray:
    """Error: Σ_i γ_ik x_i divided by n instead of by Σ_i γ_ik."""
    gamma = _responsibilities(mu, x, sigma2, weights)
    return gamma.T @ np.asarray(x, dtype=float) / len(gamma)


def _em_step_dropped_weight(mu, x=DATA, sigma2=SIGMA2, weights=WEIGHTS) -> np.ndarray:
    """Error: the numerator keeps only each component's most responsible point."""
    gamma = _responsibilities(mu, x, sigma2, weights)
    x = np.asarray(x, dtype=float)
    top = gamma.argmax(axis=0)
    k = np.arange(gamma.shape[1])
    return gamma[top, k] * x[top] / gamma.sum(axis=0)


def _em_step_missing_half(mu, x=DATA, sigma2=SIGMA2, weights=WEIGHTS) -> np.ndarray:
    """Error: responsibilities from exp(-(x - μ)²/σ²), i.e. without the ½."""
    return _m_step(_responsibilities(mu, x, sigma2, weights, exponent_scale=1.0), x)


def _em_step_swapped(mu, x=DATA, sigma2=SIGMA2, weights=WEIGHTS) -> np.ndarray:
    """Error: correct step, component labels exchanged in the answer."""
    return em_step(mu, x, sigma2, weights)[::-1]


# ---------------------------------------------------------------- EM limit
def _symmetric_centre(mu, x, weights) -> float | None:
    """Centre c of the invariant line {(c - m, c + m)} if μ lies on it, else None.

    If the data are symmetric about c = mean(x) and the weights are equal, reflecting
    about c maps the problem onto itself with the labels exchanged, so means of the
    form (c - m, c + m) stay of that form under EM.
    """
    x = np.asarray(x, dtype=float)
    c = float(x.mean())
    scale = max(1.0, float(np.abs(x).max()))
    symmetric_data = np.allclose(np.sort(x), np.sort(2 * c - x), rtol=0, atol=1e-12 * scale)
    on_line = abs(float(mu[0] + mu[1]) - 2 * c) <= 1e-12 * scale
    return c if symmetric_data and weights[0] == weights[1] and on_line else None


def _limit_on_line(m: float, c: float, x, sigma2, weights, tol: float, grid: int) -> float:
    """Fixed point that m_{t+1} = h(m_t) approaches, for μ = (c - m, c + m) on the invariant line.

    h(m) = (2/n) Σ_{pairs c ± d} d·tanh(d m / σ²) (the two γ's of a symmetric pair sum to 1):
    odd, increasing, with values in [-d_max, d_max].  Iterating an increasing map moves m
    monotonically to the nearest fixed point in its direction of motion, without crossing
    the exact fixed point 0.  So the limit is the first root of g(m) = h(m) - m met when
    walking from m towards 0 (if |m| shrinks) or towards ±d_max (if it grows).  A grid walk
    (evaluated on the whole grid at once) finds the first sign change and bisection narrows it
    to ``tol``.  The end point 0 is on the grid on purpose: there g is exactly 0, whereas
    bisecting a triple root like
    tanh(m) - m ≈ -m³/3 in floating point only resolves it to about eps^(1/3) ≈ 6e-6.
    """
    def g(t: float) -> float:
        step = em_step((c - t, c + t), x, sigma2, weights)
        return float(step[1] - step[0]) / 2 - t

    def g_grid(ts: np.ndarray) -> np.ndarray:
        """g on many points at once (one E- and M-step per point, vectorised)."""
        xs = np.asarray(x, dtype=float)[None, :, None]
        means = np.stack([c - ts, c + ts], axis=1)[:, None, :]
        logits = np.log(np.asarray(weights, dtype=float))[None, None, :] - 0.5 * (xs - means) ** 2 / sigma2
        logits -= logits.max(axis=2, keepdims=True)
        gamma = np.exp(logits)
        gamma /= gamma.sum(axis=2, keepdims=True)
        new = (gamma * xs).sum(axis=1) / gamma.sum(axis=1)
        return (new[:, 1] - new[:, 0]) / 2 - ts

    gm = g(m)
    if gm == 0.0:
        return m
    direction = 1.0 if gm > 0 else -1.0
    d_max = float(np.abs(np.asarray(x, dtype=float) - c).max())
    end = 0.0 if direction * m < 0 else direction * d_max
    points = np.linspace(m, end, grid + 1)[1:]
    values = g_grid(points)
    # The first grid point where g vanishes or changes sign (g(0) = 0 and g·direction ≤ 0 at
    # ±d_max, so there is one).
    hits = np.flatnonzero(values * direction <= 0)
    if hits.size == 0:
        raise RuntimeError("no fixed point found on the symmetric line")
    k = int(hits[0])
    if values[k] == 0.0:
        return float(points[k])
    lo, hi = (m if k == 0 else float(points[k - 1])), float(points[k])  # g·direction > 0 at lo, < 0 at hi
    while abs(hi - lo) > tol:
        mid = (lo + hi) / 2
        gmid = g(mid)
        if gmid == 0.0:
            return mid
        lo, hi = (mid, hi) if gmid * direction > 0 else (lo, mid)
    return (lo + hi) / 2


def em_limit(mu0, tol: float = 1e-6, x=DATA, sigma2: float = 1.0, weights=(0.5, 0.5),
             warmup: int = 3, grid: int = 2000, max_iter: int = 100_000) -> np.ndarray:
    """The point EM converges to from ``mu0``, to within ``tol``.

    Plain iteration is hopeless here: on the symmetric line the map is m ← tanh(m), whose
    fixed point 0 has derivative 1, so m_t ≈ √(3/(2t)) and 1e-6 needs ~10¹² steps.  Instead
    run EM for a few steps (an exact fixed point, e.g. (0, 0) one step after μ1 = μ2, ends
    it at once; the first step also moves the means into the data's range), and as soon as
    the iterate lies on the invariant symmetric line solve for the limit there
    (:func:`_limit_on_line`).  Iterates from other starts keep running until they land on
    the line; if they never do, iteration stops when a step is below ``tol``, a test that is
    sound only where convergence is linear.
    """
    mu = np.asarray(mu0, dtype=float)
    for t in range(1, max_iter + 1):
        nxt = em_step(mu, x, sigma2, weights)
        if np.array_equal(nxt, mu):
            return nxt
        step, mu = float(np.max(np.abs(nxt - mu))), nxt
        if t >= warmup and (c := _symmetric_centre(mu, x, weights)) is not None:
            m = _limit_on_line(float(mu[1] - mu[0]) / 2, c, x, sigma2, weights, tol, grid)
            return np.array([c - m, c + m])
        if t >= warmup and step < tol:
            return mu
    raise RuntimeError("EM did not converge")


# ---------------------------------------------------------------- K-means
def kmeans_step(mu, x=DATA) -> np.ndarray:
    """Assign each point to its nearest centre (ties to the first), move centres to cluster means."""
    x = np.asarray(x, dtype=float)
    mu = np.asarray(mu, dtype=float)
    label = np.abs(x[:, None] - mu[None, :]).argmin(axis=1)
    new = mu.copy()
    for k in range(len(mu)):
        if np.any(label == k):  # an empty cluster keeps its centre
            new[k] = x[label == k].mean()
    return new


def kmeans_fixed_point(mu0, max_iter: int = 100, x=DATA) -> np.ndarray:
    """Iterate :func:`kmeans_step` until the centres stop moving (finite: assignments repeat)."""
    mu = np.asarray(mu0, dtype=float)
    for _ in range(max_iter):
        nxt = kmeans_step(mu, x)
        if np.array_equal(nxt, mu):
            return nxt
        mu = nxt
    raise RuntimeError("K-means did not reach a fixed point")


# ---------------------------------------------------------------- Problem 1 helpers
def _cov_terms(A: np.ndarray, S: np.ndarray) -> np.ndarray:
    """T[i, j, k, l] = A_ik A_jl S_kl: the bilinear expansion Cov(Y_i, Y_j) = Σ_kl T[i, j, k, l]."""
    return np.einsum("ik,jl,kl->ijkl", A, A, S)


def _cov_y_missing_var_x4(A, S) -> np.ndarray:
    """Error: the shared-X4 term A_i4 A_j4 Var(X4) (= -Var(X4)) dropped from the off-diagonal."""
    T = _cov_terms(A, S)
    off = ~np.eye(len(A), dtype=bool)
    T[off, _X4, _X4] = 0.0
    return T.sum(axis=(2, 3))


def _cov_y_sign(A, S) -> np.ndarray:
    """Error: the shared-X4 term enters the off-diagonal with the opposite sign."""
    T = _cov_terms(A, S)
    off = ~np.eye(len(A), dtype=bool)
    T[off, _X4, _X4] *= -1.0
    return T.sum(axis=(2, 3))


def _cov_y_difference_variance(A, S) -> np.ndarray:
    """Error: Var(Σ a_k X_k) with a_k Var(X_k) instead of a_k² Var(X_k).

    So Var(X2 - X4) becomes Var X2 - Var X4; Var(Y1) has coefficients 1 and is unchanged.
    """
    T = _cov_terms(A, S)
    for i in range(len(A)):
        for k in range(S.shape[0]):
            T[i, i, k, k] = A[i, k] * S[k, k]
    return T.sum(axis=(2, 3))


# ---------------------------------------------------------------- references
@functools.lru_cache(maxsize=1)
def references() -> dict[str, object]:
    """Every reference value (right and catalogued wrong answers) keyed by rubric name."""
    P = Q.astype(float)
    S = np.linalg.inv(P)
    S_given = np.round(S, PRINTED_DECIMALS)
    A = Y_TRANSFORM.astype(float)
    n = P.shape[0]

    # Conditional covariance of a block given all the other variables is the inverse
    # of the precision's block.
    cond = np.linalg.inv(P[np.ix_(_PAIR, _PAIR)])
    marg = S[np.ix_(_PAIR, _PAIR)]
    AQAt = A @ P @ A.T

    one = em_step(EM_START)
    limit = em_limit(EM_START)
    equal_limit = em_limit(EM_EQUAL_START)

    return {
        # Problem 1
        "precision": _frozen(P),
        "sigma_exact": _frozen(S),
        "sigma_given": _frozen(S_given),
        "cov_x3_x4": float(S[_PAIR[0], _PAIR[1]]),
        "x3_x4_correlated": bool(abs(S[_PAIR[0], _PAIR[1]]) > _ZERO_TOL),
        "cond_cov_x3x4": _frozen(cond),
        "x3_x4_cond_correlated": bool(abs(cond[0, 1]) > _ZERO_TOL),
        "condcov_no_conditioning": _frozen(marg),
        "condcov_q_not_inverted": _frozen(P[np.ix_(_PAIR, _PAIR)]),
        # Students invert the printed block (1/0.46 = 2.17), so the printed Σ is used here.
        "condcov_inverted_marginal": _frozen(np.linalg.inv(S_given[np.ix_(_PAIR, _PAIR)])),
        # In a Gaussian graph the blanket of X_i is its neighbours: j with Q_ij ≠ 0.
        "markov_blanket_x2": frozenset(j + 1 for j in range(n) if j != _X2 and P[_X2, j] != 0),
        "markov_blanket_x2_from_covariance": frozenset(
            j + 1 for j in range(n) if j != _X2 and abs(S[_X2, j]) > _ZERO_TOL),
        "y_transform": _frozen(A),
        "cov_y": _frozen(A @ S @ A.T),
        "cov_y_given": _frozen(A @ S_given @ A.T),
        "covy_missing_var_x4": _frozen(_cov_y_missing_var_x4(A, S)),
        "covy_difference_variance": _frozen(_cov_y_difference_variance(A, S)),
        "covy_sign": _frozen(_cov_y_sign(A, S)),
        "covy_used_precision": _frozen(AQAt),
        "covy_used_precision_inverse": _frozen(np.linalg.inv(AQAt)),
        # AᵀΣA itself is undefined (A is 2x4); the factor orders of A, Σ, Aᵀ that are defined
        # besides AΣAᵀ are AᵀAΣ and its transpose ΣAᵀA, both 4x4.
        "covy_wrong_order": _frozen(A.T @ A @ S),
        # Problem 2
        "em_start": _pair(EM_START),
        "em_one_step": _pair(one),
        "em_step_hard_assignment": _pair(_em_step_hard_assignment(EM_START)),
        "em_step_divide_by_n": _pair(_em_step_divide_by_n(EM_START)),
        "em_step_dropped_weight": _pair(_em_step_dropped_weight(EM_START)),
        "em_step_missing_half": _pair(_em_step_missing_half(EM_START)),
        "em_step_swapped": _pair(_em_step_swapped(EM_START)),
        "em_limit": _pair(limit),
        "em_converges_to_data": bool(np.allclose(limit, np.sort(DATA), atol=1e-3)),
        "em_iterates": _frozen(em_run(EM_START, 10)),
        "em_equal_start": _pair(EM_EQUAL_START),
        "em_fixed_point_equal_start": _pair(equal_limit),
        # Wrong answer "the means do not move": the start itself.
        "em_no_move": _pair(EM_EQUAL_START),
        # Wrong answers "symmetry breaks": the data points, or the step from (-2, 2).
        "em_symmetry_break_data": _pair(np.sort(DATA)),
        "em_symmetry_break_step": _pair(one),
        "kmeans_fixed_point": _pair(kmeans_fixed_point(EM_START)),
        "kmeans_confused_with_em": _pair(one),
        "kmeans_confused_with_em_limit": _pair(limit),
        "kmeans_no_update": _pair(EM_START),
    }
