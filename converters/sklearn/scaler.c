/* Family "scaler": StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler
 * (schemas/families/scaler.md).  Fitted arrays become tensors; parameters
 * and the rest of the state (n_samples_seen_, None attributes) are kept. */
#include <string.h>

#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/scaler.inc"
    {0}};

static const char *const classes[] = {"StandardScaler", "MinMaxScaler", "MaxAbsScaler",
                                      "RobustScaler", NULL};

enum { MAX_ATTRS = 5 };

typedef struct scaler_attrs {
    const char *cls;
    mc_attr_tensor attrs[MAX_ATTRS];
    size_t n;
} scaler_attrs;

/* What each estimator's transform needs is required; the rest is kept. */
static const scaler_attrs by_class[] = {
    {"StandardScaler", {{"mean_", "mean", 0}, {"var_", "var", 0}, {"scale_", "scale", 0}}, 3},
    {"MinMaxScaler",
     {{"scale_", "scale", 1},
      {"min_", "min", 1},
      {"data_min_", "data_min", 0},
      {"data_max_", "data_max", 0},
      {"data_range_", "data_range", 0}},
     5},
    {"MaxAbsScaler", {{"scale_", "scale", 1}, {"max_abs_", "max_abs", 0}}, 2},
    {"RobustScaler", {{"center_", "center", 0}, {"scale_", "scale", 0}}, 2},
};

static const scaler_attrs *attrs_of(const char *class_path)
{
    const char *dot = strrchr(class_path, '.');
    const char *name = dot ? dot + 1 : class_path;
    for (size_t i = 0; i < sizeof by_class / sizeof by_class[0]; i++)
        if (strcmp(by_class[i].cls, name) == 0)
            return &by_class[i];
    return NULL;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    const scaler_attrs *a = attrs_of(m->estimator);
    if (!a)
        return mc_map_fail(mp, NULL, "internal: %s is not a scaler", m->estimator);
    m->task = MC_TASK_TRANSFORMER;
    const char *consumed[MAX_ATTRS + 1];
    mc_status st = mc_map_attr_tensors(mp, m, est, a->attrs, a->n, consumed);
    if (st)
        return st;
    if (m->n_features < 0 && m->ntensors > 0)
        m->n_features = m->tensors[0].shape[0]; /* pickles older than n_features_in_ (1.0) */
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_scaler = {.name = "scaler",
                                  .specs = specs,
                                  .nspecs = sizeof specs / sizeof specs[0] - 1,
                                  .classes = classes,
                                  .map = map};
