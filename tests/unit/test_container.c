/* joblib containers: detection and decompression (converters/joblib/container.c).
 *
 * Streams are made here at run time with zlib, libbz2, liblzma and liblz4, and
 * read from the real files Python made (tests/data/container/, written by
 * tests/data/make_container_fixtures.py).  Hostile inputs: truncations,
 * corruption, trailing bytes, bombs, lying headers. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "core/bytes.h"
#include "joblib/container.h"

#define FIXTURES MC_SOURCE_DIR "/tests/data/container/"

/* ---- helpers ------------------------------------------------------------------ */

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

/* Compressible but not trivial: words from a small alphabet, pseudo-random. */
static blob make_data(size_t n, uint32_t seed)
{
    blob b = {malloc(n ? n : 1), n};
    assert_non_null(b.p);
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b.p[i] = (uint8_t)("abcdefgh \n0123456"[(x >> 24) % 17]);
    }
    return b;
}

/* Highly compressible: 16 pseudo-random 1 KiB blocks, each repeated to
 * fill 64 KiB, over and over. */
static blob make_repetitive(size_t n, uint32_t seed)
{
    blob src = make_data(16 * 1024, seed);
    blob b = {malloc(n ? n : 1), n};
    assert_non_null(b.p);
    for (size_t i = 0; i < n; i++)
        b.p[i] = src.p[i % 1024 + 1024 * ((i / 65536) % 16)];
    free(src.p);
    return b;
}

static blob cat(blob a, blob b)
{
    blob c = {malloc(a.n + b.n + 1), a.n + b.n};
    assert_non_null(c.p);
    memcpy(c.p, a.p, a.n);
    memcpy(c.p + a.n, b.p, b.n);
    return c;
}

static blob dup_blob(const uint8_t *p, size_t n)
{
    blob c = {malloc(n ? n : 1), n};
    assert_non_null(c.p);
    if (n)
        memcpy(c.p, p, n);
    return c;
}

static blob c_zlib(blob in, int window_bits)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)in.n) + 64;
    blob o = {malloc(cap), 0};
    zs.next_in = in.p;
    zs.avail_in = (uInt)in.n;
    zs.next_out = o.p;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    o.n = zs.total_out;
    deflateEnd(&zs);
    return o;
}

static blob c_bz2(blob in)
{
    unsigned cap = (unsigned)(in.n + in.n / 50 + 1024);
    blob o = {malloc(cap), 0};
    /* workFactor 1: go straight to the fallback sort, fast on repetitive data. */
    assert_int_equal(BZ2_bzBuffToBuffCompress((char *)o.p, &cap, (char *)in.p, (unsigned)in.n, 9,
                                              0, 1),
                     BZ_OK);
    o.n = cap;
    return o;
}

static blob c_lzma_alone(blob in)
{
    lzma_options_lzma opt;
    assert_false(lzma_lzma_preset(&opt, 1));
    lzma_stream s = LZMA_STREAM_INIT;
    assert_int_equal(lzma_alone_encoder(&s, &opt), LZMA_OK);
    size_t cap = in.n + in.n / 2 + 4096;
    blob o = {malloc(cap), 0};
    s.next_in = in.p;
    s.avail_in = in.n;
    s.next_out = o.p;
    s.avail_out = cap;
    assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
    o.n = cap - s.avail_out;
    lzma_end(&s);
    return o;
}

static blob c_xz(blob in)
{
    size_t cap = lzma_stream_buffer_bound(in.n), pos = 0;
    blob o = {malloc(cap), 0};
    assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL, in.p, in.n, o.p, &pos, cap),
                     LZMA_OK);
    o.n = pos;
    return o;
}

static blob c_lz4(blob in, int checksum, int with_size)
{
    LZ4F_preferences_t prefs;
    memset(&prefs, 0, sizeof prefs);
    prefs.frameInfo.contentChecksumFlag = checksum ? LZ4F_contentChecksumEnabled
                                                   : LZ4F_noContentChecksum;
    prefs.frameInfo.contentSize = with_size ? in.n : 0;
    size_t cap = LZ4F_compressFrameBound(in.n, &prefs);
    blob o = {malloc(cap), 0};
    size_t r = LZ4F_compressFrame(o.p, cap, in.p, in.n, &prefs);
    assert_false(LZ4F_isError(r));
    o.n = r;
    return o;
}

static blob c_zfile(blob in, int extra_space)
{
    blob z = c_zlib(in, 15);
    char hdr[32];
    snprintf(hdr, sizeof hdr, "ZF%-*s", extra_space ? 20 : 19, "");
    char num[24];
    int k = snprintf(num, sizeof num, "0x%zx", in.n);
    memcpy(hdr + 2, num, (size_t)k);
    blob h = {(uint8_t *)hdr, (size_t)(extra_space ? 22 : 21)};
    blob o = cat(h, z);
    free(z.p);
    return o;
}

static blob compress_with(mc_compressor c, blob in)
{
    switch (c) {
    case MC_COMP_ZLIB: return c_zlib(in, 15);
    case MC_COMP_GZIP: return c_zlib(in, 31);
    case MC_COMP_BZ2: return c_bz2(in);
    case MC_COMP_LZMA: return c_lzma_alone(in);
    case MC_COMP_XZ: return c_xz(in);
    case MC_COMP_LZ4: return c_lz4(in, 1, 0);
    case MC_COMP_ZFILE: return c_zfile(in, 0);
    default: return dup_blob(in.p, in.n);
    }
}

static const mc_compressor ALL[] = {MC_COMP_ZLIB, MC_COMP_GZIP, MC_COMP_BZ2, MC_COMP_LZMA,
                                    MC_COMP_XZ,   MC_COMP_LZ4,  MC_COMP_ZFILE};
#define NALL (sizeof ALL / sizeof ALL[0])

/* Decompress and expect success with exactly `want`. */
static void expect_ok(mc_compressor c, blob in, uint64_t max_out, blob want)
{
    mc_buffer out;
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_decompress(c, in.p, in.n, max_out, &out, &err);
    if (st != MC_OK)
        fail_msg("%s: status %d: %s (offset %lld)", mc_compressor_name(c), st, err.message,
                 (long long)err.offset);
    assert_int_equal(out.len, want.n);
    assert_true(out.len == 0 || memcmp(out.data, want.p, want.n) == 0);
    mc_buffer_free(&out);
}

/* Decompress and expect MC_E_INPUT with a message containing `needle` (if
 * given); returns the error for further checks. */
static mc_error expect_input_error(mc_compressor c, blob in, uint64_t max_out, const char *needle)
{
    mc_buffer out;
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_decompress(c, in.p, in.n, max_out, &out, &err);
    if (st != MC_E_INPUT)
        fail_msg("%s (%zu bytes): expected MC_E_INPUT, got %d (%s)", mc_compressor_name(c), in.n,
                 st, err.message);
    assert_null(out.data);
    assert_int_equal(out.len, 0);
    assert_true(strlen(err.message) > 10);
    if (getenv("MC_TEST_VERBOSE"))
        print_message("  %s: byte %lld: %s\n", mc_compressor_name(c), (long long)err.offset,
                      err.message);
    if (needle && !strstr(err.message, needle))
        fail_msg("%s: message '%s' lacks '%s'", mc_compressor_name(c), err.message, needle);
    return err;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- detection ---------------------------------------------------------------- */

static void test_detect(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t n;
        mc_compressor want;
    } cases[] = {
        {"ZF0x31f", 7, MC_COMP_ZFILE},
        {"ZF", 2, MC_COMP_ZFILE},
        {"\x78\x5e", 2, MC_COMP_ZLIB},
        {"\x78", 1, MC_COMP_ZLIB},
        {"\x1f\x8b\x08", 3, MC_COMP_GZIP},
        {"\x1f", 1, MC_COMP_NONE},
        {"BZh9", 4, MC_COMP_BZ2},
        {"BZ", 2, MC_COMP_BZ2},
        {"\x5d\x00\x00\x80\x00", 5, MC_COMP_LZMA},
        {"\x5d\x01", 2, MC_COMP_NONE},
        {"\xfd\x37\x7a\x58\x5a\x00", 6, MC_COMP_XZ},
        {"\xfd\x37\x7a\x58", 4, MC_COMP_NONE},
        {"\x04\x22\x4d\x18", 4, MC_COMP_LZ4},
        {"\x04\x22\x4d", 3, MC_COMP_NONE},
        {"\x80\x04\x95", 3, MC_COMP_NONE}, /* a protocol-4 pickle */
        {"\x93NUMPY", 6, MC_COMP_NONE},
        {"Z", 1, MC_COMP_NONE},
        {"", 0, MC_COMP_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(mc_detect_compressor((const uint8_t *)cases[i].bytes, cases[i].n),
                         cases[i].want);
    assert_int_equal(mc_detect_compressor(NULL, 0), MC_COMP_NONE);
    /* Every compressor's own output is detected as itself. */
    blob data = make_data(1000, 1);
    for (size_t i = 0; i < NALL; i++) {
        blob z = compress_with(ALL[i], data);
        assert_int_equal(mc_detect_compressor(z.p, z.n), ALL[i]);
        free(z.p);
    }
    free(data.p);
}

static void test_names(void **state)
{
    (void)state;
    const char *want[] = {"none", "zlib", "gzip", "bz2", "lzma", "xz", "lz4", "zfile"};
    for (int c = MC_COMP_NONE; c <= MC_COMP_ZFILE; c++)
        assert_string_equal(mc_compressor_name((mc_compressor)c), want[c]);
    assert_string_equal(mc_compressor_name((mc_compressor)99), "?");
}

/* ---- round trips ----------------------------------------------------------------- */

static void test_roundtrip_all(void **state)
{
    (void)state;
    const size_t sizes[] = {0, 1, 1000, 300000, 1 << 20};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        blob data = make_data(sizes[s], (uint32_t)s + 7);
        for (size_t i = 0; i < NALL; i++) {
            blob z = compress_with(ALL[i], data);
            expect_ok(ALL[i], z, (uint64_t)64 << 20, data);
            /* The limit is inclusive: exactly the size is fine ... */
            expect_ok(ALL[i], z, data.n, data);
            /* ... one byte less is not. */
            if (data.n > 0)
                expect_input_error(ALL[i], z, data.n - 1, NULL);
            free(z.p);
        }
        free(data.p);
    }
}

/* max_out = UINT64_MAX cannot be reserved, so this runs the fallback that
 * starts small and doubles. */
static void test_unreservable_limit_falls_back(void **state)
{
    (void)state;
    blob data = make_repetitive(3 << 20, 3);
    for (size_t i = 0; i < NALL; i++) {
        blob z = compress_with(ALL[i], data);
        /* Small enough that the first try (max(1 MiB, 4 x input)) is too
         * small and the buffer has to double. */
        assert_true(z.n * 4 < data.n / 2);
        expect_ok(ALL[i], z, UINT64_MAX, data);
        free(z.p);
    }
    free(data.p);
}

static void test_none_copies(void **state)
{
    (void)state;
    blob data = make_data(5000, 9);
    expect_ok(MC_COMP_NONE, data, 5000, data);
    expect_input_error(MC_COMP_NONE, data, 4999, "exceeds");
    blob empty = {data.p, 0};
    expect_ok(MC_COMP_NONE, empty, 0, empty);
    free(data.p);
}

static void test_lz4_variants(void **state)
{
    (void)state;
    blob data = make_data(200000, 11);
    blob a = c_lz4(data, 0, 0), b = c_lz4(data, 1, 1), c = c_lz4(data, 0, 1);
    expect_ok(MC_COMP_LZ4, a, data.n, data);
    expect_ok(MC_COMP_LZ4, b, data.n, data);
    expect_ok(MC_COMP_LZ4, c, data.n, data);
    /* A content size in the header above the limit fails before decoding. */
    expect_input_error(MC_COMP_LZ4, b, data.n - 1, "declares");
    free(a.p);
    free(b.p);
    free(c.p);
    free(data.p);
}

static void test_zfile_variants(void **state)
{
    (void)state;
    blob data = make_data(50000, 5);
    blob a = c_zfile(data, 0), b = c_zfile(data, 1);
    expect_ok(MC_COMP_ZFILE, a, 1 << 20, data);
    expect_ok(MC_COMP_ZFILE, b, 1 << 20, data);
    /* Upper-case hex, no 0x, leading spaces: int(s, 16) takes them all. */
    char field[20];
    snprintf(field, sizeof field, "  %zX", data.n);
    memset(a.p + 2, ' ', 19);
    memcpy(a.p + 2, field, strlen(field));
    expect_ok(MC_COMP_ZFILE, a, 1 << 20, data);
    /* Declared length above the limit: refused before inflating. */
    expect_input_error(MC_COMP_ZFILE, a, data.n - 1, "declares");
    free(a.p);
    free(b.p);
    free(data.p);
}

/* ---- the files Python made ------------------------------------------------------------- */

static void check_fixture_set(const char *prefix, int with_lz4)
{
    char name[256];
    snprintf(name, sizeof name, "%sarray.joblib", prefix);
    blob ref = read_file(name);
    assert_int_equal(mc_detect_compressor(ref.p, ref.n), MC_COMP_NONE);
    static const struct {
        const char *ext;
        mc_compressor c;
    } ext[] = {{"z", MC_COMP_ZLIB}, {"gz", MC_COMP_GZIP}, {"bz2", MC_COMP_BZ2},
               {"lzma", MC_COMP_LZMA}, {"xz", MC_COMP_XZ}, {"lz4", MC_COMP_LZ4}};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        if (ext[i].c == MC_COMP_LZ4 && !with_lz4)
            continue;
        snprintf(name, sizeof name, "%sarray.joblib.%s", prefix, ext[i].ext);
        blob z = read_file(name);
        assert_int_equal(mc_detect_compressor(z.p, z.n), ext[i].c);
        expect_ok(ext[i].c, z, 1 << 20, ref);
        expect_ok(ext[i].c, z, ref.n, ref);
        expect_input_error(ext[i].c, z, ref.n - 1, NULL);
        free(z.p);
    }
    free(ref.p);
}

static void test_python_fixtures(void **state)
{
    (void)state;
    check_fixture_set("np2_", 1); /* joblib 1.6, numpy 2.4, lz4 */
    check_fixture_set("np1_", 0); /* joblib 1.1, numpy 1.24     */
    blob ref = read_file("np2_array.joblib");
    const char *zf[] = {"np2_array.zf", "np2_array_space.zf"};
    for (int i = 0; i < 2; i++) {
        blob z = read_file(zf[i]);
        assert_int_equal(mc_detect_compressor(z.p, z.n), MC_COMP_ZFILE);
        expect_ok(MC_COMP_ZFILE, z, 1 << 20, ref);
        free(z.p);
    }
    free(ref.p);
}

/* ---- concatenation and padding --------------------------------------------------------- */

static void test_concatenated(void **state)
{
    (void)state;
    blob a = make_data(70000, 21), b = make_data(33333, 22);
    blob ab = cat(a, b);
    const mc_compressor multi[] = {MC_COMP_GZIP, MC_COMP_BZ2, MC_COMP_LZMA, MC_COMP_XZ,
                                   MC_COMP_LZ4};
    for (size_t i = 0; i < sizeof multi / sizeof multi[0]; i++) {
        blob za = compress_with(multi[i], a), zb = compress_with(multi[i], b);
        blob z = cat(za, zb);
        expect_ok(multi[i], z, 1 << 20, ab);
        expect_ok(multi[i], z, ab.n, ab);
        expect_input_error(multi[i], z, ab.n - 1, NULL);
        free(za.p);
        free(zb.p);
        free(z.p);
    }
    /* zlib (as joblib's BinaryZlibFile writes it) is one stream: a second
     * one is trailing data. */
    blob za = c_zlib(a, 15), zb = c_zlib(b, 15);
    blob z = cat(za, zb);
    mc_error e = expect_input_error(MC_COMP_ZLIB, z, 1 << 20, "trailing");
    assert_int_equal(e.offset, (int64_t)za.n);
    free(za.p);
    free(zb.p);
    free(z.p);
    free(a.p);
    free(b.p);
    free(ab.p);
}

static void test_gzip_zero_padding(void **state)
{
    (void)state;
    blob data = make_data(4000, 2);
    blob z = c_zlib(data, 31);
    uint8_t zeros[100] = {0};
    blob pad = {zeros, sizeof zeros};
    blob zp = cat(z, pad);
    expect_ok(MC_COMP_GZIP, zp, 1 << 20, data); /* as Python's gzip module */
    /* Zeros between two members too; but not other bytes. */
    blob zpz = cat(zp, z);
    blob twice = cat(data, data);
    expect_ok(MC_COMP_GZIP, zpz, 1 << 20, twice);
    zpz.p[z.n + 50] = 1;
    mc_error e = expect_input_error(MC_COMP_GZIP, zpz, 1 << 20, "trailing");
    assert_int_equal(e.offset, (int64_t)z.n + 50);
    free(zpz.p);
    free(twice.p);
    free(z.p);
    free(zp.p);
    free(data.p);
}

/* ---- hostile inputs ------------------------------------------------------------------------ */

static void test_empty_input(void **state)
{
    (void)state;
    uint8_t dummy = 0;
    blob empty = {&dummy, 0};
    for (size_t i = 0; i < NALL; i++)
        expect_input_error(ALL[i], empty, 1 << 20, NULL);
}

static void test_truncated(void **state)
{
    (void)state;
    blob data = make_data(200000, 31);
    for (size_t i = 0; i < NALL; i++) {
        blob z = compress_with(ALL[i], data);
        const size_t cuts[] = {1, 2, 3, 5, 10, 13, 21, 22, 30, z.n / 4, z.n / 2,
                               z.n - 9, z.n - 8, z.n - 4, z.n - 1};
        for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
            blob t = dup_blob(z.p, cuts[k]);
            expect_input_error(ALL[i], t, 1 << 20, NULL);
            free(t.p);
        }
        free(z.p);
    }
    free(data.p);
}

static void test_truncated_message(void **state)
{
    (void)state;
    blob data = make_data(100000, 32);
    const mc_compressor cs[] = {MC_COMP_ZLIB, MC_COMP_GZIP, MC_COMP_BZ2, MC_COMP_LZMA,
                                MC_COMP_XZ, MC_COMP_LZ4};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        blob z = compress_with(cs[i], data);
        blob t = dup_blob(z.p, z.n / 2);
        mc_error e = expect_input_error(cs[i], t, 1 << 20, "truncated");
        assert_int_equal(e.offset, (int64_t)t.n);
        free(t.p);
        free(z.p);
    }
    free(data.p);
}

static void test_corrupted(void **state)
{
    (void)state;
    blob data = make_data(200000, 41);
    for (size_t i = 0; i < NALL; i++) {
        blob z = compress_with(ALL[i], data);
        const double where[] = {0.3, 0.5, 0.7, 0.9};
        for (size_t k = 0; k < sizeof where / sizeof where[0]; k++) {
            blob t = dup_blob(z.p, z.n);
            size_t at = (size_t)(where[k] * (double)z.n);
            t.p[at] ^= 0x55;
            expect_input_error(ALL[i], t, 1 << 20, NULL);
            free(t.p);
        }
        free(z.p);
    }
    free(data.p);
}

static void test_checksum_mismatch_message(void **state)
{
    (void)state;
    blob data = make_data(1000, 42);
    /* Flip a bit of the stored checksum itself: the data decodes, the check fails. */
    blob z = c_zlib(data, 15);
    z.p[z.n - 1] ^= 1;
    expect_input_error(MC_COMP_ZLIB, z, 1 << 20, "checksum mismatch");
    free(z.p);
    z = c_zlib(data, 31);
    z.p[z.n - 5] ^= 1; /* the CRC-32 (the last 4 bytes are ISIZE) */
    expect_input_error(MC_COMP_GZIP, z, 1 << 20, "checksum mismatch");
    free(z.p);
    z = c_zlib(data, 31);
    z.p[z.n - 1] ^= 1; /* ISIZE */
    expect_input_error(MC_COMP_GZIP, z, 1 << 20, "length mismatch");
    free(z.p);
    z = c_lz4(data, 1, 0);
    z.p[z.n - 1] ^= 1;
    expect_input_error(MC_COMP_LZ4, z, 1 << 20, "Checksum");
    free(z.p);
    z = c_xz(data);
    /* The CRC64 sits right before the index; corrupt the data instead. */
    z.p[z.n / 2] ^= 0x10;
    expect_input_error(MC_COMP_XZ, z, 1 << 20, "corrupt");
    free(z.p);
    free(data.p);
}

static void test_trailing_garbage(void **state)
{
    (void)state;
    blob data = make_data(10000, 51);
    static const uint8_t junk[] = "garbage!";
    blob g = {(uint8_t *)junk, 8};
    for (size_t i = 0; i < NALL; i++) {
        blob z = compress_with(ALL[i], data);
        blob t = cat(z, g);
        mc_error e = expect_input_error(ALL[i], t, 1 << 20, "trailing");
        assert_int_equal(e.offset, (int64_t)z.n);
        free(t.p);
        /* Also a single trailing byte. */
        t = cat(z, (blob){(uint8_t *)junk, 1});
        expect_input_error(ALL[i], t, 1 << 20, NULL);
        free(t.p);
        free(z.p);
    }
    free(data.p);
}

/* 10 MB of zeros, compressed; the limit is 1 MB: it must stop at the limit. */
static void test_bombs(void **state)
{
    (void)state;
    blob zeros = {calloc(10 << 20, 1), 10 << 20};
    assert_non_null(zeros.p);
    for (size_t i = 0; i < NALL; i++) {
        blob z = compress_with(ALL[i], zeros);
        double t0 = now_s();
        expect_input_error(ALL[i], z, 1 << 20, ALL[i] == MC_COMP_ZFILE ? "declares" : "exceeds");
        double dt = now_s() - t0;
        if (dt > 1.0)
            fail_msg("%s bomb took %.2f s to refuse", mc_compressor_name(ALL[i]), dt);
        free(z.p);
    }
    /* A Z-file whose header understates the size is caught at the header's size. */
    blob z = c_zfile(zeros, 0);
    memcpy(z.p + 2, "0x100000           ", 19);
    double t0 = now_s();
    expect_input_error(MC_COMP_ZFILE, z, 64 << 20, "holds more");
    assert_true(now_s() - t0 < 1.0);
    free(z.p);
    free(zeros.p);
}

static void test_lzma_giant_dictionary(void **state)
{
    (void)state;
    /* LZMA-alone header: properties 0x5d, dictionary 0xffffffff (4 GiB),
     * unknown size; then some bytes. */
    uint8_t hdr[64];
    memset(hdr, 0, sizeof hdr);
    hdr[0] = 0x5d;
    mc_store_u32le(hdr + 1, 0xffffffffu);
    memset(hdr + 5, 0xff, 8);
    blob b = {hdr, sizeof hdr};
    double t0 = now_s();
    mc_error e = expect_input_error(MC_COMP_LZMA, b, (uint64_t)1 << 40, "dictionary");
    assert_true(now_s() - t0 < 0.5);
    assert_non_null(strstr(e.message, "limit"));
    /* A declared uncompressed size above the limit is refused up front. */
    blob data = make_data(1000, 3);
    blob z = c_lzma_alone(data);
    mc_store_u64le(z.p + 5, (uint64_t)1 << 40);
    expect_input_error(MC_COMP_LZMA, z, 1 << 20, "declares");
    /* A declared size that is right works. */
    mc_store_u64le(z.p + 5, data.n);
    expect_ok(MC_COMP_LZMA, z, 1 << 20, data);
    free(z.p);
    free(data.p);
}

/* An xz block header rewritten to ask for a 3 GiB dictionary (its CRC32
 * recomputed so only the memory limit can refuse it). */
static void test_xz_giant_dictionary(void **state)
{
    (void)state;
    blob data = make_data(1000, 4);
    blob z = c_xz(data);
    /* Stream header is 12 bytes; the block header follows. */
    size_t bh = 12, bsize = ((size_t)z.p[bh] + 1) * 4;
    assert_true(bh + bsize < z.n);
    /* Flags byte: no sizes present for a single-shot encode? Find the LZMA2
     * filter id 0x21 and its 1-byte property. */
    size_t i = bh + 2;
    if (z.p[bh + 1] & 0x40)
        while (z.p[i++] & 0x80) {} /* compressed size varint */
    if (z.p[bh + 1] & 0x80)
        while (z.p[i++] & 0x80) {} /* uncompressed size varint */
    assert_int_equal(z.p[i], 0x21);
    assert_int_equal(z.p[i + 1], 1);
    z.p[i + 2] = 37; /* LZMA2 dictionary 3 GiB */
    uLong crc = crc32(0, z.p + bh, (uInt)(bsize - 4));
    mc_store_u32le(z.p + bh + bsize - 4, (uint32_t)crc);
    double t0 = now_s();
    expect_input_error(MC_COMP_XZ, z, 1 << 20, "limit");
    assert_true(now_s() - t0 < 0.5);
    free(z.p);
    free(data.p);
}

static void test_lz4_huge_content_size(void **state)
{
    (void)state;
    /* A frame header (from LZ4F_compressBegin) declaring 2^40 bytes. */
    LZ4F_cctx *cctx;
    assert_false(LZ4F_isError(LZ4F_createCompressionContext(&cctx, LZ4F_VERSION)));
    LZ4F_preferences_t prefs;
    memset(&prefs, 0, sizeof prefs);
    prefs.frameInfo.contentSize = (unsigned long long)1 << 40;
    uint8_t buf[64 + LZ4F_HEADER_SIZE_MAX];
    size_t h = LZ4F_compressBegin(cctx, buf, sizeof buf, &prefs);
    assert_false(LZ4F_isError(h));
    LZ4F_freeCompressionContext(cctx);
    memset(buf + h, 0x11, 64);
    blob b = {buf, h + 64};
    double t0 = now_s();
    mc_error e = expect_input_error(MC_COMP_LZ4, b, (uint64_t)1 << 30, "declares");
    assert_true(now_s() - t0 < 0.5);
    assert_int_equal(e.offset, 0);
}

static void test_zfile_hostile(void **state)
{
    (void)state;
    blob data = make_data(3000, 61);
    blob good = c_zfile(data, 0);
    /* Not hex. */
    blob t = dup_blob(good.p, good.n);
    memcpy(t.p + 2, "0xZZZ              ", 19);
    mc_error e = expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "hexadecimal");
    assert_int_equal(e.offset, 2);
    memcpy(t.p + 2, "                   ", 19);
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "hexadecimal");
    memcpy(t.p + 2, "0x12 34            ", 19);
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "hexadecimal");
    memcpy(t.p + 2, "-0x10              ", 19);
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "hexadecimal");
    memcpy(t.p + 2, "0xfffffffffffffffff", 19); /* 17 hex digits: beyond 64 bits */
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "64 bits");
    free(t.p);
    /* Lying lengths: more and fewer bytes than the stream holds. */
    char f[24];
    t = dup_blob(good.p, good.n);
    snprintf(f, sizeof f, "%-19s", "0x1");
    memcpy(t.p + 2, f, 19);
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "holds more");
    snprintf(f, sizeof f, "0x%-17zx", data.n + 1);
    memcpy(t.p + 2, f, 19);
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "holds 3000");
    free(t.p);
    /* Truncated header, header only, payload garbage, trailing garbage. */
    t = dup_blob(good.p, 15);
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, "truncated ZF header");
    free(t.p);
    t = dup_blob(good.p, 21);
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, NULL);
    free(t.p);
    t = dup_blob(good.p, good.n);
    t.p[21] = 0x12;
    expect_input_error(MC_COMP_ZFILE, t, 1 << 20, NULL);
    free(t.p);
    free(good.p);
    free(data.p);
}

static void test_random_garbage(void **state)
{
    (void)state;
    uint32_t x = 12345;
    uint8_t buf[4096];
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + (size_t)(round * 37) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            x = x * 1664525u + 1013904223u;
            buf[i] = (uint8_t)(x >> 24);
        }
        for (size_t i = 0; i < NALL; i++) {
            mc_compressor c = ALL[i];
            /* Give each one its own magic so the decoder gets past it. */
            static const struct {
                const char *b;
                size_t n;
            } magic[] = {{"\x78\x9c", 2},
                         {"\x1f\x8b\x08", 3},
                         {"BZh9", 4},
                         {"\x5d\x00\x00\x10\x00", 5},
                         {"\xfd\x37\x7a\x58\x5a\x00", 6},
                         {"\x04\x22\x4d\x18", 4},
                         {"ZF0x40", 6}};
            size_t ml = magic[i].n;
            uint8_t t[sizeof buf + 16];
            memcpy(t, magic[i].b, ml);
            memcpy(t + ml, buf, n);
            mc_buffer out;
            mc_error err;
            mc_error_clear(&err);
            mc_status st = mc_decompress(c, t, ml + n, 1 << 20, &out, &err);
            if (st == MC_OK)
                mc_buffer_free(&out);
            else
                assert_int_equal(st, MC_E_INPUT);
        }
    }
}

static void test_usage(void **state)
{
    (void)state;
    mc_buffer out;
    mc_error err;
    mc_error_clear(&err);
    assert_int_equal(mc_decompress(MC_COMP_ZLIB, NULL, 5, 100, &out, &err), MC_E_USAGE);
    assert_int_equal(mc_decompress((mc_compressor)42, (const uint8_t *)"x", 1, 100, &out, &err),
                     MC_E_USAGE);
    assert_int_equal(mc_decompress(MC_COMP_ZLIB, (const uint8_t *)"x", 1, 100, NULL, &err),
                     MC_E_USAGE);
    /* A NULL error pointer is allowed. */
    assert_int_equal(mc_decompress(MC_COMP_ZLIB, (const uint8_t *)"x", 1, 100, &out, NULL),
                     MC_E_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_roundtrip_all),
        cmocka_unit_test(test_unreservable_limit_falls_back),
        cmocka_unit_test(test_none_copies),
        cmocka_unit_test(test_lz4_variants),
        cmocka_unit_test(test_zfile_variants),
        cmocka_unit_test(test_python_fixtures),
        cmocka_unit_test(test_concatenated),
        cmocka_unit_test(test_gzip_zero_padding),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_truncated_message),
        cmocka_unit_test(test_corrupted),
        cmocka_unit_test(test_checksum_mismatch_message),
        cmocka_unit_test(test_trailing_garbage),
        cmocka_unit_test(test_bombs),
        cmocka_unit_test(test_lzma_giant_dictionary),
        cmocka_unit_test(test_xz_giant_dictionary),
        cmocka_unit_test(test_lz4_huge_content_size),
        cmocka_unit_test(test_zfile_hostile),
        cmocka_unit_test(test_random_garbage),
        cmocka_unit_test(test_usage),
    };
    if (getenv("MC_TEST_FILTER")) /* e.g. MC_TEST_FILTER='test_bomb*' */
        cmocka_set_test_filter(getenv("MC_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
