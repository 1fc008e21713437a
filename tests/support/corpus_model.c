#include "corpus_model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "corpus.h"

mc_model *corpus_model(const char *version, const char *name)
{
    char rel[128], path[600];
    snprintf(rel, sizeof rel, "%s/%s/model.p4.pkl", version, name);
    mc_model *m = NULL;
    mc_error err;
    if (mc_model_load(corpus_path(path, sizeof path, rel), &m, &err) != MC_OK)
        fail_msg("%s: %s: %s", rel, err.where, err.message);
    return m;
}

mc_predictor *corpus_predictor(const mc_model *m)
{
    mc_predictor *p = NULL;
    mc_error err;
    if (mc_predictor_new(m, &p, &err) != MC_OK)
        fail_msg("%s: %s", m->estimator, err.message);
    return p;
}
