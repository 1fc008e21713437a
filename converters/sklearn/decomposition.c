/* Family "decomposition": PCA, IncrementalPCA, TruncatedSVD
 * (schemas/families/decomposition.md).  Fitted arrays become tensors; the
 * scalars (noise_variance_, n_components_, ...) and parameters are kept. */
#include <string.h>

#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/decomposition.inc"
    {0}};

static const char *const classes[] = {"PCA", "IncrementalPCA", "TruncatedSVD", NULL};

enum { MAX_ATTRS = 6 };

typedef struct decomposition_attrs {
    const char *cls;
    mc_attr_tensor attrs[MAX_ATTRS];
    size_t n;
} decomposition_attrs;

static const decomposition_attrs by_class[] = {
    {"PCA",
     {{"components_", "components", 1},
      {"mean_", "mean", 1},
      {"explained_variance_", "explained_variance", 1},
      {"explained_variance_ratio_", "explained_variance_ratio", 0},
      {"singular_values_", "singular_values", 0}},
     5},
    {"IncrementalPCA",
     {{"components_", "components", 1},
      {"mean_", "mean", 1},
      {"explained_variance_", "explained_variance", 1},
      {"explained_variance_ratio_", "explained_variance_ratio", 0},
      {"singular_values_", "singular_values", 0},
      {"var_", "var", 0}},
     6},
    {"TruncatedSVD",
     {{"components_", "components", 1},
      {"explained_variance_", "explained_variance", 0},
      {"explained_variance_ratio_", "explained_variance_ratio", 0},
      {"singular_values_", "singular_values", 0}},
     4},
};

static const decomposition_attrs *attrs_of(const char *class_path)
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
    const decomposition_attrs *a = attrs_of(m->estimator);
    if (!a)
        return mc_map_fail(mp, NULL, "internal: %s is not a decomposition", m->estimator);
    m->task = MC_TASK_TRANSFORMER;
    const char *consumed[MAX_ATTRS + 1];
    mc_status st = mc_map_attr_tensors(mp, m, est, a->attrs, a->n, consumed);
    if (st)
        return st;
    const mc_tensor *c = mc_model_tensor(m, "components");
    if (m->n_features < 0 && c->ndim == 2)
        m->n_features = c->shape[1]; /* pickles older than n_features_in_ (1.0) */
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_decomposition = {.name = "decomposition",
                                  .specs = specs,
                                  .nspecs = sizeof specs / sizeof specs[0] - 1,
                                  .classes = classes,
                                  .map = map};
