#include "cli/format.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "modelconv/dtype.h"

void fmt_double(char *buf, size_t size, double v)
{
    if (isnan(v)) {
        snprintf(buf, size, "nan");
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
    /* make it read as a float, as Python prints it */
    if (!strpbrk(buf, ".eEn") && strlen(buf) + 3 <= size)
        strcat(buf, ".0");
}

/* Integers longer than this print as their size: decimal conversion is
 * quadratic, a pickle may hold a LONG4 of megabytes, and a dict may refer
 * to the same one a million times (Python itself refuses str() of ints over
 * 4300 digits).  64 bytes is 154 digits, more than any model holds (128-bit
 * seeds and PCG64 states are 17 bytes). */
enum { MAX_BIGINT_BYTES = 64 };

void fmt_bigint(char *buf, size_t size, const uint8_t *bytes, size_t len)
{
    if (size < 2)
        return;
    if (len == 0) {
        snprintf(buf, size, "0");
        return;
    }
    if (len > MAX_BIGINT_BYTES) {
        snprintf(buf, size, "<int of %zu bytes>", len);
        return;
    }
    /* magnitude in 32-bit limbs, then repeated division by 10^9 */
    uint32_t limb[MAX_BIGINT_BYTES / 4 + 1] = {0};
    uint32_t chunk[MAX_BIGINT_BYTES * 3 / 9 + 2]; /* base 10^9, at most 154 digits */
    int neg = (bytes[len - 1] & 0x80) != 0;
    unsigned carry = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned b = neg ? (uint8_t)~bytes[i] + carry : bytes[i];
        if (neg)
            carry = b >> 8;
        limb[i / 4] |= (uint32_t)(b & 0xff) << (8 * (i % 4));
    }
    size_t top = (len + 3) / 4, nc = 0;
    while (top > 0 && limb[top - 1] == 0)
        top--;
    do {
        uint64_t rem = 0;
        for (size_t i = top; i-- > 0;) {
            uint64_t cur = (rem << 32) | limb[i];
            limb[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        chunk[nc++] = (uint32_t)rem;
        while (top > 0 && limb[top - 1] == 0)
            top--;
    } while (top > 0 && nc < sizeof chunk / sizeof chunk[0]);
    size_t o = 0;
    int k = snprintf(buf, size, "%s%u", neg ? "-" : "", chunk[nc - 1]);
    o = k > 0 ? (size_t)k : 0;
    for (size_t i = nc - 1; i-- > 0 && o < size;) {
        k = snprintf(buf + o, size - o, "%09u", chunk[i]);
        o += k > 0 ? (size_t)k : 0;
    }
}

const char *short_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

static void fmt_text(char *buf, size_t size, const char *s, size_t n, const char *prefix)
{
    size_t shown = n > 60 ? 57 : n;
    snprintf(buf, size, "%s'%.*s%s'", prefix, (int)shown, s, n > 60 ? "..." : "");
}

void fmt_ucs4(char *buf, size_t size, const mc_ndarray *a, uint64_t i)
{
    /* at most as many characters as fit in buf whatever their width */
    size_t chars = a->dtype->itemsize / 4, fit = size ? (size - 1) / 4 : 0;
    if (!size)
        return;
    mc_ucs4_to_utf8(a->data + i * a->dtype->itemsize, chars < fit ? chars : fit,
                    a->dtype->byteorder == '>', buf);
}

/* One element of a plain-number or string array as text. */
static void fmt_element(char *buf, size_t size, const mc_ndarray *a, uint64_t i)
{
    const mc_dtype *dt = a->dtype;
    double d;
    if (mc_array_get_f64(a, i, &d) == 0) {
        if (dt->kind == 'f')
            fmt_double(buf, size, d);
        else if (dt->kind == 'b')
            snprintf(buf, size, "%s", d != 0 ? "True" : "False");
        else if (dt->kind == 'u' && dt->itemsize == 8 && d >= 9.2e18)
            snprintf(buf, size, "%.0f", d);
        else
            snprintf(buf, size, "%lld", (long long)d);
        return;
    }
    if (dt->kind == 'U' && a->data) {
        char tmp[256];
        fmt_ucs4(tmp, sizeof tmp, a, i);
        snprintf(buf, size, "'%.*s'", (int)(size > 3 ? size - 3 : 0), tmp);
        return;
    }
    if (a->objects && a->objects[i] && fmt_scalar(buf, size, a->objects[i]) == 0)
        return;
    snprintf(buf, size, "...");
}

void fmt_array(char *buf, size_t size, const mc_ndarray *a, unsigned max_values)
{
    char dts[32];
    size_t o = 0;
#define PUT(...)                                                                 \
    do {                                                                         \
        if (o < size) {                                                          \
            int k = snprintf(buf + o, size - o, __VA_ARGS__);                    \
            o += k > 0 ? (size_t)k : 0;                                          \
        }                                                                        \
    } while (0)
    if (!a->dtype) {
        PUT("ndarray (no state)");
        return;
    }
    PUT("ndarray %s (", mc_dtype_str(a->dtype, dts, sizeof dts));
    for (uint32_t i = 0; i < a->ndim; i++)
        PUT("%s%lld", i ? ", " : "", (long long)a->shape[i]);
    PUT("%s)", a->ndim == 1 ? "," : "");
    if (a->order == 'F' && a->ndim > 1)
        PUT(" Fortran order");
    if (a->count > 0 && a->count <= max_values && !a->dtype->nfields &&
        (a->ndim <= 1 || a->order == 'C')) {
        PUT(" [");
        for (uint64_t i = 0; i < a->count; i++) {
            char e[80];
            fmt_element(e, sizeof e, a, i);
            PUT("%s%s", i ? " " : "", e);
        }
        PUT("]");
    }
#undef PUT
}

int fmt_scalar(char *buf, size_t size, const mc_value *v)
{
    char tmp[64];
    switch (v->kind) {
    case MC_NONE: snprintf(buf, size, "None"); return 0;
    case MC_BOOL: snprintf(buf, size, "%s", v->u.boolean ? "True" : "False"); return 0;
    case MC_INT: snprintf(buf, size, "%" PRId64, v->u.i); return 0;
    case MC_BIGINT: fmt_bigint(buf, size, v->u.bytes.data, v->u.bytes.len); return 0;
    case MC_FLOAT: fmt_double(buf, size, v->u.f); return 0;
    case MC_COMPLEX: {
        char re[40], im[40];
        fmt_double(re, sizeof re, v->u.complex.re);
        fmt_double(im, sizeof im, v->u.complex.im);
        snprintf(buf, size, "(%s%s%sj)", re, im[0] == '-' ? "" : "+", im);
        return 0;
    }
    case MC_STR: fmt_text(buf, size, v->u.str.data, v->u.str.len, ""); return 0;
    case MC_BYTES:
    case MC_BYTEARRAY:
        if (v->u.bytes.len <= 60) {
            int printable = 1;
            for (size_t i = 0; i < v->u.bytes.len; i++)
                printable &= v->u.bytes.data[i] >= 0x20 && v->u.bytes.data[i] < 0x7f;
            if (printable) {
                fmt_text(buf, size, (const char *)v->u.bytes.data, v->u.bytes.len,
                         v->u.bytes.py2_str ? "" : "b");
                return 0;
            }
        }
        snprintf(buf, size, "<%s of %zu bytes>", v->kind == MC_BYTES ? "bytes" : "bytearray",
                 v->u.bytes.len);
        return 0;
    case MC_SCALAR: {
        const mc_dtype *dt = v->u.scalar.dtype;
        char dts[24];
        double d;
        int64_t i;
        mc_dtype_str(dt, dts, sizeof dts);
        if (v->u.scalar.object) {
            snprintf(buf, size, "numpy object scalar");
        } else if (dt->kind == 'f' && mc_value_to_double(v, &d) == 0) {
            fmt_double(tmp, sizeof tmp, d);
            snprintf(buf, size, "%s (numpy %s)", tmp, dts);
        } else if (mc_value_to_int64(v, &i) == 0) {
            snprintf(buf, size, "%" PRId64 " (numpy %s)", i, dts);
        } else {
            snprintf(buf, size, "numpy %s scalar", dts);
        }
        return 0;
    }
    case MC_DTYPE: {
        char dts[24];
        snprintf(buf, size, "dtype('%s'%s)", mc_dtype_str(v->u.dtype, dts, sizeof dts),
                 v->u.dtype->nfields ? ", with fields" : "");
        return 0;
    }
    case MC_GLOBAL:
        snprintf(buf, size, "%s.%s", v->u.global.module, v->u.global.name);
        return 0;
    default:
        return -1;
    }
}
