/* Family "mlp": MLPClassifier, MLPRegressor (schemas/families/mlp.md).  The
 * per-layer lists coefs_ and intercepts_ become two flat tensors beside the
 * layer widths; everything else stays as values. */
#include <stdio.h>
#include <string.h>

#include "core/sizes.h"
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/mlp.inc"
    {0}};

static const char *const classes[] = {"MLPClassifier", "MLPRegressor", NULL};

/* The arrays of a list attribute (coefs_, intercepts_), each a plain
 * numeric ndarray of `ndim` dimensions. */
static mc_status layer_arrays(mc_mapper *mp, const mc_value *list, const char *what,
                              uint32_t ndim, size_t n)
{
    if (!list || list->kind != MC_LIST || list->u.seq.len != n || n == 0)
        return mc_map_fail(mp, what, "expected a non-empty list of arrays, one per layer (as "
                                     "many as coefs_)");
    for (size_t i = 0; i < n; i++) {
        const mc_value *a = list->u.seq.items[i];
        if (a->kind != MC_NDARRAY || a->u.array.ndim != ndim || !a->u.array.dtype ||
            !mc_dtype_is_plain_number(a->u.array.dtype) || a->u.array.objects) {
            char sub[48];
            snprintf(sub, sizeof sub, "%s[%zu]", what, i);
            return mc_map_fail(mp, sub, "expected a numeric array of %u dimensions", ndim);
        }
    }
    return MC_OK;
}

/* layer_sizes from the shapes of coefs_ (and intercepts_ must agree). */
static mc_status layer_sizes(mc_mapper *mp, mc_model *m, const mc_value *coefs,
                             const mc_value *intercepts, mc_tensor **out)
{
    size_t n = coefs->u.seq.len;
    int64_t shape[1] = {(int64_t)n + 1};
    mc_tensor *t = mc_map_new_tensor(mp, m, "layer_sizes", 1, shape);
    if (!t)
        return MC_E_INPUT;
    for (size_t i = 0; i < n; i++) {
        const mc_ndarray *w = &coefs->u.seq.items[i]->u.array;
        const mc_ndarray *b = &intercepts->u.seq.items[i]->u.array;
        if ((i > 0 && w->shape[0] != t->data.i64[i]) || (uint64_t)w->shape[1] != b->count)
            return mc_map_fail(mp, "coefs_", "layer %zu: the shapes of coefs_ and intercepts_ "
                                             "do not chain",
                               i);
        t->data.i64[i] = w->shape[0];
        t->data.i64[i + 1] = w->shape[1];
    }
    *out = t;
    return MC_OK;
}

/* Element k (C order) of a 2-d or 1-d array, whatever its memory order. */
static double element(const mc_ndarray *a, uint64_t k)
{
    uint64_t at = k;
    if (a->order == 'F' && a->ndim == 2) {
        uint64_t rows = (uint64_t)a->shape[0], cols = (uint64_t)a->shape[1];
        at = (k % cols) * rows + k / cols;
    }
    double d = 0;
    mc_array_get_f64(a, at, &d);
    return d;
}

/* The arrays of `list` concatenated into tensor `name`; *exact tells
 * whether the tensor holds every array as it was (native float64, C order). */
static mc_status concatenate(mc_mapper *mp, mc_model *m, const char *name, const mc_value *list,
                             int *exact)
{
    uint64_t total = 0;
    for (size_t i = 0; i < list->u.seq.len; i++)
        if (mc_add_u64(total, list->u.seq.items[i]->u.array.count, &total) || total > INT64_MAX)
            return mc_map_fail(mp, name, "too many weights");
    int64_t shape[1] = {(int64_t)total};
    mc_tensor *t = mc_map_new_tensor(mp, m, name, 1, shape);
    if (!t)
        return MC_E_INPUT;
    uint64_t at = 0;
    *exact = 1;
    for (size_t i = 0; i < list->u.seq.len; i++) {
        const mc_value *v = list->u.seq.items[i];
        const mc_ndarray *a = &v->u.array;
        for (uint64_t k = 0; k < a->count; k++)
            t->data.f64[at++] = element(a, k);
        *exact &= mc_map_array_exact(v, t) && (a->order == 'C' || a->ndim < 2);
    }
    return MC_OK;
}

static int is_classifier(const mc_model *m)
{
    const char *dot = strrchr(m->estimator, '.');
    return strcmp(dot ? dot + 1 : m->estimator, "MLPClassifier") == 0;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    m->task = is_classifier(m) ? MC_TASK_CLASSIFIER : MC_TASK_REGRESSOR;
    mc_status st = MC_OK;
    if (m->task == MC_TASK_CLASSIFIER)
        st = mc_map_classes(mp, m, mc_map_get(mp, est, "classes_", 1));
    const mc_value *coefs = mc_map_get(mp, est, "coefs_", 1);
    const mc_value *intercepts = mc_map_get(mp, est, "intercepts_", 1);
    if (st || !coefs || !intercepts)
        return st ? st : MC_E_INPUT;
    size_t n = coefs->kind == MC_LIST ? coefs->u.seq.len : 0;
    mc_tensor *sizes = NULL;
    int exact_w, exact_b;
    if ((st = layer_arrays(mp, coefs, "coefs_", 2, n)) ||
        (st = layer_arrays(mp, intercepts, "intercepts_", 1, n)) ||
        (st = layer_sizes(mp, m, coefs, intercepts, &sizes)) ||
        (st = concatenate(mp, m, "coefs", coefs, &exact_w)) ||
        (st = concatenate(mp, m, "intercepts", intercepts, &exact_b)))
        return st;
    if (m->n_features < 0)
        m->n_features = sizes->data.i64[0]; /* pickles older than n_features_in_ (1.0) */
    const char *consumed[3] = {NULL, NULL, NULL};
    size_t k = 0;
    if (exact_w)
        consumed[k++] = "coefs_";
    if (exact_b)
        consumed[k++] = "intercepts_";
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_mlp = {.name = "mlp",
                                 .specs = specs,
                                 .nspecs = sizeof specs / sizeof specs[0] - 1,
                                 .classes = classes,
                                 .map = map};
