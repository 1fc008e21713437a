/* KNeighborsClassifier, KNeighborsRegressor: kneighbors as scikit-learn runs
 * it (the fitted KDTree / BallTree's depth-first query, or ArgKmin's brute
 * scan), then the (weighted) vote or mean (sklearn/neighbors/_base.py,
 * _classification.py, _regression.py, _binary_tree.pxi, _kd_tree.pyx,
 * _ball_tree.pyx, utils/_heap.pyx, utils/_sorting.pyx; details in
 * schemas/families/neighbors.md).  prepare() checks the tree's structure
 * (every index it will follow) and precomputes the brute search's norms;
 * run() searches row by row (the brute scan by blocks of rows, each
 * training row once per block). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "predict/kernel.h"
#include "predict/numeric.h"

typedef enum metric_kind { M_EUCLIDEAN, M_MANHATTAN, M_CHEBYSHEV, M_MINKOWSKI } metric_kind;

typedef enum search_kind { SEARCH_BRUTE, SEARCH_KD_TREE, SEARCH_BALL_TREE } search_kind;

typedef struct knn {
    metric_kind metric;
    double p;                 /* the DistanceMetric's p (2, 1, inf, or minkowski's) */
    search_kind search;
    uint64_t n_fit, nf, k;
    const double *x;          /* n_fit x nf */
    double *x_norms;          /* brute euclidean: ||y||^2 of each training row */
    /* the tree: node i's children are 2i+1 and 2i+2 */
    uint64_t n_nodes;
    const int64_t *index, *start, *end;
    const uint8_t *leaf;
    const double *radius, *bounds; /* bounds: (2 or 1) x n_nodes x nf */
    int distance_weights;
    int classifier;
    uint32_t n_outputs;
    int ravel;                /* one output returned as a vector */
    const int64_t *y_index;   /* n_fit x n_outputs class indices */
    const double *y_value;    /* n_fit x n_outputs targets */
    const uint64_t *n_classes; /* per output (classifier) */
} knn;

enum { BLOCK_ROWS = 64 };

static void release(void *state)
{
    knn *s = state;
    if (!s)
        return;
    free(s->x_norms);
    free((void *)s->n_classes);
    free(s);
}

static mc_status fail(const mc_model *m, mc_error *err, const char *why)
{
    return mc_error_set(err, MC_E_INPUT, -1, "%s: %s", m->estimator, why);
}

static mc_status nomem(mc_error *err)
{
    return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
}

/* ---- metrics (sklearn/metrics/_dist_metrics.pyx) --------------------------- */

/* The reduced distance: what the searches compare. */
static double rdist(const knn *s, const double *x, const double *y)
{
    double d = 0;
    switch (s->metric) {
    case M_EUCLIDEAN:
        for (uint64_t j = 0; j < s->nf; j++) {
            double t = x[j] - y[j];
            d += t * t;
        }
        return d;
    case M_MANHATTAN:
        for (uint64_t j = 0; j < s->nf; j++)
            d += fabs(x[j] - y[j]);
        return d;
    case M_CHEBYSHEV:
        for (uint64_t j = 0; j < s->nf; j++)
            d = fmax(d, fabs(x[j] - y[j]));
        return d;
    case M_MINKOWSKI:
        for (uint64_t j = 0; j < s->nf; j++)
            d += pow(fabs(x[j] - y[j]), s->p);
        return d;
    }
    return d;
}

static double rdist_to_dist(const knn *s, double r)
{
    switch (s->metric) {
    case M_EUCLIDEAN: return sqrt(r);
    case M_MINKOWSKI: return pow(r, 1. / s->p);
    default: return r;
    }
}

static double dist_to_rdist(const knn *s, double d)
{
    switch (s->metric) {
    case M_EUCLIDEAN: return d * d;
    case M_MINKOWSKI: return pow(d, s->p);
    default: return d;
    }
}

/* ---- prepare ------------------------------------------------------------- */

/* effective_metric_ (with effective_metric_params_' p for minkowski). */
static mc_status resolve_metric(const mc_model *m, knn *s, mc_error *err)
{
    const mc_value *name = mc_model_state(m, "effective_metric_");
    const mc_value *params = mc_model_state(m, "effective_metric_params_");
    if (mc_value_is_str(name, "euclidean") || mc_value_is_str(name, "l2")) {
        s->metric = M_EUCLIDEAN;
        s->p = 2;
    } else if (mc_value_is_str(name, "manhattan") || mc_value_is_str(name, "cityblock") ||
               mc_value_is_str(name, "l1")) {
        s->metric = M_MANHATTAN;
        s->p = 1;
    } else if (mc_value_is_str(name, "chebyshev") || mc_value_is_str(name, "infinity")) {
        s->metric = M_CHEBYSHEV;
        s->p = INFINITY;
    } else if (mc_value_is_str(name, "minkowski") || mc_value_is_str(name, "p")) {
        const mc_value *w = mc_dict_get(params, "w");
        s->metric = M_MINKOWSKI;
        if (mc_value_to_double(mc_dict_get(params, "p"), &s->p) || !(s->p >= 1) || isinf(s->p) ||
            (w && w->kind != MC_NONE))
            return fail(m, err, "only unweighted minkowski metrics with a finite p >= 1 are "
                                "supported");
    } else {
        return fail(m, err, "effective_metric_ is not euclidean, manhattan, chebyshev or "
                            "minkowski (other metrics are not supported)");
    }
    return MC_OK;
}

/* The tree's arrays, every node range and child index checked. */
static mc_status load_tree(const mc_model *m, knn *s, mc_error *err)
{
    const mc_tensor *idx = mc_kernel_tensor(m, "tree_index", MC_ELEM_I64, err);
    const mc_tensor *st = idx ? mc_kernel_tensor(m, "tree_node_start", MC_ELEM_I64, err) : NULL;
    const mc_tensor *en = st ? mc_kernel_tensor(m, "tree_node_end", MC_ELEM_I64, err) : NULL;
    const mc_tensor *lf = en ? mc_kernel_tensor(m, "tree_node_is_leaf", MC_ELEM_U8, err) : NULL;
    const mc_tensor *rad = lf ? mc_kernel_tensor(m, "tree_node_radius", MC_ELEM_F64, err) : NULL;
    const mc_tensor *bd = rad ? mc_kernel_tensor(m, "tree_node_bounds", MC_ELEM_F64, err) : NULL;
    if (!bd)
        return MC_E_INPUT;
    s->n_nodes = st->count;
    uint64_t rows = s->search == SEARCH_KD_TREE ? 2 : 1;
    if (idx->count != s->n_fit || s->n_nodes == 0 || bd->ndim != 3 ||
        (uint64_t)bd->shape[0] != rows || (uint64_t)bd->shape[1] != s->n_nodes ||
        (uint64_t)bd->shape[2] != s->nf)
        return fail(m, err, "the search tree's arrays do not fit the training data");
    for (uint64_t i = 0; i < s->n_fit; i++)
        if (idx->data.i64[i] < 0 || (uint64_t)idx->data.i64[i] >= s->n_fit)
            return fail(m, err, "the search tree indexes beyond the training data");
    for (uint64_t i = 0; i < s->n_nodes; i++) {
        int64_t a = st->data.i64[i], b = en->data.i64[i];
        if (a < 0 || b < a || (uint64_t)b > s->n_fit ||
            (!lf->data.u8[i] && (i > (UINT64_MAX - 2) / 2 || 2 * i + 2 >= s->n_nodes)))
            return fail(m, err, "the search tree's nodes are inconsistent");
    }
    s->index = idx->data.i64;
    s->start = st->data.i64;
    s->end = en->data.i64;
    s->leaf = lf->data.u8;
    s->radius = rad->data.f64;
    s->bounds = bd->data.f64;
    return MC_OK;
}

/* _fit_method: the fitted tree, or ArgKmin's brute scan (squared norms of
 * the training rows precomputed for euclidean). */
static mc_status resolve_search(const mc_model *m, knn *s, mc_error *err)
{
    const mc_value *fit_method = mc_model_state(m, "_fit_method");
    if (mc_value_is_str(fit_method, "kd_tree") || mc_value_is_str(fit_method, "ball_tree")) {
        if (!mc_model_tensor(m, "tree_index"))
            return fail(m, err, "the fitted search tree was not built on _fit_X");
        s->search = mc_value_is_str(fit_method, "kd_tree") ? SEARCH_KD_TREE : SEARCH_BALL_TREE;
        return load_tree(m, s, err);
    }
    if (!mc_value_is_str(fit_method, "brute"))
        return fail(m, err, "_fit_method is not 'kd_tree', 'ball_tree' or 'brute'");
    s->search = SEARCH_BRUTE;
    if (s->metric != M_EUCLIDEAN)
        return MC_OK;
    if (!(s->x_norms = malloc((s->n_fit ? s->n_fit : 1) * sizeof *s->x_norms)))
        return nomem(err);
    for (uint64_t i = 0; i < s->n_fit; i++) {
        const double *y = s->x + i * s->nf;
        double d = 0;
        for (uint64_t j = 0; j < s->nf; j++)
            d += y[j] * y[j];
        s->x_norms[i] = d;
    }
    return MC_OK;
}

/* The training data, the targets and k. */
static mc_status load_data(const mc_model *m, knn *s, mc_error *err)
{
    const mc_tensor *x = mc_kernel_tensor(m, "fit_x", MC_ELEM_F64, err);
    if (!x)
        return MC_E_INPUT;
    /* the mapping widened a float32 _fit_X and kept it in the state; 1.9's
     * KDTree32 / BallTree32 then search in float32 */
    const mc_value *orig = mc_model_state(m, "_fit_X");
    if (orig && orig->kind == MC_NDARRAY && orig->u.array.dtype &&
        orig->u.array.dtype->itemsize != 8)
        return fail(m, err, "models fitted on float32 data are not supported");
    if (x->ndim != 2 || (m->n_features >= 0 && x->shape[1] != m->n_features))
        return fail(m, err, "_fit_X is not (n_samples, n_features)");
    s->n_fit = (uint64_t)x->shape[0];
    s->nf = (uint64_t)x->shape[1];
    s->x = x->data.f64;
    const mc_tensor *y = s->classifier ? mc_kernel_tensor(m, "y_index", MC_ELEM_I64, err)
                                       : mc_kernel_tensor(m, "y_value", MC_ELEM_F64, err);
    if (!y)
        return MC_E_INPUT;
    if (y->ndim != 2 || (uint64_t)y->shape[0] != s->n_fit || y->shape[1] < 1 ||
        y->shape[1] > UINT32_MAX)
        return fail(m, err, "_y does not have one row per training sample");
    s->n_outputs = (uint32_t)y->shape[1];
    s->y_index = s->classifier ? y->data.i64 : NULL;
    s->y_value = s->classifier ? NULL : y->data.f64;
    int64_t k;
    if (mc_value_to_int64(mc_model_param(m, "n_neighbors"), &k) || k < 1 ||
        (uint64_t)k > s->n_fit)
        return fail(m, err, "n_neighbors must be between 1 and the number of training samples "
                            "(scikit-learn raises ValueError)");
    s->k = (uint64_t)k;
    return MC_OK;
}

/* Class counts per output, every training label checked against them. */
static mc_status load_classes(const mc_model *m, knn *s, mc_error *err)
{
    if (m->n_class_sets != s->n_outputs)
        return fail(m, err, "classes_ does not have one set per output");
    uint64_t *counts = malloc(s->n_outputs * sizeof *counts);
    if (!counts)
        return nomem(err);
    s->n_classes = counts;
    for (uint32_t o = 0; o < s->n_outputs; o++)
        counts[o] = m->classes[o].count;
    for (uint64_t i = 0; i < s->n_fit * s->n_outputs; i++) {
        int64_t c = s->y_index[i];
        if (c < 0 || (uint64_t)c >= counts[i % s->n_outputs])
            return fail(m, err, "_y holds a class index beyond classes_");
    }
    /* one output: predict gives a vector (outputs_2d_ False) */
    int64_t two_d = 0;
    mc_value_to_int64(mc_model_state(m, "outputs_2d_"), &two_d);
    s->ravel = !two_d && s->n_outputs == 1;
    return MC_OK;
}

static mc_status setup(const mc_model *m, knn *s, unsigned *methods, mc_error *err)
{
    s->classifier = m->task == MC_TASK_CLASSIFIER;
    const mc_value *w = mc_model_param(m, "weights");
    if (w && w->kind != MC_NONE && !mc_value_is_str(w, "uniform") &&
        !mc_value_is_str(w, "distance"))
        return fail(m, err, "weights is neither 'uniform' nor 'distance' (callables are not "
                            "supported)");
    s->distance_weights = mc_value_is_str(w, "distance");
    mc_status st = load_data(m, s, err);
    if (!st)
        st = resolve_metric(m, s, err);
    if (!st)
        st = resolve_search(m, s, err);
    if (st)
        return st;
    *methods = 1u << MC_METHOD_PREDICT;
    if (!s->classifier) {
        /* predict ravels the output when _y was 1-d (kept in the state then) */
        const mc_value *y = mc_model_state(m, "_y");
        s->ravel = y && y->kind == MC_NDARRAY && y->u.array.ndim == 1;
        return MC_OK;
    }
    *methods |= 1u << MC_METHOD_PREDICT_PROBA;
    return load_classes(m, s, err);
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    knn *s = calloc(1, sizeof *s);
    if (!s)
        return nomem(err);
    mc_status st = setup(m, s, methods, err);
    if (st) {
        release(s);
        return st;
    }
    *state = s;
    return MC_OK;
}

/* ---- the k-nearest heap (utils/_heap.pyx heap_push) ------------------------ */

static void heap_push(double *values, int64_t *indices, uint64_t size, double val, int64_t val_idx)
{
    if (val >= values[0]) /* check if val should be in heap */
        return;
    uint64_t current = 0;
    for (;;) { /* descend the heap, swapping until the max heap criterion is met */
        uint64_t left = 2 * current + 1, right = left + 1, swap;
        if (left >= size)
            break;
        if (right >= size) {
            if (!(values[left] > val))
                break;
            swap = left;
        } else if (values[left] >= values[right]) {
            if (!(val < values[left]))
                break;
            swap = left;
        } else {
            if (!(val < values[right]))
                break;
            swap = right;
        }
        values[current] = values[swap];
        indices[current] = indices[swap];
        current = swap;
    }
    values[current] = val;
    indices[current] = val_idx;
}

static void dual_swap(double *v, int64_t *ix, uint64_t a, uint64_t b)
{
    double dt = v[a];
    v[a] = v[b];
    v[b] = dt;
    int64_t it = ix[a];
    ix[a] = ix[b];
    ix[b] = it;
}

/* utils/_sorting.pyx simultaneous_sort: quicksort with a median-of-three
 * pivot.  The two sides are disjoint, so sorting the smaller one first by
 * recursion and the larger one in the loop gives the same result with a
 * bounded stack. */
static void simultaneous_sort(double *values, int64_t *indices, uint64_t size)
{
    while (size > 3) {
        uint64_t pivot_idx = size / 2;
        if (values[0] > values[size - 1])
            dual_swap(values, indices, 0, size - 1);
        if (values[size - 1] > values[pivot_idx]) {
            dual_swap(values, indices, size - 1, pivot_idx);
            if (values[0] > values[size - 1])
                dual_swap(values, indices, 0, size - 1);
        }
        double pivot_val = values[size - 1];
        uint64_t store = 0;
        for (uint64_t i = 0; i < size - 1; i++)
            if (values[i] < pivot_val)
                dual_swap(values, indices, i, store++);
        dual_swap(values, indices, store, size - 1);
        uint64_t left = store, right = size - store - 1;
        if (left <= right) {
            if (left > 1)
                simultaneous_sort(values, indices, left);
            values += store + 1;
            indices += store + 1;
            size = right;
        } else {
            if (right > 1)
                simultaneous_sort(values + store + 1, indices + store + 1, right);
            size = left;
        }
    }
    if (size == 2 && values[0] > values[1])
        dual_swap(values, indices, 0, 1);
    if (size == 3) {
        if (values[0] > values[1])
            dual_swap(values, indices, 0, 1);
        if (values[1] > values[2]) {
            dual_swap(values, indices, 1, 2);
            if (values[0] > values[1])
                dual_swap(values, indices, 0, 1);
        }
    }
}

/* ---- searches ---------------------------------------------------------- */

/* KDTree min_rdist: the reduced distance from pt to node's box. */
static double kd_min_rdist(const knn *s, uint64_t node, const double *pt)
{
    const double *lo = s->bounds + node * s->nf;
    const double *hi = s->bounds + (s->n_nodes + node) * s->nf;
    double r = 0.0;
    for (uint64_t j = 0; j < s->nf; j++) {
        double d_lo = lo[j] - pt[j];
        double d_hi = pt[j] - hi[j];
        double d = (d_lo + fabs(d_lo)) + (d_hi + fabs(d_hi)); /* 2 max(x, 0) */
        r = isinf(s->p) ? fmax(r, 0.5 * d) : r + pow(0.5 * d, s->p);
    }
    return r;
}

/* BallTree min_rdist: max(0, dist(pt, centroid) - radius), reduced. */
static double ball_min_rdist(const knn *s, uint64_t node, const double *pt)
{
    double d = rdist_to_dist(s, rdist(s, pt, s->bounds + node * s->nf));
    return dist_to_rdist(s, fmax(0, d - s->radius[node]));
}

static double min_rdist(const knn *s, uint64_t node, const double *pt)
{
    return s->search == SEARCH_KD_TREE ? kd_min_rdist(s, node, pt) : ball_min_rdist(s, node, pt);
}

/* _query_single_depthfirst */
static void query_node(const knn *s, uint64_t node, const double *pt, double lower_bound,
                       double *dist, int64_t *ind)
{
    if (lower_bound > dist[0])
        return; /* trimmed: farther than the current k-th neighbour */
    if (s->leaf[node]) {
        for (int64_t i = s->start[node]; i < s->end[node]; i++) {
            double r = rdist(s, pt, s->x + (uint64_t)s->index[i] * s->nf);
            if (r < dist[0])
                heap_push(dist, ind, s->k, r, s->index[i]);
        }
        return;
    }
    uint64_t i1 = 2 * node + 1, i2 = i1 + 1;
    double lb1 = min_rdist(s, i1, pt), lb2 = min_rdist(s, i2, pt);
    if (lb1 <= lb2) {
        query_node(s, i1, pt, lb1, dist, ind);
        query_node(s, i2, pt, lb2, dist, ind);
    } else {
        query_node(s, i2, pt, lb2, dist, ind);
        query_node(s, i1, pt, lb1, dist, ind);
    }
}

static void heap_init(const knn *s, double *dist, int64_t *ind, uint64_t rows)
{
    for (uint64_t i = 0; i < rows * s->k; i++) {
        dist[i] = INFINITY;
        ind[i] = 0;
    }
}

/* ArgKmin's scan over the training rows, in order, for a block of rows;
 * euclidean uses its (||x||^2 + -2 x.y) + ||y||^2. */
static void brute_block(const knn *s, const double *X, uint64_t rows, double *dist, int64_t *ind,
                        double *x_norms)
{
    for (uint64_t r = 0; s->x_norms && r < rows; r++) {
        const double *x = X + r * s->nf;
        double d = 0;
        for (uint64_t j = 0; j < s->nf; j++)
            d += x[j] * x[j];
        x_norms[r] = d;
    }
    for (uint64_t i = 0; i < s->n_fit; i++) {
        const double *y = s->x + i * s->nf;
        for (uint64_t r = 0; r < rows; r++) {
            const double *x = X + r * s->nf;
            double v;
            if (s->x_norms) {
                double dot = 0;
                for (uint64_t j = 0; j < s->nf; j++)
                    dot += x[j] * y[j];
                v = (x_norms[r] + -2.0 * dot) + s->x_norms[i];
            } else {
                v = rdist(s, x, y);
            }
            heap_push(dist + r * s->k, ind + r * s->k, s->k, v, (int64_t)i);
        }
    }
}

/* The k nearest of a block of rows, sorted, as distances. */
static void kneighbors_block(const knn *s, const double *X, uint64_t rows, double *dist,
                             int64_t *ind, double *x_norms)
{
    heap_init(s, dist, ind, rows);
    if (s->search == SEARCH_BRUTE)
        brute_block(s, X, rows, dist, ind, x_norms);
    for (uint64_t r = 0; s->search != SEARCH_BRUTE && r < rows; r++) {
        const double *pt = X + r * s->nf;
        query_node(s, 0, pt, min_rdist(s, 0, pt), dist + r * s->k, ind + r * s->k);
    }
    for (uint64_t r = 0; r < rows; r++) {
        double *d = dist + r * s->k;
        simultaneous_sort(d, ind + r * s->k, s->k);
        for (uint64_t j = 0; j < s->k; j++) /* ArgKmin: max(d, 0) before the root */
            d[j] = rdist_to_dist(s, s->search == SEARCH_BRUTE ? fmax(d[j], 0.) : d[j]);
    }
}

/* ---- predictions ------------------------------------------------------- */

/* _get_weights: 1 / dist, or for a row with a zero distance 1 for those
 * neighbours and 0 for the others; all ones for 'uniform'. */
static void weights_of(const knn *s, const double *dist, double *w)
{
    int inf_row = 0;
    for (uint64_t j = 0; j < s->k; j++) {
        w[j] = s->distance_weights ? 1.0 / dist[j] : 1.0;
        inf_row |= isinf(w[j]);
    }
    for (uint64_t j = 0; inf_row && j < s->k; j++)
        w[j] = isinf(w[j]) ? 1.0 : 0.0;
}

/* Scratch for the per-row predictions: the weights and k more values. */
typedef struct row_work {
    double *w, *tmp;
} row_work;

/* predict, one output: the class with the largest vote, the first on ties
 * (scipy.stats.mode for 'uniform'; weighted_mode sums each class's weights
 * over all k positions, zeros elsewhere, with np.sum). */
static int64_t vote(const knn *s, uint32_t o, const int64_t *ind, row_work *rw)
{
    uint64_t best = 0;
    double best_score = 0.0;
    for (uint64_t c = 0; c < s->n_classes[o]; c++) {
        for (uint64_t j = 0; j < s->k; j++)
            rw->tmp[j] = s->y_index[(uint64_t)ind[j] * s->n_outputs + o] == (int64_t)c ? rw->w[j]
                                                                                      : 0.0;
        double score = mc_pairwise_sum(rw->tmp, s->k);
        if (score > best_score) {
            best = c;
            best_score = score;
        }
    }
    return (int64_t)best;
}

/* predict_proba, one output: weights added per class in neighbour order,
 * divided by their np.sum.  (A zero sum, which 1.2 turned into 1 and 1.9
 * refuses, needs every weight 0: impossible for 'uniform' and 'distance'.) */
static void proba(const knn *s, uint32_t o, const int64_t *ind, const double *w, double *p)
{
    uint64_t nc = s->n_classes[o];
    memset(p, 0, nc * sizeof *p);
    for (uint64_t j = 0; j < s->k; j++)
        p[s->y_index[(uint64_t)ind[j] * s->n_outputs + o]] += w[j];
    double normalizer = mc_pairwise_sum(p, nc);
    for (uint64_t c = 0; c < nc; c++)
        p[c] /= normalizer;
}

/* KNeighborsRegressor.predict, one output: np.mean of the neighbours'
 * targets (numpy sums a (n, k, 1) array along k pairwise, a (n, k, m) one
 * sequentially), or np.sum(y * w) / np.sum(w). */
static double regress(const knn *s, uint32_t o, const int64_t *ind, row_work *rw)
{
    for (uint64_t j = 0; j < s->k; j++)
        rw->tmp[j] = s->y_value[(uint64_t)ind[j] * s->n_outputs + o];
    if (s->distance_weights) {
        for (uint64_t j = 0; j < s->k; j++)
            rw->tmp[j] *= rw->w[j];
        return mc_pairwise_sum(rw->tmp, s->k) / mc_pairwise_sum(rw->w, s->k);
    }
    double sum = 0.0;
    if (s->n_outputs == 1)
        sum = mc_pairwise_sum(rw->tmp, s->k);
    else
        for (uint64_t j = 0; j < s->k; j++)
            sum += rw->tmp[j];
    return sum / (double)s->k;
}

/* ---- run ----------------------------------------------------------------- */

static mc_status alloc_outputs(const knn *s, mc_method method, uint64_t n, mc_outputs *out,
                               mc_error *err)
{
    int parts = method == MC_METHOD_PREDICT_PROBA && !s->ravel;
    mc_status st = mc_outputs_init(out, parts ? s->n_outputs : 1, err);
    if (st)
        return st;
    uint64_t cols = s->ravel ? 0 : s->n_outputs;
    void *ok = out; /* any non-NULL */
    if (method == MC_METHOD_PREDICT && s->classifier)
        ok = mc_output_i64(out, 0, n, cols, err);
    else if (method == MC_METHOD_PREDICT)
        ok = mc_output_f64(out, 0, n, cols, err);
    for (uint32_t o = 0; method == MC_METHOD_PREDICT_PROBA && ok && o < out->n; o++)
        ok = mc_output_f64(out, o, n, s->n_classes[o], err);
    return ok ? MC_OK : MC_E_NOMEM;
}

/* The outputs of one row from its sorted neighbours. */
static void finish_row(const knn *s, mc_method method, const double *dist, const int64_t *ind,
                       mc_outputs *out, uint64_t row, row_work *rw)
{
    weights_of(s, dist, rw->w);
    for (uint32_t o = 0; o < s->n_outputs; o++) {
        uint64_t at = row * s->n_outputs + o;
        if (method == MC_METHOD_PREDICT_PROBA)
            proba(s, o, ind, rw->w,
                  (double *)out->parts[out->n > 1 ? o : 0].data + row * s->n_classes[o]);
        else if (s->classifier)
            ((int64_t *)out->parts[0].data)[at] = vote(s, o, ind, rw);
        else
            ((double *)out->parts[0].data)[at] = regress(s, o, ind, rw);
    }
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const knn *s = state;
    if (ncols != s->nf)
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %llu",
                            (unsigned long long)ncols, m->estimator, (unsigned long long)s->nf);
    /* validate_data: NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = alloc_outputs(s, method, n, out, err)))
        return st;
    uint64_t cells;
    if (mc_mul_u64(BLOCK_ROWS, s->k, &cells) || cells > SIZE_MAX / sizeof(double))
        return nomem(err);
    double *dist = malloc((size_t)cells * sizeof *dist);
    int64_t *ind = malloc((size_t)cells * sizeof *ind);
    double *buf = malloc((2 * s->k + BLOCK_ROWS) * sizeof *buf); /* k <= n_fit */
    if (!dist || !ind || !buf) {
        free(dist);
        free(ind);
        free(buf);
        return nomem(err);
    }
    row_work rw = {buf, buf + s->k};
    double *x_norms = buf + 2 * s->k;
    for (uint64_t r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
        uint64_t rows = n - r0 < BLOCK_ROWS ? n - r0 : BLOCK_ROWS;
        kneighbors_block(s, X + r0 * ncols, rows, dist, ind, x_norms);
        for (uint64_t r = 0; r < rows; r++)
            finish_row(s, method, dist + r * s->k, ind + r * s->k, out, r0 + r, &rw);
    }
    free(dist);
    free(ind);
    free(buf);
    return MC_OK;
}

const mc_kernel mc_kernel_neighbors = {.family = "neighbors", .prepare = prepare,
                                       .release = release, .run = run};
