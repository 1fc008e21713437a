/* Test support: a corpus model and its predictor, failing the running
 * cmocka test (with the error) when either cannot be made. */
#ifndef MC_TEST_CORPUS_MODEL_H
#define MC_TEST_CORPUS_MODEL_H

#include "modelconv/model.h"
#include "modelconv/predict.h"

/* samples/corpus/<version>/<name>/model.p4.pkl, mapped. */
mc_model *corpus_model(const char *version, const char *name);

/* mc_predictor_new on m. */
mc_predictor *corpus_predictor(const mc_model *m);

#endif
