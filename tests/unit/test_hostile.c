/* Hostile inputs through the reader, in process (mc_read_file /
 * mc_read_memory), under whatever sanitizers the build uses:
 *
 *   - every file of tests/hostile/expect.tsv (made by
 *     tests/hostile/make_hostile.py), read plainly and in scan mode: the
 *     expected status, and a message that contains the expected text;
 *   - truncation at every byte of small real corpus files (plain pickles of
 *     each protocol, joblib with arrays and with a nested object-array
 *     stream, every compressor): each prefix must fail with MC_E_INPUT and
 *     a message, never succeed with garbage;
 *   - single-byte corruption of small files, every byte, several patterns:
 *     any status but MC_E_NOMEM, and never a crash;
 *   - attacks too big to commit, made here at run time: a zlib bomb of more
 *     than 1 GiB, 200 000-deep nesting, a LONG of a million digits, 100 000
 *     distinct globals;
 *   - a time bound on every read (MC_HOSTILE_MAX_SECONDS, default 3 s, x4
 *     under sanitizers).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "modelconv/read.h"
#include "modelconv/scan.h"

#define HOSTILE MC_SOURCE_DIR "/tests/hostile/"
#define CORPUS MC_SOURCE_DIR "/samples/corpus/"

#if defined(__SANITIZE_ADDRESS__)
#define MC_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define MC_SANITIZED 1
#endif
#endif
#ifndef MC_SANITIZED
#define MC_SANITIZED 0
#endif

/* ---- helpers ------------------------------------------------------------------ */

typedef struct blob {
    uint8_t *p;
    size_t n, cap;
} blob;

static void put(blob *b, const void *data, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

static void put_str(blob *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_rep_n(blob *b, const char *s, size_t n, size_t times)
{
    for (size_t i = 0; i < times; i++)
        put(b, s, n);
}

static void put_rep(blob *b, const char *s, size_t times)
{
    put_rep_n(b, s, strlen(s), times);
}

static blob read_file(const char *path)
{
    blob b = {NULL, 0, 0};
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    uint8_t buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        put(&b, buf, got);
    fclose(f);
    return b;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double max_seconds(void)
{
    const char *e = getenv("MC_HOSTILE_MAX_SECONDS");
    double s = e ? atof(e) : 3.0;
    return MC_SANITIZED ? 4 * s : s;
}

/* A copy of exactly n bytes, so that AddressSanitizer sees any read past
 * the end. */
static uint8_t *exact_copy(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    assert_non_null(c);
    if (n)
        memcpy(c, p, n);
    return c;
}

/* Read bytes with the given options; returns the status, frees the document. */
static mc_status read_bytes(const uint8_t *p, size_t n, const mc_read_options *opts,
                            mc_error *err, const char *name)
{
    mc_document *doc = NULL;
    double t0 = now();
    mc_status st = mc_read_memory(p, n, name, opts, &doc, err);
    double dt = now() - t0;
    if (dt > max_seconds())
        fail_msg("%s: reading took %.2f s (bound %.2f s)", name, dt, max_seconds());
    if (st == MC_OK) {
        assert_non_null(doc);
        assert_non_null(mc_document_root(doc));
    } else if (opts && opts->scan && st == MC_E_INPUT) {
        assert_non_null(doc); /* scan mode keeps what it saw */
        assert_null(mc_document_root(doc));
    } else {
        assert_null(doc);
    }
    mc_document_free(doc);
    return st;
}

static void expect_input_error(mc_status st, const mc_error *err, const char *what)
{
    if (st != MC_E_INPUT)
        fail_msg("%s: status %d, expected MC_E_INPUT (%s)", what, (int)st, err->message);
    if (!err->message[0])
        fail_msg("%s: an input error without a message", what);
}

/* ---- expect.tsv ----------------------------------------------------------------- */

typedef struct expectation {
    char file[256];
    int inspect_exit, scan_exit;
    char inspect_sub[512], scan_sub[512];
} expectation;

static expectation *load_expectations(size_t *count)
{
    FILE *f = fopen(HOSTILE "expect.tsv", "r");
    if (!f)
        fail_msg("cannot open " HOSTILE "expect.tsv");
    expectation *list = NULL;
    size_t n = 0, cap = 0;
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *field[5] = {0};
        char *p = line;
        for (int i = 0; i < 5; i++) {
            field[i] = p;
            p = strchr(p, '\t');
            if (!p && i < 4)
                fail_msg("expect.tsv: short line '%s'", line);
            if (p)
                *p++ = '\0';
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            list = realloc(list, cap * sizeof *list);
            assert_non_null(list);
        }
        expectation *e = &list[n++];
        snprintf(e->file, sizeof e->file, "%.200s", field[0]);
        e->inspect_exit = atoi(field[1]);
        e->scan_exit = atoi(field[2]);
        snprintf(e->inspect_sub, sizeof e->inspect_sub, "%.500s", field[3]);
        snprintf(e->scan_sub, sizeof e->scan_sub, "%.500s", field[4]);
    }
    fclose(f);
    *count = n;
    return list;
}

static void check_message(const char *file, const char *mode, const mc_error *err,
                          const char *sub)
{
    char line[2048];
    mc_error_format(err, line, sizeof line);
    if (!err->file[0])
        fail_msg("%s (%s): the error names no file: %s", file, mode, line);
    if (strcmp(sub, "-") != 0 && !strstr(line, sub))
        fail_msg("%s (%s): message '%s' lacks '%s'", file, mode, line, sub);
    if (strchr(line, '\n'))
        fail_msg("%s (%s): the message spans lines", file, mode);
}

static void test_expect_tsv(void **state)
{
    (void)state;
    size_t n;
    expectation *list = load_expectations(&n);
    assert_true(n > 100);
    mc_read_options scan;
    mc_read_options_init(&scan);
    scan.scan = 1;
    for (size_t i = 0; i < n; i++) {
        const expectation *e = &list[i];
        char path[1024];
        snprintf(path, sizeof path, HOSTILE "files/%s", e->file);
        mc_error err;
        mc_document *doc = NULL;

        /* as inspect reads it */
        double t0 = now();
        mc_status st = mc_read_file(path, NULL, &doc, &err);
        double dt = now() - t0;
        if (dt > max_seconds())
            fail_msg("%s: reading took %.2f s (bound %.2f s)", e->file, dt, max_seconds());
        if (st == MC_E_NOMEM)
            fail_msg("%s: out of memory (%s)", e->file, err.message);
        if (mc_status_exit_code(st) != e->inspect_exit)
            fail_msg("%s: status %d (exit %d), expected exit %d: %s", e->file, (int)st,
                     mc_status_exit_code(st), e->inspect_exit, err.message);
        if (st == MC_OK) {
            assert_non_null(doc);
            assert_non_null(mc_document_root(doc));
        } else {
            assert_null(doc);
            check_message(e->file, "read", &err, e->inspect_sub);
        }
        mc_document_free(doc);

        /* as scan reads it */
        doc = NULL;
        t0 = now();
        st = mc_read_file(path, &scan, &doc, &err);
        dt = now() - t0;
        if (dt > max_seconds())
            fail_msg("%s: scanning took %.2f s (bound %.2f s)", e->file, dt, max_seconds());
        if (st != MC_OK && st != MC_E_INPUT)
            fail_msg("%s: scan status %d: %s", e->file, (int)st, err.message);
        if (e->scan_exit == 3) {
            if (st != MC_E_INPUT)
                fail_msg("%s: scan read it (status %d), expected an input error", e->file,
                         (int)st);
            check_message(e->file, "scan", &err, e->scan_sub);
            assert_non_null(doc);
        } else {
            if (st != MC_OK)
                fail_msg("%s: scan failed: %s", e->file, err.message);
            size_t ng;
            const mc_global_use *g = mc_document_globals(doc, &ng);
            mc_verdict worst = MC_VERDICT_SAFE;
            int named = strcmp(e->scan_sub, "-") == 0;
            for (size_t k = 0; k < ng; k++) {
                char full[600];
                snprintf(full, sizeof full, "%s.%s", g[k].module, g[k].name);
                if (g[k].verdict > worst)
                    worst = g[k].verdict;
                if (g[k].verdict != MC_VERDICT_SAFE && strstr(full, e->scan_sub))
                    named = 1;
            }
            int exit = worst == MC_VERDICT_SAFE ? 0 : 1;
            if (exit != e->scan_exit)
                fail_msg("%s: scan verdict %s (exit %d), expected exit %d", e->file,
                         mc_verdict_name(worst), exit, e->scan_exit);
            if (!named)
                fail_msg("%s: scan lists no unsafe or unknown global '%s'", e->file,
                         e->scan_sub);
        }
        mc_document_free(doc);
    }
    free(list);
}

/* ---- truncation at every byte --------------------------------------------------- */

static const char *const truncation_files[] = {
    "sk1.2.2/linreg/model.p2.pkl",
    "sk1.2.2/linreg/model.p3.pkl",
    "sk1.2.2/linreg/model.p4.pkl",
    "sk1.2.2/linreg/model.p5.pkl",
    "sk1.2.2/linreg/model.joblib",
    "sk1.2.2/linreg/model.zlib.joblib",
    "sk1.2.2/linreg/model.gzip.joblib",
    "sk1.2.2/linreg/model.bz2.joblib",
    "sk1.2.2/linreg/model.xz.joblib",
    "sk1.2.2/linreg/model.lzma.joblib",
    "sk1.2.2/linreg/model.lz4.joblib",
    "sk1.9.1/imputer_constant/model.joblib", /* nested object-array stream */
    "sk1.9.1/imputer_constant/model.p5.pkl",
    "sk1.2.2/dtc/model.p4.pkl",              /* structured tree dtype */
    "sk1.2.2/dtc/model.joblib",
};

static void test_truncation(void **state)
{
    (void)state;
    mc_read_options scan;
    mc_read_options_init(&scan);
    scan.scan = 1;
    for (size_t f = 0; f < sizeof truncation_files / sizeof truncation_files[0]; f++) {
        char path[1024];
        snprintf(path, sizeof path, CORPUS "%s", truncation_files[f]);
        blob b = read_file(path);
        mc_error err;
        /* the whole file reads */
        mc_status st = read_bytes(b.p, b.n, NULL, &err, truncation_files[f]);
        if (st != MC_OK)
            fail_msg("%s: the complete file does not read: %s", truncation_files[f],
                     err.message);
        for (size_t len = 0; len < b.n; len++) {
            uint8_t *c = exact_copy(b.p, len);
            char what[512];
            snprintf(what, sizeof what, "%s cut to %zu of %zu bytes", truncation_files[f], len,
                     b.n);
            st = read_bytes(c, len, NULL, &err, truncation_files[f]);
            expect_input_error(st, &err, what);
            if (b.n < 2000 || len % 7 == 0) {
                st = read_bytes(c, len, &scan, &err, truncation_files[f]);
                expect_input_error(st, &err, what);
            }
            free(c);
        }
        free(b.p);
    }
}

/* ---- single-byte corruption ------------------------------------------------------ */

static const char *const corruption_files[] = {
    "sk1.2.2/linreg/model.p2.pkl",
    "sk1.2.2/linreg/model.p4.pkl",
    "sk1.2.2/linreg/model.p5.pkl",
    "sk1.2.2/linreg/model.joblib",
    "sk1.2.2/linreg/model.zlib.joblib",
    "sk1.2.2/linreg/model.xz.joblib",
    "sk1.9.1/imputer_constant/model.joblib",
    "sk1.2.2/dtc/model.p4.pkl",
};

static void test_corruption(void **state)
{
    (void)state;
    static const int patterns[] = {0x01, 0x80, 0xff, -1 /* set to 0 */, -2 /* set to 0xff */};
    mc_read_options scan;
    mc_read_options_init(&scan);
    scan.scan = 1;
    size_t reads = 0, ok = 0;
    for (size_t f = 0; f < sizeof corruption_files / sizeof corruption_files[0]; f++) {
        char path[1024];
        snprintf(path, sizeof path, CORPUS "%s", corruption_files[f]);
        blob b = read_file(path);
        uint8_t *c = exact_copy(b.p, b.n);
        for (size_t i = 0; i < b.n; i++) {
            for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
                uint8_t was = c[i];
                c[i] = patterns[k] == -1 ? 0 : patterns[k] == -2 ? 0xff : was ^ patterns[k];
                if (c[i] == was)
                    continue;
                mc_error err;
                mc_status st = read_bytes(c, b.n, k % 2 ? &scan : NULL, &err,
                                          corruption_files[f]);
                reads++;
                if (st == MC_E_NOMEM)
                    fail_msg("%s byte %zu -> 0x%02x: out of memory (%s)", corruption_files[f], i,
                             c[i], err.message);
                if (st != MC_OK && st != MC_E_INPUT)
                    fail_msg("%s byte %zu -> 0x%02x: status %d", corruption_files[f], i, c[i],
                             (int)st);
                if (st == MC_E_INPUT && !err.message[0])
                    fail_msg("%s byte %zu: an input error without a message",
                             corruption_files[f], i);
                ok += st == MC_OK;
                c[i] = was;
            }
        }
        free(c);
        free(b.p);
    }
    print_message("    %zu corrupted reads, %zu still readable\n", reads, ok);
}

/* ---- attacks made at run time ----------------------------------------------------- */

/* A zlib stream of `total` zero bytes (total a multiple of 1 MiB): one
 * sync-flushed deflate block of 1 MiB of zeros, repeated (each copy refers
 * back only to zeros), then an empty final block and the Adler-32. */
static blob zlib_zero_bomb(uint64_t total, int gzip)
{
    enum { CHUNK = 1 << 20 };
    uint8_t *zeros = calloc(CHUNK, 1);
    uint8_t *block = malloc(CHUNK);
    assert_non_null(zeros);
    assert_non_null(block);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = zeros;
    zs.avail_in = CHUNK;
    zs.next_out = block;
    zs.avail_out = CHUNK;
    assert_int_equal(deflate(&zs, Z_SYNC_FLUSH), Z_OK);
    size_t blen = CHUNK - zs.avail_out;
    uint8_t fin[64];
    zs.next_out = fin;
    zs.avail_out = sizeof fin;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t flen = sizeof fin - zs.avail_out;
    deflateEnd(&zs);

    blob b = {NULL, 0, 0};
    if (gzip)
        put(&b, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    else
        put(&b, "\x78\xda", 2);
    for (uint64_t done = 0; done < total; done += CHUNK)
        put(&b, block, blen);
    put(&b, fin, flen);
    if (gzip) {
        uLong crc = crc32(0, NULL, 0);
        for (uint64_t done = 0; done < total; done += CHUNK)
            crc = crc32(crc, zeros, CHUNK);
        uint8_t t[8] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
                        (uint8_t)(crc >> 24), (uint8_t)total, (uint8_t)(total >> 8),
                        (uint8_t)(total >> 16), (uint8_t)(total >> 24)};
        put(&b, t, 8);
    } else {
        uint32_t a = 1, s = (uint32_t)(total % 65521u);
        uint32_t ad = (s << 16) | a;
        uint8_t t[4] = {(uint8_t)(ad >> 24), (uint8_t)(ad >> 16), (uint8_t)(ad >> 8),
                        (uint8_t)ad};
        put(&b, t, 4);
    }
    free(zeros);
    free(block);
    return b;
}

static void test_zlib_bomb_1g(void **state)
{
    (void)state;
    for (int gz = 0; gz <= 1; gz++) {
        blob b = zlib_zero_bomb((uint64_t)1100 << 20, gz);
        assert_true(b.n < (2u << 20));
        mc_error err;
        mc_status st = read_bytes(b.p, b.n, NULL, &err, gz ? "bomb.gz" : "bomb.z");
        expect_input_error(st, &err, "a 1.1 GiB zlib/gzip bomb");
        assert_non_null(strstr(err.message, "exceeds"));
        free(b.p);
    }
}

/* The committed bombs and amplifiers, read with low limits: the limit is what
 * stops them, quickly. */
static void test_low_limits(void **state)
{
    (void)state;
    static const struct {
        const char *file, *expect;
    } cases[] = {
        {"bomb_zlib_16m.joblib.z", "exceeds"},
        {"bomb_gzip_8m.joblib.gz", "exceeds"},
        {"bomb_bz2_1g.joblib.bz2", "exceeds"},
        {"bomb_xz_320m.joblib.xz", "exceeds"},
        {"amp_none_append_48m.joblib.bz2", "bytes of memory for its objects"},
        {"amp_memoize_48m.joblib.bz2", "bytes of memory for its objects"},
        {"amp_shared_state.joblib.z", "bytes of memory for its objects"},
    };
    mc_read_options opts;
    mc_read_options_init(&opts);
    opts.max_expand_floor = 4u << 20;
    opts.max_expand_ratio = 50;
    opts.node_budget_floor = 1u << 20;
    opts.node_budget_ratio = 4;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, HOSTILE "files/%s", cases[i].file);
        blob b = read_file(path);
        mc_error err;
        mc_read_options o = opts;
        if (strncmp(cases[i].file, "amp_", 4) == 0)
            o.max_expand_floor = 256u << 20; /* let them inflate; the node budget stops them */
        mc_status st = read_bytes(b.p, b.n, &o, &err, cases[i].file);
        expect_input_error(st, &err, cases[i].file);
        if (!strstr(err.message, cases[i].expect))
            fail_msg("%s: '%s' lacks '%s'", cases[i].file, err.message, cases[i].expect);
        free(b.p);
    }
}

static void expect_read(blob *b, mc_status want, const char *sub, const char *what)
{
    uint8_t *c = exact_copy(b->p, b->n);
    mc_error err;
    mc_status st = read_bytes(c, b->n, NULL, &err, what);
    if (st != want)
        fail_msg("%s: status %d, expected %d (%s)", what, (int)st, (int)want, err.message);
    if (sub && !strstr(err.message, sub))
        fail_msg("%s: '%s' lacks '%s'", what, err.message, sub);
    free(c);
    free(b->p);
    memset(b, 0, sizeof *b);
}

static void test_deep_runtime(void **state)
{
    (void)state;
    enum { N = 200000 };
    blob b = {NULL, 0, 0};
    /* stack growth, plain */
    put(&b, "\x80\x04", 2);
    put_rep(&b, "(", N);
    put_str(&b, ")");
    put_rep(&b, "t", N);
    put_str(&b, ".");
    expect_read(&b, MC_E_INPUT, "nest more than 1000 levels", "200k MARK/TUPLE");
    /* lists appended into lists, plain */
    put(&b, "\x80\x04", 2);
    put_rep(&b, "]", N);
    put_rep(&b, "a", N - 1);
    put_str(&b, ".");
    expect_read(&b, MC_E_INPUT, "nest more than 1000 levels", "200k EMPTY_LIST/APPEND");
    /* a memo chain with a shallow stack */
    put(&b, "\x80\x04]q\x00", 5);
    put_rep(&b, "]q\x01" "a0h\x01", N);
    put(&b, "0h\x00.", 4);
    expect_read(&b, MC_E_INPUT, "nest more than 1000 levels", "200k memo chain");
    /* dicts through SETITEM */
    put(&b, "\x80\x04}q\x00", 5);
    put_rep(&b, "\x8c\x01k}q\x01s0h\x01", N);
    put(&b, "0h\x00.", 4);
    expect_read(&b, MC_E_INPUT, "nest more than 1000 levels", "200k dict chain");
    /* a DAG of 2**200 paths stays linear */
    put(&b, "\x80\x04]q\x00" "0", 6);
    put_rep_n(&b, "](h\x00h\x00" "eq\x00" "0", 10, 200);
    put(&b, "h\x00.", 3);
    expect_read(&b, MC_OK, NULL, "200-level doubling DAG");
}

static void test_big_numbers_runtime(void **state)
{
    (void)state;
    blob b = {NULL, 0, 0};
    put_str(&b, "L");
    put_rep(&b, "9", 1000000);
    put_str(&b, "L\n.");
    expect_read(&b, MC_E_INPUT, "more than 4300 digits", "a LONG of 10^6 digits");
    put_str(&b, "I-");
    put_rep(&b, "1", 1000000);
    put_str(&b, "\n.");
    expect_read(&b, MC_E_INPUT, "more than 4300 digits", "an INT of 10^6 digits");
    /* LONG4 of 8 MiB: linear to read */
    put(&b, "\x80\x02\x8b\x00\x00\x80\x00", 7);
    put_rep(&b, "\x5a", 8u << 20);
    put_str(&b, ".");
    expect_read(&b, MC_OK, NULL, "an 8 MiB LONG4");
}

static void test_many_globals_runtime(void **state)
{
    (void)state;
    blob b = {NULL, 0, 0};
    put(&b, "\x80\x02(", 3);
    char line[64];
    for (int i = 0; i < 100000; i++) {
        snprintf(line, sizeof line, "csklearn.m%d\nC\n", i);
        put_str(&b, line);
    }
    /* every one again, and used: lookups must not scan the list */
    for (int i = 0; i < 100000; i++) {
        snprintf(line, sizeof line, "csklearn.m%d\nC\n)R", i);
        put_str(&b, line);
    }
    put_str(&b, "t.");
    expect_read(&b, MC_OK, NULL, "200 000 references to 100 000 distinct globals");
}

static void test_memo_runtime(void **state)
{
    (void)state;
    blob b = {NULL, 0, 0};
    /* 4 Mi distinct LONG_BINPUT keys, then every one fetched */
    put(&b, "\x80\x04N", 3);
    for (uint32_t i = 0; i < (4u << 20); i++) {
        uint8_t op[5] = {'r', (uint8_t)i, (uint8_t)(i >> 8), (uint8_t)(i >> 16),
                         (uint8_t)(i >> 24)};
        put(&b, op, 5);
    }
    put_str(&b, ".");
    expect_read(&b, MC_OK, NULL, "4 Mi memo entries");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expect_tsv),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_corruption),
        cmocka_unit_test(test_zlib_bomb_1g),
        cmocka_unit_test(test_low_limits),
        cmocka_unit_test(test_deep_runtime),
        cmocka_unit_test(test_big_numbers_runtime),
        cmocka_unit_test(test_many_globals_runtime),
        cmocka_unit_test(test_memo_runtime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
