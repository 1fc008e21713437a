#!/usr/bin/env python3
"""Make the small fixture files in tests/data/container/ for test_container.c
and test_npy.c.

Run it with both pinned environments (each writes only its own files):

    /work/venvs/new/bin/python tests/data/make_container_fixtures.py   # numpy 2.4, joblib 1.6, lz4
    /work/venvs/old/bin/python tests/data/make_container_fixtures.py   # numpy 1.24, joblib 1.1

Everything is deterministic (fixed data, gzip mtime 0), so rerunning gives
the same bytes.  Files (prefix np2_/np1_ = the numpy major that wrote them):

  joblib containers (the payload is joblib.dump of ARRAY, np.arange(64.0)):
    <p>array.joblib            uncompressed, the reference for every other one
    <p>array.joblib.{z,gz,bz2,lzma,xz}   joblib.dump(compress=(method, 3))
    np2_array.joblib.lz4       (new environment only: needs the lz4 package)
    np2_array.zf               joblib < 0.10 Z-file (numpy_pickle_compat.write_zfile)
    np2_array_space.zf         the python2 joblib <= 0.8.4 variant (20-char length field)
  .npy files (np.save unless said otherwise):
    <p>f8_2x3.npy              np.arange(6.0).reshape(2, 3)
    <p>f8_fortran.npy          the same, Fortran order
    <p>i4_be.npy               np.arange(5, dtype='>i4')
    <p>struct.npy              fields a <f8, b <i4 (2,), (title, c) |u1, nested {x <f4, y <i2}
    <p>struct_pad.npy          offsets with gaps: descr has ('', '|V6') padding entries
    <p>u5.npy                  ['ab', 'cde', ''] as <U5
    <p>s3.npy, b1.npy, c16.npy, m8ns.npy, scalar.npy (0-d 3.5), empty.npy (0,), empty2.npy (2, 0)
    <p>object.npy              object array (allow_pickle: the data is a pickle)
    np2_v2.npy                 format version 2.0 (lib.format.write_array version=(2, 0))
    np2_v3.npy                 version 3.0 (a non-latin-1 field name forces utf-8)
"""
import gzip
import io
import os
import pickle
import sys

import numpy as np
import joblib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "container")
PREFIX = "np%d_" % int(np.__version__.split(".")[0])
NEW = PREFIX == "np2_"


def path(name):
    return os.path.join(OUT, PREFIX + name)


def save(name, arr, **kw):
    np.save(path(name), arr, **kw)


def main():
    os.makedirs(OUT, exist_ok=True)
    array = np.arange(64.0)

    # --- joblib containers ---------------------------------------------------
    joblib.dump(array, path("array.joblib"), compress=0)
    for method, ext in [("zlib", "z"), ("gzip", "gz"), ("bz2", "bz2"), ("lzma", "lzma"), ("xz", "xz")]:
        joblib.dump(array, path("array.joblib." + ext), compress=(method, 3))
    if NEW:
        joblib.dump(array, path("array.joblib.lz4"), compress=("lz4", 3))
        # gzip writes an mtime; joblib's BinaryGzipFile uses 0 already, check it.
        with open(path("array.joblib.gz"), "rb") as f:
            assert f.read(8)[4:8] == b"\0\0\0\0"
        # Z-files: the payload is any byte string; use the uncompressed dump.
        from joblib import numpy_pickle_compat as compat

        with open(path("array.joblib"), "rb") as f:
            payload = f.read()
        with open(path("array.zf"), "wb") as f:
            compat.write_zfile(f, payload)
        import zlib

        with open(path("array_space.zf"), "wb") as f:
            f.write(b"ZF" + ("0x%x" % len(payload)).ljust(20).encode() + zlib.compress(payload))
        # Both must load with joblib's own reader.
        for name in ("array.zf", "array_space.zf"):
            with open(path(name), "rb") as f:
                assert compat.read_zfile(f) == payload

    # --- .npy ----------------------------------------------------------------
    a = np.arange(6.0).reshape(2, 3)
    save("f8_2x3.npy", a)
    save("f8_fortran.npy", np.asfortranarray(a))
    save("i4_be.npy", np.arange(5, dtype=">i4"))
    st = np.dtype([("a", "<f8"), ("b", "<i4", (2,)), (("title", "c"), "|u1"),
                   ("nested", [("x", "<f4"), ("y", "<i2")])])
    s = np.zeros(3, dtype=st)
    s["a"] = [1.5, 2.5, 3.5]
    s["b"] = [[1, 2], [3, 4], [5, 6]]
    s["c"] = [7, 8, 9]
    s["nested"]["x"] = [0.25, 0.5, 0.75]
    s["nested"]["y"] = [-1, -2, -3]
    save("struct.npy", s)
    pad = np.dtype({"names": ["a", "b"], "formats": ["<i2", "<f8"], "offsets": [0, 8], "itemsize": 24})
    p = np.zeros(2, dtype=pad)
    p["a"] = [1, 2]
    p["b"] = [0.5, 1.5]
    save("struct_pad.npy", p)
    save("u5.npy", np.array(["ab", "cde", ""], dtype="<U5"))
    save("s3.npy", np.array([b"ab", b"xyz"], dtype="|S3"))
    save("b1.npy", np.array([True, False, True]))
    save("c16.npy", np.array([1 + 2j, -3.5j]))
    save("m8ns.npy", np.array(["2020-01-02T03:04:05", "NaT"], dtype="<M8[ns]"))
    save("scalar.npy", np.array(3.5))
    save("empty.npy", np.zeros((0,), "<f8"))
    save("empty2.npy", np.zeros((2, 0), "<i8"))
    save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
    if NEW:
        with open(path("v2.npy"), "wb") as f:
            np.lib.format.write_array(f, np.arange(4, dtype="<i2"), version=(2, 0))
        save("v3.npy", np.array([(1.0, 2)], dtype=[("\u03a9", "<f8"), ("n", "<i4")]))
        with open(path("v3.npy"), "rb") as f:
            assert f.read(8) == b"\x93NUMPY\x03\x00"

    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print("wrote %s* into %s (directory now %d bytes)" % (PREFIX, OUT, total))


if __name__ == "__main__":
    sys.exit(main())
