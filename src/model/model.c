/* The neutral model: lookups, loading, freeing (include/modelconv/model.h). */
#include "modelconv/model.h"

#include <stdlib.h>
#include <string.h>

#include "model/mapper.h"
#include "model/model_box.h"

const char *mc_elem_name(mc_elem e)
{
    switch (e) {
    case MC_ELEM_F64: return "float64";
    case MC_ELEM_F32: return "float32";
    case MC_ELEM_I64: return "int64";
    case MC_ELEM_I32: return "int32";
    case MC_ELEM_U32: return "uint32";
    case MC_ELEM_U8: return "uint8";
    case MC_ELEM_STR: return "str";
    }
    return "?";
}

size_t mc_elem_size(mc_elem e)
{
    switch (e) {
    case MC_ELEM_F64:
    case MC_ELEM_I64: return 8;
    case MC_ELEM_F32:
    case MC_ELEM_I32:
    case MC_ELEM_U32: return 4;
    case MC_ELEM_U8: return 1;
    case MC_ELEM_STR: return sizeof(char *);
    }
    return 0;
}

const char *mc_task_name(mc_task t)
{
    switch (t) {
    case MC_TASK_REGRESSOR: return "regressor";
    case MC_TASK_CLASSIFIER: return "classifier";
    case MC_TASK_TRANSFORMER: return "transformer";
    case MC_TASK_CLUSTERER: return "clusterer";
    case MC_TASK_OUTLIER_DETECTOR: return "outlier_detector";
    case MC_TASK_PIPELINE: return "pipeline";
    }
    return "unknown";
}

const mc_tensor *mc_model_tensor(const mc_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->ntensors; i++)
        if (strcmp(m->tensors[i].name, name) == 0)
            return &m->tensors[i];
    return NULL;
}

static const mc_value *entry(const mc_entry *e, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(e[i].name, name) == 0)
            return e[i].value;
    return NULL;
}

const mc_value *mc_model_param(const mc_model *m, const char *name)
{
    return entry(m->params, m->nparams, name);
}

const mc_value *mc_model_state(const mc_model *m, const char *name)
{
    return entry(m->state, m->nstate, name);
}

const mc_model *mc_model_child(const mc_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->nchildren; i++)
        if (strcmp(m->child_names[i], name) == 0)
            return m->children[i];
    return NULL;
}

mc_model *mc_model_new_in(mc_document *doc, int owns_document)
{
    mc_model_box *box = mc_doc_alloc(doc, sizeof *box);
    if (!box)
        return NULL;
    box->doc = doc;
    box->owns_document = owns_document;
    box->model.n_features = -1;
    box->model.n_outputs = 1;
    return &box->model;
}

mc_status mc_model_from_document(mc_document *doc, mc_model **out, mc_error *err)
{
    *out = NULL;
    const mc_value *root = mc_document_root(doc);
    if (!root) {
        mc_document_free(doc);
        return mc_error_set(err, MC_E_INPUT, -1, "the document holds nothing");
    }
    if (root->kind != MC_OBJECT) {
        mc_error_set(err, MC_E_INPUT, root->offset,
                     "the file holds plain data (a %s), not a scikit-learn estimator",
                     mc_kind_name(root->kind));
        mc_document_free(doc);
        return MC_E_INPUT;
    }
    /* mapping makes tensors in proportion to what was read: the read
     * limits have already bounded that */
    doc->arena.budget = UINT64_MAX;
    mc_mapper mp;
    memset(&mp, 0, sizeof mp);
    mp.doc = doc;
    mp.err = err;
    mc_model *m;
    mc_status st = mc_map_estimator(&mp, root, &m);
    if (st) {
        if (err && doc->path && !err->file[0])
            mc_error_set_file(err, doc->path);
        mc_document_free(doc);
        return st;
    }
    mc_model_box_of(m)->owns_document = 1;
    *out = m;
    return MC_OK;
}

void mc_model_free(mc_model *m)
{
    if (!m)
        return;
    mc_model_box *box = mc_model_box_of(m);
    if (box->owns_document)
        mc_document_free(box->doc);
}
