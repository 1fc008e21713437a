/* The HDF5 archive writer (schemas/hdf5-layout.md, format version 1.0).
 *
 * One pass over the model: provenance and the model group's attributes on
 * the root, then classes/, tensors/, params/, state/ and children/; values
 * become attributes (plain Python scalars), datasets (arrays, numpy
 * scalars, bytes, long strings, globals, dtypes) or groups (containers and
 * objects).  A value met a second time is hard-linked to where it was
 * first written.  Datasets of more than 4 KiB go through the chunk pool
 * (h5chunk.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bytes.h"
#include "core/sizes.h"
#include "core/utf8.h"
#include "hdf5/h5chunk.h"
#include "hdf5/h5common.h"
#include "hdf5/h5dtype.h"
#include "hdf5/hdf5.h"

/* ---- values already written: a hash map keyed by node ------------------------ */

typedef struct seen_entry {
    const mc_value *v;
    char *path;       /* where it was written; NULL while being written */
} seen_entry;

typedef struct seen_map {
    seen_entry *e;
    size_t cap, count;
} seen_map;

static size_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (size_t)x;
}

/* The entry of v, added (path NULL) when absent; NULL when out of memory. */
static seen_entry *seen_get(seen_map *m, const mc_value *v, int *added)
{
    if (2 * (m->count + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        seen_entry *e = calloc(cap, sizeof *e);
        if (!e)
            return NULL;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->e[i].v)
                continue;
            size_t j = ptr_hash(m->e[i].v) & (cap - 1);
            while (e[j].v)
                j = (j + 1) & (cap - 1);
            e[j] = m->e[i];
        }
        free(m->e);
        m->e = e;
        m->cap = cap;
    }
    size_t j = ptr_hash(v) & (m->cap - 1);
    while (m->e[j].v && m->e[j].v != v)
        j = (j + 1) & (m->cap - 1);
    *added = !m->e[j].v;
    if (*added) {
        m->e[j].v = v;
        m->count++;
    }
    return &m->e[j];
}

static void seen_free(seen_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].path);
    free(m->e);
    memset(m, 0, sizeof *m);
}

/* ---- the writer ------------------------------------------------------------------ */

typedef struct h5w {
    mc_h5_plists pl;
    hid_t file;
    int level;                 /* deflate level, 0 for none                  */
    const mc_save_options *o;
    mc_error *err;
    mc_h5_path path;           /* where the writer is                        */
    mc_h5_pool *pool;
    seen_map seen;
    uint64_t total, done;      /* data bytes, for o->progress                */
} h5w;

static mc_status w_fail(h5w *w, mc_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static mc_status w_fail(h5w *w, mc_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_error_vset(w->err, st, -1, fmt, ap);
    va_end(ap);
    mc_error_set_where(w->err, w->path.buf);
    return st;
}

/* An HDF5 call failed: MC_E_IO with HDF5's own words. */
static mc_status w_h5fail(h5w *w, const char *what)
{
    char h5[300];
    mc_h5_last_error(h5, sizeof h5);
    return w_fail(w, MC_E_IO, "cannot write %s: %s", what, h5[0] ? h5 : "HDF5 error");
}

static mc_status w_nomem(h5w *w)
{
    return w_fail(w, MC_E_NOMEM, "out of memory");
}

static void progress_at(h5w *w, uint64_t done)
{
    if (w->o->progress)
        w->o->progress(w->o->progress_ctx, done, w->total);
}

static void dataset_progress(void *ctx, uint64_t bytes)
{
    h5w *w = ctx;
    progress_at(w, w->done + bytes);
}

/* ---- attributes ------------------------------------------------------------------ */

static mc_status attr_str(h5w *w, hid_t obj, const char *name, const char *s)
{
    return mc_h5_attr_str(obj, name, s, w->pl.acpl) ? w_h5fail(w, name) : MC_OK;
}

static mc_status attr_i64(h5w *w, hid_t obj, const char *name, int64_t v)
{
    return mc_h5_attr_i64(obj, name, v, w->pl.acpl) ? w_h5fail(w, name) : MC_OK;
}

/* "module.name" of a global; names with a dot cannot be split back. */
static mc_status global_path(h5w *w, const mc_value *g, const char *what, char *buf, size_t size)
{
    if (!g || g->kind != MC_GLOBAL)
        return w_fail(w, MC_E_INPUT, "%s is a %s, not a class or function", what,
                      g ? mc_kind_name(g->kind) : "nothing");
    if (strchr(g->u.global.name, '.'))
        return w_fail(w, MC_E_INPUT, "%s %s.%s has a dotted name, which the archive cannot hold",
                      what, g->u.global.module, g->u.global.name);
    if ((size_t)snprintf(buf, size, "%s.%s", g->u.global.module, g->u.global.name) >= size)
        return w_fail(w, MC_E_INPUT, "%s: name too long", what);
    return MC_OK;
}

/* @dtype (numpy's dtype.str) and @dtype_state (layout "numpy dtypes"). */
static mc_status attr_dtype(h5w *w, hid_t obj, const mc_dtype *dt)
{
    char s[64], why[200];
    mc_dtype_str(dt, s, sizeof s);
    mc_status st = attr_str(w, obj, "@dtype", s);
    if (st)
        return st;
    mc_h5_text t = {0};
    if (mc_h5_dtype_json(dt, &t, why, sizeof why)) {
        mc_h5_text_free(&t);
        return strcmp(why, "out of memory") == 0 ? w_nomem(w)
                                                 : w_fail(w, MC_E_INPUT, "dtype %s: %s", s, why);
    }
    st = attr_str(w, obj, "@dtype_state", t.buf);
    mc_h5_text_free(&t);
    return st;
}

/* @order and, when the pickle named the array type, @subclass. */
static mc_status attr_array(h5w *w, hid_t obj, const mc_ndarray *a)
{
    char order[2] = {a->order == 'F' ? 'F' : 'C', '\0'};
    mc_status st = attr_str(w, obj, "@order", order);
    if (st || !a->subclass)
        return st;
    char cls[600];
    st = global_path(w, a->subclass, "the array type", cls, sizeof cls);
    return st ? st : attr_str(w, obj, "@subclass", cls);
}

/* ---- datasets -------------------------------------------------------------------- */

/* Data of a dataset: fixed-size elements from src, or UTF-8 strings. */
typedef struct dsdata {
    const mc_h5_source *src;
    const char *const *strs;   /* variable-length strings (src NULL)   */
    uint64_t counted;          /* bytes it counts for o->progress      */
} dsdata;

static hid_t create_dataset(h5w *w, hid_t loc, const char *name, hid_t type, uint32_t ndim,
                            const hsize_t *dims, hid_t dcpl)
{
    hid_t space = ndim ? H5Screate_simple((int)ndim, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t d = space < 0 ? -1 : H5Dcreate2(loc, name, type, space, w->pl.lcpl, dcpl, H5P_DEFAULT);
    if (space >= 0)
        mc_h5_close(H5Sclose, space);
    return d;
}

/* Small data in C order and file byte order: src's own bytes when they
 * already are, else a copy in *tmp. */
static const void *plain_bytes(const mc_h5_source *src, uint32_t ndim, const hsize_t *dims,
                               uint64_t count, void **tmp)
{
    *tmp = NULL;
    if ((src->order != 'F' || ndim < 2) && !src->swap)
        return src->data;
    *tmp = malloc(count * src->itemsize);
    if (*tmp)
        mc_h5_fill(src, ndim, dims, 0, count, *tmp);
    return *tmp;
}

/* Create dataset `name` in loc and write its data, laid out as the
 * layout's "Storage" says: compact up to 4 KiB; larger ones chunked with
 * shuffle, deflate and fletcher32, or contiguous without compression (and
 * scalars, which HDF5 cannot chunk).  *out gets the open dataset. */
static mc_status write_dataset(h5w *w, hid_t loc, const char *name, hid_t type, uint32_t ndim,
                               const hsize_t *dims, const dsdata *data, hid_t *out)
{
    uint64_t count = 1, bytes;
    for (uint32_t i = 0; i < ndim; i++)
        count *= dims[i]; /* the data is in memory: this fits */
    /* variable-length strings take a 16-byte heap reference each */
    size_t itemsize = data->src ? data->src->itemsize : 16;
    bytes = count * itemsize;
    hid_t dcpl = mc_h5_dcpl();
    if (dcpl < 0)
        return w_h5fail(w, name);
    int chunked = 0;
    herr_t rc;
    if (bytes <= MC_H5_COMPACT_MAX) {
        rc = H5Pset_layout(dcpl, H5D_COMPACT);
    } else if (ndim == 0 || w->level == 0) {
        rc = H5Pset_layout(dcpl, H5D_CONTIGUOUS);
    } else {
        chunked = 1;
        mc_h5_grid g;
        mc_h5_grid_init(&g, ndim, dims, itemsize);
        rc = H5Pset_chunk(dcpl, (int)ndim, g.chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
                     H5Pset_deflate(dcpl, (unsigned)w->level) < 0 || H5Pset_fletcher32(dcpl) < 0
                 ? -1
                 : 0;
    }
    /* every byte is written below: no fill values (HDF5 insists on them
     * for variable-length types) */
    if (rc < 0 || (data->src && H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) < 0)) {
        mc_h5_close(H5Pclose, dcpl);
        return w_h5fail(w, name);
    }
    hid_t d = create_dataset(w, loc, name, type, ndim, dims, dcpl);
    mc_h5_close(H5Pclose, dcpl);
    if (d < 0)
        return w_h5fail(w, name);
    mc_status st = MC_OK;
    char why[300];
    if (count == 0) {
        /* nothing to write */
    } else if (!data->src) {
        hid_t mt = mc_h5_type_vlen_str();
        if (mt < 0 || H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, data->strs) < 0)
            st = w_h5fail(w, name);
        if (mt >= 0)
            mc_h5_close(H5Tclose, mt);
    } else if (bytes <= MC_H5_COMPACT_MAX || ndim == 0) {
        void *tmp;
        const void *buf = plain_bytes(data->src, ndim, dims, count, &tmp);
        if (!buf)
            st = w_nomem(w);
        else if (H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
            st = w_h5fail(w, name);
        free(tmp);
    } else {
        mc_h5_grid g;
        mc_h5_grid_init(&g, ndim, dims, itemsize);
        int r = chunked ? mc_h5_pool_write(w->pool, d, &g, data->src, dataset_progress, w, why,
                                           sizeof why)
                        : mc_h5_write_plain(d, type, &g, data->src, dataset_progress, w, why,
                                            sizeof why);
        if (r)
            st = w_fail(w, strstr(why, "memory") ? MC_E_NOMEM : MC_E_IO, "%s", why);
    }
    if (st) {
        mc_h5_close(H5Dclose, d);
        return st;
    }
    w->done += data->counted;
    progress_at(w, w->done);
    *out = d;
    return MC_OK;
}

/* A scalar fixed-length string dataset of exactly len >= 1 bytes (NULLPAD):
 * long text, digits, module.name, a dtype's descr. */
static mc_status write_text(h5w *w, hid_t loc, const char *name, const char *s, size_t len,
                            int utf8, hid_t *out)
{
    hid_t t = mc_h5_type_fixed_str(len, utf8);
    if (t < 0)
        return w_h5fail(w, name);
    mc_h5_source src = {(const uint8_t *)s, len, 'C', 0};
    dsdata data = {&src, NULL, 0};
    mc_status st = write_dataset(w, loc, name, t, 0, NULL, &data, out);
    mc_h5_close(H5Tclose, t);
    return st;
}

/* ---- unicode arrays ------------------------------------------------------------ */

static uint32_t ucs4_at(const uint8_t *e, size_t k, int be)
{
    return be ? mc_load_u32be(e + 4 * k) : mc_load_u32le(e + 4 * k);
}

/* numpy 'U' elements (C order) as UTF-8, when every element is text UTF-8
 * can hold (no NUL before the end, no surrogates or code points beyond
 * U+10FFFF; numpy drops trailing NULs itself): *strs, a malloc'd array of
 * `count` pointers into *blockp (malloc'd).  Returns 1 when converted, 0
 * when not representable, -1 out of memory. */
static int unicode_to_utf8(const mc_dtype *dt, const uint8_t *data, uint64_t count,
                           char ***strs, char **blockp)
{
    size_t units = dt->itemsize / 4;
    int be = dt->byteorder == '>';
    uint64_t bytes;
    if (mc_mul_u64(count, units * 4 + 1, &bytes) || bytes > SIZE_MAX)
        return -1;
    char **ptrs = malloc((count ? count : 1) * sizeof *ptrs);
    char *block = malloc(bytes ? bytes : 1), *o = block;
    if (!ptrs || !block) {
        free(ptrs);
        free(block);
        return -1;
    }
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *e = data + i * dt->itemsize;
        size_t n = units;
        while (n && ucs4_at(e, n - 1, be) == 0)
            n--;
        ptrs[i] = o;
        for (size_t k = 0; k < n; k++) {
            uint32_t cp = ucs4_at(e, k, be);
            if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) {
                free(ptrs);
                free(block);
                return 0;
            }
            o += mc_utf8_put(cp, o);
        }
        *o++ = '\0';
    }
    *strs = ptrs;
    *blockp = block;
    return 1;
}

/* Unicode elements as UTF-8 strings in C order (see unicode_to_utf8). */
static int unicode_strings(const mc_dtype *dt, const uint8_t *data, char order, uint32_t ndim,
                           const hsize_t *dims, uint64_t count, char ***strs, char **block)
{
    if (order != 'F' || ndim < 2)
        return unicode_to_utf8(dt, data, count, strs, block);
    mc_h5_source src = {data, dt->itemsize, 'F', 0};
    uint8_t *c_order = malloc(count * dt->itemsize);
    if (!c_order)
        return -1;
    mc_h5_fill(&src, ndim, dims, 0, count, c_order);
    int r = unicode_to_utf8(dt, c_order, count, strs, block);
    free(c_order);
    return r;
}

/* A dataset of numpy elements (an array's or a scalar's): the dtype's HDF5
 * type, unicode as UTF-8 strings when it can be. */
static mc_status write_elements(h5w *w, hid_t loc, const char *name, const mc_dtype *dt,
                                const uint8_t *data, char order, uint32_t ndim,
                                const int64_t *shape, int counted, hid_t *out)
{
    hsize_t dims[MC_H5_MAX_RANK];
    uint64_t count = 1;
    if (ndim > MC_H5_MAX_RANK)
        return w_fail(w, MC_E_INPUT, "an array of %u dimensions (HDF5 holds at most %d)", ndim,
                      MC_H5_MAX_RANK);
    for (uint32_t i = 0; i < ndim; i++) {
        dims[i] = (hsize_t)shape[i];
        count *= dims[i];
    }
    char s[64];
    mc_dtype_str(dt, s, sizeof s);
    if (dt->itemsize == 0)
        return w_fail(w, MC_E_INPUT, "dtype %s has no bytes per element; the archive cannot hold "
                                     "it",
                      s);
    char **strs = NULL, *block = NULL;
    if (dt->kind == 'U' &&
        unicode_strings(dt, data, order, ndim, dims, count, &strs, &block) < 0)
        return w_nomem(w);
    mc_status st;
    if (strs) {
        hid_t t = mc_h5_type_vlen_str();
        dsdata d = {NULL, (const char *const *)strs, counted ? count * dt->itemsize : 0};
        st = t < 0 ? w_h5fail(w, name) : write_dataset(w, loc, name, t, ndim, dims, &d, out);
        if (t >= 0)
            mc_h5_close(H5Tclose, t);
        free(strs);
        free(block);
        return st;
    }
    hid_t t = mc_h5_dtype_type(dt);
    if (t < 0)
        return w_fail(w, MC_E_INPUT, "dtype %s has no HDF5 type", s);
    mc_h5_source src = {data, dt->itemsize, order, 0};
    dsdata d = {&src, NULL, counted ? count * dt->itemsize : 0};
    st = write_dataset(w, loc, name, t, ndim, dims, &d, out);
    mc_h5_close(H5Tclose, t);
    return st;
}

/* ---- values ------------------------------------------------------------------------ */

static mc_status write_member(h5w *w, hid_t loc, const char *name, const mc_value *v,
                              uint32_t depth);

static mc_status write_kind(h5w *w, hid_t obj, const char *kind)
{
    return attr_str(w, obj, "@kind", kind);
}

static hid_t create_group(h5w *w, hid_t loc, const char *name)
{
    return H5Gcreate2(loc, name, w->pl.lcpl, w->pl.gcpl, H5P_DEFAULT);
}

/* Items named 0, 1, ... */
static mc_status write_items(h5w *w, hid_t g, const mc_value *const *items, size_t n,
                             uint32_t depth)
{
    for (size_t i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        mc_status st = write_member(w, g, name, items[i], depth + 1);
        if (st)
            return st;
    }
    return MC_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when the n names (NUL-terminated) hold a repeat; -1 out of memory. */
static int has_repeats(const char *const *names, size_t n)
{
    const char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    memcpy(sorted, names, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_str);
    int rep = 0;
    for (size_t i = 1; i < n && !rep; i++)
        rep = strcmp(sorted[i - 1], sorted[i]) == 0;
    free(sorted);
    return rep;
}

/* Named values: @keys (the names in order), then each value under its
 * escaped name. */
static mc_status write_named(h5w *w, hid_t g, const char *const *names, const mc_value *const *vals,
                             size_t n, uint32_t depth)
{
    int rep = has_repeats(names, n);
    if (rep < 0)
        return w_nomem(w);
    if (rep)
        return w_fail(w, MC_E_INPUT, "a name appears twice");
    if (mc_h5_attr_str_list(g, "@keys", names, n, w->pl.acpl))
        return w_h5fail(w, "@keys");
    for (size_t i = 0; i < n; i++) {
        char *esc = mc_h5_escape(names[i], strlen(names[i]));
        if (!esc)
            return w_nomem(w);
        mc_status st = write_member(w, g, esc, vals[i], depth + 1);
        free(esc);
        if (st)
            return st;
    }
    return MC_OK;
}

/* A dict whose keys are distinct str values without NUL bytes is written
 * by name; any other as (key, value) pairs. */
static int dict_by_name(const mc_value *v)
{
    for (size_t i = 0; i < v->u.dict.len; i++) {
        const mc_value *k = v->u.dict.keys[i];
        if (k->kind != MC_STR || strlen(k->u.str.data) != k->u.str.len)
            return 0;
    }
    const char **names = malloc((v->u.dict.len ? v->u.dict.len : 1) * sizeof *names);
    if (!names)
        return -1;
    for (size_t i = 0; i < v->u.dict.len; i++)
        names[i] = v->u.dict.keys[i]->u.str.data;
    int rep = has_repeats(names, v->u.dict.len);
    free(names);
    return rep < 0 ? -1 : !rep;
}

static mc_status write_dict(h5w *w, hid_t g, const mc_value *v, uint32_t depth)
{
    int by_name = dict_by_name(v);
    if (by_name < 0)
        return w_nomem(w);
    mc_status st = write_kind(w, g, by_name ? "dict" : "dict_items");
    if (!st && v->u.dict.cls) {
        char cls[600];
        st = global_path(w, v->u.dict.cls, "the dict class", cls, sizeof cls);
        if (!st)
            st = attr_str(w, g, "@class", cls);
    }
    if (st)
        return st;
    size_t n = v->u.dict.len;
    if (by_name) {
        const char **names = malloc((n ? n : 1) * sizeof *names);
        if (!names)
            return w_nomem(w);
        for (size_t i = 0; i < n; i++)
            names[i] = v->u.dict.keys[i]->u.str.data;
        st = write_named(w, g, names, (const mc_value *const *)v->u.dict.vals, n, depth);
        free(names);
        return st;
    }
    for (size_t i = 0; i < n && !st; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        size_t mark = mc_h5_path_push(&w->path, name);
        if (mark == (size_t)-1)
            return w_nomem(w);
        hid_t pair = create_group(w, g, name);
        if (pair < 0)
            st = w_h5fail(w, name);
        if (!st)
            st = write_member(w, pair, "key", v->u.dict.keys[i], depth + 1);
        if (!st)
            st = write_member(w, pair, "value", v->u.dict.vals[i], depth + 1);
        if (pair >= 0)
            mc_h5_close(H5Gclose, pair);
        mc_h5_path_pop(&w->path, mark);
    }
    return st;
}

static const char *ctor_name(mc_ctor c)
{
    switch (c) {
    case MC_CTOR_NEWOBJ: return "newobj";
    case MC_CTOR_NEWOBJ_EX: return "newobj_ex";
    case MC_CTOR_REDUCE: return "reduce";
    case MC_CTOR_RECONSTRUCTOR: return "reconstructor";
    case MC_CTOR_PYX_UNPICKLE: return "pyx_unpickle";
    case MC_CTOR_INST: return "inst";
    }
    return "?";
}

static mc_status write_object(h5w *w, hid_t g, const mc_value *v, uint32_t depth)
{
    char cls[600];
    mc_status st = global_path(w, v->u.object.cls, "the object's class", cls, sizeof cls);
    if (!st)
        st = write_kind(w, g, "object");
    if (!st)
        st = attr_str(w, g, "@class", cls);
    if (!st)
        st = attr_str(w, g, "@ctor", ctor_name(v->u.object.ctor));
    if (!st && v->u.object.via) {
        st = global_path(w, v->u.object.via, "the object's constructor", cls, sizeof cls);
        if (!st)
            st = attr_str(w, g, "@via", cls);
    }
    const char *names[] = {"args", "kwargs", "state", "list_items", "dict_items"};
    const mc_value *parts[] = {v->u.object.args, v->u.object.kwargs, v->u.object.state,
                               v->u.object.listitems, v->u.object.dictitems};
    for (size_t i = 0; i < 5 && !st; i++)
        if (parts[i])
            st = write_member(w, g, names[i], parts[i], depth + 1);
    return st;
}

/* The C-order position k of an array stored in `order` is element
 * memory_index(k) of its storage. */
static uint64_t memory_index(const mc_ndarray *a, uint64_t k)
{
    if (a->order != 'F' || a->ndim < 2)
        return k;
    uint64_t off = 0, stride = 1, idx[64];
    for (uint32_t d = a->ndim; d-- > 0;) {
        idx[d] = k % (uint64_t)a->shape[d];
        k /= (uint64_t)a->shape[d];
    }
    for (uint32_t d = 0; d < a->ndim; d++) {
        off += idx[d] * stride;
        stride *= (uint64_t)a->shape[d];
    }
    return off;
}

static mc_status write_object_array(h5w *w, hid_t g, const mc_ndarray *a, uint32_t depth)
{
    if (a->ndim > 64)
        return w_fail(w, MC_E_INPUT, "an array of %u dimensions", a->ndim);
    mc_status st = write_kind(w, g, "object_array");
    if (!st)
        st = attr_dtype(w, g, a->dtype);
    if (!st && mc_h5_attr_i64_list(g, "@shape", a->shape, a->ndim, w->pl.acpl))
        st = w_h5fail(w, "@shape");
    if (!st)
        st = attr_array(w, g, a);
    for (uint64_t k = 0; k < a->count && !st; k++) {
        char name[24];
        snprintf(name, sizeof name, "%llu", (unsigned long long)k);
        st = write_member(w, g, name, a->objects[memory_index(a, k)], depth + 1);
    }
    return st;
}

/* Values stored as groups. */
static mc_status write_group_value(h5w *w, hid_t loc, const char *name, const mc_value *v,
                                   uint32_t depth)
{
    hid_t g = create_group(w, loc, name);
    if (g < 0)
        return w_h5fail(w, name);
    mc_status st;
    switch (v->kind) {
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET:
        st = write_kind(w, g, mc_kind_name(v->kind));
        if (!st)
            st = write_items(w, g, (const mc_value *const *)v->u.seq.items, v->u.seq.len, depth);
        break;
    case MC_DICT: st = write_dict(w, g, v, depth); break;
    case MC_OBJECT: st = write_object(w, g, v, depth); break;
    case MC_NDARRAY: st = write_object_array(w, g, &v->u.array, depth); break;
    default: /* MC_SCALAR of an object dtype */
        st = write_kind(w, g, "numpy_scalar");
        if (!st)
            st = attr_dtype(w, g, v->u.scalar.dtype);
        if (!st)
            st = write_member(w, g, "object", v->u.scalar.object, depth + 1);
        break;
    }
    mc_h5_close(H5Gclose, g);
    return st;
}

/* Values stored as datasets. */
static mc_status write_dataset_value(h5w *w, hid_t loc, const char *name, const mc_value *v)
{
    hid_t d = -1;
    mc_status st = MC_OK;
    const char *kind = mc_kind_name(v->kind);
    switch (v->kind) {
    case MC_STR:
        st = write_text(w, loc, name, v->u.str.data, v->u.str.len, 1, &d);
        break;
    case MC_BIGINT: {
        if (v->u.bytes.len > MC_H5_BIGINT_MAX)
            return w_fail(w, MC_E_INPUT, "an int of %zu bytes (the archive keeps up to %d)",
                          v->u.bytes.len, MC_H5_BIGINT_MAX);
        char *digits = mc_h5_bigint_to_decimal(v->u.bytes.data, v->u.bytes.len);
        if (!digits)
            return w_nomem(w);
        st = write_text(w, loc, name, digits, strlen(digits), 0, &d);
        free(digits);
        kind = "bigint";
        break;
    }
    case MC_BYTES:
    case MC_BYTEARRAY: {
        hsize_t n = v->u.bytes.len;
        mc_h5_source src = {v->u.bytes.data, 1, 'C', 0};
        dsdata data = {&src, NULL, n};
        st = write_dataset(w, loc, name, H5T_STD_U8LE, 1, &n, &data, &d);
        break;
    }
    case MC_NDARRAY:
        st = write_elements(w, loc, name, v->u.array.dtype, v->u.array.data, v->u.array.order,
                            v->u.array.ndim, v->u.array.shape, 1, &d);
        kind = "ndarray";
        break;
    case MC_SCALAR:
        st = write_elements(w, loc, name, v->u.scalar.dtype, v->u.scalar.data, 'C', 0, NULL, 0,
                            &d);
        kind = "numpy_scalar";
        break;
    case MC_DTYPE: {
        mc_h5_text t = {0};
        mc_h5_dtype_descr(v->u.dtype, &t);
        st = t.failed ? w_nomem(w) : write_text(w, loc, name, t.buf, t.len, 1, &d);
        mc_h5_text_free(&t);
        break;
    }
    default: { /* MC_GLOBAL */
        char path[600];
        st = global_path(w, v, "the global", path, sizeof path);
        if (!st)
            st = write_text(w, loc, name, path, strlen(path), 1, &d);
        break;
    }
    }
    if (st)
        return st;
    st = write_kind(w, d, kind);
    if (!st && v->kind == MC_BYTES && v->u.bytes.py2_str)
        st = attr_i64(w, d, "@py2_str", 1);
    if (!st && (v->kind == MC_NDARRAY || v->kind == MC_SCALAR))
        st = attr_dtype(w, d, v->kind == MC_NDARRAY ? v->u.array.dtype : v->u.scalar.dtype);
    if (!st && v->kind == MC_NDARRAY)
        st = attr_array(w, d, &v->u.array);
    if (!st && v->kind == MC_DTYPE)
        st = attr_dtype(w, d, v->u.dtype);
    mc_h5_close(H5Dclose, d);
    return st;
}

static int is_group_value(const mc_value *v)
{
    switch (v->kind) {
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET:
    case MC_DICT:
    case MC_OBJECT: return 1;
    case MC_NDARRAY: return v->u.array.objects != NULL;
    case MC_SCALAR: return v->u.scalar.object != NULL;
    default: return 0;
    }
}

/* A value stored as an object: written once, hard-linked after that. */
static mc_status write_shared(h5w *w, hid_t loc, const char *name, const mc_value *v,
                              uint32_t depth)
{
    int added;
    seen_entry *e = seen_get(&w->seen, v, &added);
    if (!e)
        return w_nomem(w);
    if (!added && !e->path)
        return w_fail(w, MC_E_INPUT, "the value contains itself (a cycle); the archive holds "
                                     "acyclic values only");
    if (!added)
        return H5Lcreate_hard(w->file, e->path, loc, name, w->pl.lcpl, H5P_DEFAULT) < 0
                   ? w_h5fail(w, name)
                   : MC_OK;
    mc_status st = is_group_value(v) ? write_group_value(w, loc, name, v, depth)
                                     : write_dataset_value(w, loc, name, v);
    if (st)
        return st;
    /* the map may have grown meanwhile: look the entry up again */
    e = seen_get(&w->seen, v, &added);
    e->path = strdup(w->path.buf);
    return e->path ? MC_OK : w_nomem(w);
}

static mc_status write_member(h5w *w, hid_t loc, const char *name, const mc_value *v,
                              uint32_t depth)
{
    if (depth > MC_H5_MAX_DEPTH)
        return w_fail(w, MC_E_INPUT, "values nested deeper than %d levels", MC_H5_MAX_DEPTH);
    size_t mark = mc_h5_path_push(&w->path, name);
    if (mark == (size_t)-1)
        return w_nomem(w);
    int ok = 0;
    mc_status st = MC_OK;
    switch (v->kind) {
    case MC_NONE: ok = mc_h5_attr_null(loc, name, w->pl.acpl) == 0; break;
    case MC_BOOL: ok = mc_h5_attr_bool(loc, name, v->u.boolean, w->pl.acpl) == 0; break;
    case MC_INT: ok = mc_h5_attr_i64(loc, name, v->u.i, w->pl.acpl) == 0; break;
    case MC_FLOAT: ok = mc_h5_attr_f64(loc, name, v->u.f, w->pl.acpl) == 0; break;
    case MC_COMPLEX:
        ok = mc_h5_attr_complex(loc, name, v->u.complex.re, v->u.complex.im, w->pl.acpl) == 0;
        break;
    case MC_STR:
        /* short text without NUL bytes is an attribute */
        if (v->u.str.len <= MC_H5_STR_ATTR_MAX && strlen(v->u.str.data) == v->u.str.len) {
            ok = mc_h5_attr_str(loc, name, v->u.str.data, w->pl.acpl) == 0;
            break;
        }
        /* fall through */
    default:
        ok = 1;
        st = write_shared(w, loc, name, v, depth);
        break;
    }
    if (!ok)
        st = w_h5fail(w, name);
    mc_h5_path_pop(&w->path, mark);
    return st;
}

/* ---- the model ------------------------------------------------------------------------ */

static hid_t elem_type(mc_elem e)
{
    switch (e) {
    case MC_ELEM_F64: return H5T_IEEE_F64LE;
    case MC_ELEM_F32: return H5T_IEEE_F32LE;
    case MC_ELEM_I64: return H5T_STD_I64LE;
    case MC_ELEM_I32: return H5T_STD_I32LE;
    case MC_ELEM_U32: return H5T_STD_U32LE;
    case MC_ELEM_U8: return H5T_STD_U8LE;
    case MC_ELEM_STR: break;
    }
    return -1;
}

/* A tensor (or a class set) as a dataset named `name`. */
static mc_status write_tensor(h5w *w, hid_t loc, const char *name, const mc_tensor *t)
{
    size_t mark = mc_h5_path_push(&w->path, name);
    if (mark == (size_t)-1)
        return w_nomem(w);
    hsize_t dims[MC_TENSOR_MAX_DIMS];
    mc_status st = MC_OK;
    if (t->ndim > MC_TENSOR_MAX_DIMS)
        st = w_fail(w, MC_E_INPUT, "a tensor of %u dimensions", t->ndim);
    uint64_t count = 1;
    for (uint32_t i = 0; i < t->ndim && !st; i++) {
        if (t->shape[i] < 0)
            st = w_fail(w, MC_E_INPUT, "dimension %u is %lld", i, (long long)t->shape[i]);
        dims[i] = (hsize_t)t->shape[i];
        count *= dims[i];
    }
    if (!st && count != t->count)
        st = w_fail(w, MC_E_INPUT, "holds %llu elements, its shape %llu",
                    (unsigned long long)t->count, (unsigned long long)count);
    hid_t d = -1;
    if (!st && t->elem == MC_ELEM_STR) {
        hid_t type = mc_h5_type_vlen_str();
        dsdata data = {NULL, t->data.str, 0};
        st = type < 0 ? w_h5fail(w, name) : write_dataset(w, loc, name, type, t->ndim, dims, &data, &d);
        if (type >= 0)
            mc_h5_close(H5Tclose, type);
    } else if (!st) {
        /* tensors are native order; the archive's types little-endian */
        mc_h5_source src = {t->data.ptr, mc_elem_size(t->elem), 'C',
                            !mc_host_is_le() && t->elem != MC_ELEM_U8};
        dsdata data = {&src, NULL, count * src.itemsize};
        st = write_dataset(w, loc, name, elem_type(t->elem), t->ndim, dims, &data, &d);
    }
    if (d >= 0)
        mc_h5_close(H5Dclose, d);
    mc_h5_path_pop(&w->path, mark);
    return st;
}

/* Open a new group `name` under loc for the duration of a section. */
static mc_status open_section(h5w *w, hid_t loc, const char *name, hid_t *g, size_t *mark)
{
    *mark = mc_h5_path_push(&w->path, name);
    if (*mark == (size_t)-1)
        return w_nomem(w);
    *g = create_group(w, loc, name);
    if (*g < 0) {
        mc_status st = w_h5fail(w, name);
        mc_h5_path_pop(&w->path, *mark);
        return st;
    }
    return MC_OK;
}

static void close_section(h5w *w, hid_t g, size_t mark)
{
    mc_h5_close(H5Gclose, g);
    mc_h5_path_pop(&w->path, mark);
}

static mc_status write_entries(h5w *w, hid_t loc, const char *section, const mc_entry *e,
                               uint32_t n)
{
    if (n == 0)
        return MC_OK;
    hid_t g = -1;
    size_t mark = 0;
    mc_status st = open_section(w, loc, section, &g, &mark);
    if (st)
        return st;
    const char **names = malloc(n * sizeof *names);
    const mc_value **vals = malloc(n * sizeof *vals);
    if (!names || !vals) {
        st = w_nomem(w);
    } else {
        for (uint32_t i = 0; i < n; i++) {
            names[i] = e[i].name;
            vals[i] = e[i].value;
        }
        st = write_named(w, g, names, vals, n, 0);
    }
    free(names);
    free(vals);
    close_section(w, g, mark);
    return st;
}

static mc_status write_model(h5w *w, hid_t g, const mc_model *m);

static mc_status write_model_attrs(h5w *w, hid_t g, const mc_model *m)
{
    if (!m->family || !m->estimator)
        return w_fail(w, MC_E_USAGE, "the model has no family or estimator");
    mc_status st = attr_str(w, g, "@family", m->family);
    if (!st)
        st = attr_str(w, g, "@estimator", m->estimator);
    if (!st)
        st = attr_str(w, g, "@task", mc_task_name(m->task));
    if (!st)
        st = attr_i64(w, g, "@n_features", m->n_features);
    if (!st)
        st = attr_i64(w, g, "@n_outputs", m->n_outputs);
    return st;
}

static mc_status write_children(h5w *w, hid_t loc, const mc_model *m)
{
    hid_t g = -1;
    size_t mark = 0;
    mc_status st = open_section(w, loc, "children", &g, &mark);
    if (st)
        return st;
    for (uint32_t i = 0; i < m->nchildren && !st; i++) {
        char name[16];
        snprintf(name, sizeof name, "%u", i);
        hid_t c = -1;
        size_t cmark = 0;
        st = open_section(w, g, name, &c, &cmark);
        if (st)
            break;
        st = attr_str(w, c, "@name", m->child_names[i]);
        if (!st)
            st = write_model(w, c, m->children[i]);
        close_section(w, c, cmark);
    }
    close_section(w, g, mark);
    return st;
}

static mc_status write_classes(h5w *w, hid_t loc, const mc_model *m)
{
    hid_t g = -1;
    size_t mark = 0;
    mc_status st = open_section(w, loc, "classes", &g, &mark);
    if (st)
        return st;
    for (uint32_t i = 0; i < m->n_class_sets && !st; i++) {
        char name[16];
        snprintf(name, sizeof name, "%u", i);
        const mc_tensor *c = &m->classes[i];
        if (c->elem != MC_ELEM_I64 && c->elem != MC_ELEM_F64 && c->elem != MC_ELEM_STR)
            st = w_fail(w, MC_E_INPUT, "class labels of type %s", mc_elem_name(c->elem));
        else
            st = write_tensor(w, g, name, c);
    }
    close_section(w, g, mark);
    return st;
}

static mc_status write_tensors(h5w *w, hid_t loc, const mc_model *m)
{
    hid_t g = -1;
    size_t mark = 0;
    mc_status st = open_section(w, loc, "tensors", &g, &mark);
    if (st)
        return st;
    for (uint32_t i = 0; i < m->ntensors && !st; i++)
        st = write_tensor(w, g, m->tensors[i].name, &m->tensors[i]);
    close_section(w, g, mark);
    return st;
}

static mc_status write_model(h5w *w, hid_t g, const mc_model *m)
{
    mc_status st = write_model_attrs(w, g, m);
    if (!st && m->n_class_sets)
        st = write_classes(w, g, m);
    if (!st && m->ntensors)
        st = write_tensors(w, g, m);
    if (!st)
        st = write_entries(w, g, "params", m->params, m->nparams);
    if (!st)
        st = write_entries(w, g, "state", m->state, m->nstate);
    if (!st && m->nchildren)
        st = write_children(w, g, m);
    return st;
}

static mc_status write_provenance(h5w *w, hid_t root, const mc_provenance *p)
{
    static const char *const names[] = {"modelconv_format", "format_version",
                                        "modelconv_version", "source_format",
                                        "source_compressor"};
    char version[16];
    snprintf(version, sizeof version, "%d.%d", MC_H5_MAJOR, MC_H5_MINOR);
    const char *vals[] = {MC_H5_FORMAT_NAME, version, MC_VERSION, p->format, p->compressor};
    mc_status st = MC_OK;
    for (size_t i = 0; i < 5 && !st; i++)
        st = attr_str(w, root, names[i], vals[i]);
    if (!st)
        st = attr_i64(w, root, "source_protocol", p->format[0] ? p->protocol : -1);
    if (!st)
        st = attr_str(w, root, "sklearn_version", p->sklearn_version);
    if (!st)
        st = attr_str(w, root, "numpy_version_hint", p->numpy_hint);
    if (!st)
        st = attr_str(w, root, "joblib_version_hint", p->joblib_hint);
    if (!st && mc_h5_attr_bool(root, "python2", p->python2, w->pl.acpl))
        st = w_h5fail(w, "python2");
    return st;
}

/* ---- progress: the data bytes to write ------------------------------------------------ */

static uint64_t value_bytes(seen_map *visited, const mc_value *v, int *nomem)
{
    /* an explicit stack: values may nest as deep as a pickle allows */
    size_t cap = 64, n = 0;
    const mc_value **stack = malloc(cap * sizeof *stack);
    uint64_t total = 0;
    if (!stack) {
        *nomem = 1;
        return 0;
    }
    stack[n++] = v;
    while (n) {
        const mc_value *x = stack[--n];
        int added;
        if (!x)
            continue;
        seen_entry *e = seen_get(visited, x, &added);
        if (!e) {
            *nomem = 1;
            break;
        }
        if (!added)
            continue;
        if (x->kind == MC_NDARRAY && !x->u.array.objects)
            total += x->u.array.nbytes;
        else if (x->kind == MC_BYTES || x->kind == MC_BYTEARRAY)
            total += x->u.bytes.len;
        size_t kids = mc_value_child_count(x);
        if (n + kids > cap) {
            while (n + kids > cap)
                cap *= 2;
            const mc_value **s = realloc(stack, cap * sizeof *s);
            if (!s) {
                *nomem = 1;
                break;
            }
            stack = s;
        }
        for (size_t i = kids; i-- > 0;)
            stack[n++] = mc_value_child(x, i);
    }
    free(stack);
    return total;
}

static uint64_t model_bytes(seen_map *visited, const mc_model *m, int *nomem)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < m->ntensors; i++)
        if (m->tensors[i].elem != MC_ELEM_STR)
            total += m->tensors[i].count * mc_elem_size(m->tensors[i].elem);
    for (uint32_t i = 0; i < m->n_class_sets; i++)
        if (m->classes[i].elem != MC_ELEM_STR)
            total += m->classes[i].count * mc_elem_size(m->classes[i].elem);
    for (uint32_t i = 0; i < m->nparams; i++)
        total += value_bytes(visited, m->params[i].value, nomem);
    for (uint32_t i = 0; i < m->nstate; i++)
        total += value_bytes(visited, m->state[i].value, nomem);
    for (uint32_t i = 0; i < m->nchildren; i++)
        total += model_bytes(visited, m->children[i], nomem);
    return total;
}

/* ---- the entry point -------------------------------------------------------------------- */

static mc_status write_file(h5w *w, const mc_model *m, const char *path)
{
    if (mc_h5_plists_open(&w->pl))
        return w_h5fail(w, "property lists");
    w->file = H5Fcreate(path, H5F_ACC_TRUNC, w->pl.fcpl, w->pl.fapl);
    if (w->file < 0)
        return w_h5fail(w, "the file");
    hid_t root = H5Gopen2(w->file, "/", H5P_DEFAULT);
    mc_status st = root < 0 ? w_h5fail(w, "the root group") : MC_OK;
    if (!st)
        st = write_provenance(w, root, &m->provenance);
    if (!st)
        st = write_model(w, root, m);
    if (root >= 0)
        mc_h5_close(H5Gclose, root);
    if (H5Fclose(w->file) < 0 && !st)
        st = w_h5fail(w, "the file (closing)");
    w->file = -1;
    return st;
}

mc_status mc_hdf5_write(const mc_model *m, const char *path, const mc_save_options *o,
                        mc_error *err)
{
    mc_save_options defaults;
    if (!o) {
        mc_save_options_init(&defaults);
        o = &defaults;
    }
    mc_error_clear(err);
    h5w w;
    memset(&w, 0, sizeof w);
    w.pl.fcpl = w.pl.fapl = w.pl.gcpl = w.pl.lcpl = w.pl.acpl = -1;
    w.file = -1;
    w.o = o;
    w.err = err;
    w.level = o->compress_level;
    if (w.level < 0 || w.level > 9)
        return mc_error_set(err, MC_E_USAGE, -1, "compression level %d (0 for none, 1-9)",
                            w.level);
    if (mc_h5_path_init(&w.path))
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    mc_status st = MC_OK;
    int nomem = 0;
    w.total = model_bytes(&w.seen, m, &nomem);
    seen_free(&w.seen);
    if (nomem)
        st = w_nomem(&w);
    if (!st && w.level) {
        w.pool = mc_h5_pool_new(w.level);
        if (!w.pool)
            st = w_nomem(&w);
    }
    mc_h5_session s;
    mc_h5_begin(&s);
    if (!st)
        st = write_file(&w, m, path);
    mc_h5_plists_close(&w.pl);
    mc_h5_end(&s);
    mc_h5_pool_free(w.pool);
    seen_free(&w.seen);
    mc_h5_path_free(&w.path);
    if (st) {
        unlink(path); /* no half-written archive */
        if (err && !err->file[0])
            mc_error_set_file(err, path);
    } else if (o->progress) {
        o->progress(o->progress_ctx, w.total, w.total);
    }
    return st;
}
