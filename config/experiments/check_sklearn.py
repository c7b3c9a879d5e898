#!/usr/bin/python3
# Cross-check only (ser does not depend on Python): python3 check_sklearn.py FEATURES_DIR CV_DIR
"""Cross-check: scikit-learn LogisticRegression(C=0.01, balanced) on the same folds (cv.json test speakers,
training = every other speaker) and features as ser's Java baseline; prints per-fold UAR for both."""
import csv, json, sys, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import balanced_accuracy_score
feat, cvdir = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(feat + '/nppdp.csv')))
x = np.array([[float(v) for v in r[:-1]] for r in rows[1:]]); y = np.array([int(r[-1]) for r in rows[1:]])
idx = list(csv.DictReader(open(feat + '/nppdp.index.csv')))
spk = np.array([r['corpus'] + '/' + r['speaker'] for r in idx])
cv = json.load(open(cvdir + '/cv.json'))
for f, fold in enumerate(cv['per_fold']):
    test = np.isin(spk, fold['test_speakers'])
    sc = StandardScaler().fit(x[~test])
    m = LogisticRegression(C=0.01, class_weight='balanced', max_iter=5000).fit(sc.transform(x[~test]), y[~test])
    uar = balanced_accuracy_score(y[test], m.predict(sc.transform(x[test])))
    print(f"fold {f+1}: sklearn UAR {uar:.4f}  ser baseline UAR {cv['baseline']['metrics']['uar']['per_fold'][f]:.4f}", flush=True)
