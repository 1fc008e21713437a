#!/usr/bin/env python3
"""The classifier forest of bench/predict (predict_proba), made once and
deterministically; the regression forest is bench/make_models.py's.

    python bench/predict/make_clf.py DATA_DIR

Writes DATA_DIR/rf_clf.joblib (joblib.dump, uncompressed) and
DATA_DIR/rf_clf.json (nodes, size, sha256, versions):
RandomForestClassifier(n_estimators=64, random_state=0) on
make_classification(n_samples=60000, n_features=16, n_informative=10,
n_classes=3, random_state=0).
"""
import hashlib
import json
import os
import sys
import time

import joblib
import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier


def main():
    data = sys.argv[1]
    os.makedirs(data, exist_ok=True)
    X, y = make_classification(n_samples=60000, n_features=16, n_informative=10, n_classes=3,
                               random_state=0)
    t = time.perf_counter()
    model = RandomForestClassifier(n_estimators=64, random_state=0).fit(X.astype(np.float32), y)
    fit = time.perf_counter() - t
    path = os.path.join(data, "rf_clf.joblib")
    joblib.dump(model, path)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    info = {"rows": 60000, "n_estimators": 64, "classes": 3,
            "nodes": int(sum(e.tree_.node_count for e in model.estimators_)),
            "fit_seconds": round(fit, 1), "bytes": os.path.getsize(path), "sha256": digest,
            "scikit-learn": sklearn.__version__, "numpy": np.__version__,
            "joblib": joblib.__version__}
    with open(os.path.join(data, "rf_clf.json"), "w") as f:
        json.dump(info, f, indent=2)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
