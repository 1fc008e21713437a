/* Pipeline: transform through every step but the last, then the method on
 * the last step (sklearn/pipeline.py, Pipeline.predict & co.). */
#include <stdlib.h>
#include <string.h>

#include "predict/kernel.h"

typedef struct pipeline {
    uint32_t n;
    mc_predictor **steps;   /* NULL for passthrough steps */
} pipeline;

static void release(void *state)
{
    pipeline *p = state;
    if (!p)
        return;
    for (uint32_t i = 0; i < p->n; i++)
        mc_predictor_free(p->steps[i]);
    free(p->steps);
    free(p);
}

static int is_passthrough(const mc_model *m)
{
    return strcmp(m->family, "passthrough") == 0;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    pipeline *p = calloc(1, sizeof *p);
    if (!p || !(p->steps = calloc(m->nchildren, sizeof *p->steps))) {
        free(p);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    p->n = m->nchildren;
    unsigned all = (1u << MC_METHOD_COUNT) - 1;
    unsigned through = 1u << MC_METHOD_TRANSFORM; /* every step but the last */
    for (uint32_t i = 0; i < m->nchildren; i++) {
        const mc_model *c = m->children[i];
        unsigned has = all;
        if (!is_passthrough(c)) {
            mc_status st = mc_predictor_new(c, &p->steps[i], err);
            if (st) {
                release(p);
                return st;
            }
            has = 0;
            for (int k = 0; k < MC_METHOD_COUNT; k++)
                has |= (unsigned)mc_predictor_has(p->steps[i], (mc_method)k) << k;
        } else if (i + 1 == m->nchildren) {
            has = 1u << MC_METHOD_TRANSFORM; /* a passthrough last step only transforms */
        }
        if (i + 1 < m->nchildren && !(has & through)) {
            /* a step that cannot transform: only transform-free use fails */
            all = 0;
        }
        if (i + 1 == m->nchildren)
            *methods = all ? has : 0;
    }
    *state = p;
    return MC_OK;
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    (void)m;
    const pipeline *p = state;
    const double *cur = X;
    uint64_t cols = ncols;
    mc_outputs tmp = {0, NULL};
    mc_status st = MC_OK;
    for (uint32_t i = 0; i < p->n && !st; i++) {
        int last = i + 1 == p->n;
        if (!p->steps[i]) {
            if (last) { /* transform through a final passthrough: a copy */
                double *o = NULL;
                if ((st = mc_outputs_init(out, 1, err)) ||
                    !(o = mc_output_f64(out, 0, n, cols, err))) {
                    st = st ? st : MC_E_NOMEM;
                    break;
                }
                memcpy(o, cur, n * cols * sizeof *o);
            }
            continue;
        }
        mc_outputs next;
        st = mc_predict(p->steps[i], last ? method : MC_METHOD_TRANSFORM, cur, n, cols, &next,
                        err);
        if (st)
            break;
        if (last) {
            *out = next;
        } else {
            mc_outputs_free(&tmp);
            tmp = next;
            cur = tmp.parts[0].data;
            cols = tmp.parts[0].ndim == 2 ? (uint64_t)tmp.parts[0].shape[1] : 1;
        }
    }
    mc_outputs_free(&tmp);
    return st;
}

const mc_kernel mc_kernel_pipeline = {"pipeline", prepare, release, run};
