/* modelconv — the neutral model every converter reads into and writes from.
 *
 * An mc_model is one estimator: its family (the table in schemas/families/
 * that names its tensors), task, feature count, classes, the family's typed
 * tensors, its hyper-parameters, the rest of its fitted state kept as values
 * (nothing is lost), child models (pipeline steps, a boosting init
 * estimator), and provenance.  Tree ensembles are flat struct-of-arrays over
 * all trees with per-tree offsets.
 *
 * A model owns its memory; tensors may borrow array data from the document
 * the model was mapped from, which it keeps alive.  Models are read-only
 * once built and may be shared between threads.
 */
#ifndef MODELCONV_MODEL_H
#define MODELCONV_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/error.h"
#include "modelconv/read.h"
#include "modelconv/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Tensor element types.  Data is native byte order, aligned and C-ordered. */
typedef enum mc_elem {
    MC_ELEM_F64,
    MC_ELEM_F32,
    MC_ELEM_I64,
    MC_ELEM_I32,
    MC_ELEM_U32,
    MC_ELEM_U8,
    MC_ELEM_STR     /* UTF-8 strings: data.str[i] NUL-terminated          */
} mc_elem;

const char *mc_elem_name(mc_elem e);        /* "float64", ..., "str"      */
size_t mc_elem_size(mc_elem e);             /* bytes per element          */

enum { MC_TENSOR_MAX_DIMS = 4 };

typedef struct mc_tensor {
    const char *name;
    mc_elem elem;
    uint32_t ndim;
    int64_t shape[MC_TENSOR_MAX_DIMS];
    uint64_t count;                          /* product of shape           */
    union {
        void *ptr;
        double *f64;
        float *f32;
        int64_t *i64;
        int32_t *i32;
        uint32_t *u32;
        uint8_t *u8;
        const char **str;
    } data;
} mc_tensor;

typedef enum mc_task {
    MC_TASK_REGRESSOR = 1,
    MC_TASK_CLASSIFIER,
    MC_TASK_TRANSFORMER,
    MC_TASK_CLUSTERER,
    MC_TASK_OUTLIER_DETECTOR,
    MC_TASK_PIPELINE
} mc_task;

const char *mc_task_name(mc_task t);

/* A named value: a hyper-parameter or a piece of fitted state. */
typedef struct mc_entry {
    const char *name;
    const mc_value *value;
} mc_entry;

typedef struct mc_model mc_model;

struct mc_model {
    const char *family;        /* schemas/families/<family>.md            */
    const char *estimator;     /* full class path, e.g.
                                  "sklearn.ensemble._forest.RandomForestClassifier" */
    mc_task task;
    int64_t n_features;        /* input columns, -1 when not known        */
    int64_t n_outputs;         /* targets (1 for most)                    */
    /* class labels, one tensor per output (MC_ELEM_I64, F64 or STR) */
    uint32_t n_class_sets;
    mc_tensor *classes;
    uint32_t ntensors;
    mc_tensor *tensors;        /* the family's tensors, in table order     */
    uint32_t nparams;
    mc_entry *params;          /* constructor parameters, as sklearn names */
    uint32_t nstate;
    mc_entry *state;           /* the other fitted state, as values        */
    uint32_t nchildren;
    mc_model **children;       /* pipeline steps, boosting init, ...       */
    const char **child_names;  /* step names ("scaler"), or the attribute
                                  ("init_")                                */
    mc_provenance provenance;
    const mc_value *source;    /* the estimator in its document, or NULL   */
    int partial;               /* loaded for prediction only: tensors the
                                  predictor never reads were left out      */
};

/* Map a document (a scikit-learn estimator read from pickle/joblib) to a
 * model.  Estimators outside the families modelconv knows still map, to
 * family "opaque" (parameters and state kept, no tensors), so they can be
 * inspected and archived; predicting with them fails with MC_E_INPUT naming
 * the class.  The model keeps the document alive: free only the model. */
mc_status mc_model_from_document(mc_document *doc, mc_model **out, mc_error *err);

/* Read a file and map it (mc_read_file + mc_model_from_document). */
mc_status mc_model_load(const char *path, mc_model **out, mc_error *err);

/* What a model is loaded for. */
typedef enum mc_load_purpose {
    MC_LOAD_ALL,     /* everything: to convert, compare, archive           */
    MC_LOAD_PREDICT  /* prediction only: a reader may leave out tensors the
                        family's predictor never reads (the `predict` column
                        of schemas/families tables); such a model is partial
                        and cannot be saved                                  */
} mc_load_purpose;

/* mc_model_load for a purpose. */
mc_status mc_model_load_for(const char *path, mc_load_purpose purpose, mc_model **out,
                            mc_error *err);

void mc_model_free(mc_model *m);

/* Lookups by name; NULL when absent. */
const mc_tensor *mc_model_tensor(const mc_model *m, const char *name);
const mc_value *mc_model_param(const mc_model *m, const char *name);
const mc_value *mc_model_state(const mc_model *m, const char *name);
const mc_model *mc_model_child(const mc_model *m, const char *name);

#ifdef __cplusplus
}
#endif
#endif
