#!/usr/bin/python3
"""Regenerates sklearn-logreg.json, the reference for SoftmaxRegressionTest (cross-check only:
ser does not depend on Python). Run with Debian python3-sklearn: /usr/bin/python3 make_fixture.py > sklearn-logreg.json"""
import json
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(12)
counts = [40, 25, 15]                       # imbalanced, so class weights matter
x, y = [], []
for c, n in enumerate(counts):
    centre = rng.normal(0, 1.0, 6)
    x.append(centre + rng.normal(0, 1.5, (n, 6)))
    y += [c] * n
x = np.vstack(x)
y = np.array(y)
probe = rng.normal(0, 1.5, (5, 6))

cases = []
for c, cw in [(0.5, None), (0.05, "balanced"), (100.0, "balanced")]:
    m = LogisticRegression(C=c, class_weight=cw, solver="lbfgs", multi_class="multinomial", tol=1e-12, max_iter=100000)
    m.fit(x, y)
    # scipy's L-BFGS stops on a relative decrease of 64 eps while the gradient is still ~1e-5;
    # warm restarts (fresh curvature memory) take it down to ~1e-8.
    m.set_params(warm_start=True)
    for _ in range(20):
        m.fit(x, y)
    b = m.intercept_ - m.intercept_.mean()     # intercepts are defined up to a shift: centre them
    cases.append({"C": c, "class_weight": cw or "none", "coef": m.coef_.tolist(), "intercept": b.tolist(),
                  "probe_proba": m.predict_proba(probe).tolist()})
print(json.dumps({"generator": "scikit-learn " + sklearn.__version__ + " LogisticRegression(multinomial, lbfgs)",
                  "x": x.tolist(), "y": y.tolist(), "probe": probe.tolist(), "cases": cases}, indent=1))
