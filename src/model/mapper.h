/* What family mappings use to build a model from scikit-learn state
 * (private).  Every failure names the place in the estimator it concerns,
 * e.g. "steps[1].estimators_[7].tree_.nodes". */
#ifndef MC_MODEL_MAPPER_H
#define MC_MODEL_MAPPER_H

#include <stdarg.h>

#include "model/family.h"
#include "read/document.h"

struct mc_mapper {
    mc_document *doc;          /* owns every value and tensor made        */
    const mc_family *family;   /* of the model being mapped               */
    int sk_major, sk_minor;    /* _sklearn_version of that estimator;     */
                               /* 0.0 when it has none ("pre-0.18")       */
    char path[512];            /* where the mapping is, for messages      */
    mc_error *err;
};

/* Fail with MC_E_INPUT at the current path (plus `sub`, may be NULL). */
mc_status mc_map_fail(mc_mapper *mp, const char *sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
mc_status mc_map_nomem(mc_mapper *mp);

/* True when the estimator was written by scikit-learn >= major.minor. */
int mc_map_version_at_least(const mc_mapper *mp, int major, int minor);

/* est's state entry `key`; NULL (and a failure when required) if absent. */
const mc_value *mc_map_get(mc_mapper *mp, const mc_value *est, const char *key, int required);

/* Numbers and strings from state values (numpy scalars included). */
mc_status mc_map_int(mc_mapper *mp, const mc_value *v, const char *what, int64_t *out);
mc_status mc_map_double(mc_mapper *mp, const mc_value *v, const char *what, double *out);
/* NUL-terminated text of a str value, or NULL (with a failure) */
const char *mc_map_text(mc_mapper *mp, const mc_value *v, const char *what);

/* A new tensor named as in the family table (its type comes from there),
 * zero-filled, appended to m.  Fails if the table has no such tensor. */
mc_tensor *mc_map_new_tensor(mc_mapper *mp, mc_model *m, const char *name, uint32_t ndim,
                             const int64_t *shape);

/* A tensor from a numeric ndarray (or an object ndarray of numbers, a
 * number, a list of numbers): values converted to the table's type, C
 * order, native byte order, aligned.  Zero copy when the array already is
 * all of that.  Fails with the path if the array is not numeric or a value
 * does not fit the type. */
mc_status mc_map_array(mc_mapper *mp, mc_model *m, const char *name, const mc_value *arr,
                       mc_tensor **out);

/* True when tensor t holds array value arr exactly: a native-order numeric
 * ndarray of t's element type.  Anything else mc_map_array converted (a
 * float32 array in a float64 tensor, an object array of numbers, a number)
 * must also stay in the state for the model to lose nothing. */
int mc_map_array_exact(const mc_value *arr, const mc_tensor *t);

/* An estimator attribute that becomes a tensor. */
typedef struct mc_attr_tensor {
    const char *attr;      /* e.g. "mean_" */
    const char *tensor;    /* e.g. "mean", as in the family table */
    int required;          /* fail when absent or None */
} mc_attr_tensor;

/* Map each of the n attributes of est in `list` that is present and not None
 * to its tensor (mc_map_array).  `consumed` (room for n + 1 entries) gets,
 * NULL-terminated, the attributes their tensors hold exactly, for
 * mc_map_split_state to leave out; the others stay in the state too. */
mc_status mc_map_attr_tensors(mc_mapper *mp, mc_model *m, const mc_value *est,
                              const mc_attr_tensor *list, size_t n, const char **consumed);

/* Class labels of a classifier: classes_ (one array) or a list of arrays
 * (multi-output).  Integers become I64, floats F64, strings STR. */
mc_status mc_map_classes(mc_mapper *mp, mc_model *m, const mc_value *classes);

/* Split est's state into parameters (scikit-learn's convention: names
 * without a leading or trailing underscore) and the other fitted state,
 * leaving out the keys in `consumed` (NULL-terminated; they went into
 * tensors or children). */
mc_status mc_map_split_state(mc_mapper *mp, mc_model *m, const mc_value *est,
                             const char *const *consumed);

/* Add a state entry holding a value the mapping made. */
mc_status mc_map_add_state(mc_mapper *mp, mc_model *m, const char *name, const mc_value *v);

/* Map a nested estimator as child `name` of parent (path extended by
 * `path_part`, e.g. ".init_" or ".steps[1]"). */
mc_status mc_map_child(mc_mapper *mp, mc_model *parent, const char *name, const char *path_part,
                       const mc_value *child);

/* A copy of object obj whose state dict lacks the keys in drop
 * (NULL-terminated): what is left of a forest member once its tree went
 * into the ensemble's tensors. */
mc_status mc_map_object_without(mc_mapper *mp, const mc_value *obj, const char *const *drop,
                                mc_value **out);

/* New values in the model's document. */
mc_value *mc_map_new_value(mc_mapper *mp, mc_kind kind);

/* Map one estimator into a fresh model (used by mc_model_from_document and
 * mc_map_child). */
mc_status mc_map_estimator(mc_mapper *mp, const mc_value *est, mc_model **out);

#endif
