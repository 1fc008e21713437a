/* Prediction parity (mc_parity_check in validate.h): every method either
 * model has, on the same rows, outputs compared bit for bit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/diffs.h"

void mc_parity_free(mc_parity *p)
{
    for (uint32_t i = 0; i < p->nmethods; i++)
        mc_differences_free(&p->methods[i].diffs);
    mc_differences_free(&p->other);
    p->nmethods = 0;
}

static void output_text(char *buf, size_t size, const mc_output *o, uint64_t i)
{
    switch (o->elem) {
    case MC_ELEM_F64: mc_text_double(buf, size, ((const double *)o->data)[i]); return;
    case MC_ELEM_I64: snprintf(buf, size, "%" PRId64, ((const int64_t *)o->data)[i]); return;
    case MC_ELEM_STR: snprintf(buf, size, "'%.100s'", ((const char *const *)o->data)[i]); return;
    default: snprintf(buf, size, "?"); return;
    }
}

static int output_equal(const mc_output *a, const mc_output *b, uint64_t i)
{
    if (a->elem == MC_ELEM_STR) {
        const char *sa = ((const char *const *)a->data)[i], *sb = ((const char *const *)b->data)[i];
        return sa == sb || (sa && sb && strcmp(sa, sb) == 0);
    }
    size_t n = mc_elem_size(a->elem);
    return memcmp((const uint8_t *)a->data + i * n, (const uint8_t *)b->data + i * n, n) == 0;
}

static void output_shape_text(char *buf, size_t size, const mc_output *o)
{
    char shape[96];
    mc_text_shape(shape, sizeof shape, o->shape, o->ndim);
    snprintf(buf, size, "%s %s", mc_elem_name(o->elem), shape);
}

/* Path of the method's output part p ("predict_proba" or, for a list of
 * arrays, "predict_proba[1]"). */
static void method_path(mc_path *path, mc_method method, const mc_outputs *o, uint32_t p)
{
    mc_path_init(path, mc_method_name(method));
    if (o->n > 1)
        mc_path_push(path, "[%u]", p);
}

/* Compare the outputs of rows row0.. (as many as the outputs hold). */
static mc_status compare_outputs(mc_method_parity *mp, uint64_t row0, const mc_outputs *a,
                                 const mc_outputs *b, mc_error *err)
{
    mc_path path;
    char ta[160], tb[160];
    if (a->n != b->n) {
        mc_path_init(&path, mc_method_name(mp->method));
        snprintf(ta, sizeof ta, "%u arrays", a->n);
        snprintf(tb, sizeof tb, "%u arrays", b->n);
        return mc_diffs_add(&mp->diffs, path.buf, ta, tb, err);
    }
    for (uint32_t p = 0; p < a->n; p++) {
        const mc_output *x = &a->parts[p], *y = &b->parts[p];
        method_path(&path, mp->method, a, p);
        int same = x->elem == y->elem && x->ndim == y->ndim && x->shape[0] == y->shape[0] &&
                   (x->ndim < 2 || x->shape[1] == y->shape[1]);
        if (!same) {
            output_shape_text(ta, sizeof ta, x);
            output_shape_text(tb, sizeof tb, y);
            mc_status st = mc_diffs_add(&mp->diffs, path.buf, ta, tb, err);
            if (st)
                return st;
            continue;
        }
        uint64_t cols = x->ndim == 2 ? (uint64_t)x->shape[1] : 1;
        uint64_t count = (uint64_t)x->shape[0] * cols;
        for (uint64_t i = 0; i < count; i++) {
            if (output_equal(x, y, i))
                continue;
            if (!mc_diffs_wants(&mp->diffs)) {
                mc_diffs_count(&mp->diffs, 1);
                continue;
            }
            size_t at = x->ndim == 2 ? mc_path_push(&path, "[%" PRIu64 ", %" PRIu64 "]",
                                                    row0 + i / cols, i % cols)
                                     : mc_path_push(&path, "[%" PRIu64 "]", row0 + i);
            output_text(ta, sizeof ta, x, i);
            output_text(tb, sizeof tb, y, i);
            mc_status st = mc_diffs_add(&mp->diffs, path.buf, ta, tb, err);
            mc_path_cut(&path, at);
            if (st)
                return st;
        }
    }
    return MC_OK;
}

static void refusal_text(char *buf, size_t size, const mc_error *e)
{
    snprintf(buf, size, "refused: %s", e->message);
}

/* Rows one at a time, when a batch was refused by either model. */
static mc_status row_by_row(const mc_predictor *pa, const mc_predictor *pb, mc_method_parity *mp,
                            const double *X, uint64_t nrows, uint64_t ncols, mc_error *err)
{
    for (uint64_t r = 0; r < nrows; r++) {
        mc_outputs oa, ob;
        mc_error ea, eb;
        mc_status sa = mc_predict(pa, mp->method, X + r * ncols, 1, ncols, &oa, &ea);
        mc_status sb = mc_predict(pb, mp->method, X + r * ncols, 1, ncols, &ob, &eb);
        mc_status st = MC_OK;
        if (sa == MC_E_NOMEM || sb == MC_E_NOMEM) {
            st = mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
        } else if (!sa && !sb) {
            mp->rows++;
            st = compare_outputs(mp, r, &oa, &ob, err);
        } else if (sa && sb && sa == sb) {
            mp->refused++;
        } else if (mc_diffs_wants(&mp->diffs)) {
            char ta[900], tb[900], path[64];
            snprintf(path, sizeof path, "%s[%" PRIu64 "]", mc_method_name(mp->method), r);
            if (sa)
                refusal_text(ta, sizeof ta, &ea);
            else
                snprintf(ta, sizeof ta, "an answer");
            if (sb)
                refusal_text(tb, sizeof tb, &eb);
            else
                snprintf(tb, sizeof tb, "an answer");
            st = mc_diffs_add(&mp->diffs, path, ta, tb, err);
        } else {
            mc_diffs_count(&mp->diffs, 1);
        }
        mc_outputs_free(&oa);
        mc_outputs_free(&ob);
        if (st)
            return st;
    }
    return MC_OK;
}

static mc_status compare_method(const mc_predictor *pa, const mc_predictor *pb,
                                mc_method_parity *mp, const double *X, uint64_t nrows,
                                uint64_t ncols, mc_error *err)
{
    mc_outputs oa, ob;
    mc_error ea, eb;
    mc_status sa = mc_predict(pa, mp->method, X, nrows, ncols, &oa, &ea);
    mc_status sb = mc_predict(pb, mp->method, X, nrows, ncols, &ob, &eb);
    mc_status st;
    if (sa == MC_E_NOMEM || sb == MC_E_NOMEM) {
        st = mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    } else if (!sa && !sb) {
        mp->rows = nrows;
        st = compare_outputs(mp, 0, &oa, &ob, err);
    } else {
        st = row_by_row(pa, pb, mp, X, nrows, ncols, err);
    }
    mc_outputs_free(&oa);
    mc_outputs_free(&ob);
    return st;
}

/* One model predicts, the other cannot: a difference, not an error. */
static mc_status one_predicts(mc_parity *out, mc_status sa, const mc_error *ea,
                              const mc_error *eb, mc_error *err)
{
    char ta[900], tb[900];
    if (sa) {
        refusal_text(ta, sizeof ta, ea);
        snprintf(tb, sizeof tb, "predicts");
    } else {
        snprintf(ta, sizeof ta, "predicts");
        refusal_text(tb, sizeof tb, eb);
    }
    out->checked = 1;
    return mc_diffs_add(&out->other, "(prediction)", ta, tb, err);
}

static mc_status check_width(const mc_model *m, uint64_t ncols, mc_error *err)
{
    if (m->n_features >= 0 && ncols != (uint64_t)m->n_features)
        return mc_error_set(err, MC_E_USAGE, -1,
                            "the probe rows have %" PRIu64 " features, but %s takes %" PRId64,
                            ncols, m->estimator, m->n_features);
    return MC_OK;
}

/* The second model takes another number of features: no row fits both. */
static mc_status other_width(mc_parity *out, uint64_t ncols, const mc_model *found, mc_error *err)
{
    char ta[64], tb[64];
    snprintf(ta, sizeof ta, "takes %" PRIu64 " features", ncols);
    snprintf(tb, sizeof tb, "takes %" PRId64 " features", found->n_features);
    return mc_diffs_add(&out->other, "(prediction)", ta, tb, err);
}

mc_status mc_parity_check(const mc_model *expected, const mc_model *found, const double *X,
                          uint64_t nrows, uint64_t ncols, size_t limit, mc_parity *out,
                          mc_error *err)
{
    memset(out, 0, sizeof *out);
    mc_differences_init(&out->other, limit);
    out->rows = nrows;
    mc_predictor *pa = NULL, *pb = NULL;
    mc_error ea, eb;
    mc_status sa = mc_predictor_new(expected, &pa, &ea);
    mc_status sb = mc_predictor_new(found, &pb, &eb);
    mc_status st = MC_OK;
    if (sa == MC_E_NOMEM || sb == MC_E_NOMEM) {
        st = mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    } else if (sa && sb) {
        snprintf(out->note, sizeof out->note, "neither model predicts: %.400s", ea.message);
    } else if (sa || sb) {
        st = one_predicts(out, sa, &ea, &eb, err);
    } else if (!(st = check_width(expected, ncols, err))) {
        out->checked = 1;
        if (found->n_features >= 0 && (uint64_t)found->n_features != ncols)
            st = other_width(out, ncols, found, err);
        for (int k = 0; k < MC_METHOD_COUNT && !st && !out->other.total; k++) {
            int ha = mc_predictor_has(pa, (mc_method)k), hb = mc_predictor_has(pb, (mc_method)k);
            if (!ha && !hb)
                continue;
            mc_method_parity *mp = &out->methods[out->nmethods++];
            mp->method = (mc_method)k;
            mc_differences_init(&mp->diffs, limit);
            if (ha != hb)
                st = mc_diffs_add(&mp->diffs, mc_method_name(mp->method), ha ? "present" : "absent",
                                  hb ? "present" : "absent", err);
            else
                st = compare_method(pa, pb, mp, X, nrows, ncols, err);
        }
    }
    mc_predictor_free(pa);
    mc_predictor_free(pb);
    return st;
}
