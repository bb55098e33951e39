#!/usr/bin/python3
"""Reference values for EvalKit's interval, bootstrap, standard-error, power, sequential and Bradley-Terry code.

Run with Debian's interpreter (scipy 1.10.1, statsmodels 0.13.5, numpy 1.24):

    /usr/bin/python3 generate_intervals.py > intervals.json

Library references: scipy.stats (t/norm intervals, bootstrap on a supplied bootstrap distribution) and statsmodels
(proportion_confint). Where no library implements a formula (Miller 2024 standard errors and power, mSPRT, GrowthBook's
confidence sequence, Bradley-Terry MLE) the expected values are computed here from the written formula, independently
of the C# code (different algebraic forms where possible: e.g. the paired SE from variances and covariance, the
clustered SE from the literal double sum, the Bradley-Terry MLE by Hunter's MM iteration).
"""
import json
import math
import sys
from types import SimpleNamespace

import mpmath
import numpy as np
import scipy
import statsmodels
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

rng = np.random.default_rng(20241119)


def fl(x):
    return [float(v) for v in x]


out = {"generator": {"scipy": scipy.__version__, "numpy": np.__version__, "statsmodels": statsmodels.__version__}}

# ---------------------------------------------------------------- t and normal intervals
samples = [
    [0.82, 0.75, 0.91, 0.66, 0.70, 0.88, 0.79, 0.73, 0.95, 0.60],
    [1.0, 2.0],
    fl(rng.normal(3.0, 2.0, 57)),
    fl(rng.exponential(1.0, 400)),
    [1e6 + v for v in [0.1, 0.2, 0.15, 0.3, 0.05]],
]
mean_t = []
for x in samples:
    for c in [0.95, 0.9, 0.99, 0.5, 0.9999]:
        a = np.asarray(x)
        lo, hi = stats.t.interval(c, len(a) - 1, loc=np.mean(a), scale=stats.sem(a))
        mean_t.append({"x": x, "confidence": c, "lower": float(lo), "upper": float(hi)})
out["meanT"] = mean_t

def t_ppf_exact(q, df):
    # 40-digit quantile by root finding on mpmath's regularized incomplete beta (scipy's cephes stdtri loses up to
    # ~1e-9 relative for fractional df in scipy 1.10.1).
    mpmath.mp.dps = 40
    q = mpmath.mpf(q)
    lower = q if q < 0.5 else 1 - q
    f = lambda t: mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - lower
    t = mpmath.findroot(f, float(stats.t.ppf(float(lower), df)))
    return float(t if q < 0.5 else -t)


student = []
for est, se, df, c in [(0.5, 0.1, 1, 0.95), (0.5, 0.1, 2.5, 0.99), (-3.0, 2.0, 7.3, 0.9), (0.0, 1.0, 1, 0.9999),
                       (10.0, 0.01, 250, 0.95), (1.0, 0.5, 3, 0.999999)]:
    lo, hi = stats.t.interval(c, df, loc=est, scale=se)
    exact = [est + se * t_ppf_exact(q, df) for q in [(1.0 - c) / 2, (1.0 + c) / 2]]
    student.append({"estimate": est, "standardError": se, "df": df, "confidence": c, "lower": float(lo), "upper": float(hi),
                    "lowerExact": exact[0], "upperExact": exact[1],
                    "scipyAccurate": bool(abs(lo - exact[0]) <= 1e-10 * abs(exact[0]) and abs(hi - exact[1]) <= 1e-10 * abs(exact[1]))})
out["studentT"] = student

normal = []
for est, se, c in [(0.625, 0.125, 0.95), (0.03, 0.0157598, 0.9), (-1.0, 3.0, 0.999999)]:
    lo, hi = stats.norm.interval(c, loc=est, scale=se)
    normal.append({"estimate": est, "standardError": se, "confidence": c, "lower": float(lo), "upper": float(hi)})
out["normal"] = normal

# ---------------------------------------------------------------- proportions (statsmodels)
proportions = []
for k, n in [(7, 20), (0, 10), (10, 10), (1, 1), (0, 1), (1, 1000), (999, 1000), (50, 100), (3, 7), (123, 456)]:
    for c in [0.95, 0.9, 0.999]:
        row = {"successes": k, "n": n, "confidence": c}
        for name, method in [("wilson", "wilson"), ("clopperPearson", "beta"), ("jeffreys", "jeffreys"), ("wald", "normal")]:
            # Arrays so statsmodels applies its k = 0 / k = n rule for 'beta' (the scalar path returns NaN there).
            lo, hi = proportion_confint(np.array([k]), np.array([n]), alpha=1 - c, method=method)
            row[name] = [float(lo[0]), float(hi[0])]
        proportions.append(row)
out["proportions"] = proportions

# ---------------------------------------------------------------- bootstrap on a fixed bootstrap distribution (scipy)
boot = []
cases = [
    ("normal", fl(rng.normal(0.7, 0.2, 30)), fl(rng.normal(0.6, 0.25, 30)), 200),
    ("skewed", fl(rng.exponential(1.0, 25)), fl(rng.exponential(0.5, 25) * 0.3), 300),
    ("binaryish", fl(rng.integers(0, 2, 40) + rng.normal(0, 1e-3, 40)), fl(rng.integers(0, 2, 40) * 1.0), 151),
]
for name, a, b, B in cases:
    n = len(a)
    idx = rng.integers(0, n, (B, n))
    aa, bb = np.asarray(a), np.asarray(b)
    # The bootstrap distribution of mean(a*) - mean(b*) for the supplied paired resamples.
    dist = np.array([np.mean((aa - bb)[row]) for row in idx])
    for method in ["percentile", "BCa", "basic"]:
        for c in [0.95, 0.8]:
            res = stats.bootstrap((aa, bb), lambda x, y, axis=-1: np.mean(x - y, axis=axis), paired=True, vectorized=True,
                                  n_resamples=0, bootstrap_result=SimpleNamespace(bootstrap_distribution=dist),
                                  confidence_level=c, method=method)
            boot.append({"name": name, "a": a, "b": b, "indices": idx.tolist(), "method": method, "confidence": c,
                         "estimate": float(np.mean(aa - bb)),
                         "lower": float(res.confidence_interval.low), "upper": float(res.confidence_interval.high),
                         "standardError": float(res.standard_error)})
out["bootstrapFixed"] = boot

# ---------------------------------------------------------------- Miller (2024) standard errors, from the formulas
def se_mean(x):
    x = np.asarray(x, float)
    return math.sqrt(np.sum((x - x.mean()) ** 2) / (len(x) - 1) / len(x))


def se_clustered(x, ids):
    x = np.asarray(x, float)
    n = len(x)
    u = x - x.mean()
    groups = {}
    for ui, g in zip(u, ids):
        groups.setdefault(g, []).append(ui)
    C = len(groups)
    cross = 0.0  # literal Appendix A double sum over i != j in each cluster
    for members in groups.values():
        for i in range(len(members)):
            for j in range(len(members)):
                if i != j:
                    cross += members[i] * members[j]
    compact = math.sqrt(sum(sum(m) ** 2 for m in groups.values())) / n
    cr1 = math.sqrt(sum(sum(m) ** 2 for m in groups.values()) * C / (C - 1)) / n if C > 1 else None
    miller = math.sqrt(se_mean(x) ** 2 + cross / n ** 2)
    return {"CR1": cr1, "Compact": compact, "MillerAppendix": miller, "clusters": C}


clustered = []
s = [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1]
ids = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4]
for x, g in [(s, ids),
             (fl(rng.normal(0, 1, 60)), [int(v) for v in rng.integers(0, 9, 60)]),
             (fl(rng.uniform(0, 1, 25)), list(range(25)))]:
    r = se_clustered(x, g)
    lo, hi = stats.t.interval(0.95, r["clusters"] - 1, loc=np.mean(x), scale=r["CR1"])
    clustered.append({"x": x, "clusterIds": g, **r, "mean": float(np.mean(x)), "meanSe": se_mean(x),
                      "ciLower": float(lo), "ciUpper": float(hi)})
out["clustered"] = clustered

paired = []
for _ in range(3):
    n = int(rng.integers(5, 80))
    a = rng.normal(0.6, 0.2, n)
    b = 0.5 * a + rng.normal(0.2, 0.2, n)
    cov = np.cov(a, b, ddof=1)
    se = math.sqrt((cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]) / n)
    unpaired = math.sqrt(cov[0, 0] / n + cov[1, 1] / n)
    paired.append({"a": fl(a), "b": fl(b), "paired": se, "unpaired": unpaired, "meanA": se_mean(a)})
# Design doc vector: 400 binary items, B-only 26, A-only 14 -> SE 0.0157598 for B - A.
a = np.array([0] * 26 + [1] * 14 + [1] * 200 + [0] * 160, float)
b = np.array([1] * 26 + [0] * 14 + [1] * 200 + [0] * 160, float)
cov = np.cov(b, a, ddof=1)
paired.append({"a": fl(b), "b": fl(a), "paired": math.sqrt((cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]) / 400),
               "unpaired": math.sqrt((cov[0, 0] + cov[1, 1]) / 400), "meanA": se_mean(b)})
out["paired"] = paired

repeated = []
for K in [2, 5]:
    n = 30
    p = rng.uniform(0, 1, n)
    scores = [fl((rng.uniform(0, 1, K) < pi).astype(float)) for pi in p]
    scores[0] = fl(rng.uniform(0, 1, K + 1))  # one case with a different K and continuous scores
    means = np.array([np.mean(c) for c in scores])
    within = np.array([np.var(c, ddof=1) for c in scores])
    ks = np.array([len(c) for c in scores])
    var_means = np.var(means, ddof=1)
    repeated.append({"scores": scores, "mean": float(means.mean()), "standardError": math.sqrt(var_means / n),
                     "perCaseMeanVariance": float(var_means),
                     "between": float(max(0.0, var_means - np.mean(within / ks))),
                     "within": float(np.mean(within)), "meanK": float(ks.mean()), "total": int(ks.sum()),
                     "projected10": math.sqrt((max(0.0, var_means - np.mean(within / ks)) + np.mean(within) / 10) / n)})
out["repeated"] = repeated

# ---------------------------------------------------------------- power (Miller Eq. 9 and its inversions)
def z_upper(p):
    return float(stats.norm.isf(p))


power = []
for delta, sd, alpha, pw, alt in [(0.03, math.sqrt(1 / 9), 0.05, 0.8, "two-sided"), (0.1, 0.5, 0.05, 0.9, "two-sided"),
                                  (0.02, 0.3, 0.01, 0.8, "greater"), (-0.05, 1.0, 0.1, 0.95, "less"),
                                  (0.5, 1.0, 0.05, 0.5, "two-sided")]:
    za = z_upper(alpha / 2 if alt == "two-sided" else alpha)
    zb = z_upper(1 - pw)
    exact = (za + zb) ** 2 * sd ** 2 / delta ** 2
    for n in [50, 969]:
        pass
    mde = {str(n): (za + zb) * sd / math.sqrt(n) for n in [50, 198, 969]}
    shift = abs(delta) * math.sqrt(100) / sd
    if alt == "two-sided":
        achieved = stats.norm.cdf(shift - za) + stats.norm.cdf(-shift - za)
    else:
        achieved = stats.norm.cdf(shift - za)
    power.append({"delta": delta, "sd": sd, "alpha": alpha, "power": pw, "alternative": alt, "exact": exact,
                  "n": math.ceil(exact), "mde": mde, "achieved100": float(achieved)})
out["power"] = power

paired_props = []
for p10, p01, alpha, pw in [(0.065, 0.035, 0.05, 0.8), (0.2, 0.1, 0.05, 0.9), (0.01, 0.03, 0.01, 0.8)]:
    psi, d = p10 + p01, p10 - p01
    n = (z_upper(alpha / 2) * math.sqrt(psi) + z_upper(1 - pw) * math.sqrt(psi - d * d)) ** 2 / d ** 2
    paired_props.append({"p10": p10, "p01": p01, "alpha": alpha, "power": pw, "exact": n, "n": math.ceil(n)})
out["pairedProportions"] = paired_props

props = []
for p1, p2, alpha, pw in [(0.6, 0.65, 0.05, 0.8), (0.1, 0.2, 0.05, 0.9), (0.9, 0.8, 0.01, 0.8)]:
    pb = (p1 + p2) / 2
    n = (z_upper(alpha / 2) * math.sqrt(2 * pb * (1 - pb)) + z_upper(1 - pw) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p1 - p2) ** 2
    props.append({"p1": p1, "p2": p2, "alpha": alpha, "power": pw, "exact": n, "n": math.ceil(n)})
out["proportionsPower"] = props

# ---------------------------------------------------------------- sequential
msprt = []
for est, se, tau2, theta0, alpha in [(0.03, 0.01, 0.02 ** 2, 0.0, 0.05), (0.0, 0.05, 0.01, 0.0, 0.05),
                                     (-0.2, 0.03, 0.5, 0.1, 0.01), (1.0, 0.01, 0.04, 0.0, 0.05)]:
    V = se * se
    log_lam = 0.5 * math.log(V / (V + tau2)) + tau2 * (est - theta0) ** 2 / (2 * V * (V + tau2))
    half = math.sqrt(V * (V + tau2) / tau2 * (2 * math.log(1 / alpha) + math.log((V + tau2) / V)))
    msprt.append({"estimate": est, "standardError": se, "mixingVariance": tau2, "nullValue": theta0, "alpha": alpha,
                  "logLambda": log_lam, "lambda": math.exp(log_lam) if log_lam < 700 else None,
                  "pValue": min(1.0, math.exp(-log_lam)), "lower": est - half, "upper": est + half})
out["msprt"] = msprt

mixing = []
for alpha, var, M in [(0.05, 1.0, 200), (0.05, 2.0, 1000), (0.01, 0.25, 5000)]:
    bb = 2 * math.log(1 / alpha) / math.sqrt(M * var)
    tau2 = var * stats.norm.cdf(-bb) / (stats.norm.pdf(bb) / bb - stats.norm.cdf(-bb))
    mixing.append({"alpha": alpha, "variance": var, "horizon": M, "tau2": float(tau2)})
out["mixingVariance"] = mixing


def gb_rho(alpha, N):
    return math.sqrt((-2 * math.log(alpha) + math.log(1 - 2 * math.log(alpha))) / N)


growthbook = []
for est, se, N, alpha, Nstar, theta0 in [(0.02, 0.01, 5000, 0.05, 5000, 0.0), (0.05, 0.02, 800, 0.05, 5000, 0.0),
                                         (-0.01, 0.004, 20000, 0.01, 10000, 0.0), (0.3, 0.01, 100, 0.05, 5000, 0.1)]:
    rho = gb_rho(alpha, Nstar)
    k = N * rho ** 2 + 1
    half = se * math.sqrt(N) * math.sqrt(2 * k / (N ** 2 * rho ** 2) * math.log(math.sqrt(k) / alpha))
    rho1 = gb_rho(2 * alpha, Nstar)
    k1 = N * rho1 ** 2 + 1
    half1 = se * math.sqrt(N) * math.sqrt(2 * k1 / (N ** 2 * rho1 ** 2) * math.log(1 + math.sqrt(k1) / (2 * alpha)))
    S = N * (est - theta0) ** 2 / se ** 2
    logE = rho ** 2 * S / (2 * k) - 0.5 * math.log(k)
    growthbook.append({"estimate": est, "standardError": se, "n": N, "alpha": alpha, "tuning": Nstar, "nullValue": theta0,
                       "rho": rho, "lower": est - half, "upper": est + half, "oneSidedHalfWidth": half1,
                       "pValue": 1.0 if logE <= 0 else math.exp(-logE)})
out["growthbook"] = growthbook

# A monitored stream: running always-valid p (min over n >= 20 of 1/Lambda with the plug-in variance).
d = fl(rng.normal(0.15, 1.0, 300))
tau2 = 0.05
running, p = [], 1.0
lo_run, hi_run = -math.inf, math.inf
for n in range(1, len(d) + 1):
    x = np.asarray(d[:n])
    if n >= 20:
        se = math.sqrt(np.var(x, ddof=1) / n)
        V = se * se
        est = float(x.mean())
        log_lam = 0.5 * math.log(V / (V + tau2)) + tau2 * est ** 2 / (2 * V * (V + tau2))
        p = min(p, math.exp(-log_lam)) if log_lam > 0 else p
        half = math.sqrt(V * (V + tau2) / tau2 * (2 * math.log(1 / 0.05) + math.log((V + tau2) / V)))
        lo_run, hi_run = max(lo_run, est - half), min(hi_run, est + half)
    if n % 10 == 0 and n >= 20:
        running.append({"n": n, "pValue": p, "lower": lo_run, "upper": hi_run, "mean": float(x.mean())})
out["monitor"] = {"differences": d, "mixingVariance": tau2, "alpha": 0.05, "looks": running}

# ---------------------------------------------------------------- Bradley-Terry (ties = half wins), MLE by MM
def battles_from_counts(spec):
    rows = []
    for a, b, wa, wb, t in spec:
        rows += [(a, b, "A")] * wa + [(a, b, "B")] * wb + [(a, b, "T")] * t
    return rows


def bt_mm(rows):
    models = list(dict.fromkeys([m for r in rows for m in r[:2]]))
    ix = {m: i for i, m in enumerate(models)}
    p = len(models)
    W = np.zeros(p)
    N = np.zeros((p, p))
    for a, b, o in rows:
        i, j = ix[a], ix[b]
        N[i, j] += 1
        N[j, i] += 1
        W[i] += 1.0 if o == "A" else 0.5 if o == "T" else 0.0
        W[j] += 1.0 if o == "B" else 0.5 if o == "T" else 0.0
    s = np.ones(p)
    for _ in range(200000):
        new = np.array([W[i] / sum(N[i, j] / (s[i] + s[j]) for j in range(p) if j != i) for i in range(p)])
        new /= np.exp(np.mean(np.log(new)))
        if np.max(np.abs(new - s) / s) < 1e-15:
            s = new
            break
        s = new
    theta = np.log10(s)
    theta -= theta.mean()
    return models, 400 * theta + 1000


def bt_fastchat(rows):
    # FastChat's compute_elo_mle_with_tie settings: L-BFGS-B from 0, gtol 1e-6, maxiter 100 (for the difference report).
    models = list(dict.fromkeys([m for r in rows for m in r[:2]]))
    ix = {m: i for i, m in enumerate(models)}
    keys = {}
    for a, b, o in rows:
        key = (ix[a], ix[b], {"A": 2, "T": 1, "B": 0}[o])
        keys[key] = keys.get(key, 0) + 1
    arr = np.array(list(keys.keys()))
    w = np.array(list(keys.values()), float)
    y = arr[:, 2] / 2.0
    alpha = math.log(10)

    def f(r):
        z = alpha * (r[arr[:, 0]] - r[arr[:, 1]])
        pr = 1 / (1 + np.exp(-z))
        loss = -((np.log(pr) * y + np.log(1 - pr) * (1 - y)) * w).sum()
        g = -alpha * (y - pr) * w
        grad = np.zeros(len(models))
        np.add.at(grad, arr[:, 0], g)
        np.add.at(grad, arr[:, 1], -g)
        return loss, grad

    res = optimize.minimize(f, np.zeros(len(models)), jac=True, method="L-BFGS-B", options={"maxiter": 100, "gtol": 1e-6})
    return models, 400 * res.x + 1000


bt = []
specs = {
    "designDoc": [("A", "B", 30, 20, 10), ("B", "C", 25, 15, 0), ("A", "C", 35, 10, 5)],
    "fiveModels": [("m1", "m2", 12, 8, 3), ("m2", "m3", 9, 9, 2), ("m3", "m4", 14, 4, 1), ("m4", "m5", 6, 10, 0),
                   ("m1", "m3", 15, 5, 0), ("m2", "m5", 11, 3, 4), ("m5", "m1", 2, 13, 1), ("m4", "m2", 5, 12, 2)],
}
for name, spec in specs.items():
    rows = battles_from_counts(spec)
    models, ratings = bt_mm(rows)
    _, fast = bt_fastchat(rows)
    bt.append({"name": name, "battles": [list(r) for r in rows], "models": models, "ratings": fl(ratings),
               "fastchatLbfgs": fl(fast)})
out["bradleyTerry"] = bt

# ---------------------------------------------------------------- the bootstrap generator's definition
# xoshiro256** seeded by SplitMix64, stream seeding and Lemire's bounded integers, as EvalKit defines them; an
# independent implementation, so the C# generator's output is pinned across platforms and runtimes.
M64 = (1 << 64) - 1


def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Xoshiro:
    def __init__(self, seed):
        st = seed
        self.s = []
        for _ in range(4):
            st, v = splitmix(st)
            self.s.append(v)

    @staticmethod
    def for_stream(seed, stream):
        st = (((seed & 0xFFFFFFFF) * 0x9E3779B97F4A7C15) ^ ((stream & M64) * 0xD1B54A32D192ED03)) & M64
        _, v = splitmix(st)
        return Xoshiro(v)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def index(self, n):
        product = (self.next() >> 32) * n
        low = product & 0xFFFFFFFF
        if low < n:
            threshold = ((1 << 32) - n) % n
            while low < threshold:
                product = (self.next() >> 32) * n
                low = product & 0xFFFFFFFF
        return product >> 32


g = Xoshiro.for_stream(42, 0)
raw = [str(g.next()) for _ in range(5)]
g = Xoshiro.for_stream(-7, 3)
idx10 = [g.index(10) for _ in range(20)]
g = Xoshiro.for_stream(2024, -1)
idx_big = [g.index(3_000_000_000 // 2) for _ in range(5)]
out["random"] = {"stream42_0_uint64": raw, "streamMinus7_3_index10": idx10, "stream2024_m1_index1500000000": idx_big}

json.dump(out, sys.stdout, separators=(",", ":"), allow_nan=False)
print()
