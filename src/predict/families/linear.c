/* Linear models (schemas/families/linear.md): decision values
 * X @ coef.T + intercept, then the regressor's inverse link, the classifier's
 * threshold / arg-max, or its probabilities, as scikit-learn computes them
 * (LinearModel._decision_function, LinearClassifierMixin, 1.2 and 1.9). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "predict/kernel.h"
#include "predict/numeric.h"

typedef enum proba_kind {
    PROBA_NONE,
    PROBA_OVR,         /* expit, rows normalised; an all-zero row gives NaN */
    PROBA_OVR_UNIFORM, /* the same, an all-zero row uniform (1.9+)        */
    PROBA_SOFTMAX,
    PROBA_MODIFIED_HUBER
} proba_kind;

typedef struct linear {
    const double *coef;      /* n_rows x n_features, C order */
    const double *intercept; /* n_rows */
    uint64_t n_rows, n_features;
    int classifier;
    uint64_t n_classes;      /* classifiers */
    int output_2d;           /* regressors: predict is (n, n_rows) */
    int log_link;            /* regressors: predict is exp(decision) */
    proba_kind proba;        /* classifiers */
    uint64_t block;          /* rows of X per block */
    size_t scratch_bytes;    /* the decision values of one block */
} linear;

/* Rows of X per block: about 64 KiB of input, so that a block stays in
 * cache while every row of coef passes over it. */
static uint64_t block_rows(uint64_t n_features)
{
    uint64_t rows = 8192 / (n_features ? n_features : 1);
    return rows < 1 ? 1 : rows > 256 ? 256 : rows;
}

/* ---- preparing ------------------------------------------------------------- */

static mc_status missing(const mc_model *m, const char *name, mc_error *err)
{
    mc_error_set(err, MC_E_INPUT, -1, "%s: the model has no valid '%s' (made by the mapping)",
                 m->estimator, name);
    mc_error_set_where(err, name);
    return MC_E_INPUT;
}

/* A derived text entry (schemas/families/linear.md). */
static const char *derived_text(const mc_model *m, const char *name)
{
    const mc_value *v = mc_model_state(m, name);
    return v && v->kind == MC_STR ? v->u.str.data : NULL;
}

static mc_status prepare_regressor(const mc_model *m, linear *lin, unsigned *methods,
                                   mc_error *err)
{
    const char *link = derived_text(m, "modelconv.link");
    int64_t coef_ndim;
    if (!link || (strcmp(link, "identity") != 0 && strcmp(link, "log") != 0))
        return missing(m, "modelconv.link", err);
    if (mc_value_to_int64(mc_model_state(m, "modelconv.coef_ndim"), &coef_ndim) ||
        (coef_ndim != 1 && coef_ndim != 2) || (coef_ndim == 1 && lin->n_rows != 1))
        return missing(m, "modelconv.coef_ndim", err);
    lin->log_link = strcmp(link, "log") == 0;
    lin->output_2d = coef_ndim == 2;
    *methods = 1u << MC_METHOD_PREDICT;
    return MC_OK;
}

static int parse_proba(const char *text, proba_kind *out)
{
    static const char *const names[] = {"none", "ovr", "ovr_uniform", "softmax",
                                        "modified_huber"};
    for (size_t k = 0; text && k < sizeof names / sizeof names[0]; k++) {
        if (strcmp(text, names[k]) == 0) {
            *out = (proba_kind)k;
            return 0;
        }
    }
    return -1;
}

static mc_status prepare_classifier(const mc_model *m, linear *lin, unsigned *methods,
                                    mc_error *err)
{
    if (mc_model_state(m, "modelconv.multilabel"))
        return mc_error_set(err, MC_E_INPUT, -1,
                            "unsupported estimator %s fitted on multilabel targets: its predict "
                            "returns a label indicator matrix",
                            m->estimator);
    if (parse_proba(derived_text(m, "modelconv.proba"), &lin->proba))
        return missing(m, "modelconv.proba", err);
    if (m->n_class_sets != 1 || m->classes[0].count < 2)
        return mc_error_set(err, MC_E_INPUT, -1, "%s: expected one set of two or more classes",
                            m->estimator);
    lin->n_classes = m->classes[0].count;
    if (lin->n_rows != lin->n_classes && !(lin->n_rows == 1 && lin->n_classes == 2))
        return mc_error_set(err, MC_E_INPUT, -1, "%s: coef has %llu rows for %llu classes",
                            m->estimator, (unsigned long long)lin->n_rows,
                            (unsigned long long)lin->n_classes);
    lin->classifier = 1;
    *methods = 1u << MC_METHOD_PREDICT | 1u << MC_METHOD_DECISION_FUNCTION;
    if (lin->proba != PROBA_NONE)
        *methods |= 1u << MC_METHOD_PREDICT_PROBA | 1u << MC_METHOD_PREDICT_LOG_PROBA;
    return MC_OK;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    const mc_tensor *coef = mc_kernel_tensor(m, "coef", MC_ELEM_F64, err);
    const mc_tensor *intercept = coef ? mc_kernel_tensor(m, "intercept", MC_ELEM_F64, err) : NULL;
    if (!intercept)
        return MC_E_INPUT;
    if (coef->ndim != 2 || coef->shape[0] < 1 || intercept->ndim != 1 ||
        intercept->shape[0] != coef->shape[0] ||
        (m->n_features >= 0 && coef->shape[1] != m->n_features))
        return mc_error_set(err, MC_E_INPUT, -1, "%s: coef and intercept have inconsistent shapes",
                            m->estimator);
    linear *lin = calloc(1, sizeof *lin);
    if (!lin)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    lin->coef = coef->data.f64;
    lin->intercept = intercept->data.f64;
    lin->n_rows = (uint64_t)coef->shape[0];
    lin->n_features = (uint64_t)coef->shape[1];
    lin->block = block_rows(lin->n_features);
    uint64_t scratch;
    mc_status st = MC_OK;
    if (mc_mul_u64(lin->block * sizeof(double), lin->n_rows, &scratch) || scratch > SIZE_MAX)
        st = mc_error_set(err, MC_E_INPUT, -1, "%s: too many rows in coef", m->estimator);
    else if (m->task == MC_TASK_CLASSIFIER)
        st = prepare_classifier(m, lin, methods, err);
    else
        st = prepare_regressor(m, lin, methods, err);
    if (st) {
        free(lin);
        return st;
    }
    lin->scratch_bytes = (size_t)scratch;
    *state = lin;
    return MC_OK;
}

static void release(void *state)
{
    free(state);
}

/* ---- decision values ---------------------------------------------------------- */

/* Dot products, compensated: Ogita, Rump & Oishi's Dot2 ("Accurate sum and
 * dot product", 2005), as accurate as if computed in twice the precision and
 * then rounded.  scikit-learn's value comes from a BLAS gemv/gemm whose
 * summation order depends on the library and the CPU; a nearly exact dot
 * product keeps the difference to that BLAS's own rounding error.  The
 * error-free transformations (Dekker's split and product, Knuth's sum) need
 * no fma(), which is a library call unless the target has FMA; they stay
 * exact under C11's default FP_CONTRACT (only products that are exact get
 * fused). */
typedef struct halves {
    double hi, lo;
} halves;

static halves split(double a)
{
    double c = 134217729.0 * a; /* 2^27 + 1 */
    double hi = c - (c - a);
    return (halves){hi, a - hi};
}

/* *s += a * b, the rounding errors of the product and of the sum going to *c;
 * bh is split(b). */
static void dot2_step(double a, double b, halves bh, double *s, double *c)
{
    double p = a * b;
    halves ah = split(a);
    double p_err = ((ah.hi * bh.hi - p) + ah.hi * bh.lo + ah.lo * bh.hi) + ah.lo * bh.lo;
    double t = *s + p;
    double z = t - *s;
    double s_err = (*s - (t - z)) + (p - z);
    *s = t;
    *c += p_err + s_err;
}

/* The compensated sum, or the plain one where the corrections overflowed
 * (|values| near DBL_MAX: the plain sum is what BLAS gives there). */
static double dot2_result(double s, double c)
{
    double r = s + c;
    return isfinite(r) ? r : s;
}

static double dot(const double *x, const double *w, uint64_t n)
{
    double s = 0, c = 0;
    for (uint64_t j = 0; j < n; j++)
        dot2_step(x[j], w[j], split(w[j]), &s, &c);
    return dot2_result(s, c);
}

/* Four rows of X (`stride` apart) dotted with w at once: four independent
 * chains of additions, and one split of w[j] for all of them. */
enum { LANES = 4 };

static void dot_lanes(const double *x, uint64_t stride, const double *w, uint64_t n,
                      double out[LANES])
{
    double s[LANES] = {0}, c[LANES] = {0};
    for (uint64_t j = 0; j < n; j++) {
        halves wh = split(w[j]);
        for (int r = 0; r < LANES; r++)
            dot2_step(x[r * stride + j], w[j], wh, &s[r], &c[r]);
    }
    for (int r = 0; r < LANES; r++)
        out[r] = dot2_result(s[r], c[r]);
}

/* Decision values of rows [r0, r1) of X into d, row r at d + (r - r0) *
 * n_rows.  As in scikit-learn the intercept is added to the rounded dot
 * product.  Every coef row passes over the whole block. */
static void affine(const linear *lin, const double *X, uint64_t r0, uint64_t r1, double *d)
{
    uint64_t nf = lin->n_features, nr = lin->n_rows;
    for (uint64_t k = 0; k < nr; k++) {
        const double *w = lin->coef + k * nf;
        double b = lin->intercept[k], v[LANES];
        uint64_t r = r0;
        for (; r1 - r >= LANES; r += LANES) {
            dot_lanes(X + r * nf, nf, w, nf, v);
            for (int i = 0; i < LANES; i++)
                d[(r + (uint64_t)i - r0) * nr + k] = v[i] + b;
        }
        for (; r < r1; r++)
            d[(r - r0) * nr + k] = dot(X + r * nf, w, nf) + b;
    }
}

static uint64_t block_end(const linear *lin, uint64_t r0, uint64_t n)
{
    return n - r0 > lin->block ? r0 + lin->block : n;
}

/* A regressor's predict, or a classifier's decision_function: (n,) for one
 * row of coef (for regressors: a 1-d coef_), else (n, n_rows). */
static mc_status values(const linear *lin, const double *X, uint64_t n, mc_outputs *out,
                        mc_error *err)
{
    int two_d = lin->classifier ? lin->n_rows > 1 : lin->output_2d;
    double *o;
    mc_status st = mc_outputs_init(out, 1, err);
    if (st || !(o = mc_output_f64(out, 0, n, two_d ? lin->n_rows : 0, err)))
        return st ? st : MC_E_NOMEM;
    for (uint64_t r0 = 0; r0 < n; r0 = block_end(lin, r0, n))
        affine(lin, X, r0, block_end(lin, r0, n), o + r0 * lin->n_rows);
    if (lin->log_link) /* LogLink.inverse: np.exp */
        for (uint64_t i = 0; i < n * lin->n_rows; i++)
            o[i] = exp(o[i]);
    return MC_OK;
}

/* What a method makes of one row of decision values. */
typedef void (*row_fn)(const linear *lin, const double *d, void *out_row);

/* Decision values block by block into a scratch buffer, then fn per row. */
static mc_status by_block(const linear *lin, const double *X, uint64_t n, row_fn fn, void *out,
                          size_t out_row_bytes, mc_error *err)
{
    double *d = malloc(lin->scratch_bytes);
    if (!d)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (uint64_t r0 = 0; r0 < n; r0 = block_end(lin, r0, n)) {
        uint64_t r1 = block_end(lin, r0, n);
        affine(lin, X, r0, r1, d);
        for (uint64_t r = r0; r < r1; r++)
            fn(lin, d + (r - r0) * lin->n_rows, (char *)out + r * out_row_bytes);
    }
    free(d);
    return MC_OK;
}

/* np.argmax of one row: the first maximum, or the first NaN. */
static int64_t argmax(const double *d, uint64_t n)
{
    uint64_t best = 0;
    for (uint64_t k = 0; k < n; k++) {
        if (isnan(d[k]))
            return (int64_t)k;
        if (d[k] > d[best])
            best = k;
    }
    return (int64_t)best;
}

/* LinearClassifierMixin.predict: decision > 0 picks classes_[1] (binary),
 * else the arg-max. */
static void label_row(const linear *lin, const double *d, void *out_row)
{
    *(int64_t *)out_row = lin->n_rows == 1 ? d[0] > 0 : argmax(d, lin->n_rows);
}

/* ---- probabilities ------------------------------------------------------------- */

/* Divide a row by its sum; with `uniform`, a row summing to 0 becomes
 * uniform (SGDClassifier modified_huber; _predict_proba_lr from 1.9). */
static void normalise(double *p, uint64_t k, int uniform)
{
    double sum = mc_pairwise_sum(p, k);
    if (uniform && sum == 0) {
        for (uint64_t i = 0; i < k; i++)
            p[i] = 1;
        sum = (double)k;
    }
    for (uint64_t i = 0; i < k; i++)
        p[i] /= sum;
}

/* scipy.special.expit */
static double expit(double x)
{
    return 1 / (1 + exp(-x));
}

/* np.clip(d, -1, 1) (NaN stays NaN), then += 1.0, /= 2.0 */
static double modified_huber(double d)
{
    double c = d < -1 ? -1 : d > 1 ? 1 : d;
    c += 1.0;
    return c / 2.0;
}

/* sklearn.utils.extmath.softmax: subtract the row maximum, exp, divide by
 * the sum. */
static void softmax(const double *d, uint64_t k, double *p)
{
    double max = d[0]; /* np.max: NaN wins */
    for (uint64_t i = 1; i < k; i++)
        if (isnan(d[i]) || d[i] > max)
            max = d[i];
    for (uint64_t i = 0; i < k; i++)
        p[i] = exp(d[i] - max);
    normalise(p, k, 0);
}

/* One row of predict_proba from the decision values d. */
static void proba_row(const linear *lin, const double *d, void *out_row)
{
    double *p = out_row;
    uint64_t k = lin->n_classes;
    if (lin->n_rows == 1 && lin->proba == PROBA_SOFTMAX) {
        /* binary multinomial (multi_class='multinomial', before 1.8): the
         * softmax of np.c_[-d, d] */
        double both[2] = {-d[0], d[0]};
        softmax(both, 2, p);
    } else if (lin->n_rows == 1) { /* binary: [1 - p, p] */
        p[1] = lin->proba == PROBA_MODIFIED_HUBER ? modified_huber(d[0]) : expit(d[0]);
        p[0] = 1 - p[1];
    } else if (lin->proba == PROBA_SOFTMAX) {
        softmax(d, k, p);
    } else {
        int huber = lin->proba == PROBA_MODIFIED_HUBER;
        for (uint64_t i = 0; i < k; i++)
            p[i] = huber ? modified_huber(d[i]) : expit(d[i]);
        normalise(p, k, lin->proba != PROBA_OVR);
    }
}

/* predict_log_proba: np.log(predict_proba) */
static void log_proba_row(const linear *lin, const double *d, void *out_row)
{
    double *p = out_row;
    proba_row(lin, d, p);
    for (uint64_t i = 0; i < lin->n_classes; i++)
        p[i] = log(p[i]);
}

/* ---- running --------------------------------------------------------------------- */

/* An (n, cols) float64 output must fit in memory. */
static mc_status check_output_size(uint64_t n, uint64_t cols, mc_error *err)
{
    uint64_t bytes;
    if (mc_mul_u64(n, cols, &bytes) || mc_mul_u64(bytes, sizeof(double), &bytes) ||
        bytes > SIZE_MAX)
        return mc_error_set(err, MC_E_USAGE, -1, "%llu rows: the output is too large",
                            (unsigned long long)n);
    return MC_OK;
}

/* Columns of the method's output: labels one, probabilities one per class,
 * decision values one per row of coef. */
static uint64_t output_cols(const linear *lin, mc_method method)
{
    if (!lin->classifier || method == MC_METHOD_DECISION_FUNCTION)
        return lin->n_rows;
    return method == MC_METHOD_PREDICT ? 1 : lin->n_classes;
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const linear *lin = state;
    /* scikit-learn validates X first: NaN and infinity are errors */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (!st)
        st = check_output_size(n, output_cols(lin, method), err);
    if (st)
        return st;
    if (!lin->classifier || method == MC_METHOD_DECISION_FUNCTION)
        return values(lin, X, n, out, err);
    if ((st = mc_outputs_init(out, 1, err)))
        return st;
    if (method == MC_METHOD_PREDICT) {
        int64_t *labels = mc_output_i64(out, 0, n, 0, err);
        return labels ? by_block(lin, X, n, label_row, labels, sizeof *labels, err) : MC_E_NOMEM;
    }
    double *p = mc_output_f64(out, 0, n, lin->n_classes, err);
    if (!p)
        return MC_E_NOMEM;
    row_fn fn = method == MC_METHOD_PREDICT_LOG_PROBA ? log_proba_row : proba_row;
    return by_block(lin, X, n, fn, p, lin->n_classes * sizeof *p, err);
}

const mc_kernel mc_kernel_linear = {"linear", prepare, release, run};
