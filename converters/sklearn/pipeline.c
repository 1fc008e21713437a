/* Family "pipeline": sklearn.pipeline.Pipeline.  Steps become children in
 * order; 'passthrough' / None steps become family "passthrough" children. */
#include <stdio.h>
#include <string.h>

#include "model/mapper.h"
#include "model/model_box.h"

static const mc_tensor_spec specs[] = {
#include "schemas/pipeline.inc"
    {0}};

static const char *const classes[] = {"Pipeline", NULL};

/* A step that does nothing: 'passthrough' or None. */
static mc_status add_passthrough(mc_mapper *mp, mc_model *m, const char *name)
{
    mc_model *step = mc_model_new_in(mp->doc, 0);
    if (!step)
        return mc_map_nomem(mp);
    step->family = "passthrough";
    step->estimator = "passthrough";
    step->task = MC_TASK_TRANSFORMER;
    uint32_t n = m->nchildren;
    mc_model **kids = mc_doc_alloc(mp->doc, (n + 1) * sizeof *kids);
    const char **names = mc_doc_alloc(mp->doc, (n + 1) * sizeof *names);
    if (!kids || !names)
        return mc_map_nomem(mp);
    if (n) {
        memcpy(kids, m->children, n * sizeof *kids);
        memcpy(names, m->child_names, n * sizeof *names);
    }
    kids[n] = step;
    names[n] = name;
    m->children = kids;
    m->child_names = names;
    m->nchildren = n + 1;
    return MC_OK;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    static const char *const consumed[] = {"steps", NULL};
    m->task = MC_TASK_PIPELINE;
    const mc_value *steps = mc_map_get(mp, est, "steps", 1);
    if (!steps)
        return MC_E_INPUT;
    if (steps->kind != MC_LIST || steps->u.seq.len == 0)
        return mc_map_fail(mp, "steps", "expected a non-empty list of (name, estimator)");
    for (size_t i = 0; i < steps->u.seq.len; i++) {
        const mc_value *step = steps->u.seq.items[i];
        char part[48];
        snprintf(part, sizeof part, ".steps[%zu]", i);
        if ((step->kind != MC_TUPLE && step->kind != MC_LIST) || step->u.seq.len != 2)
            return mc_map_fail(mp, part + 1, "expected a (name, estimator) pair");
        const char *name = mc_map_text(mp, step->u.seq.items[0], part + 1);
        if (!name)
            return MC_E_INPUT;
        const mc_value *e = step->u.seq.items[1];
        mc_status st = e->kind == MC_NONE || mc_value_is_str(e, "passthrough")
                           ? add_passthrough(mp, m, name)
                           : mc_map_child(mp, m, name, part, e);
        if (st)
            return st;
    }
    for (uint32_t i = 0; i < m->nchildren; i++) {
        if (m->children[i]->n_features >= 0) {
            m->n_features = m->children[i]->n_features;
            break;
        }
        if (strcmp(m->children[i]->family, "passthrough") != 0)
            break; /* the first real step does not know its input width */
    }
    const mc_model *last = m->children[m->nchildren - 1];
    m->n_outputs = last->n_outputs;
    m->n_class_sets = last->n_class_sets;
    m->classes = last->classes;
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_pipeline = {"pipeline", specs, sizeof specs / sizeof specs[0] - 1,
                                      classes, map, NULL};
