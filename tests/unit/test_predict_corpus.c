/* Prediction parity with scikit-learn on the whole corpus.
 *
 * For every model of both scikit-learn versions, every method the generator
 * saved (predict.npy, predict_proba.npy, ...) is recomputed in C on X.npy
 * and compared with scikit-learn's own output: labels identical; trees,
 * forests, boosting, scalers and imputers bit for bit; everything else
 * within 1e-12 relative (1e-14 absolute near zero).  Estimators outside the
 * supported families are listed, not failed; a supported family that
 * cannot predict one of its estimators fails.  Every file format of a model
 * must give the same results as its protocol-4 pickle. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "corpus.h"
#include "io/npy.h"
#include "modelconv/predict.h"

/* Families whose arithmetic is reproduced exactly. */
static int exact_family(const char *family)
{
    static const char *const exact[] = {"tree_ensemble", "hist_boosting", "dummy", "scaler",
                                        "imputer", "binarizer", NULL};
    for (const char *const *f = exact; *f; f++)
        if (strcmp(*f, family) == 0)
            return 1;
    return 0;
}

/* An expected array from a .npy file: numbers as doubles, or strings. */
typedef struct expected {
    uint32_t ndim;
    int64_t shape[2];
    uint64_t count;
    double *num;
    char **str;
} expected;

static void expected_free(expected *e)
{
    free(e->num);
    if (e->str)
        for (uint64_t i = 0; i < e->count; i++)
            free(e->str[i]);
    free(e->str);
    memset(e, 0, sizeof *e);
}

static int load_expected(const char *path, expected *e)
{
    memset(e, 0, sizeof *e);
    size_t len;
    uint8_t *bytes = read_whole(path, &len);
    if (!bytes)
        return -1;
    mc_arena arena;
    mc_arena_init(&arena, 1 << 20);
    mc_npy_header h;
    mc_error err;
    int rc = -1;
    if (mc_npy_parse(bytes, len, &arena, &h, &err) == MC_OK && h.ndim <= 2) {
        e->ndim = h.ndim;
        e->shape[0] = h.ndim ? h.shape[0] : 1;
        e->shape[1] = h.ndim == 2 ? h.shape[1] : 0;
        e->count = h.count;
        const mc_dtype *dt = h.dtype;
        mc_ndarray a = {0};
        a.dtype = dt;
        a.count = h.count;
        a.data = bytes + h.data_offset;
        if (dt->kind == 'U') {
            e->str = calloc(h.count + 1, sizeof *e->str);
            size_t chars = dt->itemsize / 4;
            for (uint64_t i = 0; i < h.count; i++) {
                e->str[i] = calloc(chars * 4 + 1, 1);
                size_t o = 0;
                for (size_t c = 0; c < chars; c++) {
                    const uint8_t *p = a.data + i * dt->itemsize + 4 * c;
                    uint32_t cp = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
                    if (!cp)
                        break;
                    if (cp < 0x80) {
                        e->str[i][o++] = (char)cp;
                    } else if (cp < 0x800) {
                        e->str[i][o++] = (char)(0xc0 | cp >> 6);
                        e->str[i][o++] = (char)(0x80 | (cp & 0x3f));
                    } else {
                        e->str[i][o++] = (char)(0xe0 | cp >> 12);
                        e->str[i][o++] = (char)(0x80 | (cp >> 6 & 0x3f));
                        e->str[i][o++] = (char)(0x80 | (cp & 0x3f));
                    }
                }
            }
            rc = 0;
        } else {
            e->num = calloc(h.count + 1, sizeof *e->num);
            rc = 0;
            /* element i in C order; scikit-learn's outputs may be Fortran-ordered */
            uint64_t rows = (uint64_t)e->shape[0], cols = e->ndim == 2 ? (uint64_t)e->shape[1] : 1;
            for (uint64_t i = 0; i < h.count && rc == 0; i++) {
                uint64_t at = h.fortran_order ? (i % cols) * rows + i / cols : i;
                rc = mc_array_get_f64(&a, at, &e->num[i]);
            }
        }
    }
    mc_arena_free(&arena);
    free(bytes);
    return rc;
}

/* The first difference between output and expected; "" when they agree.
 * *worst_rel gets the largest |got - want| / |want| over the elements
 * compared with a tolerance (|got - want| where want is 0). */
static void compare(const mc_output *o, const expected *e, int exact, char *why, size_t size,
                    double *worst_rel)
{
    why[0] = '\0';
    *worst_rel = 0;
    uint64_t rows = (uint64_t)o->shape[0], cols = o->ndim == 2 ? (uint64_t)o->shape[1] : 1;
    uint64_t erows = (uint64_t)e->shape[0], ecols = e->ndim == 2 ? (uint64_t)e->shape[1] : 1;
    if (rows != erows || cols != ecols || (o->ndim == 1) != (e->ndim == 1)) {
        snprintf(why, size, "shape (%lld, %lld) where scikit-learn gives (%lld, %lld)",
                 (long long)rows, (long long)(o->ndim == 2 ? (int64_t)cols : -1),
                 (long long)erows, (long long)(e->ndim == 2 ? (int64_t)ecols : -1));
        return;
    }
    for (uint64_t i = 0; i < rows * cols; i++) {
        if (e->str) {
            if (o->elem != MC_ELEM_STR || strcmp(((const char **)o->data)[i], e->str[i]) != 0) {
                snprintf(why, size, "[%llu] label differs ('%s')", (unsigned long long)i,
                         e->str[i]);
                return;
            }
            continue;
        }
        double got, want = e->num[i];
        if (o->elem == MC_ELEM_F64)
            got = ((const double *)o->data)[i];
        else if (o->elem == MC_ELEM_I64)
            got = (double)((const int64_t *)o->data)[i];
        else {
            snprintf(why, size, "[%llu] is a string, expected a number", (unsigned long long)i);
            return;
        }
        if (isnan(got) && isnan(want))
            continue;
        if (exact) {
            if (memcmp(&got, &want, sizeof got) != 0) {
                snprintf(why, size, "[%llu] = %.17g, scikit-learn %.17g (must be bit-identical)",
                         (unsigned long long)i, got, want);
                return;
            }
            continue;
        }
        double diff = got == want ? 0 : fabs(got - want); /* equal infinities agree */
        double tol = fmax(1e-12 * fabs(want), 1e-14);
        if (!(diff <= tol)) {
            snprintf(why, size, "[%llu] = %.17g, scikit-learn %.17g (diff %.3g)",
                     (unsigned long long)i, got, want, diff);
            return;
        }
        double rel = want != 0 ? diff / fabs(want) : diff;
        if (rel > *worst_rel)
            *worst_rel = rel;
    }
}

/* Per family, over every output compared with a tolerance: how many, how
 * many came out exactly equal anyway, and the worst relative difference. */
typedef struct family_stats {
    char family[32];
    int outputs, identical;
    double worst_rel;
} family_stats;

static family_stats stats[32];

static void note_stats(const char *family, double worst_rel)
{
    for (size_t i = 0; i < sizeof stats / sizeof *stats; i++) {
        if (stats[i].family[0] && strcmp(stats[i].family, family) != 0)
            continue;
        snprintf(stats[i].family, sizeof stats[i].family, "%s", family);
        stats[i].outputs++;
        stats[i].identical += worst_rel == 0;
        if (worst_rel > stats[i].worst_rel)
            stats[i].worst_rel = worst_rel;
        return;
    }
}

static int read_info(const char *dir, const char *key, char *out, size_t size)
{
    char path[700], line[1024];
    snprintf(path, sizeof path, "%s/info.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int found = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == '\t') {
            line[strcspn(line, "\r\n")] = '\0';
            snprintf(out, size, "%s", line + klen + 1);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

/* Run every saved method of the model in `rel_file`; returns failures and
 * appends the results to `report`. */
static int check_model(const char *rel_file, const char *rel_dir, FILE *report, int *unsupported,
                       int list_unsupported)
{
    char path[600], dir[600], methods[1024];
    corpus_path(path, sizeof path, rel_file);
    corpus_path(dir, sizeof dir, rel_dir);
    if (read_info(dir, "methods", methods, sizeof methods))
        return 0;
    mc_model *m;
    mc_error err;
    if (mc_model_load(path, &m, &err) != MC_OK) {
        fprintf(report, "FAIL %s: load: %s: %s\n", rel_file, err.where, err.message);
        return 1;
    }
    mc_predictor *p;
    if (mc_predictor_new(m, &p, &err) != MC_OK) {
        /* an estimator outside the supported families, at the top or as
         * a pipeline step, is listed; any other refusal is a failure */
        int fail = !strstr(err.message, "unsupported estimator");
        if (fail || list_unsupported)
            fprintf(report, "%s %s (%s): %s\n", fail ? "FAIL" : "unsupported", rel_file,
                    m->family, err.message);
        *unsupported += !fail;
        mc_model_free(m);
        return fail;
    }
    char xpath[700];
    snprintf(xpath, sizeof xpath, "%s/X.npy", dir);
    expected X;
    if (load_expected(xpath, &X) || X.ndim != 2) {
        fprintf(report, "FAIL %s: cannot read X.npy\n", rel_file);
        mc_predictor_free(p);
        mc_model_free(m);
        return 1;
    }
    int failures = 0;
    for (char *tok = strtok(methods, ","); tok; tok = strtok(NULL, ",")) {
        mc_method meth;
        if (mc_method_from_name(tok, &meth)) {
            fprintf(report, "FAIL %s: unknown method %s\n", rel_file, tok);
            failures++;
            continue;
        }
        mc_outputs out;
        if (mc_predict(p, meth, X.num, (uint64_t)X.shape[0], (uint64_t)X.shape[1], &out, &err)) {
            fprintf(report, "FAIL %s %s: %s\n", rel_file, tok, err.message);
            failures++;
            continue;
        }
        for (uint32_t part = 0; part < out.n; part++) {
            char epath[800], why[256];
            if (out.n == 1)
                snprintf(epath, sizeof epath, "%s/%s.npy", dir, tok);
            else
                snprintf(epath, sizeof epath, "%s/%s.%u.npy", dir, tok, part);
            expected e;
            if (load_expected(epath, &e)) {
                fprintf(report, "FAIL %s %s: no expected output %s\n", rel_file, tok, epath);
                failures++;
                continue;
            }
            int exact = exact_family(m->family);
            double worst_rel;
            compare(&out.parts[part], &e, exact, why, sizeof why, &worst_rel);
            if (!exact && !why[0] && out.parts[part].elem != MC_ELEM_STR)
                note_stats(m->family, worst_rel);
            if (why[0]) {
                fprintf(report, "FAIL %s %s%s: %s\n", rel_file, tok, out.n > 1 ? "[part]" : "",
                        why);
                failures++;
            }
            expected_free(&e);
        }
        mc_outputs_free(&out);
    }
    expected_free(&X);
    mc_predictor_free(p);
    mc_model_free(m);
    return failures;
}

static void test_predict_matches_sklearn(void **state)
{
    (void)state;
    size_t n;
    corpus_entry *e = corpus_load(&n);
    assert_non_null(e);
    int failures = 0, unsupported = 0, models = 0;
    FILE *report = stderr;
    for (size_t i = 0; i < n; i++) {
        /* every model has a protocol-4 pickle */
        if (strcmp(e[i].kind, "model") != 0 || !strstr(e[i].path, "model.p4.pkl"))
            continue;
        models++;
        failures += check_model(e[i].path, e[i].dir, report, &unsupported, 1);
    }
    fprintf(report, "%d models, %d unsupported, %d failures\n", models, unsupported, failures);
    fprintf(report, "outputs compared within 1e-12 relative (the others bit for bit):\n");
    for (size_t i = 0; i < sizeof stats / sizeof *stats && stats[i].family[0]; i++)
        fprintf(report, "  %-14s %4d outputs, %4d exactly equal, worst relative difference %.3g\n",
                stats[i].family, stats[i].outputs, stats[i].identical, stats[i].worst_rel);
    free(e);
    assert_true(models > 200);
    assert_int_equal(failures, 0);
}

/* All the formats of one model predict alike: checked against scikit-learn
 * for every file of every supported model, not only the pickle. */
static void test_every_format_predicts(void **state)
{
    (void)state;
    size_t n;
    corpus_entry *e = corpus_load(&n);
    assert_non_null(e);
    int failures = 0, unsupported = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].kind, "model") != 0 || strstr(e[i].path, "model.p4.pkl"))
            continue;
        failures += check_model(e[i].path, e[i].dir, stderr, &unsupported, 0);
    }
    free(e);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predict_matches_sklearn),
        cmocka_unit_test(test_every_format_predicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
