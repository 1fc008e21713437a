#!/usr/bin/env python3
"""Harness of bench/predict/run.sh: scikit-learn against modelconv on the
same model files and rows, in one run; prints a table and writes it as
Markdown (raw numbers in JSON beside it).

    bench.py --python VENV_PY --modelconv BIN --driver BIN --rounds R
             --runs N --out FILE.md MODEL:METHOD [MODEL:METHOD ...]

For each model, R rounds; each round runs, one after the other so that the
machine's load hits both alike:
  - pyside.py inproc: scikit-learn in one process (n_jobs=1), N timed calls
    of METHOD on the batch and on one row;
  - predict_bench (C API, Release): N timed mc_predict on the same;
  - the whole process `modelconv predict MODEL ROWS --method METHOD -o OUT`
    and the whole process pyside.py e2e (joblib.load + METHOD + np.save).
Every number in the table is the best over all rounds and runs (wall clock),
medians beside them in the JSON.  The outputs of scikit-learn and of
`modelconv predict` are compared bit for bit.
Standard library only (the children use numpy).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYSIDE = os.path.join(HERE, "pyside.py")
TARGET_BATCH, TARGET_SINGLE = 0.5, 0.1  # modelconv / scikit-learn, at most


def child(argv):
    """Run argv to completion: (wall seconds, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode:
        sys.exit(f"bench.py: {' '.join(argv)} failed ({p.returncode}): {p.stderr.strip()}")
    return wall, p.stdout


def npy_data(path):
    """The data bytes of a .npy file (after its header)."""
    with open(path, "rb") as f:
        raw = f.read()
    hlen = int.from_bytes(raw[8:10], "little") + 10 if raw[6] == 1 else \
        int.from_bytes(raw[8:12], "little") + 12
    return raw[hlen:]


def measure(args, model, method, rows, tmp):
    r = {"model": os.path.basename(model), "method": method, "py": [], "c": [],
         "cli": [], "py_e2e": []}
    sk_out = os.path.join(tmp, "sk.npy")
    mc_out = os.path.join(tmp, "mc.npy")
    for _ in range(args.rounds):
        _, out = child([args.python, PYSIDE, "inproc", model, rows, method, str(args.runs),
                        sk_out])
        r["py"].append(json.loads(out))
        _, out = child([args.driver, model, rows, method, str(args.runs)])
        r["c"].append(json.loads(out))
        wall, _ = child([args.modelconv, "predict", model, rows, "--method", method,
                         "-o", mc_out])
        r["cli"].append(wall)
        wall, _ = child([args.python, PYSIDE, "e2e", model, rows, method,
                         os.path.join(tmp, "e2e.npy")])
        r["py_e2e"].append(wall)
    r["identical"] = npy_data(sk_out) == npy_data(mc_out)
    return r


def best(xs):
    return min(xs)


def summarize(r):
    py_batch = [t for p in r["py"] for t in p["batch_runs"]]
    py_single = [t for p in r["py"] for t in p["single_runs"]]
    c_batch = [t for c in r["c"] for t in c["batch_runs"]]
    c_single = [t for c in r["c"] for t in c["single_runs"]]
    s = {
        "sk_batch": best(py_batch), "mc_batch": best(c_batch),
        "sk_single": best(py_single), "mc_single": best(c_single),
        "sk_load": best([p["load"] for p in r["py"]]),
        "mc_load": best([c["load"] for c in r["c"]]),
        "mc_prepare": best([c["prepare"] for c in r["c"]]),
        "cli": best(r["cli"]), "py_e2e": best(r["py_e2e"]),
        "medians": {"sk_batch": statistics.median(py_batch),
                    "mc_batch": statistics.median(c_batch),
                    "sk_single": statistics.median(py_single),
                    "mc_single": statistics.median(c_single),
                    "cli": statistics.median(r["cli"]),
                    "py_e2e": statistics.median(r["py_e2e"])},
    }
    s["sk_inproc_e2e"] = s["sk_load"] + s["sk_batch"]
    return s


def fmt(t):
    return f"{t * 1e3:.3f} ms" if t < 1 else f"{t:.3f} s"


def table(results, rows, meta):
    lines = [f"# bench/predict — {meta['date']}", "",
             f"{meta['machine']}; load average {meta['load_before']} before, "
             f"{meta['load_after']} after.  {rows} rows of float64 input; best of "
             f"{meta['rounds']} rounds x {meta['runs']} runs (wall clock).", ""]
    for r in results:
        s = r["summary"]
        lines += [f"## {r['model']} — {r['method']}", "",
                  "| measurement | scikit-learn | modelconv | ratio | target |",
                  "|---|---|---|---|---|"]
        rb = s["mc_batch"] / s["sk_batch"]
        rs = s["mc_single"] / s["sk_single"]
        lines.append(f"| {r['method']}, {rows} rows (n_jobs=1 / C API) | {fmt(s['sk_batch'])} | "
                     f"{fmt(s['mc_batch'])} | {rb:.3f} | <= {TARGET_BATCH} "
                     f"{'ok' if rb <= TARGET_BATCH else 'MISSED'} |")
        lines.append(f"| {r['method']}, 1 row | {fmt(s['sk_single'])} | {fmt(s['mc_single'])} | "
                     f"{rs:.4f} | <= {TARGET_SINGLE} "
                     f"{'ok' if rs <= TARGET_SINGLE else 'MISSED'} |")
        lines.append(f"| load (joblib.load / mc_model_load) | {fmt(s['sk_load'])} | "
                     f"{fmt(s['mc_load'])} | {s['mc_load'] / s['sk_load']:.3f} | |")
        lines.append(f"| prepare (mc_predictor_new) | | {fmt(s['mc_prepare'])} | | |")
        lines.append(f"| in-process load + {r['method']} | {fmt(s['sk_inproc_e2e'])} | "
                     f"{fmt(s['mc_load'] + s['mc_prepare'] + s['mc_batch'])} | "
                     f"{(s['mc_load'] + s['mc_prepare'] + s['mc_batch']) / s['sk_inproc_e2e']:.3f}"
                     " | |")
        lines.append(f"| whole process: python load+{r['method']}+save / `modelconv predict` | "
                     f"{fmt(s['py_e2e'])} | {fmt(s['cli'])} | {s['cli'] / s['py_e2e']:.3f} | |")
        lines += ["", f"Outputs of scikit-learn and `modelconv predict`: "
                      f"{'bit-identical' if r['identical'] else 'DIFFERENT'}.", ""]
    return "\n".join(lines)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True)
    ap.add_argument("--modelconv", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--rows", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", required=True)
    ap.add_argument("cases", nargs="+", help="MODEL:METHOD")
    args = ap.parse_args()
    meta = {"date": datetime.date.today().isoformat(), "rounds": args.rounds,
            "runs": args.runs, "load_before": loadavg(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}"}
    n_rows = int(child([args.python, "-c", f"import numpy; print(numpy.load('{args.rows}').shape[0])"])[1])
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases:
            model, method = case.rsplit(":", 1)
            r = measure(args, model, method, args.rows, tmp)
            r["summary"] = summarize(r)
            results.append(r)
    meta["load_after"] = loadavg()
    text = table(results, n_rows, meta)
    print(text)
    with open(args.out, "w") as f:
        f.write(text + "\n")
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
