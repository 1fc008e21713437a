/* Family "naive_bayes": GaussianNB, MultinomialNB, BernoulliNB, ComplementNB
 * (schemas/families/naive_bayes.md).  Fitted arrays become tensors; the
 * scalars (epsilon_, ...) and the parameters are kept as values. */
#include <string.h>

#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/naive_bayes.inc"
    {0}};

static const char *const classes[] = {"GaussianNB", "MultinomialNB", "BernoulliNB",
                                      "ComplementNB", NULL};

enum { MAX_ATTRS = 5 };

static const mc_attr_tensor gaussian[] = {
    {"class_count_", "class_count", 1},
    {"theta_", "theta", 1},
    {"var_", "var", 1}, /* `sigma_` before scikit-learn 1.0 */
    {"class_prior_", "class_prior", 1},
};

static const mc_attr_tensor discrete[] = {
    {"class_count_", "class_count", 1},
    {"feature_log_prob_", "feature_log_prob", 1},
    {"class_log_prior_", "class_log_prior", 1},
    {"feature_count_", "feature_count", 0},
    {"feature_all_", "feature_all", 0}, /* ComplementNB */
};

static int is_gaussian(const mc_model *m)
{
    const char *dot = strrchr(m->estimator, '.');
    return strcmp(dot ? dot + 1 : m->estimator, "GaussianNB") == 0;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    m->task = MC_TASK_CLASSIFIER;
    mc_status st = mc_map_classes(mp, m, mc_map_get(mp, est, "classes_", 1));
    if (st)
        return st;
    mc_attr_tensor attrs[MAX_ATTRS];
    size_t n = is_gaussian(m) ? sizeof gaussian / sizeof gaussian[0]
                              : sizeof discrete / sizeof discrete[0];
    memcpy(attrs, is_gaussian(m) ? gaussian : discrete, n * sizeof *attrs);
    if (is_gaussian(m) && !mc_map_get(mp, est, "var_", 0) && mc_map_get(mp, est, "sigma_", 0))
        attrs[2].attr = "sigma_"; /* renamed var_ in 1.0 */
    const char *consumed[MAX_ATTRS + 1];
    st = mc_map_attr_tensors(mp, m, est, attrs, n, consumed);
    if (st)
        return st;
    const mc_tensor *w = mc_model_tensor(m, is_gaussian(m) ? "theta" : "feature_log_prob");
    if (m->n_features < 0 && w->ndim == 2)
        m->n_features = w->shape[1]; /* pickles older than n_features_in_ (1.0) */
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_naive_bayes = {.name = "naive_bayes",
                                         .specs = specs,
                                         .nspecs = sizeof specs / sizeof specs[0] - 1,
                                         .classes = classes,
                                         .map = map};
