/* Family "neighbors": KNeighborsClassifier, KNeighborsRegressor
 * (schemas/families/neighbors.md).  The training data and targets become
 * tensors, and so do the arrays of a fitted KDTree / BallTree, whose object
 * stays in the state whole. */
#include <string.h>

#include "core/bytes.h"
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/neighbors.inc"
    {0}};

static const char *const classes[] = {"KNeighborsClassifier", "KNeighborsRegressor", NULL};

/* The items of a BinaryTree's pickled state tuple (_binary_tree.pxi
 * __getstate__) that the tensors copy. */
enum { TREE_DATA, TREE_IDX, TREE_NODES, TREE_BOUNDS, TREE_MIN_ITEMS = 12 };

static int is_classifier(const mc_model *m)
{
    const char *dot = strrchr(m->estimator, '.');
    return strcmp(dot ? dot + 1 : m->estimator, "KNeighborsClassifier") == 0;
}

/* _y as a (n_samples_fit, n_outputs) tensor; *exact when it holds _y as it
 * was (a 2-d array of the tensor's type). */
static mc_status map_targets(mc_mapper *mp, mc_model *m, const mc_value *y, int *exact)
{
    const char *name = m->task == MC_TASK_CLASSIFIER ? "y_index" : "y_value";
    if (!y || y->kind != MC_NDARRAY || (y->u.array.ndim != 1 && y->u.array.ndim != 2))
        return mc_map_fail(mp, "_y", "expected a 1-d or 2-d array of targets");
    mc_tensor *t;
    mc_status st = mc_map_array(mp, m, name, y, &t);
    if (st)
        return st;
    *exact = t->ndim == 2 && mc_map_array_exact(y, t);
    if (t->ndim == 1) { /* one output: a column */
        t->ndim = 2;
        t->shape[1] = 1;
    }
    m->n_outputs = t->shape[1];
    return MC_OK;
}

/* ---- the search tree --------------------------------------------------- */

/* How to read one field of the node records (NodeData_t: idx_start,
 * idx_end, is_leaf as intp, radius as float64). */
typedef struct record_field {
    const uint8_t *base;
    uint32_t stride, size;
    int swap;
} record_field;

/* Field `name` of numpy kind `kind`, 8 bytes (or a 4-byte intp of a 32-bit
 * build); -1 when the records have no such field. */
static int field_of(const mc_ndarray *nodes, const char *name, char kind, record_field *f)
{
    const mc_dtype *dt = nodes->dtype;
    for (uint32_t i = 0; i < dt->nfields; i++) {
        const mc_dtype_field *df = &dt->fields[i];
        if (strcmp(df->name, name) != 0)
            continue;
        uint32_t size = df->dtype ? df->dtype->itemsize : 0;
        if (!df->dtype || df->dtype->kind != kind || df->dtype->nfields || df->offset < 0 ||
            (size != 8 && !(kind == 'i' && size == 4)) ||
            (uint64_t)df->offset + size > dt->itemsize)
            return -1;
        f->base = nodes->data + df->offset;
        f->stride = dt->itemsize;
        f->size = size;
        f->swap = mc_dtype_needs_swap(df->dtype);
        return 0;
    }
    return -1;
}

static uint64_t field_bits(const record_field *f, uint64_t i)
{
    uint8_t b[8];
    memcpy(b, f->base + i * f->stride, f->size);
    if (f->swap)
        mc_swap_bytes(b, f->size);
    if (f->size == 4) {
        int32_t v;
        memcpy(&v, b, 4);
        return (uint64_t)(int64_t)v;
    }
    uint64_t u;
    memcpy(&u, b, 8);
    return u;
}

/* One node field as a new tensor of n values. */
static mc_status node_tensor(mc_mapper *mp, mc_model *m, const mc_ndarray *nodes,
                             const char *field, char kind, const char *name)
{
    record_field f;
    if (field_of(nodes, field, kind, &f))
        return mc_map_fail(mp, "_tree", "node_data has no usable '%s' field", field);
    int64_t shape[1] = {(int64_t)nodes->count};
    mc_tensor *t = mc_map_new_tensor(mp, m, name, 1, shape);
    if (!t)
        return MC_E_INPUT;
    for (uint64_t i = 0; i < nodes->count; i++) {
        uint64_t u = field_bits(&f, i);
        if (t->elem == MC_ELEM_F64)
            memcpy(&t->data.f64[i], &u, sizeof u);
        else if (t->elem == MC_ELEM_U8)
            t->data.u8[i] = u != 0;
        else
            t->data.i64[i] = (int64_t)u;
    }
    return MC_OK;
}

/* True when the tree was built on _fit_X: the same array, or equal bytes. */
static int same_data(const mc_value *a, const mc_value *b)
{
    if (a == b)
        return 1;
    if (!a || !b || a->kind != MC_NDARRAY || b->kind != MC_NDARRAY)
        return 0;
    const mc_ndarray *x = &a->u.array, *y = &b->u.array;
    return x->dtype && y->dtype && x->dtype->kind == y->dtype->kind &&
           x->dtype->itemsize == y->dtype->itemsize && x->dtype->byteorder == y->dtype->byteorder &&
           x->ndim == 2 && y->ndim == 2 && x->shape[0] == y->shape[0] &&
           x->shape[1] == y->shape[1] && x->order == y->order && x->data && y->data &&
           x->nbytes == y->nbytes && memcmp(x->data, y->data, x->nbytes) == 0;
}

/* The state tuple of a KDTree / BallTree built on _fit_X, or NULL. */
static const mc_value *tree_state(const mc_value *est, const mc_value *fit_x)
{
    const mc_value *fit_method = mc_object_get(est, "_fit_method");
    const mc_value *tree = mc_object_get(est, "_tree");
    if (!(mc_value_is_str(fit_method, "kd_tree") || mc_value_is_str(fit_method, "ball_tree")) ||
        !tree || tree->kind != MC_OBJECT)
        return NULL;
    const mc_value *st = tree->u.object.state;
    if (!st || st->kind != MC_TUPLE || st->u.seq.len < TREE_MIN_ITEMS ||
        !same_data(st->u.seq.items[TREE_DATA], fit_x))
        return NULL;
    return st;
}

static mc_status map_tree(mc_mapper *mp, mc_model *m, const mc_value *tuple)
{
    const mc_value *nodes = tuple->u.seq.items[TREE_NODES];
    if (nodes->kind != MC_NDARRAY || nodes->u.array.ndim != 1 || !nodes->u.array.dtype ||
        !nodes->u.array.dtype->nfields || !nodes->u.array.data)
        return mc_map_fail(mp, "_tree", "node_data is not an array of node records");
    const mc_ndarray *nd = &nodes->u.array;
    mc_tensor *t;
    mc_status st = mc_map_array(mp, m, "tree_index", tuple->u.seq.items[TREE_IDX], &t);
    if (!st)
        st = mc_map_array(mp, m, "tree_node_bounds", tuple->u.seq.items[TREE_BOUNDS], &t);
    if (!st)
        st = node_tensor(mp, m, nd, "idx_start", 'i', "tree_node_start");
    if (!st)
        st = node_tensor(mp, m, nd, "idx_end", 'i', "tree_node_end");
    if (!st)
        st = node_tensor(mp, m, nd, "is_leaf", 'i', "tree_node_is_leaf");
    if (!st)
        st = node_tensor(mp, m, nd, "radius", 'f', "tree_node_radius");
    return st;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    static const mc_attr_tensor fit_x[] = {{"_fit_X", "fit_x", 1}};
    m->task = is_classifier(m) ? MC_TASK_CLASSIFIER : MC_TASK_REGRESSOR;
    mc_status st = MC_OK;
    if (m->task == MC_TASK_CLASSIFIER)
        st = mc_map_classes(mp, m, mc_map_get(mp, est, "classes_", 1));
    const char *consumed[3] = {NULL, NULL, NULL};
    int y_exact = 0;
    if (!st)
        st = mc_map_attr_tensors(mp, m, est, fit_x, 1, consumed);
    if (!st)
        st = map_targets(mp, m, mc_map_get(mp, est, "_y", 1), &y_exact);
    const mc_value *tree = st ? NULL : tree_state(est, mc_object_get(est, "_fit_X"));
    if (!st && tree)
        st = map_tree(mp, m, tree);
    if (st)
        return st;
    if (y_exact)
        consumed[consumed[0] ? 1 : 0] = "_y";
    const mc_tensor *x = mc_model_tensor(m, "fit_x");
    if (m->n_features < 0 && x->ndim == 2)
        m->n_features = x->shape[1]; /* pickles older than n_features_in_ (1.0) */
    return mc_map_split_state(mp, m, est, consumed);
}

const mc_family mc_family_neighbors = {.name = "neighbors",
                                       .specs = specs,
                                       .nspecs = sizeof specs / sizeof specs[0] - 1,
                                       .classes = classes,
                                       .map = map};
