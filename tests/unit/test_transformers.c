/* The transformer families (scaler, imputer, binarizer, normalizer,
 * decomposition) beyond the parity test: what the mapping keeps, which
 * methods each estimator has, a single row giving the same bits as the same
 * row in a batch, and input that scikit-learn's validation refuses. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "corpus_model.h"
#include "modelconv/predict.h"

static const char *const versions[] = {"sk1.2.2", "sk1.9.1"};

static const char *const models[] = {
    "std_scaler", "std_scaler_nomean", "minmax", "maxabs", "robust",
    "imputer_mean", "imputer_median", "imputer_most_frequent", "imputer_constant",
    "binarizer", "normalizer", "pca", "pca_whiten", "tsvd"};

enum { NF = 6, ROWS = 300 };

/* Deterministic rows of NF columns; with_nan puts NaN in some entries. */
static void fill_rows(double *X, uint64_t rows, int with_nan)
{
    for (uint64_t i = 0; i < rows * NF; i++)
        X[i] = with_nan && i % 7 == 3 ? NAN : 3.0 * sin(0.37 * (double)i) + 0.01 * (double)(i % 11);
}

static int needs_finite(const mc_model *m)
{
    return strcmp(m->family, "scaler") != 0 && strcmp(m->family, "imputer") != 0;
}

/* Every row alone gives the same bits as in a batch of ROWS (blocking must
 * not change the arithmetic). */
static void test_single_row_matches_batch(void **state)
{
    (void)state;
    static double X[ROWS * NF];
    for (size_t v = 0; v < 2; v++)
        for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
            mc_model *m = corpus_model(versions[v], models[k]);
            mc_predictor *p = corpus_predictor(m);
            fill_rows(X, ROWS, !needs_finite(m));
            for (int meth = 0; meth < MC_METHOD_COUNT; meth++) {
                if (!mc_predictor_has(p, (mc_method)meth))
                    continue;
                mc_outputs all, one;
                mc_error err;
                assert_int_equal(mc_predict(p, (mc_method)meth, X, ROWS, NF, &all, &err), MC_OK);
                uint64_t width = all.parts[0].ndim == 2 ? (uint64_t)all.parts[0].shape[1] : 1;
                for (uint64_t r = 0; r < ROWS; r++) {
                    assert_int_equal(mc_predict(p, (mc_method)meth, X + r * NF, 1, NF, &one, &err),
                                     MC_OK);
                    const double *a = (const double *)all.parts[0].data + r * width;
                    if (memcmp(a, one.parts[0].data, width * sizeof *a) != 0)
                        fail_msg("%s/%s %s: row %llu differs alone", versions[v], models[k],
                                 mc_method_name((mc_method)meth), (unsigned long long)r);
                    mc_outputs_free(&one);
                }
                mc_outputs_free(&all);
            }
            mc_predictor_free(p);
            mc_model_free(m);
        }
}

/* NaN passes scalers and NaN-imputers; NaN or infinity raise elsewhere, and
 * infinity raises everywhere, as scikit-learn's check_array does. */
static void test_input_validation(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        mc_model *m = corpus_model("sk1.9.1", models[k]);
        mc_predictor *p = corpus_predictor(m);
        double X[2 * NF];
        fill_rows(X, 2, 0);
        X[NF + 2] = NAN;
        mc_outputs out;
        mc_error err;
        mc_status st = mc_predict(p, MC_METHOD_TRANSFORM, X, 2, NF, &out, &err);
        if (needs_finite(m)) {
            assert_int_equal(st, MC_E_USAGE);
            assert_non_null(strstr(err.message, "X[1, 2] is NaN"));
        } else {
            assert_int_equal(st, MC_OK);
            mc_outputs_free(&out);
        }
        X[NF + 2] = -INFINITY;
        assert_int_equal(mc_predict(p, MC_METHOD_TRANSFORM, X, 2, NF, &out, &err), MC_E_USAGE);
        assert_non_null(strstr(err.message, "infinite"));
        assert_int_equal(mc_predict(p, MC_METHOD_TRANSFORM, X, 1, NF - 1, &out, &err),
                         MC_E_USAGE);
        mc_predictor_free(p);
        mc_model_free(m);
    }
}

static void test_methods(void **state)
{
    (void)state;
    const unsigned transform = 1u << MC_METHOD_TRANSFORM;
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        mc_model *m = corpus_model("sk1.2.2", models[k]);
        mc_predictor *p = corpus_predictor(m);
        unsigned has = 0;
        for (int meth = 0; meth < MC_METHOD_COUNT; meth++)
            has |= (unsigned)mc_predictor_has(p, (mc_method)meth) << meth;
        int pca = strncmp(models[k], "pca", 3) == 0;
        assert_int_equal(has, pca ? transform | 1u << MC_METHOD_SCORE_SAMPLES : transform);
        assert_int_equal(m->task, MC_TASK_TRANSFORMER);
        assert_int_equal(m->n_features, NF);
        mc_predictor_free(p);
        mc_model_free(m);
    }
}

/* Arrays the tensors hold exactly leave the state; the rest stays. */
static void test_state_is_kept(void **state)
{
    (void)state;
    mc_model *m = corpus_model("sk1.9.1", "std_scaler");
    assert_string_equal(m->family, "scaler");
    assert_non_null(mc_model_tensor(m, "mean"));
    assert_non_null(mc_model_tensor(m, "scale"));
    assert_null(mc_model_state(m, "mean_"));
    assert_non_null(mc_model_state(m, "n_samples_seen_"));
    assert_non_null(mc_model_param(m, "with_mean"));
    mc_model_free(m);

    /* 1.9.1's constant strategy: statistics_ is an object array, kept too */
    m = corpus_model("sk1.9.1", "imputer_constant");
    const mc_tensor *t = mc_model_tensor(m, "statistics");
    assert_non_null(t);
    assert_true(t->data.f64[0] == -7.5);
    assert_non_null(mc_model_state(m, "statistics_"));
    assert_non_null(mc_model_state(m, "_fill_dtype"));
    mc_model_free(m);

    m = corpus_model("sk1.2.2", "pca_whiten");
    t = mc_model_tensor(m, "components");
    assert_non_null(t);
    assert_int_equal(t->shape[0], 3);
    assert_int_equal(t->shape[1], NF);
    assert_null(mc_model_state(m, "components_"));
    assert_non_null(mc_model_state(m, "noise_variance_"));
    assert_non_null(mc_model_param(m, "whiten"));
    mc_model_free(m);
}

/* imputer_median's column 4 was all NaN in fit: dropped in both versions. */
static void test_imputer_drops_empty_column(void **state)
{
    (void)state;
    for (size_t v = 0; v < 2; v++) {
        mc_model *m = corpus_model(versions[v], "imputer_median");
        assert_true(isnan(mc_model_tensor(m, "statistics")->data.f64[4]));
        mc_predictor *p = corpus_predictor(m);
        double X[NF] = {NAN, 1, 2, 3, 4, NAN};
        mc_outputs out;
        mc_error err;
        assert_int_equal(mc_predict(p, MC_METHOD_TRANSFORM, X, 1, NF, &out, &err), MC_OK);
        assert_int_equal(out.parts[0].shape[1], NF - 1);
        const double *o = out.parts[0].data;
        assert_false(isnan(o[0]));
        assert_true(o[1] == 1 && o[2] == 2 && o[3] == 3);
        assert_false(isnan(o[4]));
        mc_outputs_free(&out);
        mc_predictor_free(p);
        mc_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_row_matches_batch),
        cmocka_unit_test(test_input_validation),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_state_is_kept),
        cmocka_unit_test(test_imputer_drops_empty_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
