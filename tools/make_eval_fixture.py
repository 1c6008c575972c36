"""Makes crates/convirt-eval/tests/fixtures/eval_reference.json: reference values for convirt-eval
computed independently with scikit-learn, numpy and scipy. Run from the repo root:
/work/main/.venv-ref/bin/python tools/make_eval_fixture.py  (needs scikit-learn)."""
import json
import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score, roc_curve
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(20261126)
out = {"about": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}"}

# AUROC and ROC curves; scores rounded so that ties (within and across classes) are common.
auroc_cases = []
for n, decimals, prevalence in [(12, 1, 0.5), (50, 1, 0.3), (200, 2, 0.1), (333, 6, 0.45), (40, 0, 0.5)]:
    labels = rng.random(n) < prevalence
    labels[0], labels[1] = True, False
    scores = np.round(rng.normal(size=n) + 0.8 * labels, decimals)
    fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
    auroc_cases.append({"scores": scores.tolist(), "labels": labels.tolist(),
                        "auroc": roc_auc_score(labels, scores),
                        "fpr": fpr.tolist(), "tpr": tpr.tolist(),
                        "thresholds": [None if np.isinf(t) else t for t in thr.tolist()]})
out["auroc"] = auroc_cases

# Mean AUROC over label columns.
n, L = 90, 5
Y = rng.random((n, L)) < np.array([0.1, 0.3, 0.5, 0.2, 0.6])
Y[0], Y[1] = True, False
S = np.round(rng.normal(size=(n, L)) + Y * np.array([0.2, 1.0, 2.0, 0.5, 0.0]), 1)
out["mean_auroc"] = {"scores": S.ravel().tolist(), "labels": Y.ravel().tolist(), "columns": L,
                     "per_label": roc_auc_score(Y, S, average=None).tolist(),
                     "mean": roc_auc_score(Y, S, average="macro")}

# Accuracy from argmax of scores (ties to the lowest column, as numpy).
P = np.round(rng.random((70, 4)), 1)
truth = rng.integers(0, 4, 70)
pred = P.argmax(axis=1)
out["accuracy"] = {"scores": P.ravel().tolist(), "classes": 4, "truth": truth.tolist(),
                   "argmax": pred.tolist(), "accuracy": accuracy_score(truth, pred)}

# Logistic regression on standardized float32 features, L2 with C, lbfgs to tight tolerance.
def probe_case(n_train, n_test, d, kind, outputs, C):
    X = rng.normal(size=(n_train + n_test, d)) * rng.uniform(0.5, 5.0, d) + rng.normal(size=d) * 3
    X = X.astype(np.float32)
    W = rng.normal(size=(d, outputs))
    Z = (X - X.mean(0)) / X.std(0) @ W + rng.normal(size=(n_train + n_test, outputs)) * 1.5
    if kind == "classes":
        y = Z.argmax(1) if outputs > 2 else (Z[:, 0] > 0).astype(int)
    else:
        y = (Z > 0.3)
    Xd = X.astype(np.float64)
    scaler = StandardScaler().fit(Xd[:n_train])
    Xs_train, Xs_test = scaler.transform(Xd[:n_train]), scaler.transform(Xd[n_train:])
    def fit(target):
        return LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(Xs_train, target)
    if kind == "classes":
        m = fit(y[:n_train])
        train_p, test_p = m.predict_proba(Xs_train), m.predict_proba(Xs_test)
        labels = y[:n_train].tolist()
    else:
        models = [fit(y[:n_train, j]) for j in range(outputs)]
        train_p = np.stack([m.predict_proba(Xs_train)[:, 1] for m in models], 1)
        test_p = np.stack([m.predict_proba(Xs_test)[:, 1] for m in models], 1)
        labels = y[:n_train].ravel().tolist()
    return {"kind": kind, "outputs": outputs if kind == "multilabel" or outputs > 2 else 2,
            "c": C, "dim": d, "train": X[:n_train].ravel().tolist(), "test": X[n_train:].ravel().tolist(),
            "labels": labels, "train_proba": train_p.ravel().tolist(), "test_proba": test_p.ravel().tolist(),
            "scaler_mean": scaler.mean_.tolist(), "scaler_scale": scaler.scale_.tolist()}

out["probe"] = [probe_case(80, 30, 5, "classes", 2, 1.0),
                probe_case(120, 40, 6, "classes", 3, 0.5),
                probe_case(100, 30, 4, "multilabel", 3, 0.1),
                probe_case(60, 20, 12, "classes", 4, 10.0)]

# Precision@k: cosine similarity in float64, stable ranking (ties to the lower index).
q, m, d, C = 24, 150, 8, 4
cand = rng.normal(size=(m, d)).astype(np.float32)
cand[100:110] = cand[10:20]  # exact duplicates: tied similarities
cand_cat = rng.integers(0, C, m)
cand_labels = np.eye(C, dtype=bool)[cand_cat]
cand_labels[rng.random(m) < 0.1, 2] = True  # a few multi-hot rows
query_cat = np.arange(q) % 3  # category 3 has no query
queries = (rng.normal(size=(q, d)) * 0.7).astype(np.float32)
centers = rng.normal(size=(C, d))
queries = (queries + centers[query_cat]).astype(np.float32)
cand = (cand + 0.8 * centers[cand_cat]).astype(np.float32)
cand[100:110] = cand[10:20]
qd, cd = queries.astype(np.float64), cand.astype(np.float64)
sim = (qd @ cd.T) / np.linalg.norm(qd, axis=1)[:, None] / np.linalg.norm(cd, axis=1)[None, :]
order = np.argsort(-sim, axis=1, kind="stable")
ks = [1, 5, 10, 50]
per_query = np.array([[cand_labels[order[i, :k], query_cat[i]].mean() for k in ks] for i in range(q)])
out["retrieval"] = {"queries": queries.ravel().tolist(), "query_categories": query_cat.tolist(),
                    "candidates": cand.ravel().tolist(), "candidate_labels": cand_labels.ravel().tolist(),
                    "dim": d, "categories": C, "ks": ks, "top10": order[:, :10].tolist(),
                    "mean": per_query.mean(0).tolist(),
                    "per_category": [per_query[query_cat == c].mean(0).tolist() if (query_cat == c).any() else None
                                     for c in range(C)],
                    "chance": cand_labels.mean(0).tolist(),
                    "mean_chance": cand_labels.mean(0)[query_cat].mean()}

# Student t quantiles and the paired t test across seeds.
out["t_quantiles"] = [{"p": p, "df": df, "t": scipy.stats.t.ppf(p, df)}
                      for p in [0.9, 0.975, 0.995, 0.025] for df in [1, 2, 3, 4, 5, 9, 19, 29, 100, 2.5]]
paired = []
for n_seeds in [2, 3, 5, 10]:
    a = 0.85 + rng.normal(size=n_seeds) * 0.01
    b = a - 0.01 + rng.normal(size=n_seeds) * 0.008
    res = scipy.stats.ttest_rel(a, b)
    ci = res.confidence_interval(0.95)
    d_ = a - b
    paired.append({"a": a.tolist(), "b": b.tolist(), "mean": d_.mean(), "sd": d_.std(ddof=1),
                   "lower": ci.low, "upper": ci.high, "t": res.statistic, "p_value": res.pvalue})
out["paired"] = paired
v = rng.random(7)
out["mean_sd"] = {"values": v.tolist(), "mean": v.mean(), "sd": v.std(ddof=1)}

path = "crates/convirt-eval/tests/fixtures/eval_reference.json"
json.dump(out, open(path, "w"))
print("wrote", path, out["about"])
