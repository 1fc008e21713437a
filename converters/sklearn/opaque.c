/* Family "opaque": any estimator outside the other families.  Parameters and
 * fitted state are kept as values; there are no tensors and no prediction. */
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/opaque.inc"
    {0}};

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    m->task = 0; /* not known without the class */
    if (!mc_object_state(est))
        return MC_OK;
    return mc_map_split_state(mp, m, est, NULL);
}

const mc_family mc_family_opaque = {"opaque", specs, sizeof specs / sizeof specs[0] - 1, NULL, map,
                                    NULL};
