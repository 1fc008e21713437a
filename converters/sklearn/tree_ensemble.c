/* Family "tree_ensemble": decision trees, random forests, extra trees,
 * gradient boosting and isolation forests as one flat struct-of-arrays over
 * all their trees (schemas/families/tree_ensemble.md).
 *
 * Every sklearn.tree._tree.Tree is read field by field from its structured
 * node array (7 fields before scikit-learn 1.3, 8 from 1.3 on; fields are
 * found by name, so int32 index fields and big-endian records read too) and
 * appended to the ensemble's tensors.  A member drops its tree_ only when
 * the tensors hold it byte for byte; everything else stays as it was. */
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "core/sizes.h"
#include "model/mapper.h"

static const mc_tensor_spec specs[] = {
#include "schemas/tree_ensemble.inc"
    {0}};

static const char *const classes[] = {
    "DecisionTreeClassifier",    "DecisionTreeRegressor",  "ExtraTreeClassifier",
    "ExtraTreeRegressor",        "RandomForestClassifier", "RandomForestRegressor",
    "ExtraTreesClassifier",      "ExtraTreesRegressor",    "GradientBoostingClassifier",
    "GradientBoostingRegressor", "IsolationForest",        NULL};

typedef enum ensemble_kind { KIND_TREE, KIND_FOREST, KIND_BOOSTING, KIND_ISOLATION } ensemble_kind;

/* The ensemble's trees, in tree order, before any tensor is made. */
typedef struct layout {
    ensemble_kind kind;
    size_t n_trees;
    const mc_value **members;    /* the estimator owning each tree_         */
    int64_t n_stages, n_columns; /* boosting: estimators_ is (stages, cols) */
    int64_t n_outputs;           /* of every tree                           */
    int64_t max_n_classes;       /* of every tree                           */
    uint64_t n_nodes;            /* over all trees                          */
    int has_missing;             /* records have missing_go_to_left         */
} layout;

/* One Tree object's parts. */
typedef struct tree_parts {
    const mc_value *tree;
    const mc_ndarray *nodes;
    const mc_ndarray *values;
    const mc_ndarray *n_classes; /* the constructor's n_classes argument */
    int64_t n_features, max_depth, n_outputs;
} tree_parts;

/* How to read one field of a node record. */
typedef struct field {
    const uint8_t *base; /* the field in record 0 */
    uint32_t stride, size;
    char kind;           /* 'i', 'u', 'b' or 'f'  */
    int swap;
} field;

static ensemble_kind kind_of(const char *estimator)
{
    const char *name = strrchr(estimator, '.');
    name = name ? name + 1 : estimator;
    if (strncmp(name, "GradientBoosting", 16) == 0)
        return KIND_BOOSTING;
    if (strcmp(name, "IsolationForest") == 0)
        return KIND_ISOLATION;
    if (strncmp(name, "RandomForest", 12) == 0 || strncmp(name, "ExtraTrees", 10) == 0)
        return KIND_FOREST;
    return KIND_TREE;
}

static mc_task task_of(const char *estimator)
{
    size_t n = strlen(estimator);
    if (n >= 10 && strcmp(estimator + n - 10, "Classifier") == 0)
        return MC_TASK_CLASSIFIER;
    if (n >= 15 && strcmp(estimator + n - 15, "IsolationForest") == 0)
        return MC_TASK_OUTLIER_DETECTOR;
    return MC_TASK_REGRESSOR;
}

/* ---- reading one Tree ---------------------------------------------------- */

static const mc_ndarray *array_of(const mc_value *v)
{
    return v && v->kind == MC_NDARRAY && v->u.array.dtype ? &v->u.array : NULL;
}

/* `where` names the member ("estimators_[3]"), "" for the estimator itself. */
static mc_status tree_parts_of(mc_mapper *mp, const mc_value *owner, const char *where,
                               tree_parts *tp)
{
    char sub[96];
    memset(tp, 0, sizeof *tp);
    tp->tree = mc_object_get(owner, "tree_");
    snprintf(sub, sizeof sub, "%s%stree_", where, where[0] ? "." : "");
    if (!tp->tree || !mc_object_is(tp->tree, "sklearn.tree._tree", "Tree"))
        return mc_map_fail(mp, sub, "expected a fitted tree of class sklearn.tree._tree.Tree");
    const mc_value *args = tp->tree->u.object.args;
    if (!args || args->kind != MC_TUPLE || args->u.seq.len != 3)
        return mc_map_fail(mp, sub, "expected Tree(n_features, n_classes, n_outputs)");
    tp->n_classes = array_of(args->u.seq.items[1]);
    if (mc_value_to_int64(args->u.seq.items[0], &tp->n_features) ||
        mc_value_to_int64(args->u.seq.items[2], &tp->n_outputs) || !tp->n_classes ||
        tp->n_classes->ndim != 1 || tp->n_outputs < 1 ||
        tp->n_classes->count != (uint64_t)tp->n_outputs)
        return mc_map_fail(mp, sub, "expected Tree(n_features, n_classes[n_outputs], "
                                    "n_outputs)");
    tp->nodes = array_of(mc_object_get(tp->tree, "nodes"));
    tp->values = array_of(mc_object_get(tp->tree, "values"));
    int64_t node_count;
    if (mc_value_to_int64(mc_object_get(tp->tree, "max_depth"), &tp->max_depth) ||
        mc_value_to_int64(mc_object_get(tp->tree, "node_count"), &node_count) || !tp->nodes ||
        !tp->values)
        return mc_map_fail(mp, sub, "expected the state {max_depth, node_count, nodes, values}");
    if (tp->nodes->ndim != 1 || tp->nodes->dtype->nfields == 0 || !tp->nodes->data ||
        tp->nodes->count != (uint64_t)node_count || node_count < 1)
        return mc_map_fail(mp, sub, "nodes: expected %lld node records, found %llu",
                           (long long)node_count, (unsigned long long)tp->nodes->count);
    if (tp->values->ndim != 3 || tp->values->shape[0] != node_count ||
        tp->values->shape[1] != tp->n_outputs || tp->values->dtype->kind != 'f' ||
        tp->values->dtype->itemsize != 8 || tp->values->dtype->nfields || !tp->values->data)
        return mc_map_fail(mp, sub, "values: expected float64 (node_count, n_outputs, "
                                    "max_n_classes)");
    return MC_OK;
}

static const mc_dtype_field *find_field(const mc_dtype *dt, const char *name)
{
    for (uint32_t i = 0; i < dt->nfields; i++)
        if (strcmp(dt->fields[i].name, name) == 0)
            return &dt->fields[i];
    return NULL;
}

/* A reader of field `name` of the records; `kinds` lists the accepted
 * numpy kinds.  -1 when the records have no such field. */
static int field_of(const mc_ndarray *nodes, const char *name, const char *kinds, field *f)
{
    const mc_dtype_field *df = find_field(nodes->dtype, name);
    if (!df || !df->dtype || !strchr(kinds, df->dtype->kind) || df->dtype->nfields ||
        df->dtype->subarray_base || df->offset < 0 ||
        (uint64_t)df->offset + df->dtype->itemsize > nodes->dtype->itemsize)
        return -1;
    uint32_t size = df->dtype->itemsize;
    if (df->dtype->kind == 'f' ? size != 8 : (size != 1 && size != 4 && size != 8))
        return -1;
    f->base = nodes->data + df->offset;
    f->stride = nodes->dtype->itemsize;
    f->size = size;
    f->kind = df->dtype->kind;
    f->swap = mc_dtype_needs_swap(df->dtype);
    return 0;
}

/* Record i's field as 64 bits (integers sign- or zero-extended). */
static uint64_t field_bits(const field *f, uint64_t i)
{
    uint8_t b[8] = {0};
    memcpy(b, f->base + i * f->stride, f->size);
    if (f->swap)
        mc_swap_bytes(b, f->size);
    if (f->size == 8) {
        uint64_t u;
        memcpy(&u, b, 8);
        return u;
    }
    if (f->size == 4) {
        uint32_t u;
        memcpy(&u, b, 4);
        return f->kind == 'i' ? (uint64_t)(int64_t)(int32_t)u : u;
    }
    return b[0];
}

static int64_t field_int(const field *f, uint64_t i)
{
    return (int64_t)field_bits(f, i);
}

static double field_f64(const field *f, uint64_t i)
{
    uint64_t u = field_bits(f, i);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* NODE_DTYPE as scikit-learn writes it on a 64-bit little-endian machine:
 * int64 and float64 fields at 8-byte steps, then the uint8 flag (1.3 on). */
static int layout_is_native(const mc_ndarray *nodes, int has_missing)
{
    static const char *const names[] = {"left_child", "right_child", "feature",
                                        "threshold",  "impurity",    "n_node_samples",
                                        "weighted_n_node_samples", "missing_go_to_left"};
    static const char kinds[] = "iiiffifu";
    const mc_dtype *dt = nodes->dtype;
    uint32_t nf = has_missing ? 8 : 7;
    if (!mc_host_is_le() || dt->nfields != nf || dt->itemsize != (has_missing ? 64u : 56u))
        return 0;
    for (uint32_t i = 0; i < nf; i++) {
        const mc_dtype_field *f = &dt->fields[i];
        uint32_t size = i == 7 ? 1 : 8;
        if (strcmp(f->name, names[i]) != 0 || f->offset != 8 * (int64_t)i ||
            f->dtype->kind != kinds[i] || f->dtype->itemsize != size ||
            mc_dtype_needs_swap(f->dtype) || f->dtype->nfields || f->title)
            return 0;
    }
    return 1;
}

/* The native layout with its padding zeroed, as 1.3.2 on writes it (in
 * 1.3.0 and 1.3.1 the 7 bytes after missing_go_to_left hold whatever memory
 * did, and only the source has them). */
static int nodes_are_native(const mc_ndarray *nodes, int has_missing)
{
    if (!layout_is_native(nodes, has_missing))
        return 0;
    static const uint8_t zero[7];
    for (uint64_t r = 0; has_missing && r < nodes->count; r++)
        if (memcmp(nodes->data + r * 64 + 57, zero, 7) != 0)
            return 0;
    return 1;
}

static int plain_native(const mc_ndarray *a, char kind, uint32_t size)
{
    return a->dtype->kind == kind && a->dtype->itemsize == size && !a->dtype->nfields &&
           !mc_dtype_needs_swap(a->dtype) && (a->order == 'C' || a->ndim < 2) && a->data;
}

/* True when the tensors hold this Tree byte for byte, so its owner may drop
 * it: native records, float64 values, intp n_classes, no other state. */
static int tree_is_exact(const tree_parts *tp, int has_missing)
{
    const mc_value *state = mc_object_state(tp->tree);
    return state && state->kind == MC_DICT && state->u.dict.len == 4 &&
           tp->tree->u.object.ctor == MC_CTOR_REDUCE && !tp->tree->u.object.listitems &&
           !tp->tree->u.object.dictitems && nodes_are_native(tp->nodes, has_missing) &&
           plain_native(tp->values, 'f', 8) && plain_native(tp->n_classes, 'i', 8);
}

/* ---- the layout ---------------------------------------------------------- */

/* Boosting's estimators_: an object ndarray (n_stages, K); tree stage*K+k. */
static mc_status boosting_members(mc_mapper *mp, const mc_value *est, layout *lo)
{
    const mc_ndarray *a = array_of(mc_map_get(mp, est, "estimators_", 1));
    if (!a || a->ndim != 2 || !a->objects || a->shape[0] < 1 || a->shape[1] < 1)
        return mc_map_fail(mp, "estimators_", "expected an object ndarray (n_stages, K) of "
                                               "fitted trees");
    lo->n_stages = a->shape[0];
    lo->n_columns = a->shape[1];
    lo->n_trees = (size_t)a->count;
    lo->members = mc_doc_alloc(mp->doc, lo->n_trees * sizeof *lo->members);
    if (!lo->members)
        return mc_map_nomem(mp);
    for (int64_t s = 0; s < lo->n_stages; s++)
        for (int64_t k = 0; k < lo->n_columns; k++) {
            int64_t at = a->order == 'F' ? k * lo->n_stages + s : s * lo->n_columns + k;
            lo->members[s * lo->n_columns + k] = a->objects[at];
        }
    return MC_OK;
}

static mc_status list_members(mc_mapper *mp, const mc_value *est, layout *lo)
{
    const mc_value *list = mc_map_get(mp, est, "estimators_", 1);
    if (!list || list->kind != MC_LIST || list->u.seq.len == 0)
        return mc_map_fail(mp, "estimators_", "expected a non-empty list of fitted trees");
    lo->n_trees = list->u.seq.len;
    lo->members = (const mc_value **)list->u.seq.items;
    return MC_OK;
}

static void member_path(const layout *lo, size_t t, char *buf, size_t size)
{
    if (lo->kind == KIND_TREE)
        buf[0] = '\0';
    else if (lo->kind == KIND_BOOSTING)
        snprintf(buf, size, "estimators_[%zu, %zu]", t / (size_t)lo->n_columns,
                 t % (size_t)lo->n_columns);
    else
        snprintf(buf, size, "estimators_[%zu]", t);
}

/* Find the trees, count their nodes and check that they share outputs,
 * classes and record layout (the tensors are single arrays). */
static mc_status measure(mc_mapper *mp, const mc_value *est, layout *lo)
{
    mc_status st = MC_OK;
    if (lo->kind == KIND_TREE) {
        lo->n_trees = 1;
        lo->members = mc_doc_alloc(mp->doc, sizeof *lo->members);
        if (!lo->members)
            return mc_map_nomem(mp);
        lo->members[0] = est;
    } else {
        st = lo->kind == KIND_BOOSTING ? boosting_members(mp, est, lo)
                                       : list_members(mp, est, lo);
    }
    for (size_t t = 0; t < lo->n_trees && !st; t++) {
        char where[64];
        member_path(lo, t, where, sizeof where);
        tree_parts tp;
        if (!lo->members[t] || lo->members[t]->kind != MC_OBJECT)
            return mc_map_fail(mp, where, "expected a fitted tree estimator");
        if ((st = tree_parts_of(mp, lo->members[t], where, &tp)))
            return st;
        int has_missing = find_field(tp.nodes->dtype, "missing_go_to_left") != NULL;
        if (t == 0) {
            lo->n_outputs = tp.n_outputs;
            lo->max_n_classes = tp.values->shape[2];
            lo->has_missing = has_missing;
        } else if (tp.n_outputs != lo->n_outputs || tp.values->shape[2] != lo->max_n_classes ||
                   has_missing != lo->has_missing) {
            return mc_map_fail(mp, where, "a tree unlike the first (outputs, classes or node "
                                          "record)");
        }
        if (mc_add_u64(lo->n_nodes, tp.nodes->count, &lo->n_nodes) || lo->n_nodes > INT64_MAX)
            return mc_map_fail(mp, where, "too many nodes");
    }
    return st;
}

/* ---- the tensors ----------------------------------------------------------- */

typedef struct node_tensors {
    mc_tensor *left, *right, *feature, *threshold, *impurity, *samples, *weighted, *missing;
    mc_tensor *value, *offsets, *n_features, *n_classes, *max_depth;
} node_tensors;

static mc_status make_tensors(mc_mapper *mp, mc_model *m, const layout *lo, node_tensors *nt)
{
    int64_t nodes = (int64_t)lo->n_nodes, trees = (int64_t)lo->n_trees;
    int64_t vshape[3] = {nodes, lo->n_outputs, lo->max_n_classes};
    int64_t oshape[1] = {trees + 1}, cshape[2] = {trees, lo->n_outputs};
    struct {
        mc_tensor **slot;
        const char *name;
        uint32_t ndim;
        const int64_t *shape;
    } list[] = {
        {&nt->offsets, "tree_offsets", 1, oshape},
        {&nt->left, "children_left", 1, &nodes},
        {&nt->right, "children_right", 1, &nodes},
        {&nt->feature, "feature", 1, &nodes},
        {&nt->threshold, "threshold", 1, &nodes},
        {&nt->impurity, "impurity", 1, &nodes},
        {&nt->samples, "n_node_samples", 1, &nodes},
        {&nt->weighted, "weighted_n_node_samples", 1, &nodes},
        {&nt->missing, lo->has_missing ? "missing_go_to_left" : NULL, 1, &nodes},
        {&nt->value, "value", 3, vshape},
        {&nt->n_features, "tree_n_features", 1, &trees},
        {&nt->n_classes, "tree_n_classes", 2, cshape},
        {&nt->max_depth, "tree_max_depth", 1, &trees},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
        *list[i].slot = NULL;
        if (list[i].name &&
            !(*list[i].slot = mc_map_new_tensor(mp, m, list[i].name, list[i].ndim,
                                                list[i].shape)))
            return mp->err ? mp->err->status : MC_E_INPUT;
    }
    return MC_OK;
}

/* A tree's values at node `at`: float64, C order. */
static mc_status copy_values(mc_mapper *mp, const tree_parts *tp, const char *where,
                             const node_tensors *nt, uint64_t at)
{
    uint64_t width = (uint64_t)nt->value->shape[1] * (uint64_t)nt->value->shape[2];
    double *dst = nt->value->data.f64 + at * width;
    if (tp->values->order == 'F' && width > 1)
        return mc_map_fail(mp, where[0] ? where : NULL,
                           "tree_.values: Fortran order (scikit-learn writes C order)");
    if (plain_native(tp->values, 'f', 8)) {
        memcpy(dst, tp->values->data, tp->values->count * sizeof *dst);
        return MC_OK;
    }
    for (uint64_t k = 0; k < tp->values->count; k++)
        if (mc_array_get_f64(tp->values, k, &dst[k]))
            return mc_map_fail(mp, where[0] ? where : NULL, "tree_.values: unreadable");
    return MC_OK;
}

/* Records in the native layout: fixed offsets, no conversion. */
static void copy_native_nodes(const mc_ndarray *nodes, const node_tensors *nt, uint64_t at)
{
    const uint8_t *r = nodes->data;
    for (uint64_t i = 0; i < nodes->count; i++, r += nodes->dtype->itemsize) {
        memcpy(&nt->left->data.i64[at + i], r, 8);
        memcpy(&nt->right->data.i64[at + i], r + 8, 8);
        memcpy(&nt->feature->data.i64[at + i], r + 16, 8);
        memcpy(&nt->threshold->data.f64[at + i], r + 24, 8);
        memcpy(&nt->impurity->data.f64[at + i], r + 32, 8);
        memcpy(&nt->samples->data.i64[at + i], r + 40, 8);
        memcpy(&nt->weighted->data.f64[at + i], r + 48, 8);
        if (nt->missing)
            nt->missing->data.u8[at + i] = r[56];
    }
}

/* Records in any layout numpy can describe: fields found by name, int32 or
 * int64, either byte order.  -1 when a field is missing. */
static int copy_fields(const mc_ndarray *nodes, const node_tensors *nt, uint64_t at)
{
    field f[8];
    if (field_of(nodes, "left_child", "i", &f[0]) || field_of(nodes, "right_child", "i", &f[1]) ||
        field_of(nodes, "feature", "i", &f[2]) || field_of(nodes, "threshold", "f", &f[3]) ||
        field_of(nodes, "impurity", "f", &f[4]) || field_of(nodes, "n_node_samples", "i", &f[5]) ||
        field_of(nodes, "weighted_n_node_samples", "f", &f[6]) ||
        (nt->missing && field_of(nodes, "missing_go_to_left", "ub", &f[7])))
        return -1;
    for (uint64_t i = 0; i < nodes->count; i++) {
        nt->left->data.i64[at + i] = field_int(&f[0], i);
        nt->right->data.i64[at + i] = field_int(&f[1], i);
        nt->feature->data.i64[at + i] = field_int(&f[2], i);
        nt->threshold->data.f64[at + i] = field_f64(&f[3], i);
        nt->impurity->data.f64[at + i] = field_f64(&f[4], i);
        nt->samples->data.i64[at + i] = field_int(&f[5], i);
        nt->weighted->data.f64[at + i] = field_f64(&f[6], i);
        if (nt->missing)
            nt->missing->data.u8[at + i] = (uint8_t)field_bits(&f[7], i);
    }
    return 0;
}

/* Append tree `t`'s records and values at node `at`. */
static mc_status copy_tree(mc_mapper *mp, const tree_parts *tp, const char *where,
                           const node_tensors *nt, uint64_t at, size_t t)
{
    if (layout_is_native(tp->nodes, nt->missing != NULL))
        copy_native_nodes(tp->nodes, nt, at);
    else if (copy_fields(tp->nodes, nt, at))
        return mc_map_fail(mp, where[0] ? where : NULL,
                           "tree_.nodes: not scikit-learn's node record");
    mc_status st = copy_values(mp, tp, where, nt, at);
    if (st)
        return st;
    nt->n_features->data.i64[t] = tp->n_features;
    nt->max_depth->data.i64[t] = tp->max_depth;
    for (int64_t o = 0; o < tp->n_outputs; o++) {
        double d;
        if (mc_array_get_f64(tp->n_classes, (uint64_t)o, &d))
            return mc_map_fail(mp, where[0] ? where : NULL, "tree_: unreadable n_classes");
        nt->n_classes->data.i64[t * (size_t)tp->n_outputs + (size_t)o] = (int64_t)d;
    }
    return MC_OK;
}

/* A member as it stays in the state: without tree_ when the tensors hold
 * it exactly, unchanged otherwise. */
static mc_status strip_member(mc_mapper *mp, const mc_value *member, const tree_parts *tp,
                              int has_missing, const mc_value **out)
{
    static const char *const drop[] = {"tree_", NULL};
    if (!tree_is_exact(tp, has_missing)) {
        *out = member;
        return MC_OK;
    }
    mc_value *stripped;
    mc_status st = mc_map_object_without(mp, member, drop, &stripped);
    *out = stripped;
    return st;
}

/* The members' state entry, shaped like the source's estimators_. */
static mc_status members_value(mc_mapper *mp, const mc_value *est, const layout *lo,
                               const mc_value **kept, mc_value **out)
{
    const mc_value *src = mc_object_get(est, "estimators_");
    if (lo->kind == KIND_BOOSTING) {
        mc_value *a = mc_map_new_value(mp, MC_NDARRAY);
        const mc_value **objs = mc_doc_alloc(mp->doc, lo->n_trees * sizeof *objs);
        if (!a || !objs)
            return mc_map_nomem(mp);
        a->offset = src->offset;
        a->u.array = src->u.array;
        for (size_t t = 0; t < lo->n_trees; t++) {
            size_t s = t / (size_t)lo->n_columns, k = t % (size_t)lo->n_columns;
            objs[src->u.array.order == 'F' ? k * (size_t)lo->n_stages + s : t] = kept[t];
        }
        a->u.array.objects = objs;
        *out = a;
        return MC_OK;
    }
    mc_value *list = mc_map_new_value(mp, MC_LIST);
    if (!list)
        return mc_map_nomem(mp);
    list->offset = src->offset;
    for (size_t t = 0; t < lo->n_trees; t++) {
        mc_status st = mc_seq_append(mp->doc, list, (mc_value *)kept[t], mp->err);
        if (st)
            return st;
    }
    *out = list;
    return MC_OK;
}

/* Fill the node tensors from every tree.  *tree_exact tells whether a
 * single tree's estimator may drop its tree_; an ensemble's members go into
 * the state entry estimators_. */
static mc_status fill_nodes(mc_mapper *mp, mc_model *m, const mc_value *est, const layout *lo,
                            int *tree_exact)
{
    node_tensors nt;
    mc_status st = make_tensors(mp, m, lo, &nt);
    if (st)
        return st;
    const mc_value **kept = NULL;
    if (lo->kind != KIND_TREE && !(kept = mc_doc_alloc(mp->doc, lo->n_trees * sizeof *kept)))
        return mc_map_nomem(mp);
    uint64_t at = 0;
    for (size_t t = 0; t < lo->n_trees && !st; t++) {
        char where[64];
        member_path(lo, t, where, sizeof where);
        tree_parts tp;
        if ((st = tree_parts_of(mp, lo->members[t], where, &tp)) ||
            (st = copy_tree(mp, &tp, where, &nt, at, t)))
            break;
        nt.offsets->data.i64[t] = (int64_t)at;
        at += tp.nodes->count;
        if (lo->kind == KIND_TREE)
            *tree_exact = tree_is_exact(&tp, lo->has_missing);
        else
            st = strip_member(mp, lo->members[t], &tp, lo->has_missing, &kept[t]);
        /* a mapped forest should cost one copy of its nodes, not two: the
         * file's pages of this tree go back until touched again */
        mc_doc_release_input(mp->doc, tp.nodes->data, tp.nodes->nbytes);
        mc_doc_release_input(mp->doc, tp.values->data, tp.values->nbytes);
    }
    if (st)
        return st;
    nt.offsets->data.i64[lo->n_trees] = (int64_t)at;
    if (lo->kind == KIND_TREE)
        return MC_OK;
    mc_value *members = NULL;
    if ((st = members_value(mp, est, lo, kept, &members)))
        return st;
    return mc_map_add_state(mp, m, "estimators_", members);
}

/* ---- boosting and isolation forest extras ---------------------------------- */

static mc_status boosting_layout(mc_mapper *mp, mc_model *m, const layout *lo)
{
    int64_t trees = (int64_t)lo->n_trees;
    mc_tensor *stage = mc_map_new_tensor(mp, m, "tree_stage", 1, &trees);
    mc_tensor *column = stage ? mc_map_new_tensor(mp, m, "tree_column", 1, &trees) : NULL;
    if (!column)
        return mp->err ? mp->err->status : MC_E_INPUT;
    for (int64_t t = 0; t < trees; t++) {
        stage->data.i64[t] = t / lo->n_columns;
        column->data.i64[t] = t % lo->n_columns;
    }
    return MC_OK;
}

/* A list or tuple of one 1-d array per tree as one tensor: rows of `width`
 * numbers, or (width 0) one number per node of the tree, stacked like the
 * node arrays.  *exact: every array was native int64/float64 as the tensor
 * is, and copied bit for bit. */
static mc_status per_tree_arrays(mc_mapper *mp, mc_model *m, const mc_value *v, const char *key,
                                 const char *tensor, const layout *lo, int64_t width,
                                 int *exact)
{
    const mc_tensor *offsets = mc_model_tensor(m, "tree_offsets");
    if (!v || (v->kind != MC_LIST && v->kind != MC_TUPLE) || v->u.seq.len != lo->n_trees)
        return mc_map_fail(mp, key, "expected one array per tree");
    int64_t shape[2] = {(int64_t)lo->n_trees, width};
    int64_t nodes = (int64_t)lo->n_nodes;
    mc_tensor *t = width ? mc_map_new_tensor(mp, m, tensor, 2, shape)
                         : mc_map_new_tensor(mp, m, tensor, 1, &nodes);
    if (!t)
        return mp->err ? mp->err->status : MC_E_INPUT;
    *exact = 1;
    for (size_t i = 0; i < lo->n_trees; i++) {
        const mc_ndarray *a = array_of(v->u.seq.items[i]);
        uint64_t n = width ? (uint64_t)width
                           : (uint64_t)(offsets->data.i64[i + 1] - offsets->data.i64[i]);
        uint64_t at = width ? i * (uint64_t)width : (uint64_t)offsets->data.i64[i];
        if (!a || a->ndim != 1 || a->count != n || !mc_dtype_is_plain_number(a->dtype))
            return mc_map_fail(mp, key, "[%zu]: expected %llu numbers", i, (unsigned long long)n);
        if (plain_native(a, t->elem == MC_ELEM_F64 ? 'f' : 'i', 8)) {
            memcpy((uint8_t *)t->data.ptr + at * 8, a->data, n * 8);
            continue;
        }
        *exact = 0;
        for (uint64_t k = 0; k < n; k++) {
            double d;
            mc_array_get_f64(a, k, &d);
            if (t->elem == MC_ELEM_F64)
                t->data.f64[at + k] = d;
            else
                t->data.i64[at + k] = (int64_t)d;
        }
    }
    return MC_OK;
}

/* Isolation forest: the features each tree was fitted on and, from newer
 * releases, the per-node path lengths fit stored.  `consumed` gets the keys
 * the tensors hold exactly. */
static mc_status isolation_extras(mc_mapper *mp, mc_model *m, const mc_value *est,
                                  const layout *lo, const char **consumed, size_t *nc)
{
    static const struct {
        const char *key, *tensor;
        mc_kind kind; /* what scikit-learn stores: a list, or zip()'s tuple */
    } extras[] = {{"estimators_features_", "tree_features", MC_LIST},
                  {"_decision_path_lengths", "node_depth", MC_TUPLE},
                  {"_average_path_length_per_tree", "node_path_length", MC_TUPLE}};
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
        const mc_value *v = mc_object_get(est, extras[i].key);
        int per_tree = extras[i].kind == MC_LIST;
        if (!v) {
            if (per_tree)
                return mc_map_fail(mp, extras[i].key, "missing");
            continue;
        }
        int64_t width = 0;
        if (per_tree) {
            const mc_ndarray *first =
                v->kind == MC_LIST && v->u.seq.len ? array_of(v->u.seq.items[0]) : NULL;
            if (!first)
                return mc_map_fail(mp, extras[i].key, "expected one array per tree");
            width = (int64_t)first->count;
        }
        int exact = 0;
        mc_status st = per_tree_arrays(mp, m, v, extras[i].key, extras[i].tensor, lo, width,
                                       &exact);
        if (st)
            return st;
        if (exact && v->kind == extras[i].kind)
            consumed[(*nc)++] = extras[i].key;
    }
    return MC_OK;
}

/* ---- the estimator ----------------------------------------------------------- */

static mc_status map_outputs(mc_mapper *mp, mc_model *m, const mc_value *est, const layout *lo)
{
    if (lo->kind == KIND_TREE || lo->kind == KIND_FOREST) {
        int64_t n;
        mc_status st = mc_map_int(mp, mc_map_get(mp, est, "n_outputs_", 1), "n_outputs_", &n);
        if (st)
            return st;
        if (n != lo->n_outputs)
            return mc_map_fail(mp, "n_outputs_", "%lld, but the trees have %lld outputs",
                               (long long)n, (long long)lo->n_outputs);
        m->n_outputs = n;
    }
    if (m->n_features < 0 && lo->kind != KIND_ISOLATION)
        m->n_features = mc_model_tensor(m, "tree_n_features")->data.i64[0];
    if (m->task != MC_TASK_CLASSIFIER)
        return MC_OK;
    mc_status st = mc_map_classes(mp, m, mc_map_get(mp, est, "classes_", 1));
    if (st)
        return st;
    if (lo->kind != KIND_BOOSTING && m->n_class_sets != (uint32_t)lo->n_outputs)
        return mc_map_fail(mp, "classes_", "%u class sets for %lld outputs", m->n_class_sets,
                           (long long)lo->n_outputs);
    return MC_OK;
}

/* Boosting's init_: an estimator becomes the child "init_"; 'zero' stays. */
static mc_status boosting_init(mc_mapper *mp, mc_model *m, const mc_value *est,
                               const char **consumed, size_t *nc)
{
    const mc_value *init = mc_map_get(mp, est, "init_", 1);
    if (!init)
        return MC_E_INPUT;
    if (init->kind != MC_OBJECT)
        return MC_OK;
    mc_status st = mc_map_child(mp, m, "init_", ".init_", init);
    if (!st)
        consumed[(*nc)++] = "init_";
    return st;
}

static mc_status map(mc_mapper *mp, const mc_value *est, mc_model *m)
{
    layout lo;
    memset(&lo, 0, sizeof lo);
    lo.kind = kind_of(m->estimator);
    m->task = task_of(m->estimator);
    const char *consumed[8];
    size_t nc = 0;
    int tree_exact = 0;
    mc_status st = measure(mp, est, &lo);
    if (!st)
        st = fill_nodes(mp, m, est, &lo, &tree_exact);
    if (!st)
        st = map_outputs(mp, m, est, &lo);
    if (!st && lo.kind == KIND_BOOSTING) {
        st = boosting_layout(mp, m, &lo);
        if (!st)
            st = boosting_init(mp, m, est, consumed, &nc);
    }
    if (!st && lo.kind == KIND_ISOLATION)
        st = isolation_extras(mp, m, est, &lo, consumed, &nc);
    if (st)
        return st;
    if (lo.kind == KIND_TREE && tree_exact)
        consumed[nc++] = "tree_";
    if (lo.kind != KIND_TREE)
        consumed[nc++] = "estimators_"; /* fill_nodes kept its members */
    consumed[nc] = NULL;
    return mc_map_split_state(mp, m, est, consumed);
}

/* tree_path NULL: the validator's default names ("tree_", "estimators_[k].tree_",
 * "estimators_[s, c].tree_") are scikit-learn's, as the state keeps estimators_ */
const mc_family mc_family_tree_ensemble = {"tree_ensemble", specs,
                                           sizeof specs / sizeof specs[0] - 1, classes, map, NULL};
