/* The .npy format (src/io/npy.c): type strings, header parsing (real numpy
 * 1.24 and 2.4 files from tests/data/container/, made by
 * tests/data/make_container_fixtures.py, and hostile headers), and the writer
 * (byte-identical to np.save). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "io/npy.h"

#define FIXTURES MC_SOURCE_DIR "/tests/data/container/"

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob;

static blob read_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", FIXTURES, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    blob b = {NULL, 0};
    size_t cap = 0;
    for (;;) {
        if (b.n == cap) {
            cap = cap ? cap * 2 : 4096;
            b.p = realloc(b.p, cap);
            assert_non_null(b.p);
        }
        size_t got = fread(b.p + b.n, 1, cap - b.n, f);
        if (got == 0)
            break;
        b.n += got;
    }
    fclose(f);
    return b;
}

/* A .npy image: magic, version major.0, the header text as given (no padding
 * added), then data_len bytes of 0xAB. */
static blob make_npy(int major, const char *hdr, size_t hlen, size_t data_len)
{
    size_t pre = major == 1 ? 10 : 12;
    blob b = {malloc(pre + hlen + data_len + 1), pre + hlen + data_len};
    assert_non_null(b.p);
    memcpy(b.p, "\x93NUMPY", 6);
    b.p[6] = (uint8_t)major;
    b.p[7] = 0;
    if (major == 1)
        mc_store_u16le(b.p + 8, (uint16_t)hlen);
    else
        mc_store_u32le(b.p + 8, (uint32_t)hlen);
    memcpy(b.p + pre, hdr, hlen);
    memset(b.p + pre + hlen, 0xAB, data_len);
    return b;
}

static mc_status parse(blob b, mc_arena *a, mc_npy_header *h, mc_error *err)
{
    mc_error_clear(err);
    return mc_npy_parse(b.p, b.n, a, h, err);
}

/* Parse a v1 header text with `data_len` data bytes; expect success. */
static mc_npy_header parse_ok(mc_arena *a, int major, const char *hdr, size_t data_len)
{
    blob b = make_npy(major, hdr, strlen(hdr), data_len);
    mc_npy_header h;
    mc_error err;
    mc_status st = parse(b, a, &h, &err);
    if (st != MC_OK)
        fail_msg("header %s: status %d: %s (byte %lld)", hdr, st, err.message,
                 (long long)err.offset);
    free(b.p);
    return h;
}

/* Expect MC_E_INPUT with `needle` in the message; returns the error. */
static mc_error parse_bad_blob(blob b, const char *needle)
{
    mc_arena a;
    mc_arena_init(&a, 1 << 24);
    mc_npy_header h;
    mc_error err;
    mc_status st = parse(b, &a, &h, &err);
    if (st != MC_E_INPUT)
        fail_msg("expected MC_E_INPUT for %.200s, got %d (%s)", b.n > 10 ? (char *)b.p + 10 : "",
                 st, err.message);
    assert_null(h.dtype);
    assert_true(strlen(err.message) > 10);
    if (getenv("MC_TEST_VERBOSE"))
        print_message("  byte %lld: %s\n", (long long)err.offset, err.message);
    if (needle && !strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    mc_arena_free(&a);
    return err;
}

static mc_error parse_bad(int major, const char *hdr, size_t data_len, const char *needle)
{
    blob b = make_npy(major, hdr, strlen(hdr), data_len);
    mc_error e = parse_bad_blob(b, needle);
    free(b.p);
    return e;
}

/* ---- type strings ----------------------------------------------------------- */

static void test_dtype_parse_str_valid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        char kind, order;
        uint32_t itemsize;
        const char *unit;
        int32_t count;
    } ok[] = {
        {"<f8", 'f', '<', 8, "", 0},     {"f8", 'f', '<', 8, "", 0},
        {"=i4", 'i', '<', 4, "", 0},     {">i4", 'i', '>', 4, "", 0},
        {"|b1", 'b', '|', 1, "", 0},     {"b1", 'b', '|', 1, "", 0},
        {">b1", 'b', '|', 1, "", 0},     {"<u1", 'u', '|', 1, "", 0},
        {"|i1", 'i', '|', 1, "", 0},     {"U5", 'U', '<', 20, "", 0},
        {">U3", 'U', '>', 12, "", 0},    {"|U3", 'U', '<', 12, "", 0},
        {"V56", 'V', '|', 56, "", 0},    {">V8", 'V', '|', 8, "", 0},
        {"|S3", 'S', '|', 3, "", 0},     {"<S3", 'S', '|', 3, "", 0},
        {"S0", 'S', '|', 0, "", 0},      {"|O", 'O', '|', 8, "", 0},
        {"O", 'O', '|', 8, "", 0},       {"O8", 'O', '|', 8, "", 0},
        {"<O", 'O', '|', 8, "", 0},      {"|f8", 'f', '<', 8, "", 0},
        {"<c16", 'c', '<', 16, "", 0},   {">c8", 'c', '>', 8, "", 0},
        {"c32", 'c', '<', 32, "", 0},    {"<f2", 'f', '<', 2, "", 0},
        {"f16", 'f', '<', 16, "", 0},    {"<M8[ns]", 'M', '<', 8, "ns", 1},
        {"m8[5s]", 'm', '<', 8, "s", 5}, {"M8", 'M', '<', 8, "", 1},
        {"M", 'M', '<', 8, "", 1},       {"M8[us]", 'M', '<', 8, "us", 1},
        {"M8[\xce\xbcs]", 'M', '<', 8, "us", 1}, {"M8[generic]", 'M', '<', 8, "", 1},
        {">m8[25ms]", 'm', '>', 8, "ms", 25}, {"<M8[D]", 'M', '<', 8, "D", 1},
        {"M8[Y]", 'M', '<', 8, "Y", 1},  {"M8[as]", 'M', '<', 8, "as", 1},
        /* numpy's one-letter codes */
        {"d", 'f', '<', 8, "", 0},       {"f", 'f', '<', 4, "", 0},
        {"e", 'f', '<', 2, "", 0},       {"g", 'f', '<', 16, "", 0},
        {"?", 'b', '|', 1, "", 0},       {"b", 'i', '|', 1, "", 0},
        {"B", 'u', '|', 1, "", 0},       {"i", 'i', '<', 4, "", 0},
        {">q", 'i', '>', 8, "", 0},      {"Q", 'u', '<', 8, "", 0},
        {"D", 'c', '<', 16, "", 0},      {"c", 'S', '|', 1, "", 0},
        {"U", 'U', '<', 0, "", 0},       {"V", 'V', '|', 0, "", 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        mc_dtype dt;
        memset(&dt, 0x5a, sizeof dt);
        if (mc_dtype_parse_str(ok[i].s, strlen(ok[i].s), &dt) != 0)
            fail_msg("'%s' should parse", ok[i].s);
        assert_int_equal(dt.kind, ok[i].kind);
        assert_int_equal(dt.byteorder, ok[i].order);
        assert_int_equal(dt.itemsize, ok[i].itemsize);
        assert_string_equal(dt.datetime_unit, ok[i].unit);
        assert_int_equal(dt.datetime_count, ok[i].count);
        assert_int_equal(dt.alignment, -1);
        assert_int_equal(dt.flags, 0);
        assert_int_equal(dt.state_version, -1);
        assert_int_equal(dt.nfields, 0);
        assert_null(dt.fields);
        assert_null(dt.subarray_base);
        assert_null(dt.metadata);
    }
    /* Only the first n bytes count. */
    mc_dtype dt;
    assert_int_equal(mc_dtype_parse_str("<f8garbage", 3, &dt), 0);
    assert_int_equal(dt.itemsize, 8);
    /* Round trip through mc_dtype_str gives numpy's dtype.str. */
    char buf[32];
    assert_int_equal(mc_dtype_parse_str("=i4", 3, &dt), 0);
    assert_string_equal(mc_dtype_str(&dt, buf, sizeof buf), "<i4");
    assert_int_equal(mc_dtype_parse_str("U7", 2, &dt), 0);
    assert_string_equal(mc_dtype_str(&dt, buf, sizeof buf), "<U7");
    assert_int_equal(mc_dtype_parse_str("m8[5s]", 6, &dt), 0);
    assert_string_equal(mc_dtype_str(&dt, buf, sizeof buf), "<m8[5s]");
}

static void test_dtype_parse_str_invalid(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "<", "|", "<<f8", "f12", "c24", "i16", "b2", "i0", "u3", "d8", "M4", "M8[xs]",
        "M8[", "M8[ns", "M8[0s]", "M8[ns]x", "f8[ns]", "S-1", "U1000000000000", "float64",
        "<f8 ", " <f8", "x", "q8", "O2", "V99999999999", "<f8\n", "'<f8'", "z4", "M8[]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mc_dtype dt;
        if (mc_dtype_parse_str(bad[i], strlen(bad[i]), &dt) != -1)
            fail_msg("'%s' should not parse", bad[i]);
    }
    mc_dtype dt;
    assert_int_equal(mc_dtype_parse_str(NULL, 3, &dt), -1);
    assert_int_equal(mc_dtype_parse_str("f8", 0, &dt), -1);
}

/* ---- the files numpy made ---------------------------------------------------------- */

static mc_npy_header load(mc_arena *a, const char *prefix, const char *name, blob *keep)
{
    char full[256];
    snprintf(full, sizeof full, "%s%s", prefix, name);
    blob b = read_file(full);
    mc_npy_header h;
    mc_error err;
    mc_status st = parse(b, a, &h, &err);
    if (st != MC_OK)
        fail_msg("%s: %s (byte %lld)", full, err.message, (long long)err.offset);
    assert_int_equal(h.data_offset % 64, 0); /* numpy aligns the data */
    if (!h.has_object)
        assert_int_equal(h.data_offset + h.nbytes, b.n);
    if (keep)
        *keep = b;
    else
        free(b.p);
    return h;
}

static void check_simple(const mc_npy_header *h, const char *str, uint32_t ndim, int64_t d0,
                         int64_t d1, uint64_t count)
{
    char buf[32];
    assert_string_equal(mc_dtype_str(h->dtype, buf, sizeof buf), str);
    assert_int_equal(h->ndim, ndim);
    if (ndim > 0)
        assert_int_equal(h->shape[0], d0);
    if (ndim > 1)
        assert_int_equal(h->shape[1], d1);
    assert_int_equal(h->count, count);
    if (!h->has_object)
        assert_int_equal(h->nbytes, count * h->dtype->itemsize);
}

static void check_fixtures(const char *prefix)
{
    mc_arena a;
    mc_arena_init(&a, 1 << 24);
    blob b;
    mc_npy_header h = load(&a, prefix, "f8_2x3.npy", &b);
    check_simple(&h, "<f8", 2, 2, 3, 6);
    assert_false(h.fortran_order);
    assert_int_equal(h.version_major, 1);
    for (int i = 0; i < 6; i++) {
        uint64_t u = mc_load_u64le(b.p + h.data_offset + 8 * (size_t)i);
        double v;
        memcpy(&v, &u, 8);
        assert_true(v == (double)i);
    }
    free(b.p);

    h = load(&a, prefix, "f8_fortran.npy", &b);
    check_simple(&h, "<f8", 2, 2, 3, 6);
    assert_true(h.fortran_order);
    /* Fortran order: column-major, so the second value is a[1][0] = 3. */
    uint64_t u = mc_load_u64le(b.p + h.data_offset + 8);
    double v;
    memcpy(&v, &u, 8);
    assert_true(v == 3.0);
    free(b.p);

    h = load(&a, prefix, "i4_be.npy", &b);
    check_simple(&h, ">i4", 1, 5, 0, 5);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(mc_load_u32be(b.p + h.data_offset + 4 * i), i);
    free(b.p);

    h = load(&a, prefix, "u5.npy", &b);
    check_simple(&h, "<U5", 1, 3, 0, 3);
    assert_int_equal(h.dtype->itemsize, 20);
    assert_int_equal(mc_load_u32le(b.p + h.data_offset + 20), 'c'); /* "cde" */
    free(b.p);

    h = load(&a, prefix, "s3.npy", NULL);
    check_simple(&h, "|S3", 1, 2, 0, 2);
    h = load(&a, prefix, "b1.npy", NULL);
    check_simple(&h, "|b1", 1, 3, 0, 3);
    h = load(&a, prefix, "c16.npy", NULL);
    check_simple(&h, "<c16", 1, 2, 0, 2);
    h = load(&a, prefix, "m8ns.npy", NULL);
    check_simple(&h, "<M8[ns]", 1, 2, 0, 2);
    assert_string_equal(h.dtype->datetime_unit, "ns");
    h = load(&a, prefix, "scalar.npy", &b);
    check_simple(&h, "<f8", 0, 0, 0, 1);
    assert_int_equal(h.nbytes, 8);
    free(b.p);
    h = load(&a, prefix, "empty.npy", NULL);
    check_simple(&h, "<f8", 1, 0, 0, 0);
    assert_int_equal(h.nbytes, 0);
    h = load(&a, prefix, "empty2.npy", NULL);
    check_simple(&h, "<i8", 2, 2, 0, 0);
    h = load(&a, prefix, "object.npy", &b);
    assert_true(h.has_object);
    assert_int_equal(h.dtype->kind, 'O');
    assert_int_equal(h.nbytes, 0);
    assert_int_equal(h.count, 3);
    assert_int_equal(b.p[h.data_offset], 0x80); /* a pickle follows */
    free(b.p);

    /* Structured: a <f8, b <i4 (2,), (title, c) |u1, nested {x <f4, y <i2}. */
    h = load(&a, prefix, "struct.npy", &b);
    const mc_dtype *dt = h.dtype;
    assert_int_equal(dt->kind, 'V');
    assert_int_equal(dt->byteorder, '|');
    assert_int_equal(dt->itemsize, 8 + 8 + 1 + 6);
    assert_int_equal(dt->nfields, 4);
    assert_string_equal(dt->fields[0].name, "a");
    assert_int_equal(dt->fields[0].offset, 0);
    assert_int_equal(dt->fields[0].dtype->kind, 'f');
    assert_string_equal(dt->fields[1].name, "b");
    assert_int_equal(dt->fields[1].offset, 8);
    const mc_dtype *sub = dt->fields[1].dtype;
    assert_int_equal(sub->kind, 'V');
    assert_int_equal(sub->itemsize, 8);
    assert_non_null(sub->subarray_base);
    assert_int_equal(sub->subarray_base->kind, 'i');
    assert_int_equal(sub->subarray_ndim, 1);
    assert_int_equal(sub->subarray_shape[0], 2);
    assert_string_equal(dt->fields[2].name, "c");
    assert_null(dt->fields[2].title);
    assert_int_equal(dt->fields[2].offset, 16);
    assert_string_equal(dt->fields[3].name, "nested");
    assert_int_equal(dt->fields[3].offset, 17);
    const mc_dtype *nest = dt->fields[3].dtype;
    assert_int_equal(nest->nfields, 2);
    assert_int_equal(nest->itemsize, 6);
    assert_string_equal(nest->fields[1].name, "y");
    assert_int_equal(nest->fields[1].offset, 4);
    assert_int_equal(h.nbytes, 3 * 23);
    /* record 1: a = 2.5, b = [3, 4], c = 8, nested.y = -2 */
    const uint8_t *r1 = b.p + h.data_offset + 23;
    u = mc_load_u64le(r1);
    memcpy(&v, &u, 8);
    assert_true(v == 2.5);
    assert_int_equal(mc_load_u32le(r1 + 12), 4);
    assert_int_equal(r1[16], 8);
    assert_int_equal((int16_t)mc_load_u16le(r1 + 21), -2);
    free(b.p);

    /* Padding entries ('', '|V6') are not fields but move the offsets. */
    h = load(&a, prefix, "struct_pad.npy", NULL);
    assert_int_equal(h.dtype->nfields, 2);
    assert_int_equal(h.dtype->itemsize, 24);
    assert_string_equal(h.dtype->fields[1].name, "b");
    assert_int_equal(h.dtype->fields[1].offset, 8);
    mc_arena_free(&a);
}

static void test_numpy2_files(void **state)
{
    (void)state;
    check_fixtures("np2_");
    mc_arena a;
    mc_arena_init(&a, 1 << 24);
    mc_npy_header h = load(&a, "np2_", "v2.npy", NULL);
    assert_int_equal(h.version_major, 2);
    check_simple(&h, "<i2", 1, 4, 0, 4);
    h = load(&a, "np2_", "v3.npy", NULL);
    assert_int_equal(h.version_major, 3);
    assert_int_equal(h.dtype->nfields, 2);
    assert_string_equal(h.dtype->fields[0].name, "\xce\xa9"); /* Omega, UTF-8 */
    assert_int_equal(h.dtype->fields[1].offset, 8);
    mc_arena_free(&a);
}

static void test_numpy1_files(void **state)
{
    (void)state;
    check_fixtures("np1_");
}

/* ---- header syntax ----------------------------------------------------------------- */

static void test_header_syntax_variants(void **state)
{
    (void)state;
    mc_arena a;
    mc_arena_init(&a, 1 << 24);
    /* Keys in any order, double quotes, no trailing comma, odd spacing, tabs. */
    mc_npy_header h = parse_ok(&a, 1,
                               "{ \"shape\" :(2,3) ,'fortran_order':True,\t'descr':\"<i2\"}\n",
                               12);
    assert_int_equal(h.ndim, 2);
    assert_true(h.fortran_order);
    assert_int_equal(h.dtype->itemsize, 2);
    /* Trailing commas everywhere; a 1-tuple; spaces and newlines before and after. */
    h = parse_ok(&a, 1, "  {'descr': '<f4', 'fortran_order': False, 'shape': (7,),}  \n\n", 28);
    assert_int_equal(h.ndim, 1);
    assert_int_equal(h.shape[0], 7);
    /* Python 2 era: 'L' suffixes and u'' strings (format 1.0/2.0 only). */
    h = parse_ok(&a, 1, "{'descr': u'<f8', 'fortran_order': False, 'shape': (2L, 3l), }", 48);
    assert_int_equal(h.count, 6);
    parse_bad(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }", 16,
              "suffix");
    /* Digits with underscores; +0. */
    h = parse_ok(&a, 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (1_0, +0), }", 0);
    assert_int_equal(h.shape[0], 10);
    /* Escapes and latin-1 in names (format 1.0 is latin-1: 0xE9 is 'é'). */
    h = parse_ok(&a, 1,
                 "{'descr': [('\\x41\\'b\\u00e9', '<f8'), ('caf\xe9', '|u1')], "
                 "'fortran_order': False, 'shape': (1,), }",
                 9);
    assert_string_equal(h.dtype->fields[0].name, "A'b\xc3\xa9");
    assert_string_equal(h.dtype->fields[1].name, "caf\xc3\xa9");
    /* A backslash-newline inside a string is a line continuation. */
    h = parse_ok(&a, 1, "{'descr': [('ab\\\ncd', '<f8')], 'fortran_order': False, 'shape': (), }",
                 8);
    assert_string_equal(h.dtype->fields[0].name, "abcd");
    /* Format 3.0 is UTF-8. */
    h = parse_ok(&a, 3, "{'descr': [('\xce\xa9', '<f8')], 'fortran_order': False, 'shape': (), }",
                 8);
    assert_string_equal(h.dtype->fields[0].name, "\xce\xa9");
    parse_bad(3, "{'descr': [('\xe9', '<f8')], 'fortran_order': False, 'shape': (), }", 8,
              "UTF-8");
    /* Titles, nested structs, subarray shapes as an int, top-level (type, shape). */
    h = parse_ok(&a, 1,
                 "{'descr': [(('T', 'n'), '<f8'), ('s', [('x', '<i4', 3)]), ('', '|V4'),"
                 " ('z', '|V2', (2, 2))], 'fortran_order': False, 'shape': (2,), }",
                 2 * (8 + 12 + 4 + 8));
    assert_int_equal(h.dtype->nfields, 3);
    assert_int_equal(h.dtype->fields[2].offset, 24);
    assert_int_equal(h.dtype->fields[2].dtype->subarray_ndim, 2);
    assert_int_equal(h.dtype->itemsize, 32);
    h = parse_ok(&a, 1, "{'descr': ('<f8', (2,)), 'fortran_order': False, 'shape': (3,), }", 48);
    assert_int_equal(h.dtype->itemsize, 16);
    assert_non_null(h.dtype->subarray_base);
    /* Empty shape in a field means no subarray; a field named '' that is not
     * void is a real field; an empty struct is a V0 with fields. */
    h = parse_ok(&a, 1,
                 "{'descr': [('a', '<f8', ()), ('', '<i2'), ('e', [])],"
                 " 'fortran_order': False, 'shape': (1,), }",
                 10);
    assert_int_equal(h.dtype->nfields, 3);
    assert_int_equal(h.dtype->fields[0].dtype->kind, 'f');
    assert_string_equal(h.dtype->fields[1].name, "");
    assert_int_equal(h.dtype->fields[2].dtype->itemsize, 0);
    /* An object field makes the whole array a pickle. */
    h = parse_ok(&a, 1, "{'descr': [('a', '<f8'), ('o', '|O')], 'fortran_order': False, "
                        "'shape': (1000000,), }",
                 0);
    assert_true(h.has_object);
    assert_int_equal(h.nbytes, 0);
    /* Large dims whose product fits. */
    h = parse_ok(&a, 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (0, 4611686018427387904, "
                        "4611686018427387904), }",
                 0);
    assert_int_equal(h.count, 0);
    mc_arena_free(&a);
}

static void test_big_struct(void **state)
{
    (void)state;
    /* 20000 fields: fine, and fast (names are checked for duplicates by hash). */
    size_t cap = 64 + 20000 * 24;
    char *hdr = malloc(cap);
    size_t k = (size_t)snprintf(hdr, cap, "{'descr': [");
    for (int i = 0; i < 20000; i++)
        k += (size_t)snprintf(hdr + k, cap - k, "('f%d', '<f8'), ", i);
    snprintf(hdr + k, cap - k, "], 'fortran_order': False, 'shape': (1,), }");
    blob b = make_npy(2, hdr, strlen(hdr), 20000 * 8);
    mc_arena a;
    mc_arena_init(&a, 1 << 26);
    mc_npy_header h;
    mc_error err;
    assert_int_equal(parse(b, &a, &h, &err), MC_OK);
    assert_int_equal(h.dtype->nfields, 20000);
    assert_int_equal(h.dtype->fields[19999].offset, 19999 * 8);
    mc_arena_free(&a);
    /* The same with a tiny arena budget: an input error, not a crash. */
    mc_arena_init(&a, 100000);
    assert_int_equal(parse(b, &a, &h, &err), MC_E_INPUT);
    assert_non_null(strstr(err.message, "budget"));
    mc_arena_free(&a);
    /* A duplicate among them. */
    memcpy(strstr(hdr, "'f19999'"), "'f12345'", 8);
    free(b.p);
    b = make_npy(2, hdr, strlen(hdr), 20000 * 8);
    parse_bad_blob(b, "twice");
    free(b.p);
    free(hdr);
}

/* ---- hostile headers ------------------------------------------------------------------- */

static void test_bad_prefix(void **state)
{
    (void)state;
    static const char H[] = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
    blob b = make_npy(1, H, strlen(H), 8);
    b.p[1] = 'n';
    mc_error e = parse_bad_blob(b, "magic");
    assert_int_equal(e.offset, 0);
    b.p[1] = 'N';
    b.p[6] = 4;
    e = parse_bad_blob(b, "version 4.0");
    assert_int_equal(e.offset, 6);
    b.p[6] = 1;
    b.p[7] = 1;
    parse_bad_blob(b, "version 1.1");
    b.p[7] = 0;
    /* Truncations: short prefix, header length past the end. */
    for (size_t n = 0; n < 10; n++)
        parse_bad_blob((blob){b.p, n}, "truncated");
    e = parse_bad_blob((blob){b.p, 40}, "past the end");
    assert_int_equal(e.offset, 8);
    free(b.p);
    b = make_npy(2, H, strlen(H), 8);
    parse_bad_blob((blob){b.p, 11}, "truncated");
    mc_store_u32le(b.p + 8, 0xffffffffu);
    parse_bad_blob(b, "limit");
    free(b.p);
    /* A header over 1 MiB, even though the file holds it. */
    size_t big = (1u << 20) + 64;
    char *hdr = malloc(big + 1);
    memset(hdr, ' ', big);
    memcpy(hdr, H, strlen(H));
    hdr[big] = '\0';
    b = make_npy(2, hdr, big, 8);
    e = parse_bad_blob(b, "1048576-byte limit");
    assert_int_equal(e.offset, 8);
    free(b.p);
    /* Exactly 1 MiB is allowed. */
    b = make_npy(2, hdr, 1u << 20, 8);
    mc_arena a;
    mc_arena_init(&a, 1 << 20);
    mc_npy_header h;
    mc_error err;
    if (parse(b, &a, &h, &err) != MC_OK)
        fail_msg("1 MiB header: %s", err.message);
    mc_arena_free(&a);
    free(b.p);
    free(hdr);
}

static void test_bad_shapes(void **state)
{
    (void)state;
    mc_error e = parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, "
                              "4611686018427387904), }",
                           0, "overflows");
    assert_true(e.offset > 10);
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 2), }", 0,
              "overflow");
    parse_bad(1, "{'descr': '|V2147483647', 'fortran_order': False, 'shape': (4294967296, 4), }", 0,
              "overflow");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0,
              "64-bit");
    e = parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, -1), }", 0, "negative");
    assert_int_equal(e.offset, 10 + 54);
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 23,
              "shorter than the shape");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 0, "shorter");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': 3, }", 24, "tuple");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3), }", 24, "tuple");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': [3], }", 24, "tuple");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3.0,), }", 24, "fraction");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (True,), }", 8, "integers");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': ('3',), }", 24, "integers");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (03,), }", 24, "leading zeros");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1e3,), }", 24, "suffix");
    parse_bad(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (--3,), }", 24, "integer");
    parse_bad(1,
              "{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
              "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1), }",
              8, "dimensions");
    parse_bad(1, "{'descr': [('a', '<f8', (-1,))], 'fortran_order': False, 'shape': (1,), }", 8,
              "negative");
    parse_bad(1, "{'descr': [('a', '<f8', (65536, 65536))], 'fortran_order': False, 'shape': (1,), }",
              8, "larger than");
    parse_bad(1, "{'descr': [('a', 'V2147483647'), ('b', '<f8')], 'fortran_order': False, "
                 "'shape': (1,), }",
              8, "larger than");
}

static void test_bad_syntax(void **state)
{
    (void)state;
    static const struct {
        const char *hdr;
        const char *needle;
    } cases[] = {
        {"{'descr': '<f8, 'fortran_order': False, 'shape': (), }", "expected ','"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (), }'", "unexpected"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1, }", "unexpected character '}'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1 2), }", "expected ',' or ')'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,", "unterminated tuple"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (),", "unterminated dict"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': ()", "unterminated dict"},
        {"{'descr': '<f8", "unterminated string"},
        {"{'descr': '<f8\n', 'fortran_order': False, 'shape': (), }", "unterminated string"},
        {"{'descr': [('a', '<f8'), 'fortran_order': False, 'shape': (), }", "expected ',' or ']'"},
        {"{'descr': '<f8' 'fortran_order': False, 'shape': (), }", "expected ',' or '}'"},
        {"{'descr' '<f8', 'fortran_order': False, 'shape': (), }", "expected ':'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (), 'extra': 1, }", "unknown key 'extra'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (), 3: 1, }", "unknown key"},
        {"{'descr': '<f8', 'fortran_order': False, 'descr': '<f8', 'shape': (), }", "twice"},
        {"{'descr': '<f8', 'fortran_order': False, }", "no 'shape'"},
        {"{'fortran_order': False, 'shape': (), }", "no 'descr'"},
        {"{'descr': '<f8', 'shape': (), }", "no 'fortran_order'"},
        {"{}", "no 'descr'"},
        {"", "end of the header"},
        {"   \n", "end of the header"},
        {"['descr', '<f8']", "expected a dict"},
        {"{'descr': '<f8', 'fortran_order': 0, 'shape': (), }", "True or False"},
        {"{'descr': '<f8', 'fortran_order': 'False', 'shape': (), }", "True or False"},
        {"{'descr': '<f8', 'fortran_order': false, 'shape': (), }", "unexpected name 'false'"},
        {"{'descr': '<f8', 'fortran_order': Falsey, 'shape': (), }", "unexpected name"},
        {"{'descr': '<f8', 'fortran_order': os.system, 'shape': (), }", "unexpected name"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (), } # comment", "unexpected"},
        {"{'descr': '<q9', 'fortran_order': False, 'shape': (), }", "not a numpy type string"},
        {"{'descr': 'float64', 'fortran_order': False, 'shape': (), }", "not a numpy type string"},
        {"{'descr': 8, 'fortran_order': False, 'shape': (), }", "descr must be"},
        {"{'descr': None, 'fortran_order': False, 'shape': (), }", "descr must be"},
        {"{'descr': {'a': 1}, 'fortran_order': False, 'shape': (), }", "descr must be"},
        {"{'descr': [('a',)], 'fortran_order': False, 'shape': (), }", "(name, type)"},
        {"{'descr': [('a', '<f8', (1,), 4)], 'fortran_order': False, 'shape': (), }", "(name, type)"},
        {"{'descr': ['<f8'], 'fortran_order': False, 'shape': (), }", "(name, type)"},
        {"{'descr': [(1, '<f8')], 'fortran_order': False, 'shape': (), }", "field name"},
        {"{'descr': [((1, 'a'), '<f8')], 'fortran_order': False, 'shape': (), }", "title"},
        {"{'descr': [('a', 'bogus')], 'fortran_order': False, 'shape': (), }", "not a numpy type"},
        {"{'descr': [('a', '<f8'), ('a', '<i4')], 'fortran_order': False, 'shape': (), }", "twice"},
        {"{'descr': [(('a', 'b'), '<f8'), ('a', '<i4')], 'fortran_order': False, 'shape': (), }",
         "twice"},
        {"{'descr': [('a', '<f8', 'x')], 'fortran_order': False, 'shape': (), }", "field shape"},
        {"{'descr': [('a', '<f8', ('x',))], 'fortran_order': False, 'shape': (), }", "integer"},
        {"{'descr': [('a\\x00', '<f8')], 'fortran_order': False, 'shape': (), }", "NUL"},
        {"{'descr': [('a\\ud800', '<f8')], 'fortran_order': False, 'shape': (), }", "code point"},
        {"{'descr': [('a\\x4', '<f8')], 'fortran_order': False, 'shape': (), }", "hex digits"},
        {"{'descr': [('a\\N{DASH}', '<f8')], 'fortran_order': False, 'shape': (), }", "\\N"},
        {"{'descr': b'<f8', 'fortran_order': False, 'shape': (), }", "unexpected name 'b'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (,), }", "unexpected character ','"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,,), }", "unexpected character"},
        {"{,}", "unexpected character"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (), }\x01", "unexpected \\x01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        parse_bad(1, cases[i].hdr, 64, cases[i].needle);
    /* A NUL inside the header text. */
    static const char with_nul[] = "{'descr': '<f\0', 'fortran_order': False, 'shape': (), }";
    blob b = make_npy(1, with_nul, sizeof with_nul - 1, 8);
    parse_bad_blob(b, "NUL");
    free(b.p);
}

static void test_nesting_bomb(void **state)
{
    (void)state;
    size_t n = 200000;
    char *hdr = malloc(n + 1);
    memset(hdr, '[', n);
    hdr[n] = '\0';
    blob b = make_npy(2, hdr, n, 0);
    mc_error e = parse_bad_blob(b, "levels deep");
    assert_true(e.offset < 10 + 12 + 100);
    free(b.p);
    /* Deep but legal-length nesting of structs through descr lists. */
    char deep[4096];
    size_t k = (size_t)snprintf(deep, sizeof deep, "{'descr': ");
    for (int i = 0; i < 40; i++)
        k += (size_t)snprintf(deep + k, sizeof deep - k, "[('a', ");
    k += (size_t)snprintf(deep + k, sizeof deep - k, "'<f8'");
    for (int i = 0; i < 40; i++)
        k += (size_t)snprintf(deep + k, sizeof deep - k, ")]");
    snprintf(deep + k, sizeof deep - k, ", 'fortran_order': False, 'shape': (), }");
    parse_bad(1, deep, 8, "levels deep");
    memset(hdr, '(', 60);
    memset(hdr + 60, ')', 60);
    hdr[120] = '\0';
    parse_bad(1, hdr, 0, "expected a dict"); /* (((...))) is an empty tuple */
    free(hdr);
}

/* ---- the writer ------------------------------------------------------------------------ */

static blob write_npy(const char *descr, const int64_t *shape, uint32_t ndim, const void *data,
                      size_t nbytes)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_npy_write(f, descr, shape, ndim, data, nbytes, &err);
    if (st != MC_OK)
        fail_msg("mc_npy_write(%s): %s", descr, err.message);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    blob b = {malloc((size_t)n), (size_t)n};
    assert_int_equal(fread(b.p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return b;
}

/* Re-write every plain (C-order, non-struct, non-object) fixture from its
 * parsed header and data, and expect np.save's exact bytes. */
static void test_writer_matches_numpy(void **state)
{
    (void)state;
    static const char *names[] = {
        "np2_f8_2x3.npy", "np2_i4_be.npy", "np2_u5.npy", "np2_s3.npy", "np2_b1.npy",
        "np2_c16.npy", "np2_m8ns.npy", "np2_scalar.npy", "np2_empty.npy", "np2_empty2.npy",
        "np1_f8_2x3.npy", "np1_u5.npy", "np1_scalar.npy", "np1_empty2.npy"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        blob ref = read_file(names[i]);
        mc_arena a;
        mc_arena_init(&a, 1 << 20);
        mc_npy_header h;
        mc_error err;
        assert_int_equal(parse(ref, &a, &h, &err), MC_OK);
        char descr[32];
        mc_dtype_str(h.dtype, descr, sizeof descr);
        blob out = write_npy(descr, h.shape, h.ndim, ref.p + h.data_offset, (size_t)h.nbytes);
        if (out.n != ref.n || memcmp(out.p, ref.p, ref.n) != 0)
            fail_msg("%s: mc_npy_write output differs from np.save (%zu vs %zu bytes): %.*s",
                     names[i], out.n, ref.n, (int)out.n, (char *)out.p + 10);
        free(out.p);
        free(ref.p);
        mc_arena_free(&a);
    }
}

static void test_writer_roundtrip(void **state)
{
    (void)state;
    int64_t shape[32];
    for (int i = 0; i < 32; i++)
        shape[i] = 1;
    shape[3] = 5;
    double data[5] = {1, 2, 3, 4, 5};
    blob b = write_npy("f8", shape, 32, data, sizeof data);
    assert_int_equal((b.n - sizeof data) % 64, 0); /* header padded to 64, data follows */
    mc_arena a;
    mc_arena_init(&a, 1 << 20);
    mc_npy_header h;
    mc_error err;
    assert_int_equal(parse(b, &a, &h, &err), MC_OK);
    assert_int_equal(h.data_offset % 64, 0);
    assert_int_equal(h.ndim, 32);
    assert_int_equal(h.shape[3], 5);
    assert_int_equal(h.count, 5);
    assert_int_equal(h.dtype->byteorder, '<');
    assert_memory_equal(b.p + h.data_offset, data, sizeof data);
    free(b.p);
    /* Big dimensions (with zero elements) and a datetime with a count. */
    int64_t big[2] = {0, INT64_MAX};
    b = write_npy(">m8[25ms]", big, 2, NULL, 0);
    assert_int_equal(parse(b, &a, &h, &err), MC_OK);
    assert_int_equal(h.shape[1], INT64_MAX);
    assert_int_equal(h.dtype->datetime_count, 25);
    assert_int_equal(h.dtype->byteorder, '>');
    free(b.p);
    mc_arena_free(&a);
}

static void test_writer_errors(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    mc_error err;
    int64_t shape[1] = {2};
    double d[2] = {0, 0};
    assert_int_equal(mc_npy_write(f, "<f8", shape, 1, d, 15, &err), MC_E_USAGE);
    assert_int_equal(mc_npy_write(f, "|O", shape, 1, d, 16, &err), MC_E_USAGE);
    assert_int_equal(mc_npy_write(f, "float64", shape, 1, d, 16, &err), MC_E_USAGE);
    assert_int_equal(mc_npy_write(f, "<f8", NULL, 1, d, 16, &err), MC_E_USAGE);
    assert_int_equal(mc_npy_write(NULL, "<f8", shape, 1, d, 16, &err), MC_E_USAGE);
    int64_t neg[1] = {-2};
    assert_int_equal(mc_npy_write(f, "<f8", neg, 1, d, 16, &err), MC_E_USAGE);
    int64_t many[33] = {0};
    assert_int_equal(mc_npy_write(f, "<f8", many, 33, d, 0, &err), MC_E_USAGE);
    assert_int_equal(ftell(f), 0); /* nothing written */
    fclose(f);
    /* A write that fails: a stream opened for reading, and a full device. */
    f = fopen(MC_SOURCE_DIR "/tests/data/container/np2_b1.npy", "rb");
    assert_non_null(f);
    mc_error_clear(&err);
    assert_int_equal(mc_npy_write(f, "<f8", shape, 1, d, 16, &err), MC_E_IO);
    assert_non_null(strstr(err.message, "cannot write"));
    fclose(f);
    f = fopen("/dev/full", "wb");
    if (f) {
        assert_int_equal(mc_npy_write(f, "<f8", shape, 1, d, 16, &err), MC_E_IO);
        fclose(f);
    }
}

static void test_usage(void **state)
{
    (void)state;
    mc_arena a;
    mc_arena_init(&a, 1 << 20);
    mc_npy_header h;
    mc_error err;
    assert_int_equal(mc_npy_parse(NULL, 10, &a, &h, &err), MC_E_USAGE);
    assert_int_equal(mc_npy_parse((const uint8_t *)"x", 1, NULL, &h, &err), MC_E_USAGE);
    assert_int_equal(mc_npy_parse((const uint8_t *)"x", 1, &a, &h, NULL), MC_E_INPUT);
    mc_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dtype_parse_str_valid),
        cmocka_unit_test(test_dtype_parse_str_invalid),
        cmocka_unit_test(test_numpy2_files),
        cmocka_unit_test(test_numpy1_files),
        cmocka_unit_test(test_header_syntax_variants),
        cmocka_unit_test(test_big_struct),
        cmocka_unit_test(test_bad_prefix),
        cmocka_unit_test(test_bad_shapes),
        cmocka_unit_test(test_bad_syntax),
        cmocka_unit_test(test_nesting_bomb),
        cmocka_unit_test(test_writer_matches_numpy),
        cmocka_unit_test(test_writer_roundtrip),
        cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_usage),
    };
    if (getenv("MC_TEST_FILTER")) /* e.g. MC_TEST_FILTER='test_bomb*' */
        cmocka_set_test_filter(getenv("MC_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
