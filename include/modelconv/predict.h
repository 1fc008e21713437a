/* modelconv — prediction in C, reproducing scikit-learn's arithmetic.
 *
 * A predictor is prepared once from a model (its cost scales with the
 * model; calls do not), then answers scikit-learn's methods on rows of
 * float64 input.  A predictor only reads its model; one predictor may serve
 * several threads.
 */
#ifndef MODELCONV_PREDICT_H
#define MODELCONV_PREDICT_H

#include <stdint.h>

#include "modelconv/error.h"
#include "modelconv/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mc_method {
    MC_METHOD_PREDICT,
    MC_METHOD_PREDICT_PROBA,
    MC_METHOD_PREDICT_LOG_PROBA,
    MC_METHOD_DECISION_FUNCTION,
    MC_METHOD_TRANSFORM,
    MC_METHOD_SCORE_SAMPLES,
    MC_METHOD_COUNT
} mc_method;

/* "predict", "predict_proba", ...; and back (returns -1 if unknown). */
const char *mc_method_name(mc_method m);
int mc_method_from_name(const char *name, mc_method *out);

/* One output array: row-major, native.  For a classifier's predict, the
 * labels have the type of its classes (MC_ELEM_STR strings point into the
 * model and live as long as it). */
typedef struct mc_output {
    mc_elem elem;
    uint32_t ndim;          /* 1 or 2 */
    int64_t shape[2];
    void *data;
} mc_output;

/* What a method returns: one array, or one per output for multi-output
 * classifiers' predict_proba / predict_log_proba (a list in scikit-learn). */
typedef struct mc_outputs {
    uint32_t n;
    mc_output *parts;
} mc_outputs;

typedef struct mc_predictor mc_predictor;

/* Prepare m for prediction.  MC_E_INPUT when the estimator is not one
 * modelconv predicts with ("unsupported estimator <class>"). */
mc_status mc_predictor_new(const mc_model *m, mc_predictor **out, mc_error *err);
void mc_predictor_free(mc_predictor *p);

/* Whether the estimator has the method, as scikit-learn's hasattr would say
 * (e.g. SVC without probability has no predict_proba). */
int mc_predictor_has(const mc_predictor *p, mc_method method);

/* Number of input columns the predictor expects. */
int64_t mc_predictor_n_features(const mc_predictor *p);

/* Run `method` on nrows rows of X (row-major, ncols = n_features columns).
 * Fills *out (free with mc_outputs_free).  MC_E_USAGE when ncols is wrong
 * or the estimator lacks the method. */
mc_status mc_predict(const mc_predictor *p, mc_method method, const double *X, uint64_t nrows,
                     uint64_t ncols, mc_outputs *out, mc_error *err);

void mc_outputs_free(mc_outputs *o);

#ifdef __cplusplus
}
#endif
#endif
