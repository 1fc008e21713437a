/* Trees, forests, gradient boosting and isolation forests, reproducing
 * scikit-learn's arithmetic bit for bit (schemas/families/tree_ensemble.md).
 *
 * prepare() turns the node tensors into a compact traversal form: 16 bytes
 * a node (int32 children and feature, and a float32 threshold that compares
 * exactly like sklearn's float64 one), leaves that point to themselves so
 * that rows walking side by side need no leaf test, and a table of what each
 * leaf adds for the method asked (class counts made fractions,
 * learning_rate * value, isolation path lengths, ...).  run() converts a
 * block of rows to float32 once, then walks every tree for the whole block,
 * several rows at a time so that their node loads overlap, and adds leaf
 * entries in scikit-learn's order: estimator by estimator into zeros
 * (forests), stage by stage onto the init prediction (boosting). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "predict/kernel.h"
#include "predict/numeric.h"

typedef enum ensemble { ENS_TREE, ENS_FOREST, ENS_BOOSTING, ENS_ISOLATION } ensemble;

/* Gradient boosting's loss, as far as prediction tells them apart. */
typedef enum gb_loss { GB_REGRESSION, GB_BINOMIAL, GB_MULTINOMIAL, GB_EXPONENTIAL } gb_loss;

/* A node in traversal form.  Leaves have left == right == their own index
 * and feature 0, so extra steps keep a finished row where it is. */
typedef struct cnode {
    int32_t child[2];  /* left, right: picked by the comparison, no branch */
    int32_t feature;
    float threshold;   /* largest float32 <= sklearn's float64 threshold */
} cnode;

typedef struct forest {
    ensemble kind;
    int sk_major, sk_minor;           /* _sklearn_version of the estimator */
    mc_exp_variant numpy;      /* whose np.log, np.exp, np.power (SVML)   */
    int64_t n_trees;
    const int64_t *offsets;    /* tree_offsets                            */
    cnode *nodes;              /* all trees, tree-local child indices     */
    const uint8_t *nan_left;   /* missing_go_to_left, or NULL: NaN right  */
    int64_t n_inputs;          /* columns a row must have                 */
    int allow_nan, allow_inf;  /* what sklearn's input validation accepts */
    /* leaf tables: per node, `width` numbers */
    uint64_t width;
    const double *raw;         /* Tree.value                              */
    double *proba;             /* predict_proba's per-tree table, or NULL */
    double *scaled;            /* boosting: learning_rate * value         */
    double *path;              /* isolation: depth + path length - 1      */
    /* outputs */
    int64_t n_outputs;
    int64_t max_n_classes;
    int64_t *n_classes;        /* per output (classifiers)                */
    /* boosting */
    gb_loss loss;
    int64_t n_columns;         /* K                                       */
    const int64_t *column;     /* tree_column                             */
    mc_predictor *init;        /* init_, or NULL for init='zero'          */
    /* a regression init_ that is a linear model fitted in float32 (see
     * linear_init_f32): its coefficients, NULL otherwise */
    float *init_coef;
    uint64_t init_coef_n;
    float init_intercept;
    /* isolation forest */
    double denominator;        /* n_trees * _average_path_length(max_samples) */
    double offset;             /* offset_                                 */
} forest;

enum {
    /* A block of rows walks each tree in turn, so the tree's nodes are
     * fetched once for the block: as many rows as fit in about 256 KiB of
     * float32 input, within [MIN_BLOCK, MAX_BLOCK]. */
    BLOCK_BYTES = 256 << 10,
    MIN_BLOCK = 64,
    MAX_BLOCK = 4096,
    LANES = 8 /* rows walking one tree side by side */
};

/* A zeroed array of a * b doubles; NULL (err set) when out of memory or
 * when the size overflows. */
static double *alloc_f64(uint64_t a, uint64_t b, mc_error *err)
{
    size_t n;
    double *p = NULL;
    if (a > SIZE_MAX || b > SIZE_MAX || mc_mul_size((size_t)a, (size_t)b, &n) ||
        mc_mul_size(n, sizeof *p, &n) || !(p = calloc(n ? n : 1, 1)))
        mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    return p;
}

/* ---- versions ------------------------------------------------------------ */

/* The estimator's own _sklearn_version ("1.2.2"), else the file's. */
static void version_of(const mc_model *m, int *major, int *minor)
{
    size_t n = 0;
    const char *v = mc_value_text(mc_model_state(m, "_sklearn_version"), &n);
    char buf[32];
    if (v)
        snprintf(buf, sizeof buf, "%.*s", (int)(n < 31 ? n : 31), v);
    else
        snprintf(buf, sizeof buf, "%s", m->provenance.sklearn_version);
    *major = *minor = 0;
    sscanf(buf, "%d.%d", major, minor);
}

static int at_least(const forest *f, int major, int minor)
{
    return f->sk_major > major || (f->sk_major == major && f->sk_minor >= minor);
}

static const char *class_name(const mc_model *m)
{
    const char *dot = strrchr(m->estimator, '.');
    return dot ? dot + 1 : m->estimator;
}

static ensemble kind_of(const mc_model *m)
{
    const char *name = class_name(m);
    if (strncmp(name, "GradientBoosting", 16) == 0)
        return ENS_BOOSTING;
    if (strcmp(name, "IsolationForest") == 0)
        return ENS_ISOLATION;
    if (strncmp(name, "RandomForest", 12) == 0 || strncmp(name, "ExtraTrees", 10) == 0)
        return ENS_FOREST;
    return ENS_TREE;
}

/* Which inputs scikit-learn's validation lets through (NaN, +-inf after the
 * float32 cast).  Before 1.3 nothing non-finite passes.  From 1.3 on this
 * follows 1.9.1 (sklearn/tree/_classes.py __sklearn_tags__, _forest.py
 * _validate_X_predict, _iforest.py score_samples) with the releases that
 * brought missing values: DecisionTree* 1.3, RandomForest* 1.4, ExtraTree*
 * and ExtraTrees* 1.6 (splitter='random' only).  Gradient boosting always
 * validates with ensure_all_finite=True; the isolation forest (1.9.1)
 * with ensure_all_finite=False. */
static void input_policy(const mc_model *m, forest *f)
{
    const char *name = class_name(m);
    f->allow_nan = f->allow_inf = 0;
    if (!at_least(f, 1, 3) || f->kind == ENS_BOOSTING)
        return;
    if (f->kind == ENS_ISOLATION) {
        f->allow_nan = f->allow_inf = 1;
        return;
    }
    if (strncmp(name, "DecisionTree", 12) == 0)
        f->allow_nan = 1;
    else if (strncmp(name, "RandomForest", 12) == 0)
        f->allow_nan = at_least(f, 1, 4);
    else if (at_least(f, 1, 6)) {
        /* ExtraTree*, ExtraTrees*: the (member) tree's splitter */
        const mc_value *s = mc_model_param(m, "splitter");
        f->allow_nan = !s || mc_value_is_str(s, "random");
    }
}

/* ---- traversal form ------------------------------------------------------- */

/* The largest float32 f with f <= t: (double)(float)x <= t exactly when
 * (float)x <= f, for every float32 x (NaN compares false both ways). */
static float float_at_or_below(double t)
{
    float f = (float)t;
    if ((double)f > t)
        f = nextafterf(f, -INFINITY);
    return f;
}

typedef struct node_arrays {
    const int64_t *left, *right, *feature;
    const double *threshold;
    const int64_t *features; /* isolation forest column map, or NULL */
    int64_t n_tree_features;
} node_arrays;

/* Tree t into traversal form, checking what a hostile file could break:
 * children after their parent (so every walk ends) and columns in range. */
static mc_status compact_tree(const forest *f, const node_arrays *na, int64_t t, mc_error *err)
{
    int64_t at = f->offsets[t], n = f->offsets[t + 1] - at;
    const int64_t *map = na->features ? na->features + t * na->n_tree_features : NULL;
    for (int64_t i = 0; i < n; i++) {
        cnode *c = &f->nodes[at + i];
        int64_t l = na->left[at + i], r = na->right[at + i], col = na->feature[at + i];
        if (l == -1) { /* sklearn's test for a leaf: left_child == TREE_LEAF */
            *c = (cnode){{(int32_t)i, (int32_t)i}, 0, 0.0f};
            continue;
        }
        if (l <= i || r <= i || l >= n || r >= n || col < 0 ||
            (map && col >= na->n_tree_features))
            return mc_error_set(err, MC_E_INPUT, -1, "tree %lld, node %lld: children (%lld, "
                                "%lld) or feature %lld out of range", (long long)t,
                                (long long)i, (long long)l, (long long)r, (long long)col);
        if (map)
            col = map[col];
        if (col < 0 || col >= f->n_inputs)
            return mc_error_set(err, MC_E_INPUT, -1, "tree %lld, node %lld: feature %lld of %lld",
                                (long long)t, (long long)i, (long long)col,
                                (long long)f->n_inputs);
        *c = (cnode){{(int32_t)l, (int32_t)r}, (int32_t)col,
                     float_at_or_below(na->threshold[at + i])};
    }
    return MC_OK;
}

static mc_status build_nodes(const mc_model *m, forest *f, mc_error *err)
{
    const mc_tensor *off = mc_kernel_tensor(m, "tree_offsets", MC_ELEM_I64, err);
    const mc_tensor *left = mc_kernel_tensor(m, "children_left", MC_ELEM_I64, err);
    const mc_tensor *right = mc_kernel_tensor(m, "children_right", MC_ELEM_I64, err);
    const mc_tensor *feat = mc_kernel_tensor(m, "feature", MC_ELEM_I64, err);
    const mc_tensor *thr = mc_kernel_tensor(m, "threshold", MC_ELEM_F64, err);
    const mc_tensor *fmap = mc_model_tensor(m, "tree_features");
    if (!off || !left || !right || !feat || !thr)
        return MC_E_INPUT;
    f->n_trees = (int64_t)off->count - 1;
    f->offsets = off->data.i64;
    uint64_t n_nodes = left->count;
    if (f->n_trees < 1 || f->offsets[0] != 0 || (uint64_t)f->offsets[f->n_trees] != n_nodes ||
        right->count != n_nodes || feat->count != n_nodes || thr->count != n_nodes)
        return mc_error_set(err, MC_E_INPUT, -1, "%s: inconsistent node tensors", m->estimator);
    for (int64_t t = 0; t < f->n_trees; t++)
        if (f->offsets[t + 1] <= f->offsets[t] || f->offsets[t + 1] - f->offsets[t] > INT32_MAX)
            return mc_error_set(err, MC_E_INPUT, -1, "%s: tree %lld has %lld nodes",
                                m->estimator, (long long)t,
                                (long long)(f->offsets[t + 1] - f->offsets[t]));
    node_arrays na = {left->data.i64, right->data.i64, feat->data.i64, thr->data.f64, NULL, 0};
    /* sklearn indexes X[:, estimators_features_[t]] only when _max_features
     * differs from the input width (_iforest.py _compute_chunked_score_samples) */
    int64_t maxf = -1;
    const mc_value *mf = mc_model_state(m, "_max_features");
    if (f->kind == ENS_ISOLATION && fmap && fmap->ndim == 2 &&
        (uint64_t)fmap->shape[0] == (uint64_t)f->n_trees && mf &&
        mc_value_to_int64(mf, &maxf) == 0 && maxf != f->n_inputs) {
        na.features = fmap->data.i64;
        na.n_tree_features = fmap->shape[1];
    }
    if (!(f->nodes = malloc(n_nodes * sizeof *f->nodes)))
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    mc_status st = MC_OK;
    for (int64_t t = 0; t < f->n_trees && !st; t++)
        st = compact_tree(f, &na, t, err);
    return st;
}

/* ---- walking -------------------------------------------------------------- */

/* The leaf (tree-local) row x reaches, NaN following missing_go_to_left. */
static int32_t leaf_with_nan(const cnode *t, const uint8_t *nan_left, const float *x)
{
    int32_t i = 0;
    while (t[i].child[0] != i) {
        float v = x[t[i].feature];
        int go_left = v <= t[i].threshold || (isnan(v) && nan_left && nan_left[i]);
        i = t[i].child[!go_left];
    }
    return i;
}

/* LANES rows through one tree, stepping until every row is at a leaf:
 * branch-free steps (leaves point to themselves), so the rows' node loads
 * overlap. */
static void walk_lanes(const cnode *t, const float *const *x, int32_t *leaf)
{
    int32_t at[LANES] = {0};
    for (;;) {
        int moved = 0;
        for (int r = 0; r < LANES; r++) {
            const cnode *c = &t[at[r]];
            int32_t next = c->child[!(x[r][c->feature] <= c->threshold)];
            moved |= next != at[r];
            at[r] = next;
        }
        if (!moved)
            break;
    }
    memcpy(leaf, at, sizeof at);
}

static int32_t walk_one(const cnode *t, const float *x)
{
    int32_t i = 0;
    while (t[i].child[0] != i)
        i = t[i].child[!(x[t[i].feature] <= t[i].threshold)];
    return i;
}

/* A block of rows, converted once. */
typedef struct block {
    const float *x;        /* rows x n_cols float32 */
    uint64_t n_cols;
    uint64_t n;            /* rows                  */
    const uint8_t *has_nan;/* per row               */
} block;

/* Leaves of tree t for every row of the block (global node indices). */
static void block_leaves(const forest *f, int64_t t, const block *b, int64_t *leaf)
{
    const cnode *tree = f->nodes + f->offsets[t];
    const uint8_t *nan_left = f->nan_left ? f->nan_left + f->offsets[t] : NULL;
    int64_t base = f->offsets[t];
    uint64_t r = 0;
    for (; r + LANES <= b->n; r += LANES) {
        const float *x[LANES];
        int32_t l[LANES];
        int any_nan = 0;
        for (int k = 0; k < LANES; k++) {
            x[k] = b->x + (r + (uint64_t)k) * b->n_cols;
            any_nan |= b->has_nan[r + (uint64_t)k];
        }
        walk_lanes(tree, x, l);
        for (int k = 0; k < LANES; k++)
            leaf[r + (uint64_t)k] =
                base + (any_nan && b->has_nan[r + (uint64_t)k]
                            ? leaf_with_nan(tree, nan_left, x[k]) : l[k]);
    }
    for (; r < b->n; r++) {
        const float *x = b->x + r * b->n_cols;
        leaf[r] = base + (b->has_nan[r] ? leaf_with_nan(tree, nan_left, x)
                                        : walk_one(tree, x));
    }
}

/* What each leaf adds: `width` numbers a node, into the columns
 * [col, col + width) of a row, col being tree_column for boosting and 0
 * otherwise.  `assign`: the single tree's values are copied, as
 * DecisionTree*.predict returns them (-0.0 included), not added to zeros. */
typedef struct leaf_table {
    const double *v;
    uint64_t width;
    int assign;
} leaf_table;

/* acc rows += every tree's leaf entries, tree by tree in estimator order. */
static void accumulate(const forest *f, const block *b, const leaf_table *lt, double *acc,
                       uint64_t acc_width, int64_t *leaf)
{
    uint64_t w = lt->width;
    for (int64_t t = 0; t < f->n_trees; t++) {
        block_leaves(f, t, b, leaf);
        uint64_t col = f->kind == ENS_BOOSTING ? (uint64_t)f->column[t] : 0;
        for (uint64_t r = 0; r < b->n; r++) {
            const double *v = lt->v + (uint64_t)leaf[r] * w;
            double *a = acc + r * acc_width + col;
            for (uint64_t j = 0; j < w; j++)
                a[j] = lt->assign ? v[j] : a[j] + v[j];
        }
    }
}

/* ---- input -------------------------------------------------------------- */

/* sklearn's check_array refusing a row (NaN, or +-inf after the cast to
 * float32), or MC_OK. */
static mc_status refuse_row(const forest *f, int nan, int inf, uint64_t row, mc_error *err)
{
    if ((!nan || f->allow_nan) && (!inf || f->allow_inf))
        return MC_OK;
    return mc_error_set(err, MC_E_USAGE, -1,
                        "Input X contains %s (row %llu); scikit-learn refuses it here",
                        nan && !f->allow_nan ? "NaN"
                                             : "infinity or a value too large for "
                                               "dtype('float32')",
                        (unsigned long long)row);
}

/* Rows [from, from+n) of X as float32 (numpy's astype: round to nearest). */
static mc_status convert_block(const forest *f, const double *X, uint64_t ncols, uint64_t from,
                               uint64_t n, float *xf, uint8_t *has_nan, mc_error *err)
{
    for (uint64_t r = 0; r < n; r++) {
        const double *row = X + (from + r) * ncols;
        float *out = xf + r * ncols;
        int nan = 0, inf = 0;
        for (uint64_t c = 0; c < ncols; c++) {
            float v = (float)row[c];
            out[c] = v;
            nan |= isnan(v);
            inf |= isinf(v);
        }
        has_nan[r] = (uint8_t)nan;
        mc_status st = refuse_row(f, nan, inf, from + r, err);
        if (st)
            return st;
    }
    return MC_OK;
}

/* The refusals of convert_block alone, for every row. */
static mc_status check_input(const forest *f, const double *X, uint64_t n, uint64_t ncols,
                             mc_error *err)
{
    for (uint64_t r = 0; r < n; r++) {
        int nan = 0, inf = 0;
        for (uint64_t c = 0; c < ncols; c++) {
            float v = (float)X[r * ncols + c];
            nan |= isnan(v);
            inf |= isinf(v);
        }
        mc_status st = refuse_row(f, nan, inf, r, err);
        if (st)
            return st;
    }
    return MC_OK;
}

/* ---- leaf tables ---------------------------------------------------------- */

/* numpy's pairwise summation (loops_utils.h.src @TYPE@_pairwise_sum), the
 * order np.sum(axis=...) adds a contiguous row in; the reduction starts
 * from the identity 0.0. */
static double pairwise_sum(const double *a, uint64_t n, uint64_t stride)
{
    if (n < 8) {
        double res = -0.0;
        for (uint64_t i = 0; i < n; i++)
            res += a[i * stride];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (int k = 0; k < 8; k++)
            r[k] = a[(uint64_t)k * stride];
        uint64_t i;
        for (i = 8; i < n - (n % 8); i += 8)
            for (int k = 0; k < 8; k++)
                r[k] += a[(i + (uint64_t)k) * stride];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i * stride];
        return res;
    }
    uint64_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2, stride) + pairwise_sum(a + n2 * stride, n - n2, stride);
}

static double np_sum(const double *a, uint64_t n)
{
    return 0.0 + pairwise_sum(a, n, 1);
}

/* Before 1.4 a tree's predict_proba divides the class counts of each output
 * by their sum (a zero sum by 1): sklearn 1.2.2 tree/_classes.py
 * DecisionTreeClassifier.predict_proba.  From 1.4 the values already are
 * fractions and are returned as they are. */
static mc_status proba_table(forest *f, mc_error *err)
{
    if (at_least(f, 1, 4))
        return MC_OK;
    uint64_t n_nodes = (uint64_t)f->offsets[f->n_trees];
    if (!(f->proba = alloc_f64(n_nodes, f->width, err)))
        return MC_E_NOMEM;
    for (uint64_t i = 0; i < n_nodes * f->width; i += (uint64_t)f->max_n_classes) {
        uint64_t o = (i / (uint64_t)f->max_n_classes) % (uint64_t)f->n_outputs;
        uint64_t nc = (uint64_t)f->n_classes[o];
        double norm = np_sum(f->raw + i, nc);
        if (norm == 0.0)
            norm = 1.0;
        for (uint64_t c = 0; c < (uint64_t)f->max_n_classes; c++)
            f->proba[i + c] = c < nc ? f->raw[i + c] / norm : 0.0;
    }
    return MC_OK;
}

/* _average_path_length of one node count (sklearn/ensemble/_iforest.py,
 * the same in 1.2.2 and 1.9.1), np.log being numpy's. */
static double average_path_length(double n, mc_exp_variant numpy)
{
    if (n <= 1)
        return 0.0;
    if (n == 2)
        return 1.0;
    const double euler_gamma = 0.5772156649015329; /* np.euler_gamma */
    return 2.0 * (mc_numpy_log(n - 1.0, numpy) + euler_gamma) - 2.0 * (n - 1.0) / n;
}

/* What a leaf adds to a row's depth: decision path length (nodes from the
 * root, both ends included) + _average_path_length(n_node_samples) - 1.0,
 * in that order.  1.9.1 stores both per node at fit
 * (_decision_path_lengths, _average_path_length_per_tree); 1.2.2 computes
 * them at predict time from decision_path() and n_node_samples. */
static mc_status path_table(const mc_model *m, forest *f, mc_error *err)
{
    uint64_t n_nodes = (uint64_t)f->offsets[f->n_trees];
    const mc_tensor *depth = mc_model_tensor(m, "node_depth");
    const mc_tensor *apl = mc_model_tensor(m, "node_path_length");
    const mc_tensor *samples = mc_kernel_tensor(m, "n_node_samples", MC_ELEM_I64, err);
    if (!samples)
        return MC_E_INPUT;
    int stored = depth && apl && depth->count == n_nodes && apl->count == n_nodes &&
                 depth->elem == MC_ELEM_I64 && apl->elem == MC_ELEM_F64;
    if (!(f->path = alloc_f64(n_nodes, 1, err)))
        return MC_E_NOMEM;
    int64_t *computed = stored ? NULL : calloc(n_nodes, sizeof *computed);
    if (!stored && !computed)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (int64_t t = 0; !stored && t < f->n_trees; t++) {
        const cnode *tree = f->nodes + f->offsets[t];
        int64_t *d = computed + f->offsets[t];
        d[0] = 1;
        for (int64_t i = 0; i < f->offsets[t + 1] - f->offsets[t]; i++)
            if (tree[i].child[0] != i) /* children come after their parent */
                d[tree[i].child[0]] = d[tree[i].child[1]] = d[i] + 1;
    }
    for (uint64_t i = 0; i < n_nodes; i++) {
        double dpl = (double)(stored ? depth->data.i64[i] : computed[i]);
        double a = stored ? apl->data.f64[i]
                          : average_path_length((double)samples->data.i64[i], f->numpy);
        f->path[i] = dpl + a - 1.0;
    }
    free(computed);
    return MC_OK;
}

/* ---- preparing each kind ---------------------------------------------------- */

static mc_status prepare_classes(const mc_model *m, forest *f, mc_error *err)
{
    if ((int64_t)m->n_class_sets != f->n_outputs)
        return mc_error_set(err, MC_E_INPUT, -1, "%s: %u class sets for %lld outputs",
                            m->estimator, m->n_class_sets, (long long)f->n_outputs);
    f->n_classes = malloc((size_t)f->n_outputs * sizeof *f->n_classes);
    if (!f->n_classes)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (int64_t o = 0; o < f->n_outputs; o++) {
        f->n_classes[o] = (int64_t)m->classes[o].count;
        if (f->n_classes[o] < 1 || f->n_classes[o] > f->max_n_classes)
            return mc_error_set(err, MC_E_INPUT, -1, "%s: output %lld has %lld classes but the "
                                "trees hold %lld", m->estimator, (long long)o,
                                (long long)f->n_classes[o], (long long)f->max_n_classes);
    }
    return proba_table(f, err);
}

/* GradientBoostingRegressor fits and predicts init_ on X cast to float32
 * (_gb.py _raw_predict_init), so a linear init_ holds float32 coef_ and
 * intercept_ and scikit-learn computes its prediction in float32: numpy's
 * dot of a float32 matrix and vector is BLAS sgemv, which for the few
 * columns of these models accumulates one fused multiply-add per feature in
 * order (checked against scikit-learn 1.2.2 and 1.9.1 on the corpus).
 * Keep those float32 numbers for boosting_init. */
static mc_status linear_init_f32(const mc_model *init, forest *f, mc_error *err)
{
    const mc_value *coef = mc_model_state(init, "coef_");
    const mc_value *icpt = mc_model_state(init, "intercept_");
    if (strcmp(init->family, "linear") != 0 || init->task != MC_TASK_REGRESSOR || !coef ||
        coef->kind != MC_NDARRAY || !coef->u.array.dtype || coef->u.array.dtype->kind != 'f' ||
        coef->u.array.dtype->itemsize != 4 || coef->u.array.ndim != 1 || !icpt ||
        icpt->kind != MC_SCALAR || icpt->u.scalar.dtype->kind != 'f' ||
        icpt->u.scalar.dtype->itemsize != 4)
        return MC_OK;
    uint64_t n = coef->u.array.count;
    double d;
    f->init_coef = malloc((n ? n : 1) * sizeof *f->init_coef);
    if (!f->init_coef)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    for (uint64_t j = 0; j < n; j++) {
        mc_array_get_f64(&coef->u.array, j, &d);
        f->init_coef[j] = (float)d; /* exact: the value was a float32 */
    }
    mc_value_to_double(icpt, &d);
    f->init_intercept = (float)d;
    f->init_coef_n = n;
    return MC_OK;
}

static mc_status prepare_boosting(const mc_model *m, forest *f, mc_error *err)
{
    const mc_tensor *col = mc_kernel_tensor(m, "tree_column", MC_ELEM_I64, err);
    double rate;
    if (!col)
        return MC_E_INPUT;
    if (col->count != (uint64_t)f->n_trees)
        return mc_error_set(err, MC_E_INPUT, -1, "%s: tree_column does not match the trees",
                            m->estimator);
    if (mc_value_to_double(mc_model_param(m, "learning_rate"), &rate))
        return mc_error_set(err, MC_E_INPUT, -1, "%s: no learning_rate", m->estimator);
    f->column = col->data.i64;
    f->n_columns = 1;
    for (int64_t t = 0; t < f->n_trees; t++) {
        if (f->column[t] < 0 || f->column[t] >= f->n_trees)
            return mc_error_set(err, MC_E_INPUT, -1, "%s: tree %lld adds to column %lld",
                                m->estimator, (long long)t, (long long)f->column[t]);
        f->n_columns = f->column[t] + 1 > f->n_columns ? f->column[t] + 1 : f->n_columns;
    }
    if (f->width != 1)
        return mc_error_set(err, MC_E_INPUT, -1, "%s: boosting trees with %llu values a node",
                            m->estimator, (unsigned long long)f->width);
    uint64_t n_nodes = (uint64_t)f->offsets[f->n_trees];
    if (!(f->scaled = alloc_f64(n_nodes, 1, err)))
        return MC_E_NOMEM;
    /* _gradient_boosting.pyx predict_stages: out[i, k] += scale * value */
    for (uint64_t i = 0; i < n_nodes; i++)
        f->scaled[i] = rate * f->raw[i];
    f->loss = GB_REGRESSION;
    if (m->task == MC_TASK_CLASSIFIER) {
        const mc_value *loss = mc_model_param(m, "loss");
        f->loss = loss && mc_value_is_str(loss, "exponential") ? GB_EXPONENTIAL
                  : f->n_columns > 1                           ? GB_MULTINOMIAL
                                                                : GB_BINOMIAL;
        if (m->n_class_sets != 1 ||
            (f->loss == GB_MULTINOMIAL ? (int64_t)m->classes[0].count != f->n_columns
                                       : m->classes[0].count != 2))
            return mc_error_set(err, MC_E_INPUT, -1, "%s: %lld columns for the classes",
                                m->estimator, (long long)f->n_columns);
    }
    const mc_model *init = mc_model_child(m, "init_");
    if (!init)
        return MC_OK;
    mc_status st = linear_init_f32(init, f, err);
    return st ? st : mc_predictor_new(init, &f->init, err);
}

static mc_status prepare_isolation(const mc_model *m, forest *f, mc_error *err)
{
    /* 1.2.2 _iforest.py reads max_samples_, 1.9.1 (which stores the per-node
     * path lengths) _max_samples; fit sets both to the same number */
    const char *key = mc_model_tensor(m, "node_path_length") ? "_max_samples" : "max_samples_";
    int64_t max_samples;
    if (mc_value_to_int64(mc_model_state(m, key), &max_samples) &&
        mc_value_to_int64(mc_model_state(m, "max_samples_"), &max_samples))
        return mc_error_set(err, MC_E_INPUT, -1, "%s: no max_samples_", m->estimator);
    if (mc_value_to_double(mc_model_state(m, "offset_"), &f->offset))
        return mc_error_set(err, MC_E_INPUT, -1, "%s: no offset_", m->estimator);
    f->denominator = (double)f->n_trees * average_path_length((double)max_samples, f->numpy);
    return path_table(m, f, err);
}

static void release(void *state)
{
    forest *f = state;
    if (!f)
        return;
    free(f->nodes);
    free(f->proba);
    free(f->scaled);
    free(f->path);
    free(f->n_classes);
    free(f->init_coef);
    mc_predictor_free(f->init);
    free(f);
}

static mc_status prepare_kind(const mc_model *m, forest *f, unsigned *methods, mc_error *err)
{
    unsigned predict = 1u << MC_METHOD_PREDICT;
    unsigned proba = 1u << MC_METHOD_PREDICT_PROBA | 1u << MC_METHOD_PREDICT_LOG_PROBA;
    unsigned decision = 1u << MC_METHOD_DECISION_FUNCTION;
    switch (f->kind) {
    case ENS_BOOSTING:
        *methods = predict | (m->task == MC_TASK_CLASSIFIER ? proba | decision : 0);
        return prepare_boosting(m, f, err);
    case ENS_ISOLATION:
        *methods = predict | decision | 1u << MC_METHOD_SCORE_SAMPLES;
        return prepare_isolation(m, f, err);
    default:
        if (m->task != MC_TASK_CLASSIFIER) {
            *methods = predict;
            return MC_OK;
        }
        *methods = predict | proba;
        return prepare_classes(m, f, err);
    }
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    forest *f = calloc(1, sizeof *f);
    if (!f)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    f->kind = kind_of(m);
    version_of(m, &f->sk_major, &f->sk_minor);
    f->numpy = mc_numpy_exp_variant(m);
    input_policy(m, f);
    const mc_tensor *value = mc_kernel_tensor(m, "value", MC_ELEM_F64, err);
    const mc_tensor *missing = mc_model_tensor(m, "missing_go_to_left");
    const mc_tensor *tree_nf = mc_kernel_tensor(m, "tree_n_features", MC_ELEM_I64, err);
    mc_status st = value && tree_nf ? MC_OK : MC_E_INPUT;
    if (!st && value->ndim != 3)
        st = mc_error_set(err, MC_E_INPUT, -1, "%s: value is not (nodes, outputs, classes)",
                          m->estimator);
    if (!st) {
        f->n_inputs = m->n_features;
        if (f->n_inputs < 0) /* unknown: the widest tree's input */
            for (uint64_t t = 0; t < tree_nf->count; t++)
                f->n_inputs = tree_nf->data.i64[t] > f->n_inputs ? tree_nf->data.i64[t]
                                                                 : f->n_inputs;
        f->raw = value->data.f64;
        f->n_outputs = value->shape[1];
        f->max_n_classes = value->shape[2];
        f->width = (uint64_t)value->shape[1] * (uint64_t)value->shape[2];
        /* predict_stages never looks at missing_go_to_left; trees do (1.3+) */
        if (missing && missing->elem == MC_ELEM_U8 && f->kind != ENS_BOOSTING)
            f->nan_left = missing->data.u8;
        st = build_nodes(m, f, err);
    }
    if (!st && ((uint64_t)value->shape[0] != (uint64_t)f->offsets[f->n_trees] ||
                (f->nan_left && missing->count != (uint64_t)f->offsets[f->n_trees])))
        st = mc_error_set(err, MC_E_INPUT, -1, "%s: value or missing_go_to_left do not match "
                          "the nodes", m->estimator);
    if (!st)
        st = prepare_kind(m, f, methods, err);
    if (st) {
        release(f);
        return st;
    }
    *state = f;
    return MC_OK;
}

/* ---- running ---------------------------------------------------------------- */

typedef struct scratch {
    uint64_t rows;     /* a block */
    float *x;
    uint8_t *has_nan;
    int64_t *leaf;
} scratch;

static void scratch_free(scratch *s)
{
    free(s->x);
    free(s->has_nan);
    free(s->leaf);
}

/* Room for a block of rows (no more than the n rows there are). */
static mc_status scratch_new(uint64_t n, uint64_t ncols, scratch *s, mc_error *err)
{
    size_t bytes;
    memset(s, 0, sizeof *s);
    s->rows = BLOCK_BYTES / (sizeof(float) * (ncols ? ncols : 1));
    s->rows = s->rows < MIN_BLOCK ? MIN_BLOCK : s->rows > MAX_BLOCK ? MAX_BLOCK : s->rows;
    s->rows = n && n < s->rows ? n : s->rows;
    if (ncols > SIZE_MAX || mc_mul_size((size_t)s->rows, (size_t)ncols ? (size_t)ncols : 1, &bytes) ||
        mc_mul_size(bytes, sizeof *s->x, &bytes))
        return mc_error_set(err, MC_E_USAGE, -1, "too many columns");
    s->x = malloc(bytes);
    s->has_nan = malloc((size_t)s->rows);
    s->leaf = malloc((size_t)s->rows * sizeof *s->leaf);
    if (!s->x || !s->has_nan || !s->leaf) {
        scratch_free(s);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    return MC_OK;
}

/* acc (n rows of acc_width) += every tree's leaf entries (see accumulate). */
static mc_status sum_trees(const forest *f, const double *X, uint64_t n, uint64_t ncols,
                           const leaf_table *lt, double *acc, uint64_t acc_width, mc_error *err)
{
    scratch s;
    mc_status st = scratch_new(n, ncols, &s, err);
    for (uint64_t from = 0; from < n && !st; from += s.rows) {
        uint64_t rows = n - from < s.rows ? n - from : s.rows;
        st = convert_block(f, X, ncols, from, rows, s.x, s.has_nan, err);
        if (st)
            break;
        block b = {s.x, ncols, rows, s.has_nan};
        accumulate(f, &b, lt, acc + from * acc_width, acc_width, s.leaf);
    }
    scratch_free(&s);
    return st;
}

/* numpy's argmax over n numbers: the first maximum (a NaN counts as one). */
static int64_t argmax(const double *v, int64_t n)
{
    int64_t best = 0;
    for (int64_t i = 1; i < n && !isnan(v[best]); i++)
        if (v[i] > v[best] || isnan(v[i]))
            best = i;
    return best;
}

/* Per output, a (n, n_classes) part of the (n, width) accumulator. */
static mc_status split_outputs(const forest *f, const double *acc, uint64_t n, int take_log,
                               mc_outputs *out, mc_error *err)
{
    mc_status st = mc_outputs_init(out, (uint32_t)f->n_outputs, err);
    for (int64_t o = 0; o < f->n_outputs && !st; o++) {
        uint64_t nc = (uint64_t)f->n_classes[o];
        double *p = mc_output_f64(out, (uint32_t)o, n, nc, err);
        if (!p)
            return MC_E_NOMEM;
        for (uint64_t r = 0; r < n; r++)
            for (uint64_t c = 0; c < nc; c++) {
                double v = acc[r * f->width + (uint64_t)o * (uint64_t)f->max_n_classes + c];
                p[r * nc + c] = take_log ? mc_numpy_log(v, f->numpy) : v; /* np.log(proba) */
            }
    }
    return st;
}

/* Trees and forests: the mean of the trees' outputs (a single tree's own). */
static mc_status run_trees(const forest *f, const mc_model *m, mc_method method, const double *X,
                           uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    int classifier = m->task == MC_TASK_CLASSIFIER;
    int single = f->kind == ENS_TREE;
    /* DecisionTreeClassifier.predict takes argmax of tree_.predict (raw
     * values); forests take it of predict_proba */
    leaf_table lt = {classifier && !(single && method == MC_METHOD_PREDICT) && f->proba
                         ? f->proba : f->raw,
                     f->width, single};
    double *acc = alloc_f64(n, f->width, err);
    if (!acc)
        return MC_E_NOMEM;
    mc_status st = sum_trees(f, X, n, ncols, &lt, acc, f->width, err);
    for (uint64_t i = 0; !st && !single && i < n * f->width; i++)
        acc[i] /= (double)f->n_trees; /* _forest.py: proba /= len(self.estimators_) */
    if (!st && method != MC_METHOD_PREDICT) {
        st = split_outputs(f, acc, n, method == MC_METHOD_PREDICT_LOG_PROBA, out, err);
    } else if (!st && (st = mc_outputs_init(out, 1, err)) == MC_OK) {
        uint64_t cols = f->n_outputs > 1 ? (uint64_t)f->n_outputs : 0;
        double *y = classifier ? NULL : mc_output_f64(out, 0, n, cols, err);
        int64_t *k = classifier ? mc_output_i64(out, 0, n, cols, err) : NULL;
        if (!y && !k)
            st = MC_E_NOMEM;
        for (uint64_t r = 0; !st && r < n; r++)
            for (int64_t o = 0; o < f->n_outputs; o++) {
                const double *row = acc + r * f->width + (uint64_t)o * (uint64_t)f->max_n_classes;
                uint64_t at = r * (uint64_t)f->n_outputs + (uint64_t)o;
                if (classifier) /* argmax over all max_n_classes, as sklearn */
                    k[at] = argmax(row, single ? f->max_n_classes : f->n_classes[o]);
                else
                    y[at] = row[0];
            }
    }
    free(acc);
    return st;
}

/* ---- gradient boosting ---------------------------------------------------------- */

static double expit(double x)
{
    return 1 / (1 + exp(-x)); /* scipy.special.expit (1.10 _logit.h, 1.17 xsf) */
}

/* scipy.special.logit as scipy 1.17 (xsf log_exp.h) computes it; older
 * scipy used log(x / (1 - x)) everywhere. */
static double logit(double x)
{
    if (x < 0.3 || x > 0.65)
        return log(x / (1 - x));
    double s = 2 * (x - 0.5);
    return log1p(s) - log1p(-s);
}

static double clip(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The init estimator's raw prediction for one row: _gb_losses.py
 * get_init_raw_predictions (< 1.4) or _gb.py _init_raw_predictions (>= 1.4).
 * p: the row of init_.predict_proba (k classes) or of init_.predict (one
 * number); tmp: room for k numbers. */
static void init_raw(const forest *f, const double *p, int64_t k, double *raw, double *tmp)
{
    int old = !at_least(f, 1, 4);
    /* < 1.4: eps = np.finfo(np.float32).eps and the clip bounds are float32
     * values; >= 1.4: np.finfo(np.float64).eps */
    double eps = old ? (double)FLT_EPSILON : DBL_EPSILON;
    double hi = old ? (double)(1.0f - FLT_EPSILON) : 1 - DBL_EPSILON;
    if (f->loss == GB_REGRESSION) {
        raw[0] = p[0]; /* predict(X).astype(float64); IdentityLink */
    } else if (f->loss != GB_MULTINOMIAL) {
        /* probability of the positive class; log-odds (half of them for the
         * exponential loss): np.log(p / (1 - p)) < 1.4, (Half)LogitLink >= 1.4 */
        double q = clip(p[1], eps, hi);
        double z = old ? mc_numpy_log(q / (1 - q), f->numpy) : logit(q);
        raw[0] = f->loss == GB_EXPONENTIAL ? 0.5 * z : z;
    } else if (old) {
        for (int64_t c = 0; c < k; c++) /* MultinomialDeviance: np.log(clip(p)) */
            raw[c] = mc_numpy_log(clip(p[c], eps, hi), f->numpy);
    } else {
        /* MultinomialLogit.link: log(p / gmean(p)), scipy's gmean being
         * exp(mean(log(p))) */
        for (int64_t c = 0; c < k; c++)
            tmp[c] = mc_numpy_log(clip(p[c], eps, hi), f->numpy);
        double gm = mc_numpy_exp(np_sum(tmp, (uint64_t)k) / (double)k, f->numpy);
        for (int64_t c = 0; c < k; c++)
            raw[c] = mc_numpy_log(clip(p[c], eps, hi) / gm, f->numpy);
    }
}

/* raw (n x K) = the init estimator's raw prediction; zeros for 'zero'. */
static mc_status boosting_init(const forest *f, const double *X, uint64_t n, uint64_t ncols,
                               double *raw, mc_error *err)
{
    if (!f->init)
        return MC_OK;
    if (f->init_coef && f->init_coef_n == ncols) {
        /* a float32 linear init_: its float32 arithmetic (linear_init_f32) */
        for (uint64_t r = 0; r < n; r++) {
            float acc = 0.0f;
            for (uint64_t j = 0; j < ncols; j++)
                acc = fmaf((float)X[r * ncols + j], f->init_coef[j], acc);
            raw[r] = (double)(acc + f->init_intercept);
        }
        return MC_OK;
    }
    /* _raw_predict_init hands init_ the input already cast to float32 */
    double *x32 = alloc_f64(n, ncols, err);
    if (!x32)
        return MC_E_NOMEM;
    for (uint64_t i = 0; i < n * ncols; i++)
        x32[i] = (double)(float)X[i];
    mc_outputs o;
    int proba = f->loss != GB_REGRESSION;
    mc_status st = mc_predict(f->init, proba ? MC_METHOD_PREDICT_PROBA : MC_METHOD_PREDICT, x32,
                              n, ncols, &o, err);
    free(x32);
    if (st)
        return st;
    const mc_output *p = &o.parts[0];
    int64_t width = p->ndim == 2 ? p->shape[1] : 1;
    int64_t need = f->loss == GB_MULTINOMIAL ? f->n_columns : proba ? 2 : 1;
    double *tmp = malloc((size_t)width * sizeof *tmp);
    if (o.n != 1 || p->elem != MC_ELEM_F64 || (uint64_t)p->shape[0] != n || width != need ||
        !tmp) {
        free(tmp);
        mc_outputs_free(&o);
        return tmp ? mc_error_set(err, MC_E_INPUT, -1, "init_ predicts %lld columns, boosting "
                                  "needs %lld", (long long)width, (long long)need)
                   : mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    for (uint64_t r = 0; r < n; r++)
        init_raw(f, (const double *)p->data + r * (uint64_t)width, width,
                 raw + r * (uint64_t)f->n_columns, tmp);
    free(tmp);
    mc_outputs_free(&o);
    return MC_OK;
}

static double max_of(const double *v, int64_t k)
{
    double m = v[0];
    for (int64_t c = 1; c < k; c++)
        m = v[c] > m || isnan(v[c]) ? v[c] : m; /* np.max propagates NaN */
    return m;
}

/* MultinomialDeviance._raw_prediction_to_proba (< 1.4):
 * np.nan_to_num(np.exp(raw - logsumexp(raw, axis=1))), scipy 1.10's
 * logsumexp being log(sum(exp(raw - max))) + max, a non-finite max taken
 * as 0.  p doubles as room for the exponentials. */
static void softmax_old(const double *raw, int64_t k, double *p, mc_exp_variant numpy)
{
    double m = max_of(raw, k);
    if (!isfinite(m))
        m = 0;
    for (int64_t c = 0; c < k; c++)
        p[c] = mc_numpy_exp(raw[c] - m, numpy);
    double lse = mc_numpy_log(np_sum(p, (uint64_t)k), numpy) + m;
    for (int64_t c = 0; c < k; c++) {
        double v = mc_numpy_exp(raw[c] - lse, numpy);
        p[c] = isnan(v) ? 0.0 : isinf(v) ? (v > 0 ? DBL_MAX : -DBL_MAX) : v;
    }
}

/* sklearn.utils.extmath.softmax, HalfMultinomialLoss.predict_proba (>= 1.4):
 * exp(raw - max), divided by its sum. */
static void softmax_new(const double *raw, int64_t k, double *p, mc_exp_variant numpy)
{
    double m = max_of(raw, k);
    for (int64_t c = 0; c < k; c++)
        p[c] = mc_numpy_exp(raw[c] - m, numpy);
    double s = np_sum(p, (uint64_t)k);
    for (int64_t c = 0; c < k; c++)
        p[c] /= s;
}

/* Class probabilities of one row of raw predictions. */
static void boosting_proba(const forest *f, const double *raw, double *p)
{
    if (f->loss == GB_MULTINOMIAL) {
        if (at_least(f, 1, 4))
            softmax_new(raw, f->n_columns, p, f->numpy);
        else
            softmax_old(raw, f->n_columns, p, f->numpy);
        return;
    }
    /* proba[:, 1] = expit(raw) (expit(2 * raw) for the exponential loss);
     * proba[:, 0] = 1 - proba[:, 1] */
    p[1] = expit(f->loss == GB_EXPONENTIAL ? 2.0 * raw[0] : raw[0]);
    p[0] = 1 - p[1];
}

/* The class predict picks from one row of raw predictions; p: room for K. */
static int64_t boosting_class(const forest *f, const double *raw, double *p)
{
    if (at_least(f, 1, 4)) /* _gb.py predict: raw >= 0, or argmax(raw) */
        return f->loss == GB_MULTINOMIAL ? argmax(raw, f->n_columns) : raw[0] >= 0;
    if (f->loss == GB_EXPONENTIAL) /* ExponentialLoss._raw_prediction_to_decision */
        return raw[0] >= 0;
    boosting_proba(f, raw, p); /* the others: argmax of predict_proba */
    return argmax(p, f->loss == GB_MULTINOMIAL ? f->n_columns : 2);
}

static mc_status boosting_output(const forest *f, mc_method method, const double *raw,
                                 uint64_t n, mc_outputs *out, mc_error *err)
{
    uint64_t k = (uint64_t)f->n_columns;
    mc_status st = mc_outputs_init(out, 1, err);
    if (st)
        return st;
    if (method == MC_METHOD_PREDICT || method == MC_METHOD_DECISION_FUNCTION) {
        if (method == MC_METHOD_DECISION_FUNCTION || f->loss == GB_REGRESSION) {
            double *y = mc_output_f64(out, 0, n, k > 1 ? k : 0, err); /* ravel() if K == 1 */
            if (y)
                memcpy(y, raw, n * k * sizeof *y);
            return y ? MC_OK : MC_E_NOMEM;
        }
        int64_t *y = mc_output_i64(out, 0, n, 0, err);
        double *p = malloc((k > 2 ? k : 2) * sizeof *p);
        for (uint64_t r = 0; y && p && r < n; r++)
            y[r] = boosting_class(f, raw + r * k, p);
        free(p);
        return y && p ? MC_OK : mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    uint64_t nc = f->loss == GB_MULTINOMIAL ? k : 2;
    double *p = mc_output_f64(out, 0, n, nc, err);
    for (uint64_t r = 0; p && r < n; r++) {
        boosting_proba(f, raw + r * k, p + r * nc);
        for (uint64_t c = 0; method == MC_METHOD_PREDICT_LOG_PROBA && c < nc; c++)
            p[r * nc + c] = mc_numpy_log(p[r * nc + c], f->numpy); /* np.log(proba) */
    }
    return p ? MC_OK : MC_E_NOMEM;
}

/* decision_function = init_'s raw prediction + learning_rate * leaf value of
 * every tree, stage by stage (_gradient_boosting.pyx predict_stages). */
static mc_status run_boosting(const forest *f, mc_method method, const double *X, uint64_t n,
                              uint64_t ncols, mc_outputs *out, mc_error *err)
{
    uint64_t k = (uint64_t)f->n_columns;
    double *raw = alloc_f64(n, k, err);
    if (!raw)
        return MC_E_NOMEM;
    leaf_table lt = {f->scaled, 1, 0};
    mc_status st = check_input(f, X, n, ncols, err); /* before init_ sees X */
    if (!st)
        st = boosting_init(f, X, n, ncols, raw, err);
    if (!st)
        st = sum_trees(f, X, n, ncols, &lt, raw, k, err);
    if (!st)
        st = boosting_output(f, method, raw, n, out, err);
    free(raw);
    return st;
}

/* ---- isolation forest ------------------------------------------------------------ */

static mc_status run_isolation(const forest *f, mc_method method, const double *X, uint64_t n,
                               uint64_t ncols, mc_outputs *out, mc_error *err)
{
    double *depth = alloc_f64(n, 1, err);
    if (!depth)
        return MC_E_NOMEM;
    leaf_table lt = {f->path, 1, 0};
    mc_status st = sum_trees(f, X, n, ncols, &lt, depth, 1, err);
    if (!st)
        st = mc_outputs_init(out, 1, err);
    double *score = NULL;
    int64_t *label = NULL;
    if (!st && method == MC_METHOD_PREDICT)
        st = (label = mc_output_i64(out, 0, n, 0, err)) ? MC_OK : MC_E_NOMEM;
    else if (!st)
        st = (score = mc_output_f64(out, 0, n, 0, err)) ? MC_OK : MC_E_NOMEM;
    for (uint64_t r = 0; !st && r < n; r++) {
        /* scores = 2 ** -np.divide(depths, denominator, out=ones, where=denominator != 0) */
        double q = f->denominator != 0 ? depth[r] / f->denominator : 1.0;
        double s = -mc_numpy_pow(2.0, -q, f->numpy); /* score_samples */
        double d = s - f->offset; /* decision_function */
        if (label)
            label[r] = d < 0 ? -1 : 1;
        else
            score[r] = method == MC_METHOD_SCORE_SAMPLES ? s : d;
    }
    free(depth);
    return st;
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const forest *f = state;
    if ((int64_t)ncols < f->n_inputs)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, the trees read %lld",
                            (unsigned long long)ncols, (long long)f->n_inputs);
    switch (f->kind) {
    case ENS_BOOSTING: return run_boosting(f, method, X, n, ncols, out, err);
    case ENS_ISOLATION: return run_isolation(f, method, X, n, ncols, out, err);
    default: return run_trees(f, m, method, X, n, ncols, out, err);
    }
}

const mc_kernel mc_kernel_tree_ensemble = {"tree_ensemble", prepare, release, run};
