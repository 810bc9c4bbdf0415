#!/usr/bin/python3
"""Independent reference values for tl4j's transferability metrics (org.tl4j.select).

Run with Debian's numpy:  /usr/bin/python3 toolkit/src/test/python/select_fixtures.py
It rewrites toolkit/src/test/resources/select/metric-fixtures.json: for each small case the inputs
(features, labels, source probabilities) and the values numpy computes, straight from the papers:

- LogME (You et al., ICML 2021, Algorithm 1): per class, evidence maximisation of Bayesian linear
  regression on one-hot targets; the alpha/beta fixed point from the eigenvalues of F^T F
  (here numpy.linalg.eigh of F^T F, not the SVD of F the Java side uses), run to a tight tolerance;
  LogME = mean over classes of evidence / n.
- H-score (Bao et al., 2019): tr(cov(f)^-1 cov(E[f|y])) with cov(f) shrunk towards a scaled identity
  by the Ledoit-Wolf intensity (regularised H-score of Ibrahim et al., 2022), since cov(f) is singular
  whenever n <= D.
- LEEP (Nguyen et al., ICML 2020): mean log of the expected empirical predictor.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "select",
                   "metric-fixtures.json")


def logme(f, y, classes, tol=1e-10, max_iter=10000):
    n, d = f.shape
    sigma, v = np.linalg.eigh(f.T @ f)
    sigma = np.clip(sigma, 0, None)
    evidences = []
    for k in range(classes):
        t = (y == k).astype(float)
        ft_t = v.T @ (f.T @ t)  # coordinates of F^T t in the eigenbasis
        alpha, beta = 1.0, 1.0
        for _ in range(max_iter):
            gamma = np.sum(beta * sigma / (alpha + beta * sigma))
            m = v @ (beta * ft_t / (alpha + beta * sigma))
            mm = m @ m
            res = np.sum((f @ m - t) ** 2)
            new_alpha = gamma / mm
            new_beta = (n - gamma) / res
            done = abs(new_alpha / new_beta - alpha / beta) <= tol * (alpha / beta)
            alpha, beta = new_alpha, new_beta
            if done:
                break
        m = v @ (beta * ft_t / (alpha + beta * sigma))
        mm = m @ m
        res = np.sum((f @ m - t) ** 2)
        evidence = (n / 2 * np.log(beta) + d / 2 * np.log(alpha) - n / 2 * np.log(2 * np.pi)
                    - beta / 2 * res - alpha / 2 * mm - 0.5 * np.sum(np.log(alpha + beta * sigma)))
        evidences.append(evidence / n)
    return float(np.mean(evidences))


def ledoit_wolf(x):
    """Shrunk covariance of centred x (n x d) and the intensity, as in Ledoit & Wolf (2004)."""
    n, d = x.shape
    s = x.T @ x / n
    mu = np.trace(s) / d
    target = mu * np.eye(d)
    d2 = np.sum((s - target) ** 2)
    b2 = sum(np.sum((np.outer(r, r) - s) ** 2) for r in x) / n ** 2
    b2 = min(b2, d2)
    shrink = 0.0 if d2 == 0 else b2 / d2
    return (1 - shrink) * s + shrink * target, shrink


def h_score(f, y, classes):
    x = f - f.mean(axis=0)
    cov, shrink = ledoit_wolf(x)
    g = np.zeros_like(x)
    for k in range(classes):
        idx = y == k
        if idx.any():
            g[idx] = x[idx].mean(axis=0)
    between = g.T @ g / len(y)
    return float(np.trace(np.linalg.solve(cov, between))), float(shrink)


def leep(theta, y, classes):
    n = len(y)
    joint = np.zeros((classes, theta.shape[1]))
    for i in range(n):
        joint[y[i]] += theta[i] / n
    cond = joint / joint.sum(axis=0, keepdims=True)
    eep = np.array([cond[y[i]] @ theta[i] for i in range(n)])
    return float(np.mean(np.log(eep)))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def case(name, rng, n, d, classes, separation, source_classes):
    y = np.arange(n) % classes
    rng.shuffle(y)
    centres = rng.normal(size=(classes, d)) * separation
    f = centres[y] + rng.normal(size=(n, d))
    theta = softmax(rng.normal(size=(n, source_classes)) + 2 * np.eye(source_classes)[y % source_classes])
    h, shrink = h_score(f, y, classes)
    return {"name": name, "classes": classes, "labels": y.tolist(),
            "features": np.round(f, 6).tolist(), "sourceProbabilities": theta.tolist(),
            "logme": None, "hscore": None, "shrinkage": None, "leep": leep(theta, y, classes),
            "_f": f, "_h": (h, shrink)}


def main():
    rng = np.random.default_rng(20261127)
    cases = [case("tall: n=40 > D=6, 3 classes", rng, 40, 6, 3, 1.5, 4),
             case("wide: n=12 < D=20, 2 classes", rng, 12, 20, 2, 0.8, 3),
             case("mixed: n=30, D=10, 5 classes, weak signal", rng, 30, 10, 5, 0.3, 6)]
    for c in cases:
        # Recompute from the rounded features the JSON holds, so Java reads exactly what numpy used.
        f = np.array(c["features"])
        y = np.array(c["labels"])
        c["logme"] = logme(f, y, c["classes"])
        c["hscore"], c["shrinkage"] = h_score(f, y, c["classes"])
        del c["_f"], c["_h"]
    with open(OUT + ".tmp", "w") as out:
        json.dump({"generator": "toolkit/src/test/python/select_fixtures.py", "numpy": np.__version__,
                   "cases": cases}, out, indent=1)
    os.replace(OUT + ".tmp", OUT)


if __name__ == "__main__":
    main()
