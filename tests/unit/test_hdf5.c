/* HDF5 archives (converters/hdf5, schemas/hdf5-layout.md):
 *  - every corpus model: load -> write -> read -> write gives the same bytes,
 *    and the model read back equals the original (a structural comparison
 *    below: every field, every value kind, dtypes in full, sharing);
 *  - a model holding every value kind and dtype the layout names, compressed
 *    and not, big chunked arrays in both orders and byte orders;
 *  - the chunk writer's shuffle and Fletcher-32 are HDF5's (checked against
 *    the library), its chunks read back through HDF5, a damaged chunk fails;
 *  - determinism, progress, the format bid, versions, two threads at once;
 *  - hostile archives (tests/hostile/hdf5/expect.tsv): each is MC_E_INPUT
 *    with the expected message and HDF5 path, quickly (files marked OK are
 *    unusual but valid, and read). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hdf5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "core/bytes.h"
#include "hdf5/h5chunk.h"
#include "hdf5/hdf5.h"
#include "io/npy.h"
#include "model/model_box.h"
#include "modelconv/formats.h"
#include "pickle/globals.h"
#include "read/document.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mc_test_hdf5_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
    return buf;
}

static int same_file(const char *a, const char *b)
{
    size_t na, nb;
    uint8_t *pa = read_whole(a, &na), *pb = read_whole(b, &nb);
    int same = pa && pb && na == nb && memcmp(pa, pb, na) == 0;
    free(pa);
    free(pb);
    return same;
}

/* ---- structural comparison ------------------------------------------------------ */

typedef struct pair {
    const mc_value *a, *b;
} pair;

typedef struct cmp {
    pair *pairs;        /* a -> b for values stored as HDF5 objects */
    size_t n, cap;
    char why[1024];
    char path[512];
} cmp;

static int differ(cmp *c, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->why, sizeof c->why, "%s: %s", c->path[0] ? c->path : "(model)", msg);
    return -1;
}

static size_t push(cmp *c, const char *fmt, ...)
{
    size_t len = strlen(c->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->path + len, sizeof c->path - len, fmt, ap);
    va_end(ap);
    return len;
}

static void pop(cmp *c, size_t len)
{
    c->path[len] = '\0';
}

/* Values the layout keeps as attributes: copies, not shared. */
static int attribute_kind(const mc_value *v)
{
    return v->kind == MC_NONE || v->kind == MC_BOOL || v->kind == MC_INT ||
           v->kind == MC_FLOAT || v->kind == MC_COMPLEX ||
           (v->kind == MC_STR && v->u.str.len <= 16384 && strlen(v->u.str.data) == v->u.str.len);
}

static int cmp_value(cmp *c, const mc_value *a, const mc_value *b, int depth);

static int cmp_global(cmp *c, const mc_value *a, const mc_value *b, const char *what)
{
    if (!a || !b)
        return a == b ? 0 : differ(c, "%s: one is missing", what);
    if (a->kind != MC_GLOBAL || b->kind != MC_GLOBAL ||
        strcmp(a->u.global.module, b->u.global.module) != 0 ||
        strcmp(a->u.global.name, b->u.global.name) != 0 ||
        a->u.global.verdict != b->u.global.verdict)
        return differ(c, "%s: globals differ", what);
    return 0;
}

static int cmp_dtype(cmp *c, const mc_dtype *a, const mc_dtype *b, int depth)
{
    if (a->kind != b->kind || a->byteorder != b->byteorder || a->itemsize != b->itemsize ||
        a->alignment != b->alignment || a->flags != b->flags ||
        a->state_version != b->state_version || a->nfields != b->nfields ||
        strcmp(a->datetime_unit, b->datetime_unit) != 0 ||
        a->datetime_count != b->datetime_count || !a->subarray_base != !b->subarray_base ||
        !a->metadata != !b->metadata)
        return differ(c, "dtypes differ (%c%u vs %c%u)", a->kind, a->itemsize, b->kind,
                      b->itemsize);
    for (uint32_t i = 0; i < a->nfields; i++) {
        const mc_dtype_field *fa = &a->fields[i], *fb = &b->fields[i];
        if (strcmp(fa->name, fb->name) != 0 || fa->offset != fb->offset || !fa->title != !fb->title)
            return differ(c, "field %u differs", i);
        if (cmp_dtype(c, fa->dtype, fb->dtype, depth + 1) ||
            (fa->title && cmp_value(c, fa->title, fb->title, depth + 1)))
            return -1;
    }
    if (a->subarray_base) {
        if (a->subarray_ndim != b->subarray_ndim ||
            memcmp(a->subarray_shape, b->subarray_shape, a->subarray_ndim * sizeof(int64_t)) != 0)
            return differ(c, "subarray shapes differ");
        if (cmp_dtype(c, a->subarray_base, b->subarray_base, depth + 1))
            return -1;
    }
    return a->metadata ? cmp_value(c, a->metadata, b->metadata, depth + 1) : 0;
}

static int cmp_seq(cmp *c, const mc_value *const *a, const mc_value *const *b, size_t n, int depth)
{
    for (size_t i = 0; i < n; i++) {
        size_t mark = push(c, "[%zu]", i);
        int r = cmp_value(c, a[i], b[i], depth + 1);
        pop(c, mark);
        if (r)
            return r;
    }
    return 0;
}

static int cmp_opt(cmp *c, const mc_value *a, const mc_value *b, const char *name, int depth)
{
    if (!a || !b)
        return a == b ? 0 : differ(c, "%s present in one only", name);
    size_t mark = push(c, ".%s", name);
    int r = cmp_value(c, a, b, depth + 1);
    pop(c, mark);
    return r;
}

static int cmp_array(cmp *c, const mc_ndarray *a, const mc_ndarray *b, int depth)
{
    if (cmp_dtype(c, a->dtype, b->dtype, depth) || cmp_global(c, a->subclass, b->subclass, "subclass"))
        return -1;
    if (a->ndim != b->ndim || a->count != b->count || a->order != b->order ||
        memcmp(a->shape, b->shape, a->ndim * sizeof(int64_t)) != 0 || !a->objects != !b->objects)
        return differ(c, "array shape, order or kind differs");
    if (a->objects)
        return cmp_seq(c, a->objects, b->objects, a->count, depth);
    if (a->nbytes != b->nbytes || (a->nbytes && memcmp(a->data, b->data, a->nbytes) != 0))
        return differ(c, "array bytes differ");
    return 0;
}

/* Sharing must survive: a value met again maps to the same counterpart. */
static int paired(cmp *c, const mc_value *a, const mc_value *b, int *seen)
{
    *seen = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->pairs[i].a == a || c->pairs[i].b == b) {
            *seen = 1;
            return c->pairs[i].a == a && c->pairs[i].b == b ? 0
                                                            : differ(c, "sharing differs");
        }
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->pairs = realloc(c->pairs, c->cap * sizeof *c->pairs);
        assert_non_null(c->pairs);
    }
    c->pairs[c->n++] = (pair){a, b};
    return 0;
}

static int cmp_value(cmp *c, const mc_value *a, const mc_value *b, int depth)
{
    if (depth > 2000)
        return differ(c, "nested too deeply");
    if (a->kind != b->kind)
        return differ(c, "kinds %s and %s", mc_kind_name(a->kind), mc_kind_name(b->kind));
    if (!attribute_kind(a)) {
        int seen;
        if (paired(c, a, b, &seen))
            return -1;
        if (seen)
            return 0;
    }
    switch (a->kind) {
    case MC_NONE: return 0;
    case MC_BOOL: return a->u.boolean == b->u.boolean ? 0 : differ(c, "bools differ");
    case MC_INT: return a->u.i == b->u.i ? 0 : differ(c, "%lld vs %lld", (long long)a->u.i, (long long)b->u.i);
    case MC_FLOAT:
        return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0 ? 0 : differ(c, "floats differ");
    case MC_COMPLEX:
        return memcmp(&a->u.complex, &b->u.complex, sizeof a->u.complex) == 0
                   ? 0
                   : differ(c, "complex numbers differ");
    case MC_STR:
        return a->u.str.len == b->u.str.len && memcmp(a->u.str.data, b->u.str.data, a->u.str.len) == 0
                   ? 0
                   : differ(c, "strings differ");
    case MC_BIGINT:
    case MC_BYTES:
    case MC_BYTEARRAY:
        return a->u.bytes.len == b->u.bytes.len && a->u.bytes.py2_str == b->u.bytes.py2_str &&
                       (a->u.bytes.len == 0 ||
                        memcmp(a->u.bytes.data, b->u.bytes.data, a->u.bytes.len) == 0)
                   ? 0
                   : differ(c, "bytes differ");
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET:
        if (a->u.seq.len != b->u.seq.len)
            return differ(c, "lengths %zu and %zu", a->u.seq.len, b->u.seq.len);
        return cmp_seq(c, (const mc_value *const *)a->u.seq.items,
                       (const mc_value *const *)b->u.seq.items, a->u.seq.len, depth);
    case MC_DICT:
        if (a->u.dict.len != b->u.dict.len || cmp_global(c, a->u.dict.cls, b->u.dict.cls, "dict class"))
            return differ(c, "dict lengths or classes differ");
        for (size_t i = 0; i < a->u.dict.len; i++) {
            size_t mark = push(c, "{%zu}", i);
            int r = cmp_value(c, a->u.dict.keys[i], b->u.dict.keys[i], depth + 1) ||
                    cmp_value(c, a->u.dict.vals[i], b->u.dict.vals[i], depth + 1);
            pop(c, mark);
            if (r)
                return -1;
        }
        return 0;
    case MC_NDARRAY: return cmp_array(c, &a->u.array, &b->u.array, depth);
    case MC_SCALAR:
        if (cmp_dtype(c, a->u.scalar.dtype, b->u.scalar.dtype, depth))
            return -1;
        if (a->u.scalar.object)
            return cmp_opt(c, a->u.scalar.object, b->u.scalar.object, "object", depth);
        return memcmp(a->u.scalar.data, b->u.scalar.data, a->u.scalar.dtype->itemsize) == 0
                   ? 0
                   : differ(c, "scalar bytes differ");
    case MC_DTYPE: return cmp_dtype(c, a->u.dtype, b->u.dtype, depth);
    case MC_GLOBAL: return cmp_global(c, a, b, "global");
    case MC_OBJECT:
        if (a->u.object.ctor != b->u.object.ctor ||
            cmp_global(c, a->u.object.cls, b->u.object.cls, "class") ||
            cmp_global(c, a->u.object.via, b->u.object.via, "constructor"))
            return differ(c, "objects' classes or constructors differ");
        return cmp_opt(c, a->u.object.args, b->u.object.args, "args", depth) ||
                       cmp_opt(c, a->u.object.kwargs, b->u.object.kwargs, "kwargs", depth) ||
                       cmp_opt(c, a->u.object.state, b->u.object.state, "state", depth) ||
                       cmp_opt(c, a->u.object.listitems, b->u.object.listitems, "list_items", depth) ||
                       cmp_opt(c, a->u.object.dictitems, b->u.object.dictitems, "dict_items", depth)
                   ? -1
                   : 0;
    }
    return differ(c, "unknown kind");
}

static int cmp_tensor(cmp *c, const mc_tensor *a, const mc_tensor *b)
{
    if (strcmp(a->name, b->name) != 0 || a->elem != b->elem || a->ndim != b->ndim ||
        a->count != b->count || memcmp(a->shape, b->shape, a->ndim * sizeof(int64_t)) != 0)
        return differ(c, "tensor %s: name, type or shape differs", a->name);
    if (a->elem == MC_ELEM_STR) {
        for (uint64_t i = 0; i < a->count; i++)
            if (strcmp(a->data.str[i], b->data.str[i]) != 0)
                return differ(c, "tensor %s: string %llu differs", a->name, (unsigned long long)i);
        return 0;
    }
    size_t n = (size_t)a->count * mc_elem_size(a->elem);
    return n && memcmp(a->data.ptr, b->data.ptr, n) != 0 ? differ(c, "tensor %s: bytes differ", a->name)
                                                         : 0;
}

static int cmp_entries(cmp *c, const mc_entry *a, const mc_entry *b, uint32_t n, const char *what)
{
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(a[i].name, b[i].name) != 0)
            return differ(c, "%s entry %u: '%s' vs '%s'", what, i, a[i].name, b[i].name);
        size_t mark = push(c, ".%s", a[i].name);
        int r = cmp_value(c, a[i].value, b[i].value, 0);
        pop(c, mark);
        if (r)
            return r;
    }
    return 0;
}

/* Provenance is the file's: the archive keeps it once, for the root. */
static int cmp_model(cmp *c, const mc_model *a, const mc_model *b, int root)
{
    const mc_provenance *pa = &a->provenance, *pb = &b->provenance;
    if (strcmp(a->family, b->family) != 0 || strcmp(a->estimator, b->estimator) != 0 ||
        a->task != b->task || a->n_features != b->n_features || a->n_outputs != b->n_outputs ||
        a->n_class_sets != b->n_class_sets || a->ntensors != b->ntensors ||
        a->nparams != b->nparams || a->nstate != b->nstate || a->nchildren != b->nchildren)
        return differ(c, "model fields differ (%s %s)", a->estimator, b->estimator);
    if (root && (strcmp(pa->format, pb->format) != 0 || strcmp(pa->compressor, pb->compressor) != 0 ||
        strcmp(pa->sklearn_version, pb->sklearn_version) != 0 ||
        strcmp(pa->numpy_hint, pb->numpy_hint) != 0 || strcmp(pa->joblib_hint, pb->joblib_hint) != 0 ||
        pa->python2 != pb->python2 ||
        (pa->format[0] ? pa->protocol : -1) != (pb->format[0] ? pb->protocol : -1)))
        return differ(c, "provenance differs");
    for (uint32_t i = 0; i < a->n_class_sets; i++)
        if (cmp_tensor(c, &a->classes[i], &b->classes[i]))
            return -1;
    for (uint32_t i = 0; i < a->ntensors; i++)
        if (cmp_tensor(c, &a->tensors[i], &b->tensors[i]))
            return -1;
    if (cmp_entries(c, a->params, b->params, a->nparams, "params") ||
        cmp_entries(c, a->state, b->state, a->nstate, "state"))
        return -1;
    for (uint32_t i = 0; i < a->nchildren; i++) {
        if (strcmp(a->child_names[i], b->child_names[i]) != 0)
            return differ(c, "child %u named '%s' vs '%s'", i, a->child_names[i], b->child_names[i]);
        size_t mark = push(c, "/%s", a->child_names[i]);
        int r = cmp_model(c, a->children[i], b->children[i], 0);
        pop(c, mark);
        if (r)
            return r;
    }
    return 0;
}

/* Fails the test with the first difference. */
static void assert_same_model(const mc_model *a, const mc_model *b, const char *what)
{
    cmp c;
    memset(&c, 0, sizeof c);
    int r = cmp_model(&c, a, b, 1);
    free(c.pairs);
    if (r)
        fail_msg("%s: %s", what, c.why);
}

/* Write m, read it back, compare, write again: the same bytes. */
static mc_model *round_trip(const mc_model *m, const char *name, int level)
{
    char a[480], b[512];
    mc_error err;
    mc_save_options o;
    mc_save_options_init(&o);
    o.compress_level = level;
    tmp_path(a, sizeof a, name);
    snprintf(b, sizeof b, "%s.again.h5", a);
    if (mc_hdf5_write(m, a, &o, &err))
        fail_msg("%s: write: %s: %s", name, err.where, err.message);
    mc_model *back;
    if (mc_hdf5_read(a, MC_LOAD_ALL, &back, &err))
        fail_msg("%s: read: %s: %s", name, err.where, err.message);
    assert_same_model(m, back, name);
    if (mc_hdf5_write(back, b, &o, &err))
        fail_msg("%s: write again: %s: %s", name, err.where, err.message);
    if (!same_file(a, b))
        fail_msg("%s: .h5 -> model -> .h5 changed the bytes", name);
    unlink(a);
    unlink(b);
    return back;
}

/* ---- the corpus ------------------------------------------------------------------------ */

static void test_corpus_round_trips(void **state)
{
    (void)state;
    size_t n, done = 0;
    corpus_entry *e = corpus_load(&n);
    assert_non_null(e);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].kind, "model") != 0)
            continue;
        char path[512];
        mc_error err;
        mc_model *m;
        corpus_path(path, sizeof path, e[i].path);
        if (mc_model_load(path, &m, &err))
            fail_msg("%s: %s", e[i].path, err.message);
        mc_model *back = round_trip(m, "corpus.h5", 4);
        mc_model_free(back);
        mc_model_free(m);
        done++;
    }
    free(e);
    assert_true(done > 1000);
}

/* The archive is found by content through the format table. */
static void test_load_by_content(void **state)
{
    (void)state;
    char src[512], h5[512], renamed[512];
    mc_error err;
    mc_model *m, *back;
    corpus_path(src, sizeof src, "sk1.9.1/pipe_nested/model.p4.pkl");
    assert_int_equal(mc_model_load(src, &m, &err), MC_OK);
    tmp_path(h5, sizeof h5, "nested.h5");
    assert_int_equal(mc_model_save(m, h5, NULL, NULL, &err), MC_OK);
    tmp_path(renamed, sizeof renamed, "nested.pkl"); /* the name does not matter */
    assert_int_equal(rename(h5, renamed), 0);
    if (mc_model_load(renamed, &back, &err))
        fail_msg("%s", err.message);
    assert_same_model(m, back, "pipe_nested");
    mc_model_free(back);
    mc_model_free(m);
    unlink(renamed);
}

/* ---- every value kind ------------------------------------------------------------------------ */

typedef struct builder {
    mc_document *doc;
} builder;

static mc_value *val(builder *b, mc_kind k)
{
    mc_value *v = mc_doc_value(b->doc, k, -1);
    assert_non_null(v);
    return v;
}

static mc_value *str(builder *b, const char *s, size_t n)
{
    mc_value *v = val(b, MC_STR);
    v->u.str.data = mc_doc_strndup(b->doc, s, n);
    v->u.str.len = n;
    return v;
}

static mc_value *num(builder *b, int64_t i)
{
    mc_value *v = val(b, MC_INT);
    v->u.i = i;
    return v;
}

static mc_value *global(builder *b, const char *module, const char *name)
{
    mc_value *v = val(b, MC_GLOBAL);
    mc_global_info info;
    mc_global_classify(module, name, &info);
    v->u.global.module = module;
    v->u.global.name = name;
    v->u.global.verdict = (int)info.verdict;
    return v;
}

static void append(builder *b, mc_value *seq, mc_value *item)
{
    assert_int_equal(mc_seq_append(b->doc, seq, item, NULL), MC_OK);
}

static void set(builder *b, mc_value *dict, mc_value *key, mc_value *v)
{
    assert_int_equal(mc_dict_set(b->doc, dict, key, v, NULL), MC_OK);
}

/* A dtype as numpy pickles it: state version 3, no alignment, no flags. */
static mc_dtype *dtype(builder *b, const char *s)
{
    mc_dtype *dt = mc_doc_alloc(b->doc, sizeof *dt);
    assert_non_null(dt);
    assert_int_equal(mc_dtype_parse_str(s, strlen(s), dt), 0);
    dt->state_version = 3;
    dt->alignment = -1;
    return dt;
}

static mc_value *array(builder *b, const mc_dtype *dt, uint32_t ndim, const int64_t *shape,
                       char order, const void *data)
{
    mc_value *v = val(b, MC_NDARRAY);
    mc_ndarray *a = &v->u.array;
    int64_t *sh = mc_doc_alloc(b->doc, (ndim ? ndim : 1) * sizeof *sh);
    if (ndim)
        memcpy(sh, shape, ndim * sizeof *sh);
    a->dtype = dt;
    a->ndim = ndim;
    a->shape = sh;
    a->count = 1;
    for (uint32_t i = 0; i < ndim; i++)
        a->count *= (uint64_t)shape[i];
    a->order = order;
    a->nbytes = a->count * dt->itemsize;
    uint8_t *copy = mc_doc_alloc(b->doc, a->nbytes ? a->nbytes : 1);
    if (data)
        memcpy(copy, data, a->nbytes);
    else
        for (uint64_t i = 0; i < a->nbytes; i++) /* a pattern deflate can shrink a little */
            copy[i] = (uint8_t)((i * 2654435761u) >> 13 ^ (i / 7));
    a->data = copy;
    a->subclass = global(b, "numpy", "ndarray");
    a->joblib_alignment = -1;
    return v;
}

static mc_value *scalar(builder *b, const mc_dtype *dt, const void *data)
{
    mc_value *v = val(b, MC_SCALAR);
    v->u.scalar.dtype = dt;
    uint8_t *copy = mc_doc_alloc(b->doc, dt->itemsize);
    memcpy(copy, data, dt->itemsize);
    v->u.scalar.data = copy;
    return v;
}

static mc_value *bytes(builder *b, mc_kind k, const char *s, size_t n, int py2)
{
    mc_value *v = val(b, k);
    uint8_t *copy = mc_doc_alloc(b->doc, n ? n : 1);
    memcpy(copy, s, n);
    v->u.bytes.data = copy;
    v->u.bytes.len = n;
    v->u.bytes.py2_str = py2;
    return v;
}

/* A structured dtype: ('a', '<i8') at 0, ('b', '>f4', (2,)) at 8 with a
 * title, ('c', '<U2') at 16, ('d', [('x', '|b1')]) at 24, 32 bytes. */
static mc_dtype *structured(builder *b)
{
    mc_dtype *dt = dtype(b, "|V32");
    mc_dtype_field *f = mc_doc_alloc(b->doc, 4 * sizeof *f);
    mc_dtype *sub = dtype(b, "|V8");
    int64_t *two = mc_doc_alloc(b->doc, sizeof *two);
    *two = 2;
    sub->subarray_base = dtype(b, ">f4");
    sub->subarray_ndim = 1;
    sub->subarray_shape = two;
    mc_dtype *nested = dtype(b, "|V1");
    mc_dtype_field *nf = mc_doc_alloc(b->doc, sizeof *nf);
    nf[0] = (mc_dtype_field){"x", dtype(b, "|b1"), 0, NULL};
    nested->fields = nf;
    nested->nfields = 1;
    f[0] = (mc_dtype_field){"a", dtype(b, "<i8"), 0, NULL};
    f[1] = (mc_dtype_field){"b", sub, 8, str(b, "bee", 3)};
    f[2] = (mc_dtype_field){"c", dtype(b, "<U2"), 16, NULL};
    f[3] = (mc_dtype_field){"d", nested, 24, NULL};
    dt->fields = f;
    dt->nfields = 4;
    dt->alignment = 8;
    dt->flags = 16;
    return dt;
}

static mc_value *object(builder *b, const char *module, const char *name, mc_ctor ctor,
                        mc_value *state)
{
    mc_value *o = val(b, MC_OBJECT);
    o->u.object.cls = global(b, module, name);
    o->u.object.ctor = ctor;
    o->u.object.args = val(b, MC_TUPLE);
    o->u.object.state = state;
    return o;
}

/* A model holding every value kind and dtype of the layout. */
static mc_model *every_kind(void)
{
    builder bb = {mc_document_new()}, *b = &bb;
    assert_non_null(b->doc);
    mc_model *m = mc_model_new_in(b->doc, 1);
    m->family = "opaque";
    m->estimator = "sklearn.fake.Everything";
    m->n_features = 3;
    strcpy(m->provenance.format, "pickle");
    strcpy(m->provenance.compressor, "zlib");
    m->provenance.protocol = 4;
    strcpy(m->provenance.sklearn_version, "1.9.1");
    strcpy(m->provenance.numpy_hint, "2.x");
    strcpy(m->provenance.joblib_hint, ">=1.5");

    mc_value *d = val(b, MC_DICT);
    mc_value *t = val(b, MC_BOOL);
    t->u.boolean = 1;
    mc_value *f = val(b, MC_FLOAT);
    f->u.f = -0.0;
    mc_value *cx = val(b, MC_COMPLEX);
    cx->u.complex.re = 1.5;
    cx->u.complex.im = -2.25;
    set(b, d, str(b, "none", 4), val(b, MC_NONE));
    set(b, d, str(b, "true", 4), t);
    set(b, d, str(b, "int", 3), num(b, INT64_MIN));
    set(b, d, str(b, "float", 5), f);
    set(b, d, str(b, "complex", 7), cx);
    /* keys the layout escapes */
    set(b, d, str(b, "", 0), num(b, 1));
    set(b, d, str(b, ".", 1), num(b, 2));
    set(b, d, str(b, "@kind", 5), num(b, 3));
    set(b, d, str(b, "a/b%c", 5), num(b, 4));
    set(b, d, str(b, "caf\xc3\xa9", 5), str(b, "\xe2\x82\xac", 3));
    /* ints beyond int64: 2^64 and -(2^64) - 1 */
    static const uint8_t big[] = {0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t negbig[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
    set(b, d, str(b, "big", 3), bytes(b, MC_BIGINT, (const char *)big, sizeof big, 0));
    set(b, d, str(b, "negbig", 6), bytes(b, MC_BIGINT, (const char *)negbig, sizeof negbig, 0));
    /* long text, text with a NUL */
    char *longtext = malloc(20000);
    for (int i = 0; i < 20000; i++)
        longtext[i] = (char)('a' + i % 26);
    set(b, d, str(b, "long", 4), str(b, longtext, 20000));
    free(longtext);
    set(b, d, str(b, "nul", 3), str(b, "a\0b", 3));
    set(b, d, str(b, "bytes", 5), bytes(b, MC_BYTES, "\x00\xffxyz", 5, 0));
    set(b, d, str(b, "py2", 3), bytes(b, MC_BYTES, "old", 3, 1));
    set(b, d, str(b, "empty_bytes", 11), bytes(b, MC_BYTES, "", 0, 0));
    set(b, d, str(b, "bytearray", 9), bytes(b, MC_BYTEARRAY, "ab", 2, 0));
    mc_value *seqs[4] = {val(b, MC_LIST), val(b, MC_TUPLE), val(b, MC_SET), val(b, MC_FROZENSET)};
    for (int i = 0; i < 4; i++) {
        append(b, seqs[i], num(b, i));
        append(b, seqs[i], str(b, "x", 1));
        set(b, d, str(b, mc_kind_name(seqs[i]->kind), strlen(mc_kind_name(seqs[i]->kind))), seqs[i]);
    }
    set(b, d, str(b, "empty_list", 10), val(b, MC_LIST));
    /* dicts: an OrderedDict, one with int keys, one with a repeated key */
    mc_value *od = val(b, MC_DICT);
    od->u.dict.cls = global(b, "collections", "OrderedDict");
    set(b, od, str(b, "z", 1), num(b, 1));
    set(b, od, str(b, "a", 1), num(b, 2));
    set(b, d, str(b, "ordered", 7), od);
    mc_value *ik = val(b, MC_DICT);
    set(b, ik, num(b, 7), str(b, "seven", 5));
    set(b, ik, bytes(b, MC_BYTES, "k", 1, 1), num(b, 8));
    set(b, d, str(b, "int_keys", 8), ik);
    mc_value *rep = val(b, MC_DICT);
    set(b, rep, str(b, "k", 1), num(b, 1));
    set(b, rep, str(b, "k", 1), num(b, 2));
    set(b, d, str(b, "repeated", 8), rep);
    /* arrays of every dtype kind */
    static const char *const plain[] = {"<f8", ">f8", "<f4", "<f2", "|i1", "<i2", ">i4", "<i8",
                                        "|u1", "<u2", "<u4", ">u8", "|b1", "<c8", ">c16", "|S3",
                                        "<M8[ns]", ">m8[25s]", "|V5", "<f16", "<c32"};
    mc_value *arrays = val(b, MC_LIST);
    int64_t shape23[2] = {2, 3};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        mc_dtype *dt = dtype(b, plain[i]);
        if (dt->kind == 'b') { /* numpy bools are 0 or 1 */
            static const uint8_t bits[6] = {1, 0, 1, 1, 0, 0};
            append(b, arrays, array(b, dt, 2, shape23, 'C', bits));
        } else {
            append(b, arrays, array(b, dt, 2, shape23, i % 2 ? 'F' : 'C', NULL));
        }
    }
    static const uint32_t ucs[6] = {'h', 'i', 0x20ac, 0, 0x1f600, 'x'}; /* "hi", "\u20ac", "\U0001f600x" */
    append(b, arrays, array(b, dtype(b, "<U2"), 1, (int64_t[]){3}, 'C', ucs));
    static const uint8_t ucs_be[8] = {0, 0, 0, 'a', 0, 0, 0, 'b'};
    append(b, arrays, array(b, dtype(b, ">U1"), 1, (int64_t[]){2}, 'C', ucs_be));
    static const uint32_t ucs2x2[4] = {'a', 'b', 'c', 0x20ac}; /* 2 x 2, Fortran order */
    append(b, arrays, array(b, dtype(b, "<U1"), 2, (int64_t[]){2, 2}, 'F', ucs2x2));
    static const uint32_t interior_nul[4] = {0, 'a', 'b', 0}; /* a NUL before text */
    append(b, arrays, array(b, dtype(b, "<U2"), 1, (int64_t[]){2}, 'C', interior_nul));
    mc_dtype *rec = structured(b);
    append(b, arrays, array(b, rec, 1, (int64_t[]){3}, 'C', NULL));
    append(b, arrays, array(b, dtype(b, "<f8"), 0, NULL, 'C', NULL));   /* 0-d */
    append(b, arrays, array(b, dtype(b, "<i8"), 1, (int64_t[]){0}, 'C', NULL)); /* empty */
    mc_value *nosub = array(b, dtype(b, "<f8"), 1, (int64_t[]){2}, 'C', NULL);
    nosub->u.array.subclass = NULL; /* as protocol-5 _frombuffer leaves it */
    append(b, arrays, nosub);
    mc_value *mat = array(b, dtype(b, "<f8"), 2, shape23, 'C', NULL);
    mat->u.array.subclass = global(b, "numpy", "matrix");
    append(b, arrays, mat);
    set(b, d, str(b, "arrays", 6), arrays);
    /* big arrays: chunked, in both orders and byte orders */
    int64_t big2[2] = {700, 300};
    set(b, d, str(b, "big_c", 5), array(b, dtype(b, "<f8"), 2, big2, 'C', NULL));
    set(b, d, str(b, "big_f_be", 8), array(b, dtype(b, ">i4"), 2, big2, 'F', NULL));
    set(b, d, str(b, "big_records", 11), array(b, rec, 1, (int64_t[]){50000}, 'C', NULL));
    int64_t wide[2] = {2, 200000}; /* a row of more than a chunk */
    set(b, d, str(b, "wide", 4), array(b, dtype(b, "<f8"), 2, wide, 'C', NULL));
    /* an object array (2 x 2, Fortran order) */
    mc_value *oa = val(b, MC_NDARRAY);
    mc_dtype *odt = dtype(b, "|O");
    odt->flags = 63;
    oa->u.array.dtype = odt;
    oa->u.array.ndim = 2;
    oa->u.array.shape = mc_doc_alloc(b->doc, 2 * sizeof(int64_t));
    ((int64_t *)oa->u.array.shape)[0] = 2;
    ((int64_t *)oa->u.array.shape)[1] = 2;
    oa->u.array.count = 4;
    oa->u.array.order = 'F';
    const mc_value **objs = mc_doc_alloc(b->doc, 4 * sizeof *objs);
    objs[0] = num(b, 0);
    objs[1] = str(b, "one", 3);
    objs[2] = val(b, MC_NONE);
    objs[3] = seqs[0];
    oa->u.array.objects = objs;
    oa->u.array.subclass = global(b, "numpy", "ndarray");
    set(b, d, str(b, "objects", 7), oa);
    /* numpy scalars, an object scalar, dtype values, globals */
    double half = 0.5;
    set(b, d, str(b, "np_f8", 5), scalar(b, dtype(b, "<f8"), &half));
    set(b, d, str(b, "np_u", 4), scalar(b, dtype(b, "<U2"), ucs));
    uint8_t recbytes[32] = {1, 2, 3};
    set(b, d, str(b, "np_rec", 6), scalar(b, rec, recbytes));
    mc_value *os = val(b, MC_SCALAR);
    os->u.scalar.dtype = oa->u.array.dtype;
    os->u.scalar.object = str(b, "in a scalar", 11);
    set(b, d, str(b, "np_object", 9), os);
    mc_value *dv = val(b, MC_DTYPE);
    dv->u.dtype = rec;
    set(b, d, str(b, "dtype_rec", 9), dv);
    mc_value *dv2 = val(b, MC_DTYPE);
    mc_dtype *meta = dtype(b, "<M8[us]");
    meta->state_version = 4;
    meta->metadata = val(b, MC_DICT);
    set(b, (mc_value *)meta->metadata, str(b, "unit", 4), str(b, "us", 2));
    dv2->u.dtype = meta;
    set(b, d, str(b, "dtype_meta", 10), dv2);
    set(b, d, str(b, "global", 6), global(b, "numpy", "float64"));
    /* objects built every way */
    static const mc_ctor ctors[] = {MC_CTOR_NEWOBJ, MC_CTOR_NEWOBJ_EX, MC_CTOR_REDUCE,
                                    MC_CTOR_RECONSTRUCTOR, MC_CTOR_PYX_UNPICKLE, MC_CTOR_INST};
    mc_value *objects = val(b, MC_LIST);
    for (size_t i = 0; i < 6; i++) {
        mc_value *st = val(b, MC_DICT);
        set(b, st, str(b, "i", 1), num(b, (int64_t)i));
        mc_value *o = object(b, "sklearn.fake", "Thing", ctors[i], st);
        if (ctors[i] == MC_CTOR_NEWOBJ_EX)
            o->u.object.kwargs = val(b, MC_DICT);
        if (ctors[i] == MC_CTOR_RECONSTRUCTOR)
            o->u.object.via = global(b, "copyreg", "_reconstructor");
        if (ctors[i] == MC_CTOR_PYX_UNPICKLE) {
            o->u.object.via = global(b, "numpy.random.bit_generator", "__pyx_unpickle_SeedSequence");
            append(b, o->u.object.args, st); /* the state, shared with args */
        }
        if (ctors[i] == MC_CTOR_REDUCE) {
            o->u.object.listitems = val(b, MC_LIST);
            o->u.object.dictitems = val(b, MC_DICT);
        }
        append(b, objects, o);
    }
    set(b, d, str(b, "objects_list", 12), objects);
    /* sharing: the same array and list twice, and a deep chain */
    set(b, d, str(b, "shared_again", 12), arrays);
    set(b, d, str(b, "shared_list", 11), seqs[0]);
    mc_value *deep = val(b, MC_LIST), *cur = deep;
    for (int i = 0; i < 200; i++) {
        mc_value *next = val(b, MC_LIST);
        append(b, cur, next);
        cur = next;
    }
    set(b, d, str(b, "deep", 4), deep);

    mc_entry *params = mc_doc_alloc(b->doc, 2 * sizeof *params);
    params[0] = (mc_entry){"alpha", f};
    params[1] = (mc_entry){"everything", d};
    m->params = params;
    m->nparams = 2;
    mc_entry *st = mc_doc_alloc(b->doc, sizeof *st);
    st[0] = (mc_entry){"same_dict_", d};
    m->state = st;
    m->nstate = 1;
    return m;
}

static void test_every_value_kind(void **state)
{
    (void)state;
    mc_model *m = every_kind();
    static const int levels[] = {4, 0, 1, 9};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "every_%d.h5", levels[i]);
        mc_model_free(round_trip(m, name, levels[i]));
    }
    mc_model_free(m);
}

/* More values in one group than HDF5's 16-bit attribute creation index
 * counts (a large vocabulary_): a dict and a list of 70000 ints. */
static void test_many_values(void **state)
{
    (void)state;
    builder bb = {mc_document_new()}, *b = &bb;
    mc_model *m = mc_model_new_in(b->doc, 1);
    m->family = "opaque";
    m->estimator = "sklearn.feature_extraction.text.CountVectorizer";
    mc_value *vocabulary = val(b, MC_DICT), *list = val(b, MC_LIST);
    for (int i = 0; i < 70000; i++) {
        char k[16];
        int n = snprintf(k, sizeof k, "w%d", i);
        set(b, vocabulary, str(b, k, (size_t)n), num(b, i));
        append(b, list, num(b, -i));
    }
    mc_entry *e = mc_doc_alloc(b->doc, 2 * sizeof *e);
    e[0] = (mc_entry){"vocabulary_", vocabulary};
    e[1] = (mc_entry){"stop_words_", list};
    m->state = e;
    m->nstate = 2;
    mc_model_free(round_trip(m, "many.h5", 4));
    mc_model_free(m);
}

/* A value that contains itself cannot be archived: MC_E_INPUT, no file. */
static void test_cycle_refused(void **state)
{
    (void)state;
    builder bb = {mc_document_new()}, *b = &bb;
    mc_model *m = mc_model_new_in(b->doc, 1);
    m->family = "opaque";
    m->estimator = "sklearn.fake.Loop";
    mc_value *l = val(b, MC_LIST);
    append(b, l, l);
    mc_entry *e = mc_doc_alloc(b->doc, sizeof *e);
    *e = (mc_entry){"loop_", l};
    m->state = e;
    m->nstate = 1;
    char path[512];
    mc_error err;
    tmp_path(path, sizeof path, "loop.h5");
    assert_int_equal(mc_hdf5_write(m, path, NULL, &err), MC_E_INPUT);
    assert_non_null(strstr(err.message, "cycle"));
    assert_string_equal(err.where, "/state/loop_/0");
    assert_int_equal(access(path, F_OK), -1);
    mc_model_free(m);
}

/* Output failures are MC_E_IO naming the file; a bad level is a usage
 * error; a failed write leaves nothing behind. */
static void test_write_failures(void **state)
{
    (void)state;
    mc_model *m = every_kind();
    mc_error err;
    assert_int_equal(mc_hdf5_write(m, "/nonexistent-dir/x.h5", NULL, &err), MC_E_IO);
    assert_string_equal(err.file, "/nonexistent-dir/x.h5");
    assert_true(strlen(err.message) > 10);
    mc_save_options o;
    mc_save_options_init(&o);
    o.compress_level = 10;
    char path[512];
    tmp_path(path, sizeof path, "level10.h5");
    assert_int_equal(mc_hdf5_write(m, path, &o, &err), MC_E_USAGE);
    assert_int_equal(access(path, F_OK), -1);
    mc_model_free(m);
}

/* ---- the chunk filters against HDF5 --------------------------------------------------------- */

/* Chunks HDF5 writes through its own shuffle and fletcher32 are byte for
 * byte what modelconv's filters make of the same data. */
static void test_filters_match_hdf5(void **state)
{
    (void)state;
    char path[512];
    tmp_path(path, sizeof path, "filters.h5");
    enum { N = 3001 };
    static double data[N];
    for (int i = 0; i < N; i++)
        data[i] = i * 0.37 - 100;
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims = N, chunk = 1000, off = 1000;
    hid_t space = H5Screate_simple(1, &dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    H5Pset_shuffle(dcpl);
    H5Pset_fletcher32(dcpl);
    hid_t d = H5Dcreate2(f, "x", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    assert_true(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    H5Dflush(d);
    uint8_t raw[8004], mine[8004];
    uint32_t mask = 99;
    assert_true(H5Dread_chunk(d, H5P_DEFAULT, &off, &mask, raw) >= 0);
    assert_int_equal(mask, 0);
    mc_h5_shuffle((const uint8_t *)(data + 1000), mine, 8000, 8);
    mc_store_u32le(mine + 8000, mc_h5_fletcher32(mine, 8000));
    assert_memory_equal(raw, mine, sizeof raw);
    uint8_t back[8000];
    mc_h5_unshuffle(mine, back, 8000, 8);
    assert_memory_equal(back, data + 1000, 8000);
    /* an odd length goes through the checksum's last-byte rule */
    assert_int_equal(mc_h5_fletcher32((const uint8_t *)"abcde", 5), 0x4ff029c7);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(f);
    unlink(path);
}

/* mc_h5_fletcher32 gives HDF5's own checksum (fletcher32 the only filter,
 * so a raw chunk is the data then the sum) for every length 0..2100 and
 * content that stresses the folding: random bytes, all 0xff (every word
 * is 0 mod 65535), all zero, and a single nonzero byte. */
static void test_fletcher32_matches_hdf5(void **state)
{
    (void)state;
    char path[512];
    tmp_path(path, sizeof path, "fletcher.h5");
    enum { MAXLEN = 2100 };
    static uint8_t data[4][MAXLEN];
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < MAXLEN; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        data[0][i] = (uint8_t)x;
        data[1][i] = 0xff;
        data[2][i] = 0;
        data[3][i] = i == MAXLEN - 1 ? 1 : 0;
    }
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    static uint8_t raw[MAXLEN + 4];
    int checked = 0;
    for (int pattern = 0; pattern < 4; pattern++) {
        for (hsize_t len = 1; len <= MAXLEN; len += len < 80 ? 1 : 37) {
            const uint8_t *src = pattern == 3 ? data[3] + MAXLEN - len : data[pattern];
            char name[32];
            snprintf(name, sizeof name, "p%d_%llu", pattern, (unsigned long long)len);
            hsize_t off = 0;
            hid_t space = H5Screate_simple(1, &len, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
            H5Pset_chunk(dcpl, 1, &len);
            H5Pset_fletcher32(dcpl);
            hid_t d = H5Dcreate2(f, name, H5T_NATIVE_UINT8, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
            assert_true(H5Dwrite(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, src) >= 0);
            H5Dflush(d);
            uint32_t mask = 99;
            assert_true(H5Dread_chunk(d, H5P_DEFAULT, &off, &mask, raw) >= 0);
            assert_memory_equal(raw, src, (size_t)len);
            uint32_t want = mc_load_u32le(raw + len), got = mc_h5_fletcher32(src, (size_t)len);
            if (got != want)
                fail_msg("pattern %d, %llu bytes: 0x%08x, HDF5 0x%08x", pattern,
                         (unsigned long long)len, got, want);
            checked++;
            H5Dclose(d);
            H5Pclose(dcpl);
            H5Sclose(space);
        }
    }
    assert_int_equal(mc_h5_fletcher32(data[2], 0), 0);
    assert_true(checked > 400);
    H5Fclose(f);
    unlink(path);
}

/* Chunks from the pool read back through HDF5's own pipeline (deflate,
 * shuffle, fletcher32 checked by the library), including chunks deflate
 * could not shrink; a damaged chunk fails HDF5's checksum. */
static void test_pool_chunks_read_by_hdf5(void **state)
{
    (void)state;
    builder bb = {mc_document_new()}, *b = &bb;
    mc_model *m = mc_model_new_in(b->doc, 1);
    m->family = "opaque";
    m->estimator = "sklearn.fake.Noise";
    enum { N = 400000 };
    uint64_t *noise = malloc(N * sizeof *noise), x = 88172645463325252ull;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        noise[i] = i < N / 2 ? x : (uint64_t)i; /* incompressible, then compressible */
    }
    mc_entry *e = mc_doc_alloc(b->doc, sizeof *e);
    *e = (mc_entry){"noise_", array(b, dtype(b, "<u8"), 1, (int64_t[]){N}, 'C', noise)};
    m->state = e;
    m->nstate = 1;
    char path[512];
    mc_error err;
    tmp_path(path, sizeof path, "noise.h5");
    assert_int_equal(mc_hdf5_write(m, path, NULL, &err), MC_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "/state/noise_", H5P_DEFAULT);
    uint64_t *got = malloc(N * sizeof *got);
    assert_true(H5Dread(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    assert_memory_equal(got, noise, N * sizeof *got);
    hsize_t off0 = 0, off_last = (N / 131072) * 131072;
    uint32_t mask0, mask_last;
    uint8_t *chunk = malloc((1 << 20) + 4);
    assert_true(H5Dread_chunk(d, H5P_DEFAULT, &off0, &mask0, chunk) >= 0);
    assert_true(H5Dread_chunk(d, H5P_DEFAULT, &off_last, &mask_last, chunk) >= 0);
    assert_int_equal(mask0, 2);     /* noise: stored without deflate */
    assert_int_equal(mask_last, 0); /* counting: deflated */
    haddr_t where;
    hsize_t size;
    {
        /* the first chunk's place in the file */
        hid_t space = H5Dget_space(d);
        hsize_t off[1];
        unsigned fm;
        assert_true(H5Dget_chunk_info(d, space, 0, off, &fm, &where, &size) >= 0);
        H5Sclose(space);
    }
    H5Dclose(d);
    H5Fclose(f);
    /* damage one byte of it: HDF5 and modelconv both refuse */
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, (long)where + 100, SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, (long)where + 100, SEEK_SET);
    fputc(c ^ 0x40, fp);
    fclose(fp);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    d = H5Dopen2(f, "/state/noise_", H5P_DEFAULT);
    assert_true(H5Dread(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) < 0);
    H5Dclose(d);
    H5Fclose(f);
    mc_model *back;
    assert_int_equal(mc_hdf5_read(path, MC_LOAD_ALL, &back, &err), MC_E_INPUT);
    assert_non_null(strstr(err.message, "Fletcher-32"));
    assert_string_equal(err.where, "/state/noise_");
    free(chunk);
    free(got);
    free(noise);
    mc_model_free(m);
    unlink(path);
}

/* ---- determinism, progress, bid, versions, threads --------------------------------------------- */

typedef struct progress_log {
    uint64_t last, total;
    int calls, backwards;
} progress_log;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_log *p = ctx;
    if (done < p->last)
        p->backwards = 1;
    p->last = done;
    p->total = total;
    p->calls++;
}

static void test_deterministic_with_progress(void **state)
{
    (void)state;
    mc_model *m = every_kind();
    char a[512], b[512];
    mc_error err;
    mc_save_options o;
    mc_save_options_init(&o);
    progress_log log = {0, 0, 0, 0};
    o.progress = on_progress;
    o.progress_ctx = &log;
    tmp_path(a, sizeof a, "det1.h5");
    tmp_path(b, sizeof b, "det2.h5");
    assert_int_equal(mc_hdf5_write(m, a, &o, &err), MC_OK);
    sleep(1); /* object times, were they kept, would now differ */
    assert_int_equal(mc_hdf5_write(m, b, NULL, &err), MC_OK);
    assert_true(same_file(a, b));
    assert_true(log.calls > 3);
    assert_false(log.backwards);
    assert_true(log.total > 4000000);
    assert_int_equal(log.last, log.total);
    mc_model_free(m);
    unlink(a);
    unlink(b);
}

static void test_bid(void **state)
{
    (void)state;
    uint8_t head[1024];
    static const uint8_t sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    memset(head, 0, sizeof head);
    assert_int_equal(mc_hdf5_bid(head, sizeof head), 0);
    memcpy(head + 512, sig, 8); /* after a 512-byte userblock */
    assert_int_equal(mc_hdf5_bid(head, sizeof head), 100);
    assert_int_equal(mc_hdf5_bid(head, 515), 0);
    memcpy(head, sig, 8);
    assert_int_equal(mc_hdf5_bid(head, 8), 100);
    assert_string_equal(mc_format_of_content(head, 8), "hdf5");
    assert_int_equal(mc_hdf5_bid((const uint8_t *)"\x80\x04\x95", 3), 0);
}

/* Rewrite format_version (and add a member) with HDF5 directly. */
static void set_version(const char *path, const char *version, int add_member)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Adelete(f, "format_version") >= 0);
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
    H5Tset_size(t, H5T_VARIABLE);
    hid_t a = H5Acreate2(f, "format_version", t, s, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(H5Awrite(a, t, &version) >= 0);
    if (add_member) {
        hid_t g = H5Gcreate2(f, "future", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Gclose(g);
        hid_t x = H5Acreate2(f, "@future", t, s, H5P_DEFAULT, H5P_DEFAULT);
        assert_true(H5Awrite(x, t, &version) >= 0);
        H5Aclose(x);
    }
    H5Aclose(a);
    H5Sclose(s);
    H5Tclose(t);
    H5Fclose(f);
}

static void test_versions(void **state)
{
    (void)state;
    char src[512], path[512];
    mc_error err;
    mc_model *m, *back;
    corpus_path(src, sizeof src, "sk1.9.1/std_scaler/model.p4.pkl");
    assert_int_equal(mc_model_load(src, &m, &err), MC_OK);
    tmp_path(path, sizeof path, "version.h5");
    /* a newer minor version may add things this reader ignores */
    assert_int_equal(mc_hdf5_write(m, path, NULL, &err), MC_OK);
    set_version(path, "1.7", 1);
    if (mc_hdf5_read(path, MC_LOAD_ALL, &back, &err))
        fail_msg("1.7: %s: %s", err.where, err.message);
    assert_same_model(m, back, "minor version");
    mc_model_free(back);
    /* the same additions in a 1.0 file are refused */
    assert_int_equal(mc_hdf5_write(m, path, NULL, &err), MC_OK);
    set_version(path, "1.0", 1);
    assert_int_equal(mc_hdf5_read(path, MC_LOAD_ALL, &back, &err), MC_E_INPUT);
    /* a newer major version names both versions */
    assert_int_equal(mc_hdf5_write(m, path, NULL, &err), MC_OK);
    set_version(path, "2.3", 0);
    assert_int_equal(mc_hdf5_read(path, MC_LOAD_ALL, &back, &err), MC_E_INPUT);
    assert_non_null(strstr(err.message, "2.3"));
    assert_non_null(strstr(err.message, "1.0"));
    assert_string_equal(err.where, "/");
    mc_model_free(m);
    unlink(path);
}

typedef struct job {
    const char *src;
    char out[512];
    mc_status st;
} job;

static void *convert_twice(void *arg)
{
    job *j = arg;
    mc_error err;
    mc_model *m = NULL, *back;
    j->st = mc_model_load(j->src, &m, &err);
    for (int i = 0; i < 3 && !j->st; i++) {
        j->st = mc_hdf5_write(m, j->out, NULL, &err);
        if (!j->st)
            j->st = mc_hdf5_read(j->out, MC_LOAD_ALL, &back, &err);
        if (!j->st)
            mc_model_free(back);
    }
    if (m)
        mc_model_free(m);
    return NULL;
}

/* Two threads reading and writing different models at once. */
static void test_two_threads(void **state)
{
    (void)state;
    char a[512], b[512];
    job jobs[2];
    corpus_path(a, sizeof a, "sk1.9.1/rf_clf/model.p4.pkl");
    corpus_path(b, sizeof b, "sk1.9.1/pipe_imp_scale_pca_rf/model.joblib");
    jobs[0].src = a;
    jobs[1].src = b;
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        tmp_path(jobs[i].out, sizeof jobs[i].out, i ? "thread1.h5" : "thread0.h5");
        assert_int_equal(pthread_create(&t[i], NULL, convert_twice, &jobs[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].st, MC_OK);
    }
    /* and the same bytes as a write alone */
    for (int i = 0; i < 2; i++) {
        mc_model *m;
        mc_error err;
        char alone[512];
        assert_int_equal(mc_model_load(jobs[i].src, &m, &err), MC_OK);
        tmp_path(alone, sizeof alone, "alone.h5");
        assert_int_equal(mc_hdf5_write(m, alone, NULL, &err), MC_OK);
        assert_true(same_file(alone, jobs[i].out));
        mc_model_free(m);
    }
}

/* ---- hostile archives ---------------------------------------------------------------------------- */

static void test_hostile_files(void **state)
{
    (void)state;
    char tsv[512];
    snprintf(tsv, sizeof tsv, "%s/tests/hostile/hdf5/expect.tsv", MC_SOURCE_DIR);
    FILE *f = fopen(tsv, "r");
    if (!f)
        fail_msg("missing %s", tsv);
    char line[900];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *file = line, *msg = strchr(file, '\t'), *where = msg ? strchr(msg + 1, '\t') : NULL;
        if (!msg || !where)
            fail_msg("malformed line: %s", line);
        *msg++ = '\0';
        *where++ = '\0';
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/hostile/hdf5/files/%s", MC_SOURCE_DIR, file);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        mc_model *m = NULL;
        mc_error err;
        mc_status st = mc_model_load(path, &m, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (strcmp(msg, "OK") == 0) { /* unusual but valid */
            if (st)
                fail_msg("%s: %s: %s", file, err.where, err.message);
            mc_model_free(m);
            checked++;
            continue;
        }
        if (st != MC_E_INPUT)
            fail_msg("%s: status %d (%s), expected MC_E_INPUT", file, st, st ? err.message : "read");
        if (!strstr(err.message, msg))
            fail_msg("%s: message '%s' lacks '%s'", file, err.message, msg);
        if (strcmp(where, "-") != 0 && strcmp(err.where, where) != 0)
            fail_msg("%s: where '%s', expected '%s'", file, err.where, where);
        if (secs > 5)
            fail_msg("%s: took %.1f s", file, secs);
        if (strchr(err.message, '\n'))
            fail_msg("%s: the message is more than one line", file);
        checked++;
    }
    fclose(f);
    assert_true(checked >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bid),
        cmocka_unit_test(test_filters_match_hdf5),
        cmocka_unit_test(test_fletcher32_matches_hdf5),
        cmocka_unit_test(test_every_value_kind),
        cmocka_unit_test(test_many_values),
        cmocka_unit_test(test_cycle_refused),
        cmocka_unit_test(test_write_failures),
        cmocka_unit_test(test_pool_chunks_read_by_hdf5),
        cmocka_unit_test(test_deterministic_with_progress),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_load_by_content),
        cmocka_unit_test(test_two_threads),
        cmocka_unit_test(test_hostile_files),
        cmocka_unit_test(test_corpus_round_trips),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
