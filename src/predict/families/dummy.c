/* DummyClassifier / DummyRegressor: the same answer for every row, as
 * sklearn/dummy.py computes it (identical in scikit-learn 1.2.2 and 1.9.1).
 * The input is never looked at (scikit-learn does not validate it either). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "predict/kernel.h"

typedef enum strategy {
    MOST_FREQUENT,
    PRIOR,
    STRATIFIED,
    UNIFORM,
    CONSTANT,
    REGRESSION /* DummyRegressor: every strategy predicts constant_ */
} strategy;

typedef struct dummy {
    strategy strategy;
    int sparse_output;        /* fitted on a sparse target            */
    int64_t n_outputs;
    int64_t *offset;          /* n_outputs + 1: output k's classes    */
    int64_t *label;           /* per output: the class predict gives  */
    double *proba;            /* predict_proba's row, all outputs     */
    const double *constant;   /* DummyRegressor: constant_            */
} dummy;

static void release(void *state)
{
    dummy *d = state;
    if (!d)
        return;
    free(d->offset);
    free(d->label);
    free(d->proba);
    free(d);
}

static const mc_value *fitted_strategy(const mc_model *m)
{
    const mc_value *s = mc_model_state(m, "_strategy");
    return s ? s : mc_model_param(m, "strategy");
}

static mc_status strategy_of(const mc_model *m, strategy *out, mc_error *err)
{
    static const char *const names[] = {"most_frequent", "prior", "stratified", "uniform",
                                        "constant"};
    const mc_value *s = fitted_strategy(m);
    for (int i = 0; s && i < 5; i++) {
        if (mc_value_is_str(s, names[i])) {
            *out = (strategy)i;
            return MC_OK;
        }
    }
    return mc_error_set(err, MC_E_INPUT, -1, "%s: unknown strategy", m->estimator);
}

/* numpy's argmax: the first maximum. */
static int64_t argmax(const double *v, int64_t n)
{
    int64_t best = 0;
    for (int64_t i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    return best;
}

/* The row predict_proba repeats, and the class predict repeats, per output
 * (DummyClassifier.predict_proba / predict). */
static mc_status prepare_classifier(const mc_model *m, dummy *d, mc_error *err)
{
    const mc_tensor *prior = mc_kernel_tensor(m, "class_prior", MC_ELEM_F64, err);
    const mc_tensor *cc = d->strategy == CONSTANT
                              ? mc_kernel_tensor(m, "constant_class", MC_ELEM_I64, err) : NULL;
    if (!prior || (d->strategy == CONSTANT && !cc))
        return MC_E_INPUT;
    d->offset = calloc((size_t)d->n_outputs + 1, sizeof *d->offset);
    d->label = calloc((size_t)d->n_outputs, sizeof *d->label);
    d->proba = calloc(prior->count ? prior->count : 1, sizeof *d->proba);
    if (!d->offset || !d->label || !d->proba)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (int64_t k = 0; k < d->n_outputs; k++)
        d->offset[k + 1] = d->offset[k] + (int64_t)m->classes[k].count;
    if ((uint64_t)d->offset[d->n_outputs] != prior->count)
        return mc_error_set(err, MC_E_INPUT, -1, "%s: class_prior does not match the classes",
                            m->estimator);
    for (int64_t k = 0; k < d->n_outputs; k++) {
        const double *p = prior->data.f64 + d->offset[k];
        double *row = d->proba + d->offset[k];
        int64_t nc = d->offset[k + 1] - d->offset[k];
        d->label[k] = d->strategy == CONSTANT ? cc->data.i64[k] : argmax(p, nc);
        for (int64_t c = 0; c < nc; c++) {
            switch (d->strategy) {
            case PRIOR: row[c] = 1.0 * p[c]; break; /* np.ones((n, 1)) * class_prior_ */
            case UNIFORM: row[c] = 1.0 / (double)nc; break;
            default: row[c] = c == d->label[k] ? 1.0 : 0.0; break;
            }
        }
        if (d->strategy == CONSTANT && d->label[k] < 0)
            return mc_error_set(err, MC_E_INPUT, -1, "%s: the constant is not one of classes_",
                                m->estimator);
    }
    return MC_OK;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    dummy *d = calloc(1, sizeof *d);
    if (!d)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    d->n_outputs = m->n_outputs;
    mc_status st = MC_OK;
    if (m->task == MC_TASK_CLASSIFIER) {
        const mc_value *sparse = mc_model_state(m, "sparse_output_");
        d->sparse_output = sparse && sparse->kind == MC_BOOL && sparse->u.boolean;
        if (!(st = strategy_of(m, &d->strategy, err)))
            st = prepare_classifier(m, d, err);
        *methods = 1u << MC_METHOD_PREDICT | 1u << MC_METHOD_PREDICT_PROBA |
                   1u << MC_METHOD_PREDICT_LOG_PROBA;
    } else {
        const mc_tensor *c = mc_kernel_tensor(m, "constant", MC_ELEM_F64, err);
        st = c ? MC_OK : MC_E_INPUT;
        d->strategy = REGRESSION;
        d->constant = c ? c->data.f64 : NULL;
        *methods = 1u << MC_METHOD_PREDICT;
    }
    if (st) {
        release(d);
        return st;
    }
    *state = d;
    return MC_OK;
}

/* What scikit-learn draws from numpy's random generator is not reproduced. */
static mc_status refuse_random(const mc_model *m, const dummy *d, mc_method method, mc_error *err)
{
    const char *why = NULL;
    if (d->strategy == STRATIFIED)
        why = "strategy='stratified' draws random labels and probabilities";
    else if (method == MC_METHOD_PREDICT && d->strategy == UNIFORM)
        why = "strategy='uniform' draws random labels";
    else if (method == MC_METHOD_PREDICT && d->sparse_output)
        why = "a classifier fitted on a sparse target predicts a sparse matrix";
    if (!why)
        return MC_OK;
    return mc_error_set(err, MC_E_INPUT, -1, "%s.%s: %s; modelconv does not reproduce it",
                        m->estimator, mc_method_name(method), why);
}

static mc_status run_proba(const dummy *d, int take_log, uint64_t n, mc_outputs *out,
                           mc_error *err)
{
    mc_status st = mc_outputs_init(out, (uint32_t)d->n_outputs, err);
    for (int64_t k = 0; k < d->n_outputs && !st; k++) {
        int64_t nc = d->offset[k + 1] - d->offset[k];
        const double *row = d->proba + d->offset[k];
        double *o = mc_output_f64(out, (uint32_t)k, n, (uint64_t)nc, err);
        if (!o)
            return MC_E_NOMEM;
        for (uint64_t i = 0; i < n; i++)
            for (int64_t c = 0; c < nc; c++)
                o[i * (uint64_t)nc + (uint64_t)c] = take_log ? log(row[c]) : row[c];
    }
    return st;
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    (void)X;
    (void)ncols;
    const dummy *d = state;
    mc_status st = refuse_random(m, d, method, err);
    if (st)
        return st;
    if (method == MC_METHOD_PREDICT_PROBA || method == MC_METHOD_PREDICT_LOG_PROBA)
        return run_proba(d, method == MC_METHOD_PREDICT_LOG_PROBA, n, out, err);
    if ((st = mc_outputs_init(out, 1, err)))
        return st;
    uint64_t cols = d->n_outputs > 1 ? (uint64_t)d->n_outputs : 0;
    uint64_t width = cols ? cols : 1;
    if (d->strategy == REGRESSION) {
        double *o = mc_output_f64(out, 0, n, cols, err);
        if (!o)
            return MC_E_NOMEM;
        for (uint64_t i = 0; i < n * width; i++)
            o[i] = d->constant[i % width];
        return MC_OK;
    }
    int64_t *o = mc_output_i64(out, 0, n, cols, err);
    if (!o)
        return MC_E_NOMEM;
    for (uint64_t i = 0; i < n * width; i++)
        o[i] = d->label[i % width];
    return MC_OK;
}

const mc_kernel mc_kernel_dummy = {"dummy", prepare, release, run};
