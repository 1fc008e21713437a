/* Variable-length strings: the global heap checked before HDF5 reads it
 * (h5heap.h).
 *
 * The layout of a global heap collection (HDF5 File Format Specification,
 * "Global Heap"; as H5HG__cache_heap_deserialize in HDF5 1.10 parses it):
 *
 *   "GCOL", version 1, 3 reserved bytes, collection size (size of lengths)
 *   objects, from offset H5HG_SIZEOF_HDR = align8(8 + size of lengths):
 *     index (u16), reference count (u16), 4 reserved bytes,
 *     size (size of lengths), data, zero padding to a multiple of 8;
 *     index 0 is free space, whose size includes its header and is not
 *     padded; a tail shorter than an object header is free space too.
 *
 * A string's descriptor in the file is its length (u32), the collection's
 * address (size of offsets) and the object's index (u32); address 0 is an
 * empty (NULL) string that HDF5 does not look up. */
#define _POSIX_C_SOURCE 200809L
#include "hdf5/h5heap.h"

#include "hdf5/h5common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_TAG "modelconv: variable-length string descriptors"

enum { GCOL_MINSIZE = 4096 }; /* H5HG_MINSIZE: HDF5 makes none smaller */

typedef struct gh_obj {
    uint32_t idx;
    uint32_t order;           /* position in the collection            */
    uint64_t size;
} gh_obj;

typedef struct gh_coll {
    uint64_t addr;            /* UINT64_MAX: empty slot                */
    gh_obj *objs;             /* by index; the last of repeats kept    */
    size_t n;
} gh_coll;

struct mc_h5_heap {
    const uint8_t *data;
    uint64_t size, base;      /* file bytes; addresses count from base */
    unsigned sizeof_addr, sizeof_size;
    uint64_t parsed, limit;
    gh_coll *slots;           /* open addressing by collection address */
    size_t cap, count;
};

/* ---- reading descriptors raw ------------------------------------------------ */

/* A conversion from a variable-length string to an opaque type tagged
 * RAW_TAG of the same size (the descriptor's size in the file): the
 * conversion buffer already holds the file's bytes, so there is nothing to
 * do, and HDF5 never follows them into the heap. */
static herr_t raw_conv(hid_t src, hid_t dst, H5T_cdata_t *cdata, size_t nelmts, size_t buf_stride,
                       size_t bkg_stride, void *buf, void *bkg, hid_t dxpl)
{
    (void)nelmts;
    (void)buf_stride;
    (void)bkg_stride;
    (void)buf;
    (void)bkg;
    (void)dxpl;
    switch (cdata->command) {
    case H5T_CONV_INIT: {
        cdata->need_bkg = H5T_BKG_NO;
        if (H5Tget_class(src) != H5T_STRING || H5Tis_variable_str(src) <= 0 ||
            H5Tget_class(dst) != H5T_OPAQUE)
            return -1;
        char *tag = H5Tget_tag(dst);
        int ok = tag && strcmp(tag, RAW_TAG) == 0;
        H5free_memory(tag);
        return ok ? 0 : -1;
    }
    case H5T_CONV_CONV:
        return H5Tget_size(src) == H5Tget_size(dst) ? 0 : -1;
    default:
        return 0;
    }
}

static pthread_once_t raw_once = PTHREAD_ONCE_INIT;
static int raw_registered;

static void raw_register(void)
{
    hid_t src = H5Tcopy(H5T_C_S1), dst = H5Tcreate(H5T_OPAQUE, 1);
    if (src >= 0 && dst >= 0 && H5Tset_size(src, H5T_VARIABLE) >= 0 &&
        H5Tset_tag(dst, RAW_TAG) >= 0 &&
        H5Tregister(H5T_PERS_SOFT, "modelconv raw vlen", src, dst, raw_conv) >= 0)
        raw_registered = 1;
    if (src >= 0)
        H5Tclose(src);
    if (dst >= 0)
        H5Tclose(dst);
}

/* The opaque type of the descriptors of this file (caller closes). */
static hid_t raw_type(const mc_h5_heap *h)
{
    pthread_once(&raw_once, raw_register);
    if (!raw_registered)
        return -1;
    hid_t t = H5Tcreate(H5T_OPAQUE, 4 + h->sizeof_addr + 4);
    if (t >= 0 && H5Tset_tag(t, RAW_TAG) < 0) {
        H5Tclose(t);
        t = -1;
    }
    return t;
}

/* ---- collections ---------------------------------------------------------------- */

static uint64_t load_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static int cmp_obj(const void *a, const void *b)
{
    const gh_obj *x = a, *y = b;
    if (x->idx != y->idx)
        return x->idx < y->idx ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Parse the collection at (relative) address addr into c, as HDF5 would,
 * refusing what HDF5 would loop on or read beyond. */
static int parse(mc_h5_heap *h, uint64_t addr, gh_coll *c, char *why, size_t whysize)
{
    unsigned ss = h->sizeof_size;
    uint64_t hdr = (8 + ss + 7) / 8 * 8, objhdr = 8 + ss;
    uint64_t at = h->base + addr;
    if (at < addr || at > h->size || h->size - at < hdr) {
        snprintf(why, whysize, "a string's global heap collection (address %llu) lies outside "
                 "the file", (unsigned long long)addr);
        return -1;
    }
    const uint8_t *p = h->data + at;
    if (memcmp(p, "GCOL", 4) != 0 || p[4] != 1) {
        snprintf(why, whysize, "no global heap collection at address %llu",
                 (unsigned long long)addr);
        return -1;
    }
    uint64_t cs = load_le(p + 8, ss);
    if (cs < GCOL_MINSIZE || cs > h->size - at) {
        snprintf(why, whysize, "the global heap collection at address %llu declares %llu bytes",
                 (unsigned long long)addr, (unsigned long long)cs);
        return -1;
    }
    if (h->parsed > h->limit || cs > h->limit - h->parsed) {
        snprintf(why, whysize, "global heap collections of more than %llu bytes",
                 (unsigned long long)h->limit);
        return -1;
    }
    h->parsed += cs;
    size_t cap = 16, n = 0;
    gh_obj *objs = malloc(cap * sizeof *objs);
    if (!objs) {
        snprintf(why, whysize, "out of memory");
        return -1;
    }
    for (uint64_t off = hdr; off < cs;) {
        if (cs - off < objhdr)
            break; /* a free-space tail */
        const uint8_t *o = p + off;
        uint32_t idx = (uint32_t)load_le(o, 2);
        uint64_t size = load_le(o + 8, ss), need;
        if (idx > 0) {
            if (size > cs - off - objhdr) {
                snprintf(why, whysize, "object %u of the global heap collection at address %llu "
                         "runs past the collection", idx, (unsigned long long)addr);
                free(objs);
                return -1;
            }
            need = objhdr + (size + 7) / 8 * 8;
        } else {
            need = size;
        }
        if (need == 0) {
            snprintf(why, whysize, "the global heap collection at address %llu holds an object "
                     "of size 0", (unsigned long long)addr);
            free(objs);
            return -1;
        }
        if (idx > 0) {
            if (n == cap) {
                gh_obj *g = realloc(objs, 2 * cap * sizeof *g);
                if (!g) {
                    free(objs);
                    snprintf(why, whysize, "out of memory");
                    return -1;
                }
                objs = g;
                cap *= 2;
            }
            objs[n] = (gh_obj){idx, (uint32_t)n, size};
            n++;
        }
        if (need > cs - off)
            break; /* HDF5 stops past the end too */
        off += need;
    }
    /* by index, the last of repeated indices kept (HDF5 overwrites) */
    qsort(objs, n, sizeof *objs, cmp_obj);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && objs[k - 1].idx == objs[i].idx)
            k--;
        objs[k++] = objs[i];
    }
    c->addr = addr;
    c->objs = objs;
    c->n = k;
    return 0;
}

static size_t slot_of(uint64_t addr, size_t cap)
{
    return (size_t)(addr * 0x9e3779b97f4a7c15ull >> 17) & (cap - 1);
}

/* The parsed collection at addr (parsing it the first time). */
static const gh_coll *collection(mc_h5_heap *h, uint64_t addr, char *why, size_t whysize)
{
    if (2 * (h->count + 1) > h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 16;
        gh_coll *s = malloc(cap * sizeof *s);
        if (!s) {
            snprintf(why, whysize, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < cap; i++)
            s[i].addr = UINT64_MAX;
        for (size_t i = 0; i < h->cap; i++) {
            if (h->slots[i].addr == UINT64_MAX)
                continue;
            size_t j = slot_of(h->slots[i].addr, cap);
            while (s[j].addr != UINT64_MAX)
                j = (j + 1) & (cap - 1);
            s[j] = h->slots[i];
        }
        free(h->slots);
        h->slots = s;
        h->cap = cap;
    }
    size_t j = slot_of(addr, h->cap);
    while (h->slots[j].addr != UINT64_MAX && h->slots[j].addr != addr)
        j = (j + 1) & (h->cap - 1);
    if (h->slots[j].addr == addr)
        return &h->slots[j];
    if (parse(h, addr, &h->slots[j], why, whysize))
        return NULL;
    h->count++;
    return &h->slots[j];
}

/* One descriptor. */
static int check_one(mc_h5_heap *h, const uint8_t *d, char *why, size_t whysize)
{
    uint32_t len = (uint32_t)load_le(d, 4);
    uint64_t addr = load_le(d + 4, h->sizeof_addr);
    uint32_t idx = (uint32_t)load_le(d + 4 + h->sizeof_addr, 4);
    if (addr == 0)
        return 0; /* no string: HDF5 does not look */
    const gh_coll *c = collection(h, addr, why, whysize);
    if (!c)
        return -1;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->objs[mid].idx < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (idx == 0 || lo == c->n || c->objs[lo].idx != idx) {
        snprintf(why, whysize, "a string names object %u of the global heap collection at "
                 "address %llu, which holds none", idx, (unsigned long long)addr);
        return -1;
    }
    if (c->objs[lo].size != len) {
        snprintf(why, whysize, "a string of %u bytes whose global heap object holds %llu",
                 len, (unsigned long long)c->objs[lo].size);
        return -1;
    }
    return 0;
}

/* ---- entry points ---------------------------------------------------------------- */

mc_h5_heap *mc_h5_heap_new(hid_t file, const uint8_t *data, uint64_t size, uint64_t limit,
                           char *why, size_t whysize)
{
    why[0] = '\0';
    hid_t fcpl = H5Fget_create_plist(file);
    size_t sa = 0, ss = 0;
    hsize_t ub = 0;
    int ok = fcpl >= 0 && H5Pget_sizes(fcpl, &sa, &ss) >= 0 && H5Pget_userblock(fcpl, &ub) >= 0;
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (!ok || sa < 2 || sa > 8 || ss < 2 || ss > 8) {
        snprintf(why, whysize, "the file's address sizes (%zu, %zu) are not ones modelconv reads",
                 sa, ss);
        return NULL;
    }
    mc_h5_heap *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(why, whysize, "out of memory");
        return NULL;
    }
    h->data = data;
    h->size = size;
    h->base = ub;
    h->sizeof_addr = (unsigned)sa;
    h->sizeof_size = (unsigned)ss;
    h->limit = limit;
    return h;
}

void mc_h5_heap_free(mc_h5_heap *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i].addr != UINT64_MAX)
            free(h->slots[i].objs);
    free(h->slots);
    free(h);
}

/* Read n descriptors with read(obj, type, buf) and check each. */
static int check(mc_h5_heap *h, hid_t obj, uint64_t n, int dataset, char *why, size_t whysize)
{
    if (n == 0)
        return 0;
    size_t rs = 4 + h->sizeof_addr + 4;
    /* (the caller charged n strings to the reader's budget) */
    if (n > SIZE_MAX / rs) {
        snprintf(why, whysize, "%llu strings", (unsigned long long)n);
        return -1;
    }
    uint8_t *buf = malloc((size_t)n * rs);
    hid_t t = raw_type(h);
    int rc = 0;
    if (!buf || t < 0) {
        snprintf(why, whysize, buf ? "cannot read string descriptors" : "out of memory");
        rc = -1;
    } else if ((dataset ? H5Dread(obj, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf)
                        : H5Aread(obj, t, buf)) < 0) {
        char h5[200];
        mc_h5_last_error(h5, sizeof h5);
        snprintf(why, whysize, "cannot read the strings: %s", h5[0] ? h5 : "HDF5 error");
        rc = -1;
    }
    for (uint64_t i = 0; i < n && rc == 0; i++)
        rc = check_one(h, buf + i * rs, why, whysize);
    if (t >= 0)
        H5Tclose(t);
    free(buf);
    return rc;
}

int mc_h5_heap_check_attr(mc_h5_heap *h, hid_t a, uint64_t n, char *why, size_t whysize)
{
    return check(h, a, n, 0, why, whysize);
}

int mc_h5_heap_check_dataset(mc_h5_heap *h, hid_t d, uint64_t n, char *why, size_t whysize)
{
    return check(h, d, n, 1, why, whysize);
}
