/* Family "linear": scikit-learn's linear regressors, generalized linear
 * models and linear classifiers (schemas/families/linear.md).  coef_ and
 * intercept_ become the tensors `coef` (always 2-d) and `intercept` (one
 * value per row), and stay in the state too when those do not hold them
 * exactly; how predict and predict_proba use them is resolved here, once,
 * into the derived entries the table describes. */
#include <string.h>

#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/linear.inc"
    {0}};

static const char *const classes[] = {
    "LinearRegression", "Ridge", "RidgeCV", "Lasso", "LassoCV", "ElasticNet", "ElasticNetCV",
    "MultiTaskLasso", "MultiTaskLassoCV", "MultiTaskElasticNet", "MultiTaskElasticNetCV", "Lars",
    "LarsCV", "LassoLars", "LassoLarsCV", "LassoLarsIC", "OrthogonalMatchingPursuit",
    "OrthogonalMatchingPursuitCV", "BayesianRidge", "ARDRegression", "HuberRegressor",
    "QuantileRegressor", "TheilSenRegressor", "SGDRegressor", "PassiveAggressiveRegressor",
    "LinearSVR", "PoissonRegressor", "GammaRegressor", "TweedieRegressor", "LogisticRegression",
    "LogisticRegressionCV", "SGDClassifier", "RidgeClassifier", "RidgeClassifierCV", "Perceptron",
    "PassiveAggressiveClassifier", "LinearSVC", NULL};

static const char *const glm_classes[] = {"PoissonRegressor", "GammaRegressor",
                                          "TweedieRegressor", NULL};

static const char *const classifier_classes[] = {
    "LogisticRegression", "LogisticRegressionCV", "SGDClassifier", "RidgeClassifier",
    "RidgeClassifierCV", "Perceptron", "PassiveAggressiveClassifier", "LinearSVC", NULL};

static int in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

static int is(const char *text, const char *expected)
{
    return strcmp(text, expected) == 0;
}

/* The class name without its module ("Ridge" of "sklearn...._ridge.Ridge"). */
static const char *class_name(const char *class_path)
{
    const char *dot = strrchr(class_path, '.');
    return dot ? dot + 1 : class_path;
}

static mc_status status_of(const mc_mapper *mp)
{
    return mp->err ? mp->err->status : MC_E_INPUT;
}

/* A string parameter of est; NULL (with a failure) when absent or not text. */
static const char *text_param(mc_mapper *mp, const mc_value *est, const char *key)
{
    const mc_value *v = mc_map_get(mp, est, key, 1);
    return v ? mc_map_text(mp, v, key) : NULL;
}

/* ---- derived entries ------------------------------------------------------ */

static mc_status add_int(mc_mapper *mp, mc_model *m, const char *name, int64_t i)
{
    mc_value *v = mc_map_new_value(mp, MC_INT);
    if (!v)
        return mc_map_nomem(mp);
    v->u.i = i;
    return mc_map_add_state(mp, m, name, v);
}

static mc_status add_text(mc_mapper *mp, mc_model *m, const char *name, const char *text)
{
    mc_value *v = mc_map_new_value(mp, MC_STR);
    if (!v)
        return mc_map_nomem(mp);
    v->u.str.data = text; /* a string literal: outlives the model */
    v->u.str.len = strlen(text);
    return mc_map_add_state(mp, m, name, v);
}

static mc_status add_true(mc_mapper *mp, mc_model *m, const char *name)
{
    mc_value *v = mc_map_new_value(mp, MC_BOOL);
    if (!v)
        return mc_map_nomem(mp);
    v->u.boolean = 1;
    return mc_map_add_state(mp, m, name, v);
}

/* ---- coef_ and intercept_ --------------------------------------------------- */

/* coef_ as the 2-d tensor `coef`: a 1-d coef_ (n_features,) is its one row.
 * *ndim is coef_'s own number of dimensions; *exact whether the tensor
 * holds coef_ exactly (else coef_ also stays in the state). */
static mc_status map_coef(mc_mapper *mp, const mc_value *est, mc_model *m, mc_tensor **out,
                          int64_t *ndim, int *exact)
{
    const mc_value *v = mc_map_get(mp, est, "coef_", 1);
    if (!v)
        return MC_E_INPUT;
    if (v->kind != MC_NDARRAY || v->u.array.ndim < 1 || v->u.array.ndim > 2)
        return mc_map_fail(mp, "coef_", "expected a 1-d or 2-d array of weights, found %s",
                           v->kind == MC_NDARRAY ? "an array of another rank"
                                                 : mc_kind_name(v->kind));
    mc_tensor *t;
    mc_status st = mc_map_array(mp, m, "coef", v, &t);
    if (st)
        return st;
    *ndim = v->u.array.ndim;
    *exact = mc_map_array_exact(v, t);
    if (*ndim == 1) {
        t->ndim = 2;
        t->shape[1] = t->shape[0];
        t->shape[0] = 1;
    }
    if (m->n_features < 0)
        m->n_features = t->shape[1]; /* no n_features_in_ (scikit-learn < 0.24) */
    else if (m->n_features != t->shape[1])
        return mc_map_fail(mp, "coef_", "has %lld columns but n_features_in_ is %lld",
                           (long long)t->shape[1], (long long)m->n_features);
    *out = t;
    return add_int(mp, m, "modelconv.coef_ndim", *ndim);
}

/* The number of a scalar or of a one-element array. */
static mc_status single_value(mc_mapper *mp, const mc_value *v, double *out)
{
    if (v->kind != MC_NDARRAY)
        return mc_map_double(mp, v, "intercept_", out);
    if (mc_array_get_f64(&v->u.array, 0, out))
        return mc_map_fail(mp, "intercept_", "expected a numeric array");
    return MC_OK;
}

/* `intercept` filled with one value: a numpy or Python scalar (0.0 when
 * fit_intercept=False) or a one-element array, broadcast as numpy does. */
static mc_status broadcast_intercept(mc_mapper *mp, const mc_value *v, mc_model *m, int64_t rows)
{
    double value;
    mc_status st = single_value(mp, v, &value);
    if (st)
        return st;
    mc_tensor *t = mc_map_new_tensor(mp, m, "intercept", 1, &rows);
    if (!t)
        return status_of(mp);
    for (int64_t k = 0; k < rows; k++)
        t->data.f64[k] = value;
    return MC_OK;
}

/* intercept_ as `intercept`, one value per row of coef: an array of that
 * length, or a single value repeated.  *exact: the tensor holds intercept_
 * exactly (a scalar or a broadcast value also stays in the state). */
static mc_status map_intercept(mc_mapper *mp, const mc_value *est, mc_model *m, int64_t rows,
                               int *exact)
{
    const mc_value *v = mc_map_get(mp, est, "intercept_", 1);
    if (!v)
        return MC_E_INPUT;
    int64_t ndim = v->kind == MC_NDARRAY ? v->u.array.ndim : 0;
    uint64_t count = v->kind == MC_NDARRAY ? v->u.array.count : 1;
    mc_tensor *t;
    *exact = 0;
    if (ndim > 1)
        return mc_map_fail(mp, "intercept_", "expected a scalar or a 1-d array");
    if (ndim == 1 && count == (uint64_t)rows) {
        mc_status st = mc_map_array(mp, m, "intercept", v, &t);
        *exact = !st && mc_map_array_exact(v, t);
        return st;
    }
    if (count == 1)
        return broadcast_intercept(mp, v, m, rows);
    return mc_map_fail(mp, "intercept_", "has %llu values for %lld rows of coef_",
                       (unsigned long long)count, (long long)rows);
}

/* ---- regressors -------------------------------------------------------------- */

/* Whether a fitted link object (sklearn._loss.link.LogLink, IdentityLink) is
 * the link named `link`. */
static int link_object_is(const mc_value *obj, const char *link)
{
    char path[256];
    const char *name = class_name(mc_value_class_path(obj, path, sizeof path));
    return is(name, is(link, "log") ? "LogLink" : "IdentityLink");
}

/* The link of a GLM: log for Poisson and Gamma; TweedieRegressor's `link`,
 * 'auto' meaning identity for power <= 0 and log otherwise
 * (TweedieRegressor._get_loss, 1.2 and 1.9 alike).  The fitted _base_loss
 * (1.1+) must agree. */
static mc_status glm_link(mc_mapper *mp, const mc_value *est, const char *name,
                          const char **link)
{
    *link = "log";
    if (is(name, "TweedieRegressor")) {
        const char *param = text_param(mp, est, "link");
        if (!param)
            return status_of(mp);
        if (is(param, "auto")) {
            double power;
            mc_status st = mc_map_double(mp, mc_map_get(mp, est, "power", 1), "power", &power);
            if (st)
                return st;
            *link = power <= 0 ? "identity" : "log";
        } else if (is(param, "identity")) {
            *link = "identity";
        } else if (!is(param, "log")) {
            return mc_map_fail(mp, "link", "unknown link '%s'", param);
        }
    }
    const mc_value *loss = mc_map_get(mp, est, "_base_loss", 0);
    const mc_value *fitted = loss ? mc_object_get(loss, "link") : NULL;
    if (fitted && !link_object_is(fitted, *link))
        return mc_map_fail(mp, "_base_loss.link", "is not the %s link the parameters give",
                           *link);
    return MC_OK;
}

static mc_status map_regressor(mc_mapper *mp, const mc_value *est, mc_model *m,
                               const char *name, int64_t rows, int64_t coef_ndim)
{
    m->task = MC_TASK_REGRESSOR;
    m->n_outputs = coef_ndim == 1 ? 1 : rows;
    const char *link = "identity";
    if (in_list(name, glm_classes)) {
        mc_status st = glm_link(mp, est, name, &link);
        if (st)
            return st;
    }
    return add_text(mp, m, "modelconv.link", link);
}

/* ---- classifiers -------------------------------------------------------------- */

/* _predict_proba_lr: from 1.9 (PR #33168) a row whose one-vs-rest
 * probabilities all underflow to 0 becomes uniform instead of 0/0 = NaN. */
static const char *ovr_kind(const mc_mapper *mp)
{
    return mc_map_version_at_least(mp, 1, 9) ? "ovr_uniform" : "ovr";
}

/* LogisticRegression.predict_proba: one-vs-rest or softmax.
 * - 1.2-1.4: ovr when multi_class is 'ovr'/'warn', or 'auto' and (binary or
 *   solver in ('liblinear', 'newton-cholesky'));
 * - 1.5: multi_class deprecated, 'deprecated' behaves as 'auto';
 * - 1.6-1.7: newton-cholesky fits multinomial, only liblinear stays ovr;
 * - 1.8+: no multi_class: binary is ovr, more classes softmax. */
static mc_status logistic_proba(mc_mapper *mp, const mc_value *est, uint64_t n_classes,
                                const char **kind)
{
    const mc_value *v = mc_map_get(mp, est, "multi_class", 0);
    if (!v) {
        *kind = n_classes <= 2 ? ovr_kind(mp) : "softmax";
        return MC_OK;
    }
    const char *multi_class = mc_map_text(mp, v, "multi_class");
    const char *solver = multi_class ? text_param(mp, est, "solver") : NULL;
    if (!solver)
        return status_of(mp);
    int ovr_solver = is(solver, "liblinear") ||
                     (is(solver, "newton-cholesky") && !mc_map_version_at_least(mp, 1, 6));
    int automatic = is(multi_class, "auto") || is(multi_class, "deprecated");
    int ovr = is(multi_class, "ovr") || is(multi_class, "warn") ||
              (automatic && (n_classes <= 2 || ovr_solver));
    *kind = ovr ? ovr_kind(mp) : "softmax";
    return MC_OK;
}

/* SGDClassifier has predict_proba for loss 'log_loss' ('log' before 1.3,
 * through _predict_proba_lr) and 'modified_huber'. */
static mc_status sgd_proba(mc_mapper *mp, const mc_value *est, const char **kind)
{
    const char *loss = text_param(mp, est, "loss");
    if (!loss)
        return status_of(mp);
    *kind = is(loss, "log_loss") || is(loss, "log") ? ovr_kind(mp)
            : is(loss, "modified_huber")            ? "modified_huber"
                                                    : "none";
    return MC_OK;
}

static mc_status proba_kind(mc_mapper *mp, const mc_value *est, const char *name,
                            uint64_t n_classes, const char **kind)
{
    *kind = "none";
    if (is(name, "LogisticRegression") || is(name, "LogisticRegressionCV"))
        return logistic_proba(mp, est, n_classes, kind);
    if (is(name, "SGDClassifier"))
        return sgd_proba(mp, est, kind);
    return MC_OK;
}

/* RidgeClassifier* fitted on a label indicator matrix (y_type_
 * 'multilabel-indicator' of its _label_binarizer). */
static int is_multilabel(const mc_value *binarizer)
{
    size_t len;
    const char *y_type = mc_value_text(mc_object_get(binarizer, "y_type_"), &len);
    return y_type && len >= 10 && memcmp(y_type, "multilabel", 10) == 0;
}

static mc_status map_classifier(mc_mapper *mp, const mc_value *est, mc_model *m,
                                const char *name, int64_t rows)
{
    m->task = MC_TASK_CLASSIFIER;
    const mc_value *labels = mc_map_get(mp, est, "classes_", 0);
    const mc_value *binarizer = mc_map_get(mp, est, "_label_binarizer", 0);
    if (!labels && binarizer) /* RidgeClassifier 1.2: a property reading the binarizer's */
        labels = mc_object_get(binarizer, "classes_");
    mc_status st = mc_map_classes(mp, m, labels);
    if (st)
        return st;
    if (m->n_class_sets != 1)
        return mc_map_fail(mp, "classes_", "expected one array of class labels");
    uint64_t n_classes = m->classes[0].count;
    if ((uint64_t)rows != n_classes && !(rows == 1 && n_classes == 2))
        return mc_map_fail(mp, "coef_", "has %lld rows for %llu classes", (long long)rows,
                           (unsigned long long)n_classes);
    if (binarizer && is_multilabel(binarizer) && (st = add_true(mp, m, "modelconv.multilabel")))
        return st;
    const char *kind;
    if ((st = proba_kind(mp, est, name, n_classes, &kind)))
        return st;
    return add_text(mp, m, "modelconv.proba", kind);
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    const char *name = class_name(m->estimator);
    mc_tensor *coef = NULL;
    int64_t coef_ndim = 0;
    int coef_exact = 0, intercept_exact = 0;
    mc_status st = map_coef(mp, est, m, &coef, &coef_ndim, &coef_exact);
    if (st)
        return st;
    int64_t rows = coef->shape[0];
    if ((st = map_intercept(mp, est, m, rows, &intercept_exact)))
        return st;
    st = in_list(name, classifier_classes) ? map_classifier(mp, est, m, name, rows)
                                           : map_regressor(mp, est, m, name, rows, coef_ndim);
    if (st)
        return st;
    const char *consumed[3] = {NULL};
    int n = 0;
    if (coef_exact)
        consumed[n++] = "coef_";
    if (intercept_exact)
        consumed[n++] = "intercept_";
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_linear = {"linear", specs, sizeof specs / sizeof specs[0] - 1, classes,
                                    map, NULL};
