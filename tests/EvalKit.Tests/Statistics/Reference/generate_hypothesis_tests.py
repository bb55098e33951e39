#!/usr/bin/python3
"""Writes hypothesis_tests.json: inputs and expected outputs for EvalKit's hypothesis tests, correlations,
multiple-comparison adjustments and effect sizes.

Run with Debian's interpreter (scipy 1.10.1, statsmodels 0.13.5, numpy 1.24):
    /usr/bin/python3 generate_hypothesis_tests.py
Every expected value comes from scipy / statsmodels, except where noted:
  * Wilcoxon "exact" with ties or zeros: EvalKit defines it as the exact sign-flip distribution given the observed
    ranks; the reference is scipy.stats.permutation_test enumerating all 2^n sign flips of the same statistic
    (scipy 1.10's wilcoxon switches to the normal approximation when there are zeros).
  * McNemar mid-p: statsmodels 0.13.5 has no mid-p; the reference is 2*binom.cdf(k) - binom.pmf(k) from scipy.
  * Effect sizes: the defining formulas evaluated with numpy; Hedges' J via scipy.special.poch.
"""
import json
import math
import os

import numpy as np
import scipy
import statsmodels
from scipy import stats, special
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

rng = np.random.default_rng(20240611)
ALTS = ["two-sided", "less", "greater"]


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


DATA = {}


def arr(x):
    return [float(v) for v in np.asarray(x, dtype=float)]


def ref(x):
    """Stores a data vector once under a content key and returns the key (cases refer to data by key)."""
    values = arr(x)
    key = "v%d" % (abs(hash(tuple(values))) % 10**12)
    DATA.setdefault(key, values)
    return key


def rounded(x, digits=3):
    return [round(float(v), digits) for v in x]


out = {"generator": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}}

# ---------------------------------------------------------------- t-tests
doc_a = [.82, .75, .91, .66, .70, .88, .79, .73, .95, .60]
doc_b = [.78, .70, .93, .60, .65, .80, .80, .69, .90, .61]
two_sample = {
    "doc": (doc_a, doc_b),
    "n2_each": ([1.0, 2.0], [2.5, 4.0]),
    "unequal_sizes": (rounded(rng.normal(10, 2, 7)), rounded(rng.normal(11, 5, 23))),
    "binary": ([1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0, 0, 1, 0, 0]),
    "one_constant": ([3.0, 3.0, 3.0, 3.0], [1.0, 2.5, 2.0, 4.0, 3.5]),
    "large_tiny_p": (rounded(rng.normal(0.5, 1, 2000), 6), rounded(rng.normal(0.0, 1, 2000), 6)),
    "large_null": (rounded(rng.normal(0, 1, 2000), 6), rounded(rng.normal(0, 1.3, 1500), 6)),
    "extreme_t": ([10.0, 10.1, 10.2, 10.05, 9.95], [0.0, 0.1, -0.1, 0.05, 0.02]),
}
paired = {
    "doc": (doc_a, doc_b),
    "n2": ([1.0, 2.0], [0.5, 1.0]),
    "binary": ([1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0]),
    "large_tiny_p": None,
    "large_null": None,
}
base = rng.normal(0, 1, 2000)
paired["large_tiny_p"] = (rounded(base + rng.normal(0.3, 1, 2000), 6), rounded(base, 6))
paired["large_null"] = (rounded(base + rng.normal(0.0, 1, 2000), 6), rounded(base, 6))
tt = []
for name, (a, b) in two_sample.items():
    for alt in ALTS:
        for kind, equal in (("student", True), ("welch", False)):
            r = stats.ttest_ind(a, b, equal_var=equal, alternative=alt)
            na, nb = len(a), len(b)
            if equal:
                df = na + nb - 2
            else:
                va, vb = np.var(a, ddof=1) / na, np.var(b, ddof=1) / nb
                df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
            tt.append({"name": name, "kind": kind, "alternative": alt, "a": ref(a), "b": ref(b),
                       "statistic": num(r.statistic), "pvalue": num(r.pvalue), "df": num(df)})
for name, (a, b) in paired.items():
    for alt in ALTS:
        r = stats.ttest_rel(a, b, alternative=alt)
        tt.append({"name": name, "kind": "paired", "alternative": alt, "a": ref(a), "b": ref(b),
                   "statistic": num(r.statistic), "pvalue": num(r.pvalue), "df": len(a) - 1})
out["ttest"] = tt

# ---------------------------------------------------------------- Mann-Whitney U
mw_sets = {
    "doc_males_females": ([19, 22, 16, 29, 24], [20, 11, 17, 12]),
    "doc_ties": ([1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8], [3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10]),
    "n1_each": ([1.5], [0.5]),
    "n1_vs_7": ([3.3], [0.1, 1.2, 2.5, 4.1, 5.0, 6.2, 7.7]),
    "separated_8_8": (list(range(10, 18)), list(range(0, 8))),
    "small_8_vs_60": (rounded(rng.normal(1, 1, 8), 6), rounded(rng.normal(0, 1, 60), 6)),
    "medium_no_ties": (rounded(rng.normal(0.4, 1, 15), 6), rounded(rng.normal(0, 1, 12), 6)),
    "binary": ([1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0, 0, 1, 0, 0]),
    "large_tiny_p": (rounded(rng.normal(0.6, 1, 2000), 6), rounded(rng.normal(0, 1, 2000), 6)),
    "large_ties": (list(rng.integers(0, 5, 2000)), list(rng.integers(0, 6, 1800))),
}
mw = []
for name, (a, b) in mw_sets.items():
    a = arr(a); b = arr(b)
    has_ties = len(np.unique(a + b)) < len(a + b)
    small = not (len(a) > 8 and len(b) > 8)
    for alt in ALTS:
        methods = ["auto", "asymptotic"]
        if small:
            methods.append("exact")
        for method in methods:
            ccs = [True, False] if method != "exact" else [True]
            for cc in ccs:
                r = stats.mannwhitneyu(a, b, use_continuity=cc, alternative=alt, method=method)
                mw.append({"name": name, "alternative": alt, "method": method, "continuity": cc, "a": ref(a), "b": ref(b),
                           "statistic": num(r.statistic), "pvalue": num(r.pvalue)})
out["mannwhitneyu"] = mw

# ---------------------------------------------------------------- Wilcoxon signed-rank
def rplus_statistic(zero_method):
    def statistic(d, axis=-1):
        d = np.atleast_2d(d)
        res = []
        for row in d:
            if zero_method == "wilcox":
                row = row[row != 0]
            r = stats.rankdata(np.abs(row))
            res.append(np.sum(r[row > 0]) + (np.sum(r[row == 0]) / 2 if zero_method == "zsplit" else 0))
        return np.array(res)
    return statistic


def perm_p(d, zero_method, alt):
    res = stats.permutation_test((np.asarray(d, float),), rplus_statistic(zero_method), permutation_type="samples",
                                 alternative=alt, n_resamples=np.inf, vectorized=True)
    return res.pvalue


doc_d = [.04, .05, -.02, .06, .05, .08, -.01, .04, .05, -.01]
doc_x = [1, 2, 0, -1, 3, 2, 0, 4, -2, 5, 1, 3, 6, -1, 2]
w_sets = {
    "doc_d": doc_d,
    "no_ties_n10": [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, -0.8],
    "n1_positive": [2.5],
    "n2": [-1.0, 3.0],
    "doc_ties_zeros": doc_x,
    "ties_no_zeros": [1, 2, 2, -2, 3, 3, 3, -1, 4, 5, 2, -3],
    "zeros_no_ties": [0, 1.5, -0.5, 2.5, 3.5, 0, 4.5, 5.5, -6.5, 7.5],
    "binary_differences": [1, 0, 0, 1, 0, 0, 0, 0, -1, -1, 0, 1, 1, 1, 0, 1],
    "no_ties_n30": rounded(rng.normal(0.5, 1, 30), 6),
    "no_ties_n50": rounded(rng.normal(-0.3, 1, 50), 6),
    "no_ties_n51": rounded(rng.normal(0.2, 1, 51), 6),
    "no_ties_n200": list(np.round(rng.permutation(np.arange(1, 201)) * rng.choice([-1.0, 1.0], 200, p=[0.4, 0.6]) / 8, 3)),
    "large_tiny_p": rounded(rng.normal(0.4, 1, 2000), 6),
    "large_ties_zeros": [float(v) for v in rng.integers(-3, 5, 2000)],
    "all_zero": [0.0, 0.0, 0.0],
}
wl = []
for name, d in w_sets.items():
    d = arr(d)
    dd = np.asarray(d)
    nz = int(np.sum(dd == 0))
    nonzero = dd[dd != 0]
    ties = len(np.unique(np.abs(dd))) < len(dd)
    for zm in ["wilcox", "pratt", "zsplit"]:
        if nz == len(d) and zm != "zsplit":
            continue
        for alt in ALTS:
            for cc in [False, True]:
                r = stats.wilcoxon(d, zero_method=zm, correction=cc, alternative=alt, method="approx")
                wl.append({"name": name, "zero_method": zm, "alternative": alt, "correction": cc, "method": "approx",
                           "d": ref(d), "statistic": num(r.statistic), "pvalue": num(r.pvalue), "source": "scipy approx"})
            statistic = stats.wilcoxon(d, zero_method=zm, alternative=alt, method="approx").statistic
            if len(d) <= 16 or (nz == 0 and not ties and len(d) <= 200):
                if nz == 0 and not ties:
                    p = stats.wilcoxon(d, zero_method=zm, alternative=alt, method="exact").pvalue
                    source = "scipy exact"
                elif zm != "wilcox" or len(nonzero) > 0:
                    p = perm_p(d, zm, alt) if (zm != "wilcox" or len(nonzero) > 0) else 1.0
                    source = "scipy permutation_test (all 2^n sign flips)"
                wl.append({"name": name, "zero_method": zm, "alternative": alt, "correction": False, "method": "exact",
                           "d": ref(d), "statistic": num(statistic), "pvalue": num(p), "source": source})
            # Auto: EvalKit's rule (exact iff n <= 50, no zeros, no ties). scipy 1.10 agrees except for ties without
            # zeros at n <= 50 (it truncates a tied statistic in its exact path); there the reference is scipy approx.
            if len(d) <= 50 and nz == 0 and not ties:
                p = stats.wilcoxon(d, zero_method=zm, alternative=alt, method="exact").pvalue
                source = "scipy auto (exact)"
            else:
                p = stats.wilcoxon(d, zero_method=zm, alternative=alt, method="approx").pvalue
                source = "scipy approx (auto)" if (len(d) > 50 or nz > 0) else "scipy approx (scipy 1.10 auto would use truncated exact)"
            wl.append({"name": name, "zero_method": zm, "alternative": alt, "correction": False, "method": "auto",
                       "d": ref(d), "statistic": num(statistic), "pvalue": num(p), "source": source})
out["wilcoxon"] = wl
# two-sample form: the same test on a - b (explicit methods; doc_a - doc_b has ties, a2 - b2 has none)
out["wilcoxon_two_sample"] = []
a2 = [2.31, 1.05, 3.62, 2.04, 4.48, 1.99, 2.75, 3.16, 1.52, 2.87, 3.33]
b2 = [1.80, 1.32, 2.41, 2.12, 3.10, 1.05, 2.20, 2.50, 1.61, 1.92, 3.35]
for a_, b_, method in [(doc_a, doc_b, "approx"), (a2, b2, "approx"), (a2, b2, "exact")]:
    for alt in ALTS:
        r = stats.wilcoxon(a_, b_, alternative=alt, method=method)
        out["wilcoxon_two_sample"].append({"a": ref(a_), "b": ref(b_), "alternative": alt, "method": method,
                                           "statistic": num(r.statistic), "pvalue": num(r.pvalue)})

# ---------------------------------------------------------------- chi-square contingency
tables = {
    "doc_2x2": [[30, 20], [15, 35]],
    "small_2x2_yates_half": [[3, 2], [2, 3]],
    "tiny_diff_2x2": [[10, 11], [11, 10]],
    "exact_expected_2x2": [[5, 5], [5, 5]],
    "2x3": [[12, 5, 9], [7, 14, 3]],
    "3x3": [[20, 15, 5], [10, 25, 15], [5, 10, 30]],
    "large_2x2_tiny_p": [[900, 100], [600, 400]],
    "1x3_dof0": [[5, 7, 9]],
    "4x2": [[1, 9], [4, 6], [6, 4], [9, 1]],
}
ch = []
for name, t in tables.items():
    for corr in [True, False]:
        r = stats.chi2_contingency(np.array(t), correction=corr)
        ch.append({"name": name, "table": t, "correction": corr, "statistic": num(r[0]), "pvalue": num(r[1]),
                   "dof": int(r[2])})
out["chi2_contingency"] = ch

# ---------------------------------------------------------------- Fisher exact
fisher_tables = {
    "doc": [[8, 2], [1, 5]],
    "symmetric_margins": [[3, 5], [5, 3]],
    "mode_table": [[4, 4], [4, 4]],
    "zero_b": [[5, 0], [2, 6]],
    "zero_a": [[0, 5], [6, 2]],
    "zero_row": [[0, 0], [3, 4]],
    "zero_column": [[0, 4], [0, 7]],
    "one_each": [[1, 0], [0, 1]],
    "unbalanced": [[1, 9], [11, 3]],
    "medium": [[25, 15], [12, 30]],
    "large_tiny_p": [[500, 300], [280, 520]],
    "very_large": [[1200, 800], [900, 1100]],
    "lady_tasting_tea": [[3, 1], [1, 3]],
}
fi = []
for name, t in fisher_tables.items():
    for alt in ALTS:
        r = stats.fisher_exact(t, alternative=alt)
        fi.append({"name": name, "table": t, "alternative": alt, "odds_ratio": num(r[0]), "pvalue": num(r[1])})
out["fisher_exact"] = fi

# ---------------------------------------------------------------- McNemar
mc = []
for b, c in [(12, 5), (5, 12), (0, 0), (0, 7), (3, 3), (1, 0), (40, 20), (150, 90), (1000, 850), (600, 400), (2, 1)]:
    ex = mcnemar([[0, b], [c, 0]], exact=True)
    cs = mcnemar([[0, b], [c, 0]], exact=False, correction=True) if b + c > 0 else None
    k = min(b, c)
    midp = min(1.0, 2 * stats.binom.cdf(k, b + c, 0.5) - stats.binom.pmf(k, b + c, 0.5))
    mc.append({"b": b, "c": c, "method": "exact", "statistic": num(ex.statistic), "pvalue": num(ex.pvalue)})
    mc.append({"b": b, "c": c, "method": "midp", "statistic": k, "pvalue": num(midp)})
    if cs is not None:
        mc.append({"b": b, "c": c, "method": "chi2_corrected", "statistic": num(cs.statistic), "pvalue": num(cs.pvalue)})
out["mcnemar"] = mc

# ---------------------------------------------------------------- correlations
xs = rng.normal(0, 1, 2000)
corr_sets = {
    "n2": ([1.0, 2.0], [3.0, 1.0]),
    "n3": ([1.0, 2.0, 3.5], [2.0, 1.0, 4.0]),
    "small": ([1.2, 2.3, 2.9, 4.1, 5.5, 6.0, 7.7], [2.0, 2.9, 3.1, 5.0, 4.8, 7.1, 7.0]),
    "ties": ([1, 2, 2, 3, 3, 3, 4, 5], [2, 1, 3, 3, 5, 4, 4, 6]),
    "negative": ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [9.5, 8.1, 8.2, 6.0, 6.4, 5.1, 3.9, 2.2, 2.8, 0.3]),
    "binary": ([1, 0, 1, 1, 0, 1, 0, 0, 1, 1], [1, 0, 1, 0, 0, 1, 1, 0, 1, 1]),
    "large_tiny_p": (rounded(xs, 6), rounded(0.4 * xs + rng.normal(0, 1, 2000), 6)),
    "large_null": (rounded(rng.normal(0, 1, 2000), 6), rounded(rng.normal(0, 1, 2000), 6)),
    "perfect_monotone": ([1, 2, 3, 4, 5], [2, 4, 8, 16, 32]),
}
pe, sp = [], []
for name, (x, y) in corr_sets.items():
    x = arr(x); y = arr(y)
    for alt in ALTS:
        r = stats.pearsonr(x, y, alternative=alt)
        pe.append({"name": name, "alternative": alt, "x": ref(x), "y": ref(y), "coefficient": num(r[0]), "pvalue": num(r[1])})
        if len(x) >= 3:
            s = stats.spearmanr(x, y, alternative=alt)
            sp.append({"name": name, "alternative": alt, "x": ref(x), "y": ref(y), "coefficient": num(s[0]), "pvalue": num(s[1])})
out["pearson"] = pe
out["spearman"] = sp

# ---------------------------------------------------------------- multiple comparisons
mt = []
p_sets = {
    "doc": [.001, .008, .039, .041, .042, .060, .074, .205],
    "unsorted_with_ties": [0.04, 0.001, 0.04, 0.3, 0.02, 0.9, 0.0005, 0.04],
    "single": [0.03],
    "caps_at_one": [0.5, 0.8, 0.9, 0.95],
    "zeros_and_ones": [0.0, 1.0, 0.01, 0.0],
    "random_50": list(rng.uniform(0, 0.2, 50) ** 2),
}
for name, p in p_sets.items():
    e = {"name": name, "p": ref(p)}
    for method in ["holm", "fdr_bh", "bonferroni"]:
        e[method] = arr(multipletests(p, method=method)[1])
    mt.append(e)
out["multipletests"] = mt

# ---------------------------------------------------------------- effect sizes
es = []
es_sets = {
    "doc": (doc_a, doc_b),
    "n2_each": ([1.0, 2.0], [2.5, 4.0]),
    "unequal": two_sample["unequal_sizes"],
    "binary": two_sample["binary"],
    "large": (rounded(rng.normal(0.2, 1, 2000), 6), rounded(rng.normal(0, 1.1, 1900), 6)),
}
for name, (a, b) in es_sets.items():
    a = np.asarray(a, float); b = np.asarray(b, float)
    na, nb = len(a), len(b)
    df = na + nb - 2
    sp_ = math.sqrt(((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / df)
    d = (a.mean() - b.mean()) / sp_
    j = special.poch((df - 1) / 2, 0.5) / math.sqrt(df / 2)
    e = {"name": name, "a": ref(a), "b": ref(b), "cohens_d": d, "hedges_g": d * j, "hedges_j": j}
    if na == nb:
        diff = a - b
        e["dz"] = diff.mean() / diff.std(ddof=1)
    es.append(e)
out["effect_sizes"] = es
props = []
for sa, na, sb, nb in [(30, 50, 20, 50), (7, 20, 12, 25), (0, 10, 5, 10), (10, 10, 3, 10), (1, 3, 2, 3), (450, 1000, 400, 1000)]:
    fa, fb = na - sa, nb - sb
    orr = (sa * fb) / (fa * sb) if fa * sb > 0 else float("inf")
    hal = ((sa + .5) * (fb + .5)) / ((fa + .5) * (sb + .5))
    props.append({"sa": sa, "na": na, "sb": sb, "nb": nb, "risk_difference": sa / na - sb / nb,
                  "odds_ratio": num(orr), "odds_ratio_haldane": hal})
out["proportions"] = props

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hypothesis_tests.json")
out["data"] = DATA
with open(path, "w") as f:
    # One line per case (and per data vector) keeps the file compact and diffable.
    f.write("{\n")
    keys = list(out)
    for i, key in enumerate(keys):
        value = out[key]
        f.write(json.dumps(key) + ": ")
        if isinstance(value, list):
            f.write("[\n" + ",\n".join(json.dumps(v, allow_nan=False) for v in value) + "\n]")
        elif key == "data":
            f.write("{\n" + ",\n".join(json.dumps(k) + ": " + json.dumps(v, allow_nan=False) for k, v in value.items()) + "\n}")
        else:
            f.write(json.dumps(value, allow_nan=False))
        f.write(",\n" if i < len(keys) - 1 else "\n")
    f.write("}\n")
print("wrote", path, {k: len(v) for k, v in out.items() if isinstance(v, list)})
