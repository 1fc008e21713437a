/* The validator's shared pieces: paths, the bounded difference list, and
 * one-line texts of values for messages. */
#include "validate/diffs.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/utf8.h"

/* ---- paths --------------------------------------------------------------- */

void mc_path_init(mc_path *p, const char *start)
{
    p->len = 0;
    p->buf[0] = '\0';
    if (start && start[0])
        mc_path_push(p, "%s", start);
}

size_t mc_path_push(mc_path *p, const char *fmt, ...)
{
    size_t before = p->len;
    size_t room = sizeof p->buf - p->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->buf + p->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        p->buf[p->len] = '\0';
    else
        p->len += (size_t)n < room ? (size_t)n : room - 1;
    return before;
}

size_t mc_path_attr(mc_path *p, const char *name)
{
    return mc_path_push(p, "%s%s", p->len ? "." : "", name);
}

size_t mc_path_index(mc_path *p, const int64_t *shape, uint32_t ndim, uint64_t k)
{
    uint64_t idx[MC_TENSOR_MAX_DIMS + 60];
    if (ndim > sizeof idx / sizeof idx[0])
        return mc_path_push(p, "[%" PRIu64 "]", k);
    for (uint32_t d = ndim; d-- > 0;) {
        uint64_t n = shape[d] > 0 ? (uint64_t)shape[d] : 1;
        idx[d] = k % n;
        k /= n;
    }
    size_t before = mc_path_push(p, "[");
    for (uint32_t d = 0; d < ndim; d++)
        mc_path_push(p, "%s%" PRIu64, d ? ", " : "", idx[d]);
    mc_path_push(p, "]");
    return before;
}

void mc_path_cut(mc_path *p, size_t len)
{
    if (len < p->len) {
        p->len = len;
        p->buf[len] = '\0';
    }
}

/* ---- the difference list --------------------------------------------------- */

void mc_differences_init(mc_differences *d, size_t limit)
{
    memset(d, 0, sizeof *d);
    d->limit = limit;
}

void mc_differences_free(mc_differences *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].path);
        free(d->items[i].expected);
        free(d->items[i].found);
    }
    free(d->items);
    d->items = NULL;
    d->n = 0;
    d->total = 0;
}

int mc_diffs_wants(const mc_differences *d)
{
    return d->n < d->limit;
}

void mc_diffs_count(mc_differences *d, uint64_t n)
{
    d->total += n;
}

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

mc_status mc_diffs_add(mc_differences *d, const char *path, const char *expected,
                       const char *found, mc_error *err)
{
    d->total++;
    if (d->n >= d->limit)
        return MC_OK;
    if (!d->items) {
        d->items = calloc(d->limit, sizeof *d->items);
        if (!d->items)
            return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    mc_difference *e = &d->items[d->n];
    e->path = dup_text(path);
    e->expected = dup_text(expected);
    e->found = dup_text(found);
    if (!e->path || !e->expected || !e->found) {
        free(e->path);
        free(e->expected);
        free(e->found);
        memset(e, 0, sizeof *e);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    d->n++;
    return MC_OK;
}

/* ---- texts ------------------------------------------------------------------ */

void mc_text_double(char *buf, size_t size, double v)
{
    if (isnan(v)) {
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        snprintf(buf, size, "nan (bits 0x%016" PRIx64 ")", bits);
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (!strpbrk(buf, ".eEn") && strlen(buf) + 3 <= size)
        strcat(buf, ".0");
}

static void text_quoted(char *buf, size_t size, const char *prefix, const char *s, size_t n)
{
    size_t shown = n > 60 ? 57 : n;
    snprintf(buf, size, "%s'%.*s%s'", prefix, (int)shown, s, n > 60 ? "..." : "");
}

static void text_hex(char *buf, size_t size, const uint8_t *p, size_t n)
{
    size_t o = (size_t)snprintf(buf, size, "0x");
    for (size_t i = 0; i < n && o + 3 < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%02x", p[i]);
    if (o + 3 >= size && n && size > 4)
        memcpy(buf + size - 4, "...", 4);
}

static void text_dtype(char *buf, size_t size, const mc_dtype *dt)
{
    if (!dt) {
        snprintf(buf, size, "?");
        return;
    }
    mc_dtype_str(dt, buf, (unsigned)(size < 0xffffffffu ? size : 0xffffffffu));
}

void mc_text_shape(char *buf, size_t size, const int64_t *shape, uint32_t ndim)
{
    size_t o = (size_t)snprintf(buf, size, "(");
    for (uint32_t d = 0; d < ndim && o < size; d++)
        o += (size_t)snprintf(buf + o, size - o, "%s%" PRId64, d ? ", " : "", shape[d]);
    if (o < size)
        snprintf(buf + o, size - o, ndim == 1 ? ",)" : ")");
}

/* A numpy unicode element (UCS-4, NUL-padded) as quoted UTF-8. */
static void text_ucs4(char *buf, size_t size, const mc_dtype *dt, const uint8_t *elem)
{
    char s[4 * 60 + 1];
    size_t chars = dt->itemsize / 4 < 60 ? dt->itemsize / 4 : 60;
    size_t n = mc_ucs4_to_utf8(elem, chars, dt->byteorder == '>', s);
    text_quoted(buf, size, "", s, n);
}

/* A number decoded (host order after swapping), a string, or hex bytes. */
void mc_text_element(char *buf, size_t size, const mc_dtype *dt, const uint8_t *elem)
{
    uint8_t b[8];
    int plain = mc_dtype_is_plain_number(dt) && dt->itemsize <= 8 &&
                !(dt->kind == 'f' && dt->itemsize == 2);
    if (dt->kind == 'U' && !dt->nfields && !dt->subarray_base) {
        text_ucs4(buf, size, dt, elem);
        return;
    }
    if (dt->kind == 'S' && !dt->nfields && !dt->subarray_base) {
        const uint8_t *nul = memchr(elem, 0, dt->itemsize);
        size_t n = nul ? (size_t)(nul - elem) : dt->itemsize;
        text_quoted(buf, size, "b", (const char *)elem, n);
        return;
    }
    if (!plain) {
        text_hex(buf, size, elem, dt->itemsize);
        return;
    }
    memcpy(b, elem, dt->itemsize);
    if (mc_dtype_needs_swap(dt))
        mc_swap_bytes(b, dt->itemsize);
    switch (dt->kind) {
    case 'f':
        if (dt->itemsize == 8) {
            double d;
            memcpy(&d, b, 8);
            mc_text_double(buf, size, d);
        } else {
            float f;
            memcpy(&f, b, 4);
            mc_text_double(buf, size, f);
        }
        return;
    case 'b': snprintf(buf, size, "%s", b[0] ? "True" : "False"); return;
    case 'u': {
        uint64_t u = 0;
        if (dt->itemsize == 8) {
            memcpy(&u, b, 8);
        } else if (dt->itemsize == 4) {
            uint32_t x;
            memcpy(&x, b, 4);
            u = x;
        } else if (dt->itemsize == 2) {
            uint16_t x;
            memcpy(&x, b, 2);
            u = x;
        } else {
            u = b[0];
        }
        snprintf(buf, size, "%" PRIu64, u);
        return;
    }
    default: {
        int64_t i = 0;
        if (dt->itemsize == 8) {
            memcpy(&i, b, 8);
        } else if (dt->itemsize == 4) {
            int32_t x;
            memcpy(&x, b, 4);
            i = x;
        } else if (dt->itemsize == 2) {
            int16_t x;
            memcpy(&x, b, 2);
            i = x;
        } else {
            i = (int8_t)b[0];
        }
        snprintf(buf, size, "%" PRId64, i);
        return;
    }
    }
}

void mc_text_tensor_element(char *buf, size_t size, const mc_tensor *t, uint64_t i)
{
    switch (t->elem) {
    case MC_ELEM_F64: mc_text_double(buf, size, t->data.f64[i]); return;
    case MC_ELEM_F32: mc_text_double(buf, size, t->data.f32[i]); return;
    case MC_ELEM_I64: snprintf(buf, size, "%" PRId64, t->data.i64[i]); return;
    case MC_ELEM_I32: snprintf(buf, size, "%" PRId32, t->data.i32[i]); return;
    case MC_ELEM_U32: snprintf(buf, size, "%" PRIu32, t->data.u32[i]); return;
    case MC_ELEM_U8: snprintf(buf, size, "%u", (unsigned)t->data.u8[i]); return;
    case MC_ELEM_STR: {
        const char *s = t->data.str[i] ? t->data.str[i] : "";
        text_quoted(buf, size, "", s, strlen(s));
        return;
    }
    }
}

static const char *global_text(char *buf, size_t size, const mc_value *g)
{
    if (!g || g->kind != MC_GLOBAL)
        snprintf(buf, size, "?");
    else
        snprintf(buf, size, "%s.%s", g->u.global.module, g->u.global.name);
    return buf;
}

void mc_text_value(char *buf, size_t size, const mc_value *v)
{
    char t[256];
    if (!v) {
        snprintf(buf, size, "(absent)");
        return;
    }
    switch (v->kind) {
    case MC_NONE: snprintf(buf, size, "None"); return;
    case MC_BOOL: snprintf(buf, size, "%s", v->u.boolean ? "True" : "False"); return;
    case MC_INT: snprintf(buf, size, "%" PRId64, v->u.i); return;
    case MC_BIGINT:
        text_hex(t, sizeof t, v->u.bytes.data, v->u.bytes.len);
        snprintf(buf, size, "int of %zu bytes (little-endian %s)", v->u.bytes.len, t);
        return;
    case MC_FLOAT: mc_text_double(buf, size, v->u.f); return;
    case MC_COMPLEX: {
        char re[64], im[64];
        mc_text_double(re, sizeof re, v->u.complex.re);
        mc_text_double(im, sizeof im, v->u.complex.im);
        snprintf(buf, size, "complex(%s, %s)", re, im);
        return;
    }
    case MC_STR: text_quoted(buf, size, "", v->u.str.data, v->u.str.len); return;
    case MC_BYTES:
        text_quoted(buf, size, v->u.bytes.py2_str ? "py2 str " : "b", (const char *)v->u.bytes.data,
                    v->u.bytes.len);
        return;
    case MC_BYTEARRAY: snprintf(buf, size, "bytearray of %zu bytes", v->u.bytes.len); return;
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET:
        snprintf(buf, size, "%s of %zu", mc_kind_name(v->kind), v->u.seq.len);
        return;
    case MC_DICT: snprintf(buf, size, "dict of %zu", v->u.dict.len); return;
    case MC_NDARRAY: {
        char dt[64], shape[128];
        text_dtype(dt, sizeof dt, v->u.array.dtype);
        mc_text_shape(shape, sizeof shape, v->u.array.shape, v->u.array.ndim);
        snprintf(buf, size, "ndarray %s %s", dt, shape);
        return;
    }
    case MC_SCALAR: {
        char dt[64];
        text_dtype(dt, sizeof dt, v->u.scalar.dtype);
        if (v->u.scalar.object && v->u.scalar.object->kind != MC_SCALAR)
            mc_text_value(t, sizeof t, v->u.scalar.object);
        else if (v->u.scalar.object)
            snprintf(t, sizeof t, "(a numpy scalar)");
        else if (v->u.scalar.dtype && v->u.scalar.data)
            mc_text_element(t, sizeof t, v->u.scalar.dtype, v->u.scalar.data);
        else
            snprintf(t, sizeof t, "?");
        snprintf(buf, size, "numpy %s %s", dt, t);
        return;
    }
    case MC_DTYPE:
        text_dtype(t, sizeof t, v->u.dtype);
        snprintf(buf, size, "dtype('%s')", t);
        return;
    case MC_GLOBAL: global_text(buf, size, v); return;
    case MC_OBJECT: snprintf(buf, size, "<%s object>", global_text(t, sizeof t, v->u.object.cls));
        return;
    }
    snprintf(buf, size, "?");
}
