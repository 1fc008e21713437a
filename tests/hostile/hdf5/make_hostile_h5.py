#!/usr/bin/env python3
"""Write the hostile HDF5 archives: tests/hostile/hdf5/files/* and expect.tsv.

    python tests/hostile/hdf5/make_hostile_h5.py [--modelconv build/modelconv]

Needs h5py and numpy (tests/python/requirements.txt pins them) and a built
modelconv: the hostile files are real archives of small corpus models
(modelconv convert samples/corpus/sk1.9.1/... base.h5) changed with h5py,
one attack each, plus a few made from scratch.  The output is deterministic
for the same modelconv, h5py and HDF5 versions; the files are committed, so
the tests need neither Python nor h5py.

expect.tsv says, per file:

    file  message  where

- message: a substring of the one-line error modelconv must give (the
  reader returns MC_E_INPUT; the CLI exits 3), or OK for the few files that
  are unusual but valid (they must read);
- where: the HDF5 path the error names (err->where), or "-" when the error
  is about the file as a whole (HDF5 cannot open it).

tests/unit/test_hdf5.c and tests/cli/test_hdf5_hostile.sh read expect.tsv.
"""

import argparse
import os
import shutil
import subprocess
import sys
import zlib

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FILES = os.path.join(HERE, "files")
CORPUS = os.path.join(ROOT, "samples", "corpus", "sk1.9.1")

expect = []


def note(name, message, where):
    expect.append((name, message, where))


def path(name):
    return os.path.join(FILES, name)


def base(modelconv, model, name):
    """A real archive of a corpus model."""
    out = path(name)
    if os.path.exists(out):
        os.remove(out)
    subprocess.run([modelconv, "convert", os.path.join(CORPUS, model, "model.p4.pkl"), out],
                   check=True)
    return out


def variant(src, name):
    dst = path(name)
    shutil.copyfile(src, dst)
    return dst


def vlen_str():
    return h5py.string_dtype("utf-8")


def set_str(obj, key, value):
    if key in obj.attrs:
        del obj.attrs[key]
    obj.attrs.create(key, value, dtype=vlen_str())


def replace_dataset(group, name, data, **kw):
    attrs = dict(group[name].attrs) if name in group else {}
    del group[name]
    d = group.create_dataset(name, data=data, **kw)
    for k, v in attrs.items():
        if isinstance(v, str):
            d.attrs.create(k, v, dtype=vlen_str())
        else:
            d.attrs[k] = v
    return d


# ---- the file as a whole ------------------------------------------------------------

def file_attacks(dtr):
    with h5py.File(path("not_archive.h5"), "w") as f:
        f["data"] = np.arange(10)
    note("not_archive.h5", "not a modelconv archive", "/")

    with h5py.File(variant(dtr, "no_version.h5"), "r+") as f:
        del f.attrs["format_version"]
    note("no_version.h5", "the attribute 'format_version' is missing", "/")

    with h5py.File(variant(dtr, "bad_version.h5"), "r+") as f:
        set_str(f, "format_version", "one.zero")
    note("bad_version.h5", "format_version 'one.zero' is not MAJOR.MINOR", "/")

    with h5py.File(variant(dtr, "newer_major.h5"), "r+") as f:
        set_str(f, "format_version", "2.0")
    note("newer_major.h5", "format_version is 2.0; this modelconv reads 1.x (up to 1.0)", "/")

    with h5py.File(variant(dtr, "version_int.h5"), "r+") as f:
        del f.attrs["format_version"]
        f.attrs["format_version"] = np.int64(1)
    note("version_int.h5", "attribute 'format_version' must be a variable-length string", "/")

    with h5py.File(variant(dtr, "wrong_format_name.h5"), "r+") as f:
        set_str(f, "modelconv_format", "keras model")
    note("wrong_format_name.h5", "another modelconv_format", "/")

    with h5py.File(variant(dtr, "protocol_9.h5"), "r+") as f:
        f.attrs["source_protocol"] = np.int64(9)
    note("protocol_9.h5", "source_protocol 9", "/")

    with h5py.File(variant(dtr, "python2_int.h5"), "r+") as f:
        f.attrs["python2"] = np.int64(1)
    note("python2_int.h5", "python2 must be a boolean", "/python2")

    data = open(dtr, "rb").read()
    for frac in (2, 30, 60, 95):
        name = "truncated_%02d.h5" % frac
        with open(path(name), "wb") as f:
            f.write(data[: len(data) * frac // 100])
        note(name, "not an HDF5 file, or a damaged one", "-")
    with open(path("truncated_last_byte.h5"), "wb") as f:
        f.write(data[:-1])
    note("truncated_last_byte.h5", "not an HDF5 file, or a damaged one", "-")

    # a 512-byte userblock in front is valid HDF5: the archive reads
    with h5py.File(path("ok_userblock.h5"), "w", userblock_size=512) as f:
        with h5py.File(dtr, "r") as src:
            for k, v in src.attrs.items():
                f.attrs[k] = v
            for k in src:
                src.copy(src[k], f, name=k)
    note("ok_userblock.h5", "OK", "-")


# ---- the model group ------------------------------------------------------------------

def model_attacks(dtr, dtc, pipe):
    with h5py.File(variant(dtr, "unknown_family.h5"), "r+") as f:
        set_str(f, "@family", "quantum")
    note("unknown_family.h5", "unknown family 'quantum'", "/")

    with h5py.File(variant(dtr, "bad_task.h5"), "r+") as f:
        set_str(f, "@task", "dancer")
    note("bad_task.h5", "@task 'dancer' is not a task modelconv knows", "/")

    with h5py.File(variant(dtr, "n_features_float.h5"), "r+") as f:
        f.attrs["@n_features"] = np.float64(6)
    note("n_features_float.h5", "attribute '@n_features' must be a 64-bit integer", "/")

    with h5py.File(variant(dtr, "no_estimator.h5"), "r+") as f:
        del f.attrs["@estimator"]
    note("no_estimator.h5", "the attribute '@estimator' is missing", "/")

    with h5py.File(variant(dtr, "stray_member.h5"), "r+") as f:
        f.create_group("extras")
    note("stray_member.h5", "unexpected member 'extras' in a model group", "/")

    with h5py.File(variant(pipe, "child_cycle.h5"), "r+") as f:
        del f["children/1"]
        f["children/1"] = f["/"]  # a hard link back to the root
    note("child_cycle.h5", "a model group linked twice (or a cycle through children)",
         "/children/1")

    with h5py.File(variant(pipe, "child_missing.h5"), "r+") as f:
        f.move("children/1", "children/7")
    note("child_missing.h5", "member 1 is missing", "/children")

    with h5py.File(variant(pipe, "child_no_name.h5"), "r+") as f:
        del f["children/0"].attrs["@name"]
    note("child_no_name.h5", "the attribute '@name' is missing", "/children/0")

    with h5py.File(variant(dtc, "classes_int16.h5"), "r+") as f:
        replace_dataset(f["classes"], "0", np.array([0, 1, 2], dtype=np.int16))
    note("classes_int16.h5", "class labels must be a 1-d dataset of int64, float64 or strings",
         "/classes/0")

    with h5py.File(variant(dtc, "classes_gap.h5"), "r+") as f:
        f.move("classes/0", "classes/1")
    note("classes_gap.h5", "member 0 is missing", "/classes")


# ---- tensors ------------------------------------------------------------------------------

def tensor_attacks(dtr, rf):
    with h5py.File(variant(dtr, "missing_tensor.h5"), "r+") as f:
        del f["tensors/threshold"]
    note("missing_tensor.h5", "missing (family 'tree_ensemble' requires it)",
         "/tensors/threshold")

    with h5py.File(variant(dtr, "unknown_tensor.h5"), "r+") as f:
        f["tensors/bogus"] = np.zeros(3)
    note("unknown_tensor.h5", "family 'tree_ensemble' has no tensor 'bogus'", "/tensors/bogus")

    with h5py.File(variant(dtr, "tensor_float32.h5"), "r+") as f:
        t = f["tensors/threshold"][()]
        replace_dataset(f["tensors"], "threshold", t.astype(np.float32))
    note("tensor_float32.h5", "the dataset's HDF5 type is not float64", "/tensors/threshold")

    with h5py.File(variant(dtr, "tensor_big_endian.h5"), "r+") as f:
        t = f["tensors/threshold"][()]
        replace_dataset(f["tensors"], "threshold", t.astype(">f8"))
    note("tensor_big_endian.h5", "the dataset's HDF5 type is not float64", "/tensors/threshold")

    with h5py.File(variant(dtr, "shape_lies.h5"), "r+") as f:
        t = f["tensors/impurity"][()]
        replace_dataset(f["tensors"], "impurity", t[:-1])
    note("shape_lies.h5", "n_nodes is", "/tensors/impurity")

    with h5py.File(variant(dtr, "tensor_5d.h5"), "r+") as f:
        t = f["tensors/threshold"][()]
        replace_dataset(f["tensors"], "threshold", t.reshape((-1, 1, 1, 1, 1)))
    note("tensor_5d.h5", "a dataset of 5 dimensions (at most 4 here)", "/tensors/threshold")

    with h5py.File(variant(dtr, "offsets_beyond.h5"), "r+") as f:
        replace_dataset(f["tensors"], "tree_offsets", np.array([0, 999], dtype=np.int64))
    note("offsets_beyond.h5", "offsets end at 999, but no tensor has 999 rows",
         "/tensors/tree_offsets")

    with h5py.File(variant(rf, "offsets_decrease.h5"), "r+") as f:
        o = f["tensors/tree_offsets"][()]
        o[2], o[3] = o[3], o[2]
        replace_dataset(f["tensors"], "tree_offsets", o)
    note("offsets_decrease.h5", "offsets decrease at element 3", "/tensors/tree_offsets")


# ---- values ------------------------------------------------------------------------------

def value_attacks(dtr, dtc, rf):
    with h5py.File(variant(dtc, "kind_garbage.h5"), "r+") as f:
        g = f["state/classes_"]
        set_str(g, "@kind", "zzz")
    note("kind_garbage.h5", "a dataset of @kind 'zzz'", "/state/classes_")

    with h5py.File(variant(dtc, "dtype_state_garbage.h5"), "r+") as f:
        set_str(f["state/classes_"], "@dtype_state", "{not json")
    note("dtype_state_garbage.h5", "@dtype_state is not valid", "/state/classes_")

    with h5py.File(variant(dtc, "dtype_state_huge.h5"), "r+") as f:
        set_str(f["state/classes_"], "@dtype_state",
                '{"str":"|V99999999999","version":3,"alignment":-1,"flags":0}')
    note("dtype_state_huge.h5", "'|V99999999999' is not a numpy type string", "/state/classes_")

    with h5py.File(variant(dtc, "dtype_disagree.h5"), "r+") as f:
        set_str(f["state/classes_"], "@dtype", "<f4")
    note("dtype_disagree.h5", "@dtype '<f4' and @dtype_state ('<i8') disagree", "/state/classes_")

    with h5py.File(variant(dtc, "ndarray_type_lies.h5"), "r+") as f:
        replace_dataset(f["state"], "classes_", np.array([0, 1, 2], dtype=np.int32))
    note("ndarray_type_lies.h5", "the dataset's HDF5 type is not the one of its @dtype <i8",
         "/state/classes_")

    with h5py.File(variant(dtc, "order_garbage.h5"), "r+") as f:
        set_str(f["state/classes_"], "@order", "Z")
    note("order_garbage.h5", "@order is 'Z', not C or F", "/state/classes_")

    with h5py.File(variant(dtc, "value_uint16.h5"), "r+") as f:
        f["params"].attrs["max_depth"] = np.uint16(5)
    note("value_uint16.h5", "a value attribute of a type the layout does not use",
         "/params/max_depth")

    with h5py.File(variant(dtc, "value_array_attr.h5"), "r+") as f:
        f["params"].attrs["max_depth"] = np.arange(3)
    note("value_array_attr.h5", "a value attribute must be scalar", "/params/max_depth")

    with h5py.File(variant(dtc, "keys_extra.h5"), "r+") as f:
        keys = list(f["params"].attrs["@keys"]) + ["ghost"]
        del f["params"].attrs["@keys"]
        f["params"].attrs.create("@keys", keys, dtype=vlen_str())
    note("keys_extra.h5", "the group holds", "/params")

    with h5py.File(variant(dtc, "attr_and_link.h5"), "r+") as f:
        del f["params"].attrs["splitter"]  # the counts still agree
        f["params"].create_group("criterion")
    note("attr_and_link.h5", "both an attribute and a link have this name",
         "/params/criterion")

    with h5py.File(variant(dtc, "soft_link.h5"), "r+") as f:
        del f["state/classes_"]
        f["state/classes_"] = h5py.SoftLink("/classes/0")
    note("soft_link.h5", "a soft link", "/state/classes_")

    with h5py.File(variant(dtc, "external_link.h5"), "r+") as f:
        del f["state/classes_"]
        f["state/classes_"] = h5py.ExternalLink("/etc/passwd", "/x")
    note("external_link.h5", "an external or user-defined link", "/state/classes_")

    with h5py.File(variant(dtc, "external_storage.h5"), "r+") as f:
        attrs = dict(f["state/classes_"].attrs)
        del f["state/classes_"]
        d = f["state"].create_dataset("classes_", shape=(3,), dtype="<i8",
                                      external=[("/etc/hostname", 0, 24)])
        for k, v in attrs.items():
            d.attrs.create(k, v, dtype=vlen_str())
    note("external_storage.h5", "a dataset stored in external files (refused)",
         "/state/classes_")

    with h5py.File(variant(dtc, "virtual_dataset.h5"), "r+") as f:
        attrs = dict(f["state/classes_"].attrs)
        del f["state/classes_"]
        # the low-level calls keep object times out of the file
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_obj_track_times(False)
        space = h5py.h5s.create_simple((3,))
        dcpl.set_virtual(space, b"/etc/x.h5", b"data", h5py.h5s.create_simple((3,)))
        h5py.h5d.create(f["state"].id, b"classes_", h5py.h5t.STD_I64LE, space, dcpl=dcpl)
        d = f["state/classes_"]
        for k, v in attrs.items():
            d.attrs.create(k, v, dtype=vlen_str())
    note("virtual_dataset.h5", "virtual datasets are refused", "/state/classes_")

    with h5py.File(variant(dtc, "named_datatype.h5"), "r+") as f:
        del f["state/classes_"]
        f["state/classes_"] = np.dtype("<f8")
    note("named_datatype.h5", "a named datatype where a value belongs", "/state/classes_")

    with h5py.File(variant(rf, "unsafe_class.h5"), "r+") as f:
        set_str(f["state/estimators_/0"], "@class", "os.system")
    note("unsafe_class.h5", "@class names os.system, which modelconv refuses", "/state/estimators_/0")

    with h5py.File(variant(rf, "unsafe_via.h5"), "r+") as f:
        set_str(f["state/estimators_/0"], "@via", "builtins.eval")
    note("unsafe_via.h5", "@via names builtins.eval, which modelconv refuses",
         "/state/estimators_/0")

    with h5py.File(variant(rf, "ctor_garbage.h5"), "r+") as f:
        set_str(f["state/estimators_/0"], "@ctor", "exec")
    note("ctor_garbage.h5", "@ctor 'exec' is not one of", "/state/estimators_/0")

    with h5py.File(variant(rf, "args_not_tuple.h5"), "r+") as f:
        set_str(f["state/estimators_/0/args"], "@kind", "list")
    note("args_not_tuple.h5", "the object's args is a list, not a tuple",
         "/state/estimators_/0")

    with h5py.File(variant(rf, "list_cycle.h5"), "r+") as f:
        g = f["state/estimators_"]
        g["5"] = g  # the list contains itself
    note("list_cycle.h5", "a group that contains itself through hard links (a cycle)",
         "/state/estimators_/5")

    with h5py.File(variant(rf, "list_gap.h5"), "r+") as f:
        f.move("state/estimators_/2", "state/estimators_/9")
    note("list_gap.h5", "missing", "/state/estimators_/2")

    # groups in HDF5 1.8's compact form, so 1100 of them stay small
    with h5py.File(variant(dtr, "deep_nesting.h5"), "r+", libver=("v108", "v108")) as f:
        g = f["state"].create_group("deep_")
        keys = list(f["state"].attrs["@keys"]) + ["deep_"]
        del f["state"].attrs["@keys"]
        f["state"].attrs.create("@keys", keys, dtype=vlen_str())
        for _ in range(1100):
            set_str(g, "@kind", "list")
            g = g.create_group("0")
        set_str(g, "@kind", "list")
    note("deep_nesting.h5", "values nested deeper than 1000 levels", "-")

    with h5py.File(variant(dtr, "bigint_garbage.h5"), "r+") as f:
        g = f["state"]
        keys = list(g.attrs["@keys"]) + ["big_"]
        del g.attrs["@keys"]
        g.attrs.create("@keys", keys, dtype=vlen_str())
        d = g.create_dataset("big_", data=np.bytes_(b"12x45"))
        set_str(d, "@kind", "bigint")
    note("bigint_garbage.h5", "a bigint must be decimal digits", "/state/big_")


# ---- sizes and chunks ------------------------------------------------------------------------

def add_array(f, name, **kw):
    """A state entry holding a float64 ndarray dataset created with kw."""
    g = f["state"]
    keys = list(g.attrs["@keys"]) + [name]
    del g.attrs["@keys"]
    g.attrs.create("@keys", keys, dtype=vlen_str())
    d = g.create_dataset(name, **kw)
    set_str(d, "@kind", "ndarray")
    dt = np.dtype(kw.get("dtype", "<f8"))
    set_str(d, "@dtype", dt.str)
    set_str(d, "@dtype_state",
            '{"str":"%s","version":3,"alignment":-1,"flags":0}' % dt.str)
    set_str(d, "@order", "C")
    return d


def size_attacks(dtr):
    with h5py.File(variant(dtr, "declares_2p40.h5"), "r+") as f:
        add_array(f, "huge_", shape=(2 ** 40,), dtype="|u1", chunks=(1 << 20,))
    note("declares_2p40.h5", "needs 1099511627776 bytes; more than a file of this size can hold",
         "/state/huge_")

    with h5py.File(variant(dtr, "declares_2p40_f8.h5"), "r+") as f:
        add_array(f, "huge_", shape=(2 ** 20, 2 ** 20), dtype="<f8", chunks=(1, 1 << 17))
    note("declares_2p40_f8.h5", "needs 8796093022208 bytes", "/state/huge_")

    with h5py.File(variant(dtr, "dims_overflow.h5"), "r+") as f:
        add_array(f, "huge_", shape=(2 ** 40, 2 ** 40, 2 ** 40), dtype="<f8",
                  chunks=(1, 1, 1024))
    note("dims_overflow.h5", "dimensions whose product overflows", "/state/huge_")

    with h5py.File(variant(dtr, "contiguous_unwritten.h5"), "r+") as f:
        add_array(f, "big_", shape=(100000,), dtype="<f8")
    note("contiguous_unwritten.h5", "the dataset stores 0 bytes, its shape needs 800000",
         "/state/big_")

    data = np.arange(300000, dtype="<f8")
    with h5py.File(variant(dtr, "chunk_missing.h5"), "r+") as f:
        d = add_array(f, "big_", shape=data.shape, dtype="<f8", chunks=(131072,),
                      shuffle=True, compression="gzip", fletcher32=True)
        d[:131072] = data[:131072]
    note("chunk_missing.h5", "1 of its 3 chunks are stored", "/state/big_")

    name = "bad_checksum.h5"
    with h5py.File(variant(dtr, name), "r+") as f:
        d = add_array(f, "big_", data=data, chunks=(131072,), shuffle=True,
                      compression="gzip", fletcher32=True)
        offset = d.id.get_chunk_info(1).byte_offset
    with open(path(name), "r+b") as fp:
        fp.seek(offset + 50)
        b = fp.read(1)
        fp.seek(offset + 50)
        fp.write(bytes([b[0] ^ 0x10]))
    note(name, "a chunk fails its Fletcher-32 checksum", "/state/big_")

    # a deflate bomb: 1 KiB of chunk whose stream inflates to 1 MB of zeros
    with h5py.File(variant(dtr, "deflate_bomb.h5"), "r+") as f:
        d = add_array(f, "bomb_", shape=(128,), dtype="<f8", chunks=(128,),
                      compression="gzip")
        bomb = zlib.compress(b"\0" * 1000000, 9)
        assert len(bomb) <= 1024 + 4, len(bomb)
        d.id.write_direct_chunk((0,), bomb, 0)
    note("deflate_bomb.h5", "a chunk inflates beyond its size", "/state/bomb_")

    with h5py.File(variant(dtr, "chunk_too_big.h5"), "r+") as f:
        d = add_array(f, "blob_", shape=(128,), dtype="<f8", chunks=(128,),
                      compression="gzip")
        d.id.write_direct_chunk((0,), zlib.compress(b"\1" * 4096, 0), 0)
    note("chunk_too_big.h5", "bytes for 1024 of data", "/state/blob_")

    with h5py.File(variant(dtr, "chunk_garbage.h5"), "r+") as f:
        d = add_array(f, "junk_", shape=(128,), dtype="<f8", chunks=(128,),
                      compression="gzip")
        d.id.write_direct_chunk((0,), b"not deflate data at all", 0)
    note("chunk_garbage.h5", "a chunk is not valid deflate data", "/state/junk_")

    with h5py.File(variant(dtr, "filter_lzf.h5"), "r+") as f:
        add_array(f, "lzf_", data=data[:1000], chunks=(1000,), compression="lzf")
    note("filter_lzf.h5", "('lzf') is not one modelconv reads", "/state/lzf_")


# ---- damage HDF5 1.10 does not survive (found by tests/fuzz/fuzz_hdf5.c) -------------
# Byte patches of a real archive, the structures found by their signatures.
# Without modelconv's own checks (converters/hdf5/h5heap.c, list_links and
# list_attrs in h5read.c) HDF5 1.10.8 loops forever on the first, overflows
# a heap buffer on the second and frees uninitialised pointers on the last
# two.

def gcol_objects(b):
    """(offset, index, size) of the objects of the first global heap collection
    (lengths of 8 bytes: header 16 bytes, object headers 16 bytes)."""
    at = b.find(b"GCOL")
    end = at + int.from_bytes(b[at + 8:at + 16], "little")
    off, out = at + 16, []
    while off + 16 <= end:
        idx = int.from_bytes(b[off:off + 2], "little")
        size = int.from_bytes(b[off + 8:off + 16], "little")
        if idx == 0:
            break
        out.append((off, idx, size))
        off += 16 + (size + 7) // 8 * 8
    return out


def heap_object(b, data):
    """The offset of the one heap object holding exactly `data`."""
    found = [off for off, _, size in gcol_objects(b)
             if size == len(data) and b[off + 16:off + 16 + size] == data]
    assert len(found) == 1, (data, found)
    return found[0]


def lookup3(data, initval=0):
    """Bob Jenkins' lookup3 hashlittle, HDF5's metadata checksum
    (H5_checksum_lookup3)."""
    m = 0xffffffff

    def rot(x, k):
        return ((x << k) | (x >> (32 - k))) & m

    n, i = len(data), 0
    a = b = c = (0xdeadbeef + n + initval) & m
    while n > 12:
        a = (a + int.from_bytes(data[i:i + 4], "little")) & m
        b = (b + int.from_bytes(data[i + 4:i + 8], "little")) & m
        c = (c + int.from_bytes(data[i + 8:i + 12], "little")) & m
        a = (a - c) & m; a ^= rot(c, 4); c = (c + b) & m
        b = (b - a) & m; b ^= rot(a, 6); a = (a + c) & m
        c = (c - b) & m; c ^= rot(b, 8); b = (b + a) & m
        a = (a - c) & m; a ^= rot(c, 16); c = (c + b) & m
        b = (b - a) & m; b ^= rot(a, 19); a = (a + c) & m
        c = (c - b) & m; c ^= rot(b, 4); b = (b + a) & m
        n, i = n - 12, i + 12
    if n == 0:
        return c
    tail = bytes(data[i:i + n]) + bytes(12 - n)
    a = (a + int.from_bytes(tail[0:4], "little")) & m
    b = (b + int.from_bytes(tail[4:8], "little")) & m
    c = (c + int.from_bytes(tail[8:12], "little")) & m
    c ^= b; c = (c - rot(b, 14)) & m
    a ^= c; a = (a - rot(c, 11)) & m
    b ^= a; b = (b - rot(a, 25)) & m
    c ^= b; c = (c - rot(b, 16)) & m
    a ^= c; a = (a - rot(c, 4)) & m
    b ^= a; b = (b - rot(a, 14)) & m
    c ^= b; c = (c - rot(b, 24)) & m
    return c


def ohdr_attributes(b, at):
    """Offsets of the attribute messages' bodies in chunk 0 of the version 2
    object header at `at`, and the offset of the chunk's checksum."""
    assert b[at:at + 4] == b"OHDR" and b[at + 4] == 2
    flags, p = b[at + 5], at + 6
    p += (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0)
    width = 1 << (flags & 3)
    end = p + width + int.from_bytes(b[p:p + width], "little")
    p += width
    hdr = 6 if flags & 0x04 else 4
    out = []
    while p + hdr <= end:
        if b[p] == 0x0C:
            out.append(p + hdr)
        p += hdr + int.from_bytes(b[p + 1:p + 3], "little")
    return out, end


def patched(src, name, patch):
    b = bytearray(open(src, "rb").read())
    patch(b)
    with open(path(name), "wb") as f:
        f.write(b)


def heap_attacks(dtr):
    def size_zero(b):
        off = gcol_objects(b)[0][0]
        b[off:off + 2] = bytes(2)
        b[off + 8:off + 16] = bytes(8)
    patched(dtr, "gheap_object_size_0.h5", size_zero)
    note("gheap_object_size_0.h5", "holds an object of size 0", "/")

    def overflow(b):
        off = gcol_objects(b)[0][0]
        b[off + 8:off + 16] = (0x31000007).to_bytes(8, "little")
    patched(dtr, "gheap_object_overflow.h5", overflow)
    note("gheap_object_overflow.h5", "runs past the collection", "/")

    def shorter(b):
        off = heap_object(b, b"modelconv model archive")
        b[off + 8:off + 16] = (22).to_bytes(8, "little")
    patched(dtr, "gheap_length_lies.h5", shorter)
    note("gheap_length_lies.h5", "a string of 23 bytes whose global heap object holds 22", "/")

    # @keys naming a parameter twice (and another never)
    def repeat(b):
        off = heap_object(b, b"criterion")
        b[off + 16:off + 25] = b"ccp_alpha"
    patched(dtr, "keys_repeated.h5", repeat)
    note("keys_repeated.h5", "@keys names 'ccp_alpha' twice", "/params")

    # a checksum failure in the fractal heap block holding the links of
    # /tensors (dense link storage): HDF5 builds a link table, fails half
    # way and frees the entries it never filled
    def dense_links(b):
        at = b.find(b"tree_max_depth")
        assert b.rfind(b"FHDB", 0, at) > 0 and b[at + 38] == 0
        b[at + 38] ^= 0x10
    patched(dtr, "dense_links_damaged.h5", dense_links)
    note("dense_links_damaged.h5", "cannot read the group's links: incorrect metadata checksum",
         "/tensors")

    # the fourth of the five attributes kept in /state's object header does
    # not decode (its name's length is off by one; the header's checksum is
    # recomputed): HDF5 has tabled three in a table of four when it fails,
    # and frees all four
    def attrs(b):
        found = []
        for at in range(len(b)):
            if b[at:at + 4] == b"OHDR" and b[at + 4] == 2:
                bodies, end = ohdr_attributes(b, at)
                if len(bodies) == 5 and b"_sklearn_version" in b[at:end]:
                    found.append((at, bodies, end))
        assert len(found) == 1, found
        at, bodies, end = found[0]
        a = bodies[3]
        n = int.from_bytes(b[a + 2:a + 4], "little")
        b[a + 2:a + 4] = (n + 1).to_bytes(2, "little")
        b[end:end + 4] = lookup3(b[at:end]).to_bytes(4, "little")
    patched(dtr, "attrs_damaged.h5", attrs)
    note("attrs_damaged.h5", "cannot read the attributes: attribute name has different length",
         "/state")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modelconv", default=os.path.join(ROOT, "build", "modelconv"))
    args = ap.parse_args()
    os.makedirs(FILES, exist_ok=True)
    for f in os.listdir(FILES):
        os.remove(os.path.join(FILES, f))
    work = os.path.join(FILES, ".bases")
    os.makedirs(work, exist_ok=True)
    dtr = base(args.modelconv, "dtr", os.path.join(".bases", "dtr.h5"))
    dtc = base(args.modelconv, "dtc", os.path.join(".bases", "dtc.h5"))
    rf = base(args.modelconv, "rf_reg", os.path.join(".bases", "rf.h5"))
    pipe = base(args.modelconv, "pipe_scale_logreg", os.path.join(".bases", "pipe.h5"))
    file_attacks(dtr)
    model_attacks(dtr, dtc, pipe)
    tensor_attacks(dtr, rf)
    value_attacks(dtr, dtc, rf)
    size_attacks(dtr)
    heap_attacks(dtr)
    shutil.rmtree(work)
    with open(os.path.join(HERE, "expect.tsv"), "w") as f:
        f.write("# file\tmessage\twhere (written by make_hostile_h5.py; see its docstring)\n")
        for row in expect:
            f.write("\t".join(row) + "\n")
    print("%d files in %s" % (len(expect), FILES))


if __name__ == "__main__":
    sys.exit(main())
