/* SimpleImputer transform on numeric data, bit for bit
 * (sklearn/impute/_base.py, SimpleImputer.transform and
 * MissingIndicator.transform; version differences in
 * schemas/families/imputer.md).  prepare() decides the kept columns and
 * their fill values once; run() only copies and fills. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "predict/kernel.h"

typedef struct imputer {
    uint64_t nf;          /* input columns */
    int missing_is_nan;   /* missing_values is NaN, else `missing` */
    double missing;
    uint64_t nkept;       /* output columns taken from X ... */
    uint64_t *kept;       /* ... these input columns, in order */
    double *fill;         /* the statistic that replaces a missing entry */
    uint64_t nind;        /* then one 0/1 column per input column ... */
    const int64_t *ind;   /* ... listed here (indicator_.features_) */
} imputer;

static void release(void *state)
{
    imputer *s = state;
    if (!s)
        return;
    free(s->kept);
    free(s->fill);
    free(s);
}

static int flag(const mc_model *m, const char *name, int dflt)
{
    int64_t v;
    return mc_value_to_int64(mc_model_param(m, name), &v) ? dflt : v != 0;
}

static mc_status fail(const mc_model *m, mc_error *err, const char *why)
{
    return mc_error_set(err, MC_E_INPUT, -1, "%s: %s", m->estimator, why);
}

/* missing_values: NaN (the default) or a number. */
static mc_status missing_value(const mc_model *m, imputer *s, mc_error *err)
{
    const mc_value *v = mc_model_param(m, "missing_values");
    double d = NAN;
    if (v && mc_value_to_double(v, &d))
        return fail(m, err, "missing_values is not a number (only numeric data is imputed)");
    s->missing_is_nan = isnan(d);
    s->missing = d;
    return MC_OK;
}

/* Since 1.8 transform casts the statistics to _fill_dtype, the dtype of the
 * data seen in fit (sklearn 1.8 impute/_base.py: statistics.astype(
 * self._fill_dtype)).  Earlier versions have no _fill_dtype. */
static mc_status fill_value(const mc_model *m, double stat, double *out, mc_error *err)
{
    const mc_value *v = mc_model_state(m, "_fill_dtype");
    *out = stat;
    if (!v || v->kind != MC_DTYPE || !v->u.dtype)
        return MC_OK;
    const mc_dtype *dt = v->u.dtype;
    if (dt->kind == 'f' && dt->itemsize == 8)
        return MC_OK;
    if (dt->kind == 'f' && dt->itemsize == 4) {
        *out = (double)(float)stat;
        return MC_OK;
    }
    if ((dt->kind == 'i' || dt->kind == 'u') && dt->itemsize <= 8) {
        /* float to integer truncates toward zero; the statistics of integer
         * data are whole numbers in range, anything else is refused */
        double lim = ldexp(1.0, (int)dt->itemsize * 8 - (dt->kind == 'i'));
        double lo = dt->kind == 'i' ? -lim : 0;
        if (!(stat >= lo && stat < lim))
            return fail(m, err, "a statistic does not fit the integer dtype of the fit data");
        *out = trunc(stat);
        return MC_OK;
    }
    return fail(m, err, "fitted on data of a dtype modelconv does not impute");
}

/* The columns transform keeps: a NaN statistic drops its column unless
 * keep_empty_features; before 1.8 strategy='constant' kept every column
 * (sklearn 1.7 impute/_base.py: `if self.strategy == "constant" or
 * self.keep_empty_features`). */
static mc_status kept_columns(const mc_model *m, const mc_tensor *stats, imputer *s,
                              mc_error *err)
{
    int keep_all = flag(m, "keep_empty_features", 0) ||
                   (!mc_kernel_version_at_least(m, 1, 8) &&
                    mc_value_is_str(mc_model_param(m, "strategy"), "constant"));
    s->kept = malloc((s->nf ? s->nf : 1) * sizeof *s->kept);
    s->fill = malloc((s->nf ? s->nf : 1) * sizeof *s->fill);
    if (!s->kept || !s->fill)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (uint64_t j = 0; j < s->nf; j++) {
        double stat = stats->data.f64[j];
        if (isnan(stat) && !keep_all)
            continue;
        mc_status st = fill_value(m, stat, &s->fill[s->nkept], err);
        if (st)
            return st;
        s->kept[s->nkept++] = j;
    }
    return MC_OK;
}

/* The missing indicator's columns (add_indicator=True). */
static mc_status indicator(const mc_model *m, imputer *s, mc_error *err)
{
    if (!flag(m, "add_indicator", 0))
        return MC_OK;
    const mc_tensor *t = mc_kernel_tensor(m, "indicator_features", MC_ELEM_I64, err);
    if (!t)
        return MC_E_INPUT;
    for (uint64_t k = 0; k < t->count; k++)
        if (t->data.i64[k] < 0 || (uint64_t)t->data.i64[k] >= s->nf)
            return fail(m, err, "indicator_.features_ names a column out of range");
    s->nind = t->count;
    s->ind = t->data.i64;
    return MC_OK;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    const mc_tensor *stats = mc_model_tensor(m, "statistics");
    if (!stats || stats->elem != MC_ELEM_F64)
        return fail(m, err, "statistics_ are not numbers (only numeric data is imputed)");
    if (m->n_features >= 0 && stats->count != (uint64_t)m->n_features)
        return fail(m, err, "statistics_ does not have one value per feature");
    imputer *s = calloc(1, sizeof *s);
    if (!s)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    s->nf = stats->count;
    mc_status st = missing_value(m, s, err);
    if (!st)
        st = kept_columns(m, stats, s, err);
    if (!st)
        st = indicator(m, s, err);
    if (st) {
        release(s);
        return st;
    }
    *state = s;
    *methods = 1u << MC_METHOD_TRANSFORM;
    return MC_OK;
}

static int is_missing(const imputer *s, double x)
{
    return s->missing_is_nan ? isnan(x) : x == s->missing;
}

static void impute_row(const imputer *s, const double *x, double *out)
{
    for (uint64_t k = 0; k < s->nkept; k++) {
        double v = x[s->kept[k]];
        out[k] = is_missing(s, v) ? s->fill[k] : v;
    }
    out += s->nkept;
    for (uint64_t k = 0; k < s->nind; k++)
        out[k] = is_missing(s, x[s->ind[k]]) ? 1.0 : 0.0;
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    (void)method; /* transform is the only method */
    const imputer *s = state;
    if (ncols != s->nf)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %llu",
                            (unsigned long long)ncols, m->estimator, (unsigned long long)s->nf);
    /* scikit-learn validates with allow-nan only when NaN marks the missing */
    mc_status st = mc_kernel_check_finite(
        m, s->missing_is_nan ? MC_FINITE_ALLOW_NAN : MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    uint64_t width = s->nkept + s->nind;
    double *o = mc_output_f64(out, 0, n, width, err);
    if (!o)
        return MC_E_NOMEM;
    out->parts[0].ndim = 2; /* (n, 0) when every column was dropped */
    for (uint64_t r = 0; r < n; r++)
        impute_row(s, X + r * ncols, o + r * width);
    return MC_OK;
}

const mc_kernel mc_kernel_imputer = {"imputer", prepare, release, run};
