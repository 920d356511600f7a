"""Regenerates statistics-vectors.json: reference values from scipy and
statsmodels that the Swift statistics must reproduce (see StatisticsVectorTests).

    pip install scipy statsmodels numpy
    python3 Tests/InoculationGateTests/Vectors/make_vectors.py

Commit the JSON, not the packages. Inputs come from a fixed numpy seed.
"""
import json
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_confint

rng = np.random.default_rng(20261129)
out = {"generated_by": f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}"}

out["normal"] = [
    {"p": p, "quantile": float(stats.norm.ppf(p)), "x": x, "cdf": float(stats.norm.cdf(x))}
    for p, x in [(1e-12, -7.5), (1e-6, -4.2), (0.001, -3.1), (0.025, -1.96), (0.2, -0.5), (0.5, 0.0),
                 (0.8, 0.84), (0.975, 1.96), (0.999999, 5.3), (1 - 1e-12, 8.0)]
]

out["student_t"] = [
    {"t": t, "df": df, "cdf": float(stats.t.cdf(t, df)), "quantile_p": p, "quantile": float(stats.t.ppf(p, df))}
    for t, df, p in [(-3.2, 1, 0.01), (-1.5, 2, 0.05), (0.0, 5, 0.5), (0.7, 9, 0.8), (2.1, 25, 0.975),
                     (4.0, 40, 0.995), (-2.5, 120, 0.025), (1.0, 3.5, 0.9)]
]

wilson = []
for k, n, conf in [(0, 10, 0.95), (1, 10, 0.95), (8, 10, 0.95), (10, 10, 0.95), (37, 41, 0.95),
                   (3, 240, 0.95), (120, 240, 0.99), (1, 1, 0.95), (500, 1000, 0.9)]:
    lo, hi = proportion_confint(k, n, alpha=1 - conf, method="wilson")
    wilson.append({"successes": k, "trials": n, "confidence": conf, "lower": float(lo), "upper": float(hi)})
out["wilson"] = wilson

out["mcnemar_exact"] = [
    {"b": b, "c": c, "p": float(mcnemar([[10, b], [c, 10]], exact=True).pvalue)}
    for b, c in [(0, 0), (1, 6), (0, 10), (5, 5), (3, 12), (20, 35), (100, 130), (0, 1)]
]

paired = []
for n, shift in [(12, 0.3), (26, 0.0), (41, -0.1), (60, 0.05)]:
    x = rng.normal(0.5, 0.2, n)
    y = x - shift + rng.normal(0, 0.15, n)
    r = stats.ttest_rel(x, y)
    d = x - y
    paired.append({"x": x.tolist(), "y": y.tolist(), "mean": float(d.mean()),
                   "se": float(d.std(ddof=1) / np.sqrt(n)), "t": float(r.statistic), "p": float(r.pvalue)})
out["paired_t"] = paired

clustered = []
for clusters, per, rate in [(24, 10, 0.3), (41, 3, 0.8), (26, 10, 0.05), (8, 5, 0.5)]:
    groups, values = [], []
    for g in range(clusters):
        p = min(max(rng.normal(rate, 0.15), 0), 1)
        size = int(rng.integers(max(1, per - 2), per + 3))
        for _ in range(size):
            groups.append(g)
            values.append(float(rng.random() < p))
    fit = sm.OLS(np.array(values), np.ones(len(values))).fit(cov_type="cluster", cov_kwds={"groups": np.array(groups)})
    clustered.append({"groups": groups, "values": values, "mean": float(fit.params[0]), "se": float(fit.bse[0])})
out["clustered_mean"] = clustered

adjust = []
for pvals in [[0.01, 0.04, 0.03], [0.001, 0.2, 0.04, 0.049, 0.5, 0.0001], [0.9, 0.9], [0.02] * 5,
              rng.uniform(0, 0.1, 12).tolist()]:
    adjust.append({"p": pvals, "holm": multipletests(pvals, method="holm")[1].tolist(),
                   "bh": multipletests(pvals, method="fdr_bh")[1].tolist()})
out["adjust"] = adjust

power = []
solver = NormalIndPower()
for n, sd, alpha, pw in [(41, 0.4, 0.05, 0.8), (26, 0.2, 0.05, 0.8), (240, 0.45, 0.01, 0.9), (12, 1.0, 0.05, 0.8)]:
    # One sample (paired differences): ratio=0.  Two independent samples: ratio=1.
    d_paired = solver.solve_power(effect_size=None, nobs1=n, alpha=alpha, power=pw, ratio=0)
    d_indep = solver.solve_power(effect_size=None, nobs1=n, alpha=alpha, power=pw, ratio=1)
    target = 0.05
    n_paired = solver.solve_power(effect_size=target / sd, nobs1=None, alpha=alpha, power=pw, ratio=0)
    n_indep = solver.solve_power(effect_size=target / sd, nobs1=None, alpha=alpha, power=pw, ratio=1)
    power.append({"n": n, "sd": sd, "alpha": alpha, "power": pw,
                  "mde_paired": float(d_paired * sd), "mde_independent": float(d_indep * sd),
                  "target": target, "n_paired": float(n_paired), "n_independent": float(n_indep)})
out["power"] = power

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "statistics-vectors.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", path)
