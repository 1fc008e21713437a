#!/usr/bin/env python3
"""h5py reads every archive modelconv writes (schemas/hdf5-layout.md).

    python tests/python/test_hdf5_interop.py --modelconv build/modelconv [--source .]

Converts every model of the committed corpus (samples/corpus/manifest.tsv,
kind=model) to .h5 with the built tool, a few also with --compress none,
then opens each with h5py and checks everything the layout names against
the layout and the family tables (schemas/families/*.md): the root's
provenance attributes, every model group's attributes and sections, class
sets, tensors (names, dtypes, shapes and their symbols), value groups and
datasets of every @kind with their attributes, hard-linked sharing, and the
storage rules (compact up to 4 KiB; chunked with shuffle, deflate and
fletcher32 above; contiguous without compression).  Every dataset is read
in full, so HDF5 itself decodes and checksums every chunk.

A plain script: prints one line per problem and exits 1 if there was any.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

FAMILY_ROW = re.compile(r"^\| `([a-z_0-9]+)` \| ([a-z0-9]+) \| `([^`]*)` \| (yes|no) \| .* \|$")
ELEM = {"float64": "<f8", "float32": "<f4", "int64": "<i8", "int32": "<i4",
        "uint32": "<u4", "uint8": "|u1", "str": None}
TASKS = {"regressor", "classifier", "transformer", "clusterer", "outlier_detector",
         "pipeline", "unknown"}
SOURCE_FORMATS = {"pickle", "joblib", "joblib-legacy", "hdf5", "onnx", ""}
COMPRESSORS = {"none", "zlib", "gzip", "bz2", "lzma", "xz", "lz4", ""}
CTORS = {"newobj", "newobj_ex", "reduce", "reconstructor", "pyx_unpickle", "inst"}
SEQ_KINDS = {"list", "tuple", "set", "frozenset"}
COMPACT_MAX = 4096


class Checker:
    def __init__(self, families, level):
        self.families = families
        self.level = level
        self.problems = []
        self.file = None
        self.seen = set()
        self.counts = {}

    def fail(self, where, what):
        self.problems.append("%s: %s: %s" % (self.file, where, what))

    def count(self, what):
        self.counts[what] = self.counts.get(what, 0) + 1

    # ---- HDF5 types ----------------------------------------------------------------

    def attr_type(self, obj, name):
        return obj.attrs.get_id(name).get_type()

    def is_vlen_utf8(self, tid):
        return (isinstance(tid, h5py.h5t.TypeStringID) and tid.is_variable_str()
                and tid.get_cset() == h5py.h5t.CSET_UTF8)

    def want_str_attr(self, obj, name, where, values=None):
        if name not in obj.attrs:
            self.fail(where, "attribute %s missing" % name)
            return None
        if not self.is_vlen_utf8(self.attr_type(obj, name)):
            self.fail(where, "attribute %s is not a variable-length UTF-8 string" % name)
            return None
        v = obj.attrs[name]
        if not isinstance(v, str):
            self.fail(where, "attribute %s reads as %r" % (name, type(v)))
            return None
        if values is not None and v not in values:
            self.fail(where, "attribute %s = %r" % (name, v))
        return v

    def want_i64_attr(self, obj, name, where):
        if name not in obj.attrs:
            self.fail(where, "attribute %s missing" % name)
            return None
        tid = self.attr_type(obj, name)
        if not tid.equal(h5py.h5t.STD_I64LE):
            self.fail(where, "attribute %s is not int64" % name)
        return int(obj.attrs[name])

    # ---- storage ---------------------------------------------------------------------

    def check_storage(self, d, where, nbytes):
        layout = d.id.get_create_plist().get_layout()
        if nbytes <= COMPACT_MAX:
            if layout != h5py.h5d.COMPACT:
                self.fail(where, "%d bytes but not compact" % nbytes)
            return
        if d.shape == () or self.level == 0:
            if layout != h5py.h5d.CONTIGUOUS or d.compression or d.shuffle or d.fletcher32:
                self.fail(where, "expected contiguous, unfiltered storage")
            return
        self.count("chunked datasets")
        if layout != h5py.h5d.CHUNKED or not d.shuffle or d.compression != "gzip" \
                or d.compression_opts != self.level or not d.fletcher32:
            self.fail(where, "expected chunks with shuffle, deflate %d and fletcher32 (got %s %s %s)"
                      % (self.level, d.chunks, d.compression, d.compression_opts))
            return
        dcpl = d.id.get_create_plist()
        filters = [dcpl.get_filter(i)[0] for i in range(dcpl.get_nfilters())]
        if filters != [h5py.h5z.FILTER_SHUFFLE, h5py.h5z.FILTER_DEFLATE,
                       h5py.h5z.FILTER_FLETCHER32]:
            self.fail(where, "filters in the order %s" % filters)

    # ---- the model ---------------------------------------------------------------------

    def check_root(self, f):
        w = "/"
        self.want_str_attr(f, "modelconv_format", w, {"modelconv model archive"})
        self.want_str_attr(f, "format_version", w, {"1.0"})
        self.want_str_attr(f, "modelconv_version", w)
        self.want_str_attr(f, "source_format", w, SOURCE_FORMATS)
        self.want_str_attr(f, "source_compressor", w, COMPRESSORS)
        p = self.want_i64_attr(f, "source_protocol", w)
        if p is not None and not -1 <= p <= 5:
            self.fail(w, "source_protocol %d" % p)
        for name in ("sklearn_version", "numpy_version_hint", "joblib_version_hint"):
            self.want_str_attr(f, name, w)
        if not isinstance(f.attrs.get("python2"), np.bool_):
            self.fail(w, "python2 is not h5py's boolean")
        self.check_model(f, "/")

    def check_model(self, g, where):
        family = self.want_str_attr(g, "@family", where)
        self.want_str_attr(g, "@estimator", where)
        self.want_str_attr(g, "@task", where, TASKS)
        self.want_i64_attr(g, "@n_features", where)
        self.want_i64_attr(g, "@n_outputs", where)
        for name in g:
            if name not in ("classes", "tensors", "params", "state", "children"):
                self.fail(where, "unexpected member %s" % name)
            elif len(g[name]) == 0 and not len(g[name].attrs):
                self.fail(where + name, "an empty group (the layout leaves those out)")
        if family == "passthrough":
            if len(g):
                self.fail(where, "a passthrough step with members")
            return
        if family not in self.families:
            self.fail(where, "family %r has no table" % family)
            return
        if "classes" in g:
            self.check_classes(g["classes"], where + "classes")
        self.check_tensors(g.get("tensors"), self.families[family], where + "tensors")
        for section in ("params", "state"):
            if section in g:
                self.check_named(g[section], where + section, is_dict=False)
        if "children" in g:
            kids = g["children"]
            for i in range(len(kids)):
                c = kids.get(str(i))
                if not isinstance(c, h5py.Group):
                    self.fail(where + "children", "child %d missing" % i)
                    continue
                self.want_str_attr(c, "@name", "%schildren/%d" % (where, i))
                self.check_model(c, "%schildren/%d/" % (where, i))

    def check_classes(self, g, where):
        for i in range(len(g)):
            d = g.get(str(i))
            w = "%s/%d" % (where, i)
            if not isinstance(d, h5py.Dataset) or d.ndim != 1:
                self.fail(w, "not a 1-d dataset")
                continue
            if not (d.dtype == np.dtype("<i8") or d.dtype == np.dtype("<f8")
                    or h5py.check_string_dtype(d.dtype)):
                self.fail(w, "class labels of dtype %s" % d.dtype)
            d[()]
            self.check_storage(d, w, d.size * (16 if d.dtype.kind == "O" else 8))
            self.count("class sets")

    def check_tensors(self, g, table, where):
        symbols = {}
        present = set() if g is None else set(g)
        for name in present:
            if name not in table:
                self.fail(where, "tensor %s is not in the family table" % name)
        for name, (dtype, shape, required) in table.items():
            if name not in present:
                if required:
                    self.fail(where, "required tensor %s missing" % name)
                continue
            d = g[name]
            w = "%s/%s" % (where, name)
            if ELEM[dtype] is None:
                if not h5py.check_string_dtype(d.dtype):
                    self.fail(w, "not strings")
            elif d.dtype != np.dtype(ELEM[dtype]):
                self.fail(w, "dtype %s, table says %s" % (d.dtype.str, dtype))
            dims = [s.strip() for s in shape.split(",")] if shape.strip() else []
            if len(dims) != d.ndim:
                self.fail(w, "shape %s, table says %r" % (d.shape, shape))
                continue
            for sym, n in zip(dims, d.shape):
                base, plus = (sym[:-2], 1) if sym.endswith("+1") else (sym, 0)
                if base.isdigit():
                    if int(base) != n:
                        self.fail(w, "dimension %d, table says %s" % (n, sym))
                elif symbols.setdefault(base, n - plus) != n - plus:
                    self.fail(w, "%s is %d here, %d elsewhere" % (base, n - plus, symbols[base]))
            data = d[()]
            self.check_storage(d, w, d.size * (16 if ELEM[dtype] is None else data.dtype.itemsize))
            self.count("tensors")

    # ---- values ----------------------------------------------------------------------------

    @staticmethod
    def escape(key):
        if key == "":
            return "%"
        if key == ".":
            return "%2E"
        out = []
        for i, c in enumerate(key):
            if c in "%/\0" or (c == "@" and i == 0):
                out.append("%%%02X" % ord(c))
            else:
                out.append(c)
        return "".join(out)

    def members(self, g):
        return [a for a in g.attrs if not a.startswith("@")] + list(g)

    def check_named(self, g, where, is_dict):
        if "@keys" not in g.attrs:
            self.fail(where, "no @keys")
            return
        tid = self.attr_type(g, "@keys")
        if not self.is_vlen_utf8(tid):
            self.fail(where, "@keys is not a list of UTF-8 strings")
        keys = [k if isinstance(k, str) else k.decode() for k in g.attrs["@keys"]]
        if len(keys) != len(self.members(g)):
            self.fail(where, "@keys names %d values, the group has %d" % (len(keys), len(self.members(g))))
        for k in keys:
            self.check_member(g, self.escape(k), where)

    def check_member(self, g, name, where):
        w = "%s/%s" % (where, name)
        if name in g.attrs:
            self.check_attr_value(g, name, w)
        elif name in g:
            if g.get(name, getlink=True).__class__ is not h5py.HardLink:
                self.fail(w, "not a hard link")
                return
            self.check_object(g[name], w)
        else:
            self.fail(w, "missing")

    def check_attr_value(self, g, name, where):
        v = g.attrs[name]
        tid = self.attr_type(g, name)
        ok = (isinstance(v, h5py.Empty) and v.dtype == np.uint8
              or isinstance(v, np.bool_)
              or isinstance(v, np.int64) and tid.equal(h5py.h5t.STD_I64LE)
              or isinstance(v, np.float64) and tid.equal(h5py.h5t.IEEE_F64LE)
              or isinstance(v, np.complex128)
              or isinstance(v, str) and self.is_vlen_utf8(tid))
        if not ok:
            self.fail(where, "value attribute of type %s" % type(v).__name__)
        self.count("attribute values")

    def check_object(self, obj, where):
        key = h5py.h5o.get_info(obj.id).addr
        if key in self.seen:
            self.count("hard links followed")
            return
        self.seen.add(key)
        kind = obj.attrs.get("@kind")
        if not isinstance(kind, str):
            self.fail(where, "no @kind")
            return
        self.count("@kind " + kind)
        if isinstance(obj, h5py.Group):
            self.check_group_value(obj, kind, where)
        else:
            self.check_dataset_value(obj, kind, where)

    def check_group_value(self, g, kind, where):
        if kind in SEQ_KINDS:
            for i in range(len(self.members(g))):
                self.check_member(g, str(i), where)
        elif kind == "dict":
            if "@class" in g.attrs:
                self.want_str_attr(g, "@class", where)
            self.check_named(g, where, is_dict=True)
        elif kind == "dict_items":
            for i in range(len(g)):
                pair = g.get(str(i))
                w = "%s/%d" % (where, i)
                if not isinstance(pair, h5py.Group) or set(self.members(pair)) != {"key", "value"}:
                    self.fail(w, "not a {key, value} group")
                    continue
                self.check_member(pair, "key", w)
                self.check_member(pair, "value", w)
        elif kind == "object":
            self.want_str_attr(g, "@class", where)
            self.want_str_attr(g, "@ctor", where, CTORS)
            if "@via" in g.attrs:
                self.want_str_attr(g, "@via", where)
            for m in self.members(g):
                if m not in ("args", "kwargs", "state", "list_items", "dict_items"):
                    self.fail(where, "object member %s" % m)
                else:
                    self.check_member(g, m, where)
        elif kind == "object_array":
            state = self.check_dtype_attrs(g, where)
            shape = g.attrs.get("@shape")
            if shape is None or np.asarray(shape).dtype != np.int64:
                self.fail(where, "@shape is not an int64 list")
                return
            self.want_str_attr(g, "@order", where, {"C", "F"})
            if state and "O" not in state["str"] and "fields" not in state:
                self.fail(where, "an object array of dtype %s" % state["str"])
            n = int(np.prod(shape)) if len(shape) else 1
            if n != len(self.members(g)):
                self.fail(where, "@shape says %d elements, %d members" % (n, len(self.members(g))))
            for i in range(n):
                self.check_member(g, str(i), where)
        elif kind == "numpy_scalar":
            self.check_dtype_attrs(g, where)
            self.check_member(g, "object", where)
        else:
            self.fail(where, "a group of @kind %s" % kind)

    def check_dtype_attrs(self, obj, where):
        s = self.want_str_attr(obj, "@dtype", where)
        state = self.want_str_attr(obj, "@dtype_state", where)
        try:
            state = json.loads(state)
        except (TypeError, ValueError):
            self.fail(where, "@dtype_state is not JSON")
            return None
        if state.get("str") != s:
            self.fail(where, "@dtype %r and @dtype_state %r disagree" % (s, state.get("str")))
        return state

    def numpy_dtype(self, state):
        """The numpy dtype a @dtype_state describes (as far as numpy spells it)."""
        if "fields" in state:
            return np.dtype({"names": [f["name"] for f in state["fields"]],
                             "formats": [self.numpy_dtype(f["dtype"]) for f in state["fields"]],
                             "offsets": [f["offset"] for f in state["fields"]],
                             "itemsize": int(state["str"][2:])})
        if "subarray" in state:
            return np.dtype((self.numpy_dtype(state["subarray"]["dtype"]),
                             tuple(state["subarray"]["shape"])))
        return np.dtype(state["str"])

    def expected_h5py_dtype(self, dt, got):
        """What h5py should read a dataset of numpy dtype dt as."""
        if dt.kind == "U":
            return got if h5py.check_string_dtype(got) else np.dtype((dt.byteorder + "u4", (dt.itemsize // 4,)))
        if dt.kind in "Mm":
            return np.dtype(dt.byteorder.replace("=", "<") + "i8")
        if dt.kind == "V" and not dt.names and dt.subdtype is None:
            return np.dtype("V%d" % dt.itemsize)
        if dt.kind in "fc" and dt.itemsize in (16, 32):
            return np.dtype("V%d" % dt.itemsize)
        if dt.names:
            return np.dtype({"names": list(dt.names),
                             "formats": [self.expected_h5py_dtype(dt.fields[n][0], dt.fields[n][0])
                                         for n in dt.names],
                             "offsets": [dt.fields[n][1] for n in dt.names],
                             "itemsize": dt.itemsize})
        return dt

    def check_dataset_value(self, d, kind, where):
        if kind in ("ndarray", "numpy_scalar"):
            state = self.check_dtype_attrs(d, where)
            if kind == "ndarray":
                self.want_str_attr(d, "@order", where, {"C", "F"})
                if "@subclass" in d.attrs:
                    self.want_str_attr(d, "@subclass", where)
            elif d.shape != ():
                self.fail(where, "a numpy scalar of shape %s" % (d.shape,))
            data = d[()]
            if state is None:
                return
            dt = self.numpy_dtype(state)
            want = self.expected_h5py_dtype(dt, d.dtype)
            if d.dtype != want and not (dt.kind == "c" and d.dtype.names == ("r", "i")):
                self.fail(where, "h5py reads dtype %s, @dtype %s wants %s" % (d.dtype, dt, want))
            item = 16 if h5py.check_string_dtype(d.dtype) else d.dtype.itemsize
            self.check_storage(d, where, d.size * item)
            self.count("ndarray elements read")
        elif kind in ("bytes", "bytearray"):
            if d.dtype != np.uint8 or d.ndim != 1:
                self.fail(where, "bytes of dtype %s, shape %s" % (d.dtype, d.shape))
            d[()]
            self.check_storage(d, where, d.size)
        elif kind in ("str", "bigint", "global", "dtype"):
            tid = d.id.get_type()
            if d.shape != () or not isinstance(tid, h5py.h5t.TypeStringID) or tid.is_variable_str():
                self.fail(where, "%s is not a scalar fixed-length string" % kind)
                return
            text = d[()]
            if kind == "bigint" and not re.fullmatch(rb"-?[0-9]+", text):
                self.fail(where, "bigint %r" % text)
            if kind == "global" and b"." not in text:
                self.fail(where, "global %r is not module.name" % text)
            if kind == "dtype":
                self.check_dtype_attrs(d, where)
        else:
            self.fail(where, "a dataset of @kind %s" % kind)


def load_families(source):
    families = {}
    folder = os.path.join(source, "schemas", "families")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md"):
            continue
        table = {}
        for line in open(os.path.join(folder, name), encoding="utf-8"):
            m = FAMILY_ROW.match(line.rstrip("\n"))
            if m:
                table[m.group(1)] = (m.group(2), m.group(3), m.group(4) == "yes")
        families[name[:-3]] = table
    return families


def corpus_models(source):
    rows = []
    with open(os.path.join(source, "samples", "corpus", "manifest.tsv")) as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1] == "model":
                rows.append(cols[0])
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modelconv", required=True)
    ap.add_argument("--source", default=os.path.abspath(os.path.join(here, "..", "..")))
    args = ap.parse_args()
    families = load_families(args.source)
    models = corpus_models(args.source)
    problems, counts, converted = [], {}, 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, rel in enumerate(models):
            # every model at the default level; one in eight also uncompressed
            for level in (4, 0) if i % 8 == 0 else (4,):
                out = os.path.join(tmp, "m%d_%d.h5" % (i, level))
                cmd = [args.modelconv, "convert", os.path.join(args.source, "samples", "corpus", rel),
                       out, "--compress", "none" if level == 0 else "deflate:4"]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    problems.append("%s: convert exited %d: %s" % (rel, r.returncode, r.stderr.strip()))
                    continue
                c = Checker(families, level)
                c.file = "%s (level %d)" % (rel, level)
                try:
                    with h5py.File(out, "r") as f:
                        c.check_root(f)
                except Exception as e:  # h5py could not read something
                    c.fail("/", "h5py: %s: %s" % (type(e).__name__, e))
                problems += c.problems
                for k, v in c.counts.items():
                    counts[k] = counts.get(k, 0) + v
                converted += 1
                os.remove(out)
    for p in problems[:200]:
        print("FAIL", p)
    print("%d archives of %d corpus models read with h5py %s (HDF5 %s): %s" % (
        converted, len(models), h5py.version.version, h5py.version.hdf5_version,
        ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items()))))
    if not problems and (converted < 1000 or counts.get("chunked datasets", 0) == 0):
        print("FAIL: too few archives or no chunked dataset checked")
        return 1
    print("%d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
