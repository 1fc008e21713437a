/* GaussianNB, MultinomialNB, BernoulliNB, ComplementNB: the joint log
 * likelihood of sklearn/naive_bayes.py (`_joint_log_likelihood`), then
 * predict / predict_log_proba / predict_proba of `_BaseNB` (formulas and
 * version differences in schemas/families/naive_bayes.md).  prepare()
 * computes what depends on the model only (GaussianNB's normalising
 * constants, BernoulliNB's weights); run() works class by class over a block
 * of rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "predict/kernel.h"
#include "predict/numeric.h"

typedef enum nb_kind { NB_GAUSSIAN, NB_MULTINOMIAL, NB_COMPLEMENT, NB_BERNOULLI } nb_kind;

typedef struct nb {
    nb_kind kind;
    uint64_t nf;
    uint32_t nc;
    const double *theta, *var; /* GaussianNB, nc x nf */
    const double *w;           /* discrete: the weights of x, nc x nf */
    double *owned_w;           /* BernoulliNB: feature_log_prob - neg_prob */
    double *bias;              /* per class: added to the row's sum; NULL: none */
    double *norm;              /* GaussianNB: -0.5 * sum(log(2 pi var[c])) */
    int binarize;              /* BernoulliNB with a `binarize` threshold */
    double threshold;
    int sklearn_logsumexp;     /* >= 1.7: sklearn's _logsumexp */
} nb;

enum { BLOCK_ROWS = 64 };

static void release(void *state)
{
    nb *s = state;
    if (!s)
        return;
    free(s->owned_w);
    free(s->bias);
    free(s->norm);
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

/* ---- prepare ------------------------------------------------------------- */

/* A float64 tensor of nc x nf (or nc when nf is 0) values, or NULL. */
static const double *matrix(const mc_model *m, const nb *s, const char *name, uint64_t nf,
                            mc_error *err)
{
    const mc_tensor *t = mc_kernel_tensor(m, name, MC_ELEM_F64, err);
    if (t && (t->ndim != (nf ? 2u : 1u) || (uint64_t)t->shape[0] != s->nc ||
              (nf && (uint64_t)t->shape[1] != nf))) {
        fail(m, err, "a fitted array does not match classes_ and the features");
        return NULL;
    }
    return t ? t->data.f64 : NULL;
}

static double *new_doubles(uint64_t a, uint64_t b)
{
    uint64_t n;
    if (mc_mul_u64(a, b, &n) || n > SIZE_MAX / sizeof(double))
        return NULL;
    return malloc(n ? (size_t)n * sizeof(double) : sizeof(double));
}

/* jointi = log(class_prior_[i]); -0.5 * np.sum(np.log(2.0 * np.pi * var_[i, :])) */
static mc_status prepare_gaussian(const mc_model *m, nb *s, mc_error *err)
{
    const double *prior = matrix(m, s, "class_prior", 0, err);
    if (!prior || !(s->theta = matrix(m, s, "theta", s->nf, err)) ||
        !(s->var = matrix(m, s, "var", s->nf, err)))
        return MC_E_INPUT;
    double *tmp = new_doubles(s->nf, 1);
    s->bias = new_doubles(s->nc, 1);
    s->norm = new_doubles(s->nc, 1);
    if (!tmp || !s->bias || !s->norm) {
        free(tmp);
        return nomem(err);
    }
    const double two_pi = 2.0 * 3.141592653589793;
    for (uint32_t c = 0; c < s->nc; c++) {
        for (uint64_t j = 0; j < s->nf; j++)
            tmp[j] = log(two_pi * s->var[c * s->nf + j]);
        s->bias[c] = log(prior[c]);
        s->norm[c] = -0.5 * mc_pairwise_sum(tmp, s->nf);
    }
    free(tmp);
    return MC_OK;
}

/* BernoulliNB: neg_prob = log(1 - exp(flp)); the weights flp - neg_prob and
 * the bias class_log_prior_ + neg_prob.sum(axis=1). */
static mc_status prepare_bernoulli(nb *s, const double *flp, const double *clp, mc_error *err)
{
    uint64_t nf = s->nf;
    double *neg = new_doubles(nf, 1);
    s->owned_w = new_doubles(s->nc, nf);
    s->bias = new_doubles(s->nc, 1);
    if (!neg || !s->owned_w || !s->bias) {
        free(neg);
        return nomem(err);
    }
    for (uint32_t c = 0; c < s->nc; c++) {
        for (uint64_t j = 0; j < nf; j++) {
            neg[j] = log(1 - exp(flp[c * nf + j]));
            s->owned_w[c * nf + j] = flp[c * nf + j] - neg[j];
        }
        s->bias[c] = clp[c] + mc_pairwise_sum(neg, nf);
    }
    free(neg);
    s->w = s->owned_w;
    return MC_OK;
}

/* BernoulliNB._check_X: binarize(X, threshold=self.binarize) unless None. */
static void resolve_binarize(const mc_model *m, nb *s)
{
    const mc_value *b = mc_model_param(m, "binarize");
    s->binarize = b && b->kind != MC_NONE && mc_value_to_double(b, &s->threshold) == 0;
}

static mc_status prepare_discrete(const mc_model *m, nb *s, mc_error *err)
{
    const double *flp = matrix(m, s, "feature_log_prob", s->nf, err);
    const double *clp = flp ? matrix(m, s, "class_log_prior", 0, err) : NULL;
    if (!clp)
        return MC_E_INPUT;
    if (s->kind == NB_BERNOULLI) {
        resolve_binarize(m, s);
        return prepare_bernoulli(s, flp, clp, err);
    }
    s->w = flp;
    /* ComplementNB adds the prior only for a single class */
    if (s->kind == NB_COMPLEMENT && s->nc != 1)
        return MC_OK;
    if (!(s->bias = new_doubles(s->nc, 1)))
        return nomem(err);
    memcpy(s->bias, clp, s->nc * sizeof *clp);
    return MC_OK;
}

static nb_kind kind_of(const mc_model *m)
{
    const char *dot = strrchr(m->estimator, '.');
    const char *name = dot ? dot + 1 : m->estimator;
    if (strcmp(name, "GaussianNB") == 0)
        return NB_GAUSSIAN;
    if (strcmp(name, "BernoulliNB") == 0)
        return NB_BERNOULLI;
    if (strcmp(name, "ComplementNB") == 0)
        return NB_COMPLEMENT;
    return NB_MULTINOMIAL;
}

static mc_status setup(const mc_model *m, nb *s, unsigned *methods, mc_error *err)
{
    if (m->n_class_sets != 1 || m->classes[0].count == 0 || m->classes[0].count > UINT32_MAX ||
        m->n_features < 0)
        return fail(m, err, "classes_ or the number of features is missing");
    s->nc = (uint32_t)m->classes[0].count;
    s->nf = (uint64_t)m->n_features;
    s->kind = kind_of(m);
    /* 1.7 replaced scipy.special.logsumexp by sklearn.utils._array_api._logsumexp */
    s->sklearn_logsumexp = mc_kernel_version_at_least(m, 1, 7);
    *methods = 1u << MC_METHOD_PREDICT | 1u << MC_METHOD_PREDICT_PROBA |
               1u << MC_METHOD_PREDICT_LOG_PROBA;
    return s->kind == NB_GAUSSIAN ? prepare_gaussian(m, s, err) : prepare_discrete(m, s, err);
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    nb *s = calloc(1, sizeof *s);
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

/* ---- joint log likelihood ------------------------------------------------- */

/* GaussianNB, class c, one row; t is scratch of nf values. */
static double gaussian_jll(const nb *s, uint32_t c, const double *x, double *t)
{
    const double *theta = s->theta + c * s->nf, *var = s->var + c * s->nf;
    for (uint64_t j = 0; j < s->nf; j++) {
        double d = x[j] - theta[j];
        t[j] = (d * d) / var[j];
    }
    double n_ij = s->norm[c] - 0.5 * mc_pairwise_sum(t, s->nf);
    return s->bias[c] + n_ij;
}

/* Discrete models, class c, one (binarized) row: X @ W.T (+ bias). */
static double discrete_jll(const nb *s, uint32_t c, const double *x)
{
    const double *w = s->w + c * s->nf;
    double acc = 0.0;
    for (uint64_t j = 0; j < s->nf; j++)
        acc += x[j] * w[j];
    return s->bias ? acc + s->bias[c] : acc;
}

/* binarize: x > threshold becomes 1, anything else 0. */
static void binarize_block(const nb *s, const double *X, uint64_t rows, double *xb)
{
    for (uint64_t i = 0; i < rows * s->nf; i++)
        xb[i] = X[i] > s->threshold ? 1.0 : 0.0;
}

/* jll (rows x nc) of a block, class by class; t is scratch of nf values. */
static void jll_block(const nb *s, const double *X, uint64_t rows, double *jll, double *t)
{
    for (uint32_t c = 0; c < s->nc; c++)
        for (uint64_t r = 0; r < rows; r++) {
            const double *x = X + r * s->nf;
            jll[r * s->nc + c] = s->kind == NB_GAUSSIAN ? gaussian_jll(s, c, x, t)
                                                        : discrete_jll(s, c, x);
        }
}

/* ---- normalisation -------------------------------------------------------- */

static double row_max(const double *a, uint32_t n)
{
    double max = a[0]; /* np.max: NaN wins */
    for (uint32_t i = 1; i < n && !isnan(max); i++)
        if (isnan(a[i]) || a[i] > max)
            max = a[i];
    return max;
}

/* scipy.special.logsumexp (scipy < 1.15): log(sum(exp(a - max))) + max,
 * with a non-finite max replaced by 0.  t is scratch of n values. */
static double logsumexp_scipy(const double *a, uint32_t n, double *t)
{
    double max = row_max(a, n);
    if (!isfinite(max))
        max = 0;
    for (uint32_t i = 0; i < n; i++)
        t[i] = exp(a[i] - max);
    double out = log(mc_pairwise_sum(t, n));
    out += max;
    return out;
}

/* sklearn.utils._array_api._logsumexp (1.7+): the maxima are left out of
 * the sum and counted instead: log1p(s / m) + log(m) + max. */
static double logsumexp_sklearn(const double *a, uint32_t n, double *t)
{
    double max = row_max(a, n), m = 0;
    double shift = isfinite(max) ? max : 0;
    for (uint32_t i = 0; i < n; i++) {
        int is_max = a[i] == max;
        m += is_max;
        t[i] = exp((is_max ? -INFINITY : a[i]) - shift);
    }
    double s = mc_pairwise_sum(t, n);
    s = s == 0 ? s : s / m;
    return log1p(s) + log(m) + max;
}

/* np.argmax: the first maximum, or the first NaN. */
static int64_t argmax(const double *v, uint32_t n)
{
    uint32_t best = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            return i;
        if (v[i] > v[best])
            best = i;
    }
    return best;
}

/* The output of `method` for one row from its jll; t is scratch of nc. */
static void finish_row(const nb *s, mc_method method, const double *jll, void *out, uint64_t row,
                       double *t)
{
    uint32_t k = s->nc;
    if (method == MC_METHOD_PREDICT) {
        ((int64_t *)out)[row] = argmax(jll, k);
        return;
    }
    double lse = s->sklearn_logsumexp ? logsumexp_sklearn(jll, k, t) : logsumexp_scipy(jll, k, t);
    double *o = (double *)out + row * k;
    for (uint32_t c = 0; c < k; c++) {
        o[c] = jll[c] - lse;
        if (method == MC_METHOD_PREDICT_PROBA)
            o[c] = exp(o[c]);
    }
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const nb *s = state;
    if (ncols != s->nf)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %llu",
                            (unsigned long long)ncols, m->estimator, (unsigned long long)s->nf);
    /* validate_data: NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    void *o = method == MC_METHOD_PREDICT ? (void *)mc_output_i64(out, 0, n, 0, err)
                                          : (void *)mc_output_f64(out, 0, n, s->nc, err);
    double *jll = new_doubles(BLOCK_ROWS, s->nc);
    double *t = new_doubles(s->nf > s->nc ? s->nf : s->nc, 1);
    double *xb = s->binarize ? new_doubles(BLOCK_ROWS, s->nf) : NULL;
    if (!o || !jll || !t || (s->binarize && !xb)) {
        free(jll);
        free(t);
        free(xb);
        return nomem(err);
    }
    for (uint64_t r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
        uint64_t rows = n - r0 < BLOCK_ROWS ? n - r0 : BLOCK_ROWS;
        const double *xs = X + r0 * s->nf;
        if (xb) {
            binarize_block(s, xs, rows, xb);
            xs = xb;
        }
        jll_block(s, xs, rows, jll, t);
        for (uint64_t r = 0; r < rows; r++)
            finish_row(s, method, jll + r * s->nc, o, r0 + r, t);
    }
    free(jll);
    free(t);
    free(xb);
    return MC_OK;
}

const mc_kernel mc_kernel_naive_bayes = {.family = "naive_bayes", .prepare = prepare,
                                         .release = release, .run = run};
