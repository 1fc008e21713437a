/* The predictor: dispatch to the family kernel, check the input's width and
 * the method, turn class indices into labels (include/modelconv/predict.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "predict/kernel.h"

#define MC_KERNEL(name) extern const mc_kernel mc_kernel_##name;
#include "kernels.inc"
#undef MC_KERNEL

static const mc_kernel *const kernels[] = {
#define MC_KERNEL(name) &mc_kernel_##name,
#include "kernels.inc"
#undef MC_KERNEL
};

struct mc_predictor {
    const mc_model *model;
    const mc_kernel *kernel;
    void *state;
    unsigned methods;
};

static const char *const method_names[MC_METHOD_COUNT] = {
    "predict", "predict_proba", "predict_log_proba", "decision_function", "transform",
    "score_samples"};

const char *mc_method_name(mc_method m)
{
    return (unsigned)m < MC_METHOD_COUNT ? method_names[m] : "?";
}

int mc_method_from_name(const char *name, mc_method *out)
{
    for (int i = 0; i < MC_METHOD_COUNT; i++) {
        if (strcmp(name, method_names[i]) == 0) {
            *out = (mc_method)i;
            return 0;
        }
    }
    return -1;
}

mc_status mc_predictor_new(const mc_model *m, mc_predictor **out, mc_error *err)
{
    *out = NULL;
    const mc_kernel *k = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
        if (strcmp(kernels[i]->family, m->family) == 0)
            k = kernels[i];
    if (!k)
        return mc_error_set(err, MC_E_INPUT, -1,
                            "unsupported estimator %s: modelconv reads it but cannot predict "
                            "with it",
                            m->estimator);
    mc_predictor *p = calloc(1, sizeof *p);
    if (!p)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    p->model = m;
    p->kernel = k;
    mc_status st = k->prepare(m, &p->state, &p->methods, err);
    if (st) {
        free(p);
        return st;
    }
    *out = p;
    return MC_OK;
}

void mc_predictor_free(mc_predictor *p)
{
    if (!p)
        return;
    if (p->kernel->release)
        p->kernel->release(p->state);
    free(p);
}

int mc_predictor_has(const mc_predictor *p, mc_method method)
{
    return (unsigned)method < MC_METHOD_COUNT && (p->methods >> method & 1u);
}

int64_t mc_predictor_n_features(const mc_predictor *p)
{
    return p->model->n_features;
}

/* Replace class indices by labels (classes_.take(...) in scikit-learn). */
static mc_status to_labels(const mc_model *m, mc_output *o, mc_error *err)
{
    uint64_t rows = (uint64_t)o->shape[0];
    uint64_t cols = o->ndim == 2 ? (uint64_t)o->shape[1] : 1;
    if (cols != m->n_class_sets)
        return mc_error_set(err, MC_E_INPUT, -1, "internal: %llu label columns for %u class sets",
                            (unsigned long long)cols, m->n_class_sets);
    mc_elem elem = m->classes[0].elem;
    for (uint32_t k = 1; k < m->n_class_sets; k++)
        if (m->classes[k].elem != elem)
            return mc_error_set(err, MC_E_INPUT, -1,
                                "outputs with labels of different types are not supported");
    const int64_t *idx = o->data;
    uint64_t count = rows * cols;
    void *labels = malloc((count ? count : 1) * 8);
    if (!labels)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (uint64_t i = 0; i < rows * cols; i++) {
        const mc_tensor *c = &m->classes[i % cols];
        int64_t j = idx[i];
        if (j < 0 || (uint64_t)j >= c->count) {
            free(labels);
            return mc_error_set(err, MC_E_INPUT, -1, "internal: class index %lld of %llu",
                                (long long)j, (unsigned long long)c->count);
        }
        if (elem == MC_ELEM_STR)
            ((const char **)labels)[i] = c->data.str[j];
        else if (elem == MC_ELEM_F64)
            ((double *)labels)[i] = c->data.f64[j];
        else
            ((int64_t *)labels)[i] = c->data.i64[j];
    }
    free(o->data);
    o->data = labels;
    o->elem = elem;
    return MC_OK;
}

mc_status mc_predict(const mc_predictor *p, mc_method method, const double *X, uint64_t nrows,
                     uint64_t ncols, mc_outputs *out, mc_error *err)
{
    memset(out, 0, sizeof *out);
    const mc_model *m = p->model;
    if (!mc_predictor_has(p, method))
        return mc_error_set(err, MC_E_USAGE, -1, "%s has no method %s", m->estimator,
                            mc_method_name(method));
    if (m->n_features >= 0 && ncols != (uint64_t)m->n_features)
        return mc_error_set(err, MC_E_USAGE, -1,
                            "X has %llu features, but %s is expecting %lld features as input",
                            (unsigned long long)ncols, m->estimator, (long long)m->n_features);
    mc_status st = p->kernel->run(p->state, m, method, X, nrows, ncols, out, err);
    if (!st && method == MC_METHOD_PREDICT && m->task == MC_TASK_CLASSIFIER)
        st = to_labels(m, &out->parts[0], err);
    if (st)
        mc_outputs_free(out);
    return st;
}

void mc_outputs_free(mc_outputs *o)
{
    for (uint32_t i = 0; i < o->n; i++)
        free(o->parts[i].data);
    free(o->parts);
    o->parts = NULL;
    o->n = 0;
}

mc_status mc_outputs_init(mc_outputs *out, uint32_t parts, mc_error *err)
{
    out->parts = calloc(parts ? parts : 1, sizeof *out->parts);
    if (!out->parts)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    out->n = parts;
    return MC_OK;
}

static void *alloc_part(mc_outputs *out, uint32_t i, mc_elem elem, uint64_t rows, uint64_t cols,
                        mc_error *err)
{
    mc_output *o = &out->parts[i];
    uint64_t n = rows * (cols ? cols : 1);
    o->data = calloc(n ? n : 1, 8);
    if (!o->data) {
        mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
        return NULL;
    }
    o->elem = elem;
    o->ndim = cols ? 2 : 1;
    o->shape[0] = (int64_t)rows;
    o->shape[1] = (int64_t)cols;
    return o->data;
}

double *mc_output_f64(mc_outputs *out, uint32_t i, uint64_t rows, uint64_t cols, mc_error *err)
{
    return alloc_part(out, i, MC_ELEM_F64, rows, cols, err);
}

int64_t *mc_output_i64(mc_outputs *out, uint32_t i, uint64_t rows, uint64_t cols, mc_error *err)
{
    return alloc_part(out, i, MC_ELEM_I64, rows, cols, err);
}

const mc_tensor *mc_kernel_tensor(const mc_model *m, const char *name, mc_elem elem,
                                  mc_error *err)
{
    const mc_tensor *t = mc_model_tensor(m, name);
    if (!t || t->elem != elem) {
        mc_error_set(err, MC_E_INPUT, -1, "%s: tensor '%s' %s", m->estimator, name,
                     t ? "has the wrong type" : "is missing");
        mc_error_set_where(err, name);
        return NULL;
    }
    return t;
}

int mc_kernel_version_at_least(const mc_model *m, int major, int minor)
{
    size_t len;
    const char *v = mc_value_text(mc_model_state(m, "_sklearn_version"), &len);
    char buf[32];
    if (v)
        snprintf(buf, sizeof buf, "%.*s", (int)(len < 31 ? len : 31), v);
    else
        snprintf(buf, sizeof buf, "%s", m->provenance.sklearn_version);
    int ma, mi;
    if (sscanf(buf, "%d.%d", &ma, &mi) != 2)
        return 0;
    return ma > major || (ma == major && mi >= minor);
}

mc_status mc_kernel_check_finite(const mc_model *m, mc_finite rule, const double *X, uint64_t n,
                                 uint64_t ncols, mc_error *err)
{
    uint64_t count = n * ncols;
    for (uint64_t i = 0; i < count; i++) {
        double x = X[i];
        if (isfinite(x) || (isnan(x) && rule == MC_FINITE_ALLOW_NAN))
            continue;
        return mc_error_set(err, MC_E_USAGE, -1,
                            "X[%llu, %llu] is %s, which %s does not accept (scikit-learn raises "
                            "ValueError: Input X contains %s)",
                            (unsigned long long)(i / ncols), (unsigned long long)(i % ncols),
                            isnan(x) ? "NaN" : "infinite", m->estimator,
                            isnan(x) ? "NaN" : "infinity");
    }
    return MC_OK;
}
