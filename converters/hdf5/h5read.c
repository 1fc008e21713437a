/* The HDF5 archive reader (schemas/hdf5-layout.md, format version 1.0).
 *
 * Reads an archive back into the neutral model, trusting nothing: every
 * attribute and dataset must have the layout's type and shape, tensors
 * their family table's, every global the pickle reader's closed table;
 * links must be hard links inside the file, datasets stored in the file
 * itself (no external or virtual storage), values acyclic.  Sizes are
 * checked against what the file can hold before anything is allocated: all
 * data together may be at most 64 MiB plus 1100 times the file's size
 * (deflate expands at most ~1032 times).  Where HDF5 itself does not
 * survive damage, the reader checks first: the global heap behind
 * variable-length strings (h5heap.h), link and attribute listing (see
 * list_links).  Every failure is MC_E_INPUT with the HDF5 path in
 * err->where. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/bytes.h"
#include "core/mapfile.h"
#include "core/sizes.h"
#include "hdf5/h5chunk.h"
#include "hdf5/h5common.h"
#include "hdf5/h5dtype.h"
#include "hdf5/h5heap.h"
#include "hdf5/hdf5.h"
#include "model/family.h"
#include "model/model_box.h"
#include "pickle/globals.h"

enum { BUDGET_BASE = 64u << 20, BUDGET_RATIO = 1100, BIG_ALLOC = 1 << 20 };

/* ---- objects already read, by address ----------------------------------------- */

typedef struct addr_entry {
    haddr_t addr;            /* HADDR_UNDEF: empty slot               */
    mc_value *value;         /* NULL while being read                 */
} addr_entry;

typedef struct addr_map {
    addr_entry *e;
    size_t cap, count;
} addr_map;

static addr_entry *addr_get(addr_map *m, haddr_t a, int *added)
{
    if (2 * (m->count + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        addr_entry *e = malloc(cap * sizeof *e);
        if (!e)
            return NULL;
        for (size_t i = 0; i < cap; i++)
            e[i].addr = HADDR_UNDEF;
        for (size_t i = 0; i < m->cap; i++) {
            if (m->e[i].addr == HADDR_UNDEF)
                continue;
            size_t j = (size_t)(m->e[i].addr * 0x9e3779b97f4a7c15ull >> 17) & (cap - 1);
            while (e[j].addr != HADDR_UNDEF)
                j = (j + 1) & (cap - 1);
            e[j] = m->e[i];
        }
        free(m->e);
        m->e = e;
        m->cap = cap;
    }
    size_t j = (size_t)(a * 0x9e3779b97f4a7c15ull >> 17) & (m->cap - 1);
    while (m->e[j].addr != HADDR_UNDEF && m->e[j].addr != a)
        j = (j + 1) & (m->cap - 1);
    *added = m->e[j].addr == HADDR_UNDEF;
    if (*added) {
        m->e[j].addr = a;
        m->e[j].value = NULL;
        m->count++;
    }
    return &m->e[j];
}

/* ---- the reader ------------------------------------------------------------------- */

typedef struct h5r {
    hid_t file;
    mc_document *doc;
    mc_error *err;
    mc_h5_path path;
    uint64_t budget, used;     /* data bytes allowed and taken            */
    int lenient;               /* a newer minor version: ignore unknowns  */
    int for_predict;           /* skip tensors no predictor reads         */
    addr_map values;           /* value objects by address                */
    addr_map models;           /* model groups by address                 */
    mc_mapfile map;            /* the file's bytes, for the heap checks   */
    mc_h5_heap *heap;          /* strings' global heap, checked (h5heap.h) */
    mc_provenance prov;
} h5r;

static mc_status r_fail(h5r *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static mc_status r_fail(h5r *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_error_vset(r->err, MC_E_INPUT, -1, fmt, ap);
    va_end(ap);
    mc_error_set_where(r->err, r->path.buf);
    return MC_E_INPUT;
}

/* An HDF5 call failed on something the file holds. */
static mc_status r_h5fail(h5r *r, const char *what)
{
    char h5[300];
    mc_h5_last_error(h5, sizeof h5);
    return r_fail(r, "cannot read %s: %s", what, h5[0] ? h5 : "HDF5 error");
}

static mc_status r_nomem(h5r *r)
{
    mc_status st = mc_doc_alloc_error(r->doc, r->err, -1);
    if (r->err)
        mc_error_set_where(r->err, r->path.buf);
    return st;
}

/* Take n bytes of the data budget. */
static mc_status charge(h5r *r, uint64_t n, const char *what)
{
    if (r->used > r->budget || n > r->budget - r->used)
        return r_fail(r, "%s needs %llu bytes; more than a file of this size can hold (limit "
                         "%llu bytes for all its data)",
                      what, (unsigned long long)n, (unsigned long long)r->budget);
    r->used += n;
    return MC_OK;
}

/* Memory for data: the arena for small blocks, an anonymous mapping owned
 * by the document for big ones (pages are only touched when written). */
static void *data_alloc(h5r *r, size_t n)
{
    if (n < BIG_ALLOC)
        return mc_doc_alloc(r->doc, n ? n : 1);
    mc_buffer b;
    if (mc_buffer_reserve(&b, n, NULL))
        return NULL;
    b.len = n;
    void *p = b.data;
    return mc_doc_adopt_buffer(r->doc, &b, NULL) ? NULL : p;
}

static mc_value *new_value(h5r *r, mc_kind kind)
{
    return mc_doc_value(r->doc, kind, -1);
}

/* ---- names of a group: links and attributes ------------------------------------ */

typedef struct namelist {
    char **v;
    size_t n, cap;
} namelist;

static void names_free(namelist *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
    memset(ns, 0, sizeof *ns);
}

static int names_add(namelist *ns, const char *s)
{
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? 2 * ns->cap : 16;
        char **v = realloc(ns->v, cap * sizeof *v);
        if (!v)
            return -1;
        ns->v = v;
        ns->cap = cap;
    }
    ns->v[ns->n] = strdup(s);
    return ns->v[ns->n++] ? 0 : -1;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Links and attributes are listed in HDF5's native order (the name index
 * as it lies) and sorted here.  For any other order HDF5 1.10 builds a
 * table sized by the count the file claims and fills it from the index:
 * when filling fails half way (a damaged heap block) it frees the entries
 * it never filled (H5G__link_release_table: a crash found by
 * tests/fuzz/fuzz_hdf5.c).  Links and attributes stored in the object
 * header ("compact") are always tabled, and a message that fails to decode
 * half way does the same (H5A__attr_release_table, found too); so first
 * HDF5 looks up a name no member has, which decodes every message without
 * a table: a damaged one fails there. */
#define PROBE_NAME "modelconv: no member has this name"
typedef struct linklist {
    namelist names;
    int64_t *corder;          /* creation order of names.v[i]          */
    size_t cap;
    int all_corder;           /* every link has one                    */
} linklist;

static herr_t add_link(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    linklist *l = data;
    (void)g;
    if (l->names.n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        int64_t *c = realloc(l->corder, cap * sizeof *c);
        if (!c)
            return -1;
        l->corder = c;
        l->cap = cap;
    }
    l->corder[l->names.n] = info->corder_valid ? info->corder : 0;
    l->all_corder &= info->corder_valid != 0;
    return names_add(&l->names, name) ? -1 : 0;
}

static herr_t add_attr(hid_t o, const char *name, const H5A_info_t *info, void *data)
{
    (void)o;
    (void)info;
    return names_add(data, name) ? -1 : 0;
}

typedef struct ordered_name {
    int64_t corder;
    char *name;
} ordered_name;

static int cmp_ordered(const void *a, const void *b)
{
    const ordered_name *x = a, *y = b;
    if (x->corder != y->corder)
        return x->corder < y->corder ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The links of g in creation order (name order when the file did not
 * track it). */
static mc_status list_links(h5r *r, hid_t g, namelist *out)
{
    linklist l;
    memset(&l, 0, sizeof l);
    l.all_corder = 1;
    hsize_t idx = 0;
    memset(out, 0, sizeof *out);
    htri_t e = H5Lexists(g, PROBE_NAME, H5P_DEFAULT);
    if (e < 0)
        return r_h5fail(r, "the group's links");
    if (e > 0)
        return r_fail(r, "unexpected member '%s'", PROBE_NAME);
    if (H5Literate(g, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, add_link, &l) < 0) {
        names_free(&l.names);
        free(l.corder);
        return r_h5fail(r, "the group's links");
    }
    size_t n = l.names.n;
    if (n && l.all_corder) {
        ordered_name *o = malloc(n * sizeof *o);
        if (!o) {
            names_free(&l.names);
            free(l.corder);
            return r_nomem(r);
        }
        for (size_t i = 0; i < n; i++)
            o[i] = (ordered_name){l.corder[i], l.names.v[i]};
        qsort(o, n, sizeof *o, cmp_ordered);
        for (size_t i = 0; i < n; i++)
            l.names.v[i] = o[i].name;
        free(o);
    } else if (n) {
        qsort(l.names.v, n, sizeof *l.names.v, cmp_name);
    }
    free(l.corder);
    *out = l.names;
    return MC_OK;
}

/* The attributes of o in name order. */
static mc_status list_attrs(h5r *r, hid_t o, namelist *out)
{
    memset(out, 0, sizeof *out);
    hsize_t idx = 0;
    htri_t e = H5Aexists(o, PROBE_NAME);
    if (e < 0)
        return r_h5fail(r, "the attributes");
    if (e > 0)
        return r_fail(r, "unexpected attribute '%s'", PROBE_NAME);
    if (H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, add_attr, out) < 0) {
        names_free(out);
        return r_h5fail(r, "the attributes");
    }
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_name);
    return MC_OK;
}

/* Attributes of o must be among `allowed` (NULL-terminated) and, when
 * `values` is set, names of values (not beginning with '@'); *nvalues
 * counts those. */
static mc_status check_attrs(h5r *r, hid_t o, const char *const *allowed, int values,
                             size_t *nvalues)
{
    namelist ns;
    mc_status st = list_attrs(r, o, &ns);
    if (st)
        return st;
    size_t count = 0;
    for (size_t i = 0; i < ns.n && !st; i++) {
        const char *a = ns.v[i];
        if (values && a[0] != '@') {
            count++;
            continue;
        }
        const char *const *p = allowed;
        while (*p && strcmp(*p, a) != 0)
            p++;
        if (!*p && !r->lenient)
            st = r_fail(r, "unexpected attribute '%.80s'", a);
    }
    names_free(&ns);
    if (nvalues)
        *nvalues = count;
    return st;
}

/* ---- attributes ------------------------------------------------------------------ */

/* Open attribute name of o when present: 1 (and *a), 0 absent, or an
 * error. */
static int open_attr(h5r *r, hid_t o, const char *name, hid_t *a, mc_status *st)
{
    htri_t e = H5Aexists(o, name);
    *st = MC_OK;
    if (e < 0) {
        *st = r_h5fail(r, name);
        return -1;
    }
    if (e == 0)
        return 0;
    *a = H5Aopen(o, name, H5P_DEFAULT);
    if (*a < 0) {
        *st = r_h5fail(r, name);
        return -1;
    }
    return 1;
}

/* The type (caller closes), type class, space class, rank and element
 * count of an attribute. */
static int attr_shape(hid_t a, H5T_class_t *tc, H5S_class_t *sc, int *rank, hssize_t *n,
                      hid_t *type)
{
    *type = H5Aget_type(a);
    hid_t s = H5Aget_space(a);
    if (*type < 0 || s < 0) {
        mc_h5_close(H5Sclose, s);
        mc_h5_close(H5Tclose, *type);
        return -1;
    }
    *tc = H5Tget_class(*type);
    *sc = H5Sget_simple_extent_type(s);
    *rank = H5Sget_simple_extent_ndims(s);
    *n = H5Sget_simple_extent_npoints(s);
    mc_h5_close(H5Sclose, s);
    return 0;
}

static int is_vlen_str(hid_t t)
{
    return H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0;
}

/* Before HDF5 reads the n variable-length strings of an attribute (or a
 * dataset): the global heap objects they name must be sound (h5heap.h). */
static mc_status check_heap(h5r *r, hid_t obj, uint64_t n, int dataset, const char *what)
{
    char why[300];
    int rc = dataset ? mc_h5_heap_check_dataset(r->heap, obj, n, why, sizeof why)
                     : mc_h5_heap_check_attr(r->heap, obj, n, why, sizeof why);
    if (rc == 0)
        return MC_OK;
    return strcmp(why, "out of memory") == 0 ? r_nomem(r) : r_fail(r, "%s: %s", what, why);
}

/* Read a scalar variable-length string attribute into the document. */
static mc_status read_str_attr(h5r *r, hid_t a, const char *name, const char **out, size_t *len)
{
    H5T_class_t tc;
    H5S_class_t sc;
    int rank;
    hssize_t n;
    hid_t type;
    if (attr_shape(a, &tc, &sc, &rank, &n, &type))
        return r_h5fail(r, name);
    int ok = sc == H5S_SCALAR && is_vlen_str(type);
    mc_h5_close(H5Tclose, type);
    if (!ok)
        return r_fail(r, "attribute '%s' must be a variable-length string", name);
    mc_status st0 = check_heap(r, a, 1, 0, name);
    if (st0)
        return st0;
    hid_t mt = mc_h5_type_vlen_str();
    char *s = NULL;
    if (mt < 0 || H5Aread(a, mt, &s) < 0) {
        if (mt >= 0)
            mc_h5_close(H5Tclose, mt);
        return r_h5fail(r, name);
    }
    mc_h5_close(H5Tclose, mt);
    size_t n2 = s ? strlen(s) : 0;
    mc_status st = charge(r, n2 + 1, name);
    char *copy = st ? NULL : mc_doc_strndup(r->doc, s ? s : "", n2);
    H5free_memory(s);
    if (st)
        return st;
    if (!copy)
        return r_nomem(r);
    *out = copy;
    if (len)
        *len = n2;
    return MC_OK;
}

/* A required (or, with required 0, optional: *out NULL) string attribute. */
static mc_status get_str(h5r *r, hid_t o, const char *name, int required, const char **out)
{
    hid_t a;
    mc_status st;
    *out = NULL;
    int e = open_attr(r, o, name, &a, &st);
    if (e < 0)
        return st;
    if (e == 0)
        return required ? r_fail(r, "the attribute '%s' is missing", name) : MC_OK;
    st = read_str_attr(r, a, name, out, NULL);
    mc_h5_close(H5Aclose, a);
    return st;
}

static mc_status get_i64(h5r *r, hid_t o, const char *name, int required, int64_t *out, int *found)
{
    hid_t a;
    mc_status st;
    if (found)
        *found = 0;
    int e = open_attr(r, o, name, &a, &st);
    if (e < 0)
        return st;
    if (e == 0)
        return required ? r_fail(r, "the attribute '%s' is missing", name) : MC_OK;
    H5T_class_t tc;
    H5S_class_t sc;
    int rank;
    hssize_t n;
    hid_t type;
    if (attr_shape(a, &tc, &sc, &rank, &n, &type)) {
        mc_h5_close(H5Aclose, a);
        return r_h5fail(r, name);
    }
    int ok = sc == H5S_SCALAR && tc == H5T_INTEGER && H5Tget_size(type) == 8 &&
             H5Tget_sign(type) == H5T_SGN_2;
    mc_h5_close(H5Tclose, type);
    if (!ok || H5Aread(a, H5T_NATIVE_INT64, out) < 0) {
        mc_h5_close(H5Aclose, a);
        return ok ? r_h5fail(r, name) : r_fail(r, "attribute '%s' must be a 64-bit integer", name);
    }
    mc_h5_close(H5Aclose, a);
    if (found)
        *found = 1;
    return MC_OK;
}

/* A 1-d attribute of variable-length strings (@keys). */
static mc_status get_str_list(h5r *r, hid_t o, const char *name, const char ***out, size_t *n)
{
    hid_t a;
    mc_status st;
    int e = open_attr(r, o, name, &a, &st);
    if (e < 0)
        return st;
    if (e == 0)
        return r_fail(r, "the attribute '%s' is missing", name);
    H5T_class_t tc;
    H5S_class_t sc;
    int rank;
    hssize_t count;
    hid_t type;
    if (attr_shape(a, &tc, &sc, &rank, &count, &type)) {
        mc_h5_close(H5Aclose, a);
        return r_h5fail(r, name);
    }
    int ok = sc == H5S_SIMPLE && rank == 1 && count >= 0 && is_vlen_str(type);
    mc_h5_close(H5Tclose, type);
    if (!ok) {
        mc_h5_close(H5Aclose, a);
        return r_fail(r, "attribute '%s' must be a list of variable-length strings", name);
    }
    if ((st = charge(r, (uint64_t)count * sizeof(char *), name)) ||
        (st = check_heap(r, a, (uint64_t)count, 0, name))) {
        mc_h5_close(H5Aclose, a);
        return st;
    }
    char **raw = calloc((size_t)count ? (size_t)count : 1, sizeof *raw);
    const char **v = mc_doc_alloc(r->doc, ((size_t)count ? (size_t)count : 1) * sizeof *v);
    hid_t mt = mc_h5_type_vlen_str();
    if (!raw || !v || mt < 0) {
        free(raw);
        if (mt >= 0)
            mc_h5_close(H5Tclose, mt);
        mc_h5_close(H5Aclose, a);
        return r_nomem(r);
    }
    st = count && H5Aread(a, mt, raw) < 0 ? r_h5fail(r, name) : MC_OK;
    for (hssize_t i = 0; i < count && !st; i++) {
        size_t len = raw[i] ? strlen(raw[i]) : 0;
        st = charge(r, len + 1, name);
        if (!st && !(v[i] = mc_doc_strndup(r->doc, raw[i] ? raw[i] : "", len)))
            st = r_nomem(r);
    }
    hid_t space = H5Aget_space(a);
    if (count && space >= 0)
        H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
    mc_h5_close(H5Sclose, space);
    free(raw);
    mc_h5_close(H5Tclose, mt);
    mc_h5_close(H5Aclose, a);
    if (st)
        return st;
    *out = v;
    *n = (size_t)count;
    return MC_OK;
}

/* A value stored as an attribute (layout "Values"): None, bool, int,
 * float, complex, str. */
static mc_status attr_value(h5r *r, hid_t o, const char *name, mc_value **out)
{
    hid_t a = H5Aopen(o, name, H5P_DEFAULT);
    if (a < 0)
        return r_h5fail(r, name);
    H5T_class_t tc;
    H5S_class_t sc;
    int rank;
    hssize_t n;
    hid_t type;
    if (attr_shape(a, &tc, &sc, &rank, &n, &type)) {
        mc_h5_close(H5Aclose, a);
        return r_h5fail(r, name);
    }
    mc_status st = MC_OK;
    mc_value *v = NULL;
    size_t size = H5Tget_size(type);
    if (sc == H5S_NULL) {
        v = new_value(r, MC_NONE);
    } else if (sc != H5S_SCALAR) {
        st = r_fail(r, "a value attribute must be scalar (or null for None)");
    } else if (tc == H5T_ENUM) {
        int8_t b = -1;
        hid_t bt = mc_h5_type_bool();
        int ok = bt >= 0 && H5Tequal(type, bt) > 0 && H5Aread(a, bt, &b) >= 0 && (b == 0 || b == 1);
        if (bt >= 0)
            mc_h5_close(H5Tclose, bt);
        if (!ok)
            st = r_fail(r, "an enum value attribute must be the boolean FALSE/TRUE");
        else if ((v = new_value(r, MC_BOOL)))
            v->u.boolean = b;
    } else if (tc == H5T_INTEGER && size == 8 && H5Tget_sign(type) == H5T_SGN_2) {
        if ((v = new_value(r, MC_INT)) && H5Aread(a, H5T_NATIVE_INT64, &v->u.i) < 0)
            st = r_h5fail(r, name);
    } else if (tc == H5T_FLOAT && size == 8) {
        if ((v = new_value(r, MC_FLOAT)) && H5Aread(a, H5T_NATIVE_DOUBLE, &v->u.f) < 0)
            st = r_h5fail(r, name);
    } else if (tc == H5T_COMPOUND) {
        hid_t ct = mc_h5_type_complex(H5T_IEEE_F64LE);
        double c[2];
        int ok = ct >= 0 && H5Tequal(type, ct) > 0 && H5Aread(a, ct, c) >= 0;
        if (ct >= 0)
            mc_h5_close(H5Tclose, ct);
        if (!ok) {
            st = r_fail(r, "a compound value attribute must be a complex {r, i} of float64");
        } else if ((v = new_value(r, MC_COMPLEX))) {
            v->u.complex.re = c[0];
            v->u.complex.im = c[1];
        }
    } else if (tc == H5T_STRING && is_vlen_str(type)) {
        if ((v = new_value(r, MC_STR)))
            st = read_str_attr(r, a, name, &v->u.str.data, &v->u.str.len);
    } else {
        static const char *const classes[] = {"integer", "float", "time", "string",
                                              "bitfield", "opaque", "compound", "reference",
                                              "enum", "variable-length", "array"};
        st = r_fail(r, "a value attribute of a type the layout does not use (%s of %zu bytes)",
                    tc >= 0 && tc < 11 ? classes[tc] : "unknown class", size);
    }
    mc_h5_close(H5Tclose, type);
    mc_h5_close(H5Aclose, a);
    if (!st && !v)
        st = r_nomem(r);
    *out = v;
    return st;
}

/* ---- datasets: storage checks and raw reads -------------------------------------- */

/* The dataset's shape: simple (ndim >= 1) or scalar (ndim 0). */
static mc_status dataset_shape(h5r *r, hid_t d, uint32_t max_rank, uint32_t *ndim,
                               hsize_t *dims, uint64_t *count)
{
    hid_t s = H5Dget_space(d);
    if (s < 0)
        return r_h5fail(r, "the dataspace");
    H5S_class_t sc = H5Sget_simple_extent_type(s);
    int rank = H5Sget_simple_extent_ndims(s);
    mc_status st = MC_OK;
    if (sc != H5S_SIMPLE && sc != H5S_SCALAR)
        st = r_fail(r, "a dataset with a null dataspace");
    else if (rank < 0 || (uint32_t)rank > max_rank)
        st = r_fail(r, "a dataset of %d dimensions (at most %u here)", rank, max_rank);
    else if (H5Sget_simple_extent_dims(s, dims, NULL) < 0)
        st = r_h5fail(r, "the dataspace");
    mc_h5_close(H5Sclose, s);
    if (st)
        return st;
    *ndim = (uint32_t)rank;
    uint64_t n = 1;
    for (int i = 0; i < rank; i++)
        if (mc_mul_u64(n, dims[i], &n))
            return r_fail(r, "dimensions whose product overflows");
    *count = n;
    return MC_OK;
}

/* Storage must be in the file (no external files, no virtual datasets). */
static mc_status check_storage(h5r *r, hid_t dcpl, H5D_layout_t *layout)
{
    *layout = H5Pget_layout(dcpl);
    if (*layout != H5D_COMPACT && *layout != H5D_CONTIGUOUS && *layout != H5D_CHUNKED)
        return r_fail(r, "a dataset whose layout is not compact, contiguous or chunked "
                         "(virtual datasets are refused)");
    if (H5Pget_external_count(dcpl) != 0)
        return r_fail(r, "a dataset stored in external files (refused)");
    return MC_OK;
}

/* Read count elements of itemsize bytes (the dataset's own type, no
 * conversion) into new memory. */
static mc_status read_raw(h5r *r, hid_t d, hid_t type, uint32_t ndim, const hsize_t *dims,
                          uint64_t count, size_t itemsize, uint8_t **out)
{
    uint64_t bytes;
    if (mc_mul_u64(count, itemsize, &bytes) || bytes > SIZE_MAX)
        return r_fail(r, "a dataset of %llu elements of %zu bytes", (unsigned long long)count,
                      itemsize);
    char what[80];
    snprintf(what, sizeof what, "a dataset of %llu elements", (unsigned long long)count);
    mc_status st = charge(r, bytes, what);
    if (st)
        return st;
    hid_t dcpl = H5Dget_create_plist(d);
    if (dcpl < 0)
        return r_h5fail(r, "the dataset's properties");
    H5D_layout_t layout;
    st = check_storage(r, dcpl, &layout);
    /* contiguous data must be all there (HDF5 would hand back fill values
     * for a dataset never written) */
    if (!st && layout == H5D_CONTIGUOUS && bytes && H5Dget_storage_size(d) != bytes)
        st = r_fail(r, "the dataset stores %llu bytes, its shape needs %llu",
                    (unsigned long long)H5Dget_storage_size(d), (unsigned long long)bytes);
    uint8_t *buf = st ? NULL : data_alloc(r, (size_t)bytes);
    if (!st && !buf)
        st = r_nomem(r);
    char why[300];
    if (!st && layout == H5D_CHUNKED) {
        if (mc_h5_read_chunked(d, dcpl, itemsize, ndim, dims, buf, why, sizeof why))
            st = r_fail(r, "%s", why);
    } else if (!st && bytes && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        st = r_h5fail(r, "the dataset");
    }
    mc_h5_close(H5Pclose, dcpl);
    if (!st)
        *out = buf;
    return st;
}

/* Variable-length UTF-8 strings of a dataset, copied into the document. */
static mc_status read_strings(h5r *r, hid_t d, hid_t ftype, uint32_t ndim, const hsize_t *dims,
                              uint64_t count, const char ***out)
{
    mc_status st = charge(r, count * 16, "strings");
    if (st)
        return st;
    hid_t dcpl = H5Dget_create_plist(d);
    if (dcpl < 0)
        return r_h5fail(r, "the dataset's properties");
    H5D_layout_t layout;
    st = check_storage(r, dcpl, &layout);
    char why[300];
    /* chunks are checked by modelconv's decoder first, so HDF5's own
     * deflate below never meets a chunk that expands beyond its size */
    if (!st && layout == H5D_CHUNKED &&
        mc_h5_read_chunked(d, dcpl, H5Tget_size(ftype), ndim, dims, NULL, why, sizeof why))
        st = r_fail(r, "%s", why);
    mc_h5_close(H5Pclose, dcpl);
    if (!st)
        st = check_heap(r, d, count, 1, "the strings");
    if (st)
        return st;
    const char **v = mc_doc_alloc(r->doc, (count ? count : 1) * sizeof *v);
    char **raw = calloc(count ? count : 1, sizeof *raw);
    hid_t mt = mc_h5_type_vlen_str();
    if (!v || !raw || mt < 0) {
        free(raw);
        if (mt >= 0)
            mc_h5_close(H5Tclose, mt);
        return r_nomem(r);
    }
    if (count && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0)
        st = r_h5fail(r, "the strings");
    for (uint64_t i = 0; i < count && !st; i++) {
        size_t len = raw[i] ? strlen(raw[i]) : 0;
        st = charge(r, len + 1, "strings");
        if (!st && !(v[i] = mc_doc_strndup(r->doc, raw[i] ? raw[i] : "", len)))
            st = r_nomem(r);
    }
    hid_t s = H5Dget_space(d);
    if (count && s >= 0)
        H5Dvlen_reclaim(mt, s, H5P_DEFAULT, raw);
    if (s >= 0)
        mc_h5_close(H5Sclose, s);
    free(raw);
    mc_h5_close(H5Tclose, mt);
    if (!st)
        *out = v;
    return st;
}

/* A scalar fixed-length string dataset's bytes (NUL-terminated copy). */
static mc_status read_text(h5r *r, hid_t d, const char **out, size_t *len)
{
    uint32_t ndim;
    hsize_t dims[MC_H5_MAX_RANK];
    uint64_t count;
    mc_status st = dataset_shape(r, d, 0, &ndim, dims, &count);
    if (st)
        return st;
    hid_t t = H5Dget_type(d);
    if (t < 0)
        return r_h5fail(r, "the dataset's type");
    if (H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) != 0) {
        mc_h5_close(H5Tclose, t);
        return r_fail(r, "the dataset must hold a fixed-length string");
    }
    size_t n = H5Tget_size(t);
    uint8_t *raw;
    st = read_raw(r, d, t, 0, dims, 1, n, &raw);
    mc_h5_close(H5Tclose, t);
    if (st)
        return st;
    char *s = mc_doc_strndup(r->doc, (const char *)raw, n);
    if (!s)
        return r_nomem(r);
    *out = s;
    *len = n;
    return MC_OK;
}

/* ---- globals ------------------------------------------------------------------------- */

/* A global from "module.name" (split at the last dot), checked against the
 * pickle reader's closed table: anything it would refuse is refused here,
 * and `use` (MC_USE_*, 0 for a plain reference) must be allowed. */
static mc_status make_global(h5r *r, const char *path, unsigned use, const char *what,
                             mc_value **out)
{
    const char *dot = strrchr(path, '.');
    if (!dot || dot == path || !dot[1])
        return r_fail(r, "%s '%.200s' is not module.name", what, path);
    char *module = mc_doc_strndup(r->doc, path, (size_t)(dot - path));
    char *name = mc_doc_strndup(r->doc, dot + 1, strlen(dot + 1));
    mc_value *g = new_value(r, MC_GLOBAL);
    if (!module || !name || !g)
        return r_nomem(r);
    mc_global_info info;
    mc_global_classify(module, name, &info);
    if (!info.accepted)
        return r_fail(r, "%s names %s.%s, which modelconv refuses: %s", what, module, name,
                      info.verdict == MC_VERDICT_UNSAFE ? info.reason
                                                        : "not in the table of globals known to "
                                                          "build data only");
    if (use && !(info.uses & use))
        return r_fail(r, "global %s.%s cannot be used this way (%s)", module, name, what);
    g->u.global.module = module;
    g->u.global.name = name;
    g->u.global.verdict = (int)info.verdict;
    *out = g;
    return MC_OK;
}

static mc_status attr_global(h5r *r, hid_t o, const char *attr, int required, unsigned use,
                             mc_value **out)
{
    const char *path;
    *out = NULL;
    mc_status st = get_str(r, o, attr, required, &path);
    if (st || !path)
        return st;
    return make_global(r, path, use, attr, out);
}

/* ---- values ----------------------------------------------------------------------------- */

static mc_status member(h5r *r, hid_t g, const char *name, uint32_t depth, mc_value **out);

/* The number of value members of g (attributes not starting with '@'
 * plus links), after checking its '@' attributes against `meta`. */
static mc_status count_members(h5r *r, hid_t g, const char *const *meta, size_t *n)
{
    size_t nattr;
    mc_status st = check_attrs(r, g, meta, 1, &nattr);
    if (st)
        return st;
    H5G_info_t gi;
    if (H5Gget_info(g, &gi) < 0)
        return r_h5fail(r, "the group");
    *n = nattr + gi.nlinks;
    return MC_OK;
}

static mc_status read_items(h5r *r, hid_t g, size_t n, uint32_t depth, mc_value **items)
{
    for (size_t i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        mc_status st = member(r, g, name, depth + 1, &items[i]);
        if (st)
            return st;
    }
    return MC_OK;
}

static mc_status read_seq(h5r *r, hid_t g, mc_kind kind, uint32_t depth, mc_value *v)
{
    static const char *const meta[] = {"@kind", NULL};
    size_t n;
    mc_status st = count_members(r, g, meta, &n);
    if (st)
        return st;
    v->kind = kind;
    v->u.seq.items = mc_doc_alloc(r->doc, (n ? n : 1) * sizeof *v->u.seq.items);
    if (!v->u.seq.items)
        return r_nomem(r);
    v->u.seq.len = v->u.seq.cap = n;
    return read_items(r, g, n, depth, v->u.seq.items);
}

/* Named members listed by @keys (dicts, params/, state/). */
static mc_status read_named(h5r *r, hid_t g, const char *const *meta, uint32_t depth,
                            const char ***keys, mc_value ***vals, size_t *n)
{
    size_t members;
    mc_status st = count_members(r, g, meta, &members);
    if (!st)
        st = get_str_list(r, g, "@keys", keys, n);
    if (st)
        return st;
    if (members != *n)
        return r_fail(r, "@keys names %zu values, the group holds %zu", *n, members);
    /* each name once: then the n names cover the n members */
    if (*n > 1) {
        const char **sorted = malloc(*n * sizeof *sorted);
        if (!sorted)
            return r_nomem(r);
        memcpy(sorted, *keys, *n * sizeof *sorted);
        qsort(sorted, *n, sizeof *sorted, cmp_name);
        for (size_t i = 1; i < *n && !st; i++)
            if (strcmp(sorted[i - 1], sorted[i]) == 0)
                st = r_fail(r, "@keys names '%.80s' twice", sorted[i]);
        free(sorted);
        if (st)
            return st;
    }
    *vals = mc_doc_alloc(r->doc, (*n ? *n : 1) * sizeof **vals);
    if (!*vals)
        return r_nomem(r);
    for (size_t i = 0; i < *n && !st; i++) {
        char *esc = mc_h5_escape((*keys)[i], strlen((*keys)[i]));
        if (!esc)
            return r_nomem(r);
        st = member(r, g, esc, depth + 1, &(*vals)[i]);
        free(esc);
    }
    return st;
}

static mc_status dict_class(h5r *r, hid_t g, mc_value *v)
{
    mc_value *cls;
    mc_status st = attr_global(r, g, "@class", 0, 0, &cls);
    v->u.dict.cls = cls;
    return st;
}

static mc_status read_dict(h5r *r, hid_t g, uint32_t depth, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@class", "@keys", NULL};
    const char **keys;
    mc_value **vals;
    size_t n = 0;
    v->kind = MC_DICT;
    mc_status st = dict_class(r, g, v);
    if (!st)
        st = read_named(r, g, meta, depth, &keys, &vals, &n);
    for (size_t i = 0; i < n && !st; i++) {
        mc_value *k = new_value(r, MC_STR);
        if (!k)
            return r_nomem(r);
        k->u.str.data = keys[i];
        k->u.str.len = strlen(keys[i]);
        st = mc_dict_set(r->doc, v, k, vals[i], r->err);
    }
    return st;
}

static mc_status read_dict_items(h5r *r, hid_t g, uint32_t depth, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@class", NULL};
    static const char *const none[] = {NULL};
    size_t n = 0;
    v->kind = MC_DICT;
    mc_status st = dict_class(r, g, v);
    if (!st)
        st = count_members(r, g, meta, &n);
    for (size_t i = 0; i < n && !st; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        size_t mark = mc_h5_path_push(&r->path, name);
        if (mark == (size_t)-1)
            return r_nomem(r);
        hid_t pair = H5Lexists(g, name, H5P_DEFAULT) > 0 ? H5Gopen2(g, name, H5P_DEFAULT) : -1;
        size_t parts = 0;
        mc_value *k = NULL, *val = NULL;
        if (pair < 0)
            st = r_fail(r, "entry %zu is missing (or not a group)", i);
        if (!st)
            st = count_members(r, pair, none, &parts);
        if (!st && parts != 2)
            st = r_fail(r, "a dict entry holds %zu members, not key and value", parts);
        if (!st)
            st = member(r, pair, "key", depth + 2, &k);
        if (!st)
            st = member(r, pair, "value", depth + 2, &val);
        if (!st)
            st = mc_dict_set(r->doc, v, k, val, r->err);
        if (pair >= 0)
            mc_h5_close(H5Gclose, pair);
        mc_h5_path_pop(&r->path, mark);
    }
    return st;
}

static int ctor_of(const char *s, mc_ctor *out)
{
    static const char *const names[] = {"newobj",        "newobj_ex",    "reduce",
                                        "reconstructor", "pyx_unpickle", "inst"};
    static const mc_ctor ctors[] = {MC_CTOR_NEWOBJ,        MC_CTOR_NEWOBJ_EX,
                                    MC_CTOR_REDUCE,        MC_CTOR_RECONSTRUCTOR,
                                    MC_CTOR_PYX_UNPICKLE,  MC_CTOR_INST};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = ctors[i];
            return 0;
        }
    return -1;
}

/* The uses the pickle VM checks for each way of building an object
 * (converters/pickle/vm.c, builtins.c): the class is instantiated, or
 * called, or passed to a reconstructor that is called. */
static unsigned class_use(mc_ctor c, int has_via)
{
    switch (c) {
    case MC_CTOR_NEWOBJ:
    case MC_CTOR_NEWOBJ_EX:
    case MC_CTOR_RECONSTRUCTOR: return MC_USE_NEWOBJ;
    case MC_CTOR_REDUCE: return has_via ? 0 : MC_USE_CALL;
    case MC_CTOR_INST: return MC_USE_INST;
    case MC_CTOR_PYX_UNPICKLE: return 0;
    }
    return 0;
}

static mc_status read_object(h5r *r, hid_t g, uint32_t depth, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@class", "@ctor", "@via", NULL};
    static const char *const parts[] = {"args", "kwargs", "state", "list_items", "dict_items"};
    static const mc_kind kinds[] = {MC_TUPLE, MC_DICT, MC_NONE, MC_LIST, MC_DICT};
    v->kind = MC_OBJECT;
    const char *ctor;
    mc_value *cls, *via;
    mc_status st = get_str(r, g, "@ctor", 1, &ctor);
    if (st)
        return st;
    if (ctor_of(ctor, &v->u.object.ctor))
        return r_fail(r, "@ctor '%.40s' is not one of newobj, newobj_ex, reduce, reconstructor, "
                         "pyx_unpickle, inst",
                      ctor);
    if ((st = attr_global(r, g, "@via", 0, MC_USE_CALL, &via)))
        return st;
    if ((st = attr_global(r, g, "@class", 1, class_use(v->u.object.ctor, via != NULL), &cls)))
        return st;
    v->u.object.cls = cls;
    v->u.object.via = via;
    size_t n, found = 0;
    if ((st = count_members(r, g, meta, &n)))
        return st;
    mc_value **slots[] = {&v->u.object.args, &v->u.object.kwargs, &v->u.object.state,
                          &v->u.object.listitems, &v->u.object.dictitems};
    for (size_t i = 0; i < 5 && !st; i++) {
        htri_t a = H5Aexists(g, parts[i]), l = H5Lexists(g, parts[i], H5P_DEFAULT);
        if (a <= 0 && l <= 0)
            continue;
        found++;
        st = member(r, g, parts[i], depth + 1, slots[i]);
        /* what the rest of modelconv relies on: args a tuple, kwargs and
         * dict items dicts, list items a list */
        if (!st && kinds[i] != MC_NONE && (*slots[i])->kind != kinds[i])
            st = r_fail(r, "the object's %s is a %s, not a %s", parts[i],
                        mc_kind_name((*slots[i])->kind), mc_kind_name(kinds[i]));
    }
    if (!st && found != n)
        st = r_fail(r, "the object holds members other than args, kwargs, state, list_items and "
                       "dict_items");
    return st;
}

/* @dtype and @dtype_state of o: the dtype, checked against each other. */
static mc_status read_dtype_attrs(h5r *r, hid_t o, const mc_dtype **out)
{
    const char *str, *state;
    size_t len;
    hid_t a;
    mc_status st = get_str(r, o, "@dtype", 1, &str);
    if (st)
        return st;
    int e = open_attr(r, o, "@dtype_state", &a, &st);
    if (e <= 0)
        return e < 0 ? st : r_fail(r, "the attribute '@dtype_state' is missing");
    st = read_str_attr(r, a, "@dtype_state", &state, &len);
    mc_h5_close(H5Aclose, a);
    if (st)
        return st;
    char why[300];
    if (mc_h5_dtype_parse(state, len, r->doc, out, why, sizeof why))
        return strcmp(why, "out of memory") == 0 ? r_nomem(r) : r_fail(r, "%s", why);
    char s[64];
    mc_dtype_str(*out, s, sizeof s);
    if (strcmp(s, str) != 0)
        return r_fail(r, "@dtype '%.40s' and @dtype_state ('%s') disagree", str, s);
    return MC_OK;
}

/* @order (and @subclass) of an array. */
static mc_status read_array_attrs(h5r *r, hid_t o, mc_ndarray *a)
{
    const char *order;
    mc_status st = get_str(r, o, "@order", 1, &order);
    if (st)
        return st;
    if (strcmp(order, "C") != 0 && strcmp(order, "F") != 0)
        return r_fail(r, "@order is '%.20s', not C or F", order);
    a->order = order[0];
    a->origin = MC_ARR_RECONSTRUCT;
    a->joblib_alignment = -1;
    mc_value *sub;
    st = attr_global(r, o, "@subclass", 0, 0, &sub);
    a->subclass = sub;
    return st;
}

/* C-order element k of an array stored in Fortran order is element
 * fortran_index(k). */
static uint64_t fortran_index(const int64_t *shape, uint32_t ndim, uint64_t k)
{
    uint64_t off = 0, stride = 1, idx[MC_H5_MAX_RANK];
    for (uint32_t d = ndim; d-- > 0;) {
        idx[d] = k % (uint64_t)shape[d];
        k /= (uint64_t)shape[d];
    }
    for (uint32_t d = 0; d < ndim; d++) {
        off += idx[d] * stride;
        stride *= (uint64_t)shape[d];
    }
    return off;
}

static mc_status read_object_array(h5r *r, hid_t g, uint32_t depth, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@dtype", "@dtype_state", "@shape", "@order",
                                       "@subclass", NULL};
    mc_ndarray *a = &v->u.array;
    v->kind = MC_NDARRAY;
    mc_status st = read_dtype_attrs(r, g, &a->dtype);
    if (!st && !mc_dtype_has_object(a->dtype))
        st = r_fail(r, "an object array whose dtype holds no objects");
    if (!st)
        st = read_array_attrs(r, g, a);
    if (st)
        return st;
    /* @shape: a 1-d int64 list */
    hid_t at;
    int e = open_attr(r, g, "@shape", &at, &st);
    if (e <= 0)
        return e < 0 ? st : r_fail(r, "the attribute '@shape' is missing");
    hid_t type = H5Aget_type(at), space = H5Aget_space(at);
    hssize_t nd = space < 0 ? -1 : H5Sget_simple_extent_npoints(space);
    int ok = type >= 0 && H5Tget_class(type) == H5T_INTEGER && H5Tget_size(type) == 8 &&
             space >= 0 && H5Sget_simple_extent_ndims(space) == 1 && nd >= 0 &&
             nd <= MC_H5_MAX_RANK;
    int64_t *shape = ok ? mc_doc_alloc(r->doc, ((size_t)nd ? (size_t)nd : 1) * sizeof *shape) : NULL;
    if (ok && !shape)
        st = r_nomem(r);
    else if (!ok || (nd && H5Aread(at, H5T_NATIVE_INT64, shape) < 0))
        st = r_fail(r, "@shape must be a list of at most %d int64", MC_H5_MAX_RANK);
    if (type >= 0)
        mc_h5_close(H5Tclose, type);
    if (space >= 0)
        mc_h5_close(H5Sclose, space);
    mc_h5_close(H5Aclose, at);
    uint64_t count = 0;
    if (!st && mc_shape_product(shape, (uint32_t)nd, &count))
        st = r_fail(r, "@shape has a negative or overflowing dimension");
    size_t n;
    if (!st)
        st = count_members(r, g, meta, &n);
    if (!st && n != count)
        st = r_fail(r, "@shape says %llu elements, the group holds %zu",
                    (unsigned long long)count, n);
    if (st)
        return st;
    mc_value **items = mc_doc_alloc(r->doc, (n ? n : 1) * sizeof *items);
    mc_value **mem = mc_doc_alloc(r->doc, (n ? n : 1) * sizeof *mem);
    if (!items || !mem)
        return r_nomem(r);
    if ((st = read_items(r, g, n, depth, items)))
        return st;
    for (uint64_t k = 0; k < count; k++)
        mem[a->order == 'F' ? fortran_index(shape, (uint32_t)nd, k) : k] = items[k];
    a->ndim = (uint32_t)nd;
    a->shape = shape;
    a->count = count;
    a->objects = (const mc_value *const *)mem;
    return MC_OK;
}

static mc_status read_object_scalar(h5r *r, hid_t g, uint32_t depth, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@dtype", "@dtype_state", NULL};
    v->kind = MC_SCALAR;
    size_t n;
    mc_value *obj;
    mc_status st = read_dtype_attrs(r, g, &v->u.scalar.dtype);
    if (!st && !mc_dtype_has_object(v->u.scalar.dtype))
        st = r_fail(r, "a numpy scalar group whose dtype holds no objects");
    if (!st)
        st = count_members(r, g, meta, &n);
    if (!st && n != 1)
        st = r_fail(r, "a numpy object scalar holds one member, 'object'");
    if (!st)
        st = member(r, g, "object", depth + 1, &obj);
    if (!st)
        v->u.scalar.object = obj;
    return st;
}

static mc_status read_group_value(h5r *r, hid_t g, const char *kind, uint32_t depth,
                                  mc_value *v)
{
    static const char *const seqs[] = {"list", "tuple", "set", "frozenset"};
    static const mc_kind seq_kinds[] = {MC_LIST, MC_TUPLE, MC_SET, MC_FROZENSET};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(kind, seqs[i]) == 0)
            return read_seq(r, g, seq_kinds[i], depth, v);
    if (strcmp(kind, "dict") == 0)
        return read_dict(r, g, depth, v);
    if (strcmp(kind, "dict_items") == 0)
        return read_dict_items(r, g, depth, v);
    if (strcmp(kind, "object") == 0)
        return read_object(r, g, depth, v);
    if (strcmp(kind, "object_array") == 0)
        return read_object_array(r, g, depth, v);
    if (strcmp(kind, "numpy_scalar") == 0)
        return read_object_scalar(r, g, depth, v);
    return r_fail(r, "a group of @kind '%.40s' (expected list, tuple, set, frozenset, dict, "
                     "dict_items, object, object_array or numpy_scalar)",
                  kind);
}

/* Unicode elements from UTF-8 strings: UCS-4 code units, zero-padded. */
static mc_status utf8_to_unicode(h5r *r, const mc_dtype *dt, const char *const *strs,
                                 uint64_t count, uint8_t *out)
{
    size_t units = dt->itemsize / 4;
    memset(out, 0, count * dt->itemsize);
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *s = (const uint8_t *)strs[i];
        size_t k = 0;
        while (*s) {
            uint32_t cp;
            int n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
                                    : (s[0] & 0xf8) == 0xf0                         ? 4
                                                                                   : 0;
            for (int j = 1; j < n; j++)
                if ((s[j] & 0xc0) != 0x80)
                    n = 0;
            if (n == 0 || k >= units)
                return r_fail(r, "element %llu is not UTF-8 text of at most %zu characters",
                              (unsigned long long)i, units);
            cp = n == 1 ? s[0] : n == 2 ? (uint32_t)(s[0] & 0x1f) : n == 3 ? (uint32_t)(s[0] & 0x0f)
                                                                          : (uint32_t)(s[0] & 0x07);
            for (int j = 1; j < n; j++)
                cp = cp << 6 | (s[j] & 0x3f);
            uint8_t *e = out + i * dt->itemsize + 4 * k;
            if (dt->byteorder == '>')
                for (int b = 0; b < 4; b++)
                    e[b] = (uint8_t)(cp >> (24 - 8 * b));
            else
                mc_store_u32le(e, cp);
            s += n;
            k++;
        }
    }
    return MC_OK;
}

/* The elements of a numpy array or scalar dataset, checked against dt. */
static mc_status read_elements(h5r *r, hid_t d, const mc_dtype *dt, uint32_t ndim,
                               const hsize_t *dims, uint64_t count, uint8_t **out)
{
    if (mc_dtype_has_object(dt))
        return r_fail(r, "a dataset cannot hold an object dtype");
    hid_t ft = H5Dget_type(d);
    if (ft < 0)
        return r_h5fail(r, "the dataset's type");
    mc_status st = MC_OK;
    if (dt->kind == 'U' && is_vlen_str(ft)) {
        const char **strs;
        uint64_t bytes;
        if (mc_mul_u64(count, dt->itemsize, &bytes) || bytes > SIZE_MAX)
            st = r_fail(r, "a dataset of %llu elements", (unsigned long long)count);
        if (!st)
            st = read_strings(r, d, ft, ndim, dims, count, &strs);
        if (!st)
            st = charge(r, bytes, "unicode elements");
        uint8_t *buf = st ? NULL : data_alloc(r, (size_t)bytes);
        if (!st && !buf)
            st = r_nomem(r);
        if (!st)
            st = utf8_to_unicode(r, dt, strs, count, buf);
        if (!st)
            *out = buf;
    } else {
        hid_t want = mc_h5_dtype_type(dt);
        char s[64];
        mc_dtype_str(dt, s, sizeof s);
        if (want < 0)
            st = r_fail(r, "dtype %s cannot be a dataset", s);
        else if (H5Tequal(ft, want) <= 0)
            st = r_fail(r, "the dataset's HDF5 type is not the one of its @dtype %s", s);
        else
            st = read_raw(r, d, ft, ndim, dims, count, dt->itemsize, out);
        if (want >= 0)
            mc_h5_close(H5Tclose, want);
    }
    mc_h5_close(H5Tclose, ft);
    return st;
}

/* C-order data of an array pickled in Fortran order goes back to it. */
static mc_status to_fortran(h5r *r, mc_ndarray *a, uint8_t *c_order)
{
    if (a->order != 'F' || a->ndim < 2 || a->count == 0) {
        a->data = c_order;
        return MC_OK;
    }
    mc_status st = charge(r, a->nbytes, "a Fortran-order copy");
    uint8_t *f = st ? NULL : data_alloc(r, (size_t)a->nbytes);
    if (!st && !f)
        st = r_nomem(r);
    if (st)
        return st;
    size_t is = a->dtype->itemsize;
    for (uint64_t k = 0; k < a->count; k++)
        memcpy(f + fortran_index(a->shape, a->ndim, k) * is, c_order + k * is, is);
    a->data = f;
    return MC_OK;
}

static mc_status read_ndarray(h5r *r, hid_t d, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@dtype", "@dtype_state", "@order", "@subclass",
                                       NULL};
    mc_ndarray *a = &v->u.array;
    v->kind = MC_NDARRAY;
    uint32_t ndim;
    hsize_t dims[MC_H5_MAX_RANK];
    uint64_t count;
    mc_status st = check_attrs(r, d, meta, 0, NULL);
    if (!st)
        st = read_dtype_attrs(r, d, &a->dtype);
    if (!st)
        st = read_array_attrs(r, d, a);
    if (!st)
        st = dataset_shape(r, d, MC_H5_MAX_RANK, &ndim, dims, &count);
    if (st)
        return st;
    int64_t *shape = mc_doc_alloc(r->doc, (ndim ? ndim : 1) * sizeof *shape);
    if (!shape)
        return r_nomem(r);
    for (uint32_t i = 0; i < ndim; i++) {
        if (dims[i] > INT64_MAX)
            return r_fail(r, "a dimension beyond int64");
        shape[i] = (int64_t)dims[i];
    }
    a->ndim = ndim;
    a->shape = shape;
    a->count = count;
    if (mc_mul_u64(count, a->dtype->itemsize, &a->nbytes))
        return r_fail(r, "a dataset whose size overflows");
    uint8_t *c_order;
    st = read_elements(r, d, a->dtype, ndim, dims, count, &c_order);
    return st ? st : to_fortran(r, a, c_order);
}

static mc_status read_scalar(h5r *r, hid_t d, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@dtype", "@dtype_state", NULL};
    v->kind = MC_SCALAR;
    uint32_t ndim;
    hsize_t dims[1];
    uint64_t count;
    uint8_t *data;
    mc_status st = check_attrs(r, d, meta, 0, NULL);
    if (!st)
        st = read_dtype_attrs(r, d, &v->u.scalar.dtype);
    if (!st)
        st = dataset_shape(r, d, 0, &ndim, dims, &count);
    if (!st)
        st = read_elements(r, d, v->u.scalar.dtype, 0, dims, 1, &data);
    if (!st)
        v->u.scalar.data = data;
    return st;
}

static mc_status read_bytes(h5r *r, hid_t d, mc_kind kind, mc_value *v)
{
    static const char *const meta[] = {"@kind", "@py2_str", NULL};
    v->kind = kind;
    uint32_t ndim;
    hsize_t dims[1];
    uint64_t count;
    int64_t py2 = 0;
    int found;
    mc_status st = check_attrs(r, d, meta, 0, NULL);
    if (!st)
        st = get_i64(r, d, "@py2_str", 0, &py2, &found);
    if (!st && found && (kind != MC_BYTES || py2 != 1))
        st = r_fail(r, "@py2_str must be 1, on bytes only");
    if (!st)
        st = dataset_shape(r, d, 1, &ndim, dims, &count);
    if (!st && ndim != 1)
        st = r_fail(r, "bytes must be a 1-d dataset");
    if (st)
        return st;
    hid_t ft = H5Dget_type(d);
    if (ft < 0)
        return r_h5fail(r, "the dataset's type");
    uint8_t *data = NULL;
    if (H5Tequal(ft, H5T_STD_U8LE) <= 0)
        st = r_fail(r, "bytes must be a uint8 dataset");
    else
        st = read_raw(r, d, ft, 1, dims, count, 1, &data);
    mc_h5_close(H5Tclose, ft);
    if (st)
        return st;
    v->u.bytes.data = data;
    v->u.bytes.len = (size_t)count;
    v->u.bytes.py2_str = py2 == 1;
    return MC_OK;
}

static mc_status read_dataset_value(h5r *r, hid_t d, const char *kind, mc_value *v)
{
    if (strcmp(kind, "ndarray") == 0)
        return read_ndarray(r, d, v);
    if (strcmp(kind, "numpy_scalar") == 0)
        return read_scalar(r, d, v);
    if (strcmp(kind, "bytes") == 0)
        return read_bytes(r, d, MC_BYTES, v);
    if (strcmp(kind, "bytearray") == 0)
        return read_bytes(r, d, MC_BYTEARRAY, v);
    static const char *const text_kinds[] = {"str", "bigint", "global", "dtype"};
    size_t t = 0;
    while (t < 4 && strcmp(kind, text_kinds[t]) != 0)
        t++;
    if (t == 4)
        return r_fail(r, "a dataset of @kind '%.40s' (expected ndarray, numpy_scalar, bytes, "
                         "bytearray, str, bigint, global or dtype)",
                      kind);
    static const char *const meta_plain[] = {"@kind", NULL};
    static const char *const meta_dtype[] = {"@kind", "@dtype", "@dtype_state", NULL};
    mc_status st = check_attrs(r, d, t == 3 ? meta_dtype : meta_plain, 0, NULL);
    const char *s = NULL;
    size_t len = 0;
    if (!st)
        st = read_text(r, d, &s, &len);
    if (st)
        return st;
    switch (t) {
    case 0:
        v->kind = MC_STR;
        v->u.str.data = s;
        v->u.str.len = len;
        return MC_OK;
    case 1: {
        uint8_t *b = mc_doc_alloc(r->doc, MC_H5_BIGINT_MAX);
        size_t n;
        if (!b)
            return r_nomem(r);
        if (mc_h5_bigint_from_decimal(s, len, b, &n))
            return r_fail(r, "a bigint must be decimal digits of at most %d bytes",
                          MC_H5_BIGINT_MAX);
        v->kind = MC_BIGINT;
        v->u.bytes.data = b;
        v->u.bytes.len = n;
        return MC_OK;
    }
    case 2: {
        mc_value *g;
        if (strlen(s) != len)
            return r_fail(r, "a global's name holds a NUL byte");
        st = make_global(r, s, 0, "the global", &g);
        if (!st)
            *v = *g;
        return st;
    }
    default:
        v->kind = MC_DTYPE;
        return read_dtype_attrs(r, d, &v->u.dtype);
    }
}

/* A value stored as a hard-linked group or dataset: read once per
 * address; met again while being read, it is a cycle. */
static mc_status link_value(h5r *r, hid_t g, const char *name, uint32_t depth, mc_value **out)
{
    H5L_info_t li;
    if (H5Lget_info(g, name, &li, H5P_DEFAULT) < 0)
        return r_h5fail(r, "the link");
    if (li.type != H5L_TYPE_HARD)
        return r_fail(r, "%s link (values are hard links inside the file)",
                      li.type == H5L_TYPE_SOFT ? "a soft" : "an external or user-defined");
    int added;
    addr_entry *e = addr_get(&r->values, li.u.address, &added);
    if (!e)
        return r_nomem(r);
    if (!added) {
        if (!e->value)
            return r_fail(r, "a group that contains itself through hard links (a cycle)");
        *out = e->value;
        return MC_OK;
    }
    hid_t o = H5Oopen(g, name, H5P_DEFAULT);
    if (o < 0)
        return r_h5fail(r, "the object");
    H5I_type_t type = H5Iget_type(o);
    const char *kind;
    mc_status st = type == H5I_GROUP || type == H5I_DATASET
                       ? get_str(r, o, "@kind", 1, &kind)
                       : r_fail(r, "a named datatype where a value belongs");
    mc_value *v = st ? NULL : new_value(r, MC_NONE);
    if (!st && !v)
        st = r_nomem(r);
    if (!st && type == H5I_GROUP)
        st = read_group_value(r, o, kind, depth, v);
    else if (!st)
        st = read_dataset_value(r, o, kind, v);
    mc_h5_close(H5Oclose, o);
    if (st)
        return st;
    e = addr_get(&r->values, li.u.address, &added); /* the map may have grown */
    e->value = v;
    *out = v;
    return MC_OK;
}

/* Value `name` of g: an attribute or a link, not both. */
static mc_status member(h5r *r, hid_t g, const char *name, uint32_t depth, mc_value **out)
{
    if (depth > MC_H5_MAX_DEPTH)
        return r_fail(r, "values nested deeper than %d levels", MC_H5_MAX_DEPTH);
    size_t mark = mc_h5_path_push(&r->path, name);
    if (mark == (size_t)-1)
        return r_nomem(r);
    htri_t a = H5Aexists(g, name), l = H5Lexists(g, name, H5P_DEFAULT);
    mc_status st;
    if (a < 0 || l < 0)
        st = r_h5fail(r, "the member");
    else if (a > 0 && l > 0)
        st = r_fail(r, "both an attribute and a link have this name");
    else if (a > 0)
        st = attr_value(r, g, name, out);
    else if (l > 0)
        st = link_value(r, g, name, depth, out);
    else
        st = r_fail(r, "missing");
    mc_h5_path_pop(&r->path, mark);
    return st;
}

/* ---- the model --------------------------------------------------------------------------- */

/* Open hard link `name` of loc as an object of type `want` (a group or a
 * dataset), its kind checked before HDF5 opens it. */
static mc_status open_object(h5r *r, hid_t loc, const char *name, H5O_type_t want, hid_t *out)
{
    int group = want == H5O_TYPE_GROUP;
    H5L_info_t li;
    if (H5Lget_info(loc, name, &li, H5P_DEFAULT) < 0)
        return r_h5fail(r, "the link");
    if (li.type != H5L_TYPE_HARD)
        return r_fail(r, "not a hard link");
    H5O_info_t oi;
    if (H5Oget_info_by_name2(loc, name, &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return r_h5fail(r, "the object");
    if (oi.type != want)
        return r_fail(r, group ? "expected a group" : "expected a dataset");
    *out = group ? H5Gopen2(loc, name, H5P_DEFAULT) : H5Dopen2(loc, name, H5P_DEFAULT);
    return *out < 0 ? r_h5fail(r, group ? "the group" : "the dataset") : MC_OK;
}

static mc_status open_group(h5r *r, hid_t loc, const char *name, hid_t *g)
{
    return open_object(r, loc, name, H5O_TYPE_GROUP, g);
}

static mc_status open_dataset(h5r *r, hid_t loc, const char *name, hid_t *d)
{
    return open_object(r, loc, name, H5O_TYPE_DATASET, d);
}

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

/* A tensor (or class set) dataset of element type `elem` (-1: any of
 * int64, float64, str, for classes). */
static mc_status read_tensor(h5r *r, hid_t loc, const char *name, int elem, uint32_t max_rank,
                             mc_tensor *t)
{
    static const char *const none[] = {NULL};
    hid_t d = -1;
    mc_status st = open_dataset(r, loc, name, &d);
    if (st)
        return st;
    uint32_t ndim;
    hsize_t dims[MC_H5_MAX_RANK];
    uint64_t count;
    st = check_attrs(r, d, none, 0, NULL);
    if (!st)
        st = dataset_shape(r, d, max_rank, &ndim, dims, &count);
    hid_t ft = st ? -1 : H5Dget_type(d);
    if (!st && ft < 0)
        st = r_h5fail(r, "the dataset's type");
    if (!st && elem < 0) {
        elem = is_vlen_str(ft) ? MC_ELEM_STR
               : H5Tequal(ft, H5T_STD_I64LE) > 0 ? MC_ELEM_I64
               : H5Tequal(ft, H5T_IEEE_F64LE) > 0 ? MC_ELEM_F64
                                                  : -1;
        if (elem < 0 || ndim != 1)
            st = r_fail(r, "class labels must be a 1-d dataset of int64, float64 or strings");
    }
    if (!st) {
        int ok = elem == MC_ELEM_STR ? is_vlen_str(ft) : H5Tequal(ft, elem_type((mc_elem)elem)) > 0;
        if (!ok)
            st = r_fail(r, "the dataset's HDF5 type is not %s", mc_elem_name((mc_elem)elem));
    }
    if (!st) {
        t->elem = (mc_elem)elem;
        t->ndim = ndim;
        t->count = count;
        for (uint32_t i = 0; i < ndim; i++) {
            if (dims[i] > INT64_MAX)
                st = r_fail(r, "a dimension beyond int64");
            t->shape[i] = (int64_t)dims[i];
        }
    }
    if (!st && elem == MC_ELEM_STR) {
        const char **strs;
        st = read_strings(r, d, ft, ndim, dims, count, &strs);
        if (!st)
            t->data.str = strs;
    } else if (!st) {
        uint8_t *data;
        st = read_raw(r, d, ft, ndim, dims, count, mc_elem_size((mc_elem)elem), &data);
        /* the file is little-endian, tensors native */
        if (!st && !mc_host_is_le())
            for (uint64_t i = 0; i < count; i++)
                mc_swap_bytes(data + i * mc_elem_size((mc_elem)elem),
                              (unsigned)mc_elem_size((mc_elem)elem));
        if (!st)
            t->data.ptr = data;
    }
    if (ft >= 0)
        mc_h5_close(H5Tclose, ft);
    mc_h5_close(H5Dclose, d);
    return st;
}

/* A section with no attributes whose links are named 0, 1, ..., n-1
 * (n = how many there are, at least 1; `empty` is the error otherwise). */
static mc_status numbered(h5r *r, hid_t g, const char *empty, size_t *n)
{
    static const char *const none[] = {NULL};
    mc_status st = check_attrs(r, g, none, 0, NULL);
    if (st)
        return st;
    H5G_info_t gi;
    if (H5Gget_info(g, &gi) < 0)
        return r_h5fail(r, "the group");
    *n = (size_t)gi.nlinks;
    for (size_t i = 0; i < *n; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        if (H5Lexists(g, name, H5P_DEFAULT) <= 0)
            return r_fail(r, "member %zu is missing (members are numbered from 0)", i);
    }
    if (*n == 0 || *n > UINT32_MAX)
        return r_fail(r, "%s", empty);
    return MC_OK;
}

static mc_status read_classes(h5r *r, hid_t g, mc_model *m)
{
    size_t n = 0;
    mc_status st = numbered(r, g, "a classes group without class sets", &n);
    if (st)
        return st;
    m->classes = mc_doc_alloc(r->doc, n * sizeof *m->classes);
    if (!m->classes)
        return r_nomem(r);
    for (size_t i = 0; i < n && !st; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        size_t mark = mc_h5_path_push(&r->path, name);
        if (mark == (size_t)-1)
            return r_nomem(r);
        char *what = mc_doc_alloc(r->doc, 32);
        if (!what)
            return r_nomem(r);
        snprintf(what, 32, n > 1 ? "classes_[%zu]" : "classes_", i);
        m->classes[i].name = what;
        st = read_tensor(r, g, name, -1, 1, &m->classes[i]);
        mc_h5_path_pop(&r->path, mark);
    }
    m->n_class_sets = (uint32_t)n;
    return st;
}

static mc_status read_tensors(h5r *r, hid_t g, const mc_family *f, mc_model *m)
{
    static const char *const none[] = {NULL};
    namelist ns;
    mc_status st = check_attrs(r, g, none, 0, NULL);
    if (!st)
        st = list_links(r, g, &ns);
    if (st)
        return st;
    m->tensors = mc_doc_alloc(r->doc, (ns.n ? ns.n : 1) * sizeof *m->tensors);
    if (!m->tensors)
        st = r_nomem(r);
    for (size_t i = 0; i < ns.n && !st; i++) {
        size_t mark = mc_h5_path_push(&r->path, ns.v[i]);
        if (mark == (size_t)-1) {
            st = r_nomem(r);
            break;
        }
        const mc_tensor_spec *spec = mc_family_spec(f, ns.v[i]);
        if (!spec)
            st = r_fail(r, "family '%s' has no tensor '%.80s'", f->name, ns.v[i]);
        if (!st && r->for_predict && !spec->predict) {
            m->partial = 1; /* not decoded: no predictor reads it */
            mc_h5_path_pop(&r->path, mark);
            continue;
        }
        if (!st)
            st = read_tensor(r, g, ns.v[i], (int)spec->elem, MC_TENSOR_MAX_DIMS,
                             &m->tensors[m->ntensors]);
        if (!st)
            m->tensors[m->ntensors++].name = spec->name;
        mc_h5_path_pop(&r->path, mark);
    }
    names_free(&ns);
    if (st)
        return st;
    const char *tensor;
    char msg[300];
    if (mc_family_check_tensors(f, m, &tensor, msg, sizeof msg)) {
        size_t mark = mc_h5_path_push(&r->path, tensor);
        if (mark == (size_t)-1)
            return r_nomem(r);
        st = r_fail(r, "%s", msg);
        mc_h5_path_pop(&r->path, mark);
    }
    return st;
}

static mc_status read_entries(h5r *r, hid_t g, mc_entry **out, uint32_t *n)
{
    static const char *const meta[] = {"@keys", NULL};
    const char **keys;
    mc_value **vals;
    size_t count;
    mc_status st = read_named(r, g, meta, 0, &keys, &vals, &count);
    if (st)
        return st;
    if (count == 0 || count > UINT32_MAX)
        return r_fail(r, "an empty section (the layout leaves those out)");
    mc_entry *e = mc_doc_alloc(r->doc, count * sizeof *e);
    if (!e)
        return r_nomem(r);
    for (size_t i = 0; i < count; i++) {
        e[i].name = keys[i];
        e[i].value = vals[i];
    }
    *out = e;
    *n = (uint32_t)count;
    return MC_OK;
}

static mc_status read_model(h5r *r, hid_t g, int is_root, uint32_t depth, mc_model **out);

static mc_status read_children(h5r *r, hid_t g, uint32_t depth, mc_model *m)
{
    size_t n = 0;
    mc_status st = numbered(r, g, "an empty children group", &n);
    if (st)
        return st;
    m->children = mc_doc_alloc(r->doc, n * sizeof *m->children);
    m->child_names = mc_doc_alloc(r->doc, n * sizeof *m->child_names);
    if (!m->children || !m->child_names)
        return r_nomem(r);
    for (size_t i = 0; i < n && !st; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        size_t mark = mc_h5_path_push(&r->path, name);
        if (mark == (size_t)-1)
            return r_nomem(r);
        hid_t c;
        st = open_group(r, g, name, &c);
        if (!st) {
            st = read_model(r, c, 0, depth + 1, &m->children[i]);
            if (!st)
                st = get_str(r, c, "@name", 1, &m->child_names[i]);
            mc_h5_close(H5Gclose, c);
        }
        mc_h5_path_pop(&r->path, mark);
    }
    m->nchildren = (uint32_t)n;
    return st;
}

static int task_of(const char *s, mc_task *out)
{
    for (int t = MC_TASK_REGRESSOR; t <= MC_TASK_PIPELINE; t++)
        if (strcmp(s, mc_task_name((mc_task)t)) == 0) {
            *out = (mc_task)t;
            return 0;
        }
    *out = (mc_task)0;
    return strcmp(s, "unknown") == 0 ? 0 : -1;
}

/* The model group's sections, in the writer's order. */
static mc_status read_sections(h5r *r, hid_t g, const mc_family *f, uint32_t depth, mc_model *m)
{
    static const char *const sections[] = {"classes", "tensors", "params", "state", "children"};
    namelist ns;
    mc_status st = list_links(r, g, &ns);
    for (size_t i = 0; i < ns.n && !st; i++) {
        size_t k = 0;
        while (k < 5 && strcmp(ns.v[i], sections[k]) != 0)
            k++;
        if (k == 5 && !r->lenient)
            st = r_fail(r, "unexpected member '%.80s' in a model group", ns.v[i]);
    }
    names_free(&ns);
    for (size_t k = 0; k < 5 && !st; k++) {
        htri_t e = H5Lexists(g, sections[k], H5P_DEFAULT);
        if (e < 0)
            return r_h5fail(r, sections[k]);
        if (e == 0)
            continue;
        size_t mark = mc_h5_path_push(&r->path, sections[k]);
        if (mark == (size_t)-1)
            return r_nomem(r);
        hid_t s = -1;
        st = open_group(r, g, sections[k], &s);
        if (!st && !f)
            st = r_fail(r, "a passthrough step holds nothing");
        if (!st) {
            switch (k) {
            case 0: st = read_classes(r, s, m); break;
            case 1: st = read_tensors(r, s, f, m); break;
            case 2: st = read_entries(r, s, &m->params, &m->nparams); break;
            case 3: st = read_entries(r, s, &m->state, &m->nstate); break;
            default: st = read_children(r, s, depth, m); break;
            }
        }
        if (s >= 0)
            mc_h5_close(H5Gclose, s);
        mc_h5_path_pop(&r->path, mark);
    }
    /* tensors are checked where they are read; a family that requires some
     * must have them even when the file has no tensors group */
    if (!st && f && !m->ntensors) {
        const char *tensor;
        char msg[300];
        if (mc_family_check_tensors(f, m, &tensor, msg, sizeof msg)) {
            size_t mark = mc_h5_path_push(&r->path, "tensors");
            if (mark == (size_t)-1)
                return r_nomem(r);
            st = r_fail(r, "%s: %s", tensor, msg);
            mc_h5_path_pop(&r->path, mark);
        }
    }
    return st;
}

static const char *const model_attrs[] = {"@family", "@estimator", "@task", "@n_features",
                                          "@n_outputs", "@name", NULL};
static const char *const root_attrs[] = {
    "modelconv_format", "format_version", "modelconv_version", "source_format",
    "source_compressor", "source_protocol", "sklearn_version", "numpy_version_hint",
    "joblib_version_hint", "python2", "@family", "@estimator", "@task", "@n_features",
    "@n_outputs", NULL};

static mc_status read_model(h5r *r, hid_t g, int is_root, uint32_t depth, mc_model **out)
{
    if (depth > MC_H5_MAX_DEPTH)
        return r_fail(r, "models nested deeper than %d levels", MC_H5_MAX_DEPTH);
    H5O_info_t oi;
    int added;
    if (H5Oget_info2(g, &oi, H5O_INFO_BASIC) < 0)
        return r_h5fail(r, "the model group");
    addr_entry *seen = addr_get(&r->models, oi.addr, &added);
    if (!seen)
        return r_nomem(r);
    if (!added)
        return r_fail(r, "a model group linked twice (or a cycle through children)");
    mc_model *m = mc_model_new_in(r->doc, is_root);
    if (!m)
        return r_nomem(r);
    const char *family, *estimator, *task;
    mc_status st = check_attrs(r, g, is_root ? root_attrs : model_attrs, 0, NULL);
    if (!st)
        st = get_str(r, g, "@family", 1, &family);
    if (!st)
        st = get_str(r, g, "@estimator", 1, &estimator);
    if (!st)
        st = get_str(r, g, "@task", 1, &task);
    if (!st)
        st = get_i64(r, g, "@n_features", 1, &m->n_features, NULL);
    if (!st)
        st = get_i64(r, g, "@n_outputs", 1, &m->n_outputs, NULL);
    if (st)
        return st;
    if (task_of(task, &m->task))
        return r_fail(r, "@task '%.40s' is not a task modelconv knows", task);
    if (m->n_features < -1 || m->n_outputs < 0)
        return r_fail(r, "@n_features %lld / @n_outputs %lld out of range",
                      (long long)m->n_features, (long long)m->n_outputs);
    const mc_family *f = NULL;
    if (strcmp(family, "passthrough") == 0) {
        m->family = "passthrough";
    } else if ((f = mc_family_by_name(family))) {
        m->family = f->name;
    } else {
        return r_fail(r, "unknown family '%.60s' (this modelconv knows the families of "
                         "schemas/families/)",
                      family);
    }
    m->estimator = estimator;
    m->provenance = r->prov;
    st = read_sections(r, g, f, depth, m);
    if (!st)
        *out = m;
    return st;
}

/* ---- the root: format, version, provenance ---------------------------------------------- */

static mc_status copy_field(h5r *r, hid_t root, const char *name, char *dst, size_t size,
                            const char *const *allowed)
{
    const char *s;
    mc_status st = get_str(r, root, name, 1, &s);
    if (st)
        return st;
    if (strlen(s) >= size)
        return r_fail(r, "%s '%.60s' is longer than %zu characters", name, s, size - 1);
    for (const char *const *p = allowed; p && *p; p++)
        if (strcmp(*p, s) == 0)
            allowed = NULL;
    if (allowed)
        return r_fail(r, "%s '%.60s' is not one the layout names", name, s);
    strcpy(dst, s);
    return MC_OK;
}

static mc_status read_root(h5r *r, hid_t root)
{
    const char *fmt, *version;
    mc_status st = get_str(r, root, "modelconv_format", 0, &fmt);
    if (st)
        return st;
    if (!fmt || strcmp(fmt, MC_H5_FORMAT_NAME) != 0)
        return r_fail(r, "not a modelconv archive: the root has %s (expected modelconv_format = "
                         "'%s')",
                      fmt ? "another modelconv_format" : "no modelconv_format attribute",
                      MC_H5_FORMAT_NAME);
    if ((st = get_str(r, root, "format_version", 1, &version)))
        return st;
    int major, minor, used = 0;
    if (sscanf(version, "%4d.%4d%n", &major, &minor, &used) != 2 || version[used] ||
        major < 1 || minor < 0 || version[0] == '+' || version[0] == ' ')
        return r_fail(r, "format_version '%.40s' is not MAJOR.MINOR", version);
    if (major > MC_H5_MAJOR)
        return r_fail(r, "the archive's format_version is %d.%d; this modelconv reads %d.x "
                         "(up to %d.%d): a newer modelconv wrote it",
                      major, minor, MC_H5_MAJOR, MC_H5_MAJOR, MC_H5_MINOR);
    r->lenient = minor > MC_H5_MINOR;
    static const char *const formats[] = {"pickle", "joblib", "joblib-legacy", "hdf5",
                                          "onnx", "", NULL};
    static const char *const compressors[] = {"none", "zlib", "gzip", "bz2", "lzma",
                                              "xz", "lz4", "", NULL};
    const char *tool;
    int64_t protocol;
    if ((st = get_str(r, root, "modelconv_version", 1, &tool)) ||
        (st = copy_field(r, root, "source_format", r->prov.format, sizeof r->prov.format,
                         formats)) ||
        (st = copy_field(r, root, "source_compressor", r->prov.compressor,
                         sizeof r->prov.compressor, compressors)) ||
        (st = get_i64(r, root, "source_protocol", 1, &protocol, NULL)) ||
        (st = copy_field(r, root, "sklearn_version", r->prov.sklearn_version,
                         sizeof r->prov.sklearn_version, NULL)) ||
        (st = copy_field(r, root, "numpy_version_hint", r->prov.numpy_hint,
                         sizeof r->prov.numpy_hint, NULL)) ||
        (st = copy_field(r, root, "joblib_version_hint", r->prov.joblib_hint,
                         sizeof r->prov.joblib_hint, NULL)))
        return st;
    if (protocol < -1 || protocol > 5)
        return r_fail(r, "source_protocol %lld (pickle has 0 to 5, -1 for none)",
                      (long long)protocol);
    r->prov.protocol = (int)protocol;
    mc_value *py2;
    if (H5Aexists(root, "python2") <= 0)
        return r_fail(r, "the attribute 'python2' is missing");
    size_t mark = mc_h5_path_push(&r->path, "python2");
    if (mark == (size_t)-1)
        return r_nomem(r);
    st = attr_value(r, root, "python2", &py2);
    if (!st && py2->kind != MC_BOOL)
        st = r_fail(r, "python2 must be a boolean");
    mc_h5_path_pop(&r->path, mark);
    if (st)
        return st;
    r->prov.python2 = py2->u.boolean;
    return MC_OK;
}

static mc_status read_file(h5r *r, mc_model **out)
{
    hid_t root = H5Gopen2(r->file, "/", H5P_DEFAULT);
    if (root < 0)
        return r_h5fail(r, "the root group");
    mc_status st = read_root(r, root);
    if (!st)
        st = read_model(r, root, 1, 0, out);
    mc_h5_close(H5Gclose, root);
    return st;
}

/* ---- entry points ------------------------------------------------------------------------- */

int mc_hdf5_bid(const uint8_t *head, size_t n)
{
    static const uint8_t sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /* the superblock is at 0 or after a userblock of 512, 1024, 2048, ...
     * bytes (HDF5 File Format Specification, "Superblock") */
    for (size_t at = 0; at + sizeof sig <= n; at = at ? 2 * at : 512)
        if (memcmp(head + at, sig, sizeof sig) == 0)
            return 100;
    return 0;
}

mc_status mc_hdf5_read(const char *path, mc_load_purpose purpose, mc_model **out,
                       mc_error *err)
{
    *out = NULL;
    mc_error_clear(err);
    mc_error_set_file(err, path);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return mc_error_set(err, MC_E_INPUT, -1, "cannot open the file");
    h5r r;
    memset(&r, 0, sizeof r);
    r.err = err;
    r.file = -1;
    r.for_predict = purpose == MC_LOAD_PREDICT;
    uint64_t size = (uint64_t)sb.st_size;
    r.budget = size > (UINT64_MAX - BUDGET_BASE) / BUDGET_RATIO ? UINT64_MAX
                                                                : BUDGET_BASE + BUDGET_RATIO * size;
    r.doc = mc_document_new();
    if (!r.doc || mc_h5_path_init(&r.path)) {
        mc_document_free(r.doc);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    r.doc->arena.budget = r.budget;
    r.doc->path = mc_doc_strndup(r.doc, path, strlen(path));
    mc_h5_session s;
    mc_h5_begin(&s);
    mc_status st = MC_OK;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* strong close: nothing of the file stays open after a failure */
    if (fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0)
        st = mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    if (!st) {
        r.file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
        if (r.file < 0) {
            char h5[300];
            mc_h5_last_error(h5, sizeof h5);
            st = mc_error_set(err, MC_E_INPUT, -1, "not an HDF5 file, or a damaged one (HDF5: %s)",
                              h5[0] ? h5 : "cannot open");
        }
    }
    if (!st && (st = mc_mapfile_open(&r.map, path, err)) == MC_OK) {
        char why[300];
        r.heap = mc_h5_heap_new(r.file, r.map.data, r.map.size, r.budget, why, sizeof why);
        if (!r.heap)
            st = strcmp(why, "out of memory") == 0
                     ? mc_error_set(err, MC_E_NOMEM, -1, "out of memory")
                     : mc_error_set(err, MC_E_INPUT, -1, "%s", why);
    }
    mc_model *m = NULL;
    if (!st)
        st = read_file(&r, &m);
    if (r.file >= 0 && H5Fclose(r.file) < 0 && !st)
        st = r_h5fail(&r, "the file (closing)");
    if (fapl >= 0)
        mc_h5_close(H5Pclose, fapl);
    mc_h5_end(&s);
    mc_h5_heap_free(r.heap);
    if (r.map.maplen)
        mc_mapfile_close(&r.map);
    free(r.values.e);
    free(r.models.e);
    mc_h5_path_free(&r.path);
    if (st) {
        mc_document_free(r.doc);
        if (err && err->status == MC_OK)
            err->status = st;
        return st;
    }
    r.doc->prov = r.prov;
    *out = m;
    return MC_OK;
}
