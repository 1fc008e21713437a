/* Scalers: StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler
 * transform, bit for bit (sklearn/preprocessing/_data.py, same in 1.2 and
 * 1.9).  scikit-learn works in place on a float64 copy of X, one whole-array
 * numpy operation after the other; each element goes through the same IEEE
 * operations in the same order here.  The build is ISO C (no FP
 * contraction), so x * scale + min is never fused into one rounding. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "predict/kernel.h"

/* The steps of a transform, in scikit-learn's order; NULL = not applied. */
typedef struct scaler {
    uint64_t nf;
    const double *sub;  /* x -= sub[j]  */
    const double *div;  /* x /= div[j]  */
    const double *mul;  /* x *= mul[j]  */
    const double *add;  /* x += add[j]  */
    int clip;           /* np.clip(x, lo, hi) */
    double lo, hi;
} scaler;

enum { BLOCK_ROWS = 256 };

static int flag(const mc_model *m, const char *name, int dflt)
{
    int64_t v;
    return mc_value_to_int64(mc_model_param(m, name), &v) ? dflt : v != 0;
}

static int is_class(const mc_model *m, const char *name)
{
    const char *dot = strrchr(m->estimator, '.');
    return strcmp(dot ? dot + 1 : m->estimator, name) == 0;
}

/* The tensor `name` when `wanted`, else NULL; *ok = 0 when wanted but absent. */
static const double *step(const mc_model *m, int wanted, const char *name, int *ok,
                          mc_error *err)
{
    if (!wanted || !*ok)
        return NULL;
    const mc_tensor *t = mc_kernel_tensor(m, name, MC_ELEM_F64, err);
    if (!t) {
        *ok = 0;
        return NULL;
    }
    return t->data.f64;
}

/* feature_range of MinMaxScaler: a pair of numbers. */
static int feature_range(const mc_model *m, double *lo, double *hi)
{
    const mc_value *r = mc_model_param(m, "feature_range");
    if (!r) {
        *lo = 0, *hi = 1; /* the default */
        return 0;
    }
    if (mc_value_len(r) != 2 || mc_value_to_double(mc_value_item(r, 0), lo) ||
        mc_value_to_double(mc_value_item(r, 1), hi))
        return -1;
    return 0;
}

static mc_status plan(const mc_model *m, scaler *s, mc_error *err)
{
    int ok = 1;
    if (is_class(m, "StandardScaler")) {
        s->sub = step(m, flag(m, "with_mean", 1), "mean", &ok, err);
        s->div = step(m, flag(m, "with_std", 1), "scale", &ok, err);
    } else if (is_class(m, "MinMaxScaler")) {
        s->mul = step(m, 1, "scale", &ok, err);
        s->add = step(m, 1, "min", &ok, err);
        s->clip = flag(m, "clip", 0); /* parameter since 0.24 */
        if (s->clip && feature_range(m, &s->lo, &s->hi))
            return mc_error_set(err, MC_E_INPUT, -1, "%s: feature_range is not a pair of numbers",
                                m->estimator);
    } else if (is_class(m, "MaxAbsScaler")) {
        s->div = step(m, 1, "scale", &ok, err);
        s->clip = flag(m, "clip", 0); /* parameter since 1.8 */
        s->lo = -1.0, s->hi = 1.0;
    } else if (is_class(m, "RobustScaler")) {
        s->sub = step(m, flag(m, "with_centering", 1), "center", &ok, err);
        s->div = step(m, flag(m, "with_scaling", 1), "scale", &ok, err);
    } else {
        return mc_error_set(err, MC_E_INPUT, -1, "unsupported scaler %s", m->estimator);
    }
    return ok ? MC_OK : MC_E_INPUT;
}

/* Every tensor has one value per feature: that is the input width. */
static mc_status width(const mc_model *m, scaler *s, mc_error *err)
{
    s->nf = m->n_features >= 0 ? (uint64_t)m->n_features : 0;
    for (uint32_t i = 0; i < m->ntensors; i++) {
        const mc_tensor *t = &m->tensors[i];
        if (m->n_features < 0 && i == 0)
            s->nf = t->count;
        if (t->count != s->nf)
            return mc_error_set(err, MC_E_INPUT, -1, "%s: tensor '%s' has %llu values for %llu "
                                "features", m->estimator, t->name,
                                (unsigned long long)t->count, (unsigned long long)s->nf);
    }
    return MC_OK;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    scaler *s = calloc(1, sizeof *s);
    if (!s)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    mc_status st = plan(m, s, err);
    if (!st)
        st = width(m, s, err);
    if (st) {
        free(s);
        return st;
    }
    *state = s;
    *methods = 1u << MC_METHOD_TRANSFORM;
    return MC_OK;
}

static void release(void *state)
{
    free(state);
}

/* numpy's clip for floats: _NPY_MIN(_NPY_MAX(x, lo), hi), where a NaN x
 * stays NaN (numpy/_core/src/umath/clip.cpp). */
static double np_clip(double x, double lo, double hi)
{
    if (isnan(x))
        return x;
    x = x > lo ? x : lo;
    return x < hi ? x : hi;
}

typedef enum { OP_SUB, OP_DIV, OP_MUL, OP_ADD, OP_CLIP } scale_op;

/* One numpy in-place operation (x op= v, broadcast over rows) on a block. */
static void columnwise(const scaler *s, scale_op op, const double *v, double *x, uint64_t rows)
{
    uint64_t nf = s->nf;
    for (uint64_t r = 0; r < rows; r++, x += nf) {
        switch (op) {
        case OP_SUB: for (uint64_t j = 0; j < nf; j++) x[j] -= v[j]; break;
        case OP_DIV: for (uint64_t j = 0; j < nf; j++) x[j] /= v[j]; break;
        case OP_MUL: for (uint64_t j = 0; j < nf; j++) x[j] *= v[j]; break;
        case OP_ADD: for (uint64_t j = 0; j < nf; j++) x[j] += v[j]; break;
        case OP_CLIP: for (uint64_t j = 0; j < nf; j++) x[j] = np_clip(x[j], s->lo, s->hi); break;
        }
    }
}

/* One block of rows, each step over the whole block as numpy does it. */
static void scale_block(const scaler *s, const double *X, uint64_t rows, double *out)
{
    memcpy(out, X, rows * s->nf * sizeof *out);
    if (s->sub)
        columnwise(s, OP_SUB, s->sub, out, rows);
    if (s->div)
        columnwise(s, OP_DIV, s->div, out, rows);
    if (s->mul)
        columnwise(s, OP_MUL, s->mul, out, rows);
    if (s->add)
        columnwise(s, OP_ADD, s->add, out, rows);
    if (s->clip)
        columnwise(s, OP_CLIP, NULL, out, rows);
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    (void)method; /* transform is the only method */
    const scaler *s = state;
    if (ncols != s->nf)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %llu",
                            (unsigned long long)ncols, m->estimator, (unsigned long long)s->nf);
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALLOW_NAN, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    double *o = mc_output_f64(out, 0, n, ncols, err);
    if (!o)
        return MC_E_NOMEM;
    for (uint64_t r = 0; r < n; r += BLOCK_ROWS) {
        uint64_t rows = n - r < BLOCK_ROWS ? n - r : BLOCK_ROWS;
        scale_block(s, X + r * ncols, rows, o + r * ncols);
    }
    return MC_OK;
}

const mc_kernel mc_kernel_scaler = {"scaler", prepare, release, run};
