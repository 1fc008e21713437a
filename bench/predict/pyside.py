#!/usr/bin/env python3
"""Python child of bench/predict/bench.py (runs inside bench/.venv); prints
one JSON object on stdout.

    pyside.py inproc MODEL ROWS.npy METHOD RUNS OUT.npy
        joblib.load(MODEL) (timed), n_jobs=1, one warm-up call, then the best
        of RUNS calls of METHOD on all rows and on row 0 alone
        (perf_counter around the call only); the batch output goes to OUT.npy
    pyside.py e2e MODEL ROWS.npy METHOD OUT.npy
        what `modelconv predict` does, as a script: joblib.load, METHOD on
        all rows, np.save; the parent times the whole process
"""
import json
import sys
import time


def main():
    mode, model, rows, method = sys.argv[1:5]
    t0 = time.perf_counter()
    import joblib
    import numpy as np

    t1 = time.perf_counter()
    est = joblib.load(model)
    t2 = time.perf_counter()
    X = np.load(rows)
    if mode == "e2e":
        np.save(sys.argv[5], getattr(est, method)(X))
        return
    runs, out = int(sys.argv[5]), sys.argv[6]
    est.set_params(n_jobs=1)  # the claim: scikit-learn single-threaded
    fn = getattr(est, method)
    batch, single = [], []
    y = fn(X)  # warm-up
    fn(X[:1])
    for _ in range(runs):
        t = time.perf_counter()
        y = fn(X)
        batch.append(time.perf_counter() - t)
    for _ in range(runs):
        t = time.perf_counter()
        fn(X[:1])
        single.append(time.perf_counter() - t)
    np.save(out, y)
    print(json.dumps({"imports": t1 - t0, "load": t2 - t1, "batch": min(batch),
                      "single": min(single), "batch_runs": batch, "single_runs": single}))


if __name__ == "__main__":
    main()
