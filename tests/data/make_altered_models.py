#!/usr/bin/env python3
"""Altered copies of one corpus model, for the validator's tests.

Each file is samples/corpus/sk1.9.1/rf_clf_str/model.p4.pkl (a
RandomForestClassifier, 5 trees, string labels 'cat' 'dog' 'emu') loaded with
pickle, changed in one place, and dumped again with protocol 4, so that the
only difference from the original is the change:

  same.pkl           nothing changed (a control: it must validate as equal)
  threshold.pkl      estimators_[3].tree_.threshold[8]: 1.34385145... -> 0.75
                     (moves a split across the data: predictions change)
  threshold_ulp.pkl  estimators_[1].tree_.threshold[0]: the next float64 up
                     (a one-bit change the structure check must still see)
  dropped_tree.pkl   estimators_[4] removed (4 trees instead of 5)
  class_label.pkl    classes_[2]: 'emu' -> 'elk'
  param.pkl          max_depth: 4 -> 5 (a parameter only; predictions equal)

Run with the corpus's current virtualenv (scikit-learn 1.9.1, numpy 2.4.6;
see samples/README.md):

  .venv/current/bin/python tests/data/make_altered_models.py

It checks each change took effect and writes tests/data/validate/.  The
output is byte-for-byte reproducible (PYTHONHASHSEED is fixed, as for the
corpus).
"""

import os
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})

import pickle  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "samples/corpus/sk1.9.1/rf_clf_str/model.p4.pkl"
X = np.load(ROOT / "samples/corpus/sk1.9.1/rf_clf_str/X.npy")
OUT = ROOT / "tests/data/validate"


def load():
    with open(SOURCE, "rb") as f:
        return pickle.load(f)


def set_threshold(tree, node, value):
    # Tree.threshold is a view of the tree's node records: writing it
    # changes the tree itself (checked below after the reload).
    tree.threshold[node] = value


def threshold(m):
    set_threshold(m.estimators_[3].tree_, 8, 0.75)


def threshold_ulp(m):
    t = m.estimators_[1].tree_
    set_threshold(t, 0, np.nextafter(t.threshold[0], np.inf))


def dropped_tree(m):
    m.estimators_ = m.estimators_[:4]


def class_label(m):
    m.classes_[2] = "elk"


def param(m):
    m.max_depth = 5


CHANGES = {
    "same": None,
    "threshold": threshold,
    "threshold_ulp": threshold_ulp,
    "dropped_tree": dropped_tree,
    "class_label": class_label,
    "param": param,
}


def check(name, original, altered):
    """The change is in the reloaded file, and does what it says."""
    if name == "threshold":
        assert altered.estimators_[3].tree_.threshold[8] == 0.75
        assert not np.array_equal(original.predict_proba(X), altered.predict_proba(X))
    elif name == "threshold_ulp":
        a, b = original.estimators_[1].tree_.threshold[0], altered.estimators_[1].tree_.threshold[0]
        assert b == np.nextafter(a, np.inf)
    elif name == "dropped_tree":
        assert len(altered.estimators_) == 4
    elif name == "class_label":
        assert list(altered.classes_) == ["cat", "dog", "elk"]
    elif name == "param":
        assert altered.max_depth == 5 and altered.get_params()["max_depth"] == 5


def main():
    assert sklearn.__version__ == "1.9.1" and np.__version__ == "2.4.6", "use the corpus venv"
    OUT.mkdir(parents=True, exist_ok=True)
    original = load()
    for name, change in CHANGES.items():
        m = load()
        if change:
            change(m)
        path = OUT / f"{name}.pkl"
        with open(path, "wb") as f:
            pickle.dump(m, f, protocol=4)
        with open(path, "rb") as f:
            check(name, original, pickle.load(f))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
