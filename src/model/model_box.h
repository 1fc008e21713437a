/* A model and the document that holds its memory (private). */
#ifndef MC_MODEL_BOX_H
#define MC_MODEL_BOX_H

#include <stddef.h>

#include "modelconv/model.h"
#include "read/document.h"

typedef struct mc_model_box {
    mc_model model;           /* first: a model pointer is a box pointer */
    mc_document *doc;         /* owns the model, its tensors and values  */
    int owns_document;        /* the root model frees the document       */
} mc_model_box;

static inline mc_model_box *mc_model_box_of(const mc_model *m)
{
    return (mc_model_box *)m;
}

/* A new, empty model in doc (n_features -1, one output).  A root model
 * (owns_document) frees doc with mc_model_free. */
mc_model *mc_model_new_in(mc_document *doc, int owns_document);

#endif
