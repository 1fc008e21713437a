#!/usr/bin/env python3
"""Harness of bench/convert/run.sh: `modelconv convert` against joblib.dump,
and what reading the converted file costs, on one model in one run; prints a
table and writes it as Markdown (every raw number in JSON beside it).

    convert.py --modelconv BIN --python VENV_PY --rows ROWS.npy --work DIR
               [--runs N] [--gap S] [--out FILE.md] MODEL.joblib

One warm-up round (also the correctness checks and the reference .h5), then
N rounds; each round runs every measurement once, in reverse order on odd
rounds, so a burst of outside load or a drift of the machine hits both sides
of each comparison alike.  Every measurement is one child process: wall time
from fork to wait4, CPU = user+sys and peak RSS (ru_maxrss) from wait4's
rusage.  Before each one the harness deletes its output file, calls sync()
(so no writeback of the previous run's output overlaps it) and sleeps GAP
seconds (default 0).  Standard library only; the shared helpers (run, warm,
stats, machine notes) come from bench/bench.py.  MB = 10^6 bytes.
"""
import argparse
import datetime
import filecmp
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import bench as shared  # noqa: E402  (bench/bench.py)

PYCONV = os.path.join(HERE, "pyconv.py")

# The claims under test.
RSS_TARGET = 1.2   # convert's peak RSS / the uncompressed joblib file, below
PREDICT_TARGET = 1.0  # predict from .h5 / predict from .joblib, at most


def measurements(a, w):
    """(key, label, argv, output file or None, JSON on stdout?) in round order."""
    mc, py, model, rows = a.modelconv, a.python, a.model, a.rows
    return [
        ("convert", "modelconv convert MODEL out.h5 (default: deflate:4)",
         [mc, "convert", model, w["out"]], w["out"], False),
        ("dump", "python: joblib.load, then joblib.dump(model, f, compress=3)",
         [py, PYCONV, "dump", model, w["dump"]], w["dump"], True),
        ("none", "modelconv convert --compress none",
         [mc, "convert", model, w["none"], "--compress", "none"], w["none"], False),
        ("d1", "modelconv convert --compress deflate:1",
         [mc, "convert", model, w["d1"], "--compress", "deflate:1"], w["d1"], False),
        ("d9", "modelconv convert --compress deflate:9",
         [mc, "convert", model, w["d9"], "--compress", "deflate:9"], w["d9"], False),
        ("h5h5", "modelconv convert ref.h5 again.h5 (.h5 -> .h5)",
         [mc, "convert", w["ref"], w["h5h5"]], w["h5h5"], False),
        ("pred_h5", "modelconv predict ref.h5 ROWS -o OUT.npy",
         [mc, "predict", w["ref"], rows, "-o", w["pred_h5"]], w["pred_h5"], False),
        ("pred_none", "modelconv predict ref-none.h5 ROWS -o OUT.npy",
         [mc, "predict", w["ref_none"], rows, "-o", w["pred_none"]], w["pred_none"], False),
        ("pred_jl", "modelconv predict MODEL ROWS -o OUT.npy",
         [mc, "predict", model, rows, "-o", w["pred_jl"]], w["pred_jl"], False),
        ("pred_py", "python: joblib.load + predict (n_jobs=1) + np.save",
         [py, PYCONV, "predict", model, rows, w["pred_py"]], w["pred_py"], True),
        ("validate", "modelconv validate MODEL",
         [mc, "validate", model], None, False),
    ]


def one(argv, out, want_json, gap):
    if out and os.path.exists(out):
        os.unlink(out)
    os.sync()
    if gap:
        time.sleep(gap)
    wall, rss, rc, stdout, stderr, cpu = shared.run(argv, capture=True)
    r = {"wall": wall, "cpu": cpu, "rss_kb": rss, "rc": rc}
    if out and os.path.exists(out):
        r["bytes"] = os.path.getsize(out)
    if rc == 0 and want_json:
        r.update(json.loads(stdout))
        if r.get("load_peak_kb"):  # pyconv.py dump reset the high-water mark
            r["rss_kb_wait4"] = rss
            r["rss_kb"] = max(rss, r["load_peak_kb"])
    if rc != 0 or (argv[1] == "validate"):
        r["stdout_tail"] = stdout.strip().splitlines()[-3:]
        r["stderr"] = stderr.strip()[-500:]
    return r


def npy_data(path):
    """The data bytes of a .npy file (after its header)."""
    with open(path, "rb") as f:
        raw = f.read()
    hlen = int.from_bytes(raw[8:10], "little") + 10 if raw[6] == 1 else \
        int.from_bytes(raw[8:12], "little") + 12
    return raw[hlen:]


def run_all(a, w, log):
    specs = measurements(a, w)
    res = {k: [] for k, *_ in specs}
    res["loadavg_rounds"] = []
    checks = {"convert_same_as_ref": [], "h5h5_same_as_ref": []}

    # warm-up round: page cache hot, the reference .h5, correctness
    shared.warm(a.model)
    log("== warm-up round")
    os.path.exists(w["ref"]) and os.unlink(w["ref"])
    r = one([a.modelconv, "convert", a.model, w["ref"]], w["ref"], False, 0)
    if r["rc"] != 0:
        sys.exit(f"convert.py: modelconv convert failed: {r['stderr']}")
    warmup = {"ref_convert": r}
    os.path.exists(w["ref_none"]) and os.unlink(w["ref_none"])
    warmup["ref_none_convert"] = one([a.modelconv, "convert", a.model, w["ref_none"], "--compress",
                                      "none"], w["ref_none"], False, 0)
    for key, label, argv, out, js in specs:
        r = one(argv, out, js, 0)
        warmup[key] = r
        if r["rc"] != 0:
            sys.exit(f"convert.py: warm-up of {label} failed (exit {r['rc']}): {r['stderr']}")
        log(f"  {key:9s} {r['wall']:7.3f} s")
    res["warmup"] = warmup

    for i in range(a.runs):
        order = specs if i % 2 == 0 else specs[::-1]
        res["loadavg_rounds"].append(os.getloadavg())
        for key, label, argv, out, js in order:
            r = one(argv, out, js, a.gap)
            if r["rc"] != 0:
                sys.exit(f"convert.py: {label} failed (exit {r['rc']}): {r['stderr']}")
            res[key].append(r)
            if key == "convert":
                checks["convert_same_as_ref"].append(filecmp.cmp(w["out"], w["ref"], shallow=False))
            elif key == "h5h5":
                checks["h5h5_same_as_ref"].append(filecmp.cmp(w["h5h5"], w["ref"], shallow=False))
        log(f"  round {i + 1}/{a.runs} ({'forward' if i % 2 == 0 else 'reverse'}): "
            + ", ".join(f"{k} {res[k][-1]['wall']:.2f}" for k, *_ in specs)
            + f"  [load {os.getloadavg()[0]:.2f}]")

    with open(w["pred_h5"], "rb") as f1, open(w["pred_jl"], "rb") as f2:
        h5_bytes, jl_bytes = f1.read(), f2.read()
    checks["predict_h5_eq_joblib_file"] = h5_bytes == jl_bytes
    with open(w["pred_none"], "rb") as f:
        checks["predict_none_eq_joblib_file"] = f.read() == jl_bytes
    checks["predict_mc_eq_sklearn_data"] = npy_data(w["pred_jl"]) == npy_data(w["pred_py"])
    checks["predict_h5_eq_sklearn_data"] = npy_data(w["pred_h5"]) == npy_data(w["pred_py"])
    with open(w["pred_py"], "rb") as f:
        checks["predict_mc_eq_sklearn_file"] = f.read() == jl_bytes
    checks["validate_rc"] = sorted({r["rc"] for r in res["validate"]})
    checks["validate_tail"] = res["validate"][-1]["stdout_tail"]
    res["checks"] = checks
    return res


# ---- the table ----------------------------------------------------------------------

def col(runs, field):
    return [r[field] for r in runs if r.get(field) is not None]


def best_med(xs):
    return (min(xs), statistics.median(xs)) if xs else (None, None)


def f3(x):
    return "" if x is None else f"{x:.3f}"


def mb(nbytes):
    return "" if nbytes is None else f"{nbytes / 1e6:.1f}"


def verdict(x, target, strict=False):
    ok = x < target if strict else x <= target
    return f"{x:.2f} ({'meets' if ok else 'MISSES'} {'<' if strict else '≤'} {target:g})"


def row(label, runs, wall="wall", cpu="cpu", rss=True, size=True):
    b, m = best_med(col(runs, wall))
    c = min(col(runs, cpu)) if col(runs, cpu) else None
    r = statistics.median(col(runs, "rss_kb")) if rss else None
    sz = runs[-1].get("bytes") if size else None
    return (f"| {label} | {f3(b)} | {f3(m)} | {f3(c)} | "
            f"{'' if r is None else f'{shared.mb_kib(r):.0f}'} | {mb(sz)} |")


HEAD = ["| measure | best s | median s | best CPU s | peak RSS MB (median) | output MB |",
        "|---|---:|---:|---:|---:|---:|"]


def tables(a, res):
    model_bytes = os.path.getsize(a.model)
    cv, dp = res["convert"], res["dump"]
    L = []

    # 1. convert vs joblib.dump compress=3
    cv_b, cv_m = best_med(col(cv, "wall"))
    cv_c = min(col(cv, "cpu"))
    dc_b, dc_m = best_med(col(dp, "dump_s"))
    dc_c = min(col(dp, "dump_cpu_s"))
    dw_b, dw_m = best_med(col(dp, "wall"))
    dw_c = min(col(dp, "cpu"))
    h5_size, z3_size = cv[-1]["bytes"], dp[-1]["bytes"]
    dump_peak = col(dp, "dump_peak_kb")
    L += ["## 1. `modelconv convert` vs `joblib.dump(model, f, compress=3)`", ""] + HEAD
    L.append(row("modelconv convert MODEL out.h5 (whole process, default deflate:4)", cv))
    L.append(row("joblib.dump(…, compress=3) call alone, in-process, model loaded", dp,
                 wall="dump_s", cpu="dump_cpu_s", rss=False))
    L.append(row("python whole process: start + imports + joblib.load + joblib.dump", dp))
    L += ["",
          "| ratio (modelconv / python) | best wall | median wall | best CPU | file size |",
          "|---|---|---|---|---|",
          f"| convert vs the dump call (the claim) | {verdict(cv_b / dc_b, 1, strict=True)} | "
          f"{cv_m / dc_m:.2f} | {cv_c / dc_c:.2f} | {verdict(h5_size / z3_size, 1, strict=True)} |",
          f"| convert vs python's whole process | {cv_b / dw_b:.2f} | {cv_m / dw_m:.2f} | "
          f"{cv_c / dw_c:.2f} | |",
          ""]
    L.append(f"out.h5 {h5_size:,} bytes, joblib compress=3 {z3_size:,} bytes.  "
             f"Python's RSS just before the dump {shared.mb_kib(statistics.median(col(dp, 'rss_before_dump_kb'))):.0f} MB"
             + (f", peak during the dump call {shared.mb_kib(statistics.median(dump_peak)):.0f} MB"
                if dump_peak else "") + ".")
    L.append("")

    # 2. memory
    rss = col(cv, "rss_kb")
    ratio_max = max(rss) * 1024 / model_bytes
    L += ["## 2. Peak RSS of `modelconv convert` vs the uncompressed model", "",
          f"Model file {model_bytes / 1e6:.1f} MB; convert's peak RSS {shared.mb_kib(min(rss)):.0f}–"
          f"{shared.mb_kib(max(rss)):.0f} MB over {len(rss)} runs (median "
          f"{shared.mb_kib(statistics.median(rss)):.0f} MB).  Ratio, worst run: "
          f"**{verdict(ratio_max, RSS_TARGET, strict=True)}**; "
          f"`--compress none` {shared.mb_kib(max(col(res['none'], 'rss_kb'))) * 1e6 / model_bytes:.2f}, "
          f"deflate:9 {shared.mb_kib(max(col(res['d9'], 'rss_kb'))) * 1e6 / model_bytes:.2f}, "
          f".h5 → .h5 {shared.mb_kib(max(col(res['h5h5'], 'rss_kb'))) * 1e6 / model_bytes:.2f}.  "
          f"For reference, the Python process that loads and dumps peaks at "
          f"{shared.mb_kib(max(col(dp, 'rss_kb'))) * 1e6 / model_bytes:.2f}× (joblib.load's peak), "
          f"`modelconv validate` at "
          f"{shared.mb_kib(max(col(res['validate'], 'rss_kb'))) * 1e6 / model_bytes:.2f}×.", ""]

    # 3. predict
    ph, pj, pp = res["pred_h5"], res["pred_jl"], res["pred_py"]
    ph_b, ph_m = best_med(col(ph, "wall"))
    pj_b, pj_m = best_med(col(pj, "wall"))
    ph_c, pj_c = min(col(ph, "cpu")), min(col(pj, "cpu"))
    ch = res["checks"]
    n_rows = a.rows_shape
    L += [f"## 3. `modelconv predict` from the .h5 vs from the .joblib ({n_rows} rows)", ""] + HEAD
    L.append(row("modelconv predict ref.h5 ROWS -o OUT.npy (whole process)", ph, size=False))
    L.append(row("modelconv predict MODEL.joblib ROWS -o OUT.npy (whole process)", pj, size=False))
    L.append(row("modelconv predict ref-none.h5 (`--compress none`, whole process)",
                 res["pred_none"], size=False))
    L.append(row("python whole process: start + imports + joblib.load + predict + np.save", pp,
                 size=False))
    L.append(row("  of which joblib.load, in-process", pp, wall="load_s", cpu="nonexistent",
                 rss=False, size=False))
    L.append(row("  of which est.predict(X), in-process", pp, wall="predict_s", cpu="predict_cpu_s",
                 rss=False, size=False))
    L += ["",
          f"Ratio .h5 / .joblib: best wall **{verdict(ph_b / pj_b, PREDICT_TARGET)}**, median "
          f"{ph_m / pj_m:.2f}, best CPU {ph_c / pj_c:.2f}, peak RSS "
          f"{statistics.median(col(ph, 'rss_kb')) / statistics.median(col(pj, 'rss_kb')):.2f}.", "",
          "Outputs: modelconv from .h5 and from .joblib "
          f"{'byte-identical files' if ch['predict_h5_eq_joblib_file'] else 'DIFFERENT FILES'} "
          f"(from the uncompressed .h5: "
          f"{'identical' if ch['predict_none_eq_joblib_file'] else 'DIFFERENT'}); "
          f"their data vs scikit-learn's np.save: "
          f"{'identical' if ch['predict_mc_eq_sklearn_data'] and ch['predict_h5_eq_sklearn_data'] else 'DIFFERENT'}"
          f" (whole .npy file incl. header: "
          f"{'identical' if ch['predict_mc_eq_sklearn_file'] else 'different'}).", ""]

    # 4. compression levels, .h5 -> .h5, validate
    L += ["## 4. Compression levels, .h5 → .h5, validate", "",
          "| measure | file MB | size / joblib z3 | best s | median s | best CPU s "
          "| peak RSS MB | time / default |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, label in (("none", "`--compress none`"), ("d1", "`--compress deflate:1`"),
                       ("convert", "default (`deflate:4`)"), ("d9", "`--compress deflate:9`"),
                       ("h5h5", ".h5 → .h5 (default), from ref.h5")):
        runs = res[key]
        b, m = best_med(col(runs, "wall"))
        L.append(f"| {label} | {mb(runs[-1]['bytes'])} | {runs[-1]['bytes'] / z3_size:.3f} | "
                 f"{f3(b)} | {f3(m)} | {f3(min(col(runs, 'cpu')))} | "
                 f"{shared.mb_kib(statistics.median(col(runs, 'rss_kb'))):.0f} | {b / cv_b:.2f} |")
    L.append(f"| joblib.dump compress=3 (call alone) | {mb(z3_size)} | 1.000 | {f3(dc_b)} | "
             f"{f3(dc_m)} | {f3(dc_c)} | | {dc_b / cv_b:.2f} |")
    vb, vm = best_med(col(res["validate"], "wall"))
    L.append(f"| `modelconv validate MODEL` | | | {f3(vb)} | {f3(vm)} | "
             f"{f3(min(col(res['validate'], 'cpu')))} | "
             f"{shared.mb_kib(statistics.median(col(res['validate'], 'rss_kb'))):.0f} | |")
    same = ch["convert_same_as_ref"]
    h5h5 = ch["h5h5_same_as_ref"]
    L += ["",
          f"- .h5 → .h5: {sum(h5h5)}/{len(h5h5)} outputs byte-identical to ref.h5"
          f" ({'ok' if all(h5h5) else 'DIFFERENT'}).",
          f"- Default convert is deterministic: {sum(same)}/{len(same)} outputs byte-identical to "
          f"the warm-up's ref.h5.",
          f"- validate: exit {ch['validate_rc']} ({'faithful' if ch['validate_rc'] == [0] else 'NOT faithful'}); "
          f"last lines: {' / '.join(ch['validate_tail'])}", ""]
    return L


def render(path):
    """Rewrite the tables of a results .md from its .json (after a change to
    the table code); the header lines are the run's own."""
    with open(path) as f:
        saved = json.load(f)
    a = argparse.Namespace(**saved["args"])
    md = saved["header"] + tables(a, saved["results"])
    text = "\n".join(md)
    with open(os.path.splitext(path)[0] + ".md", "w") as f:
        f.write(text + "\n")
    print(text)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        return render(sys.argv[2])
    ap = argparse.ArgumentParser(epilog="convert.py --render RESULTS.json: redo the tables")
    ap.add_argument("--modelconv", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--rows", required=True)
    ap.add_argument("--work", required=True, help="directory for the outputs (same disk as MODEL)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gap", type=float, default=0.0)
    ap.add_argument("--out")
    ap.add_argument("model")
    a = ap.parse_args()
    if a.runs < 3:
        sys.exit("convert.py: --runs must be at least 3")

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    os.makedirs(a.work, exist_ok=True)
    w = {k: os.path.join(a.work, v) for k, v in (
        ("ref", "ref.h5"), ("ref_none", "ref-none.h5"), ("out", "out.h5"), ("none", "none.h5"),
        ("d1", "d1.h5"), ("d9", "d9.h5"), ("h5h5", "again.h5"), ("dump", "dump.z3.joblib"),
        ("pred_h5", "pred_h5.npy"), ("pred_none", "pred_none.npy"),
        ("pred_jl", "pred_joblib.npy"), ("pred_py", "pred_sklearn.npy"))}
    a.rows_shape = shared.run([a.python, "-c", f"import numpy; x = numpy.load({a.rows!r}); "
                               "print(f'{x.shape[0]} x {x.shape[1]} {x.dtype}')"],
                              capture=True)[3].strip()
    started = datetime.datetime.now()
    load_before = os.getloadavg()
    res = run_all(a, w, log)
    load_after = os.getloadavg()
    res["loadavg_before"], res["loadavg_after"] = load_before, load_after

    rounds_load = [x[0] for x in res["loadavg_rounds"]]
    md = [f"# modelconv convert vs joblib.dump — {started:%Y-%m-%d %H:%M}", ""]
    md += shared.machine_notes(a)
    md += [f"- model: {a.model} ({os.path.getsize(a.model):,} bytes); rows: {a.rows} ({a.rows_shape})",
           f"- outputs in {a.work} (same file system as the model); sync() before every run",
           f"- load average (1/5/15 min) {' '.join(f'{x:.2f}' for x in load_before)} before, "
           f"{' '.join(f'{x:.2f}' for x in load_after)} after; 1-min at the start of each "
           f"round: {', '.join(f'{x:.2f}' for x in rounds_load)} (2 CPUs: above ~1 means another "
           "job shared the machine)",
           "",
           f"Best and median of {a.runs} rounds (each round runs every measurement once, in reverse "
           "order every other round), wall-clock seconds; best CPU = the least user+sys seconds; "
           "peak RSS from wait4 of each child; MB = 10^6 bytes.  Compare ratios within this run, "
           "never seconds across runs.", ""]
    header = md
    md = header + tables(a, res)
    text = "\n".join(md)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
        with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
            json.dump({"args": vars(a), "header": header, "results": res}, f, indent=1)
        log(f"== wrote {a.out}")


if __name__ == "__main__":
    main()
