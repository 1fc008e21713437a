/* Family "hist_boosting": HistGradientBoostingClassifier / Regressor
 * (schemas/families/hist_boosting.md).
 *
 * The predictors' node records and bitsets become one flat struct-of-arrays
 * with per-tree offsets; the known-category bitsets are computed as
 * _BinMapper.make_known_categories_bitsets() does; the 1.4+ `_preprocessor`
 * (a ColumnTransformer) is described by tensors when it is the one
 * _preprocess_X builds.  All other state is kept as values. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/sizes.h"
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/hist_boosting.inc"
    {0}};

static const char *const classes[] = {"HistGradientBoostingClassifier",
                                      "HistGradientBoostingRegressor", NULL};

/* The fields of a TreePredictor node record (PREDICTOR_RECORD_DTYPE); each
 * fills the tensor of the same name. */
static const char *const node_fields[] = {
    "value", "count",   "feature_idx", "num_threshold", "missing_go_to_left", "left",
    "right", "gain",    "depth",       "is_leaf",       "bin_threshold",      "is_categorical",
    "bitset_idx"};
enum { N_NODE_FIELDS = sizeof node_fields / sizeof node_fields[0] };

static const char *const bitset_names[] = {"raw_left_cat_bitsets", "binned_left_cat_bitsets"};

/* ---- small helpers ---------------------------------------------------------- */

/* True when v is an object whose class is `name` (any module: sklearn moves
 * its private modules between releases). */
static int class_named(const mc_value *v, const char *name)
{
    return v && v->kind == MC_OBJECT && v->u.object.cls &&
           strcmp(v->u.object.cls->u.global.name, name) == 0;
}

/* Store number v as element i of t, which must hold it exactly; -1 when it
 * does not. */
static int put_number(mc_tensor *t, uint64_t i, const mc_value *v)
{
    double d;
    int64_t iv = 0;
    int is_int = mc_value_to_int64(v, &iv) == 0;
    if (mc_value_to_double(v, &d))
        return -1;
    switch (t->elem) {
    case MC_ELEM_F64: t->data.f64[i] = d; return 0;
    case MC_ELEM_I64: t->data.i64[i] = iv; return is_int ? 0 : -1;
    case MC_ELEM_U32:
        t->data.u32[i] = (uint32_t)iv;
        return is_int && iv >= 0 && iv <= UINT32_MAX ? 0 : -1;
    case MC_ELEM_U8:
        t->data.u8[i] = (uint8_t)iv;
        return is_int && iv >= 0 && iv <= UINT8_MAX ? 0 : -1;
    default: return -1;
    }
}

/* The element of array a at `byte_offset`, of dtype dt, as a numpy scalar
 * value pointing into the array (no copy): mc_value_to_int64/_double then
 * decode it exactly, in its byte order. */
static mc_value array_element(const mc_ndarray *a, const mc_dtype *dt, uint64_t byte_offset)
{
    mc_value v;
    memset(&v, 0, sizeof v);
    v.kind = MC_SCALAR;
    v.offset = -1;
    v.u.scalar.dtype = dt;
    v.u.scalar.data = a->data + byte_offset;
    return v;
}

/* A numeric ndarray of `ndim` dimensions with data, or a failure at `what`. */
static const mc_ndarray *numeric_array(mc_mapper *mp, const mc_value *v, uint32_t ndim,
                                       const char *what)
{
    if (!v || v->kind != MC_NDARRAY || !v->u.array.dtype ||
        !mc_dtype_is_plain_number(v->u.array.dtype) || v->u.array.ndim != ndim ||
        (v->u.array.count && !v->u.array.data)) {
        mc_map_fail(mp, what, "expected a %u-d numeric array", ndim);
        return NULL;
    }
    return &v->u.array;
}

/* ---- the predictors ------------------------------------------------------------ */

typedef struct forest {
    uint64_t n_trees, n_nodes, n_bitsets;
    size_t per_iteration;               /* n_trees_per_iteration_ */
    mc_tensor *tree_offsets, *bitset_offsets;
    mc_tensor *fields[N_NODE_FIELDS];
    mc_tensor *bitsets[2];              /* raw, binned */
} forest;

/* _predictors[it][k], checked to be a TreePredictor; `where` gets its path. */
static const mc_value *predictor_at(mc_mapper *mp, const mc_value *preds, size_t it, size_t k,
                                    size_t per_iteration, char *where, size_t wsize)
{
    snprintf(where, wsize, "_predictors[%zu]", it);
    const mc_value *row = mc_value_item(preds, it);
    if (!row || row->kind != MC_LIST || row->u.seq.len != per_iteration) {
        mc_map_fail(mp, where, "expected a list of %zu TreePredictor (n_trees_per_iteration_)",
                    per_iteration);
        return NULL;
    }
    snprintf(where, wsize, "_predictors[%zu][%zu]", it, k);
    const mc_value *p = row->u.seq.items[k];
    if (!class_named(p, "TreePredictor") || !mc_object_state(p)) {
        mc_map_fail(mp, where, "expected a TreePredictor");
        return NULL;
    }
    return p;
}

/* The node records of one predictor: a 1-d structured array with every
 * field of node_fields, a plain number inside the record.  `fields` gets
 * them in node_fields order. */
static const mc_ndarray *node_records(mc_mapper *mp, const mc_value *pred, const char *where,
                                      const mc_dtype_field **fields)
{
    char what[96];
    snprintf(what, sizeof what, "%s.nodes", where);
    const mc_value *v = mc_object_get(pred, "nodes");
    const mc_ndarray *a = v && v->kind == MC_NDARRAY ? &v->u.array : NULL;
    if (!a || !a->dtype || a->dtype->kind != 'V' || a->ndim != 1 || (a->count && !a->data)) {
        mc_map_fail(mp, what, "expected a 1-d array of node records");
        return NULL;
    }
    const mc_dtype *dt = a->dtype;
    for (size_t f = 0; f < N_NODE_FIELDS; f++) {
        fields[f] = NULL;
        for (uint32_t k = 0; k < dt->nfields; k++)
            if (strcmp(dt->fields[k].name, node_fields[f]) == 0)
                fields[f] = &dt->fields[k];
        const mc_dtype_field *fd = fields[f];
        if (!fd || !mc_dtype_is_plain_number(fd->dtype) || fd->offset < 0 ||
            (uint64_t)fd->offset + fd->dtype->itemsize > dt->itemsize) {
            mc_map_fail(mp, what, "the node record has no numeric field '%s'", node_fields[f]);
            return NULL;
        }
    }
    return a;
}

/* Rows of one of a predictor's bitset arrays (shape (rows, 8)). */
static mc_status bitset_rows(mc_mapper *mp, const mc_value *pred, size_t which, const char *where,
                             uint64_t *rows)
{
    char what[96];
    snprintf(what, sizeof what, "%s.%s", where, bitset_names[which]);
    const mc_ndarray *a = numeric_array(mp, mc_object_get(pred, bitset_names[which]), 2, what);
    if (!a)
        return MC_E_INPUT;
    if (a->shape[1] != 8)
        return mc_map_fail(mp, what, "expected 8 uint32 words per bitset, found %lld",
                           (long long)a->shape[1]);
    *rows = (uint64_t)a->shape[0];
    return MC_OK;
}

/* First pass: check the predictors and count trees, nodes and bitsets. */
static mc_status count_forest(mc_mapper *mp, const mc_value *preds, forest *fo)
{
    char where[64];
    size_t iterations = preds->u.seq.len;
    if (mc_mul_u64(iterations, fo->per_iteration, &fo->n_trees) || fo->n_trees >= INT32_MAX)
        return mc_map_fail(mp, "_predictors", "too many trees");
    for (size_t it = 0; it < iterations; it++) {
        for (size_t k = 0; k < fo->per_iteration; k++) {
            const mc_value *p = predictor_at(mp, preds, it, k, fo->per_iteration, where,
                                             sizeof where);
            const mc_dtype_field *fields[N_NODE_FIELDS];
            const mc_ndarray *nodes = p ? node_records(mp, p, where, fields) : NULL;
            uint64_t rows[2];
            if (!nodes || bitset_rows(mp, p, 0, where, &rows[0]) ||
                bitset_rows(mp, p, 1, where, &rows[1]))
                return MC_E_INPUT;
            if (rows[0] != rows[1])
                return mc_map_fail(mp, where, "%llu raw but %llu binned category bitsets",
                                   (unsigned long long)rows[0], (unsigned long long)rows[1]);
            if (mc_add_u64(fo->n_nodes, nodes->count, &fo->n_nodes) ||
                mc_add_u64(fo->n_bitsets, rows[0], &fo->n_bitsets) || fo->n_nodes > INT64_MAX ||
                fo->n_bitsets > INT64_MAX / 8)
                return mc_map_fail(mp, "_predictors", "too many nodes");
        }
    }
    return MC_OK;
}

static mc_status make_forest_tensors(mc_mapper *mp, mc_model *m, forest *fo)
{
    int64_t trees = (int64_t)fo->n_trees + 1, nodes = (int64_t)fo->n_nodes;
    int64_t bitsets[2] = {(int64_t)fo->n_bitsets, 8};
    if (!(fo->tree_offsets = mc_map_new_tensor(mp, m, "tree_offsets", 1, &trees)) ||
        !(fo->bitset_offsets = mc_map_new_tensor(mp, m, "bitset_offsets", 1, &trees)))
        return MC_E_INPUT;
    for (size_t f = 0; f < N_NODE_FIELDS; f++)
        if (!(fo->fields[f] = mc_map_new_tensor(mp, m, node_fields[f], 1, &nodes)))
            return MC_E_INPUT;
    for (size_t b = 0; b < 2; b++)
        if (!(fo->bitsets[b] = mc_map_new_tensor(mp, m, bitset_names[b], 2, bitsets)))
            return MC_E_INPUT;
    return MC_OK;
}

/* Copy one predictor's node records into the node tensors from `first`. */
static mc_status copy_nodes(mc_mapper *mp, const mc_ndarray *nodes,
                            const mc_dtype_field *const *fields, forest *fo, uint64_t first,
                            const char *where)
{
    for (uint64_t i = 0; i < nodes->count; i++) {
        uint64_t rec = i * nodes->dtype->itemsize;
        for (size_t f = 0; f < N_NODE_FIELDS; f++) {
            mc_value v = array_element(nodes, fields[f]->dtype, rec + (uint64_t)fields[f]->offset);
            if (put_number(fo->fields[f], first + i, &v)) {
                char what[128];
                snprintf(what, sizeof what, "%s.nodes[%llu].%s", where, (unsigned long long)i,
                         node_fields[f]);
                return mc_map_fail(mp, what, "value does not fit %s",
                                   mc_elem_name(fo->fields[f]->elem));
            }
        }
    }
    return MC_OK;
}

/* Copy one predictor's bitsets (both kinds) into rows from `first`. */
static mc_status copy_bitsets(mc_mapper *mp, const mc_value *pred, forest *fo, uint64_t first,
                              const char *where)
{
    for (size_t b = 0; b < 2; b++) {
        const mc_ndarray *a = &mc_object_get(pred, bitset_names[b])->u.array;
        uint64_t rows = (uint64_t)a->shape[0];
        for (uint64_t r = 0; r < rows; r++) {
            for (uint64_t w = 0; w < 8; w++) {
                uint64_t at = a->order == 'F' ? w * rows + r : r * 8 + w;
                mc_value v = array_element(a, a->dtype, at * a->dtype->itemsize);
                if (put_number(fo->bitsets[b], (first + r) * 8 + w, &v)) {
                    char what[128];
                    snprintf(what, sizeof what, "%s.%s[%llu]", where, bitset_names[b],
                             (unsigned long long)r);
                    return mc_map_fail(mp, what, "expected uint32 words");
                }
            }
        }
    }
    return MC_OK;
}

/* Second pass: fill the tensors; `kept` gets the predictors without their
 * arrays (a list of lists, as _predictors) — but with `nodes` when its
 * records hold fields the tensors do not, so that nothing is lost. */
static mc_status fill_forest(mc_mapper *mp, const mc_value *preds, forest *fo, mc_value *kept)
{
    static const char *const drop_all[] = {"nodes", "raw_left_cat_bitsets",
                                           "binned_left_cat_bitsets", NULL};
    const char *const *drop_bitsets = drop_all + 1;
    char where[64];
    uint64_t node = 0, row = 0, t = 0;
    for (size_t it = 0; it < preds->u.seq.len; it++) {
        mc_value *kept_row = mc_map_new_value(mp, MC_LIST);
        if (!kept_row)
            return mc_map_nomem(mp);
        mc_status st = mc_seq_append(mp->doc, kept, kept_row, mp->err);
        for (size_t k = 0; !st && k < fo->per_iteration; k++, t++) {
            const mc_value *p = predictor_at(mp, preds, it, k, fo->per_iteration, where,
                                             sizeof where);
            const mc_dtype_field *fields[N_NODE_FIELDS];
            const mc_ndarray *nodes = node_records(mp, p, where, fields);
            fo->tree_offsets->data.i64[t] = (int64_t)node;
            fo->bitset_offsets->data.i64[t] = (int64_t)row;
            mc_value *slim;
            st = copy_nodes(mp, nodes, fields, fo, node, where);
            if (!st)
                st = copy_bitsets(mp, p, fo, row, where);
            if (!st)
                st = mc_map_object_without(
                    mp, p, nodes->dtype->nfields == N_NODE_FIELDS ? drop_all : drop_bitsets, &slim);
            if (!st)
                st = mc_seq_append(mp->doc, kept_row, slim, mp->err);
            node += nodes->count;
            row += (uint64_t)mc_object_get(p, bitset_names[0])->u.array.shape[0];
        }
        if (st)
            return st;
    }
    fo->tree_offsets->data.i64[t] = (int64_t)node;
    fo->bitset_offsets->data.i64[t] = (int64_t)row;
    return MC_OK;
}

static mc_status map_predictors(mc_mapper *mp, const mc_value *est, mc_model *m, int64_t *per_it)
{
    const mc_value *preds = mc_map_get(mp, est, "_predictors", 1);
    const mc_value *k = preds ? mc_map_get(mp, est, "n_trees_per_iteration_", 1) : NULL;
    if (!k || mc_map_int(mp, k, "n_trees_per_iteration_", per_it))
        return MC_E_INPUT;
    if (preds->kind != MC_LIST)
        return mc_map_fail(mp, "_predictors", "expected a list of lists of TreePredictor");
    if (*per_it < 1 || *per_it > INT32_MAX)
        return mc_map_fail(mp, "n_trees_per_iteration_", "%lld trees per iteration",
                           (long long)*per_it);
    forest fo;
    memset(&fo, 0, sizeof fo);
    fo.per_iteration = (size_t)*per_it;
    mc_value *kept = mc_map_new_value(mp, MC_LIST);
    if (!kept)
        return mc_map_nomem(mp);
    mc_status st = count_forest(mp, preds, &fo);
    if (!st)
        st = make_forest_tensors(mp, m, &fo);
    if (!st)
        st = fill_forest(mp, preds, &fo, kept);
    if (!st)
        st = mc_map_add_state(mp, m, "_predictors", kept);
    return st;
}

/* ---- known categories (_BinMapper.make_known_categories_bitsets) ------------- */

/* The bit set_bitset_memoryview(bits, value) sets for a known category
 * (make_known_categories_bitsets, binning.py): Cython converts the float64
 * as int() does, truncating toward zero (1.2.2 sets bit 1 for a category
 * 1.5), and raises OverflowError outside [0, 255].  -1 for those: up to 1.3
 * fit only checks categories < max_bins, so a model may hold -1, and
 * scikit-learn then fails on every predict. */
static int known_bit(double v)
{
    return v > -1.0 && v < 256.0 ? (int)(unsigned)v : -1;
}

/* The bin thresholds (known categories) of categorical feature f; NULL with
 * a failure when they are not a numeric array. */
static const mc_ndarray *known_values(mc_mapper *mp, const mc_value *thresholds, uint64_t f)
{
    char what[64];
    snprintf(what, sizeof what, "_bin_mapper.bin_thresholds_[%llu]", (unsigned long long)f);
    return numeric_array(mp, thresholds->u.seq.items[f], 1, what);
}

/* known_cat_bitsets, unless a category has no bit (then it stays out and
 * the kernel refuses the model, as scikit-learn's predict raises). */
static mc_status map_known_bitsets(mc_mapper *mp, mc_model *m, const mc_ndarray *is_cat,
                                   const mc_value *thresholds, int64_t n_cat)
{
    for (uint64_t f = 0; f < is_cat->count; f++) {
        double c, v;
        mc_array_get_f64(is_cat, f, &c);
        const mc_ndarray *a = c != 0 ? known_values(mp, thresholds, f) : NULL;
        if (c != 0 && !a)
            return MC_E_INPUT;
        for (uint64_t i = 0; a && i < a->count; i++) {
            mc_array_get_f64(a, i, &v);
            if (known_bit(v) < 0)
                return MC_OK;
        }
    }
    int64_t shape[2] = {n_cat, 8};
    mc_tensor *known = mc_map_new_tensor(mp, m, "known_cat_bitsets", 2, shape);
    if (!known)
        return MC_E_INPUT;
    uint32_t *bits = known->data.u32;
    for (uint64_t f = 0; f < is_cat->count; f++) {
        double c, v;
        mc_array_get_f64(is_cat, f, &c);
        const mc_ndarray *a = c != 0 ? known_values(mp, thresholds, f) : NULL;
        for (uint64_t i = 0; a && i < a->count; i++) {
            mc_array_get_f64(a, i, &v);
            unsigned bit = (unsigned)known_bit(v);
            bits[bit / 32] |= 1u << (bit % 32);
        }
        bits += a ? 8 : 0;
    }
    return MC_OK;
}

/* f_idx_map and known_cat_bitsets, from _bin_mapper (is_categorical_,
 * bin_thresholds_). */
static mc_status map_known_categories(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    const mc_value *bm = mc_map_get(mp, est, "_bin_mapper", 1);
    const mc_ndarray *is_cat =
        bm ? numeric_array(mp, mc_object_get(bm, "is_categorical_"), 1,
                           "_bin_mapper.is_categorical_")
           : NULL;
    if (!is_cat)
        return MC_E_INPUT;
    const mc_value *thresholds = mc_object_get(bm, "bin_thresholds_");
    if (!thresholds || thresholds->kind != MC_LIST || thresholds->u.seq.len != is_cat->count)
        return mc_map_fail(mp, "_bin_mapper.bin_thresholds_", "expected a list of %llu arrays",
                           (unsigned long long)is_cat->count);
    int64_t n_features = (int64_t)is_cat->count;
    mc_tensor *map = mc_map_new_tensor(mp, m, "f_idx_map", 1, &n_features);
    if (!map)
        return MC_E_INPUT;
    uint32_t n_cat = 0;
    for (uint64_t f = 0; f < is_cat->count; f++) {
        double c;
        mc_array_get_f64(is_cat, f, &c);
        if (c != 0)
            map->data.u32[f] = n_cat++;
    }
    return map_known_bitsets(mp, m, is_cat, thresholds, n_cat);
}

/* ---- the 1.4+ _preprocessor ------------------------------------------------------ */

/* What one (name, transformer, columns) entry of transformers_ does. */
typedef enum step_kind { STEP_DROP, STEP_IDENTITY, STEP_ENCODE, STEP_UNKNOWN } step_kind;

/* FunctionTransformer(partial(check_array, ...)): the identity on float64. */
static int is_check_array(const mc_value *ft)
{
    const mc_value *func = mc_object_get(ft, "func");
    const mc_value *args =
        func && mc_object_is(func, "functools", "partial") ? func->u.object.args : NULL;
    const mc_value *f = mc_value_item(args, 0);
    return f && f->kind == MC_GLOBAL &&
           strcmp(f->u.global.module, "sklearn.utils.validation") == 0 &&
           strcmp(f->u.global.name, "check_array") == 0;
}

/* An OrdinalEncoder whose codes modelconv reproduces: unknown categories
 * get unknown_value, no infrequent categories. */
static int is_plain_ordinal_encoder(const mc_value *enc)
{
    const mc_value *infrequent = mc_object_get(enc, "_infrequent_enabled");
    return class_named(enc, "OrdinalEncoder") &&
           mc_value_is_str(mc_object_get(enc, "handle_unknown"), "use_encoded_value") &&
           (!infrequent || (infrequent->kind == MC_BOOL && !infrequent->u.boolean));
}

static step_kind step_of(const mc_value *trans)
{
    if (mc_value_is_str(trans, "drop"))
        return STEP_DROP;
    if (mc_value_is_str(trans, "passthrough") ||
        (class_named(trans, "FunctionTransformer") && is_check_array(trans)))
        return STEP_IDENTITY;
    if (is_plain_ordinal_encoder(trans))
        return STEP_ENCODE;
    return STEP_UNKNOWN;
}

/* Item i of a column selector (a 1-d ndarray or a list) as an integer;
 * *is_bool says whether it is a boolean.  -1 when it is neither. */
static int selector_item(const mc_value *sel, size_t i, int64_t *v, int *is_bool)
{
    if (sel->kind == MC_NDARRAY) {
        const mc_ndarray *a = &sel->u.array;
        mc_value e = array_element(a, a->dtype, i * a->dtype->itemsize);
        *is_bool = a->dtype->kind == 'b';
        return mc_value_to_int64(&e, v);
    }
    const mc_value *e = sel->u.seq.items[i];
    *is_bool = e->kind == MC_BOOL;
    return mc_value_to_int64(e, v);
}

/* The input columns a ColumnTransformer entry selects (a boolean mask of
 * all n_in columns, or column indices), at most `room` of them.  Returns
 * their count, or -1 for another kind of selector. */
static int64_t selected_columns(const mc_value *sel, int64_t n_in, int64_t room, int64_t *cols)
{
    int is_array = sel && sel->kind == MC_NDARRAY && sel->u.array.ndim == 1 &&
                   (sel->u.array.data || !sel->u.array.count) &&
                   mc_dtype_is_plain_number(sel->u.array.dtype);
    if (!is_array && (!sel || (sel->kind != MC_LIST && sel->kind != MC_TUPLE)))
        return -1;
    uint64_t n = is_array ? sel->u.array.count : sel->u.seq.len;
    int64_t count = 0;
    for (uint64_t i = 0; i < n; i++) {
        int64_t v;
        int is_bool;
        if (selector_item(sel, (size_t)i, &v, &is_bool) || (is_bool && n != (uint64_t)n_in))
            return -1;
        if (is_bool && !v)
            continue;
        int64_t col = is_bool ? (int64_t)i : v;
        if (col < 0 || col >= n_in || count >= room)
            return -1;
        cols[count++] = col;
    }
    return count;
}

/* The categories of encoder column j, as a 1-d numeric array; NULL when not. */
static const mc_ndarray *encoder_categories(const mc_value *enc, size_t j)
{
    const mc_value *cats = mc_value_item(mc_object_get(enc, "categories_"), j);
    if (!cats || cats->kind != MC_NDARRAY || cats->u.array.ndim != 1 ||
        (cats->u.array.count && !cats->u.array.data) ||
        !mc_dtype_is_plain_number(cats->u.array.dtype))
        return NULL;
    return &cats->u.array;
}

typedef struct column_plan {
    int64_t n_in, n_out;
    uint64_t n_categories;
    int64_t *source;               /* per output column: its input column */
    const mc_value **encoder;      /* per output column: its encoder, or NULL */
    size_t *encoder_column;        /* per output column: its column in that encoder */
    const mc_value *unknown, *missing;
} column_plan;

/* Walk transformers_ in order, as ColumnTransformer.transform stacks their
 * outputs.  Returns 0, or -1 when the preprocessor is not one modelconv
 * reproduces. */
static int plan_columns(const mc_value *ct, column_plan *pl)
{
    const mc_value *steps = mc_object_get(ct, "transformers_");
    for (size_t s = 0; s < mc_value_len(steps); s++) {
        const mc_value *step = mc_value_item(steps, s);
        step_kind kind = mc_value_len(step) == 3 ? step_of(mc_value_item(step, 1)) : STEP_UNKNOWN;
        if (kind == STEP_UNKNOWN)
            return -1;
        if (kind == STEP_DROP)
            continue;
        const mc_value *enc = kind == STEP_ENCODE ? mc_value_item(step, 1) : NULL;
        int64_t n = selected_columns(mc_value_item(step, 2), pl->n_in, pl->n_in - pl->n_out,
                                     pl->source + pl->n_out);
        if (n < 0)
            return -1;
        for (int64_t j = 0; j < n; j++) {
            const mc_ndarray *cats = enc ? encoder_categories(enc, (size_t)j) : NULL;
            if (enc && (!cats || mc_add_u64(pl->n_categories, cats->count, &pl->n_categories) ||
                        pl->n_categories > INT64_MAX / 8))
                return -1;
            pl->encoder[pl->n_out + j] = enc;
            pl->encoder_column[pl->n_out + j] = (size_t)j;
        }
        if (enc) {
            pl->unknown = mc_object_get(enc, "unknown_value");
            pl->missing = mc_object_get(enc, "encoded_missing_value");
        }
        pl->n_out += n;
    }
    return 0;
}

static mc_status write_plan(mc_mapper *mp, mc_model *m, const column_plan *pl)
{
    int64_t n = pl->n_out, n1 = n + 1, nc = (int64_t)pl->n_categories;
    mc_tensor *src = mc_map_new_tensor(mp, m, "feature_source", 1, &n);
    mc_tensor *enc = src ? mc_map_new_tensor(mp, m, "feature_is_encoded", 1, &n) : NULL;
    mc_tensor *off = enc ? mc_map_new_tensor(mp, m, "category_offsets", 1, &n1) : NULL;
    mc_tensor *cats = off ? mc_map_new_tensor(mp, m, "categories", 1, &nc) : NULL;
    mc_tensor *unknown = cats ? mc_map_new_tensor(mp, m, "unknown_value", 0, NULL) : NULL;
    mc_tensor *missing =
        unknown ? mc_map_new_tensor(mp, m, "encoded_missing_value", 0, NULL) : NULL;
    if (!missing)
        return MC_E_INPUT;
    int64_t at = 0;
    for (int64_t f = 0; f < n; f++) {
        src->data.i64[f] = pl->source[f];
        enc->data.u8[f] = pl->encoder[f] != NULL;
        off->data.i64[f] = at;
        const mc_ndarray *c =
            pl->encoder[f] ? encoder_categories(pl->encoder[f], pl->encoder_column[f]) : NULL;
        for (uint64_t i = 0; c && i < c->count; i++)
            mc_array_get_f64(c, i, &cats->data.f64[at++]);
    }
    off->data.i64[n] = at;
    unknown->data.f64[0] = missing->data.f64[0] = NAN;
    if ((pl->unknown && mc_value_to_double(pl->unknown, unknown->data.f64)) ||
        (pl->missing && mc_value_to_double(pl->missing, missing->data.f64)))
        return mc_map_fail(mp, "_preprocessor", "the OrdinalEncoder's unknown_value or "
                                                "encoded_missing_value is not a number");
    return MC_OK;
}

/* Describe `_preprocessor` by tensors when it is the ColumnTransformer
 * _preprocess_X builds (gradient_boosting.py, 1.4+); otherwise leave them
 * out, and the kernel refuses the model (the ColumnTransformer stays in the
 * state either way). */
static mc_status map_preprocessor(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    const mc_value *ct = mc_object_get(est, "_preprocessor");
    int64_t n_in;
    if (!class_named(ct, "ColumnTransformer") ||
        mc_value_to_int64(mc_object_get(ct, "n_features_in_"), &n_in) || n_in < 1 ||
        n_in > INT32_MAX)
        return MC_OK;
    column_plan pl;
    memset(&pl, 0, sizeof pl);
    pl.n_in = n_in;
    pl.source = mc_doc_alloc(mp->doc, (size_t)n_in * sizeof *pl.source);
    pl.encoder = mc_doc_alloc(mp->doc, (size_t)n_in * sizeof *pl.encoder);
    pl.encoder_column = mc_doc_alloc(mp->doc, (size_t)n_in * sizeof *pl.encoder_column);
    if (!pl.source || !pl.encoder || !pl.encoder_column)
        return mc_map_nomem(mp);
    if (plan_columns(ct, &pl) || pl.n_out != mc_model_tensor(m, "f_idx_map")->shape[0])
        return MC_OK;
    return write_plan(mp, m, &pl);
}

/* ---- the estimator ----------------------------------------------------------------- */

/* *exact says whether the tensor holds _baseline_prediction as it was (else
 * the state keeps it too). */
static mc_status map_baseline(mc_mapper *mp, const mc_value *est, mc_model *m, int64_t per_it,
                              int *exact)
{
    const mc_value *b = mc_map_get(mp, est, "_baseline_prediction", 1);
    mc_tensor *t;
    mc_status st = b ? mc_map_array(mp, m, "baseline_prediction", b, &t) : MC_E_INPUT;
    if (!st && (t->ndim != 2 || t->shape[0] != 1 || t->shape[1] != per_it))
        st = mc_map_fail(mp, "_baseline_prediction", "expected shape (1, %lld)",
                         (long long)per_it);
    if (!st)
        *exact = mc_map_array_exact(b, t);
    return st;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    const char *consumed[] = {"_predictors", "_baseline_prediction", NULL};
    const mc_value *labels = mc_object_get(est, "classes_");
    m->task = labels ? MC_TASK_CLASSIFIER : MC_TASK_REGRESSOR;
    int64_t per_it;
    int baseline_exact = 0;
    mc_status st = labels ? mc_map_classes(mp, m, labels) : MC_OK;
    if (!st)
        st = map_predictors(mp, est, m, &per_it);
    if (!st)
        st = map_baseline(mp, est, m, per_it, &baseline_exact);
    if (!baseline_exact)
        consumed[1] = NULL;
    if (!st)
        st = map_known_categories(mp, est, m);
    if (!st)
        st = map_preprocessor(mp, est, m);
    if (!st)
        st = mc_map_split_state(mp, m, est, consumed);
    return st;
}

/* Tree t is _predictors[t / n_trees_per_iteration][t % n_trees_per_iteration]. */
static void tree_path(const mc_model *m, uint64_t tree, char *buf, size_t size)
{
    const mc_tensor *b = mc_model_tensor(m, "baseline_prediction");
    uint64_t k = b && b->ndim == 2 && b->shape[1] > 0 ? (uint64_t)b->shape[1] : 1;
    snprintf(buf, size, "_predictors[%llu][%llu]", (unsigned long long)(tree / k),
             (unsigned long long)(tree % k));
}

const mc_family mc_family_hist_boosting = {"hist_boosting", specs,
                                           sizeof specs / sizeof specs[0] - 1, classes, map,
                                           tree_path};
