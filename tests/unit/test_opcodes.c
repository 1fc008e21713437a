/* The pickle VM opcode by opcode, and every allowed global's handler.
 *
 * Hand-built streams exercise each opcode of reference/pickle_opcodes.txt;
 * the byte strings marked "CPython" were written by CPython 3.11's pickle
 * (numpy 2.4) from the Python expression beside them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "modelconv/read.h"
#include "modelconv/scan.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static mc_document *doc;

static const mc_value *load(const uint8_t *bytes, size_t n)
{
    mc_error err;
    if (doc)
        mc_document_free(doc);
    doc = NULL;
    if (mc_read_memory(bytes, n, "test", NULL, &doc, &err) != MC_OK)
        fail_msg("read failed: %s", err.message);
    return mc_document_root(doc);
}

static void load_fails(const uint8_t *bytes, size_t n, const char *needle)
{
    mc_error err;
    mc_document *d = NULL;
    mc_status st = mc_read_memory(bytes, n, "test", NULL, &d, &err);
    assert_null(d);
    assert_int_equal(st, MC_E_INPUT);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    assert_true(err.offset >= 0);
}

static int teardown(void **state)
{
    (void)state;
    mc_document_free(doc);
    doc = NULL;
    return 0;
}

static void assert_int_value(const mc_value *v, int64_t want)
{
    int64_t got;
    assert_int_equal(mc_value_to_int64(v, &got), 0);
    assert_int_equal(got, want);
}

static void assert_text(const mc_value *v, const char *want)
{
    if (!mc_value_is_str(v, want))
        fail_msg("expected text '%s'", want);
}

/* ---- numbers ----------------------------------------------------------- */

static void test_int_opcodes(void **state)
{
    (void)state;
    assert_int_value(load(B("I42\n.")), 42);
    assert_int_value(load(B("I-7\n.")), -7);
    const mc_value *v = load(B("I01\n."));
    assert_int_equal(v->kind, MC_BOOL);
    assert_true(v->u.boolean);
    assert_false(load(B("I00\n."))->u.boolean);
    assert_int_value(load(B("J\xfe\xff\xff\xff.")), -2);          /* BININT */
    assert_int_value(load(B("K\xff.")), 255);                      /* BININT1 */
    assert_int_value(load(B("M\x01\x02.")), 0x201);                /* BININT2 */
    assert_int_value(load(B("L123L\n.")), 123);                    /* LONG */
    assert_int_value(load(B("\x80\x02\x8a\x01\xff.")), -1);        /* LONG1 */
    assert_int_value(load(B("\x80\x02\x8a\x00.")), 0);
    assert_int_value(load(B("\x80\x02\x8b\x02\x00\x00\x00\x00\x80.")), -32768); /* LONG4 */
    /* beyond int64: kept as two's complement bytes */
    v = load(B("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00@.")); /* CPython: 2**70 */
    assert_int_equal(v->kind, MC_BIGINT);
    assert_int_equal(v->u.bytes.len, 9);
    assert_int_equal(v->u.bytes.data[8], 0x40);
    v = load(B("L-36893488147419103232L\n.")); /* -2**65 */
    assert_int_equal(v->kind, MC_BIGINT);
    assert_int_equal(v->u.bytes.data[v->u.bytes.len - 1], 0xfe);
    assert_int_value(load(B("L9223372036854775807\n.")), INT64_MAX);
    assert_int_equal(load(B("L9223372036854775808\n."))->kind, MC_BIGINT);
    assert_int_value(load(B("L-9223372036854775808\n.")), INT64_MIN);
}

static void test_float_opcodes(void **state)
{
    (void)state;
    assert_true(load(B("F2.5\n."))->u.f == 2.5);
    assert_true(isnan(load(B("Fnan\n."))->u.f));
    assert_true(isinf(load(B("F-inf\n."))->u.f));
    /* BINFLOAT is big-endian */
    assert_true(load(B("G\x3f\xf8\x00\x00\x00\x00\x00\x00."))->u.f == 1.5);
    load_fails(B("F1.5x\n."), "not a number");
}

/* ---- strings and bytes --------------------------------------------------- */

static void test_string_opcodes(void **state)
{
    (void)state;
    const mc_value *v = load(B("S'a\\nb\\x41\\'c'\n.")); /* STRING, Python 2 repr */
    assert_int_equal(v->kind, MC_BYTES);
    assert_true(v->u.bytes.py2_str);
    assert_int_equal(v->u.bytes.len, 6);
    assert_memory_equal(v->u.bytes.data, "a\nbA'c", 6);
    v = load(B("T\x03\x00\x00\x00\xe9\x00z.")); /* BINSTRING */
    assert_true(v->u.bytes.py2_str);
    assert_memory_equal(v->u.bytes.data, "\xe9\x00z", 3);
    v = load(B("U\x02hi.")); /* SHORT_BINSTRING: text for lookups */
    assert_text(v, "hi");
    v = load(B("\x80\x03""B\x02\x00\x00\x00\x00\xff.")); /* BINBYTES */
    assert_int_equal(v->kind, MC_BYTES);
    assert_false(v->u.bytes.py2_str);
    assert_int_equal(v->u.bytes.len, 2);
    v = load(B("\x80\x03""C\x01z.")); /* SHORT_BINBYTES */
    assert_int_equal(v->u.bytes.data[0], 'z');
    v = load(B("\x80\x04\x8e\x01\x00\x00\x00\x00\x00\x00\x00q.")); /* BINBYTES8 */
    assert_int_equal(v->kind, MC_BYTES);
    v = load(B("\x80\x05\x96\x02\x00\x00\x00\x00\x00\x00\x00""ab.")); /* BYTEARRAY8 */
    assert_int_equal(v->kind, MC_BYTEARRAY);
    v = load(B("\x80\x05\x96\x01\x00\x00\x00\x00\x00\x00\x00""a\x98.")); /* READONLY_BUFFER */
    assert_int_equal(v->kind, MC_BYTEARRAY);
    load_fails(B("\x80\x05\x97."), "out-of-band");                  /* NEXT_BUFFER */
    v = load(B("Vcaf\\u00e9 \\U0001f600\n.")); /* UNICODE, raw-unicode-escape */
    assert_int_equal(v->kind, MC_STR);
    assert_string_equal(v->u.str.data, "caf\xc3\xa9 \xf0\x9f\x98\x80");
    assert_text(load(B("X\x02\x00\x00\x00\xc3\xa9.")), "\xc3\xa9");  /* BINUNICODE */
    assert_text(load(B("\x80\x04\x8c\x03""abc.")), "abc");            /* SHORT_BINUNICODE */
    assert_text(load(B("\x80\x04\x8d\x01\x00\x00\x00\x00\x00\x00\x00x.")), "x"); /* BINUNICODE8 */
    load_fails(B("X\x01\x00\x00\x00\xff."), "UTF-8");
}

static void test_constants(void **state)
{
    (void)state;
    assert_int_equal(load(B("N."))->kind, MC_NONE);
    assert_true(load(B("\x80\x02\x88."))->u.boolean);   /* NEWTRUE */
    assert_false(load(B("\x80\x02\x89."))->u.boolean);  /* NEWFALSE */
}

/* ---- containers ------------------------------------------------------------ */

static void test_list_opcodes(void **state)
{
    (void)state;
    const mc_value *v = load(B("]K\x01""a(K\x02K\x03""e.")); /* EMPTY_LIST APPEND APPENDS */
    assert_int_equal(v->kind, MC_LIST);
    assert_int_equal(mc_value_len(v), 3);
    assert_int_value(mc_value_item(v, 2), 3);
    v = load(B("(I1\nI2\nl.")); /* LIST */
    assert_int_equal(mc_value_len(v), 2);
    /* CPython protocol 0: [1, 'a', 2.5, None, True] */
    v = load(B("(lp0\x0aI1\x0a""aVa\x0ap1\x0a""aF2.5\x0a""aNaI01\x0a""a."));
    assert_int_equal(mc_value_len(v), 5);
    assert_text(mc_value_item(v, 1), "a");
    assert_int_equal(mc_value_item(v, 4)->kind, MC_BOOL);
}

static void test_tuple_opcodes(void **state)
{
    (void)state;
    assert_int_equal(mc_value_len(load(B(")."))), 0);
    assert_int_equal(mc_value_len(load(B("\x80\x02K\x01\x85."))), 1);
    assert_int_equal(mc_value_len(load(B("\x80\x02K\x01K\x02\x86."))), 2);
    const mc_value *v = load(B("\x80\x02K\x01K\x02K\x03\x87."));
    assert_int_equal(v->kind, MC_TUPLE);
    assert_int_value(mc_value_item(v, 0), 1);
    assert_int_value(mc_value_item(v, 2), 3);
    v = load(B("(K\x01K\x02K\x03K\x04t."));
    assert_int_equal(mc_value_len(v), 4);
}

static void test_dict_opcodes(void **state)
{
    (void)state;
    const mc_value *v = load(B("}X\x01\x00\x00\x00""aK\x01s.")); /* EMPTY_DICT SETITEM */
    assert_int_value(mc_dict_get(v, "a"), 1);
    v = load(B("}(X\x01\x00\x00\x00""aK\x01X\x01\x00\x00\x00""bK\x02u.")); /* SETITEMS */
    assert_int_value(mc_dict_get(v, "b"), 2);
    v = load(B("(S'k'\nI5\nd.")); /* DICT */
    assert_int_value(mc_dict_get(v, "k"), 5);
    /* CPython protocol 1: {'x': (1, 2)} */
    v = load(B("}q\x00X\x01\x00\x00\x00xq\x01(K\x01K\x02tq\x02s."));
    assert_int_equal(mc_value_len(mc_dict_get(v, "x")), 2);
    /* a repeated key: the last wins, as in Python */
    v = load(B("}(X\x01\x00\x00\x00""aK\x01X\x01\x00\x00\x00""aK\x02u."));
    assert_int_value(mc_dict_get(v, "a"), 2);
    load_fails(B("}(K\x01u."), "key without a value");
}

static void test_set_opcodes(void **state)
{
    (void)state;
    /* CPython protocol 4: {1, 2}, frozenset([3]) */
    const mc_value *v = load(B("\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00\x8f\x94(K\x01K\x02\x90."));
    assert_int_equal(v->kind, MC_SET);
    assert_int_equal(mc_value_len(v), 2);
    v = load(B("\x80\x04\x95\x06\x00\x00\x00\x00\x00\x00\x00(K\x03\x91\x94."));
    assert_int_equal(v->kind, MC_FROZENSET);
    load_fails(B("\x80\x04]("
                 "K\x01\x90."), "needs a set");
}

static void test_stack_opcodes(void **state)
{
    (void)state;
    assert_int_value(load(B("K\x01K\x02""0.")), 1);          /* POP */
    assert_int_value(load(B("K\x01(0.")), 1);                /* POP of an empty MARK frame */
    assert_int_value(load(B("K\x01(K\x02K\x03""1.")), 1);    /* MARK POP_MARK */
    const mc_value *v = load(B("]2a.")); /* DUP: a list appended to itself */
    assert_int_equal(mc_value_len(v), 1);
    assert_ptr_equal(mc_value_item(v, 0), v);
    load_fails(B("\x80\x02""0."), "stack underflow");
    load_fails(B("\x80\x02""1."), "MARK");
    load_fails(B("(a."), "stack underflow");
}

static void test_memo_opcodes(void **state)
{
    (void)state;
    /* PUT/GET, BINPUT/BINGET, LONG_BINPUT/LONG_BINGET, MEMOIZE: shared values */
    const mc_value *v = load(B("(]p7\ng7\nt."));
    assert_ptr_equal(mc_value_item(v, 0), mc_value_item(v, 1));
    v = load(B("(]q\x03h\x03t."));
    assert_ptr_equal(mc_value_item(v, 0), mc_value_item(v, 1));
    v = load(B("(]r\x00\x00\x01\x00j\x00\x00\x01\x00t."));
    assert_ptr_equal(mc_value_item(v, 0), mc_value_item(v, 1));
    v = load(B("\x80\x04(]\x94]\x94h\x00h\x01t."));
    assert_ptr_equal(mc_value_item(v, 0), mc_value_item(v, 2));
    assert_ptr_equal(mc_value_item(v, 1), mc_value_item(v, 3));
    load_fails(B("\x80\x02h\x05."), "never stored");
    load_fails(B("\x80\x04\x94."), "stack underflow");
}

static void test_protocol_and_frames(void **state)
{
    (void)state;
    assert_int_value(load(B("\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00K\x07.")), 7);
    assert_int_equal(mc_document_provenance(doc)->protocol, 4);
    load(B("K\x01."));
    assert_int_equal(mc_document_provenance(doc)->protocol, 1);
    load(B("I1\n."));
    assert_int_equal(mc_document_provenance(doc)->protocol, 0);
    load_fails(B("\x80\x06K\x01."), "protocol 6");
    load_fails(B("\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00K\x01."), "FRAME");
    load_fails(B("K\x01"), "without a STOP");
}

static void test_refused_opcodes(void **state)
{
    (void)state;
    load_fails(B("\x80\x02P1\n."), "persistent");
    load_fails(B("K\x01Q."), "persistent");
    load_fails(B("\x80\x02\x82\x01."), "extension registry");
    load_fails(B("\x80\x02\x83\x01\x00."), "extension registry");
    load_fails(B("\x80\x02\x84\x01\x00\x00\x00."), "extension registry");
    load_fails(B("\x80\x02\xff."), "unknown pickle opcode 0xff");
}

/* ---- globals, objects ------------------------------------------------------- */

static void test_object_opcodes(void **state)
{
    (void)state;
    /* GLOBAL + NEWOBJ + BUILD, as every estimator is pickled */
    const mc_value *v =
        load(B("\x80\x02""csklearn.tree._tree\nTree\n)\x81}X\x01\x00\x00\x00""aK\x01sb."));
    assert_true(mc_object_is(v, "sklearn.tree._tree", "Tree"));
    assert_int_equal(v->u.object.ctor, MC_CTOR_NEWOBJ);
    assert_int_value(mc_object_get(v, "a"), 1);
    /* STACK_GLOBAL + REDUCE */
    v = load(B("\x80\x04\x8c\x12sklearn.tree._tree\x94\x8c\x04Tree\x94\x93K\x06\x85R."));
    assert_int_equal(v->u.object.ctor, MC_CTOR_REDUCE);
    assert_int_value(mc_value_item(v->u.object.args, 0), 6);
    /* NEWOBJ_EX */
    v = load(B("\x80\x04\x8c\x12sklearn.tree._tree\x94\x8c\x04Tree\x94\x93)}\x92."));
    assert_int_equal(v->u.object.ctor, MC_CTOR_NEWOBJ_EX);
    assert_int_equal(v->u.object.kwargs->kind, MC_DICT);
    /* INST (protocol 0) and OBJ (protocol 1) */
    v = load(B("(I3\nisklearn.tree._tree\nTree\n."));
    assert_int_equal(v->u.object.ctor, MC_CTOR_INST);
    assert_int_value(mc_value_item(v->u.object.args, 0), 3);
    v = load(B("(csklearn.tree._tree\nTree\nK\x02o."));
    assert_int_equal(v->u.object.ctor, MC_CTOR_INST);
    /* a second BUILD updates the state dict */
    v = load(B("\x80\x02""csklearn.tree._tree\nTree\n)\x81}X\x01\x00\x00\x00""aK\x01sb"
               "}X\x01\x00\x00\x00""bK\x02sb."));
    assert_int_value(mc_object_get(v, "a"), 1);
    assert_int_value(mc_object_get(v, "b"), 2);
    /* APPENDS and SETITEMS on objects (list and dict subclasses) */
    v = load(B("\x80\x02""csklearn.utils._bunch\nBunch\n)\x81(K\x01K\x02u."));
    assert_non_null(v->u.object.dictitems);
    load_fails(B("\x80\x02K\x01K\x02R."), "needs a class or function");
    load_fails(B("\x80\x02]K\x01""b."), "BUILD cannot set the state of a list");
}

static void test_unsafe_globals_refused(void **state)
{
    (void)state;
    load_fails(B("cos\nsystem\nX\x02\x00\x00\x00ls\x85R."), "refusing global os.system");
    load_fails(B("cposix\nsystem\n."), "refusing global posix.system");
    load_fails(B("c__builtin__\neval\n."), "builtins.eval");   /* Python 2 name */
    load_fails(B("\x80\x04\x8c\x0asubprocess\x8c\x05Popen\x93."), "subprocess.Popen");
    load_fails(B("(S'ls'\nios\nsystem\n."), "os.system");       /* INST */
    load_fails(B("cmymodule\nThing\n."), "not in the table");
    load_fails(B("cos.path\njoin\n."), "os.path.join");
    load_fails(B("cbuiltins\ngetattr\n."), "getattr");
    load_fails(B("cfunctools\nreduce\n."), "functools.reduce");
    load_fails(B("cnumpy\nload\n."), "numpy.load");
    /* a known data class cannot be called in a way it never is */
    load_fails(B("cnumpy\nndarray\n)R."), "cannot be called");
    load_fails(B("cnumpy\nfloat64\n)\x81."), "cannot be instantiated");
    /* a name that is not a dotted Python name */
    load_fails(B("\x80\x04\x8c\x04os/x\x8c\x01y\x93."), "not a Python module");
}

static void test_scan_mode_records_everything(void **state)
{
    (void)state;
    mc_read_options opts;
    mc_read_options_init(&opts);
    opts.scan = 1;
    mc_error err;
    mc_document *d;
    static const char pk[] = "cos\nsystem\nX\x02\x00\x00\x00ls\x85R"
                             "csklearn.linear_model._base\nLinearRegression\n)\x81"
                             "cmymod\nthing\n\x86.";
    assert_int_equal(mc_read_memory((const uint8_t *)pk, sizeof pk - 1, "t", &opts, &d, &err),
                     MC_OK);
    size_t n;
    const mc_global_use *g = mc_document_globals(d, &n);
    assert_int_equal(n, 3);
    assert_string_equal(g[0].module, "os");
    assert_int_equal(g[0].verdict, MC_VERDICT_UNSAFE);
    assert_true(g[0].uses & MC_USE_CALL);
    assert_int_equal(g[0].first_offset, 0);
    assert_int_equal(g[1].verdict, MC_VERDICT_SAFE);
    assert_true(g[1].uses & MC_USE_NEWOBJ);
    assert_int_equal(g[2].verdict, MC_VERDICT_UNKNOWN);
    mc_document_free(d);
}

static void test_sklearn_names(void **state)
{
    (void)state;
    mc_read_options opts;
    mc_read_options_init(&opts);
    opts.scan = 1;
    mc_error err;
    mc_document *d;
    /* a scikit-learn name the table does not know is read, but not "safe" */
    static const char pk[] = "csklearn.future._module\nNewEstimator\n)\x81.";
    assert_int_equal(mc_read_memory((const uint8_t *)pk, sizeof pk - 1, "t", NULL, &d, &err),
                     MC_OK);
    size_t n;
    assert_int_equal(mc_document_globals(d, &n)[0].verdict, MC_VERDICT_UNKNOWN);
    mc_document_free(d);
    /* sklearn's testing helpers run scripts: unsafe even though sklearn */
    load_fails(B("csklearn.utils._testing\nassert_run_python_script\n."), "runs scripts");
    (void)opts;
}

/* ---- every allowed global's handler, from CPython pickles -------------------- */

static void test_builtins_globals(void **state)
{
    (void)state;
    const mc_value *v;
    v = load(B("\x80\x02""c__builtin__\x0aset\x0aq\x00]q\x01(K\x01K\x02""e\x85q\x02Rq\x03."));
    assert_int_equal(v->kind, MC_SET); /* CPython: pickle.dumps({1, 2}, 2) */
    assert_int_equal(mc_value_len(v), 2);
    v = load(B("\x80\x02""c__builtin__\x0a""frozenset\x0aq\x00]q\x01K\x03""a\x85q\x02Rq\x03."));
    assert_int_equal(v->kind, MC_FROZENSET);
    v = load(B("\x80\x02""c__builtin__\x0a""complex\x0aq\x00G\x3f\xf8\x00\x00\x00\x00\x00\x00G"
               "\xc0\x00\x00\x00\x00\x00\x00\x00\x86q\x01Rq\x02.")); /* complex(1.5, -2) */
    assert_int_equal(v->kind, MC_COMPLEX);
    assert_true(v->u.complex.re == 1.5 && v->u.complex.im == -2);
    /* bytearray(b'ab\xff') at protocol 2 (via _codecs.encode) and 3 */
    v = load(B("\x80\x02""c__builtin__\x0a""bytearray\x0aq\x00""c_codecs\x0a""encode\x0aq\x01X\x04"
               "\x00\x00\x00""ab\xc3\xbfq\x02X\x06\x00\x00\x00latin1q\x03\x86q\x04Rq\x05\x85q\x06Rq\x07."));
    assert_int_equal(v->kind, MC_BYTEARRAY);
    assert_int_equal(v->u.bytes.len, 3);
    assert_memory_equal(v->u.bytes.data, "ab\xff", 3);
    v = load(B("\x80\x03""cbuiltins\x0a""bytearray\x0aq\x00""C\x03""ab\xffq\x01\x85q\x02Rq\x03."));
    assert_memory_equal(v->u.bytes.data, "ab\xff", 3);
    /* b'ab\xff' and b'' at protocol 2 */
    v = load(B("\x80\x02""c_codecs\x0a""encode\x0aq\x00X\x04\x00\x00\x00""ab\xc3\xbfq\x01X\x06\x00"
               "\x00\x00latin1q\x02\x86q\x03Rq\x04."));
    assert_int_equal(v->kind, MC_BYTES);
    assert_memory_equal(v->u.bytes.data, "ab\xff", 3);
    v = load(B("\x80\x02""c__builtin__\x0a""bytes\x0aq\x00)Rq\x01."));
    assert_int_equal(v->kind, MC_BYTES);
    assert_int_equal(v->u.bytes.len, 0);
    /* slice(0, 2, None), range(1, 5, 2): symbolic */
    v = load(B("\x80\x02""c__builtin__\x0aslice\x0aq\x00K\x00K\x02N\x87q\x01Rq\x02."));
    assert_true(mc_object_is(v, "builtins", "slice"));
    v = load(B("\x80\x03""cbuiltins\x0arange\x0aq\x00K\x01K\x05K\x02\x87q\x01Rq\x02."));
    assert_true(mc_object_is(v, "builtins", "range"));
    /* numpy.float64 as a value (a dtype parameter) */
    v = load(B("\x80\x04\x95\x15\x00\x00\x00\x00\x00\x00\x00\x8c\x05numpy\x94\x8c\x07""float64\x94\x93\x94."));
    assert_int_equal(v->kind, MC_GLOBAL);
    assert_string_equal(v->u.global.name, "float64");
}

static void test_collections_globals(void **state)
{
    (void)state;
    /* OrderedDict([('a', 1), ('b', 2)]) at protocol 2; defaultdict(list,
     * {'k': [1]}) and Counter({'x': 2}) at 4 */
    const mc_value *v = load(B("\x80\x02""ccollections\x0aOrderedDict\x0aq\x00)Rq\x01(X\x01\x00\x00"
                               "\x00""aq\x02K\x01X\x01\x00\x00\x00""bq\x03K\x02u."));
    assert_int_equal(v->kind, MC_DICT);
    assert_string_equal(v->u.dict.cls->u.global.name, "OrderedDict");
    assert_int_value(mc_dict_get(v, "b"), 2);
    v = load(B("\x80\x04\x95""A\x00\x00\x00\x00\x00\x00\x00\x8c\x0b""collections\x94\x8c\x0b"
               "defaultdict\x94\x93\x94\x8c\x08""builtins\x94\x8c\x04list\x94\x93\x94\x85\x94R\x94"
               "\x8c\x01k\x94]\x94K\x01""as."));
    assert_int_equal(mc_value_len(mc_dict_get(v, "k")), 1);
    v = load(B("\x80\x04\x95(\x00\x00\x00\x00\x00\x00\x00\x8c\x0b""collections\x94\x8c\x07""Counter"
               "\x94\x93\x94}\x94\x8c\x01x\x94K\x02s\x85\x94R\x94."));
    assert_int_value(mc_dict_get(v, "x"), 2);
    /* functools.partial(int, base=2); datetime.date(2020, 1, 2); timedelta(1) */
    v = load(B("\x80\x04\x95""D\x00\x00\x00\x00\x00\x00\x00\x8c\x09""functools\x94\x8c\x07partial"
               "\x94\x93\x94\x8c\x08""builtins\x94\x8c\x03int\x94\x93\x94\x85\x94R\x94(h\x05)}\x94\x8c"
               "\x04""base\x94K\x02sNt\x94""b."));
    assert_true(mc_object_is(v, "functools", "partial"));
    assert_int_equal(v->u.object.state->kind, MC_TUPLE);
    v = load(B("\x80\x04\x95 \x00\x00\x00\x00\x00\x00\x00\x8c\x08""datetime\x94\x8c\x04""date\x94"
               "\x93\x94""C\x04\x07\xe4\x01\x02\x94\x85\x94R\x94."));
    assert_true(mc_object_is(v, "datetime", "date"));
    v = load(B("\x80\x04\x95$\x00\x00\x00\x00\x00\x00\x00\x8c\x08""datetime\x94\x8c\x09timedelta"
               "\x94\x93\x94K\x01K\x00K\x00\x87\x94R\x94."));
    assert_true(mc_object_is(v, "datetime", "timedelta"));
    /* copyreg helpers, as protocols 0-1 and hand-written pickles use them */
    v = load(B("ccopy_reg\n_reconstructor\n(csklearn.tree._tree\nTree\nc__builtin__\nobject\nNtR"
               "(dS'k'\nI1\nsb."));
    assert_true(mc_object_is(v, "sklearn.tree._tree", "Tree"));
    assert_int_equal(v->u.object.ctor, MC_CTOR_RECONSTRUCTOR);
    assert_int_value(mc_object_get(v, "k"), 1);
    v = load(B("\x80\x02""ccopyreg\n__newobj__\ncsklearn.tree._tree\nTree\nK\x05\x86R."));
    assert_true(mc_object_is(v, "sklearn.tree._tree", "Tree"));
    assert_int_value(mc_value_item(v->u.object.args, 0), 5);
    v = load(B("\x80\x02""ccopyreg\n__newobj_ex__\ncsklearn.tree._tree\nTree\n)}\x87R."));
    assert_int_equal(v->u.object.ctor, MC_CTOR_NEWOBJ_EX);
    load_fails(B("ccopy_reg\n_reconstructor\n(cos\nsystem\nc__builtin__\nobject\nNtR."), "os.system");
}

static void test_numpy_globals(void **state)
{
    (void)state;
    /* numpy.float64(0.5) at protocol 2 (bytes via _codecs) and 4 */
    const mc_value *v = load(B(
        "\x80\x02""cnumpy._core.multiarray\x0ascalar\x0aq\x00""cnumpy\x0a""dtype\x0aq\x01X\x02\x00"
        "\x00\x00""f8q\x02\x89\x88\x87q\x03Rq\x04(K\x03X\x01\x00\x00\x00<q\x05NNNJ\xff\xff\xff\xffJ"
        "\xff\xff\xff\xffK\x00tq\x06""bc_codecs\x0a""encode\x0aq\x07X\x09\x00\x00\x00\x00\x00\x00\x00"
        "\x00\x00\xc3\xa0\x3fq\x08X\x06\x00\x00\x00latin1q\x09\x86q\x0aRq\x0b\x86q\x0cRq\x0d."));
    double d;
    assert_int_equal(v->kind, MC_SCALAR);
    assert_int_equal(mc_value_to_double(v, &d), 0);
    assert_true(d == 0.5);
    v = load(B("\x80\x04\x95j\x00\x00\x00\x00\x00\x00\x00\x8c\x16numpy._core.multiarray\x94\x8c\x06"
               "scalar\x94\x93\x94\x8c\x05numpy\x94\x8c\x05""dtype\x94\x93\x94\x8c\x02""f8\x94\x89\x88"
               "\x87\x94R\x94(K\x03\x8c\x01<\x94NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94""bC\x08"
               "\x00\x00\x00\x00\x00\x00\xe0\x3f\x94\x86\x94R\x94."));
    assert_int_equal(mc_value_to_double(v, &d), 0);
    assert_true(d == 0.5);
    /* numpy.int32(-7) at protocol 3 */
    v = load(B("\x80\x03""cnumpy._core.multiarray\x0ascalar\x0aq\x00""cnumpy\x0a""dtype\x0aq\x01X\x02"
               "\x00\x00\x00i4q\x02\x89\x88\x87q\x03Rq\x04(K\x03X\x01\x00\x00\x00<q\x05NNNJ\xff\xff\xff"
               "\xffJ\xff\xff\xff\xffK\x00tq\x06""bC\x04\xf9\xff\xff\xffq\x07\x86q\x08Rq\x09."));
    assert_int_value(v, -7);
    /* numpy.arange(3, dtype='<i4') at protocols 2, 4 (_reconstruct) and 5 (_frombuffer) */
    static const char *const arrays[] = {
        "\x80\x02""cnumpy._core.multiarray\x0a_reconstruct\x0aq\x00""cnumpy\x0andarray\x0aq\x01K\x00"
        "\x85q\x02""c_codecs\x0a""encode\x0aq\x03X\x01\x00\x00\x00""bq\x04X\x06\x00\x00\x00latin1q"
        "\x05\x86q\x06Rq\x07\x87q\x08Rq\x09(K\x01K\x03\x85q\x0a""cnumpy\x0a""dtype\x0aq\x0bX\x02\x00"
        "\x00\x00i4q\x0c\x89\x88\x87q\x0dRq\x0e(K\x03X\x01\x00\x00\x00<q\x0fNNNJ\xff\xff\xff\xffJ\xff"
        "\xff\xff\xffK\x00tq\x10""b\x89h\x03X\x0c\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00"
        "\x00\x00q\x11h\x05\x86q\x12Rq\x13tq\x14""b.",
        "\x80\x04\x95\x95\x00\x00\x00\x00\x00\x00\x00\x8c\x16numpy._core.multiarray\x94\x8c\x0c"
        "_reconstruct\x94\x93\x94\x8c\x05numpy\x94\x8c\x07ndarray\x94\x93\x94K\x00\x85\x94""C\x01""b"
        "\x94\x87\x94R\x94(K\x01K\x03\x85\x94h\x03\x8c\x05""dtype\x94\x93\x94\x8c\x02i4\x94\x89\x88"
        "\x87\x94R\x94(K\x03\x8c\x01<\x94NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94""b\x89""C\x0c"
        "\x00\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x94t\x94""b.",
        "\x80\x05\x95\x80\x00\x00\x00\x00\x00\x00\x00\x8c\x13numpy._core.numeric\x94\x8c\x0b"
        "_frombuffer\x94\x93\x94(\x96\x0c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00"
        "\x02\x00\x00\x00\x94\x8c\x05numpy\x94\x8c\x05""dtype\x94\x93\x94\x8c\x02i4\x94\x89\x88\x87"
        "\x94R\x94(K\x03\x8c\x01<\x94NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94""bK\x03\x85\x94"
        "\x8c\x01""C\x94t\x94R\x94.",
    };
    static const size_t lens[] = {268, 160, 141};
    for (int k = 0; k < 3; k++) {
        v = load((const uint8_t *)arrays[k], lens[k]);
        assert_int_equal(v->kind, MC_NDARRAY);
        assert_int_equal(v->u.array.count, 3);
        assert_int_equal(v->u.array.dtype->kind, 'i');
        assert_int_equal(v->u.array.dtype->itemsize, 4);
        d = -1;
        assert_int_equal(mc_array_get_f64(&v->u.array, 2, &d), 0);
        assert_true(d == 2);
        assert_int_equal(v->u.array.origin, k == 2 ? MC_ARR_FROMBUFFER : MC_ARR_RECONSTRUCT);
    }
    /* np.asfortranarray(np.arange(6.).reshape(2, 3)) at protocol 5: F order */
    v = load(B("\x80\x05\x95\xa6\x00\x00\x00\x00\x00\x00\x00\x8c\x13numpy._core.numeric\x94\x8c\x0b"
               "_frombuffer\x94\x93\x94(\x96""0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
               "\x00\x00\x00\x00\x00\x00\x00\x08@\x00\x00\x00\x00\x00\x00\xf0\x3f\x00\x00\x00\x00\x00\x00"
               "\x10@\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x14@\x94\x8c\x05numpy\x94\x8c"
               "\x05""dtype\x94\x93\x94\x8c\x02""f8\x94\x89\x88\x87\x94R\x94(K\x03\x8c\x01<\x94NNNJ\xff"
               "\xff\xff\xffJ\xff\xff\xff\xffK\x00t\x94""bK\x02K\x03\x86\x94\x8c\x01""F\x94t\x94R\x94."));
    assert_int_equal(v->u.array.order, 'F');
    assert_int_equal(v->u.array.shape[0], 2);
    assert_int_equal(mc_array_get_f64(&v->u.array, 1, &d), 0);
    assert_true(d == 3.0); /* memory order: element [1, 0] */
    /* np.array(['a', 1], dtype=object) at protocol 2: elements as a list */
    v = load(B("\x80\x02""cnumpy._core.multiarray\x0a_reconstruct\x0aq\x00""cnumpy\x0andarray\x0aq"
               "\x01K\x00\x85q\x02""c_codecs\x0a""encode\x0aq\x03X\x01\x00\x00\x00""bq\x04X\x06\x00\x00"
               "\x00latin1q\x05\x86q\x06Rq\x07\x87q\x08Rq\x09(K\x01K\x02\x85q\x0a""cnumpy\x0a""dtype\x0a"
               "q\x0bX\x02\x00\x00\x00O8q\x0c\x89\x88\x87q\x0dRq\x0e(K\x03X\x01\x00\x00\x00|q\x0fNNNJ\xff"
               "\xff\xff\xffJ\xff\xff\xff\xffK\x3ftq\x10""b\x89]q\x11(X\x01\x00\x00\x00""aq\x12K\x01""e"
               "tq\x13""b."));
    assert_non_null(v->u.array.objects);
    assert_text(v->u.array.objects[0], "a");
    /* np.matrix([[1, 2]]) at protocol 3: the subclass is kept */
    v = load(B("\x80\x03""cnumpy._core.multiarray\x0a_reconstruct\x0aq\x00""cnumpy\x0amatrix\x0aq\x01K"
               "\x00\x85q\x02""C\x01""bq\x03\x87q\x04Rq\x05(K\x01K\x01K\x02\x86q\x06""cnumpy\x0a""dtype"
               "\x0aq\x07X\x02\x00\x00\x00i8q\x08\x89\x88\x87q\x09Rq\x0a(K\x03X\x01\x00\x00\x00<q\x0bNNN"
               "J\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tq\x0c""b\x89""C\x10\x01\x00\x00\x00\x00\x00\x00\x00"
               "\x02\x00\x00\x00\x00\x00\x00\x00q\x0dtq\x0e""b."));
    assert_string_equal(v->u.array.subclass->u.global.name, "matrix");
    assert_int_equal(v->u.array.ndim, 2);
    /* numpy 1.x module names read the same */
    v = load(B("\x80\x03""cnumpy.core.multiarray\nscalar\ncnumpy\ndtype\nX\x02\x00\x00\x00i1\x89\x88"
               "\x87RC\x01\x05\x86R."));
    assert_int_value(v, 5);
    assert_string_equal(mc_document_provenance(doc)->numpy_hint, "1.x");
    /* sizes are checked against the bytes present */
    load_fails(B("\x80\x03""cnumpy.core.multiarray\nscalar\ncnumpy\ndtype\nX\x02\x00\x00\x00i4\x89"
                 "\x88\x87RC\x01\x05\x86R."), "4-byte dtype with 1 bytes");
}

static void test_numpy_random_globals(void **state)
{
    (void)state;
    /* numpy 1.x RandomState: __randomstate_ctor('MT19937', __bit_generator_ctor) */
    const mc_value *v = load(B("\x80\x02""cnumpy.random._pickle\n__randomstate_ctor\nX\x07\x00\x00\x00"
                               "MT19937cnumpy.random._pickle\n__bit_generator_ctor\n\x86R}b."));
    assert_true(mc_object_is(v, "numpy.random._pickle", "__randomstate_ctor"));
    assert_int_equal(v->u.object.state->kind, MC_DICT);
    v = load(B("\x80\x02""cnumpy.random.bit_generator\n__pyx_unpickle_SeedSequence\n"
               "cnumpy.random.bit_generator\nSeedSequence\nK\x01N\x87R."));
    assert_true(mc_object_is(v, "numpy.random.bit_generator", "SeedSequence"));
    assert_int_equal(v->u.object.ctor, MC_CTOR_PYX_UNPICKLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_int_opcodes, teardown),
        cmocka_unit_test_teardown(test_float_opcodes, teardown),
        cmocka_unit_test_teardown(test_string_opcodes, teardown),
        cmocka_unit_test_teardown(test_constants, teardown),
        cmocka_unit_test_teardown(test_list_opcodes, teardown),
        cmocka_unit_test_teardown(test_tuple_opcodes, teardown),
        cmocka_unit_test_teardown(test_dict_opcodes, teardown),
        cmocka_unit_test_teardown(test_set_opcodes, teardown),
        cmocka_unit_test_teardown(test_stack_opcodes, teardown),
        cmocka_unit_test_teardown(test_memo_opcodes, teardown),
        cmocka_unit_test_teardown(test_protocol_and_frames, teardown),
        cmocka_unit_test_teardown(test_refused_opcodes, teardown),
        cmocka_unit_test_teardown(test_object_opcodes, teardown),
        cmocka_unit_test_teardown(test_unsafe_globals_refused, teardown),
        cmocka_unit_test_teardown(test_scan_mode_records_everything, teardown),
        cmocka_unit_test_teardown(test_sklearn_names, teardown),
        cmocka_unit_test_teardown(test_builtins_globals, teardown),
        cmocka_unit_test_teardown(test_collections_globals, teardown),
        cmocka_unit_test_teardown(test_numpy_globals, teardown),
        cmocka_unit_test_teardown(test_numpy_random_globals, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
