/* Family "binarizer": Binarizer (schemas/families/binarizer.md).  Nothing is
 * fitted but n_features_in_: threshold stays a parameter, no tensors. */
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/binarizer.inc"
    {0}};

static const char *const classes[] = {"Binarizer", NULL};

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    m->task = MC_TASK_TRANSFORMER;
    return mc_map_split_state(mp, m, est, NULL);
}

const mc_family mc_family_binarizer = {.name = "binarizer",
                                  .specs = specs,
                                  .nspecs = sizeof specs / sizeof specs[0] - 1,
                                  .classes = classes,
                                  .map = map};
