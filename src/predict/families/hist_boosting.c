/* HistGradientBoostingClassifier / Regressor prediction
 * (schemas/families/hist_boosting.md), as scikit-learn computes it:
 *
 *   raw[:, k] = 0 + baseline[k], then += each iteration's tree k, in order
 *       (BaseHistGradientBoosting._raw_predict / _predict_iterations);
 *   a tree compares float64 x <= num_threshold (no float32 cast), sends NaN
 *       by missing_go_to_left, and splits categories as
 *       _predictor.pyx _predict_one_from_raw_data does;
 *   predict / predict_proba go through the loss link (sklearn/_loss/link.py).
 *
 * The exponentials are numpy's: np.exp of float64 on x86-64 with AVX-512
 * (AVX512_SKX) runs Intel SVML, not libm, and its results differ from libm's
 * in the last bit for about 1 input in 4 (numpy 1.x, __svml_exp8) or 1 in
 * 20 (numpy 2.x, __svml_exp8_ha).  Both are reproduced below, picked by the
 * numpy generation that wrote the model (predict/numpy_exp.c).
 * scipy.special.expit is 1 / (1 + exp(-x)) with libm's exp, and is computed
 * so. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "predict/kernel.h"
#include "predict/numeric.h"

/* scipy.special.expit: 1 / (1 + exp(-x)) with libm's exp. */
static double expit(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* ---- the prepared model ----------------------------------------------------------- */

typedef enum node_kind { NODE_LEAF, NODE_NUMERIC, NODE_CATEGORICAL } node_kind;

/* A node as the traversal reads it; indices are global.  child[1] is the
 * left child, child[0] the right one; a leaf is its own child both ways, so
 * that a walk may take more steps than the leaf's depth. */
typedef struct hgb_node {
    double num;            /* num_threshold, or the value of a leaf */
    uint32_t child[2];
    uint32_t feature;      /* index into the trees' features */
    uint8_t kind;          /* node_kind */
    uint8_t missing_left;
    uint32_t cat_row;      /* row of raw_left_cat_bitsets */
    uint32_t known_row;    /* row of known_cat_bitsets */
} hgb_node;

/* Where a tree's nodes start and how it is walked. */
typedef struct hgb_tree {
    uint32_t root;
    uint32_t depth;        /* steps from the root to the deepest leaf */
    int categorical;       /* has categorical splits: walked row by row */
} hgb_tree;

typedef enum hgb_link { LINK_IDENTITY, LINK_LOG, LINK_LOGIT, LINK_SOFTMAX } hgb_link;

/* How the trees' features come from the input (the 1.4+ _preprocessor). */
typedef struct hgb_columns {
    const int64_t *source;          /* input column of each feature */
    const uint8_t *encoded;         /* 1: ordinal code of the value */
    const int64_t *offsets;         /* categories of feature f: [offsets[f], offsets[f+1]) */
    const double *categories;       /* sorted, NaN last if any */
    double unknown, missing;        /* codes of unseen values and of NaN */
} hgb_columns;

typedef struct hgb {
    uint32_t n_trees, per_iteration; /* trees in iteration order, k = t % per_iteration */
    hgb_tree *trees;
    hgb_node *nodes;
    uint32_t n_features;             /* the trees' features */
    const uint32_t *raw_bitsets;     /* rows of 8 words */
    const uint32_t *known_bitsets;
    const double *baseline;          /* per_iteration values */
    int preprocess;                  /* cols is set */
    hgb_columns cols;
    hgb_link link;
    mc_exp_variant exp_kind;
    int predict_from_raw;            /* >= 1.4: predict() looks at raw, not proba */
} hgb;

static void release(void *state)
{
    hgb *h = state;
    if (!h)
        return;
    free(h->trees);
    free(h->nodes);
    free(h);
}

/* The tensors prepare reads, checked for type. */
typedef struct hgb_tensors {
    const mc_tensor *tree_offsets, *value, *feature_idx, *num_threshold, *missing, *left, *right,
        *is_leaf, *is_categorical, *bitset_idx, *bitset_offsets, *raw, *baseline, *known,
        *f_idx_map;
} hgb_tensors;

static mc_status get_tensors(const mc_model *m, hgb_tensors *t, mc_error *err)
{
    struct { const mc_tensor **slot; const char *name; mc_elem elem; } list[] = {
        {&t->tree_offsets, "tree_offsets", MC_ELEM_I64},
        {&t->value, "value", MC_ELEM_F64},
        {&t->feature_idx, "feature_idx", MC_ELEM_I64},
        {&t->num_threshold, "num_threshold", MC_ELEM_F64},
        {&t->missing, "missing_go_to_left", MC_ELEM_U8},
        {&t->left, "left", MC_ELEM_U32},
        {&t->right, "right", MC_ELEM_U32},
        {&t->is_leaf, "is_leaf", MC_ELEM_U8},
        {&t->is_categorical, "is_categorical", MC_ELEM_U8},
        {&t->bitset_idx, "bitset_idx", MC_ELEM_U32},
        {&t->bitset_offsets, "bitset_offsets", MC_ELEM_I64},
        {&t->raw, "raw_left_cat_bitsets", MC_ELEM_U32},
        {&t->baseline, "baseline_prediction", MC_ELEM_F64},
        {&t->f_idx_map, "f_idx_map", MC_ELEM_U32},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (!(*list[i].slot = mc_kernel_tensor(m, list[i].name, list[i].elem, err)))
            return MC_E_INPUT;
    /* absent when scikit-learn cannot build it either */
    if (!mc_model_tensor(m, "known_cat_bitsets")) {
        mc_error_set(err, MC_E_INPUT, -1,
                     "%s: a known category is outside [0, 255]: scikit-learn cannot predict "
                     "with this model either (make_known_categories_bitsets raises "
                     "OverflowError)",
                     m->estimator);
        mc_error_set_where(err, "_bin_mapper.bin_thresholds_");
        return MC_E_INPUT;
    }
    t->known = mc_kernel_tensor(m, "known_cat_bitsets", MC_ELEM_U32, err);
    return t->known ? MC_OK : MC_E_INPUT;
}

static mc_status bad_model(const mc_model *m, const char *tensor, const char *what,
                           mc_error *err)
{
    mc_error_set(err, MC_E_INPUT, -1, "%s: %s", m->estimator, what);
    mc_error_set_where(err, tensor);
    return MC_E_INPUT;
}

/* offsets (n+1 entries) must run from 0 to `total`, never decreasing. */
static int offsets_valid(const mc_tensor *o, uint64_t total)
{
    const int64_t *v = o->data.i64;
    if (o->count < 1 || v[0] != 0 || (uint64_t)v[o->count - 1] != total)
        return 0;
    for (uint64_t i = 1; i < o->count; i++)
        if (v[i] < v[i - 1])
            return 0;
    return 1;
}

static mc_status check_layout(const mc_model *m, const hgb_tensors *t, hgb *h, mc_error *err)
{
    uint64_t n = t->value->count;
    const mc_tensor *same[] = {t->feature_idx, t->num_threshold, t->missing, t->left,
                               t->right,       t->is_leaf,       t->is_categorical, t->bitset_idx};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (same[i]->count != n)
            return bad_model(m, same[i]->name, "node arrays of different lengths", err);
    if (t->baseline->ndim != 2 || t->baseline->shape[0] != 1 || t->baseline->shape[1] < 1 ||
        t->baseline->shape[1] > INT32_MAX)
        return bad_model(m, "baseline_prediction", "expected shape (1, n_trees_per_iteration)",
                         err);
    if (n > UINT32_MAX || t->tree_offsets->count - 1 > UINT32_MAX ||
        t->bitset_offsets->count != t->tree_offsets->count || t->raw->ndim != 2 ||
        t->raw->shape[1] != 8 || t->raw->count / 8 > UINT32_MAX || t->known->ndim != 2 ||
        t->known->shape[1] != 8 || t->known->count / 8 > UINT32_MAX ||
        t->f_idx_map->count > UINT32_MAX)
        return bad_model(m, "tree_offsets", "inconsistent tree layout", err);
    h->per_iteration = (uint32_t)t->baseline->shape[1];
    h->n_trees = (uint32_t)(t->tree_offsets->count - 1);
    h->n_features = (uint32_t)t->f_idx_map->count;
    if (h->n_trees % h->per_iteration)
        return bad_model(m, "tree_offsets", "trees are not whole iterations", err);
    if (!offsets_valid(t->tree_offsets, n))
        return bad_model(m, "tree_offsets", "node offsets out of order", err);
    if (!offsets_valid(t->bitset_offsets, t->raw->count / 8))
        return bad_model(m, "bitset_offsets", "bitset offsets out of order", err);
    for (uint32_t tr = 0; tr < h->n_trees; tr++)
        if (t->tree_offsets->data.i64[tr] == t->tree_offsets->data.i64[tr + 1])
            return bad_model(m, "tree_offsets", "a tree without nodes", err);
    return MC_OK;
}

/* Node i (global) of tree `tr` in traversal form.  Children must come after
 * their parent inside the tree (scikit-learn numbers nodes in pre-order), so
 * every walk ends at a leaf; node_depth (of the tree's nodes, from `first`)
 * gets the children's depths: the longest way to them, should a corrupt
 * tree reach a node twice. */
static mc_status build_node(const mc_model *m, const hgb_tensors *t, hgb *h, uint32_t tr,
                            uint64_t i, uint32_t *node_depth, mc_error *err)
{
    uint64_t first = (uint64_t)t->tree_offsets->data.i64[tr];
    uint64_t size = (uint64_t)t->tree_offsets->data.i64[tr + 1] - first, local = i - first;
    uint64_t rows = (uint64_t)(t->bitset_offsets->data.i64[tr + 1] -
                               t->bitset_offsets->data.i64[tr]);
    hgb_node *nd = &h->nodes[i];
    memset(nd, 0, sizeof *nd);
    if (t->is_leaf->data.u8[i]) {
        nd->kind = NODE_LEAF;
        nd->num = t->value->data.f64[i];
        nd->child[0] = nd->child[1] = (uint32_t)i;
        return MC_OK;
    }
    uint32_t l = t->left->data.u32[i], r = t->right->data.u32[i];
    int64_t f = t->feature_idx->data.i64[i];
    if (l <= local || l >= size || r <= local || r >= size)
        return bad_model(m, "left", "a child that is not after its parent in its tree", err);
    if (f < 0 || (uint64_t)f >= h->n_features)
        return bad_model(m, "feature_idx", "split feature out of range", err);
    nd->child[1] = (uint32_t)(first + l);
    nd->child[0] = (uint32_t)(first + r);
    uint32_t below = node_depth[local] + 1; /* the longest way down */
    node_depth[l] = node_depth[l] > below ? node_depth[l] : below;
    node_depth[r] = node_depth[r] > below ? node_depth[r] : below;
    nd->feature = (uint32_t)f;
    nd->num = t->num_threshold->data.f64[i];
    nd->missing_left = t->missing->data.u8[i] != 0;
    nd->kind = t->is_categorical->data.u8[i] ? NODE_CATEGORICAL : NODE_NUMERIC;
    if (nd->kind == NODE_CATEGORICAL) {
        uint32_t b = t->bitset_idx->data.u32[i], known = t->f_idx_map->data.u32[f];
        if (b >= rows || known >= t->known->count / 8)
            return bad_model(m, "bitset_idx", "categorical split without its bitsets", err);
        nd->cat_row = (uint32_t)t->bitset_offsets->data.i64[tr] + b;
        nd->known_row = known;
    }
    return MC_OK;
}

static mc_status build_tree(const mc_model *m, const hgb_tensors *t, hgb *h, uint32_t tr,
                            uint32_t *node_depth, mc_error *err)
{
    int64_t first = t->tree_offsets->data.i64[tr], end = t->tree_offsets->data.i64[tr + 1];
    hgb_tree *tree = &h->trees[tr];
    tree->root = (uint32_t)first;
    memset(node_depth, 0, (size_t)(end - first) * sizeof *node_depth);
    for (int64_t i = first; i < end; i++) {
        mc_status st = build_node(m, t, h, tr, (uint64_t)i, node_depth, err);
        if (st)
            return st;
        if (node_depth[i - first] > tree->depth)
            tree->depth = node_depth[i - first];
        tree->categorical |= h->nodes[i].kind == NODE_CATEGORICAL;
    }
    return MC_OK;
}

static mc_status build_nodes(const mc_model *m, const hgb_tensors *t, hgb *h, mc_error *err)
{
    uint64_t largest = 1;
    for (uint32_t tr = 0; tr < h->n_trees; tr++) {
        uint64_t size = (uint64_t)(t->tree_offsets->data.i64[tr + 1] -
                                   t->tree_offsets->data.i64[tr]);
        largest = size > largest ? size : largest;
    }
    h->trees = calloc(h->n_trees ? h->n_trees : 1, sizeof *h->trees);
    h->nodes = malloc((t->value->count ? t->value->count : 1) * sizeof *h->nodes);
    uint32_t *node_depth = malloc(largest * sizeof *node_depth);
    mc_status st = h->trees && h->nodes && node_depth
                       ? MC_OK
                       : mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (uint32_t tr = 0; !st && tr < h->n_trees; tr++)
        st = build_tree(m, t, h, tr, node_depth, err);
    free(node_depth);
    h->raw_bitsets = t->raw->data.u32;
    h->known_bitsets = t->known->data.u32;
    h->baseline = t->baseline->data.f64;
    return st;
}

/* Categories of one encoded feature: numbers in increasing order, then at
 * most one NaN (np.unique's order, which searchsorted relies on). */
static int categories_sorted(const double *c, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        if (isnan(c[i]) ? i != n - 1 : (i > 0 && !(c[i] > c[i - 1])))
            return 0;
    }
    return 1;
}

static mc_status prepare_columns(const mc_model *m, hgb *h, mc_error *err)
{
    const mc_tensor *src = mc_model_tensor(m, "feature_source");
    const mc_value *pre = mc_model_state(m, "_preprocessor");
    if (!src) {
        if (pre && pre->kind != MC_NONE)
            return bad_model(m, "_preprocessor",
                             "its _preprocessor is not the ColumnTransformer (OrdinalEncoder + "
                             "check_array) HistGradientBoosting builds; modelconv cannot "
                             "reproduce it",
                             err);
        if (m->n_features >= 0 && (uint64_t)m->n_features != h->n_features)
            return bad_model(m, "f_idx_map", "trees and input have different feature counts",
                             err);
        return MC_OK;
    }
    const mc_tensor *enc, *off, *cats, *unknown, *missing;
    if (!(src = mc_kernel_tensor(m, "feature_source", MC_ELEM_I64, err)) ||
        !(enc = mc_kernel_tensor(m, "feature_is_encoded", MC_ELEM_U8, err)) ||
        !(off = mc_kernel_tensor(m, "category_offsets", MC_ELEM_I64, err)) ||
        !(cats = mc_kernel_tensor(m, "categories", MC_ELEM_F64, err)) ||
        !(unknown = mc_kernel_tensor(m, "unknown_value", MC_ELEM_F64, err)) ||
        !(missing = mc_kernel_tensor(m, "encoded_missing_value", MC_ELEM_F64, err)))
        return MC_E_INPUT;
    if (src->count != h->n_features || enc->count != h->n_features ||
        off->count != (uint64_t)h->n_features + 1 || !offsets_valid(off, cats->count) ||
        unknown->count != 1 || missing->count != 1 || m->n_features < 1)
        return bad_model(m, "feature_source", "inconsistent _preprocessor tensors", err);
    for (uint32_t f = 0; f < h->n_features; f++) {
        if (src->data.i64[f] < 0 || src->data.i64[f] >= m->n_features)
            return bad_model(m, "feature_source", "input column out of range", err);
        if (!categories_sorted(cats->data.f64 + off->data.i64[f],
                               off->data.i64[f + 1] - off->data.i64[f]))
            return bad_model(m, "categories", "categories not in np.unique order", err);
    }
    h->preprocess = 1;
    h->cols.source = src->data.i64;
    h->cols.encoded = enc->data.u8;
    h->cols.offsets = off->data.i64;
    h->cols.categories = cats->data.f64;
    h->cols.unknown = unknown->data.f64[0];
    h->cols.missing = missing->data.f64[0];
    return MC_OK;
}

/* The inverse link, from the class of _loss.link (sklearn/_loss/link.py). */
static mc_status prepare_link(const mc_model *m, hgb *h, mc_error *err)
{
    const mc_value *link = mc_object_get(mc_model_state(m, "_loss"), "link");
    const char *name = link && link->kind == MC_OBJECT && link->u.object.cls
                           ? link->u.object.cls->u.global.name
                           : "";
    int classifier = m->task == MC_TASK_CLASSIFIER;
    if (classifier && h->per_iteration == 1 && strcmp(name, "LogitLink") == 0)
        h->link = LINK_LOGIT;
    else if (classifier && h->per_iteration > 1 && strcmp(name, "MultinomialLogit") == 0)
        h->link = LINK_SOFTMAX;
    else if (!classifier && h->per_iteration == 1 && strcmp(name, "IdentityLink") == 0)
        h->link = LINK_IDENTITY;
    else if (!classifier && h->per_iteration == 1 && strcmp(name, "LogLink") == 0)
        h->link = LINK_LOG;
    else
        return bad_model(m, "_loss", "unsupported loss: its _loss.link is not the inverse link "
                                     "of a HistGradientBoosting loss modelconv knows",
                         err);
    uint64_t n_classes = h->per_iteration == 1 ? 2 : h->per_iteration;
    if (classifier && (m->n_class_sets != 1 || m->classes[0].count != n_classes))
        return bad_model(m, "classes_", "classes do not match n_trees_per_iteration_", err);
    return MC_OK;
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    hgb *h = calloc(1, sizeof *h);
    if (!h)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    hgb_tensors t;
    mc_status st = get_tensors(m, &t, err);
    if (!st)
        st = check_layout(m, &t, h, err);
    if (!st)
        st = build_nodes(m, &t, h, err);
    if (!st)
        st = prepare_columns(m, h, err);
    if (!st)
        st = prepare_link(m, h, err);
    if (st) {
        release(h);
        return st;
    }
    /* numpy_hint names the numpy that wrote the file: its exp is the one
     * scikit-learn ran in that environment */
    h->exp_kind = mc_numpy_exp_variant(m);
    /* 1.4 (PR #27844): predict() thresholds raw predictions instead of
     * taking argmax(predict_proba) */
    h->predict_from_raw = mc_kernel_version_at_least(m, 1, 4);
    *methods = 1u << MC_METHOD_PREDICT;
    if (m->task == MC_TASK_CLASSIFIER)
        *methods |= 1u << MC_METHOD_PREDICT_PROBA | 1u << MC_METHOD_DECISION_FUNCTION;
    *state = h;
    return MC_OK;
}

/* ---- running ---------------------------------------------------------------------- */

/* Rows per block (their features and raw predictions stay in cache while
 * every tree walks them), and the fewest that walk together. */
enum { BLOCK_ROWS = 64, LOCKSTEP_ROWS = 8 };

/* <X_BINNED_DTYPE_C>data_val in _predictor.pyx for data_val >= 0: the
 * compiled conversion goes through int32 (cvttsd2si), so values from 2^31 on
 * give 0 and others wrap modulo 256 (measured on 1.2.2 and 1.9.1). */
static unsigned category_byte(double v)
{
    return v < 2147483648.0 ? (uint8_t)(int32_t)v : 0u;
}

static int in_bitset(const uint32_t *bits, unsigned c)
{
    return (bits[c / 32] >> (c % 32)) & 1u;
}

/* One numeric split: x <= num_threshold goes left, NaN goes where
 * missing_go_to_left says (NaN fails the comparison). */
static uint32_t numeric_step(const hgb_node *nd, double v)
{
    unsigned left = (unsigned)(v <= nd->num) | ((unsigned)isnan(v) & nd->missing_left);
    return nd->child[left];
}

/* One categorical split, as _predict_one_from_raw_data: NaN and negative
 * values are missing, categories in the split's bitset go left, other known
 * categories right, unknown categories are treated as missing. */
static uint32_t categorical_step(const hgb *h, const hgb_node *nd, double v)
{
    if (isnan(v) || v < 0)
        return nd->child[nd->missing_left];
    unsigned c = category_byte(v);
    if (in_bitset(h->raw_bitsets + 8 * (size_t)nd->cat_row, c))
        return nd->child[1];
    if (in_bitset(h->known_bitsets + 8 * (size_t)nd->known_row, c))
        return nd->child[0];
    return nd->child[nd->missing_left];
}

/* The leaf value row x reaches from node. */
static double leaf_value(const hgb *h, uint32_t node, const double *x)
{
    for (;;) {
        const hgb_node *nd = &h->nodes[node];
        if (nd->kind == NODE_LEAF)
            return nd->num;
        double v = x[nd->feature];
        node = nd->kind == NODE_NUMERIC ? numeric_step(nd, v) : categorical_step(h, nd, v);
    }
}

/* Add tree t's leaf values to raw column k of `rows` rows.  A few rows walk
 * down one at a time; more walk all together one level at a time, `depth`
 * steps (leaves are their own children): the rows' walks are independent,
 * so the processor overlaps them. */
static void add_tree(const hgb *h, uint32_t t, const double *xs, uint64_t rows, double *raw)
{
    const hgb_tree *tree = &h->trees[t];
    uint32_t k_count = h->per_iteration, k = t % k_count, nf = h->n_features;
    if (rows < LOCKSTEP_ROWS) {
        for (uint64_t i = 0; i < rows; i++)
            raw[i * k_count + k] += leaf_value(h, tree->root, xs + i * nf);
        return;
    }
    uint32_t node[BLOCK_ROWS];
    for (uint64_t i = 0; i < rows; i++)
        node[i] = tree->root;
    for (uint32_t d = 0; d < tree->depth; d++) {
        if (tree->categorical) {
            for (uint64_t i = 0; i < rows; i++) {
                const hgb_node *nd = &h->nodes[node[i]];
                double v = xs[i * nf + nd->feature];
                node[i] = nd->kind == NODE_CATEGORICAL ? categorical_step(h, nd, v)
                                                       : numeric_step(nd, v);
            }
        } else {
            for (uint64_t i = 0; i < rows; i++) {
                const hgb_node *nd = &h->nodes[node[i]];
                node[i] = numeric_step(nd, xs[i * nf + nd->feature]);
            }
        }
    }
    for (uint64_t i = 0; i < rows; i++)
        raw[i * k_count + k] += h->nodes[node[i]].num;
}

/* OrdinalEncoder.transform of one value: its index in the sorted categories
 * (searchsorted), unknown_value for unseen values, encoded_missing_value
 * for NaN when NaN was a category (_missing_indices). */
static double ordinal_code(const hgb_columns *c, uint32_t f, double v)
{
    const double *cats = c->categories + c->offsets[f];
    int64_t n = c->offsets[f + 1] - c->offsets[f];
    int has_nan = n > 0 && isnan(cats[n - 1]);
    if (isnan(v))
        return has_nan ? c->missing : c->unknown;
    int64_t lo = 0, hi = n - has_nan;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cats[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n - has_nan && cats[lo] == v ? (double)lo : c->unknown;
}

/* The trees' features of `rows` input rows (the ColumnTransformer's
 * output).  Infinity in an encoded column is refused as scikit-learn does
 * (OrdinalEncoder checks with ensure_all_finite="allow-nan"). */
static mc_status transform_rows(const hgb *h, const mc_model *m, const double *X, uint64_t row0,
                                uint64_t rows, uint64_t ncols, double *out, mc_error *err)
{
    for (uint64_t i = 0; i < rows; i++) {
        const double *x = X + (row0 + i) * ncols;
        double *o = out + i * h->n_features;
        for (uint32_t f = 0; f < h->n_features; f++) {
            double v = x[h->cols.source[f]];
            if (!h->cols.encoded[f]) {
                o[f] = v;
                continue;
            }
            if (isinf(v))
                return mc_error_set(err, MC_E_USAGE, -1,
                                    "X[%llu, %lld] is infinite, which %s does not accept for a "
                                    "categorical feature (scikit-learn raises ValueError: Input "
                                    "contains infinity)",
                                    (unsigned long long)(row0 + i),
                                    (long long)h->cols.source[f], m->estimator);
            o[f] = ordinal_code(&h->cols, f, v);
        }
    }
    return MC_OK;
}

/* raw (rows x per_iteration) for rows of trees' features xs. */
static void raw_predict(const hgb *h, const double *xs, uint64_t rows, double *raw)
{
    uint32_t k_count = h->per_iteration;
    for (uint64_t i = 0; i < rows; i++)
        for (uint32_t k = 0; k < k_count; k++)
            raw[i * k_count + k] = 0.0 + h->baseline[k];
    for (uint32_t t = 0; t < h->n_trees; t++)
        add_tree(h, t, xs, rows, raw);
}

/* np.argmax: the first maximum, or the first NaN. */
static int64_t argmax(const double *v, uint32_t n)
{
    uint32_t best = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (isnan(v[k]))
            return k;
        if (v[k] > v[best])
            best = k;
    }
    return best;
}

/* sklearn.utils.extmath.softmax on one row of the (n, K) Fortran-ordered
 * raw predictions: subtract the row max, np.exp, divide by the row sum.
 * numpy sums a Fortran array along axis 1 column after column (left to
 * right) — except for a single row, which is contiguous and gets pairwise
 * summation. */
static void softmax_row(const hgb *h, const double *raw, uint64_t n_rows, double *p)
{
    uint32_t k_count = h->per_iteration;
    double max = raw[0]; /* np.max: NaN wins */
    for (uint32_t k = 1; k < k_count && !isnan(max); k++)
        if (isnan(raw[k]) || raw[k] > max)
            max = raw[k];
    for (uint32_t k = 0; k < k_count; k++)
        p[k] = mc_numpy_exp(raw[k] - max, h->exp_kind);
    double sum;
    if (n_rows == 1) {
        sum = mc_pairwise_sum(p, k_count);
    } else {
        sum = 0.0 + p[0];
        for (uint32_t k = 1; k < k_count; k++)
            sum += p[k];
    }
    for (uint32_t k = 0; k < k_count; k++)
        p[k] /= sum;
}

/* HalfBinomialLoss.predict_proba: proba[:, 1] = expit(raw), [:, 0] = 1 - it. */
static void binary_proba(double raw, double *p)
{
    p[1] = expit(raw);
    p[0] = 1 - p[1];
}

static int64_t predicted_class(const hgb *h, const double *raw, uint64_t n_rows, double *tmp)
{
    uint32_t k_count = h->per_iteration;
    if (h->predict_from_raw) /* 1.4+: raw > 0, or argmax of raw */
        return k_count == 1 ? raw[0] > 0 : argmax(raw, k_count);
    /* up to 1.3: np.argmax(self.predict_proba(X), axis=1) */
    if (k_count == 1)
        binary_proba(raw[0], tmp);
    else
        softmax_row(h, raw, n_rows, tmp);
    return argmax(tmp, k_count == 1 ? 2 : k_count);
}

/* The output of `method` for a block of rows from its raw predictions. */
static void finish_block(const hgb *h, mc_method method, const double *raw, uint64_t rows,
                         uint64_t n_rows, void *out, uint64_t row0, double *tmp)
{
    uint32_t k_count = h->per_iteration;
    uint32_t n_proba = k_count == 1 ? 2 : k_count;
    for (uint64_t i = 0; i < rows; i++) {
        const double *r = raw + i * k_count;
        uint64_t at = row0 + i;
        if (method == MC_METHOD_DECISION_FUNCTION) {
            memcpy((double *)out + at * k_count, r, k_count * sizeof *r);
        } else if (method == MC_METHOD_PREDICT_PROBA) {
            double *p = (double *)out + at * n_proba;
            if (k_count == 1)
                binary_proba(r[0], p);
            else
                softmax_row(h, r, n_rows, p);
        } else if (h->link == LINK_LOGIT || h->link == LINK_SOFTMAX) {
            ((int64_t *)out)[at] = predicted_class(h, r, n_rows, tmp);
        } else {
            ((double *)out)[at] = h->link == LINK_LOG ? mc_numpy_exp(r[0], h->exp_kind) : r[0];
        }
    }
}

static void *alloc_output(const hgb *h, mc_method method, uint64_t n, mc_outputs *out,
                          mc_error *err)
{
    uint32_t k_count = h->per_iteration;
    if (mc_outputs_init(out, 1, err))
        return NULL;
    switch (method) {
    case MC_METHOD_DECISION_FUNCTION:
        return mc_output_f64(out, 0, n, k_count == 1 ? 0 : k_count, err);
    case MC_METHOD_PREDICT_PROBA: return mc_output_f64(out, 0, n, k_count == 1 ? 2 : k_count, err);
    default:
        if (h->link == LINK_LOGIT || h->link == LINK_SOFTMAX)
            return mc_output_i64(out, 0, n, 0, err);
        return mc_output_f64(out, 0, n, 0, err);
    }
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const hgb *h = state;
    if (!h->preprocess && ncols != h->n_features)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %u",
                            (unsigned long long)ncols, m->estimator, h->n_features);
    void *o = alloc_output(h, method, n, out, err);
    uint32_t n_proba = h->per_iteration == 1 ? 2 : h->per_iteration;
    double *raw = malloc((size_t)BLOCK_ROWS * h->per_iteration * sizeof *raw);
    double *tmp = malloc(n_proba * sizeof *tmp);
    size_t xs_size = (size_t)BLOCK_ROWS * (h->n_features ? h->n_features : 1) * sizeof(double);
    double *xs = h->preprocess ? malloc(xs_size) : NULL;
    mc_status st = MC_OK;
    if (!o || !raw || !tmp || (h->preprocess && !xs))
        st = o ? mc_error_set(err, MC_E_NOMEM, -1, "out of memory") : MC_E_NOMEM;
    for (uint64_t row0 = 0; !st && row0 < n; row0 += BLOCK_ROWS) {
        uint64_t rows = n - row0 < BLOCK_ROWS ? n - row0 : BLOCK_ROWS;
        const double *block = X + row0 * ncols;
        if (h->preprocess) {
            st = transform_rows(h, m, X, row0, rows, ncols, xs, err);
            block = xs;
        }
        if (!st) {
            raw_predict(h, block, rows, raw);
            finish_block(h, method, raw, rows, n, o, row0, tmp);
        }
    }
    free(raw);
    free(tmp);
    free(xs);
    return st;
}

const mc_kernel mc_kernel_hist_boosting = {"hist_boosting", prepare, release, run};
