/* Family "imputer": SimpleImputer (schemas/families/imputer.md).
 * statistics_ becomes a tensor when it holds numbers (an imputer fitted on
 * strings keeps it as a value only, and does not predict); the missing
 * indicator's features_ becomes a tensor and the rest of indicator_ stays
 * in the state. */
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/imputer.inc"
    {0}};

static const char *const classes[] = {"SimpleImputer", NULL};

/* A numeric array, or an object array of numbers only. */
static int holds_numbers(const mc_value *arr)
{
    if (!arr || arr->kind != MC_NDARRAY || !arr->u.array.dtype)
        return 0;
    const mc_ndarray *a = &arr->u.array;
    if (!a->objects)
        return mc_dtype_is_plain_number(a->dtype);
    for (uint64_t i = 0; i < a->count; i++) {
        double d;
        if (mc_value_to_double(a->objects[i], &d))
            return 0;
    }
    return 1;
}

/* indicator_ (a fitted MissingIndicator): features_ to a tensor, the rest
 * kept as state entry "indicator_"; *taken says whether that was done. */
static mc_status map_indicator(mc_mapper *mp, mc_model *m, const mc_value *est, int *taken)
{
    static const char *const drop[] = {"features_", NULL};
    *taken = 0;
    const mc_value *ind = mc_map_get(mp, est, "indicator_", 0);
    if (!ind || ind->kind != MC_OBJECT)
        return MC_OK; /* None without add_indicator: kept as it is */
    const mc_value *features = mc_object_get(ind, "features_");
    mc_tensor *t;
    mc_status st = mc_map_array(mp, m, "indicator_features", features, &t);
    if (st || !mc_map_array_exact(features, t))
        return st; /* features_ was converted: the whole indicator_ stays */
    mc_value *rest;
    if ((st = mc_map_object_without(mp, ind, drop, &rest)))
        return st;
    *taken = 1;
    return mc_map_add_state(mp, m, "indicator_", rest);
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    static const mc_attr_tensor statistics[] = {{"statistics_", "statistics", 1}};
    m->task = MC_TASK_TRANSFORMER;
    const mc_value *stats = mc_map_get(mp, est, "statistics_", 1);
    if (!stats)
        return MC_E_INPUT;
    const char *consumed[3] = {NULL};
    mc_status st = MC_OK;
    if (holds_numbers(stats))
        st = mc_map_attr_tensors(mp, m, est, statistics, 1, consumed);
    int taken = 0;
    if (!st)
        st = map_indicator(mp, m, est, &taken);
    if (st)
        return st;
    if (taken) /* after statistics_, if that was consumed */
        consumed[consumed[0] ? 1 : 0] = "indicator_";
    const mc_tensor *t = mc_model_tensor(m, "statistics");
    if (m->n_features < 0 && t && t->ndim == 1)
        m->n_features = t->shape[0]; /* pickles older than n_features_in_ (1.0) */
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_imputer = {.name = "imputer",
                                  .specs = specs,
                                  .nspecs = sizeof specs / sizeof specs[0] - 1,
                                  .classes = classes,
                                  .map = map};
