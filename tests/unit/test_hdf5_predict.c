/* An HDF5 archive loaded for prediction only (the tensors no predictor reads
 * left undecoded) predicts exactly what the whole archive and the original
 * pickle predict, for every corpus model and method; and such a partial
 * model refuses to be saved. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "corpus.h"
#include "io/matrix.h"
#include "modelconv/formats.h"
#include "modelconv/predict.h"

static int same_outputs(const mc_outputs *a, const mc_outputs *b)
{
    if (a->n != b->n)
        return 0;
    for (uint32_t p = 0; p < a->n; p++) {
        const mc_output *x = &a->parts[p], *y = &b->parts[p];
        if (x->elem != y->elem || x->ndim != y->ndim || x->shape[0] != y->shape[0] ||
            (x->ndim == 2 && x->shape[1] != y->shape[1]))
            return 0;
        uint64_t n = (uint64_t)x->shape[0] * (x->ndim == 2 ? (uint64_t)x->shape[1] : 1);
        for (uint64_t i = 0; i < n; i++) {
            if (x->elem == MC_ELEM_STR
                    ? strcmp(((const char **)x->data)[i], ((const char **)y->data)[i]) != 0
                    : memcmp((const char *)x->data + 8 * i, (const char *)y->data + 8 * i, 8) != 0)
                return 0;
        }
    }
    return 1;
}

/* Every method of m1 and m2 on X gives the same bytes; returns failures. */
static int compare_models(const char *what, const mc_model *m1, const mc_model *m2,
                          const mc_matrix *X)
{
    mc_predictor *p1, *p2;
    mc_error err;
    if (mc_predictor_new(m1, &p1, &err) != MC_OK)
        return 0; /* not a model modelconv predicts with */
    if (mc_predictor_new(m2, &p2, &err) != MC_OK) {
        fprintf(stderr, "FAIL %s: %s\n", what, err.message);
        mc_predictor_free(p1);
        return 1;
    }
    int failures = 0;
    for (int k = 0; k < MC_METHOD_COUNT; k++) {
        mc_method meth = (mc_method)k;
        if (mc_predictor_has(p1, meth) != mc_predictor_has(p2, meth)) {
            fprintf(stderr, "FAIL %s %s: present in one model only\n", what, mc_method_name(meth));
            failures++;
            continue;
        }
        if (!mc_predictor_has(p1, meth))
            continue;
        mc_outputs o1, o2;
        mc_status s1 = mc_predict(p1, meth, X->data, X->rows, X->cols, &o1, &err);
        mc_status s2 = mc_predict(p2, meth, X->data, X->rows, X->cols, &o2, &err);
        if (s1 != s2 || (!s1 && !same_outputs(&o1, &o2))) {
            fprintf(stderr, "FAIL %s %s: outputs differ\n", what, mc_method_name(meth));
            failures++;
        }
        if (!s1)
            mc_outputs_free(&o1);
        if (!s2)
            mc_outputs_free(&o2);
    }
    mc_predictor_free(p1);
    mc_predictor_free(p2);
    return failures;
}

static void test_partial_archives_predict_alike(void **state)
{
    (void)state;
    size_t n;
    corpus_entry *e = corpus_load(&n);
    assert_non_null(e);
    char dir[] = "/tmp/mc-h5predict-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char h5[600];
    snprintf(h5, sizeof h5, "%s/m.h5", dir);
    int failures = 0, partial = 0, models = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].kind, "model") != 0 || !strstr(e[i].path, "model.p4.pkl"))
            continue;
        char path[600], xpath[700];
        corpus_path(path, sizeof path, e[i].path);
        corpus_path(xpath, sizeof xpath, e[i].dir);
        strcat(xpath, "/X.npy");
        mc_model *orig, *whole, *part;
        mc_matrix X;
        mc_error err;
        assert_int_equal(mc_model_load(path, &orig, &err), MC_OK);
        assert_int_equal(mc_model_save(orig, h5, "hdf5", NULL, &err), MC_OK);
        assert_int_equal(mc_model_load_for(h5, MC_LOAD_ALL, &whole, &err), MC_OK);
        assert_int_equal(mc_model_load_for(h5, MC_LOAD_PREDICT, &part, &err), MC_OK);
        assert_int_equal(mc_matrix_read(xpath, &X, &err), MC_OK);
        assert_false(whole->partial);
        partial += part->partial;
        failures += compare_models(e[i].path, orig, part, &X);
        failures += compare_models(e[i].path, whole, part, &X);
        if (part->partial) {
            char again[700];
            snprintf(again, sizeof again, "%s/again.h5", dir);
            assert_int_equal(mc_model_save(part, again, "hdf5", NULL, &err), MC_E_USAGE);
            assert_non_null(strstr(err.message, "prediction only"));
            assert_int_equal(access(again, F_OK), -1);
        }
        mc_matrix_free(&X);
        mc_model_free(orig);
        mc_model_free(whole);
        mc_model_free(part);
        models++;
    }
    unlink(h5);
    rmdir(dir);
    free(e);
    assert_true(models > 200);
    /* forests and boosting models leave out what they never read */
    assert_true(partial > 50);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_archives_predict_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
