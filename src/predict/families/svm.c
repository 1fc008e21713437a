/* SVC, NuSVC, SVR, NuSVR, OneClassSVM: libsvm's prediction as scikit-learn
 * runs it on dense data (sklearn/svm/_base.py, _classes.py, _libsvm.pyx and
 * src/libsvm/svm.cpp: svm_predict_values, svm_predict_probability,
 * sigmoid_predict, multiclass_probability; identical in 1.2 and 1.9).
 * prepare() checks the arrays against each other and resolves the kernel;
 * run() evaluates the kernel for a block of rows against every support
 * vector (each vector stays in cache across the block), then combines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "predict/kernel.h"

typedef enum svm_kind { SVM_CLASSIFIER, SVM_REGRESSOR, SVM_ONE_CLASS } svm_kind;

typedef enum kernel_kind { K_LINEAR, K_POLY, K_RBF, K_SIGMOID, K_PRECOMPUTED } kernel_kind;

typedef struct svm {
    svm_kind kind;
    kernel_kind kernel;
    int degree;
    double gamma, coef0;
    uint64_t nf;             /* input columns */
    uint64_t n_sv;
    const double *sv;        /* n_sv x nf; NULL for 'precomputed' */
    const int32_t *support;  /* n_sv training indices ('precomputed' columns) */
    int32_t max_support;     /* largest of them, -1 when there are none */
    const double *coef;      /* n_classes - 1 (or 1) rows of n_sv */
    double *rho;             /* n_dec: libsvm's rho = -_intercept_ */
    uint32_t n_classes;      /* classifiers; 2 for the others, as libsvm */
    uint64_t *start;         /* first support vector of each class */
    const int32_t *count;    /* support vectors of each class */
    uint64_t n_dec;          /* pairwise decisions (1 for the others) */
    const double *prob_a, *prob_b; /* n_dec each; NULL without probability */
    int ovr, break_ties;
    double offset;           /* OneClassSVM offset_ */
} svm;

/* Rows evaluated together: their kernel values against every support
 * vector are kept, so the block shrinks as the model grows. */
enum { MAX_BLOCK_ROWS = 64, KERNEL_VALUES_PER_BLOCK = 1 << 16 };

static void release(void *state)
{
    svm *s = state;
    if (!s)
        return;
    free(s->rho);
    free(s->start);
    free(s);
}

static mc_status fail(const mc_model *m, mc_error *err, const char *why)
{
    return mc_error_set(err, MC_E_INPUT, -1, "%s: %s", m->estimator, why);
}

static mc_status nomem(mc_error *err)
{
    return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
}

static const char *class_name(const mc_model *m)
{
    const char *dot = strrchr(m->estimator, '.');
    return dot ? dot + 1 : m->estimator;
}

static int param_is(const mc_model *m, const char *name, const char *text)
{
    return mc_value_is_str(mc_model_param(m, name), text);
}

/* A boolean parameter; the string 'deprecated' (1.9's `probability`
 * default) and anything else that is not a number count as false. */
static int param_true(const mc_model *m, const char *name)
{
    int64_t v = 0;
    return mc_value_to_int64(mc_model_param(m, name), &v) == 0 && v != 0;
}

/* ---- prepare ------------------------------------------------------------- */

static mc_status resolve_kernel(const mc_model *m, svm *s, mc_error *err)
{
    static const char *const names[] = {"linear", "poly", "rbf", "sigmoid", "precomputed"};
    const mc_value *k = mc_model_param(m, "kernel");
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (mc_value_is_str(k, names[i]))
            break;
    if (i == sizeof names / sizeof names[0])
        return fail(m, err, "kernel is not one of 'linear', 'poly', 'rbf', 'sigmoid', "
                            "'precomputed' (callable kernels are not supported)");
    s->kernel = (kernel_kind)i;
    int64_t degree = 3;
    if (s->kernel == K_POLY &&
        (mc_value_to_int64(mc_model_param(m, "degree"), &degree) || degree < 0 ||
         degree > INT32_MAX))
        return fail(m, err, "degree is not a non-negative integer");
    s->degree = (int)degree;
    if (s->kernel == K_LINEAR || s->kernel == K_PRECOMPUTED)
        return MC_OK;
    if (mc_value_to_double(mc_model_state(m, "_gamma"), &s->gamma))
        return fail(m, err, "_gamma (the resolved kernel coefficient) is missing");
    if (mc_value_to_double(mc_model_param(m, "coef0"), &s->coef0))
        s->coef0 = 0.0; /* unused by 'rbf'; sklearn's default elsewhere */
    return MC_OK;
}

/* Support vectors, their training indices and coefficients. */
static mc_status load_vectors(const mc_model *m, svm *s, mc_error *err)
{
    const mc_tensor *support = mc_kernel_tensor(m, "support", MC_ELEM_I32, err);
    const mc_tensor *coef = support ? mc_kernel_tensor(m, "dual_coef", MC_ELEM_F64, err) : NULL;
    if (!coef)
        return MC_E_INPUT;
    s->n_sv = support->count;
    s->support = support->data.i32;
    s->max_support = -1;
    for (uint64_t i = 0; i < s->n_sv; i++) {
        if (s->support[i] < 0)
            return fail(m, err, "support_ holds a negative index");
        if (s->support[i] > s->max_support)
            s->max_support = s->support[i];
    }
    if (coef->ndim != 2 || (uint64_t)coef->shape[1] != s->n_sv)
        return fail(m, err, "_dual_coef_ does not have one column per support vector");
    s->coef = coef->data.f64;
    if (s->kernel == K_PRECOMPUTED) {
        s->nf = m->n_features >= 0 ? (uint64_t)m->n_features : 0;
        if (m->n_features >= 0 && s->max_support >= m->n_features)
            return fail(m, err, "support_ indexes beyond the precomputed kernel's columns");
        return MC_OK;
    }
    const mc_tensor *sv = mc_kernel_tensor(m, "support_vectors", MC_ELEM_F64, err);
    if (!sv)
        return MC_E_INPUT;
    if (sv->ndim != 2 || (uint64_t)sv->shape[0] != s->n_sv ||
        (m->n_features >= 0 && sv->shape[1] != m->n_features))
        return fail(m, err, "support_vectors_ is not (n_support_vectors, n_features)");
    s->nf = (uint64_t)sv->shape[1];
    s->sv = sv->data.f64;
    return MC_OK;
}

/* libsvm's rho: set_model stores -_intercept_ (sklearn libsvm_helper.c). */
static mc_status load_rho(const mc_model *m, svm *s, mc_error *err)
{
    const mc_tensor *b = mc_kernel_tensor(m, "intercept", MC_ELEM_F64, err);
    if (!b)
        return MC_E_INPUT;
    if (b->count != s->n_dec)
        return fail(m, err, "_intercept_ does not have one value per decision");
    if (!(s->rho = malloc((s->n_dec ? s->n_dec : 1) * sizeof *s->rho)))
        return nomem(err);
    for (uint64_t p = 0; p < s->n_dec; p++)
        s->rho[p] = -b->data.f64[p];
    return MC_OK;
}

/* Classes, their support vector ranges, and the pairwise decisions. */
static mc_status load_classes(const mc_model *m, svm *s, mc_error *err)
{
    const mc_tensor *n_support = mc_kernel_tensor(m, "n_support", MC_ELEM_I32, err);
    if (!n_support)
        return MC_E_INPUT;
    if (m->n_class_sets != 1 || m->classes[0].count < 2 || m->classes[0].count > 65535 ||
        n_support->count != m->classes[0].count)
        return fail(m, err, "classes_ and n_support_ disagree (two or more classes needed)");
    s->n_classes = (uint32_t)m->classes[0].count;
    s->n_dec = (uint64_t)s->n_classes * (s->n_classes - 1) / 2;
    s->count = n_support->data.i32;
    if (!(s->start = malloc(s->n_classes * sizeof *s->start)))
        return nomem(err);
    uint64_t total = 0;
    for (uint32_t c = 0; c < s->n_classes; c++) {
        if (s->count[c] < 0)
            return fail(m, err, "n_support_ holds a negative count");
        s->start[c] = total;
        total += (uint64_t)s->count[c];
    }
    /* sklearn raises "The internal representation of SVC was altered"
     * (_validate_for_predict, since 0.24) when the counts do not add up */
    if (total != s->n_sv)
        return fail(m, err, "n_support_ does not add up to the support vectors (the internal "
                            "representation was altered)");
    const mc_tensor *coef = mc_model_tensor(m, "dual_coef");
    if ((uint64_t)coef->shape[0] != s->n_classes - 1u)
        return fail(m, err, "_dual_coef_ does not have n_classes - 1 rows");
    return MC_OK;
}

/* SVR, NuSVR, OneClassSVM: one decision from one row of coefficients. */
static mc_status load_single(const mc_model *m, svm *s, mc_error *err)
{
    const mc_tensor *n_support = mc_kernel_tensor(m, "n_support", MC_ELEM_I32, err);
    if (!n_support)
        return MC_E_INPUT;
    /* _validate_for_predict: n_support_ (= _n_support[:1]) must count the
     * support vectors when there are any */
    if (s->sv && s->n_sv && (n_support->count == 0 || (uint64_t)n_support->data.i32[0] != s->n_sv))
        return fail(m, err, "n_support_ does not count the support vectors (the internal "
                            "representation was altered)");
    if (mc_model_tensor(m, "dual_coef")->shape[0] != 1)
        return fail(m, err, "_dual_coef_ does not have one row");
    s->n_classes = 2;
    s->n_dec = 1;
    return MC_OK;
}

/* Platt scaling, when the estimator has predict_proba (BaseSVC._check_proba:
 * `probability` true, and 1.9's 'deprecated' is false). */
static void load_probability(const mc_model *m, svm *s, unsigned *methods)
{
    if (s->kind != SVM_CLASSIFIER || !param_true(m, "probability"))
        return;
    *methods |= 1u << MC_METHOD_PREDICT_PROBA | 1u << MC_METHOD_PREDICT_LOG_PROBA;
    const mc_tensor *a = mc_model_tensor(m, "prob_a"), *b = mc_model_tensor(m, "prob_b");
    /* an empty _probA raises NotFittedError in predict_proba: no arrays */
    if (a && b && a->elem == MC_ELEM_F64 && b->elem == MC_ELEM_F64 && a->count == s->n_dec &&
        b->count == s->n_dec && s->n_dec) {
        s->prob_a = a->data.f64;
        s->prob_b = b->data.f64;
    }
}

/* OneClassSVM.score_samples adds offset_ (= -_intercept_, set by fit). */
static void load_offset(const mc_model *m, svm *s)
{
    const mc_value *v = mc_model_state(m, "offset_");
    if (!v || !(v->kind == MC_NDARRAY ? mc_array_get_f64(&v->u.array, 0, &s->offset) == 0
                                      : mc_value_to_double(v, &s->offset) == 0))
        s->offset = s->rho[0]; /* -_intercept_ */
}

static mc_status setup(const mc_model *m, svm *s, unsigned *methods, mc_error *err)
{
    const char *name = class_name(m);
    s->kind = m->task == MC_TASK_CLASSIFIER         ? SVM_CLASSIFIER
              : strcmp(name, "OneClassSVM") == 0 ? SVM_ONE_CLASS
                                                 : SVM_REGRESSOR;
    mc_status st = resolve_kernel(m, s, err);
    if (!st)
        st = load_vectors(m, s, err);
    if (!st)
        st = s->kind == SVM_CLASSIFIER ? load_classes(m, s, err) : load_single(m, s, err);
    if (!st)
        st = load_rho(m, s, err);
    if (st)
        return st;
    *methods = 1u << MC_METHOD_PREDICT;
    if (s->kind != SVM_REGRESSOR)
        *methods |= 1u << MC_METHOD_DECISION_FUNCTION;
    if (s->kind == SVM_ONE_CLASS) {
        *methods |= 1u << MC_METHOD_SCORE_SAMPLES;
        load_offset(m, s);
    }
    if (s->kind == SVM_CLASSIFIER) {
        /* BaseSVC.decision_function / predict */
        s->ovr = !param_is(m, "decision_function_shape", "ovo");
        s->break_ties = param_true(m, "break_ties");
        load_probability(m, s, methods);
    }
    return MC_OK;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    svm *s = calloc(1, sizeof *s);
    if (!s)
        return nomem(err);
    mc_status st = setup(m, s, methods, err);
    if (st) {
        release(s);
        return st;
    }
    *state = s;
    return MC_OK;
}

/* ---- kernel values (svm.cpp Kernel::k_function) ---------------------------- */

/* libsvm's powi: base**times by repeated squaring. */
static double powi(double base, int times)
{
    double tmp = base, ret = 1.0;
    for (int t = times; t > 0; t /= 2) {
        if (t % 2 == 1)
            ret *= tmp;
        tmp = tmp * tmp;
    }
    return ret;
}

static double dot(const double *x, const double *y, uint64_t n)
{
    double sum = 0;
    for (uint64_t i = 0; i < n; i++)
        sum += x[i] * y[i];
    return sum;
}

/* RBF: the squared distance, as the dot product of x - y with itself. */
static double squared_distance(const double *x, const double *y, uint64_t n)
{
    double sum = 0;
    for (uint64_t i = 0; i < n; i++) {
        double d = x[i] - y[i];
        sum += d * d;
    }
    return sum;
}

static double kernel_value(const svm *s, const double *x, uint64_t i)
{
    const double *y = s->sv ? s->sv + i * s->nf : NULL;
    switch (s->kernel) {
    case K_LINEAR: return dot(x, y, s->nf);
    case K_POLY: return powi(s->gamma * dot(x, y, s->nf) + s->coef0, s->degree);
    case K_RBF: return exp(-s->gamma * squared_distance(x, y, s->nf));
    case K_SIGMOID: return tanh(s->gamma * dot(x, y, s->nf) + s->coef0);
    case K_PRECOMPUTED: return x[s->support[i]];
    }
    return 0;
}

/* kv[r * n_sv + i] = K(row r, support vector i) for `rows` rows. */
static void kernel_block(const svm *s, const double *X, uint64_t ncols, uint64_t rows, double *kv)
{
    for (uint64_t i = 0; i < s->n_sv; i++)
        for (uint64_t r = 0; r < rows; r++)
            kv[r * s->n_sv + i] = kernel_value(s, X + r * ncols, i);
}

/* ---- decisions (svm_predict_values) ----------------------------------------- */

/* The pairwise decisions of a classifier, in libsvm's order and sums. */
static void pairwise_decisions(const svm *s, const double *kv, double *dec)
{
    uint64_t p = 0;
    for (uint32_t i = 0; i < s->n_classes; i++)
        for (uint32_t j = i + 1; j < s->n_classes; j++) {
            const double *coef1 = s->coef + (uint64_t)(j - 1) * s->n_sv;
            const double *coef2 = s->coef + (uint64_t)i * s->n_sv;
            double sum = 0;
            for (uint64_t k = s->start[i]; k < s->start[i] + (uint64_t)s->count[i]; k++)
                sum += coef1[k] * kv[k];
            for (uint64_t k = s->start[j]; k < s->start[j] + (uint64_t)s->count[j]; k++)
                sum += coef2[k] * kv[k];
            sum -= s->rho[p];
            dec[p++] = sum;
        }
}

/* SVR, NuSVR, OneClassSVM. */
static double single_decision(const svm *s, const double *kv)
{
    double sum = 0;
    for (uint64_t i = 0; i < s->n_sv; i++)
        sum += s->coef[i] * kv[i];
    sum -= s->rho[0];
    return sum;
}

/* libsvm's vote: `> 0` votes for i, else j; the first most voted wins. */
static int64_t vote(const svm *s, const double *dec, double *votes)
{
    memset(votes, 0, s->n_classes * sizeof *votes);
    uint64_t p = 0;
    for (uint32_t i = 0; i < s->n_classes; i++)
        for (uint32_t j = i + 1; j < s->n_classes; j++)
            votes[dec[p++] > 0 ? i : j] += 1;
    uint32_t best = 0;
    for (uint32_t c = 1; c < s->n_classes; c++)
        if (votes[c] > votes[best])
            best = c;
    return best;
}

/* sklearn.utils.multiclass._ovr_decision_function(dec < 0, -dec, k). */
static void ovr_decision(const svm *s, const double *dec, double *out, double *conf)
{
    uint32_t k = s->n_classes;
    memset(out, 0, k * sizeof *out);
    memset(conf, 0, k * sizeof *conf);
    uint64_t p = 0;
    for (uint32_t i = 0; i < k; i++)
        for (uint32_t j = i + 1; j < k; j++, p++) {
            double c = -dec[p];
            conf[i] -= c;
            conf[j] += c;
            out[dec[p] < 0 ? j : i] += 1; /* prediction 1 votes j, 0 votes i */
        }
    for (uint32_t c = 0; c < k; c++)
        out[c] += conf[c] / (3 * (fabs(conf[c]) + 1));
}

static int64_t first_argmax(const double *v, uint32_t n)
{
    uint32_t best = 0;
    for (uint32_t c = 1; c < n; c++)
        if (v[c] > v[best])
            best = c;
    return best;
}

/* ---- probabilities (svm_predict_probability) ---------------------------------- */

static double sigmoid_predict(double decision_value, double A, double B)
{
    double fApB = decision_value * A + B;
    /* 1-p used later; avoid catastrophic cancellation (svm.cpp) */
    if (fApB >= 0)
        return exp(-fApB) / (1.0 + exp(-fApB));
    return 1.0 / (1 + exp(fApB));
}

/* Method 2 of Wu, Lin and Weng, as svm.cpp iterates it; r is k x k
 * pairwise probabilities, q k x k and qp k scratch. */
static void multiclass_probability(uint32_t k, const double *r, double *p, double *q, double *qp)
{
    int max_iter = k > 100 ? (int)k : 100;
    double eps = 0.005 / k;
    for (uint32_t t = 0; t < k; t++) {
        p[t] = 1.0 / k;
        q[t * k + t] = 0;
        for (uint32_t j = 0; j < t; j++) {
            q[t * k + t] += r[j * k + t] * r[j * k + t];
            q[t * k + j] = q[j * k + t];
        }
        for (uint32_t j = t + 1; j < k; j++) {
            q[t * k + t] += r[j * k + t] * r[j * k + t];
            q[t * k + j] = -r[j * k + t] * r[t * k + j];
        }
    }
    for (int iter = 0; iter < max_iter; iter++) {
        /* stopping condition, recalculate QP,pQP for numerical accuracy */
        double pqp = 0;
        for (uint32_t t = 0; t < k; t++) {
            qp[t] = 0;
            for (uint32_t j = 0; j < k; j++)
                qp[t] += q[t * k + j] * p[j];
            pqp += p[t] * qp[t];
        }
        double max_error = 0;
        for (uint32_t t = 0; t < k; t++) {
            double error = fabs(qp[t] - pqp);
            if (error > max_error)
                max_error = error;
        }
        if (max_error < eps)
            break;
        for (uint32_t t = 0; t < k; t++) {
            double diff = (-qp[t] + pqp) / q[t * k + t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
            for (uint32_t j = 0; j < k; j++) {
                qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff);
                p[j] /= (1 + diff);
            }
        }
    }
}

/* libsvm's min(max(x, lo), hi) with its templates' comparisons. */
static double clip(double x, double lo, double hi)
{
    double m = x > lo ? x : lo;
    return m < hi ? m : hi;
}

/* Class probabilities of one row; work holds 2 k^2 + k doubles. */
static void probabilities(const svm *s, const double *dec, double *p, double *work)
{
    uint32_t k = s->n_classes;
    double *r = work, *q = r + (uint64_t)k * k, *qp = q + (uint64_t)k * k;
    const double min_prob = 1e-7;
    uint64_t d = 0;
    for (uint32_t i = 0; i < k; i++)
        for (uint32_t j = i + 1; j < k; j++, d++) {
            r[i * k + j] = clip(sigmoid_predict(dec[d], s->prob_a[d], s->prob_b[d]), min_prob,
                                1 - min_prob);
            r[j * k + i] = 1 - r[i * k + j];
        }
    multiclass_probability(k, r, p, q, qp);
}

/* ---- run ----------------------------------------------------------------- */

/* Width of the output of `method` (0: one column, shape (n,)). */
static uint64_t out_width(const svm *s, mc_method method)
{
    if (method == MC_METHOD_PREDICT_PROBA || method == MC_METHOD_PREDICT_LOG_PROBA)
        return s->n_classes;
    if (method != MC_METHOD_DECISION_FUNCTION || s->kind != SVM_CLASSIFIER || s->n_classes == 2)
        return 0;
    return s->ovr ? s->n_classes : s->n_dec;
}

/* Scratch for one call: kernel values of a block, decisions, per-class
 * work (votes, confidences, pairwise probabilities and their iteration). */
typedef struct scratch {
    double *kv, *dec, *work;
    uint64_t block_rows;
} scratch;

static mc_status scratch_new(const svm *s, scratch *w, mc_error *err)
{
    uint64_t per_row = s->n_sv ? s->n_sv : 1, k = s->n_classes, kv_count, work;
    w->block_rows = KERNEL_VALUES_PER_BLOCK / per_row;
    w->block_rows = w->block_rows < 1 ? 1 : w->block_rows > MAX_BLOCK_ROWS ? MAX_BLOCK_ROWS
                                                                          : w->block_rows;
    if (mc_mul_u64(per_row, w->block_rows, &kv_count) || kv_count > SIZE_MAX / sizeof(double))
        return nomem(err);
    work = 3 * k * k + 2 * k;
    w->kv = malloc((size_t)kv_count * sizeof *w->kv);
    w->dec = malloc((size_t)s->n_dec * sizeof *w->dec + sizeof(double));
    w->work = malloc((size_t)work * sizeof *w->work);
    if (!w->kv || !w->dec || !w->work)
        return nomem(err);
    return MC_OK;
}

static void scratch_free(scratch *w)
{
    free(w->kv);
    free(w->dec);
    free(w->work);
}

/* A classifier's output for one row from its pairwise decisions. */
static void classifier_row(const svm *s, mc_method method, const double *dec, double *work,
                           void *out, uint64_t row, uint64_t width)
{
    uint32_t k = s->n_classes;
    double *o = (double *)out + row * width;
    switch (method) {
    case MC_METHOD_PREDICT:
        if (s->break_ties && s->ovr && k > 2) { /* np.argmax(decision_function) */
            ovr_decision(s, dec, work, work + k);
            ((int64_t *)out)[row] = first_argmax(work, k);
        } else {
            ((int64_t *)out)[row] = vote(s, dec, work);
        }
        return;
    case MC_METHOD_DECISION_FUNCTION:
        if (k == 2)
            ((double *)out)[row] = -dec[0]; /* binary: the sign flipped back */
        else if (s->ovr)
            ovr_decision(s, dec, o, work);
        else
            memcpy(o, dec, s->n_dec * sizeof *dec);
        return;
    default: /* predict_proba, predict_log_proba */
        probabilities(s, dec, o, work);
        if (method == MC_METHOD_PREDICT_LOG_PROBA)
            for (uint32_t c = 0; c < k; c++)
                o[c] = log(o[c]);
        return;
    }
}

/* SVR / OneClassSVM output for one row. */
static void single_row(const svm *s, mc_method method, double dec, void *out, uint64_t row)
{
    if (method == MC_METHOD_PREDICT && s->kind == SVM_ONE_CLASS)
        ((int64_t *)out)[row] = dec > 0 ? 1 : -1;
    else if (method == MC_METHOD_SCORE_SAMPLES)
        ((double *)out)[row] = dec + s->offset;
    else
        ((double *)out)[row] = dec;
}

static void *alloc_output(const svm *s, mc_method method, uint64_t n, mc_outputs *out,
                          mc_error *err)
{
    uint64_t width = out_width(s, method);
    int labels = method == MC_METHOD_PREDICT && s->kind != SVM_REGRESSOR;
    return labels ? (void *)mc_output_i64(out, 0, n, 0, err)
                  : (void *)mc_output_f64(out, 0, n, width, err);
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const svm *s = state;
    if (s->kernel == K_PRECOMPUTED ? s->max_support >= 0 && (uint64_t)s->max_support >= ncols
                                   : ncols != s->nf)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu columns, which %s cannot use",
                            (unsigned long long)ncols, m->estimator);
    if ((method == MC_METHOD_PREDICT_PROBA || method == MC_METHOD_PREDICT_LOG_PROBA) &&
        !s->prob_a)
        return mc_error_set(err, MC_E_USAGE, -1,
                            "%s: predict_proba is not available when fitted with "
                            "probability=False (scikit-learn raises NotFittedError)",
                            m->estimator);
    if (method == MC_METHOD_PREDICT && s->break_ties && !s->ovr)
        return mc_error_set(err, MC_E_USAGE, -1,
                            "%s: break_ties must be False when decision_function_shape is 'ovo' "
                            "(scikit-learn raises ValueError)",
                            m->estimator);
    /* validate_data: NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    void *o = alloc_output(s, method, n, out, err);
    scratch w = {0};
    if (!o || (st = scratch_new(s, &w, err))) {
        scratch_free(&w);
        return o ? st : MC_E_NOMEM;
    }
    uint64_t width = out_width(s, method);
    for (uint64_t r0 = 0; r0 < n; r0 += w.block_rows) {
        uint64_t rows = n - r0 < w.block_rows ? n - r0 : w.block_rows;
        kernel_block(s, X + r0 * ncols, ncols, rows, w.kv);
        for (uint64_t r = 0; r < rows; r++) {
            const double *kv = w.kv + r * s->n_sv;
            if (s->kind == SVM_CLASSIFIER) {
                pairwise_decisions(s, kv, w.dec);
                classifier_row(s, method, w.dec, w.work, o, r0 + r, width ? width : 1);
            } else {
                single_row(s, method, single_decision(s, kv), o, r0 + r);
            }
        }
    }
    scratch_free(&w);
    return MC_OK;
}

const mc_kernel mc_kernel_svm = {.family = "svm", .prepare = prepare, .release = release,
                                 .run = run};
