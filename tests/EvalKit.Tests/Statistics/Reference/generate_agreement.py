#!/usr/bin/python3
"""Reference values for EvalKit's agreement statistics (Agreement.CohensKappa, Agreement.KrippendorffAlpha).

Run with Debian's interpreter (numpy 1.24):

    /usr/bin/python3 generate_agreement.py > agreement.json

No library is used for the statistics themselves; they are computed here from their written definitions, in forms
different from the C# code:
- Cohen's kappa: unweighted as (p_o - p_e) / (1 - p_e); weighted as scikit-learn's cohen_kappa_score (confusion matrix,
  weights over label positions), 1 - sum(w * O) / sum(w * E).
- Krippendorff's alpha: from the pair-value definition, alpha = 1 - D_o / D_e with D_o the mean distance over the
  ordered pairs within units (each unit's pairs weighted 1 / (m_u - 1)) and D_e the mean distance over all ordered
  pairs of pairable values (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"). The ordinal distance
  uses the frequencies of the pairable values. Missing ratings are NaN (null in JSON).
The first alpha case is Krippendorff's (2011) worked example, whose published values are nominal 0.743,
ordinal 0.815, interval 0.849 and ratio 0.797.
"""
import json
import math
import sys

import numpy as np

rng = np.random.default_rng(20250611)


def kappa(a, b, weights):
    a = np.asarray(a)
    b = np.asarray(b)
    labels = np.unique(np.concatenate([a, b]))
    if weights == "none":
        po = np.mean(a == b)
        pe = sum(np.mean(a == l) * np.mean(b == l) for l in labels)
        return float("nan") if pe == 1 else float((po - pe) / (1 - pe))
    k = len(labels)
    pos = {l: i for i, l in enumerate(labels)}
    o = np.zeros((k, k))
    for x, y in zip(a, b):
        o[pos[x], pos[y]] += 1
    e = np.outer(o.sum(axis=1), o.sum(axis=0)) / o.sum()
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    w = np.abs(i - j) if weights == "linear" else (i - j) ** 2
    return float(1 - (w * o).sum() / (w * e).sum())


def alpha(data, level):
    data = np.asarray(data, dtype=float)
    units = [data[:, u][~np.isnan(data[:, u])] for u in range(data.shape[1])]
    units = [u for u in units if len(u) >= 2]
    pairable = np.concatenate(units) if units else np.array([])
    n = len(pairable)
    if n < 2:
        return float("nan")
    values, freq = np.unique(pairable, return_counts=True)
    rank = {v: i for i, v in enumerate(values)}

    def delta(c, k):
        if c == k:
            return 0.0
        if level == "nominal":
            return 1.0
        if level == "interval":
            return (c - k) ** 2
        if level == "ratio":
            return ((c - k) / (c + k)) ** 2 if c + k != 0 else 0.0
        lo, hi = sorted((rank[c], rank[k]))
        return (freq[lo:hi + 1].sum() - (freq[lo] + freq[hi]) / 2) ** 2

    do = 0.0
    for u in units:
        m = len(u)
        do += sum(delta(u[i], u[j]) for i in range(m) for j in range(m) if i != j) / (m - 1)
    do /= n
    de = sum(delta(pairable[i], pairable[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    return float("nan") if de == 0 else float(1 - do / de)


def jnum(x):
    return None if isinstance(x, float) and math.isnan(x) else x


kappa_cases = []


def add_kappa(name, a, b):
    kappa_cases.append({
        "name": name, "a": [int(x) for x in a], "b": [int(x) for x in b],
        "none": jnum(kappa(a, b, "none")), "linear": jnum(kappa(a, b, "linear")), "quadratic": jnum(kappa(a, b, "quadratic")),
    })


add_kappa("binary", [1, 1, 0, 0, 1, 0, 1, 1, 0, 1], [1, 0, 0, 0, 1, 1, 1, 1, 0, 1])
add_kappa("likert_close", [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 4], [1, 3, 3, 4, 4, 3, 2, 5, 5, 2, 3, 4])
add_kappa("missing_label_in_one_rater", [0, 1, 2, 2, 1, 0, 2], [0, 1, 1, 2, 1, 3, 2])
add_kappa("perfect", [2, 5, 7, 2, 5], [2, 5, 7, 2, 5])
add_kappa("negative", [0, 1, 0, 1, 0, 1], [1, 0, 1, 0, 1, 0])
for t in range(3):
    size = int(rng.integers(20, 60))
    a = rng.integers(1, 6, size)
    noise = rng.integers(-1, 2, size) * (rng.random(size) < 0.4)
    b = np.clip(a + noise, 1, 5)
    add_kappa(f"random_{t}", a, b)

NaN = float("nan")
alpha_cases = []


def add_alpha(name, data):
    data = np.asarray(data, dtype=float)
    alpha_cases.append({
        "name": name,
        "data": [[jnum(float(x)) for x in row] for row in data],
        **{level: jnum(alpha(data, level)) for level in ["nominal", "ordinal", "interval", "ratio"]},
    })


add_alpha("krippendorff_2011", [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NaN, NaN, NaN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NaN, 3],
    [NaN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NaN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NaN],
])
add_alpha("two_raters_complete", [[1, 2, 3, 4, 5, 3, 2], [1, 2, 4, 4, 5, 2, 2]])
for t in range(3):
    raters, units = int(rng.integers(2, 6)), int(rng.integers(8, 25))
    truth = rng.integers(1, 6, units)
    data = np.clip(truth + rng.integers(-1, 2, (raters, units)) * (rng.random((raters, units)) < 0.5), 1, 5).astype(float)
    data[rng.random((raters, units)) < 0.2] = NaN
    add_alpha(f"random_{t}", data)

json.dump({"generator": "generate_agreement.py", "numpy": np.__version__, "kappa": kappa_cases, "alpha": alpha_cases},
          sys.stdout, indent=1)
print()
