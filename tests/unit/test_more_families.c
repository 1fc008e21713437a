/* The svm, neighbors, naive_bayes, kmeans and mlp families beyond the
 * parity test: every piece of the estimator's state is kept (as a tensor or
 * a value), libsvm's signs, the search tree's arrays, which methods each
 * estimator has, a single row giving the same bits as the same row in a
 * batch, and input that scikit-learn's validation refuses. */
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

/* Each corpus model, its family, and the methods it has. */
typedef struct expect {
    const char *name, *family;
    unsigned methods;
} expect;

enum {
    P = 1u << MC_METHOD_PREDICT,
    PP = 1u << MC_METHOD_PREDICT_PROBA,
    LP = 1u << MC_METHOD_PREDICT_LOG_PROBA,
    DF = 1u << MC_METHOD_DECISION_FUNCTION,
    TR = 1u << MC_METHOD_TRANSFORM,
    SS = 1u << MC_METHOD_SCORE_SAMPLES,
    NF = 6,
    ROWS = 150
};

static const expect models[] = {
    {"svc_linear", "svm", P | DF},      {"svc_poly", "svm", P | DF},
    {"svc_rbf", "svm", P | DF},         {"svc_rbf_proba", "svm", P | DF | PP | LP},
    {"svc_sigmoid", "svm", P | DF},     {"nusvc", "svm", P | DF},
    {"svr", "svm", P},                  {"nusvr", "svm", P},
    {"ocsvm", "svm", P | DF | SS},      {"knn_clf", "neighbors", P | PP},
    {"knn_reg", "neighbors", P},        {"gnb", "naive_bayes", P | PP | LP},
    {"mnb", "naive_bayes", P | PP | LP}, {"bnb", "naive_bayes", P | PP | LP},
    {"kmeans", "kmeans", P | TR},       {"mlp_clf", "mlp", P | PP | LP},
    {"mlp_reg", "mlp", P},
};

enum { N_MODELS = sizeof models / sizeof models[0] };

/* Deterministic non-negative rows (MultinomialNB counts) of NF columns. */
static void fill_rows(double *X, uint64_t rows)
{
    for (uint64_t i = 0; i < rows * NF; i++)
        X[i] = 2.0 + 2.0 * sin(0.37 * (double)i) + 0.01 * (double)(i % 11);
}

static void test_family_and_methods(void **state)
{
    (void)state;
    for (size_t v = 0; v < 2; v++)
        for (size_t k = 0; k < N_MODELS; k++) {
            mc_model *m = corpus_model(versions[v], models[k].name);
            assert_string_equal(m->family, models[k].family);
            assert_int_equal(m->n_features, NF);
            mc_predictor *p = corpus_predictor(m);
            unsigned has = 0;
            for (int meth = 0; meth < MC_METHOD_COUNT; meth++)
                has |= (unsigned)mc_predictor_has(p, (mc_method)meth) << meth;
            if (has != models[k].methods)
                fail_msg("%s/%s: methods %#x, expected %#x", versions[v], models[k].name, has,
                         models[k].methods);
            mc_predictor_free(p);
            mc_model_free(m);
        }
}

/* Is `key` a parameter or a state entry of m? */
static int kept_as_value(const mc_model *m, const char *key)
{
    return mc_model_param(m, key) || mc_model_state(m, key);
}

/* Every key of the estimator's state dict is kept as a value, or went into
 * the tensor named beside it. */
static void test_nothing_lost(void **state)
{
    (void)state;
    static const char *const into[][2] = {
        {"support_", "support"},      {"_n_support", "n_support"},
        {"_dual_coef_", "dual_coef"}, {"_intercept_", "intercept"},
        {"_probA", "prob_a"},         {"_probB", "prob_b"},
        {"support_vectors_", "support_vectors"}, {"_fit_X", "fit_x"},
        {"_y", "y_index"},            {"_y", "y_value"},
        {"theta_", "theta"},
        {"var_", "var"},              {"class_prior_", "class_prior"},
        {"class_count_", "class_count"}, {"feature_log_prob_", "feature_log_prob"},
        {"class_log_prior_", "class_log_prior"}, {"feature_count_", "feature_count"},
        {"cluster_centers_", "cluster_centers"}, {"coefs_", "coefs"},
        {"intercepts_", "intercepts"},
    };
    for (size_t v = 0; v < 2; v++)
        for (size_t k = 0; k < N_MODELS; k++) {
            mc_model *m = corpus_model(versions[v], models[k].name);
            const mc_value *st = mc_object_state(m->source);
            assert_non_null(st);
            for (size_t i = 0; i < st->u.dict.len; i++) {
                const char *key = st->u.dict.keys[i]->u.str.data;
                if (kept_as_value(m, key))
                    continue;
                int in_tensor = 0;
                for (size_t j = 0; j < sizeof into / sizeof into[0]; j++)
                    in_tensor |= strcmp(into[j][0], key) == 0 && mc_model_tensor(m, into[j][1]);
                if (!in_tensor)
                    fail_msg("%s/%s: state key %s is lost", versions[v], models[k].name, key);
            }
            mc_model_free(m);
        }
}

/* Binary SVC: the tensors hold libsvm's signs, the public attributes
 * (kept as values) the opposite ones. */
static void test_svm_signs(void **state)
{
    (void)state;
    mc_model *m = corpus_model("sk1.9.1", "svc_linear");
    const mc_tensor *b = mc_model_tensor(m, "intercept");
    const mc_value *pub = mc_model_state(m, "intercept_");
    assert_non_null(b);
    assert_non_null(pub);
    double v;
    assert_int_equal(mc_array_get_f64(&pub->u.array, 0, &v), 0);
    assert_true(b->count == 1 && b->data.f64[0] == -v);
    const mc_tensor *dc = mc_model_tensor(m, "dual_coef");
    const mc_value *pub_dc = mc_model_state(m, "dual_coef_");
    assert_non_null(pub_dc);
    for (uint64_t i = 0; i < dc->count; i++) {
        assert_int_equal(mc_array_get_f64(&pub_dc->u.array, i, &v), 0);
        assert_true(dc->data.f64[i] == -v);
    }
    assert_int_equal(mc_model_tensor(m, "prob_a")->count, 0);
    mc_model_free(m);
}

/* KDTree and BallTree arrays become tensors; the tree object stays. */
static void test_search_trees(void **state)
{
    (void)state;
    static const char *const names[] = {"knn_clf", "knn_reg"};
    for (size_t v = 0; v < 2; v++)
        for (size_t k = 0; k < 2; k++) {
            mc_model *m = corpus_model(versions[v], names[k]);
            const mc_tensor *bounds = mc_model_tensor(m, "tree_node_bounds");
            const mc_tensor *index = mc_model_tensor(m, "tree_index");
            assert_non_null(bounds);
            assert_non_null(index);
            assert_int_equal(bounds->shape[0], k == 0 ? 2 : 1); /* KD box, ball centroid */
            assert_int_equal(bounds->shape[1], mc_model_tensor(m, "tree_node_start")->count);
            assert_int_equal(index->count, mc_model_tensor(m, "fit_x")->shape[0]);
            assert_non_null(mc_model_state(m, "_tree"));
            assert_non_null(mc_model_tensor(m, k == 0 ? "y_index" : "y_value"));
            mc_model_free(m);
        }
}

/* Compare a single-row result with row r of a batch result. */
static void same_row(const mc_outputs *all, const mc_outputs *one, uint64_t r, const char *what)
{
    assert_int_equal(all->n, one->n);
    for (uint32_t part = 0; part < all->n; part++) {
        const mc_output *a = &all->parts[part];
        uint64_t width = a->ndim == 2 ? (uint64_t)a->shape[1] : 1;
        if (memcmp((const char *)a->data + r * width * 8, one->parts[part].data, width * 8) != 0)
            fail_msg("%s: row %llu differs alone", what, (unsigned long long)r);
    }
}

static void test_single_row_matches_batch(void **state)
{
    (void)state;
    static double X[ROWS * NF];
    fill_rows(X, ROWS);
    for (size_t v = 0; v < 2; v++)
        for (size_t k = 0; k < N_MODELS; k++) {
            mc_model *m = corpus_model(versions[v], models[k].name);
            mc_predictor *p = corpus_predictor(m);
            for (int meth = 0; meth < MC_METHOD_COUNT; meth++) {
                if (!mc_predictor_has(p, (mc_method)meth))
                    continue;
                mc_outputs all, one;
                mc_error err;
                assert_int_equal(mc_predict(p, (mc_method)meth, X, ROWS, NF, &all, &err), MC_OK);
                for (uint64_t r = 0; r < ROWS; r += 7) {
                    assert_int_equal(mc_predict(p, (mc_method)meth, X + r * NF, 1, NF, &one, &err),
                                     MC_OK);
                    same_row(&all, &one, r, models[k].name);
                    mc_outputs_free(&one);
                }
                mc_outputs_free(&all);
            }
            mc_predictor_free(p);
            mc_model_free(m);
        }
}

/* NaN and infinity raise in every method, as check_array raises; so does a
 * wrong number of columns. */
static void test_input_validation(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_MODELS; k++) {
        mc_model *m = corpus_model("sk1.9.1", models[k].name);
        mc_predictor *p = corpus_predictor(m);
        double X[2 * NF];
        fill_rows(X, 2);
        mc_outputs out;
        mc_error err;
        X[NF + 2] = NAN;
        assert_int_equal(mc_predict(p, MC_METHOD_PREDICT, X, 2, NF, &out, &err), MC_E_USAGE);
        assert_non_null(strstr(err.message, "X[1, 2] is NaN"));
        X[NF + 2] = INFINITY;
        assert_int_equal(mc_predict(p, MC_METHOD_PREDICT, X, 2, NF, &out, &err), MC_E_USAGE);
        assert_int_equal(mc_predict(p, MC_METHOD_PREDICT, X, 1, NF - 1, &out, &err), MC_E_USAGE);
        mc_predictor_free(p);
        mc_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_and_methods),
        cmocka_unit_test(test_nothing_lost),
        cmocka_unit_test(test_svm_signs),
        cmocka_unit_test(test_search_trees),
        cmocka_unit_test(test_single_row_matches_batch),
        cmocka_unit_test(test_input_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
