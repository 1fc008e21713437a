/* Family tree_ensemble (and dummy) beyond the corpus parity test: NaN rows
 * routed by missing_go_to_left, inputs scikit-learn refuses, blocks and
 * lanes agreeing with single rows, hostile node arrays refused, the
 * boosting init_ child, and what the mapping keeps.
 *
 * The expected numbers below are scikit-learn 1.9.1's own, printed with
 * repr() by this snippet (sk1.9.1 venv, in samples/corpus):
 *
 *   X = np.load(f"sk1.9.1/{d}/X.npy")[:4].copy()
 *   X[0, :] = np.nan; X[1, 2] = np.nan; X[2, 0] = np.nan; X[3, 5] = np.nan
 *   joblib.load(f"sk1.9.1/{d}/model.p4.pkl").predict_proba(X).ravel().tolist()
 */
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

static const double nan_rows[4 * 6] = {
    NAN, NAN, NAN, NAN, NAN, NAN,
    -1.9413884261353216, -3.4161671236935156, NAN, 1.0251674435507143, 0.9129125526093631,
    1.8066994517462618,
    NAN, -0.8875218644816366, -0.842861487629768, 1.44877643576071, -1.7519887761233313,
    -0.25546788083251226,
    -2.2357876660984, -0.039164165835025355, -0.5735959212078656, 0.1967896280792688,
    -0.2820146667530349, NAN};

typedef struct loaded {
    mc_model *model;
    mc_predictor *pred;
} loaded;

static void load(const char *rel, loaded *l)
{
    char path[600];
    mc_error err;
    corpus_path(path, sizeof path, rel);
    if (mc_model_load(path, &l->model, &err) != MC_OK)
        fail_msg("%s: %s", rel, err.message);
    if (mc_predictor_new(l->model, &l->pred, &err) != MC_OK)
        fail_msg("%s: %s", rel, err.message);
}

static void unload(loaded *l)
{
    mc_predictor_free(l->pred);
    mc_model_free(l->model);
}

/* Output `part` of `method` on rows, which must be bit-identical to want. */
static void expect_exact(const char *rel, mc_method method, const double *rows, uint64_t n,
                         const double *want, uint64_t count)
{
    loaded l;
    load(rel, &l);
    mc_outputs out;
    mc_error err;
    if (mc_predict(l.pred, method, rows, n, 6, &out, &err) != MC_OK)
        fail_msg("%s: %s", rel, err.message);
    const mc_output *o = &out.parts[0];
    uint64_t got = (uint64_t)o->shape[0] * (o->ndim == 2 ? (uint64_t)o->shape[1] : 1);
    assert_int_equal(got, count);
    for (uint64_t i = 0; i < count; i++)
        if (memcmp(&((const double *)o->data)[i], &want[i], sizeof(double)) != 0)
            fail_msg("%s [%llu]: %.17g, scikit-learn %.17g", rel, (unsigned long long)i,
                     ((const double *)o->data)[i], want[i]);
    mc_outputs_free(&out);
    unload(&l);
}

/* From 1.3 a NaN follows missing_go_to_left (1.9.1: trees, random forests,
 * extra trees, isolation forest). */
static void test_nan_follows_missing_go_to_left(void **state)
{
    (void)state;
    static const double dtc[] = {0.723404255319149, 0.14893617021276595, 0.1276595744680851,
                                 0.0, 1.0, 0.0, 0.723404255319149, 0.14893617021276595,
                                 0.1276595744680851, 0.0, 1.0, 0.0};
    static const double rf[] = {0.3536681339202348, 0.2577350940376151, 0.3885967720421502,
                                0.13571428571428573, 0.8166666666666667, 0.047619047619047616,
                                0.2704791007312016, 0.4559169122194332, 0.2736039870493652,
                                0.1523809523809524, 0.7611111111111112, 0.0865079365079365};
    static const double et[] = {0.2567345179187284, 0.47212663067926225, 0.27113885140200933,
                                0.21010152128573178, 0.5216215801742117, 0.26827689854005643,
                                0.2029087140929246, 0.33610709465972627, 0.4609841912473492,
                                0.27558067176488227, 0.39174201529464686, 0.3326773129404708};
    static const double reg[] = {-2.242393574200142, -7.631843583258053, 15.450600458177997,
                                 7.8423321450108165};
    static const double iso[] = {-0.37001790509746724, -0.4404338247952255,
                                 -0.4507749962162724, -0.47406594076928293};
    expect_exact("sk1.9.1/dtc/model.p4.pkl", MC_METHOD_PREDICT_PROBA, nan_rows, 4, dtc, 12);
    expect_exact("sk1.9.1/rf_clf/model.p4.pkl", MC_METHOD_PREDICT_PROBA, nan_rows, 4, rf, 12);
    expect_exact("sk1.9.1/et_clf/model.p4.pkl", MC_METHOD_PREDICT_PROBA, nan_rows, 4, et, 12);
    expect_exact("sk1.9.1/rf_reg/model.p4.pkl", MC_METHOD_PREDICT, nan_rows, 4, reg, 4);
    expect_exact("sk1.9.1/iforest/model.p4.pkl", MC_METHOD_SCORE_SAMPLES, nan_rows, 4, iso, 4);
}

static mc_status try_row(const char *rel, mc_method method, double v)
{
    loaded l;
    load(rel, &l);
    double row[6] = {0.5, -0.25, 1, 2, -3, 0.125};
    row[3] = v;
    mc_outputs out;
    mc_error err;
    mc_status st = mc_predict(l.pred, method, row, 1, 6, &out, &err);
    if (st == MC_OK)
        mc_outputs_free(&out);
    unload(&l);
    return st;
}

/* What scikit-learn's check_array refuses, modelconv refuses. */
static void test_refused_inputs(void **state)
{
    (void)state;
    /* before 1.3 nothing non-finite passes */
    assert_int_equal(try_row("sk1.2.2/dtc/model.p4.pkl", MC_METHOD_PREDICT, NAN), MC_E_USAGE);
    assert_int_equal(try_row("sk1.2.2/iforest/model.p4.pkl", MC_METHOD_PREDICT, NAN), MC_E_USAGE);
    /* a finite float64 beyond float32's range is infinity after the cast */
    assert_int_equal(try_row("sk1.2.2/rf_reg/model.p4.pkl", MC_METHOD_PREDICT, 1e39), MC_E_USAGE);
    assert_int_equal(try_row("sk1.9.1/dtc/model.p4.pkl", MC_METHOD_PREDICT, INFINITY),
                     MC_E_USAGE);
    /* gradient boosting validates with ensure_all_finite=True */
    assert_int_equal(try_row("sk1.9.1/gbc_bin/model.p4.pkl", MC_METHOD_PREDICT, NAN), MC_E_USAGE);
    /* the 1.9.1 isolation forest takes anything (ensure_all_finite=False) */
    assert_int_equal(try_row("sk1.9.1/iforest/model.p4.pkl", MC_METHOD_SCORE_SAMPLES, INFINITY),
                     MC_OK);
    assert_int_equal(try_row("sk1.9.1/rf_clf/model.p4.pkl", MC_METHOD_PREDICT, NAN), MC_OK);
}

static double *read_x(const char *dir, uint64_t *rows, uint64_t *cols)
{
    char rel[300], path[700];
    snprintf(rel, sizeof rel, "%s/X.npy", dir);
    corpus_path(path, sizeof path, rel);
    size_t len;
    uint8_t *bytes = read_whole(path, &len);
    assert_non_null(bytes);
    mc_arena arena;
    mc_arena_init(&arena, 1 << 20);
    mc_npy_header h;
    mc_error err;
    assert_int_equal(mc_npy_parse(bytes, len, &arena, &h, &err), MC_OK);
    assert_true(h.ndim == 2 && h.dtype->kind == 'f' && h.dtype->itemsize == 8);
    *rows = (uint64_t)h.shape[0];
    *cols = (uint64_t)h.shape[1];
    double *x = malloc(h.nbytes);
    assert_non_null(x);
    memcpy(x, bytes + h.data_offset, h.nbytes);
    mc_arena_free(&arena);
    free(bytes);
    return x;
}

/* Every part of `a` equals part of `b` where b's row r is a's row r % rows. */
static void assert_tiled(const mc_outputs *big, const mc_outputs *one, uint64_t row)
{
    assert_int_equal(big->n, one->n);
    for (uint32_t p = 0; p < big->n; p++) {
        uint64_t w = big->parts[p].ndim == 2 ? (uint64_t)big->parts[p].shape[1] : 1;
        const uint8_t *a = (const uint8_t *)big->parts[p].data + row * w * 8;
        assert_memory_equal(a, one->parts[p].data, w * 8);
    }
}

/* Blocks of rows and lanes of 8 give what rows one at a time give. */
static void check_blocks(const char *dir, mc_method method)
{
    char rel[300];
    snprintf(rel, sizeof rel, "%s/model.p4.pkl", dir);
    uint64_t rows, cols;
    double *x = read_x(dir, &rows, &cols);
    uint64_t tiles = 9000 / rows + 1, n = rows * tiles;
    double *big = malloc(n * cols * sizeof *big);
    assert_non_null(big);
    for (uint64_t t = 0; t < tiles; t++)
        memcpy(big + t * rows * cols, x, rows * cols * sizeof *x);
    loaded l;
    load(rel, &l);
    mc_outputs all, one;
    mc_error err;
    assert_int_equal(mc_predict(l.pred, method, big, n, cols, &all, &err), MC_OK);
    for (uint64_t r = 0; r < n; r += 97) {
        assert_int_equal(mc_predict(l.pred, method, x + (r % rows) * cols, 1, cols, &one, &err),
                         MC_OK);
        assert_tiled(&all, &one, r);
        mc_outputs_free(&one);
    }
    mc_outputs_free(&all);
    unload(&l);
    free(big);
    free(x);
}

static void test_blocks_match_single_rows(void **state)
{
    (void)state;
    check_blocks("sk1.9.1/rf_clf", MC_METHOD_PREDICT_PROBA);
    check_blocks("sk1.2.2/rf_clf_multi", MC_METHOD_PREDICT_PROBA);
    check_blocks("sk1.9.1/rf_reg_multi", MC_METHOD_PREDICT);
    check_blocks("sk1.2.2/gbc_multiclass", MC_METHOD_DECISION_FUNCTION);
    check_blocks("sk1.9.1/iforest", MC_METHOD_SCORE_SAMPLES);
    check_blocks("sk1.2.2/dtc", MC_METHOD_PREDICT);
}

/* A node array a hostile file could write: a child before its parent
 * (a cycle), a column out of range.  prepare refuses both. */
static void test_hostile_nodes_refused(void **state)
{
    (void)state;
    char path[600];
    mc_model *m;
    mc_predictor *p;
    mc_error err;
    corpus_path(path, sizeof path, "sk1.9.1/rf_reg/model.p4.pkl");
    assert_int_equal(mc_model_load(path, &m, &err), MC_OK);
    mc_tensor *left = (mc_tensor *)mc_model_tensor(m, "children_left");
    mc_tensor *feature = (mc_tensor *)mc_model_tensor(m, "feature");
    assert_non_null(left);
    assert_true(left->data.i64[0] > 0);
    int64_t saved = left->data.i64[0];
    left->data.i64[0] = 0; /* the root its own child */
    assert_int_equal(mc_predictor_new(m, &p, &err), MC_E_INPUT);
    left->data.i64[0] = saved;
    saved = feature->data.i64[0];
    feature->data.i64[0] = 6;
    assert_int_equal(mc_predictor_new(m, &p, &err), MC_E_INPUT);
    feature->data.i64[0] = saved;
    assert_int_equal(mc_predictor_new(m, &p, &err), MC_OK);
    mc_predictor_free(p);
    mc_model_free(m);
}

/* Boosting's init_ is a model of family dummy: DummyClassifier(prior)
 * answers class_prior_ on every row, DummyRegressor its constant_. */
static void test_boosting_init_child(void **state)
{
    (void)state;
    char path[600];
    mc_model *m;
    mc_predictor *p;
    mc_error err;
    mc_outputs out;
    corpus_path(path, sizeof path, "sk1.9.1/gbc_bin/model.p4.pkl");
    assert_int_equal(mc_model_load(path, &m, &err), MC_OK);
    const mc_model *init = mc_model_child(m, "init_");
    assert_non_null(init);
    assert_string_equal(init->family, "dummy");
    const mc_tensor *prior = mc_model_tensor(init, "class_prior");
    assert_non_null(prior);
    assert_int_equal(mc_predictor_new(init, &p, &err), MC_OK);
    assert_int_equal(mc_predict(p, MC_METHOD_PREDICT_PROBA, nan_rows, 4, 6, &out, &err), MC_OK);
    for (int r = 0; r < 4; r++)
        assert_memory_equal((const double *)out.parts[0].data + 2 * r, prior->data.f64, 16);
    mc_outputs_free(&out);
    mc_predictor_free(p);
    mc_model_free(m);

    corpus_path(path, sizeof path, "sk1.2.2/gbr_squared_error/model.p4.pkl");
    assert_int_equal(mc_model_load(path, &m, &err), MC_OK);
    init = mc_model_child(m, "init_");
    assert_non_null(init);
    const mc_tensor *constant = mc_model_tensor(init, "constant");
    assert_non_null(constant);
    assert_int_equal(mc_predictor_new(init, &p, &err), MC_OK);
    assert_int_equal(mc_predict(p, MC_METHOD_PREDICT, nan_rows, 4, 6, &out, &err), MC_OK);
    for (int r = 0; r < 4; r++)
        assert_memory_equal((const double *)out.parts[0].data + r, constant->data.f64, 8);
    mc_outputs_free(&out);
    mc_predictor_free(p);
    mc_model_free(m);
}

/* The members stay, without their tree_; the record layout is the
 * version's (7 fields before 1.3, 8 after). */
static void test_mapping_keeps_members(void **state)
{
    (void)state;
    static const char *const files[] = {"sk1.2.2/rf_clf/model.p4.pkl",
                                        "sk1.9.1/rf_clf/model.p4.pkl"};
    for (int v = 0; v < 2; v++) {
        char path[600];
        mc_model *m;
        mc_error err;
        corpus_path(path, sizeof path, files[v]);
        assert_int_equal(mc_model_load(path, &m, &err), MC_OK);
        assert_string_equal(m->family, "tree_ensemble");
        assert_int_equal(mc_model_tensor(m, "missing_go_to_left") != NULL, v == 1);
        const mc_value *members = mc_model_state(m, "estimators_");
        const mc_tensor *offsets = mc_model_tensor(m, "tree_offsets");
        assert_non_null(members);
        assert_int_equal(members->kind, MC_LIST);
        assert_int_equal(members->u.seq.len + 1, offsets->count);
        for (size_t i = 0; i < members->u.seq.len; i++) {
            const mc_value *tree = members->u.seq.items[i];
            assert_null(mc_object_get(tree, "tree_"));
            assert_non_null(mc_object_get(tree, "random_state"));
            assert_non_null(mc_object_get(tree, "n_outputs_"));
        }
        mc_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nan_follows_missing_go_to_left),
        cmocka_unit_test(test_refused_inputs),
        cmocka_unit_test(test_blocks_match_single_rows),
        cmocka_unit_test(test_hostile_nodes_refused),
        cmocka_unit_test(test_boosting_init_child),
        cmocka_unit_test(test_mapping_keeps_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
