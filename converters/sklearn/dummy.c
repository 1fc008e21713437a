/* Family "dummy": sklearn.dummy.DummyClassifier and DummyRegressor
 * (schemas/families/dummy.md).  The whole state stays as values; the
 * tensors are the numbers prediction reads, in the model's types. */
#include <string.h>

#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/dummy.inc"
    {0}};

static const char *const classes[] = {"DummyClassifier", "DummyRegressor", NULL};

/* Output k's entry of a per-output value (the value itself for one output). */
static const mc_value *per_output(const mc_value *v, int64_t n_outputs, int64_t k)
{
    if (n_outputs == 1 && v->kind != MC_LIST && v->kind != MC_TUPLE &&
        !(v->kind == MC_NDARRAY && v->u.array.ndim == 1))
        return v;
    if ((v->kind == MC_LIST || v->kind == MC_TUPLE) && (size_t)k < v->u.seq.len)
        return v->u.seq.items[k];
    if (v->kind == MC_NDARRAY && v->u.array.objects && (uint64_t)k < v->u.array.count)
        return v->u.array.objects[k];
    return NULL;
}

/* Whether class i of c is `label`, as numpy's == compares them: numbers by
 * value (integers exactly), text by text. */
static int label_is(const mc_tensor *c, uint64_t i, const mc_value *label)
{
    size_t len;
    const char *text = mc_value_text(label, &len);
    int64_t iv;
    double dv;
    if (c->elem == MC_ELEM_STR)
        return text && strlen(c->data.str[i]) == len && memcmp(c->data.str[i], text, len) == 0;
    if (mc_value_to_double(label, &dv))
        return 0;
    if (c->elem == MC_ELEM_F64)
        return c->data.f64[i] == dv;
    if (label->kind != MC_FLOAT && mc_value_to_int64(label, &iv) == 0)
        return c->data.i64[i] == iv;
    return (double)c->data.i64[i] == dv;
}

/* Index of `label` among classes c, -1 when absent. */
static int64_t class_index(const mc_tensor *c, const mc_value *label)
{
    for (uint64_t i = 0; i < c->count; i++)
        if (label_is(c, i, label))
            return (int64_t)i;
    return -1;
}

/* strategy='constant': the class of the constant label, per output. */
static mc_status constant_classes(mc_mapper *mp, mc_model *m, const mc_value *constant)
{
    int64_t n = m->n_outputs;
    mc_tensor *t = mc_map_new_tensor(mp, m, "constant_class", 1, &n);
    if (!t)
        return mp->err ? mp->err->status : MC_E_INPUT;
    for (int64_t k = 0; k < n; k++) {
        const mc_value *label = per_output(constant, n, k);
        if (!label)
            return mc_map_fail(mp, "constant", "expected one label per output");
        t->data.i64[k] = class_index(&m->classes[k], label);
    }
    return MC_OK;
}

/* class_prior_ (an array, or one per output) as one concatenated tensor. */
static mc_status class_priors(mc_mapper *mp, mc_model *m, const mc_value *prior)
{
    int64_t total = 0;
    for (uint32_t k = 0; k < m->n_class_sets; k++)
        total += (int64_t)m->classes[k].count;
    mc_tensor *t = mc_map_new_tensor(mp, m, "class_prior", 1, &total);
    if (!t)
        return mp->err ? mp->err->status : MC_E_INPUT;
    int64_t at = 0;
    for (uint32_t k = 0; k < m->n_class_sets; k++) {
        const mc_value *p = m->n_class_sets == 1 && prior->kind == MC_NDARRAY
                                ? prior : per_output(prior, m->n_class_sets, k);
        const mc_ndarray *a = p && p->kind == MC_NDARRAY ? &p->u.array : NULL;
        if (!a || !a->dtype || a->count != m->classes[k].count || a->ndim != 1)
            return mc_map_fail(mp, "class_prior_", "expected one frequency per class");
        for (uint64_t i = 0; i < a->count; i++)
            if (mc_array_get_f64(a, i, &t->data.f64[at + (int64_t)i]))
                return mc_map_fail(mp, "class_prior_", "expected numbers");
        at += (int64_t)a->count;
    }
    return MC_OK;
}

static mc_status map_classifier(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    mc_status st = mc_map_classes(mp, m, mc_map_get(mp, est, "classes_", 1));
    if (st)
        return st;
    if (m->n_class_sets != (uint32_t)m->n_outputs)
        return mc_map_fail(mp, "classes_", "%u class sets for %lld outputs", m->n_class_sets,
                           (long long)m->n_outputs);
    const mc_value *prior = mc_map_get(mp, est, "class_prior_", 1);
    if (!prior || (st = class_priors(mp, m, prior)))
        return prior ? st : MC_E_INPUT;
    const mc_value *strategy = mc_object_get(est, "_strategy");
    if (!strategy)
        strategy = mc_object_get(est, "strategy");
    const mc_value *constant = mc_object_get(est, "constant");
    if (strategy && mc_value_is_str(strategy, "constant") && constant &&
        constant->kind != MC_NONE)
        return constant_classes(mp, m, constant);
    return MC_OK;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    int classifier = strstr(m->estimator, "DummyClassifier") != NULL;
    m->task = classifier ? MC_TASK_CLASSIFIER : MC_TASK_REGRESSOR;
    const mc_value *n_outputs = mc_object_get(est, "n_outputs_");
    mc_status st = MC_OK;
    if (n_outputs && (st = mc_map_int(mp, n_outputs, "n_outputs_", &m->n_outputs)))
        return st;
    if (m->n_outputs < 1)
        return mc_map_fail(mp, "n_outputs_", "expected at least one output");
    if (classifier) {
        st = map_classifier(mp, est, m);
    } else {
        mc_tensor *t;
        st = mc_map_array(mp, m, "constant", mc_map_get(mp, est, "constant_", 1), &t);
        if (!st && (t->ndim != 2 || t->shape[0] != 1 || t->shape[1] != m->n_outputs))
            st = mc_map_fail(mp, "constant_", "expected shape (1, n_outputs)");
    }
    if (st)
        return st;
    return mc_map_split_state(mp, m, est, NULL);
}

const mc_family mc_family_dummy = {"dummy", specs, sizeof specs / sizeof specs[0] - 1, classes,
                                   map, NULL};
