/* Family "svm": SVC, NuSVC, SVR, NuSVR, OneClassSVM (schemas/families/svm.md).
 * The arrays libsvm predicts from become tensors with libsvm's signs
 * (_dual_coef_, _intercept_); the public dual_coef_ / intercept_, the
 * parameters and the scalars (_gamma, ...) stay as values. */
#include <string.h>

#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/svm.inc"
    {0}};

static const char *const classes[] = {"SVC", "NuSVC", "SVR", "NuSVR", "OneClassSVM", NULL};

static const mc_attr_tensor attrs[] = {
    {"support_", "support", 1},
    {"_n_support", "n_support", 1},
    {"_dual_coef_", "dual_coef", 1},
    {"_intercept_", "intercept", 1},
    {"_probA", "prob_a", 0},
    {"_probB", "prob_b", 0},
    {"support_vectors_", "support_vectors", 1}, /* last: not for 'precomputed' */
};

enum { N_ATTRS = sizeof attrs / sizeof attrs[0] };

static const char *class_name(const mc_model *m)
{
    const char *dot = strrchr(m->estimator, '.');
    return dot ? dot + 1 : m->estimator;
}

static mc_task task_of(const char *name)
{
    if (strcmp(name, "SVC") == 0 || strcmp(name, "NuSVC") == 0)
        return MC_TASK_CLASSIFIER;
    if (strcmp(name, "OneClassSVM") == 0)
        return MC_TASK_OUTLIER_DETECTOR;
    return MC_TASK_REGRESSOR;
}

/* Models fitted on sparse data keep scipy matrices in support_vectors_ and
 * dual_coef_ (sklearn/svm/_base.py _sparse_fit). */
static mc_status refuse_sparse(mc_mapper *mp, const mc_value *est)
{
    int64_t sparse = 0;
    const mc_value *v = mc_map_get(mp, est, "_sparse", 0);
    if (v && mc_value_to_int64(v, &sparse) == 0 && sparse)
        return mc_map_fail(mp, "_sparse",
                           "models fitted on sparse data are not supported (support_vectors_ "
                           "and dual_coef_ are scipy sparse matrices)");
    return MC_OK;
}

static int is_precomputed(const mc_value *est)
{
    return mc_value_is_str(mc_object_get(est, "kernel"), "precomputed");
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    m->task = task_of(class_name(m));
    mc_status st = refuse_sparse(mp, est);
    if (!st && m->task == MC_TASK_CLASSIFIER)
        st = mc_map_classes(mp, m, mc_map_get(mp, est, "classes_", 1));
    if (st)
        return st;
    const char *consumed[N_ATTRS + 1];
    st = mc_map_attr_tensors(mp, m, est, attrs, is_precomputed(est) ? N_ATTRS - 1 : N_ATTRS,
                             consumed);
    if (st)
        return st;
    const mc_tensor *sv = mc_model_tensor(m, "support_vectors");
    if (m->n_features < 0 && sv && sv->ndim == 2)
        m->n_features = sv->shape[1]; /* pickles older than n_features_in_ (1.0) */
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_svm = {.name = "svm",
                                 .specs = specs,
                                 .nspecs = sizeof specs / sizeof specs[0] - 1,
                                 .classes = classes,
                                 .map = map};
