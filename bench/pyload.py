#!/usr/bin/env python3
"""Child side of bench/bench.py: runs inside bench/.venv and prints one JSON
object on stdout.

    pyload.py time FILE RUNS [GAP]  one warm-up joblib.load, then RUNS timed ones
                               (perf_counter and process_time around the
                               call only); the
                               result is dropped and gc'd between runs
    pyload.py once FILE        one joblib.load in a fresh interpreter: the
                               parent takes this process's wall time and peak
                               RSS (wait4); we add RSS just before the load
                               (interpreter + joblib/numpy imported) and the
                               in-process load time
    pyload.py zlib FILE RUNS   zlib.decompress(whole file) and a streaming
                               decompressobj over 64 KiB input chunks, best
                               of RUNS each
"""
import sys
import time


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "time":
        import gc
        import joblib
        runs = int(sys.argv[3])
        gap = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
        gc.collect()
        m = joblib.load(path)  # warm-up: imports sklearn, page cache
        del m
        gc.collect()
        times, cpu = [], []
        for _ in range(runs):
            if gap:
                time.sleep(gap)
            c0, t0 = time.process_time(), time.perf_counter()
            m = joblib.load(path)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            del m
            gc.collect()
        print(json_dumps({"times": times, "cpu": cpu}))
    elif mode == "once":
        t_start = time.perf_counter()
        import joblib
        import numpy  # noqa: F401  (joblib imports it anyway)
        before = rss_kb()
        c0, t0 = time.process_time(), time.perf_counter()
        m = joblib.load(path)
        load_s = time.perf_counter() - t0
        load_cpu_s = time.process_time() - c0
        print(json_dumps({"rss_before_load_kb": before, "load_s": load_s, "load_cpu_s": load_cpu_s,
                          "import_s": t0 - t_start, "type": type(m).__name__}))
    elif mode == "zlib":
        import zlib
        runs = int(sys.argv[3])
        with open(path, "rb") as f:
            data = f.read()
        out_len = len(zlib.decompress(data))  # warm-up
        mv = memoryview(data)

        def one_shot():
            del_me = zlib.decompress(data)
            del del_me

        def streaming():
            d = zlib.decompressobj()
            n = 0
            for i in range(0, len(mv), 65536):
                n += len(d.decompress(mv[i:i + 65536]))
            n += len(d.flush())
            assert n == out_len

        res = {"out_bytes": out_len, "in_bytes": len(data)}
        # round-robin, like inflate.c, so load bursts hit both alike
        for _ in range(runs):
            for key, fn in (("decompress", one_shot), ("decompressobj_64k", streaming)):
                c0, t0 = time.process_time(), time.perf_counter()
                fn()
                res.setdefault(key, []).append(time.perf_counter() - t0)
                res.setdefault(key + "_cpu", []).append(time.process_time() - c0)
        print(json_dumps(res))
    else:
        sys.exit("pyload.py: unknown mode " + mode)


def json_dumps(obj):
    import json
    return json.dumps(obj)


if __name__ == "__main__":
    main()
