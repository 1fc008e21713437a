/* Family "linear" (schemas/families/linear.md): how corpus estimators map
 * (tensors, derived values, version rules), and the prediction rules the
 * corpus cannot reach, on models built by hand: underflowing one-vs-rest
 * rows, binary multinomial, modified Huber, arg-max ties, cancelling dot
 * products, multilabel and non-finite input refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "modelconv/predict.h"

/* ---- corpus models ----------------------------------------------------------- */

static mc_model *load(const char *dir)
{
    char rel[256], path[600];
    snprintf(rel, sizeof rel, "%s/model.p4.pkl", dir);
    corpus_path(path, sizeof path, rel);
    mc_model *m = NULL;
    mc_error err;
    if (mc_model_load(path, &m, &err) != MC_OK)
        fail_msg("%s: %s: %s", rel, err.where, err.message);
    assert_string_equal(m->family, "linear");
    return m;
}

static const char *derived(const mc_model *m, const char *name)
{
    const mc_value *v = mc_model_state(m, name);
    return v && v->kind == MC_STR ? v->u.str.data : "(absent)";
}

static int64_t derived_int(const mc_model *m, const char *name)
{
    int64_t i = -1;
    mc_value_to_int64(mc_model_state(m, name), &i);
    return i;
}

static void check_proba(const char *dir, const char *kind)
{
    mc_model *m = load(dir);
    if (strcmp(derived(m, "modelconv.proba"), kind) != 0)
        fail_msg("%s: modelconv.proba is %s, expected %s", dir, derived(m, "modelconv.proba"),
                 kind);
    mc_model_free(m);
}

/* LogisticRegression's one-vs-rest / softmax choice, SGDClassifier's losses,
 * and the 1.9 change of _predict_proba_lr. */
static void test_proba_kinds(void **state)
{
    (void)state;
    check_proba("sk1.2.2/logreg_bin", "ovr");
    check_proba("sk1.2.2/logreg_ovr", "ovr");
    check_proba("sk1.2.2/logreg_multinomial", "softmax");
    check_proba("sk1.2.2/logregcv", "softmax");
    check_proba("sk1.9.1/logreg_bin", "ovr_uniform");
    check_proba("sk1.9.1/logreg_multinomial", "softmax");
    check_proba("sk1.9.1/logregcv", "softmax");
    check_proba("sk1.2.2/sgd_clf_log_loss", "ovr");
    check_proba("sk1.9.1/sgd_clf_log_loss", "ovr_uniform");
    check_proba("sk1.9.1/sgd_clf_modified_huber", "modified_huber");
    check_proba("sk1.9.1/sgd_clf_hinge", "none");
    check_proba("sk1.2.2/ridge_clf", "none");
    check_proba("sk1.9.1/linsvc", "none");
}

static void check_link(const char *dir, const char *link)
{
    mc_model *m = load(dir);
    assert_string_equal(derived(m, "modelconv.link"), link);
    assert_int_equal(m->task, MC_TASK_REGRESSOR);
    mc_model_free(m);
}

static void test_links(void **state)
{
    (void)state;
    check_link("sk1.2.2/linreg", "identity");
    check_link("sk1.2.2/poisson", "log");
    check_link("sk1.9.1/gamma", "log");
    check_link("sk1.9.1/tweedie", "log"); /* power 1.5, link='log' */
}

/* intercept_kept: intercept_ stays in the state (a scalar, not held exactly). */
static void check_shapes(const char *dir, int64_t rows, int64_t coef_ndim, int intercept_kept)
{
    mc_model *m = load(dir);
    const mc_tensor *coef = mc_model_tensor(m, "coef");
    const mc_tensor *intercept = mc_model_tensor(m, "intercept");
    assert_non_null(coef);
    assert_non_null(intercept);
    assert_int_equal(coef->ndim, 2);
    assert_int_equal(coef->shape[0], rows);
    assert_int_equal(coef->shape[1], 6);
    assert_int_equal(intercept->ndim, 1);
    assert_int_equal(intercept->shape[0], rows);
    assert_int_equal(derived_int(m, "modelconv.coef_ndim"), coef_ndim);
    assert_null(mc_model_state(m, "coef_"));
    assert_int_equal(mc_model_state(m, "intercept_") != NULL, intercept_kept);
    mc_model_free(m);
}

/* coef always 2-d, intercept one value per row; what they do not hold
 * exactly stays in the state. */
static void test_tensor_shapes(void **state)
{
    (void)state;
    check_shapes("sk1.2.2/linreg", 1, 1, 1);        /* coef_ (6,), np.float64 */
    check_shapes("sk1.9.1/linreg_multi", 3, 2, 0);  /* (3, 6), (3,) */
    check_shapes("sk1.9.1/ridge_multi", 3, 2, 0);   /* Fortran-ordered coef_ */
    check_shapes("sk1.9.1/sgd_reg", 1, 1, 0);       /* intercept_ (1,) */
    check_shapes("sk1.2.2/logreg_bin", 1, 2, 0);    /* (1, 6) */
    check_shapes("sk1.2.2/ridge_clf_cv", 1, 2, 0);  /* (1, 6) in 1.2 */
    check_shapes("sk1.9.1/ridge_clf_cv", 1, 1, 0);  /* (6,) in 1.9 */
}

/* RidgeClassifier 1.2 has no classes_: they come from its label binarizer. */
static void test_ridge_classifier_classes(void **state)
{
    (void)state;
    mc_model *m = load("sk1.2.2/ridge_clf");
    assert_int_equal(m->task, MC_TASK_CLASSIFIER);
    assert_int_equal(m->n_class_sets, 1);
    assert_int_equal(m->classes[0].count, 3);
    assert_int_equal(m->classes[0].data.i64[2], 2);
    assert_non_null(mc_model_state(m, "_label_binarizer"));
    mc_model_free(m);
}

/* ---- hand-made models ------------------------------------------------------- */

typedef struct fake {
    mc_model model;
    mc_tensor tensors[2];
    mc_tensor classes;
    int64_t labels[8];
    mc_entry state[4];
    mc_value values[4];
} fake;

static void add_state(fake *f, const char *name, mc_value v)
{
    uint32_t i = f->model.nstate++;
    f->values[i] = v;
    f->state[i].name = name;
    f->state[i].value = &f->values[i];
}

static mc_value text(const char *s)
{
    mc_value v = {.kind = MC_STR};
    v.u.str.data = s;
    v.u.str.len = strlen(s);
    return v;
}

static mc_value integer(int64_t i)
{
    mc_value v = {.kind = MC_INT};
    v.u.i = i;
    return v;
}

/* A linear model of `rows` x `nf` weights (borrowed). */
static void make(fake *f, double *coef, double *intercept, int64_t rows, int64_t nf)
{
    memset(f, 0, sizeof *f);
    f->tensors[0] = (mc_tensor){.name = "coef", .elem = MC_ELEM_F64, .ndim = 2,
                                .shape = {rows, nf}, .count = (uint64_t)(rows * nf)};
    f->tensors[0].data.f64 = coef;
    f->tensors[1] = (mc_tensor){.name = "intercept", .elem = MC_ELEM_F64, .ndim = 1,
                                .shape = {rows}, .count = (uint64_t)rows};
    f->tensors[1].data.f64 = intercept;
    f->model.family = "linear";
    f->model.estimator = "test.Linear";
    f->model.n_features = nf;
    f->model.n_outputs = 1;
    f->model.ntensors = 2;
    f->model.tensors = f->tensors;
    f->model.state = f->state;
}

static void make_classifier(fake *f, double *coef, double *intercept, int64_t rows, int64_t nf,
                            int64_t n_classes, const char *proba)
{
    make(f, coef, intercept, rows, nf);
    f->model.task = MC_TASK_CLASSIFIER;
    for (int64_t k = 0; k < n_classes; k++)
        f->labels[k] = 10 * k;
    f->classes = (mc_tensor){.name = "classes_", .elem = MC_ELEM_I64, .ndim = 1,
                             .shape = {n_classes}, .count = (uint64_t)n_classes};
    f->classes.data.i64 = f->labels;
    f->model.n_class_sets = 1;
    f->model.classes = &f->classes;
    add_state(f, "modelconv.proba", text(proba));
}

static mc_predictor *predictor(const fake *f)
{
    mc_predictor *p = NULL;
    mc_error err;
    if (mc_predictor_new(&f->model, &p, &err) != MC_OK)
        fail_msg("predictor: %s", err.message);
    return p;
}

/* Run method and return the only output part (caller frees with
 * mc_outputs_free). */
static mc_output run(mc_predictor *p, mc_method method, const double *X, uint64_t n,
                     uint64_t ncols, mc_outputs *out)
{
    mc_error err;
    if (mc_predict(p, method, X, n, ncols, out, &err) != MC_OK)
        fail_msg("%s: %s", mc_method_name(method), err.message);
    assert_int_equal(out->n, 1);
    return out->parts[0];
}

/* One-vs-rest rows whose expit all underflow to 0: 0/0 = NaN before 1.9,
 * uniform from 1.9 (PR #33168). */
static void test_ovr_underflow(void **state)
{
    (void)state;
    double coef[3] = {1, 1, 1}, intercept[3] = {-800, -900, -1000}, X[2] = {0, 800};
    for (int uniform = 0; uniform < 2; uniform++) {
        fake f;
        make_classifier(&f, coef, intercept, 3, 1, 3, uniform ? "ovr_uniform" : "ovr");
        mc_predictor *p = predictor(&f);
        mc_outputs out;
        mc_output o = run(p, MC_METHOD_PREDICT_PROBA, X, 2, 1, &out);
        const double *prob = o.data;
        for (int k = 0; k < 3; k++) {
            if (uniform)
                assert_true(prob[k] == 1.0 / 3);
            else
                assert_true(isnan(prob[k]));
        }
        /* row 2: expit(0), expit(-100), expit(-200) normalised */
        double e0 = 0.5, e1 = 1 / (1 + exp(100)), e2 = 1 / (1 + exp(200));
        double sum = (0. + e0 + e1) + e2;
        assert_true(prob[3] == e0 / sum && prob[4] == e1 / sum && prob[5] == e2 / sum);
        mc_outputs_free(&out);
        mc_predictor_free(p);
    }
}

/* A binary multinomial LogisticRegression: softmax of [-d, d]. */
static void test_binary_softmax(void **state)
{
    (void)state;
    double coef[1] = {2}, intercept[1] = {0.25}, X[1] = {0.5};
    fake f;
    make_classifier(&f, coef, intercept, 1, 1, 2, "softmax");
    mc_predictor *p = predictor(&f);
    mc_outputs out;
    mc_output o = run(p, MC_METHOD_PREDICT_PROBA, X, 1, 1, &out);
    double d = 1.25, e0 = exp(-d - d), e1 = exp(0.0);
    assert_int_equal(o.shape[1], 2);
    assert_true(((double *)o.data)[0] == e0 / (e0 + e1));
    assert_true(((double *)o.data)[1] == e1 / (e0 + e1));
    mc_outputs_free(&out);
    mc_predictor_free(p);
}

/* SGDClassifier(loss='modified_huber'): (clip(d, -1, 1) + 1) / 2; binary
 * [1 - p, p]; a multiclass row of zeros becomes uniform. */
static void test_modified_huber(void **state)
{
    (void)state;
    double coef1[1] = {1}, intercept1[1] = {0}, X1[3] = {-3, 0.5, 7};
    fake f;
    make_classifier(&f, coef1, intercept1, 1, 1, 2, "modified_huber");
    mc_predictor *p = predictor(&f);
    mc_outputs out;
    const double *prob = run(p, MC_METHOD_PREDICT_PROBA, X1, 3, 1, &out).data;
    const double want[6] = {1, 0, 0.25, 0.75, 0, 1};
    for (int i = 0; i < 6; i++)
        assert_true(prob[i] == want[i]);
    mc_outputs_free(&out);
    mc_predictor_free(p);

    double coef3[3] = {1, 1, 1}, intercept3[3] = {-5, -6, -7}, X3[1] = {0};
    make_classifier(&f, coef3, intercept3, 3, 1, 3, "modified_huber");
    p = predictor(&f);
    prob = run(p, MC_METHOD_PREDICT_PROBA, X3, 1, 1, &out).data;
    for (int k = 0; k < 3; k++)
        assert_true(prob[k] == 1.0 / 3);
    mc_outputs_free(&out);
    mc_predictor_free(p);
}

/* Labels: the first of equal maxima (np.argmax); binary needs d > 0. */
static void test_labels(void **state)
{
    (void)state;
    double coef[3] = {1, 2, 2}, intercept[3] = {0, 0, 0}, X[2] = {1, -1};
    fake f;
    make_classifier(&f, coef, intercept, 3, 1, 3, "none");
    mc_predictor *p = predictor(&f);
    assert_false(mc_predictor_has(p, MC_METHOD_PREDICT_PROBA));
    mc_outputs out;
    const int64_t *labels = run(p, MC_METHOD_PREDICT, X, 2, 1, &out).data;
    assert_int_equal(labels[0], 10); /* [1, 2, 2]: index 1 */
    assert_int_equal(labels[1], 0);  /* [-1, -2, -2]: index 0 */
    mc_outputs_free(&out);
    mc_predictor_free(p);

    double coef1[1] = {1}, intercept1[1] = {0}, X1[2] = {0, 1e-300};
    make_classifier(&f, coef1, intercept1, 1, 1, 2, "none");
    p = predictor(&f);
    labels = run(p, MC_METHOD_PREDICT, X1, 2, 1, &out).data;
    assert_int_equal(labels[0], 0);
    assert_int_equal(labels[1], 10);
    mc_outputs_free(&out);
    mc_predictor_free(p);
}

/* The dot product is compensated: cancelling terms leave the exact value,
 * for a single row and in blocks of several, and the intercept is added to
 * the rounded product. */
static void test_cancelling_dot(void **state)
{
    (void)state;
    double coef[3] = {1, 1, -1}, intercept[1] = {0.5};
    double X[15];
    for (int r = 0; r < 5; r++) {
        X[3 * r] = 1e16;
        X[3 * r + 1] = r + 1;
        X[3 * r + 2] = 1e16;
    }
    fake f;
    make(&f, coef, intercept, 1, 3);
    f.model.task = MC_TASK_REGRESSOR;
    add_state(&f, "modelconv.link", text("identity"));
    add_state(&f, "modelconv.coef_ndim", integer(1));
    mc_predictor *p = predictor(&f);
    mc_outputs out;
    mc_output o = run(p, MC_METHOD_PREDICT, X, 5, 3, &out);
    assert_int_equal(o.ndim, 1);
    for (int r = 0; r < 5; r++)
        assert_true(((double *)o.data)[r] == r + 1.5);
    mc_outputs_free(&out);
    mc_predictor_free(p);
}

/* A 2-d coef_ of one row predicts (n, 1); the log link exponentiates. */
static void test_regressor_outputs(void **state)
{
    (void)state;
    double coef[2] = {1, 2}, intercept[1] = {-1}, X[4] = {1, 0, 0.5, 0.25};
    fake f;
    make(&f, coef, intercept, 1, 2);
    f.model.task = MC_TASK_REGRESSOR;
    add_state(&f, "modelconv.link", text("log"));
    add_state(&f, "modelconv.coef_ndim", integer(2));
    mc_predictor *p = predictor(&f);
    mc_outputs out;
    mc_output o = run(p, MC_METHOD_PREDICT, X, 2, 2, &out);
    assert_int_equal(o.ndim, 2);
    assert_int_equal(o.shape[1], 1);
    assert_true(((double *)o.data)[0] == exp(0.0));
    assert_true(((double *)o.data)[1] == exp(0.0));
    mc_outputs_free(&out);
    mc_predictor_free(p);
}

/* scikit-learn rejects NaN and infinity in X; modelconv too. */
static void test_non_finite_input(void **state)
{
    (void)state;
    double coef[2] = {1, 2}, intercept[1] = {0}, X[4] = {1, 2, NAN, 0};
    fake f;
    make_classifier(&f, coef, intercept, 1, 2, 2, "ovr");
    mc_predictor *p = predictor(&f);
    mc_outputs out;
    mc_error err;
    assert_int_equal(mc_predict(p, MC_METHOD_PREDICT, X, 2, 2, &out, &err), MC_E_USAGE);
    assert_non_null(strstr(err.message, "NaN"));
    X[2] = INFINITY;
    assert_int_equal(mc_predict(p, MC_METHOD_DECISION_FUNCTION, X, 2, 2, &out, &err), MC_E_USAGE);
    assert_non_null(strstr(err.message, "infinity"));
    mc_predictor_free(p);
}

/* A multilabel RidgeClassifier predicts an indicator matrix: refused. */
static void test_multilabel_refused(void **state)
{
    (void)state;
    double coef[2] = {1, 2}, intercept[2] = {0, 0};
    fake f;
    make_classifier(&f, coef, intercept, 2, 1, 2, "none");
    mc_value yes = {.kind = MC_BOOL};
    yes.u.boolean = 1;
    add_state(&f, "modelconv.multilabel", yes);
    mc_predictor *p = NULL;
    mc_error err;
    assert_int_equal(mc_predictor_new(&f.model, &p, &err), MC_E_INPUT);
    assert_non_null(strstr(err.message, "multilabel"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proba_kinds),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_tensor_shapes),
        cmocka_unit_test(test_ridge_classifier_classes),
        cmocka_unit_test(test_ovr_underflow),
        cmocka_unit_test(test_binary_softmax),
        cmocka_unit_test(test_modified_huber),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_cancelling_dot),
        cmocka_unit_test(test_regressor_outputs),
        cmocka_unit_test(test_non_finite_input),
        cmocka_unit_test(test_multilabel_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
