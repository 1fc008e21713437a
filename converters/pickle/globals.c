/* The closed table of globals (see globals.h).
 *
 * Entries that are not scikit-learn are listed here by hand, each with the
 * only uses it may have.  Names seen in real files: reference/
 * globals_by_protocol.txt (sklearn 1.2.1, protocols 2-5). */
#include "pickle/globals.h"

#include <stdlib.h>
#include <string.h>

#include "pickle/handlers.h"

enum {
    V = MC_USE_VALUE,
    C = MC_USE_CALL,
    N = MC_USE_NEWOBJ,
    I = MC_USE_INST,
    ANY = V | C | N | I
};

static const mc_global_entry table[] = {
    /* numpy arrays, dtypes, scalars: numpy 1.x writes numpy.core, 2.x
     * numpy._core (renamed in numpy 2.0). */
    {"numpy.core.multiarray", "_reconstruct", C, mc_np_reconstruct, NULL},
    {"numpy._core.multiarray", "_reconstruct", C, mc_np_reconstruct, NULL},
    {"numpy.core.multiarray", "scalar", C, mc_np_scalar, NULL},
    {"numpy._core.multiarray", "scalar", C, mc_np_scalar, NULL},
    {"numpy.core.numeric", "_frombuffer", C, mc_np_frombuffer, NULL},
    {"numpy._core.numeric", "_frombuffer", C, mc_np_frombuffer, NULL},
    {"numpy", "dtype", V | C, mc_np_dtype, NULL},
    /* array types, as the subtype argument of _reconstruct */
    {"numpy", "ndarray", V, NULL, NULL},
    {"numpy", "matrix", V, NULL, NULL},
    {"numpy.matrixlib.defmatrix", "matrix", V, NULL, NULL},
    {"numpy", "memmap", V, NULL, NULL},
    {"numpy.core.memmap", "memmap", V, NULL, NULL},
    {"numpy._core.memmap", "memmap", V, NULL, NULL},
    /* scalar types, as parameter values (e.g. dtype=numpy.float64) */
    {"numpy", "bool_", V, NULL, NULL},
    {"numpy", "bool", V, NULL, NULL},
    {"numpy", "int8", V, NULL, NULL},
    {"numpy", "int16", V, NULL, NULL},
    {"numpy", "int32", V, NULL, NULL},
    {"numpy", "int64", V, NULL, NULL},
    {"numpy", "uint8", V, NULL, NULL},
    {"numpy", "uint16", V, NULL, NULL},
    {"numpy", "uint32", V, NULL, NULL},
    {"numpy", "uint64", V, NULL, NULL},
    {"numpy", "float16", V, NULL, NULL},
    {"numpy", "float32", V, NULL, NULL},
    {"numpy", "float64", V, NULL, NULL},
    {"numpy", "complex64", V, NULL, NULL},
    {"numpy", "complex128", V, NULL, NULL},
    {"numpy", "str_", V, NULL, NULL},
    {"numpy", "bytes_", V, NULL, NULL},
    {"numpy", "object_", V, NULL, NULL},
    {"numpy", "datetime64", V, NULL, NULL},
    {"numpy", "timedelta64", V, NULL, NULL},
    /* random state (GradientBoosting _rng, random_state params): symbolic */
    {"numpy.random._pickle", "__randomstate_ctor", C, NULL, NULL},
    {"numpy.random._pickle", "__bit_generator_ctor", C, NULL, NULL},
    {"numpy.random._pickle", "__generator_ctor", C, NULL, NULL},
    {"numpy.random.mtrand", "RandomState", ANY, NULL, NULL},
    {"numpy.random._generator", "Generator", ANY, NULL, NULL},
    {"numpy.random._mt19937", "MT19937", ANY, NULL, NULL},
    {"numpy.random._pcg64", "PCG64", ANY, NULL, NULL},
    {"numpy.random._pcg64", "PCG64DXSM", ANY, NULL, NULL},
    {"numpy.random._philox", "Philox", ANY, NULL, NULL},
    {"numpy.random._sfc64", "SFC64", ANY, NULL, NULL},
    {"numpy.random.bit_generator", "SeedSequence", ANY, NULL, NULL},
    /* Cython auto-pickle of SeedSequence (numpy 2.x Generator state) */
    {"numpy.random.bit_generator", "__pyx_unpickle_SeedSequence", C, NULL, NULL},

    /* builtins that only build data */
    {"builtins", "set", V | C, mc_py_set, NULL},
    {"builtins", "frozenset", V | C, mc_py_set, NULL},
    {"builtins", "complex", V | C, mc_py_complex, NULL},
    {"builtins", "bytearray", V | C, mc_py_bytearray, NULL},
    {"builtins", "bytes", V | C, mc_py_bytes, NULL},
    {"builtins", "slice", V | C, NULL, NULL},
    {"builtins", "range", V | C, NULL, NULL},
    {"builtins", "object", V, NULL, NULL},
    {"builtins", "list", V, NULL, NULL},
    {"builtins", "dict", V, NULL, NULL},
    {"builtins", "tuple", V, NULL, NULL},
    {"builtins", "int", V, NULL, NULL},
    {"builtins", "float", V, NULL, NULL},
    {"builtins", "str", V, NULL, NULL},
    {"builtins", "bool", V, NULL, NULL},
    {"_codecs", "encode", C, mc_py_codecs_encode, NULL},
    {"copyreg", "_reconstructor", C, mc_py_reconstructor, NULL},
    {"copyreg", "__newobj__", C, mc_py_newobj, NULL},
    {"copyreg", "__newobj_ex__", C, mc_py_newobj_ex, NULL},
    {"collections", "OrderedDict", V | C, mc_py_dict_class, NULL},
    {"collections", "defaultdict", V | C, mc_py_dict_class, NULL},
    {"collections", "Counter", V | C, mc_py_dict_class, NULL},
    /* partial(f, *args) only binds arguments; f is a global checked on its
     * own.  sklearn 1.9 HGB with categorical features pickles
     * partial(sklearn.utils.validation.check_array, ...). */
    {"functools", "partial", V | C, NULL, NULL},
    {"datetime", "datetime", V | C, NULL, NULL},
    {"datetime", "date", V | C, NULL, NULL},
    {"datetime", "time", V | C, NULL, NULL},
    {"datetime", "timedelta", V | C, NULL, NULL},
    {"datetime", "timezone", V | C, NULL, NULL},

    /* joblib: arrays written beside the pickle stream (>= 0.10) or in
     * companion files (< 0.10); also under scikit-learn's old vendored copy */
    {"joblib.numpy_pickle", "NumpyArrayWrapper", N | I, NULL, mc_joblib_wrapper_build},
    {"joblib.numpy_pickle", "NDArrayWrapper", N | I, NULL, mc_joblib_legacy_build},
    {"joblib.numpy_pickle", "ZNDArrayWrapper", N | I, NULL, mc_joblib_legacy_build},
    {"joblib.numpy_pickle_compat", "NDArrayWrapper", N | I, NULL, mc_joblib_legacy_build},
    {"joblib.numpy_pickle_compat", "ZNDArrayWrapper", N | I, NULL, mc_joblib_legacy_build},
    {"sklearn.externals.joblib.numpy_pickle", "NumpyArrayWrapper", N | I, NULL,
     mc_joblib_wrapper_build},
    {"sklearn.externals.joblib.numpy_pickle", "NDArrayWrapper", N | I, NULL,
     mc_joblib_legacy_build},
    {"sklearn.externals.joblib.numpy_pickle", "ZNDArrayWrapper", N | I, NULL,
     mc_joblib_legacy_build},

    /* scipy sparse matrices (plain data classes, NEWOBJ + state dict) */
    {"scipy.sparse._csr", "csr_matrix", N, NULL, NULL},
    {"scipy.sparse._csc", "csc_matrix", N, NULL, NULL},
    {"scipy.sparse._coo", "coo_matrix", N, NULL, NULL},
    {"scipy.sparse._csr", "csr_array", N, NULL, NULL},
    {"scipy.sparse._csc", "csc_array", N, NULL, NULL},
    {"scipy.sparse._coo", "coo_array", N, NULL, NULL},
    {"scipy.sparse.csr", "csr_matrix", N, NULL, NULL},
    {"scipy.sparse.csc", "csc_matrix", N, NULL, NULL},
    {"scipy.sparse.coo", "coo_matrix", N, NULL, NULL},
};

/* scikit-learn classes and Cython reconstructors, sorted by (module, name) */
static const struct {
    const char *module, *name;
} sklearn_table[] = {
#define MC_SKLEARN_GLOBAL(m, n) {m, n},
#include "pickle/sklearn_globals.inc"
#undef MC_SKLEARN_GLOBAL
};

static const mc_global_entry sklearn_entry = {"sklearn", "*", ANY, NULL, NULL};

/* Modules (or module.name) that run code or touch the system when a pickle
 * names them; the reasons scan prints.  Matching is by module prefix. */
static const struct {
    const char *prefix;
    const char *reason;
} unsafe[] = {
    {"os", "runs system commands and touches files"},
    {"posix", "runs system commands and touches files"},
    {"nt", "runs system commands and touches files"},
    {"subprocess", "starts processes"},
    {"sys", "changes the interpreter"},
    {"builtins.eval", "evaluates Python code"},
    {"builtins.exec", "executes Python code"},
    {"builtins.compile", "compiles Python code"},
    {"builtins.open", "opens files"},
    {"builtins.__import__", "imports modules"},
    {"builtins.getattr", "reaches any attribute (e.g. os.system)"},
    {"builtins.setattr", "changes objects"},
    {"builtins.delattr", "changes objects"},
    {"builtins.globals", "reaches interpreter state"},
    {"builtins.locals", "reaches interpreter state"},
    {"builtins.vars", "reaches interpreter state"},
    {"builtins.input", "reads the terminal"},
    {"builtins.breakpoint", "starts a debugger"},
    {"builtins.exit", "exits the interpreter"},
    {"builtins.quit", "exits the interpreter"},
    {"builtins.help", "starts a pager"},
    {"builtins.print", "writes output"},
    {"builtins.memoryview", "exposes memory"},
    {"builtins.type", "creates classes"},
    {"builtins.super", "reaches methods"},
    {"runpy", "runs modules"},
    {"importlib", "imports modules"},
    {"imp", "imports modules"},
    {"pkgutil", "imports modules"},
    {"pickle", "unpickles nested data with no restriction"},
    {"_pickle", "unpickles nested data with no restriction"},
    {"dill", "unpickles nested data with no restriction"},
    {"cloudpickle", "rebuilds arbitrary functions"},
    {"marshal", "loads code objects"},
    {"types", "creates code and function objects"},
    {"code", "executes Python code"},
    {"codeop", "compiles Python code"},
    {"shutil", "touches files"},
    {"tempfile", "touches files"},
    {"pathlib", "touches files"},
    {"io", "opens files"},
    {"_io", "opens files"},
    {"glob", "lists files"},
    {"socket", "opens network connections"},
    {"ssl", "opens network connections"},
    {"http", "opens network connections"},
    {"urllib", "opens network connections"},
    {"requests", "opens network connections"},
    {"ftplib", "opens network connections"},
    {"smtplib", "opens network connections"},
    {"telnetlib", "opens network connections"},
    {"webbrowser", "starts programs"},
    {"ctypes", "calls native code"},
    {"_ctypes", "calls native code"},
    {"cffi", "calls native code"},
    {"pty", "starts processes"},
    {"platform", "runs system commands"},
    {"signal", "changes signal handling"},
    {"multiprocessing", "starts processes"},
    {"threading", "starts threads"},
    {"_thread", "starts threads"},
    {"asyncio", "runs event loops"},
    {"operator", "calls attributes of other objects (attrgetter, methodcaller)"},
    {"functools.reduce", "calls a function while loading"},
    /* C modules behind the Python names above, as protocol >= 4 pickles
     * name them (e.g. functools.reduce pickles as _functools.reduce) */
    {"_functools.reduce", "calls a function while loading"},
    {"_operator", "calls attributes of other objects (attrgetter, methodcaller)"},
    {"_posixsubprocess", "starts processes"},
    {"_socket", "opens network connections"},
    {"_signal", "changes signal handling"},
    {"_imp", "imports modules"},
    {"_frozen_importlib", "imports modules"},
    {"_frozen_importlib_external", "imports modules"},
    {"zipimport", "imports modules"},
    /* standard modules whose functions run code strings or commands */
    {"timeit", "executes Python code"},
    {"cProfile", "executes Python code"},
    {"profile", "executes Python code"},
    {"trace", "executes Python code"},
    {"doctest", "executes Python code"},
    {"pdb", "starts a debugger"},
    {"bdb", "starts a debugger"},
    {"pydoc", "runs system commands (pager)"},
    {"shelve", "opens files and unpickles them"},
    {"logging.config", "executes configuration code"},
    {"distutils", "compiles and runs code"},
    {"setuptools", "compiles and runs code"},
    {"pip", "installs and runs code"},
    {"itertools", "calls other callables"},
    {"inspect", "reaches interpreter state"},
    {"gc", "reaches interpreter state"},
    {"numpy.testing", "runs code (numpy.testing runstring)"},
    {"numpy.f2py", "compiles and runs code"},
    {"numpy.distutils", "compiles and runs code"},
    {"numpy.load", "unpickles nested files"},
    {"numpy.lib.npyio", "reads and unpickles nested files"},
    {"joblib.load", "unpickles nested files"},
    {"sklearn.utils._testing", "runs scripts and processes"},
    {"sklearn.externals.joblib.load", "unpickles nested files"},
    {"torch", "runs code (torch.load, torch.hub, torch.jit)"},
    {"__main__", "refers to code in the loading program"},
};

static int prefix_match(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

static int cmp_sklearn(const void *key, const void *elem)
{
    const char *const *k = key;
    const struct {
        const char *module, *name;
    } *e = elem;
    int c = strcmp(k[0], e->module);
    return c ? c : strcmp(k[1], e->name);
}

static const char *unsafe_reason(const char *module, const char *name)
{
    char path[512];
    size_t ml = strlen(module), nl = strlen(name);
    if (ml + nl + 2 > sizeof path)
        return NULL;
    memcpy(path, module, ml);
    path[ml] = '.';
    memcpy(path + ml + 1, name, nl + 1);
    /* (the first-character test keeps a lookup cheap: the VM classifies a
     * global at every use, and a file may use one millions of times) */
    for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
        if (unsafe[i].prefix[0] == path[0] && prefix_match(path, unsafe[i].prefix))
            return unsafe[i].reason;
    return NULL;
}

void mc_global_classify(const char *module, const char *name, mc_global_info *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].module[0] == module[0] && strcmp(table[i].module, module) == 0 &&
            strcmp(table[i].name, name) == 0) {
            out->entry = &table[i];
            out->verdict = MC_VERDICT_SAFE;
            out->reason = "";
            out->accepted = 1;
            out->uses = table[i].uses;
            return;
        }
    }
    const char *reason = unsafe_reason(module, name);
    if (reason) {
        out->verdict = MC_VERDICT_UNSAFE;
        out->reason = reason;
        return;
    }
    if (prefix_match(module, "sklearn")) {
        const char *key[2] = {module, name};
        /* Protocol >= 4 resolves a dotted name attribute by attribute, so
         * sklearn.datasets._base + shutil.rmtree is shutil.rmtree: a path
         * through a scikit-learn module into whatever it imported.  No
         * scikit-learn class pickles under a dotted name. */
        if (strchr(name, '.')) {
            out->verdict = MC_VERDICT_UNSAFE;
            out->reason = "a dotted name reaches through a scikit-learn module into what it "
                          "imports (e.g. os, shutil)";
            return;
        }
        out->entry = &sklearn_entry;
        out->accepted = 1; /* symbolic: never called, so safe for us to read */
        out->uses = ANY;
        if (bsearch(key, sklearn_table, sizeof sklearn_table / sizeof sklearn_table[0],
                    sizeof sklearn_table[0], cmp_sklearn)) {
            out->verdict = MC_VERDICT_SAFE;
            out->reason = "";
        } else {
            out->verdict = MC_VERDICT_UNKNOWN;
            out->reason = "a scikit-learn name this build does not know (newer release, or "
                          "not a class)";
        }
        return;
    }
    out->verdict = MC_VERDICT_UNKNOWN;
    out->reason = "not in the table of globals known to build data only";
}

void mc_global_py3_name(const char **module, const char **name)
{
    /* Lib/_compat_pickle.py IMPORT_MAPPING / NAME_MAPPING, the entries that
     * matter for data pickles. */
    static const struct {
        const char *m2, *n2, *m3, *n3;
    } names[] = {
        {"__builtin__", "unicode", "builtins", "str"},
        {"__builtin__", "basestring", "builtins", "str"},
        {"__builtin__", "long", "builtins", "int"},
        {"__builtin__", "xrange", "builtins", "range"},
        {"__builtin__", "reduce", "functools", "reduce"},
        {"__builtin__", "intern", "sys", "intern"},
        {"__builtin__", "raw_input", "builtins", "input"},
        {"__builtin__", "execfile", "builtins", "exec"},
        {"UserDict", "UserDict", "collections", "UserDict"},
    };
    static const struct {
        const char *m2, *m3;
    } modules[] = {
        {"__builtin__", "builtins"},
        {"copy_reg", "copyreg"},
        {"exceptions", "builtins"},
        {"cPickle", "pickle"},
        {"commands", "subprocess"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(*module, names[i].m2) == 0 && strcmp(*name, names[i].n2) == 0) {
            *module = names[i].m3;
            *name = names[i].n3;
            return;
        }
    }
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        if (strcmp(*module, modules[i].m2) == 0) {
            *module = modules[i].m3;
            return;
        }
    }
}

const mc_global_entry *mc_global_entry_of(const mc_value *global)
{
    if (!global || global->kind != MC_GLOBAL)
        return NULL;
    mc_global_info info;
    mc_global_classify(global->u.global.module, global->u.global.name, &info);
    return info.entry;
}
