/* Every file of the committed corpus (real scikit-learn 1.2.2 and 1.9.1
 * models, plain-data files, old joblib files) reads, and reports what the
 * generator recorded when it wrote it: class, scikit-learn version, format,
 * protocol, compressor; data files' arrays match the generator's
 * fingerprints taken from numpy's own loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "modelconv/read.h"
#include "modelconv/scan.h"

static corpus_entry *entries;
static size_t nentries;

static int setup(void **state)
{
    (void)state;
    entries = corpus_load(&nentries);
    return entries && nentries > 1000 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(entries);
    return 0;
}

static int contains(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

/* A joblib file without arrays is byte for byte a plain pickle (joblib's
 * pickler only differs where it splices arrays in). */
static void check_format(const corpus_entry *e, const mc_provenance *p, const char *path)
{
    if (strcmp(e->format, "joblib") == 0 && strcmp(e->compressor, "none") == 0 &&
        strcmp(p->format, "pickle") == 0) {
        size_t len;
        uint8_t *bytes = read_whole(path, &len);
        assert_non_null(bytes);
        assert_false(contains(bytes, len, "NumpyArrayWrapper"));
        free(bytes);
        return;
    }
    if (strcmp(e->format, p->format) != 0)
        fail_msg("%s: format %s, manifest says %s", e->path, p->format, e->format);
}

static void test_models_report_class_and_versions(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < nentries; i++) {
        const corpus_entry *e = &entries[i];
        if (strcmp(e->kind, "model") != 0)
            continue;
        char path[512], cls[512];
        mc_document *doc;
        mc_error err;
        corpus_path(path, sizeof path, e->path);
        if (mc_read_file(path, NULL, &doc, &err) != MC_OK)
            fail_msg("%s: %s", e->path, err.message);
        const mc_provenance *p = mc_document_provenance(doc);
        mc_value_class_path(mc_document_root(doc), cls, sizeof cls);
        if (strcmp(cls, e->cls) != 0)
            fail_msg("%s: class %s, expected %s", e->path, cls, e->cls);
        if (strcmp(p->sklearn_version, e->sklearn_version) != 0)
            fail_msg("%s: sklearn %s, expected %s", e->path, p->sklearn_version,
                     e->sklearn_version);
        /* only numpy.core vs numpy._core names tell the numpy major version;
         * joblib files whose arrays are all wrapped name neither */
        const char *np = e->numpy_version[0] == '1' ? "1.x" : "2.x";
        size_t ng, numpy_globals = 0;
        const mc_global_use *g = mc_document_globals(doc, &ng);
        for (size_t k = 0; k < ng; k++)
            numpy_globals += strncmp(g[k].module, "numpy.core", 10) == 0 ||
                             strncmp(g[k].module, "numpy._core", 11) == 0;
        if (numpy_globals == 0)
            np = "";
        if (strcmp(p->numpy_hint, np) != 0)
            fail_msg("%s: numpy %s, expected %s", e->path, p->numpy_hint, np);
        check_format(e, p, path);
        assert_int_equal(p->protocol, e->protocol);
        assert_string_equal(p->compressor, e->compressor);
        assert_false(p->python2);
        mc_document_free(doc);
        checked++;
    }
    assert_true(checked > 1000);
}

typedef struct expected_arrays {
    char (*lines)[128];
    size_t n, next;
    const char *file;
} expected_arrays;

static void compare_array(const mc_ndarray *a, void *ctx)
{
    expected_arrays *x = ctx;
    char got[128], dts[32], shape[64] = "";
    size_t o = 0;
    for (uint32_t d = 0; d < a->ndim; d++)
        o += (size_t)snprintf(shape + o, sizeof shape - o, "%s%lld", d ? "," : "",
                              (long long)a->shape[d]);
    mc_dtype_str(a->dtype, dts, sizeof dts);
    if (a->objects)
        snprintf(got, sizeof got, "%s\t%s\t-", dts, shape);
    else
        snprintf(got, sizeof got, "%s\t%s\t%016llx", dts, shape,
                 (unsigned long long)array_fnv(a));
    if (x->next >= x->n)
        fail_msg("%s: more arrays than expected, extra: %s", x->file, got);
    if (strcmp(got, x->lines[x->next]) != 0)
        fail_msg("%s: array %zu is '%s', expected '%s'", x->file, x->next, got,
                 x->lines[x->next]);
    x->next++;
}

static void check_arrays(const char *rel, const char *arrays_rel)
{
    char path[512], apath[512];
    corpus_path(path, sizeof path, rel);
    corpus_path(apath, sizeof apath, arrays_rel);
    FILE *f = fopen(apath, "r");
    if (!f)
        fail_msg("%s: no %s", rel, arrays_rel);
    expected_arrays x = {calloc(4096, sizeof *x.lines), 0, 0, rel};
    while (x.n < 4096 && fgets(x.lines[x.n], sizeof x.lines[0], f)) {
        x.lines[x.n][strcspn(x.lines[x.n], "\r\n")] = '\0';
        if (x.lines[x.n][0])
            x.n++;
    }
    fclose(f);
    mc_document *doc;
    mc_error err;
    if (mc_read_file(path, NULL, &doc, &err) != MC_OK)
        fail_msg("%s: %s", rel, err.message);
    visit_arrays(mc_document_root(doc), compare_array, &x);
    if (x.next != x.n)
        fail_msg("%s: %zu arrays, expected %zu", rel, x.next, x.n);
    mc_document_free(doc);
    free(x.lines);
}

static void test_data_files_match_numpy(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < nentries; i++) {
        const corpus_entry *e = &entries[i];
        if (strcmp(e->kind, "data") != 0)
            continue;
        char arrays[300];
        snprintf(arrays, sizeof arrays, "%s/arrays.txt", e->dir);
        check_arrays(e->path, arrays);
        checked++;
    }
    assert_true(checked >= 150);
}

/* Old joblib files (0.8.4 to 0.11, Python 2.7 and 3.3-3.6, numpy 1.6-1.11).
 * joblib's create_numpy_pickle.py pickles the same object into every one of
 * them, so the Python 2 files, which Python 3 cannot load to fingerprint,
 * are held to the fingerprints of a Python 3 file. */
static void test_legacy_joblib_files(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < nentries; i++) {
        const corpus_entry *e = &entries[i];
        if (strcmp(e->kind, "legacy") != 0)
            continue;
        char own[300], path[512];
        snprintf(own, sizeof own, "%s.arrays.txt", e->path);
        FILE *f = fopen(corpus_path(path, sizeof path, own), "r");
        if (f) {
            fclose(f);
            check_arrays(e->path, own);
        } else {
            check_arrays(e->path, "legacy/joblib_0.10.0_pickle_py35_np19.pkl.arrays.txt");
        }
        mc_document *doc;
        mc_error err;
        assert_int_equal(mc_read_file(corpus_path(path, sizeof path, e->path), NULL, &doc, &err),
                         MC_OK);
        const mc_provenance *p = mc_document_provenance(doc);
        assert_int_equal(p->python2, strstr(e->path, "py27") != NULL);
        assert_string_equal(p->compressor, e->compressor);
        assert_int_equal(p->protocol, e->protocol);
        if (strcmp(e->format, p->format) != 0)
            fail_msg("%s: format %s, manifest says %s", e->path, p->format, e->format);
        mc_document_free(doc);
        checked++;
    }
    assert_true(checked >= 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models_report_class_and_versions),
        cmocka_unit_test(test_data_files_match_numpy),
        cmocka_unit_test(test_legacy_joblib_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
