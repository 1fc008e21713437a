#!/usr/bin/env python3
"""Harness for bench/run.sh: time and measure modelconv against joblib.load
on the same files in one run, print a table and write it as Markdown.

    bench.py --modelconv BIN --python VENV_PY --inflate BIN [--runs N]
             [--gap SECONDS] [--out FILE.md] PLAIN.joblib Z3.joblib

Standard library only; every measured program is a child process, and a
child's peak RSS comes from wait4()'s rusage (ru_maxrss, KiB), i.e. the
resident peak of that one process.  Times are wall-clock (perf_counter);
CPU is user+sys (rusage, or process_time in-process).
MB = 10^6 bytes throughout.
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
PYLOAD = os.path.join(HERE, "pyload.py")

# The claims under test: (time ratio, RSS ratio or None) per kind of file.
TARGETS = {"plain": (1 / 3, 0.5), "z3": (0.60, None)}


def run(argv, capture=False):
    """Run argv; return (wall s, peak RSS KiB, exit code, stdout, stderr, cpu s)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                             stdout=out if capture else subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (wall, ru.ru_maxrss, p.returncode,
                out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                ru.ru_utime + ru.ru_stime)


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def mb_kib(kib):
    return kib * 1024 / 1e6


def stats(xs):
    return min(xs), statistics.median(xs)


def kind_of(path):
    return "z3" if ".z3." in os.path.basename(path) or path.endswith(".z") else "plain"


def measure_file(args, path, log):
    res = {"file": path, "bytes": os.path.getsize(path), "kind": kind_of(path)}
    warm(path)
    # modelconv: one warm-up run (also the correctness check), then RUNS of
    # each output mode, interleaved with the Python one-shot processes so slow
    # drifts of the machine hit both sides alike.
    res["loadavg_before"] = os.getloadavg()
    wall, rss, rc, _, err, _ = run([args.modelconv, "inspect", path])
    if rc != 0:
        res["modelconv_error"] = f"exit {rc}: {err.strip()}"
        log(f"  modelconv inspect FAILED ({res['modelconv_error']})")
    mc_text, mc_json, py_proc = [], [], []
    gap = lambda: args.gap and time.sleep(args.gap)  # noqa: E731
    for i in range(args.runs):
        if "modelconv_error" not in res:
            gap()
            w, r, rc, _, err, c = run([args.modelconv, "inspect", path])
            mc_text.append((w, r, c))
            gap()
            w, r, rc2, _, err2, c = run([args.modelconv, "inspect", "--json", path])
            if rc2 != 0:
                res["modelconv_json_error"] = f"exit {rc2}: {err2.strip()}"
            mc_json.append((w, r, c))
        gap()
        w, r, rc, out, err, c = run([args.python, PYLOAD, "once", path], capture=True)
        if rc != 0:
            sys.exit(f"bench.py: joblib.load failed on {path}: {err}")
        info = json.loads(out)
        py_proc.append((w, r, info["rss_before_load_kb"], info["load_s"], c, info["load_cpu_s"]))
        log(f"  run {i + 1}/{args.runs}: modelconv {mc_text[-1][0] if mc_text else float('nan'):.3f} s, "
            f"python process {w:.3f} s (load {info['load_s']:.3f} s)")
    _, _, rc, out, err, _ = run([args.python, PYLOAD, "time", path, str(args.runs),
                                 str(args.gap)], capture=True)
    if rc != 0:
        sys.exit(f"bench.py: joblib.load timing failed on {path}: {err}")
    timed = json.loads(out)
    res["joblib_load_s"] = timed["times"]
    res["joblib_load_cpu_s"] = timed["cpu"]
    res["loadavg_after"] = os.getloadavg()
    res["mc_text"] = mc_text
    res["mc_json"] = mc_json
    res["py_proc"] = py_proc
    return res


def inflate_rows(args, path, log):
    rows = []
    _, _, rc, out, err, _ = run([args.inflate, path, str(args.runs)], capture=True)
    if rc != 0:
        log(f"  inflate FAILED: {err.strip()}")
        return rows
    for line in out.splitlines():
        name, n_out, n_in, best, med, _, cpu = line.split("\t")
        rows.append(("C " + name, int(n_out), float(best), float(med), float(cpu)))
    _, _, rc, out, err, _ = run([args.python, PYLOAD, "zlib", path, str(args.runs)], capture=True)
    if rc != 0:
        log(f"  python zlib FAILED: {err.strip()}")
        return rows
    z = json.loads(out)
    for key, label in (("decompress", "Python zlib.decompress"),
                       ("decompressobj_64k", "Python zlib.decompressobj, 64 KiB input chunks")):
        best, med = stats(z[key])
        rows.append((label, z["out_bytes"], best, med, min(z[key + "_cpu"])))
    return rows


def fmt_ratio(x, target):
    if x is None:
        return "—"
    if target is None:
        return f"{x:.2f}"
    return f"{x:.2f} ({'meets' if x <= target else 'MISSES'} ≤ {target:.2f})"


def read_table(res):
    tgt_t, tgt_m = TARGETS[res["kind"]]
    jl_best, jl_med = stats(res["joblib_load_s"])
    pp = res["py_proc"]
    pw_best, pw_med = stats([x[0] for x in pp])
    py_rss = statistics.median([x[1] for x in pp])
    py_before = statistics.median([x[2] for x in pp])
    one_best, one_med = stats([x[3] for x in pp])
    jl_cpu = min(res["joblib_load_cpu_s"])
    rows = [
        ("joblib.load, in-process (the claim's reference)", jl_best, jl_med,
         jl_cpu, None, None, None, None),
        ("joblib.load, in a fresh interpreter (first load: imports sklearn)", one_best, one_med,
         min(x[5] for x in pp), None, None, None, None),
        ("python whole process: interpreter + imports + load", pw_best, pw_med,
         min(x[4] for x in pp), py_rss, None, None, None),
        ("  of which RSS before the load (interpreter + joblib/numpy)", None, None, None,
         py_before, None, None, None),
        ("  joblib.load's own increment (peak − before)", None, None, None,
         py_rss - py_before, None, None, None),
    ]
    for key, label in (("mc_text", "modelconv inspect FILE > /dev/null (whole process)"),
                       ("mc_json", "modelconv inspect --json FILE (whole process)")):
        if not res[key]:
            rows.append((label + ": " + res.get("modelconv_error", "not run"),
                         None, None, None, None, None, None, None))
            continue
        b, m = stats([x[0] for x in res[key]])
        r = statistics.median([x[1] for x in res[key]])
        c = min(x[2] for x in res[key])
        rows.append((label, b, m, c, r, b / jl_best, c / jl_cpu, r / py_rss))
    lines = [
        "| measure | best s | median s | best CPU s | peak RSS MB "
        "| time ratio vs joblib.load | CPU ratio | RSS ratio vs python process |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]

    def num(x, f="{:.3f}"):
        return "" if x is None else f.format(x)

    for label, b, m, c, r, tr, cr, mr in rows:
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} |".format(
            label, num(b), num(m), num(c), "" if r is None else f"{mb_kib(r):.0f}",
            "" if tr is None else fmt_ratio(tr, tgt_t),
            "" if cr is None else f"{cr:.2f}",
            "" if mr is None else fmt_ratio(mr, tgt_m)))
    if res["mc_text"]:
        mc_best = min(x[0] for x in res["mc_text"])
        lines += ["", f"Whole process against whole process (what a user waits for): modelconv "
                  f"{mc_best:.3f} s, python {pw_best:.3f} s, ratio {mc_best / pw_best:.3f}."]
    la, lb = res["loadavg_before"], res["loadavg_after"]
    lines += ["", f"Load average (1 min) {la[0]:.2f} before, {lb[0]:.2f} after this file "
              f"(2 CPUs: above ~1 means another job shared the machine)."]
    if res.get("modelconv_json_error"):
        lines.append(f"\nmodelconv inspect --json failed: {res['modelconv_json_error']}")
    return lines


def machine_notes(args):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1e6:.1f} GB"
    except OSError:
        pass
    ver = run([args.modelconv, "--version"], capture=True)[3].strip()
    rev = "?"
    try:
        rev = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip() or "?"
        dirty = subprocess.run(["git", "-C", HERE, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        if dirty:
            rev += " + uncommitted changes"
    except OSError:
        pass
    pyver = run([args.python, "-c",
                 "import sys,sklearn,numpy,joblib;print(sys.version.split()[0],sklearn.__version__,"
                 "numpy.__version__,joblib.__version__)"], capture=True)[3].split()
    return [
        f"- machine: {os.cpu_count()} CPUs ({cpu}), {mem} RAM, Linux {platform.release()}",
        f"- {ver}: {args.modelconv}, source tree {rev}",
        f"- Python {pyver[0]}, scikit-learn {pyver[1]}, numpy {pyver[2]}, joblib {pyver[3]}"
        if len(pyver) == 4 else "- Python: ?",
        f"- {args.runs} measured runs per number after one warm-up; page cache hot for both sides",
        f"- gap before every measured run: {args.gap:g} s"
        + (" (back to back)" if not args.gap else
           " (memory freed by the previous run has been handed back to the VM's host)"),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modelconv", required=True)
    ap.add_argument("--python", required=True, help="the venv's python (joblib, sklearn)")
    ap.add_argument("--inflate", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gap", type=float, default=0.0,
                    help="seconds to sleep before every measured run (cold memory; see README)")
    ap.add_argument("--out")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.runs < 3:
        sys.exit("bench.py: --runs must be at least 3")

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    started = datetime.datetime.now()
    md = [f"# modelconv vs joblib.load — read benchmark, {started:%Y-%m-%d %H:%M}", ""]
    md += machine_notes(args)
    md += ["", "Best of N wall-clock seconds (median beside it), peak RSS of one process "
           "(median over runs, from wait4), MB = 10^6 bytes.  Time ratio = modelconv's best "
           "whole-process time / joblib.load's best in-process time; CPU ratio = the same with "
           "user+sys CPU seconds, steadier when other jobs share the machine; RSS ratio = "
           "modelconv's peak / the peak of a python process that does one joblib.load.", ""]
    results = []
    for path in args.files:
        log(f"== {path}")
        res = measure_file(args, path, log)
        results.append(res)
        title = {"plain": "uncompressed joblib", "z3": "joblib compress=3 (zlib)"}[res["kind"]]
        md += [f"## {os.path.basename(path)} — {title}, {res['bytes'] / 1e6:.1f} MB", ""]
        md += read_table(res)
        md.append("")
        if res["kind"] == "z3":
            log(f"== inflate {path}")
            rows = inflate_rows(args, path, log)
            res["inflate"] = rows
            if rows:
                md += [f"### Raw inflate of its zlib stream ({rows[0][1] / 1e6:.1f} MB out)", "",
                       "| method | best s | median s | best CPU s | MB/s of output (best) "
                       "| MB/s by CPU time |",
                       "|---|---:|---:|---:|---:|---:|"]
                for label, n_out, best, med, cpu in rows:
                    md.append(f"| {label} | {best:.3f} | {med:.3f} | {cpu:.3f} "
                              f"| {n_out / 1e6 / best:.0f} | {n_out / 1e6 / cpu:.0f} |")
                best_of = {label: best for label, _, best, _, _ in rows}
                floor = best_of.get("C libdeflate-fresh")
                thp = best_of.get("C libdeflate-fresh-thp")
                if floor and res["mc_text"]:
                    mc = min(x[0] for x in res["mc_text"])
                    md += ["", f"modelconv inspect's best whole-process time is {mc / floor:.2f}× "
                           f"libdeflate's inflate into a fresh mapping with 4 KiB pages ({mc:.3f} s "
                           f"vs {floor:.3f} s)."]
                    pre = best_of.get("C libdeflate-fresh-prefault")
                    if thp and pre:
                        md += ["", f"The page faults on that buffer are the part above the "
                               f"floor: with transparent huge pages on it libdeflate takes "
                               f"{thp:.3f} s, with a second thread prefaulting it "
                               f"(MADV_POPULATE_WRITE) {pre:.3f} s, into a reused buffer "
                               f"{best_of.get('C libdeflate', float('nan')):.3f} s; the touch-* "
                               "rows are the faults alone."]
                md.append("")
    text = "\n".join(md) + "\n"
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)
        with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
            json.dump(results, f, indent=1)
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
