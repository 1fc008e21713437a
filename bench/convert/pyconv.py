#!/usr/bin/env python3
"""Python child of bench/convert/convert.py (runs inside bench/.venv); prints
one JSON object on stdout.  The parent times the whole process (wait4).

    pyconv.py dump MODEL OUT [LEVEL]
        joblib.load(MODEL), then joblib.dump(model, OUT, compress=LEVEL)
        (default 3) timed alone: perf_counter and process_time around the
        call.  Its own peak RSS: the kernel's high-water mark is reset
        (/proc/self/clear_refs "5") just before the call and VmHWM read after;
        the peak before it (joblib.load's) is reported too, since the reset
        also resets the ru_maxrss the parent gets from wait4.
    pyconv.py predict MODEL ROWS.npy OUT.npy
        what `modelconv predict MODEL ROWS -o OUT` does, as a script:
        joblib.load (timed), est.predict(X) (timed), np.save.  n_jobs is set
        to 1 first: the forest was saved with n_jobs=-1, and scikit-learn's
        threads add the trees' predictions in whatever order they finish, so
        its output changes in the last bit from call to call (1-ulp
        differences in 36-151 of 1000 rows seen); single-threaded it sums in
        tree order, which modelconv reproduces bit for bit.
"""
import gc
import json
import sys
import time

T_START = time.perf_counter()


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def reset_peak():
    """Reset VmHWM to the current RSS (Linux >= 4.0); False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def main():
    mode = sys.argv[1]
    import joblib
    import numpy as np

    t_imports = time.perf_counter() - T_START
    if mode == "dump":
        model, out = sys.argv[2], sys.argv[3]
        level = int(sys.argv[4]) if len(sys.argv) > 4 else 3
        t0 = time.perf_counter()
        est = joblib.load(model)
        load_s = time.perf_counter() - t0
        gc.collect()
        before = status_kb("VmRSS")
        load_peak = status_kb("VmHWM")  # the reset below also resets wait4's ru_maxrss
        reset = reset_peak()
        c0, t0 = time.process_time(), time.perf_counter()
        joblib.dump(est, out, compress=level)
        dump_s = time.perf_counter() - t0
        dump_cpu_s = time.process_time() - c0
        print(json.dumps({"imports_s": t_imports, "load_s": load_s, "dump_s": dump_s,
                          "dump_cpu_s": dump_cpu_s, "rss_before_dump_kb": before,
                          "load_peak_kb": load_peak,
                          "dump_peak_kb": status_kb("VmHWM") if reset else None}))
    elif mode == "predict":
        model, rows, out = sys.argv[2:5]
        t0 = time.perf_counter()
        est = joblib.load(model)
        load_s = time.perf_counter() - t0
        n_jobs_saved = est.n_jobs
        est.set_params(n_jobs=1)
        X = np.load(rows)
        c0, t0 = time.process_time(), time.perf_counter()
        y = est.predict(X)
        predict_s = time.perf_counter() - t0
        predict_cpu_s = time.process_time() - c0
        np.save(out, y)
        print(json.dumps({"imports_s": t_imports, "load_s": load_s, "predict_s": predict_s,
                          "predict_cpu_s": predict_cpu_s, "n_jobs_saved": n_jobs_saved}))
    else:
        sys.exit("pyconv.py: unknown mode " + mode)


if __name__ == "__main__":
    main()
