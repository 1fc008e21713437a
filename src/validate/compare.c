/* Structural comparison of two models (mc_model_diff in validate.h).
 *
 * Values are compared by value, walking both graphs together.  Each pair of
 * nodes is walked once (a memo of pairs), which also ends cycles; for
 * mutable kinds (lists, dicts, sets, bytearrays, arrays, objects) sharing
 * must match too: a node of the first graph pairs with one node of the
 * second and vice versa, or the difference "shared"/"separate" is reported
 * and the walk does not go further there.  So the work is linear in the
 * graphs' sizes, whatever their sharing.
 *
 * Tree ensembles (offsets tensors of shape n_trees+1 in the family table,
 * into flat node tensors) are compared tree by tree, and node k of tree t is named
 * "<tree path>.<tensor>[k]" where the family's tree_path hook (or the
 * default below) names tree t as scikit-learn would reach it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/family.h"
#include "validate/diffs.h"

enum { MAX_DEPTH = 4096 };

/* ---- a hash map keyed by pointer pairs ------------------------------------ */

typedef struct slot {
    const void *a, *b;
    const void *val;
} slot;

typedef struct pair_map {
    slot *slots;
    size_t cap, n; /* cap a power of two, or 0 */
} pair_map;

static size_t pair_hash(const void *a, const void *b)
{
    uint64_t h = (uint64_t)(uintptr_t)a * 0x9e3779b97f4a7c15u;
    h ^= (uint64_t)(uintptr_t)b + 0x632be59bd9b4e019u + (h << 6) + (h >> 2);
    h ^= h >> 29;
    return (size_t)h;
}

static slot *map_find(const pair_map *m, const void *a, const void *b)
{
    if (!m->cap)
        return NULL;
    for (size_t i = pair_hash(a, b) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        slot *s = &m->slots[i];
        if (!s->a)
            return NULL;
        if (s->a == a && s->b == b)
            return s;
    }
}

static int map_put(pair_map *m, const void *a, const void *b, const void *val)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        slot *s = calloc(cap, sizeof *s);
        if (!s)
            return -1;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].a)
                continue;
            size_t j = pair_hash(m->slots[i].a, m->slots[i].b) & (cap - 1);
            while (s[j].a)
                j = (j + 1) & (cap - 1);
            s[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = s;
        m->cap = cap;
    }
    size_t i = pair_hash(a, b) & (m->cap - 1);
    while (m->slots[i].a && !(m->slots[i].a == a && m->slots[i].b == b))
        i = (i + 1) & (m->cap - 1);
    if (!m->slots[i].a)
        m->n++;
    m->slots[i] = (slot){a, b, val};
    return 0;
}

/* ---- the comparer ----------------------------------------------------------- */

typedef struct cmp {
    mc_differences *d;
    mc_error *err;
    mc_path path;
    pair_map seen;      /* (a, b) pairs walked or being walked          */
    pair_map a_to_b;    /* (a, NULL) -> b for kinds whose identity counts */
    pair_map b_to_a;
    int depth;
} cmp;

static mc_status nomem(cmp *c)
{
    return mc_error_set(c->err, MC_E_NOMEM, -1, "out of memory");
}

static mc_status diff(cmp *c, const char *expected, const char *found)
{
    return mc_diffs_add(c->d, c->path.buf, expected, found, c->err);
}

static mc_status diff_values(cmp *c, const mc_value *a, const mc_value *b)
{
    if (!mc_diffs_wants(c->d)) {
        mc_diffs_count(c->d, 1);
        return MC_OK;
    }
    char ea[256], fb[256];
    mc_text_value(ea, sizeof ea, a);
    mc_text_value(fb, sizeof fb, b);
    return diff(c, ea, fb);
}

static mc_status diff_ints(cmp *c, const char *what, uint64_t a, uint64_t b)
{
    char ea[64], fb[64];
    snprintf(ea, sizeof ea, "%" PRIu64 " %s", a, what);
    snprintf(fb, sizeof fb, "%" PRIu64 " %s", b, what);
    return diff(c, ea, fb);
}

static mc_status cmp_value(cmp *c, const mc_value *a, const mc_value *b, int attrs);
static mc_status diff_presence(cmp *c, const char *name, const char *ea, const char *fb);

/* Compare a and b under path part `part` (appended, then cut). */
static mc_status cmp_at(cmp *c, const char *part, const mc_value *a, const mc_value *b, int attrs)
{
    size_t at = mc_path_push(&c->path, "%s", part);
    mc_status st = cmp_value(c, a, b, attrs);
    mc_path_cut(&c->path, at);
    return st;
}

/* ---- dtypes ------------------------------------------------------------------- */

static int dtype_equal(const mc_dtype *a, const mc_dtype *b)
{
    if (a == b)
        return 1;
    if (!a || !b)
        return 0;
    char sa[64], sb[64];
    if (strcmp(mc_dtype_str(a, sa, sizeof sa), mc_dtype_str(b, sb, sizeof sb)) != 0 ||
        a->itemsize != b->itemsize || a->nfields != b->nfields ||
        a->subarray_ndim != b->subarray_ndim || !a->subarray_base != !b->subarray_base)
        return 0;
    for (uint32_t i = 0; i < a->nfields; i++) {
        const mc_dtype_field *fa = &a->fields[i], *fb = &b->fields[i];
        if (strcmp(fa->name, fb->name) != 0 || fa->offset != fb->offset ||
            !dtype_equal(fa->dtype, fb->dtype))
            return 0;
    }
    if (a->subarray_base) {
        if (!dtype_equal(a->subarray_base, b->subarray_base))
            return 0;
        for (uint32_t i = 0; i < a->subarray_ndim; i++)
            if (a->subarray_shape[i] != b->subarray_shape[i])
                return 0;
    }
    return 1;
}

static mc_status diff_dtypes(cmp *c, const mc_dtype *a, const mc_dtype *b)
{
    char sa[80] = "?", sb[80] = "?", ea[160], fb[160];
    if (a)
        mc_dtype_str(a, sa, sizeof sa);
    if (b)
        mc_dtype_str(b, sb, sizeof sb);
    if (strcmp(sa, sb) == 0) { /* same text, different fields or subarray */
        snprintf(ea, sizeof ea, "dtype('%s') with %u fields", sa, a ? a->nfields : 0);
        snprintf(fb, sizeof fb, "dtype('%s') with %u fields (or another layout)", sb,
                 b ? b->nfields : 0);
    } else {
        snprintf(ea, sizeof ea, "dtype('%s')", sa);
        snprintf(fb, sizeof fb, "dtype('%s')", sb);
    }
    return diff(c, ea, fb);
}

/* ---- arrays ------------------------------------------------------------------- */

/* Memory offset (in elements) of C-order element k of an array. */
static uint64_t memory_index(const mc_ndarray *a, uint64_t k)
{
    if (a->order != 'F' || a->ndim < 2)
        return k;
    uint64_t idx[64];
    if (a->ndim > 64)
        return k;
    for (uint32_t d = a->ndim; d-- > 0;) {
        idx[d] = k % (uint64_t)a->shape[d];
        k /= (uint64_t)a->shape[d];
    }
    uint64_t off = 0, stride = 1; /* Fortran order: the first index varies fastest */
    for (uint32_t d = 0; d < a->ndim; d++) {
        off += idx[d] * stride;
        stride *= (uint64_t)a->shape[d];
    }
    return off;
}

/* One differing element of equal-dtype plain arrays: by field for records. */
static mc_status diff_element(cmp *c, const mc_dtype *dt, const uint8_t *ea, const uint8_t *fb)
{
    char ta[160], tb[160];
    int any = 0;
    for (uint32_t i = 0; i < dt->nfields; i++) {
        const mc_dtype_field *f = &dt->fields[i];
        if (memcmp(ea + f->offset, fb + f->offset, f->dtype->itemsize) == 0)
            continue;
        any = 1;
        if (!mc_diffs_wants(c->d)) {
            mc_diffs_count(c->d, 1);
            continue;
        }
        size_t at = mc_path_push(&c->path, "['%s']", f->name);
        mc_text_element(ta, sizeof ta, f->dtype, ea + f->offset);
        mc_text_element(tb, sizeof tb, f->dtype, fb + f->offset);
        mc_status st = diff(c, ta, tb);
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    if (any)
        return MC_OK;
    /* a plain element, or records differing only in padding bytes */
    if (!mc_diffs_wants(c->d)) {
        mc_diffs_count(c->d, 1);
        return MC_OK;
    }
    mc_text_element(ta, sizeof ta, dt, ea);
    mc_text_element(tb, sizeof tb, dt, fb);
    return diff(c, ta, tb);
}

/* The array type: a protocol-5 array (numpy's _frombuffer) names none, a
 * plain numpy.ndarray. */
static void array_class(char *buf, size_t size, const mc_ndarray *a)
{
    const mc_value *g = a->subclass;
    if (g && g->kind == MC_GLOBAL)
        snprintf(buf, size, "%s.%s", g->u.global.module, g->u.global.name);
    else if (g)
        mc_text_value(buf, size, g);
    else
        snprintf(buf, size, "numpy.ndarray");
}

static mc_status cmp_array_class(cmp *c, const mc_ndarray *a, const mc_ndarray *b)
{
    char ca[256], cb[256];
    array_class(ca, sizeof ca, a);
    array_class(cb, sizeof cb, b);
    if (strcmp(ca, cb) == 0)
        return MC_OK;
    size_t at = mc_path_push(&c->path, ".__class__");
    mc_status st = diff(c, ca, cb);
    mc_path_cut(&c->path, at);
    return st;
}

static mc_status cmp_array(cmp *c, const mc_value *va, const mc_value *vb)
{
    const mc_ndarray *a = &va->u.array, *b = &vb->u.array;
    mc_status st;
    if (!dtype_equal(a->dtype, b->dtype)) {
        size_t at = mc_path_push(&c->path, ".dtype");
        st = diff_dtypes(c, a->dtype, b->dtype);
        mc_path_cut(&c->path, at);
        return st;
    }
    int same_shape = a->ndim == b->ndim && a->count == b->count;
    for (uint32_t d = 0; same_shape && d < a->ndim; d++)
        same_shape = a->shape[d] == b->shape[d];
    if (!same_shape) {
        char sa[128], sb[128];
        mc_text_shape(sa, sizeof sa, a->shape, a->ndim);
        mc_text_shape(sb, sizeof sb, b->shape, b->ndim);
        size_t at = mc_path_push(&c->path, ".shape");
        st = diff(c, sa, sb);
        mc_path_cut(&c->path, at);
        return st;
    }
    if ((st = cmp_array_class(c, a, b)))
        return st;
    char oa = a->ndim < 2 ? 'C' : a->order, ob = b->ndim < 2 ? 'C' : b->order;
    if (oa != ob) {
        size_t at = mc_path_push(&c->path, ".order");
        st = diff(c, oa == 'F' ? "'F' (Fortran)" : "'C'", ob == 'F' ? "'F' (Fortran)" : "'C'");
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    if (a->objects || b->objects) {
        for (uint64_t k = 0; k < a->count; k++) {
            const mc_value *ea = a->objects ? a->objects[memory_index(a, k)] : NULL;
            const mc_value *fb = b->objects ? b->objects[memory_index(b, k)] : NULL;
            size_t at = mc_path_index(&c->path, a->shape, a->ndim, k);
            st = cmp_value(c, ea, fb, 0);
            mc_path_cut(&c->path, at);
            if (st)
                return st;
        }
        return MC_OK;
    }
    uint64_t size = a->dtype ? a->dtype->itemsize : 0;
    if (!a->count || !size || (oa == ob && memcmp(a->data, b->data, a->count * size) == 0))
        return MC_OK;
    for (uint64_t k = 0; k < a->count; k++) {
        const uint8_t *ea = a->data + memory_index(a, k) * size;
        const uint8_t *fb = b->data + memory_index(b, k) * size;
        if (memcmp(ea, fb, size) == 0)
            continue;
        size_t at = mc_path_index(&c->path, a->shape, a->ndim, k);
        st = diff_element(c, a->dtype, ea, fb);
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    return MC_OK;
}

/* ---- containers --------------------------------------------------------------- */

static mc_status cmp_seq(cmp *c, const mc_value *a, const mc_value *b)
{
    size_t na = a->u.seq.len, nb = b->u.seq.len;
    mc_status st = MC_OK;
    if (na != nb && (st = diff_values(c, a, b)))
        return st;
    for (size_t i = 0; i < na && i < nb; i++) {
        size_t at = mc_path_push(&c->path, "[%zu]", i);
        st = cmp_value(c, a->u.seq.items[i], b->u.seq.items[i], 0);
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    return MC_OK;
}

/* Equality of dict keys (atoms and tuples of atoms, nested at most
 * MAX_KEY_DEPTH deep; other keys only match themselves). */
enum { MAX_KEY_DEPTH = 32 };

static int key_equal_at(const mc_value *a, const mc_value *b, int depth)
{
    if (a == b)
        return 1;
    if (depth > MAX_KEY_DEPTH)
        return 0;
    size_t la, lb;
    const char *ta = mc_value_text(a, &la), *tb = mc_value_text(b, &lb);
    if (ta || tb)
        return ta && tb && la == lb && memcmp(ta, tb, la) == 0;
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case MC_NONE: return 1;
    case MC_BOOL: return a->u.boolean == b->u.boolean;
    case MC_INT: return a->u.i == b->u.i;
    case MC_FLOAT: return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0;
    case MC_BIGINT:
    case MC_BYTES:
        return a->u.bytes.len == b->u.bytes.len &&
               memcmp(a->u.bytes.data, b->u.bytes.data, a->u.bytes.len) == 0;
    case MC_GLOBAL:
        return strcmp(a->u.global.module, b->u.global.module) == 0 &&
               strcmp(a->u.global.name, b->u.global.name) == 0;
    case MC_SCALAR:
        if (a->u.scalar.object || b->u.scalar.object)
            return a->u.scalar.object && b->u.scalar.object &&
                   key_equal_at(a->u.scalar.object, b->u.scalar.object, depth + 1);
        return dtype_equal(a->u.scalar.dtype, b->u.scalar.dtype) && a->u.scalar.dtype &&
               memcmp(a->u.scalar.data, b->u.scalar.data, a->u.scalar.dtype->itemsize) == 0;
    case MC_TUPLE:
    case MC_FROZENSET:
        if (a->u.seq.len != b->u.seq.len)
            return 0;
        for (size_t i = 0; i < a->u.seq.len; i++)
            if (!key_equal_at(a->u.seq.items[i], b->u.seq.items[i], depth + 1))
                return 0;
        return 1;
    default: return 0;
    }
}

static int key_equal(const mc_value *a, const mc_value *b)
{
    return key_equal_at(a, b, 0);
}

/* Path part of dict key k: ".name" for an object's attributes, else
 * "['name']" or "[repr]". */
static size_t push_key(cmp *c, const mc_value *k, int attrs)
{
    size_t n;
    const char *t = mc_value_text(k, &n);
    int shown = (int)(n > 200 ? 200 : n);
    if (t && attrs)
        return mc_path_push(&c->path, "%s%.*s", c->path.len ? "." : "", shown, t);
    if (t)
        return mc_path_push(&c->path, "['%.*s']", shown, t);
    char buf[128];
    if (k->kind == MC_SCALAR && k->u.scalar.dtype && k->u.scalar.data) /* numpy.int64(2): [2] */
        mc_text_element(buf, sizeof buf, k->u.scalar.dtype, k->u.scalar.data);
    else
        mc_text_value(buf, sizeof buf, k);
    return mc_path_push(&c->path, "[%s]", buf);
}

static size_t find_key(const mc_value *d, const mc_value *key, size_t hint)
{
    size_t n = d->u.dict.len;
    if (hint < n && key_equal(d->u.dict.keys[hint], key))
        return hint;
    for (size_t i = 0; i < n; i++)
        if (key_equal(d->u.dict.keys[i], key))
            return i;
    return n;
}

static mc_status cmp_dict(cmp *c, const mc_value *a, const mc_value *b, int attrs)
{
    mc_status st;
    if ((a->u.dict.cls || b->u.dict.cls) &&
        (st = cmp_at(c, ".__class__", a->u.dict.cls, b->u.dict.cls, 0)))
        return st;
    size_t na = a->u.dict.len, nb = b->u.dict.len, common = 0;
    int in_order = 1;
    size_t last = 0;
    for (size_t i = 0; i < na; i++) {
        size_t j = find_key(b, a->u.dict.keys[i], i);
        size_t at = push_key(c, a->u.dict.keys[i], attrs);
        if (j == nb) {
            st = diff_values(c, a->u.dict.vals[i], NULL);
        } else {
            in_order &= common == 0 || j > last;
            last = j;
            common++;
            st = cmp_value(c, a->u.dict.vals[i], b->u.dict.vals[j], 0);
        }
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    for (size_t j = 0; j < nb && common < nb; j++) {
        if (find_key(a, b->u.dict.keys[j], j) < na)
            continue;
        size_t at = push_key(c, b->u.dict.keys[j], attrs);
        st = diff_values(c, NULL, b->u.dict.vals[j]);
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    if (!in_order)
        return diff(c, "keys in the first file's order", "the same keys in another order");
    return MC_OK;
}

static const char *ctor_name(mc_ctor k)
{
    switch (k) {
    case MC_CTOR_NEWOBJ: return "NEWOBJ (cls.__new__(cls, *args))";
    case MC_CTOR_NEWOBJ_EX: return "NEWOBJ_EX (cls.__new__(cls, *args, **kwargs))";
    case MC_CTOR_REDUCE: return "REDUCE (callable(*args))";
    case MC_CTOR_RECONSTRUCTOR: return "copyreg._reconstructor";
    case MC_CTOR_PYX_UNPICKLE: return "Cython __pyx_unpickle";
    case MC_CTOR_INST: return "INST/OBJ";
    }
    return "?";
}

static mc_status cmp_object(cmp *c, const mc_value *a, const mc_value *b)
{
    mc_status st;
    if ((st = cmp_at(c, ".__class__", a->u.object.cls, b->u.object.cls, 0)))
        return st;
    if (a->u.object.ctor != b->u.object.ctor) {
        size_t at = mc_path_push(&c->path, ".__reduce__");
        st = diff(c, ctor_name(a->u.object.ctor), ctor_name(b->u.object.ctor));
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    if ((a->u.object.via || b->u.object.via) &&
        (st = cmp_at(c, ".__reduce__[0]", a->u.object.via, b->u.object.via, 0)))
        return st;
    if ((a->u.object.args || b->u.object.args) &&
        (st = cmp_at(c, ".__args__", a->u.object.args, b->u.object.args, 0)))
        return st;
    if ((a->u.object.kwargs || b->u.object.kwargs) &&
        (st = cmp_at(c, ".__kwargs__", a->u.object.kwargs, b->u.object.kwargs, 0)))
        return st;
    const mc_value *sa = a->u.object.state, *sb = b->u.object.state;
    if (sa && sb && sa->kind == MC_DICT && sb->kind == MC_DICT)
        st = cmp_value(c, sa, sb, 1); /* attributes: "obj.name" */
    else if (sa || sb)
        st = cmp_at(c, ".__getstate__()", sa, sb, 0);
    if (st)
        return st;
    if ((a->u.object.listitems || b->u.object.listitems) &&
        (st = cmp_at(c, ".__listitems__", a->u.object.listitems, b->u.object.listitems, 0)))
        return st;
    if (a->u.object.dictitems || b->u.object.dictitems)
        st = cmp_at(c, ".__dictitems__", a->u.object.dictitems, b->u.object.dictitems, 0);
    return st;
}

/* ---- values ---------------------------------------------------------------------- */

static int identity_counts(mc_kind k)
{
    return k == MC_LIST || k == MC_DICT || k == MC_SET || k == MC_BYTEARRAY || k == MC_NDARRAY ||
           k == MC_OBJECT;
}

static int is_atom(mc_kind k)
{
    return k != MC_TUPLE && k != MC_FROZENSET && !identity_counts(k) && k != MC_SCALAR;
}

/* 1 when the pair needs no walk (walked already, or sharing differs and
 * was reported), 0 to walk it; -1 out of memory. */
static int seen_before(cmp *c, const mc_value *a, const mc_value *b, mc_status *st)
{
    if (map_find(&c->seen, a, b))
        return 1;
    if (identity_counts(a->kind)) {
        const slot *ab = map_find(&c->a_to_b, a, NULL);
        const slot *ba = map_find(&c->b_to_a, b, NULL);
        if ((ab && ab->val != b) || (ba && ba->val != a)) {
            *st = ab && ab->val != b
                      ? diff(c, "one object shared with another place", "a separate object")
                      : diff(c, "a separate object", "one object shared with another place");
            return 1;
        }
        if (map_put(&c->a_to_b, a, NULL, b) || map_put(&c->b_to_a, b, NULL, a))
            return -1;
    }
    return map_put(&c->seen, a, b, NULL) ? -1 : 0;
}

static int same_atom(const mc_value *a, const mc_value *b)
{
    switch (a->kind) {
    case MC_NONE: return 1;
    case MC_BOOL: return a->u.boolean == b->u.boolean;
    case MC_INT: return a->u.i == b->u.i;
    case MC_FLOAT: return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0;
    case MC_COMPLEX:
        return memcmp(&a->u.complex.re, &b->u.complex.re, sizeof(double)) == 0 &&
               memcmp(&a->u.complex.im, &b->u.complex.im, sizeof(double)) == 0;
    case MC_STR:
        return a->u.str.len == b->u.str.len &&
               memcmp(a->u.str.data, b->u.str.data, a->u.str.len) == 0;
    case MC_BYTES:
        if (a->u.bytes.py2_str != b->u.bytes.py2_str)
            return 0;
        /* fall through */
    case MC_BIGINT:
    case MC_BYTEARRAY:
        return a->u.bytes.len == b->u.bytes.len &&
               (a->u.bytes.len == 0 ||
                memcmp(a->u.bytes.data, b->u.bytes.data, a->u.bytes.len) == 0);
    case MC_GLOBAL:
        return strcmp(a->u.global.module, b->u.global.module) == 0 &&
               strcmp(a->u.global.name, b->u.global.name) == 0;
    case MC_DTYPE: return dtype_equal(a->u.dtype, b->u.dtype);
    default: return 0;
    }
}

static mc_status cmp_scalar(cmp *c, const mc_value *a, const mc_value *b)
{
    if (!dtype_equal(a->u.scalar.dtype, b->u.scalar.dtype))
        return diff_values(c, a, b);
    if (a->u.scalar.object || b->u.scalar.object)
        return cmp_value(c, a->u.scalar.object, b->u.scalar.object, 0);
    size_t n = a->u.scalar.dtype ? a->u.scalar.dtype->itemsize : 0;
    if (n && memcmp(a->u.scalar.data, b->u.scalar.data, n) != 0)
        return diff_values(c, a, b);
    return MC_OK;
}

static mc_status cmp_value(cmp *c, const mc_value *a, const mc_value *b, int attrs)
{
    if (a == b)
        return MC_OK; /* the same node: comparing a graph with itself */
    if (!a || !b || a->kind != b->kind)
        return diff_values(c, a, b);
    if (is_atom(a->kind))
        return same_atom(a, b) ? MC_OK : diff_values(c, a, b);
    mc_status st = MC_OK;
    int seen = seen_before(c, a, b, &st);
    if (seen < 0)
        return nomem(c);
    if (seen)
        return st;
    if (++c->depth > MAX_DEPTH) {
        mc_error_set(c->err, MC_E_INPUT, -1, "values nested more than %d deep", MAX_DEPTH);
        mc_error_set_where(c->err, c->path.buf);
        return MC_E_INPUT;
    }
    switch (a->kind) {
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET: st = cmp_seq(c, a, b); break;
    case MC_DICT: st = cmp_dict(c, a, b, attrs); break;
    case MC_NDARRAY: st = cmp_array(c, a, b); break;
    case MC_SCALAR: st = cmp_scalar(c, a, b); break;
    case MC_OBJECT: st = cmp_object(c, a, b); break;
    default: st = same_atom(a, b) ? MC_OK : diff_values(c, a, b); break;
    }
    c->depth--;
    return st;
}

/* ---- tensors ------------------------------------------------------------------------- */

static int elem_equal(const mc_tensor *a, uint64_t i, const mc_tensor *b, uint64_t j)
{
    if (a->elem == MC_ELEM_STR) {
        const char *sa = a->data.str[i], *sb = b->data.str[j];
        return sa == sb || (sa && sb && strcmp(sa, sb) == 0);
    }
    size_t n = mc_elem_size(a->elem);
    return memcmp(a->data.u8 + i * n, b->data.u8 + j * n, n) == 0;
}

static mc_status diff_elements(cmp *c, const mc_tensor *a, uint64_t i, const mc_tensor *b,
                               uint64_t j)
{
    if (!mc_diffs_wants(c->d)) {
        mc_diffs_count(c->d, 1);
        return MC_OK;
    }
    char ta[160], tb[160];
    mc_text_tensor_element(ta, sizeof ta, a, i);
    mc_text_tensor_element(tb, sizeof tb, b, j);
    return diff(c, ta, tb);
}

static mc_status diff_shapes(cmp *c, const mc_tensor *a, const mc_tensor *b)
{
    char sa[128], sb[128];
    mc_text_shape(sa, sizeof sa, a->shape, a->ndim);
    mc_text_shape(sb, sizeof sb, b->shape, b->ndim);
    size_t at = mc_path_push(&c->path, ".shape");
    mc_status st = diff(c, sa, sb);
    mc_path_cut(&c->path, at);
    return st;
}

static int same_shape(const mc_tensor *a, const mc_tensor *b)
{
    if (a->ndim != b->ndim || a->count != b->count)
        return 0;
    for (uint32_t d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d])
            return 0;
    return 1;
}

/* Same type, shape and bytes (strings are compared by text elsewhere). */
static int same_bytes(const mc_tensor *a, const mc_tensor *b)
{
    return a->elem == b->elem && a->elem != MC_ELEM_STR && same_shape(a, b) &&
           (!a->count || memcmp(a->data.ptr, b->data.ptr, a->count * mc_elem_size(a->elem)) == 0);
}

/* A whole tensor, element by element; the path holds its name. */
static mc_status cmp_tensor_plain(cmp *c, const mc_tensor *a, const mc_tensor *b)
{
    if (!same_shape(a, b))
        return diff_shapes(c, a, b);
    if (same_bytes(a, b))
        return MC_OK;
    for (uint64_t k = 0; k < a->count; k++) {
        if (elem_equal(a, k, b, k))
            continue;
        size_t at = a->ndim ? mc_path_index(&c->path, a->shape, a->ndim, k) : c->path.len;
        mc_status st = diff_elements(c, a, k, b, k);
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    return MC_OK;
}

/* The flat tree arrays of one model: the family table's offsets tensors
 * (shape n_trees+1: "tree_offsets", or "node_offsets" and
 * "bitset_offsets"), each splitting the rows of the tensors whose length is
 * its last offset into trees. */
enum { MAX_OFFSETS = 4 };

typedef struct trees {
    const mc_model *m;
    const mc_family *family;
    const mc_tensor *offsets[MAX_OFFSETS];
    uint32_t noffsets;          /* 0: not a tree ensemble                */
    uint64_t n_trees;
} trees;

static uint64_t offset_at(const mc_tensor *t, uint64_t k)
{
    return t->elem == MC_ELEM_I64 ? (uint64_t)t->data.i64[k] : (uint64_t)t->data.i32[k];
}

static uint64_t offsets_end(const mc_tensor *t)
{
    return offset_at(t, t->count - 1);
}

/* Offsets usable as such: integers from 0, nondecreasing. */
static int valid_offsets(const mc_tensor *o)
{
    if (!o || o->ndim != 1 || o->count < 1 || (o->elem != MC_ELEM_I64 && o->elem != MC_ELEM_I32))
        return 0;
    int64_t prev = 0;
    for (uint64_t k = 0; k < o->count; k++) {
        int64_t cur = o->elem == MC_ELEM_I64 ? o->data.i64[k] : o->data.i32[k];
        if (cur < prev || (k == 0 && cur != 0))
            return 0;
        prev = cur;
    }
    return 1;
}

static void trees_of(const mc_model *m, trees *t)
{
    memset(t, 0, sizeof *t);
    t->m = m;
    t->family = mc_family_by_name(m->family);
    for (size_t i = 0; t->family && i < t->family->nspecs && t->noffsets < MAX_OFFSETS; i++) {
        const mc_tensor_spec *spec = &t->family->specs[i];
        if (strcmp(spec->shape, "n_trees+1") != 0)
            continue;
        const mc_tensor *o = mc_model_tensor(m, spec->name);
        if (!valid_offsets(o) || (t->noffsets && o->count != t->n_trees + 1)) {
            t->noffsets = 0; /* missing or inconsistent: compare tensors whole */
            return;
        }
        t->offsets[t->noffsets++] = o;
        t->n_trees = o->count - 1;
    }
}

/* scikit-learn's path to tree k when the family gives none: a forest's
 * estimators_[k] (a list), a boosting stage estimators_[s, c] (a 2-d
 * object array), or a lone tree's tree_. */
static void tree_path(const trees *t, uint64_t k, char *buf, size_t size)
{
    if (t->family && t->family->tree_path) {
        t->family->tree_path(t->m, k, buf, size);
        return;
    }
    const mc_value *est = mc_model_state(t->m, "estimators_");
    if (est && est->kind == MC_LIST && est->u.seq.len == t->n_trees) {
        snprintf(buf, size, "estimators_[%" PRIu64 "].tree_", k);
    } else if (est && est->kind == MC_NDARRAY && est->u.array.ndim == 2 &&
               est->u.array.count == t->n_trees && est->u.array.shape[1] > 0) {
        uint64_t cols = (uint64_t)est->u.array.shape[1];
        snprintf(buf, size, "estimators_[%" PRIu64 ", %" PRIu64 "].tree_", k / cols, k % cols);
    } else if (t->n_trees == 1) {
        snprintf(buf, size, "tree_");
    } else {
        snprintf(buf, size, "trees[%" PRIu64 "]", k);
    }
}

/* Push "<tree path>.<name>" for tree k. */
static size_t push_tree_tensor(cmp *c, const trees *t, uint64_t k, const char *name)
{
    char tp[256];
    tree_path(t, k, tp, sizeof tp);
    size_t at = mc_path_push(&c->path, "%s", tp);
    mc_path_attr(&c->path, name);
    return at;
}

/* Rows of a tensor split by tree: rows [oa[k], oa[k+1]) of a against
 * [ob[k], ob[k+1]) of b for the trees both have (offsets NULL: row k is
 * tree k); a row's elements are named "[row in tree, inner index...]". */
static mc_status cmp_tensor_by_tree(cmp *c, const trees *ta, const trees *tb, const mc_tensor *a,
                                    const mc_tensor *b, const mc_tensor *oa, const mc_tensor *ob)
{
    if (same_bytes(a, b) && (!oa || same_bytes(oa, ob)))
        return MC_OK; /* the common case, at memcmp speed */
    uint64_t inner = a->shape[0] ? a->count / (uint64_t)a->shape[0] : 0;
    uint64_t n = ta->n_trees < tb->n_trees ? ta->n_trees : tb->n_trees;
    for (uint64_t k = 0; k < n; k++) {
        uint64_t a0 = oa ? offset_at(oa, k) : k, a1 = oa ? offset_at(oa, k + 1) : k + 1;
        uint64_t b0 = ob ? offset_at(ob, k) : k, b1 = ob ? offset_at(ob, k + 1) : k + 1;
        uint64_t rows = a1 - a0 < b1 - b0 ? a1 - a0 : b1 - b0;
        for (uint64_t r = 0; r < rows; r++) {
            for (uint64_t e = 0; e < inner; e++) {
                uint64_t i = (a0 + r) * inner + e, j = (b0 + r) * inner + e;
                if (elem_equal(a, i, b, j))
                    continue;
                size_t at = push_tree_tensor(c, ta, k, a->name);
                if (oa || a->ndim > 1) {
                    mc_path_push(&c->path, "[");
                    if (oa)
                        mc_path_push(&c->path, "%" PRIu64, r);
                    uint64_t idx[MC_TENSOR_MAX_DIMS], rest = e;
                    for (uint32_t d = a->ndim; d-- > 1;) {
                        idx[d] = rest % (uint64_t)a->shape[d];
                        rest /= (uint64_t)a->shape[d];
                    }
                    for (uint32_t d = 1; d < a->ndim; d++)
                        mc_path_push(&c->path, "%s%" PRIu64, d > 1 || oa ? ", " : "", idx[d]);
                    mc_path_push(&c->path, "]");
                }
                mc_status st = diff_elements(c, a, i, b, j);
                mc_path_cut(&c->path, at);
                if (st)
                    return st;
            }
        }
    }
    return MC_OK;
}

static int inner_shape_equal(const mc_tensor *a, const mc_tensor *b)
{
    if (a->ndim != b->ndim || a->ndim == 0)
        return 0;
    for (uint32_t d = 1; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d])
            return 0;
    return 1;
}

/* Both models split into trees the same way (same offsets tensors). */
static int trees_match(const trees *ta, const trees *tb)
{
    if (!ta->noffsets || ta->noffsets != tb->noffsets)
        return 0;
    for (uint32_t i = 0; i < ta->noffsets; i++)
        if (strcmp(ta->offsets[i]->name, tb->offsets[i]->name) != 0)
            return 0;
    return 1;
}

/* Tree counts, and each tree's node (or other row) counts, reported once
 * before the tensors. */
static mc_status cmp_tree_counts(cmp *c, const trees *ta, const trees *tb)
{
    mc_status st = MC_OK;
    if (ta->n_trees != tb->n_trees) {
        char tp[256];
        tree_path(ta, 0, tp, sizeof tp);
        tp[strcspn(tp, "[.")] = '\0'; /* "estimators_[0].tree_" -> "estimators_" */
        size_t at = mc_path_push(&c->path, "%s%s", c->path.len ? "." : "", tp);
        st = diff_ints(c, "trees", ta->n_trees, tb->n_trees);
        mc_path_cut(&c->path, at);
        if (st)
            return st;
    }
    uint64_t n = ta->n_trees < tb->n_trees ? ta->n_trees : tb->n_trees;
    for (uint32_t i = 0; i < ta->noffsets && !st; i++) {
        const mc_tensor *oa = ta->offsets[i], *ob = tb->offsets[i];
        for (uint64_t k = 0; k < n && !st; k++) {
            uint64_t na = offset_at(oa, k + 1) - offset_at(oa, k);
            uint64_t nb = offset_at(ob, k + 1) - offset_at(ob, k);
            if (na == nb)
                continue;
            /* the first offsets are the nodes' (the family tables put them first) */
            size_t at = push_tree_tensor(c, ta, k, i == 0 ? "node_count" : oa->name);
            st = diff_ints(c, i == 0 ? "nodes" : "rows", na, nb);
            mc_path_cut(&c->path, at);
        }
    }
    return st;
}

/* The offsets that split tensors a (of ta) and b (of tb) into trees: -1
 * when none does, MAX_OFFSETS when a is per tree (one row each). */
static int split_of(const trees *ta, const trees *tb, const mc_tensor *a, const mc_tensor *b)
{
    if (!trees_match(ta, tb) || !inner_shape_equal(a, b))
        return -1;
    for (uint32_t i = 0; i < ta->noffsets; i++)
        if ((uint64_t)a->shape[0] == offsets_end(ta->offsets[i]) &&
            (uint64_t)b->shape[0] == offsets_end(tb->offsets[i]))
            return (int)i;
    if ((uint64_t)a->shape[0] == ta->n_trees && (uint64_t)b->shape[0] == tb->n_trees)
        return MAX_OFFSETS;
    return -1;
}

static int is_offsets(const trees *t, const mc_tensor *x)
{
    for (uint32_t i = 0; i < t->noffsets; i++)
        if (t->offsets[i] == x)
            return 1;
    return 0;
}

static mc_status cmp_tensor(cmp *c, const trees *ta, const trees *tb, const mc_tensor *a,
                            const mc_tensor *b)
{
    if (a->elem != b->elem) {
        char ea[64], fb[64];
        snprintf(ea, sizeof ea, "%s tensor", mc_elem_name(a->elem));
        snprintf(fb, sizeof fb, "%s tensor", mc_elem_name(b->elem));
        return diff_presence(c, a->name, ea, fb);
    }
    if (trees_match(ta, tb) && is_offsets(ta, a) && is_offsets(tb, b))
        return MC_OK; /* compared as tree and row counts */
    int split = split_of(ta, tb, a, b);
    if (split >= 0)
        return cmp_tensor_by_tree(c, ta, tb, a, b, split < MAX_OFFSETS ? ta->offsets[split] : NULL,
                                  split < MAX_OFFSETS ? tb->offsets[split] : NULL);
    size_t at = mc_path_attr(&c->path, a->name);
    mc_status st = cmp_tensor_plain(c, a, b);
    mc_path_cut(&c->path, at);
    return st;
}

static mc_status diff_presence(cmp *c, const char *name, const char *ea, const char *fb)
{
    size_t at = mc_path_attr(&c->path, name);
    mc_status st = diff(c, ea, fb);
    mc_path_cut(&c->path, at);
    return st;
}

static void tensor_text(char *buf, size_t size, const mc_tensor *t)
{
    char shape[128];
    mc_text_shape(shape, sizeof shape, t->shape, t->ndim);
    snprintf(buf, size, "%s tensor %s", mc_elem_name(t->elem), shape);
}

static mc_status cmp_tensors(cmp *c, const mc_model *a, const mc_model *b)
{
    trees ta, tb;
    trees_of(a, &ta);
    trees_of(b, &tb);
    mc_status st = MC_OK;
    if (trees_match(&ta, &tb) && (st = cmp_tree_counts(c, &ta, &tb)))
        return st;
    char text[192];
    for (uint32_t i = 0; i < a->ntensors && !st; i++) {
        const mc_tensor *x = &a->tensors[i], *y = mc_model_tensor(b, x->name);
        if (y) {
            st = cmp_tensor(c, &ta, &tb, x, y);
        } else {
            tensor_text(text, sizeof text, x);
            st = diff_presence(c, x->name, text, "(absent)");
        }
    }
    for (uint32_t i = 0; i < b->ntensors && !st; i++) {
        const mc_tensor *y = &b->tensors[i];
        if (mc_model_tensor(a, y->name))
            continue;
        tensor_text(text, sizeof text, y);
        st = diff_presence(c, y->name, "(absent)", text);
    }
    return st;
}

/* ---- models ------------------------------------------------------------------------------ */

static mc_status cmp_text(cmp *c, const char *part, const char *a, const char *b)
{
    if (strcmp(a ? a : "", b ? b : "") == 0)
        return MC_OK;
    char ea[256], fb[256];
    snprintf(ea, sizeof ea, "'%s'", a ? a : "");
    snprintf(fb, sizeof fb, "'%s'", b ? b : "");
    return diff_presence(c, part, ea, fb);
}

static mc_status cmp_int(cmp *c, const char *part, int64_t a, int64_t b)
{
    if (a == b)
        return MC_OK;
    char ea[32], fb[32];
    snprintf(ea, sizeof ea, "%" PRId64, a);
    snprintf(fb, sizeof fb, "%" PRId64, b);
    return diff_presence(c, part, ea, fb);
}

static mc_status cmp_classes(cmp *c, const mc_model *a, const mc_model *b)
{
    mc_status st = MC_OK;
    if (a->n_class_sets != b->n_class_sets) {
        size_t at = mc_path_attr(&c->path, "classes_");
        st = diff_ints(c, "sets of class labels", a->n_class_sets, b->n_class_sets);
        mc_path_cut(&c->path, at);
        return st;
    }
    for (uint32_t k = 0; k < a->n_class_sets && !st; k++) {
        const mc_tensor *x = &a->classes[k], *y = &b->classes[k];
        size_t at = mc_path_attr(&c->path, "classes_");
        if (a->n_class_sets > 1)
            mc_path_push(&c->path, "[%u]", k);
        if (x->elem != y->elem) {
            char ea[64], fb[64];
            snprintf(ea, sizeof ea, "%s labels", mc_elem_name(x->elem));
            snprintf(fb, sizeof fb, "%s labels", mc_elem_name(y->elem));
            st = diff(c, ea, fb);
        } else {
            st = cmp_tensor_plain(c, x, y);
        }
        mc_path_cut(&c->path, at);
    }
    return st;
}

static uint32_t find_entry(const mc_entry *e, uint32_t n, const char *name, uint32_t hint)
{
    if (hint < n && strcmp(e[hint].name, name) == 0)
        return hint;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(e[i].name, name) == 0)
            return i;
    return n;
}

/* Parameters or state: entries matched by name, then their order. */
static mc_status cmp_entries(cmp *c, const char *prefix, const mc_entry *a, uint32_t na,
                             const mc_entry *b, uint32_t nb)
{
    mc_status st = MC_OK;
    uint32_t common = 0, last = 0;
    int in_order = 1;
    for (uint32_t i = 0; i < na && !st; i++) {
        uint32_t j = find_entry(b, nb, a[i].name, i);
        size_t at = mc_path_push(&c->path, "%s%s%s", c->path.len ? "." : "", prefix, a[i].name);
        if (j == nb) {
            st = diff_values(c, a[i].value, NULL);
        } else {
            in_order &= common == 0 || j > last;
            last = j;
            common++;
            st = cmp_value(c, a[i].value, b[j].value, 0);
        }
        mc_path_cut(&c->path, at);
    }
    for (uint32_t j = 0; j < nb && !st && common < nb; j++) {
        if (find_entry(a, na, b[j].name, j) < na)
            continue;
        size_t at = mc_path_push(&c->path, "%s%s%s", c->path.len ? "." : "", prefix, b[j].name);
        st = diff_values(c, NULL, b[j].value);
        mc_path_cut(&c->path, at);
    }
    if (!st && !in_order) {
        size_t at = mc_path_push(&c->path, "%s%s", c->path.len ? "." : "",
                                 prefix[0] ? "params" : "(state)");
        st = diff(c, "entries in the first file's order", "the same entries in another order");
        mc_path_cut(&c->path, at);
    }
    return st;
}

static mc_status cmp_model(cmp *c, const mc_model *a, const mc_model *b);

/* A pipeline's steps are "steps[i]"; other children are attributes
 * ("init_"). */
static int is_pipeline(const mc_model *m)
{
    return m->family && strcmp(m->family, "pipeline") == 0;
}

static size_t push_child(cmp *c, const mc_model *parent, uint32_t i)
{
    if (is_pipeline(parent))
        return mc_path_push(&c->path, "%ssteps[%u]", c->path.len ? "." : "", i);
    const char *name = parent->child_names ? parent->child_names[i] : NULL;
    return name ? mc_path_attr(&c->path, name)
                : mc_path_push(&c->path, "%s(children)[%u]", c->path.len ? "." : "", i);
}

static mc_status cmp_children(cmp *c, const mc_model *a, const mc_model *b)
{
    mc_status st = MC_OK;
    if (a->nchildren != b->nchildren) {
        size_t at = mc_path_attr(&c->path, is_pipeline(a) ? "steps" : "(children)");
        st = diff_ints(c, is_pipeline(a) ? "steps" : "children", a->nchildren, b->nchildren);
        mc_path_cut(&c->path, at);
    }
    for (uint32_t i = 0; i < a->nchildren && i < b->nchildren && !st; i++) {
        size_t at = push_child(c, a, i);
        const char *na = a->child_names ? a->child_names[i] : NULL;
        const char *nb = b->child_names ? b->child_names[i] : NULL;
        if (strcmp(na ? na : "", nb ? nb : "") != 0) {
            char ea[160], fb[160];
            snprintf(ea, sizeof ea, "named '%s'", na ? na : "");
            snprintf(fb, sizeof fb, "named '%s'", nb ? nb : "");
            st = diff(c, ea, fb);
        }
        if (!st)
            st = cmp_model(c, a->children[i], b->children[i]);
        mc_path_cut(&c->path, at);
    }
    return st;
}

static mc_status cmp_model(cmp *c, const mc_model *a, const mc_model *b)
{
    if (++c->depth > MAX_DEPTH) {
        mc_error_set(c->err, MC_E_INPUT, -1, "models nested more than %d deep", MAX_DEPTH);
        return MC_E_INPUT;
    }
    mc_status st;
    if (!(st = cmp_text(c, "(family)", a->family, b->family)) &&
        !(st = cmp_text(c, "__class__", a->estimator, b->estimator)) &&
        !(st = cmp_text(c, "(task)", a->task ? mc_task_name(a->task) : "unknown",
                        b->task ? mc_task_name(b->task) : "unknown")) &&
        !(st = cmp_int(c, "n_features_in_", a->n_features, b->n_features)) &&
        !(st = cmp_int(c, "n_outputs_", a->n_outputs, b->n_outputs)) &&
        !(st = cmp_classes(c, a, b)) && !(st = cmp_tensors(c, a, b)) &&
        !(st = cmp_entries(c, "params.", a->params, a->nparams, b->params, b->nparams)) &&
        !(st = cmp_entries(c, "", a->state, a->nstate, b->state, b->nstate)))
        st = cmp_children(c, a, b);
    c->depth--;
    return st;
}

mc_status mc_model_diff(const mc_model *expected, const mc_model *found, mc_differences *out,
                        mc_error *err)
{
    cmp c;
    memset(&c, 0, sizeof c);
    c.d = out;
    c.err = err;
    mc_path_init(&c.path, NULL);
    mc_status st = cmp_model(&c, expected, found);
    free(c.seen.slots);
    free(c.a_to_b.slots);
    free(c.b_to_a.slots);
    return st;
}
