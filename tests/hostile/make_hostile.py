#!/usr/bin/env python3
"""Write the hostile-input corpus: tests/hostile/files/* and tests/hostile/expect.tsv.

    python3 tests/hostile/make_hostile.py

Python 3 standard library only (no numpy, no scikit-learn, no joblib): the
code-running pickles come from the real `pickle` module wherever a real
pickler can write the attack; everything structural is built opcode by opcode
below.  The output is deterministic (no timestamps: gzip mtime 0), so running
the script again gives the same bytes.

Every file is one attack.  expect.tsv says, per file:

    file  inspect_exit  scan_exit  inspect_stderr  scan_output

- inspect_exit: the exit code of `modelconv inspect FILE` (3 for everything
  hostile or broken; 0 for the few files that are odd but safe to read, e.g.
  a list that contains itself).
- scan_exit: the exit code of `modelconv scan FILE`: 3 when the file cannot be
  read, 1 when it reads but names unsafe or unknown globals, 0 when clean.
- inspect_stderr: a substring the single stderr line of inspect must contain
  (usually "byte N: what was expected/found"); "-" when inspect succeeds.
- scan_output: a substring scan must print: on stderr when scan_exit is 3,
  on stdout (the global's line) when scan_exit is 1; "-" for none.

tests/unit/test_hostile.c and tests/cli/test_hostile.sh read expect.tsv.
"""

import bz2
import gzip
import io
import lzma
import os
import pickle
import struct
import subprocess
import sys
import types
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "files")

CASES = []  # (name, inspect_exit, scan_exit, inspect_sub, scan_sub)
FILES = {}  # name -> bytes (including companion files not listed in CASES)


def case(name, data, inspect, scan, sub, scan_sub=None):
    """Register one hostile file.  scan_sub defaults to sub when scan fails
    the same way (exit 3), and must be given for scan exit 1."""
    assert name not in FILES, name
    assert "\t" not in sub and "\n" not in sub
    if scan_sub is None:
        scan_sub = sub if scan == 3 else "-"
    FILES[name] = bytes(data)
    CASES.append((name, inspect, scan, sub, scan_sub))


def companion(name, data):
    assert name not in FILES, name
    FILES[name] = bytes(data)


# ---------------------------------------------------------------------------
# opcode helpers (protocol numbers and semantics: CPython Lib/pickle.py)

MARK, STOP, POP, POP_MARK, DUP = b"(", b".", b"0", b"1", b"2"
NONE, NEWTRUE, NEWFALSE = b"N", b"\x88", b"\x89"
APPEND, APPENDS, SETITEM, SETITEMS = b"a", b"e", b"s", b"u"
EMPTY_LIST, EMPTY_DICT, EMPTY_TUPLE, EMPTY_SET = b"]", b"}", b")", b"\x8f"
LIST, DICT, TUPLE = b"l", b"d", b"t"
TUPLE1, TUPLE2, TUPLE3 = b"\x85", b"\x86", b"\x87"
REDUCE, BUILD, NEWOBJ, NEWOBJ_EX = b"R", b"b", b"\x81", b"\x92"
STACK_GLOBAL, MEMOIZE = b"\x93", b"\x94"
ADDITEMS, FROZENSET = b"\x90", b"\x91"
INST, OBJ = b"i", b"o"


def proto(n):
    return b"\x80" + bytes([n])


def frame(n):
    return b"\x95" + struct.pack("<Q", n)


def binint(i):
    if 0 <= i < 256:
        return b"K" + bytes([i])
    if 0 <= i < 65536:
        return b"M" + struct.pack("<H", i)
    if -(2**31) <= i < 2**31:
        return b"J" + struct.pack("<i", i)
    n = (i.bit_length() + 8) // 8
    return b"\x8a" + bytes([n]) + i.to_bytes(n, "little", signed=True)


def binfloat(x):
    return b"G" + struct.pack(">d", x)


def ustr(s):
    b = s.encode("utf-8", "surrogatepass") if isinstance(s, str) else s
    if len(b) < 256:
        return b"\x8c" + bytes([len(b)]) + b
    return b"X" + struct.pack("<I", len(b)) + b


def binunicode(s):
    b = s.encode("utf-8", "surrogatepass") if isinstance(s, str) else s
    return b"X" + struct.pack("<I", len(b)) + b


def sbytes(b):
    if len(b) < 256:
        return b"C" + bytes([len(b)]) + b
    return b"B" + struct.pack("<I", len(b)) + b


def bytearray8(b):
    return b"\x96" + struct.pack("<Q", len(b)) + b


def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def put(i):
    return b"q" + bytes([i]) if i < 256 else b"r" + struct.pack("<I", i)


def get(i):
    return b"h" + bytes([i]) if i < 256 else b"j" + struct.pack("<I", i)


def tup(*items):
    return MARK + b"".join(items) + TUPLE


def dict_(*pairs):
    return EMPTY_DICT + MARK + b"".join(k + v for k, v in pairs) + SETITEMS


def pk(*parts, p=4):
    """A whole pickle: PROTO p, the parts, STOP."""
    return proto(p) + b"".join(parts) + STOP


# numpy as pickles hold it (shared/reference/pickle-notes.md §2)

NPC = "numpy.core.multiarray"


def np_dtype(s, state=None, endian="<"):
    """numpy.dtype(s, False, True) + BUILD state (numpy's version-3 tuple)."""
    if state is None:
        if s[0] in "OV" or s in ("b1", "i1", "u1") or s[0] == "S":
            endian = "|"
        flags = 63 if s[0] == "O" else 0
        state = tup(binint(3), ustr(endian), NONE, NONE, NONE, binint(-1), binint(-1),
                    binint(flags))
    return glob("numpy", "dtype") + ustr(s) + NEWFALSE + NEWTRUE + TUPLE3 + REDUCE + state + BUILD


def np_shape(*dims):
    return tup(*[binint(d) for d in dims])


def np_reconstruct(shape, dtype, data, fortran=False, module=NPC, version=1):
    """_reconstruct(ndarray, (0,), b'b') + BUILD (version, shape, dtype, fortran, data)."""
    head = glob(module, "_reconstruct") + glob("numpy", "ndarray") + binint(0) + TUPLE1 + \
        sbytes(b"b") + TUPLE3 + REDUCE
    items = ([binint(version)] if version is not None else []) + \
        [shape, dtype, NEWTRUE if fortran else NEWFALSE, data]
    return head + tup(*items) + BUILD


def np_frombuffer(buf, dtype, shape, order="C", axis=None):
    args = [buf, dtype, shape, ustr(order)] + ([axis] if axis is not None else [])
    return glob("numpy.core.numeric", "_frombuffer") + tup(*args) + REDUCE


def f8(*xs):
    return struct.pack("<%dd" % len(xs), *xs)


# joblib (shared/reference/pickle-notes.md §1.2): a NumpyArrayWrapper whose
# BUILD is followed by the raw array bytes, outside the pickle opcodes.

def jl_wrapper(shape, dtype, order="C", align=16, allow_mmap=True, extra=()):
    state = [(ustr("subclass"), glob("numpy", "ndarray")),
             (ustr("shape"), shape),
             (ustr("order"), ustr(order)),
             (ustr("dtype"), dtype),
             (ustr("allow_mmap"), NEWTRUE if allow_mmap else NEWFALSE)]
    if align is not None:
        state.append((ustr("numpy_array_alignment_bytes"),
                      NONE if align == "none" else binint(align)))
    state.extend(extra)
    return glob("joblib.numpy_pickle", "NumpyArrayWrapper") + EMPTY_TUPLE + NEWOBJ + \
        dict_(*state) + BUILD


def jl_pad(pos, align=16):
    """The pad-length byte and pad that joblib >= 1.2 writes at stream offset pos."""
    pad = align - ((pos + 1) % align)
    return bytes([pad]) + b"\xff" * pad


def jl_array(prefix, shape_dims, dtype_s, data, order="C"):
    """prefix + a complete aligned wrapper + its data (prefix fixes the offset)."""
    w = prefix + jl_wrapper(np_shape(*shape_dims), np_dtype(dtype_s), order)
    return w + jl_pad(len(w)) + data


def jl_object_array(nested, n=1):
    """A wrapper of an object array of n elements; its payload is `nested`,
    a complete pickle stream (joblib >= 1.5 writes it with protocol 5)."""
    return jl_wrapper(np_shape(n), np_dtype("O8"), allow_mmap=False) + nested


def nested_object_array(items_bytes, n, p=2):
    """The nested stream joblib writes for an object array: pickle.dump of the
    array, i.e. _reconstruct + BUILD with a *list* of the elements."""
    return proto(p) + np_reconstruct(np_shape(n), np_dtype("O8"),
                                     EMPTY_LIST + MARK + items_bytes + APPENDS) + STOP


# compressors as joblib writes them (pickle-notes §1.1)

def c_zlib(b, level=3):
    return zlib.compress(b, level)


def c_gzip(b, level=3):
    co = zlib.compressobj(level, zlib.DEFLATED, 31)
    return co.compress(b) + co.flush()


def c_bz2(b, level=9):
    return bz2.compress(b, level)


def c_xz(b):
    return lzma.compress(b, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=3)


def c_lzma(b):
    return lzma.compress(b, format=lzma.FORMAT_ALONE, preset=3)


def c_zfile(b):
    """joblib < 0.10 Z-file: b'ZF' + hex length ljust 19 + zlib stream."""
    return b"ZF" + ("%#x" % len(b)).ljust(19).encode() + zlib.compress(b)


# ---------------------------------------------------------------------------
# 1. Code execution, written by the real pickler

class Call:
    """An object whose unpickling calls func(*args): what every pickle
    exploit is made of."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


def fake_sklearn_class(module, name):
    """A class that pickles under a scikit-learn module path, so the real
    pickler writes estimator-shaped streams (NEWOBJ/BUILD, or
    copy_reg._reconstructor at protocols 0-1) without scikit-learn."""
    parts = module.split(".")
    for i in range(1, len(parts) + 1):
        mname = ".".join(parts[:i])
        if mname not in sys.modules:
            sys.modules[mname] = types.ModuleType(mname)
    cls = type(name, (object,), {"__module__": module})
    setattr(sys.modules[module], name, cls)
    return cls


LinearRegression = fake_sklearn_class("sklearn.linear_model._base", "LinearRegression")
Pipeline = fake_sklearn_class("sklearn.pipeline", "Pipeline")


def estimator(cls, **state):
    o = cls.__new__(cls)
    o.__dict__.update(state)
    return o


def real_pickles():
    cmd = "echo pwned > /tmp/modelconv-pwned"
    system = Call(os.system, (cmd,))  # pickles as posix.system
    for p in range(6):
        case("rce_os_system_p%d.pkl" % p, pickle.dumps(system, protocol=p), 3, 1,
             "refusing global posix.system", "posix.system")
    case("rce_eval_p2.pkl", pickle.dumps(Call(eval, ("__import__('os').system('id')",)), 2),
         3, 1, "refusing global builtins.eval: evaluates Python code", "builtins.eval")
    case("rce_exec_p4.pkl", pickle.dumps(Call(exec, ("import os; os.system('id')",)), 4),
         3, 1, "refusing global builtins.exec", "builtins.exec")
    case("rce_popen_p3.pkl", pickle.dumps(Call(subprocess.Popen, (["sh", "-c", cmd],)), 3),
         3, 1, "refusing global subprocess.Popen: starts processes", "subprocess.Popen")
    case("rce_check_output_p5.pkl",
         pickle.dumps(Call(subprocess.check_output, (["id"],)), 5),
         3, 1, "refusing global subprocess.check_output", "subprocess.check_output")
    case("rce_getattr_p4.pkl",
         pickle.dumps(Call(getattr, (subprocess.Popen, "communicate")), 4),
         3, 1, "refusing global builtins.getattr", "builtins.getattr")
    import functools
    # at protocol 2 the pickler writes functools.reduce as __builtin__ reduce
    case("rce_functools_reduce_p2.pkl",
         pickle.dumps(Call(functools.reduce, (os.system, [cmd], 0)), 2),
         3, 1, "refusing global functools.reduce", "functools.reduce")
    # ... and at protocol 4 as _functools.reduce, the C module it lives in
    case("rce_functools_reduce_p4.pkl",
         pickle.dumps(Call(functools.reduce, (os.system, [cmd], 0)), 4),
         3, 1, "refusing global _functools.reduce: calls a function", "_functools.reduce")
    case("rce_import_p4.pkl", pickle.dumps(Call(__import__, ("os",)), 4),
         3, 1, "refusing global builtins.__import__", "builtins.__import__")
    # open is io.open in Python 3
    case("rce_open_p3.pkl", pickle.dumps(Call(open, ("/etc/passwd",)), 3),
         3, 1, "refusing global io.open: opens files", "io.open")
    # the attack nested inside data
    case("rce_in_dict_p4.pkl",
         pickle.dumps({"a": 1, "b": [1.5, {"c": system}]}, 4),
         3, 1, "refusing global posix.system", "posix.system")
    case("rce_in_list_p1.pkl", pickle.dumps([None, (1, 2, system)], 1),
         3, 1, "refusing global posix.system", "posix.system")
    # ... and inside an estimator's state, as sklearn pickles it
    for p in (0, 2, 4, 5):
        est = estimator(LinearRegression, fit_intercept=True, coef_=[0.5, system],
                        _sklearn_version="1.2.2")
        case("rce_in_estimator_p%d.pkl" % p, pickle.dumps(est, p), 3, 1,
             "refusing global posix.system", "posix.system")
    pipe = estimator(Pipeline, steps=[("scale", estimator(LinearRegression, a=1)),
                                      ("evil", system)], memory=None, verbose=False)
    case("rce_in_pipeline_p4.pkl", pickle.dumps(pipe, 4), 3, 1,
         "refusing global posix.system", "posix.system")


# ---------------------------------------------------------------------------
# 2. Code execution, hand-built: every way of naming and calling a global

def hand_rce():
    cmd = ustr("echo pwned > /tmp/modelconv-pwned")
    # INST: protocol 0 old-style instance creation, class named inline
    case("inst_os_system_p0.pkl",
         b"(S'echo pwned'\nios\nsystem\n.", 3, 1, "refusing global os.system", "os.system")
    case("inst_builtin_eval_p0.pkl",
         b"(S'1+1'\ni__builtin__\neval\n.", 3, 1, "refusing global builtins.eval",
         "builtins.eval")
    # OBJ: protocol 1, the class is the first item after the MARK
    case("obj_os_system_p1.pkl",
         b"(cos\nsystem\nX\x0b\x00\x00\x00echo pwned\no.", 3, 1,
         "refusing global os.system", "os.system")
    # NEWOBJ / NEWOBJ_EX on a process class
    case("newobj_popen_p2.pkl",
         pk(glob("subprocess", "Popen"), cmd, TUPLE1, NEWOBJ, p=2), 3, 1,
         "refusing global subprocess.Popen", "subprocess.Popen")
    case("newobj_ex_popen_p4.pkl",
         pk(ustr("subprocess"), MEMOIZE, ustr("Popen"), MEMOIZE, STACK_GLOBAL,
            cmd, TUPLE1, dict_((ustr("shell"), NEWTRUE)), NEWOBJ_EX), 3, 1,
         "refusing global subprocess.Popen", "subprocess.Popen")
    # STACK_GLOBAL whose strings come from the memo, stored earlier as
    # harmless data
    case("stack_global_memo_p4.pkl",
         pk(EMPTY_LIST, MARK, ustr("numpy"), put(1), ustr("dtype"), put(2), ustr("os"),
            put(3), ustr("system"), put(4), APPENDS, POP,
            get(3), get(4), STACK_GLOBAL, cmd, TUPLE1, REDUCE), 3, 1,
         "refusing global os.system", "os.system")
    # Python 2 names that the unpickler maps to Python 3 ones
    case("py2_builtin_eval_p2.pkl",
         pk(glob("__builtin__", "eval"), ustr("1"), TUPLE1, REDUCE, p=2), 3, 1,
         "refusing global builtins.eval", "builtins.eval")
    case("py2_builtin_reduce_p2.pkl",
         pk(glob("__builtin__", "reduce"), glob("os", "system"), TUPLE1, REDUCE, p=2),
         3, 1, "refusing global functools.reduce", "functools.reduce")
    case("py2_commands_p1.pkl",
         b"ccommands\ngetoutput\n(S'id'\ntR.", 3, 1,
         "refusing global subprocess.getoutput", "subprocess.getoutput")
    case("py2_cpickle_loads_p2.pkl",
         pk(glob("cPickle", "loads"), sbytes(b"cos\nsystem\n(S'id'\ntR."), TUPLE1, REDUCE,
            p=2), 3, 1, "refusing global pickle.loads", "pickle.loads")
    case("py2_copy_reg_reconstructor_os_p2.pkl",
         pk(glob("copy_reg", "_reconstructor"), glob("os", "system"),
            glob("__builtin__", "object"), NONE, TUPLE3, REDUCE, p=2), 3, 1,
         "refusing global os.system", "os.system")
    # an allowed reconstructor handed a forbidden base
    case("copyreg_reconstructor_base_eval_p2.pkl",
         pk(glob("copy_reg", "_reconstructor"),
            glob("sklearn.linear_model._base", "LinearRegression"),
            glob("__builtin__", "eval"), NONE, TUPLE3, REDUCE, p=2), 3, 1,
         "refusing global builtins.eval", "builtins.eval")
    # __newobj__ with an unsafe class
    case("copyreg_newobj_popen_p4.pkl",
         pk(glob("copyreg", "__newobj__"), glob("subprocess", "Popen"), cmd, TUPLE2, REDUCE),
         3, 1, "refusing global subprocess.Popen", "subprocess.Popen")
    # getattr chains: __import__('os').system(...)
    case("import_getattr_chain_p4.pkl",
         pk(glob("builtins", "getattr"), glob("builtins", "__import__"), ustr("os"), TUPLE1,
            REDUCE, ustr("system"), TUPLE2, REDUCE, cmd, TUPLE1, REDUCE), 3, 1,
         "refusing global builtins.getattr",
         # scan calls what getattr returned an opaque result and goes on
         "builtins.getattr")
    # ... and BUILD on what that call gave (an object of no class in scan mode)
    case("import_getattr_chain_build_p4.pkl",
         pk(glob("builtins", "getattr"), glob("builtins", "__import__"), ustr("os"), TUPLE1,
            REDUCE, ustr("system"), TUPLE2, REDUCE, cmd, TUPLE1, REDUCE, EMPTY_DICT, BUILD), 3, 1,
         "refusing global builtins.getattr", "builtins.getattr")
    # functools.partial is allowed (sklearn uses it) but cannot smuggle a callable
    case("partial_os_system_p4.pkl",
         pk(glob("functools", "partial"), glob("os", "system"), cmd, TUPLE2, REDUCE),
         3, 1, "refusing global os.system", "os.system")
    # a safe global used in a way its table entry does not allow
    case("misuse_ndarray_call_p4.pkl",
         pk(glob("numpy", "ndarray"), binint(3), TUPLE1, REDUCE), 3, 0,
         "global numpy.ndarray cannot be called (REDUCE)", "-")
    case("misuse_dtype_newobj_p4.pkl",
         pk(glob("numpy", "dtype"), ustr("f8"), TUPLE1, NEWOBJ), 3, 0,
         "global numpy.dtype cannot be instantiated", "-")
    # scanners that only look at GLOBAL opcodes miss these
    for name, (mod, fn, sub) in {
        "glob_runpy": ("runpy", "run_path", "runpy.run_path"),
        "glob_numpy_testing_runstring": ("numpy.testing._private.utils", "runstring",
                                         "numpy.testing._private.utils.runstring"),
        "glob_sklearn_testing_script": ("sklearn.utils._testing",
                                        "assert_run_python_script",
                                        "sklearn.utils._testing.assert_run_python_script"),
        "glob_torch_load": ("torch", "load", "torch.load"),
        "glob_numpy_load": ("numpy", "load", "numpy.load"),
        "glob_joblib_load": ("joblib", "load", "joblib.load"),
        "glob_ctypes": ("ctypes", "CDLL", "ctypes.CDLL"),
        "glob_operator_attrgetter": ("operator", "attrgetter", "operator.attrgetter"),
        "glob_main": ("__main__", "evil", "__main__.evil"),
        "glob_marshal_loads": ("marshal", "loads", "marshal.loads"),
        "glob_os_path": ("os.path", "join", "os.path.join"),
    }.items():
        case(name + "_p4.pkl",
             pk(ustr(mod), ustr(fn), STACK_GLOBAL, cmd, TUPLE1, REDUCE), 3, 1,
             "refusing global " + sub, sub)
    # attribute paths through a scikit-learn module into what it imported:
    # Python's find_class (protocol >= 4) resolves dotted names
    case("glob_sklearn_dotted_shutil_p4.pkl",
         pk(ustr("sklearn.datasets._base"), ustr("shutil.rmtree"), STACK_GLOBAL,
            ustr("/"), TUPLE1, REDUCE), 3, 1,
         "refusing global sklearn.datasets._base.shutil.rmtree",
         "sklearn.datasets._base.shutil.rmtree")
    case("glob_sklearn_dotted_os_p4.pkl",
         pk(ustr("sklearn.utils"), ustr("os.system"), STACK_GLOBAL, cmd, TUPLE1, REDUCE),
         3, 1, "refusing global sklearn.utils.os.system", "sklearn.utils.os.system")
    # names that are not Python identifiers
    case("glob_name_newline_p4.pkl",
         pk(ustr("os\nsystem"), ustr("x"), STACK_GLOBAL), 3, 3,
         "which is not a Python module and name")
    case("glob_name_slash_p4.pkl",
         pk(ustr("../../x"), ustr("y"), STACK_GLOBAL), 3, 3,
         "which is not a Python module and name")
    case("glob_name_nul_p4.pkl",
         pk(ustr("os\x00"), ustr("system"), STACK_GLOBAL), 3, 3,
         "which is not a Python module and name")
    case("glob_name_empty_p2.pkl", pk(glob("", "system"), p=2), 3, 3,
         "which is not a Python module and name")
    case("glob_name_space_p2.pkl", pk(glob("os ", "system"), p=2), 3, 3,
         "which is not a Python module and name")
    case("glob_name_long_p4.pkl", pk(ustr("a" * 300), ustr("b"), STACK_GLOBAL), 3, 3,
         "which is not a Python module and name")
    case("glob_not_strings_p4.pkl", pk(binint(1), binint(2), STACK_GLOBAL), 3, 3,
         "STACK_GLOBAL needs two strings, found int and int")
    case("glob_unknown_module_p4.pkl",
         pk(ustr("evil_module"), ustr("f"), STACK_GLOBAL, EMPTY_TUPLE, REDUCE), 3, 1,
         "refusing global evil_module.f: not in the table", "evil_module.f")


# ---------------------------------------------------------------------------
# 3. joblib: the attack hidden in an object array's nested stream, plain and
#    inside every compressor

def joblib_rce():
    evil = glob("posix", "system") + ustr("echo pwned > /tmp/modelconv-pwned") + TUPLE1 + \
        REDUCE
    for p in (2, 5):
        nested = nested_object_array(evil, 1, p=p)
        stream = proto(4) + jl_object_array(nested) + STOP
        case("jl_nested_rce_p%d.joblib" % p, stream, 3, 1, "refusing global posix.system",
             "posix.system")
    nested = nested_object_array(evil, 1)
    stream = proto(4) + jl_object_array(nested) + STOP
    case("jl_nested_rce.joblib.z", c_zlib(stream), 3, 1, "refusing global posix.system",
         "posix.system")
    case("jl_nested_rce.joblib.gz", c_gzip(stream), 3, 1, "refusing global posix.system",
         "posix.system")
    case("jl_nested_rce.joblib.bz2", c_bz2(stream), 3, 1, "refusing global posix.system",
         "posix.system")
    case("jl_nested_rce.joblib.xz", c_xz(stream), 3, 1, "refusing global posix.system",
         "posix.system")
    case("jl_nested_rce.joblib.lzma", c_lzma(stream), 3, 1, "refusing global posix.system",
         "posix.system")
    case("jl_nested_rce.zf", c_zfile(stream), 3, 1, "refusing global posix.system",
         "posix.system")
    # the attack two object arrays deep, after a real numeric array
    inner = nested_object_array(evil, 1)
    mid = nested_object_array(jl_object_array(inner), 1, p=4)
    pre = proto(4) + EMPTY_LIST + MARK
    s = jl_array(pre, (2,), "f8", f8(1.0, 2.0))
    s += jl_object_array(mid) + APPENDS + STOP
    case("jl_nested_rce_deep.joblib.z", c_zlib(s), 3, 1, "refusing global posix.system",
         "posix.system")


# ---------------------------------------------------------------------------
# 4. Structural: truncations, bad opcodes, memo and stack abuse

def structural():
    # truncations
    case("trunc_empty.pkl", b"", 3, 3, "empty file")
    case("trunc_proto_only.pkl", b"\x80", 3, 3, "byte 0: truncated: PROTO needs 1 bytes")
    case("trunc_no_stop.pkl", proto(4) + NONE, 3, 3,
         "byte 3: truncated: the pickle ends without a STOP opcode")
    case("trunc_binint.pkl", proto(2) + b"J\x01\x02", 3, 3,
         "byte 2: truncated: BININT needs 4 bytes of integer, only 2 remain")
    case("trunc_binbytes_len.pkl", proto(3) + b"B\x10\x00", 3, 3,
         "byte 2: truncated: BINBYTES needs 4 bytes of length")
    case("trunc_binbytes_data.pkl", proto(3) + b"B" + struct.pack("<I", 1000) + b"x" * 10,
         3, 3, "byte 2: truncated: BINBYTES needs 1000 bytes of data, only 10 remain")
    case("trunc_binunicode.pkl", proto(2) + b"X" + struct.pack("<I", 50) + b"abc", 3, 3,
         "byte 2: truncated: BINUNICODE needs 50 bytes of text")
    case("trunc_frame_header.pkl", proto(4) + b"\x95\x10\x00\x00", 3, 3,
         "byte 2: truncated: FRAME needs 8 bytes of frame length")
    case("trunc_frame_body.pkl", proto(4) + frame(100) + NONE + STOP, 3, 3,
         "byte 2: FRAME of 100 bytes runs past the end of the data (2 remain)")
    case("trunc_global_line.pkl", proto(2) + b"cnumpy\ndty", 3, 3,
         "byte 2: truncated: GLOBAL argument has no terminating newline")
    case("trunc_long1.pkl", proto(2) + b"\x8a\x09\x01\x02", 3, 3,
         "byte 2: truncated: LONG1 needs 9 bytes of integer, only 2 remain")
    case("trunc_inside_stream.pkl",
         pickle.dumps({"coef": [1.0, 2.0, 3.0], "name": "x" * 40}, 4)[:-20], 3, 3,
         "byte 2: FRAME of 93 bytes runs past the end of the data (73 remain)")
    case("trunc_inside_stream_p2.pkl",
         pickle.dumps({"coef": [1.0, 2.0, 3.0], "name": "x" * 40}, 2)[:-20], 3, 3,
         "byte 60: truncated: BINUNICODE needs 40 bytes of text, only 24 remain")
    # unknown and refused opcodes
    case("op_unknown_ff.pkl", proto(2) + b"\xff" + STOP, 3, 3,
         "byte 2: unknown pickle opcode 0xff")
    case("op_unknown_00.pkl", proto(4) + NONE + b"\x00" + STOP, 3, 3,
         "byte 3: unknown pickle opcode 0x00")
    case("op_unknown_99.pkl", proto(5) + b"\x99" + STOP, 3, 3,
         "byte 2: unknown pickle opcode 0x99")
    case("op_proto6.pkl", proto(6) + NONE + STOP, 3, 3,
         "byte 0: unsupported pickle protocol 6")
    case("op_proto255.pkl", proto(255) + NONE + STOP, 3, 3,
         "byte 0: unsupported pickle protocol 255")
    case("op_persid.pkl", b"(Pfoo\n.", 3, 3, "byte 1: PERSID (a persistent ID)")
    case("op_binpersid.pkl", proto(2) + ustr("x") + b"Q" + STOP, 3, 3,
         "BINPERSID (a persistent ID)")
    case("op_ext1.pkl", proto(2) + b"\x82\x01" + STOP, 3, 3,
         "EXT1 refers to the copyreg extension registry")
    case("op_ext4.pkl", proto(2) + b"\x84\xff\xff\xff\x7f" + STOP, 3, 3,
         "EXT4 refers to the copyreg extension registry")
    case("op_next_buffer.pkl", proto(5) + b"\x97" + STOP, 3, 3,
         "NEXT_BUFFER refers to an out-of-band buffer")
    case("op_readonly_buffer_int.pkl", proto(5) + binint(1) + b"\x98" + STOP, 3, 3,
         "READONLY_BUFFER needs a buffer, found int")
    case("not_pickle_text.pkl", b"hello world\n", 3, 3,
         "not a pickle or joblib file: expected a pickle opcode, found bytes 68 65 6c 6c")
    case("not_pickle_npy.pkl", b"\x93NUMPY\x01\x00v\x00{'descr': '<f8'}", 3, 3,
         "(a .npy array)")
    case("not_pickle_zip.pkl", b"PK\x03\x04" + b"\0" * 26, 3, 3, "(a zip archive")
    case("not_pickle_hdf5.pkl", b"\x89HDF\r\n\x1a\n" + b"\0" * 8, 3, 3, "(an HDF5 file)")
    # memo abuse
    case("memo_binget_unset.pkl", pk(NONE, get(5)), 3, 3,
         "byte 3: BINGET refers to memo entry 5, which was never stored")
    case("memo_long_binget_unset.pkl", pk(b"j\xff\xff\xff\xff", p=2), 3, 3,
         "LONG_BINGET refers to memo entry 4294967295, which was never stored")
    case("memo_get_text_unset.pkl", b"(g7\n.", 3, 3,
         "GET refers to memo entry 7, which was never stored")
    case("memo_get_text_garbage.pkl", b"(g-1\n.", 3, 3, "GET argument is not a memo index")
    case("memo_put_text_long.pkl", b"Np99999999999\n.", 3, 3, "PUT argument is not a memo index")
    case("memo_put_text_huge.pkl", b"Np9999999999\n.", 3, 3,
         "memo index 9999999999 is larger than any pickler writes")
    # the largest index a LONG_BINPUT can hold is fine: the memo is hashed
    case("memo_long_binput_max.pkl",
         pk(NONE, b"r\xff\xff\xff\xff", POP, b"j\xff\xff\xff\xff", p=2), 0, 0, "-")
    case("memo_memoize_empty.pkl", pk(MEMOIZE), 3, 3,
         "byte 2: stack underflow: MEMOIZE needs a value and the stack is empty")
    case("memo_binput_empty.pkl", pk(put(0), p=2), 3, 3,
         "byte 2: stack underflow: BINPUT needs a value")
    case("memo_binput_below_mark.pkl", pk(NONE, MARK, put(0), p=2), 3, 3,
         "BINPUT needs a value and the stack above the last MARK is empty")
    # stack abuse
    case("stack_append_empty.pkl", pk(APPEND), 3, 3,
         "byte 2: stack underflow: APPEND needs a value and the stack is empty")
    case("stack_append_one.pkl", pk(NONE, APPEND), 3, 3,
         "byte 3: stack underflow: APPEND needs a value")
    case("stack_append_to_int.pkl", pk(binint(1), binint(2), APPEND), 3, 3,
         "APPEND needs a list to append to, found int")
    case("stack_setitem_empty.pkl", pk(EMPTY_DICT, MARK, SETITEM), 3, 3,
         "SETITEM needs a value and the stack above the last MARK is empty")
    case("stack_setitem_on_list.pkl", pk(EMPTY_LIST, NONE, NONE, SETITEM), 3, 3,
         "SETITEM needs a dict to set items in, found list")
    case("stack_setitems_odd.pkl", pk(EMPTY_DICT, MARK, NONE, NONE, NONE, SETITEMS), 3, 3,
         "SETITEMS has a key without a value")
    case("stack_dict_odd.pkl", pk(MARK, NONE, DICT, p=0), 3, 3,
         "DICT has a key without a value")
    case("stack_build_empty.pkl", pk(BUILD), 3, 3,
         "byte 2: stack underflow: BUILD needs a value")
    case("stack_build_on_int.pkl", pk(binint(1), EMPTY_DICT, BUILD), 3, 3,
         "BUILD cannot set the state of a int")
    case("stack_reduce_empty.pkl", pk(REDUCE), 3, 3, "stack underflow: REDUCE needs a value")
    case("stack_reduce_below_mark.pkl",
         pk(glob("builtins", "set"), MARK, EMPTY_TUPLE, REDUCE), 3, 3,
         "REDUCE needs a value and the stack above the last MARK is empty")
    case("stack_reduce_non_tuple.pkl", pk(glob("builtins", "set"), binint(5), REDUCE), 3, 3,
         "REDUCE arguments must be a tuple, found int")
    case("stack_reduce_int_callable.pkl", pk(binint(1), EMPTY_TUPLE, REDUCE), 3, 3,
         "REDUCE needs a class or function, found int")
    case("stack_newobj_int_class.pkl", pk(binint(1), EMPTY_TUPLE, NEWOBJ), 3, 3,
         "NEWOBJ needs a class or function, found int")
    case("stack_tuple3_empty.pkl", pk(TUPLE3), 3, 3,
         "byte 2: stack underflow: TUPLE3 needs 3 values")
    case("stack_tuple3_below_mark.pkl", pk(NONE, NONE, MARK, NONE, TUPLE3), 3, 3,
         "stack underflow: TUPLE3 needs 3 values")
    case("stack_pop_mark_no_mark.pkl", pk(NONE, POP_MARK), 3, 3,
         "POP_MARK needs a MARK and there is none")
    case("stack_appends_no_mark.pkl", pk(EMPTY_LIST, NONE, APPENDS), 3, 3,
         "APPENDS needs a MARK and there is none")
    case("stack_tuple_no_mark.pkl", pk(NONE, TUPLE), 3, 3, "TUPLE needs a MARK and there is none")
    case("stack_stop_empty.pkl", pk(), 3, 3,
         "stack underflow: STOP needs a value and the stack is empty")
    case("stack_stop_in_mark.pkl", pk(NONE, MARK), 3, 3,
         "STOP needs a value and the stack above the last MARK is empty")
    case("stack_dup_empty.pkl", pk(DUP), 3, 3, "stack underflow: DUP needs a value")
    case("stack_additems_on_list.pkl", pk(EMPTY_LIST, MARK, NONE, ADDITEMS), 3, 3,
         "ADDITEMS needs a set, found list")
    # found by fuzz_joblib under clang's UBSan: a MARK before anything was
    # pushed, then an opcode that pops to it (the stack was never allocated)
    case("stack_obj_no_class.pkl", pk(MARK, OBJ, p=1), 3, 3, "OBJ needs a class after its MARK")
    case("stack_mark_first_tuple.pkl", b"(t.", 0, 0, "-")
    case("stack_mark_first_dict.pkl", b"(d.", 0, 0, "-")
    case("stack_mark_first_pop_mark.pkl", b"(1N.", 0, 0, "-")
    case("stack_mark_first_appends.pkl", pk(MARK, APPENDS, p=2), 3, 3,
         "APPENDS needs a value and the stack is empty")
    case("stack_newobj_ex_kwargs.pkl",
         pk(glob("sklearn.pipeline", "Pipeline"), EMPTY_TUPLE, binint(1), NEWOBJ_EX), 3, 3,
         "NEWOBJ_EX keyword arguments must be a dict, found int")
    case("stack_newobj_args_list.pkl",
         pk(glob("sklearn.pipeline", "Pipeline"), EMPTY_LIST, NEWOBJ), 3, 3,
         "NEWOBJ arguments must be a tuple, found list")


# ---------------------------------------------------------------------------
# 5. Sizes that lie

def sizes():
    big = 2**60
    case("size_binbytes8_2e60.pkl", proto(4) + b"\x8e" + struct.pack("<Q", big) + b"abc.",
         3, 3, "byte 2: truncated: BINBYTES8 needs 1152921504606846976 bytes of data")
    case("size_binunicode8_2e60.pkl", proto(4) + b"\x8d" + struct.pack("<Q", big) + b"abc.",
         3, 3, "byte 2: truncated: BINUNICODE8 needs 1152921504606846976 bytes of text")
    case("size_bytearray8_2e60.pkl", proto(5) + b"\x96" + struct.pack("<Q", big) + b"abc.",
         3, 3, "byte 2: truncated: BYTEARRAY8 needs 1152921504606846976 bytes of data")
    case("size_bytearray8_max.pkl", proto(5) + b"\x96" + b"\xff" * 8 + b"abc.", 3, 3,
         "BYTEARRAY8 needs 18446744073709551615 bytes of data")
    case("size_frame_2e60.pkl", proto(4) + frame(big) + NONE + STOP, 3, 3,
         "byte 2: FRAME of 1152921504606846976 bytes runs past the end of the data")
    case("size_frame_max.pkl", proto(4) + b"\x95" + b"\xff" * 8 + NONE + STOP, 3, 3,
         "FRAME of 18446744073709551615 bytes runs past the end")
    case("size_long4_2e31.pkl", proto(2) + b"\x8b" + struct.pack("<I", 2**31 - 1) + b"\x01.",
         3, 3, "byte 2: truncated: LONG4 needs 2147483647 bytes of integer")
    case("size_long4_negative.pkl", proto(2) + b"\x8b" + b"\xff\xff\xff\xff" + b".", 3, 3,
         "LONG4 has a negative byte count")
    case("size_binbytes_4g.pkl", proto(3) + b"B\xff\xff\xff\xff" + b"ab.", 3, 3,
         "BINBYTES needs 4294967295 bytes of data")
    case("size_binunicode_4g.pkl", proto(2) + b"X\xff\xff\xff\xff" + b"ab.", 3, 3,
         "BINUNICODE needs 4294967295 bytes of text")
    case("size_binstring_negative.pkl", proto(1) + b"T\xff\xff\xff\xff" + b"ab.", 3, 3,
         "BINSTRING has a negative length")
    case("size_short_binbytes.pkl", proto(3) + b"C\xff" + b"ab.", 3, 3,
         "SHORT_BINBYTES needs 255 bytes of data, only 3 remain")


# ---------------------------------------------------------------------------
# 6. Deep nesting, DAGs, cycles

def deep():
    n = 200_000
    # stack growth: n MARKs then n TUPLEs  ->  ((((...))))
    s = proto(4) + MARK * n + EMPTY_TUPLE + TUPLE * n + STOP
    case("deep_tuple_200k.joblib.z", c_zlib(s, 9), 3, 3, "values nest more than 1000 levels deep")
    s = proto(4) + EMPTY_LIST * n + APPEND * (n - 1) + STOP
    case("deep_list_200k.joblib.bz2", c_bz2(s), 3, 3, "values nest more than 1000 levels deep")
    # memo chains that keep the stack two deep: each new list is appended to
    # the previous one, which is then dropped and the new one fetched back
    s = proto(4) + EMPTY_LIST + put(0) + put(1) + \
        (EMPTY_LIST + put(2) + APPEND + POP + get(2) + put(1) + POP + get(1)) * n + \
        POP + get(0) + STOP
    case("deep_memo_chain_200k.joblib.z", c_zlib(s, 9), 3, 3,
         "values nest more than 1000 levels deep")
    s = proto(4) + EMPTY_DICT + put(0) + \
        (ustr("k") + EMPTY_DICT + put(1) + SETITEM + POP + get(1)) * n + POP + get(0) + STOP
    case("deep_dict_chain_200k.joblib.xz", c_xz(s), 3, 3, "values nest more than 1000 levels deep")
    # estimators nested in estimators through their state
    s = proto(4) + EMPTY_LIST + put(0) + \
        (glob("sklearn.pipeline", "Pipeline") + EMPTY_TUPLE + NEWOBJ + put(1) + APPEND + POP +
         get(1) + EMPTY_DICT + ustr("steps") + EMPTY_LIST + put(1) + SETITEM + BUILD + POP +
         get(1)) * 20000 + POP + get(0) + STOP
    case("deep_estimators_20k.joblib.z", c_zlib(s, 9), 3, 3,
         "values nest more than 1000 levels deep")
    # small enough to keep plain
    s = proto(2) + MARK * 5000 + EMPTY_TUPLE + TUPLE * 5000 + STOP
    case("deep_tuple_5000.pkl", s, 3, 3, "values nest more than 1000 levels deep")
    s = proto(4) + EMPTY_LIST + put(0) + (EMPTY_LIST + put(1) + APPEND + POP + get(1)) * 1500 + \
        POP + get(0) + STOP
    case("deep_memo_chain_1500.pkl", s, 3, 3, "values nest more than 1000 levels deep")
    # just inside the limit: must read, and print without running out of C stack
    s = proto(4) + EMPTY_LIST * 990 + APPEND * 989 + STOP
    case("deep_list_990.pkl", s, 0, 0, "-")
    # cycles make "how deep" depend on the order of the walk: the reader's
    # check sees each estimator's fitted value x_ first (a cycle X <-> Y,
    # then the next estimator), inspect prints params first: p is a chain of
    # 900 tuples ending in Y, then X, then the next estimator ...  20 of
    # them nest 18 000 levels deep when printed
    s = proto(4) + NONE + put(100000) + POP
    enext = 100000
    for i in range(20, 0, -1):
        x, y, e = 3 * i, 3 * i + 1, 3 * i + 2
        s += EMPTY_LIST + put(x) + POP
        s += EMPTY_LIST + put(y) + get(x) + APPEND + POP
        s += get(x) + get(y) + APPEND + EMPTY_LIST + get(enext) + APPEND + APPEND + POP
        s += glob("sklearn.pipeline", "Pipeline") + EMPTY_TUPLE + NEWOBJ + EMPTY_DICT
        s += ustr("x_") + get(x) + SETITEM
        s += ustr("p") + MARK * 900 + get(y) + TUPLE * 900 + SETITEM + BUILD + put(e) + POP
        enext = e
    s += get(enext) + STOP
    case("deep_print_order.joblib.z", c_zlib(s, 9), 0, 0, "-")
    # a DAG that doubles at every level: 2**80 paths, 81 lists
    s = proto(4) + EMPTY_LIST + put(0) + POP + \
        (EMPTY_LIST + MARK + get(0) + get(0) + APPENDS + put(0) + POP) * 80 + get(0) + STOP
    case("dag_list_80.pkl", s, 0, 0, "-")
    s = proto(4) + EMPTY_DICT + put(0) + POP + \
        (EMPTY_DICT + MARK + ustr("a") + get(0) + ustr("b") + get(0) + SETITEMS + put(0) + POP) \
        * 80 + get(0) + STOP
    case("dag_dict_80.pkl", s, 0, 0, "-")
    obj = glob("sklearn.pipeline", "Pipeline") + put(1) + POP
    s = proto(4) + obj + NONE + put(0) + POP + \
        (get(1) + EMPTY_TUPLE + NEWOBJ + dict_((ustr("steps"), tup(get(0), get(0))),
                                               (ustr("memory_"), get(0))) + BUILD + put(0) +
         POP) * 80 + get(0) + STOP
    case("dag_estimators_80.pkl", s, 0, 0, "-")
    # cycles: reading them is not hostile, printing them must terminate
    case("cycle_list_self.pkl", pk(EMPTY_LIST, put(0), get(0), APPEND), 0, 0, "-")
    case("cycle_dict_self.pkl", pk(EMPTY_DICT, put(0), ustr("me"), get(0), SETITEM), 0, 0, "-")
    case("cycle_list_tuple_list.pkl",
         pk(EMPTY_LIST, put(0), get(0), TUPLE1, APPEND, p=2), 0, 0, "-")
    case("cycle_estimator_state.pkl",
         pk(glob("sklearn.pipeline", "Pipeline"), EMPTY_TUPLE, NEWOBJ, put(0),
            dict_((ustr("steps"), get(0)), (ustr("self_"), get(0))), BUILD), 0, 0, "-")
    case("cycle_estimator_is_own_state.pkl",
         pk(glob("sklearn.pipeline", "Pipeline"), EMPTY_TUPLE, NEWOBJ, put(0), get(0), BUILD),
         0, 0, "-")
    case("cycle_object_array_self.pkl",
         pk(glob(NPC, "_reconstruct"), glob("numpy", "ndarray"), binint(0), TUPLE1,
            sbytes(b"b"), TUPLE3, REDUCE, put(0),
            tup(binint(1), np_shape(2), np_dtype("O8"), NEWFALSE,
                EMPTY_LIST + MARK + get(0) + binint(7) + APPENDS), BUILD), 0, 0, "-")
    case("cycle_set_items.pkl",
         pk(EMPTY_LIST, put(0), EMPTY_SET, MARK, get(0), ADDITEMS, APPEND), 0, 0, "-")


# ---------------------------------------------------------------------------
# 7. numpy arrays and dtypes that lie

def numpy_cases():
    d8 = np_dtype("f8")
    case("np_shape_exceeds_data.pkl", pk(np_reconstruct(np_shape(1000), d8, sbytes(f8(1.0)))),
         3, 3, "ndarray state: the shape needs 8000 bytes of data, the pickle holds 8")
    case("np_shape_overflow.pkl",
         pk(np_reconstruct(np_shape(2**40, 2**40), d8, sbytes(b""))), 3, 3,
         "ndarray state: the shape's element count overflows")
    case("np_shape_int64_max.pkl",
         pk(np_reconstruct(np_shape(2**63 - 1, 2), d8, sbytes(b""))), 3, 3,
         "ndarray state: shape x item size overflows")
    case("np_shape_bytes_overflow.pkl",
         pk(np_reconstruct(np_shape(2**61 + 1), d8, sbytes(b""))), 3, 3,
         "ndarray state: shape x item size overflows")
    case("np_shape_negative.pkl", pk(np_reconstruct(np_shape(-1, 8), d8, sbytes(b""))), 3, 3,
         "ndarray state: shape must be non-negative integers")
    case("np_shape_bigint.pkl", pk(np_reconstruct(np_shape(2**70), d8, sbytes(b""))), 3, 3,
         "ndarray state: shape must be non-negative integers")
    case("np_shape_65_dims.pkl", pk(np_reconstruct(np_shape(*[1] * 65), d8, sbytes(f8(1.0)))),
         3, 3, "ndarray state: 65 dimensions (numpy allows 64)")
    case("np_shape_not_tuple.pkl", pk(np_reconstruct(ustr("(3,)"), d8, sbytes(b""))), 3, 3,
         "ndarray state: shape must be a tuple of integers, found str")
    case("np_data_is_str.pkl", pk(np_reconstruct(np_shape(1), d8, ustr("abcdefgh"))), 3, 3,
         "ndarray state: data must be bytes, found str")
    case("np_dtype_is_str.pkl", pk(np_reconstruct(np_shape(1), ustr("<f8"), sbytes(f8(1)))),
         3, 3, "ndarray state: dtype must be a numpy dtype, found str")
    case("np_state_version_7.pkl",
         pk(np_reconstruct(np_shape(1), d8, sbytes(f8(1)), version=7)), 3, 3,
         "ndarray state version must be 0 or 1")
    case("np_state_short.pkl",
         pk(glob(NPC, "_reconstruct"), glob("numpy", "ndarray"), binint(0), TUPLE1,
            sbytes(b"b"), TUPLE3, REDUCE, tup(binint(1), np_shape(1)), BUILD), 3, 3,
         "ndarray state must be (version, shape, dtype, is_fortran, data)")
    case("np_object_list_short.pkl",
         pk(np_reconstruct(np_shape(5), np_dtype("O8"), EMPTY_LIST + NONE + APPEND)), 3, 3,
         "an object array of 5 elements needs a list of as many, found list of 1")
    case("np_object_list_huge_shape.pkl",
         pk(np_reconstruct(np_shape(2**62), np_dtype("O8"), EMPTY_LIST)), 3, 3,
         "an object array of 4611686018427387904 elements needs a list of as many")
    case("np_reconstruct_args.pkl",
         pk(glob(NPC, "_reconstruct"), glob("numpy", "ndarray"), TUPLE1, REDUCE), 3, 3,
         "numpy _reconstruct needs (array type, shape, typecode)")
    # protocol 5
    fb = np_frombuffer
    case("np_frombuffer_short.pkl", pk(fb(bytearray8(f8(1.0)), d8, np_shape(100)), p=5), 3, 3,
         "numpy _frombuffer: the shape needs 800 bytes of data, the pickle holds 8")
    case("np_frombuffer_overflow.pkl", pk(fb(bytearray8(b""), d8, np_shape(2**62, 4)), p=5),
         3, 3, "numpy _frombuffer: the shape's element count overflows")
    case("np_frombuffer_negative.pkl", pk(fb(bytearray8(b""), d8, np_shape(-8)), p=5), 3, 3,
         "numpy _frombuffer: shape must be non-negative integers")
    case("np_frombuffer_65_dims.pkl", pk(fb(bytearray8(f8(1)), d8, np_shape(*[1] * 65)), p=5),
         3, 3, "numpy _frombuffer: 65 dimensions (numpy allows 64)")
    case("np_frombuffer_order.pkl", pk(fb(bytearray8(f8(1)), d8, np_shape(1), "Z"), p=5), 3, 3,
         "numpy _frombuffer: order must be 'C', 'F' or 'K'")
    case("np_frombuffer_axis_dup.pkl",
         pk(fb(bytearray8(f8(1, 2)), d8, np_shape(1, 2), "K", np_shape(0, 0)), p=5), 3, 3,
         "numpy _frombuffer: axis_order is not a permutation")
    case("np_frombuffer_axis_range.pkl",
         pk(fb(bytearray8(f8(1, 2)), d8, np_shape(1, 2), "K", np_shape(0, 70)), p=5), 3, 3,
         "numpy _frombuffer: axis_order is not a permutation")
    case("np_frombuffer_axis_len.pkl",
         pk(fb(bytearray8(f8(1, 2)), d8, np_shape(1, 2), "K", np_shape(0)), p=5), 3, 3,
         "numpy _frombuffer: axis_order must have one entry per dimension")
    case("np_frombuffer_object.pkl",
         pk(fb(bytearray8(b"\0" * 8), np_dtype("O8"), np_shape(1)), p=5), 3, 3,
         "numpy _frombuffer: numpy never writes object or empty dtypes this way")
    case("np_frombuffer_not_bytes.pkl", pk(fb(binint(5), d8, np_shape(1)), p=5), 3, 3,
         "numpy _frombuffer: data must be bytes, found int")
    # a real 3-d permutation: read (copied into C order)
    case("np_frombuffer_axis_ok.pkl",
         pk(fb(bytearray8(f8(*range(24))), d8, np_shape(2, 3, 4), "K", np_shape(1, 2, 0)), p=5),
         0, 0, "-")
    # zero-size items: any count is zero bytes, and nothing may loop over it
    case("np_void0_huge_count.pkl",
         pk(np_reconstruct(np_shape(2**31, 2**31), np_dtype("V0"), sbytes(b""))), 0, 0, "-")
    case("np_scalar_short.pkl",
         pk(glob(NPC, "scalar"), d8, sbytes(b"\0\0\0"), TUPLE2, REDUCE), 3, 3,
         "numpy scalar: a 8-byte dtype with 3 bytes of data")
    case("np_scalar_args.pkl", pk(glob(NPC, "scalar"), binint(1), TUPLE1, REDUCE), 3, 3,
         "numpy scalar needs (dtype, data)")

    # dtypes
    def dstate(*items):
        return tup(*items)
    m1 = binint(-1)
    case("dtype_unknown_typestr.pkl", pk(np_dtype("f3")), 3, 3,
         "numpy.dtype('f3'): not a numpy type string")
    case("dtype_huge_typestr.pkl", pk(np_dtype("V99999999999999999999")), 3, 3,
         "not a numpy type string")
    case("dtype_no_args.pkl", pk(glob("numpy", "dtype"), EMPTY_TUPLE, REDUCE), 3, 3,
         "numpy.dtype called without a type string")
    case("dtype_state_short.pkl",
         pk(np_dtype("f8", dstate(binint(3), ustr("<"), NONE, NONE))), 3, 3,
         "dtype state must be a tuple of 5 to 9 items")
    case("dtype_state_version_9.pkl",
         pk(np_dtype("f8", dstate(binint(9), ustr("<"), NONE, NONE, NONE, m1, m1, binint(0)))),
         3, 3, "dtype state version 9 (numpy writes 0 to 4)")
    case("dtype_state_endian.pkl",
         pk(np_dtype("f8", dstate(binint(3), ustr("!"), NONE, NONE, NONE, m1, m1, binint(0)))),
         3, 3, "dtype state: byte order must be one of < > | =")
    case("dtype_state_twice.pkl",
         pk(np_dtype("f8"), dstate(binint(3), ustr("<"), NONE, NONE, NONE, m1, m1, binint(0)),
            BUILD), 3, 3, "dtype state set twice")
    case("dtype_elsize_huge.pkl",
         pk(np_dtype("V8", dstate(binint(3), ustr("|"), NONE, NONE, NONE, binint(2**40),
                                  binint(1), binint(16)))), 3, 3,
         "dtype state: item size 1099511627776")

    def struct_state(names, fields, elsize):
        return dstate(binint(3), ustr("|"), NONE, names, fields, binint(elsize), binint(1),
                      binint(16))
    # a field beyond the record
    case("dtype_field_past_record.pkl",
         pk(np_dtype("V8", struct_state(tup(ustr("a")),
                                        dict_((ustr("a"), tup(d8, binint(4)))), 8))), 3, 3,
         "dtype state: field 'a' at offset 4 (8 bytes) does not fit in a record of 8 bytes")
    case("dtype_field_offset_huge.pkl",
         pk(np_dtype("V8", struct_state(tup(ustr("a")),
                                        dict_((ustr("a"), tup(d8, binint(2**63 - 4)))), 8))),
         3, 3, "does not fit in a record of 8 bytes")
    case("dtype_field_offset_negative.pkl",
         pk(np_dtype("V8", struct_state(tup(ustr("a")),
                                        dict_((ustr("a"), tup(d8, binint(-8)))), 8))), 3, 3,
         "dtype state: field 'a' at offset -8")
    case("dtype_field_missing.pkl",
         pk(np_dtype("V8", struct_state(tup(ustr("a"), ustr("zz")),
                                        dict_((ustr("a"), tup(d8, binint(0)))), 8))), 3, 3,
         "dtype state: field 'zz' has no (dtype, offset[, title])")
    case("dtype_field_not_dtype.pkl",
         pk(np_dtype("V8", struct_state(tup(ustr("a")),
                                        dict_((ustr("a"), tup(binint(1), binint(0)))), 8))),
         3, 3, "dtype state: a field must be a dtype, found int")
    case("dtype_fields_on_float.pkl",
         pk(np_dtype("f8", dstate(binint(3), ustr("<"), NONE, tup(ustr("a")),
                                  dict_((ustr("a"), tup(d8, binint(0)))), m1, m1, binint(0)))),
         3, 3, "dtype state: fields on a non-void dtype")
    # cycles: a dtype whose field is itself, and two that hold each other
    case("dtype_cycle_self.pkl",
         pk(glob("numpy", "dtype"), ustr("V8"), NEWFALSE, NEWTRUE, TUPLE3, REDUCE, put(0),
            struct_state(tup(ustr("a")), dict_((ustr("a"), tup(get(0), binint(0)))), 8),
            BUILD), 3, 3, "dtype state: a field refers to the dtype itself")
    v8 = glob("numpy", "dtype") + ustr("V8") + NEWFALSE + NEWTRUE + TUPLE3 + REDUCE
    case("dtype_cycle_pair.pkl",
         pk(v8, put(0), POP, v8, put(1),
            struct_state(tup(ustr("a")), dict_((ustr("a"), tup(get(0), binint(0)))), 8),
            BUILD, POP, get(0),
            struct_state(tup(ustr("b")), dict_((ustr("b"), tup(get(1), binint(0)))), 8),
            BUILD), 3, 3, "dtype state set twice, or after the dtype was used in another")
    # nested 40 deep: each a one-field struct around the previous
    s = proto(4) + d8 + put(0) + POP
    for _ in range(40):
        s += v8 + struct_state(tup(ustr("a")), dict_((ustr("a"), tup(get(0), binint(0)))), 8) + \
            BUILD + put(0) + POP
    s += get(0) + STOP
    case("dtype_nested_40.pkl", s, 3, 3, "dtype state: nested dtypes beyond 32 levels")
    # wide: one record of 5000 fields
    names = tup(*[ustr("f%d" % i) for i in range(5000)])
    fields = dict_(*[(ustr("f%d" % i), tup(get(0), binint(i))) for i in range(5000)])
    s = proto(4) + np_dtype("u1") + put(0) + POP + \
        np_dtype("V5000", struct_state(names, fields, 5000)) + STOP
    case("dtype_wide_5000.joblib.z", c_zlib(s, 9), 3, 3,
         "dtype state: 5000 names and 5000 fields (at most 4096)")
    # 2000 fields, each a two-field struct: 6001 parts
    inner = np_dtype("V2", struct_state(tup(ustr("x"), ustr("y")),
                                        dict_((ustr("x"), tup(get(0), binint(0))),
                                              (ustr("y"), tup(get(0), binint(1)))), 2))
    names = tup(*[ustr("f%d" % i) for i in range(2000)])
    fields = dict_(*[(ustr("f%d" % i), tup(get(1), binint(2 * i))) for i in range(2000)])
    s = proto(4) + np_dtype("u1") + put(0) + POP + inner + put(1) + POP + \
        np_dtype("V4000", struct_state(names, fields, 4000)) + STOP
    case("dtype_wide_parts.joblib.z", c_zlib(s, 9), 3, 3,
         "dtype state: nested dtypes beyond 32 levels or 4096 parts")
    # subarrays
    case("dtype_subarray_overflow.pkl",
         pk(np_dtype("V8", dstate(binint(3), ustr("|"), tup(d8, np_shape(2**40, 2**40)), NONE,
                                  NONE, binint(8), binint(1), binint(16)))), 3, 3,
         "dtype state: subarray size overflows")
    case("dtype_subarray_65_dims.pkl",
         pk(np_dtype("V8", dstate(binint(3), ustr("|"), tup(d8, np_shape(*[1] * 65)), NONE,
                                  NONE, binint(8), binint(1), binint(16)))), 3, 3,
         "dtype state: subarray has 65 dimensions")
    case("dtype_subarray_mismatch.pkl",
         pk(np_dtype("V8", dstate(binint(3), ustr("|"), tup(d8, np_shape(3)), NONE,
                                  NONE, binint(8), binint(1), binint(16)))), 3, 3,
         "dtype state: subarray of 24 bytes in an item of 8 bytes")
    case("dtype_datetime_unit.pkl",
         pk(np_dtype("M8", dstate(binint(4), ustr("<"), NONE, NONE, NONE, m1, m1, binint(0),
                                  tup(EMPTY_DICT, tup(sbytes(b"\xff\xfe"), binint(1), binint(1),
                                                      binint(1)))))), 3, 3,
         "dtype state: datetime unit is not letters")
    case("dtype_datetime_count.pkl",
         pk(np_dtype("M8", dstate(binint(4), ustr("<"), NONE, NONE, NONE, m1, m1, binint(0),
                                  tup(EMPTY_DICT, tup(sbytes(b"ns"), binint(2**40), binint(1),
                                                      binint(1)))))), 3, 3,
         "dtype state: datetime unit must be (bytes, count)")


# ---------------------------------------------------------------------------
# 8. joblib wrappers that lie

def joblib_cases():
    pre = proto(4)
    s = pre + jl_wrapper(np_shape(1_000_000), np_dtype("f8"))
    s += jl_pad(len(s)) + f8(1, 2) + STOP
    case("jl_shape_exceeds_file.joblib", s, 3, 3,
         "truncated: joblib NumpyArrayWrapper of 1000000 elements needs 8000000 bytes of data")
    s = pre + jl_wrapper(np_shape(2**62, 16), np_dtype("f8")) + STOP
    case("jl_shape_overflow.joblib", s, 3, 3,
         "joblib NumpyArrayWrapper shape x item size overflows")
    s = pre + jl_wrapper(np_shape(-3), np_dtype("f8")) + STOP
    case("jl_shape_negative.joblib", s, 3, 3,
         "joblib NumpyArrayWrapper shape must be non-negative integers")
    s = pre + jl_wrapper(np_shape(*[1] * 65), np_dtype("f8")) + STOP
    case("jl_shape_65_dims.joblib", s, 3, 3, "shape must be a tuple of at most 64 integers")
    s = pre + jl_wrapper(binint(4), np_dtype("f8")) + STOP
    case("jl_shape_not_tuple.joblib", s, 3, 3, "shape must be a tuple of at most 64 integers")
    s = pre + jl_wrapper(np_shape(1), np_dtype("f8"))
    case("jl_align_byte_missing.joblib", s, 3, 3,
         "truncated: joblib NumpyArrayWrapper alignment byte is missing")
    case("jl_align_past_end.joblib", s + b"\xc8" + b"\xff" * 5, 3, 3,
         "truncated: joblib NumpyArrayWrapper alignment padding runs past the end")
    s = pre + jl_wrapper(np_shape(1), np_dtype("f8"), align=10**9) + STOP
    case("jl_align_huge.joblib", s, 3, 3,
         "joblib NumpyArrayWrapper alignment must be None or a small integer")
    s = pre + jl_wrapper(np_shape(1), np_dtype("f8"), order="X") + STOP
    case("jl_order_bad.joblib", s, 3, 3, "joblib NumpyArrayWrapper order must be 'C' or 'F'")
    s = pre + glob("joblib.numpy_pickle", "NumpyArrayWrapper") + EMPTY_TUPLE + NEWOBJ + \
        dict_((ustr("shape"), np_shape(1))) + BUILD + STOP
    case("jl_state_no_dtype.joblib", s, 3, 3,
         "joblib NumpyArrayWrapper state lacks dtype, shape or order")
    s = pre + glob("joblib.numpy_pickle", "NumpyArrayWrapper") + EMPTY_TUPLE + NEWOBJ + \
        binint(1) + BUILD + STOP
    case("jl_state_not_dict.joblib", s, 3, 3, "joblib NumpyArrayWrapper state must be a dict")
    # data then no STOP
    s = jl_array(pre, (2,), "f8", f8(1, 2))
    case("jl_no_stop_after_data.joblib", s, 3, 3,
         "truncated: the pickle ends without a STOP opcode")
    # object arrays: the nested stream
    nested = nested_object_array(binint(1), 1)
    s = pre + jl_object_array(nested[:-7])
    case("jl_nested_truncated.joblib", s, 3, 3,
         "byte 302: truncated: the pickle ends without a STOP opcode")
    s = pre + jl_object_array(proto(2) + binint(5) + STOP) + STOP
    case("jl_nested_not_array.joblib", s, 3, 3,
         "joblib object array: the nested pickle holds a int, not an array")
    s = pre + jl_object_array(nested_object_array(binint(1) + binint(2), 2), n=3) + STOP
    case("jl_nested_shape_mismatch.joblib", s, 3, 3,
         "joblib object array: the nested array's shape differs from the wrapper's")
    s = pre + jl_object_array(b"") + STOP
    case("jl_nested_empty.joblib", s[:-1], 3, 3,
         "byte 188: truncated: the pickle ends without a STOP opcode")
    # object arrays nested 9 deep (the limit is 8)
    inner = nested_object_array(binint(1), 1)
    for _ in range(9):
        inner = nested_object_array(jl_object_array(inner), 1, p=4)
    s = pre + jl_object_array(inner) + STOP
    case("jl_nested_9_deep.joblib", s, 3, 3, "joblib object arrays nested more than 8 deep")
    # a nested stream that never ends: its STOP is the outer one
    s = pre + jl_object_array(proto(2) + EMPTY_LIST) + STOP
    case("jl_nested_steals_stop.joblib", s, 3, 3,
         "joblib object array: the nested pickle holds a list, not an array")


# ---------------------------------------------------------------------------
# 9. Compressed containers: bombs and corruption

def compressed():
    payload = pk(binint(1))
    # bombs: a valid pickle start, then zeros (opcode 0x00 is unknown)
    head = proto(4) + NONE + POP
    # bz2: concatenated streams of 64 MiB of zeros each, 1 GiB in all
    one = bz2.compress(head + b"\0" * ((64 << 20) - len(head)), 9)
    zero = bz2.compress(b"\0" * (64 << 20), 9)
    case("bomb_bz2_1g.joblib.bz2", one + zero * 15, 3, 3,
         "decompressed data exceeds 67108864 bytes (the output limit): the bz2 stream")
    # xz: the same with lzma
    one = lzma.compress(head + b"\0" * ((64 << 20) - len(head)), format=lzma.FORMAT_XZ,
                        preset=9)
    zero = lzma.compress(b"\0" * (64 << 20), format=lzma.FORMAT_XZ, preset=9)
    case("bomb_xz_320m.joblib.xz", one + zero * 4, 3, 3,
         "decompressed data exceeds 67108864 bytes (the output limit): the xz stream")
    # zlib and gzip cannot pass ~1030:1: 64 MiB from 63 KB.  Under the default
    # limits they inflate and then fail as pickles; test_hostile.c reads them
    # with a low limit too, and builds a 1 GiB one in memory.
    co = zlib.compressobj(9, zlib.DEFLATED, 15)
    z = co.compress(head) + co.compress(b"\0" * (16 << 20)) + co.flush()
    case("bomb_zlib_16m.joblib.z", z, 3, 3, "decompressed byte 4: unknown pickle opcode 0x00")
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    z = co.compress(head) + co.compress(b"\0" * (8 << 20)) + co.flush()
    case("bomb_gzip_8m.joblib.gz", z, 3, 3, "decompressed byte 4: unknown pickle opcode 0x00")
    # corruption
    z = c_zlib(payload)
    bad = bytearray(z)
    bad[-1] ^= 0xFF
    case("comp_zlib_bad_adler.joblib.z", bad, 3, 3, "corrupt zlib stream: checksum mismatch")
    bad = bytearray(c_zlib(pickle.dumps(list(range(200)), 4)))
    bad[len(bad) // 2] ^= 0x55
    case("comp_zlib_flipped.joblib.z", bad, 3, 3, "corrupt zlib stream")
    case("comp_zlib_truncated.joblib.z", c_zlib(pickle.dumps(list(range(200)), 4))[:-9], 3, 3,
         "truncated zlib")
    case("comp_zlib_trailing.joblib.z", c_zlib(payload) + b"garbage", 3, 3, "trailing data")
    case("comp_zlib_header_only.joblib.z", b"\x78", 3, 3, "byte 1: truncated zlib stream")
    case("comp_zlib_bad_header.joblib.z", b"\x78\x00" + b"\0" * 8, 3, 3,
         "corrupt zlib stream: incorrect header check")
    case("comp_zlib_empty_payload.joblib.z", c_zlib(b""), 3, 3, "empty stream")
    case("comp_zlib_not_pickle.joblib.z", c_zlib(b"hello"), 3, 3,
         "not a pickle or joblib file: expected a pickle opcode, found bytes 68 65 6c 6c")
    g = bytearray(c_gzip(payload))
    g[-8] ^= 0x01  # CRC32
    case("comp_gzip_bad_crc.joblib.gz", g, 3, 3, "corrupt gzip stream: checksum mismatch")
    g = bytearray(c_gzip(payload))
    g[-1] ^= 0x01  # ISIZE
    case("comp_gzip_bad_isize.joblib.gz", g, 3, 3, "corrupt gzip stream: length mismatch")
    case("comp_gzip_truncated.joblib.gz", c_gzip(pickle.dumps(list(range(200)), 4))[:-5], 3, 3,
         "truncated gzip")
    # FEXTRA whose length runs past the end; FNAME without its NUL
    case("comp_gzip_fextra.joblib.gz", b"\x1f\x8b\x08\x04" + b"\0" * 6 + b"\xff\xff" + b"ab",
         3, 3, "truncated gzip stream")
    case("comp_gzip_fname.joblib.gz", b"\x1f\x8b\x08\x08" + b"\0" * 6 + b"name-without-end",
         3, 3, "truncated gzip stream")
    b = bytearray(c_bz2(pickle.dumps(list(range(200)), 4)))
    b[-3] ^= 0x10  # stream CRC
    case("comp_bz2_bad_crc.joblib.bz2", b, 3, 3, "corrupt bz2 stream")
    b = bytearray(c_bz2(pickle.dumps(list(range(200)), 4)))
    b[30] ^= 0x10
    case("comp_bz2_flipped.joblib.bz2", b, 3, 3, "corrupt bz2 stream")
    case("comp_bz2_truncated.joblib.bz2", c_bz2(pickle.dumps(list(range(200)), 4))[:-4], 3, 3,
         "truncated bz2 stream")
    case("comp_bz2_header_only.joblib.bz2", b"BZh9", 3, 3, "byte 4: truncated bz2 stream")
    x = bytearray(c_xz(pickle.dumps(list(range(200)), 4)))
    x[-20] ^= 0x01  # inside the index / check area
    case("comp_xz_bad_check.joblib.xz", x, 3, 3, "corrupt xz stream")
    case("comp_xz_truncated.joblib.xz", c_xz(pickle.dumps(list(range(200)), 4))[:-12], 3, 3,
         "truncated xz stream")
    case("comp_lzma_truncated.joblib.lzma", c_lzma(pickle.dumps(list(range(200)), 4))[:-6], 3, 3,
         "truncated lzma stream")
    # LZMA-alone header asking for a 4 GiB dictionary
    case("comp_lzma_huge_dict.joblib.lzma",
         b"\x5d\x00\x00\x00\xff" + b"\xff" * 8 + c_lzma(payload)[13:], 3, 3,
         "the lzma header asks for a 4278190080-byte dictionary")
    # joblib < 0.10 Z-files whose header lies
    zf = bytearray(c_zfile(payload))
    zf[2:21] = ("%#x" % 10**12).ljust(19).encode()
    case("comp_zfile_declares_1t.zf", zf, 3, 3, "the ZF header declares 1000000000000")
    zf = bytearray(c_zfile(payload))
    zf[2:21] = b"0x1".ljust(19)
    case("comp_zfile_declares_1.zf", zf, 3, 3,
         "the ZF header declares 1 decompressed bytes but the zlib stream holds more")
    zf = bytearray(c_zfile(payload))
    zf[2:21] = b"not-hex".ljust(19)
    case("comp_zfile_not_hex.zf", zf, 3, 3, "ZF header: expected a hexadecimal length")
    case("comp_zfile_header_only.zf", b"ZF0x10", 3, 3, "truncated ZF header")


# ---------------------------------------------------------------------------
# 10. joblib < 0.10 companion files named by the pickle

def npy_bytes(descr, shape, data):
    hdr = "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (descr, shape)
    total = 10 + len(hdr) + 1
    hdr += " " * ((64 - total % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode() + data


def legacy_wrapper(filename, cls="NDArrayWrapper"):
    return glob("joblib.numpy_pickle", cls) + EMPTY_TUPLE + NEWOBJ + \
        dict_((ustr("filename"), ustr(filename)), (ustr("subclass"), glob("numpy", "ndarray")),
              (ustr("allow_mmap"), NEWTRUE)) + BUILD


def legacy():
    for name, fn, sub in [
        ("legacy_path_dotdot.pkl", "../../etc/passwd", "'../../etc/passwd' is not a plain file name"),
        ("legacy_path_absolute.pkl", "/etc/passwd", "'/etc/passwd' is not a plain file name"),
        ("legacy_path_dotdot_only.pkl", "..", "'..' is not a plain file name"),
        ("legacy_path_backslash.pkl", "..\\..\\x.npy", "is not a plain file name"),
        ("legacy_path_nul.pkl", "ok.npy\x00/etc/passwd", "is not a plain file name"),
        ("legacy_path_empty.pkl", "", "'' is not a plain file name"),
    ]:
        case(name, pk(legacy_wrapper(fn), p=2), 3, 3, sub)
    case("legacy_zfile_path_absolute.pkl",
         pk(legacy_wrapper("/etc/shadow", "ZNDArrayWrapper"), p=2), 3, 3,
         "'/etc/shadow' is not a plain file name")
    case("legacy_missing_companion.pkl", pk(legacy_wrapper("no_such_file_01.npy"), p=2), 3, 3,
         "no_such_file_01.npy: cannot open: No such file or directory")
    # a companion .npy that lies about its shape
    companion("legacy_bad_npy.pkl_01.npy", npy_bytes("<f8", (1000,), f8(1.0)))
    case("legacy_bad_npy.pkl", pk(legacy_wrapper("legacy_bad_npy.pkl_01.npy"), p=2), 3, 3,
         "legacy_bad_npy.pkl_01.npy: byte 128: .npy data is shorter than the shape says")
    # a companion object array whose pickle runs code
    evil = glob("posix", "system") + ustr("id") + TUPLE1 + REDUCE
    companion("legacy_rce_npy.pkl_01.npy",
              npy_bytes("|O", (1,), nested_object_array(evil, 1, p=3)))
    case("legacy_rce_npy.pkl", pk(legacy_wrapper("legacy_rce_npy.pkl_01.npy"), p=2), 3, 1,
         "refusing global posix.system", "posix.system")
    # a companion that names itself
    companion("legacy_self.pkl_01.npy",
              npy_bytes("|O", (2,), nested_object_array(
                  legacy_wrapper("legacy_self.pkl_01.npy") * 2, 2, p=2)))
    case("legacy_self.pkl", pk(legacy_wrapper("legacy_self.pkl_01.npy"), p=2), 3, 3,
         "joblib companion file 'legacy_self.pkl_01.npy' refers back to itself")
    # a chain of companions, each naming the next 12 times: 12**6 reads if
    # every reference were read again
    k, depth = 12, 7
    for i in range(1, depth + 1):
        name = "legacy_fanout.pkl_%02d.npy" % i
        if i == depth:
            companion(name, npy_bytes("<f8", (1,), f8(1.0)))
        else:
            nxt = "legacy_fanout.pkl_%02d.npy" % (i + 1)
            companion(name, npy_bytes("|O", (k,),
                                      nested_object_array(legacy_wrapper(nxt) * k, k, p=2)))
    case("legacy_fanout.pkl", pk(legacy_wrapper("legacy_fanout.pkl_01.npy"), p=2), 0, 0, "-")


# ---------------------------------------------------------------------------
# 11. Text opcodes and strings

def text():
    case("text_int_garbage.pkl", b"I12abc\n.", 3, 3, "byte 0: INT argument is not a decimal integer")
    case("text_int_empty.pkl", b"I\n.", 3, 3, "INT argument is not a decimal integer")
    case("text_int_sign_only.pkl", b"I-\n.", 3, 3, "INT argument is not a decimal integer")
    case("text_long_garbage.pkl", b"L0x10L\n.", 3, 3, "LONG argument is not a decimal integer")
    case("text_long_5000_digits.pkl", b"L" + b"7" * 5000 + b"L\n.", 3, 3,
         "LONG argument has more than 4300 digits")
    # 10**6 digits: the same, in a container so the file stays small
    case("text_long_1m_digits.joblib.z", c_zlib(b"L" + b"9" * 10**6 + b"L\n.", 9), 3, 3,
         "LONG argument has more than 4300 digits")
    case("text_int_4300_digits.pkl", b"I" + b"9" * 4300 + b"\n.", 0, 0, "-")
    case("text_float_garbage.pkl", b"F1.5e\n.", 3, 3, "FLOAT argument '1.5e' is not a number")
    case("text_float_empty.pkl", b"F\n.", 3, 3, "FLOAT argument is not a number")
    case("text_float_long.pkl", b"F" + b"1" * 200 + b"\n.", 3, 3, "FLOAT argument is not a number")
    case("text_float_hex.pkl", b"F0x1p3garbage\n.", 3, 3, "is not a number")
    case("text_unicode_beyond_max.pkl", b"V\\U00110000\n.", 3, 3,
         "UNICODE argument has a malformed \\u escape")
    case("text_unicode_bad_escape.pkl", b"V\\u12\n.", 3, 3,
         "UNICODE argument has a malformed \\u escape")
    case("text_unicode_ok_surrogate.pkl", b"V\\ud800x\n.", 0, 0, "-")
    case("text_string_unquoted.pkl", b"Sabc\n.", 3, 3, "STRING argument is not a quoted Python string")
    case("text_string_bad_hex.pkl", b"S'\\xZZ'\n.", 3, 3,
         "STRING argument is not a quoted Python string")
    case("text_string_trailing_backslash.pkl", b"S'abc\\'\n.", 3, 3,
         "STRING argument is not a quoted Python string")
    case("utf8_invalid_binunicode.pkl", pk(binunicode(b"\xff\xfe\xfd")), 3, 3,
         "byte 2: BINUNICODE text is not valid UTF-8")
    case("utf8_overlong.pkl", pk(ustr(b"\xc0\xaf")), 3, 3,
         "SHORT_BINUNICODE text is not valid UTF-8")
    case("utf8_beyond_max.pkl", pk(ustr(b"\xf4\x90\x80\x80")), 3, 3,
         "SHORT_BINUNICODE text is not valid UTF-8")
    case("utf8_five_byte.pkl", pk(ustr(b"\xf8\x88\x80\x80\x80")), 3, 3,
         "SHORT_BINUNICODE text is not valid UTF-8")
    case("utf8_cut_sequence.pkl", pk(ustr(b"ab\xe2\x82")), 3, 3,
         "SHORT_BINUNICODE text is not valid UTF-8")
    case("utf8_in_global.pkl", pk(ustr(b"\xff"), ustr("x"), STACK_GLOBAL), 3, 3,
         "SHORT_BINUNICODE text is not valid UTF-8")
    case("codecs_encode_nonlatin.pkl",
         pk(glob("_codecs", "encode"), ustr("\u20ac"), ustr("latin1"), TUPLE2, REDUCE, p=2), 3, 3,
         "_codecs.encode: text has characters beyond latin-1")
    case("codecs_encode_other.pkl",
         pk(glob("_codecs", "encode"), ustr("x"), ustr("rot13"), TUPLE2, REDUCE, p=2), 3, 3,
         "_codecs.encode called with arguments other than")


# ---------------------------------------------------------------------------
# 12. Amplification: small files that cost a lot if the reader is careless

def amplification():
    # one estimator, referenced 50 000 times from a list, with a state dict of
    # 50 000 keys: a reader that looks keys up per reference does 2.5e9 steps
    n = 50_000
    s = proto(4) + glob("sklearn.linear_model._base", "LinearRegression") + EMPTY_TUPLE + \
        NEWOBJ + put(1) + EMPTY_DICT + ustr("k_") + put(3) + POP + EMPTY_LIST + put(4) + POP + \
        MARK + (get(3) + get(4)) * n + SETITEMS + BUILD + POP + \
        EMPTY_LIST + MARK + get(1) * n + APPENDS + STOP
    case("amp_shared_estimator.joblib.z", c_zlib(s, 9), 0, 0, "-")
    # an estimator whose 20 000 fitted attributes are estimators that all
    # share one state dict of 20 000 keys: printing each state again would
    # print 4e8 entries
    n = 20_000
    lr = glob("sklearn.linear_model._base", "LinearRegression")
    s = proto(4) + lr + put(1) + POP + ustr("k_") + put(3) + POP + \
        EMPTY_DICT + put(2) + MARK + (get(3) + NONE) * n + SETITEMS + POP + \
        get(1) + EMPTY_TUPLE + NEWOBJ + EMPTY_DICT + MARK + \
        (get(3) + get(1) + EMPTY_TUPLE + NEWOBJ + get(2) + BUILD) * n + SETITEMS + BUILD + STOP
    case("amp_shared_state.joblib.z", c_zlib(s, 9), 0, 0, "-")
    # 2.5 million objects of one class, each NEWOBJ + BUILD: a reader that
    # looks the class up in its table at every use spends seconds
    n = 2_500_000
    s = proto(4) + glob("sklearn.linear_model._base", "LinearRegression") + put(1) + POP + \
        EMPTY_DICT + put(2) + POP + EMPTY_LIST + MARK + \
        (get(1) + EMPTY_TUPLE + NEWOBJ + get(2) + BUILD) * n + APPENDS + STOP
    case("amp_many_objects.joblib.z", c_zlib(s, 9), 3, 3, "bytes of memory for its objects")
    # a dtype with 4000 names looked up in a 1 000 000-entry fields dict
    k = 1_000_000
    s = proto(4) + np_dtype("f8") + put(0) + POP + ustr("a") + put(1) + POP + ustr("b") + \
        put(2) + POP + get(0) + binint(0) + TUPLE2 + put(3) + POP
    names = MARK + get(1) * 4000 + TUPLE
    fields = EMPTY_DICT + MARK + (get(2) + get(3)) * k + get(1) + get(3) + SETITEMS
    s += glob("numpy", "dtype") + ustr("V8") + NEWFALSE + NEWTRUE + TUPLE3 + REDUCE + \
        tup(binint(3), ustr("|"), NONE, names, fields, binint(8), binint(1), binint(16)) + \
        BUILD + STOP
    case("amp_dtype_fields.joblib.z", c_zlib(s, 9), 3, 3,
         "dtype state: 4000 names and 1000001 fields (at most 4096)")
    # a 300 KB integer (LONG4): reading is linear, printing it in decimal is not
    s = proto(2) + b"\x8b" + struct.pack("<i", 300_000) + b"\x11" * 300_000 + STOP
    case("amp_long4_300k.joblib.z", c_zlib(s, 9), 0, 0, "-")
    # 12 000 distinct globals (test_hostile.c makes 100 000)
    n = 12_000
    s = proto(2) + MARK + b"".join(glob("sklearn.m%d" % i, "C") for i in range(n)) + TUPLE + STOP
    case("amp_globals_12k.joblib.bz2", c_bz2(s), 0, 1, "-", "sklearn.m11999.C")
    # 48 MiB of MEMOIZE (under the 64 MiB expansion floor): each makes a
    # memo entry (48 Mi entries, 1.5 GiB of memo if nothing counted it)
    s = proto(4) + NONE + MEMOIZE * (48 << 20) + STOP
    case("amp_memoize_48m.joblib.bz2", c_bz2(s), 3, 3, "bytes of memory for its objects")
    # 24 Mi of None + APPEND: each makes a value (2.6 GiB of values if the
    # budget grew with the inflated stream)
    s = proto(4) + EMPTY_LIST + b"Na" * (24 << 20) + STOP
    case("amp_none_append_48m.joblib.bz2", c_bz2(s), 3, 3, "bytes of memory for its objects")
    # 16 Mi + 1 values on the stack
    s = proto(4) + NONE + DUP * (1 << 24) + STOP
    case("amp_stack_16m.joblib.bz2", c_bz2(s), 3, 3,
         "the pickle stack grows beyond 16777216 entries")
    # 16 Mi + 1 MARKs
    s = proto(4) + MARK * ((1 << 24) + 1) + STOP
    case("amp_marks_16m.joblib.bz2", c_bz2(s), 3, 3, "more than 16777216 nested MARKs")


def main():
    real_pickles()
    hand_rce()
    joblib_rce()
    structural()
    sizes()
    deep()
    numpy_cases()
    joblib_cases()
    compressed()
    legacy()
    text()
    amplification()
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old not in FILES:
            os.remove(os.path.join(OUT, old))
    for name, data in FILES.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    with open(os.path.join(HERE, "expect.tsv"), "w") as f:
        f.write("# file\tinspect_exit\tscan_exit\tinspect_stderr\tscan_output\n")
        f.write("# written by make_hostile.py; see its docstring\n")
        for name, i, s, sub, ssub in CASES:
            f.write("%s\t%d\t%d\t%s\t%s\n" % (name, i, s, sub, ssub))
    total = sum(len(d) for d in FILES.values())
    print("%d cases, %d files, %d bytes" % (len(CASES), len(FILES), total))


if __name__ == "__main__":
    main()
