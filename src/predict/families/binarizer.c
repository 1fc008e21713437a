/* Binarizer transform, bit for bit (sklearn/preprocessing/_data.py,
 * binarize: X[X > threshold] = 1, the rest 0, compared in float64). */
#include <stdlib.h>

#include "predict/kernel.h"

typedef struct binarizer {
    double threshold;
} binarizer;

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    const mc_value *t = mc_model_param(m, "threshold");
    double threshold = 0.0; /* the default */
    if (t && mc_value_to_double(t, &threshold))
        return mc_error_set(err, MC_E_INPUT, -1, "%s: threshold is not a number", m->estimator);
    binarizer *s = malloc(sizeof *s);
    if (!s)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    s->threshold = threshold;
    *state = s;
    *methods = 1u << MC_METHOD_TRANSFORM;
    return MC_OK;
}

static void release(void *state)
{
    free(state);
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    (void)method; /* transform is the only method */
    const binarizer *s = state;
    /* validate_data with ensure_all_finite=True: NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    double *o = mc_output_f64(out, 0, n, ncols, err);
    if (!o)
        return MC_E_NOMEM;
    uint64_t count = n * ncols;
    for (uint64_t i = 0; i < count; i++)
        o[i] = X[i] > s->threshold ? 1.0 : 0.0;
    return MC_OK;
}

const mc_kernel mc_kernel_binarizer = {"binarizer", prepare, release, run};
