/* Normalizer transform: normalize(X, norm, axis=1) on dense float64 rows
 * (sklearn/preprocessing/_data.py, same in 1.2 and 1.9).  Norms are summed
 * in row order; numpy's pairwise / SIMD sums may round differently, so the
 * results agree within 1e-12 relative, not bit for bit. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "predict/kernel.h"

typedef enum norm_kind { NORM_L1, NORM_L2, NORM_MAX } norm_kind;

typedef struct normalizer {
    norm_kind norm;
} normalizer;

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    const mc_value *v = mc_model_param(m, "norm");
    norm_kind norm;
    if (!v || mc_value_is_str(v, "l2"))
        norm = NORM_L2; /* the default */
    else if (mc_value_is_str(v, "l1"))
        norm = NORM_L1;
    else if (mc_value_is_str(v, "max"))
        norm = NORM_MAX;
    else
        return mc_error_set(err, MC_E_INPUT, -1, "%s: norm is not 'l1', 'l2' or 'max'",
                            m->estimator);
    normalizer *s = malloc(sizeof *s);
    if (!s)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    s->norm = norm;
    *state = s;
    *methods = 1u << MC_METHOD_TRANSFORM;
    return MC_OK;
}

static void release(void *state)
{
    free(state);
}

/* np.abs(X).sum(axis=1), sqrt(einsum("ij,ij->i", X, X)) (row_norms) or
 * np.max(abs(X), axis=1) for one row. */
static double row_norm(norm_kind norm, const double *x, uint64_t ncols)
{
    double acc = 0.0;
    for (uint64_t j = 0; j < ncols; j++) {
        double a = fabs(x[j]);
        if (norm == NORM_L1)
            acc += a;
        else if (norm == NORM_L2)
            acc += x[j] * x[j];
        else if (a > acc)
            acc = a;
    }
    return norm == NORM_L2 ? sqrt(acc) : acc;
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    (void)method; /* transform is the only method */
    const normalizer *s = state;
    /* validate_data with ensure_all_finite=True: NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    double *o = mc_output_f64(out, 0, n, ncols, err);
    if (!o)
        return MC_E_NOMEM;
    for (uint64_t r = 0; r < n; r++) {
        const double *x = X + r * ncols;
        double norm = row_norm(s->norm, x, ncols);
        /* _handle_zeros_in_scale: norms below 10 * eps (zero rows too) are 1 */
        if (norm < 10 * DBL_EPSILON)
            norm = 1.0;
        for (uint64_t j = 0; j < ncols; j++)
            o[r * ncols + j] = x[j] / norm;
    }
    return MC_OK;
}

const mc_kernel mc_kernel_normalizer = {"normalizer", prepare, release, run};
