/* Probe rows made from a model (mc_probes_make in validate.h): inputs that
 * reach its decisions.
 *
 * From the model's tensors (for a pipeline, its first real step's, which
 * see the pipeline's input):
 *  - trees (node tensors feature/threshold/children_left/children_right, or
 *    hist-boosting's feature_idx/num_threshold/left/right, split by
 *    tree_offsets): for each split node, a row that follows
 *    the path from the root to it (each feature tested on the way set
 *    inside the interval the path allows), with the node's feature set to
 *    the largest float32 <= threshold, the threshold, the next double above
 *    and the next float32 above — both sides of float32 trees
 *    ((float)x <= t) and of float64 ones (x <= t);
 *  - float vectors of n_features values (means, scales, data_min/max,
 *    statistics, ...): each value in its feature, and points spread over
 *    and beyond the range those values (and the thresholds) span;
 *  - float matrices of n_features columns (cluster centres, support
 *    vectors, components): their rows;
 * and always: the mid row, a deterministic pseudo-random grid over each
 * feature's range widened on both sides, rows of small integers (category
 * codes), and NaN in each feature in turn (missing values).  Features not
 * on a path stay at mid values (the middle of their range). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "validate/diffs.h"

enum {
    DEFAULT_MAX_ROWS = 20000,
    MAX_TREE_DEPTH = 4096,     /* deeper paths are not followed             */
    MAX_MODEL_DEPTH = 64,      /* nor deeper child models                   */
    MAX_CELLS = 1 << 23,       /* 64 MiB of probe rows at most              */
    ROWS_PER_MATRIX = 64,      /* rows taken from one n_features matrix     */
    GRID_ROWS = 64,
    INTEGER_ROWS = 8
};

typedef struct split {
    uint64_t f;
    double t;
} split;

/* The node tensors of a model's trees, all of one length; offsets may be
 * NULL (one tree). */
typedef struct forest {
    const mc_tensor *feature, *threshold, *left, *right, *offsets;
} forest;

typedef struct builder {
    uint64_t cols;
    double *lo, *hi, *mid, *width;   /* per feature                        */
    split *vals;                     /* (feature, value) from vectors      */
    size_t nvals, vals_cap;
    const mc_tensor **mats;          /* n_features-column matrices          */
    size_t nmats, mats_cap;
    forest *forests;                 /* models with trees                   */
    size_t nforests, forests_cap;
    double *path_lo, *path_hi;       /* per feature: what the path allows   */
    uint64_t node_step, node_seen;   /* a row set for every node_step-th split */
    double *X;
    uint64_t rows, max_rows;
} builder;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Widen feature f's range to take v. */
static void note_range(builder *b, uint64_t f, double v)
{
    if (isfinite(v)) {
        b->lo[f] = fmin(b->lo[f], v);
        b->hi[f] = fmax(b->hi[f], v);
    }
}

static int add_value(builder *b, uint64_t f, double v)
{
    if (!isfinite(v))
        return 0;
    if (grow((void **)&b->vals, &b->vals_cap, b->nvals + 1, sizeof *b->vals))
        return -1;
    b->vals[b->nvals++] = (split){f, v};
    note_range(b, f, v);
    return 0;
}

static double tensor_f64(const mc_tensor *t, uint64_t i)
{
    return t->elem == MC_ELEM_F64 ? t->data.f64[i] : (double)t->data.f32[i];
}

static int is_float(const mc_tensor *t)
{
    return t && (t->elem == MC_ELEM_F64 || t->elem == MC_ELEM_F32);
}

static int64_t tensor_int(const mc_tensor *t, uint64_t i)
{
    switch (t->elem) {
    case MC_ELEM_I64: return t->data.i64[i];
    case MC_ELEM_I32: return t->data.i32[i];
    case MC_ELEM_U32: return t->data.u32[i];
    case MC_ELEM_U8: return t->data.u8[i];
    default: return -1;
    }
}

static const mc_tensor *first_tensor(const mc_model *m, const char *a, const char *b)
{
    const mc_tensor *t = mc_model_tensor(m, a);
    return t ? t : mc_model_tensor(m, b);
}

static int is_index(const mc_tensor *t)
{
    return t && t->elem != MC_ELEM_STR && !is_float(t);
}

static int forest_of(const mc_model *m, forest *f)
{
    f->feature = first_tensor(m, "feature", "feature_idx");
    f->threshold = first_tensor(m, "threshold", "num_threshold");
    f->left = first_tensor(m, "children_left", "left");
    f->right = first_tensor(m, "children_right", "right");
    f->offsets = mc_model_tensor(m, "tree_offsets");
    uint64_t n = f->feature ? f->feature->count : 0;
    if (!is_index(f->feature) || !is_float(f->threshold) || !is_index(f->left) ||
        !is_index(f->right) || f->threshold->count != n || f->left->count != n ||
        f->right->count != n)
        return 0;
    if (f->offsets && (!is_index(f->offsets) || f->offsets->ndim != 1 || f->offsets->count < 1 ||
                       (uint64_t)tensor_int(f->offsets, f->offsets->count - 1) != n))
        f->offsets = NULL;
    return 1;
}

/* A model's trees: their thresholds widen the features' ranges; the
 * split rows come later (tree_rows), once the ranges are known. */
static int gather_forest(builder *b, const mc_model *m)
{
    forest f;
    if (!forest_of(m, &f))
        return 0;
    for (uint64_t i = 0; i < f.feature->count; i++) {
        int64_t x = tensor_int(f.feature, i);
        if (x >= 0 && (uint64_t)x < b->cols)
            note_range(b, (uint64_t)x, tensor_f64(f.threshold, i));
    }
    if (grow((void **)&b->forests, &b->forests_cap, b->nforests + 1, sizeof *b->forests))
        return -1;
    b->forests[b->nforests++] = f;
    return 0;
}

/* Values and rows from m's tensors; children too (MAX_MODEL_DEPTH levels),
 * except a pipeline's later steps (they see transformed data). */
static int gather(builder *b, const mc_model *m, int depth)
{
    if (depth > MAX_MODEL_DEPTH)
        return 0;
    if (strcmp(m->family ? m->family : "", "pipeline") == 0) {
        for (uint32_t i = 0; i < m->nchildren; i++)
            if (strcmp(m->children[i]->family, "passthrough") != 0)
                return gather(b, m->children[i], depth + 1);
        return 0;
    }
    if (gather_forest(b, m))
        return -1;
    for (uint32_t i = 0; i < m->ntensors; i++) {
        const mc_tensor *t = &m->tensors[i];
        if (!is_float(t))
            continue;
        if (t->ndim == 1 && (uint64_t)t->shape[0] == b->cols) {
            for (uint64_t f = 0; f < b->cols; f++)
                if (add_value(b, f, tensor_f64(t, f)))
                    return -1;
        } else if (t->ndim == 2 && (uint64_t)t->shape[1] == b->cols && t->shape[0] > 0) {
            if (grow((void **)&b->mats, &b->mats_cap, b->nmats + 1, sizeof *b->mats))
                return -1;
            b->mats[b->nmats++] = t;
        }
    }
    for (uint32_t i = 0; i < m->nchildren; i++)
        if (gather(b, m->children[i], depth + 1))
            return -1;
    return 0;
}

static int cmp_split(const void *x, const void *y)
{
    const split *a = x, *b = y;
    if (a->f != b->f)
        return a->f < b->f ? -1 : 1;
    return a->t < b->t ? -1 : a->t > b->t;
}

static size_t sort_unique(split *s, size_t n)
{
    if (!n)
        return 0;
    qsort(s, n, sizeof *s, cmp_split);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (s[i].f != s[k - 1].f || s[i].t != s[k - 1].t)
            s[k++] = s[i];
    return k;
}

/* Each feature's range from the values and thresholds seen ([-1, 1] when
 * none were), its middle and its width. */
static void finish_ranges(builder *b)
{
    for (uint64_t f = 0; f < b->cols; f++) {
        if (b->lo[f] > b->hi[f]) {
            b->lo[f] = -1;
            b->hi[f] = 1;
        }
        b->mid[f] = b->lo[f] / 2 + b->hi[f] / 2;
        double w = b->hi[f] - b->lo[f];
        if (!(w > 0) || !isfinite(w))
            w = fmax(fabs(b->mid[f]), 1.0);
        b->width[f] = w;
    }
}

/* A new row at the mid values; NULL when the rows are all made. */
static double *new_row(builder *b)
{
    if (b->rows >= b->max_rows)
        return NULL;
    double *r = b->X + b->rows++ * b->cols;
    memcpy(r, b->mid, b->cols * sizeof *r);
    return r;
}

static void row_with(builder *b, uint64_t f, double v)
{
    double *r = new_row(b);
    if (r)
        r[f] = v;
}

static double below_f32(double t)
{
    float f = (float)t;
    if ((double)f > t)
        f = nextafterf(f, -INFINITY);
    return f;
}

static double above_f32(double t)
{
    float f = (float)t;
    if ((double)f <= t)
        f = nextafterf(f, INFINITY);
    return f;
}

/* Set the features the current path constrains to values it allows. */
static void follow_path(const builder *b, double *row)
{
    for (uint64_t f = 0; f < b->cols; f++) {
        double lo = b->path_lo[f], hi = b->path_hi[f];
        if (!(row[f] >= lo && row[f] <= hi))
            row[f] = isfinite(hi) ? hi : lo;
    }
}

static void split_rows(builder *b, uint64_t f, double t)
{
    double v[4] = {below_f32(t), t, nextafter(t, INFINITY), above_f32(t)};
    for (int i = 0; i < 4; i++) {
        int dup = 0;
        for (int k = 0; k < i; k++)
            dup |= v[k] == v[i];
        double *row = dup || !isfinite(v[i]) ? NULL : new_row(b);
        if (row) {
            follow_path(b, row);
            row[f] = v[i];
        }
    }
}

/* Children have larger indices than their parent in scikit-learn's trees
 * and hist-boosting predictors; anything else is a leaf (-1, or 0). */
static int is_split(const forest *fo, uint64_t base, uint64_t n, uint64_t node)
{
    int64_t l = tensor_int(fo->left, base + node), r = tensor_int(fo->right, base + node);
    return l > (int64_t)node && r > (int64_t)node && (uint64_t)l < n && (uint64_t)r < n;
}

static int usable_split(const builder *b, const forest *fo, uint64_t at)
{
    int64_t f = tensor_int(fo->feature, at);
    return f >= 0 && (uint64_t)f < b->cols && isfinite(tensor_f64(fo->threshold, at));
}

/* Depth first from `node`, narrowing the path's interval of each feature
 * tested: x <= t on the left, x > t on the right (in float32 and float64
 * alike: the left bound is the largest float32 <= t, the right one the
 * next float32 above t). */
static void walk(builder *b, const forest *fo, uint64_t base, uint64_t n, uint64_t node, int depth)
{
    if (depth > MAX_TREE_DEPTH || b->rows >= b->max_rows || !is_split(fo, base, n, node))
        return;
    uint64_t l = (uint64_t)tensor_int(fo->left, base + node);
    uint64_t r = (uint64_t)tensor_int(fo->right, base + node);
    if (!usable_split(b, fo, base + node)) { /* categorical or odd: just go on */
        walk(b, fo, base, n, l, depth + 1);
        walk(b, fo, base, n, r, depth + 1);
        return;
    }
    uint64_t f = (uint64_t)tensor_int(fo->feature, base + node);
    double t = tensor_f64(fo->threshold, base + node);
    if (b->node_seen++ % b->node_step == 0)
        split_rows(b, f, t);
    double lo = b->path_lo[f], hi = b->path_hi[f];
    b->path_hi[f] = fmin(hi, below_f32(t));
    walk(b, fo, base, n, l, depth + 1);
    b->path_hi[f] = hi;
    b->path_lo[f] = fmax(lo, above_f32(t));
    walk(b, fo, base, n, r, depth + 1);
    b->path_lo[f] = lo;
}

static uint64_t trees_in(const forest *fo)
{
    return fo->offsets ? fo->offsets->count - 1 : 1;
}

/* Tree k's nodes: [*base, *base + *n); 0 when the offsets are unusable. */
static int tree_span(const forest *fo, uint64_t k, uint64_t *base, uint64_t *n)
{
    if (!fo->offsets) {
        *base = 0;
        *n = fo->feature->count;
        return 1;
    }
    int64_t a = tensor_int(fo->offsets, k), z = tensor_int(fo->offsets, k + 1);
    if (a < 0 || z < a || (uint64_t)z > fo->feature->count)
        return 0;
    *base = (uint64_t)a;
    *n = (uint64_t)(z - a);
    return 1;
}

/* Rows for the splits of every tree, at most `room` splits (every k-th when
 * there are more). */
static void tree_rows(builder *b, uint64_t room)
{
    uint64_t splits = 0, base, n;
    for (size_t i = 0; i < b->nforests; i++)
        for (uint64_t k = 0; k < trees_in(&b->forests[i]); k++)
            for (uint64_t j = 0; tree_span(&b->forests[i], k, &base, &n) && j < n; j++)
                splits += is_split(&b->forests[i], base, n, j) &&
                          usable_split(b, &b->forests[i], base + j);
    if (!room || !splits)
        return;
    b->node_step = splits > room ? (splits + room - 1) / room : 1;
    for (uint64_t f = 0; f < b->cols; f++) {
        b->path_lo[f] = -INFINITY;
        b->path_hi[f] = INFINITY;
    }
    for (size_t i = 0; i < b->nforests; i++)
        for (uint64_t k = 0; k < trees_in(&b->forests[i]); k++)
            if (tree_span(&b->forests[i], k, &base, &n))
                walk(b, &b->forests[i], base, n, 0, 0);
}

static void spread_rows(builder *b)
{
    for (uint64_t f = 0; f < b->cols; f++) {
        double lo = b->lo[f], hi = b->hi[f], w = b->width[f];
        double v[7] = {lo - w, lo, lo + w / 4, b->mid[f], hi - w / 4, hi, hi + w};
        for (int i = 0; i < 7; i++)
            if (isfinite(v[i]))
                row_with(b, f, v[i]);
    }
    for (size_t i = 0; i < b->nvals; i++)
        row_with(b, b->vals[i].f, b->vals[i].t);
}

static void matrix_rows(builder *b)
{
    for (size_t i = 0; i < b->nmats; i++) {
        const mc_tensor *t = b->mats[i];
        uint64_t n = (uint64_t)t->shape[0];
        uint64_t step = n > ROWS_PER_MATRIX ? n / ROWS_PER_MATRIX : 1;
        for (uint64_t r = 0; r < n; r += step) {
            double *row = new_row(b);
            if (!row)
                return;
            for (uint64_t f = 0; f < b->cols; f++)
                row[f] = tensor_f64(t, r * b->cols + f);
        }
    }
}

/* splitmix64: a fixed stream, so probes are the same on every run */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void grid_rows(builder *b)
{
    uint64_t state = 0x6d6f64656c636f6eu; /* "modelcon" */
    for (int r = 0; r < GRID_ROWS; r++) {
        double *row = new_row(b);
        if (!row)
            return;
        for (uint64_t f = 0; f < b->cols; f++) {
            double u = (double)(next_random(&state) >> 11) / 9007199254740992.0; /* [0, 1) */
            row[f] = b->lo[f] - b->width[f] + u * (b->hi[f] - b->lo[f] + 2 * b->width[f]);
        }
    }
    for (int r = 0; r < INTEGER_ROWS; r++) {
        double *row = new_row(b);
        if (!row)
            return;
        for (uint64_t f = 0; f < b->cols; f++)
            row[f] = (double)((r + f) % INTEGER_ROWS);
    }
}

static void missing_rows(builder *b)
{
    for (uint64_t f = 0; f < b->cols; f++)
        row_with(b, f, NAN);
    double *row = new_row(b);
    for (uint64_t f = 0; row && f < b->cols; f++)
        row[f] = NAN;
}

static void builder_free(builder *b)
{
    free(b->lo);
    free(b->hi);
    free(b->mid);
    free(b->width);
    free(b->vals);
    free(b->mats);
    free(b->forests);
    free(b->path_lo);
    free(b->path_hi);
}

mc_status mc_probes_make(const mc_model *m, uint64_t max_rows, mc_probes *out, mc_error *err)
{
    memset(out, 0, sizeof *out);
    if (m->n_features <= 0)
        return mc_error_set(err, MC_E_INPUT, -1,
                            "%s does not say how many features it takes: give probe rows",
                            m->estimator);
    builder b;
    memset(&b, 0, sizeof b);
    b.cols = (uint64_t)m->n_features;
    b.max_rows = max_rows ? max_rows : DEFAULT_MAX_ROWS;
    if (b.max_rows > MAX_CELLS / b.cols)
        b.max_rows = MAX_CELLS / b.cols > 1 ? MAX_CELLS / b.cols : 1;
    b.lo = malloc(b.cols * sizeof *b.lo);
    b.hi = malloc(b.cols * sizeof *b.hi);
    b.mid = malloc(b.cols * sizeof *b.mid);
    b.width = malloc(b.cols * sizeof *b.width);
    b.path_lo = malloc(b.cols * sizeof *b.path_lo);
    b.path_hi = malloc(b.cols * sizeof *b.path_hi);
    b.X = malloc(b.max_rows * b.cols * sizeof *b.X);
    int ok = b.lo && b.hi && b.mid && b.width && b.path_lo && b.path_hi && b.X;
    for (uint64_t f = 0; ok && f < b.cols; f++) {
        b.lo[f] = INFINITY;
        b.hi[f] = -INFINITY;
    }
    if (!ok || gather(&b, m, 0)) {
        builder_free(&b);
        free(b.X);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    b.nvals = sort_unique(b.vals, b.nvals);
    finish_ranges(&b);

    new_row(&b);
    spread_rows(&b);
    matrix_rows(&b);
    grid_rows(&b);
    /* splits take what is left after the NaN rows, sampled evenly */
    uint64_t nan_rows = b.cols + 1;
    tree_rows(&b, b.max_rows > b.rows + nan_rows ? (b.max_rows - b.rows - nan_rows) / 4 : 0);
    missing_rows(&b);

    out->X = b.X;
    out->rows = b.rows;
    out->cols = b.cols;
    builder_free(&b);
    return MC_OK;
}

void mc_probes_free(mc_probes *p)
{
    free(p->X);
    memset(p, 0, sizeof *p);
}
