#!/usr/bin/env python3
"""A/B two (or more) modelconv builds on one file, alternating runs so load
from other processes hits them alike.

    python3 bench/ab.py FILE BIN_A BIN_B [...] [--runs 8] [--gap 0] [--args "inspect"]

--gap S sleeps S seconds before every run.  On a VM whose balloon driver
reports free memory to the host (virtio-balloon free page reporting, see
README), memory freed a few seconds ago costs host faults when it is touched
again, so back-to-back runs (gap 0) and a cold start (gap 3+) can differ a
lot.  Prints best and median wall time, best user and sys CPU, and minor
page faults per binary.  Standard library only.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("bins", nargs="+")
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--gap", type=float, default=0.0)
    ap.add_argument("--args", default="inspect", help='subcommand and options (default "inspect")')
    a = ap.parse_args()
    res = {b: [] for b in a.bins}
    for b in a.bins:  # warm-up, page cache
        subprocess.run([b, *shlex.split(a.args), a.file], stdout=subprocess.DEVNULL, check=True)
    for _ in range(a.runs):
        for b in a.bins:
            if a.gap:
                time.sleep(a.gap)
            t0 = time.perf_counter()
            p = subprocess.Popen([b, *shlex.split(a.args), a.file], stdout=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
            if p.returncode != 0:
                raise SystemExit(f"{b}: exit {p.returncode}")
            res[b].append((wall, ru.ru_utime, ru.ru_stime, ru.ru_minflt, ru.ru_maxrss))
    print(f"{a.file}: {a.runs} runs each, gap {a.gap:g} s, load average {os.getloadavg()[0]:.2f}")
    print(f"{'binary':50} {'best s':>7} {'median':>7} {'user':>6} {'sys':>6} {'faults':>8} {'RSS MB':>7}")
    for b, rows in res.items():
        w = [r[0] for r in rows]
        print(f"{b:50} {min(w):7.3f} {statistics.median(w):7.3f} {min(r[1] for r in rows):6.3f} "
              f"{min(r[2] for r in rows):6.3f} {int(statistics.median(r[3] for r in rows)):8d} "
              f"{statistics.median(r[4] for r in rows) * 1024 / 1e6:7.0f}")


if __name__ == "__main__":
    main()
