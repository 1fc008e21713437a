"""Inputs for tests/cli/test_predict.sh, made from a corpus probe input.

Run with the corpus's current environment (samples/requirements-current.txt):
    .venv/current/bin/python tests/data/make_predict_fixtures.py
It writes tests/data/predict/: the same rows as CSV with a header, as a
Fortran-ordered .npy, as float32, big-endian, and with one column too few;
and a fitted estimator modelconv reads but does not predict with
(OneHotEncoder), for the "unsupported estimator" error.
"""
import pathlib
import pickle

import numpy as np
from sklearn.preprocessing import OneHotEncoder

here = pathlib.Path(__file__).resolve().parent
root = here.parent.parent
X = np.load(root / "samples/corpus/sk1.9.1/std_scaler/X.npy")
out = here / "predict"
out.mkdir(exist_ok=True)

header = ",".join(f"f{i}" for i in range(X.shape[1]))
# repr() of a float64 reads back to the same double
rows = "\n".join(",".join(repr(float(v)) for v in row) for row in X)
(out / "X_header.csv").write_text(header + "\n" + rows + "\n")
np.save(out / "X_fortran.npy", np.asfortranarray(X))
np.save(out / "X_bigendian.npy", X.astype(">f8"))
np.save(out / "X_float32.npy", X.astype(np.float32))
np.save(out / "X_short.npy", X[:, :-1])

with open(out / "onehot.pkl", "wb") as f:
    pickle.dump(OneHotEncoder().fit(np.array([[0], [1], [2]])), f, protocol=4)
