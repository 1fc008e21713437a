/* KMeans, MiniBatchKMeans: predict and transform of _BaseKMeans
 * (sklearn/cluster/_kmeans.py, _k_means_lloyd.pyx; metrics/pairwise.py
 * _euclidean_distances; schemas/families/kmeans.md).  prepare() computes the
 * centres' squared norms; run() takes one centre at a time across a block
 * of rows, so the centre stays in cache. */
#include <math.h>
#include <stdlib.h>

#include "predict/kernel.h"

typedef struct kmeans {
    uint64_t nf, k;
    const double *centers; /* k x nf */
    double *norms;         /* row_norms(centers, squared=True) */
} kmeans;

enum { BLOCK_ROWS = 64 };

static void release(void *state)
{
    kmeans *s = state;
    if (!s)
        return;
    free(s->norms);
    free(s);
}

static mc_status fail(const mc_model *m, mc_error *err, const char *why)
{
    return mc_error_set(err, MC_E_INPUT, -1, "%s: %s", m->estimator, why);
}

static double dot(const double *x, const double *y, uint64_t n)
{
    double acc = 0.0;
    for (uint64_t j = 0; j < n; j++)
        acc += x[j] * y[j];
    return acc;
}

static mc_status setup(const mc_model *m, kmeans *s, unsigned *methods, mc_error *err)
{
    const mc_tensor *c = mc_kernel_tensor(m, "cluster_centers", MC_ELEM_F64, err);
    if (!c)
        return MC_E_INPUT;
    if (c->ndim != 2 || c->shape[0] < 1 || (m->n_features >= 0 && c->shape[1] != m->n_features))
        return fail(m, err, "cluster_centers_ is not (n_clusters, n_features)");
    /* the mapping widened float32 centres and kept the original in the state */
    const mc_value *orig = mc_model_state(m, "cluster_centers_");
    if (orig && orig->kind == MC_NDARRAY && orig->u.array.dtype &&
        orig->u.array.dtype->itemsize != 8)
        return fail(m, err, "models fitted on float32 data are not supported (scikit-learn "
                            "raises 'Buffer dtype mismatch' on float64 rows)");
    s->k = (uint64_t)c->shape[0];
    s->nf = (uint64_t)c->shape[1];
    s->centers = c->data.f64;
    if (!(s->norms = malloc(s->k * sizeof *s->norms)))
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (uint64_t j = 0; j < s->k; j++)
        s->norms[j] = dot(s->centers + j * s->nf, s->centers + j * s->nf, s->nf);
    *methods = 1u << MC_METHOD_PREDICT | 1u << MC_METHOD_TRANSFORM;
    return MC_OK;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    kmeans *s = calloc(1, sizeof *s);
    if (!s)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    mc_status st = setup(m, s, methods, err);
    if (st) {
        release(s);
        return st;
    }
    *state = s;
    return MC_OK;
}

/* _update_chunk_dense: pairwise = ||c||^2, then += -2 x.c (GEMM, alpha -2,
 * beta 1); the first strictly smaller value wins. */
static void predict_block(const kmeans *s, const double *X, uint64_t rows, double *best,
                          int64_t *labels)
{
    for (uint64_t j = 0; j < s->k; j++) {
        const double *c = s->centers + j * s->nf;
        for (uint64_t r = 0; r < rows; r++) {
            double d = s->norms[j] + -2.0 * dot(X + r * s->nf, c, s->nf);
            if (j == 0 || d < best[r]) {
                best[r] = d;
                labels[r] = (int64_t)j;
            }
        }
    }
}

/* euclidean_distances: d = -2 x.c; d += ||x||^2; d += ||c||^2;
 * np.maximum(d, 0) (NaN stays); np.sqrt. */
static void transform_block(const kmeans *s, const double *X, uint64_t rows, double *xx,
                            double *out)
{
    for (uint64_t r = 0; r < rows; r++)
        xx[r] = dot(X + r * s->nf, X + r * s->nf, s->nf);
    for (uint64_t j = 0; j < s->k; j++) {
        const double *c = s->centers + j * s->nf;
        for (uint64_t r = 0; r < rows; r++) {
            double d = -2 * dot(X + r * s->nf, c, s->nf);
            d += xx[r];
            d += s->norms[j];
            out[r * s->k + j] = sqrt(d < 0 ? 0 : d);
        }
    }
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const kmeans *s = state;
    if (ncols != s->nf)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %llu",
                            (unsigned long long)ncols, m->estimator, (unsigned long long)s->nf);
    /* _check_test_data (validate_data): NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    int64_t *labels = NULL;
    double *dist = NULL;
    if (method == MC_METHOD_PREDICT)
        labels = mc_output_i64(out, 0, n, 0, err);
    else
        dist = mc_output_f64(out, 0, n, s->k, err);
    if (!labels && !dist)
        return MC_E_NOMEM;
    double scratch[BLOCK_ROWS];
    for (uint64_t r = 0; r < n; r += BLOCK_ROWS) {
        uint64_t rows = n - r < BLOCK_ROWS ? n - r : BLOCK_ROWS;
        if (labels)
            predict_block(s, X + r * ncols, rows, scratch, labels + r);
        else
            transform_block(s, X + r * ncols, rows, scratch, dist + r * s->k);
    }
    return MC_OK;
}

const mc_kernel mc_kernel_kmeans = {.family = "kmeans", .prepare = prepare, .release = release,
                                    .run = run};
