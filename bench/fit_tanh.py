"""Fits the rational tanh of src/Runtime/Kernels/FastMath.cs and checks it in float32.

tanh x ~ x * P(x^2) / Q(x^2) on [0, 9], P and Q of degree 4 with P(0) = Q(0) = 1. The fit minimises the largest
relative error by iterated weighted least squares: each round solves the linearised problem
x*P(s) - t*Q(s) = 0 (t = tanh x, s = x^2) weighted by 1 / (Q_previous * t), then raises the weights where the error
is largest. The variable is scaled to s / 81 while fitting so the columns stay comparable. The check then evaluates
the coefficients as FastMath does (float32, Horner's scheme with fused multiply-adds, one division, the clamps) and
prints the largest errors of tanh and of sigmoid(x) = 1/2 + tanh(x/2)/2 against float64.

Usage: /usr/bin/python3 bench/fit_tanh.py   (numpy; prints the constants to paste and the errors)
"""
import numpy as np

DEGREE_P, DEGREE_Q, SATURATION = 4, 4, 9.0


def fit(rounds=200):
    x = np.concatenate([np.linspace(1e-3, SATURATION, 60000), np.geomspace(1e-7, 1e-3, 300)])
    scale = SATURATION * SATURATION
    u, t = x * x / scale, np.tanh(x)
    weights, q_previous, best = np.ones_like(x), np.ones_like(x), None
    for _ in range(rounds):
        columns = [x * u**k for k in range(DEGREE_P + 1)] + [-t * u**k for k in range(1, DEGREE_Q + 1)]
        row_weight = weights / (q_previous * t)
        solution, *_ = np.linalg.lstsq(np.stack(columns, 1) * row_weight[:, None], t * row_weight, rcond=None)
        p = solution[:DEGREE_P + 1]
        q = np.concatenate([[1.0], solution[DEGREE_P + 1:]])
        q_values = np.polyval(q[::-1], u)
        if np.any(q_values <= 0):
            break
        error = np.abs(x * np.polyval(p[::-1], u) / q_values - t) / t
        if best is None or error.max() < best[2]:
            best = (p.copy(), q.copy(), error.max())
        q_previous = q_values
        weights = weights * np.sqrt(error / error.max())
        weights /= weights.mean()
    p, q, error = best
    # Back from s / 81 to s. FastMath writes P(0) as 1: the fit's P(0) must round to 1 in float32.
    p, q = p / scale ** np.arange(DEGREE_P + 1), q / scale ** np.arange(DEGREE_Q + 1)
    assert np.float32(p[0]) == 1, p[0]
    return p, q, error


def fused(a, b, c):
    # a*b is exact in float64 for float32 operands; the sum then rounds once to float32, as a fused multiply-add does.
    return (a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)).astype(np.float32)


def tanh32(p, q, x):
    f = np.float32
    x = np.clip(x.astype(f), f(-SATURATION), f(SATURATION))
    s = x * x
    pv = fused(np.full_like(s, f(p[4])), s, np.full_like(s, f(p[3])))
    for k in (2, 1, 0):
        pv = fused(pv, s, np.full_like(s, f(p[k])))
    qv = fused(np.full_like(s, f(q[4])), s, np.full_like(s, f(q[3])))
    for k in (2, 1, 0):
        qv = fused(qv, s, np.full_like(s, f(q[k])))
    return np.clip((x * pv) / qv, f(-1), f(1))


def main():
    p, q, fit_error = fit()
    print(f"fit: largest relative error {fit_error:.3g}")
    for name, c in (("P", p), ("Q", q)):
        print(", ".join(f"{name}{k} = {float(np.float32(c[k]))!r}f" for k in range(1, len(c))))
    x = np.concatenate([np.linspace(0, 12, 4000001), np.geomspace(1e-30, 1e-2, 100000)]).astype(np.float32)
    x = x[x > 0]
    exact = np.tanh(x.astype(np.float64))
    got = tanh32(p, q, x).astype(np.float64)
    print(f"tanh in float32: largest relative error {np.max(np.abs(got - exact) / exact):.3g}, largest value {got.max():.9g}")
    x = np.linspace(-40, 40, 2000001).astype(np.float32)
    half = np.float32(0.5)
    t = tanh32(p, q, x * half)
    sigmoid = fused(t, np.full_like(t, half), np.full_like(t, half)).astype(np.float64)
    exact = 1 / (1 + np.exp(-x.astype(np.float64)))
    print(f"sigmoid in float32: largest absolute error {np.max(np.abs(sigmoid - exact)):.3g}, range [{sigmoid.min():g}, {sigmoid.max():g}]")


if __name__ == "__main__":
    main()
