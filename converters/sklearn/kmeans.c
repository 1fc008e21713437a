/* Family "kmeans": KMeans, MiniBatchKMeans (schemas/families/kmeans.md).
 * cluster_centers_ becomes the one tensor; the rest stays as values. */
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/kmeans.inc"
    {0}};

static const char *const classes[] = {"KMeans", "MiniBatchKMeans", NULL};

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    static const mc_attr_tensor attrs[] = {{"cluster_centers_", "cluster_centers", 1}};
    m->task = MC_TASK_CLUSTERER;
    const char *consumed[2];
    mc_status st = mc_map_attr_tensors(mp, m, est, attrs, 1, consumed);
    if (st)
        return st;
    const mc_tensor *c = mc_model_tensor(m, "cluster_centers");
    if (m->n_features < 0 && c->ndim == 2)
        m->n_features = c->shape[1]; /* pickles older than n_features_in_ (1.0) */
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_kmeans = {.name = "kmeans",
                                    .specs = specs,
                                    .nspecs = sizeof specs / sizeof specs[0] - 1,
                                    .classes = classes,
                                    .map = map};
