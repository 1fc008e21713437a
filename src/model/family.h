/* Families: how a group of scikit-learn estimators maps to the neutral
 * model (private).
 *
 * Each family is one file converters/sklearn/<family>.c defining
 *     const mc_family mc_family_<family>;
 * and one table schemas/families/<family>.md naming its tensors; the build
 * turns the table into MC_TENSOR_SPEC lines (generated/schemas/<family>.inc)
 * and lists the files (generated/families.inc), so adding a family touches
 * nothing else.  A family can only make tensors its table names. */
#ifndef MC_MODEL_FAMILY_H
#define MC_MODEL_FAMILY_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/model.h"

typedef struct mc_tensor_spec {
    const char *name;
    mc_elem elem;
    const char *shape;   /* comma-separated: a symbol ("n_nodes"), a symbol
                            plus one ("n_trees+1") or a number; "" = scalar */
    int required;
    int predict;         /* the family's prediction kernel reads it        */
    const char *meaning;
} mc_tensor_spec;

#define MC_TENSOR_SPEC(name, elem, shape, required, predict, meaning)                            \
    {name, elem, shape, required, predict, meaning},

typedef struct mc_mapper mc_mapper;

typedef struct mc_family {
    const char *name;
    const mc_tensor_spec *specs;
    size_t nspecs;
    /* scikit-learn class names (the last part of the class path) it maps;
     * NULL-terminated.  Module paths move between releases, names do not. */
    const char *const *classes;
    /* Fill m (task, n_features, classes, tensors, params, state, children)
     * from the estimator object est. */
    mc_status (*map)(mc_mapper *mp, const mc_value *est, mc_model *m);
    /* Tree ensembles (offsets tensors of table shape `n_trees+1`, e.g.
     * tree_offsets: tree k is rows offsets[k] .. offsets[k+1]-1 of every
     * tensor as long as the last offset), for the validator's messages
     * (src/validate/compare.c): write scikit-learn's path to tree k of m into
     * buf, e.g. "estimators_[7].tree_" or "_predictors[3][1]".  NULL for
     * other families, or to let the validator name it: "estimators_[k].tree_"
     * when the state keeps an estimators_ list of n_trees members,
     * "estimators_[s, c].tree_" for a 2-d estimators_ array, "tree_" for a
     * single tree. */
    void (*tree_path)(const mc_model *m, uint64_t tree, char *buf, size_t size);
} mc_family;

/* The family that maps an estimator of class `class_path`; the opaque
 * family when none does. */
const mc_family *mc_family_for_class(const char *class_path);
const mc_family *mc_family_by_name(const char *name);
size_t mc_family_count(void);
const mc_family *mc_family_at(size_t i);
const mc_tensor_spec *mc_family_spec(const mc_family *f, const char *tensor);

/* Check m's tensors against f's table (the mapper after mapping, the HDF5
 * reader after reading): every tensor is a row of the table and has its
 * type, every required row has its tensor, and shapes have the table's
 * dimensions: numbers as written, each symbol the same value everywhere
 * ("n_trees+1" is one more than n_trees); an int64 row of shape "X+1"
 * holds offsets (0, never decreasing, ending at the first dimension of a
 * tensor they index).  MC_OK, or MC_E_INPUT with *tensor the tensor
 * concerned and msg what was expected and found. */
mc_status mc_family_check_tensors(const mc_family *f, const mc_model *m, const char **tensor,
                                  char *msg, size_t msgsize);

#endif
