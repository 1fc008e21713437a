#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "modelconv/dtype.h"

const char *corpus_path(char *buf, size_t size, const char *rel)
{
    snprintf(buf, size, "%s/samples/corpus/%s", MC_SOURCE_DIR, rel);
    return buf;
}

static void field(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

corpus_entry *corpus_load(size_t *count)
{
    char path[512];
    FILE *f = fopen(corpus_path(path, sizeof path, "manifest.tsv"), "r");
    if (!f)
        return NULL;
    size_t cap = 2048, n = 0;
    corpus_entry *e = calloc(cap, sizeof *e);
    char line[2048];
    int header = 1;
    while (e && fgets(line, sizeof line, f)) {
        if (header) {
            header = 0;
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        const char *cols[10];
        int nc = 0;
        char *p = line;
        cols[nc++] = p;
        while (nc < 10 && (p = strchr(p, '\t'))) {
            *p++ = '\0';
            cols[nc++] = p;
        }
        if (nc != 10)
            continue;
        if (n == cap) {
            cap *= 2;
            e = realloc(e, cap * sizeof *e);
            if (!e)
                break;
        }
        corpus_entry *c = &e[n++];
        memset(c, 0, sizeof *c);
        field(c->path, sizeof c->path, cols[0], strlen(cols[0]));
        field(c->kind, sizeof c->kind, cols[1], strlen(cols[1]));
        field(c->format, sizeof c->format, cols[2], strlen(cols[2]));
        c->protocol = atoi(cols[3]);
        field(c->compressor, sizeof c->compressor, cols[4], strlen(cols[4]));
        field(c->cls, sizeof c->cls, cols[5], strlen(cols[5]));
        field(c->sklearn_version, sizeof c->sklearn_version, cols[6], strlen(cols[6]));
        field(c->numpy_version, sizeof c->numpy_version, cols[7], strlen(cols[7]));
        field(c->joblib_version, sizeof c->joblib_version, cols[8], strlen(cols[8]));
        field(c->dir, sizeof c->dir, cols[9], strlen(cols[9]));
    }
    fclose(f);
    *count = n;
    return e;
}

/* Little-endian bytes of one element of dt at src into out (recursing into
 * fields and subarrays so mixed byte orders come out uniform). */
static void element_le(const mc_dtype *dt, const uint8_t *src, uint8_t *out)
{
    if (dt->nfields) {
        memcpy(out, src, dt->itemsize); /* padding bytes as they are */
        for (uint32_t i = 0; i < dt->nfields; i++)
            element_le(dt->fields[i].dtype, src + dt->fields[i].offset,
                       out + dt->fields[i].offset);
        return;
    }
    if (dt->subarray_base) {
        uint32_t sz = dt->subarray_base->itemsize;
        for (uint32_t k = 0; sz && k < dt->itemsize / sz; k++)
            element_le(dt->subarray_base, src + k * sz, out + k * sz);
        return;
    }
    memcpy(out, src, dt->itemsize);
    if (dt->byteorder == '>') {
        unsigned unit = dt->itemsize;
        if (dt->kind == 'c')
            unit /= 2; /* two floats */
        if (dt->kind == 'U')
            unit = 4;
        for (uint32_t k = 0; unit > 1 && k < dt->itemsize / unit; k++)
            mc_swap_bytes(out + k * unit, unit);
    }
}

/* Memory offset (in elements) of the k-th element in C order. */
static uint64_t memory_index(const mc_ndarray *a, uint64_t k)
{
    if (a->order != 'F' || a->ndim < 2)
        return k;
    uint64_t idx[64], off = 0, stride = 1;
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

uint64_t array_fnv(const mc_ndarray *a)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t item = a->dtype->itemsize;
    uint8_t *buf = malloc(item ? item : 1);
    for (uint64_t k = 0; k < a->count; k++) {
        element_le(a->dtype, a->data + memory_index(a, k) * item, buf);
        for (size_t b = 0; b < item; b++) {
            h ^= buf[b];
            h *= 0x100000001b3ull;
        }
    }
    free(buf);
    return h;
}

void visit_arrays(const mc_value *v, array_visit fn, void *ctx)
{
    if (!v)
        return;
    switch (v->kind) {
    case MC_NDARRAY:
        fn(&v->u.array, ctx);
        if (v->u.array.objects)
            for (uint64_t i = 0; i < v->u.array.count; i++)
                visit_arrays(v->u.array.objects[memory_index(&v->u.array, i)], fn, ctx);
        return;
    case MC_LIST:
    case MC_TUPLE:
        for (size_t i = 0; i < v->u.seq.len; i++)
            visit_arrays(v->u.seq.items[i], fn, ctx);
        return;
    case MC_DICT:
        for (size_t i = 0; i < v->u.dict.len; i++)
            visit_arrays(v->u.dict.vals[i], fn, ctx);
        return;
    case MC_OBJECT:
        /* dict subclasses keep their items apart from their state */
        visit_arrays(v->u.object.dictitems, fn, ctx);
        visit_arrays(v->u.object.listitems, fn, ctx);
        return;
    default:
        return;
    }
}

uint8_t *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n > 0 ? (size_t)n : 0;
    return buf;
}
