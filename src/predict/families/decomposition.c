/* PCA, IncrementalPCA and TruncatedSVD: transform, and PCA's score_samples
 * (sklearn/decomposition/_base.py, _pca.py, _truncated_svd.py; version
 * differences in schemas/families/decomposition.md).  Dot products run in
 * index order where BLAS blocks and fuses them: results agree within
 * rounding (1e-12 relative), not bit for bit.  prepare() computes what
 * depends on the model only (the projected mean, the whitening divisors,
 * the precision matrix and its log-determinant); run() projects rows. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "predict/kernel.h"

typedef struct decomposition {
    uint64_t nf, nc;         /* input features, components */
    const double *comp;      /* components, nc x nf */
    const double *mean;      /* nf (PCA, IncrementalPCA); NULL for TruncatedSVD */
    double *mean_proj;       /* nc: mean @ components.T (centring after, >= 1.5) */
    double *divisor;         /* nc whitening divisors; NULL without whiten */
    double *precision_t;     /* get_precision() transposed, nf x nf (PCA);
                                NULL when get_precision raises */
    double loglike_const;    /* 0.5 * (nf * log(2 pi) - logdet(precision)) */
} decomposition;

enum { BLOCK_ROWS = 64 };

static void release(void *state)
{
    decomposition *s = state;
    if (!s)
        return;
    free(s->mean_proj);
    free(s->divisor);
    free(s->precision_t);
    free(s);
}

static int is_class(const mc_model *m, const char *name)
{
    const char *dot = strrchr(m->estimator, '.');
    return strcmp(dot ? dot + 1 : m->estimator, name) == 0;
}

static mc_status fail(const mc_model *m, mc_error *err, const char *why)
{
    return mc_error_set(err, MC_E_INPUT, -1, "%s: %s", m->estimator, why);
}

static mc_status nomem(mc_error *err)
{
    return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
}

/* a x b doubles, zeroed; NULL on overflow or no memory */
static double *new_matrix(uint64_t a, uint64_t b)
{
    uint64_t n;
    if (mc_mul_u64(a, b, &n) || n > SIZE_MAX / sizeof(double))
        return NULL;
    return calloc(n ? (size_t)n : 1, sizeof(double));
}

/* A float64 tensor of `count` values, or NULL (err set). */
static const double *vector(const mc_model *m, const char *name, uint64_t count, mc_error *err)
{
    const mc_tensor *t = mc_kernel_tensor(m, name, MC_ELEM_F64, err);
    if (t && t->count != count) {
        fail(m, err, "a tensor's length does not match the components");
        return NULL;
    }
    return t ? t->data.f64 : NULL;
}

/* ---- linear algebra for get_precision (prepare only) --------------------- */

/* LU factorisation with partial pivoting, in place (as LAPACK getrf):
 * a = P L U, L unit lower; piv[j] is the row swapped with row j.  *sign
 * gets the permutation's sign.  Returns -1 when a pivot is exactly zero
 * (singular). */
static int lu_factor(double *a, uint64_t n, uint64_t *piv, int *sign)
{
    *sign = 1;
    for (uint64_t j = 0; j < n; j++) {
        uint64_t p = j;
        for (uint64_t i = j + 1; i < n; i++)
            if (fabs(a[i * n + j]) > fabs(a[p * n + j]))
                p = i;
        piv[j] = p;
        if (p != j) {
            for (uint64_t k = 0; k < n; k++) {
                double t = a[j * n + k];
                a[j * n + k] = a[p * n + k];
                a[p * n + k] = t;
            }
            *sign = -*sign;
        }
        double d = a[j * n + j];
        if (d == 0.0)
            return -1;
        for (uint64_t i = j + 1; i < n; i++) {
            double l = a[i * n + j] /= d;
            for (uint64_t k = j + 1; k < n; k++)
                a[i * n + k] -= l * a[j * n + k];
        }
    }
    return 0;
}

/* inv = a^-1 (n x n; a is overwritten).  -1 when singular (scipy's
 * linalg.inv raises LinAlgError), -2 when out of memory. */
static int invert(double *a, uint64_t n, double *inv)
{
    uint64_t *piv = malloc((n ? n : 1) * sizeof *piv);
    int sign, rc = piv ? lu_factor(a, n, piv, &sign) : -2;
    for (uint64_t c = 0; rc == 0 && c < n; c++) {
        double *x = inv + c; /* column c, stride n */
        for (uint64_t i = 0; i < n; i++)
            x[i * n] = i == c ? 1.0 : 0.0;
        for (uint64_t i = 0; i < n; i++) { /* P e_c: the row swaps, in order */
            double t = x[i * n];
            x[i * n] = x[piv[i] * n];
            x[piv[i] * n] = t;
        }
        for (uint64_t i = 0; i < n; i++) /* L y = P e_c */
            for (uint64_t k = 0; k < i; k++)
                x[i * n] -= a[i * n + k] * x[k * n];
        for (uint64_t i = n; i-- > 0;) { /* U x = y */
            for (uint64_t k = i + 1; k < n; k++)
                x[i * n] -= a[i * n + k] * x[k * n];
            x[i * n] /= a[i * n + i];
        }
    }
    free(piv);
    return rc;
}

/* fast_logdet (sklearn/utils/extmath.py): log|det a| from numpy's slogdet,
 * -inf unless the determinant is positive.  a is overwritten; -2 when out
 * of memory. */
static int logdet(double *a, uint64_t n, double *out)
{
    uint64_t *piv = malloc((n ? n : 1) * sizeof *piv);
    if (!piv)
        return -2;
    int sign;
    double ld = 0.0;
    if (lu_factor(a, n, piv, &sign) == 0) {
        for (uint64_t i = 0; i < n; i++) {
            double d = a[i * n + i];
            sign = d < 0 ? -sign : sign;
            ld += log(fabs(d));
        }
    } else {
        sign = 0;
    }
    free(piv);
    *out = sign > 0 ? ld : -INFINITY;
    return 0;
}

/* ---- get_precision (sklearn/decomposition/_base.py) ---------------------- */

/* What get_precision reads. */
typedef struct pca_model {
    uint64_t nf, nc;
    double *w;              /* components, times sqrt(explained_variance) if whiten */
    double *diff;           /* explained_variance - noise_variance, floored at 0 */
    double nv;              /* noise_variance_ */
} pca_model;

/* get_covariance: (w.T * diff) @ w, then nv added to the diagonal. */
static void covariance(const pca_model *p, double *cov)
{
    uint64_t nf = p->nf;
    for (uint64_t i = 0; i < nf; i++)
        for (uint64_t j = 0; j < nf; j++) {
            double acc = 0.0;
            for (uint64_t c = 0; c < p->nc; c++)
                acc += p->w[c * nf + i] * p->diff[c] * p->w[c * nf + j];
            cov[i * nf + j] = acc;
        }
    for (uint64_t i = 0; i < nf; i++)
        cov[i * nf + i] += p->nv;
}

/* inner = w @ w.T / nv, plus 1 / diff on the diagonal (k x k). */
static void lemma_inner(const pca_model *p, double *inner)
{
    uint64_t nf = p->nf, k = p->nc;
    for (uint64_t a = 0; a < k; a++)
        for (uint64_t b = 0; b < k; b++) {
            double acc = 0.0;
            for (uint64_t j = 0; j < nf; j++)
                acc += p->w[a * nf + j] * p->w[b * nf + j];
            inner[a * k + b] = acc / p->nv;
        }
    for (uint64_t a = 0; a < k; a++)
        inner[a * k + a] += 1.0 / p->diff[a];
}

/* The matrix inversion lemma: precision = w.T @ inv(inner) @ w / -(nv**2),
 * plus 1 / nv on the diagonal.  The product is associated as 1.2 does,
 * C.T.dot(inv.dot(C)); 1.4+ computes (C.T @ inv) @ C, the same sums up to
 * rounding.  Returns -1 when inner is singular, -2 when out of memory. */
static int precision_by_lemma(const pca_model *p, double *prec)
{
    uint64_t nf = p->nf, k = p->nc;
    double *inner = new_matrix(k, k), *inv = new_matrix(k, k), *t = new_matrix(k, nf);
    int rc = inner && inv && t ? 0 : -2;
    if (rc == 0) {
        lemma_inner(p, inner);
        rc = invert(inner, k, inv);
    }
    for (uint64_t a = 0; rc == 0 && a < k; a++) /* t = inv @ w */
        for (uint64_t j = 0; j < nf; j++) {
            double acc = 0.0;
            for (uint64_t b = 0; b < k; b++)
                acc += inv[a * k + b] * p->w[b * nf + j];
            t[a * nf + j] = acc;
        }
    double scale = -(p->nv * p->nv); /* precision /= -(nv**2) */
    for (uint64_t i = 0; rc == 0 && i < nf; i++)
        for (uint64_t j = 0; j < nf; j++) {
            double acc = 0.0;
            for (uint64_t a = 0; a < k; a++)
                acc += p->w[a * nf + i] * t[a * nf + j];
            prec[i * nf + j] = acc / scale;
        }
    for (uint64_t i = 0; rc == 0 && i < nf; i++)
        prec[i * nf + i] += 1.0 / p->nv;
    free(inner);
    free(inv);
    free(t);
    return rc;
}

/* get_precision; -1 when it raises (a singular matrix), -2 out of memory. */
static int precision(const pca_model *p, double *prec)
{
    uint64_t nf = p->nf;
    if (p->nc == 0) { /* np.eye(n_features) / noise_variance_ */
        for (uint64_t i = 0; i < nf; i++)
            for (uint64_t j = 0; j < nf; j++)
                prec[i * nf + j] = (i == j ? 1.0 : 0.0) / p->nv;
        return 0;
    }
    if (p->nv != 0.0) /* 1.2's np.isclose(nv, 0.0, atol=0.0) is nv == 0 too */
        return precision_by_lemma(p, prec);
    double *cov = new_matrix(nf, nf); /* linalg.inv(get_covariance()) */
    int rc = cov ? 0 : -2;
    if (rc == 0) {
        covariance(p, cov);
        rc = invert(cov, nf, prec);
    }
    free(cov);
    return rc;
}

/* max(ev - nv, 0) as each version writes it: 1.2 np.maximum (NaN stays),
 * 1.4+ xp.where(ev > nv, ev - nv, 0) (NaN gives 0). */
static double variance_excess(double ev, double nv, int where_rule)
{
    double d = ev - nv;
    if (where_rule)
        return ev > nv ? d : 0.0;
    return isnan(d) || d >= 0.0 ? d : 0.0;
}

/* The inputs of get_precision: components (scaled by sqrt(explained
 * variance) when whiten) and the variance excesses. */
static void precision_inputs(const mc_model *m, const decomposition *s, const double *ev,
                             pca_model *p)
{
    int64_t whiten = 0;
    mc_value_to_int64(mc_model_param(m, "whiten"), &whiten);
    int where_rule = mc_kernel_version_at_least(m, 1, 4);
    for (uint64_t c = 0; c < s->nc; c++) {
        double f = sqrt(ev[c]); /* components_ * np.sqrt(exp_var[:, np.newaxis]) */
        for (uint64_t j = 0; j < s->nf; j++)
            p->w[c * s->nf + j] = whiten ? s->comp[c * s->nf + j] * f : s->comp[c * s->nf + j];
        p->diff[c] = variance_excess(ev[c], p->nv, where_rule);
    }
}

/* The precision matrix (transposed, for run) and the log-likelihood's
 * constant; s->precision_t stays NULL when get_precision would raise. */
static mc_status prepare_score(const mc_model *m, decomposition *s, const double *ev,
                               mc_error *err)
{
    uint64_t nf = s->nf;
    pca_model p = {nf, s->nc, NULL, NULL, 0};
    if (mc_value_to_double(mc_model_state(m, "noise_variance_"), &p.nv))
        return fail(m, err, "noise_variance_ is missing or not a number");
    p.w = new_matrix(s->nc, nf);
    p.diff = new_matrix(s->nc, 1);
    double *prec = new_matrix(nf, nf), *lu = new_matrix(nf, nf);
    s->precision_t = new_matrix(nf, nf);
    int rc = p.w && p.diff && prec && lu && s->precision_t ? 0 : -2;
    if (rc == 0) {
        precision_inputs(m, s, ev, &p);
        rc = precision(&p, prec);
    }
    double ld = 0.0;
    if (rc == 0) {
        memcpy(lu, prec, nf * nf * sizeof *lu);
        rc = logdet(lu, nf, &ld);
    }
    for (uint64_t i = 0; rc == 0 && i < nf; i++)
        for (uint64_t j = 0; j < nf; j++)
            s->precision_t[j * nf + i] = prec[i * nf + j];
    /* log_like -= 0.5 * (n_features * log(2.0 * np.pi) - fast_logdet(precision)) */
    s->loglike_const = 0.5 * ((double)nf * log(2.0 * 3.141592653589793) - ld);
    free(p.w);
    free(p.diff);
    free(prec);
    free(lu);
    if (rc == -1) { /* score_samples raises, as scikit-learn does */
        free(s->precision_t);
        s->precision_t = NULL;
    }
    return rc == -2 ? nomem(err) : MC_OK;
}

/* ---- prepare ------------------------------------------------------------- */

/* Centring and whitening of PCA and IncrementalPCA. */
static mc_status prepare_pca(const mc_model *m, decomposition *s, const double *ev,
                             mc_error *err)
{
    if (!(s->mean = vector(m, "mean", s->nf, err)))
        return MC_E_INPUT;
    int64_t whiten = 0;
    mc_value_to_int64(mc_model_param(m, "whiten"), &whiten);
    /* 1.5 centres after projecting and floors the divisor at eps
     * (sklearn 1.5 decomposition/_base.py, _BasePCA._transform) */
    int after = mc_kernel_version_at_least(m, 1, 5);
    if (after && !(s->mean_proj = new_matrix(s->nc, 1)))
        return nomem(err);
    for (uint64_t c = 0; after && c < s->nc; c++) {
        double acc = 0.0; /* xp.reshape(self.mean_, (1, -1)) @ self.components_.T */
        for (uint64_t j = 0; j < s->nf; j++)
            acc += s->mean[j] * s->comp[c * s->nf + j];
        s->mean_proj[c] = acc;
    }
    if (!whiten)
        return MC_OK;
    if (!(s->divisor = new_matrix(s->nc, 1)))
        return nomem(err);
    for (uint64_t c = 0; c < s->nc; c++) {
        s->divisor[c] = sqrt(ev[c]);
        if (after && s->divisor[c] < DBL_EPSILON)
            s->divisor[c] = DBL_EPSILON;
    }
    return MC_OK;
}

static mc_status setup(const mc_model *m, decomposition *s, unsigned *methods, mc_error *err)
{
    const mc_tensor *c = mc_kernel_tensor(m, "components", MC_ELEM_F64, err);
    if (!c)
        return MC_E_INPUT;
    if (c->ndim != 2 || (m->n_features >= 0 && c->shape[1] != m->n_features))
        return fail(m, err, "components_ is not (n_components, n_features)");
    s->nc = (uint64_t)c->shape[0];
    s->nf = (uint64_t)c->shape[1];
    s->comp = c->data.f64;
    *methods = 1u << MC_METHOD_TRANSFORM;
    if (is_class(m, "TruncatedSVD"))
        return MC_OK;
    if (!is_class(m, "PCA") && !is_class(m, "IncrementalPCA"))
        return fail(m, err, "not a decomposition modelconv predicts with");
    const double *ev = vector(m, "explained_variance", s->nc, err);
    mc_status st = ev ? prepare_pca(m, s, ev, err) : MC_E_INPUT;
    if (st || !is_class(m, "PCA"))
        return st;
    *methods |= 1u << MC_METHOD_SCORE_SAMPLES; /* PCA.score_samples */
    return prepare_score(m, s, ev, err);
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    decomposition *s = calloc(1, sizeof *s);
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

/* ---- run ----------------------------------------------------------------- */

/* transform of `rows` rows into out (rows x nc), one component at a time so
 * that its row of components_ stays in cache across the block. */
static void project_block(const decomposition *s, const double *X, uint64_t rows, double *out)
{
    uint64_t nf = s->nf, nc = s->nc;
    for (uint64_t c = 0; c < nc; c++) {
        const double *w = s->comp + c * nf;
        for (uint64_t r = 0; r < rows; r++) {
            const double *x = X + r * nf;
            double acc = 0.0;
            if (s->mean && !s->mean_proj) /* before 1.5: (X - mean_) @ components_.T */
                for (uint64_t j = 0; j < nf; j++)
                    acc += (x[j] - s->mean[j]) * w[j];
            else /* X @ components_.T, then - mean_ @ components_.T */
                for (uint64_t j = 0; j < nf; j++)
                    acc += x[j] * w[j];
            if (s->mean_proj)
                acc -= s->mean_proj[c];
            out[r * nc + c] = s->divisor ? acc / s->divisor[c] : acc;
        }
    }
}

/* PCA.score_samples of one row; xr is scratch of nf values. */
static double loglike_row(const decomposition *s, const double *x, double *xr)
{
    uint64_t nf = s->nf;
    for (uint64_t j = 0; j < nf; j++)
        xr[j] = x[j] - s->mean[j];
    double q = 0.0; /* sum(Xr * (Xr @ precision), axis=1) */
    for (uint64_t k = 0; k < nf; k++) {
        const double *col = s->precision_t + k * nf;
        double acc = 0.0;
        for (uint64_t j = 0; j < nf; j++)
            acc += xr[j] * col[j];
        q += xr[k] * acc;
    }
    return -0.5 * q - s->loglike_const;
}

static mc_status score_samples(const decomposition *s, const mc_model *m, const double *X,
                               uint64_t n, mc_outputs *out, mc_error *err)
{
    if (!s->precision_t)
        return mc_error_set(err, MC_E_INPUT, -1,
                            "%s: the precision matrix is singular (scikit-learn raises "
                            "LinAlgError)",
                            m->estimator);
    double *xr = new_matrix(s->nf, 1);
    double *o = xr ? mc_output_f64(out, 0, n, 0, err) : NULL;
    if (!o) {
        free(xr);
        return nomem(err);
    }
    for (uint64_t r = 0; r < n; r++)
        o[r] = loglike_row(s, X + r * s->nf, xr);
    free(xr);
    return MC_OK;
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const decomposition *s = state;
    if (ncols != s->nf)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %llu",
                            (unsigned long long)ncols, m->estimator, (unsigned long long)s->nf);
    /* validate_data with ensure_all_finite=True: NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    if (method == MC_METHOD_SCORE_SAMPLES)
        return score_samples(s, m, X, n, out, err);
    double *o = mc_output_f64(out, 0, n, s->nc, err);
    if (!o)
        return MC_E_NOMEM;
    out->parts[0].ndim = 2; /* (n, 0) for zero components */
    for (uint64_t r = 0; r < n; r += BLOCK_ROWS)
        project_block(s, X + r * ncols, n - r < BLOCK_ROWS ? n - r : BLOCK_ROWS, o + r * s->nc);
    return MC_OK;
}

const mc_kernel mc_kernel_decomposition = {"decomposition", prepare, release, run};
